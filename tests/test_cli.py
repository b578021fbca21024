"""The command line: exit status, formats, encodings, and one clear line for every input error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from linter.frontends.cli import main

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "examples" / "huurverhoging-slecht.txt"
GOOD = ROOT / "examples" / "huurverhoging-goed.txt"
BASE = ["--model", "embedded"]


def run(capsys, *args: str) -> tuple[int, str, str]:
    status = main([*BASE, *args])
    out, err = capsys.readouterr()
    return status, out, err


def test_bad_draft_exits_1_with_annotated_feedback(capsys) -> None:
    status, out, err = run(capsys, str(BAD))
    assert status == 1 and err == ""
    assert f"{BAD}:" in out and "[capitulation]" in out and "waarom:" in out and "beter:" in out
    assert "^^^" in out and "Handvatten bij slecht nieuws:" in out
    assert "embedded_default" in out


def test_good_draft_exits_0_and_lists_handles(capsys) -> None:
    status, out, _ = run(capsys, str(GOOD))
    assert status == 0
    assert out.count("✓") == 4 and "geen bevindingen" in out


def test_json_format_is_stable(capsys) -> None:
    status, out, _ = run(capsys, "--format", "json", str(BAD), str(GOOD))
    data = json.loads(out)
    assert status == 1
    assert data["version"] == 1 and set(data["pipeline"]) == {"name", "version"}
    assert [Path(f["path"]).name for f in data["files"]] == [BAD.name, GOOD.name]
    text = BAD.read_text(encoding="utf-8")
    for finding in data["files"][0]["findings"]:
        assert set(finding) == {
            "rule", "title", "kind", "severity", "message", "why", "suggestions", "text",
            "start", "end", "line", "column", "end_line", "end_column", "apply",
        }  # fmt: skip
        assert text[finding["start"] : finding["end"]] == finding["text"]
        # where a suggestion goes comes from the rule set: pitfalls replace, handles are added
        assert finding["apply"] == ("replace" if finding["kind"] == "pitfall" else finding["apply"])
        assert finding["apply"] in ("replace", "before", "after")
    for element in data["files"][1]["elements"]:
        assert set(element) == {"name", "text", "start", "end", "line", "column", "praise", "handle"}
        assert element["praise"]
    assert [h["number"] for h in data["files"][0]["handles"]] == [1, 2, 3, 4]


def test_fail_on_error_lets_warnings_pass(capsys) -> None:
    status, _, _ = run(capsys, "--fail-on", "error", str(BAD))
    assert status == 0


def test_select_ignore_and_unknown_rule(capsys) -> None:
    status, out, _ = run(capsys, "--format", "json", "--select", "capitulation", str(BAD))
    assert {f["rule"] for f in json.loads(out)["files"][0]["findings"]} == {"capitulation"}
    status, _, err = run(capsys, "--ignore", "capitulaton", str(BAD))
    assert status == 2 and "bedoelt u 'capitulation'" in err and len(err.strip().splitlines()) == 1


def test_stdin(capsys, monkeypatch) -> None:
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("Einde discussie.".encode())))
    status, out, _ = run(capsys, "-")
    assert status == 1 and "<stdin>:1:1:" in out


@pytest.mark.parametrize(
    "encoding, prefix",
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"), ("cp1252", b"")],
)
def test_encodings(tmp_path: Path, capsys, encoding: str, prefix: bytes) -> None:
    text = "Hier valt niet over te discussiëren, dat weet u."
    path = tmp_path / "draft.txt"
    path.write_bytes(prefix + text.encode(encoding))
    status, out, _ = run(capsys, "--format", "json", str(path))
    finding = json.loads(out)["files"][0]["findings"][0]
    assert status == 1 and finding["rule"] == "abrupt-closing"
    assert "discussiëren" in finding["text"]


@pytest.mark.parametrize(
    "content, fragment",
    [(b"", "leeg"), (b"  \n ", "leeg"), (b"\x00\x01\x02binary\x00", "binaire"), (b"\xff\xfe\x00", "niet geldig")],
)
def test_input_errors_exit_2_with_one_line(tmp_path: Path, capsys, content: bytes, fragment: str) -> None:
    path = tmp_path / "draft.txt"
    path.write_bytes(content)
    status, out, err = run(capsys, str(path))
    assert status == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and fragment in err and "Traceback" not in err


def test_missing_file_and_directory(tmp_path: Path, capsys) -> None:
    status, _, err = run(capsys, str(tmp_path / "nope.txt"))
    assert status == 2 and "niet gevonden" in err
    status, _, err = run(capsys, str(tmp_path))
    assert status == 2 and "map" in err


def test_usage_error_is_one_line(capsys) -> None:
    status, _, err = run(capsys, "--format", "xml", str(BAD))
    assert status == 2 and len(err.strip().splitlines()) == 1


def test_list_rules_explain_version(capsys) -> None:
    status, out, _ = run(capsys, "--list-rules")
    assert status == 0 and "missing-emotion-acknowledgement" in out and "clear-refusal" in out
    status, out, _ = run(capsys, "--explain", "capitulation")
    assert status == 0
    for heading in ("Wat het doet", "Waarom", "Voorbeelden die de regel laten afgaan", "Gebruik liever"):
        assert heading in out
    status, out, _ = run(capsys, "--version")
    assert status == 0 and out.startswith("lint-reply ") and "embedded_default" in out


def test_model_that_does_not_exist(capsys) -> None:
    status = main(["--model", "/nonexistent/model", str(GOOD)])
    err = capsys.readouterr().err
    assert status == 2 and "kan het spaCy-model" in err and len(err.strip().splitlines()) == 1


def test_no_colour_when_piped(capsys) -> None:
    _, out, _ = run(capsys, str(BAD))
    assert "\x1b[" not in out


def test_check_rules_with_a_model_that_does_not_exist_is_one_line(tmp_path) -> None:
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "-m", "linter", "--check-rules", str(root / "examples" / "organisatie" / "woonstad-regels"),
         "--model", "does-not-exist"],
        capture_output=True, text=True, cwd=tmp_path, timeout=120,
        env={**__import__("os").environ, "PYTHONPATH": str(root)},
    )  # fmt: skip
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "does-not-exist" in result.stderr


def test_one_missing_file_does_not_hide_the_others(tmp_path, capsys) -> None:
    from pathlib import Path

    from linter.frontends.cli import main

    root = Path(__file__).resolve().parent.parent
    good, bad = root / "examples" / "huurverhoging-goed.txt", root / "examples" / "huurverhoging-slecht.txt"
    status = main(["--model", "embedded", "--no-color", str(good), str(tmp_path / "missing.txt"), str(bad)])
    out, err = capsys.readouterr()
    assert status == 2
    assert "huurverhoging-goed.txt" in out and "huurverhoging-slecht.txt" in out
    assert err.strip().splitlines() == [f"lint-reply: fout: {tmp_path / 'missing.txt'}: bestand niet gevonden"]


def test_explanations_wrap_at_word_boundaries_to_the_terminal_width() -> None:
    from pathlib import Path

    from linter.api import Linter
    from linter.render import render_text

    linter = Linter("embedded")
    draft = (Path(__file__).resolve().parent.parent / "examples" / "huurverhoging-slecht.txt").read_text(encoding="utf-8")
    out = render_text([linter.lint(draft, path="x.txt")], linter.pipeline, width=72)
    why = [line for line in out.splitlines() if line.lstrip().startswith(("= waarom:", "= beter:"))]
    assert why and all(len(line) <= 72 for line in why)
    words = set(linter.lint(draft).findings[0].why.split())
    assert words <= set(out.split())  # no word is cut
