"""Names every part needs without loading spaCy or reading rules: channels, severities, the rule
error, the rules folder, and which pipeline a model name means and how it is described.

Kept apart from the engine (spaCy, YAML, the notation) so that the hook and the command line can
parse options, name the pipeline and ask the warm linter without loading any of it.
"""

from __future__ import annotations

import importlib.util
import os
import re
from dataclasses import dataclass
from pathlib import Path

SEVERITIES = ("info", "warning", "error")
CHANNELS = ("email", "chat")
LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # cannot be written as UTF-8 nor hashed by spaCy


class RuleError(ValueError):
    """A rule file that is not valid; the text names the file and line."""

    def __init__(self, path: Path | str, line: int | None, message: str):
        self.path, self.line = str(path), line
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")


def did_you_mean(name: str, options, otherwise: str = "") -> str:
    """"; bedoelt u 'x'?" for the closest option, else `otherwise` (used for every unknown name)."""
    import difflib

    close = difflib.get_close_matches(name, sorted(options), n=1)
    return f"; bedoelt u '{close[0]}'?" if close else otherwise


def builtin_rules_dir() -> Path:
    """`rules/` inside the installed package, or at the top of a source checkout."""
    here = Path(__file__).parent
    if (here / "__init__.py").is_file():
        # A package on disk: importlib.resources.files("linter") is this very folder (unresolved),
        # and importing importlib.resources would cost the hook a few milliseconds.
        packaged = here / "rules"
        if packaged.is_dir():
            return packaged
    else:
        from importlib import resources  # a zip or another loader: ask it

        resource = resources.files("linter") / "rules"
        if resource.is_dir():
            return Path(str(resource))
    return Path(__file__).resolve().parent.parent / "rules"


# --- the pipeline, described without loading spaCy (`engine.pipeline` loads it) ----------

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
