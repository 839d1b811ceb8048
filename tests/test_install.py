"""zhfacts as a new user gets it: the wheel installed in a new virtualenv, run from an empty
folder, with the rules that ship inside it; and how the rules folder is chosen."""
from __future__ import annotations

import csv
import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from conftest import CORPUS, ROOT, RULES


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The `zhfacts` command of a new virtualenv holding the wheel built from this
    checkout.  Its dependencies are borrowed from the test environment by a path entry
    (a plain path, so the checkout's own editable install is not seen)."""
    import shutil

    tmp = tmp_path_factory.mktemp("install")
    source = tmp / "source"  # a copy: building writes build/ beside the sources
    shutil.copytree(ROOT / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp / "dist"),
                            str(source)], capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    wheel, = (tmp / "dist").glob("zhfacts-*.whl")
    env_dir = tmp / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    py = env_dir / "bin" / "python"
    site = Path(subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    (site / "zz_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps", "-q",
                           str(wheel)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return env_dir / "bin" / "zhfacts"


def run(cmd: Path, *args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k != "ZHFACTS_RULES"} | (env or {})
    return subprocess.run([str(cmd), *args], capture_output=True, text=True, cwd=cwd, timeout=600,
                          env=environ)


def facts(path: Path) -> list[tuple]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return sorted((r["source_file"], r["metric"], r["value"], r["evidence"], r["start"], r["rule_id"])
                      for r in csv.DictReader(fh))


def test_the_installed_tool_runs_from_an_empty_folder(installed, tmp_path, seeds_output):
    work = tmp_path / "empty"
    work.mkdir()
    code = subprocess.run([str(installed.parent / "python"), "-c", "import zhfacts, sys; print(zhfacts.__file__)"],
                          capture_output=True, text=True, cwd=work).stdout
    assert str(ROOT / "src") not in code  # the wheel's copy, not the checkout's

    r = run(installed, "explain", "新增床位100张", cwd=work)
    assert r.returncode == 0, r.stderr
    assert "=> beds 100 张 exact achieved" in r.stdout

    r = run(installed, "ingest", str(CORPUS), "--out", "out", "--workers", "1", "--no-progress", cwd=work)
    assert r.returncode == 0, r.stderr
    assert facts(work / "out" / "facts.csv") == facts(seeds_output / "facts.csv")

    r = run(installed, "rules", "init", "my_rules", cwd=work)
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in (work / "my_rules").iterdir()) == sorted(p.name for p in RULES.iterdir())
    r = run(installed, "rules", "test", "--rules", "my_rules", cwd=work)
    assert r.returncode == 0 and "examples pass" in r.stdout, r.stdout + r.stderr


def test_rules_init_never_overwrites(installed, tmp_path):
    assert run(installed, "rules", "init", "r", cwd=tmp_path).returncode == 0
    r = run(installed, "rules", "init", "r", cwd=tmp_path)
    assert r.returncode == 1 and "already holds" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("arg,env,local,expected", [
    ("given", "from_env", True, "given"),
    (None, "from_env", True, "from_env"),
    (None, None, True, "rules"),
    (None, None, False, "shipped"),
], ids=["--rules wins", "then ZHFACTS_RULES", "then ./rules", "else the shipped rules"])
def test_which_rules_folder(tmp_path, monkeypatch, arg, env, local, expected):
    from zhfacts.rulesource import rules_folder, shipped_rules

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ZHFACTS_RULES", raising=False)
    if env:
        monkeypatch.setenv("ZHFACTS_RULES", env)
    if local:
        (tmp_path / "rules").mkdir()
    got = rules_folder(arg)
    assert got == (shipped_rules() if expected == "shipped" else Path(expected))


def test_the_store_records_the_rules_folder_of_each_run(tmp_path):
    import sqlite3

    from zhfacts.engine import ingest

    ingest([str(CORPUS)], tmp_path / "out", RULES, workers=1, progress=False)
    folder, version = sqlite3.connect(tmp_path / "out" / "zhfacts.sqlite").execute(
        "SELECT rules_folder, rules_version FROM runs").fetchone()
    from zhfacts.cache import folder_version
    from zhfacts.rulesource import code_version

    assert folder == str(RULES.resolve()) and version == f"{folder_version(RULES)}-{code_version()}"
