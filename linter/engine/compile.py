"""Compile a rule set into spaCy Matcher patterns, once, and keep them in a disk cache.

Every `patterns`, `unless` and `piles` entry of every rule becomes one or more
`PatternRecord`s: the notation expanded into flat token patterns (`[lemma]` into all its
`forms`, `@list` into its entries), or a pack's raw `spacy:` pattern after validation.
Expanding the notation is most of the start-up work, so the records are stored as JSON in
the cache folder under a digest of everything they depend on (the patterns, the word lists,
the tokenizer, the versions); a cache file that is missing, stale or malformed is rebuilt.

`load_compiled` goes one step further for start-up: the whole validated `RuleSet` and its
records are kept as one private pickle under a digest of the rule files' bytes (no YAML is
read when nothing changed); see `compiled_digest`.

Running the records is `match`'s work; this module only builds them.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import Any, Callable, Iterable, NamedTuple

import spacy
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.schemas import validate_token_pattern

from .. import __version__
from ..names import RuleError, builtin_rules_dir
from ..paths import read_cache, read_private_pickle, write_cache, write_private_pickle
from . import notation
from .forms import lemma_forms, simplemma_version
from .rules import CUES_FILE, SCOPES, Pattern, Rule, RuleSet, load_rules

# Part of the digest: a new version makes every older cache file stale (2: records as objects,
# 3: "needs" records).
CACHE_VERSION = 3
COMPILER_SOURCES = ("compile.py", "notation.py", "forms.py")
ROLES = ("pattern", "unless", "pile", "needs")


class PatternRecord(NamedTuple):
    """One compiled Matcher pattern and what the matcher must know about its hits."""

    key: str  # the Matcher key: "rule|role|line|number"
    rule: str  # the rule id
    role: str  # "pattern" (a hit), "unless" (a veto), "pile" (one count towards a pile) or
    # "needs" (what the pattern on the same line needs in its sentence before it may hit)
    free: tuple[bool, ...]  # per token slot: a gap or wildcard (its words are context, not the phrase)
    scope: str  # for "unless": how far a veto reaches (overlap, clause, sentence, reply)
    pile: int  # for "pile": which of the rule's piles
    tokens: list[dict]  # the spaCy token pattern

    def to_json(self) -> dict[str, Any]:
        return {**self._asdict(), "free": list(self.free)}

    @classmethod
    def from_json(cls, data: Any) -> PatternRecord | None:
        """The record stored by `to_json`, or None when `data` is not one (a wrong cache file)."""
        if not (isinstance(data, dict) and set(data) == set(cls._fields)):
            return None
        free, tokens = data["free"], data["tokens"]
        valid = (
            isinstance(data["key"], str) and isinstance(data["rule"], str) and data["role"] in ROLES
            and data["scope"] in SCOPES and isinstance(data["pile"], int)
            and isinstance(free, list) and all(isinstance(slot, bool) for slot in free)
            and isinstance(tokens, list) and tokens and all(isinstance(token, dict) for token in tokens)
        )  # fmt: skip
        return cls(**{**data, "free": tuple(free)}) if valid else None


def compile_rules(ruleset: RuleSet, nlp: Language) -> list[PatternRecord]:
    """Every Matcher pattern of the rule set, from the disk cache when the rules are unchanged."""
    name = f"patterns-{patterns_digest(ruleset, nlp)}"
    cached = _from_cache(read_cache(name), ruleset)
    if cached is not None:
        return cached
    forms: dict[str, set[str]] = {}  # filled on the first `[lemma]`: scanning simplemma takes a while
    context = notation.CompileContext(
        lists=ruleset.lists,
        lemma_forms=lambda lemma: (forms or forms.update(_lemma_table(ruleset)) or forms)[lemma],
        split_word=lambda word: [t.text for t in nlp.tokenizer(word)],
    )
    records: list[PatternRecord] = []
    for rule in ruleset.rules:
        for pattern in rule.patterns:
            records.extend(_compile(rule, pattern, "pattern", context))
            if pattern.needs is not None:  # keyed on the same line: the matcher pairs them
                records.extend(_compile(rule, pattern.needs, "needs", context))
        for pattern in rule.unless:
            records.extend(_compile(rule, pattern, "unless", context))
        for index, pile in enumerate(rule.piles):
            records.extend(_compile(rule, pile.pattern, "pile", context, index))
    write_cache(name, [record.to_json() for record in records])
    return records


def patterns_digest(ruleset: RuleSet, nlp: Language) -> str:
    """The cache key: everything the compiled patterns depend on."""
    # the compiler's own source counts too: a new notation or word-form rule must not meet
    # patterns compiled by the old one (the version number does not change between commits)
    compiler = [Path(__file__).with_name(name).read_bytes() for name in COMPILER_SOURCES]
    parts = [
        CACHE_VERSION, __version__, spacy.__version__, simplemma_version(), compiler,
        nlp.lang, nlp.meta.get("name"), nlp.meta.get("version"),
        [(r.id, [(p.source, p.scope, repr(p.parsed), repr(p.spacy)) for p in r.every_pattern()])
         for r in ruleset.rules],
        repr(sorted(ruleset.lists.items())),
    ]  # fmt: skip
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:20]


def _from_cache(data: Any, ruleset: RuleSet) -> list[PatternRecord] | None:
    """The cached records when they have the right shape and cover every rule with patterns:
    a wrong or emptied cache file is rebuilt, it never switches checks off."""
    if not isinstance(data, list) or not data:
        return None
    records = [PatternRecord.from_json(item) for item in data]
    if any(record is None for record in records):
        return None
    return records if _covers(records, ruleset) else None


def _covers(records: list[PatternRecord], ruleset: RuleSet) -> bool:
    """Every rule with patterns has records, and every record belongs to such a rule."""
    wanted = {rule.id for rule in ruleset.rules if rule.patterns or rule.piles}
    return {record.rule for record in records} == wanted


def load_compiled(
    nlp: Language,
    directories: list[Path] | None = None,
    packs: Iterable[Path] = (),
    words: dict[str, list[str]] | None = None,
    severity: dict[str, str] | None = None,
) -> tuple[RuleSet, list[PatternRecord]]:
    """`load_rules` and `compile_rules` in one, from a private disk cache when no rule file,
    setting, pipeline or version changed: reading the YAML and parsing every pattern is then
    skipped. A missing, stale, corrupt or foreign cache file is rebuilt; rule errors are raised
    as by `load_rules` (a broken rule set is never cached)."""
    packs = list(packs)
    digest = compiled_digest(nlp, directories or [builtin_rules_dir()], packs, words, severity)
    cached = _compiled_from_cache(read_private_pickle(digest), digest)
    if cached is not None:
        return cached
    ruleset = load_rules(directories, packs=packs, words=words, severity=severity)
    records = compile_rules(ruleset, nlp)
    write_private_pickle(digest, {"digest": digest, "ruleset": ruleset, "records": records})
    return ruleset, records


def _compiled_from_cache(data: Any, digest: str) -> tuple[RuleSet, list[PatternRecord]] | None:
    """What `load_compiled` stored under `digest`, when it is that and whole (else None: rebuild)."""
    if not (isinstance(data, dict) and data.get("digest") == digest):
        return None
    ruleset, records = data.get("ruleset"), data.get("records")
    if not (isinstance(ruleset, RuleSet) and isinstance(records, list) and records):
        return None
    if not (all(isinstance(record, PatternRecord) for record in records) and _covers(records, ruleset)):
        return None
    return ruleset, records


def compiled_digest(
    nlp: Language,
    directories: list[Path],
    packs: list[Path],
    words: dict[str, list[str]] | None,
    severity: dict[str, str] | None,
) -> str:
    """The key of `load_compiled`'s cache: the bytes of every file the rule set is read from
    (with the path as given and as resolved: rule paths appear in messages, and a pack may not
    link outside itself), the settings that change it, the pipeline (its tokenizer splits the
    patterns' words), the versions, and the engine's own source, which defines the pickled
    classes. Hashing ~1 MB takes a few milliseconds; no file is parsed."""
    digest = hashlib.sha256()

    def add(*parts: Any) -> None:
        digest.update(repr(parts).encode("utf-8") + b"\0")

    add(CACHE_VERSION, __version__, spacy.__version__, simplemma_version(), sys.version_info[:2],
        nlp.lang, nlp.meta.get("name"), nlp.meta.get("version"),
        sorted((words or {}).items()), sorted((severity or {}).items()))  # fmt: skip
    engine = Path(__file__).parent
    files = sorted(engine.glob("*.py"))
    for kind, directory in [*(("rules", d) for d in directories), *(("pack", p) for p in packs)]:
        add(kind, str(directory), str(Path(directory).resolve()))
        files += [*sorted(Path(directory, "lists").glob("*.yaml")), *sorted(Path(directory).glob("*.yaml"))]
        files.append(Path(directory, CUES_FILE))  # pack.yaml, when there is one, is among the *.yaml
    for path in files:
        try:
            add(str(path), str(path.resolve()))
            digest.update(path.read_bytes())
        except OSError as error:  # absent (no pack.yaml) or unreadable: load_rules says which, on a miss
            add(type(error).__name__)
    return digest.hexdigest()[:24]


def _lemma_table(ruleset: RuleSet) -> dict[str, set[str]]:
    """The forms of every `[lemma]` the rules and word lists use, looked up in one pass."""
    wanted: set[str] = set()
    for entries in ruleset.lists.values():
        for entry in entries:
            wanted |= notation.lemmas_used(entry)
    for rule in ruleset.rules:
        for pattern in rule.every_pattern():
            if pattern.parsed is not None:
                wanted |= notation.lemmas_used(pattern.parsed)
    return lemma_forms(wanted)


def _compile(rule: Rule, pattern: Pattern, role: str, context: notation.CompileContext, pile: int = 0) -> list[PatternRecord]:
    # Patterns compiled from the notation are valid by construction; only the raw `spacy:`
    # escape hatch is validated, which keeps start-up fast.
    if pattern.spacy is not None:
        problems = validate_token_pattern(pattern.spacy)
        if problems:
            raise RuleError(rule.path, pattern.line, f"ongeldig spaCy-patroon: {'; '.join(problems)}")
        compiled = [(pattern.spacy, [False] * len(pattern.spacy))]
    else:
        try:
            compiled = notation.compile_pattern(pattern.parsed, context)
        except notation.NotationError as error:
            raise RuleError(rule.path, pattern.line, f"patroon '{pattern.source}': {error}") from None
    return [
        PatternRecord(f"{rule.id}|{role}|{pattern.line}|{number}", rule.id, role, tuple(free), pattern.scope, pile, tokens)
        for number, (tokens, free) in enumerate(compiled)
    ]


def word_list_finder(ruleset: RuleSet, nlp: Language, name: str) -> Callable[[str], list[tuple[int, int]]]:
    """A function text -> [(start, end)] of the entries of word list `name` (tokenizer only),
    for reading the customer's quoted words (`linter.input.mood`)."""
    matcher = Matcher(nlp.vocab)
    context = notation.CompileContext(lists=ruleset.lists, lemma_forms=lambda lemma: {lemma})
    for entry in ruleset.lists.get(name, []):
        matcher.add(name, [tokens for tokens, _ in notation.compile_pattern(entry, context)])
    normalize = nlp.get_pipe("lint_reply_normalizer")

    def find(text: str) -> list[tuple[int, int]]:
        doc = normalize(nlp.make_doc(text))
        spans = sorted({(doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text)) for _, s, e in matcher(doc)})
        return [span for span in spans if not any(o[0] <= span[0] and span[1] <= o[1] and o != span for o in spans)]

    return find
