"""Derived data kept between runs (jieba's finished prefix dictionary, OpenCC's
character sets): built once, loaded in a fraction of the time on every later start.

Each entry is one pickle named by a key of everything it was built from, so a change
to any input simply misses and builds a fresh entry.  A missing, broken or unwritable
cache costs time, never correctness.
"""
from __future__ import annotations

import gc
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def cache_dir() -> Path:
    """Where the cache lives: $ZHFACTS_CACHE, else ~/.cache/zhfacts."""
    return Path(os.environ.get("ZHFACTS_CACHE") or Path.home() / ".cache" / "zhfacts")


def load(name: str) -> object | None:
    """The entry `name`, or None if it is missing or unreadable."""
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
    path = cache_dir() / name
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass


def cached(name: str, build: Callable[[], T]) -> T:
    """The entry `name`, built (and kept) if it is not there yet."""
    value = load(name)
    if value is None:
        value = build()
        store(name, value)
    return value
