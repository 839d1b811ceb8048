"""Reviewer decisions: read them back from a facts CSV saved by Excel or LibreOffice.

Spreadsheets re-save as UTF-8 with or without BOM, or as GBK; they reorder and add
columns.  We find `fact_id`, `review` and `note` by header name and store the decisions
by fact_id, so they survive every re-run and re-extraction.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from .store import Store

REVIEW_OK = {"ok", "wrong"}


class ReviewError(ValueError):
    pass


def read_csv_any(path: Path) -> list[dict]:
    """Rows of a CSV in UTF-8 (BOM or not), GB18030 or UTF-16, as dicts."""
    data = Path(path).read_bytes()
    for enc in ("utf-8-sig", "gb18030", "utf-16"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ReviewError(f"{path}: cannot decode as UTF-8, GBK or UTF-16; save it as CSV UTF-8")
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    rows = []
    for row in reader:
        rows.append({(k or "").strip().lstrip("\ufeff").lower(): (v or "").strip()
                     for k, v in row.items() if k is not None})
    if reader.fieldnames is None or "fact_id" not in {(f or "").strip().lstrip("\ufeff").lower()
                                                      for f in reader.fieldnames}:
        raise ReviewError(f"{path}: no 'fact_id' column; keep the column when editing")
    return rows


def normalise_decision(value: str) -> str:
    """ok / wrong / a corrected number; anything else is kept as written."""
    v = value.strip()
    if v.lower() in REVIEW_OK:
        return v.lower()
    if v.lower() in ("y", "yes", "对", "正确", "✓"):
        return "ok"
    if v.lower() in ("n", "no", "错", "错误", "✗", "x"):
        return "wrong"
    try:
        number = float(v.replace(",", ""))
        return str(int(number)) if number.is_integer() else str(number)
    except ValueError:
        return v


def import_reviews(store: Store, path: Path) -> int:
    """Store every decision of `path` (rows with a review or a note, or cleared ones)."""
    rows = read_csv_any(path)
    known = store.reviews()
    decisions = []
    for row in rows:
        fid = row.get("fact_id", "").lstrip("'")
        if not fid:
            continue
        review = normalise_decision(row.get("review", ""))
        note = row.get("note", "")
        if review or note or fid in known:
            if known.get(fid) == (review, note):
                continue
            decisions.append({"fact_id": fid, "review": review, "note": note})
    return store.save_reviews(decisions)
