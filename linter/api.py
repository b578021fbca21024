"""The one entry point every front end uses: a `Linter` built once, `lint_source` per input.

The data goes straight through, each step in its own package:

    extract (linter.input) -> analyse -> match -> judge (linter.engine) -> Report (linter.report)

`lint_source` takes what a front end read (a draft, an HTML page, an e-mail); `lint` takes a
text that is all the writer's own, and `lint_many` many of them at once (the audit).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Iterable

from .engine.analysis import Analysis, analyse_doc
from .engine.compile import load_compiled, word_list_finder
from .engine.judge import judge
from .engine.match import RuleMatcher
from .engine.pipeline import load_pipeline, make_doc
from .engine.rules import RuleSet
from .input.extract import extract
from .input.mood import Finder, Mood, read_mood
from .input.reader import Source
from .names import CHANNELS, LONE_SURROGATE
from .report import Report


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
        self.ruleset: RuleSet
        self.ruleset, patterns = load_compiled(
            self.nlp, list(rule_dirs) if rule_dirs else None, packs=packs, words=words, severity=severity
        )
        self.matcher = RuleMatcher(self.ruleset, self.nlp, patterns, use_dependencies=self.pipeline.has_parser)

    def warm_up(self) -> None:
        """Build now what a lint otherwise builds on first use (the Matchers of all rule buckets,
        the customer's word finders): for a long-running service, so that its first replies are
        as fast as the rest. A one-off command skips this and builds only what its text needs."""
        self.matcher.build_all()
        self.upset_words, self.threat_words  # noqa: B018 - cached properties: reading builds them

    def lint_source(self, source: Source, **options) -> Report:
        """Lint what was read: only the writer's new text; positions point into the file as it is on disk.

        `options` are those of `lint` (channel, select, ignore, min_words)."""
        extracted = extract(source)
        # a plain draft has no history: the word finders are built only for a thread
        mood = read_mood(extracted, self.upset_words, self.threat_words) if extracted.history.text else Mood()
        text = extracted.new.text if extracted.has_new_text else ""
        report = self.lint(text, path=source.path, customer_upset=mood.reason, **options)
        return extracted.place(report, mood.notes)

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
        """Lint a text that is all the writer's own (no quoted history to take out)."""
        _check_channel(channel)
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
            _check_channel(channel)
            yield self._judge(
                analyse_doc(doc), channel, options.get("select"), options.get("ignore"),
                options.get("min_words", 0), options.get("path", "<tekst>"), "",
            )  # fmt: skip

    def _judge(self, analysis: Analysis, channel, select, ignore, min_words, path, customer_upset) -> Report:
        """Match the analysed reply and judge it: the report, before any positions are moved."""
        chosen, skipped = set(select or ()), set(ignore or ()) | self.ruleset.disabled
        report = judge(
            analysis,
            self.matcher.run(analysis),
            self.ruleset,
            self.pipeline,
            channel=channel,
            min_words=min_words,
            selected=lambda rule_id: (not chosen or rule_id in chosen) and rule_id not in skipped,
            customer_upset=customer_upset,
        )
        report.path = path
        return report

    @functools.cached_property
    def upset_words(self) -> Finder:
        """Finds the words of `rules/lists/customer-upset.yaml` in a text (built on first use)."""
        return word_list_finder(self.ruleset, self.nlp, "customer-upset")

    @functools.cached_property
    def threat_words(self) -> Finder:
        """Finds the words of `rules/lists/customer-threat.yaml` (which upset words are threats)."""
        return word_list_finder(self.ruleset, self.nlp, "customer-threat")


def _check_channel(channel: str) -> None:
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}; use one of {CHANNELS}")


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

