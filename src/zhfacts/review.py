"""Reviewer decisions: checked wherever they come from, and read back from a facts CSV
saved by Excel or LibreOffice.

A decision is `ok`, `wrong` or the right number as reviewers type it (1200, 1,200,
1.2万, 一千二百); a blank one clears an earlier decision.  Anything else (a formula a
spreadsheet left, a word) is reported with its file, row and value and never stored.
Spreadsheets re-save as UTF-8 with or without BOM, or as GBK; they reorder and add
columns.  We find `fact_id`, `review` and `note` by header name and store the decisions
by fact_id, so they survive every re-run and re-extraction.
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .store import Store

SAID_OK = {"ok", "y", "yes", "对", "正确", "✓", "√"}
SAID_WRONG = {"wrong", "n", "no", "错", "错误", "✗", "×", "x"}
GROUPED = re.compile(r"^\d{1,4}(?:,\d{3,4})+(?:\.\d+)?$")
HELP = "ok, wrong or the right number (1200, 1,200, 1.2万, 一千二百)"


class ReviewError(ValueError):
    pass


@dataclass(frozen=True)
class Problem:
    """A decision that was not stored: where it was and why."""

    file: str
    row: int  # the line of the file (the header is line 1)
    fact_id: str
    value: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row}: fact {self.fact_id}: {self.reason}; row not stored"


def parse_decision(value: str) -> str | None:
    """The decision a reviewer's cell or key means: 'ok', 'wrong', a number written
    plainly ('1200', '0.5'), '' for none; None when it is none of these.

    >>> [parse_decision(v) for v in ["OK", "错", "1,200", "12,5000", "1.2万", "一千二百", "１２００", ""]]
    ['ok', 'wrong', '1200', '125000', '12000', '1200', '1200', '']
    >>> [parse_decision(v) for v in ['=HYPERLINK("http://x","ok")', "1200多", "maybe", "-3"]]
    [None, None, None, None]
    """
    from .numbers import parse_number

    v = unicodedata.normalize("NFKC", value).strip()
    if not v:
        return ""
    if v.lower() in SAID_OK:
        return "ok"
    if v.lower() in SAID_WRONG:
        return "wrong"
    if GROUPED.match(v):  # 1,200 and 12,5000 (grouped by 万): the commas are only grouping
        v = v.replace(",", "")
    try:
        number, qualifier = parse_number(v)
    except (ValueError, KeyError, ArithmeticError):
        return None
    if qualifier != "exact" or number < 0:
        return None
    return str(int(number)) if float(number).is_integer() else f"{number:g}"


def read_csv_any(path: Path) -> list[tuple[int, dict]]:
    """(line, row as a dict) of a CSV in UTF-8 (BOM or not), GB18030 or UTF-16."""
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
    line = 1
    for row in reader:
        rows.append((line + 1, {(k or "").strip().lstrip("\ufeff").lower(): (v or "").strip()
                                for k, v in row.items() if k is not None}))
        line = reader.line_num
    if reader.fieldnames is None or "fact_id" not in {(f or "").strip().lstrip("\ufeff").lower()
                                                      for f in reader.fieldnames}:
        raise ReviewError(f"{path}: no 'fact_id' column; keep the column when editing")
    return rows


def import_reviews(store: Store, path: Path, reviewer: str = "",
                   rows: list[tuple[int, dict]] | None = None) -> tuple[int, list[Problem]]:
    """Store the decisions `path` brings: rows whose review or note differ from what the
    last export wrote there (a row the spreadsheet left as it was is no decision, so a
    decision made in the browser since is kept).  Returns how many were stored and the
    rows that were not, with why.  `rows`: the file as read_csv_any read it already."""
    rows = read_csv_any(path) if rows is None else rows
    known = store.reviews()
    exported = store.exported_reviews()
    decisions, problems = [], []
    for line, row in rows:
        fid = row.get("fact_id", "").lstrip("'")
        if not fid:
            continue
        written, note = row.get("review", ""), row.get("note", "")
        review = parse_decision(written)
        if review is None:
            problems.append(Problem(str(path), line, fid, written,
                                    f"review {written!r} is not {HELP}"))
            continue
        before = (exported if exported is not None else known).get(fid, ("", ""))
        if (review, note) == (parse_decision(before[0]) or before[0], before[1]):
            continue  # as the file was written (or as the store has it): no decision here
        if (review, note) == known.get(fid, ("", "")):
            continue
        decisions.append({"fact_id": fid, "review": review, "note": note})
    return store.save_reviews(decisions, reviewer=reviewer, source="csv"), problems
