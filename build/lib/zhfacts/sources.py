"""Read dumps: files or folders of .txt/.html/.htm/.jsonl, each optionally .gz.

Yields one `RawArticle` per article, one at a time (a dump is never held in memory), or
a `Rejection` for input that cannot be read, so every input is accounted for.
"""
from __future__ import annotations

import hashlib
import json
import os
import zlib
from collections import namedtuple
from collections.abc import Iterator
from pathlib import Path

SUFFIXES = {".txt": "text", ".html": "html", ".htm": "html", ".jsonl": "jsonl",
            ".json": "jsonl", ".ndjson": "jsonl"}
JSON_TEXT_FIELDS = ("text", "content", "body")
JSON_HTML_FIELDS = ("html", "raw_html", "page")


class RawArticle(namedtuple("RawArticle", "source_file kind data text meta", defaults=(None, None, {}))):
    """One article as read: bytes (files) or text (JSON fields), and what we know of it.
    source_file: str; kind: "text" or "html"; data: bytes | None; text: str | None;
    meta: dict (url, title, ... from a JSON record; shared when empty: never mutated).
    Named tuples here and in Rejection: a re-run imports no dataclasses."""

    __slots__ = ()


class Rejection(namedtuple("Rejection", "source_file reason detail")):
    """An input that produced no article, with a reason code and a human detail."""

    __slots__ = ()


def raw_size(raw: RawArticle) -> int:
    """Bytes of an input (its text counted as 3 bytes a character, as in UTF-8 Chinese)."""
    return len(raw.data) if raw.data is not None else 3 * len(raw.text or "")


def raw_hash(raw: RawArticle) -> str:
    payload = raw.data if raw.data is not None else (raw.text or "").encode("utf-8")
    return hashlib.sha1(payload).hexdigest()


def kind_of(path: Path) -> tuple[str | None, bool]:
    """(kind, gzipped) from the file name: a.html.gz -> ("html", True)."""
    suffixes = [s.lower() for s in path.suffixes]
    gz = bool(suffixes) and suffixes[-1] == ".gz"
    if gz:
        suffixes = suffixes[:-1]
    return (SUFFIXES.get(suffixes[-1]) if suffixes else None), gz


def walk(dump: Path) -> Iterator[tuple[str, str, os.stat_result]]:
    """(absolute path, source_file relative to the dump root, stat) of every file,
    sorted, recursive; hidden files and folders are left out.  Plain strings and
    `os.scandir`: a re-run stats every file of the dump and opens none."""
    if dump.is_file():
        yield os.path.abspath(dump), dump.name, dump.stat()
        return
    yield from _walk(os.path.abspath(dump), "")


def _walk(folder: str, rel: str) -> Iterator[tuple[str, str, os.stat_result]]:
    # Names only are kept (a folder may hold a million files), each stat'ed when yielded.
    with os.scandir(folder) as it:
        entries = sorted((e.name, e.is_dir(), e.is_dir(follow_symlinks=False))
                         for e in it if not e.name.startswith("."))
    for name, is_dir, _ in entries:
        if not is_dir:
            path = os.path.join(folder, name)
            yield path, rel + name, os.stat(path)
    for name, _, real_dir in entries:
        if real_dir:  # as os.walk: linked folders are not entered
            yield from _walk(os.path.join(folder, name), f"{rel}{name}/")


def read_bytes(path: Path, gz: bool) -> bytes:
    if not gz:
        return path.read_bytes()
    import gzip

    with gzip.open(path, "rb") as fh:
        return fh.read()


def _json_lines(path: Path, gz: bool, name: str) -> Iterator[RawArticle | Rejection]:
    import gzip

    opener = gzip.open if gz else open
    try:
        with opener(path, "rb") as fh:
            for lineno, raw in enumerate(fh, start=1):
                yield _json_article(raw, f"{name}#{lineno}")
    except (OSError, EOFError, zlib.error) as exc:
        yield Rejection(name, "corrupt_archive", f"{type(exc).__name__}: {exc}")


def _json_article(raw: bytes, source_file: str) -> RawArticle | Rejection:
    if not raw.strip():
        return Rejection(source_file, "empty", "blank line")
    try:
        record = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return Rejection(source_file, "malformed_json", f"{exc}; fix the line or remove it")
    if not isinstance(record, dict):
        return Rejection(source_file, "malformed_json", f"expected an object, found {type(record).__name__}")
    meta = {k: str(record[k]) for k in ("url", "title", "published", "source", "author")
            if record.get(k)}
    for key in JSON_TEXT_FIELDS:
        if isinstance(record.get(key), str) and record[key].strip():
            return RawArticle(source_file, "text", text=record[key], meta=meta)
    for key in JSON_HTML_FIELDS:
        if isinstance(record.get(key), str) and record[key].strip():
            return RawArticle(source_file, "html", text=record[key], meta=meta)
    return Rejection(source_file, "no_text", f"no non-empty field among "
                                              f"{', '.join(JSON_TEXT_FIELDS + JSON_HTML_FIELDS)}")


def read_file(path: Path, name: str) -> Iterator[RawArticle | Rejection]:
    """The articles of one file (one, or one per JSON line), or Rejections."""
    kind, gz = kind_of(path)
    if kind is None:
        yield Rejection(name, "unsupported_type",
                        "not .txt, .html, .htm or .jsonl (optionally .gz)")
    elif kind == "jsonl":
        yield from _json_lines(path, gz, name)
    else:
        try:
            yield RawArticle(name, kind, data=read_bytes(path, gz))
        except (OSError, EOFError, zlib.error) as exc:
            yield Rejection(name, "corrupt_archive", f"{type(exc).__name__}: {exc}")
