"""What describes a pipeline without loading spaCy: front ends import this for --help and errors."""

from __future__ import annotations

from dataclasses import dataclass


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
