"""The `lint-reply` command: a thin layer over `Linter.lint`.

Exit status: 0 no finding reaches --fail-on; 1 one does; 2 usage, input or rule errors
(one line on stderr, never a traceback).
"""

from __future__ import annotations

import os
import shutil
import sys

import click

from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..config import Config, ConfigError, apply_overrides, check_rule_ids, find_config, load_config
from ..input.reader import InputError, read_source
from ..names import CHANNELS, PipelineError, RuleError, builtin_rules_dir, describe_unloaded, did_you_mean
from . import dutch_click
from .startup import collector_paused
from .warm import CLI_TIME_LIMIT, find_daemon

if TYPE_CHECKING:
    from ..api import Linter
    from ..engine.rules import Rule, RuleSet

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class UsageFailure(Exception):
    """A problem the user can fix; printed as one line, exit 2."""


def _fail(message: str) -> None:
    raise UsageFailure(message)


def _check_ids(ruleset: RuleSet, ids: tuple[str, ...], option: str) -> None:
    known = ruleset.by_id()
    for rule_id in ids:
        if rule_id not in known:
            _fail(f"{option}: onbekende regel '{rule_id}'{did_you_mean(rule_id, known, '; zie --list-rules')}")


def _explain(rule: Rule) -> str:
    lines = [
        f"{rule.id}: {rule.title}",
        f"soort: {rule.kind}, ernst: {rule.severity}" + (f", handvat {rule.handle}" if rule.handle else ""),
        "",
        "Wat het doet",
        f"  {(rule.message or rule.praise).replace('{text}', '…')}",
        "",
        "Waarom",
        f"  {rule.why}",
    ]
    if rule.examples_flag:
        lines += ["", "Voorbeelden die de regel laten afgaan"] + [f"  - {' '.join(t.split())}" for t in rule.examples_flag]
    if rule.examples_pass:
        lines += ["", "Voorbeelden die de regel niet laten afgaan"] + [f"  - {' '.join(t.split())}" for t in rule.examples_pass]
    if rule.suggestions:
        lines += ["", "Gebruik liever"] + [f"  - {s}" for s in rule.suggestions]
    lines += ["", f"Bestand: {rule.path}"]
    return "\n".join(lines)


def _list_rules(ruleset: RuleSet) -> str:
    rows = [f"{'id':36} {'soort':8} {'ernst':8} titel"]
    for rule in sorted(ruleset.rules, key=lambda r: (("pitfall", "missing", "element").index(r.kind), r.id)):
        rows.append(f"{rule.id:36} {rule.kind:8} {rule.severity:8} {rule.title}")
    return "\n".join(rows)


def _check_rules(directory: str, model: str | None) -> int:
    """`--check-rules DIR`: validate a rule pack and run its examples; 0 when all is well, else 1."""
    from ..api import Linter
    from ..checking import check_rules, format_check

    path = Path(directory)
    try:
        if path.resolve() == builtin_rules_dir().resolve():
            linter = Linter(model)
            rules, title = linter.ruleset.rules, f"De ingebouwde regels ({path})"
        else:
            linter = Linter(model, packs=[path])
            name = next(name for name, folder in linter.ruleset.packs.items() if folder == str(path))
            rules, title = linter.ruleset.pack_rules(name), f"Regelpakket '{name}' ({path})"
    except RuleError as error:
        click.echo(f"✗ {error}")
        click.echo("\nResultaat: het pakket is niet geldig; verbeter de regel hierboven.")
        return EXIT_FINDINGS
    results = check_rules(linter, rules)
    click.echo(f"{title}: {len(rules)} regels, {len(results)} voorbeelden (pijplijn {linter.pipeline.describe()}).")
    click.echo(format_check(results, rules))
    return EXIT_OK if all(result.ok for result in results) else EXIT_FINDINGS


@click.command(context_settings={"help_option_names": ["-h", "--help"]}, options_metavar="[OPTIES]")
@click.argument("files", nargs=-1, metavar="[BESTAND]...")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Uitvoer voor mensen (text) of programma's (json).")
@click.option("--channel", type=click.Choice(CHANNELS), default=None,
              help="E-mail (standaard) of chat; in chat is een korte reactie normaal en wordt een ontbrekende afronding niet gemeld.")
@click.option("--model", metavar="NAAM_OF_PAD", default=None,
              help="spaCy-pijplijn (naam of pad); 'embedded' voor de ingebouwde. Ook: LINT_REPLY_MODEL.")
@click.option("--select", multiple=True, metavar="REGEL", help="Alleen deze regel(s) rapporteren (herhaalbaar).")
@click.option("--ignore", multiple=True, metavar="REGEL", help="Deze regel(s) niet rapporteren (herhaalbaar).")
@click.option("--fail-on", type=click.Choice(["info", "warning", "error"]), default=None,
              help="Exitcode 1 vanaf deze ernst (standaard: warning).")
@click.option("--rule-dir", "rule_dirs", multiple=True, metavar="MAP", help="Extra regelpakket (herhaalbaar).")
@click.option("--min-words", type=click.IntRange(min=0), default=None,
              help="Pas vanaf zoveel woorden meldt lint-reply ontbrekende handvatten (standaard 0).")
@click.option("--max-size", type=click.IntRange(min=1), default=None, metavar="BYTES",
              help="Grootste invoer in bytes (standaard 5000000).")
@click.option("--config", "config_path", metavar="BESTAND", default=None,
              help="Configuratiebestand (standaard: lint-reply.toml hier of hoger, of LINT_REPLY_CONFIG).")
@click.option("--show-config", is_flag=True, help="Toon de samengevoegde instellingen en waar ze vandaan komen.")
@click.option("--check-rules", metavar="MAP", default=None,
              help="Controleer een regelpakket en draai de voorbeelden van elke regel; exitcode 0 of 1.")
@click.option("--no-color", is_flag=True, help="Geen kleur, ook niet op een terminal.")
@click.option("--list-rules", is_flag=True, help="Toon alle regels en stop.")
@click.option("--explain", metavar="REGEL", help="Leg een regel uit, met voorbeelden, en stop.")
@click.option("--version", "show_version", is_flag=True, help="Toon de versie en de gebruikte pijplijn.")
@click.option("--no-daemon", is_flag=True,
              help="Niet de draaiende lint-reply-serve gebruiken, altijd zelf controleren. Ook: LINT_REPLY_NO_DAEMON=1.")
def cli(files, output_format, channel, model, select, ignore, fail_on, rule_dirs, min_words, max_size, config_path,
        show_config, check_rules, no_color, list_rules, explain, show_version, no_daemon):
    """Controleer een conceptantwoord aan een klant en geef coachende feedback.

    Zonder BESTAND, of met '-', wordt standaardinvoer gelezen.
    """
    if check_rules:
        return _check_rules(check_rules, model)
    try:
        config = load_config(find_config(config_path))
        apply_overrides(
            config, select=select, ignore=ignore, fail_on=fail_on, channel=channel, model=model,
            rule_dirs=[Path(d).resolve() for d in rule_dirs], min_words=min_words, max_size=max_size,
        )  # fmt: skip
    except ConfigError as error:
        _fail(str(error))
    if show_config:
        click.echo(config.to_toml(), nl=False)
        return EXIT_OK
    if show_version:  # read from the model's metadata; spaCy is loaded only when that cannot tell
        pipeline = describe_unloaded(config.model) or _load_linter(config).pipeline.describe()
        click.echo(f"lint-reply {__version__} (pijplijn: {pipeline})")
        return EXIT_OK
    if list_rules or explain:  # the rule files alone, no pipeline
        ruleset = _load_ruleset(config)
        if list_rules:
            click.echo(_list_rules(ruleset))
        else:
            _check_ids(ruleset, (explain,), "--explain")
            click.echo(_explain(ruleset.by_id()[explain]))
        return EXIT_OK
    # The warm linter is used only when it is exactly the linter loaded below and knows
    # every rule named, so errors come from one place.
    daemon = find_daemon(config, no_daemon)
    if daemon and not {*config.select, *config.ignore, *config.severity} <= daemon.rule_ids:
        daemon.close()
        daemon = None
    linter = None if daemon else _load_linter(config)
    paths = files or ("-",)
    if "-" in paths and sys.stdin.isatty():
        click.echo("Plak de tekst en sluit af met Ctrl-D (Windows: Ctrl-Z en Enter).", err=True)
    # One unreadable file is named on its own line; the others are still reported (exit 2 at the end).
    sources, failed = [], 0
    for path in paths:
        try:
            sources.append(read_source(path, config.max_size))
        except InputError as error:
            click.echo(f"lint-reply: fout: {error}", err=True)
            failed += 1
    if not sources:
        if daemon:
            daemon.close()
        return EXIT_ERROR
    colour = not no_color and "NO_COLOR" not in os.environ and sys.stdout.isatty()
    render = {"format": output_format, "colour": colour, "config": str(config.path) if config.path else None,
              "width": shutil.get_terminal_size().columns if sys.stdout.isatty() else None}
    options = {"channel": config.channel, "select": config.select, "ignore": config.ignore, "min_words": config.min_words}
    answer = daemon.lint(sources, {**options, "fail_on": config.fail_on}, render, CLI_TIME_LIMIT) if daemon else None
    if answer:
        output, fails = answer.output, answer.fails
    else:  # no daemon, or it failed: the same answer in process
        from ..render import render_reports

        linter = linter or _load_linter(config)
        reports = [linter.lint_source(source, **options) for source in sources]
        output = render_reports(reports, linter.pipeline, output_format, colour, render["config"], render["width"])
        fails = [report.fails(config.fail_on) for report in reports]
    click.echo(output, nl=False, color=colour)
    if failed:
        return EXIT_ERROR
    return EXIT_FINDINGS if any(fails) else EXIT_OK


def _load_linter(config: Config) -> Linter:
    """The in-process linter for `config`; a bad model, rule pack or rule id is one line, exit 2."""
    try:
        from ..api import linter_for  # loads spaCy: only now that a lint is needed

        linter = linter_for(config)
        check_rule_ids(config, set(linter.ruleset.by_id()))
    except (PipelineError, RuleError, ConfigError) as error:
        _fail(str(error))
    return linter


def _load_ruleset(config: Config) -> RuleSet:
    """The rule set `config` asks for, without a pipeline; a broken rule or unknown id is one line, exit 2."""
    from ..engine.rules import load_rules

    try:
        ruleset = load_rules(packs=config.rule_dirs, words=config.words, severity=config.severity)
        check_rule_ids(config, set(ruleset.by_id()))
    except (RuleError, ConfigError) as error:
        _fail(str(error))
    return ruleset


def main(argv: list[str] | None = None) -> int:
    """Entry point: runs the command and turns every known failure into one line and exit 2."""
    dutch_click.install()
    try:
        with collector_paused():  # a one-off command: see `startup`
            status = cli.main(args=argv, prog_name="lint-reply", standalone_mode=False)
    except click.exceptions.Exit as done:
        status = done.exit_code
    except click.ClickException as error:
        click.echo(f"lint-reply: fout: {error.format_message()}", err=True)
        status = EXIT_ERROR
    except (UsageFailure, InputError, PipelineError, RuleError) as error:
        click.echo(f"lint-reply: fout: {error}", err=True)
        status = EXIT_ERROR
    except click.exceptions.Abort:
        click.echo("lint-reply: afgebroken", err=True)
        status = 130
    except KeyboardInterrupt:
        click.echo("lint-reply: afgebroken", err=True)
        status = 130
    except BrokenPipeError:
        # Output piped into `head`: stop quietly, also when Python flushes stdout at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        status = EXIT_OK
    if not isinstance(status, int):
        status = EXIT_OK
    return status


def run() -> None:  # pragma: no cover - the console script
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    run()
