"""The customer's mood, read from the quoted history: upset words, threats, capitals, exclamation marks.

When the customer the writer answers is upset, the report says so, and the rule set's
`when_customer_upset` rules apply even to a reply without bad news. Which words count
(`rules/lists/customer-upset.yaml`, `customer-threat.yaml`) is the rule set's knowledge: the
caller passes finders built from those lists (`linter.engine.compile.word_list_finder`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from ..report import Position
from .extract import Extracted
from .mapping import Mapped

Finder = Callable[[str], list[tuple[int, int]]]


@dataclass(frozen=True)
class Mood:
    """What the history says about the customer, for the report."""

    notes: list[str] = field(default_factory=list)  # for the report: where the customer shows it
    reason: str = ""  # why an upset customer needs acknowledgement ("" when not clearly upset)


def read_mood(extracted: Extracted, find_words: Finder, find_threats: Finder) -> Mood:
    """The mood of the customer in `extracted.history`; line numbers count in the file."""
    signals = customer_signals(extracted.history, find_words, find_threats)
    if not signals:
        return Mood()
    position = Position(extracted.raw)
    where = ", ".join(f"regel {position.at(s.start)[0]}, '{s.text}'" for s in signals[:3])
    upset = is_upset(signals)
    note = f"De klant lijkt {'boos of bezorgd' if upset else 'geraakt'}: {where}."
    if not upset:
        return Mood([note])
    first = signals[0]
    reason = f"De klant lijkt boos of bezorgd (regel {position.at(first.start)[0]}: '{first.text}'); benoem eerst dat gevoel."
    return Mood([note], reason)


@dataclass(frozen=True)
class Signal:
    """An emotional signal in the customer's quoted message."""

    start: int  # offset in the raw file text
    text: str
    kind: str  # "woord", "dreiging", "hoofdletters", "uitroeptekens"


def customer_signals(history: Mapped, find_words: Finder, find_threats: Finder) -> list[Signal]:
    """Signals in the quoted history; `find_words(text)` yields (start, end) of upset words,
    `find_threats(word)` is not empty when such a word is a threat (both from the rule set's word lists)."""
    signals: list[Signal] = []
    text = history.text
    for start, end in find_words(text):
        word = text[start:end]
        kind = "dreiging" if find_threats(word) else "woord"
        signals.append(Signal(history.starts[start], word, kind))
    marks = list(re.finditer(r"!+", text))
    if len(marks) >= 2 or any(len(m.group()) >= 3 for m in marks):  # "!!!", or exclaiming more than once
        signals.append(Signal(history.starts[marks[0].start()], marks[0].group(), "uitroeptekens"))
    for match in re.finditer(r"\b[A-Z]{4,}(?:\s+[A-Z]{2,})*\b", text):
        signals.append(Signal(history.starts[match.start()], match.group(), "hoofdletters"))
    by_start: dict[int, Signal] = {}
    for signal in signals:  # one signal per place; a word beats its capitals
        if signal.start not in by_start or by_start[signal.start].kind == "hoofdletters":
            by_start[signal.start] = signal
    order = {"dreiging": 0, "woord": 1, "uitroeptekens": 2, "hoofdletters": 3}
    return sorted(by_start.values(), key=lambda s: (order[s.kind], s.start))


def is_upset(signals: list[Signal]) -> bool:
    """Clearly upset: an upset word or a threat, or capitals and exclamation marks together.

    Capitals alone are weak (acronyms such as CJIB), so they count only with another signal.
    """
    return any(s.kind in ("woord", "dreiging") for s in signals) or len(signals) >= 2
