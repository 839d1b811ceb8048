"""Normalise text for matching while keeping a map back to the original characters.

`AlignedText` holds the normalised text and, for every normalised character, the
half-open span `[start, end)` of original characters it came from, as runs (the model is
Hugging Face tokenizers' `NormalizedString`).  Each transform (width folding, pinyin
removal, OpenCC Traditional->Simplified) rewrites pieces and carries the spans along, so
`original[span_of(a, b)]` is always the evidence as written.
"""
from __future__ import annotations

import difflib
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property, lru_cache

import regex

from . import cache

FULLWIDTH = {ord(c): chr(ord(c) - 0xFEE0) for c in "０１２３４５６７８９．％－～：／＠＃＆＿＋＝"}
FULLWIDTH.update({cp: cp - 0xFEE0 for cp in list(range(0xFF21, 0xFF3B)) + list(range(0xFF41, 0xFF5B))})
FULLWIDTH.update({ord("\u3000"): " ", ord("\xa0"): " "})
# Keep Chinese clause punctuation: only digits and the marks numbers use are folded, and
# the full-width comma (12，345 too) is left to the callers' patterns.

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
# `?` stands for a tone-marked vowel lost in a re-encoding: 醫(y?) in a Big5 page.
SYLLABLE = (rf"(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?[aeiouv?{_TONED}]"
            rf"[a-z?{_TONED}]*?(?:n|ng|r)?[1-5]?")
# A reading: one or more pinyin syllables in parentheses right after a Han character.
PINYIN_RE = regex.compile(
    rf"(?<=\p{{Han}})(?:[(（](?P<py>{SYLLABLE}(?:[ ']?{SYLLABLE}){{0,3}})[)）])+",
    regex.IGNORECASE)
# Plain ASCII words that are real parenthesised content, not readings.
_NOT_READINGS = {"pci", "icu", "ct", "dr", "mri", "ecmo", "pet", "his", "ai", "ok"}
# PINYIN_RE states what a reading is; strip_pinyin runs it as the patterns below on the
# stdlib `re` (which scans for a character class ten times faster than `regex`): READINGS
# finds the runs of readings in one scan, the Han character before each is checked on
# its own, and only a run that is not all lower case is read back reading by reading.
READINGS = re.compile(rf"(?:[(（]{SYLLABLE}(?:[ ']?{SYLLABLE}){{0,3}}[)）])+", re.IGNORECASE)
READING = re.compile(r"[(（]([^)）]*)[)）]")
NOT_READING_RE = re.compile("[(（](?:" + "|".join(sorted(_NOT_READINGS)) + ")[)）]")
HAN_RE = regex.compile(r"\p{Han}")


Run = tuple[int, int, int, int, bool]  # normalised [start, end), original [lo, hi), 1:1?


@dataclass(frozen=True)
class AlignedText:
    """Normalised text plus, per character, its source span in the original.

    Kept as runs rather than one pair per character: a run is 1:1 (character i maps to
    `lo + i - start`) or collapsed (every character maps to the whole `[lo, hi)`), so
    an article that needs no rewriting costs a few tuples, not two arrays of its length.
    """

    text: str
    runs: tuple[Run, ...]

    @classmethod
    def identity(cls, text: str, offset: int = 0) -> "AlignedText":
        """Align `text`, which sits at `offset` in the original, to itself."""
        return cls(text, ((0, len(text), offset, offset + len(text), True),) if text else ())

    @cached_property
    def _run_starts(self) -> list[int]:
        return [r[0] for r in self.runs]

    def _at(self, i: int) -> tuple[int, int]:
        """Original (start, end) of normalised character `i`."""
        start, _, lo, hi, one_to_one = self.runs[bisect_right(self._run_starts, i) - 1]
        return (lo + i - start, lo + i - start + 1) if one_to_one else (lo, hi)

    def span_of(self, start: int, end: int) -> tuple[int, int]:
        """Original `[start, end)` covering normalised `[start, end)`."""
        if end <= start:
            raise ValueError(f"empty span {start}:{end}")
        return self._at(start)[0], self._at(end - 1)[1]

    @property
    def starts(self) -> list[int]:
        """Original start of every normalised character (for tests and debugging)."""
        return [self._at(i)[0] for i in range(len(self.text))]

    @property
    def ends(self) -> list[int]:
        return [self._at(i)[1] for i in range(len(self.text))]


def rewrite(aligned: AlignedText, pieces: list[tuple[int, int, str]]) -> AlignedText:
    """Replace non-overlapping normalised spans `(start, end, new)`, sorted by start.

    Every new character maps to the whole original span of what it replaced, so n:m
    rewrites stay traceable; a deletion maps nothing.  One sweep over runs and pieces.
    """
    if not pieces:
        return aligned
    old, runs, text = aligned.runs, [], []
    i = pos = shift = 0  # i: first run not yet copied past `pos`; shift: new - old offset

    def copy(a: int, b: int, to_shift: int) -> None:
        """Copy the runs of old [a, b) (a >= pos), moved by `to_shift`."""
        nonlocal i
        while i < len(old) and old[i][1] <= a:
            i += 1
        j = i
        while j < len(old) and old[j][0] < b:
            start, end, lo, hi, one_to_one = old[j]
            x, y = max(a, start), min(b, end)
            if x < y:
                if one_to_one:
                    lo, hi = lo + x - start, lo + y - start
                runs.append((x + to_shift, y + to_shift, lo, hi, one_to_one))
            j += 1

    for a, b, new in pieces:
        text.append(aligned.text[pos:a])
        while i < len(old) and old[i][1] <= pos:
            i += 1
        if i < len(old) and old[i][0] <= pos and a <= old[i][1] and old[i][4]:
            if pos < a:  # the commonest case, inline: [pos, a) lies in one 1:1 run
                start, _, lo, _, _ = old[i]
                runs.append((pos + shift, a + shift, lo + pos - start, lo + a - start, True))
        else:
            copy(pos, a, shift)
        if new:
            if len(new) == b - a:  # 1:1 keeps per-character precision
                copy(a, b, shift)
            else:
                lo, hi = aligned.span_of(a, b) if b > a else (aligned._at(a)[0],) * 2
                runs.append((a + shift, a + shift + len(new), lo, hi, False))
            text.append(new)
        shift += len(new) - (b - a)
        pos = b
    text.append(aligned.text[pos:])
    copy(pos, len(aligned.text), shift)
    return AlignedText("".join(text), tuple(runs))


WIDE_RE = re.compile("[" + "".join(re.escape(chr(c)) for c in FULLWIDTH) + "]+")


def _fold_run(m: re.Match) -> str:
    return m.group(0).translate(FULLWIDTH)


def fold(text: str) -> str:
    """`text` with full-width forms folded, run by run: `str.translate` over a whole
    Chinese text looks up every character, and most hold only a few such forms."""
    return WIDE_RE.sub(_fold_run, text)


def fold_width(aligned: AlignedText) -> AlignedText:
    """Full-width digits, `．`, `％` and ideographic spaces to ASCII (1:1)."""
    folded = fold(aligned.text)
    if folded == aligned.text:
        return aligned
    return AlignedText(folded, aligned.runs)


# A line wrapped by the width of a page (a report copied from a PDF or a print layout):
# it ends inside a sentence, and it and a neighbour are about as wide as a page's line.
WRAP_MIN = 36  # display columns (a Han character is two): narrower is a heading or a title
WRAP_SPREAD = 12  # columns a wrapped line's neighbour may differ from it by
_LINE_END = frozenset("。！？!?”」』）)…:：")  # a line that ends so ends its sentence
_LIST_START = re.compile(r"\s*(?:[(（]?[一二三四五六七八九十\d]{1,3}[)）、．.]|[●·•■◆▲★※-])")


def _columns(line: str) -> int:
    """Display width of `line`, near enough: one column for ASCII, two for a Han or
    full-width character (three bytes of UTF-8: the byte count tells, at C speed)."""
    return (len(line) + len(line.encode("utf-8", "surrogatepass"))) // 2


def unwrap(aligned: AlignedText) -> AlignedText:
    """Join the lines of a hard-wrapped text (约 22315人次 on the line after 年门诊): a
    line as wide as a page's, ending inside a sentence, among lines as wide (three of
    the five around it), joins the next line unless that is wider (a wrapped line is
    never followed by a longer one) or starts an item of a list."""
    lines = aligned.text.split("\n")
    if len(lines) < 4:
        return aligned
    widths: dict[int, int] = {}

    def width(j: int) -> int:
        if j not in widths:
            widths[j] = _columns(lines[j].strip())
        return widths[j]

    pieces, at = [], 0
    for i, line in enumerate(lines[:-1]):
        at += len(line) + 1  # the newline after this line
        if not i or len(line) * 2 < WRAP_MIN or line.rstrip()[-1:] in _LINE_END:
            continue  # most lines end a paragraph; the first is the headline, when there is one
        w = width(i)
        if (w >= WRAP_MIN and lines[i + 1].strip()
                and width(i + 1) <= w + WRAP_SPREAD and not _LIST_START.match(lines[i + 1])
                and sum(1 for j in range(max(0, i - 2), min(len(lines), i + 3))
                        if width(j) >= WRAP_MIN and abs(width(j) - w) <= WRAP_SPREAD) >= 3):
            pieces.append((at - 1, at, ""))
    return rewrite(aligned, pieces)


def is_reading(inner: str) -> bool:
    """Whether a parenthesised ASCII word is a pinyin reading (hù, xiàng) and not an
    abbreviation (PCI) or a real word."""
    low = inner.lower()
    if low in _NOT_READINGS or inner.isupper():
        return False
    return True


def strip_pinyin(aligned: AlignedText) -> AlignedText:
    """Remove pinyin readings inserted after Han characters: 守護(hù) -> 守護."""
    text, pieces = aligned.text, []
    for m in READINGS.finditer(text):
        p, run = m.start(), m.group(0)
        if not p or not ("\u4e00" <= text[p - 1] <= "\u9fff" or HAN_RE.match(text, p - 1)):  # the common block first
            continue
        if (not NOT_READING_RE.search(run) if run.islower()  # (hù)(yī): readings all
                else all(is_reading(py) for py in READING.findall(run))):
            pieces.append((p, m.end(), ""))
    return rewrite(aligned, pieces)


@lru_cache(maxsize=1)
def _converters():
    import opencc  # the `opencc` binding; loading its dictionaries costs ~50 ms

    return opencc.OpenCC("t2s"), opencc.OpenCC("hk2s")


def _changed_by(*converters) -> frozenset:
    """The Han characters (U+3400-U+9FFF) that any of `converters` changes on its own."""
    chars = [chr(cp) for cp in range(0x3400, 0xA000)]
    joined = "\n".join(chars)  # newlines keep phrase rules out
    outputs = [c.convert(joined).split("\n") for c in converters]
    return frozenset(ch for i, ch in enumerate(chars) if any(out[i] != ch for out in outputs))


def _opencc_version() -> str:
    import opencc

    return getattr(opencc, "__version__", "unknown")


@lru_cache(maxsize=1)
def _traditional_chars() -> frozenset:
    """Every character OpenCC's t2s or hk2s changes (about 4,000): a text with none of
    them is Simplified already and skips OpenCC altogether.  Kept in the cache: working
    it out runs OpenCC over 27,000 characters (30 ms of every start)."""
    return cache.cached(f"t2s-hk2s-{_opencc_version()}.pickle", lambda: _changed_by(*_converters()))


def _class_of(chars: frozenset) -> re.Pattern:
    """One character class of `chars`: a scan for any of them runs in C."""
    return re.compile("[" + "".join(sorted(chars)) + "]")


@lru_cache(maxsize=1)
def _traditional_re() -> re.Pattern:
    return _class_of(_traditional_chars())


@lru_cache(maxsize=1)
def _simplified_re() -> re.Pattern:
    return _class_of(_simplified_chars())


@lru_cache(maxsize=1)
def _simplified_chars() -> frozenset:
    """Every character OpenCC's s2t changes: Simplified-only forms (这, 医, 卫...)."""
    return cache.cached(f"s2t-{_opencc_version()}.pickle", lambda: _changed_by(_s2t()))


def has_traditional(text: str) -> bool:
    """Whether any character of `text` is one OpenCC would convert (one character-class scan)."""
    return _traditional_re().search(text) is not None


def to_simplified_str(text: str) -> str:
    """Traditional (incl. Hong Kong/Taiwan variants such as 衞, 牀) to Simplified.
    Line by line, only the lines that need it: OpenCC's phrases never span a line."""
    if not has_traditional(text):
        return text
    if "\n" in text:
        return "\n".join(map(to_simplified_str, text.split("\n")))
    t2s, hk2s = _converters()
    return hk2s.convert(t2s.convert(text))


def to_simplified(aligned: AlignedText) -> AlignedText:
    """OpenCC phrase conversion; 1:1 where lengths agree, n:m blocks aligned by diff."""
    src = aligned.text
    dst = to_simplified_str(src)
    if dst == src:
        return aligned
    if len(dst) == len(src):
        return AlignedText(dst, aligned.runs)
    pieces = []
    matcher = difflib.SequenceMatcher(None, src, dst, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op != "equal":
            pieces.append((a1, a2, dst[b1:b2]))
    return rewrite(aligned, pieces)


def script_of(text: str) -> str:
    """simplified, traditional or mixed: which characters OpenCC would change each way."""
    if not has_traditional(text):
        return "simplified"
    traditional = len(set(_traditional_re().findall(text)))
    simplified = len(set(_simplified_re().findall(text)))
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


LOST_RE = regex.compile(r"(?<=\p{Han})\?{1,2}(?=\p{Han}|\d|[，。、；：！”）])|(?<=[，。、；：！“（\n]|^)\?{1,2}(?=\p{Han})")
LOSSY_ENCODINGS = ("cp950", "big5", "big5hkscs")


@lru_cache(maxsize=1)
def _lost_in_big5() -> tuple[str, ...]:
    """Traditional characters OpenCC produces that Big5 cannot encode (牀, 爲, 羣, 裏...):
    what a `?` in a converted Big5 page stands for."""
    s2t = _s2t()
    lost = set()
    for hi in range(0xB0, 0xF8):  # the 6,763 characters of GB2312, in use every day
        row = bytes(b for lo in range(0xA1, 0xFF) for b in (hi, lo)).decode("gb2312", "ignore")
        for ch in s2t.convert(row):
            try:
                ch.encode("big5")  # Python's strict Big5, as converters use
            except UnicodeEncodeError:
                lost.add(ch)
    return tuple(sorted(lost))


def _word_freq(context: str) -> dict[str, int]:
    """jieba's word frequencies, as a plain dict that holds every word starting with a
    character of `context` (read from the cache as far as needed); jieba's own words
    only, whatever the rules add: a repair must not depend on which rules are loaded."""
    from .segment import prefix_dict

    return prefix_dict(None).need(context)


@lru_cache(maxsize=1)
def _lost_candidates() -> tuple[tuple[str, str], ...]:
    return tuple((c, to_simplified_str(c)) for c in _lost_in_big5())


@lru_cache(maxsize=1)
def _candidate_chars() -> str:
    return "".join(simple for _, simple in _lost_candidates())


@lru_cache(maxsize=1)
def _word_pairs() -> dict[str, tuple[tuple[str, str], ...]]:
    """For each first candidate, the second candidates whose pair is a dictionary key."""
    freq, cands = _word_freq(_candidate_chars()), _lost_candidates()
    return {a: tuple((b, sb) for b, sb in cands if sa + sb in freq) for a, sa in cands}


def _pair_fills(left: str, freq: dict[str, int]) -> list[tuple[str, str]]:
    """Candidate pairs for `??` that can score at all, in the order of all pairs.
    jieba's dictionary holds every prefix of its words, so a pair scores only if it is
    a key itself or its first character continues the left context into a key."""
    pairs, out = _word_pairs(), []
    for a, sa in _lost_candidates():
        if left[-1:] + sa in freq or left + sa in freq:
            out += [(a + b, sa + sb) for b, sb in _lost_candidates()]
        else:
            out += [(a + b, sa + sb) for b, sb in pairs[a]]
    return out


def restore_lost(aligned: AlignedText) -> AlignedText:
    """Guess each run of one or two `?` that stands for characters Big5 could not
    encode, by the jieba frequency of the words they would form with their neighbours.
    1:1, for matching only: the original keeps its `?`."""
    if "?" not in aligned.text:
        return aligned
    text = aligned.text
    chars = list(text)
    candidates = _lost_candidates()
    _word_freq(_candidate_chars())  # the words the candidates start, read once
    for m in LOST_RE.finditer(text):
        i, n = m.start(), len(m.group(0))
        left = to_simplified_str(text[max(0, i - 2):i])
        right = to_simplified_str(text[i + n:i + n + 2])
        freq = _word_freq(left)  # and those the left context starts: every word scored
        fills = candidates if n == 1 else _pair_fills(left, freq)
        best, best_score = None, 0
        for cand, simp in fills:
            words = [left[-1:] + simp, simp + right[:1], left + simp, simp + right,
                     left[-1:] + simp + right[:1]] + ([simp] if n == 2 else [])
            # how strongly the neighbours call for this character: the words it would
            # form, over how common the character is anyway (为 is everywhere, 床 is not)
            score = sum(freq.get(w, 0) * (len(w) - 1) for w in words) / max(1, freq.get(simp, 1)) ** 0.5
            if score > best_score:
                best, best_score = cand, score
        if best is not None and len(best) == n:
            chars[i:i + n] = best
    return AlignedText("".join(chars), aligned.runs)


def normalize(original: str, spans: list[tuple[int, int]], encoding: str = "") -> AlignedText:
    """Normalise the kept `spans` of `original`, joined by newlines, for matching.
    `encoding` tells whether a `?` may stand for a character lost in Big5."""
    text, runs, n = [], [], 0
    for start, end in spans:
        text += (original[start:end], "\n")
        runs += ((n, n + end - start, start, end, True), (n + end - start, n + end - start + 1, end, end, False))
        n += end - start + 1
    # readings out before the line widths are measured: a wrapped line with them looks wider
    joined = unwrap(strip_pinyin(fold_width(AlignedText("".join(text), tuple(runs)))))
    if encoding in LOSSY_ENCODINGS:
        joined = restore_lost(joined)
    return to_simplified(joined)


def normalize_str(text: str) -> str:
    """Normalise a free-standing string (a sentence given to `explain`, a rule example)."""
    return normalize(text, [(0, len(text))]).text.rstrip("\n")
