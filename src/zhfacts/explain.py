"""`zhfacts explain`: the quantities of a text, the rules tried on each and why."""
from __future__ import annotations

from pathlib import Path

from .extractor import Extractor, Trace, explain_text
from .numbers import plain
from .rules import load_rules


def _fmt_value(q) -> str:
    """The quantity as the grammar read it: value, measure word, qualifier, and what it
    counts when the words around it say so (诊疗人次95.5亿 counts 人次)."""
    v = f"{plain(q.value)}" + (f"-{plain(q.value_max)}" if q.value_max is not None else "")
    counts = f", counts {q.measure}" + (f" (from {q.noun!r})" if q.noun else "") if q.measure else ""
    noun = f", counts {q.noun!r}" if q.noun and not q.measure else ""
    return f"{v} {q.unit or '(no unit)'} {q.qualifier}{counts}{noun}"


def format_traces(traces: list[Trace], extractor: Extractor, tokens_of=None) -> str:
    lines, last = [], None
    for t in traces:
        if t.sentence != last:
            last = t.sentence
            lines.append(f"\n句子 {t.sentence}")
            if tokens_of:
                lines.append("  tokens: " + " / ".join(tokens_of(t.sentence)))
        q = t.quantity
        lines.append(f"  quantity {q.text!r} = {_fmt_value(q)}"
                     + ("  [ordinal]" if q.ordinal else ""))
        if not t.verdicts:
            lines.append(f"    no rule uses the unit {q.unit or '(none)'!r}: nothing to extract")
        for v in t.verdicts:
            lines.append(f"    {'FIRED ' if v.fired else 'no    '} {v.rule_id}: {v.reason}")
        if t.fact:
            f = t.fact
            lines.append(f"    => {f.metric} {f.value}{'' if f.value_max is None else '-' + str(f.value_max)} "
                         f"{f.unit} {f.qualifier} {f.status}  (rule {f.rule_id}, "
                         f"evidence [{f.start}:{f.end}] {f.evidence!r})")
            place = "/".join(p for p in (f.province, f.city, f.county) if p)
            lines.append(f"       where {place or '(unknown)'}" + (f" [{f.adcode}]" if f.adcode else "")
                         + (f" from the {f.place_from}" if f.place_from else "")
                         + f"; when {f.period or '(unknown)'}" + (f" from the {f.period_from}" if f.period_from else ""))
    if not traces:
        lines.append("no quantity found (a number needs a measure word, e.g. 3000张)")
    return "\n".join(lines).lstrip("\n")


def explain_sentence(text: str, rules_folder: str) -> str:
    from .normalize import normalize_str

    extractor = Extractor(load_rules(rules_folder))
    traces = explain_text(extractor, text)
    norm = normalize_str(text)
    head = f"normalised: {norm}" if norm != text else ""
    tokens = lambda s: [tok for tok, _ in extractor.segmenter.tokens(s)]
    return "\n".join(x for x in (head, format_traces(traces, extractor, tokens)) if x)


def explain_article(path: Path, rules_folder: str) -> str:
    """Traces of every article in a file, read as `ingest` reads it (.txt, .html,
    .jsonl, each maybe gzipped)."""
    from .normalize import normalize
    from .pipeline import prepare
    from .sources import Rejection, read_file

    extractor, parts = None, []
    for raw in read_file(path, path.name):
        label = str(path) if raw.source_file == path.name else raw.source_file
        article = raw if isinstance(raw, Rejection) else prepare(raw)
        if isinstance(article, Rejection):
            parts.append(f"{label}: rejected: {article.reason}: {article.detail}")
            continue
        extractor = extractor or Extractor(load_rules(rules_folder))
        aligned = normalize(article.original, list(article.body), article.encoding)
        traces = list(extractor.traces(article.original, aligned, published=article.published or "",
                                       source=article.source or ""))
        head = (f"{label}: title {article.title!r}, source {article.source!r}, published "
                f"{article.published!r}, author {article.author!r}, encoding {article.encoding}, "
                f"{len(article.body)} body lines")
        parts.append(head + "\n" + format_traces(traces, extractor))
    return "\n\n".join(parts)
