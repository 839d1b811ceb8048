"""Rule files: one TOML file per metric in `rules/`, validated with file and line.

A metric file has `metric`, `description`, one or more `[[rules]]`, and its examples as
`[[positive]]` (a sentence and the facts it must produce) and `[[negative]]` (a sentence
that must produce no fact of this metric).  `common.toml` holds the status cues and the
blocks shared by every metric.  See README "Adding a metric".
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from .cache import folder_version

QUALIFIERS = ("exact", "about", "more_than", "at_least", "nearly", "at_most", "range")
STATUSES = ("achieved", "planned")
SCOPES = ("clause", "sentence")
RULE_KEYS = {"id", "units", "triggers", "trigger_scope", "window", "objects", "object_window",
             "not_objects", "context", "off_topic",
             "block", "block_before", "block_after", "require_after", "qualifiers", "priority", "note", "money"}
FILE_KEYS = {"metric", "description", "rules", "positive", "negative"}
FACT_KEYS = {"metric", "value", "value_max", "qualifier", "status", "unit"}
COMMON_KEYS = {"kind", "description", "status", "block"}
DICTIONARY = "domain_dict.txt"


# `regex`, `tomllib` and the number parser are imported where rule files are read: a
# re-run that finds nothing new checks the rules' hash only, and starts without them.
# (Annotations are never evaluated, so `regex.Pattern` in them needs no import.)


def words_re(words) -> re.Pattern:
    """One pattern for any of the literal `words`, longest first (matching nothing when
    there are none): the stdlib `re` is the faster engine for literal words."""
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) or "(?!)")


class RuleError(ValueError):
    """One or more problems in rule files; `problems` lists them as 'file:line: what'."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Rule:
    id: str
    metric: str
    units: tuple[str, ...]
    triggers: tuple[str, ...]
    trigger_scope: str = "clause"
    window: tuple[int, int] = (30, 20)
    objects: tuple[str, ...] = ()
    object_window: tuple[int, int] = (2, 14)
    not_objects: tuple[str, ...] = ()
    # A paragraph that holds an off_topic word (重大项目, 经济) and no context word (医, 卫生)
    # is about something else: no fact from it, nor from an article with no context word at
    # all.  Without off_topic words, context is required in the paragraph.
    context: tuple[str, ...] = ()
    off_topic: tuple[str, ...] = ()
    block: tuple[str, ...] = ()
    block_before: regex.Pattern | None = None
    block_after: regex.Pattern | None = None
    # must match in the characters after the number (为46名患者进行手术48例: patients who
    # had the operations counted after them)
    require_after: regex.Pattern | None = None
    qualifiers: tuple[str, ...] = QUALIFIERS
    priority: int = 0
    money: bool = False
    source: str = ""

    @cached_property
    def trigger_re(self) -> re.Pattern:
        """All triggers in one pattern: a cheap test before the word-by-word search."""
        return words_re(self.triggers)

    def off_topic_in(self, paragraph: str, in_article=None) -> bool:
        """Whether `paragraph` is about something other than what the rule counts: it
        names none of the context words and an off_topic one, or (for a rule with
        off_topic words) the whole article names none of the context words either
        (`in_article(rule)`: a page about a phone or a developer has no health money)."""
        if not self.context or self.context_re.search(paragraph):
            return False
        if not self.off_topic or self.off_topic_re.search(paragraph):
            return True
        return in_article is not None and not in_article(self)

    @cached_property
    def context_re(self) -> re.Pattern:
        return words_re(self.context)

    @cached_property
    def off_topic_re(self) -> re.Pattern:
        return words_re(self.off_topic)

    @cached_property
    def trigger_set(self) -> frozenset[str]:
        return frozenset(self.triggers)

    @cached_property
    def trigger_starts(self) -> re.Pattern:
        """Every position where some trigger starts, overlapping ones included."""
        return re.compile(f"(?={self.trigger_re.pattern})")

    @cached_property
    def triggers_by_first(self) -> dict[str, tuple[tuple[int, str], ...]]:
        """(position in the list, trigger) of the triggers starting with each character."""
        index: dict[str, list[tuple[int, str]]] = {}
        for i, t in enumerate(self.triggers):
            index.setdefault(t[0], []).append((i, t))
        return {ch: tuple(words) for ch, words in index.items()}


@dataclass(frozen=True)
class Example:
    metric: str
    text: str
    facts: tuple[dict, ...]  # empty for a negative example
    positive: bool
    where: "str | _Where"  # "rules/beds.toml:42" when formatted


@dataclass(frozen=True)
class Common:
    planned: tuple[regex.Pattern, ...] = ()
    planned_clause: tuple[regex.Pattern, ...] = ()  # 在建: planned, in its own clause only
    achieved: tuple[regex.Pattern, ...] = ()
    tentative: tuple[regex.Pattern, ...] = ()  # 总投资, 概算: a project's, planned unless completed
    tentative_clause: tuple[regex.Pattern, ...] = ()  # 可容纳, 用于: the same, in their own clause only
    completed: tuple[regex.Pattern, ...] = ()  # 建成, 竣工: anywhere in the sentence
    planned_headings: tuple[regex.Pattern, ...] = ()
    achieved_headings: tuple[regex.Pattern, ...] = ()
    block_before: regex.Pattern | None = None
    block_after: regex.Pattern | None = None
    block: tuple[str, ...] = ()
    whole: frozenset[str] = frozenset()  # measures of whole things: 6.5张 is a rate


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    examples: tuple[Example, ...]
    common: Common
    folder: Path
    version: str
    metrics: tuple[str, ...] = field(default=())

    @property
    def userdict(self) -> Path:
        return self.folder / DICTIONARY

    def by_unit(self) -> dict[str, list[Rule]]:
        index: dict[str, list[Rule]] = {}
        for rule in self.rules:
            for unit in rule.units:
                index.setdefault(unit, []).append(rule)
        return index


def unknown_key(key: str, known) -> str:
    """The words of an unknown-key problem, with the closest known key if one is close.

    >>> unknown_key("windw", {"window", "units"})
    "unknown key 'windw'; did you mean 'window'?"
    """
    import difflib

    close = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.6)
    if close:
        return f"unknown key {key!r}; did you mean {close[0]!r}?"
    return f"unknown key {key!r}; expected one of {sorted(known)}"


def line_of(lines: list[str], table: str | None, index: int, key: str | None) -> int:
    """1-based line of `key` in the `index`-th `[[table]]` (or top level), best effort."""
    import regex

    start, end = 0, len(lines)
    if table:
        headers = [i for i, l in enumerate(lines) if l.strip() == f"[[{table}]]"]
        if index < len(headers):
            start = headers[index]
            later = [i for i, l in enumerate(lines) if i > start and l.strip().startswith("[")]
            end = later[0] if later else len(lines)
    if key:
        for i in range(start, end):
            if regex.match(rf"\s*{regex.escape(key)}\s*=", lines[i]):
                return i + 1
    return start + 1


class _Where:
    """`file:line` of a key, worked out only when a message needs it (most never do)."""

    def __init__(self, path: Path, lines: list[str], table: str | None, index: int, key: str | None):
        self.args = (path, lines, table, index, key)

    def __str__(self) -> str:
        path, lines, table, index, key = self.args
        return f"{path}:{line_of(lines, table, index, key)}"

    __format__ = lambda self, spec: format(str(self), spec)  # noqa: E731


def _compile(pattern: str, where: str, problems: list[str]) -> regex.Pattern | None:
    import regex

    if not pattern:
        return None
    try:
        return regex.compile(pattern)
    except regex.error as exc:
        problems.append(f"{where}: bad regex {pattern!r}: {exc}")
        return None


def _strings(value, where: str, problems: list[str]) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        problems.append(f"{where}: expected a list of non-empty strings, found {value!r}")
        return ()
    return tuple(value)


def _pair(value, where: str, problems: list[str], default: tuple[int, int]) -> tuple[int, int]:
    if value is None:
        return default
    if (isinstance(value, list) and len(value) == 2
            and all(isinstance(v, int) and 0 <= v <= 200 for v in value)):
        return (value[0], value[1])
    problems.append(f"{where}: expected [before, after] as two integers 0-200, found {value!r}")
    return default


def _read(path: Path, problems: list[str]) -> tuple[dict | None, list[str]]:
    import tomllib

    import regex

    raw = path.read_text(encoding="utf-8")
    try:
        return tomllib.loads(raw), raw.splitlines()
    except tomllib.TOMLDecodeError as exc:
        m = regex.search(r"line (\d+), column (\d+)", str(exc))
        where = f"{m.group(1)}:{m.group(2)}" if m else f"{max(1, len(raw.splitlines()))}"  # at the end
        what = regex.sub(r"\s*\((at line \d+, column \d+|at end of document)\)", "", str(exc))
        problems.append(f"{path}:{where}: TOML syntax error: {what}")
        return None, raw.splitlines()


def load_common(path: Path, problems: list[str]) -> Common:
    if not path.exists():
        return Common()
    data, lines = _read(path, problems)
    if data is None:
        return Common()
    for key in set(data) - COMMON_KEYS:
        problems.append(f"{path}:{line_of(lines, None, 0, key)}: {unknown_key(key, COMMON_KEYS)}")
    status = data.get("status", {})
    block = data.get("block", {})

    def patterns(table: dict, key: str, name: str) -> tuple[regex.Pattern, ...]:
        where = f"{path}:{line_of(lines, None, 0, key)}"
        return tuple(p for s in _strings(table.get(key, []), where, problems)
                     if (p := _compile(s, where, problems)) is not None)

    from .numbers import UNITS

    whole_at = f"{path}:{line_of(lines, None, 0, 'whole')}"
    whole = _strings(block.get("whole", []), whole_at, problems)
    if unknown := [u for u in whole if u not in UNITS]:
        problems.append(f"{whole_at}: [block] whole: {unknown} are not measure words the number parser "
                        f"knows; fix the spelling or add them to numbers.UNITS")
    return Common(
        planned=patterns(status, "planned", "status"),
        planned_clause=patterns(status, "planned_clause", "status"),
        achieved=patterns(status, "achieved", "status"),
        tentative=patterns(status, "tentative", "status"),
        tentative_clause=patterns(status, "tentative_clause", "status"),
        completed=patterns(status, "completed", "status"),
        planned_headings=patterns(status, "planned_headings", "status"),
        achieved_headings=patterns(status, "achieved_headings", "status"),
        block_before=_compile(block.get("before", ""), f"{path}:{line_of(lines, None, 0, 'before')}", problems),
        block_after=_compile(block.get("after", ""), f"{path}:{line_of(lines, None, 0, 'after')}", problems),
        block=_strings(block.get("words", []), f"{path}:{line_of(lines, None, 0, 'words')}", problems),
        whole=frozenset(whole),
    )


def _rule(path: Path, lines: list[str], metric: str, i: int, spec, problems: list[str]) -> Rule | None:
    import regex

    where = lambda key=None: _Where(path, lines, "rules", i, key)
    if not isinstance(spec, dict):
        problems.append(f"{where()}: [[rules]] entry {i + 1} is not a table")
        return None
    for key in set(spec) - RULE_KEYS:
        problems.append(f"{where(key)}: rule {spec.get('id', i + 1)!r}: {unknown_key(key, RULE_KEYS)}")
    rid = spec.get("id")
    if not isinstance(rid, str) or not regex.fullmatch(r"[a-z_]+\.[a-z0-9_.]+", rid or ""):
        problems.append(f"{where('id')}: rule {i + 1}: 'id' must look like '{metric}.name', found {rid!r}")
        return None
    units = _strings(spec.get("units", []), where("units"), problems)
    if not units:
        problems.append(f"{where('units')}: rule {rid!r}: 'units' must list at least one measure word")
    from .numbers import UNITS

    unknown = [u for u in units if u not in UNITS]
    if unknown:
        problems.append(f"{where('units')}: rule {rid!r}: units {unknown} are not measure words the "
                        f"number parser knows; add them to numbers.UNITS or fix the spelling (money: "
                        f"list 元, the parser folds 万/亿 into the value)")
    triggers = _strings(spec.get("triggers", []), where("triggers"), problems)
    if not triggers:
        problems.append(f"{where('triggers')}: rule {rid!r}: 'triggers' must list at least one word")
    scope = spec.get("trigger_scope", "clause")
    if scope not in SCOPES:
        problems.append(f"{where('trigger_scope')}: rule {rid!r}: trigger_scope must be one of {SCOPES}, found {scope!r}")
    quals = _strings(spec.get("qualifiers", list(QUALIFIERS)), where("qualifiers"), problems)
    bad = [q for q in quals if q not in QUALIFIERS]
    if bad:
        problems.append(f"{where('qualifiers')}: rule {rid!r}: unknown qualifiers {bad}; use {QUALIFIERS}")
    priority = spec.get("priority", 0)
    if not isinstance(priority, int):
        problems.append(f"{where('priority')}: rule {rid!r}: priority must be an integer, found {priority!r}")
        priority = 0
    return Rule(
        id=rid, metric=metric, units=units, triggers=triggers, trigger_scope=scope,
        window=_pair(spec.get("window"), where("window"), problems, (30, 20)),
        objects=_strings(spec.get("objects", []), where("objects"), problems),
        object_window=_pair(spec.get("object_window"), where("object_window"), problems, (2, 14)),
        not_objects=_strings(spec.get("not_objects", []), where("not_objects"), problems),
        context=_strings(spec.get("context", []), where("context"), problems),
        off_topic=_strings(spec.get("off_topic", []), where("off_topic"), problems),
        block=_strings(spec.get("block", []), where("block"), problems),
        block_before=_compile(spec.get("block_before", ""), where("block_before"), problems),
        block_after=_compile(spec.get("block_after", ""), where("block_after"), problems),
        require_after=_compile(spec.get("require_after", ""), where("require_after"), problems),
        qualifiers=quals, priority=priority, money=bool(spec.get("money", False)),
        source=str(where()))


def _examples(path: Path, lines: list[str], metric: str, data: dict, problems: list[str]) -> list[Example]:
    out = []
    for kind in ("positive", "negative"):
        entries = data.get(kind, [])
        if not isinstance(entries, list):
            problems.append(f"{path}:{line_of(lines, None, 0, kind)}: '{kind}' must be [[{kind}]] tables")
            continue
        for i, ex in enumerate(entries):
            where = _Where(path, lines, kind, i, "text")  # its line is looked for only in a message
            if not isinstance(ex, dict) or not isinstance(ex.get("text"), str) or not ex["text"].strip():
                problems.append(f"{where}: {kind} example {i + 1} needs a non-empty 'text'")
                continue
            extra = set(ex) - {"text", "facts", "why", "source"}
            if extra:
                problems.append(f"{where}: {kind} example {i + 1}: unknown keys {sorted(extra)}")
            facts = ex.get("facts", [])
            if kind == "negative" and facts:
                problems.append(f"{where}: negative example {i + 1} lists facts; move it to [[positive]]")
            if kind == "positive":
                if not isinstance(facts, list) or not facts:
                    problems.append(f"{where}: positive example {i + 1} needs 'facts', e.g. "
                                    f"facts = [{{ value = 3000, status = \"achieved\" }}]")
                    continue
                for fact in facts:
                    if not isinstance(fact, dict) or "value" not in fact:
                        problems.append(f"{where}: positive example {i + 1}: each fact needs a 'value'")
                        continue
                    bad = set(fact) - FACT_KEYS
                    if bad:
                        problems.append(f"{where}: positive example {i + 1}: unknown fact keys {sorted(bad)}")
                    if fact.get("qualifier", "exact") not in QUALIFIERS:
                        problems.append(f"{where}: positive example {i + 1}: qualifier {fact['qualifier']!r} not in {QUALIFIERS}")
                    if fact.get("status", "achieved") not in STATUSES:
                        problems.append(f"{where}: positive example {i + 1}: status {fact['status']!r} not in {STATUSES}")
            out.append(Example(metric, ex["text"], tuple(facts) if kind == "positive" else (),
                               kind == "positive", where))
    return out


def load_file(path: Path, problems: list[str]) -> tuple[list[Rule], list[Example]]:
    """Rules and examples of one metric file; problems are appended, never raised."""
    import regex

    data, lines = _read(path, problems)
    if data is None:
        return [], []
    for key in set(data) - FILE_KEYS:
        problems.append(f"{path}:{line_of(lines, None, 0, key)}: {unknown_key(key, FILE_KEYS)}")
    metric = data.get("metric")
    if not isinstance(metric, str) or not regex.fullmatch(r"[a-z][a-z_]*", metric or ""):
        problems.append(f"{path}:{line_of(lines, None, 0, 'metric')}: 'metric' must be a "
                        f"lower_case name such as \"{path.stem}\", found {metric!r}")
        return [], []
    specs = data.get("rules", [])
    if not isinstance(specs, list) or not specs:
        problems.append(f"{path}:1: no [[rules]] table; a metric file needs at least one rule")
        specs = []
    rules = [r for i, s in enumerate(specs) if (r := _rule(path, lines, metric, i, s, problems))]
    for r in rules:
        if not r.id.startswith(metric + "."):
            problems.append(f"{r.source}: rule id {r.id!r} must start with '{metric}.'")
    return rules, _examples(path, lines, metric, data, problems)


def rules_version(folder: Path) -> str:
    """Hash of every file in the rules folder: changes when any rule or example does."""
    return folder_version(folder)


def load_rules(folder: str | Path, only: Path | None = None) -> RuleSet:
    """Load and validate every rule file in `folder`; raise RuleError listing all problems.
    A folder whose files have not changed is read once per process (ingest checks the
    rules before reading a dump, then extracts with them)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise RuleError([f"{folder}: rules folder not found; pass --rules PATH, or leave it out "
                         f"to use the shipped rules (`zhfacts rules init DIR` copies them)"])
    return _load_rules(folder, rules_version(folder), None if only is None else Path(only))


@lru_cache(maxsize=4)
def _load_rules(folder: Path, version: str, only: Path | None) -> RuleSet:
    problems: list[str] = []
    common = load_common(folder / "common.toml", problems)
    rules, examples = [], []
    files = [p for p in sorted(folder.glob("*.toml")) if p.name != "common.toml"]
    for path in files:
        r, e = load_file(path, problems)
        rules += r
        if only is None or path.resolve() == Path(only).resolve():
            examples += e
    seen: dict[str, str] = {}
    for r in rules:
        if r.id in seen:
            problems.append(f"{r.source}: duplicate rule id {r.id!r}, first defined at {seen[r.id]}")
        seen[r.id] = r.source
    if problems:
        raise RuleError(problems)
    metrics = tuple(dict.fromkeys(r.metric for r in rules))
    return RuleSet(tuple(rules), tuple(examples), common, folder, version, metrics)
