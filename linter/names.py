"""Names every front end needs without reading rules: channels, severities, the rule error, the rules folder.

Kept apart from `rules` (YAML, the notation) so that the hook and the command line can parse
options and ask the warm linter without loading either.
"""

from __future__ import annotations

import re
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
    from importlib import resources  # a few milliseconds: only when the rules are needed

    packaged = resources.files("linter") / "rules"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "rules"
