"""Rule files: load the YAML under `rules/`, validate every field, and say file:line on any mistake.

One file per rule (`rules/<id>.yaml`) and one per word list (`rules/lists/<name>.yaml`).
See README "Writing rules" for the fields; `Rule` below mirrors them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..names import CHANNELS, SEVERITIES, RuleError, builtin_rules_dir, did_you_mean
from . import notation
from .cues import Cues

if TYPE_CHECKING:
    import yaml  # imported where rule files are read: a cached rule set (compile.load_compiled) needs no YAML

KINDS = ("pitfall", "missing", "element")
SCOPES = ("overlap", "clause", "sentence", "reply")
GUARDS = ("negation", "quotes", "frame", "condition", "question")
# Whole-reply checks a rule can name; judge.REPLY_CHECKS implements each (kept apart so that
# reading rules does not import the judge: no import cycle, and no spaCy for --help).
REPLY_CHECK_NAMES = ("bare-refusal",)
GUARDS_ON = ("negation", "quotes", "frame")  # on unless a rule switches them off; the others are opt-in
MIN_EXAMPLES = 8
MAX_YAML_NODES = 50_000  # bounds alias expansion ("billion laughs")
RULE_ID = re.compile(r"^[a-z][a-z0-9-]*(/[a-z][a-z0-9-]*)?$")


# --- YAML with line numbers ------------------------------------------------


class LDict(dict):
    line: int = 0
    key_lines: dict


class LList(list):
    line: int = 0
    item_lines: list


class LStr(str):
    line: int = 0


def load_yaml(path: Path) -> Any:
    """Safe-load one YAML file; containers and strings remember their line."""
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise RuleError(path, None, f"kan het bestand niet lezen: {error}") from None
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)  # libyaml's parser when present: faster start-up
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        raise RuleError(path, mark.line + 1 if mark else None, f"geen geldige YAML: {problem}") from None
    finally:
        loader.dispose()
    if node is None:
        raise RuleError(path, 1, "het bestand is leeg")
    budget = [MAX_YAML_NODES]
    return _convert(node, yaml.SafeLoader(""), path, budget)


def _convert(node: yaml.Node, loader: yaml.SafeLoader, path: Path, budget: list[int]) -> Any:
    import yaml
    budget[0] -= 1
    if budget[0] < 0:
        raise RuleError(path, node.start_mark.line + 1, "te veel YAML-knopen (verwijzingen met & en * uitgeklapt?)")
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result = LDict()
        result.line, result.key_lines = line, {}
        for key_node, value_node in node.value:
            key = _convert(key_node, loader, path, budget)
            if not isinstance(key, str):
                raise RuleError(path, key_node.start_mark.line + 1, f"sleutel {key!r} moet tekst zijn")
            if key in result:
                raise RuleError(path, key_node.start_mark.line + 1, f"sleutel '{key}' staat er twee keer")
            result[str(key)] = _convert(value_node, loader, path, budget)
            result.key_lines[str(key)] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        result = LList()
        result.line, result.item_lines = line, []
        for item in node.value:
            result.append(_convert(item, loader, path, budget))
            result.item_lines.append(item.start_mark.line + 1)
        return result
    try:
        value = loader.construct_object(node)
    except yaml.YAMLError as error:
        raise RuleError(path, line, f"ongeldige waarde: {error}") from None
    if isinstance(value, str):
        value = LStr(value)
        value.line = line
    return value


# --- the rule model --------------------------------------------------------


@dataclass
class Pattern:
    """One entry of `patterns` or `unless`: notation text, or a raw spaCy token pattern."""

    source: str  # as written (for messages)
    line: int
    parsed: list | None = None  # notation syntax tree
    spacy: list | None = None  # raw spaCy token pattern (escape hatch)
    scope: str = "overlap"  # for `unless` only
    frame: str = ""  # the frame it belongs to ("" for a rule's plain `patterns`)
    needs: Pattern | None = None  # for `patterns` only: a pattern that must also match in the same sentence


@dataclass
class Frame:
    """One mechanism of a rule: a name, one line on what it captures, its patterns and examples.

    A trainer extends a rule by finding the frame that fits and adding a word class or a
    pattern there; the frame's examples are run as tests with the rule's own."""

    name: str
    captures: str
    line: int
    patterns: list[Pattern] = field(default_factory=list)
    examples_flag: list[str] = field(default_factory=list)
    examples_pass: list[str] = field(default_factory=list)


@dataclass
class Pile:
    """`piles`: fire when a word list occurs at least `at_least` times within a few sentences."""

    pattern: Pattern
    at_least: int
    within_sentences: int


@dataclass
class Rule:
    id: str
    kind: str
    severity: str
    title: str
    why: str
    path: str
    message: str = ""
    praise: str = ""
    suggestions: list[str] = field(default_factory=list)
    patterns: list[Pattern] = field(default_factory=list)  # plain patterns and those of every frame
    frames: list[Frame] = field(default_factory=list)
    dependency_patterns: list[list[dict]] = field(default_factory=list)
    unless: list[Pattern] = field(default_factory=list)
    piles: list[Pile] = field(default_factory=list)
    guards: dict[str, bool] = field(default_factory=lambda: {name: name in GUARDS_ON for name in GUARDS})
    not_with: list[str] = field(default_factory=list)
    implies: list[str] = field(default_factory=list)
    requires: str = ""  # missing rules: the element that makes them apply (bad-news)
    element: str = ""  # missing rules: the element whose absence they report
    position: str = "anywhere"  # missing rules: where the element must be ("after": after the bad news)
    reply_checks: list[str] = field(default_factory=list)  # named whole-reply checks (REPLY_CHECK_NAMES)
    learned_cues: bool = False  # also fires on the learned cue model in learned/cues.json
    learned_not_with: list[str] = field(default_factory=list)  # no learned hit in a sentence where these rules hit
    when_customer_upset: bool = False  # missing rules: also apply, without bad news, when the customer is upset
    apply: str = "after"  # missing rules: a suggestion goes before or after the flagged sentence
    channels: list[str] = field(default_factory=lambda: list(CHANNELS))
    handle: int = 0
    examples_flag: list[str] = field(default_factory=list)
    examples_pass: list[str] = field(default_factory=list)

    def every_pattern(self) -> list[Pattern]:
        """Every pattern the rule compiles: its patterns, their `needs`, `unless` and the piles."""
        needs = [pattern.needs for pattern in self.patterns if pattern.needs is not None]
        return self.patterns + needs + self.unless + [pile.pattern for pile in self.piles]


@dataclass
class RuleSet:
    rules: list[Rule]
    lists: dict[str, list]  # name -> parsed entries
    list_paths: dict[str, str]
    disabled: set[str] = field(default_factory=set)  # switched off by a pack: computed, not reported
    packs: dict[str, str] = field(default_factory=dict)  # pack name -> directory
    cues: Cues = field(default_factory=Cues.empty)  # learned cue models of the built-in rules

    def by_id(self) -> dict[str, Rule]:
        return {rule.id: rule for rule in self.rules}

    def handle_elements(self) -> list[Rule]:
        """The built-in elements that show one of the handles, in the handles' order."""
        return sorted((r for r in self.rules if r.kind == "element" and r.handle and "/" not in r.id), key=lambda r: r.handle)

    @property
    def trigger(self) -> str:
        """The element whose presence makes the missing-handle rules apply (bad news)."""
        return next((r.requires for r in self.rules if r.kind == "missing" and r.requires), "")

    def pitfalls(self) -> list[str]:
        return [r.id for r in self.rules if r.kind == "pitfall"]

    def pack_rules(self, name: str) -> list[Rule]:
        return [rule for rule in self.rules if rule.id.startswith(f"{name}/")]


# --- validation ------------------------------------------------------------

_FIELDS = {
    "id", "kind", "severity", "title", "why", "message", "praise", "suggestions", "patterns",
    "dependency_patterns", "unless", "piles", "guards", "not_with", "implies", "requires",
    "element", "position", "reply_checks", "channels", "handle", "examples", "frames", "learned_cues",
    "when_customer_upset", "apply", "learned_not_with",
}  # fmt: skip
FRAME_NAME = re.compile(r"^[a-z][a-z0-9-]*$")


class _Checker:
    """Field access that reports the file and line of whatever is wrong."""

    def __init__(self, path: Path, data: Any):
        self.path = path
        if not isinstance(data, dict):
            raise RuleError(path, getattr(data, "line", 1), "een regelbestand is een lijst van 'sleutel: waarde'-paren")
        self.data = data

    def line(self, key: str | None = None) -> int:
        if key is not None and key in self.data:
            return self.data.key_lines.get(key, self.data.line)
        return self.data.line

    def fail(self, key: str | None, message: str, line: int | None = None) -> RuleError:
        return RuleError(self.path, line or self.line(key), message)

    def text(self, key: str, required: bool = True, default: str = "") -> str:
        value = self.data.get(key)
        if value is None:
            if required:
                raise self.fail(None, f"het veld '{key}' ontbreekt")
            return default
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"'{key}' moet een niet-lege tekst zijn")
        return " ".join(value.split())

    def choice(self, key: str, options: tuple[str, ...], default: str | None = None) -> str:
        value = self.data.get(key, default)
        if value is None:
            raise self.fail(None, f"het veld '{key}' ontbreekt (kies uit: {', '.join(options)})")
        if value not in options:
            raise self.fail(key, f"'{key}' is '{value}'; kies uit: {', '.join(options)}")
        return str(value)

    def items(self, key: str, value: Any = None) -> list[tuple[Any, int]]:
        value = self.data.get(key) if value is None else value
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(key, f"'{key}' moet een lijst zijn (regels die met '- ' beginnen)")
        return list(zip(value, value.item_lines))

    def texts(self, key: str, value: Any = None) -> list[str]:
        result = []
        for item, line in self.items(key, value):
            if not isinstance(item, str) or not item.strip():
                raise self.fail(key, f"elk item van '{key}' moet een tekst zijn", line)
            result.append(str(item))
        return result


def _pattern(checker: _Checker, key: str, item: Any, line: int, allow_scope: bool) -> Pattern:
    scope = "overlap"
    if isinstance(item, dict) and "spacy" in item:
        raw = item["spacy"]
        if not isinstance(raw, list) or not raw or not all(isinstance(tok, dict) for tok in raw):
            raise checker.fail(key, "'spacy' moet een lijst van spaCy-tokenpatronen zijn ({...} per woord)", line)
        for token in raw:
            problem = _unsafe_token(token)
            if problem:
                raise checker.fail(key, f"spaCy-patroon {dict(token)}: {problem}", line)
        return Pattern(source=str(raw), line=line, spacy=[dict(tok) for tok in raw])
    needs = None
    if isinstance(item, dict) and "pattern" in item:
        extra = set(item) - {"pattern", "scope", "needs"}
        if extra:
            raise checker.fail(key, f"onbekend veld {sorted(extra)} in '{key}' (toegestaan: pattern, scope, needs)", line)
        if not allow_scope and "scope" in item:
            raise checker.fail(key, f"'scope' hoort alleen bij 'unless', niet bij '{key}'", line)
        if allow_scope and "needs" in item:
            raise checker.fail(key, f"'needs' hoort alleen bij 'patterns', niet bij '{key}'", line)
        scope = item.get("scope", "overlap")
        if scope not in SCOPES:
            raise checker.fail(key, f"scope '{scope}' bestaat niet; kies uit: {', '.join(SCOPES)}", line)
        if "needs" in item:
            needs = _pattern(checker, f"{key}: needs", item["needs"], line, False)
        item = item["pattern"]
    if not isinstance(item, str):
        raise checker.fail(key, f"een item van '{key}' moet een patroon (tekst) zijn", line)
    try:
        parsed = notation.parse(item)
    except notation.NotationError as error:
        raise checker.fail(key, f"patroon '{item}': {error} (teken {error.column})", line) from None
    return Pattern(source=str(item), line=line, parsed=parsed, scope=scope, needs=needs)


# The escape hatch accepts what the notation itself produces, so that matching stays linear:
# no REGEX or FUZZY (backtracking, unbounded cost) and no unbounded "*" or "+".
SAFE_ATTRIBUTES = {"ORTH", "NORM", "LOWER", "TEXT", "LEMMA", "POS", "TAG", "IS_PUNCT", "IS_SENT_START", "IS_SPACE", "IS_ALPHA", "LIKE_NUM"}
SAFE_OPERATORS = re.compile(r"^(\?|!|\{\d{1,3}(,\d{1,3})?\})$")


def _unsafe_token(token: dict) -> str:
    """Why a raw spaCy token pattern is refused ("" when it is safe)."""
    for attribute, value in token.items():
        if attribute == "OP":
            if not isinstance(value, str) or not SAFE_OPERATORS.match(value):
                return f"operator '{value}' is niet toegestaan (wel: ?, !, {{0,N}} met N tot {notation.MAX_GAP})"
            if "," in value and int(value.strip("{}").split(",")[1] or 0) > notation.MAX_GAP:
                return f"operator '{value}': de bovengrens is hoogstens {notation.MAX_GAP}"
            continue
        if attribute not in SAFE_ATTRIBUTES:
            return f"attribuut '{attribute}' is niet toegestaan (wel: {', '.join(sorted(SAFE_ATTRIBUTES))})"
        if isinstance(value, dict):
            if set(value) - {"IN", "NOT_IN"} or not all(isinstance(v, list) for v in value.values()):
                return f"bij '{attribute}' mag alleen {{IN: [...]}} of {{NOT_IN: [...]}} (geen REGEX of FUZZY)"
        elif not isinstance(value, (str, bool)):
            return f"waarde van '{attribute}' moet tekst, true/false of {{IN: [...]}} zijn"
    return ""


def parse_rule(path: Path, data: Any) -> Rule:
    check = _Checker(path, data)
    unknown = set(check.data) - _FIELDS
    if unknown:
        name = sorted(unknown)[0]
        hint = did_you_mean(name, _FIELDS)
        raise check.fail(name, f"onbekend veld '{name}'{hint}")
    rule_id = check.text("id")
    if not RULE_ID.match(rule_id):
        raise check.fail("id", f"id '{rule_id}' mag alleen kleine letters, cijfers en '-' bevatten")
    kind = check.choice("kind", KINDS)
    rule = Rule(
        id=rule_id,
        kind=kind,
        severity=check.choice("severity", SEVERITIES, default="info" if kind == "element" else None),
        title=check.text("title"),
        why=check.text("why"),
        path=str(path),
        message=check.text("message", required=kind != "element"),
        praise=check.text("praise", required=kind == "element"),
        suggestions=check.texts("suggestions"),
    )
    if kind != "element" and len(rule.suggestions) < 2:
        raise check.fail("suggestions" if "suggestions" in data else None, "geef minstens twee 'suggestions' (voorbeelden van een betere zin)")
    rule.patterns = [_pattern(check, "patterns", item, line, False) for item, line in check.items("patterns")]
    rule.frames = [_frame(check, item, line) for item, line in check.items("frames")]
    names = [frame.name for frame in rule.frames]
    for frame in rule.frames:
        if names.count(frame.name) > 1:
            raise check.fail("frames", f"het frame '{frame.name}' staat er twee keer", frame.line)
        rule.patterns += frame.patterns
    rule.unless = [_pattern(check, "unless", item, line, True) for item, line in check.items("unless")]
    for item, line in check.items("dependency_patterns"):
        if not isinstance(item, list) or not all(isinstance(node, dict) for node in item):
            raise check.fail("dependency_patterns", "elk item is een spaCy DependencyMatcher-patroon (lijst van knopen)", line)
        rule.dependency_patterns.append([dict(node) for node in item])
    for item, line in check.items("piles"):
        if not isinstance(item, dict) or set(item) - {"words", "at_least", "within_sentences"} or "words" not in item:
            raise check.fail("piles", "een 'piles'-item heeft 'words', 'at_least' en 'within_sentences'", line)
        at_least, within = item.get("at_least", 3), item.get("within_sentences", 1)
        if not (isinstance(at_least, int) and at_least >= 2 and isinstance(within, int) and within >= 1):
            raise check.fail("piles", "'at_least' is een getal vanaf 2, 'within_sentences' een getal vanaf 1", line)
        rule.piles.append(Pile(_pattern(check, "piles", item["words"], line, False), at_least, within))
    guards = check.data.get("guards") or {}
    if not isinstance(guards, dict) or set(guards) - set(GUARDS) or not all(isinstance(v, bool) for v in guards.values()):
        raise check.fail("guards", f"'guards' zet bewakers aan of uit: {', '.join(GUARDS)} met true/false")
    rule.guards.update(guards)
    rule.not_with = check.texts("not_with")
    rule.learned_not_with = check.texts("learned_not_with")
    rule.implies = check.texts("implies")
    rule.reply_checks = check.texts("reply_checks")
    for name in rule.reply_checks:
        if name not in REPLY_CHECK_NAMES:
            raise check.fail("reply_checks", f"onbekende controle '{name}'; bekend: {', '.join(REPLY_CHECK_NAMES)}")
    for key in ("learned_cues", "when_customer_upset"):
        if not isinstance(check.data.get(key, False), bool):
            raise check.fail(key, f"'{key}' is true of false")
    rule.learned_cues = check.data.get("learned_cues", False)
    rule.when_customer_upset = check.data.get("when_customer_upset", False)
    rule.apply = check.data.get("apply", "after")
    if rule.apply not in ("before", "after"):
        raise check.fail("apply", "'apply' is 'before' of 'after': waar een voorgestelde zin komt")
    rule.channels = check.texts("channels") or list(CHANNELS)
    for channel in rule.channels:
        if channel not in CHANNELS:
            raise check.fail("channels", f"kanaal '{channel}' bestaat niet; kies uit: {', '.join(CHANNELS)}")
    handle = check.data.get("handle", 0)
    if not isinstance(handle, int) or not 0 <= handle <= 4:
        raise check.fail("handle", "'handle' is het nummer van het handvat: 1, 2, 3 of 4")
    rule.handle = handle
    if kind == "missing":
        rule.requires = check.text("requires")
        rule.element = check.text("element")
        rule.position = check.choice("position", ("anywhere", "after"), default="anywhere")
        if rule.patterns or rule.piles:
            raise check.fail("patterns", "een 'missing'-regel heeft geen patronen: hij kijkt of 'element' ontbreekt")
    elif not rule.patterns and not rule.piles:
        raise check.fail(None, "de regel heeft geen 'patterns', 'frames' of 'piles'")
    examples = check.data.get("examples")
    if not isinstance(examples, dict):
        raise check.fail("examples" if examples is not None else None, "het veld 'examples' met 'flag' en 'pass' ontbreekt")
    example_check = _Checker(path, examples)
    rule.examples_flag = example_check.texts("flag") + [t for frame in rule.frames for t in frame.examples_flag]
    rule.examples_pass = example_check.texts("pass") + [t for frame in rule.frames for t in frame.examples_pass]
    for name, found in (("flag", rule.examples_flag), ("pass", rule.examples_pass)):
        if len(found) < MIN_EXAMPLES:
            raise example_check.fail(
                name if name in examples else None,
                f"'examples.{name}' heeft {len(found)} zinnen; geef er minstens {MIN_EXAMPLES}",
            )
    return rule


def _frame(check: _Checker, item: Any, line: int) -> Frame:
    """A `frames` entry: name, captures, patterns and (optional) examples with flag/pass."""
    if not isinstance(item, dict):
        raise check.fail("frames", "een frame heeft 'name', 'captures', 'patterns' en 'examples'", line)
    frame_check = _Checker(check.path, item)
    unknown = set(item) - {"name", "captures", "patterns", "examples"}
    if unknown:
        name = sorted(unknown)[0]
        raise frame_check.fail(name, f"onbekend veld '{name}' in een frame{did_you_mean(name, {'name', 'captures', 'patterns', 'examples'})}")
    name = frame_check.text("name")
    if not FRAME_NAME.match(name):
        raise frame_check.fail("name", f"de framenaam '{name}' mag alleen kleine letters, cijfers en '-' bevatten")
    frame = Frame(name=name, captures=frame_check.text("captures"), line=line)
    frame.patterns = [_pattern(frame_check, "patterns", p, pline, False) for p, pline in frame_check.items("patterns")]
    if not frame.patterns:
        raise frame_check.fail("patterns" if "patterns" in item else None, f"het frame '{name}' heeft geen 'patterns'")
    for pattern in frame.patterns:
        pattern.frame = name
    examples = item.get("examples")
    if examples is not None:
        example_check = _Checker(check.path, examples)
        frame.examples_flag = example_check.texts("flag")
        frame.examples_pass = example_check.texts("pass")
    return frame


def parse_list(path: Path, data: Any) -> tuple[str, list]:
    check = _Checker(path, data)
    unknown = set(check.data) - {"name", "description", "words"}
    if unknown:
        raise check.fail(sorted(unknown)[0], f"onbekend veld '{sorted(unknown)[0]}' (toegestaan: name, description, words)")
    name = check.text("name")
    if name != path.stem:
        raise check.fail("name", f"de lijst heet '{name}' maar het bestand '{path.name}'; maak ze gelijk")
    entries = []
    for item, line in check.items("words"):
        if not isinstance(item, str):
            raise check.fail("words", "elk woord is een tekst (of een korte woordgroep in de patroonnotatie)", line)
        try:
            entries.append(notation.parse(item))
        except notation.NotationError as error:
            raise check.fail("words", f"'{item}': {error}", line) from None
    if not entries:
        raise check.fail("words", "de lijst 'words' is leeg")
    return name, entries


def load_rules(
    directories: list[Path] | None = None,
    packs: list[Path] | tuple[Path, ...] = (),
    words: dict[str, list[str]] | None = None,
    severity: dict[str, str] | None = None,
) -> RuleSet:
    """Read and validate every rule and word list; the first mistake raises `RuleError`.

    `directories` hold the base rules (default: the built-in `rules/`); each of `packs`
    is an organisation's rule pack (see `load_pack`); `words` extends word lists and
    `severity` changes levels (both from the configuration file).
    """
    rules: list[Rule] = []
    lists: dict[str, list] = {}
    list_paths: dict[str, str] = {}
    for directory in directories or [builtin_rules_dir()]:
        _read_directory(directory, rules, lists, list_paths)
    ruleset = RuleSet(rules, lists, list_paths)
    ruleset.cues = _read_cues(directories or [builtin_rules_dir()])
    for pack in packs:
        load_pack(Path(pack), ruleset)
    if words:
        for name, entries in words.items():
            _extend_list(ruleset, name, entries, "configuratie [words]", None)
    ids = ruleset.by_id()
    for rule_id, level in (severity or {}).items():
        # every front end builds its linter here: an unknown id is an error in all of them, not only the CLI
        if rule_id not in ids:
            raise RuleError("configuratie [severity]", None, f"onbekende regel '{rule_id}'{did_you_mean(rule_id, set(ids))}")
        ids[rule_id].severity = level
    _check_references(ruleset)
    return ruleset


def _read_cues(directories: list[Path]) -> Cues:
    """The learned cue models that sit beside the base rules (`learned/cues.json`), if any."""
    for directory in directories:
        path = Path(directory) / CUES_FILE
        if path.is_file():
            try:
                return Cues.load(path)
            except (ValueError, KeyError, TypeError, AttributeError) as error:
                raise RuleError(path, None, f"het bestand met geleerde signalen is onleesbaar ({error})") from None
    return Cues.empty()


def _inside(path: Path, directory: Path) -> Path:
    """A rule pack may only read its own files: a link that leads outside it is refused."""
    if not path.resolve().is_relative_to(directory.resolve()):
        raise RuleError(path, None, "dit bestand verwijst naar een plek buiten de regelmap; dat is niet toegestaan")
    return path


def _read_directory(directory: Path, rules: list[Rule], lists: dict, list_paths: dict, prefix: str = "") -> list[Rule]:
    if not directory.is_dir():
        raise RuleError(directory, None, "map met regels niet gevonden")
    for path in sorted((directory / "lists").glob("*.yaml")):
        name, entries = parse_list(path, load_yaml(_inside(path, directory)))
        if name in lists:
            raise RuleError(path, 1, f"de woordenlijst '{name}' bestaat al ({list_paths[name]}); vul hem aan met 'words:' in pack.yaml")
        lists[name] = entries
        list_paths[name] = str(path)
    added = []
    for path in sorted(directory.glob("*.yaml")):
        if path.name == PACK_FILE:
            continue
        rule = parse_rule(path, load_yaml(_inside(path, directory)))
        if prefix and "/" not in rule.id:
            rule.id = f"{prefix}/{rule.id}"
        elif prefix and not rule.id.startswith(f"{prefix}/"):
            raise RuleError(path, 1, f"een regel in pakket '{prefix}' heet '{prefix}/...', niet '{rule.id}'")
        if any(other.id == rule.id for other in rules):
            raise RuleError(path, 1, f"de id '{rule.id}' wordt al gebruikt")
        rules.append(rule)
        added.append(rule)
    return added


PACK_FILE = "pack.yaml"
CUES_FILE = "learned/cues.json"
PACK_NAME = re.compile(r"^[a-z][a-z0-9-]*$")


def load_pack(directory: Path, ruleset: RuleSet) -> None:
    """Add a rule pack: its rules (ids `pack/rule`), its word lists, and the changes in `pack.yaml`.

    pack.yaml (optional): name, description, disable (built-in ids not to report),
    severity (id: level), words (list name: entries to add).
    """
    settings: Any = LDict()
    settings.line, settings.key_lines = 1, {}
    pack_file = directory / PACK_FILE
    if pack_file.is_file():
        settings = load_yaml(_inside(pack_file, directory))
    check = _Checker(pack_file, settings)
    unknown = set(check.data) - {"name", "description", "disable", "severity", "words"}
    if unknown:
        name = sorted(unknown)[0]
        raise check.fail(name, f"onbekend veld '{name}'{did_you_mean(name, {'name', 'description', 'disable', 'severity', 'words'})}")
    name = check.text("name", required=False, default=directory.name.lower())
    if not PACK_NAME.match(name):
        raise check.fail("name", f"de pakketnaam '{name}' mag alleen kleine letters, cijfers en '-' bevatten")
    if name in ruleset.packs:
        raise check.fail("name", f"het pakket '{name}' is al geladen ({ruleset.packs[name]})")
    ruleset.packs[name] = str(directory)
    added = _read_directory(directory, ruleset.rules, ruleset.lists, ruleset.list_paths, prefix=name)
    own = {rule.id for rule in added}
    for rule in added:  # a pack rule may name its siblings without the prefix
        resolve = lambda ref: f"{name}/{ref}" if f"{name}/{ref}" in own else ref  # noqa: E731
        rule.implies = [resolve(ref) for ref in rule.implies]
        rule.not_with = [resolve(ref) for ref in rule.not_with]
        rule.learned_not_with = [resolve(ref) for ref in rule.learned_not_with]
        rule.requires, rule.element = resolve(rule.requires), resolve(rule.element)
    ids = ruleset.by_id()
    for rule_id, line in check.items("disable"):
        if rule_id not in ids:
            raise check.fail("disable", f"onbekende regel '{rule_id}'{did_you_mean(str(rule_id), set(ids))}", line)
        ruleset.disabled.add(str(rule_id))
    severity = check.data.get("severity") or {}
    if not isinstance(severity, dict):
        raise check.fail("severity", "'severity' is een tabel: regel-id: ernst")
    for rule_id, level in severity.items():
        if rule_id not in ids:
            raise check.fail("severity", f"onbekende regel '{rule_id}'{did_you_mean(rule_id, set(ids))}")
        if level not in SEVERITIES:
            raise check.fail("severity", f"ernst '{level}' voor {rule_id}; kies uit: {', '.join(SEVERITIES)}")
        ids[rule_id].severity = level
    words = check.data.get("words") or {}
    if not isinstance(words, dict):
        raise check.fail("words", "'words' is een tabel: lijstnaam: [woorden]")
    for list_name, entries in words.items():
        _extend_list(ruleset, list_name, entries, str(pack_file), check.line("words"))


def _extend_list(ruleset: RuleSet, name: str, entries: Any, where: str, line: int | None) -> None:
    if name not in ruleset.lists:
        raise RuleError(where, line, f"onbekende woordenlijst '{name}'{did_you_mean(name, set(ruleset.lists))}")
    if not isinstance(entries, list) or not all(isinstance(entry, str) for entry in entries):
        raise RuleError(where, line, f"de aanvulling op '{name}' moet een lijst van woorden zijn")
    for entry in entries:
        try:
            ruleset.lists[name] = ruleset.lists[name] + [notation.parse(entry)]
        except notation.NotationError as error:
            raise RuleError(where, line, f"'{entry}' in '{name}': {error}") from None


def _check_references(ruleset: RuleSet) -> None:
    ids = ruleset.by_id()
    for rule in ruleset.rules:
        for other in rule.not_with + rule.learned_not_with + rule.implies + [r for r in (rule.requires, rule.element) if r]:
            if other not in ids:
                raise RuleError(rule.path, None, f"verwijst naar onbekende regel '{other}'{did_you_mean(other, set(ids))}")
        for pattern in rule.every_pattern():
            if pattern.parsed is None:
                continue
            for name in notation.list_refs(pattern.parsed):
                if name not in ruleset.lists:
                    hint = did_you_mean(name, set(ruleset.lists))
                    raise RuleError(rule.path, pattern.line, f"onbekende woordenlijst '@{name}'{hint}")
