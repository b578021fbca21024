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
