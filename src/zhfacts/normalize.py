"""Normalise text for matching while keeping a map back to the original characters.

`AlignedText` holds the normalised text and, for every normalised character, the
half-open span `[start, end)` of original characters it came from (the model is
Hugging Face tokenizers' `NormalizedString`).  Each transform (width folding, pinyin
removal, OpenCC Traditional->Simplified) rewrites pieces and carries the spans along, so
`original[span_of(a, b)]` is always the evidence as written.
"""
from __future__ import annotations

import difflib
from array import array
from dataclasses import dataclass
from functools import lru_cache

import regex

FULLWIDTH = {ord(c): chr(ord(c) - 0xFEE0) for c in "０１２３４５６７８９．％－～，：／"}
FULLWIDTH.update({ord("\u3000"): " ", ord("\xa0"): " "})
# Keep Chinese clause punctuation: only digits and the marks numbers use are folded, and
# the full-width comma only between digits (12，345) is handled by the caller's regex.
FULLWIDTH[ord("，")] = "，"
FULLWIDTH[ord("：")] = ":"

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
SYLLABLE = (rf"(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?[aeiouv{_TONED}]"
            rf"[a-z{_TONED}]*?(?:n|ng|r)?[1-5]?")
# A reading: one or more pinyin syllables in parentheses right after a Han character.
PINYIN_RE = regex.compile(
    rf"(?<=\p{{Han}})[(（](?P<py>{SYLLABLE}(?:[ ']?{SYLLABLE}){{0,3}})[)）]",
    regex.IGNORECASE)
# Plain ASCII words that are real parenthesised content, not readings.
_NOT_READINGS = {"pci", "icu", "ct", "dr", "mri", "ecmo", "pet", "his", "ai", "ok"}
TRADITIONAL_HINT = regex.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class AlignedText:
    """Normalised text plus, per character, its source span in the original."""

    text: str
    starts: array
    ends: array

    @classmethod
    def identity(cls, text: str, offset: int = 0) -> "AlignedText":
        """Align `text`, which sits at `offset` in the original, to itself."""
        n = len(text)
        return cls(text, array("l", range(offset, offset + n)),
                   array("l", range(offset + 1, offset + n + 1)))

    def span_of(self, start: int, end: int) -> tuple[int, int]:
        """Original `[start, end)` covering normalised `[start, end)`."""
        if end <= start:
            raise ValueError(f"empty span {start}:{end}")
        return self.starts[start], self.ends[end - 1]


def rewrite(aligned: AlignedText, pieces: list[tuple[int, int, str]]) -> AlignedText:
    """Replace non-overlapping normalised spans `(start, end, new)`, sorted by start.

    Every new character maps to the whole original span of what it replaced, so n:m
    rewrites stay traceable; a deletion maps nothing.
    """
    if not pieces:
        return aligned
    text, starts, ends = [], array("l"), array("l")
    pos = 0
    for a, b, new in pieces:
        text.append(aligned.text[pos:a])
        starts.extend(aligned.starts[pos:a])
        ends.extend(aligned.ends[pos:a])
        if new:
            if len(new) == b - a:  # 1:1 keeps per-character precision
                starts.extend(aligned.starts[a:b])
                ends.extend(aligned.ends[a:b])
            else:
                lo, hi = aligned.span_of(a, b) if b > a else (aligned.starts[a], aligned.starts[a])
                starts.extend([lo] * len(new))
                ends.extend([hi] * len(new))
            text.append(new)
        pos = b
    text.append(aligned.text[pos:])
    starts.extend(aligned.starts[pos:])
    ends.extend(aligned.ends[pos:])
    return AlignedText("".join(text), starts, ends)


def fold_width(aligned: AlignedText) -> AlignedText:
    """Full-width digits, `．`, `％` and ideographic spaces to ASCII (1:1)."""
    folded = aligned.text.translate(FULLWIDTH)
    if folded == aligned.text:
        return aligned
    return AlignedText(folded, aligned.starts, aligned.ends)


def is_reading(inner: str) -> bool:
    """Whether a parenthesised ASCII word is a pinyin reading (hù, xiàng) and not an
    abbreviation (PCI) or a real word."""
    low = inner.lower()
    if low in _NOT_READINGS or inner.isupper():
        return False
    return True


def strip_pinyin(aligned: AlignedText) -> AlignedText:
    """Remove pinyin readings inserted after Han characters: 守護(hù) -> 守護."""
    pieces = [(m.start(), m.end(), "") for m in PINYIN_RE.finditer(aligned.text)
              if is_reading(m.group("py"))]
    return rewrite(aligned, pieces)


@lru_cache(maxsize=1)
def _converters():
    import opencc  # the `opencc` binding; loading its dictionaries costs ~50 ms

    return opencc.OpenCC("t2s"), opencc.OpenCC("hk2s")


def to_simplified_str(text: str) -> str:
    """Traditional (incl. Hong Kong/Taiwan variants such as 衞, 牀) to Simplified."""
    t2s, hk2s = _converters()
    return hk2s.convert(t2s.convert(text))


def to_simplified(aligned: AlignedText) -> AlignedText:
    """OpenCC phrase conversion; 1:1 where lengths agree, n:m blocks aligned by diff."""
    src = aligned.text
    dst = to_simplified_str(src)
    if dst == src:
        return aligned
    if len(dst) == len(src):
        return AlignedText(dst, aligned.starts, aligned.ends)
    pieces = []
    matcher = difflib.SequenceMatcher(None, src, dst, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op != "equal":
            pieces.append((a1, a2, dst[b1:b2]))
    return rewrite(aligned, pieces)


def script_of(text: str) -> str:
    """simplified, traditional or mixed: which characters OpenCC would change each way."""
    han = set(regex.findall(r"\p{Han}", text))
    t2s, _ = _converters()
    s2t = _s2t()
    traditional = sum(1 for ch in han if t2s.convert(ch) != ch)
    simplified = sum(1 for ch in han if s2t.convert(ch) != ch)
    if traditional and simplified:
        # A stray character either way is noise (names, variants); both in bulk is a mix.
        if min(traditional, simplified) >= max(3, 0.05 * max(traditional, simplified)):
            return "mixed"
        return "traditional" if traditional > simplified else "simplified"
    return "traditional" if traditional else "simplified"


@lru_cache(maxsize=1)
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


def normalize(original: str, spans: list[tuple[int, int]]) -> AlignedText:
    """Normalise the kept `spans` of `original`, joined by newlines, for matching."""
    text, starts, ends = [], array("l"), array("l")
    for start, end in spans:
        text.append(original[start:end])
        starts.extend(range(start, end))
        ends.extend(range(start + 1, end + 1))
        text.append("\n")
        starts.append(end)
        ends.append(end)
    joined = AlignedText("".join(text), starts, ends)
    return to_simplified(strip_pinyin(fold_width(joined)))


def normalize_str(text: str) -> str:
    """Normalise a free-standing string (a sentence given to `explain`, a rule example)."""
    return normalize(text, [(0, len(text))]).text.rstrip("\n")
