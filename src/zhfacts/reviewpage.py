"""`zhfacts review html`: one self-contained page (no network) to review the facts.

A filterable table of facts (metric, status, review state, article) and, for each
article, its original text with every fact's evidence highlighted; a click on a fact
scrolls to its evidence and marks it.  Everything is rendered here; the page's script
only filters rows and highlights.
"""
from __future__ import annotations

import html
import json
from pathlib import Path

from .export import atomic_write
from .store import Store

CSS = """
body{font-family:system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{border:1px solid #ccc;padding:3px 6px;vertical-align:top}
th{background:#f3f3f3;position:sticky;top:0}
tr.hidden{display:none}
.filters{margin:1em 0;display:flex;gap:1em;flex-wrap:wrap}
.article{border-top:2px solid #888;margin-top:2em;padding-top:.5em}
.text{white-space:pre-wrap;line-height:1.7;font-size:15px}
.boiler{color:#aaa}
mark{background:#fff3a0}
mark.active{background:#ff9f43;outline:2px solid #d35400}
.review-ok{color:#2e7d32}.review-wrong{color:#c62828}.review-corrected{color:#1565c0}
"""

SCRIPT = """
const sel = id => document.getElementById(id);
function applyFilters() {
  const f = {metric: sel('f-metric').value, status: sel('f-status').value,
             review: sel('f-review').value, article: sel('f-article').value};
  let shown = 0;
  document.querySelectorAll('#facts tbody tr').forEach(tr => {
    const ok = Object.entries(f).every(([k, v]) => !v || tr.dataset[k] === v);
    tr.classList.toggle('hidden', !ok);
    if (ok) shown++;
  });
  sel('shown').textContent = shown;
}
function showFact(id) {
  document.querySelectorAll('mark.active').forEach(m => m.classList.remove('active'));
  const marks = document.querySelectorAll('mark[data-facts~="' + id + '"]');
  marks.forEach(m => m.classList.add('active'));
  if (marks.length) marks[0].scrollIntoView({block: 'center'});
  return false;
}
document.querySelectorAll('.filters select').forEach(s => s.addEventListener('change', applyFilters));
document.querySelectorAll('a.fact-link').forEach(a => a.addEventListener('click', e => {
  e.preventDefault(); showFact(a.dataset.fact); history.replaceState(null, '', '#ev-' + a.dataset.fact);
}));
applyFilters();
"""


def review_state(review: str | None) -> str:
    if not review:
        return "unreviewed"
    return review if review in ("ok", "wrong") else "corrected"


def _options(name: str, values) -> str:
    opts = "".join(f'<option value="{html.escape(v)}">{html.escape(label)}</option>'
                   for v, label in values)
    return (f'<label>{name} <select id="f-{name}"><option value="">all</option>{opts}'
            f"</select></label>")


def _highlighted(original: str, body: list[tuple[int, int]], facts: list[dict]) -> str:
    """The original text with evidence marked; text outside the body is dimmed."""
    cuts = {0, len(original)}
    for a, b in body:
        cuts.update((a, b))
    for f in facts:
        cuts.update((f["start"], f["end"]))
    points = sorted(c for c in cuts if 0 <= c <= len(original))
    starts = {}
    for f in facts:
        starts.setdefault(f["start"], []).append(f["fact_id"])
    out = []
    for a, b in zip(points, points[1:]):
        for fid in starts.get(a, ()):
            out.append(f'<span id="ev-{fid}"></span>')
        piece = html.escape(original[a:b])
        covering = [f["fact_id"] for f in facts if f["start"] <= a and b <= f["end"]]
        in_body = any(s <= a and b <= e for s, e in body)
        if covering:
            piece = f'<mark data-facts="{" ".join(covering)}">{piece}</mark>'
        if not in_body:
            piece = f'<span class="boiler">{piece}</span>'
        out.append(piece)
    return "".join(out)


def render(store: Store) -> str:
    rows = list(store.fact_rows())
    articles = store.db.execute(
        "SELECT article_id, source_file, title, original, body FROM articles ORDER BY source_file").fetchall()
    by_article: dict[str, list[dict]] = {}
    for r in rows:
        by_article.setdefault(r["article_id"], []).append(r)
    metrics = sorted({r["metric"] for r in rows})
    body_rows = []
    for r in rows:
        state = review_state(r["review"])
        value = r["value"] if r["value_max"] is None else f"{r['value']:g}–{r['value_max']:g}"
        if isinstance(value, float):
            value = f"{value:g}"
        body_rows.append(
            f'<tr data-metric="{r["metric"]}" data-status="{r["status"]}" data-review="{state}" '
            f'data-article="{r["article_id"]}" id="row-{r["fact_id"]}">'
            f'<td><a class="fact-link" href="#ev-{r["fact_id"]}" data-fact="{r["fact_id"]}">{r["fact_id"]}</a></td>'
            f'<td>{html.escape(r["source_file"])}</td><td>{r["metric"]}</td><td>{value}</td>'
            f'<td>{html.escape(r["unit"] or "")}</td><td>{r["qualifier"]}</td><td>{r["status"]}</td>'
            f'<td>{html.escape(r["evidence"])}</td><td>{html.escape(r["rule_id"])}</td>'
            f'<td class="review-{state}">{html.escape(r["review"] or "")}</td>'
            f'<td>{html.escape(r["note"] or "")}</td>'
            f'<td>{html.escape("/".join(p for p in (r["province"], r["city"], r["county"]) if p))}</td>'
            f'<td>{html.escape(r["period"] or "")}</td></tr>')
    sections = []
    for article_id, source_file, title, original, body in articles:
        facts = by_article.get(article_id, [])
        spans = [tuple(s) for s in json.loads(body)]
        sections.append(
            f'<section class="article" id="article-{article_id}"><h2>{html.escape(title or source_file)}</h2>'
            f'<p>{html.escape(source_file)} · {len(facts)} facts</p>'
            f'<div class="text">{_highlighted(original, spans, facts)}</div></section>')
    filters = "".join([
        _options("metric", [(m, m) for m in metrics]),
        _options("status", [("achieved", "achieved"), ("planned", "planned")]),
        _options("review", [(s, s) for s in ("unreviewed", "ok", "wrong", "corrected")]),
        _options("article", [(a, f"{s} {t or ''}"[:40]) for a, s, t, _, _ in articles]),
    ])
    head = ("<th>fact</th><th>source</th><th>metric</th><th>value</th><th>unit</th>"
            "<th>qualifier</th><th>status</th><th>evidence</th><th>rule</th><th>review</th><th>note</th>"
            "<th>where</th><th>when</th>")
    return (f'<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><title>zhfacts review</title>'
            f"<style>{CSS}</style></head><body><h1>zhfacts review</h1>"
            f'<div class="filters">{filters}<span><span id="shown">{len(rows)}</span> of {len(rows)} facts</span></div>'
            f'<table id="facts"><thead><tr>{head}</tr></thead><tbody>{"".join(body_rows)}</tbody></table>'
            f'{"".join(sections)}<script>{SCRIPT}</script></body></html>')


def write_review_page(store: Store, path: Path) -> Path:
    """Write the page atomically and return its path."""
    page = render(store)
    with atomic_write(path, "w", encoding="utf-8") as fh:
        fh.write(page)
    return Path(path)
