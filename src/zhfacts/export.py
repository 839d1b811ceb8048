"""Write the CSV tables atomically, as UTF-8 with BOM so Excel shows the Chinese
(`atomic_write` serves the review page and the start-up cache too).

A temp file in the same folder is written, flushed, fsynced and renamed over the
target: a reader sees the old table or the new one, never half of one.
"""
from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

FACT_COLUMNS = ("fact_id", "article_id", "source_file", "title", "published", "metric",
                "value", "value_max", "unit", "qualifier", "status", "evidence", "start",
                "end", "rule_id", "review", "note")
ARTICLE_COLUMNS = ("article_id", "source_file", "title", "source", "published", "author",
                   "encoding", "chars", "facts", "script", "repairs", "damaged", "sources")
REJECT_COLUMNS = ("source_file", "reason", "detail")
# Excel runs a cell that starts with these as a formula: prefix them with a quote.
FORMULA_CHARS = frozenset("=+-@\t\r")


def safe_cell(value):
    """A cell as the csv writer takes it (text defused against spreadsheet formula
    injection; numbers as they are, 3000.0 as 3000)."""
    if value.__class__ is str:  # most cells: one test of the first character
        if value[:1] in FORMULA_CHARS and not _is_number(value):
            return "'" + value
        return value
    if value is None:
        return ""
    if value.__class__ is int:
        return value  # the csv writer prints it; a number is no formula
    if value.__class__ is float:
        return int(value) if value.is_integer() else value
    return safe_cell(str(value))


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


@contextmanager
def atomic_write(path: Path, mode: str = "w", **open_args) -> Iterator:
    """Open `path` for writing all or nothing: a temp file in the same folder, flushed,
    fsynced and renamed over it; removed instead if anything goes wrong."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, mode, **open_args) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; what zhfacts writes is for sharing
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_csv(path: Path, columns: Iterable[str], rows: Iterable[Sequence]) -> int:
    """Atomically write `rows` to `path`; return the number of rows.  Each row holds
    its cells in `columns` order (the store's rows, which also say their names: those
    are checked against `columns` once)."""
    columns = tuple(columns)
    count = 0
    with atomic_write(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        writer.writerow(columns)
        for row in rows:
            if not count and hasattr(row, "keys") and tuple(row.keys()) != columns:
                raise ValueError(f"{Path(path).name}: rows have columns {tuple(row.keys())}, not {columns}")
            writer.writerow(list(map(safe_cell, row)))
            count += 1
    return count
