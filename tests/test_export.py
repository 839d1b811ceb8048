"""CSV tables: cells defused against formula injection, UTF-8 with BOM, rows checked."""
from __future__ import annotations

import csv
import io
import os
import sqlite3

import pytest

from zhfacts.export import safe_cell, write_csv


@pytest.mark.parametrize("value,cell", [
    (None, ""),
    ("新增床位3000张", "新增床位3000张"),
    ("", ""),
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+86 591 123", "'+86 591 123"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\tcmd", "'\tcmd"),
    ("-5", "-5"),  # a number, not a formula
    ("-1.5e3", "-1.5e3"),
    ("-床位", "'-床位"),
    (3000.0, "3000"),
    (2.08, "2.08"),
    (-4, "-4"),
    (12, "12"),
])
def test_safe_cell(value, cell):
    """What a spreadsheet reads from the cell, as the csv writer writes it."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([safe_cell(value), "x"])
    assert next(csv.reader(io.StringIO(out.getvalue())))[0] == cell


def _rows(sql: str):
    db = sqlite3.connect(":memory:")
    db.row_factory = sqlite3.Row
    return db.execute(sql)


def test_write_csv_is_excel_ready(tmp_path):
    path = tmp_path / "t.csv"
    n = write_csv(path, ("a", "b"), _rows("SELECT '=1+1' AS a, 3000.0 AS b UNION ALL SELECT '床位', NULL"))
    assert n == 2
    assert path.read_bytes() == "\ufeffa,b\r\n'=1+1,3000\r\n床位,\r\n".encode("utf-8")
    assert not list(tmp_path.glob(".t.csv.*"))  # no temp file left behind


def test_rows_in_another_column_order_are_refused(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("old", encoding="utf-8")
    with pytest.raises(ValueError, match=r"t.csv: rows have columns \('b', 'a'\)"):
        write_csv(path, ("a", "b"), _rows("SELECT 1 AS b, 2 AS a"))
    assert path.read_text(encoding="utf-8") == "old"  # the old table stays whole
    assert not list(tmp_path.glob(".t.csv.*"))


def test_atomic_write_leaves_the_old_file_when_writing_fails(tmp_path):
    from zhfacts.export import atomic_write

    path = tmp_path / "page.html"
    path.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with atomic_write(path, "w", encoding="utf-8") as fh:
            fh.write("half a pa")
            raise RuntimeError("renderer broke")
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]
    with atomic_write(path, "w", encoding="utf-8") as fh:
        fh.write("new")
    assert path.read_text(encoding="utf-8") == "new" and oct(path.stat().st_mode & 0o777) == "0o644"


@pytest.fixture
def seeds_store(seeds_output, tmp_path):
    """A copy of the seeds' store, with review decisions (one a would-be formula)."""
    import shutil

    from zhfacts.store import Store

    shutil.copy(seeds_output / "zhfacts.sqlite", tmp_path / "zhfacts.sqlite")
    store = Store(tmp_path / "zhfacts.sqlite")
    first, second = [r["fact_id"] for r in store.fact_rows()][:2]
    store.save_reviews([{"fact_id": first, "review": "ok", "note": "=见原文, \"第二段\""},
                        {"fact_id": second, "review": "3000", "note": "多行\n备注"}])
    yield store
    store.close()


@pytest.mark.parametrize("parts", [1, 2, 3, 5, 8])  # 8: more parts than the 5 articles
def test_facts_written_in_parts_equal_those_written_at_once(seeds_store, tmp_path, parts):
    from zhfacts.export import FACT_COLUMNS, write_csv_in_parts

    write_csv(tmp_path / "once.csv", FACT_COLUMNS, seeds_store.fact_rows())
    done = []
    write_csv_in_parts(tmp_path / "parts.csv", FACT_COLUMNS, seeds_store.fact_row_parts(parts),
                       meanwhile=lambda: done.append(True))
    assert (tmp_path / "parts.csv").read_bytes() == (tmp_path / "once.csv").read_bytes()
    assert done == [True]
    assert sorted(p.name for p in tmp_path.iterdir() if "csv" in p.name) == ["once.csv", "parts.csv"]


def test_a_failed_part_is_written_by_this_process(seeds_store, tmp_path):
    """A part whose process fails (here: it cannot read the store) costs time only."""
    from zhfacts.export import FACT_COLUMNS, write_csv_in_parts

    write_csv(tmp_path / "once.csv", FACT_COLUMNS, seeds_store.fact_rows())
    parts = seeds_store.fact_row_parts(3)
    calls = []

    def flaky():  # fails in the forked process only: its first call is there
        calls.append(1)
        if len(calls) == 1 and os.getpid() != parent:
            raise OSError("disk gone")
        return parts[2]()

    parent = os.getpid()
    write_csv_in_parts(tmp_path / "parts.csv", FACT_COLUMNS, [parts[0], parts[1], flaky])
    assert (tmp_path / "parts.csv").read_bytes() == (tmp_path / "once.csv").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir() if "csv" in p.name) == ["once.csv", "parts.csv"]


def test_parallel_export_of_a_run_equals_the_serial_one(seeds_store, tmp_path, monkeypatch):
    from zhfacts import engine

    engine.write_exports(seeds_store, tmp_path / "serial", workers=1)
    monkeypatch.setattr(engine, "PARALLEL_EXPORT_FACTS", 0)
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    engine.write_exports(seeds_store, tmp_path / "parallel", workers=4)
    for name in engine.EXPORTS:
        assert (tmp_path / "parallel" / name).read_bytes() == (tmp_path / "serial" / name).read_bytes()


def test_an_empty_store_exports_in_parts_too(tmp_path):
    from zhfacts.export import FACT_COLUMNS, write_csv_in_parts
    from zhfacts.store import Store

    store = Store(tmp_path / "zhfacts.sqlite")
    write_csv_in_parts(tmp_path / "facts.csv", FACT_COLUMNS, store.fact_row_parts(3))
    store.close()
    assert (tmp_path / "facts.csv").read_bytes() == ("\ufeff" + ",".join(FACT_COLUMNS) + "\r\n").encode()
