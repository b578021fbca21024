"""The result of linting one reply: findings, elements, positions; and its JSON form."""

from __future__ import annotations

import bisect
from dataclasses import asdict, dataclass, field

from .names import PipelineInfo

JSON_VERSION = 1
SEVERITY_ORDER = {"info": 0, "warning": 1, "error": 2}


@dataclass
class Position:
    """1-based line and column of character offsets in a text."""

    text: str
    _line_starts: list[int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._line_starts = [0] + [i + 1 for i, ch in enumerate(self.text) if ch == "\n"]

    def at(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return line + 1, offset - self._line_starts[line] + 1

    def line_text(self, line: int) -> str:
        start = self._line_starts[line - 1]
        end = self._line_starts[line] - 1 if line < len(self._line_starts) else len(self.text)
        return self.text[start:end].rstrip("\r")


@dataclass
class Finding:
    rule: str
    kind: str
    severity: str
    message: str
    why: str
    suggestions: list[str]
    text: str
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    title: str = ""  # the rule's title, for prose ("ondermijnd door ...")
    apply: str = "replace"  # where a suggestion goes: replace the span, or before/after its sentence
    text_line: int = 0  # in an e-mail: the line within the writer's new text (line/column count the file)

    def to_json(self) -> dict:
        data = asdict(self)
        del data["text_line"]  # tools get file positions; the line the writer sees is for the text report
        return data


@dataclass
class Element:
    name: str
    text: str
    start: int
    end: int
    line: int
    column: int
    praise: str = ""
    handle: int = 0

    def to_json(self) -> dict:
        return {key: getattr(self, key) for key in ("name", "text", "start", "end", "line", "column", "praise", "handle")}


@dataclass
class HandleStatus:
    """One line of the checklist of the four handles."""

    number: int
    title: str
    element: Element | None  # first place where the handle is used
    blocked_by: Finding | None = None  # a pitfall that undoes it (defending undoes "stick to the facts")

    @property
    def present(self) -> bool:
        return self.element is not None and self.blocked_by is None

    def to_json(self) -> dict:
        return {
            "number": self.number,
            "title": self.title,
            "present": self.present,
            "blocked_by": self.blocked_by.rule if self.blocked_by else None,
            "element": self.element.to_json() if self.element else None,
        }


@dataclass
class Report:
    text: str
    channel: str
    pipeline: PipelineInfo
    bad_news: bool
    findings: list[Finding]
    elements: list[Element]
    path: str = "<tekst>"
    notes: list[str] = field(default_factory=list)  # judgements of the whole reply, in Dutch
    handles: list[HandleStatus] = field(default_factory=list)

    def rules_fired(self) -> set[str]:
        return {finding.rule for finding in self.findings}

    def element_names(self) -> set[str]:
        return {element.name for element in self.elements}

    def fails(self, fail_on: str) -> bool:
        return any(SEVERITY_ORDER[f.severity] >= SEVERITY_ORDER[fail_on] for f in self.findings)

    def to_json(self) -> dict:
        return {
            # a file name that is not UTF-8 (surrogate escapes) must not make the JSON invalid
            "path": self.path.encode("utf-8", "surrogateescape").decode("utf-8", "replace"),
            "channel": self.channel,
            "bad_news": self.bad_news,
            "findings": [finding.to_json() for finding in self.findings],
            "elements": [element.to_json() for element in self.elements],
            "handles": [handle.to_json() for handle in self.handles],
            "notes": list(self.notes),
        }


def reports_to_json(reports: list[Report], pipeline: PipelineInfo) -> dict:
    return {
        "version": JSON_VERSION,
        "pipeline": {"name": pipeline.name, "version": pipeline.version},
        "files": [report.to_json() for report in reports],
    }


# --- the JSON schema of a report, derived from the dataclasses above ----------------

_JSON_TYPES = {str: "string", int: "integer", bool: "boolean", float: "number"}


def _schema_of(cls, skip: tuple[str, ...] = (), extra: dict | None = None) -> dict:
    """A JSON schema for a dataclass's `to_json` output: one property per serialised field."""
    import dataclasses
    import typing

    hints = typing.get_type_hints(cls)
    properties: dict = {}
    for item in dataclasses.fields(cls):
        if item.name in skip:
            continue
        kind = hints[item.name]
        origin = typing.get_origin(kind)
        if origin is list:
            properties[item.name] = {"type": "array", "items": {"type": _JSON_TYPES[typing.get_args(kind)[0]]}}
        elif kind in _JSON_TYPES:
            properties[item.name] = {"type": _JSON_TYPES[kind]}
    properties.update(extra or {})
    return {"type": "object", "required": sorted(properties), "properties": properties}


def report_schema() -> dict:
    """The schema every front end's JSON report follows (CLI, service, audit); /openapi.json uses it."""
    element = _schema_of(Element)
    finding = _schema_of(Finding, skip=("text_line",))
    handle = {
        "type": "object", "required": ["number", "title", "present", "blocked_by", "element"],
        "properties": {"number": {"type": "integer"}, "title": {"type": "string"}, "present": {"type": "boolean"},
                       "blocked_by": {"type": "string", "nullable": True}, "element": {**element, "nullable": True}},
    }  # fmt: skip
    file = {
        "type": "object", "required": ["path", "channel", "bad_news", "findings", "elements", "notes", "handles"],
        "properties": {
            "path": {"type": "string"}, "channel": {"type": "string"}, "bad_news": {"type": "boolean"},
            "findings": {"type": "array", "items": finding}, "elements": {"type": "array", "items": element},
            "notes": {"type": "array", "items": {"type": "string"}}, "handles": {"type": "array", "items": handle},
        },
    }  # fmt: skip
    return {
        "type": "object", "required": ["version", "pipeline", "files"],
        "properties": {
            "version": {"type": "integer", "enum": [JSON_VERSION]},
            "pipeline": {"type": "object", "required": ["name", "version"],
                         "properties": {"name": {"type": "string"}, "version": {"type": "string"}}},
            "files": {"type": "array", "items": file},
        },
    }  # fmt: skip
