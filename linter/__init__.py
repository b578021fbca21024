"""lint-reply: coaching feedback on Dutch replies that deliver bad news."""

from .api import Linter, lint
from .report import Element, Finding, Report

__all__ = ["lint", "Linter", "Report", "Finding", "Element"]
__version__ = "0.1.0"
