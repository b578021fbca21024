"""The one entry point every front end uses: `lint(text)` -> `Report`."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Iterable

from .analysis import analyse
from .judge import judge
from .matching import CompiledRules
from .pipeline import PipelineInfo, load_pipeline
from .report import Report
from .rules import RuleSet, load_rules

CHANNELS = ("email", "chat")


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
        self.compiled = CompiledRules(self.ruleset, self.nlp, use_dependencies=self.pipeline.has_parser)

    def lint(
        self,
        text: str,
        channel: str = "email",
        select: Iterable[str] | None = None,
        ignore: Iterable[str] | None = None,
        min_words: int = 0,
        path: str = "<tekst>",
    ) -> Report:
        if channel not in CHANNELS:
            raise ValueError(f"unknown channel {channel!r}; use one of {CHANNELS}")
        chosen, skipped = set(select or ()), set(ignore or ()) | self.ruleset.disabled
        analysis = analyse(self.nlp, text)
        hits = self.compiled.run(analysis)
        report = judge(
            analysis,
            hits,
            self.ruleset,
            self.pipeline,
            channel=channel,
            min_words=min_words,
            selected=lambda rule_id: (not chosen or rule_id in chosen) and rule_id not in skipped,
        )
        report.path = path
        return report


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


def lint(text: str, channel: str = "email", model: str | None = None, **options) -> Report:
    """Lint one reply with the default rules; the pipeline and rules load once per process."""
    return get_linter(model).lint(text, channel=channel, **options)


def pipeline_info(model: str | None = None) -> PipelineInfo:
    return load_pipeline(model)[1]
