"""Run the pipeline: dumps -> articles -> facts -> store -> CSV exports.

The per-article stages are pure functions in `pipeline` (a process pool or a Dask
worker runs them); `ingest` owns the store, skips what it has seen, detects duplicates
and near-duplicates, writes in batches and rewrites the CSV exports at the end.
"""
from __future__ import annotations

import gc
import itertools
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .rulesource import RuleSource
from .sources import RawArticle, Rejection, kind_of, raw_hash, raw_size, read_file, walk
from .store import Store

BATCH = 64
# A round trip to a worker takes at most CHUNK articles or CHUNK_BYTES of input, so that
# a chunk of long articles still ends in a fraction of a second (Ctrl-C waits for the
# chunks in hand).  16 -> 32 articles saved 15-20 ms of 1.6 s (2,000 articles, 2 cores).
CHUNK = 32
CHUNK_BYTES = 512 * 1024


class Summary:
    """Counts of one ingest run, printed at the end and stored with the run.
    (engine, sources and the store import no dataclasses: a re-run that finds nothing
    new starts in a few tens of milliseconds.)"""

    def __init__(self):
        self.inputs = self.articles = self.skipped = self.duplicates = 0
        self.near_duplicates = self.rejects = self.facts = self.reextracted = 0

    def line(self) -> str:
        return (f"{self.inputs} inputs: {self.articles} new articles, {self.facts} facts, "
                f"{self.skipped} already seen, {self.duplicates} duplicates, "
                f"{self.near_duplicates} near-duplicates, {self.rejects} rejected"
                + (f"; {self.reextracted} articles re-extracted" if self.reextracted else ""))


class FileTracker:
    """Files read completely in this run, and those unchanged since a finished run
    (same size and modification time): an unchanged file is not even opened."""

    def __init__(self, lookup: Callable[[list[str]], dict[str, tuple[int, int, int]]]):
        self.lookup = lookup  # Store.known_files
        self.done: list[tuple[str, int, int, int]] = []
        self.skipped_inputs = 0

    def take_done(self) -> list[tuple[str, int, int, int]]:
        done, self.done = self.done, []
        return done

    def changed(self, dumps: Iterable[str]) -> Iterator[tuple[Path, str, os.stat_result] | Rejection]:
        """(path, name, stat) of every file to read, or a Rejection for a missing dump.
        Files are looked up 500 at a time."""
        for dump in dumps:
            root = Path(dump)
            if not root.exists():
                yield Rejection(str(dump), "not_found", "no such file or folder")
                continue
            entries = walk(root)
            while chunk := list(itertools.islice(entries, 500)):
                seen = self.lookup([path for path, _, _ in chunk])
                for path, name, st in chunk:
                    known = seen.get(path)
                    if known and known[:2] == (st.st_size, st.st_mtime_ns):
                        self.skipped_inputs += known[2]
                        continue
                    yield Path(path), name, st

    def finished(self, path: Path, st: os.stat_result, inputs: int) -> None:
        self.done.append((os.path.abspath(path), st.st_size, st.st_mtime_ns, inputs))

    def inputs(self, dumps: Iterable[str]) -> Iterator[RawArticle | Rejection]:
        for entry in self.changed(dumps):
            if isinstance(entry, Rejection):
                yield entry
                continue
            path, name, st = entry
            count = 0
            for item in read_file(path, name):
                count += 1
                yield item
            self.finished(path, st, count)


def _ignore_sigint() -> None:
    """Pool workers leave Ctrl-C to the main process, which stops them cleanly."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _chunks(todo: Iterator[tuple[str, RawArticle]]) -> Iterator[list[tuple[str, RawArticle]]]:
    """Consecutive chunks of at most CHUNK inputs and CHUNK_BYTES (a longer input alone)."""
    chunk, size = [], 0
    for item in todo:
        n = raw_size(item[1])
        if chunk and (len(chunk) == CHUNK or size + n > CHUNK_BYTES):
            yield chunk
            chunk, size = [], 0
        chunk.append(item)
        size += n
    if chunk:
        yield chunk


def _results(todo: Iterator[tuple[str, RawArticle]], source: RuleSource, workers: int):
    """Results of (raw hash, input) pairs, in input order, or completion order with a
    pool (the hash, worked out by the caller to skip what it has seen, travels along
    rather than being worked out again).  Inputs are processed in chunks (`process_many`:
    fewer round trips to a pool, places worked out a chunk at a time), at most 4 chunks
    per worker in flight, so memory stays bounded whatever the dump's size."""
    first = next(todo, None)  # nothing new: no stages, no jieba, no pool (a re-run is fast)
    if first is None:
        return
    from .pipeline import process

    # The first input is processed here: jieba, OpenCC and the rules load once, and
    # forked workers start with them in memory instead of loading them again each.
    yield process(first[1], source, first[0])
    with _batch_gc():
        yield from _rest(todo, source, workers)


@contextmanager
def _batch_gc():
    """The garbage collector set for a batch run, then as it was: what is loaded by now
    (dictionaries, rules, gazetteer) lives as long as the run, so it is frozen out of the
    collector's sight (full collections stay short, forked workers do not copy its pages
    by touching them), and the young generation is collected every 10,000 allocations
    rather than 700 (each article makes thousands of short-lived objects, few cyclic).
    Measured: the collector's time in an ingest of the 2,000 benchmark articles 53 -> 14 ms."""
    threshold, frozen = gc.get_threshold(), gc.get_freeze_count()
    if not frozen:  # a caller that froze objects of its own keeps them so
        gc.freeze()
    gc.set_threshold(10_000, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        if not frozen:
            gc.unfreeze()


def _rest(todo: Iterator[tuple[str, RawArticle]], source: RuleSource, workers: int):
    """`_results` after the first input."""
    from .pipeline import process_many

    if workers <= 1:
        for chunk in _chunks(todo):
            yield from process_many(chunk, source)
        return
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    with ProcessPoolExecutor(max_workers=workers, initializer=_ignore_sigint, mp_context=context) as pool:
        pending = set()
        try:
            for chunk in _chunks(todo):
                pending.add(pool.submit(process_many, chunk, source))
                if len(pending) >= workers * 4:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for fut in done:
                        yield from fut.result()
            for fut in pending:
                yield from fut.result()
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def ingest(dumps: list[str], out: str | Path, rules_folder: str | Path | None = None, workers: int = 1,
           backend: str = "jieba", progress: bool | None = None, engine: str = "local",
           scheduler: str | None = None) -> Summary:
    """Ingest dumps into the store in `out` and rewrite the CSV exports.

    engine "local" extracts in a process pool of `workers`; "dask" on the Dask cluster
    at `scheduler` (or a LocalCluster of `workers` processes when None).  Either way this
    process alone owns the store.  `rules_folder` None: $ZHFACTS_RULES, ./rules or the
    shipped rules."""
    out = Path(out)
    source = RuleSource.of(rules_folder, backend)  # the rules' version, without loading them
    version = source.version
    store = Store(out / "zhfacts.sqlite")
    summary = Summary()
    try:
        from .review import import_reviews

        facts_csv = out / "facts.csv"
        if facts_csv.exists() and _stamp(facts_csv) != store.get_meta("facts_csv_stamp"):
            _, problems = import_reviews(store, facts_csv)  # the reviewer saved it since
            for problem in problems:
                print(f"zhfacts: warning: {problem}", file=sys.stderr)
        if store.get_meta("valid_rules") != version:
            from .rules import load_rules

            load_rules(source.folder)  # fail early, before reading any dump; files seen valid once need no second look
            store.set_meta("valid_rules", version)
        if store.last_rules_version() not in (None, version):
            summary.reextracted = reextract(store, source)
        run_id = store.start_run([str(d) for d in dumps], version, source.folder)
        # A store with no file of a finished run (a first ingest) has nothing to look up.
        known = store.known_files if store.has_known_files() else (lambda paths: {})
        files = FileTracker(known)
        # What the store does not hold yet: inputs in flight or in the unwritten batch,
        # and the articles of that batch.  Everything older is looked up in the store.
        pending: set[str] = set()
        pending_ids: set[str] = set()
        pending_near = NearDuplicates()
        batch: list[tuple] = []

        def seen(h: str) -> bool:
            return h in pending or store.has_input(h)

        def flush(last: bool = False) -> None:
            nonlocal pending_near
            written = {item[1] for item in batch if item[0] != "seen" and item[1]}
            # An input whose bytes are still in flight waits for them to be stored: its
            # row in the input log points at what they became.
            waiting = [] if last else [item for item in batch if item[0] == "seen"
                                       and item[1] in pending and item[1] not in written]
            store.write_batch([item for item in batch if item[0] != "seen" or item not in waiting],
                              run_id, version, files.take_done())
            pending.difference_update(written)
            pending_ids.clear()
            pending_near = NearDuplicates()
            batch[:] = waiting

        def todo() -> Iterator[tuple[str, RawArticle]]:
            for item in files.inputs(dumps):
                summary.inputs += 1
                if isinstance(item, Rejection):
                    summary.rejects += 1
                    batch.append(("reject", None, item))
                    continue
                h = raw_hash(item)
                if seen(h):
                    summary.skipped += 1
                    batch.append(("seen", h, item.source_file))
                    continue
                pending.add(h)
                yield h, item

        def from_dask() -> Iterator[tuple]:
            from .distributed import dask_results

            for result in dask_results(files, dumps, source, scheduler, workers):
                summary.inputs += 1
                h = result[1]
                if h is not None and seen(h):
                    summary.skipped += 1
                    batch.append(("seen", h, (result[2].source_file)))
                    continue
                if h is not None:
                    pending.add(h)
                yield result

        bar = _progress(progress, lambda: _expected_inputs(dumps, known))
        results = (from_dask() if engine == "dask" else
                   _results(todo(), source, workers))
        for result in results:
            bar.update(1)
            if result[0] == "reject":
                summary.rejects += 1
                batch.append(result)
            else:
                _, h, article, facts = result
                if article.article_id in pending_ids or store.has_article(article.article_id):
                    summary.duplicates += 1
                    batch.append(("duplicate", h, article.source_file, article.article_id, "same text"))
                elif (twin := pending_near.match(article.simhash) or store.near_match(article.simhash)):
                    summary.near_duplicates += 1
                    batch.append(("duplicate", h, article.source_file, twin, "near duplicate"))
                else:
                    pending_ids.add(article.article_id)
                    pending_near.add(article.article_id, article.simhash)
                    summary.articles += 1
                    summary.facts += len(facts)
                    batch.append(result)
            if len(batch) >= BATCH:
                flush()
        flush(last=True)
        bar.close()
        summary.inputs += files.skipped_inputs
        summary.skipped += files.skipped_inputs
        store.finish_run(run_id, summary.__dict__)
        if store.exports_stale() or not all((out / name).exists() for name in EXPORTS):
            write_exports(store, out, workers if engine == "local" else 1)
    finally:
        store.close()
    return summary


def reextract(store: Store, source: RuleSource, batch: int = 256) -> int:
    """Re-run extraction on every stored article (rules changed); dumps are not re-read.
    Works in batches, each one transaction, so memory stays flat."""
    import json

    from .pipeline import extract_facts, extractor_for, publisher

    extractor = extractor_for(source)
    done = 0
    for chunk in store.article_id_chunks(batch):
        results = []
        for article_id, original, body, encoding, published, source_name, url in store.stored_articles(chunk):
            spans = [tuple(s) for s in json.loads(body)]
            results.append((article_id, extract_facts(article_id, original, spans, encoding, extractor,
                                                      published=published or "", source=publisher(source_name, url))))
        store.replace_facts(results, source.version)
        done += len(results)
    return done


EXPORTS = ("facts.csv", "articles.csv", "rejects.csv", "inputs.csv", "orphaned_reviews.csv")


def _stamp(path: Path) -> str:
    st = path.stat()
    return f"{st.st_size}:{st.st_mtime_ns}"


# Below this many facts, forking for a parallel export costs more than it saves.
PARALLEL_EXPORT_FACTS = 4000


def write_exports(store: Store, out: Path, workers: int = 1) -> None:
    """Rewrite every CSV export of the store, each atomically; remember the stamp of
    facts.csv so the next run knows whether a reviewer has saved it since.  With more
    than one worker, the facts table (by far the largest) is written in parts by as
    many processes while this one writes the other tables."""
    from . import export  # csv and tempfile load only when there is something to write

    store.refresh_groups()
    reviews = store.reviews()  # as facts.csv will hold them: a later import compares with these

    def others() -> None:
        export.write_csv(out / "articles.csv", export.ARTICLE_COLUMNS, store.article_rows())
        export.write_csv(out / "rejects.csv", export.REJECT_COLUMNS, store.reject_rows())
        export.write_csv(out / "inputs.csv", export.INPUT_COLUMNS, store.input_rows())
        export.write_csv(out / "orphaned_reviews.csv",
                         ("fact_id", "article_id", "source_file", "metric", "value", "evidence",
                          "review", "note"), store.orphaned_review_rows())

    parts = min(workers, os.cpu_count() or 1) if store.count_facts() >= PARALLEL_EXPORT_FACTS else 1
    if parts > 1:
        export.write_csv_in_parts(out / "facts.csv", export.FACT_COLUMNS, store.fact_row_parts(parts),
                                  meanwhile=others)
    else:
        export.write_csv(out / "facts.csv", export.FACT_COLUMNS, store.fact_rows())
        others()
    store.exports_written(_stamp(out / "facts.csv"), reviews)


class NearDuplicates:
    """In-memory simhash index of the unwritten batch, 4 bands of 16 bits (any pair
    within 3 bits shares a band); `Store.near_match` does the same for the store."""

    def __init__(self):
        self.bands: dict[tuple[int, int], list[tuple[str, int]]] = {}

    def add(self, article_id: str, h: int) -> None:
        for band in range(4):
            self.bands.setdefault((band, h >> (16 * band) & 0xFFFF), []).append((article_id, h))

    def match(self, h: int, max_bits: int = 3) -> str | None:
        for band in range(4):
            for article_id, other in self.bands.get((band, h >> (16 * band) & 0xFFFF), ()):
                if bin(h ^ other).count("1") <= max_bits:
                    return article_id
        return None


class _NoBar:
    def update(self, n: int) -> None:
        pass

    def close(self) -> None:
        pass


def _expected_inputs(dumps: Iterable[str], known: Callable) -> int | None:
    """Inputs the run will read, for the progress bar's time left: one per changed file
    and one per line of a changed JSON Lines file (None if one is compressed)."""
    total = 0
    for entry in FileTracker(known).changed(dumps):
        if isinstance(entry, Rejection):
            continue
        path = entry[0]
        kind, gz = kind_of(path)
        if kind == "jsonl":
            if gz:
                return None
            with open(path, "rb") as fh:
                total += sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
        else:
            total += 1
    return total


def _progress(enabled: bool | None, total=lambda: None):
    """A tqdm bar (done, rate, time left) on a terminal; nothing when piped or in CI."""
    if enabled is None:
        enabled = sys.stderr.isatty() and os.environ.get("CI") != "true"
    if not enabled:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total(), unit=" articles", file=sys.stderr, mininterval=0.5)
