"""Repair mojibake runs in decoded text, and mark what cannot be repaired as damaged.

Placeholder level: marks runs of `?` or U+FFFD between Han characters as damaged.
"""
from __future__ import annotations

from dataclasses import dataclass

import regex

DAMAGE_RE = regex.compile(r"(?:\?{2,}|\ufffd+)")


@dataclass(frozen=True)
class Repaired:
    text: str
    repairs: int
    damaged: int
    damaged_spans: tuple[tuple[int, int], ...]


def damaged_spans_of(text: str) -> tuple[tuple[int, int], ...]:
    return tuple((m.start(), m.end()) for m in DAMAGE_RE.finditer(text))


def repair(text: str) -> Repaired:
    spans = damaged_spans_of(text)
    return Repaired(text, 0, sum(e - s for s, e in spans), spans)
