"""Judge the whole reply: turn rule hits into findings and elements.

- Elements (bad news, the handles that are present) become positive feedback.
- Pitfall hits become findings.
- `missing` rules fire when the reply carries the element they require (bad
  news) and lacks the one they ask for; they point at the first bad-news sentence.
- `reply_checks` are judgements no phrase pattern can make (a bare refusal).
"""

from __future__ import annotations

from typing import Callable

from spacy.tokens import Span

from ..names import PipelineInfo
from ..report import Element, Finding, HandleStatus, Position, Report
from . import register
from .analysis import Analysis
from .match import Hit
from .rules import REPLY_CHECK_NAMES, Rule, RuleSet


def judge(
    analysis: Analysis,
    hits: dict[str, list[Hit]],
    ruleset: RuleSet,
    pipeline: PipelineInfo,
    channel: str = "email",
    min_words: int = 0,
    selected: Callable[[str], bool] = lambda rule_id: True,
    customer_upset: str = "",
) -> Report:
    position = Position(analysis.text)
    rules = ruleset.by_id()
    doc = analysis.doc
    hits = _with_implied(hits, rules)

    elements = [
        _element(rules[rule_id], analysis, hit, position)
        for rule_id, rule_hits in hits.items()
        if rules[rule_id].kind == "element" and rule_id not in ruleset.disabled
        for hit in rule_hits
    ]
    elements.sort(key=lambda e: (e.start, e.name))
    present = {element.name for element in elements}

    findings: list[Finding] = []
    for rule in ruleset.rules:
        if not selected(rule.id) or channel not in rule.channels:
            continue
        if rule.kind == "pitfall":
            for hit in hits.get(rule.id, []):
                finding = _finding(rule, analysis, doc[hit.start : hit.end], position)
                if hit.cues:
                    # no phrase pattern matched: say which words made the learned cues speak
                    finding.message += f" Herkend aan woorden als {', '.join(repr(w) for w in hit.cues)}."
                findings.append(finding)
            # a whole-reply check speaks only when no phrase of the rule did: one finding is enough
            for check in rule.reply_checks:
                if any(f.rule == rule.id for f in findings):
                    break
                span = REPLY_CHECKS[check](analysis, hits, channel, ruleset, rule)
                if span is not None:
                    findings.append(_finding(rule, analysis, span, position))
        elif rule.kind == "missing" and analysis.body_word_count >= min_words:
            required = hits.get(rule.requires, [])
            # An upset customer deserves acknowledgement even when the reply brings no bad news.
            because_upset = not required and customer_upset and rule.when_customer_upset
            if not required and not because_upset:
                continue
            wanted = hits.get(rule.element, [])
            if rule.position == "after" and required:
                wanted = [hit for hit in wanted if hit.start >= required[0].start]
            if wanted:
                continue
            sentences = [analysis.sentence_span(analysis.sentence_of[required[0].start])] if required else analysis.body_sentences[:1]
            if sentences:
                finding = _finding(rule, analysis, _trim(sentences[0], analysis), position)
                if customer_upset and rule.when_customer_upset:
                    finding.message += f" {customer_upset}"
                findings.append(finding)
    findings.sort(key=lambda f: (f.start, f.rule))
    return Report(
        text=analysis.text,
        channel=channel,
        pipeline=pipeline,
        bad_news=ruleset.trigger in present,
        findings=findings,
        elements=elements,
        handles=_checklist(ruleset, elements, findings),
    )


def _checklist(ruleset: RuleSet, elements: list[Element], findings: list[Finding]) -> list[HandleStatus]:
    """Per handle: where it is used, or the pitfall of the same handle that undoes it.

    A handle is named after its built-in element; elements of rule packs that count
    for the same handle (an organisation's own alternative) make it present too.
    """
    rules = ruleset.by_id()
    statuses = []
    handle_rules = sorted((r for r in ruleset.rules if r.kind == "element" and r.handle), key=lambda r: ("/" in r.id, r.id))
    for number in sorted({rule.handle for rule in handle_rules}):
        names = [rule.id for rule in handle_rules if rule.handle == number]
        used = next((e for e in elements if e.name in names), None)
        undoing = next((f for f in findings if f.kind == "pitfall" and rules[f.rule].handle == number), None)
        statuses.append(HandleStatus(number, rules[names[0]].title, used, undoing))
    return statuses


def _with_implied(hits: dict[str, list[Hit]], rules: dict[str, Rule]) -> dict[str, list[Hit]]:
    """A clear refusal is also bad news: add implied elements where they were not found."""
    result = {rule_id: list(rule_hits) for rule_id, rule_hits in hits.items()}
    for rule_id, rule_hits in hits.items():
        for implied in rules[rule_id].implies:
            existing = result.setdefault(implied, [])
            taken = {i for h in existing for i in range(h.start, h.end)}
            for hit in rule_hits:
                if not any(i in taken for i in range(hit.start, hit.end)):
                    existing.append(Hit(implied, hit.start, hit.end))
                    taken.update(range(hit.start, hit.end))
            existing.sort(key=lambda h: h.start)
    return result


def _trim(span: Span, analysis: Analysis) -> Span:
    """The sentence without surrounding white space and frame tokens."""
    tokens = [t for t in span if not t.is_space and not analysis.frame[t.i]]
    if not tokens:
        return span
    return span.doc[tokens[0].i : tokens[-1].i + 1]


def _finding(rule: Rule, analysis: Analysis, span: Span, position: Position) -> Finding:
    """A finding for `span`, its suggestions in the draft's own register (u or je)."""
    start, end = span.start_char, span.end_char
    line, column = position.at(start)
    end_line, end_column = position.at(max(start, end - 1))
    text = analysis.text[start:end]
    return Finding(
        rule=rule.id,
        kind=rule.kind,
        severity=rule.severity,
        message=rule.message.replace("{text}", _quote(text)),
        why=rule.why,
        suggestions=[register.adapt(suggestion, analysis.register) for suggestion in rule.suggestions],
        text=text,
        start=start,
        end=end,
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column + 1,
        title=rule.title,
        apply="replace" if rule.kind == "pitfall" else rule.apply,
    )


def _quote(text: str, limit: int = 70) -> str:
    """The matched words for a message: one line, long spans shortened."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _element(rule: Rule, analysis: Analysis, hit: Hit, position: Position) -> Element:
    span = analysis.doc[hit.start : hit.end]
    line, column = position.at(span.start_char)
    return Element(
        name=rule.id,
        text=analysis.text[span.start_char : span.end_char],
        start=span.start_char,
        end=span.end_char,
        line=line,
        column=column,
        praise=rule.praise,
        handle=rule.handle,
    )


# --- whole-reply checks a rule can name in `reply_checks` ------------------


def bare_refusal(analysis: Analysis, hits: dict[str, list[Hit]], channel: str, ruleset: RuleSet, rule: Rule) -> Span | None:
    """A complete e-mail (greeting or sign-off present) whose body is the bad news and nothing else:
    one sentence, or the decision and its ground in two.

    In chat a one-line answer is normal, so this check is for e-mail only. The handles that
    make a reply more than a bare "no" are the handle elements that are not themselves the
    decision (an element that implies bad news, such as a clear refusal, is the decision).
    """
    bad_news = ruleset.trigger
    if channel != "email" or not (analysis.has_greeting or analysis.has_sign_off):
        return None
    body = analysis.body_sentences
    if not 1 <= len(body) <= 2 or not hits.get(bad_news):
        return None
    elements = ruleset.handle_elements()
    decision = {bad_news} | {rule.id for rule in elements if bad_news in rule.implies}
    if any(hits.get(rule.id) for rule in elements if rule.id not in decision):
        return None
    # Two sentences are bare only when the second just grounds the decision: a pitfall there
    # (defending, distancing) makes the reply no less bare, but no element may speak in it, nor
    # a pitfall the checking rule is `not_with` (giving in is no refusal).
    grounds = set(ruleset.pitfalls()) - set(rule.not_with)
    if len(body) == 2 and set(hits) - decision - grounds:
        return None
    return _trim(body[0], analysis)


REPLY_CHECKS: dict[str, Callable[[Analysis, dict[str, list[Hit]], str, RuleSet, Rule], Span | None]] = {
    "bare-refusal": bare_refusal,
}
assert set(REPLY_CHECKS) == set(REPLY_CHECK_NAMES), "every named reply check needs an implementation"
