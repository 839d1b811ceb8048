"""Write the CSV tables atomically, as UTF-8 with BOM so Excel shows the Chinese
(`atomic_write` serves the review page and the start-up cache too).

A temp file in the same folder is written, flushed, fsynced and renamed over the
target: a reader sees the old table or the new one, never half of one.
"""
from __future__ import annotations

import csv
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

FACT_COLUMNS = ("fact_id", "article_id", "source_file", "title", "published", "metric",
                "value", "value_max", "unit", "qualifier", "status", "evidence", "start",
                "end", "rule_id", "province", "city", "county", "adcode", "place_from", "period",
                "period_from", "fact_group", "review", "note")
ARTICLE_COLUMNS = ("article_id", "source_file", "title", "source", "published", "author",
                   "encoding", "chars", "facts", "script", "repairs", "damaged", "dropped", "sources")
REJECT_COLUMNS = ("source_file", "reason", "detail")
INPUT_COLUMNS = ("source_file", "outcome", "article_id", "reason", "first_seen", "last_seen")
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
    with atomic_write(path, "w", encoding="utf-8-sig", newline="") as fh:
        _writer(fh).writerow(columns)
        return _write_rows(fh, path, columns, rows)


def _writer(fh):
    return csv.writer(fh, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")


def _write_rows(fh, path: Path, columns: tuple[str, ...], rows: Iterable[Sequence]) -> int:
    writer, count = _writer(fh), 0
    for row in rows:
        if not count and hasattr(row, "keys") and tuple(row.keys()) != columns:
            raise ValueError(f"{Path(path).name}: rows have columns {tuple(row.keys())}, not {columns}")
        # safe_cell, with its commonest case (text that starts no formula) written inline
        writer.writerow([c if c.__class__ is str and c[:1] not in FORMULA_CHARS else safe_cell(c) for c in row])
        count += 1
    return count


def write_csv_in_parts(path: Path, columns: Iterable[str], parts: Sequence[Callable[[], Iterable[Sequence]]],
                       meanwhile: Callable[[], object] = lambda: None) -> None:
    """`write_csv` for rows that come in consecutive parts (each a callable that reads
    its rows): forked processes write every part but the first into temp files beside
    `path` while this one writes the first and then does `meanwhile`; the parts are
    joined in order in one atomic write.  Without fork, or if a part fails, this
    process writes all the rows itself: the table is the same either way."""
    import multiprocessing

    path, columns = Path(path), tuple(columns)
    if len(parts) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        write_csv(path, columns, (row for part in parts for row in part()))
        meanwhile()
        return
    context = multiprocessing.get_context("fork")
    temps = [path.with_name(f".{path.name}.part{i}.{os.getpid()}.tmp") for i in range(1, len(parts))]
    children = [context.Process(target=_write_part, args=(temp, columns, part), daemon=True)
                for temp, part in zip(temps, parts[1:])]
    try:
        for child in children:
            child.start()
        try:
            with atomic_write(path, "w", encoding="utf-8-sig", newline="") as fh:
                _writer(fh).writerow(columns)
                _write_rows(fh, path, columns, parts[0]())
                meanwhile()
                for child, temp in zip(children, temps):
                    child.join()
                    if child.exitcode != 0:
                        raise ChildProcessError(f"{temp.name}: exit code {child.exitcode}")
                    fh.flush()
                    with open(temp, "rb") as part_file:
                        shutil.copyfileobj(part_file, fh.buffer)
        except ChildProcessError:  # the table is still written, by this process alone
            write_csv(path, columns, (row for part in parts for row in part()))
    finally:
        for child in children:
            if child.is_alive():
                child.kill()
                child.join()
        for temp in temps:
            temp.unlink(missing_ok=True)


def _write_part(temp: Path, columns: tuple[str, ...], part: Callable[[], Iterable[Sequence]]) -> None:
    with open(temp, "w", encoding="utf-8", newline="") as fh:
        _write_rows(fh, temp, columns, part())
