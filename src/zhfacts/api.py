"""The Python API: one article's facts without a store, and the store's tables as pandas
DataFrames with proper types, so a notebook never deals with CSV encodings.

    >>> import zhfacts
    >>> [(f.metric, f.value, f.unit) for f in zhfacts.extract("某县医院新院区启用，新增床位300张。")]
    [('beds', 300, '张')]
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .extractor import Fact

if TYPE_CHECKING:  # pandas is imported when a table is read, not with zhfacts
    import pandas as pd

CATEGORIES = {"facts": ("metric", "status", "qualifier", "rule_id", "province", "place_from", "period_from"),
              "articles": ("encoding", "script"),
              "rejects": ("reason",), "inputs": ("outcome", "reason")}
FLOATS = {"facts": ("value", "value_max")}
INTEGERS = {"facts": ("start", "end"), "articles": ("chars", "facts", "repairs", "damaged", "dropped")}
DATES = {"facts": ("published",), "articles": ("published",), "inputs": ("first_seen", "last_seen")}


def extract(text: str | bytes, rules: str | Path | None = None, html: bool = False) -> list[Fact]:
    """The facts of one article, exactly as `zhfacts ingest` gives them for a file of
    these contents (decoding, repair, cleaning and normalisation included); no store.
    `text` may be the file's bytes in any encoding ingest reads; `html=True` reads it as
    a page.  `rules`: a rules folder (default: $ZHFACTS_RULES, ./rules, the shipped rules)."""
    from .pipeline import _prepare, extractor_for, facts_of
    from .rulesource import RuleSource
    from .sources import RawArticle, Rejection

    data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
    prepared = _prepare(RawArticle("<text>", "html" if html else "text", data=data))
    if isinstance(prepared, Rejection):
        return []
    article, aligned = prepared
    return facts_of(article, extractor_for(RuleSource.of(rules)), aligned)


def read_facts(out: str | Path = "output", distinct: bool = False) -> "pd.DataFrame":
    """The facts table of the store in `out`, one row per fact, with the reviewers'
    decisions: value/value_max float, start/end integer, published datetime,
    metric/status/qualifier/rule_id categorical.  `distinct=True`: one row per figure
    (`fact_group`: the same metric, value, period and place reported by several
    articles), its first report, with `articles`, how many articles report it."""
    from .store import FACT_ROWS

    df = _frame(out, "facts", FACT_ROWS.format(where=""))
    if not distinct:
        return df
    articles = df.groupby("fact_group", observed=True)["article_id"].nunique().rename("articles")
    return (df.drop_duplicates("fact_group").join(articles, on="fact_group").reset_index(drop=True))


def read_articles(out: str | Path = "output") -> "pd.DataFrame":
    """The articles table (title, source, published, encoding, damage, sources...)."""
    from .store import ARTICLE_ROWS

    return _frame(out, "articles", ARTICLE_ROWS)


def read_rejects(out: str | Path = "output") -> "pd.DataFrame":
    """Inputs that did not become articles, with their reason and detail."""
    return _frame(out, "rejects", "SELECT source_file, reason, detail FROM rejects ORDER BY source_file")


def read_inputs(out: str | Path = "output") -> "pd.DataFrame":
    """Every input ever read and what became of it (inputs.csv)."""
    return _frame(out, "inputs", "SELECT source_file, outcome, article_id, reason, first_seen, last_seen "
                                 "FROM input_log ORDER BY source_file")


def _frame(out: str | Path, table: str, sql: str) -> "pd.DataFrame":
    import sqlite3

    import pandas as pd

    path = Path(out) / "zhfacts.sqlite"
    if not path.exists():
        raise FileNotFoundError(f"{path}: no store here; run `zhfacts ingest DUMP --out {out}` first")
    from .store import Store

    Store(path).close()  # a store written by an older version gains the tables read below
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        df = pd.read_sql_query(sql, db)
    finally:
        db.close()
    for col in FLOATS.get(table, ()):
        df[col] = df[col].astype("float64")
    for col in INTEGERS.get(table, ()):
        df[col] = df[col].astype("Int64")
    for col in DATES.get(table, ()):
        # to the second, without a zone offset: dates of articles are local, seen-times UTC
        df[col] = pd.to_datetime(df[col].str.slice(0, 19).replace("", None), errors="coerce", format="ISO8601")
    for col in CATEGORIES.get(table, ()):
        df[col] = df[col].astype("category")
    return df
