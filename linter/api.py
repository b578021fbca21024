"""The one entry point every front end uses: `lint(text)` -> `Report`."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Iterable

from .engine.analysis import Analysis, analyse_doc
from .engine.judge import judge
from .engine.compile import compile_rules, word_list_finder
from .engine.match import RuleMatcher
from .engine.pipeline import load_pipeline, make_doc
from .names import LONE_SURROGATE
from .input.mail import Mapped, MailText, customer_signals, html_to_text, is_upset, read_message, split_new_text
from .input.reader import Source
from .report import Position, Report, remap
from .engine.rules import CHANNELS, RuleSet, load_rules



class Linter:
    """A pipeline plus compiled rules; build once, lint many replies.

    `packs` are rule-pack directories, `words` extends word lists and `severity`
    changes levels (usually all three from the configuration file).
    """

    def __init__(
        self,
        model: str | None = None,
        rule_dirs: Iterable[Path] | None = None,
        packs: Iterable[Path] = (),
        words: dict[str, list[str]] | None = None,
        severity: dict[str, str] | None = None,
    ):
        self.nlp, self.pipeline = load_pipeline(model)
        self.ruleset: RuleSet = load_rules(
            list(rule_dirs) if rule_dirs else None, packs=list(packs), words=words, severity=severity
        )
        patterns = compile_rules(self.ruleset, self.nlp)
        self.matcher = RuleMatcher(self.ruleset, self.nlp, patterns, use_dependencies=self.pipeline.has_parser)

    def lint(
        self,
        text: str,
        channel: str = "email",
        select: Iterable[str] | None = None,
        ignore: Iterable[str] | None = None,
        min_words: int = 0,
        path: str = "<tekst>",
        customer_upset: str = "",
    ) -> Report:
        if channel not in CHANNELS:
            raise ValueError(f"unknown channel {channel!r}; use one of {CHANNELS}")
        clean = LONE_SURROGATE.sub("\ufffd", text)  # spaCy cannot hash them; same length, so offsets hold
        doc = make_doc(self.nlp, clean, by_paragraph=self.pipeline.kind == "trained")
        report = self._judge(analyse_doc(doc), channel, select, ignore, min_words, path, customer_upset)
        if clean != text:
            report.text = text
            for item in [*report.findings, *report.elements]:
                item.text = text[item.start : item.end]
        return report

    def lint_many(
        self, texts: Iterable[str], channels: Iterable[str] | None = None, batch_size: int = 64, **options
    ) -> Iterable[Report]:
        """Lint many replies with `nlp.pipe` (faster than one by one); yields reports in order.

        `channels` gives each text its channel (default: all e-mail).
        """
        pairs = zip(texts, channels if channels is not None else iter(lambda: "email", None))
        for doc, channel in self.nlp.pipe(pairs, batch_size=batch_size, as_tuples=True):
            if channel not in CHANNELS:
                raise ValueError(f"unknown channel {channel!r}; use one of {CHANNELS}")
            yield self._judge(
                analyse_doc(doc), channel, options.get("select"), options.get("ignore"),
                options.get("min_words", 0), options.get("path", "<tekst>"), "",
            )  # fmt: skip

    def _judge(self, analysis: Analysis, channel, select, ignore, min_words, path, customer_upset) -> Report:
        chosen, skipped = set(select or ()), set(ignore or ()) | self.ruleset.disabled
        hits = self.matcher.run(analysis)
        report = judge(
            analysis,
            hits,
            self.ruleset,
            self.pipeline,
            channel=channel,
            min_words=min_words,
            selected=lambda rule_id: (not chosen or rule_id in chosen) and rule_id not in skipped,
            customer_upset=customer_upset,
        )
        report.path = path
        return report

    def lint_source(self, source: Source, **options) -> Report:
        """Lint what was read: a draft as it is, or only the writer's new text of an e-mail or HTML page."""
        if source.kind == "email":
            raw, mail = read_message(source.data)
            return self.lint_mail(raw, mail, path=source.path, **options)
        if source.kind == "html":
            page = Mapped()
            page.add_span(source.text, 0)
            visible, quoted = html_to_text(page)
            new, history = split_new_text(visible)
            history.extend(quoted)
            return self.lint_mail(source.text, MailText(new, history), path=source.path, **options)
        return self.lint(source.text, path=source.path, **options)

    def lint_mail(self, raw: str, mail: MailText, **options) -> Report:
        """Lint the new text of a message; positions point into `raw`, the file as it is on disk."""
        signals = customer_signals(mail.history, self.upset_words, self.threat_words)
        reason = ""
        notes = []
        if signals:
            position = Position(raw)
            where = ", ".join(f"regel {position.at(s.start)[0]}, '{s.text}'" for s in signals[:3])
            notes.append(f"De klant lijkt {'boos of bezorgd' if is_upset(signals) else 'geraakt'}: {where}.")
            if is_upset(signals):
                first = signals[0]
                reason = f"De klant lijkt boos of bezorgd (regel {position.at(first.start)[0]}: '{first.text}'); benoem eerst dat gevoel."
        if not mail.has_new_text:
            report = self.lint("", **options)
            report.text = raw
            report.notes = ["Geen nieuwe tekst gevonden: alleen geciteerde berichten."] + notes
            return report
        report = self.lint(mail.new.text, customer_upset=reason, **options)
        remap(report, raw, mail.new.starts, mail.new.ends)
        report.notes.extend(notes)
        return report

    @functools.cached_property
    def upset_words(self):
        """Finds the words of `rules/lists/customer-upset.yaml` in a text (built on first use)."""
        return word_list_finder(self.ruleset, self.nlp, "customer-upset")

    @functools.cached_property
    def threat_words(self):
        """Finds the words of `rules/lists/customer-threat.yaml` (which upset words are threats)."""
        return word_list_finder(self.ruleset, self.nlp, "customer-threat")


@functools.lru_cache(maxsize=8)
def get_linter(
    model: str | None = None,
    packs: tuple[Path, ...] = (),
    words: tuple[tuple[str, tuple[str, ...]], ...] = (),
    severity: tuple[tuple[str, str], ...] = (),
) -> Linter:
    """A shared Linter per configuration (arguments are hashable forms of Linter's)."""
    return Linter(
        model,
        packs=packs,
        words={name: list(entries) for name, entries in words},
        severity=dict(severity),
    )


def linter_for(config) -> Linter:
    """The shared Linter for a merged `Config` (model, rule packs, word lists, severities)."""
    return get_linter(
        config.model,
        packs=tuple(config.rule_dirs),
        words=tuple((name, tuple(entries)) for name, entries in sorted(config.words.items())),
        severity=tuple(sorted(config.severity.items())),
    )


def lint(text: str, channel: str = "email", model: str | None = None, **options) -> Report:
    """Lint one reply with the default rules; the pipeline and rules load once per process."""
    return get_linter(model).lint(text, channel=channel, **options)

