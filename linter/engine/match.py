"""Match rules: run the compiled patterns on an analysed reply and apply the guards.

The patterns come from `compile` (`PatternRecord`s); here they are loaded into spaCy
Matchers once per linter and run on every reply. Guards every rule gets unless it
switches them off (`guards:` in the rule file):
- negation: a negation word in the clause where the match starts (or in the clause
  that governs it: "ik zeg niet dat u gelijk heeft") vetoes it, unless the pattern
  itself spells the negation out ("ik sta er niet achter");
- quotes: text inside quotation marks is the customer's, cited back;
- frame: greeting and signature lines are not the message.
Opt-in guards (`condition: true`, `question: true`): a match inside a condition or
hypothetical ("als ik dat toch zou doen, ..."), or inside a question, does not count.
Then the rule's own `unless` anti-patterns, `not_with`, `piles` and learned cues. The
hits per rule go on to `judge`.
"""

from __future__ import annotations

import bisect
import threading
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import DependencyMatcher, Matcher
from spacy.tokens import Span

from ..names import RuleError
from .analysis import CONDITION_OPENERS, Analysis
from .compile import PatternRecord
from .cues import features
from .rules import Rule, RuleSet


@dataclass(frozen=True)
class Hit:
    """A guarded match of one rule: tokens [start, end) of the Doc.

    `cues` is set for a hit of the learned cues: the words that weighed most.
    """

    rule: str
    start: int
    end: int
    cues: tuple[str, ...] = ()


class RuleMatcher:
    """All patterns of a rule set in spaCy Matchers (and a DependencyMatcher when there is a parser)."""

    def __init__(self, ruleset: RuleSet, nlp: Language, patterns: list[PatternRecord], use_dependencies: bool):
        self.ruleset = ruleset
        self.rules = ruleset.by_id()
        # Patterns are bucketed by an anchor: a set of words one of which must occur in the
        # reply for the pattern to match. Only buckets whose anchor occurs are run, which
        # spares most of spaCy's per-token checks (see `_anchor`). A bucket's Matcher is built
        # the first time its anchor occurs: Matcher.add costs ~0.1 ms a pattern and one reply
        # needs only a small part of the buckets, so a cold command does not build them all.
        self.vocab = nlp.vocab
        buckets: dict[frozenset[str] | None, list[PatternRecord]] = {}
        self.dependency_matcher = DependencyMatcher(nlp.vocab, validate=True) if use_dependencies else None
        self.records: dict[int, PatternRecord] = {}  # Matcher key hash -> what its hits mean
        # A pattern with `needs` and its needs records share the rule and the line (the owner).
        # The owner is looked up here once, not per match; a needs pattern that several owners
        # of a rule share (the emotion list) is run once and tells all of them.
        needy = {_owner(record) for record in patterns if record.role == "needs"}
        self.needy_owner: dict[int, tuple[str, str]] = {}  # key hash of a needy pattern -> its owner
        self.needs_owners: dict[int, list[tuple[str, str]]] = {}  # key hash of a needs record -> owners
        running_needs: dict[tuple[str, str], int] = {}  # (rule, tokens) -> the needs record that runs
        for record in patterns:
            key_hash = self.vocab.strings.add(record.key)
            self.records[key_hash] = record
            if record.role == "needs":
                shared = running_needs.setdefault((record.rule, repr(record.tokens)), key_hash)
                self.needs_owners.setdefault(shared, []).append(_owner(record))
                if shared != key_hash:
                    continue
            elif record.role == "pattern" and _owner(record) in needy:
                self.needy_owner[key_hash] = _owner(record)
            buckets.setdefault(_anchor(record.tokens), []).append(record)
        for rule in ruleset.rules:
            if self.dependency_matcher is not None:
                for number, pattern in enumerate(rule.dependency_patterns):
                    key = f"{rule.id}|dep|{number}"
                    try:
                        self.dependency_matcher.add(key, [pattern])
                    except (ValueError, KeyError) as error:
                        raise RuleError(rule.path, None, f"dependency_patterns {number + 1}: {error}") from None
                    self.records[nlp.vocab.strings[key]] = PatternRecord(key, rule.id, "pattern", (), "overlap", 0, pattern)
        self._build_index(buckets)

    def _build_index(self, buckets: dict[frozenset[str] | None, list[PatternRecord]]) -> None:
        """word -> the numbers of the buckets anchored on it; the unanchored bucket is built now."""
        self._always = [self._new_matcher(records) for anchor, records in buckets.items() if anchor is None]
        anchors = [anchor for anchor in buckets if anchor is not None]
        self._anchored_records = [buckets[anchor] for anchor in anchors]
        self._anchored: list[Matcher | None] = [None] * len(anchors)
        self._building = threading.Lock()  # the service lints in threads
        self._index: dict[str, list[int]] = {}
        for number, anchor in enumerate(anchors):
            for word in anchor:
                self._index.setdefault(word, []).append(number)

    def _new_matcher(self, records: list[PatternRecord]) -> Matcher:
        matcher = Matcher(self.vocab, validate=False)
        for record in records:
            matcher.add(record.key, [record.tokens])
        return matcher

    def _bucket(self, number: int) -> Matcher:
        """The Matcher of anchored bucket `number`, built on first use."""
        matcher = self._anchored[number]
        if matcher is None:
            with self._building:
                matcher = self._anchored[number]
                if matcher is None:
                    matcher = self._anchored[number] = self._new_matcher(self._anchored_records[number])
        return matcher

    def build_all(self) -> None:
        """Build every bucket now: a long-running service pays once at start, not on its first replies."""
        for number in range(len(self._anchored)):
            self._bucket(number)

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
                    for key, start, end, alignment in self._bucket(number)(sentence, with_alignments=True)
                )
        return found

    @property
    def pattern_count(self) -> int:
        return sum(len(matcher) for matcher in self._always) + sum(map(len, self._anchored_records))

    # --- running -----------------------------------------------------------

    def run(self, analysis: Analysis, trace: list[str] | None = None) -> dict[str, list[Hit]]:
        """Guarded, de-duplicated hits per rule id; `trace` collects why matches were dropped."""
        doc = analysis.doc
        candidates: dict[str, list[tuple[int, int]]] = {}
        vetoes: dict[str, list[tuple[int, int, str]]] = {}
        pile_hits: dict[tuple[str, int], list[int]] = {}
        needed: dict[tuple[str, str], set[int]] = {}  # (rule, line) -> sentences where its `needs` matched
        waiting: list[tuple[tuple[str, str], int, int]] = []  # hits of needy patterns, until the end
        for key_hash, start, end, alignment in self._matches(doc):
            record = self.records[key_hash]
            rule = self.rules[record.rule]
            if record.role == "unless":
                vetoes.setdefault(record.rule, []).append((start, end, record.scope))
                continue
            if record.role == "needs":
                # context, not a hit: only the customer's own words cannot supply it ("niet eerlijk" may)
                if not analysis.quoted[start]:
                    for owner in self.needs_owners[key_hash]:
                        needed.setdefault(owner, set()).add(analysis.sentence_of[start])
                continue
            reason = self._guard_veto(rule, analysis, start, end, alignment, record.free)
            if reason:
                if trace is not None:
                    trace.append(f"{rule.id}: '{doc[start:end].text}' vervalt ({reason})")
                continue
            if record.role == "pile":
                pile_hits.setdefault((record.rule, record.pile), []).append(start)
            elif key_hash in self.needy_owner:
                waiting.append((self.needy_owner[key_hash], start, end))
            else:
                candidates.setdefault(record.rule, []).append((start, end))
        for owner, start, end in waiting:
            if analysis.sentence_of[start] in needed.get(owner, ()):
                candidates.setdefault(owner[0], []).append((start, end))
            elif trace is not None:
                trace.append(f"{owner[0]}: '{doc[start:end].text}' vervalt (wat het patroon nodig heeft, staat niet in de zin)")
        if self.dependency_matcher is not None and len(self.dependency_matcher):
            for key_hash, token_ids in self.dependency_matcher(doc):
                record = self.records[key_hash]
                start, end = min(token_ids), max(token_ids) + 1
                if not self._guard_veto(self.rules[record.rule], analysis, start, end, None, ()):
                    candidates.setdefault(record.rule, []).append((start, end))
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
            return "woorden van de klant, geciteerd of naverteld"
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


# Words so common that a pattern anchored on them would run on nearly every reply.
COMMON = frozenset("ik u je jij we wij het de een dat dit die niet geen is zijn en maar ook er om te van in op voor met".split())


def _owner(record: PatternRecord) -> tuple[str, str]:
    """The rule and the rule-file line of a record's pattern (its key is "rule|role|line|number")."""
    return record.rule, record.key.split("|")[2]


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
        # a clause veto covers every clause its match touches ("u heeft in die twee jaar geen ...":
        # the clause splitter may cut at a "die" that is no relative pronoun)
        self.clauses = {c for s, e, scope in vetoes if scope == "clause" for c in range(analysis.clause_of[s], analysis.clause_of[e - 1] + 1)}
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
