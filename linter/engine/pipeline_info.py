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
