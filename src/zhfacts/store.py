"""The SQLite store: articles, their sources, facts, reviews, rejects and runs.

One file (`output/zhfacts.sqlite`, WAL mode), one writer.  Each batch of articles is one
transaction that records the inputs it came from together with the facts, so a run
killed at any point resumes without losing or duplicating rows.  Reviews are keyed by
`fact_id` and never deleted by re-extraction: `reviews` holds each fact's decision in
force, `decisions` every decision ever made (time, reviewer, browser or csv), the
latest of which counts.
"""
from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from itertools import groupby
from operator import itemgetter
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    article_id TEXT PRIMARY KEY, source_file TEXT, title TEXT, source TEXT, published TEXT,
    author TEXT, url TEXT, encoding TEXT, script TEXT, repairs INTEGER, damaged INTEGER,
    chars INTEGER, original TEXT, normalized TEXT, body TEXT, simhash INTEGER,
    rules_version TEXT, added_run INTEGER, dropped INTEGER);
CREATE TABLE IF NOT EXISTS inputs (
    raw_hash TEXT PRIMARY KEY, source_file TEXT, article_id TEXT, reason TEXT, run_id INTEGER);
CREATE TABLE IF NOT EXISTS article_sources (
    article_id TEXT, source_file TEXT, relation TEXT, run_id INTEGER,
    PRIMARY KEY (article_id, source_file));
CREATE TABLE IF NOT EXISTS facts (
    fact_id TEXT PRIMARY KEY, article_id TEXT, metric TEXT, value REAL, value_max REAL,
    unit TEXT, qualifier TEXT, status TEXT, evidence TEXT, start INTEGER, "end" INTEGER,
    rule_id TEXT, rules_version TEXT, seq INTEGER, province TEXT, city TEXT, county TEXT,
    adcode TEXT, place_from TEXT, period TEXT, period_from TEXT);
CREATE INDEX IF NOT EXISTS facts_article ON facts(article_id);
CREATE TABLE IF NOT EXISTS reviews (
    fact_id TEXT PRIMARY KEY, review TEXT, note TEXT, updated REAL, article_id TEXT,
    source_file TEXT, metric TEXT, value REAL, evidence TEXT);
CREATE TABLE IF NOT EXISTS decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT, fact_id TEXT, review TEXT, note TEXT, at REAL,
    reviewer TEXT, source TEXT, action TEXT, undone INTEGER DEFAULT 0);
CREATE INDEX IF NOT EXISTS decisions_fact ON decisions(fact_id, id);
CREATE TABLE IF NOT EXISTS exported_reviews (fact_id TEXT PRIMARY KEY, review TEXT, note TEXT);
CREATE TABLE IF NOT EXISTS rejects (
    source_file TEXT PRIMARY KEY, reason TEXT, detail TEXT, run_id INTEGER);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS fact_groups (fact_id TEXT PRIMARY KEY, fact_group TEXT);
CREATE TABLE IF NOT EXISTS input_log (
    source_file TEXT PRIMARY KEY, outcome TEXT, article_id TEXT, reason TEXT,
    first_seen TEXT, last_seen TEXT);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, inputs INTEGER, run_id INTEGER);
CREATE TABLE IF NOT EXISTS simbands (band INTEGER, value INTEGER, article_id TEXT, simhash INTEGER);
CREATE INDEX IF NOT EXISTS simbands_key ON simbands(band, value);
CREATE TABLE IF NOT EXISTS runs (
    run_id INTEGER PRIMARY KEY AUTOINCREMENT, started REAL, finished REAL, dumps TEXT,
    rules_version TEXT, counts TEXT, rules_folder TEXT);
"""


# A fact row: its 14 columns of old and the 7 of its place and period (PLACE_COLUMNS).
FACT_INSERT = f"INSERT OR REPLACE INTO facts VALUES ({','.join('?' * 21)})"
# What became of an input that duplicates a stored article, by the relation recorded.
OUTCOMES = {"same text": "same_article", "near duplicate": "near_duplicate"}
LOG_UPSERT = ("INSERT INTO input_log VALUES (?,?,?,?,?,?) ON CONFLICT(source_file) DO UPDATE SET "
              "outcome=excluded.outcome, article_id=excluded.article_id, reason=excluded.reason, "
              "last_seen=excluded.last_seen")


def _groups(reports: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(fact_id, group) for the reports of one figure: reports join when one place key is
    a prefix of the other (or both are unknown); a group is named by its first fact_id.
    Places are joined, not reports: a figure reported a thousand times from a dozen
    places costs a dozen squared steps."""
    keys = list(dict.fromkeys(key for _, key in reports))
    parent = list(range(len(keys)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(keys):
        for j in range(i):
            b = keys[j]
            if a.startswith(b) or b.startswith(a) if a and b else a == b:
                parent[root(i)] = root(j)
    index = {key: i for i, key in enumerate(keys)}
    first: dict[int, str] = {}
    for fact_id, key in reports:  # in fact_id order: each group's first fact names it
        first.setdefault(root(index[key]), fact_id)
    return [(fact_id, "g" + first[root(index[key])]) for fact_id, key in reports]


def _now() -> str:
    """This moment in UTC, to the second, as ISO 8601 (first_seen and last_seen)."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


# Files a finished run read completely: only those may be skipped by size and mtime.
FINISHED_FILES = "FROM files f JOIN runs r ON f.run_id = r.run_id WHERE r.finished IS NOT NULL"


class Store:
    """Thin layer over sqlite3: every method is one statement or one transaction."""

    def __init__(self, path: str | Path, threads: bool = False):
        """`threads`: the connection may be used from several threads, one at a time
        (the review server serialises its requests' store calls with a lock)."""
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=not threads)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)
        columns = {r[1] for r in self.db.execute("PRAGMA table_info(files)")}
        if "run_id" not in columns:  # a store from before files had a run
            self.db.execute("ALTER TABLE files ADD COLUMN run_id INTEGER")
        if "dropped" not in {r[1] for r in self.db.execute("PRAGMA table_info(articles)")}:
            self.db.execute("ALTER TABLE articles ADD COLUMN dropped INTEGER")  # an older store
        fact_columns = {r[1] for r in self.db.execute("PRAGMA table_info(facts)")}
        for column in PLACE_COLUMNS:
            if column not in fact_columns:  # a store from before facts had places
                self.db.execute(f"ALTER TABLE facts ADD COLUMN {column} TEXT")
        # A store from before refresh_groups sorted the facts once: the index cost every insert more.
        self.db.execute("DROP INDEX IF EXISTS facts_figure")
        if "rules_folder" not in {r[1] for r in self.db.execute("PRAGMA table_info(runs)")}:
            self.db.execute("ALTER TABLE runs ADD COLUMN rules_folder TEXT")

    def close(self) -> None:
        self.db.close()

    # -- runs ---------------------------------------------------------------------------
    def start_run(self, dumps: list[str], rules_version: str, rules_folder: str = "") -> int:
        cur = self.db.execute("INSERT INTO runs(started, dumps, rules_version, rules_folder) VALUES (?,?,?,?)",
                              (time.time(), json.dumps(dumps, ensure_ascii=False), rules_version,
                               str(Path(rules_folder).resolve()) if rules_folder else ""))
        return cur.lastrowid

    def finish_run(self, run_id: int, counts: dict) -> None:
        self.db.execute("UPDATE runs SET finished=?, counts=? WHERE run_id=?",
                        (time.time(), json.dumps(counts), run_id))

    def last_rules_version(self) -> str | None:
        row = self.db.execute("SELECT rules_version FROM articles LIMIT 1").fetchone()
        return row[0] if row else None

    # -- inputs and articles ------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?,?)", (key, value))

    def known_files(self, paths: list[str]) -> dict[str, tuple[int, int, int]]:
        """path -> (size, mtime_ns, inputs) of those of `paths` read completely by a run
        that finished: one query for a folder's worth of files."""
        found = {}
        for i in range(0, len(paths), 500):
            chunk = paths[i:i + 500]
            found.update((p, (size, mtime, n)) for p, size, mtime, n in self.db.execute(
                f"SELECT f.path, f.size, f.mtime_ns, f.inputs {FINISHED_FILES} "
                f"AND f.path IN ({','.join('?' * len(chunk))})", chunk))
        return found

    def has_known_files(self) -> bool:
        """Whether any file was read completely by a run that finished."""
        return self.db.execute(f"SELECT 1 {FINISHED_FILES} LIMIT 1").fetchone() is not None

    # Lookups by key, not sets in memory: memory stays flat however large the store.
    def has_input(self, raw_hash: str) -> bool:
        return self.db.execute("SELECT 1 FROM inputs WHERE raw_hash=?", (raw_hash,)).fetchone() is not None

    def has_article(self, article_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM articles WHERE article_id=?", (article_id,)).fetchone() is not None

    def near_match(self, h: int, max_bits: int = 3) -> str | None:
        """A stored article whose simhash is within `max_bits` of `h` (4 bands of 16
        bits: any such pair shares a band)."""
        keys = [x for band in range(4) for x in (band, h >> (16 * band) & 0xFFFF)]
        for article_id, other in self.db.execute(
                "SELECT article_id, simhash FROM simbands WHERE (band=? AND value=?) OR "
                "(band=? AND value=?) OR (band=? AND value=?) OR (band=? AND value=?)", keys):
            if bin(h ^ (other & ((1 << 64) - 1))).count("1") <= max_bits:
                return article_id
        return None

    def write_batch(self, batch: Iterable[tuple], run_id: int, rules_version: str,
                    files: Iterable[tuple[str, int, int, int]] = ()) -> None:
        """Write one batch in one transaction.  Items are
        ("article", raw_hash, article, facts), ("duplicate", raw_hash, source_file,
        article_id, relation), ("reject", raw_hash, rejection) or ("seen", raw_hash,
        source_file) for bytes stored before.  Every item is a row of the input log.
        `files` read completely are recorded too; they count once this run has finished."""
        articles, facts, bands, sources, inputs, rejects = [], [], [], [], [], []
        log, seen, now = [], [], _now()
        for item in batch:
            kind = item[0]
            if kind == "article":
                _, raw_hash, a, article_facts = item
                articles.append((a.article_id, a.source_file, a.title, a.source, a.published, a.author,
                                 a.url, a.encoding, a.script, a.repairs, a.damaged, a.chars, a.original,
                                 a.normalized, json.dumps(a.body), _signed(a.simhash), rules_version, run_id,
                                 a.dropped))
                bands += [(band, a.simhash >> (16 * band) & 0xFFFF, a.article_id, _signed(a.simhash))
                          for band in range(4)]
                facts += _fact_rows(a.article_id, article_facts, rules_version)
                sources.append((a.article_id, a.source_file, "original", run_id))
                inputs.append((raw_hash, a.source_file, a.article_id, None, run_id))
                log.append((a.source_file, "article", a.article_id, None, now, now))
            elif kind == "duplicate":
                _, raw_hash, source_file, article_id, relation = item
                sources.append((article_id, source_file, relation, run_id))
                inputs.append((raw_hash, source_file, article_id, None, run_id))
                log.append((source_file, OUTCOMES[relation], article_id, None, now, now))
            elif kind == "seen":
                _, raw_hash, source_file = item
                seen.append((source_file, now, now, raw_hash))
            else:
                _, raw_hash, rej = item
                rejects.append((rej.source_file, rej.reason, rej.detail, run_id))
                if raw_hash:
                    inputs.append((raw_hash, rej.source_file, None, rej.reason, run_id))
                log.append((rej.source_file, "rejected", None, rej.reason, now, now))
        with self.transaction():  # one statement per table, all or nothing
            self.db.executemany("INSERT OR REPLACE INTO files VALUES (?,?,?,?,?)",
                                [(*f, run_id) for f in files])
            self.db.executemany(f"INSERT OR REPLACE INTO articles VALUES ({','.join('?' * 19)})", articles)
            self.db.executemany("INSERT INTO simbands VALUES (?,?,?,?)", bands)
            self.db.executemany("DELETE FROM facts WHERE article_id=?", [(a[0],) for a in articles])
            self.db.executemany(FACT_INSERT, facts)
            self.db.executemany("INSERT OR IGNORE INTO article_sources VALUES (?,?,?,?)", sources)
            self.db.executemany("INSERT OR REPLACE INTO inputs VALUES (?,?,?,?,?)", inputs)
            self.db.executemany("INSERT OR REPLACE INTO rejects VALUES (?,?,?,?)", rejects)
            self.db.executemany(LOG_UPSERT, log)
            # Bytes stored before, under this or another name: the article (or reason) of
            # the first input with them; an input already logged keeps its outcome.
            self.db.executemany(
                "INSERT INTO input_log SELECT ?, 'same_content', article_id, reason, ?, ? FROM inputs "
                "WHERE raw_hash=? ON CONFLICT(source_file) DO UPDATE SET last_seen=excluded.last_seen", seen)
            if articles or sources or rejects or log or seen:
                self._mark_exports_stale()

    def input_rows(self) -> Iterator[sqlite3.Row]:
        return _rows(self.db, "SELECT source_file, outcome, article_id, reason, first_seen, last_seen "
                              "FROM input_log ORDER BY source_file")

    def transaction(self):
        return _Transaction(self.db)

    # Every write to what the CSV tables show marks them stale in its own transaction, and
    # only a finished export clears the mark: a run stopped between its last write and
    # the end of its export (Ctrl-C, a kill) leaves the mark for the next run to act on.
    def _mark_exports_stale(self) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('exports_stale', '1')")

    def exports_stale(self) -> bool:
        return self.get_meta("exports_stale") == "1"

    def exports_written(self, facts_csv_stamp: str, reviews: dict[str, tuple[str, str]] | None = None) -> None:
        """Clear the stale mark; remember facts.csv's stamp and the decisions it holds."""
        with self.transaction():
            self.set_meta("facts_csv_stamp", facts_csv_stamp)
            if reviews is not None:
                self.db.execute("DELETE FROM exported_reviews")
                self.db.executemany("INSERT INTO exported_reviews VALUES (?,?,?)",
                                    [(f, r, n) for f, (r, n) in reviews.items()])
                self.set_meta("reviews_exported", "1")
            self.db.execute("DELETE FROM meta WHERE key='exports_stale'")

    def _replace_facts(self, article_id: str, facts, rules_version: str) -> None:
        reviewed = self.db.execute(
            "SELECT f.fact_id, f.metric, f.value, f.value_max, f.status FROM facts f "
            "JOIN reviews r USING(fact_id) WHERE f.article_id=?", (article_id,)).fetchall()
        self.db.execute("DELETE FROM facts WHERE article_id=?", (article_id,))
        self.db.executemany(FACT_INSERT, _fact_rows(article_id, facts, rules_version))
        if reviewed:
            self._follow(reviewed, facts)

    def _follow(self, reviewed: list, facts) -> None:
        """Decisions follow their figure: a reviewed fact the new extraction no longer has,
        whose figure (metric, value, status) it now reads at another place of the same
        article (a headline's figure kept at the body's mention), hands its decision and
        history to that fact, when exactly one such fact is there and has none of its own."""
        new_ids = {f.fact_id for f in facts}
        gone = [r for r in reviewed if r[0] not in new_ids]
        if not gone or not new_ids:
            return
        decided = {r[0] for r in self.db.execute(
            f"SELECT fact_id FROM reviews WHERE fact_id IN ({','.join('?' * len(new_ids))})", tuple(new_ids))}
        for old_id, *figure in gone:
            same = [f for f in facts if [f.metric, f.value, f.value_max, f.status] == figure
                    and f.fact_id not in decided]
            if len(same) != 1:
                continue  # none, or several: the decision waits in orphaned_reviews.csv
            new = same[0]
            self.db.execute("UPDATE reviews SET fact_id=?, evidence=? WHERE fact_id=?", (new.fact_id, new.evidence, old_id))
            self.db.execute("UPDATE decisions SET fact_id=? WHERE fact_id=?", (new.fact_id, old_id))
            self.db.execute("UPDATE OR REPLACE exported_reviews SET fact_id=? WHERE fact_id=?", (new.fact_id, old_id))
            decided.add(new.fact_id)

    # -- re-extraction ------------------------------------------------------------------
    def article_id_chunks(self, size: int) -> Iterator[list[str]]:
        ids = [r[0] for r in self.db.execute("SELECT article_id FROM articles ORDER BY rowid")]
        for i in range(0, len(ids), size):
            yield ids[i:i + size]

    def stored_articles(self, ids: list[str]) -> list[tuple[str, str, str, str, str, str, str]]:
        """(article_id, original, body spans as JSON, encoding, published, source, url) of the given articles."""
        marks = ",".join("?" * len(ids))
        return self.db.execute(f"SELECT article_id, original, body, encoding, published, source, url FROM articles "
                               f"WHERE article_id IN ({marks}) ORDER BY rowid", ids).fetchall()

    def replace_facts(self, items: Iterable[tuple[str, list]], rules_version: str) -> None:
        with self.transaction():
            for article_id, facts in items:
                self._replace_facts(article_id, facts, rules_version)
                self.db.execute("UPDATE articles SET rules_version=? WHERE article_id=?",
                                (rules_version, article_id))
            self._mark_exports_stale()

    # -- reviews ------------------------------------------------------------------------
    def save_reviews(self, decisions: list[dict], reviewer: str = "", source: str = "csv") -> int:
        """Store reviewer decisions by fact_id, each also in the history with its time,
        reviewer and source (`csv` or `browser`); a blank decision clears an earlier one."""
        now = time.time()
        with self.transaction():
            for d in decisions:
                self._record(d["fact_id"], d["review"], d["note"], now, reviewer, source,
                             "decide" if d["review"] or d["note"] else "clear")
            if decisions:
                self._mark_exports_stale()
        return len(decisions)

    def _record(self, fact_id: str, review: str, note: str, now: float, reviewer: str, source: str,
                action: str) -> None:
        """Make (review, note) the fact's decision in force and add it to the history."""
        self._set_review(fact_id, review, note, now)
        self.db.execute("INSERT INTO decisions(fact_id, review, note, at, reviewer, source, action) "
                        "VALUES (?,?,?,?,?,?,?)", (fact_id, review, note, now, reviewer, source, action))

    def _set_review(self, fact_id: str, review: str, note: str, now: float) -> None:
        """Make (review, note) the fact's decision in force; blank both to clear it."""
        if not review and not note:
            self.db.execute("DELETE FROM reviews WHERE fact_id=?", (fact_id,))
            return
        fact = self.db.execute(
            "SELECT f.article_id, a.source_file, f.metric, f.value, f.evidence FROM facts f "
            "JOIN articles a USING(article_id) WHERE fact_id=?", (fact_id,)).fetchone()
        old = self.db.execute("SELECT article_id, source_file, metric, value, evidence "
                              "FROM reviews WHERE fact_id=?", (fact_id,)).fetchone()
        context = fact or old or (None,) * 5
        self.db.execute("INSERT OR REPLACE INTO reviews VALUES (?,?,?,?,?,?,?,?,?)",
                        (fact_id, review, note, now, *context))

    def undo_review(self, fact_id: str, reviewer: str = "", source: str = "browser") -> tuple[str, str] | None:
        """Take back the latest decision on a fact not taken back yet: the one before it
        (or none) is in force again, and the history records the undo.  None when there
        is nothing to undo."""
        now = time.time()
        with self.transaction():
            rows = self.db.execute("SELECT id, review, note FROM decisions WHERE fact_id=? AND action != 'undo' "
                                   "AND undone=0 ORDER BY id DESC LIMIT 2", (fact_id,)).fetchall()
            if not rows:
                return None
            self.db.execute("UPDATE decisions SET undone=1 WHERE id=?", (rows[0][0],))
            review, note = (rows[1][1], rows[1][2]) if len(rows) > 1 else ("", "")
            self._record(fact_id, review, note, now, reviewer, source, "undo")
            self._mark_exports_stale()
        return review, note

    def history(self, fact_id: str) -> list[dict]:
        """Every decision on a fact, oldest first."""
        return [dict(zip(("review", "note", "at", "reviewer", "source", "action", "undone"), r))
                for r in self.db.execute("SELECT review, note, at, reviewer, source, action, undone FROM decisions "
                                         "WHERE fact_id=? ORDER BY id", (fact_id,))]

    def review(self, fact_id: str) -> tuple[str, str]:
        """(review, note) in force for one fact; ("", "") when there is none."""
        row = self.db.execute("SELECT review, note FROM reviews WHERE fact_id=?", (fact_id,)).fetchone()
        return (row[0] or "", row[1] or "") if row else ("", "")

    def reviews(self) -> dict[str, tuple[str, str]]:
        return {f: (r, n) for f, r, n in self.db.execute("SELECT fact_id, review, note FROM reviews")}

    def exported_reviews(self) -> dict[str, tuple[str, str]] | None:
        """The decisions as the last export wrote them into facts.csv (None before any
        export that recorded them): a spreadsheet's row that still says this is no
        decision of the spreadsheet's."""
        if self.get_meta("reviews_exported") != "1":
            return None
        return {f: (r, n) for f, r, n in self.db.execute("SELECT fact_id, review, note FROM exported_reviews")}

    # -- exports ------------------------------------------------------------------------
    def fact_rows(self) -> Iterator[sqlite3.Row]:
        return _rows(self.db, FACT_ROWS.format(where=""))

    def refresh_groups(self) -> None:
        """Give facts of different articles that report one figure the same `fact_group`:
        same metric, value and period, and a place that is the same or inside the other's
        (a county's figure and its city's report of it).  The facts are read once, sorted
        by figure (SQLite's sorter spills to disk: memory stays bounded), one figure's
        reports at a time; only figures reported more than once are stored, a fact alone
        in its group is its own (FACT_ROWS names it).  Sorting on every export costs
        less than an index kept on every insert."""
        with self.transaction():
            self.db.execute("DELETE FROM fact_groups")
            batch = []
            for _, rows in groupby(self.db.execute(FIGURES), key=itemgetter(1, 2, 3, 4)):  # metric, value, value_max, period
                reports = [(fact_id, place) for fact_id, *_, place in rows]
                if len(reports) > 1:
                    batch += _groups(reports)
                if len(batch) >= 5000:
                    self.db.executemany("INSERT INTO fact_groups VALUES (?,?)", batch)
                    batch = []
            self.db.executemany("INSERT INTO fact_groups VALUES (?,?)", batch)

    def count_facts(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM facts").fetchone()[0]

    def fact_row_parts(self, k: int) -> list[Callable[[], Iterator[sqlite3.Row]]]:
        """`fact_rows` in `k` consecutive parts, cut between source files, each read over
        a read-only connection of its own: another process can write each part."""
        n = self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        cuts = [self.db.execute("SELECT source_file FROM articles ORDER BY source_file LIMIT 1 OFFSET ?",
                                (n * i // k,)).fetchone() for i in range(1, k)]
        bounds = [None, *(c[0] if c else None for c in cuts), None]
        return [partial(_fact_rows_between, self.path, lo, hi) for lo, hi in zip(bounds, bounds[1:])]

    def article_rows(self) -> Iterator[sqlite3.Row]:
        return _rows(self.db, ARTICLE_ROWS)

    def reject_rows(self) -> Iterator[sqlite3.Row]:
        return _rows(self.db, "SELECT source_file, reason, detail FROM rejects ORDER BY source_file")

    def orphaned_review_rows(self) -> Iterator[sqlite3.Row]:
        return _rows(
            self.db,
            "SELECT r.fact_id, r.article_id, r.source_file, r.metric, r.value, r.evidence, "
            "r.review, r.note FROM reviews r LEFT JOIN facts f USING(fact_id) "
            "WHERE f.fact_id IS NULL ORDER BY r.source_file")

    def stats(self) -> list[dict]:
        """Per metric: facts, reviewed, ok, wrong, corrected and reviewer precision."""
        out = []
        for metric, facts, reviewed, ok, wrong in self.db.execute(
                "SELECT f.metric, COUNT(*), COUNT(r.review), "
                "SUM(lower(r.review)='ok'), SUM(lower(r.review)='wrong') "
                "FROM facts f LEFT JOIN reviews r ON r.fact_id=f.fact_id AND r.review != '' "
                "GROUP BY f.metric ORDER BY f.metric"):
            ok, wrong = ok or 0, wrong or 0
            corrected = reviewed - ok - wrong
            out.append({"metric": metric, "facts": facts, "reviewed": reviewed, "ok": ok,
                        "wrong": wrong, "corrected": corrected,
                        "precision": (ok / reviewed) if reviewed else None})
        return out

    def counts(self) -> dict:
        q = lambda sql: self.db.execute(sql).fetchone()[0]
        return {"articles": q("SELECT COUNT(*) FROM articles"), "facts": q("SELECT COUNT(*) FROM facts"),
                "rejects": q("SELECT COUNT(*) FROM rejects"), "reviews": q("SELECT COUNT(*) FROM reviews")}


class _Transaction:
    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, exc_type, exc, tb):
        self.db.execute("COMMIT" if exc_type is None else "ROLLBACK")
        return False


PLACE_COLUMNS = ("province", "city", "county", "adcode", "place_from", "period", "period_from")
ARTICLE_ROWS = ("SELECT a.article_id, a.source_file, a.title, a.source, a.published, a.author, "
                "a.encoding, a.chars, (SELECT COUNT(*) FROM facts f WHERE f.article_id=a.article_id) "
                "AS facts, a.script, a.repairs, a.damaged, a.dropped, (SELECT group_concat(s.source_file, ' | ') "
                "FROM article_sources s WHERE s.article_id=a.article_id) AS sources "
                "FROM articles a ORDER BY a.source_file")
# A fact's place as a prefix of the codes inside it: 53 for 云南省, 5309 for 临沧市, 530925
# for 双江县; 全国 and 国外 as themselves; "" where unknown (worked out by SQLite, row by row).
PLACE_KEY = ("CASE WHEN adcode IS NULL OR adcode = '' THEN COALESCE(province, '') "
             "WHEN adcode LIKE '%0000' THEN substr(adcode, 1, 2) "
             "WHEN adcode LIKE '%00' THEN substr(adcode, 1, 4) ELSE adcode END")
# Every fact in figure order (metric, value, value_max, period), then by fact_id: each
# figure's reports in a row, with their places' keys, as refresh_groups reads them.
FIGURES = (f"SELECT fact_id, metric, value, value_max, period, {PLACE_KEY} FROM facts "
           "ORDER BY metric, value, value_max, period, fact_id")
FACT_ROWS = ('SELECT f.fact_id, f.article_id, a.source_file, a.title, a.published, f.metric, '
             'f.value, f.value_max, f.unit, f.qualifier, f.status, f.evidence, f.start, f."end", '
             'f.rule_id, f.province, f.city, f.county, f.adcode, f.place_from, f.period, f.period_from, '
             "COALESCE(g.fact_group, 'g' || f.fact_id) AS fact_group, "
             'r.review, r.note FROM facts f JOIN articles a USING(article_id) '
             'LEFT JOIN fact_groups g USING(fact_id) '
             'LEFT JOIN reviews r USING(fact_id) {where} ORDER BY a.source_file, f.seq')


def _rows(db: sqlite3.Connection, sql: str, params: tuple = ()) -> Iterator[sqlite3.Row]:
    """Rows of a query, streamed, readable by position and by column name."""
    cur = db.cursor()
    cur.row_factory = sqlite3.Row
    return cur.execute(sql, params)


def _fact_rows_between(path: Path, lo: str | None, hi: str | None) -> Iterator[sqlite3.Row]:
    """The fact rows of articles with lo <= source_file < hi (None: no bound)."""
    where = " AND ".join(c for c, b in (("a.source_file >= ?", lo), ("a.source_file < ?", hi)) if b is not None)
    db = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        yield from _rows(db, FACT_ROWS.format(where=f"WHERE {where}" if where else ""),
                         tuple(b for b in (lo, hi) if b is not None))
    finally:
        db.close()


def _fact_rows(article_id: str, facts, rules_version: str) -> list[tuple]:
    return [(f.fact_id, article_id, f.metric, f.value, f.value_max, f.unit, f.qualifier,
             f.status, f.evidence, f.start, f.end, f.rule_id, rules_version, i, f.province, f.city,
             f.county, f.adcode, f.place_from, f.period, f.period_from)
            for i, f in enumerate(facts)]


def _signed(value: int) -> int:
    """SQLite integers are signed 64-bit; store a 64-bit simhash as such."""
    return value - (1 << 64) if value >= (1 << 63) else value

