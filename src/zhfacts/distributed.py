"""Run the extraction on a Dask distributed cluster (`zhfacts ingest --engine dask`).

The client lists the changed files; workers read them from the shared path, decode,
clean and extract, each task one partition of files; results come back as they finish
and this process alone writes them to the store.  The rule files travel with the tasks,
so workers need the dumps on a shared path but not the rules.
"""
from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

PARTITION_FILES = 32


def _rules_payload(folder: str) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(Path(folder).iterdir()) if p.is_file()}


@lru_cache(maxsize=4)
def _materialise(payload_items: tuple[tuple[str, bytes], ...], version: str) -> str:
    """The rule files on this worker's disk, once per rules version."""
    folder = Path(tempfile.gettempdir()) / f"zhfacts-rules-{version}"
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in payload_items:
        target = folder / name
        if not target.exists() or target.read_bytes() != data:
            target.write_bytes(data)
    return str(folder)


def process_partition(files: list[tuple[str, str]], payload: tuple,
                      source) -> list[tuple[str, int, list]]:
    """(path, inputs, results) for each file of a partition; runs on a Dask worker."""
    from .pipeline import process
    from .sources import Rejection, read_file

    source = source._replace(folder=_materialise(payload, source.version))  # this worker's copy
    out = []
    for path, name in files:
        results = []
        for item in read_file(Path(path), name):
            if isinstance(item, Rejection):
                results.append(("reject", None, item))
            else:
                results.append(process(item, source))
        out.append((path, len(results), results))
    return out


def dask_results(files, dumps: list[str], source, scheduler: str | None,
                 workers: int) -> Iterator[tuple]:
    """Results of every changed file of `dumps`, computed on the cluster."""
    from dask.distributed import Client, LocalCluster, as_completed

    from .sources import Rejection

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        payload = tuple(_rules_payload(source.folder).items())
        [payload_future] = client.scatter([payload], broadcast=True)
        stats, partition, futures = {}, [], []

        def submit(part):
            key = "zhfacts-" + hashlib.sha1(repr(part).encode()).hexdigest()[:16]
            futures.append(client.submit(process_partition, part, payload_future, source,
                                         key=key, pure=False))

        for entry in files.changed(dumps):
            if isinstance(entry, Rejection):
                yield ("reject", None, entry)
                continue
            path, name, st = entry
            stats[str(path)] = (path, st)
            partition.append((str(path), name))
            if len(partition) >= PARTITION_FILES:
                submit(partition)
                partition = []
        if partition:
            submit(partition)
        for future in as_completed(futures):
            for path, count, results in future.result():
                yield from results
                p, st = stats[path]
                files.finished(p, st, count)
            future.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
