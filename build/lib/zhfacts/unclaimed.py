"""`zhfacts unclaimed`: quantities no rule turned into a fact, where a rule author should look.

Every stored article is read again with every quantity traced; a quantity is unclaimed when
no rule made a fact of it although its measure is one some rule uses, or it has no measure
word and a rule's trigger stands before it.  They are grouped by
measure and the cue-like word nearest before the number (a verb or noun of the clause,
as jieba cuts it), biggest groups first, with one example each.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

# Words around a number that say nothing about what it counts.
FILLER = frozenset("的 了 和 与 及 共 共计 累计 达 达到 为 是 有 约 近 超过 其中 全年 今年 去年 目前 已 将 在 等 、 ， , ： : （ ） ( )".split())


@dataclass(frozen=True)
class Group:
    """Unclaimed quantities of one measure next to one word."""

    measure: str
    cue: str
    count: int
    example: str  # the clause, as normalised
    source_file: str


def nearest_cue(tokens: list[str]) -> str:
    """The last word before a number that could be a cue: not a filler, not a number,
    at least two characters.

    >>> nearest_cue(["医院", "今年", "共", "派遣", "了"])
    '派遣'
    """
    for tok in reversed(tokens):
        if tok not in FILLER and len(tok) >= 2 and not any(ch.isdigit() for ch in tok):
            return tok
    return "(none)"


def unclaimed_groups(articles, extractor) -> list[Group]:
    """Groups of unclaimed quantities over `articles`: (source_file, original, body
    spans, encoding) tuples."""
    from .normalize import normalize

    used = set(extractor.by_unit)
    counts: Counter = Counter()
    examples: dict[tuple[str, str], tuple[str, str]] = {}
    for source_file, original, body, encoding in articles:
        aligned = normalize(original, [tuple(b) for b in body], encoding)
        for t in extractor.traces(original, aligned, all_quantities=True):
            q = t.quantity
            if t.fact is not None or q.ordinal:
                continue
            clause_start = max(t.sentence.rfind(p, 0, q.start) for p in "，,；;：:") + 1
            before = t.sentence[clause_start:q.start]
            # a measure some rule uses, or a bare number next to some rule's trigger (诊疗人次95.5亿)
            if q.counts not in used and (q.counts or not extractor.any_trigger.search(before)):
                continue
            tokens = [tok for tok, _ in extractor.segmenter.tokens(before)] if before else []
            key = (q.counts or "(none)", nearest_cue(tokens))
            counts[key] += 1
            examples.setdefault(key, (t.sentence[clause_start:q.end + 12], source_file))
    return [Group(m, c, n, *examples[m, c]) for (m, c), n in counts.most_common()]


def report(out: Path, rules_folder: str | None = None, top: int = 20) -> str:
    """The `zhfacts unclaimed` table for the store in `out`."""
    from .pipeline import extractor_for
    from .rulesource import RuleSource
    from .store import Store

    db_path = Path(out) / "zhfacts.sqlite"
    if not db_path.exists():
        raise FileNotFoundError(f"{db_path}: no store here; run `zhfacts ingest DUMP --out {out}` first")
    store = Store(db_path)
    try:
        rows = [(sf, orig, json.loads(body), enc) for sf, orig, body, enc in store.db.execute(
            "SELECT source_file, original, body, encoding FROM articles ORDER BY source_file")]
    finally:
        store.close()
    groups = unclaimed_groups(rows, extractor_for(RuleSource.of(rules_folder)))
    total = sum(g.count for g in groups)
    lines = [f"{total} unclaimed quantities in {len(rows)} articles, {len(groups)} groups "
             f"(measure, nearest word before the number); the {min(top, len(groups))} biggest:",
             f"{'count':>5}  {'measure':6} {'word':10} example"]
    for g in groups[:top]:
        lines.append(f"{g.count:5}  {g.measure:6} {g.cue:10} {g.example}  ({g.source_file})")
    lines.append("zhfacts explain \"<example>\" shows why each rule did not fire.")
    return "\n".join(lines)

