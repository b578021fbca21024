"""E-mail input: the writer's new text is found in messages as real clients write them, and
findings point at the right line and column of the .eml file as it is on disk."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from linter.input.extract import extract_message
from linter.input.mail import looks_like_email
from linter.input.mood import customer_signals, is_upset
from linter.input.reader import Source, read_source

from .conftest import get_linter

FIXTURES = Path(__file__).resolve().parent / "mail" / "fixtures"
EXPECTED = json.loads((FIXTURES.parent / "expected.json").read_text(encoding="utf-8"))


def squash(text: str) -> str:
    return " ".join(text.split())


def test_there_are_enough_fixtures() -> None:
    assert len(EXPECTED) >= 20
    assert {e["transfer_encoding"] for e in EXPECTED.values()} >= {"quoted-printable", "base64", "8bit"}
    assert any(not e["has_new_text"] for e in EXPECTED.values())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_new_text_is_separated(name: str) -> None:
    expected = EXPECTED[name]
    data = (FIXTURES / name).read_bytes()
    mail = extract_message(data)
    assert looks_like_email(mail.raw)
    new = squash(mail.new.text)
    assert mail.has_new_text == expected["has_new_text"], new
    if expected["has_new_text"]:
        assert new.startswith(squash(expected["new_text_first"])), new[:120]
        assert squash(expected["new_text_last"]) in new[-max(120, len(expected["new_text_last"]) + 40):], new[-160:]
    for phrase in expected["not_new"]:
        assert squash(phrase) not in new, phrase


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_positions_point_into_the_file(name: str) -> None:
    data = (FIXTURES / name).read_bytes()
    mail = extract_message(data)
    raw, text = mail.raw, mail.new.text
    assert len(mail.new.starts) == len(text) == len(mail.new.ends)
    for index, char in enumerate(text):
        start, end = mail.new.starts[index], mail.new.ends[index]
        assert 0 <= start < end <= len(raw)
        encoding = EXPECTED[name]["transfer_encoding"]
        if encoding in ("7bit", "8bit") and char.strip() and not raw[start:end].startswith("&"):
            assert raw[start:end] == char


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_customer_mood_is_read_from_the_history(name: str) -> None:
    expected = EXPECTED[name]
    linter = get_linter("embedded")
    mail = extract_message((FIXTURES / name).read_bytes())
    signals = customer_signals(mail.history, linter.upset_words, linter.threat_words)
    if expected["customer_upset"]:
        assert is_upset(signals), [s.text for s in signals]


def test_findings_point_at_lines_of_the_eml(tmp_path: Path) -> None:
    linter = get_linter("embedded")
    data = (
        "From: Anna <anna@example.nl>\r\nTo: jan@example.nl\r\nSubject: Re: huur\r\n"
        "Date: Tue, 04 Jun 2024 11:00:00 +0200\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
        "Beste meneer Jansen,\r\n\r\nHelaas kunnen wij de huur niet verlagen. Hier valt niet over te discussi=C3=\r\n"
        "=ABren.\r\n\r\nMet vriendelijke groet,\r\nAnna\r\n\r\n"
        "Op di 4 jun. 2024 om 10:12 schreef Jan <jan@example.nl>:\r\n> Dit is SCHANDALIG!!! Ik stap naar de krant.\r\n"
    ).encode("ascii")
    path = tmp_path / "antwoord.eml"
    path.write_bytes(data)
    report = linter.lint_source(read_source(str(path)))
    abrupt = next(f for f in report.findings if f.rule == "abrupt-closing")
    lines = data.decode().split("\r\n")
    assert abrupt.line == 11 and lines[abrupt.line - 1][abrupt.column - 1 :].startswith("valt niet over te discussi=C3=")
    assert abrupt.end_line == 12  # the soft line break of quoted-printable
    assert abrupt.text == "valt niet over te discussiëren"
    missing = next(f for f in report.findings if f.rule == "missing-emotion-acknowledgement")
    assert "De klant lijkt boos" in missing.message and "regel 18" in missing.message
    assert any(note.startswith("De klant lijkt boos") for note in report.notes)
    assert not any("SCHANDALIG" in f.text for f in report.findings)


def test_upset_customer_needs_acknowledgement_even_without_bad_news() -> None:
    linter = get_linter("embedded")
    data = (
        "From: a@example.nl\nTo: b@example.com\nSubject: Re: lekkage\nDate: Tue, 04 Jun 2024 11:00:00 +0200\n\n"
        "Beste mevrouw Smit,\n\nDe monteur komt morgen om 9 uur langs.\n\nMet vriendelijke groet,\nAnna\n\n"
        "Op 4 jun. 2024, om 10:12 heeft Smit <b@example.com> het volgende geschreven:\n"
        "> Dit is SCHANDALIG. Ik ben woedend, al drie weken lekt het!!!\n"
    ).encode()
    report = linter.lint_source(Source(path="<mail>", text=data.decode(), kind="email", data=data))
    assert report.bad_news is False
    finding = next(f for f in report.findings if f.rule == "missing-emotion-acknowledgement")
    assert "De klant lijkt boos" in finding.message and finding.text.startswith("De monteur komt morgen")


def test_message_without_new_text_has_no_findings() -> None:
    name = next(n for n, e in EXPECTED.items() if not e["has_new_text"])
    linter = get_linter("embedded")
    report = linter.lint_source(read_source(str(FIXTURES / name)))
    assert report.findings == [] and any("Geen nieuwe tekst" in note for note in report.notes)


def test_html_file_is_read_as_text(tmp_path: Path) -> None:
    page = tmp_path / "concept.html"
    page.write_text(
        "<html><body><p>Beste meneer Bos,</p><p>Hier valt niet over te discussi&euml;ren.</p>"
        "<blockquote>Dit is belachelijk!!!</blockquote></body></html>",
        encoding="utf-8",
    )
    report = get_linter("embedded").lint_source(read_source(str(page)))
    abrupt = next(f for f in report.findings if f.rule == "abrupt-closing")
    raw = page.read_text(encoding="utf-8")
    assert raw[abrupt.start :].startswith("valt niet over")
    assert not re.search(r"belachelijk", " ".join(f.text for f in report.findings))


def test_mail_findings_name_the_line_the_writer_sees(tmp_path) -> None:
    """In an e-mail the report counts lines of the new text (the file line follows for tools)."""
    from linter.frontends.cli import main

    message = tmp_path / "reply.eml"
    message.write_text(
        "From: a@example.nl\nTo: b@example.com\nSubject: Re: huur\nMIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=utf-8\n\nBeste meneer Bos,\n\nHier valt niet over te discussiëren.\n\n"
        "Met vriendelijke groet,\nAnna\n", encoding="utf-8")  # fmt: skip
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(["--model", "embedded", "--no-color", str(message)])
    assert f"regel 3 van uw tekst ({message}:9:6):" in out.getvalue()  # "valt niet over te ..."
