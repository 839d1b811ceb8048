"""The compiled modules (zhfacts/native.py): the same facts as the Python they are
compiled from, and never run once that Python has changed."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CORPUS, ROOT
from zhfacts import native

PACKAGE = Path(native.__file__).parent
needs_build = pytest.mark.skipif(
    not native.MANIFEST.exists() or bool(native.stale()),
    reason="the compiled modules are not built (make native, or zhfacts native build)")


def python(code: str, path: Path | None = None, **env: str) -> str:
    """What `code` prints in a fresh interpreter (with `path` first on sys.path)."""
    environ = {k: v for k, v in os.environ.items() if k != "ZHFACTS_PURE"} | env
    if path is not None:
        environ["PYTHONPATH"] = str(path)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=environ, timeout=300, check=True)
    return out.stdout.strip()


@pytest.mark.parametrize("edited,built_for,expected", [
    (None, None, []),                                  # as built: compiled
    ("place", None, ["place", "extractor"]),           # one edited: the group runs as Python
    ("extractor", None, ["place", "extractor"]),
    (None, "cpython-312", ["place", "extractor"]),     # built for another Python
])
def test_a_build_runs_only_while_it_matches_its_sources(tmp_path, edited, built_for, expected):
    for name in native.MODULES:
        (tmp_path / f"{name}.py").write_text(f'"""{name}"""\n', encoding="utf-8")
    (tmp_path / "native.json").write_text(json.dumps({
        "python": built_for or sys.implementation.cache_tag,
        "modules": {name: native.source_digest(tmp_path, name) for name in native.MODULES}}))
    if edited:
        (tmp_path / f"{edited}.py").write_text('"""edited since"""\n', encoding="utf-8")
    assert native.stale(tmp_path) == expected


@pytest.mark.parametrize("manifest", [None, "", "{not json", '{"python": "cpython-311"}'])
def test_no_build_or_a_broken_record_means_nothing_is_guarded(tmp_path, manifest):
    if manifest is not None:
        (tmp_path / "native.json").write_text(manifest)
    assert native.stale(tmp_path) == []


@needs_build
def test_an_edited_source_runs_as_python_until_the_next_build(tmp_path):
    """A copy of the package with its build: compiled as built; once place.py is edited,
    place and extractor both load from their .py files."""
    shutil.copytree(PACKAGE, tmp_path / "zhfacts", ignore=shutil.ignore_patterns("__pycache__"))
    for lib in PACKAGE.parent.glob(f"{native.GROUP}__mypyc*"):
        shutil.copy(lib, tmp_path)
    code = ("import zhfacts.place as p, zhfacts.extractor as e; "
            "print(p.__file__.startswith(%r), [m.__file__.endswith('.py') for m in (p, e)])" % str(tmp_path))
    assert python(code, tmp_path) == "True [False, False]"
    with open(tmp_path / "zhfacts" / "place.py", "a", encoding="utf-8") as fh:
        fh.write("\n# edited after the build\n")
    assert python(code, tmp_path) == "True [True, True]"


@needs_build
def test_compiled_and_python_modules_give_the_same_facts():
    """Every article of the seeds and both real-page sets, through the compiled modules
    and through ZHFACTS_PURE's Python: the same facts, places and periods."""
    folders = [CORPUS, ROOT / "tests" / "eval" / "real", ROOT / "tests" / "eval" / "real2"]
    code = ("import sys, zhfacts; from zhfacts import native; from pathlib import Path; "
            "print(native.compiled()); "
            f"[print(p.name, repr(zhfacts.extract(p.read_bytes()))) for d in {[str(f) for f in folders]!r} "
            "for p in sorted(Path(d).iterdir()) if p.suffix == '.txt']")
    compiled, pure = python(code), python(code, ZHFACTS_PURE="1")
    assert compiled.split("\n", 1)[0] == "True" and pure.split("\n", 1)[0] == "False"
    assert compiled.split("\n", 1)[1] == pure.split("\n", 1)[1]
    assert compiled.count("Fact(") > 300
