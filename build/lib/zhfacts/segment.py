"""Sentences, clauses and tokens.  Quantities are recognised first and kept as one token.

Plain jieba splits quantities (`2.08` / `万张`, `七千` / `多名`); we cut the text at
the quantities that `numbers` found and run jieba, loaded once per process with the
domain dictionary of `rules/`, only on the text between them.  Extraction segments
only the pieces around trigger words whose token edges are not certain otherwise.
"""
from __future__ import annotations

import hashlib
import logging
import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from . import cache
from .numbers import Quantity, find_quantities

# ASCII `?` is left out: in scraped text it is mostly a lost character (mojibake).
SENTENCE_RE = re.compile(r"[^。！？!；;\n]+[。！？!；;]*")
# A character jieba keeps inside its word blocks (its `re_han_default`); it cuts its
# input at every other one, so a position next to one of those is always a token edge.
BLOCK_CHAR = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]")
# Clause breaks: Chinese commas and colons, an ASCII comma unless it is 12,345, and a
# space between two Chinese characters (lists laid out with spaces instead of commas).
CLAUSE_RE = re.compile(r"(?:[^，,：: ]|(?<=\d),(?=\d{3})|(?<![\u4e00-\u9fff]) | (?![\u4e00-\u9fff]))+[，,：: ]?")


class Clause(NamedTuple):
    """A clause of a sentence: offsets are into the normalised article text."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Sentence:
    """A sentence (or a bounded piece of one); clauses are cut on first use only, as
    most sentences hold no number and are never looked at again."""

    start: int
    end: int
    text: str

    @property
    def clauses(self) -> tuple[Clause, ...]:
        # Kept in the instance by hand: functools.cached_property takes a lock on
        # every first use in Python 3.11, and this runs for every candidate sentence.
        found = self.__dict__.get("_clauses")
        if found is None:
            found = tuple(Clause(self.start + c.start(), self.start + c.end(), c.group(0))
                          for c in CLAUSE_RE.finditer(self.text))
            self.__dict__["_clauses"] = found
            self.__dict__["_clause_starts"] = [c.start for c in found]
        return found

    def clause_at(self, i: int) -> Clause:
        """The clause holding sentence offset `i` (the last one if none does)."""
        clauses = self.clauses
        k = bisect_right(self.__dict__["_clause_starts"], self.start + i) - 1
        return clauses[k] if k >= 0 and self.start + i < clauses[k].end else clauses[-1]


MAX_SENTENCE = 400  # longer "sentences" are runs without stops: cut at clauses


def _pieces(body: str) -> Iterator[tuple[int, str]]:
    """(offset, text) pieces of a sentence no longer than MAX_SENTENCE, cut after a
    clause, so that all work per sentence stays bounded and the whole stays linear."""
    if len(body) <= MAX_SENTENCE:
        yield 0, body
        return
    start = 0
    while start < len(body):
        end = min(len(body), start + MAX_SENTENCE)
        if end < len(body):
            cut = max(body.rfind(p, start + MAX_SENTENCE // 4, end) for p in "，,、：: ")
            end = cut + 1 if cut > start else end
        yield start, body[start:end]
        start = end


def sentences(text: str, offset: int = 0) -> Iterator[Sentence]:
    """Sentences of `text` with their clauses; offsets shifted by `offset`."""
    for m in SENTENCE_RE.finditer(text):
        raw = m.group(0)
        lead = len(raw) - len(raw.lstrip())
        if not raw.strip():
            continue
        for at, body in _pieces(raw.strip()):
            start = offset + m.start() + lead + at
            yield Sentence(start, start + len(body), body)


def load_dictionary(tokenizer, path: Path) -> None:
    """Add the words of a jieba user dictionary, skipping `#` comment lines (which
    jieba's own `load_userdict` would add as words)."""
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        tag = parts[2] if len(parts) > 2 else None
        tokenizer.add_word(parts[0], freq, tag)


def import_jieba():
    """jieba, imported without `pkg_resources`: jieba asks for it only to open its own
    data files and falls back to a plain `open` without it, while importing it scans
    every installed distribution (60-90 ms of every start).  If something else in the
    process imported it already, nothing changes."""
    import sys

    if "jieba" not in sys.modules and "pkg_resources" not in sys.modules:
        sys.modules["pkg_resources"] = None  # makes `import pkg_resources` fail
        try:
            import jieba
        finally:
            del sys.modules["pkg_resources"]
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


class PrefixDict:
    """jieba's prefix dictionary (each word and each prefix of one, with its count), read
    from the cache one first character at a time.  A run meets a few hundred of its
    12,000 first characters, so a process starts in 4 ms instead of unpickling 500,000
    entries (0.17 s, paid again by every process that loads it)."""

    def __init__(self, total: int, entries: dict[str, int], unread: dict[str, bytes] | None = None):
        import threading

        self.total = total
        self.entries = entries  # what is read so far: a plain dict, for jieba's own lookups
        self._unread = unread or {}  # first character -> pickled entries starting with it
        self._lock = threading.Lock()  # threads of one Dask worker share the dictionary

    def need(self, text: str) -> dict[str, int]:
        """The entries, those starting with any character of `text` read: every key jieba
        looks up to segment `text` starts with one of them."""
        if self._unread:
            for ch in set(text):
                if ch in self._unread:
                    self._read(ch)
        return self.entries

    def _read(self, ch: str) -> None:
        import pickle

        with self._lock:
            if (part := self._unread.get(ch)) is not None:
                self.entries.update(pickle.loads(part))
                del self._unread[ch]  # only now: whoever finds it gone finds its entries

    def get(self, key: str, default: int | None = None) -> int | None:
        if key[:1] in self._unread:
            self._read(key[:1])
        return self.entries.get(key, default)

    def __contains__(self, key: str) -> bool:
        return self.get(key) is not None

    def __getitem__(self, key: str) -> int:
        if (value := self.get(key)) is None:
            raise KeyError(key)
        return value

    def complete(self) -> dict[str, int]:
        """Every entry (all read)."""
        return self.need("".join(list(self._unread)))

    def shards(self) -> dict[str, bytes]:
        """The entries pickled by first character: the form the cache keeps."""
        import pickle

        by_first: dict[str, dict[str, int]] = {}
        for word, count in self.complete().items():
            by_first.setdefault(word[:1], {})[word] = count
        return {ch: pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL) for ch, part in by_first.items()}


def load_prefix_dict(userdict: Path | None) -> PrefixDict:
    """jieba's prefix dictionary plus the words of the domain dictionary `userdict`.

    jieba rebuilds its dictionary from a marshal file on every start (0.5 s); we keep
    the finished one, domain words included, in the cache, keyed by jieba's version,
    its dictionary file and the domain dictionary's bytes, so any change to one of them
    builds a fresh entry.  A missing, stale or unreadable entry just means jieba's own
    loading, once."""
    jieba = import_jieba()
    dict_file = Path(jieba.__file__).with_name(jieba.DEFAULT_DICT_NAME)
    st = dict_file.stat()
    key = hashlib.sha1(repr(("shards-1", jieba.__version__, str(dict_file), st.st_size, st.st_mtime_ns)).encode()
                       + (userdict.read_bytes() if userdict else b"")).hexdigest()[:16]
    name = f"prefix-{key}.pickle"
    entry = cache.load(name)
    if isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[1], dict):
        return PrefixDict(entry[0], {}, entry[1])
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    if userdict:
        load_dictionary(tokenizer, userdict)
    words = PrefixDict(tokenizer.total, tokenizer.FREQ)
    cache.store(name, (words.total, words.shards()))
    return words


@lru_cache(maxsize=4)
def prefix_dict(userdict: str | None) -> PrefixDict:
    """One prefix dictionary per process and domain dictionary (None: jieba's words
    only, as the repair of lost characters scores them)."""
    return load_prefix_dict(Path(userdict) if userdict else None)


class Segmenter:
    """jieba with the domain dictionary, or rjieba when asked and installed."""

    def __init__(self, userdict: Path | None = None, backend: str = "jieba"):
        self.backend = backend
        if backend == "rjieba":
            import rjieba

            self._cut = rjieba.cut
            return
        words = prefix_dict(str(userdict) if userdict and userdict.exists() else None)
        tokenizer = import_jieba().Tokenizer()  # its own: jieba.dt stays as jieba made it
        tokenizer.FREQ, tokenizer.total, tokenizer.initialized = words.entries, words.total, True
        need, lcut = words.need, tokenizer.lcut

        def cut(text: str, hmm: bool = True) -> list[str]:
            need(text)
            return lcut(text, HMM=hmm)

        self._cut = cut

    def cut(self, text: str, hmm: bool = True) -> list[str]:
        """jieba's words of `text` (rjieba has no HMM switch)."""
        return self._cut(text, hmm) if self.backend == "jieba" else self._cut(text)

    def tokens(self, text: str, quantities: list[Quantity] | None = None) -> list[tuple[str, int]]:
        """(token, start) pairs; every quantity of `text` is a single token."""
        if quantities is None:
            quantities = find_quantities(text)
        out, pos = [], 0
        for q in quantities:
            out.extend(self._plain(text[pos:q.start], pos))
            out.append((q.text, q.start))
            pos = q.end
        out.extend(self._plain(text[pos:], pos))
        return out

    def _plain(self, text: str, offset: int) -> list[tuple[str, int]]:
        out, pos = [], offset
        for tok in self._cut(text) if text else ():
            out.append((tok, pos))
            pos += len(tok)
        return out


@lru_cache(maxsize=4)
def segmenter(userdict: str | None, backend: str = "jieba") -> Segmenter:
    """One segmenter per process and dictionary, and so one tokenizer and one prefix
    dictionary read as far as the articles needed it."""
    return Segmenter(Path(userdict) if userdict else None, backend)
