"""Derived data kept between runs (jieba's finished prefix dictionary, OpenCC's
character sets): built once, loaded in a fraction of the time on every later start;
and the content hashes that key them (`folder_version`).

Each entry is one pickle named by a key of everything it was built from, so a change
to any input simply misses and builds a fresh entry.  A missing, broken or unwritable
cache costs time, never correctness.
"""
from __future__ import annotations

import gc
import hashlib
import os
from collections.abc import Callable
from pathlib import Path


def folder_version(folder: Path) -> str:
    """Hash of every file in `folder` (names and bytes): the version of a rules folder,
    and so the key of everything extracted with it."""
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*")):
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def cache_dir() -> Path:
    """Where the cache lives: $ZHFACTS_CACHE, else ~/.cache/zhfacts (the temp folder
    when there is no home, as for some service accounts)."""
    if os.environ.get("ZHFACTS_CACHE"):
        return Path(os.environ["ZHFACTS_CACHE"])
    try:
        return Path.home() / ".cache" / "zhfacts"
    except RuntimeError:
        import tempfile

        return Path(tempfile.gettempdir()) / "zhfacts-cache"


def load(name: str) -> object | None:
    """The entry `name`, or None if it is missing or unreadable."""
    import pickle

    enabled = gc.isenabled()
    gc.disable()  # half a million new objects at once: collecting meanwhile finds nothing
    try:
        with open(cache_dir() / name, "rb") as fh:
            return pickle.load(fh)
    except Exception:  # noqa: BLE001 - missing, truncated or from another version
        return None
    finally:
        if enabled:
            gc.enable()


def store(name: str, value: object) -> None:
    """Write the entry atomically; a read-only home just means no cache."""
    import pickle

    from .export import atomic_write

    try:
        with atomic_write(cache_dir() / name, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
    except OSError:
        pass


def cached(name: str, build: Callable[[], object]) -> object:
    """The entry `name`, built (and kept) if it is not there yet."""
    value = load(name)
    if value is None:
        value = build()
        store(name, value)
    return value
