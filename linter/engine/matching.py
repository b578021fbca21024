"""Match rules: compile every rule once into one spaCy Matcher, run it, apply the guards.

Guards every rule gets unless it switches them off (`guards:` in the rule file):
- negation: a negation word in the clause where the match starts (or in the clause
  that governs it: "ik zeg niet dat u gelijk heeft") vetoes it, unless the pattern
  itself spells the negation out ("ik sta er niet achter");
- quotes: text inside quotation marks is the customer's, cited back;
- frame: greeting and signature lines are not the message.
Opt-in guards (`condition: true`, `question: true`): a match inside a condition or
hypothetical ("als ik dat toch zou doen, ..."), or inside a question, does not count.
Then the rule's own `unless` anti-patterns, `not_with` and `piles`.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import DependencyMatcher, Matcher
from spacy.tokens import Span
from spacy.schemas import validate_token_pattern

from . import notation
from .analysis import CONDITION_OPENERS, Analysis
from .cues import features
from .pipeline import lemma_forms, read_cache, write_cache
from .rules import SCOPES, Pattern, Rule, RuleError, RuleSet


@dataclass(frozen=True)
class Hit:
    """A guarded match of one rule: tokens [start, end) of the Doc.

    `cues` is set for a hit of the learned cues: the words that weighed most.
    """

    rule: str
    start: int
    end: int
    cues: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Key:
    rule: str
    role: str  # "pattern", "unless", "pile"
    free: tuple[bool, ...]  # per pattern slot: gap or wildcard
    scope: str = "overlap"
    index: int = 0  # which pile


class CompiledRules:
    """All patterns of a rule set in one Matcher (and a DependencyMatcher when there is a parser)."""

    def __init__(self, ruleset: RuleSet, nlp: Language, use_dependencies: bool):
        self.ruleset = ruleset
        self.rules = ruleset.by_id()
        # Patterns compiled from the notation are valid by construction; only the raw
        # `spacy:` escape hatch is validated (in `_add`), which keeps start-up fast.
        # Patterns are bucketed by an anchor: a set of words one of which must occur in the
        # reply for the pattern to match. Only buckets whose anchor occurs are run, which
        # spares most of spaCy's per-token checks (see `_anchor`).
        self.vocab = nlp.vocab
        self.buckets: dict[frozenset[str] | None, Matcher] = {}
        self.dependency_matcher = DependencyMatcher(nlp.vocab, validate=True) if use_dependencies else None
        self.keys: dict[int, _Key] = {}
        for key, rule_id, role, free, scope, index, tokens in self._compiled_patterns(ruleset, nlp):
            self._bucket(_anchor(tokens)).add(key, [tokens])
            self.keys[self.vocab.strings.add(key)] = _Key(rule_id, role, tuple(free), scope, index)
        for rule in ruleset.rules:
            if self.dependency_matcher is not None:
                for number, pattern in enumerate(rule.dependency_patterns):
                    key = f"{rule.id}|dep|{number}"
                    try:
                        self.dependency_matcher.add(key, [pattern])
                    except (ValueError, KeyError) as error:
                        raise RuleError(rule.path, None, f"dependency_patterns {number + 1}: {error}") from None
                    self.keys[nlp.vocab.strings[key]] = _Key(rule.id, "pattern", ())
        self._build_index()

    def _compiled_patterns(self, ruleset: RuleSet, nlp: Language) -> list[list]:
        """Every Matcher pattern of the rule set, from the disk cache when the rules are unchanged.

        Expanding the notation is most of the start-up work left; its result depends only
        on the patterns, the word lists, the tokenizer and the versions, which make the key.
        """
        digest = _patterns_digest(ruleset, nlp)
        cached = read_cache(f"patterns-{digest}")
        if _valid_cache(cached, ruleset):
            return cached
        table: dict[str, set[str]] = {}
        context = notation.CompileContext(
            lists=ruleset.lists,
            lemma_forms=lambda lemma: (table or table.update(self._lemma_table(ruleset)) or table)[lemma],
            split_word=lambda word: [t.text for t in nlp.tokenizer(word)],
        )
        entries: list[list] = []
        for rule in ruleset.rules:
            for pattern in rule.patterns:
                entries.extend(self._compile(rule, pattern, "pattern", context))
            for pattern in rule.unless:
                entries.extend(self._compile(rule, pattern, "unless", context))
            for index, pile in enumerate(rule.piles):
                entries.extend(self._compile(rule, pile.pattern, "pile", context, index))
        write_cache(f"patterns-{digest}", entries)
        return entries

    def list_finder(self, name: str, nlp: Language):
        """A function text -> [(start, end)] of the entries of word list `name` (tokenizer only)."""
        matcher = Matcher(nlp.vocab)
        context = notation.CompileContext(lists=self.ruleset.lists, lemma_forms=lambda lemma: {lemma})
        for entry in self.ruleset.lists.get(name, []):
            matcher.add(name, [tokens for tokens, _ in notation.compile_pattern(entry, context)])
        normalize = nlp.get_pipe("lint_reply_normalizer")

        def find(text: str) -> list[tuple[int, int]]:
            doc = normalize(nlp.make_doc(text))
            spans = sorted({(doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text)) for _, s, e in matcher(doc)})
            return [span for span in spans if not any(o[0] <= span[0] and span[1] <= o[1] and o != span for o in spans)]

        return find

    @staticmethod
    def _lemma_table(ruleset: RuleSet) -> dict[str, set[str]]:
        wanted: set[str] = set()
        for entries in ruleset.lists.values():
            for entry in entries:
                wanted |= notation.lemmas_used(entry)
        for rule in ruleset.rules:
            for pattern in rule.patterns + rule.unless + [pile.pattern for pile in rule.piles]:
                if pattern.parsed is not None:
                    wanted |= notation.lemmas_used(pattern.parsed)
        return lemma_forms(wanted)

    def _compile(self, rule: Rule, pattern: Pattern, role: str, context: notation.CompileContext, index: int = 0) -> list[list]:
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
            [f"{rule.id}|{role}|{pattern.line}|{number}", rule.id, role, list(free), pattern.scope, index, tokens]
            for number, (tokens, free) in enumerate(compiled)
        ]

    def _bucket(self, anchor: frozenset[str] | None) -> Matcher:
        if anchor not in self.buckets:
            self.buckets[anchor] = Matcher(self.vocab, validate=False)
        return self.buckets[anchor]

    def _matches(self, doc) -> list[tuple[int, int, int, list[int]]]:
        """All matches; a bucket runs only on the sentences that contain its anchor.

        Patterns never cross a sentence boundary, so matching sentence by sentence
        finds the same matches while spaCy looks at far fewer tokens.
        """
        found = []
        for matcher in self._always:
            found.extend(matcher(doc, with_alignments=True))
        norms = [token.norm_ for token in doc]
        for sentence in doc.sents:
            wanted: set[int] = set()
            for norm in set(norms[sentence.start : sentence.end]):
                wanted.update(self._index.get(norm, ()))
            offset = sentence.start
            for number in sorted(wanted):
                found.extend(
                    (key, start + offset, end + offset, alignment)
                    for key, start, end, alignment in self._anchored[number](sentence, with_alignments=True)
                )
        return found

    def _build_index(self) -> None:
        """word -> the buckets anchored on it (after all patterns are added)."""
        self._always = [matcher for anchor, matcher in self.buckets.items() if anchor is None]
        self._anchored = [matcher for anchor, matcher in self.buckets.items() if anchor is not None]
        self._index = {}
        anchors = [anchor for anchor in self.buckets if anchor is not None]
        for number, anchor in enumerate(anchors):
            for word in anchor:
                self._index.setdefault(word, []).append(number)

    @property
    def pattern_count(self) -> int:
        return sum(len(matcher) for matcher in self.buckets.values())

    # --- running -----------------------------------------------------------

    def run(self, analysis: Analysis, trace: list[str] | None = None) -> dict[str, list[Hit]]:
        """Guarded, de-duplicated hits per rule id; `trace` collects why matches were dropped."""
        doc = analysis.doc
        candidates: dict[str, list[tuple[int, int]]] = {}
        vetoes: dict[str, list[tuple[int, int, str]]] = {}
        pile_hits: dict[tuple[str, int], list[int]] = {}
        for key_hash, start, end, alignment in self._matches(doc):
            key = self.keys[key_hash]
            rule = self.rules[key.rule]
            if key.role == "unless":
                vetoes.setdefault(key.rule, []).append((start, end, key.scope))
                continue
            reason = self._guard_veto(rule, analysis, start, end, alignment, key.free)
            if reason:
                if trace is not None:
                    trace.append(f"{rule.id}: '{doc[start:end].text}' vervalt ({reason})")
                continue
            if key.role == "pile":
                pile_hits.setdefault((key.rule, key.index), []).append(start)
            else:
                candidates.setdefault(key.rule, []).append((start, end))
        if self.dependency_matcher is not None and len(self.dependency_matcher):
            for key_hash, token_ids in self.dependency_matcher(doc):
                key = self.keys[key_hash]
                start, end = min(token_ids), max(token_ids) + 1
                if not self._guard_veto(self.rules[key.rule], analysis, start, end, None, ()):
                    candidates.setdefault(key.rule, []).append((start, end))
        for (rule_id, index), starts in pile_hits.items():
            candidates.setdefault(rule_id, []).extend(self._piles(self.rules[rule_id], index, starts, analysis))
        learned = self._learned(analysis, candidates)
        for rule_id, (span, _) in learned.items():
            candidates.setdefault(rule_id, []).append(span)
        hits: dict[str, list[tuple[int, int]]] = {}
        for rule_id, spans in candidates.items():
            index = _Vetoes(vetoes.get(rule_id, ()), analysis)
            for span in spans:
                if self._vetoed(span, index, analysis):
                    if trace is not None:
                        trace.append(f"{rule_id}: '{doc[span[0]:span[1]].text}' vervalt (uitzondering in 'unless')")
                else:
                    hits.setdefault(rule_id, []).append(span)
        for rule_id in list(hits):
            blocked = {analysis.sentence_of[b[0]] for other in self.rules[rule_id].not_with for b in hits.get(other, ())}
            if blocked:
                if trace is not None:
                    trace.append(f"{rule_id}: vervalt in zinnen met {', '.join(self.rules[rule_id].not_with)}")
                hits[rule_id] = [span for span in hits[rule_id] if analysis.sentence_of[span[0]] not in blocked]
        result = {rule_id: _dedupe(rule_id, spans) for rule_id, spans in hits.items() if spans}
        for rule_id, (span, words) in learned.items():
            result[rule_id] = [Hit(h.rule, h.start, h.end, words) if (h.start, h.end) == span else h for h in result.get(rule_id, [])]
        return result

    def _learned(self, analysis: Analysis, candidates: dict[str, list[tuple[int, int]]]) -> dict[str, tuple[tuple[int, int], tuple[str, ...]]]:
        """Per rule with learned cues and no pattern hit: the sentence the cues point at, and the cue words.

        The whole body text is scored (as the model was trained); the hit goes to the body
        sentence that scores highest on its own. Quoted words are the customer's, not scored.
        """
        cues = self.ruleset.cues
        wanted = [r.id for r in self.ruleset.rules if r.learned_cues and r.id in cues.models and not candidates.get(r.id)]
        if not wanted:
            return {}
        sentences = body_tokens(analysis)
        if not sentences:
            return {}
        whole = features([word for _, tokens in sentences for word in tokens])
        by_sentence = [(sentence, features(tokens)) for sentence, tokens in sentences]  # once, for every rule
        found = {}
        for rule_id in wanted:
            if not cues.fires(rule_id, whole):
                continue
            # sentences where a rule named in `learned_not_with` hit are not this rule's to flag
            # ("Uw aanvraag is afgewezen." is a plain decision, not an abrupt closing)
            blocked = {analysis.sentence_of[s] for other in self.rules[rule_id].learned_not_with for s, _ in candidates.get(other, ())}
            open_sentences = [pair for pair in by_sentence if analysis.sentence_of[pair[0].start] not in blocked]
            if not open_sentences:
                continue
            best = max(open_sentences, key=lambda pair: cues.probability(rule_id, pair[1]))[0]
            found[rule_id] = ((best.start, best.end), tuple(cues.strongest(rule_id, whole)))
        return found

    @staticmethod
    def _guard_veto(rule: Rule, analysis: Analysis, start: int, end: int, alignment, free) -> str:
        """Why a built-in guard drops this match ("" when it stands)."""
        guards = rule.guards
        if guards["frame"] and any(analysis.frame[start:end]):
            return "aanhef of ondertekening"
        if guards["quotes"] and analysis.quoted[start]:
            return "tussen aanhalingstekens"
        # a pattern that spells out the condition itself ("als u zo blijft aandringen") keeps it
        if guards["condition"] and analysis.conditional[start] and analysis.doc[start].norm_ not in CONDITION_OPENERS:
            return "een voorwaarde of veronderstelling"
        if guards["question"] and analysis.question[start]:
            return "een vraag"
        if guards["negation"]:
            explicit = set()
            if alignment is not None:
                explicit = {start + offset for offset, slot in enumerate(alignment) if not free[slot]}
            # The clause where the match starts and the clause that governs it count whole;
            # later clauses only inside the match ("vervelend dat je bus niet reed" is no
            # negated acknowledgement, "ik begrijp dat u niet boos bent" is).
            first, last = analysis.clause_of[start], analysis.clause_of[end - 1]
            clauses = list(range(first, last + 1))
            if analysis.clause_subordinate[first] and first > 0:
                clauses.append(first - 1)
            negations = analysis.negations_by_clause
            for number in clauses:
                # at most len(explicit) + 1 steps per clause: linear time on any input
                for i in negations.get(number, ()):
                    if i not in explicit and (number <= first or i < end):
                        return f"ontkenning '{analysis.doc[i].text}'"
        return ""

    @staticmethod
    def _vetoed(span: tuple[int, int], vetoes: "_Vetoes", analysis: Analysis) -> bool:
        start, end = span
        if vetoes.whole_reply:
            return True
        if analysis.clause_of[start] in vetoes.clauses or analysis.sentence_of[start] in vetoes.sentences:
            return True
        # overlap: vetoes are short, so only those starting shortly before `end` can overlap
        first = bisect.bisect_left(vetoes.starts, start - vetoes.longest)
        last = bisect.bisect_left(vetoes.starts, end)
        return any(vetoes.ends[i] > start for i in range(first, last))

    def _piles(self, rule: Rule, index: int, starts: list[int], analysis: Analysis) -> list[tuple[int, int]]:
        """Spans where the pile's words occur at least `at_least` times within `within_sentences`."""
        pile = rule.piles[index]
        starts = sorted(set(starts))
        spans: list[tuple[int, int]] = []
        first = 0
        for last in range(len(starts)):
            while analysis.sentence_of[starts[last]] - analysis.sentence_of[starts[first]] >= pile.within_sentences:
                first += 1
            if last - first + 1 >= pile.at_least:
                begin = analysis.sentence_span(analysis.sentence_of[starts[first]]).start
                end = analysis.sentence_span(analysis.sentence_of[starts[last]]).end
                if spans and begin < spans[-1][1]:
                    spans[-1] = (spans[-1][0], end)
                else:
                    spans.append((begin, end))
        return spans


def body_tokens(analysis: Analysis) -> list[tuple[Span, list[str]]]:
    """The writer's own words per body sentence, as the learned cues see them (training and run time):
    no greeting or signature, and no quoted words of the customer."""
    return [
        (sentence, [t.text for t in sentence if not analysis.frame[t.i] and not analysis.quoted[t.i]])
        for sentence in analysis.body_sentences
    ]


PATTERN_CACHE_VERSION = 1
_ROLES = ("pattern", "unless", "pile")


def _valid_cache(entries, ruleset: RuleSet) -> bool:
    """A cache of the right shape that covers every rule with patterns: a wrong or emptied
    cache file is rebuilt, it never switches checks off."""
    if not isinstance(entries, list) or not entries:
        return False
    seen = set()
    for entry in entries:
        if not (isinstance(entry, list) and len(entry) == 7 and isinstance(entry[0], str) and isinstance(entry[1], str)
                and entry[2] in _ROLES and isinstance(entry[3], list) and entry[4] in SCOPES
                and isinstance(entry[5], int) and isinstance(entry[6], list) and entry[6]
                and all(isinstance(token, dict) for token in entry[6])):
            return False
        seen.add(entry[1])
    wanted = {rule.id for rule in ruleset.rules if rule.patterns or rule.piles}
    return seen == wanted


def _patterns_digest(ruleset: RuleSet, nlp: Language) -> str:
    import hashlib

    import spacy

    from .. import __version__

    parts = [
        PATTERN_CACHE_VERSION, __version__, spacy.__version__, nlp.lang, nlp.meta.get("name"), nlp.meta.get("version"),
        [(r.id, [(p.source, p.scope, repr(p.parsed), repr(p.spacy)) for p in [*r.patterns, *r.unless, *(x.pattern for x in r.piles)]])
         for r in ruleset.rules],
        repr(sorted(ruleset.lists.items())),
    ]  # fmt: skip
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:20]


# Words so common that a pattern anchored on them would run on nearly every reply.
COMMON = frozenset("ik u je jij we wij het de een dat dit die niet geen is zijn en maar ook er om te van in op voor met".split())


def _anchor(tokens: list[dict]) -> frozenset[str] | None:
    """The best required slot of a pattern as a set of words (None: no such slot, always run)."""
    best: frozenset[str] | None = None
    for spec in tokens:
        if spec.get("OP") in ("?", "*") or str(spec.get("OP", "")).startswith("{"):
            continue
        norm = spec.get("NORM")
        words = frozenset([norm]) if isinstance(norm, str) else frozenset(norm.get("IN", ())) if isinstance(norm, dict) else frozenset()
        if not words:
            continue
        if best is None or (bool(words & COMMON), len(words)) < (bool(best & COMMON), len(best)):
            best = words
    return best


class _Vetoes:
    """A rule's `unless` matches, indexed so that checking a match takes constant time."""

    def __init__(self, vetoes, analysis: Analysis):
        overlap = sorted((s, e) for s, e, scope in vetoes if scope == "overlap")
        self.starts = [s for s, _ in overlap]
        self.ends = [e for _, e in overlap]
        self.longest = max((e - s for s, e in overlap), default=0)
        self.clauses = {analysis.clause_of[s] for s, _, scope in vetoes if scope == "clause"}
        self.sentences = {analysis.sentence_of[s] for s, _, scope in vetoes if scope == "sentence"}
        self.whole_reply = any(scope == "reply" for _, _, scope in vetoes)


def _dedupe(rule_id: str, spans: list[tuple[int, int]]) -> list[Hit]:
    """Keep the longest of overlapping matches, in text order (tokens taken are marked: linear time)."""
    taken: set[int] = set()
    kept: list[tuple[int, int]] = []
    for start, end in sorted(set(spans), key=lambda s: (-(s[1] - s[0]), s[0])):
        if not any(i in taken for i in range(start, end)):
            kept.append((start, end))
            taken.update(range(start, end))
    return [Hit(rule_id, start, end) for start, end in sorted(kept)]
