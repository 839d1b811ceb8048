"""The throughput benchmark's side-by-side run against an earlier revision: it runs, says
the ratio, and leaves no worktree behind (timings themselves are never asserted)."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def worktrees() -> list[str]:
    out = subprocess.run(["git", "-C", str(ROOT), "worktree", "list", "--porcelain"],
                         capture_output=True, text=True, check=True).stdout
    return [line for line in out.splitlines() if line.startswith("worktree ")]


@pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists() or not Path("/usr/bin/time").exists(),
                    reason="needs a git checkout and /usr/bin/time")
@pytest.mark.parametrize("pure", [False, True], ids=["as-installed", "pure"])
def test_throughput_against_a_revision_reports_the_ratio_and_cleans_up(pure):
    before = worktrees()
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "throughput.py"), "--articles", "12",
                           "--repeat", "1", "--against", "HEAD", *(["--pure"] if pure else [])],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert any(line.startswith("b @HEAD ") for line in lines), done.stdout
    assert any(line.startswith("b against HEAD: ") and "of its time" in line for line in lines), done.stdout
    assert "same from b and c: True" in done.stdout
    if pure:  # the first line says how today's modules ran
        assert lines[0].endswith("matching and placing as Python"), lines[0]
    assert worktrees() == before
