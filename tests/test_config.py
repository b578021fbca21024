"""Configuration files, rule packs, `--check-rules` and the generated rule page."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from linter.api import get_linter
from linter.frontends.cli import main
from linter.config import ConfigError, find_config, load_config

ROOT = Path(__file__).resolve().parent.parent
ORG = ROOT / "examples" / "organisatie"
PACK = ORG / "woonstad-regels"
BASE = ["--model", "embedded"]


def run(capsys, *args: str) -> tuple[int, str, str]:
    status = main([*BASE, *args])
    out, err = capsys.readouterr()
    return status, out, err


def report_of(capsys, *args: str) -> dict:
    status, out, _ = run(capsys, "--format", "json", *args)
    assert status in (0, 1)
    return json.loads(out)["files"][0]


# --- finding and reading the file ------------------------------------------


def test_search_order(tmp_path: Path, monkeypatch) -> None:
    explicit = tmp_path / "explicit.toml"
    explicit.write_text('channel = "chat"\n')
    from_env = tmp_path / "env.toml"
    from_env.write_text('channel = "chat"\n')
    nested = tmp_path / "project" / "drafts"
    nested.mkdir(parents=True)
    (tmp_path / "project" / "lint-reply.toml").write_text("min-words = 3\n")
    xdg = tmp_path / "xdg"
    (xdg / "lint-reply").mkdir(parents=True)
    (xdg / "lint-reply" / "config.toml").write_text("min-words = 5\n")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(xdg))

    assert find_config(str(explicit), cwd=nested) == explicit
    monkeypatch.setenv("LINT_REPLY_CONFIG", str(from_env))
    assert find_config(None, cwd=nested) == from_env
    monkeypatch.delenv("LINT_REPLY_CONFIG")
    assert find_config(None, cwd=nested) == tmp_path / "project" / "lint-reply.toml"
    assert find_config(None, cwd=tmp_path) == xdg / "lint-reply" / "config.toml"


@pytest.mark.parametrize(
    "content, fragment",
    [
        ('fail_on = "error"\n', "onbekende sleutel 'fail_on'; bedoelt u 'fail-on'?"),
        ('channel = "fax"\n', "'channel' moet een van: email, chat zijn"),
        ("select = 'capitulation'\n", "'select' moet een lijst van regel-id's zijn"),
        ("min-words = -1\n", "'min-words' moet een geheel getal vanaf 0 zijn"),
        ('[severity]\ncapitulation = "loud"\n', "kies uit: info, warning, error"),
        ("[words]\nservice = 'x'\n", "[words] service moet een lijst"),
        ("select = [\n", "geen geldige TOML"),
    ],
)
def test_invalid_configuration_names_file_and_key(tmp_path: Path, content: str, fragment: str) -> None:
    path = tmp_path / "lint-reply.toml"
    path.write_text(content)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(path) in str(caught.value) and fragment in str(caught.value)


def test_unknown_rule_id_in_configuration_exits_2(tmp_path: Path, capsys) -> None:
    path = tmp_path / "lint-reply.toml"
    path.write_text('ignore = ["missing-closng"]\n')
    status, _, err = run(capsys, "--config", str(path), str(ORG / "concept.txt"))
    assert status == 2 and str(path) in err and "bedoelt u 'missing-closing'?" in err
    assert len(err.strip().splitlines()) == 1


def test_command_line_wins_over_the_file(tmp_path: Path, capsys) -> None:
    path = tmp_path / "lint-reply.toml"
    path.write_text('channel = "chat"\nfail-on = "error"\n')
    draft = ORG / "concept.txt"
    assert report_of(capsys, "--config", str(path), str(draft))["channel"] == "chat"
    assert report_of(capsys, "--config", str(path), "--channel", "email", str(draft))["channel"] == "email"
    status, _, _ = run(capsys, "--config", str(path), "--fail-on", "warning", str(draft))
    assert status == 1


def test_show_config_lists_sources(tmp_path: Path, capsys) -> None:
    path = tmp_path / "lint-reply.toml"
    path.write_text('channel = "chat"\n[severity]\nmissing-closing = "warning"\n')
    status, out, _ = run(capsys, "--config", str(path), "--show-config", "--fail-on", "error")
    assert status == 0
    assert f'channel = "chat"  # {path}' in out
    assert 'fail-on = "error"  # opdrachtregel' in out
    assert 'missing-closing = "warning"' in out


def test_min_words_keeps_short_texts_free_of_missing_handles(capsys, tmp_path: Path) -> None:
    draft = tmp_path / "kort.txt"
    draft.write_text("Helaas kan dat niet.")
    assert report_of(capsys, str(draft))["findings"]
    assert not report_of(capsys, "--min-words", "10", str(draft))["findings"]


# --- the worked example: an organisation's config and rule pack --------------


def test_organisation_example_changes_the_report_as_documented(capsys) -> None:
    draft = str(ORG / "concept.txt")
    plain = report_of(capsys, draft)
    assert {(f["rule"], f["severity"]) for f in plain["findings"]} == {
        ("missing-alternative", "warning"),
        ("missing-closing", "info"),
    }
    configured = report_of(capsys, "--config", str(ORG / "lint-reply.toml"), draft)
    # the wooncoach counts as an alternative, the closing is now a warning, jargon is flagged
    assert {(f["rule"], f["severity"]) for f in configured["findings"]} == {
        ("missing-closing", "warning"),
        ("woonstad/vaktaal", "info"),
    }
    assert {"woonstad/wooncoach", "alternative"} <= {e["name"] for e in configured["elements"]}


def test_pack_changes_severity_and_words() -> None:
    linter = get_linter("embedded", packs=(PACK,))
    assert linter.ruleset.by_id()["distancing"].severity == "error"
    report = linter.lint("Helaas: uw woning valt onder de sloop.")
    assert report.bad_news
    assert get_linter("embedded").ruleset.by_id()["distancing"].severity == "warning"


def test_pack_can_switch_a_rule_off(tmp_path: Path) -> None:
    pack = tmp_path / "stil"
    shutil.copytree(PACK, pack)
    (pack / "pack.yaml").write_text("name: stil\ndisable: [missing-closing]\n")
    report = get_linter("embedded", packs=(pack,)).lint("Helaas kan dat niet.")
    assert "missing-closing" not in report.rules_fired() and "missing-alternative" in report.rules_fired()


def test_explain_works_for_pack_rules(capsys) -> None:
    status, out, _ = run(capsys, "--rule-dir", str(PACK), "--explain", "woonstad/vaktaal")
    assert status == 0 and "Interne vaktaal" in out and "Gebruik liever" in out


# --- --check-rules: the trainer's workflow ---------------------------------


def test_check_rules_passes_on_the_example_pack(capsys) -> None:
    status, out, _ = run(capsys, "--check-rules", str(PACK))
    assert status == 0 and "alles klopt" in out


def test_check_rules_explains_a_broken_example(tmp_path: Path, capsys) -> None:
    pack = tmp_path / "woonstad-regels"
    shutil.copytree(PACK, pack)
    rule = pack / "wooncoach.yaml"
    rule.write_text(rule.read_text().replace("Ik kan u aanmelden bij onze wooncoach.", "Ik bel u morgen terug."))
    status, out, _ = run(capsys, "--check-rules", str(pack))
    assert status == 1
    assert "✗ woonstad/wooncoach: voorbeeld 1 (moet afgaan) klopt niet" in out
    assert "“Ik bel u morgen terug.”" in out and "verwacht: de regel gaat af" in out
    assert "geen enkel patroon" in out


def test_check_rules_catches_a_malformed_rule_with_file_and_line(tmp_path: Path, capsys) -> None:
    pack = tmp_path / "woonstad-regels"
    shutil.copytree(PACK, pack)
    rule = pack / "vaktaal.yaml"
    rule.write_text(rule.read_text().replace('  - "passend toewijzen"', '  - "(passend toewijzen"'))
    status, out, _ = run(capsys, "--check-rules", str(pack))
    line = next(n for n, text in enumerate(rule.read_text().splitlines(), 1) if "(passend toewijzen" in text)
    assert status == 1 and f"vaktaal.yaml:{line}:" in out and "niet gesloten" in out


# --- the generated rule page -----------------------------------------------


def test_rule_page_is_up_to_date() -> None:
    from linter.docs import render
    from linter.engine.rules import load_rules

    page = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert page == render(load_rules()), "docs/rules.md is verouderd: python -m linter.docs"


def test_rule_page_covers_every_rule() -> None:
    page = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    for heading in ("Wat het doet", "Waarom", "laten afgaan", "niet laten afgaan", "Gebruik liever"):
        assert heading in page
    from linter.engine.rules import load_rules

    for rule in load_rules().rules:
        assert f"### `{rule.id}`" in page


def test_an_unknown_rule_under_severity_stops_every_front_end(tmp_path: Path) -> None:
    """Not only the CLI: the hook, service and audit build their linter through load_rules too."""
    import pytest

    from linter.engine.rules import load_rules
    from linter.names import RuleError

    with pytest.raises(RuleError, match="onbekende regel 'capitulatoin'; bedoelt u 'capitulation'"):
        load_rules(severity={"capitulatoin": "error"})
