"""Word forms of a lemma, for compiling `[hebben]` in a pattern to every form of the word.

Rules do not depend on a pipeline's lemmatizer: `[lemma]` becomes the set of inflected
forms simplemma's table knows for it (heeft, hebt, had, gehad ...), plus the regular
present-tense forms the table misses. Only compiling the rules (`compile`) asks for them.
"""

from __future__ import annotations

import functools

from ..paths import read_cache, write_cache
from .notation import fold

# simplemma lists some dialect or archaic spellings ("he" for hebben) and clitics ("z'n" for
# zijn) that are far more often another word; rules want the real forms.
MIN_FORM_LENGTH = 2
NOISE_FORMS = frozenset({"he", "hej", "ist", "z'n", "zn", "ge"})


@functools.lru_cache(maxsize=1)
def _simplemma_dictionary():
    # A private path in simplemma; `lemma_forms` degrades to "the lemma only" without it.
    from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

    return DefaultDictionaryFactory().get_dictionary("nl")


VOWELS = set("aeiou")
FORMS_VERSION = "3"  # part of the cache key: raise it when the regular forms below change


def _present_stem(infinitive: str) -> str:
    """The first person singular of a verb in -en: zetten -> zet, maken -> maak, geven -> geef, zien -> zie
    ("" otherwise; gaan and staan are spelled out where they are needed)."""
    if not infinitive.endswith("en") or len(infinitive) < 4:
        return ""
    if infinitive.endswith(("ien", "oen")) and len(infinitive) <= 6:  # zien, doen
        return infinitive[:-1]
    stem = infinitive[:-2]
    if len(stem) >= 2 and stem[-1] == stem[-2] and stem[-1] not in VOWELS:
        stem = stem[:-1]  # zetten -> zet
    elif len(stem) >= 3 and stem[-2] in VOWELS and stem[-3] not in VOWELS and stem[-1] not in VOWELS:
        stem = stem[:-1] + stem[-2] + stem[-1]  # maken -> maak
    return stem[:-1] + {"v": "f", "z": "s"}.get(stem[-1], stem[-1])


def present_tense_forms(infinitive: str) -> set[str]:
    """Regular present-tense forms of a Dutch verb: staan -> sta, staat; maken -> maak, maakt.

    simplemma's table maps some of these to another word ("staat" -> the noun), so
    rules would miss them; the spelling rules below are regular enough to fill the gap.
    """
    if infinitive.endswith("aan") and len(infinitive) <= 6:  # gaan -> ga, gaat
        return {infinitive[:-2], infinitive[:-1] + "t"}
    stem = _present_stem(infinitive)
    if not stem:
        return set()
    return {stem, stem if stem.endswith("t") else stem + "t"}


# Verbs with these unstressed prefixes take no "ge-" in the participle (betaald, verlengd).
UNSTRESSED_PREFIXES = ("be", "ge", "ver", "ont", "her", "er")
VOICELESS = ("t", "k", "f", "s", "ch", "p")  # 't kofschip: their stems take -t


def participle_forms(infinitive: str) -> set[str]:
    """Regular past participles: informeren -> geinformeerd(e), betalen -> betaald(e).

    simplemma's table files some participles as adjectives of their own ("geïnformeerd"),
    so "[informeren]" missed "wij hebben u geïnformeerd". Irregular verbs get a form that
    no one writes, which matches nothing."""
    stem = _present_stem(infinitive)
    if not stem or infinitive.endswith(("ien", "oen")):
        return set()
    # the letter before -en decides, before v/z became f/s: leven -> geleefd, lachen -> gelacht
    ending = "" if stem.endswith(("t", "d")) else ("t" if infinitive[:-2].endswith(VOICELESS) else "d")
    participle = stem + ending
    if not infinitive.startswith(UNSTRESSED_PREFIXES):
        participle = "ge" + participle
    return {participle, participle + "e"}


def lemma_forms(lemmas: set[str]) -> dict[str, set[str]]:
    """All inflected forms simplemma knows for each lemma (accent-folded), plus regular ones.

    Scanning simplemma's table takes most of a second, so the result is cached on disk
    (it depends only on the lemmas the rules use and on the simplemma version).
    """
    wanted = sorted({fold(lemma) for lemma in lemmas})
    cached = read_cache(_forms_cache_name(wanted))
    if isinstance(cached, dict) and set(cached) == set(wanted):
        return {lemma: set(forms) for lemma, forms in cached.items()}
    forms: dict[str, set[str]] = {lemma: {lemma} | present_tense_forms(lemma) | participle_forms(lemma) for lemma in wanted}
    try:
        table = _simplemma_dictionary()
    except Exception:  # pragma: no cover - only when simplemma's layout changes
        return forms
    targets = set(wanted)
    for form, lemma in table.items():
        key = lemma.replace("_", "")
        if key not in targets:
            if key.isascii():
                continue
            key = fold(key)
            if key not in targets:
                continue
        if len(form) >= MIN_FORM_LENGTH and " " not in form and form not in NOISE_FORMS:
            forms[key].add(fold(form))
    write_cache(_forms_cache_name(wanted), {lemma: sorted(found) for lemma, found in forms.items()})
    return forms


@functools.lru_cache(maxsize=1)
def simplemma_version() -> str:
    """The installed simplemma's version (part of every cache key that depends on its tables)."""
    from importlib.metadata import version

    try:
        return version("simplemma")
    except Exception:  # pragma: no cover
        return "unknown"


def _forms_cache_name(wanted: list[str]) -> str:
    import hashlib

    return "lemma-forms-" + hashlib.sha256("\n".join([simplemma_version(), FORMS_VERSION, *wanted]).encode()).hexdigest()[:16]
