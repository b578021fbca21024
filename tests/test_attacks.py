"""Holes an attack run found, each reproduced and closed (issue: nothing lost, nothing hangs)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from linter import Linter
from linter.engine.compile import patterns_digest
from linter.engine.pipeline import load_pipeline
from linter.engine.rules import load_rules

ROOT = Path(__file__).resolve().parent.parent
BAD = (ROOT / "examples" / "huurverhoging-slecht.txt").read_text(encoding="utf-8")


def _cache_file(cache_home: Path) -> Path:
    nlp, _ = load_pipeline("embedded")
    return cache_home / "lint-reply" / f"patterns-{patterns_digest(load_rules(), nlp)}.json"


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
    from linter.names import RuleError

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


def _audit(tmp_path: Path, *inputs: str, extra: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from linter.frontends.audit import main; raise SystemExit(main())", *inputs,
                           "--out", str(tmp_path / "out"), *extra], capture_output=True, text=True, timeout=600,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "LINT_REPLY_MODEL": "embedded"})  # fmt: skip


def test_audit_one_bad_record_is_one_error_record(tmp_path: Path) -> None:
    import json

    replies = tmp_path / "replies.jsonl"
    replies.write_text("\n".join([
        json.dumps({"id": "a", "text": "Helaas kan dat niet."}),
        '{"id": "deep", "text": ' + "[" * 100_000 + "]" * 100_000 + "}",
        '{"id": "surrogate", "text": "Hier valt niet over te discussi\\ud800ren."}',
        json.dumps({"id": "b", "text": "Einde discussie."}),
    ]) + "\n")
    table = tmp_path / "replies.csv"
    table.write_text("id,text\nc1,Helaas kan dat niet.\nc2," + "x" * 200_000 + "\n")
    result = _audit(tmp_path, str(replies), str(table), extra=("--include-text",))
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in (tmp_path / "out" / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["a", "replies.jsonl:2", "surrogate", "b", "c1", "c2"]
    assert records[1]["error"] and records[2]["error"] is None and records[5]["error"] is None


def test_audit_resume_keeps_replies_of_two_inputs_with_the_same_name(tmp_path: Path) -> None:
    import json

    for folder in ("team-a", "team-b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "replies.jsonl").write_text(
            "".join(json.dumps({"id": str(i), "text": "Helaas kan dat niet."}) + "\n" for i in range(5)))
    inputs = (str(tmp_path / "team-a" / "replies.jsonl"), str(tmp_path / "team-b" / "replies.jsonl"))
    assert _audit(tmp_path, *inputs).returncode == 0
    findings = tmp_path / "out" / "findings.jsonl"
    lines = findings.read_text().splitlines()
    findings.write_text("\n".join(lines[:3]) + "\n")  # interrupted after 3 of 10
    assert _audit(tmp_path, *inputs, extra=("--resume",)).returncode == 0
    records = [json.loads(line) for line in findings.read_text().splitlines()]
    assert len(records) == 10 and len({(r["source"], r["id"]) for r in records}) == 10


def test_audit_outputs_are_private_and_an_unwritable_out_is_one_line(tmp_path: Path) -> None:
    import stat

    replies = tmp_path / "replies.jsonl"
    replies.write_text('{"id": "a", "text": "Helaas kan dat niet."}\n')
    assert _audit(tmp_path, str(replies)).returncode == 0
    out = tmp_path / "out"
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    for name in ("findings.jsonl", "summary.json", "report.html"):
        assert stat.S_IMODE((out / name).stat().st_mode) == 0o600, name
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the output folder should be")
    result = subprocess.run([sys.executable, "-c", "from linter.frontends.audit import main; raise SystemExit(main())", str(replies),
                             "--out", str(blocked / "out")], capture_output=True, text=True, timeout=300,
                            env={**os.environ, "PYTHONPATH": str(ROOT), "LINT_REPLY_MODEL": "embedded"})  # fmt: skip
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "kan niet schrijven" in result.stderr
