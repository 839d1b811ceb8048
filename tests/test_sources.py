"""Reading dumps: which files a folder holds, in what order, under what names; and the
store's look-up of files already read, a folder's worth at a time."""
from __future__ import annotations

import os
from pathlib import Path

from zhfacts.sources import walk
from zhfacts.store import Store


def _touch(root: Path, *names: str) -> None:
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("新增床位3000张。", encoding="utf-8")


def test_walk_names_order_and_hidden_files(tmp_path):
    _touch(tmp_path, "b.txt", "a.txt", "sub/z.html", "sub/deeper/x.jsonl", ".hidden.txt", ".git/c.txt",
           "a2/y.txt")
    os.symlink(tmp_path / "sub", tmp_path / "linked")  # a linked folder is not entered
    got = [(name, path) for path, name, _ in walk(tmp_path)]
    assert [name for name, _ in got] == ["a.txt", "b.txt", "a2/y.txt", "sub/z.html", "sub/deeper/x.jsonl"]
    assert all(os.path.isabs(path) and Path(path).is_file() for _, path in got)


def test_walk_of_a_single_file(tmp_path):
    _touch(tmp_path, "one.txt")
    (path, name, st), = walk(tmp_path / "one.txt")
    assert (name, path, st.st_size) == ("one.txt", str(tmp_path / "one.txt"), (tmp_path / "one.txt").stat().st_size)


def test_known_files_are_looked_up_in_chunks(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    run = store.start_run(["dump"], "v1")
    files = [(f"/dump/{i:04d}.txt", i, 10 * i, 1) for i in range(1200)]
    store.write_batch([], run, "v1", files)
    assert store.known_files([p for p, *_ in files]) == {}  # the run has not finished
    store.finish_run(run, {})
    found = store.known_files([p for p, *_ in files] + ["/dump/missing.txt"])
    assert len(found) == 1200 and found["/dump/1199.txt"] == (1199, 11990, 1)
    assert store.has_known_files()
