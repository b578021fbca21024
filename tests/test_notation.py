"""The phrase notation: what each construct compiles to, and errors that point at the character."""

from __future__ import annotations

import pytest

from linter.engine import notation
from linter.engine.notation import CompileContext, NotationError, compile_pattern, fold, parse


def compile_text(text: str, lists=None, forms=None):
    lists = {name: [parse(entry) for entry in entries] for name, entries in (lists or {}).items()}
    ctx = CompileContext(lists=lists, lemma_forms=lambda lemma: set((forms or {}).get(lemma, ())))
    return compile_pattern(parse(text), ctx)


def test_fold_ignores_case_and_accents() -> None:
    assert fold("Discussiëren") == "discussieren"
    assert fold("Geïnformeerd") == "geinformeerd"
    assert fold("zo\u2019n") == "zo'n"


def test_words_sets_and_optional() -> None:
    [(tokens, free)] = compile_text("{u|je} heeft (helemaal)? gelijk")
    assert tokens[0] == {"NORM": {"IN": ["je", "u"]}}
    assert tokens[1] == {"NORM": "heeft", "IS_SENT_START": False}
    assert tokens[2] == {"NORM": "helemaal", "IS_SENT_START": False, "OP": "?"}
    assert free == [False, False, False, False]


def test_lemma_uses_all_known_forms() -> None:
    [(tokens, _)] = compile_text("[hebben] gelijk", forms={"hebben": {"heeft", "had"}})
    assert set(tokens[0]["NORM"]["IN"]) == {"hebben", "heeft", "had"}


def test_gap_is_bounded_and_free() -> None:
    [(tokens, free)] = compile_text("ik ...3 boos")
    assert tokens[1] == {"NORM": {"NOT_IN": [";", ":"]}, "IS_SENT_START": False, "OP": "{0,3}"}
    assert free == [False, True, False]
    [(tokens, _)] = compile_text("ik ... boos")
    assert tokens[1]["OP"] == "{0,4}"


def test_phrase_alternatives_expand() -> None:
    compiled = compile_text("(ik ga|wij gaan) kijken")
    assert len(compiled) == 2
    assert [t["NORM"] for t in compiled[0][0]] == ["ik", "ga", "kijken"]


def test_single_word_alternatives_merge_into_one_slot() -> None:
    [(tokens, _)] = compile_text("(boos|kwaad|@feel) zijn", lists={"feel": ["verdrietig", "bang"]})
    assert set(tokens[0]["NORM"]["IN"]) == {"boos", "kwaad", "verdrietig", "bang"}


def test_prefix_and_fuzzy() -> None:
    [(tokens, _)] = compile_text("uitzonder*")
    assert tokens[0]["NORM"] == {"REGEX": "^(?:uitzonder)"}
    [(tokens, _)] = compile_text("~teleurgesteld")
    assert tokens[0]["NORM"] == {"FUZZY": "teleurgesteld"}


def test_list_entries_can_be_phrases() -> None:
    compiled = compile_text("dat is @feel", lists={"feel": ["rot", "niet leuk"]})
    assert len(compiled) == 2


def test_escaped_question_mark_is_a_word() -> None:
    [(tokens, _)] = compile_text("wilt u dat \\?")
    assert tokens[-1]["NORM"] == "?"


@pytest.mark.parametrize(
    "text, column, fragment",
    [
        ("ik (ga kijken", 4, "niet gesloten"),
        ("ik ga kijken)", 13, "zonder bijbehorende"),
        ("{u|je heeft", 1, "niet gesloten"),
        ("... boos", 1, "niet met een gat"),
        ("boos ...", 9, "niet met een gat"),
        ("ik ...99 boos", 9, "1 tot 12"),
        ("? boos", 1, "staat achter niets"),
        ("{u|} boos", 1, "lege keuze"),
        ("[zo snel] boos", 1, "losse woorden"),
        ("{u|(je)} boos", 1, "alleen woorden"),
        ("(ik|) boos", 5, "leeg alternatief"),
        ("", 1, "leeg patroon"),
    ],
)
def test_errors_name_the_column(text: str, column: int, fragment: str) -> None:
    with pytest.raises(NotationError) as caught:
        parse(text)
    assert fragment in str(caught.value)
    assert caught.value.column == column


def test_unknown_list_and_self_reference() -> None:
    with pytest.raises(NotationError, match="onbekende woordenlijst"):
        compile_text("@nope")
    with pytest.raises(NotationError, match="naar zichzelf"):
        compile_text("@a", lists={"a": ["@a"]})


def test_pattern_that_can_match_nothing_is_refused() -> None:
    with pytest.raises(NotationError, match="lege tekst"):
        compile_text("(ik)? (jij)?")


def test_expansion_limit() -> None:
    many = " ".join(f"(a{i} b|c{i} d)" for i in range(12))
    with pytest.raises(NotationError, match="te groot"):
        compile_text(many)


def test_lemmas_and_lists_are_collected() -> None:
    parsed = parse("[hebben] ... (@feel|[zijn])")
    assert notation.lemmas_used(parsed) == {"hebben", "zijn"}
    assert notation.list_refs(parsed) == {"feel"}


def test_prefixes_inside_a_word_set() -> None:
    compiled = compile_text("{daeb*|wws*|skw} woning")
    slots = [tokens[0]["NORM"] for tokens, _ in compiled]
    assert {"REGEX": "^(?:daeb|wws)"} in slots and "skw" in slots


def test_suffix_matches_the_compounds_of_a_noun() -> None:
    [(tokens, _)] = compile_text("*factuur")
    assert tokens[0]["NORM"] == {"REGEX": "(?:factuur)$"}
    compiled = compile_text("{*boete|aanslag*|rekening} blijft")
    slots = [tokens[0]["NORM"] for tokens, _ in compiled]
    assert {"REGEX": "^(?:aanslag)|(?:boete)$"} in slots and "rekening" in slots


def test_suffix_matches_in_a_text(linter) -> None:
    from spacy.matcher import Matcher

    matcher = Matcher(linter.nlp.vocab)
    matcher.add("charge", [tokens for tokens, _ in compile_text("de {*factuur|*boete} blijft")])
    texts = ("De slotfactuur blijft staan.", "De parkeerboete blijft.", "De factuur blijft.", "De factuurdatum blijft.")
    found = [len(matcher(linter.nlp(text))) for text in texts]
    assert found == [1, 1, 1, 0]


def test_a_short_suffix_is_refused() -> None:
    with pytest.raises(NotationError, match="minstens 4 letters"):
        parse("{*ing|boete}")


def test_phrases_inside_a_word_set() -> None:
    compiled = compile_text("{zo snel|vandaag} bellen")
    assert sorted(len(tokens) for tokens, _ in compiled) == [2, 3]


def test_regular_participles_fill_the_lemma_table() -> None:
    from linter.engine.forms import participle_forms, present_tense_forms

    assert participle_forms("informeren") == {"geinformeerd", "geinformeerde"}
    assert participle_forms("betalen") == {"betaald", "betaalde"}  # no ge- after be-
    assert "gelacht" in participle_forms("lachen") and "geleefd" in participle_forms("leven")
    assert participle_forms("gaan") == set() and participle_forms("nee") == set()
    assert present_tense_forms("zetten") == {"zet"} and present_tense_forms("maken") == {"maak", "maakt"}
    assert present_tense_forms("staan") == {"sta", "staat"} and present_tense_forms("gaan") == {"ga", "gaat"}
