"""zhfacts: numeric facts from Chinese health-policy articles, with provenance and review.

The Python API (`extract`, `read_facts`, `read_articles`, `read_rejects`, `read_inputs`)
loads on first use, so the command line starts without it.
"""
from __future__ import annotations

from .native import guard

__all__ = ["extract", "read_facts", "read_articles", "read_rejects", "read_inputs"]

guard()  # the compiled modules, where they match their source (zhfacts/native.py)


def __getattr__(name: str):
    if name in __all__:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'zhfacts' has no attribute {name!r}")
