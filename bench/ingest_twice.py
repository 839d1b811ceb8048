#!/usr/bin/env python3
"""Ingest the same 1,000-article dump twice into one store and compare the runs.

    python bench/ingest_twice.py [--articles 1000] [--workers 0]

The second run must add nothing and be at least 20 times faster than the first: inputs
already seen are skipped by content hash before any decoding, jieba or process pool.
Prints the two wall times side by side and their ratio (not absolute targets): each the
median of --repeat runs (first runs into fresh stores, second runs into the first's), as
a single run of 50 ms varies by 20% on a shared machine.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from zhfacts.synthetic import make_corpus  # noqa: E402


def run(cmd: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return time.perf_counter() - start, out.splitlines()[0]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=0, help="0: all cores")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each; the median counts")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="zhfacts-bench-"))
    try:
        make_corpus(ROOT / "corpus", tmp / "dump", args.articles, seed=42)

        def cmd(out: str) -> list[str]:
            return [sys.executable, "-m", "zhfacts.cli", "ingest", str(tmp / "dump"), "--out", str(tmp / out),
                    "--rules", str(ROOT / "src" / "zhfacts" / "data" / "rules"), "--workers", str(args.workers), "--no-progress"]

        firsts = [run(cmd(f"out{i}")) for i in range(args.repeat)]
        seconds = [run(cmd("out0")) for _ in range(args.repeat)]
        first, line1 = statistics.median(t for t, _ in firsts), firsts[0][1]
        second, line2 = statistics.median(t for t, _ in seconds), seconds[0][1]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{'run':8} {'seconds':>8}  summary")
    print(f"{'first':8} {first:8.3f}  {line1}")
    print(f"{'second':8} {second:8.3f}  {line2}")
    ratio = first / second
    print(f"first/second = {ratio:.1f}x (target >= 20x)")
    return 0 if ratio >= 20 and " 0 new articles" in line2 else 1


if __name__ == "__main__":
    sys.exit(main())
