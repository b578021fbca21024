"""The start-up cache of the compiled rule set (a private pickle).

A cache may only ever make start-up faster: a hit lints exactly like a fresh build, and a
stale, corrupt, truncated, foreign or other user's file is ignored and rebuilt.
"""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from linter import Linter
from linter.engine import compile as compile_module
from linter.engine.compile import compile_rules, compiled_digest, load_compiled, patterns_digest
from linter.engine.match import RuleMatcher
from linter.engine.pipeline import load_pipeline
from linter.engine.rules import load_rules
from linter.names import builtin_rules_dir
from linter.paths import PICKLE_PREFIX, cache_dir

ROOT = Path(__file__).resolve().parent.parent
DRAFTS = sorted((ROOT / "examples").glob("*.txt"))


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _nlp():
    return load_pipeline("embedded")[0]


def _pickle_file(directories: list[Path] | None = None) -> Path:
    digest = compiled_digest(_nlp(), directories or [builtin_rules_dir()], [], None, None)
    return cache_dir() / f"{PICKLE_PREFIX}{digest}.pickle"


def _reports(linter: Linter) -> list[str]:
    return [repr(linter.lint(path.read_text(encoding="utf-8")).to_json()) for path in DRAFTS]


def test_a_cache_hit_gives_what_a_fresh_build_gives(cache_home: Path) -> None:
    fresh_rules, fresh_records = load_rules(), compile_rules(load_rules(), _nlp())
    built = load_compiled(_nlp())  # a miss: builds and stores
    assert _pickle_file().is_file()
    hit = load_compiled(_nlp())
    assert hit[0] is not built[0]  # really read back from the file
    assert hit[0] == fresh_rules and hit[1] == fresh_records
    assert _reports(Linter("embedded")) == _reports(_uncached_linter())


def _uncached_linter() -> Linter:
    """A Linter built the old way: rules read and compiled, no pickle."""
    linter = Linter.__new__(Linter)
    linter.nlp, linter.pipeline = load_pipeline("embedded")
    linter.ruleset = load_rules()
    linter.matcher = RuleMatcher(linter.ruleset, linter.nlp, compile_rules(linter.ruleset, linter.nlp), False)
    return linter


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty", "wrong object", "no records", "one rule short"])
def test_a_corrupt_cache_file_is_rebuilt(cache_home: Path, damage: str) -> None:
    expected = load_compiled(_nlp())
    target = _pickle_file()
    whole = target.read_bytes()
    data = pickle.loads(whole)
    content = {
        "truncated": whole[: len(whole) // 2],
        "garbage": b"\x80\x05not a pickle at all",
        "empty": b"",
        "wrong object": pickle.dumps([1, 2, 3]),
        "no records": pickle.dumps({**data, "records": []}),
        "one rule short": pickle.dumps({**data, "records": [r for r in data["records"] if r.rule != "capitulation"]}),
    }[damage]
    target.write_bytes(content)
    assert load_compiled(_nlp()) == expected  # never fewer checks
    assert target.read_bytes() != content  # and the file was written anew
    assert load_compiled(_nlp()) == expected


def test_a_cache_from_another_rule_digest_is_ignored(cache_home: Path, tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(builtin_rules_dir(), rules)
    expected = load_compiled(_nlp(), [rules])
    # what was stored for other rules, put where this rule set's cache belongs
    other = tmp_path / "other"
    shutil.copytree(rules, other)
    _retitle(other / "capitulation.yaml", "Een andere titel")
    foreign = _pickle_file([other])
    assert load_compiled(_nlp(), [other])[0].by_id()["capitulation"].title == "Een andere titel"
    shutil.copyfile(foreign, _pickle_file([rules]))
    ruleset, _ = load_compiled(_nlp(), [rules])
    assert ruleset == expected[0] and ruleset.by_id()["capitulation"].title == "De klant gelijk geven"


def _retitle(path: Path, title: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: De klant gelijk geven", f"title: {title}", 1), encoding="utf-8")


def test_a_changed_rule_file_changes_the_digest(cache_home: Path, tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(builtin_rules_dir(), rules)
    before = _pickle_file([rules])
    load_compiled(_nlp(), [rules])
    _retitle(rules / "capitulation.yaml", "Nieuwe titel")
    assert _pickle_file([rules]) != before
    ruleset, _ = load_compiled(_nlp(), [rules])
    assert ruleset.by_id()["capitulation"].title == "Nieuwe titel"


def test_a_cache_file_others_may_write_is_never_unpickled(cache_home: Path, tmp_path: Path) -> None:
    load_compiled(_nlp())
    target = _pickle_file()
    marker = tmp_path / "ran"
    # a pickle that runs code when loaded: it must never be loaded when another user could have put it there
    target.write_bytes(pickle.dumps(_Evil(str(marker))))
    target.chmod(0o666)
    assert load_compiled(_nlp())[0] == load_rules()
    assert not marker.exists()
    assert os.stat(target).st_mode & 0o077 == 0  # rebuilt, private again


def test_a_cache_file_of_another_user_is_never_unpickled(cache_home: Path, tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("giving a file to another user needs root")
    load_compiled(_nlp())
    target = _pickle_file()
    marker = tmp_path / "ran"
    target.write_bytes(pickle.dumps(_Evil(str(marker))))
    target.chmod(0o600)
    os.chown(target, 65534, 65534)
    assert load_compiled(_nlp())[0] == load_rules()
    assert not marker.exists()


class _Evil:
    def __init__(self, marker: str):
        self.marker = marker

    def __reduce__(self):
        return (Path(self.marker).touch, ())


def test_a_cache_entry_that_is_not_a_file_does_not_hang(cache_home: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LINT_REPLY_NO_DAEMON": "1"}
    target = _pickle_file()
    target.parent.mkdir(parents=True)
    os.mkfifo(target)
    draft = ROOT / "examples" / "huurverhoging-slecht.txt"
    result = subprocess.run([sys.executable, "-m", "linter", "--model", "embedded", str(draft)], capture_output=True,
                            text=True, env=env, timeout=120)  # fmt: skip
    assert result.returncode == 1 and "Traceback" not in result.stderr



def test_the_compiled_patterns_follow_the_compiler_and_simplemma(monkeypatch: pytest.MonkeyPatch) -> None:
    """Patterns compiled by an older notation or word-form table are not reused after an upgrade
    that leaves the rule files alone (that once kept "staat" out of [staan])."""
    nlp = _nlp()
    ruleset = load_rules([builtin_rules_dir()])
    before = patterns_digest(ruleset, nlp)
    monkeypatch.setattr(compile_module, "COMPILER_SOURCES", ("compile.py", "notation.py"))
    assert patterns_digest(ruleset, nlp) != before
    monkeypatch.undo()
    monkeypatch.setattr(compile_module, "simplemma_version", lambda: "0.0-other")
    assert patterns_digest(ruleset, nlp) != before
