"""Holes an attack run found, each reproduced and closed (issue: nothing lost, nothing hangs)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from linter import Linter
from linter.matching import _patterns_digest
from linter.pipeline import load_pipeline
from linter.rules import load_rules

ROOT = Path(__file__).resolve().parent.parent
BAD = (ROOT / "examples" / "huurverhoging-slecht.txt").read_text(encoding="utf-8")


def _cache_file(cache_home: Path) -> Path:
    nlp, _ = load_pipeline("embedded")
    return cache_home / "lint-reply" / f"patterns-{_patterns_digest(load_rules(), nlp)}.json"


@pytest.mark.parametrize("content", ["[]", '{"a": 1}', "[[1, 2]]", '[["x", "capitulation", "pattern", [], "overlap", 0, []]]', "[" * 100_000])
def test_a_wrong_pattern_cache_never_switches_checks_off(tmp_path: Path, monkeypatch, content: str) -> None:
    expected = {f.rule for f in Linter("embedded").lint(BAD).findings}
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    target = _cache_file(tmp_path)
    target.parent.mkdir(parents=True)
    target.write_text(content)
    assert {f.rule for f in Linter("embedded").lint(BAD).findings} == expected


@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_a_cache_entry_that_is_not_a_file_does_not_hang(tmp_path: Path, kind: str) -> None:
    target = _cache_file(tmp_path)
    target.parent.mkdir(parents=True)
    if kind == "fifo":
        os.mkfifo(target)
    else:
        target.symlink_to("/dev/zero")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "linter", "--model", "embedded", "-"], input=BAD, text=True,
                            capture_output=True, env=env, timeout=120)  # fmt: skip
    assert result.returncode == 1, result.stderr  # linted as usual: the draft has findings
    assert "Traceback" not in result.stderr


def test_deeply_nested_configuration_is_one_line(tmp_path: Path) -> None:
    config = tmp_path / "lint-reply.toml"
    config.write_text("a = " + "[" * 100_000 + "]" * 100_000 + "\n")
    result = subprocess.run([sys.executable, "-m", "linter", "--config", str(config), "-"], input=BAD, text=True,
                            capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)  # fmt: skip
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "te diep" in result.stderr


def test_json_stays_utf8_for_a_file_name_that_is_not(tmp_path: Path) -> None:
    name = os.fsdecode(b"draft-\xff.txt")
    (tmp_path / name).write_text(BAD, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "linter", "--model", "embedded", "--format", "json", name],
                            capture_output=True, cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)  # fmt: skip
    assert result.returncode == 1
    import json

    document = json.loads(result.stdout.decode("utf-8"))  # strict: invalid UTF-8 would raise
    assert document["files"][0]["path"] == "draft-\ufffd.txt"


@pytest.mark.parametrize("token, why", [
    ('{"TEXT": {"REGEX": "^(a+)+$"}}', "REGEX"),
    ('{"NORM": "a", "OP": "*"}', "operator"),
    ('{"NORM": "a", "OP": "+"}', "operator"),
    ('{"NORM": "a", "OP": "{1,500}"}', "bovengrens"),
    ('{"NORM": {"FUZZY": "aaaa"}}', "FUZZY"),
    ('{"_": {"x": 1}}', "attribuut"),
])
def test_pack_escape_hatch_refuses_unbounded_patterns(tmp_path: Path, token: str, why: str) -> None:
    """A pack's raw spaCy patterns take only what the notation can produce; refused with file:line."""
    from linter.rules import RuleError

    pack = tmp_path / "pack"
    pack.mkdir()
    rule = (ROOT / "examples" / "organisatie" / "woonstad-regels").glob("*.yaml")
    source = next(p for p in rule if p.name != "pack.yaml").read_text(encoding="utf-8")
    marker = "patterns:\n"
    assert marker in source
    (pack / "rule.yaml").write_text(source.replace(marker, marker + f"  - spacy: [{token}]\n", 1), encoding="utf-8")
    with pytest.raises(RuleError) as caught:
        load_rules(packs=[pack])
    assert "rule.yaml:" in str(caught.value) and why in str(caught.value)
