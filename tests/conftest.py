"""Shared fixtures: the shipped rules, one extractor per session, paths to the seeds."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

# First examples load OpenCC, jieba and compile patterns: no per-example deadline.
settings.register_profile("zhfacts", deadline=None, print_blob=True)
settings.load_profile("zhfacts")

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "src" / "zhfacts" / "data" / "rules"
CORPUS = ROOT / "corpus"
BIN = Path(os.environ.get("VIRTUAL_ENV", ROOT / ".venv")) / "bin"


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/* from the current output")


@pytest.fixture(scope="session")
def ruleset():
    from zhfacts.rules import load_rules

    return load_rules(RULES)


@pytest.fixture(scope="session")
def extractor(ruleset):
    from zhfacts.extractor import Extractor

    return Extractor(ruleset)


@pytest.fixture(scope="session")
def seeds_output(tmp_path_factory):
    """The seeds corpus ingested once, by the real pipeline, into a fresh folder."""
    from zhfacts.engine import ingest

    out = tmp_path_factory.mktemp("seeds_out")
    ingest([str(CORPUS)], out, RULES, workers=1, progress=False)
    return out


def facts_of_text(extractor, text: str):
    from zhfacts.extractor import explain_text

    return [t.fact for t in explain_text(extractor, text) if t.fact is not None]


def copy_corpus(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for p in CORPUS.glob("*.txt"):
        shutil.copy(p, dest / p.name)
    return dest


def wait_until_stored(db: Path, proc, count: int = 64, timeout: float = 120) -> int:
    """Poll the store of a running ingest until it holds `count` articles (or the run
    ended); return how many it holds."""
    import sqlite3
    import time

    deadline, stored = time.time() + timeout, 0
    while time.time() < deadline and proc.poll() is None:
        if db.exists():
            try:
                stored = sqlite3.connect(db, timeout=1).execute("SELECT COUNT(*) FROM articles").fetchone()[0]
            except sqlite3.Error:
                stored = 0
            if stored >= count:
                break
        time.sleep(0.05)
    return stored


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


def chrome(size: str = "1280,900"):
    """A real headless Chromium (Debian's chromium and chromium-driver): skipped where
    they are missing, a failure in CI, which must install them (.ci/run does)."""
    if not (CHROMIUM and CHROMEDRIVER):
        if os.environ.get("CI") == "true":
            pytest.fail("CI must install chromium and chromium-driver (.ci/run does)")
        pytest.skip("chromium/chromedriver not installed (apt-get install chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", f"--window-size={size}"):
        opts.add_argument(flag)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
