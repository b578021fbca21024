"""Everything a user reads is Dutch: click's own help and error texts included."""

from __future__ import annotations

import pytest

from linter.frontends.cli import main


def test_help_is_dutch(capsys) -> None:
    main(["--help"])
    out = capsys.readouterr().out
    assert out.startswith("Gebruik: lint-reply [OPTIES]") and "Opties:" in out and "Toon deze hulp en stop." in out
    assert "Options:" not in out and "Show this message" not in out


@pytest.mark.parametrize("argv, dutch", [
    (["--explain"], "Optie '--explain' heeft een waarde nodig."),
    (["--format", "xml", "x.txt"], "Ongeldige waarde voor '--format'"),
    (["--bogus"], "Onbekende optie '--bogus'"),
])
def test_click_errors_are_dutch(capsys, argv: list[str], dutch: str) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert dutch in err and len(err.strip().splitlines()) == 1

