"""Render reports: compiler-style annotated text for people, JSON for programs."""

from __future__ import annotations

import json

import click

from .names import PipelineInfo
from .report import Finding, Report, reports_to_json

SEVERITY_LABEL = {"error": "fout", "warning": "waarschuwing", "info": "info"}
SEVERITY_PLURAL = {"error": "fouten", "warning": "waarschuwingen", "info": "info"}


def counted(number: int, singular: str, plural: str) -> str:
    """"1 bevinding", "2 bevindingen": Dutch singular and plural."""
    return f"{number} {singular if number == 1 else plural}"
SEVERITY_COLOUR = {"error": "red", "warning": "yellow", "info": "cyan"}


class _Style:
    def __init__(self, colour: bool):
        self.colour = colour

    def __call__(self, text: str, **style) -> str:
        return click.style(text, **style) if self.colour else text


def render_reports(reports: list[Report], pipeline: PipelineInfo, output_format: str = "text", colour: bool = False,
                   config: str | None = None, width: int | None = None) -> str:
    """What `lint-reply` prints for these reports; the warm linter renders with the same call."""
    if output_format == "json":
        return render_json(reports, pipeline) + "\n"
    return render_text(reports, pipeline, colour=colour, config=config, width=width)


def render_json(reports: list[Report], pipeline: PipelineInfo) -> str:
    return json.dumps(reports_to_json(reports, pipeline), ensure_ascii=False, indent=2)


def render_text(reports: list[Report], pipeline: PipelineInfo, colour: bool = False, config: str | None = None,
                width: int | None = None) -> str:
    """The report for people; `width` (a terminal's) wraps the explanations at word boundaries."""
    style = _Style(colour)
    blocks = [_report(report, style, width) for report in reports]
    total = sum(len(report.findings) for report in reports)
    used = f" Configuratie: {config}." if config else ""
    tail = style(f"Gecontroleerd met {pipeline.describe()}.{used}", dim=True)
    if len(reports) > 1:
        tail = f"{len(reports)} bestanden, {counted(total, 'bevinding', 'bevindingen')}. " + tail
    return "\n\n".join(blocks + [tail]) + "\n"


def _report(report: Report, style: _Style, width: int | None = None) -> str:
    from .report import Position

    position = Position(report.text)
    lines: list[str] = []
    # One "waarom" and "beter" per rule per line: later matches of the same rule are listed with it.
    groups: dict[tuple[str, int], list[Finding]] = {}
    for finding in report.findings:
        groups.setdefault((finding.rule, finding.line), []).append(finding)
    for group in groups.values():
        lines.extend(_finding(report.path, group[0], position, style, width))
        if len(group) > 1:
            also = ", ".join(f"‘{_short(f.text, 40)}’ (kolom {f.column})" for f in group[1:])
            lines.append(f"{' ' * 6}= {style('ook:', bold=True)} {also}")
        lines.append("")
    lines.extend(f"{style('Let op:', bold=True)} {note}" for note in report.notes)
    lines.extend(_checklist(report, style))
    lines.append(_summary(report, style))
    return "\n".join(lines)


def _wrapped(label: str, text: str, pad: str, width: int | None) -> list[str]:
    """ "= waarom: ..." as one line, or wrapped to `width` with the continuation under the text."""
    first = f"{pad}= {label} "
    if not width or len(first) + len(text) <= width:
        return [first + text]
    import textwrap

    indent = " " * (len(pad) + 2 + len(label) + 1)
    return textwrap.wrap(text, width=max(40, width), initial_indent=first, subsequent_indent=indent, break_long_words=False)


def _finding(path: str, finding: Finding, position, style: _Style, wrap: int | None = None) -> list[str]:
    colour = SEVERITY_COLOUR[finding.severity]
    where = f"{path}:{finding.line}:{finding.column}:"
    if finding.text_line:  # an e-mail: the line the writer sees in the editor, the file position for tools
        where = f"regel {finding.text_line} van uw tekst ({path}:{finding.line}:{finding.column}):"
    head = (
        f"{style(where, bold=True)} "
        f"{style(SEVERITY_LABEL[finding.severity], fg=colour, bold=True)} "
        f"{style(f'[{finding.rule}]', fg=colour)} {finding.message}"
    )
    source = position.line_text(finding.line).replace("\t", " ")
    end = finding.end_column - 1 if finding.end_line == finding.line else len(source)
    excerpt, start, width = _excerpt(source, finding.column - 1, end)
    gutter = f"{finding.line:>5} | "
    pad = " " * (len(gutter) - 2)
    underline = pad + "| " + " " * start + "^" * max(1, width)
    lines = [head, style(gutter, dim=True) + excerpt, style(underline, fg=colour)]
    lines.extend(_wrapped(style("waarom:", bold=True), finding.why, pad, wrap))
    if finding.suggestions:
        lines.extend(_wrapped(style("beter:", bold=True), finding.suggestions[0], pad, wrap))
    return lines


MAX_SOURCE_WIDTH = 100
CONTEXT = 24


def _excerpt(source: str, start: int, end: int) -> tuple[str, int, int]:
    """A window of a long source line around [start, end): (text, underline start, underline width)."""
    end = max(end, start + 1)
    if len(source) <= MAX_SOURCE_WIDTH:
        return source, start, end - start
    left = max(0, start - CONTEXT)
    if left > 0 and " " in source[left:start]:
        left = source.index(" ", left, start) + 1  # start the excerpt at a word
    right = min(len(source), max(end, start + 1) + CONTEXT, left + MAX_SOURCE_WIDTH)
    if right < len(source) and " " in source[end:right]:
        right = source.rindex(" ", end, right)
    prefix = "…" if left > 0 else ""
    suffix = "…" if right < len(source) else ""
    width = min(end, right) - start
    return prefix + source[left:right] + suffix, len(prefix) + start - left, width


def _checklist(report: Report, style: _Style) -> list[str]:
    if not report.bad_news:
        lines = [style("Geen slecht nieuws gevonden: de vier handvatten zijn hier niet nodig.", bold=True)]
        used = [h for h in report.handles if h.present]
        for handle in used:
            lines.append(f"  {style('✓', fg='green')} {handle.title} (regel {handle.element.line})")
        return lines
    lines = [style("Handvatten bij slecht nieuws:", bold=True)]
    for handle in report.handles:
        if handle.present:
            mark, detail = style("✓", fg="green"), f"regel {handle.element.line}: “{_short(handle.element.text)}”"
        elif handle.blocked_by is not None:
            blocker = handle.blocked_by
            title = f"‘{blocker.title}’ [{blocker.rule}]" if blocker.title else f"[{blocker.rule}]"
            mark, detail = style("✗", fg="red"), f"ondermijnd door {title} op regel {blocker.line}"
        else:
            mark, detail = style("✗", fg="red"), "ontbreekt"
        lines.append(f"  {mark} {handle.number}. {handle.title} — {detail}")
    praise = [e for e in report.elements if e.praise and e.handle and any(h.present and h.element is e for h in report.handles)]
    if praise:
        lines.append(style("Goed gedaan:", bold=True))
        lines.extend(f"  + {element.praise}" for element in praise)
    return lines


def _summary(report: Report, style: _Style) -> str:
    counts = {severity: 0 for severity in SEVERITY_LABEL}
    for finding in report.findings:
        counts[finding.severity] += 1
    if not report.findings:
        return style(f"{report.path}: geen bevindingen.", fg="green", bold=True)
    parts = [counted(count, SEVERITY_LABEL[severity], SEVERITY_PLURAL[severity]) for severity, count in counts.items() if count]
    present = sum(1 for h in report.handles if h.present)
    handles = f", {present} van {len(report.handles)} handvatten gebruikt" if report.bad_news else ""
    total = counted(len(report.findings), "bevinding", "bevindingen")
    return style(f"{report.path}: {total} ({', '.join(parts)}){handles}.", bold=True)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
