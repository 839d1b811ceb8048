"""Bytes to text, choosing the encoding by evidence and recording which one was used.

Order: BOM, a declared charset (HTML meta or HTTP-equiv; gb2312/gbk read as gb18030),
strict UTF-8, then GB18030 vs Big5 decided by charset-normalizer restricted to those
two (unrestricted it misreads short GBK).  Anything else is rejected with a reason.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import regex

ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "gb_2312-80": "gb18030", "x-gbk": "gb18030",
           "big5": "cp950", "big5-hkscs": "big5hkscs", "utf8": "utf-8", "cp936": "gb18030",
           "x-euc-tw": "cp950", "euc-cn": "gb18030"}
META_CHARSET = regex.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-]{2,20})""",
                             regex.IGNORECASE)
# Character classes run on the stdlib `re`, which scans for one three times faster.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# C0 control bytes (not tab, newline, carriage return): never part of a UTF-8, GB18030 or
# Big5 character, so removing them never breaks one.
CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# More control bytes than this among the first 64 KB, NUL padding aside: not text.
BINARY_SHARE = 0.10
HAN = regex.compile(r"\p{Han}")


class DecodeError(ValueError):
    """Raised with a reason code (`empty`, `binary`, `undecodable`, `no_chinese`)."""

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason, self.detail = reason, detail


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    controls: int = 0  # control bytes removed (a scraper's NUL padding): counted as damage


def canonical(name: str) -> str | None:
    """A Python codec for a declared charset name, or None if unknown."""
    name = name.strip().lower()
    name = ALIASES.get(name, name)
    try:
        codecs.lookup(name)
    except LookupError:
        return None
    return name


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in its first 4 KB."""
    m = META_CHARSET.search(data[:4096])
    return canonical(m.group(1).decode("ascii")) if m else None


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _han_share(text: str) -> float:
    return len(HAN.findall(text)) / max(1, len(text))


def _choose_cjk(data: bytes) -> tuple[str, str] | None:
    """GB18030 or Big5: the one that decodes strictly, or charset-normalizer's pick."""
    candidates = {enc: t for enc in ("gb18030", "cp950") if (t := _strict(data, enc)) is not None}
    if len(candidates) == 1:
        enc, text = next(iter(candidates.items()))
        return text, enc
    if not candidates:
        return None
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000], cp_isolation=["gb18030", "big5"]).best()
    if best is not None:
        enc = "cp950" if "big5" in best.encoding or best.encoding == "cp950" else "gb18030"
        return candidates[enc], enc
    enc = max(candidates, key=lambda e: _han_share(candidates[e]))
    return candidates[enc], enc


def decode(data: bytes, declared: str | None = None) -> Decoded:
    """Decode `data`; raise DecodeError when it is empty, binary or not text at all."""
    if not data.strip():
        raise DecodeError("empty", "the file has no content")
    text = encoding = None
    if data.startswith(codecs.BOM_UTF8):
        text, encoding = _strict(data[3:], "utf-8"), "utf-8-sig"
    elif data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        text, encoding = _strict(data, "utf-16"), "utf-16"
    controls = 0
    if text is None and CONTROL_BYTES.search(data):
        head = data[:65536].replace(b"\x00", b"")  # a scraper pads with runs of NUL
        share = len(CONTROL_BYTES.findall(head)) / max(1, len(head))
        if share > BINARY_SHARE:
            raise DecodeError("binary", f"{share:.0%} of the first 64 KB are control bytes: not a text file")
        cleaned = CONTROL_BYTES.sub(b"", data)
        controls = len(data) - len(cleaned)
        data = cleaned
    if text is None:
        declared = declared or declared_charset(data)
        if declared:
            text, encoding = _strict(data, declared), declared
    if text is None:
        text, encoding = _strict(data, "utf-8"), "utf-8"
    if text is None:
        picked = _choose_cjk(data)
        if picked:
            text, encoding = picked
    if text is None:
        # A lost or stray byte (a truncated file): decode leniently if the damage is
        # small, and say so; U+FFFD marks the damage for `repair`.
        bad = None
        for enc in ("utf-8", "gb18030"):
            lenient = data.decode(enc, errors="replace")
            bad = lenient.count("\ufffd")
            if bad <= max(2, len(lenient) // 500) and _han_share(lenient) > 0.2:
                text, encoding = lenient, f"{enc}+replace"
                break
        else:
            if controls:  # control bytes and undecodable content
                raise DecodeError("binary", f"{controls} control bytes and {bad} undecodable sequences "
                                            f"in {len(data)} bytes: not a text file")
            raise DecodeError("undecodable", f"not valid UTF-8, GB18030 or Big5 "
                                             f"({bad} bad sequences in {len(data)} bytes)")
    if len(CONTROL.findall(text[:20000])) > 0.01 * min(len(text), 20000) + 2:
        raise DecodeError("binary", "control characters throughout: not a text file")
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if not text.strip():
        raise DecodeError("empty", "only whitespace after decoding")
    if not HAN.search(text):
        raise DecodeError("no_chinese", "no Chinese characters in the decoded text")
    return Decoded(text, encoding, controls)
