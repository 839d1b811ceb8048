"""Review decisions wherever they come from (issue 13): checked (ok, wrong or a number as
reviewers type it), kept with their history (time, reviewer, browser or csv), undone,
and one set of decisions between the browser and the spreadsheet."""
from __future__ import annotations

import csv
import shutil
import subprocess
import sys

import pytest
from hypothesis import given, settings, strategies as st

from zhfacts.review import import_reviews, parse_decision
from zhfacts.store import Store


@pytest.mark.parametrize("typed,stored", [
    ("ok", "ok"), ("OK ", "ok"), ("对", "ok"), ("✓", "ok"),
    ("wrong", "wrong"), ("错", "wrong"), ("x", "wrong"),
    ("1200", "1200"), ("1,200", "1200"), ("12,5000", "125000"), ("1.2万", "12000"), ("一千二百", "1200"),
    ("１２００", "1200"),  # full-width digits, as a Chinese input method types them
    ("0.5", "0.5"), ("3亿4500万", "345000000"),
    ("", ""),  # a blank clears
], ids=repr)
def test_a_decision_as_reviewers_type_it(typed, stored):
    assert parse_decision(typed) == stored


@pytest.mark.parametrize("typed", [
    '=HYPERLINK("http://example.com","ok")', "=1+1", "maybe", "1200多", "约1200", "-5", "1200张", "N/A",
], ids=repr)
def test_anything_else_is_no_decision(typed):
    assert parse_decision(typed) is None


@pytest.fixture()
def out(seeds_output, tmp_path):
    """A copy of the seeds' output folder (store and CSVs), to decide on."""
    dest = tmp_path / "out"
    shutil.copytree(seeds_output, dest)
    return dest


def fact_ids(out, n):
    store = Store(out / "zhfacts.sqlite")
    ids = [r[0] for r in store.db.execute("SELECT fact_id FROM facts ORDER BY fact_id LIMIT ?", (n,))]
    store.close()
    return ids


def read(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_history_keeps_every_decision_and_the_latest_counts(out):
    a, = fact_ids(out, 1)
    store = Store(out / "zhfacts.sqlite")
    store.save_reviews([{"fact_id": a, "review": "ok", "note": ""}], reviewer="li", source="browser")
    store.save_reviews([{"fact_id": a, "review": "1200", "note": "原文为1200张"}], reviewer="wang", source="csv")
    assert store.reviews()[a] == ("1200", "原文为1200张")
    history = store.history(a)
    assert [(h["review"], h["reviewer"], h["source"], h["action"]) for h in history] == [
        ("ok", "li", "browser", "decide"), ("1200", "wang", "csv", "decide")]
    assert history[0]["at"] <= history[1]["at"]
    store.close()


def test_undo_goes_back_one_decision_at_a_time(out):
    a, = fact_ids(out, 1)
    store = Store(out / "zhfacts.sqlite")
    for review in ("ok", "wrong"):
        store.save_reviews([{"fact_id": a, "review": review, "note": ""}], reviewer="li", source="browser")
    assert store.undo_review(a, "li") == ("ok", "")
    assert store.reviews()[a] == ("ok", "")
    assert store.undo_review(a, "li") == ("", "")
    assert a not in store.reviews()
    assert store.undo_review(a, "li") is None  # nothing left to take back
    assert [h["action"] for h in store.history(a)] == ["decide", "decide", "undo", "undo"]
    store.close()


def write_csv(path, rows):
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_an_import_stores_the_valid_rows_and_reports_the_others(out):
    rows = read(out / "facts.csv")
    rows[0]["review"] = "ok"
    rows[1]["review"] = '=HYPERLINK("http://example.com","ok")'  # a spreadsheet's formula
    rows[2]["review"] = "1.2万"
    rows[3]["review"] = "maybe"
    write_csv(out / "facts.csv", rows)
    store = Store(out / "zhfacts.sqlite")
    stored, problems = import_reviews(store, out / "facts.csv", reviewer="wang")
    reviews = store.reviews()
    store.close()
    assert stored == 2
    assert reviews[rows[0]["fact_id"]] == ("ok", "") and reviews[rows[2]["fact_id"]] == ("12000", "")
    assert rows[1]["fact_id"] not in reviews and rows[3]["fact_id"] not in reviews
    assert [(p.row, p.fact_id, p.value) for p in problems] == [
        (3, rows[1]["fact_id"], rows[1]["review"]), (5, rows[3]["fact_id"], "maybe")]
    assert str(problems[0]).startswith(f"{out / 'facts.csv'}:3: fact {rows[1]['fact_id']}: review '=HYPERLINK(")


def test_the_import_command_names_file_row_and_value(out):
    rows = read(out / "facts.csv")
    rows[0]["review"], rows[1]["review"] = "wrong", "=HYPERLINK(1)"
    write_csv(out / "facts.csv", rows)
    r = subprocess.run([sys.executable, "-m", "zhfacts.cli", "review", "import", "--out", str(out),
                        "--reviewer", "wang"], capture_output=True, text=True)
    assert r.returncode == 1
    assert f"facts.csv:3: fact {rows[1]['fact_id']}: review '=HYPERLINK(1)' is not ok, wrong" in r.stderr
    assert "stored 1 review decision(s); 1 row(s) not stored" in r.stdout
    exported = {row["fact_id"]: row["review"] for row in read(out / "facts.csv")}
    assert exported[rows[0]["fact_id"]] == "wrong" and exported[rows[1]["fact_id"]] == ""


def test_a_browser_decision_survives_a_spreadsheet_that_did_not_touch_its_row(out):
    """Exported facts.csv, then a decision in the browser, then the reviewer saves the
    old spreadsheet with another row changed: both decisions stand."""
    a, b = fact_ids(out, 2)
    rows = read(out / "facts.csv")  # as exported: no decisions
    store = Store(out / "zhfacts.sqlite")
    store.save_reviews([{"fact_id": a, "review": "wrong", "note": "单位错"}], reviewer="li", source="browser")
    for row in rows:
        if row["fact_id"] == b:
            row["review"] = "ok"
    write_csv(out / "facts.csv", rows)
    stored, problems = import_reviews(store, out / "facts.csv", reviewer="wang")
    reviews = store.reviews()
    sources = {h["source"] for h in store.history(a)} | {h["source"] for h in store.history(b)}
    store.close()
    assert (stored, problems) == (1, [])
    assert reviews[a] == ("wrong", "单位错") and reviews[b] == ("ok", "")
    assert sources == {"browser", "csv"}


def test_browser_decisions_reach_facts_csv_at_the_next_export(out):
    a, = fact_ids(out, 1)
    store = Store(out / "zhfacts.sqlite")
    store.save_reviews([{"fact_id": a, "review": "2000", "note": "见第二段"}], reviewer="li", source="browser")
    store.close()
    r = subprocess.run([sys.executable, "-m", "zhfacts.cli", "review", "export", "--out", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    row = next(row for row in read(out / "facts.csv") if row["fact_id"] == a)
    assert (row["review"], row["note"]) == ("2000", "见第二段")


def test_browser_decisions_survive_re_extraction(tmp_path):
    """Decided in the browser, then the rules change and every article is extracted
    again: the decision is still the fact's, as a spreadsheet's is."""
    from conftest import RULES, copy_corpus
    from zhfacts.engine import ingest
    from zhfacts.serve import start, stop

    dump, rules, out = copy_corpus(tmp_path / "dump"), tmp_path / "rules", tmp_path / "out"
    shutil.copytree(RULES, rules)
    ingest([str(dump)], out, rules, workers=1, progress=False)
    server, app, _ = start(out, reviewer="li")
    try:
        fid = next(f["fact_id"] for f in app.queue({})["facts"] if f["metric"] == "beds")
        app.decide({"fact_id": fid, "review": "wrong", "note": "不是新增"})
    finally:
        stop(server, app)
    (rules / "beds.toml").write_text((rules / "beds.toml").read_text(encoding="utf-8").replace(
        "priority = 10", "priority = 11"), encoding="utf-8")
    summary = ingest([str(dump)], out, rules, workers=1, progress=False)
    assert summary.reextracted > 0
    row = next(row for row in read(out / "facts.csv") if row["fact_id"] == fid)
    assert (row["review"], row["note"]) == ("wrong", "不是新增")


def test_an_ingest_warns_about_rows_it_cannot_take(out, capsys):
    from conftest import CORPUS, RULES
    from zhfacts.engine import ingest

    rows = read(out / "facts.csv")
    rows[0]["review"] = "=HYPERLINK(1)"
    rows[1]["review"] = "ok"
    write_csv(out / "facts.csv", rows)
    ingest([str(CORPUS)], out, RULES, workers=1, progress=False)
    err = capsys.readouterr().err
    assert f"facts.csv:2: fact {rows[0]['fact_id']}: review '=HYPERLINK(1)' is not ok, wrong" in err
    exported = {row["fact_id"]: row["review"] for row in read(out / "facts.csv")}
    assert exported[rows[0]["fact_id"]] == "" and exported[rows[1]["fact_id"]] == "ok"


@given(st.text(alphabet=st.sampled_from(list("0123456789,.万亿千百十一二三四五六七八九零两多余几约-+=()okOKwrong对错 １２")),
               max_size=12) | st.text(max_size=20))
@settings(max_examples=500)
def test_whatever_a_reviewer_types_is_a_decision_or_none(typed):
    """Never a crash, and what is stored reads back as itself: ok, wrong or a plain number."""
    decided = parse_decision(typed)
    assert decided is None or decided in ("", "ok", "wrong") or float(decided) >= 0
    if decided:
        assert parse_decision(decided) == decided
