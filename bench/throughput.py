#!/usr/bin/env python3
"""Throughput of zhfacts against plain jieba, side by side on the same generated corpus.

    python bench/throughput.py [--articles 2000] [--seed 7] [--segmenter jieba] [--repeat 3]
                               [--against REV] [--pure]

Generates N articles (seeded) from the paragraphs of the seed articles, then times in
one run, each as a fresh process (start-up and dictionary loading included):
  (a) jieba.lcut over the whole text of every article (the cost to beat),
  (b) zhfacts ingest with one worker,
  (c) zhfacts ingest with all cores,
and prints MB/s, articles/s, peak RSS of each, the ratios b/a and c/b, and whether b and
c produced the same facts.  Each run is repeated (a, b, c, a, b, c, ...) and the median
wall time counts: single runs on a shared machine vary by 5-10%.
Targets: b/a >= 1.5, c/b >= 1.8 on 2 cores.

--against REV also times b for REV, an earlier revision of this repository checked out
in a temporary git worktree, with its own rules, right after each of today's b, and
prints today's b over it (issue 12: within 1.10 of the code before it, 8fb7a84).  Every
tree's modules are compiled to bytecode first, so that no run times Python compiling
zhfacts (PYTHONDONTWRITEBYTECODE, or a fresh checkout, would have every run do so).
--pure runs today's zhfacts as Python (ZHFACTS_PURE=1) rather than its compiled modules
(`zhfacts native build`); the first line says which ran.
"""
from __future__ import annotations

import argparse
import compileall
import csv
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from zhfacts.synthetic import make_corpus  # noqa: E402

BASELINE = """
import sys, jieba, logging
from pathlib import Path
jieba.setLogLevel(logging.WARNING)
jieba.initialize()
n = 0
for p in sorted(Path(sys.argv[1]).glob("*.txt")):
    n += len(jieba.lcut(p.read_text(encoding="utf-8")))
print(n)
"""




def peak_rss(cmd: list[str], env: dict | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS in MB of `cmd` (and its children), via /usr/bin/time."""
    out = subprocess.run(["/usr/bin/time", "-f", "%e %M", *cmd], capture_output=True, text=True, env=env)
    if out.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{out.stderr[-3000:]}")
    wall, kb = out.stderr.strip().splitlines()[-1].split()
    return float(wall), int(kb) / 1024


def facts(out: Path) -> list[tuple]:
    with open(out / "facts.csv", encoding="utf-8-sig", newline="") as fh:
        return sorted((r["source_file"], r["metric"], r["value"], r["start"], r["status"]) for r in csv.DictReader(fh))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--segmenter", default="jieba", choices=("jieba", "rjieba"))
    ap.add_argument("--repeat", type=int, default=3, help="runs of each; the median counts")
    ap.add_argument("--against", metavar="REV", help="also time b for this git revision (e.g. 8fb7a84)")
    ap.add_argument("--pure", action="store_true",
                    help="run today's zhfacts as Python (ZHFACTS_PURE=1), not its compiled modules")
    args = ap.parse_args()
    cores = os.cpu_count() or 1
    tmp = Path(tempfile.mkdtemp(prefix="zhfacts-throughput-"))
    earlier = tmp / "against"
    try:
        dump = tmp / "dump"
        make_corpus(ROOT / "corpus", dump, args.articles, seed=args.seed)
        mb = sum(p.stat().st_size for p in dump.iterdir()) / 1e6
        compileall.compile_dir(str(ROOT / "src" / "zhfacts"), quiet=1)

        def ingest(src: Path, out: str, workers: int) -> list[str]:
            return [sys.executable, "-m", "zhfacts.cli", "ingest", str(dump), "--rules",
                    str(src / "zhfacts" / "data" / "rules"), "--no-progress", "--segmenter", args.segmenter,
                    "--out", str(tmp / out), "--workers", str(workers)]

        commands = {
            "a jieba.lcut": lambda i: [sys.executable, "-c", BASELINE, str(dump)],
            "b ingest x1": lambda i: ingest(ROOT / "src", f"b{i}", 1),
            f"c ingest x{cores}": lambda i: ingest(ROOT / "src", f"c{i}", cores),
        }
        today = {**os.environ, "ZHFACTS_PURE": "1"} if args.pure else None
        envs = {name: today for name in commands}
        compiled = subprocess.run([sys.executable, "-c", "from zhfacts import native; print(native.compiled())"],
                                  capture_output=True, text=True, env=today).stdout.strip() == "True"
        if args.against:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(earlier), args.against],
                           check=True, capture_output=True)
            compileall.compile_dir(str(earlier / "src" / "zhfacts"), quiet=1)
            name = f"b @{args.against}"
            commands = {**dict(list(commands.items())[:2]), name: lambda i: ingest(earlier / "src", f"r{i}", 1),
                        **dict(list(commands.items())[2:])}  # right after today's b
            envs[name] = {**os.environ, "PYTHONPATH": str(earlier / "src")}
        timings: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for i in range(args.repeat):
            for name, command in commands.items():
                timings[name].append(peak_rss(command(i), envs[name]))
        runs = {name: (statistics.median(w for w, _ in t), max(r for _, r in t)) for name, t in timings.items()}
        spread = {name: (min(w for w, _ in t), max(w for w, _ in t)) for name, t in timings.items()}
        same = facts(tmp / "b0") == facts(tmp / "c0")
        n_facts = len(facts(tmp / "b0"))
    finally:
        if earlier.exists():
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(earlier)], capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{args.articles} articles, {mb:.1f} MB, {cores} cores, segmenter {args.segmenter}, "
          f"median of {args.repeat} runs; today's matching and placing "
          f"{'compiled (zhfacts native build)' if compiled else 'as Python'}")
    print(f"{'run':14} {'seconds':>8} {'(min-max)':>11} {'MB/s':>7} {'articles/s':>11} {'peak RSS MB':>12}")
    for name, (wall, rss) in runs.items():
        lo, hi = spread[name]
        print(f"{name:14} {wall:8.2f} {f'{lo:.2f}-{hi:.2f}':>11} {mb / wall:7.2f} "
              f"{args.articles / wall:11.0f} {rss:12.0f}")
    (a, _), (b, _), (c, _) = (runs[name] for name in runs if not name.startswith("b @"))
    print(f"b/a = {a / b:.2f}x faster than plain jieba (target >= 1.5)")
    print(f"c/b = {b / c:.2f}x faster with {cores} cores (target >= 1.8 on 2 cores)")
    if args.against:
        earlier_b = runs[f"b @{args.against}"][0]
        print(f"b against {args.against}: {b / earlier_b:.3f} of its time ({(b / earlier_b - 1) * 100:+.1f}%)")
    print(f"facts: {n_facts}, same from b and c: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
