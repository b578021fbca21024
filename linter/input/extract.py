"""The one input step: what was read -> the writer's new text with positions, and the quoted history.

A plain draft is the writer's text as it is. An HTML page is made text first (its quote
containers are history); an e-mail's body part is chosen and decoded first (`mail`). Then
quoted lines, attributions, signature and footers are cut away (`mail.split_new_text`).
Every character keeps its place in the file (`mapping.Mapped`), so a report on the new text
can be moved back to the file's lines and columns (`Extracted.place`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..report import Report
from .mail import html_to_text, read_body, split_new_text
from .mapping import Mapped, remap
from .reader import Source

NO_NEW_TEXT = "Geen nieuwe tekst gevonden: alleen geciteerde berichten."


@dataclass
class Extracted:
    """The writer's new text and the quoted history of one input, both with places in `raw`."""

    raw: str  # the file as text: what every position points into
    new: Mapped  # the writer's new text
    history: Mapped = field(default_factory=Mapped)  # the quoted message(s): the customer's words
    subject: str = ""
    whole: bool = False  # a plain draft: `new` is `raw` itself, positions need no moving

    @property
    def has_new_text(self) -> bool:
        return self.whole or bool(self.new.text.strip())

    def place(self, report: Report, notes: list[str]) -> Report:
        """The report on the new text as a report on the file: positions in `raw`, and `notes` added."""
        if not self.has_new_text:
            report.text = self.raw
            report.notes = [NO_NEW_TEXT, *notes]
            return report
        if not self.whole:
            remap(report, self.raw, self.new)
        report.notes.extend(notes)
        return report


def extract(source: Source) -> Extracted:
    """The new text and the history of a draft, an HTML page or an e-mail."""
    if source.kind == "email":
        return extract_message(source.data)
    if source.kind == "html":
        return _split(source.text, Mapped.whole(source.text), html=True)
    return Extracted(source.text, Mapped.whole(source.text), whole=True)


def extract_message(data: bytes) -> Extracted:
    """An RFC 5322 message (the bytes as read) -> its new text and history."""
    message = read_body(data)
    if message.body is None:
        return Extracted(message.raw, Mapped(), Mapped(), message.subject)
    return _split(message.raw, message.body, message.html, message.subject)


def _split(raw: str, body: Mapped, html: bool, subject: str = "") -> Extracted:
    quoted = Mapped()
    if html:  # blockquotes and the quote containers of Gmail and Outlook are history
        body, quoted = html_to_text(body)
    new, history = split_new_text(body)
    history.extend(quoted)
    return Extracted(raw, new, history, subject)
