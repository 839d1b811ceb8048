"""Parallel and distributed ingest give the facts of the single-process run; Ctrl-C
stops a parallel run cleanly and the next run resumes; rjieba gives jieba's facts."""
from __future__ import annotations

import csv
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CORPUS, RULES, wait_until_stored
from zhfacts.engine import ingest


def facts(out: Path) -> list[tuple]:
    with open(out / "facts.csv", encoding="utf-8-sig", newline="") as fh:
        return sorted((r["fact_id"], r["source_file"], r["metric"], r["value"], r["status"], r["evidence"])
                      for r in csv.DictReader(fh))


@pytest.fixture(scope="module")
def dump(tmp_path_factory):
    from zhfacts.synthetic import make_corpus

    folder = tmp_path_factory.mktemp("dump")
    make_corpus(CORPUS, folder, 120, seed=3)
    for p in CORPUS.glob("*.txt"):
        (folder / p.name).write_bytes(p.read_bytes())
    return folder


@pytest.fixture(scope="module")
def single(dump, tmp_path_factory):
    out = tmp_path_factory.mktemp("single")
    ingest([str(dump)], out, RULES, workers=1, progress=False)
    return out


def test_process_pool_gives_the_same_facts(dump, single, tmp_path):
    ingest([str(dump)], tmp_path, RULES, workers=2, progress=False)
    assert facts(tmp_path) == facts(single)


@pytest.mark.slow
def test_dask_local_cluster_gives_the_same_facts(dump, single, tmp_path):
    pytest.importorskip("dask.distributed")
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        summary = ingest([str(dump)], tmp_path, RULES, progress=False, engine="dask",
                         scheduler=cluster.scheduler_address)
    assert facts(tmp_path) == facts(single)
    assert summary.articles == 125
    again = ingest([str(dump)], tmp_path, RULES, progress=False, engine="dask", workers=1)
    assert (again.articles, again.skipped) == (0, 125)


def test_rjieba_backend_gives_jiebas_facts_on_the_dev_set(seeds_output, tmp_path):
    pytest.importorskip("rjieba")
    ingest([str(CORPUS)], tmp_path, RULES, workers=1, progress=False, backend="rjieba")
    assert facts(tmp_path) == facts(seeds_output)


def test_ctrl_c_stops_a_parallel_run_cleanly_and_the_next_run_resumes(tmp_path):
    from zhfacts.synthetic import make_corpus

    dump = tmp_path / "dump"
    make_corpus(CORPUS, dump, 600, seed=5)
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "zhfacts.cli", "ingest", str(dump), "--out", str(out),
           "--rules", str(RULES), "--workers", "2"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    db = out / "zhfacts.sqlite"
    wait_until_stored(db, proc)
    assert proc.poll() is None, "finished before the interrupt; make the dump larger"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=5)  # the bound: stopped within 5 seconds
    assert proc.returncode == 130
    assert "interrupted" in err and "Traceback" not in err
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    # Every stored article has its input and its facts: nothing half-written.
    assert con.execute("SELECT COUNT(*) FROM inputs WHERE article_id IS NOT NULL").fetchone()[0] == stored
    assert 0 < stored < 600
    subprocess.run(cmd, check=True, capture_output=True)
    assert con.execute("SELECT COUNT(*), COUNT(DISTINCT article_id) FROM articles").fetchone() == (600, 600)


KB = 1024


@pytest.mark.parametrize("sizes,chunks", [
    ([], []),
    ([1 * KB] * 3, [[1 * KB] * 3]),
    ([1 * KB] * 70, [[1 * KB] * 32, [1 * KB] * 32, [1 * KB] * 6]),  # at most 32 inputs
    ([300 * KB, 300 * KB, 100 * KB], [[300 * KB], [300 * KB, 100 * KB]]),  # at most 512 KB
    ([2000 * KB, 1 * KB], [[2000 * KB], [1 * KB]]),  # a longer input goes alone
    ([1 * KB, 2000 * KB, 1 * KB], [[1 * KB], [2000 * KB], [1 * KB]]),
])
def test_chunks_are_bounded_in_inputs_and_bytes(sizes, chunks):
    """A chunk of long articles still ends soon: Ctrl-C waits for the chunks in hand."""
    from zhfacts.engine import _chunks
    from zhfacts.sources import RawArticle

    items = iter([(f"hash{i}", RawArticle(f"{i}.txt", "txt", data=b"x" * n)) for i, n in enumerate(sizes)])
    assert [[len(r.data) for _, r in c] for c in _chunks(items)] == chunks
