"""The hook's quick path with a warm linter: what it leaves out must not change any answer.

- the built-in rules folder is found from the package's own folder, as importlib.resources finds it;
- the hook's options are read without click when they are plainly well formed, with exactly the
  values click gives (anything else goes to click), and its messages are written as click writes them;
- the client takes the digests of the code and the rules from the user's cache only while the files
  are unchanged, so a daemon with another rule set is still refused.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from linter import names
from linter.frontends import command, hook

ROOT = Path(__file__).resolve().parent.parent


def _rules_dir_by_resources() -> Path:
    from importlib import resources

    packaged = resources.files("linter") / "rules"
    return Path(str(packaged)) if packaged.is_dir() else Path(names.__file__).resolve().parent.parent / "rules"


def test_the_rules_folder_is_the_one_importlib_resources_names() -> None:
    assert names.builtin_rules_dir() == _rules_dir_by_resources()


def test_the_rules_folder_of_the_installed_package_is_the_one_importlib_resources_names(tmp_path: Path) -> None:
    # Outside the checkout (isolated mode: no PYTHONPATH, no current folder) the installed wheel is used.
    code = ("from importlib import resources; from pathlib import Path; from linter import names; "
            "print(names.builtin_rules_dir()); print(Path(str(resources.files('linter') / 'rules')))")
    done = subprocess.run([sys.executable, "-I", "-c", code], cwd=tmp_path, capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip("lint-reply is not installed")
    ours, theirs = done.stdout.splitlines()
    assert ours == theirs
    assert Path(ours).is_dir()


def _click_values(args: list[str]):
    """What click hands the hook's callback for `args`, or the kind of error it raises."""
    import click

    seen = {}
    try:
        hook.OPTIONS.click_command(lambda **values: seen.update(values)).main(args=args, standalone_mode=False)
    except click.ClickException as error:
        return type(error).__name__
    except click.exceptions.Exit:
        return "Exit"
    return seen


TAKEN = [
    ["--", "cat"],
    ["--mode", "warn", "--", "cat"],
    ["--mode", "block", "--on-error", "block", "--", "msmtp", "-t", "--read-envelope-from"],
    ["--mode", "confirm", "--mode", "warn", "--", "cat", "--", "x"],
    ["--channel", "chat", "--model", "embedded", "--config", "a b.toml", "--", "true"],
    ["--no-config", "--no-daemon", "--no-config", "--", "true"],
    ["--time-budget", "5", "--", "true"], ["--time-budget", "0.1", "--", "true"], ["--time-budget", "600", "--", "true"],
    ["--time-budget", "007.50", "--", "true"],
    ["--select", "a", "--ignore", "b", "--select", "c", "--fail-on", "info", "--", "sh", "-c", "cat >/dev/null"],
    ["--fail-on", "error", "--model", "/some/path", "--", "--help"],
]
LEFT_TO_CLICK = [
    [], ["--"], ["cat"], ["--mode", "warn"], ["--mode", "warn", "cat"], ["-h"], ["--help"], ["--help", "--", "cat"],
    ["--mode=warn", "--", "cat"], ["--mod", "warn", "--", "cat"], ["--mode", "WARN", "--", "cat"], ["--mode"],
    ["--mode", "--", "cat"], ["--channel", "sms", "--", "cat"], ["--model", "", "--", "cat"],
    ["--model", "-x", "--", "cat"], ["--config", "--no-config", "--", "cat"], ["--select"],
    ["--time-budget", "0", "--", "cat"], ["--time-budget", "0.05", "--", "cat"], ["--time-budget", "601", "--", "cat"],
    ["--time-budget", "1e1", "--", "cat"], ["--time-budget", "nan", "--", "cat"], ["--time-budget", "inf", "--", "cat"],
    ["--time-budget", "-1", "--", "cat"], ["--time-budget", " 5", "--", "cat"], ["--time-budget", "5.", "--", "cat"],
    ["--time-budget", ".5", "--", "cat"], ["--time-budget", "1.2.3", "--", "cat"], ["--time-budget", "١", "--", "cat"],
    ["--no-config=1", "--", "cat"], ["--bogus", "--", "cat"], ["-m", "warn", "--", "cat"], ["cat", "--mode", "warn"],
    ["--mode", "warn", "cat", "--", "x"],
]


@pytest.mark.parametrize("args", TAKEN + LEFT_TO_CLICK, ids=lambda args: " ".join(args) or "(none)")
def test_the_quick_parser_gives_what_click_gives_or_leaves_it_to_click(args: list[str]) -> None:
    quick = hook.OPTIONS.parse(list(args))
    if args in TAKEN:
        assert quick is not None
        assert quick == _click_values(list(args))
        assert {key: type(value) for key, value in quick.items()} == {key: type(value) for key, value in _click_values(list(args)).items()}
    else:
        assert quick is None


def test_the_quick_parser_takes_no_single_dash_or_abbreviated_option() -> None:
    for option in hook.OPTIONS.options:
        assert option.startswith("--")
        for cut in range(3, len(option)):
            if option[:cut] not in hook.OPTIONS.options:
                assert hook.OPTIONS.parse([option[:cut], "warn", "--", "cat"]) is None


def _stderr_bytes(monkeypatch, write, message: str, nl: bool) -> bytes:
    import io

    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="utf-8", errors="backslashreplace", write_through=True)
    monkeypatch.setattr(sys, "stderr", stream)
    write(message, nl)
    stream.flush()
    return raw.getvalue()


@pytest.mark.parametrize("message", ["", "lint-reply-sendmail: één regel", "rapport\nmet\tregels\n", "kleur \x1b[31mrood\x1b[0m", "\udcff"])
@pytest.mark.parametrize("nl", [True, False])
def test_echo_writes_what_click_echo_writes(monkeypatch, message: str, nl: bool) -> None:
    import click

    ours = _stderr_bytes(monkeypatch, lambda text, newline: command.echo(text, nl=newline), message, nl)
    theirs = _stderr_bytes(monkeypatch, lambda text, newline: click.echo(text, err=True, nl=newline), message, nl)
    assert ours == theirs


def _hook(args: list[str], tmp_path: Path) -> tuple[int, str, bool]:
    code = ("import sys; from linter.frontends.hook import main; status = main(sys.argv[1:]); "
            "print('click' in sys.modules); raise SystemExit(status)")
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=tmp_path, capture_output=True, text=True,
                          input="Subject: x\n\nTekst.\n", env={**__import__("os").environ, "PYTHONPATH": str(ROOT)})
    return done.returncode, done.stderr, done.stdout.strip() == "True"


def test_the_hook_answers_the_same_without_click(tmp_path: Path) -> None:
    missing = tmp_path / "missing.toml"
    quick = _hook(["--on-error", "send", "--config", str(missing), "--", "true"], tmp_path)
    through_click = _hook(["--on-error=send", "--config", str(missing), "--", "true"], tmp_path)
    assert quick[:2] == through_click[:2] == (0, f"lint-reply-sendmail: controleren mislukt (ConfigError: {missing}: "
                                                 "configuratiebestand niet gevonden); toch verzonden.\n")
    assert (quick[2], through_click[2]) == (False, True)


@pytest.fixture
def settled_pack(tmp_path: Path, monkeypatch):
    """A rule pack (any files: the digest is of the bytes) in a private cache; files count as settled at once."""
    from linter.frontends import warm

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(warm, "SETTLE_SECONDS", -60.0)
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "regels.yaml").write_text("id: eigen-regel\n", encoding="utf-8")
    from linter.config import Config

    return pack, Config(rule_dirs=[pack])


def _replace_keeping_size_and_time(path: Path, text: str) -> None:
    """New bytes of the same length under the same name and modification time (a new inode)."""
    import os

    old = path.stat()
    assert len(text.encode()) == old.st_size
    fresh = path.with_name(path.name + ".new")
    fresh.write_text(text, encoding="utf-8")
    os.utime(fresh, ns=(old.st_atime_ns, old.st_mtime_ns))
    os.replace(fresh, path)


def test_unchanged_files_take_the_digests_from_the_cache(settled_pack, monkeypatch) -> None:
    from linter.frontends import warm

    pack, config = settled_pack
    first = warm.identity(config, cached=True)
    assert first == warm.identity(config)

    def no_hashing(*args):
        raise AssertionError("hashed although nothing changed")

    monkeypatch.setattr(warm, "_hash_files", no_hashing)
    warm.engine_digest.cache_clear()
    assert warm.identity(config, cached=True) == first


def test_a_changed_rule_file_is_hashed_again_even_with_the_same_size_and_time(settled_pack) -> None:
    from linter.frontends import warm

    pack, config = settled_pack
    before = warm.identity(config, cached=True)
    _replace_keeping_size_and_time(pack / "regels.yaml", "id: eigen-regeL\n")
    after = warm.identity(config, cached=True)
    assert after == warm.identity(config) and after["rules"] != before["rules"]


def test_a_file_changed_too_recently_is_not_cached(settled_pack, monkeypatch) -> None:
    from linter import paths
    from linter.frontends import warm

    pack, config = settled_pack
    monkeypatch.setattr(warm, "SETTLE_SECONDS", 3600.0)  # everything counts as just written
    assert warm.identity(config, cached=True) == warm.identity(config)
    assert paths.read_cache(warm.IDENTITY_CACHE) is None


def test_a_daemon_with_the_rules_before_a_change_is_refused(settled_pack) -> None:
    pytest.importorskip("uvicorn")
    from linter.frontends import warm
    from linter.paths import socket_path

    from .test_warm import Daemon

    pack, config = settled_pack
    with Daemon(socket_path(), config):
        daemon = warm.find_daemon(config)  # the same rules: used, and the digests are cached
        assert daemon is not None
        daemon.close()
        _replace_keeping_size_and_time(pack / "regels.yaml", "id: eigen-regeL\n")
        assert warm.find_daemon(config) is None
