"""Rule files are validated on load: every mistake names the file and the line."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from linter.frontends.cli import main
from linter.engine.rules import load_rules
from linter.names import RuleError, builtin_rules_dir

VALID = textwrap.dedent(
    """\
    id: test-rule
    kind: pitfall
    severity: warning
    title: Test
    message: "Gevonden: '{text}'."
    why: Omdat het een test is.
    suggestions:
      - Eerste betere zin.
      - Tweede betere zin.
    patterns:
      - "{u|je} [hebben] gelijk"
    examples:
      flag: [a1, a2, a3, a4, a5, a6, a7, a8]
      pass: [b1, b2, b3, b4, b5, b6, b7, b8]
    """
)


def write_rules(tmp_path: Path, text: str, name: str = "test-rule.yaml") -> Path:
    directory = tmp_path / "rules"
    shutil.copytree(builtin_rules_dir(), directory)
    (directory / name).write_text(text, encoding="utf-8")
    return directory


def error_for(tmp_path: Path, text: str) -> RuleError:
    with pytest.raises(RuleError) as caught:
        load_rules([write_rules(tmp_path, text)])
    return caught.value


def test_valid_extra_rule_loads(tmp_path: Path) -> None:
    ruleset = load_rules([write_rules(tmp_path, VALID)])
    assert "test-rule" in ruleset.by_id()


def test_a_pattern_that_needs_context_hits_only_with_it_in_the_sentence(tmp_path: Path) -> None:
    from linter.api import Linter

    needy = VALID.replace('  - "{u|je} [hebben] gelijk"', '  - pattern: "{u|je} [hebben] gelijk"\n    needs: "{regel|besluit}"')
    linter = Linter(rule_dirs=[write_rules(tmp_path, needy)])
    assert "test-rule" in linter.lint("U heeft gelijk, die regel deugt niet.").rules_fired()
    assert "test-rule" not in linter.lint("U heeft gelijk. Die regel deugt niet.").rules_fired()
    assert "test-rule" not in linter.lint('U heeft gelijk, u schreef "die regel deugt niet".').rules_fired()


@pytest.mark.parametrize(
    "old, new, line, fragment",
    [
        ('  - "{u|je} [hebben] gelijk"', '  - "{u|je [hebben] gelijk"', 11, "niet gesloten"),
        ("severity: warning", "severity: loud", 3, "kies uit"),
        ("kind: pitfall", "kind: trap", 2, "kies uit"),
        ("why: Omdat het een test is.", "wy: Omdat het een test is.", 6, "bedoelt u 'why'"),
        ("  - Tweede betere zin.\n", "", None, "minstens twee"),
        ("  flag: [a1, a2, a3, a4, a5, a6, a7, a8]", "  flag: [a1, a2]", 13, "minstens 8"),
        ('  - "{u|je} [hebben] gelijk"', '  - "@nergens gelijk"', 11, "onbekende woordenlijst"),
        ("title: Test", "title: Test\ntitle: Twee", 5, "twee keer"),
        ("patterns:", "patterns: [", 11, "geen geldige YAML"),
        ('  - "{u|je} [hebben] gelijk"', '  - pattern: "{u|je} [hebben] gelijk"\n    needs: "@nergens"', 11, "onbekende woordenlijst"),
        ('  - "{u|je} [hebben] gelijk"', '  - "{u|je} [hebben] gelijk"\nunless:\n  - pattern: "nee"\n    needs: "ja"', 13, "hoort alleen bij 'patterns'"),
    ],
)
def test_errors_name_file_and_line(tmp_path: Path, old: str, new: str, line, fragment: str) -> None:
    assert old in VALID
    error = error_for(tmp_path, VALID.replace(old, new))
    assert "test-rule.yaml" in str(error)
    assert fragment in str(error)
    if line is not None:
        assert error.line == line, str(error)


def test_raw_spacy_pattern_is_validated(tmp_path: Path) -> None:
    from linter import Linter

    text = VALID.replace('  - "{u|je} [hebben] gelijk"', '  - spacy: [{"NORM": "x", "BOGUS": 1}]')
    with pytest.raises(RuleError, match=r"test-rule.yaml:\d+: spaCy-patroon .*attribuut 'BOGUS' is niet toegestaan"):
        Linter("embedded", rule_dirs=[write_rules(tmp_path, text)])


def test_duplicate_id_is_refused(tmp_path: Path) -> None:
    directory = write_rules(tmp_path, VALID)
    (directory / "copy.yaml").write_text(VALID, encoding="utf-8")
    with pytest.raises(RuleError, match="al gebruikt"):
        load_rules([directory])


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8)
    )
    with pytest.raises(RuleError, match="te veel YAML-knopen"):
        load_rules([write_rules(tmp_path, bomb, "bomb.yaml")])


def test_object_tags_are_not_constructed(tmp_path: Path) -> None:
    text = VALID.replace("title: Test", "title: !!python/object/apply:os.system ['echo hacked']")
    error = error_for(tmp_path, text)
    assert "test-rule.yaml:4" in str(error)


def test_cli_reports_broken_rules_with_exit_2(tmp_path: Path, monkeypatch, capsys) -> None:
    directory = write_rules(tmp_path, VALID.replace("kind: pitfall", "kind: trap"))
    from linter.api import get_linter

    monkeypatch.setattr("linter.engine.rules.builtin_rules_dir", lambda: directory)
    get_linter.cache_clear()
    try:
        status = main(["--model", "embedded", "--list-rules"])
    finally:
        get_linter.cache_clear()
    assert status == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "test-rule.yaml:2" in err[0]


def test_pack_cannot_read_outside_its_folder(tmp_path: Path) -> None:
    secret = tmp_path / "geheim.yaml"
    secret.write_text(VALID, encoding="utf-8")
    pack = tmp_path / "pakket"
    pack.mkdir()
    (pack / "link.yaml").symlink_to(secret)
    with pytest.raises(RuleError, match="buiten de regelmap"):
        load_rules(packs=[pack])
