"""The Dutch spaCy pipeline: which one is used, and the two small components lint-reply adds.

Order of choice: an explicit name or path (`--model`, `LINT_REPLY_MODEL`), else
`nl_core_news_sm` when it is installed, else the embedded default built from
spaCy itself (`spacy.blank("nl")` + sentence splitting).

Every pipeline gets:
- `lint_reply_lines`: a line break ends a sentence (greetings, chat lines, lists);
- `lint_reply_normalizer`: `token.norm_` becomes lower case without accents, so
  rules match "discussieren" and "discussiëren" alike. Word forms of a rule's
  `[lemma]` come from simplemma when the rules are compiled, not at run time.
"""

from __future__ import annotations

import functools
import json
import os
import re
import stat

import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from .pipeline_info import MODEL_ENV, PREFERRED_MODEL, PipelineError, PipelineInfo, resolve_model  # noqa: F401 - re-exported

from .notation import fold
from ..paths import cache_dir

MAX_TEXT_CHARS = 5_000_000  # the reader's size limit; spaCy's own default (1,000,000) is lower
# simplemma lists some dialect or archaic spellings ("he" for hebben) and clitics ("z'n" for
# zijn) that are far more often another word; rules want the real forms.
MIN_FORM_LENGTH = 2
NOISE_FORMS = frozenset({"he", "hej", "ist", "z'n", "zn", "ge"})


@functools.lru_cache(maxsize=1)
def _simplemma_dictionary():
    # A private path in simplemma; `lemma_forms` degrades to "the lemma only" without it.
    from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

    return DefaultDictionaryFactory().get_dictionary("nl")


@functools.lru_cache(maxsize=200_000)
def lemmatize(word: str) -> str:
    import simplemma

    lemma = simplemma.lemmatize(word.lower(), lang="nl")
    return lemma.replace("_", "")  # simplemma writes separable verbs as "af_wijzen"


VOWELS = set("aeiou")


def present_tense_forms(infinitive: str) -> set[str]:
    """Regular present-tense forms of a Dutch verb: staan -> sta, staat; maken -> maak, maakt.

    simplemma's table maps some of these to another word ("staat" -> the noun), so
    rules would miss them; the spelling rules below are regular enough to fill the gap.
    """
    if infinitive.endswith("aan") and len(infinitive) <= 6:  # gaan -> ga, gaat
        return {infinitive[:-2], infinitive[:-1] + "t"}
    if not infinitive.endswith("en") or len(infinitive) < 4:
        return set()
    elif infinitive.endswith(("ien", "oen")) and len(infinitive) <= 6:  # zien, doen
        stem = infinitive[:-1]
    else:
        stem = infinitive[:-2]
        if len(stem) >= 2 and stem[-1] == stem[-2] and stem[-1] not in VOWELS:
            stem = stem[:-1]  # zetten -> zet
        elif len(stem) >= 3 and stem[-2] in VOWELS and stem[-3] not in VOWELS and stem[-1] not in VOWELS:
            stem = stem[:-1] + stem[-2] + stem[-1]  # maken -> maak
        stem = stem[:-1] + {"v": "f", "z": "s"}.get(stem[-1], stem[-1])  # geven -> geef
    return {stem, stem if stem.endswith("t") else stem + "t"}


def lemma_forms(lemmas: set[str]) -> dict[str, set[str]]:
    """All inflected forms simplemma knows for each lemma (accent-folded), plus regular ones.

    Scanning simplemma's table takes most of a second, so the result is cached on disk
    (it depends only on the lemmas the rules use and on the simplemma version).
    """
    wanted = sorted({fold(lemma) for lemma in lemmas})
    cached = read_cache(_forms_cache_name(wanted))
    if isinstance(cached, dict) and set(cached) == set(wanted):
        return {lemma: set(forms) for lemma, forms in cached.items()}
    forms: dict[str, set[str]] = {lemma: {lemma} | present_tense_forms(lemma) for lemma in wanted}
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


def _forms_cache_name(wanted: list[str]) -> str:
    import hashlib
    from importlib.metadata import version

    try:
        simplemma_version = version("simplemma")
    except Exception:  # pragma: no cover
        simplemma_version = "unknown"
    return "lemma-forms-" + hashlib.sha256("\n".join([simplemma_version, *wanted]).encode()).hexdigest()[:16]


MAX_CACHE_BYTES = 64 * 1024 * 1024


def read_cache(name: str):
    """JSON stored by `write_cache`, or None when absent, unreadable or not a plain file.

    A FIFO or a link to /dev/zero in the cache would hang or flood a read, so only a
    regular file of bounded size is opened; callers check the shape of what they get."""
    path = cache_dir() / f"{name}.json"
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_CACHE_BYTES:
            return None
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            return json.loads(handle.read(MAX_CACHE_BYTES + 1).decode("utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    finally:
        os.close(descriptor)


def write_cache(name: str, data) -> None:
    """Store JSON atomically; a read-only home only costs start-up time next time."""
    path = cache_dir() / f"{name}.json"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(data), encoding="utf-8")
        temporary.replace(path)
    except OSError:
        pass


@Language.component("lint_reply_lines")
def split_at_line_breaks(doc: Doc) -> Doc:
    starts = [token.i + 1 for token in doc[:-1] if token.is_space and "\n" in token.text]
    if starts:
        # One array update: setting token.is_sent_start one by one costs O(n) each.
        values = doc.to_array([SENT_START])
        values[starts] = 1
        doc.from_array([SENT_START], values)
    return doc


@Language.factory("lint_reply_normalizer")
def make_normalizer(nlp: Language, name: str):
    """Accent- and case-folded NORM for every token: what compiled patterns compare.

    Word forms of a `[lemma]` are expanded when the rules are compiled, so nothing
    needs a lemma at run time (a trained pipeline's own lemmatizer still runs)."""

    def normalize(doc: Doc) -> Doc:
        for token in doc:
            token.norm_ = fold(token.text)
        return doc

    return normalize


@functools.lru_cache(maxsize=1)
def _glued_words() -> frozenset[str]:
    """Tokenizer exceptions that are ordinary words glued to a full stop ("u.", "dat.", "app."), lower case.

    spaCy's Dutch exceptions keep ~1,500 legal abbreviations whole; the ones whose stem is a
    word simplemma knows are split again. The set depends only on the spaCy and simplemma
    versions, so it is cached on disk: simplemma's dictionary is then not loaded at run time."""
    from importlib.metadata import version

    name = "glued-words-" + "-".join(version(package) for package in ("spacy", "simplemma"))
    cached = read_cache(name)
    if isinstance(cached, list) and all(isinstance(word, str) for word in cached):
        return frozenset(cached)
    import simplemma

    rules = spacy.blank("nl").tokenizer.rules
    words = sorted({key.lower() for key in rules if key.endswith(".") and key[:-1].isalpha()
                    and (key[:-1].lower() == "u" or (len(key) > 2 and simplemma.is_known(key[:-1].lower(), lang="nl")))})  # fmt: skip
    write_cache(name, words)
    return frozenset(words)


@Language.component("lint_reply_split_stops")
def split_full_stops(doc: Doc) -> Doc:
    """Split "u." into "u" + ".".

    spaCy's Dutch exceptions keep legal abbreviations such as "u.", "dat.", "best."
    and "app." whole; in a reply these are the last word of a sentence ("... voor u."),
    and the rules (and the sentence splitter) must see the word and the full stop.
    The component runs first, on a bare tokenization, so it builds a new Doc in one
    pass (the retokenizer's splits cost O(n) each: quadratic on "u. u. u. ...").
    """
    glued = _glued_words()
    if not any(token.text.endswith(".") and token.text.lower() in glued for token in doc):
        return doc
    words: list[str] = []
    spaces: list[bool] = []
    for token in doc:
        if token.text.endswith(".") and token.text.lower() in glued:
            words += [token.text[:-1], "."]
            spaces += [False, bool(token.whitespace_)]
        else:
            words.append(token.text)
            spaces.append(bool(token.whitespace_))
    split = Doc(doc.vocab, words=words, spaces=spaces, user_data=doc.user_data)
    split._context = doc._context  # what nlp.pipe(as_tuples=True) pairs with the Doc
    return split


def _embedded() -> Language:
    nlp = spacy.blank("nl")
    nlp.add_pipe("lint_reply_split_stops")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("lint_reply_lines")
    nlp.add_pipe("lint_reply_normalizer")
    nlp.meta["name"] = "embedded_default"
    nlp.meta["version"] = f"spacy-{spacy.__version__}"
    return nlp


def _trained(name_or_path: str) -> Language:
    try:
        nlp = spacy.load(name_or_path, exclude=["ner"])
    except (OSError, ImportError, ValueError) as error:
        raise PipelineError(f"kan het spaCy-model '{name_or_path}' niet laden: {error}") from None
    if nlp.lang != "nl":
        raise PipelineError(f"het model '{name_or_path}' is niet Nederlands (taal: {nlp.lang})")
    nlp.add_pipe("lint_reply_split_stops", first=True)
    sentence_setters = {"parser", "senter", "sentencizer"} & set(nlp.pipe_names)
    if not sentence_setters:
        nlp.add_pipe("sentencizer")
        first_setter = "sentencizer"
    else:
        first_setter = next(name for name in nlp.pipe_names if name in sentence_setters)
    # Before the parser, so that it keeps the line breaks as sentence ends.
    nlp.add_pipe("lint_reply_lines", before=first_setter)
    nlp.add_pipe("lint_reply_normalizer")
    return nlp


@functools.lru_cache(maxsize=4)
def load_pipeline(model: str | None = None) -> tuple[Language, PipelineInfo]:
    """Load (once per process) the pipeline chosen by `model`, the environment, or what is installed."""
    choice = resolve_model(model)
    if choice == "embedded":
        nlp = _embedded()
        kind = "embedded"
    else:
        nlp = _trained(choice)
        kind = "trained"
    nlp.max_length = max(nlp.max_length, MAX_TEXT_CHARS)
    info = PipelineInfo(
        name=f"{nlp.meta.get('lang', 'nl')}_{nlp.meta['name']}" if kind == "trained" else nlp.meta["name"],
        version=str(nlp.meta.get("version", "")),
        kind=kind,
        has_parser="parser" in nlp.pipe_names,
    )
    return nlp, info


LONG_TEXT_CHARS = 50_000  # above this a trained pipeline parses the text paragraph by paragraph
CHUNK_CHARS = 5_000  # paragraphs are grouped into pieces of about this size for nlp.pipe
# A paragraph ends after a blank line; the whitespace that follows stays with it, so every
# piece starts with a word and the pieces' tokens are the whole text's tokens.
PARAGRAPH = re.compile(r".*?(?:\n[ \t]*\n\s*|\Z)", re.DOTALL)


def paragraph_pieces(text: str, size: int = CHUNK_CHARS) -> list[str]:
    """`text` cut after blank lines into pieces of about `size` characters (a longer paragraph
    stays whole); joined they are `text` again."""
    pieces: list[str] = []
    current = ""
    for paragraph in PARAGRAPH.findall(text):
        if current and len(current) + len(paragraph) > size:
            pieces.append(current)
            current = ""
        current += paragraph
    if current:
        pieces.append(current)
    return pieces


def make_doc(nlp: Language, text: str, by_paragraph: bool, threshold: int = LONG_TEXT_CHARS) -> Doc:
    """`nlp(text)`; with `by_paragraph` (trained pipelines) a text over `threshold` characters goes
    through `nlp.pipe` paragraph by paragraph and the Docs are joined, so the parser's memory stays
    that of one paragraph. The joined Doc has the same text, so every offset holds; the parse of a
    sentence can differ slightly from a whole-text parse, as the model sees less context."""
    if not by_paragraph or len(text) <= threshold:
        return nlp(text)
    pieces = paragraph_pieces(text)
    if len(pieces) == 1:
        return nlp(text)
    docs = []
    for doc in nlp.pipe(pieces, batch_size=4):
        doc.tensor = doc.tensor[:0].copy()  # the tok2vec output is not needed any more (a copy: a view keeps it)
        docs.append(doc)
    return Doc.from_docs(docs, ensure_whitespace=False)
