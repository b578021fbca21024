"""Suggestions follow the writer's register: "je" in a je-draft, "u" in a u-draft."""

from __future__ import annotations

import re

import pytest

from linter.engine.register import detect, to_je


@pytest.mark.parametrize("u_form, je_form", [
    ("Heeft u nog vragen, dan hoor ik het graag.", "Heb je nog vragen, dan hoor ik het graag."),
    ("Kunt u mij laten weten wat u wilt?", "Kun je mij laten weten wat je wilt?"),
    ("U heeft gelijk dat onze brief te laat kwam.", "Je hebt gelijk dat onze brief te laat kwam."),
    ("Uw aanvraag is afgewezen, omdat uw inkomen te hoog is.", "Je aanvraag is afgewezen, omdat je inkomen te hoog is."),
    ("Ik kan me voorstellen dat dit een tegenvaller voor u is.", "Ik kan me voorstellen dat dit een tegenvaller voor je is."),
])
def test_to_je(u_form: str, je_form: str) -> None:
    assert to_je(u_form) == je_form


def test_detect() -> None:
    assert detect("hoi Sam! je afspraak is verzet, laat je even weten of dat past?") == "je"
    assert detect("Geachte heer Bos, uw aanvraag is afgewezen. U kunt bezwaar maken.") == "u"


def test_suggestions_follow_the_draft(linter) -> None:
    je_draft = "hoi Sam, je aanvraag is afgewezen, daar valt niet over te discussieren."
    u_draft = "Geachte heer Bos, uw aanvraag is afgewezen, daar valt niet over te discussiëren."
    je_suggestions = [s for f in linter.lint(je_draft).findings for s in f.suggestions]
    u_suggestions = [s for f in linter.lint(u_draft).findings for s in f.suggestions]
    assert je_suggestions and u_suggestions
    assert not any(re.search(r"\b(u|uw|U|Uw)\b", s) for s in je_suggestions), je_suggestions
    assert any(re.search(r"\b(u|uw|U|Uw)\b", s) for s in u_suggestions)
