"""The engine end to end through the Python API: guards, positions, whole-reply judgement."""

from __future__ import annotations

import pytest

from linter import Linter, lint

from .conftest import labels


def test_public_api_shape() -> None:
    report = lint("Helaas kunnen wij uw aanvraag niet toekennen.", model="embedded")
    assert report.bad_news is True
    assert report.pipeline.name == "embedded_default"
    finding = next(f for f in report.findings if f.rule == "missing-alternative")
    for attribute in ("rule", "kind", "severity", "start", "end", "text", "message", "suggestions", "why"):
        assert getattr(finding, attribute) not in (None, "")
    element = next(e for e in report.elements if e.name == "bad-news")
    assert report.text[element.start : element.end] == element.text


def test_offsets_lines_and_columns_agree(any_linter: Linter) -> None:
    text = "Beste meneer Bos,\n\nDank voor uw mail.\nU heeft volkomen gelijk, die regel is onzin.\n\nGroet,\nAnna"
    report = any_linter.lint(text)
    finding = next(f for f in report.findings if f.rule == "capitulation")
    assert text[finding.start : finding.end] == finding.text
    assert (finding.line, finding.column) == (4, 1)
    lines = text.split("\n")
    assert lines[finding.end_line - 1][: finding.end_column - 1].endswith(finding.text.split("\n")[-1])


@pytest.mark.parametrize(
    "text, rule, present",
    [
        # negation in the same clause
        ("Ik begrijp dat u hier boos over bent.", "emotion-acknowledgement", True),
        ("Ik begrijp niet waarom u hier boos over bent.", "emotion-acknowledgement", False),
        ("Ik kan me niet voorstellen dat u daar boos over bent.", "emotion-acknowledgement", False),
        ("U heeft volkomen gelijk, dat is een rare regel.", "capitulation", True),
        ("U heeft geen gelijk, dat is geen rare regel.", "capitulation", False),
        ("Ik zeg niet dat u gelijk heeft, of dat de regel raar is.", "capitulation", False),
        # agreeing on the organisation's own mistake is an admission, not giving in
        ("U heeft gelijk: zo hoort een pakket niet bezorgd te worden.", "capitulation", False),
        # quotation marks: the customer's words cited back
        ('U schreef: "ik ben woedend en dit is belachelijk".', "emotion-acknowledgement", False),
        ("U schrijft 'einde discussie', maar ik denk graag mee.", "abrupt-closing", False),
        # the customer's words told back are not the writer's; after "maar" the writer speaks again
        ("U schrijft dat wij uw aanvraag ten onrechte hebben afgewezen.", "bad-news", False),
        ("Volgens u hebben wij uw klacht niet in behandeling genomen.", "bad-news", False),
        ("U zegt dat u het niet wist, maar wij kunnen de boete niet kwijtschelden.", "bad-news", True),
        # the writer telling the customer is the writer's own move
        ("Zoals ik u schreef dat kan helaas niet.", "bad-news", True),
        ("Einde discussie.", "abrupt-closing", True),
        # separable verbs and inversion
        ("U kunt uw klacht voorleggen aan de klachtencommissie.", "alternative", True),
        ("Helaas kunnen wij dat niet doen.", "clear-refusal", True),
        ("Wij kunnen dat helaas niet doen.", "clear-refusal", True),
        ("Uw verzoek wijzen wij af.", "clear-refusal", True),
        # a condition that opens with its verb, and "wie ...": who fits, not this customer
        ("Werkte de automaat niet, dan kunt u contant betalen.", "bad-news", False),
        ("Lukt het niet, neem dan contact op met de balie.", "bad-news", False),
        ("Wie geen pakket heeft gekregen, krijgt het geld terug.", "bad-news", False),
        ("We zorgen dat het binnen drie weken klaar is, en lukt dat niet, dan krijg je een nieuw toestel.", "bad-news", False),
        ("Lukt het niet. Wij kunnen de kosten niet vergoeden.", "bad-news", True),
        # a gap stops at ";" and ":": the statement after it stands on its own
        ("Wij kunnen alles nakijken; er is niets veranderd aan uw meter.", "bad-news", False),
        ("Wij kunnen u helaas niet helpen.", "clear-refusal", True),
        # participles that the lemma table files as adjectives ("geïnformeerd")
        ("Wij hebben u meerdere keren over de achterstand geïnformeerd.", "defensive-justification", True),
        # missing diacritics and chat style
        ("hier valt niet over te discussieren", "abrupt-closing", True),
        ("snap dat je boos bent maar dat kan echt niet", "emotion-acknowledgement", True),
    ],
)
def test_guards_and_variation(any_linter: Linter, text: str, rule: str, present: bool) -> None:
    assert (rule in labels(any_linter.lint(text))) is present


def test_greeting_and_signature_are_not_judged(linter: Linter) -> None:
    text = "Hoi Sanne,\n\nDe afspraak staat op dinsdag.\n\nGroetjes,\nTeam Zorg (helaas niet op vrijdag bereikbaar)"
    report = linter.lint(text)
    assert report.bad_news is False
    assert report.findings == []


def test_missing_rules_point_at_the_bad_news_sentence(linter: Linter) -> None:
    text = "Beste mevrouw Kok,\n\nDank voor uw bericht. Helaas kunnen wij de huur niet verlagen.\n\nGroet,\nTeam"
    report = linter.lint(text)
    missing = [f for f in report.findings if f.kind == "missing"]
    assert {f.rule for f in missing} == {"missing-emotion-acknowledgement", "missing-alternative", "missing-closing"}
    for finding in missing:
        assert finding.text == "Helaas kunnen wij de huur niet verlagen."
        assert finding.line == 3


def test_no_bad_news_means_no_missing_handles(linter: Linter) -> None:
    report = linter.lint("Beste heer Jansen,\n\nUw afspraak staat op maandag 3 juni om 10.00 uur.\n\nMet vriendelijke groet,\nPetra")
    assert report.bad_news is False
    assert not any(f.kind == "missing" for f in report.findings)


def test_chat_has_no_missing_closing(linter: Linter) -> None:
    text = "helaas kan dat niet"
    assert "missing-closing" in linter.lint(text, channel="email").rules_fired()
    assert "missing-closing" not in linter.lint(text, channel="chat").rules_fired()


def test_closing_must_come_after_the_bad_news(linter: Linter) -> None:
    early = linter.lint("Heeft u nog vragen, bel ons dan. Helaas kunnen wij de huur niet verlagen.")
    late = linter.lint("Helaas kunnen wij de huur niet verlagen. Heeft u nog vragen, bel ons dan.")
    assert "missing-closing" in early.rules_fired()
    assert "missing-closing" not in late.rules_fired()


def test_bare_refusal_is_abrupt(linter: Linter) -> None:
    bare = "Geachte heer Smit,\n\nUw aanvraag is afgewezen.\n\nMet vriendelijke groet,\nGemeente"
    assert "abrupt-closing" in linter.lint(bare).rules_fired()
    fragment = "Uw aanvraag is afgewezen."
    assert "abrupt-closing" not in linter.lint(fragment).rules_fired()


@pytest.mark.parametrize("sign_off", ["Met vriendelijke groet,", "Hoogachtend,", "Met de meeste hoogachting,", "Mvg,"])
def test_sign_off_formulas_close_the_letter(linter: Linter, sign_off: str) -> None:
    letter = f"Geachte heer Smit,\n\nUw aanvraag is afgewezen.\n\n{sign_off}\n\nDienst Cliëntenrelaties"
    assert "abrupt-closing" in linter.lint(letter).rules_fired()


def test_a_defended_ground_keeps_a_refusal_bare(linter: Linter) -> None:
    """The decision and one ground is still a bare refusal when the ground defends (labelling guide)."""
    letter = "Geachte heer Vos,\n\n{}\n\nMet vriendelijke groet,\nKlantenservice"
    defended = letter.format("Wij vergoeden de reparatie niet. Onze monteur heeft volledig correct gehandeld.")
    assert {"abrupt-closing", "defensive-justification"} <= linter.lint(defended).rules_fired()
    offered = letter.format("Wij vergoeden de reparatie niet. Wel kan ik u een korting op een nieuw toestel aanbieden.")
    assert "abrupt-closing" not in linter.lint(offered).rules_fired()
    given_in = letter.format("Normaal vergoeden wij de reparatie niet. Voor deze ene keer maken we een uitzondering.")
    assert "capitulation" in linter.lint(given_in).rules_fired()
    assert "abrupt-closing" not in linter.lint(given_in).rules_fired()


def test_select_and_ignore(linter: Linter) -> None:
    text = "U heeft gelijk, die regel is onzin. Helaas kan dat niet."
    assert linter.lint(text, select=["capitulation"]).rules_fired() == {"capitulation"}
    assert "capitulation" not in linter.lint(text, ignore=["capitulation"]).rules_fired()


def test_handles_checklist(linter: Linter) -> None:
    text = (
        "Ik begrijp dat u teleurgesteld bent. Helaas kunnen wij uw aanvraag niet toekennen. "
        "Wat ik wel voor u kan doen, is u aanmelden bij het wijkteam. Heeft u nog vragen, dan hoor ik het graag."
    )
    report = linter.lint(text)
    assert report.findings == []
    assert [h.present for h in report.handles] == [True, True, True, True]


def test_defending_undoes_the_clear_refusal_handle(linter: Linter) -> None:
    report = linter.lint("Helaas kan dat niet. Zoals ik al eerder heb aangegeven, is dat niet onze fout.")
    handle = next(h for h in report.handles if h.number == 2)
    assert handle.present is False and handle.blocked_by.rule == "defensive-justification"


@pytest.mark.parametrize("text", ["", "   \n\t ", "!!!", "🙂🙂", "a" * 5000, "niet " * 2000])
def test_odd_text_does_not_break(linter: Linter, text: str) -> None:
    report = linter.lint(text)
    for finding in report.findings:
        assert 0 <= finding.start <= finding.end <= len(text)


def test_unknown_channel_is_refused(linter: Linter) -> None:
    with pytest.raises(ValueError):
        linter.lint("tekst", channel="fax")


def test_dependency_patterns_add_a_signal_with_a_parser() -> None:
    from .conftest import get_linter

    text = "Wij kunnen uw verzoek om een tweede parkeerplaats voor de bezoekers van uw moeder in de wijk niet meenemen."
    standin = get_linter("standin")  # skips cleanly when the trained stand-in is absent
    assert standin.pipeline.has_parser
    assert "bad-news" in labels(standin.lint(text))
    embedded = get_linter("embedded")
    assert embedded.matcher.dependency_matcher is None  # no parser: the pattern is not used


def test_where_a_suggestion_goes_comes_from_the_rule(linter: Linter) -> None:
    report = linter.lint("Uw aanvraag voor een tweede parkeervergunning is afgewezen.")
    apply = {f.rule: f.apply for f in report.findings}
    rules = linter.ruleset.by_id()
    for rule_id, where in apply.items():
        assert where == (rules[rule_id].apply if rules[rule_id].kind == "missing" else "replace")
    missing = {where for rule_id, where in apply.items() if rules[rule_id].kind == "missing"}
    assert missing == {"before", "after"}  # the feeling goes first, the other handles after
