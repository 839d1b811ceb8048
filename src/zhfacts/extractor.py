"""Sentences -> quantities -> rules -> facts, with a trace of why each rule fired or not.

For each quantity whose measure word some rule uses, every such rule is tried; the
fired rule of highest priority makes the fact.  Status (planned vs achieved) comes from
the cues of `common.toml` in the sentence, else from the paragraph and heading.
Evidence is the clause as written in the original, with offsets into the original.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, NamedTuple

import regex

from .normalize import AlignedText, normalize
from .numbers import PREFIX_QUALIFIERS, Quantity, find_quantities, has_number, mentions, plain
from .place import Locator, where
from .rules import Common, Rule, RuleSet, words_re
from .segment import BLOCK_CHAR, Clause, Sentence, segmenter, sentences

HAN_WORD = re.compile(r"[\u4e00-\u9fff](?<![和及与或])")  # a character of the item's own words

CLAUSE_PUNCT = "，,：:。！？!?；;、 "
DISTANT_QUALIFIER = re.compile(r"(至少|不少于|不低于|超过|不超过|将近|接近|最高|最多)[^\d，,。；;、]{1,5}$")
STOP_RE = re.compile(r"[。！？!?；;]")
BREAK_RE = re.compile(r"[，,。；;：:！？!]")
LIST_RE = re.compile(r"[、和及与]|以及")
BARE_ITEM = re.compile(r"\s*(?:[、和及与]|以及)\s*")  # 派出医生10名、8名: the 8名 counts what the 10名 does
SUFFIX_RE = re.compile(r"(以上|左右|上下|以内|以下|余)?$")
LIST_CLAUSE = 16  # longest verbless clause that continues an enumeration
NARRATIVE_UNITS = frozenset("名 位 人 例 台 次 人次 例次 台次".split())  # 一名, 一例: a story
QUOTES = {"“": "”", "「": "」", "『": "』", "《": "》"}


class Fact(NamedTuple):
    """One extracted fact with its provenance in the original text (a named tuple: one
    is made for every fired rule, and its id added when the article's id is known)."""

    metric: str
    value: int | float
    value_max: int | float | None
    unit: str
    qualifier: str
    status: str
    evidence: str
    start: int
    end: int
    rule_id: str
    fact_id: str = ""
    province: str = ""  # where and when (place.where): official Simplified names, GB/T 2260 code
    city: str = ""
    county: str = ""
    adcode: str = ""
    place_from: str = ""
    period: str = ""
    period_from: str = ""


FACT_FIELDS = Fact._fields.index("province")  # the place and period fields come last


@dataclass(frozen=True)
class Verdict:
    """Whether one rule fired on one quantity, and why (not)."""

    rule_id: str
    fired: bool
    reason: str


@dataclass(frozen=True)
class Trace:
    """A quantity found in a sentence, the rules tried on it and the fact (if any)."""

    sentence: str
    sentence_start: int
    quantity: Quantity
    verdicts: tuple[Verdict, ...]
    fact: Fact | None
    where: Any = None  # place and period of the fact, worked out when asked (extract keeps few)


def _any_of(patterns) -> regex.Pattern:
    """One pattern that matches where any of `patterns` does (never, for none)."""
    return regex.compile("|".join(f"(?:{p.pattern})" for p in patterns) or "(?!)")


# What may stand between 将 meaning 把 and the number of its object: a demonstrative
# (将该院20名医生派往) or a modifier ending in 的 (将全省各地的120名专家派驻); a verb there
# (将新增, 将开放) makes 将 "will".
BA_OBJECT = re.compile(r"\s*(?:[该其此这本][院县市区省局批些]?|全部|所有|部分|其中|[^，。；]*的)?\s*")


def _means_ba(ctx: "_Context", after: int, trigger_at) -> bool:
    """Whether the 将 ending at sentence offset `after` means 把 (将3名医生派往县医院):
    the trigger comes after the quantity (not inside it, as 床 of 将新增492床), and
    between 将 and the quantity stands at most a demonstrative or a modifier (BA_OBJECT);
    a verb there makes it "will" (将新增492张床位, 将开放800张床位)."""
    q = ctx.q
    return (trigger_at is not None and trigger_at[0] >= q.end
            and BA_OBJECT.fullmatch(ctx.sentence.text, after, q.start) is not None)


class Extractor:
    """Holds the rules, the unit index and the segmenter, loaded once per process."""

    def __init__(self, ruleset: RuleSet, backend: str = "jieba"):
        self.ruleset = ruleset
        self.by_unit = ruleset.by_unit()
        self.object_rules = {r.id for r in ruleset.rules if r.objects}
        self.segmenter = segmenter(str(ruleset.userdict), backend)
        self.common = ruleset.common
        # One pattern each for "does this text hold a planned (achieved) cue?": asked of
        # every sentence, and before the cue-by-cue search for a fact's status.
        self.planned_any = _any_of(self.common.planned)
        self.achieved_any = _any_of(self.common.achieved)
        self.tentative_any = _any_of(self.common.tentative + self.common.tentative_clause)
        self.planned_clause_any = _any_of(self.common.planned_clause)
        self.completed_any = _any_of(self.common.completed)
        # Every trigger of every rule: a sentence with none of them yields no fact.
        self.any_trigger = words_re({t for r in ruleset.rules for t in r.triggers})
        # Each rule's clause blocks (its own and common.toml's) as one search.
        self.blocks = {r.id: self.common.block + r.block for r in ruleset.rules}
        self.block_re = {rid: words_re(words) if words else None
                         for rid, words in self.blocks.items()}

    # -- whole articles -------------------------------------------------------------
    def extract(self, original: str, aligned: AlignedText,
                damaged: tuple[tuple[int, int], ...] = (), published: str = "", source: str = "") -> list[Fact]:
        """Facts of one article, deduplicated on (metric, value, value_max, status).
        No fact comes from a quantity that touches a damaged (unrepairable) run.
        `published` dates the article: 今年 and the period of an undated figure; `source`
        (泉州晚报) may name its place."""
        return placed(self.unplaced(original, aligned, damaged, published, source))

    def unplaced(self, original: str, aligned: AlignedText, damaged: tuple[tuple[int, int], ...] = (),
                 published: str = "", source: str = "") -> "list[tuple[Fact, Callable[[], tuple] | None]]":
        """`extract`'s facts before their places and periods: each with the function that
        works those out (`placed` calls them).  A caller with several articles reads them
        all first and then places their facts in one stretch: that work's data stays in
        the processor's cache, not evicted by segmenting and matching between facts."""
        kept: list[tuple[Fact, Callable[[], tuple] | None]] = []
        seen: dict[tuple, int] = {}
        title_end = aligned.text.find("\n")
        headline: set[tuple] = set()  # keys of figures kept from the title so far
        moved = False
        for trace in self.traces(original, aligned, explain=False, published=published, source=source):
            f = trace.fact
            if f is None or (damaged and _touches(trace, aligned, damaged)):
                continue
            key = (f.metric, f.value, f.value_max, f.status)
            if key not in seen:
                seen[key] = len(kept)
                kept.append((f, trace.where))
                if trace.sentence_start < title_end:
                    headline.add(key)
            elif key in headline:
                # The headline repeats a figure of the body: the body's mention is the
                # fact, as its sentence tells the figure's place and years.
                headline.discard(key)
                kept[seen[key]] = (f, trace.where)
                moved = True
        return sorted(kept, key=lambda fw: fw[0].start) if moved else kept

    def traces(self, original: str, aligned: AlignedText, all_quantities: bool = False,
               explain: bool = True, published: str = "", source: str = ""):
        """Yield a Trace for every quantity a rule could use (or every one, if asked),
        with the verdict of every rule tried on it; without `explain`, only the traces
        that made a fact, and no verdicts."""
        text = aligned.text
        heading_mode = None
        pos = 0
        article = _Article(text, published, source)
        for line in text.split("\n"):
            line_start, pos = pos, pos + len(line) + 1
            article.line, article.line_text = (line_start, line_start + len(line)), line
            if line and len(line) <= 30 and not line.isspace() and not STOP_RE.search(line):
                if self._has_cue(self.common.achieved_headings, line):
                    heading_mode = "achieved"
                elif self._has_cue(self.common.planned_headings, line):
                    heading_mode = "planned"
            if not has_number(line):
                continue  # the paragraph's status cues matter only to its own numbers
            para_mode = _ParagraphMode(self, heading_mode)
            for sent in sentences(line, line_start):
                if has_number(sent.text):
                    yield from self._sentence(original, aligned, sent, para_mode, all_quantities, explain, article)
                para_mode.after(sent.text)

    def _has_cue(self, patterns, text: str) -> bool:
        """Whether a cue matches `text` as whole words (计划, not 计划 of 计划生育); only
        the piece around a match is segmented."""
        tokens = None
        for p in patterns:
            for m in p.finditer(text):
                if m.end() - m.start() < 2:
                    return True  # as _Tokens.is_cue says, without segmenting anything
                tokens = tokens or _Tokens(Sentence(0, len(text), text), find_quantities(text), self.segmenter)
                if tokens.is_cue(m.start(), m.end()):
                    return True
        return False

    def _sentence(self, original, aligned, sent: Sentence, para_mode, all_quantities, explain=True,
                  article: "_Article | None" = None):
        paragraph = article.line_text if article else ""
        if not all_quantities and not self.any_trigger.search(sent.text):
            return
        quantities = find_quantities(sent.text)
        if not quantities:
            return
        quantities = mentions(sent.text, quantities, lambda: [c.start - sent.start for c in sent.clauses])
        tokens = _Tokens(sent, quantities, self.segmenter)
        fired_at: dict[int, dict[str, tuple[int, int] | None]] = {}
        for qi, q in enumerate(quantities):
            rules = self.by_unit.get(q.counts, [])
            if not rules and not all_quantities:
                continue
            clause = sent.clause_at(q.start)
            ctx = _Context(sent, clause, q, quantities, qi, tokens, self.by_unit, self.common,
                           paragraph or sent.text, article.has_context if article else None)
            inherited = self._list_head(sent, quantities, qi, fired_at, clause)
            bare = bool(inherited) and BARE_ITEM.fullmatch(sent.text, quantities[qi - 1].end, q.start) is not None
            if ctx.antecedent is not None:  # an elliptical clause counts what its antecedent does
                inherited = {**fired_at.get(q.antecedent, {}), **inherited}
            verdicts, fired = [], []
            for rule in rules:
                ok, why, trigger_at = self._evaluate(rule, ctx, inherited.get(rule.id), bare)
                if explain:
                    verdicts.append(Verdict(rule.id, ok, _reason(why, rule, ctx, trigger_at)))
                if ok:
                    fired.append((rule, trigger_at))
            fired_at[qi] = {rule.id: at for rule, at in fired}
            fact = where = None
            if fired:
                # a bare list item counts what the figure before it counts (医生10名、8名赴灾区救治)
                same = [rt for rt in fired if rt[0].id in inherited] if bare else []
                rule, trigger_at = max(same or fired, key=lambda rt: rt[0].priority)
                fact = self._fact(original, aligned, ctx, rule, trigger_at, para_mode)
                if article is not None:
                    where = article.later(rule.metric, ctx.clause_span(), (sent.start, sent.end),
                                          sent.start + q.start, fact.status == "planned")
                    if explain:  # shown at once; extract asks only for the facts it keeps
                        fact, where = _with_place(fact, where), None
            if explain or fact is not None:
                yield Trace(sent.text, sent.start, q, tuple(verdicts), fact, where)

    def _list_head(self, sent: Sentence, quantities, qi: int, fired_at, clause) -> dict:
        """Triggers a quantity inherits from the previous item of an enumeration:
        in the same clause after 、/和 (新增社区医院5家、卫生服务站20家), or as a short
        verbless clause right after it (新建乡镇卫生院85所，村卫生室1200余个).  The rule
        must still accept the unit, objects and blocks of the inheriting quantity; across
        clauses only a rule with objects inherits, as only its objects show that the item
        counts the same kind of thing (会诊病例15例，心理疏导1029例 are two tallies)."""
        j = qi - 1  # the previous figure of a counted unit: 医疗队员3批36人次's batches count nothing
        while j >= 0 and quantities[j].counts not in self.by_unit:
            j -= 1
        if j < 0 or not fired_at.get(j):
            return {}
        prev, q = quantities[j], quantities[qi]
        between = sent.text[prev.end:q.start]
        breaks = BREAK_RE.findall(between)
        if not breaks:
            if j == qi - 1 and prev.counts == q.counts and (not between or LIST_RE.search(between)):
                return fired_at[j]
            return {}
        if len(breaks) != 1 or breaks[0] not in "，,；;":
            return {}
        text = clause.text.strip("，,；;。 ")
        at = text.find(q.text)
        # Just a noun and the number, either way round: 村卫生室1200余个, 1200余个村卫生室;
        # not 其中12项填补空白 (a subset) nor 无一例感染 (a verb around it).
        # An item that starts a new tally (累计采样58例 after 会诊1例) is no continuation.
        if (0 < len(text) <= LIST_CLAUSE and at >= 0 and "其中" not in text
                and not text.startswith(("累计", "共计", "另"))
                and (at == 0 or at + len(q.text) == len(text))
                and sum(1 for x in quantities if x.counts in self.by_unit  # of a counted unit
                        and clause.start <= sent.start + x.start < clause.end) == 1):
            return {rid: at for rid, at in fired_at[j].items() if rid in self.object_rules}
        return {}

    # -- one rule on one quantity ---------------------------------------------------
    def _evaluate(self, rule: Rule, ctx: "_Context", inherited: tuple[int, int] | None = None,
                  bare: bool = False) -> tuple[bool, tuple, tuple[int, int] | None]:
        """Whether `rule` fires on the quantity of `ctx`: (fired, why, trigger span).
        `why` is a short tuple that `_reason` words for `explain`, so extraction never
        formats a sentence it will not show.  A `bare` list item (the 8名 of 医生10名、8名:
        nothing but 、 between it and the figure before) has that figure's object too."""
        q = ctx.q
        if q.ordinal:
            return False, ("ordinal",), None
        if q.qualifier not in rule.qualifiers:
            return False, ("qualifier",), None
        if (q.value % 1 or (q.value_max or 0) % 1) and q.counts in self.common.whole:
            return False, ("fraction", q.counts), None  # 每千人口床位数6.5张: a rate
        first = None
        if inherited is None and not (q.noun and q.noun in rule.trigger_set):
            first = ctx.first_trigger(rule)  # most rules find no trigger word near: the cheapest test first
            if first is None:
                return False, ("no_trigger",), None
        if ctx.before12 is None:
            ctx.fill()
        if ctx.quoted:
            return False, ("quoted", ctx.quoted), None
        before, after = ctx.before12, ctx.after12
        for m, where in ((ctx.common_before, "before"),
                         (rule.block_before and rule.block_before.search(before), "before"),
                         (ctx.common_after, "after"),
                         (rule.block_after and rule.block_after.search(after), "after")):
            if m:
                return False, ("blocked", m.group(0), where), None
        if rule.require_after and not rule.require_after.search(after):
            return False, ("not_after",), None
        block_re = self.block_re[rule.id]
        if block_re is not None and block_re.search(ctx.clause.text) and block_re.search(own := ctx.own_items()):
            word = next(w for w in self.blocks[rule.id] if w in own)
            return False, ("block_word", word), None
        trigger_at = ctx.find_trigger(rule, first) or ctx.noun_trigger(rule) or inherited
        if trigger_at is None:
            return False, ("no_trigger",), None
        if ctx.narrative_one(trigger_at):
            return False, ("narrative_one",), None
        if rule.objects and not (bare and inherited) and not ctx.near_object(rule.objects, rule.object_window):
            return False, ("no_object",), None
        if rule.off_topic_in(ctx.paragraph, ctx.in_article):
            return False, ("no_context",), None
        if rule.not_objects and (bad := ctx.near_object(rule.not_objects, rule.object_window)):
            return False, ("not_object", bad), None
        return True, ("fired",), trigger_at

    def _status(self, ctx: "_Context", trigger_at, para_mode) -> str:
        """Planned or achieved, from the cues before the quantity, planned ones as whole
        words (计划 is a cue, not inside 计划生育), those of `planned_clause` (在建) only in the
        figure's own clause; the later cue wins.  A tentative cue makes a figure planned unless
        the sentence says it was completed: a project's (总投资) anywhere before it in the
        sentence, a capacity or purpose word (可容纳, 用于) in its own clause."""
        q, common = ctx.q, self.common
        # The quantity's own qualifier word counts as before it: 每年选派不少于1000名 is a
        # commitment (每年...不少于), 每年接诊3000人次 a routine.
        before = ctx.sentence.text[:q.start] + q.prefix
        words = lambda m: m.end() > q.start or ctx.tokens.is_cue(m.start(), m.end())
        cues = sorted((m for p in common.planned for m in p.finditer(before)),
                      key=lambda m: m.start(), reverse=True) if self.planned_any.search(before) else ()
        # the last cue that is a whole word; 将 that means 把 is none (将3名医生派往, but
        # 将新增492张床位 is "will": _means_ba)
        planned = next((m.start() for m in cues if not (m.group(0) == "将" and _means_ba(ctx, m.end(), trigger_at))
                        and words(m)), None)
        clause_lo = ctx.sentence.clause_at(q.start).start - ctx.sentence.start  # the figure's own clause
        if self.planned_clause_any.search(before, clause_lo):  # 在建的有13家
            planned = max((m.start() for p in common.planned_clause for m in p.finditer(before, clause_lo)
                           if words(m)), default=planned)
        if planned is None and self.tentative_any.search(before) and not self._completed(ctx.sentence.text):
            planned = max((m.start() for patterns, lo in ((common.tentative, 0), (common.tentative_clause, clause_lo))
                           for p in patterns for m in p.finditer(before, lo) if words(m)), default=None)
        achieved = max((m.start() for p in common.achieved for m in p.finditer(before)),
                       default=None) if self.achieved_any.search(before) else None
        if planned is not None and (achieved is None or achieved < planned):
            return "planned"
        if achieved is not None:
            return "achieved"
        return para_mode.value() or "achieved"

    def _completed(self, text: str) -> bool:
        """Whether `text` says a thing was completed (建成, 投入使用), not that it is to be
        (预计2026年完工启用, 将于年底建成: a planned cue just before the word; 建成后可新增:
        once it is built, a condition)."""
        return any(not self.planned_any.search(text, max(0, m.start() - 10), m.start())
                   and not text.startswith("后", m.end())
                   for m in self.completed_any.finditer(text))

    def _fact(self, original, aligned, ctx, rule, trigger_at, para_mode) -> Fact:
        q, sent = ctx.q, ctx.sentence
        c_start, c_end = ctx.clause_span()
        if ctx.antecedent is not None and trigger_at is not None:
            own = sent.clause_at(q.start)  # 其中23项新技术: its own clause says all it counts
            if own.start - sent.start <= trigger_at[0] and (
                    not rule.objects or any(w in own.text for w in rule.objects)):
                c_start = max(c_start, _trimmed(own)[0])
        start, end = aligned.span_of(c_start, c_end)
        suffix = SUFFIX_RE.search(q.text)  # a qualifier after the unit (以上, 左右, 余), or nothing
        unit_at = sent.start + q.end - (len(suffix.group(0)) if suffix else 0)
        unit_written = q.unit or q.measure
        if q.unit:
            us, ue = aligned.span_of(unit_at - len(q.unit), unit_at)
            unit_written = original[us:ue]
        if rule.money:
            unit_written = "元"
        qualifier = q.qualifier
        if qualifier == "exact":  # 至少建成1家: the qualifier may sit before the verb
            m = DISTANT_QUALIFIER.search(ctx.before(8))
            if m:
                qualifier = PREFIX_QUALIFIERS[m.group(1)]
        return Fact(
            metric=rule.metric, value=plain(q.value),
            value_max=None if q.value_max is None else plain(q.value_max),
            unit=unit_written, qualifier=qualifier,
            status=self._status(ctx, trigger_at, para_mode),
            evidence=original[start:end], start=start, end=end, rule_id=rule.id)


class _Article:
    """One article's normalised text while it is read: the line at hand, and its places
    and years, found on the first fact that asks (most articles' numbers make none)."""

    def __init__(self, text: str, published: str, source: str = ""):
        self.text, self.published, self.source = text, published, source
        self._locator: Locator | None = None
        self.contexts: dict[str, bool] = {}
        self.line, self.line_text = (0, 0), ""

    def has_context(self, rule: Rule) -> bool:
        """Whether the article names any of the rule's context words (asked once a rule).
        A text of one line (a sentence to explain, a rule's example) is given the benefit
        of the doubt: there is no article around it to tell."""
        found = self.contexts.get(rule.id)
        if found is None:
            found = self.contexts[rule.id] = ("\n" not in self.text.strip()
                                              or rule.context_re.search(self.text) is not None)
        return found

    def later(self, metric: str, clause: tuple[int, int], sentence: tuple[int, int], at: int, planned: bool):
        """A function giving the place and period of a fact at `at` of the current line."""
        lo, hi = self.line  # a paragraph as far as 300 characters either side: work stays bounded
        scopes = [("clause", *clause), ("sentence", *sentence), ("paragraph", max(lo, at - 300), min(hi, at + 300))]
        return lambda: self._where(metric, scopes, at, planned)

    def _where(self, metric, scopes, at, planned):
        if self._locator is None:
            self._locator = Locator(self.text, self.published, self.source)
        return where(self._locator, metric, scopes, at, planned)


class _ParagraphMode:
    """The status a paragraph's earlier sentences give its numbers: planned once one of
    them holds a planned cue as a whole word, else its heading's.  Worked out only when
    a number's own sentence has no cue (most never ask), so sentences are segmented
    around their cues only then."""

    def __init__(self, extractor: Extractor, heading: str | None):
        self.extractor, self.heading, self.planned = extractor, heading, False
        self.pending: list[str] = []

    def after(self, sentence: str) -> None:
        if not self.planned and self.extractor.planned_any.search(sentence):
            self.pending.append(sentence)

    def value(self) -> str | None:
        while self.pending and not self.planned:
            self.planned = self.extractor._has_cue(self.extractor.common.planned, self.pending.pop())
        return "planned" if self.planned else self.heading


@dataclass
class _Context:
    """Where a quantity sits: its sentence, clause, neighbours and token boundaries."""

    sentence: Sentence
    clause: Clause
    q: Quantity
    quantities: list[Quantity]
    index: int
    tokens: "_Tokens"
    countable: dict  # units some rule counts: other quantities (二级, 5G) are words
    common: Common  # common.toml's cues and blocks
    paragraph: str  # the line the sentence is in
    in_article: Any = None  # rule -> whether the article names any of its context words
    # Worked out once by fill(), the same for every rule tried on the quantity, and only
    # when a rule gets that far (most are turned down for want of a trigger word first);
    # None and "" until then, as __post_init__ sets them:
    before12: str | None = field(init=False)
    after12: str = field(init=False)
    common_before: Any = field(init=False)  # a match of common.toml's blocks, or None
    common_after: Any = field(init=False)
    quoted: str | None = field(init=False)  # the quoted name it is part of (“千名医师下基层”)

    antecedent: Quantity | None = field(init=False)  # the figure an elliptical clause continues

    def __post_init__(self):
        self.before12, self.after12, self.quoted = None, "", None  # not filled yet
        self.common_before = self.common_after = None
        self.antecedent = self.quantities[self.q.antecedent] if self.q.antecedent >= 0 else None
        if self.antecedent is not None:  # the clause takes in the one naming what is counted
            prev = self.sentence.clause_at(self.antecedent.start)
            self.clause = prev._replace(end=self.clause.end, text=self.sentence.text[
                prev.start - self.sentence.start:self.clause.end - self.sentence.start])

    def fill(self) -> None:
        """The text and blocks around the number and its quoted name, once."""
        self.before12, self.after12 = self.before(12), self.after(12)
        p, n = self.common.block_before, self.common.block_after
        self.common_before = p.search(self.before12) if p is not None else None
        self.common_after = n.search(self.after12) if n is not None else None
        self.quoted = _quoted_name(self.sentence.text, self.q)

    def _neighbour(self, step: int) -> Quantity | None:
        i = self.index + step
        while 0 <= i < len(self.quantities):
            if self.quantities[i].counts in self.countable:
                return self.quantities[i]
            i += step
        return None

    def own_items(self) -> str:
        """The clause without the items of an enumeration that state a figure of their
        own (举办讲座565场、培训人员13753人次: 讲座 is the other item's word, not this one's)."""
        text = self.clause.text
        if "、" not in text:
            return text
        lo = self.clause.start - self.sentence.start
        items, at = [], 0
        for item in text.split("、"):
            items.append((lo + at, lo + at + len(item), item))
            at += len(item) + 1
        mine = next((i for i in items if i[0] <= self.q.start < i[1]), None)
        if mine is None or not _own_words(self.sentence.text, mine[:2], self.quantities):
            return text  # 分别为12亿元、15亿元: the numbers share the words before them
        return "、".join(item for a, b, item in items
                        if (a, b) == mine[:2] or not any(a <= x.start < b for x in self.quantities))

    def before(self, n: int) -> str:
        return self.sentence.text[max(0, self.q.start - n):self.q.start]

    def after(self, n: int) -> str:
        return self.sentence.text[self.q.end:self.q.end + n]

    def clause_span(self) -> tuple[int, int]:
        """The clause in normalised article offsets, without edge punctuation."""
        return _trimmed(self.clause)

    def scope(self, rule: Rule) -> tuple[int, int]:
        """Sentence-relative bounds where a trigger may be."""
        if rule.trigger_scope == "sentence":
            lo, hi = 0, len(self.sentence.text)
        else:
            lo = self.clause.start - self.sentence.start
            hi = self.clause.end - self.sentence.start
        return max(lo, self.q.start - rule.window[0]), min(hi, self.q.end + rule.window[1])

    def first_trigger(self, rule: Rule) -> re.Match | None:
        """The first trigger word anywhere in the rule's window: one quick scan (most
        windows hold none), before any other test of the rule."""
        lo, hi = self.scope(rule)
        return rule.trigger_re.search(self.sentence.text, lo, hi)

    def find_trigger(self, rule: Rule, first: re.Match | None = None) -> tuple[int, int] | None:
        """The trigger nearest the quantity, on a token boundary; of two as near, the
        one listed first in the rule.  Candidates: every position where a trigger
        starts, and there only the triggers with that first character.  `first`:
        first_trigger's match, where the caller has it."""
        lo, hi = self.scope(rule)
        text = self.sentence.text
        first = first or rule.trigger_re.search(text, lo, hi)
        if first is None:
            return None
        best = None
        for m in rule.trigger_starts.finditer(text, first.start(), hi):
            a = m.start()
            for i, word in rule.triggers_by_first[text[a]]:
                b = a + len(word)
                if (b <= hi and text.startswith(word, a) and not (a < self.q.end and b > self.q.start)
                        and self.owns(rule, a, b) and self.tokens.boundary(a, b)):
                    key = (self.q.start - b if b <= self.q.start else a - self.q.end, i, a)
                    if best is None or key < best[0]:
                        best = (key, a, b)
        return None if best is None else (best[1], best[2])

    def narrative_one(self, trigger_at: tuple[int, int]) -> bool:
        """一 that introduces a person or an event (一名医生介绍, 救治一名患者, 完成了一例
        手术, 又一座, 一床最高185万元) is not a count: 一 counts only for a thing, right after
        its verb (新建一所)."""
        q = self.q
        if q.value != 1 or q.value_max is not None or not q.text.startswith("一"):
            return False
        if q.unit in NARRATIVE_UNITS:
            return True
        return not (trigger_at[1] <= q.start and
                    self.sentence.text[trigger_at[1]:q.start] in ("", "了"))

    def noun_trigger(self, rule: Rule) -> tuple[int, int] | None:
        """The noun the quantity counts, when it is one of the rule's triggers: 床 of
        新增200床, 床位 of 300个床位 (inside or right after the quantity)."""
        q = self.q
        if q.noun and q.noun in rule.trigger_set:
            return q.noun_at, q.noun_at + len(q.noun)
        return None

    def owns(self, rule: Rule, a: int, b: int) -> bool:
        """A trigger found sentence-wide at [a, b) belongs to the nearest number of the
        rule's units: not to this one if another stands between them, nor if another
        in the trigger's own clause is nearer beyond it (选派320名... 培训医务人员5600人次:
        培训 is 5600's; 选派57名...进修，每周也有十几名专家: 进修 stays 57's)."""
        if rule.trigger_scope != "sentence":
            return True
        q, start = self.q, self.sentence.start
        mine = a - q.end if q.end <= a else q.start - b
        clause = None
        for x in self.quantities:
            if x is q or x.counts not in rule.units:
                continue
            if q.end <= x.start < a or b <= x.start < q.start:
                return False  # between them
            gap = x.start - b if x.start >= b else a - x.end if x.end <= a else 0
            if gap < mine:
                clause = clause or self.sentence.clause_at(a)
                if clause.start <= start + x.start < clause.end:
                    return False
        return True

    def near_object(self, words: tuple[str, ...], window: tuple[int, int]) -> str | None:
        """The first of `words` that the quantity counts: within window[1] characters
        after it, or ending at most window[0] characters before it (no other quantity
        or clause break in between)."""
        text = self.sentence.text
        clause_lo = self.clause.start - self.sentence.start
        clause_hi = self.clause.end - self.sentence.start
        prev, nxt = self._neighbour(-1), self._neighbour(1)
        prev_end = prev.end if prev else clause_lo
        next_start = nxt.start if nxt else clause_hi
        after = text[self.q.end:min(next_start, clause_hi, self.q.end + window[1])]
        if nxt is not None and nxt.start - self.q.end <= 1 and nxt.counts == "张":
            capacity = CAPACITY.match(text, nxt.end)
            if capacity:  # 新建一所500张床位的综合医院: the beds describe the hospital counted
                later = next((x for x in self.quantities if x.start >= capacity.end() and x.counts in self.countable), None)
                after = text[self.q.end:min(later.start if later else clause_hi, clause_hi, capacity.end() + window[1])]
        before = text[max(prev_end, clause_lo):self.q.start]
        if self.antecedent is not None:  # what the antecedent counts: 医院3.6万个，比上年增加1200个
            before = text[clause_lo:self.antecedent.start]  # or 45家社区医院中，已建成的有30家
            a = self.antecedent
            after += "\n" + text[a.end:min(a.end + window[1], self.sentence.clause_at(a.start).end - self.sentence.start)]
        link = STOCK_LINK.search(before)  # it matches everywhere, if only as an empty suffix
        before = before[:link.start() if link else len(before)]  # 机构总数达8.6万个: 机构 is next to it
        for word in words:
            if word in after:
                return word
            at = before.rfind(word)
            if at >= 0 and len(before) - (at + len(word)) <= window[0]:
                return word
        return None


def _own_words(text: str, item: tuple[int, int], quantities) -> bool:
    """Whether an enumeration item says something besides its numbers (培训人员13753人次
    does; 15.6亿元和20.3亿元 does not): two characters of its own outside its quantities."""
    a, b = item
    inside = sum(len(HAN_WORD.findall(text, q.start, q.end)) for q in quantities if a <= q.start < b)
    return len(HAN_WORD.findall(text, a, b)) - inside >= 2


def _quoted_name(text: str, q: Quantity) -> str | None:
    """The quoted name the quantity is part of (“千名医师下基层”), if any."""
    for open_q, close_q in QUOTES.items():
        a = text.rfind(open_q, 0, q.start)
        if a < 0 or text.rfind(close_q, a, q.start) >= 0:
            continue
        b = text.find(close_q, q.end)
        if b < 0 or b - a > 16:  # a speech in quotes carries facts; a name is short
            continue
        if b > q.end or (b == q.end and a + 1 < q.start):
            return text[a:b + 1]
    return None


def _trimmed(clause) -> tuple[int, int]:
    """[start, end) of a clause without the punctuation at its edges."""
    text = clause.text
    return (clause.start + len(text) - len(text.lstrip(CLAUSE_PUNCT)),
            clause.end - (len(text) - len(text.rstrip(CLAUSE_PUNCT))))


# A stock's words between its noun and its figure (机构总数达, 医院数量为, 床位达到): the noun
# still counts as next to the number (为 alone is also "for": 为320名群众, so it stays).
# A count's next figure that only tells the capacity of what it counts (一所500张床位的医院).
CAPACITY = re.compile(r"(?:床位|病床|床)的?")
STOCK_LINK = re.compile(r"(?:(?:总数|总量|数量|数)(?:已|共|合计|累计)?(?:达到|达|为|是|约|超过|突破)?|达到|达)?$")


class _Tokens:
    """Token boundaries of a sentence.  Most are certain without segmenting: jieba cuts
    its input at every character outside its word blocks (punctuation, spaces) and we
    cut at every quantity.  Otherwise the piece between two certain edges is segmented,
    lazily, once, and only when a trigger word was found there: it splits exactly as it
    would inside the whole sentence."""

    def __init__(self, sent: Sentence, quantities: list[Quantity], segmenter):
        self.sent, self.quantities, self.segmenter = sent, quantities, segmenter
        self.edges = {q.start for q in quantities} | {q.end for q in quantities}
        self.done: dict[tuple[int, int], tuple[set, set]] = {}

    def certain(self, p: int) -> bool:
        """Whether sentence offset `p` is a token edge whatever jieba's dictionary says."""
        text = self.sent.text
        if p <= 0 or p >= len(text) or p in self.edges:
            return True
        if BLOCK_CHAR.match(text, p - 1) and BLOCK_CHAR.match(text, p):
            return False
        # A space or sign cuts jieba's input, but not a quantity: 超过 4台 is one token.
        return not any(q.start < p < q.end for q in self.quantities)

    def boundary(self, a: int, b: int) -> bool:
        """Whether the word at sentence offsets [a, b) starts or ends on a token edge.
        Otherwise only the piece between the certain edges around it is segmented:
        jieba segments each block on its own, so the piece splits as in the clause."""
        if self.certain(a) or self.certain(b):
            return True
        starts, ends = self._segmented(a, b)
        return a in starts or b in ends

    def _segmented(self, a: int, b: int) -> tuple[set, set]:
        """Token starts and ends of the piece between the certain edges around [a, b)."""
        lo, hi = a, b
        while not self.certain(lo):
            lo -= 1
        while not self.certain(hi):
            hi += 1
        # A trigger across a quantity's edge: the piece takes in the whole quantity.
        lo = min([lo] + [q.start for q in self.quantities if q.start < lo < q.end])
        hi = max([hi] + [q.end for q in self.quantities if q.start < hi < q.end])
        if (lo, hi) not in self.done:
            qs = [q._replace(start=q.start - lo, end=q.end - lo)
                  for q in self.quantities if lo <= q.start and q.end <= hi]
            toks = self.segmenter.tokens(self.sent.text[lo:hi], qs)
            self.done[lo, hi] = ({lo + s for _, s in toks}, {lo + s + len(t) for t, s in toks})
        return self.done[lo, hi]

    def is_cue(self, a: int, b: int) -> bool:
        """Whether a cue found at [a, b) counts: a one-character cue (将) as it is, as only
        a word can hide inside a longer one; a longer cue as a whole word."""
        return b - a < 2 or self.is_word(a, b)

    def is_word(self, a: int, b: int) -> bool:
        """Whether [a, b) starts and ends on token edges (计划, not 计划 of 计划生育)."""
        if self.certain(a) and self.certain(b):
            return True
        starts, ends = self._segmented(a, b)
        edges = starts | ends
        return (self.certain(a) or a in edges) and (self.certain(b) or b in edges)


def _reason(why: tuple, rule: Rule, ctx: "_Context", trigger_at) -> str:
    """`_evaluate`'s verdict in words, for `zhfacts explain` and the rule tests."""
    kind, *args = why
    q, text = ctx.q, ctx.sentence.text
    if kind == "ordinal":
        return f"ordinal: '{text[q.start - 1]}' before the number"
    if kind == "qualifier":
        return f"qualifier {q.qualifier} not allowed by this rule"
    if kind == "quoted":
        return f"inside the quoted name {args[0]}"
    if kind == "blocked":
        return f"blocked by {args[0]!r} right {args[1]} the number"
    if kind == "not_after":
        pattern = rule.require_after.pattern if rule.require_after else ""
        return f"the characters after the number do not match require_after {pattern!r}"
    if kind == "fraction":
        return f"a fraction of whole {args[0]!r} is a rate, not a count (common.toml [block] whole)"
    if kind == "block_word":
        return f"blocked by {args[0]!r} in the clause"
    if kind == "no_trigger":
        return (f"no trigger ({'/'.join(rule.triggers[:6])}{'…' if len(rule.triggers) > 6 else ''}) "
                f"within {rule.window[0]} chars before / {rule.window[1]} after in the {rule.trigger_scope}")
    if kind == "no_object":
        return (f"no object ({'/'.join(rule.objects[:6])}"
                f"{'…' if len(rule.objects) > 6 else ''}) next to the number")
    if kind == "narrative_one":
        return "一 not right after its verb: introduces a person or an event, not a count"
    if kind == "no_context":
        return (f"the paragraph is off topic: no context word ({'/'.join(rule.context[:6])}"
                f"{'…' if len(rule.context) > 6 else ''})" + (", and an off-topic word" if rule.off_topic else ""))
    if kind == "not_object":
        return f"the number counts {args[0]!r}, which this rule excludes"
    return f"fired: trigger {text[trigger_at[0]:trigger_at[1]]!r}, unit {q.unit!r}"


def placed(unplaced: "list[tuple[Fact, Callable[[], tuple] | None]]") -> list[Fact]:
    """The facts of `Extractor.unplaced` with their places and periods."""
    return [_with_place(f, where) if where else f for f, where in unplaced]


def _with_place(fact: Fact, where: "Callable[[], tuple]") -> Fact:
    """`fact` with the place and period `where` works out (its last fields)."""
    return Fact._make(fact[:FACT_FIELDS] + where())


def _touches(trace: Trace, aligned: AlignedText, damaged) -> bool:
    """Whether the quantity or the characters right around it are damaged."""
    q_start = trace.sentence_start + trace.quantity.start
    a, b = aligned.span_of(q_start, q_start + len(trace.quantity.text))
    return any(s <= b + 2 and a - 2 <= e for s, e in damaged)


def explain_text(extractor: Extractor, text: str) -> list[Trace]:
    """Traces for free text, e.g. one sentence given on the command line."""
    aligned = normalize(text, [(0, len(text))])
    return list(extractor.traces(text, aligned, all_quantities=True))
