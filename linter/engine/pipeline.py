"""The Dutch spaCy pipeline: which one is used, and the two small components lint-reply adds.

Order of choice: an explicit name or path (`--model`, `LINT_REPLY_MODEL`), else
`nl_core_news_sm` when it is installed, else the embedded default built from
spaCy itself (`spacy.blank("nl")` + sentence splitting).

Every pipeline gets:
- `lint_reply_lines`: a line break ends a sentence (greetings, chat lines, lists);
- `lint_reply_normalizer`: `token.norm_` becomes lower case without accents, so
  rules match "discussieren" and "discussiëren" alike. Word forms of a rule's
  `[lemma]` come from simplemma when the rules are compiled (`forms`), not at run time.
"""

from __future__ import annotations

import functools
import re

import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from ..names import PipelineError, PipelineInfo, resolve_model
from ..paths import read_cache, write_cache
from .notation import fold

MAX_TEXT_CHARS = 5_000_000  # the reader's size limit; spaCy's own default (1,000,000) is lower


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
