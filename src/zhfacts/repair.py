"""Repair mojibake in decoded text, and mark what cannot be repaired as damaged.

Mojibake is text whose bytes were decoded with the wrong codec.  Each candidate run is
re-encoded with the codec that produced it and decoded with the right one; the result is
kept only if it decodes strictly and reads as more plausible Chinese.  Runs are split at
ASCII characters, which are character boundaries in every codec involved:

- UTF-8 read as GBK/GB18030 (`鍖荤枟` -> 医疗) or as Big5;
- UTF-8 read as Latin-1/cp1252 (`å»ç` -> 医疗), via ftfy's own tables for cp1252;
- GBK read as Latin-1 (`Ò½ÁÆ` -> 医疗).

What stays unreadable (a lost byte that shifts every later pair: `??疲ㄅ嘤╉`, U+FFFD,
runs of `?`) is returned as damaged spans; no number is extracted from inside them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import regex

# Runs to try: Latin-1-range text, and non-ASCII non-punctuation text.
_CP1252 = (r"\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
           r"\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122")
# Latin-1/cp1252-range text with at least one real Latin-1 letter or sign (curly quotes
# and dashes alone are ordinary Chinese punctuation; a no-break space is ordinary too).
LATIN_RUN = regex.compile(rf"(?=[{_CP1252}]*[\u0080-\u009f\u00a1-\u00ff])[{_CP1252}]{{2,}}")
# Non-ASCII, non-Latin-1 text, punctuation included: GB18030 decoding of UTF-8 bytes
# makes punctuation too (A1B0 is “), so a garbled run is cut only at ASCII.
# GB18030 also makes Latin-1 signs (A1E8 is ¤), so those stay inside a run too.
CJK_RUN = regex.compile(r"[^\x00-\x7f\s]{2,}")
LATIN_SPLIT = regex.compile(r"([\u0080-\u00ff]+)")
RUN_RE = regex.compile(rf"{LATIN_RUN.pattern}|{CJK_RUN.pattern}")
PUNCT_SPLIT = regex.compile(r"([。，、；：？！“”‘’（）《》【】—…·\u3000]+)")
# Characters that do not belong in Chinese prose: box drawing, bopomofo, private use, U+FFFD.
# A single `?` between Han characters is a character lost by a re-encoding (牀 has no
# Big5 code); `normalize.restore_lost` guesses it for matching, so it is not damage.
SUSPICIOUS = regex.compile(r"[\u2500-\u257f\u3100-\u312f\ue000-\uf8ff\ufffd]|\?{2,}")
HAN = regex.compile(r"\p{Han}")
LOST = regex.compile(r"\?{1,2}")
DAMAGE_JOIN = regex.compile(r"[^\s。，、；：？！“”（）《》,.;:!\d]{0,3}")


@dataclass(frozen=True)
class Repaired:
    """Repaired text, how many runs were repaired, and what remains damaged."""

    text: str
    repairs: int
    damaged: int
    damaged_spans: tuple[tuple[int, int], ...]
    plan: tuple[tuple[str, str, str], ...] = ()  # (codec path, before, after)


@lru_cache(maxsize=1)
def _common() -> frozenset:
    """The 3,755 most common Han characters (GB2312 level 1), Simplified and Traditional."""
    chars = set()
    for hi in range(0xB0, 0xD8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    from .normalize import _s2t

    trad = _s2t().convert("".join(sorted(chars)))
    return frozenset(chars | set(trad))


def plausibility(text: str) -> float:
    """How much `text` reads like Chinese: the mean of the share of common characters
    (GB2312 level 1, either script; CJK punctuation; ASCII) and the share of Han
    characters covered by two-character dictionary words."""
    if not text:
        return 0.0
    common = _common()
    good = sum(1 for ch in text if ch in common or ch < "\x80" or ch in "，。、；：？！“”（）《》")
    han = [i for i, ch in enumerate(text) if "\u4e00" <= ch <= "\u9fff"]
    if not han:
        return good / len(text)
    from .normalize import _word_freq, to_simplified_str

    simple = to_simplified_str(text)
    freq = _word_freq(simple)
    covered = set()
    for i in range(len(simple) - 1):
        if freq.get(simple[i:i + 2]):
            covered.update((i, i + 1))
    cover = sum(1 for i in han if i in covered) / len(han)
    return (good / len(text) + cover) / 2


def _attempts(run: str):
    """(path, candidate) decodings of a run, most specific first."""
    latin = all(ch <= "\xff" for ch in run)
    if latin or LATIN_RUN.fullmatch(run):
        for enc in ("latin-1", "cp1252"):
            try:
                raw = run.encode(enc)
            except UnicodeEncodeError:
                continue
            for target in ("utf-8", "gb18030"):
                try:
                    yield f"{enc}->{target}", raw.decode(target)
                except UnicodeDecodeError:
                    pass
        try:
            import ftfy

            fixed = ftfy.fix_encoding(run)
            if fixed != run:
                yield "ftfy", fixed
        except Exception:  # ftfy is a best-effort fallback
            pass
        return
    for enc in ("gb18030", "cp950"):
        try:
            yield f"{enc}->utf-8", run.encode(enc).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass


def repair_run(run: str, trusted: frozenset = frozenset()) -> tuple[str, str] | None:
    """(path, repaired) if the run is mojibake that decodes to better text.

    A Latin-1 run that decodes strictly as multi-byte UTF-8 is taken as it is (valid
    UTF-8 by chance is rare: `Ä«` -> ī in a pinyin reading); other paths must give
    Chinese that is clearly more plausible than the run."""
    before = plausibility(run)
    for path, candidate in _attempts(run):
        if candidate == run or "\ufffd" in candidate:
            continue
        if path == "latin-1->utf-8" and len(candidate) < len(run):
            return path, candidate
        if not HAN.search(candidate):
            continue
        after = plausibility(candidate)
        if SUSPICIOUS.search(run) and not SUSPICIOUS.search(candidate) and not path.endswith("->gb18030"):
            return path, candidate  # box drawing or private use in prose: surely mojibake
        if path in trusted:
            return path, candidate  # the same damage was found, unambiguously, nearby
        if path.endswith("->gb18030") and (len(run) < 4 or after < 0.9):
            continue  # GBK read as Latin-1 needs a longer, clean-reading run
        if after > max(before, 0.5) + 0.15 or (before < 0.5 and after >= 0.9):
            return path, candidate
    return None


MAX_SPLIT_RUN = 120
# Chinese in UTF-8 is 3-byte sequences; 2-byte ones are common in clean GBK too.
UTF8_MULTI = regex.compile(rb"[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def maybe_garbled(run: str) -> bool:
    """Cheap filter: is much of the run, re-encoded as GBK or Big5, valid multi-byte
    UTF-8?  Clean Chinese almost never is, so most runs skip the costly attempts."""
    for part in LATIN_SPLIT.split(run):
        if len(part) < 2:
            continue
        if part[0] <= "\xff" and LATIN_RUN.match(part):
            return True
        for enc in ("gb18030", "cp950"):
            raw = part.encode(enc, errors="ignore")
            if raw and sum(len(m) for m in UTF8_MULTI.findall(raw)) * 2 >= len(raw):
                return True
    return False


def _parts(run: str):
    """Partitions of a run to try, coarse to fine: the whole run, the parts between
    real punctuation, those parts cut where Latin-1 text meets other text, and for a
    short run, clean text followed or preceded by a garbled tail or head."""
    yield [run]
    parts = [p for p in PUNCT_SPLIT.split(run) if p]
    yield parts
    yield [q for p in parts for q in LATIN_SPLIT.split(p) if q]
    if len(run) <= MAX_SPLIT_RUN:
        for k in range(1, len(run) - 1):
            yield [run[:k], run[k:]]
        for k in range(len(run) - 2, 1, -1):
            yield [run[:k], run[k:]]


def _repair_pass(text: str, trusted: frozenset):
    pieces, plan, pos = [], [], 0
    for m in RUN_RE.finditer(text):
        if not maybe_garbled(m.group(0)):
            continue
        best = None
        for parts in _parts(m.group(0)):
            fixes = [(part, repair_run(part, trusted) if len(part) >= 2 else None) for part in parts]
            if any(fix for _, fix in fixes):
                best = fixes
                break
        if best is None:
            continue
        at = m.start()
        for part, fix in best:
            if fix is not None:
                pieces.append(text[pos:at])
                pieces.append(fix[1])
                plan.append((fix[0], part, fix[1]))
                pos = at + len(part)
            at += len(part)
    pieces.append(text[pos:])
    return "".join(pieces), plan


GARBLE_HINT = regex.compile(rb"(?:[\xe0-\xef][\x80-\xbf]{2}){2}")
# Whether LATIN_RUN matches, said the way the stdlib `re` scans fastest (for the rare
# Latin-1 character first): a run of two or more cp1252 characters holding a Latin-1 one
# is a Latin-1 one next to a cp1252 one (pinyin's hù has one, but between ASCII letters).
LATIN_PAIR = re.compile(rf"[\u0080-\u009f\u00a1-\u00ff](?:(?<=[{_CP1252}].)|(?=[{_CP1252}]))")


def could_be_mojibake(text: str) -> bool:
    """One cheap pass over the whole text: a Latin-1 run, or two UTF-8 characters in a
    row hiding in its GBK or Big5 bytes.  Clean articles skip the run-by-run work."""
    if LATIN_PAIR.search(text):
        return True
    return any(GARBLE_HINT.search(text.encode(enc, errors="ignore")) for enc in ("gb18030", "cp950"))


def repair(text: str, lossy: bool = False) -> Repaired:
    """Repair every mojibake run of `text`; mark what cannot be repaired as damaged.

    A second pass trusts the GBK-read-as-Latin-1 path for short runs (张 is two
    Latin-1 characters) once longer runs of the same text proved it.
    `lossy`: the text came through Big5, where `?` or `??` alone is a lost character
    that normalisation restores, not damage."""
    if not could_be_mojibake(text):
        spans = damaged_spans_of(text, lossy)
        return Repaired(text, 0, sum(e - s for s, e in spans), spans)
    repaired, plan = _repair_pass(text, frozenset())
    proven = frozenset(p for p, _, _ in plan if p.endswith("->gb18030"))
    if proven:
        repaired, more = _repair_pass(repaired, proven)
        plan += more
    spans = damaged_spans_of(repaired, lossy)
    return Repaired(repaired, len(plan), sum(e - s for s, e in spans), spans, tuple(plan))


def damaged_spans_of(text: str, lossy: bool = False) -> tuple[tuple[int, int], ...]:
    """Spans around suspicious characters, joined when they are a few characters apart.
    `lossy` (Big5 input): a lone `?` or `??` is a lost character, not damage."""
    spans: list[list[int]] = []
    for m in SUSPICIOUS.finditer(text):
        if spans and m.start() - spans[-1][1] <= 3 and DAMAGE_JOIN.fullmatch(text[spans[-1][1]:m.start()]):
            spans[-1][1] = m.end()
        else:
            spans.append([m.start(), m.end()])
    return tuple((a, b) for a, b in spans
                 if not (lossy and LOST.fullmatch(text[a:b])))
