"""`zhfacts eval`: the stored facts scored against a gold file, and why each miss was missed.

The gold format is the one of `../shared/eval/` (one JSON object per line: doc, metric,
value, value_max, qualifier, status, evidence, optional).  Scoring follows `score.py`
exactly: documents matched by file stem, facts compared per document as sets of
(metric, value, value_max), optional gold records neither reward nor punish.
"""
from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

METRICS = ("beds", "staff_dispatched", "trainees", "surgeries", "patient_visits",
           "facilities", "new_techniques", "funding")


class GoldError(ValueError):
    """A gold file that cannot be read: names the file, the line and the fix."""


@dataclass(frozen=True)
class Gold:
    """One gold record."""

    doc: str
    metric: str
    value: float
    value_max: float | None
    qualifier: str
    status: str
    evidence: str
    optional: bool


@dataclass
class Score:
    """Counts per metric, qualifier/status agreement, and the misses and extras."""

    per_metric: dict = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0]))
    qualifier_ok: int = 0
    status_ok: int = 0
    misses: list = field(default_factory=list)  # Gold records no fact matched
    extras: list = field(default_factory=list)  # fact rows that match no gold record

    def totals(self) -> tuple[int, int, int]:
        return tuple(sum(v[i] for v in self.per_metric.values()) for i in range(3))

    def line(self) -> str:
        """The summary in score.py's form."""
        tp, fp, fn = self.totals()
        p, r, f1 = prf(tp, fp, fn)
        return (f"P={p:.3f} R={r:.3f} F1={f1:.3f} qualifier={self.qualifier_ok / tp if tp else 0:.3f} "
                f"status={self.status_ok / tp if tp else 0:.3f} (tp={tp} fp={fp} fn={fn})")


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall and F1 of counts (0 where undefined).

    >>> prf(8, 2, 0)  # doctest: +ELLIPSIS
    (0.8, 1.0, 0.888...)
    """
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _number(value) -> float | None:
    if value is None or str(value).strip().lower() in ("", "nan", "none", "null"):
        return None
    try:
        v = float(value)
    except ValueError:
        return None
    return None if math.isnan(v) else v


def key(metric: str, value, value_max) -> tuple:
    """What facts are compared by: metric, value and value_max rounded to 4 places."""
    rounded = lambda v: None if v is None else round(v, 4)
    return metric, rounded(_number(value)), rounded(_number(value_max))


def doc_name(source_file: str) -> str:
    """A document's name: the file stem of a source_file, without `#line`.

    >>> doc_name("dump/a/200.txt#3"), doc_name("200.html")
    ('200', '200')
    """
    name = str(source_file).split("#", 1)[0].replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0] if "." in name else name


def load_gold(path: Path) -> list[Gold]:
    """Read a gold file; a bad line raises GoldError with the file, line and fix."""
    records = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8-sig").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
            if rec["metric"] not in METRICS:
                raise ValueError(f"metric {rec['metric']!r} is not one of {', '.join(METRICS)}")
            value = _number(rec["value"])
            if value is None:
                raise ValueError(f"value {rec['value']!r} is not a number")
            records.append(Gold(doc_name(rec["doc"]), rec["metric"], value, _number(rec.get("value_max")),
                                rec.get("qualifier") or "exact", rec.get("status") or "achieved",
                                rec.get("evidence", ""), bool(rec.get("optional"))))
        except (ValueError, KeyError, TypeError) as exc:
            what = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
            raise GoldError(f"{path}:{n}: {what}; each line is a JSON object with doc, metric, "
                            f"value (and value_max, qualifier, status, evidence, optional)") from None
    return records


def score(gold: list[Gold], facts: list[dict]) -> Score:
    """Score fact rows (dicts with source_file, metric, value, value_max, qualifier,
    status) against gold records, per document, as score.py does."""
    required, optional = defaultdict(dict), defaultdict(set)
    for g in gold:
        k = key(g.metric, g.value, g.value_max)
        if g.optional:
            optional[g.doc].add(k)
        else:
            required[g.doc][k] = g
    docs = set(required) | set(optional)
    predicted = defaultdict(dict)
    for row in facts:
        doc = doc_name(row["source_file"])
        if doc in docs and row["metric"] in METRICS:
            predicted[doc].setdefault(key(row["metric"], row["value"], row["value_max"]), row)
    s = Score()
    for doc in sorted(docs):
        gold_doc, opt, pred = required[doc], optional[doc], predicted.get(doc, {})
        for k, row in pred.items():
            if k in gold_doc:
                s.per_metric[k[0]][0] += 1
                s.qualifier_ok += (row.get("qualifier") or "exact") == gold_doc[k].qualifier
                s.status_ok += (row.get("status") or "achieved") == gold_doc[k].status
            elif k not in opt:
                s.per_metric[k[0]][1] += 1
                s.extras.append(row)
        for k, g in gold_doc.items():
            if k not in pred:
                s.per_metric[k[0]][2] += 1
                s.misses.append(g)
    return s


def why_missed(extractor, original: str, aligned, evidence: str) -> list[str]:
    """For each number in a missed fact's evidence, the rules tried on it and why each
    did not fire (`explain`'s verdicts), found where the evidence sits in the article."""
    from .explain import _fmt_value
    from .extractor import explain_text

    at = original.find(evidence) if evidence else -1
    if at >= 0:
        traces = [t for t in extractor.traces(original, aligned, all_quantities=True)
                  if _overlaps(aligned.span_of(t.sentence_start + t.quantity.start,
                                               t.sentence_start + t.quantity.end), (at, at + len(evidence)))]
        where = ""
    else:  # not in the stored body: cut by the cleaner, or the gold evidence was edited
        traces, where = explain_text(extractor, evidence), " (evidence not in the stored body)"
    if not traces:
        return [f"no quantity read in the evidence{where}"]
    lines = []
    for t in traces:
        lines.append(f"quantity {t.quantity.text!r} = {_fmt_value(t.quantity)}{where}")
        if not t.verdicts:
            lines.append(f"  no rule uses the unit {t.quantity.unit or '(none)'!r}")
        lines += [f"  {'FIRED' if v.fired else 'no   '} {v.rule_id}: {v.reason}" for v in t.verdicts]
    return lines


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def report(gold_path: Path, out: Path, rules_folder: str | None = None) -> str:
    """The whole `zhfacts eval` report for the store in `out`; its last line has
    score.py's form and figures."""
    from .normalize import normalize
    from .store import Store

    gold = load_gold(gold_path)
    db_path = Path(out) / "zhfacts.sqlite"
    if not db_path.exists():
        raise FileNotFoundError(f"{db_path}: no store here; run `zhfacts ingest DUMP --out {out}` first")
    store = Store(db_path)
    try:
        facts = [dict(r) for r in store.fact_rows()]
        s = score(gold, facts)
        articles = {doc_name(sf): (orig, json.loads(body), enc) for sf, orig, body, enc in store.db.execute(
            "SELECT source_file, original, body, encoding FROM articles")}
    finally:
        store.close()
    lines = [f"{'metric':18} {'tp':>4} {'fp':>4} {'fn':>4} {'P':>6} {'R':>6} {'F1':>6}"]
    for metric in sorted(s.per_metric):
        tp, fp, fn = s.per_metric[metric]
        lines.append(f"{metric:18} {tp:4} {fp:4} {fn:4} " + " ".join(f"{x:6.3f}" for x in prf(tp, fp, fn)))
    extractor = None
    if s.misses:
        from .pipeline import extractor_for
        from .rulesource import RuleSource

        extractor = extractor_for(RuleSource.of(rules_folder))
        lines.append(f"\nMISSES ({len(s.misses)})")
    for g in s.misses:
        value = _fmt(g.value) + ("" if g.value_max is None else f"-{_fmt(g.value_max)}")
        lines.append(f"MISS  {g.doc} {g.metric} {value} {g.qualifier} {g.status}  {g.evidence}")
        if g.doc not in articles:
            lines.append("    the document is not in the store (rejected? see rejects.csv)")
            continue
        original, body, enc = articles[g.doc]
        aligned = normalize(original, [tuple(b) for b in body], enc)
        lines += ["    " + x for x in why_missed(extractor, original, aligned, g.evidence)]
    if s.extras:
        lines.append(f"\nEXTRAS ({len(s.extras)})")
    for row in s.extras:
        value = _fmt(row["value"]) + ("" if row["value_max"] is None else f"-{_fmt(row['value_max'])}")
        lines.append(f"EXTRA {doc_name(row['source_file'])} {row['metric']} {value} "
                     f"(rule {row['rule_id']})  {row['evidence']}")
    lines.append("")
    lines.append(s.line())
    return "\n".join(lines)


def _fmt(v) -> str:
    v = float(v)
    return str(int(v)) if v.is_integer() else str(v)
