#!/usr/bin/env python3
"""Peak memory of zhfacts ingest on 2,000 and on 20,000 articles, side by side.

    python bench/memory.py [--small 2000] [--large 20000] [--workers 1]

Streaming end to end (one article at a time from the dump, bounded work in flight,
facts written in batches, exports streamed from SQLite) keeps the peak flat: the large
run should stay within 10% of the small one and below 400 MB.  Peak RSS is measured by
/usr/bin/time (GNU time's %M), the largest resident set of the process and its workers.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from zhfacts.synthetic import make_corpus  # noqa: E402


def measure(dump: Path, out: Path, workers: int) -> tuple[float, float]:
    cmd = ["/usr/bin/time", "-f", "%e %M", sys.executable, "-m", "zhfacts.cli", "ingest", str(dump),
           "--out", str(out), "--rules", str(ROOT / "src" / "zhfacts" / "data" / "rules"), "--workers", str(workers), "--no-progress"]
    run = subprocess.run(cmd, capture_output=True, text=True)
    if run.returncode:
        raise SystemExit(run.stderr[-3000:])
    wall, kb = run.stderr.strip().splitlines()[-1].split()
    return float(wall), int(kb) / 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--small", type=int, default=2000)
    ap.add_argument("--large", type=int, default=20000)
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="zhfacts-memory-"))
    rows = []
    try:
        for n in (args.small, args.large):
            dump = tmp / f"dump{n}"
            make_corpus(ROOT / "corpus", dump, n, seed=1)
            wall, rss = measure(dump, tmp / f"out{n}", args.workers)
            rows.append((n, wall, rss))
            shutil.rmtree(dump)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{'articles':>9} {'seconds':>8} {'peak RSS MB':>12}")
    for n, wall, rss in rows:
        print(f"{n:9} {wall:8.1f} {rss:12.0f}")
    (_, _, small), (_, _, large) = rows
    growth = large / small - 1
    print(f"large/small peak RSS = {large / small:.3f} (+{growth:.1%}; target within 10%, below 400 MB)")
    return 0 if growth <= 0.10 and large < 400 else 1


if __name__ == "__main__":
    sys.exit(main())
