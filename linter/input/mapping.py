"""Text with the place of every character in the file, and moving a report back to the file.

Extracting the writer's new text (decoding quoted-printable, dropping quoted lines, turning
HTML into text) changes offsets; `Mapped` keeps, per character, where it came from, so that
`remap` can point a report on the extracted text at the lines and columns of the file as it
is on disk.
"""

from __future__ import annotations

from ..report import Position, Report


class Mapped:
    """Text plus, per character, the [start, end) of its source in the raw file text.

    Pieces are collected in a list and joined when `text` is read: appending to a
    string attribute copies it each time, which is quadratic on a 5 MB message."""

    def __init__(self, text: str = "", starts: list[int] | None = None, ends: list[int] | None = None):
        self._pieces: list[str] = [text] if text else []
        self.starts: list[int] = starts if starts is not None else []
        self.ends: list[int] = ends if ends is not None else []

    @classmethod
    def whole(cls, text: str) -> Mapped:
        """`text` standing in the file as it is, from offset 0 (a plain draft, an HTML page).

        The positions are ranges, not lists: read-only, and no memory per character."""
        return cls(text, range(len(text)), range(1, len(text) + 1))  # type: ignore[arg-type]

    @property
    def text(self) -> str:
        if len(self._pieces) > 1:
            self._pieces = ["".join(self._pieces)]
        return self._pieces[0] if self._pieces else ""

    @property
    def last_char(self) -> str:
        """The last character ("" when empty), without joining the pieces."""
        for piece in reversed(self._pieces):
            if piece:
                return piece[-1]
        return ""

    def add(self, text: str, start: int, end: int | None = None) -> None:
        self._pieces.append(text)
        self.starts.extend([start] * len(text))
        self.ends.extend([end if end is not None else start + 1] * len(text))

    def add_span(self, text: str, start: int) -> None:
        """Text that stands in the raw file exactly as it is, from `start` on."""
        self._pieces.append(text)
        self.starts.extend(range(start, start + len(text)))
        self.ends.extend(range(start + 1, start + len(text) + 1))

    def slice(self, start: int, end: int) -> Mapped:
        return Mapped(self.text[start:end], self.starts[start:end], self.ends[start:end])

    def extend(self, other: Mapped) -> None:
        self._pieces.append(other.text)
        self.starts.extend(other.starts)
        self.ends.extend(other.ends)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Mapped) and (self.text, self.starts, self.ends) == (other.text, other.starts, other.ends)

    def __repr__(self) -> str:
        return f"Mapped({self.text!r})"


def remap(report: Report, raw: str, new: Mapped) -> None:
    """Move a report on an extracted text (`new`) to offsets, lines and columns in `raw`, the file's text."""
    position = Position(raw)
    starts, ends = new.starts, new.ends

    def span(start: int, end: int) -> tuple[int, int]:
        if not starts:
            return 0, 0
        start = min(start, len(starts) - 1)
        last = min(max(start, end - 1), len(ends) - 1)
        return starts[start], max(starts[start] + 1, ends[last])

    for finding in report.findings:
        finding.text_line = finding.line  # the line the writer sees in the editor
        finding.start, finding.end = span(finding.start, finding.end)
        finding.line, finding.column = position.at(finding.start)
        finding.end_line, finding.end_column = position.at(finding.end - 1)
        finding.end_column += 1
    for element in report.elements:
        element.start, element.end = span(element.start, element.end)
        element.line, element.column = position.at(element.start)
    report.text = raw
