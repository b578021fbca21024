"""What describes a pipeline without loading spaCy: front ends import this for --help and errors."""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass

PREFERRED_MODEL = "nl_core_news_sm"
MODEL_ENV = "LINT_REPLY_MODEL"
EMBEDDED_NAMES = ("embedded", "default", "blank")


class PipelineError(RuntimeError):
    """The requested pipeline cannot be loaded."""


@dataclass(frozen=True)
class PipelineInfo:
    name: str
    version: str
    kind: str  # "trained" or "embedded"
    has_parser: bool

    def describe(self) -> str:
        label = "getraind" if self.kind == "trained" else "ingebouwd, zonder model"
        return f"{self.name} {self.version} ({label})"


def resolve_model(model: str | None = None) -> str:
    """Which pipeline `model` means, without loading spaCy: "embedded", or a name or path.

    Order: the explicit choice, `$LINT_REPLY_MODEL`, `nl_core_news_sm` when installed, the
    embedded default. The warm linter's client and `load_pipeline` share it, so both agree."""
    choice = model or os.environ.get(MODEL_ENV) or None
    if choice in EMBEDDED_NAMES:
        return "embedded"
    if choice:
        return choice
    return PREFERRED_MODEL if importlib.util.find_spec(PREFERRED_MODEL) is not None else "embedded"


def describe_unloaded(model: str | None = None) -> str | None:
    """What `load_pipeline(model)` would describe, read from package metadata without loading
    spaCy (for `--version`); None when the model's meta.json cannot tell, so the caller loads it
    and reports whatever is wrong the usual way."""
    import json
    from importlib import metadata
    from pathlib import Path

    choice = resolve_model(model)
    try:
        if choice == "embedded":
            return PipelineInfo("embedded_default", f"spacy-{metadata.version('spacy')}", "embedded", False).describe()
        folder = Path(choice)
        if not folder.is_dir():
            spec = importlib.util.find_spec(choice)
            if spec is None or not spec.submodule_search_locations:
                return None
            folder = Path(next(iter(spec.submodule_search_locations)))
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, ImportError, metadata.PackageNotFoundError):
        return None
    if meta.get("lang") != "nl" or not meta.get("name"):
        return None
    return PipelineInfo(f"nl_{meta['name']}", str(meta.get("version", "")), "trained", False).describe()
