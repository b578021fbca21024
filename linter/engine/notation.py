"""The phrase notation trainers write rule patterns in, compiled to spaCy Matcher patterns.

    word            the word itself; case and accents do not matter (discussieren = discussiëren)
    {u|je|jij}      one of these words (or short phrases: {zo snel|deze week})
    [hebben]        any form of the word: heeft, hebt, had, gehad ...  ([kunnen|mogen]: either)
    uitzondering*   any word that starts with "uitzondering"
    *factuur        any word that ends in "factuur": factuur, slotfactuur, eindfactuur (a Dutch
                    compound keeps its head last, so one entry covers the compounds of a noun)
    ~teleurgesteld  the word, or a typo of it (one or two letters off)
    _               any single word
    (ik ga|wij gaan)  one of these phrases
    X?              X is optional (after a word, {..}, [..], (..) or @list)
    ...             a gap of 0 to 4 words inside the sentence, never over ";" or ":"; ...8 allows up to 8
    @emotion        any entry of the word list `rules/lists/emotion.yaml`
    \\?              a character that otherwise means something (here: a question mark)

A pattern never crosses a sentence boundary. Parsing gives a small syntax tree;
`compile_pattern` expands it into a few flat token patterns, merging
single-word alternatives into one `IN` set so the Matcher stays small.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Callable, Mapping, Sequence

DEFAULT_GAP = 4
MIN_SUFFIX = 4
MAX_GAP = 12
MAX_EXPANSIONS = 2000
SPECIAL = set("(){}[]|?@\\")


class NotationError(ValueError):
    """A pattern that cannot be parsed; `column` is 1-based within the pattern."""

    def __init__(self, message: str, column: int | None = None):
        super().__init__(message)
        self.column = column


def fold(text: str) -> str:
    """Lower-case and strip accents: the form words are compared in (see `pipeline`)."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# --- syntax tree -----------------------------------------------------------


@dataclass
class Node:
    optional: bool = field(default=False, kw_only=True)


@dataclass
class Words(Node):  # word, {a|b}
    words: tuple[str, ...]


@dataclass
class Lemmas(Node):  # [hebben|krijgen]
    lemmas: tuple[str, ...]


@dataclass
class Prefix(Node):  # woning*
    prefix: str


@dataclass
class Suffix(Node):  # *factuur
    suffix: str


@dataclass
class Fuzzy(Node):  # ~word
    word: str


@dataclass
class AnyWord(Node):  # _
    pass


@dataclass
class Gap(Node):  # ...  / ...8
    size: int


@dataclass
class ListRef(Node):  # @emotion
    name: str


@dataclass
class Group(Node):  # (a b|c)
    alternatives: list[list[Node]]


# --- parser ----------------------------------------------------------------

_NAME = re.compile(r"[A-Za-z0-9_-]+")


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.pos = 0

    def fail(self, message: str, pos: int | None = None) -> NotationError:
        return NotationError(message, (self.pos if pos is None else pos) + 1)

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def skip_space(self) -> None:
        while self.peek().isspace():
            self.pos += 1

    def parse(self) -> list[list[Node]]:
        alternatives = self.sequence_alternatives(closing="")
        if self.pos < len(self.text):
            raise self.fail(f"onverwacht teken '{self.peek()}'")
        return alternatives

    def sequence_alternatives(self, closing: str) -> list[list[Node]]:
        alternatives = [self.sequence(closing)]
        while self.peek() == "|":
            self.pos += 1
            alternatives.append(self.sequence(closing))
        return alternatives

    def sequence(self, closing: str) -> list[Node]:
        nodes: list[Node] = []
        while True:
            self.skip_space()
            ch = self.peek()
            if ch == "" or ch == "|" or (closing and ch == closing):
                break
            if ch == ")":
                raise self.fail("')' zonder bijbehorende '('")
            start = self.pos
            node = self.element()
            self.skip_space()
            if self.peek() == "?":
                if isinstance(node, Gap):
                    raise self.fail("een gat (...) is al optioneel; '?' mag er niet achter")
                node.optional = True
                self.pos += 1
            if isinstance(node, Gap) and not nodes:
                raise self.fail("een patroon of alternatief mag niet met een gat (...) beginnen", start)
            nodes.append(node)
        if not nodes:
            raise self.fail("leeg alternatief: er staat niets tussen '|' of haakjes")
        if isinstance(nodes[-1], Gap):
            raise self.fail("een patroon of alternatief mag niet met een gat (...) eindigen")
        return nodes

    def element(self) -> Node:
        ch = self.peek()
        if ch == "(":
            start = self.pos
            self.pos += 1
            alternatives = self.sequence_alternatives(closing=")")
            if self.peek() != ")":
                raise self.fail("'(' wordt niet gesloten met ')'", start)
            self.pos += 1
            return Group(alternatives)
        if ch in "{[":
            return self.word_set(ch)
        if ch == "@":
            self.pos += 1
            match = _NAME.match(self.text, self.pos)
            if not match:
                raise self.fail("na '@' hoort de naam van een woordenlijst")
            self.pos = match.end()
            return ListRef(match.group())
        if self.text.startswith("...", self.pos) or ch == "\u2026":
            self.pos += 1 if ch == "\u2026" else 3
            digits = re.match(r"\d+", self.text[self.pos :])
            size = DEFAULT_GAP
            if digits:
                size = int(digits.group())
                self.pos += len(digits.group())
                if not 1 <= size <= MAX_GAP:
                    raise self.fail(f"een gat mag 1 tot {MAX_GAP} woorden groot zijn, niet {size}")
            return Gap(size)
        if ch == "~":
            self.pos += 1
            word = self.word()
            if not word:
                raise self.fail("na '~' hoort een woord")
            return Fuzzy(fold(word))
        if ch in "}]":
            raise self.fail(f"'{ch}' zonder bijbehorend openingsteken")
        if ch == "?":
            raise self.fail("'?' staat achter niets; schrijf \\? voor een letterlijk vraagteken")
        word = self.word()
        if word == "_":
            return AnyWord()
        if word.endswith("*") and len(word) > 1 and not word.endswith("\\*"):
            return Prefix(fold(word[:-1]))
        if word.startswith("*") and len(word) > 1:
            return self.suffix(word)
        return Words((fold(word.replace("\\*", "*")),))

    def suffix(self, word: str) -> Suffix:
        # a short head would match unrelated words ("*ing" is every verbal noun)
        if len(word) - 1 < MIN_SUFFIX:
            raise self.fail(f"'{word}': een woordeinde met '*' ervoor heeft minstens {MIN_SUFFIX} letters")
        return Suffix(fold(word[1:]))

    def word(self) -> str:
        chars: list[str] = []
        while True:
            ch = self.peek()
            if ch == "\\" and self.pos + 1 < len(self.text):
                chars.append(self.text[self.pos + 1])
                self.pos += 2
                continue
            if ch == "" or ch.isspace() or ch in SPECIAL:
                break
            chars.append(ch)
            self.pos += 1
        return "".join(chars)

    def word_set(self, opening: str) -> Node:
        closing = "}" if opening == "{" else "]"
        start = self.pos
        end = self.text.find(closing, self.pos)
        if end < 0:
            raise self.fail(f"'{opening}' wordt niet gesloten met '{closing}'", start)
        inner = self.text[self.pos + 1 : end]
        self.pos = end + 1
        items = [item.strip() for item in inner.split("|")]
        if not all(items):
            raise self.fail(f"lege keuze in '{opening}...{closing}'", start)
        if any(ch in "(){}[]@~" for item in items for ch in item):
            raise self.fail(f"in '{opening}...{closing}' staan alleen woorden, gescheiden door '|'", start)
        folded = tuple(fold(item) for item in items)
        if opening == "[":
            if any(" " in item for item in folded):
                raise self.fail("in '[...]' staan losse woorden; gebruik ([woord]|woord woord) voor woordgroepen", start)
            return Lemmas(folded)
        if any(" " in item for item in folded):  # {zo snel|deze week}: phrases too
            return Group([[Words((word,)) for word in item.split()] for item in folded])
        if any(len(item) > 1 and "*" in (item[0], item[-1]) for item in folded):  # {daeb*|*boete|wws}: affixes too
            return Group([[self._set_item(item)] for item in folded])
        return Words(folded)


    def _set_item(self, item: str) -> Node:
        if item.endswith("*") and len(item) > 1:
            return Prefix(item[:-1])
        if item.startswith("*") and len(item) > 1:
            return self.suffix(item)
        return Words((item,))


def parse(text: str) -> list[list[Node]]:
    """Parse a pattern into its top-level alternatives (each a list of nodes)."""
    if not text or not text.strip():
        raise NotationError("leeg patroon", 1)
    return _Parser(text).parse()


def list_refs(alternatives: Sequence[Sequence[Node]]) -> set[str]:
    """The word lists a pattern names (`@name`)."""
    return {node.name for node in _walk(alternatives) if isinstance(node, ListRef)}


def lemmas_used(alternatives: Sequence[Sequence[Node]]) -> set[str]:
    """The lemmas a pattern names (`[lemma]`), whose forms compiling needs."""
    return {lemma for node in _walk(alternatives) if isinstance(node, Lemmas) for lemma in node.lemmas}


def _walk(alternatives: Sequence[Sequence[Node]]):
    for sequence in alternatives:
        for node in sequence:
            yield node
            if isinstance(node, Group):
                yield from _walk(node.alternatives)


# --- compiler --------------------------------------------------------------


@dataclass(frozen=True)
class Tok:
    """One token slot of a flat pattern before it becomes a Matcher dict."""

    norms: frozenset[str] = frozenset()
    prefixes: frozenset[str] = frozenset()
    suffixes: frozenset[str] = frozenset()
    fuzzy: str = ""
    any_word: bool = False
    op: str = ""  # "", "?" or "{0,N}"

    @property
    def is_free(self) -> bool:
        """A wildcard or gap: the guards treat words matched here as context, not as the phrase."""
        return self.any_word or self.op.startswith("{")

    def to_spacy(self, first: bool) -> dict:
        spec: dict = {}
        if self.norms:
            spec["NORM"] = next(iter(self.norms)) if len(self.norms) == 1 else {"IN": sorted(self.norms)}
        elif self.prefixes or self.suffixes:
            spec["NORM"] = {"REGEX": "|".join(_affix_regexes(self.prefixes, self.suffixes))}
        elif self.fuzzy:
            spec["NORM"] = {"FUZZY": self.fuzzy}
        elif self.op.startswith("{"):
            spec["NORM"] = {"NOT_IN": GAP_STOPS}
        if not first:
            spec["IS_SENT_START"] = False
        if self.op:
            spec["OP"] = self.op
        return spec


# A gap never runs over ";" or ":": what follows is a new statement ("zij kunnen
# instellen wat u wilt; wij niet"). Commas stay open: letters put asides between them.
GAP_STOPS = [";", ":"]


def _affix_regexes(prefixes: frozenset[str], suffixes: frozenset[str]) -> list[str]:
    regexes = []
    if prefixes:
        regexes.append(f"^(?:{'|'.join(re.escape(p) for p in sorted(prefixes))})")
    if suffixes:
        regexes.append(f"(?:{'|'.join(re.escape(s) for s in sorted(suffixes))})$")
    return regexes


Flat = tuple[Tok, ...]


@dataclass
class CompileContext:
    """What compiling needs beyond the pattern: word lists, lemma forms, the tokenizer."""

    lists: Mapping[str, list[list[list[Node]]]]
    lemma_forms: Callable[[str], set[str]]
    split_word: Callable[[str], list[str]] = lambda word: [word]
    _stack: list[str] = field(default_factory=list)
    _expanded: dict[str, list] = field(default_factory=dict)  # word lists expand once per compile


def compile_pattern(alternatives: Sequence[Sequence[Node]], ctx: CompileContext) -> list[tuple[list[dict], list[bool]]]:
    """Expand a parsed pattern into Matcher patterns, each with a mask of its free (gap/wildcard) slots."""
    flats = _expand_alternatives(alternatives, ctx)
    result = []
    for flat in flats:
        if not flat or all(tok.op in ("?",) or tok.is_free for tok in flat):
            raise NotationError("dit patroon kan een lege tekst matchen; maak minstens één woord verplicht")
        result.append(([tok.to_spacy(i == 0) for i, tok in enumerate(flat)], [tok.is_free for tok in flat]))
    return result


def _expand_alternatives(alternatives: Sequence[Sequence[Node]], ctx: CompileContext) -> list[Flat]:
    flats: list[Flat] = []
    for sequence in alternatives:
        flats.extend(_expand_sequence(sequence, ctx))
    return _merge_single_words(flats)


def _expand_sequence(sequence: Sequence[Node], ctx: CompileContext) -> list[Flat]:
    choices = [_expand_node(node, ctx) for node in sequence]
    total = 1
    for options in choices:
        total *= len(options)
    if total > MAX_EXPANSIONS:
        raise NotationError(
            f"dit patroon wordt te groot ({total} varianten, maximaal {MAX_EXPANSIONS}); splits het in meer patronen"
        )
    return [tuple(itertools.chain.from_iterable(combo)) for combo in itertools.product(*choices)]


def _expand_node(node: Node, ctx: CompileContext) -> list[Flat]:
    if isinstance(node, Words):
        options = [_literal(word, ctx) for word in node.words]
        options = _merge_single_words(options)
    elif isinstance(node, Lemmas):
        norms: set[str] = set()
        for lemma in node.lemmas:
            norms |= ctx.lemma_forms(lemma) | {lemma}
        options = [(Tok(norms=frozenset(norms)),)]
    elif isinstance(node, Prefix):
        options = [(Tok(prefixes=frozenset([node.prefix])),)]
    elif isinstance(node, Suffix):
        options = [(Tok(suffixes=frozenset([node.suffix])),)]
    elif isinstance(node, Fuzzy):
        options = [(Tok(fuzzy=node.word),)]
    elif isinstance(node, AnyWord):
        options = [(Tok(any_word=True),)]
    elif isinstance(node, Gap):
        return [(Tok(any_word=False, op=f"{{0,{node.size}}}"),)]
    elif isinstance(node, ListRef):
        options = _expand_list(node.name, ctx)
    elif isinstance(node, Group):
        options = _expand_alternatives(node.alternatives, ctx)
    else:  # pragma: no cover - the parser makes no other nodes
        raise TypeError(node)
    if node.optional:
        if len(options) == 1 and len(options[0]) == 1 and not options[0][0].op:
            return [(replace(options[0][0], op="?"),)]
        return options + [()]
    return options


def _literal(word: str, ctx: CompileContext) -> Flat:
    pieces = ctx.split_word(word) or [word]
    return tuple(Tok(norms=frozenset([fold(piece)])) for piece in pieces)


def _expand_list(name: str, ctx: CompileContext) -> list[Flat]:
    if name in ctx._expanded:
        return ctx._expanded[name]
    if name not in ctx.lists:
        raise NotationError(f"onbekende woordenlijst '@{name}'")
    if name in ctx._stack:
        raise NotationError(f"woordenlijst '@{name}' verwijst (via {' -> '.join(ctx._stack)}) naar zichzelf")
    ctx._stack.append(name)
    try:
        options: list[Flat] = []
        for entry in ctx.lists[name]:
            options.extend(_expand_alternatives(entry, ctx))
    finally:
        ctx._stack.pop()
    ctx._expanded[name] = _merge_single_words(options)
    return ctx._expanded[name]


def _merge_single_words(options: list[Flat]) -> list[Flat]:
    """Fold one-word alternatives into a single `IN` (or affix) slot: fewer Matcher patterns."""
    norms: set[str] = set()
    prefixes: set[str] = set()
    suffixes: set[str] = set()
    rest: list[Flat] = []
    for option in options:
        if len(option) == 1 and not option[0].op and not option[0].fuzzy and not option[0].any_word:
            norms |= option[0].norms
            prefixes |= option[0].prefixes
            suffixes |= option[0].suffixes
        else:
            rest.append(option)
    merged: list[Flat] = []
    if norms:
        merged.append((Tok(norms=frozenset(norms)),))
    if prefixes or suffixes:
        merged.append((Tok(prefixes=frozenset(prefixes), suffixes=frozenset(suffixes)),))
    seen: set[Flat] = set()
    unique = []
    for option in merged + rest:
        if option not in seen:
            seen.add(option)
            unique.append(option)
    return unique
