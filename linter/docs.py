"""Generate the rule reference `docs/rules.md` from the rule files (in the spirit of ruff's rule pages).

    python -m linter.docs            # write docs/rules.md
    python -m linter.docs --check    # exit 1 when docs/rules.md is out of date
    python -m linter.docs --pack DIR --output FILE   # the same page for a rule pack
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .engine.cues import Cues
from .engine.rules import Rule, RuleSet, load_rules
from .names import builtin_rules_dir

KIND_TITLE = {"pitfall": "Valkuilen", "missing": "Ontbrekende handvatten", "element": "Elementen (positieve feedback)"}
DEFAULT_OUTPUT = Path("docs") / "rules.md"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def rule_section(rule: Rule, cues: Cues | None = None) -> str:
    lines = [f"### `{rule.id}` — {rule.title}", ""]
    facts = f"Soort: {rule.kind} · ernst: {rule.severity}"
    if rule.handle:
        facts += f" · handvat {rule.handle}"
    if rule.channels != ["email", "chat"]:
        facts += f" · alleen in: {', '.join(rule.channels)}"
    lines += [facts, "", "**Wat het doet.** " + _one_line(rule.message or rule.praise).replace("{text}", "…"), ""]
    lines += ["**Waarom.** " + _one_line(rule.why), ""]
    if rule.frames:
        plain = len(rule.patterns) - sum(len(frame.patterns) for frame in rule.frames)
        lines += ["**Frames** (elk frame is één mechanisme; vul een regel aan in het frame dat past):", ""]
        lines += [f"- `{frame.name}` ({len(frame.patterns)} patronen): {_one_line(frame.captures)}" for frame in rule.frames]
        if plain:
            lines += [f"- zonder frame: {plain} patronen"]
        lines += [""]
    if cues is not None and rule.id in cues.models:
        figures = cues.about.get("cross_validation", {}).get(rule.id, {})
        lines += [
            f"**Geleerde signalen.** Gaat ook af op woorden die in echte antwoorden bij deze regel horen "
            f"(`rules/learned/cues.json`, drempel {cues.models[rule.id].threshold}; in kruisvalidatie alleen "
            f"precisie {figures.get('cv_precision', '?')}, recall {figures.get('cv_recall', '?')}), "
            "alleen waar geen patroon van de regel paste.",
            "",
        ]
    lines += ["**Voorbeelden die de regel laten afgaan:**", ""]
    lines += [f"- {_one_line(text)}" for text in rule.examples_flag] + [""]
    lines += ["**Voorbeelden die de regel niet laten afgaan:**", ""]
    lines += [f"- {_one_line(text)}" for text in rule.examples_pass] + [""]
    if rule.suggestions:
        lines += ["**Gebruik liever:**", ""] + [f"- {_one_line(s)}" for s in rule.suggestions] + [""]
    lines += [f"Bron: `{_relative(rule.path)}`", ""]
    return "\n".join(lines)


def _relative(path: str) -> str:
    """Paths in the page are relative to the rules folder's parent, so the page is the same everywhere."""
    base = builtin_rules_dir().parent
    try:
        return str(Path(path).resolve().relative_to(base.resolve()))
    except ValueError:
        return Path(path).name


def render(ruleset: RuleSet, rules: list[Rule] | None = None, title: str = "Regels van lint-reply") -> str:
    rules = rules if rules is not None else ruleset.rules
    lines = [
        f"# {title}",
        "",
        "<!-- Gegenereerd met `python -m linter.docs` uit de regelbestanden; niet met de hand bewerken. -->",
        "",
    ]
    for kind in ("pitfall", "missing", "element"):
        of_kind = sorted((r for r in rules if r.kind == kind), key=lambda r: r.id)
        if not of_kind:
            continue
        lines += [f"## {KIND_TITLE[kind]}", ""]
        lines += [rule_section(rule, ruleset.cues) for rule in of_kind]
    return "\n".join(lines).rstrip() + "\n"


@click.command()
@click.option("--output", type=click.Path(path_type=Path), default=None, help="Waar de pagina komt (standaard docs/rules.md).")
@click.option("--pack", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="Maak de pagina voor dit regelpakket in plaats van voor de ingebouwde regels.")
@click.option("--check", is_flag=True, help="Schrijf niets; exitcode 1 als de pagina verouderd is.")
def main(output: Path | None, pack: Path | None, check: bool) -> None:
    """Maak de regelpagina uit de regelbestanden."""
    if pack is not None:
        ruleset = load_rules(packs=[pack])
        name = next(iter(ruleset.packs))
        text = render(ruleset, ruleset.pack_rules(name), f"Regels van pakket '{name}'")
    else:
        text = render(load_rules())
    target = output or DEFAULT_OUTPUT
    if check:
        current = target.read_text(encoding="utf-8") if target.is_file() else ""
        if current != text:
            click.echo(f"{target} is verouderd; maak hem opnieuw met: python -m linter.docs", err=True)
            sys.exit(1)
        click.echo(f"{target} is actueel.")
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    click.echo(f"{target} geschreven ({len(text.splitlines())} regels).")


if __name__ == "__main__":  # pragma: no cover
    main()
