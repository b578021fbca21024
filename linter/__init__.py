"""lint-reply: coaching feedback on Dutch replies that deliver bad news.

`Linter` and `lint` load spaCy; they are imported on first use, so that `lint-reply --help`
and other front-end paths that never lint start quickly.
"""

__all__ = ["lint", "Linter", "Report", "Finding", "Element"]
__version__ = "0.1.0"


def __getattr__(name: str):
    if name in ("Linter", "lint"):
        from . import api

        return getattr(api, name)
    if name in ("Report", "Finding", "Element"):
        from . import report

        return getattr(report, name)
    raise AttributeError(f"module 'linter' has no attribute {name!r}")
