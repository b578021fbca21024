"""Analyse a reply: run spaCy once and derive what every rule's guards need.

The `Doc` carries the tokens, sentences, norms and lemmas; `Analysis` adds
per-token facts that are about the reply rather than about language:
which clause a token is in, whether it is quoted (the customer's words cited
back between quotes, or told back: "u schrijft dat ..."), and whether it is part of
the greeting or the signature (the frame).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: the mail reader imports SIGN_OFF without loading spaCy
    from spacy.language import Language
    from spacy.tokens import Doc, Span

NEGATIONS = frozenset(
    "niet geen nooit niets niks nergens geenszins allerminst nimmer noch nie nix".split()
)
# Words that open a new clause. "dat" only when a trained tagger does not call it a pronoun.
CLAUSE_OPENERS = frozenset(
    "maar want omdat dat waarom of terwijl hoewel ofschoon zodat doordat aangezien wanneer "
    "toen nadat voordat zodra als alsof indien mits tenzij dus wat hoe en die".split()
)
# Clauses opened by these depend on the clause before them ("ik zeg niet dat ..."),
# so a negation there counts for them too.
SUBORDINATORS = frozenset("dat of waarom hoe wat".split())
# A clause opened by these states a condition or a hypothetical, not a fact;
# "Wie geen mand kreeg, krijgt ...": who fits the clause, not a fact about this customer.
CONDITION_OPENERS = frozenset("als indien wanneer mocht mochten tenzij zodra ingeval wie".split())
# "Gaat u niet akkoord, dan ...": a sentence that opens with a finite verb and its subject
# and goes on with ", dan" is a condition too (or, ending in "?", a question).
VERB_FIRST = frozenset(
    "gaat gaan lukt lukken bent is zijn heeft hebt hebben wilt wil komt komen krijgt ontvangt "
    "vindt staat past klopt werkt blijkt moet hoeft zou zal wordt kunt kan mag was waren had "
    "zouden hadden mochten konden moesten wilden".split()
)
SUBJECTS = frozenset("u je jij het er dat dit jullie uw jouw ik we wij hij zij ze".split())
# ", en lukt dat niet, dan ...": a clause after these (and a comma) may open with its verb too
CLAUSE_JOINTS = frozenset("en maar of".split())
# after an opening verb of any form: its subject or the start of a noun phrase
VERB_FIRST_SUBJECTS = frozenset("u je jij de een uw jouw jullie die deze".split())
# "als u ...", "als de huur ...": a condition; "als ontvanger", "als corporatie": a role
CONDITION_AFTER_ALS = SUBJECTS | {"de", "een"}
CLAUSE_PUNCT = frozenset(",;:()[]\"\u201c\u201d\u201e\u00ab\u00bb\u2013\u2014-/")

GREETING = re.compile(
    r"^\s*(beste|geachte|hallo|hoi|hey|hi|dag|goedemorgen|goedemiddag|goedenavond|lieve|waarde|l\.?s\.?)\b",
    re.IGNORECASE,
)
SIGN_OFF = re.compile(
    r"^\s*(met\s+)?((vriendelijke|hartelijke|beste|warme|zonnige|collegiale|\w+e)\s+)?(groet(en|jes)?|gr\.?)\b"
    r"|^\s*(m\.?v\.?g\.?|hoogachtend|kind regards|best regards|regards|doei|fijne dag)\b"
    r"|^\s*met\s+(de\s+meeste\s+|alle\s+|bijzondere\s+)?hoogachting\b"
    r"|^-- ?$",
    re.IGNORECASE,
)
MAX_FRAME_LINE_WORDS = 8
# The customer's words told back: "u schrijft dat ...", "schrijft u in uw mail dat ...",
# "volgens u ...". They run to the end of the sentence or to "maar" / "echter" / ";",
# where the writer takes the word again.
CUSTOMER = frozenset({"u", "je", "jij", "jullie"})
REPORTERS = frozenset(
    "schrijft schreef schreven stelt stelde zegt zei beweert beweerde meldt meldde vindt vond "
    "klaagt klaagde meent meende geeft gaf vraagt vroeg".split()
)
REPORT_OPENERS = frozenset({"dat", "of", ":"})
REPORT_ENDS = frozenset({"maar", "echter", ";"})
REPORT_REACH = 5  # tokens between the reporting verb and "dat" ("u schrijft ons in uw mail dat")
WRITER = frozenset({"ik", "wij", "we"})  # "ik schreef u dat ...": the writer told the customer
QUOTE_PAIRS = (
    re.compile(r'"[^"\n]{1,400}"'),
    re.compile(r"\u201c[^\u201d\n]{1,400}\u201d"),
    re.compile(r"\u201e[^\u201d\u201c\n]{1,400}[\u201d\u201c]"),
    re.compile(r"\u00ab[^\u00bb\n]{1,400}\u00bb"),
    # Single quotes only around words, so that "zo'n" and "'s avonds" are no quotes.
    re.compile(r"(?<![\w'])'(?=\w)[^'\n]{1,400}(?<=[\w.!?,])'(?![\w'])"),
    re.compile(r"\u2018[^\u2019\n]{1,400}\u2019(?!\w)"),
    re.compile(r"(?m)^[ \t]*>.*$"),  # quoted e-mail history
)


@dataclass
class Analysis:
    text: str
    doc: Doc
    clause_of: list[int]
    clause_subordinate: list[bool]  # clause opened by a subordinator
    sentence_of: list[int]
    quoted: list[bool]
    frame: list[bool]
    conditional: list[bool]  # in a condition or hypothetical ("als ik dat zou doen, ...")
    question: list[bool]  # in a sentence that asks (ends with "?")
    has_greeting: bool
    has_sign_off: bool

    @cached_property
    def register(self) -> str:
        """How the writer addresses the customer: "u" or "je" (see `register.detect`)."""
        from .register import detect

        return detect(self.text)

    @cached_property
    def sentences(self) -> list[Span]:
        return list(self.doc.sents)

    def sentence_span(self, number: int) -> Span:
        return self.sentences[number]

    @cached_property
    def body_sentences(self) -> list[Span]:
        """Sentences outside greeting and signature that hold at least one word."""
        return [
            sent
            for sent in self.sentences
            if any(not self.frame[t.i] and not t.is_space and not t.is_punct for t in sent)
        ]

    @cached_property
    def body_word_count(self) -> int:
        return sum(1 for t in self.doc if not self.frame[t.i] and not t.is_space and not t.is_punct)

    @cached_property
    def negations_by_clause(self) -> dict[int, list[int]]:
        """Token indices of negation words, per clause (the negation guard asks this per match)."""
        found: dict[int, list[int]] = {}
        for token in self.doc:
            if token.norm_ in NEGATIONS:
                found.setdefault(self.clause_of[token.i], []).append(token.i)
        return found


def analyse(nlp: Language, text: str) -> Analysis:
    return analyse_doc(nlp(text))


def analyse_doc(doc: Doc) -> Analysis:
    """The analysis of a Doc the pipeline already made (`nlp.pipe` in bulk)."""
    text = doc.text
    sentence_of = [0] * len(doc)
    for number, sent in enumerate(doc.sents):
        for token in sent:
            sentence_of[token.i] = number
    clause_of, clause_subordinate = _clauses(doc)
    frame, has_greeting, has_sign_off = _frame(doc, text)
    conditional, question = _conditions_and_questions(doc, clause_of)
    return Analysis(
        text=text,
        doc=doc,
        clause_of=clause_of,
        clause_subordinate=clause_subordinate,
        sentence_of=sentence_of,
        quoted=[quote or told for quote, told in zip(_quoted(doc, text), _reported(doc))],
        frame=frame,
        conditional=conditional,
        question=question,
        has_greeting=has_greeting,
        has_sign_off=has_sign_off,
    )


def _clauses(doc: Doc) -> tuple[list[int], list[bool]]:
    tagged = doc.has_annotation("POS")
    clause_of: list[int] = []
    starts: list[int] = []
    subordinate: list[bool] = []
    for token in doc:
        opener = token.norm_ in CLAUSE_OPENERS and not (tagged and token.norm_ == "dat" and token.pos_ == "PRON")
        previous = doc[token.i - 1] if token.i else None
        after_break = previous is None or previous.text in CLAUSE_PUNCT or previous.is_space
        if opener and starts and starts[-1] == token.i - 1 and previous.norm_ in CLAUSE_OPENERS:
            opener = False  # "of dat", "maar als": one clause, opened by the first word
        if token.i == 0 or token.is_sent_start or opener or after_break:
            starts.append(token.i)
            # Only a subordinate clause glued to its main clause ("ik zeg niet dat ...") inherits its negation.
            subordinate.append(token.norm_ in SUBORDINATORS and not token.is_sent_start and not after_break)
        clause_of.append(len(starts) - 1)
    return clause_of, subordinate


def _conditions_and_questions(doc: Doc, clause_of: list[int]) -> tuple[list[bool], list[bool]]:
    """Per token: inside a condition ("als ...", "Gaat u niet akkoord, dan ...") or a question."""
    conditional = [False] * len(doc)
    question = [False] * len(doc)
    for sent in doc.sents:
        words = [t for t in sent if not t.is_space]
        if not words:
            continue
        if words[-1].text == "?" or (len(words) > 1 and words[-1].is_punct and words[-2].text == "?"):
            for token in sent:
                question[token.i] = True
        # "Blijft u weigeren, dan ...": any word before "u"/"je" at the start is the finite verb;
        # "Werkte de automaat niet, dan ..." and "..., neem dan contact op" go on the same way, and
        # so does a clause after "; " or ", en" ("we zorgen ervoor, en lukt dat niet, dan ...").
        # The comma before "dan" is looked up in one backward sweep, and a token is marked at most
        # once (later clause starts reach the same comma), so this stays linear.
        comma_dan = [len(words)] * (len(words) + 1)
        for n in range(len(words) - 2, -1, -1):
            opens_then = words[n].text == "," and (words[n + 1].norm_ == "dan" or (
                n + 2 < len(words) and words[n + 1].is_alpha and words[n + 2].norm_ == "dan"))
            comma_dan[n] = n if opens_then else comma_dan[n + 1]
        marked_to = 0  # doc index up to which tokens are already marked
        for k, first in enumerate(words[:-1]):
            before = words[k - 1] if k else None
            clause_start = before is None or before.text in (";", ":") or (
                before.norm_ in CLAUSE_JOINTS and k > 1 and words[k - 2].text == ",")
            if not clause_start or comma_dan[k] == len(words):
                continue
            second = words[k + 1]
            if (first.norm_ in VERB_FIRST and second.norm_ in SUBJECTS) or (
                    first.is_alpha and first.norm_ not in SUBJECTS and second.norm_ in VERB_FIRST_SUBJECTS):
                end = words[comma_dan[k]].i
                for i in range(max(first.i, marked_to), end):
                    conditional[i] = True
                marked_to = max(marked_to, end)
        for token in words:
            previous = doc[token.i - 1] if token.i > sent.start else None
            opens_sentence_part = previous is None or previous.is_punct or previous.is_space
            following = doc[token.i + 1] if token.i + 1 < sent.end else None
            as_role = token.norm_ == "als" and (following is None or following.norm_ not in CONDITION_AFTER_ALS)
            if token.norm_ in CONDITION_OPENERS and opens_sentence_part and not as_role:
                clause = clause_of[token.i]
                i = token.i
                while i < sent.end and clause_of[i] == clause:
                    conditional[i] = True
                    i += 1
    return conditional, question


def _char_mask(doc: Doc, ranges: list[tuple[int, int]]) -> list[bool]:
    """Tokens whose first character lies in one of the ranges (a single sweep, linear time)."""
    mask = [False] * len(doc)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    current = 0
    for token in doc:
        while current < len(merged) and merged[current][1] <= token.idx:
            current += 1
        if current == len(merged):
            break
        mask[token.i] = merged[current][0] <= token.idx
    return mask


def _quoted(doc: Doc, text: str) -> list[bool]:
    ranges = [(m.start(), m.end()) for pattern in QUOTE_PAIRS for m in pattern.finditer(text)]
    return _char_mask(doc, ranges)


def _reported(doc: Doc) -> list[bool]:
    """Tokens that tell the customer's words back ("u schrijft dat wij niets doen"): not the writer's move."""
    mask = [False] * len(doc)
    telling = False
    for token in doc:
        if token.is_sent_start or token.norm_ in REPORT_ENDS:
            telling = False
        if not telling:
            following = doc[token.i + 1].norm_ if token.i + 1 < len(doc) else ""
            if token.norm_ == "volgens" and following in CUSTOMER:
                telling = True
            elif (token.norm_ in CUSTOMER and following in REPORTERS) or (token.norm_ in REPORTERS and following in CUSTOMER):
                preceding = doc[token.i - 1].norm_ if token.i else ""
                telling = preceding not in WRITER and _opener_within_reach(doc, token.i + 2)
        mask[token.i] = telling
    return mask


def _opener_within_reach(doc: Doc, first: int) -> bool:
    """A "dat", "of" or ":" within REPORT_REACH tokens, in the same sentence (bounded: linear overall)."""
    for token in doc[first : first + REPORT_REACH]:
        if token.is_sent_start:
            return False
        if token.norm_ in REPORT_OPENERS:
            return True
    return False


def _frame(doc: Doc, text: str) -> tuple[list[bool], bool, bool]:
    """Mark the greeting (first line) and the sign-off with everything below it."""
    lines = [(m.start(), m.group()) for m in re.finditer(r"[^\n]*", text) if m.group().strip()]
    ranges: list[tuple[int, int]] = []
    has_greeting = has_sign_off = False
    if lines:
        start, line = lines[0]
        if GREETING.match(line):
            words = line.split()
            comma = line.find(",")
            if len(words) <= MAX_FRAME_LINE_WORDS and (comma < 0 or comma >= len(line.rstrip()) - 1):
                ranges.append((start, start + len(line)))
                has_greeting = True
            elif 0 < comma and len(line[:comma].split()) <= 4:  # "Hoi Sanne, helaas ..."
                ranges.append((start, start + comma + 1))
                has_greeting = True
    for start, line in lines[1:] if has_greeting else lines:
        if SIGN_OFF.match(line) and len(line.split()) <= MAX_FRAME_LINE_WORDS:
            ranges.append((start, len(text)))
            has_sign_off = True
            break
    return _char_mask(doc, ranges), has_greeting, has_sign_off
