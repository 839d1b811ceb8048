"""The hot modules (matching rules, placing facts) compiled to C with mypyc, and the
guard that runs them as Python whenever the compiled build does not match their source.

    zhfacts native build      # what `make` runs after installing: about 40 seconds
    zhfacts native status     # compiled, stale or not built

The build is optional: without a C compiler (or with ZHFACTS_PURE=1 set) every module
runs as the Python it is, with the same results.  A build records the SHA-256 of each
module's source in native.json; a package import that finds one of them edited since
loads all of them from source (they call each other natively, so they go together)
until the next build.  Compiled, placing is about a third faster and matching a sixth.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

# hashlib, json and importlib.util load only where a build is present: most imports of
# the package (a fresh install, a worker) look for native.json and go on.

PACKAGE = Path(__file__).parent
MODULES = ("place", "extractor")  # the modules compiled together, as one group
MANIFEST = PACKAGE / "native.json"
GROUP = "zhfacts_native"  # the name of the group's shared library (beside the package)


def source_digest(folder: Path, name: str) -> str:
    import hashlib

    return hashlib.sha256((folder / f"{name}.py").read_bytes()).hexdigest()


def stale(folder: Path = PACKAGE, manifest: Path | None = None) -> list[str]:
    """The compiled modules of `folder` whose source changed since the build that
    `manifest` records (all of them if one did; none where nothing was built)."""
    import json

    manifest = manifest or folder / MANIFEST.name
    try:
        built = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    modules = built.get("modules", {})
    if built.get("python") != sys.implementation.cache_tag:
        return list(modules)
    changed = any(not (folder / f"{name}.py").exists() or source_digest(folder, name) != digest
                  for name, digest in modules.items())
    return list(modules) if changed else []


class _FromSource:
    """Finds the named modules of the package as their .py files, before the import
    system would prefer a compiled extension beside them."""

    def __init__(self, names: list[str], folder: Path):
        self.names = {f"{__package__}.{n}": folder / f"{n}.py" for n in names}

    def find_spec(self, fullname, path=None, target=None):
        source = self.names.get(fullname)
        if source is None:
            return None
        import importlib.util

        return importlib.util.spec_from_file_location(fullname, source)


def guard() -> None:
    """Run the compiled modules only where they match their source (package import)."""
    if any(isinstance(f, _FromSource) for f in sys.meta_path):
        return
    names = list(MODULES) if os.environ.get("ZHFACTS_PURE") else stale() if MANIFEST.exists() else []
    if names:
        sys.meta_path.insert(0, _FromSource(names, PACKAGE))


def compiled() -> bool:
    """Whether this process runs the compiled modules."""
    from . import extractor, place

    return all(not (m.__file__ or "").endswith(".py") for m in (place, extractor))


def build() -> None:
    """Compile MODULES with mypyc in place (an editable install's source folder) and
    record their sources' digests.  Raises if mypyc or a C compiler is missing."""
    import tempfile

    from mypyc.build import mypycify
    from setuptools import setup

    root = PACKAGE.parent
    cwd = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(root)  # mypyc names modules by their paths: zhfacts/place.py is zhfacts.place
        try:
            extensions = mypycify(["--ignore-missing-imports", "--cache-dir", os.path.join(tmp, "mypy"),
                                   *(f"{PACKAGE.name}/{m}.py" for m in MODULES)], opt_level="3",
                                  group_name=GROUP, target_dir=os.path.join(tmp, "c"))
            setup(name=GROUP, ext_modules=extensions, script_name="setup.py",
                  script_args=["-q", "build_ext", "--inplace", "--build-temp", os.path.join(tmp, "o"),
                               "--build-lib", os.path.join(tmp, "lib")])
        finally:
            os.chdir(cwd)
    import json

    MANIFEST.write_text(json.dumps({"python": sys.implementation.cache_tag,
                                    "modules": {m: source_digest(PACKAGE, m) for m in MODULES}},
                                   indent=1) + "\n", encoding="utf-8")


def main(action: str) -> int:
    """`zhfacts native build` or `zhfacts native status` (the command line checks which)."""
    if action == "build":
        try:
            build()
        except Exception as exc:  # noqa: BLE001 - any failure leaves the Python modules in use
            print(f"zhfacts: the compiled modules were not built ({type(exc).__name__}: {exc}); "
                  "zhfacts runs as Python (install a C compiler and `pip install mypy` to build them)",
                  file=sys.stderr)
            return 0
        print(f"zhfacts: compiled {', '.join(MODULES)} ({MANIFEST.name} records their sources)")
        return 0
    changed = stale() if MANIFEST.exists() else []
    if not MANIFEST.exists():
        print("not built: every module runs as Python")
    elif changed:
        print(f"stale: {', '.join(changed)} changed since the build; they run as Python until the next build")
    else:
        print(f"compiled: {', '.join(MODULES)}" + (" (ZHFACTS_PURE set: running as Python)"
                                                  if os.environ.get("ZHFACTS_PURE") else ""))
    return 0
