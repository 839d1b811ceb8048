"""The store over months of use: incremental ingest, duplicates, re-extraction when
rules change, a killed run resumed, and reviewer decisions that survive everything."""
from __future__ import annotations

import csv
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest


from conftest import CORPUS, RULES, copy_corpus, wait_until_stored
from zhfacts.engine import ingest
from zhfacts.store import Store


def rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def copy_rules(dest: Path) -> Path:
    shutil.copytree(RULES, dest)
    return dest


def test_second_ingest_adds_nothing(tmp_path):
    out = tmp_path / "out"
    first = ingest([str(CORPUS)], out, RULES, workers=1, progress=False)
    facts = rows(out / "facts.csv")
    second = ingest([str(CORPUS)], out, RULES, workers=1, progress=False)
    assert (first.articles, second.articles, second.skipped, second.facts) == (5, 0, 5, 0)
    assert rows(out / "facts.csv") == facts
    runs = sqlite3.connect(out / "zhfacts.sqlite").execute("SELECT COUNT(*) FROM runs").fetchone()[0]
    assert runs == 2


def test_same_article_elsewhere_is_a_duplicate_with_both_sources(tmp_path):
    out = tmp_path / "out"
    ingest([str(CORPUS)], out, RULES, workers=1, progress=False)
    other = tmp_path / "other_dump"
    other.mkdir()
    text = (CORPUS / "004_1104eeb8773513b4.txt").read_text(encoding="utf-8")
    (other / "renamed.txt").write_bytes(text.encode("gb18030"))  # other name, other bytes
    summary = ingest([str(other)], out, RULES, workers=1, progress=False)
    assert (summary.articles, summary.duplicates) == (0, 1)
    article = [a for a in rows(out / "articles.csv") if a["source_file"] == "004_1104eeb8773513b4.txt"][0]
    assert article["sources"].split(" | ") == ["004_1104eeb8773513b4.txt", "renamed.txt"]


def test_republished_with_other_boilerplate_is_a_near_duplicate(tmp_path):
    out = tmp_path / "out"
    ingest([str(CORPUS)], out, RULES, workers=1, progress=False)
    text = (CORPUS / "002_53f25166de287fa3.txt").read_text(encoding="utf-8")
    body = text.split("关键词:")[0].split("\n", 4)[4]
    other = tmp_path / "mirror"
    other.mkdir()
    (other / "mirror_site.txt").write_text(
        "您的位置:首页 > 援疆动态\n\n福建:山海携手“医”路同行\n\n来源:天山网 2023-05-10 08:00\n\n"
        + body + "\n本文转载自福建日报，版权归原作者所有。\n责任编辑:李明\n", encoding="utf-8")
    summary = ingest([str(other)], out, RULES, workers=1, progress=False)
    assert (summary.articles, summary.near_duplicates) == (0, 1)
    article = [a for a in rows(out / "articles.csv") if a["source_file"] == "002_53f25166de287fa3.txt"][0]
    assert "mirror_site.txt" in article["sources"]


def test_rule_change_reextracts_stored_articles_without_the_dump(tmp_path):
    dump = copy_corpus(tmp_path / "dump")
    rules = copy_rules(tmp_path / "rules")
    out = tmp_path / "out"
    ingest([str(dump)], out, rules, workers=1, progress=False)
    assert any(f["metric"] == "funding" for f in rows(out / "facts.csv"))
    shutil.rmtree(dump)
    (rules / "funding.toml").unlink()
    (tmp_path / "empty").mkdir()
    summary = ingest([str(tmp_path / "empty")], out, rules, workers=1, progress=False)
    assert summary.reextracted == 5
    assert not any(f["metric"] == "funding" for f in rows(out / "facts.csv"))


def test_an_upgrade_of_the_extraction_code_reextracts_stored_articles(tmp_path):
    """A store written by an older zhfacts (same rules, other extraction code: no periods
    then) gets the new code's facts on the next ingest, without the dump."""
    import sqlite3

    from zhfacts.rulesource import RuleSource, code_version

    dump = copy_corpus(tmp_path / "dump")
    rules = copy_rules(tmp_path / "rules")
    out = tmp_path / "out"
    ingest([str(dump)], out, rules, workers=1, progress=False)
    version = RuleSource.of(rules).version
    assert version.endswith("-" + code_version())
    with sqlite3.connect(out / "zhfacts.sqlite") as db:
        older = version.rsplit("-", 1)[0] + "-0ld0c0de"
        for table in ("runs", "articles"):
            db.execute(f"UPDATE {table} SET rules_version=?", (older,))
        db.execute("UPDATE facts SET rules_version=?, period='', period_from=''", (older,))
    db.close()
    shutil.rmtree(dump)
    (tmp_path / "empty").mkdir()
    summary = ingest([str(tmp_path / "empty")], out, rules, workers=1, progress=False)
    assert summary.reextracted == 5
    facts = rows(out / "facts.csv")
    assert facts and all(f["period"] for f in facts)
    assert ingest([str(tmp_path / "empty")], out, rules, workers=1, progress=False).reextracted == 0


def spreadsheet_edit(path: Path, decisions: dict[str, tuple[str, str]], encoding: str) -> None:
    """Save the facts table the way a spreadsheet would: reordered and extra columns,
    another encoding, no BOM, CRLF."""
    table = rows(path)
    columns = ["review", "note", "metric", "value", "evidence", "my_comment", "fact_id", "source_file"]
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(columns)
        for r in table:
            review, note = decisions.get(r["fact_id"], (r["review"], r["note"]))
            writer.writerow([review, note, r["metric"], r["value"], r["evidence"], "看过", r["fact_id"], r["source_file"]])


def test_reviews_survive_gbk_resave_rule_change_and_reingest(tmp_path):
    dump = copy_corpus(tmp_path / "dump")
    rules = copy_rules(tmp_path / "rules")
    out = tmp_path / "out"
    ingest([str(dump)], out, rules, workers=1, progress=False)
    facts = rows(out / "facts.csv")
    beds = next(f for f in facts if f["metric"] == "beds")
    funding = next(f for f in facts if f["metric"] == "funding")
    visits = next(f for f in facts if f["metric"] == "patient_visits")
    decisions = {beds["fact_id"]: ("ok", "核对无误"), funding["fact_id"]: ("wrong", "不是投资"),
                 visits["fact_id"]: ("12,5000", "原文单位有误")}
    spreadsheet_edit(out / "facts.csv", decisions, "gbk")
    (rules / "funding.toml").unlink()  # the funding fact will no longer be produced
    (rules / "beds.toml").write_text((rules / "beds.toml").read_text(encoding="utf-8").replace(
        "priority = 10", "priority = 11"), encoding="utf-8")
    summary = ingest([str(dump)], out, rules, workers=1, progress=False)
    assert summary.reextracted == 5
    after = {f["fact_id"]: f for f in rows(out / "facts.csv")}
    assert (after[beds["fact_id"]]["review"], after[beds["fact_id"]]["note"]) == ("ok", "核对无误")
    assert (after[visits["fact_id"]]["review"], after[visits["fact_id"]]["note"]) == ("125000", "原文单位有误")
    assert funding["fact_id"] not in after
    orphans = rows(out / "orphaned_reviews.csv")
    assert [(o["fact_id"], o["review"], o["note"], o["metric"]) for o in orphans] == [
        (funding["fact_id"], "wrong", "不是投资", "funding")]
    # The rule comes back: the fact and its decision are reunited.
    shutil.copy(RULES / "funding.toml", rules / "funding.toml")
    ingest([str(dump)], out, rules, workers=1, progress=False)
    again = {f["fact_id"]: f for f in rows(out / "facts.csv")}
    assert again[funding["fact_id"]]["review"] == "wrong"
    assert rows(out / "orphaned_reviews.csv") == []


ARTICLE = "县医院扩建\n2023年5月1日\n县医院新增床位300张，新建手术室8间。"


def _moved(facts, article_id, by):
    """`facts` as an extraction that reads each figure `by` characters further on would."""
    from zhfacts.pipeline import fact_id

    out = []
    for f in facts:
        g = f._replace(start=f.start + by, end=f.end + by)
        out.append(g._replace(fact_id=fact_id(article_id, g)))
    return out


@pytest.mark.parametrize("copies,follows", [(1, True), (2, False), (0, False)],
                         ids=["one-new-mention", "two-cannot-tell", "figure-gone"])
def test_a_decision_follows_its_figure_to_another_mention(tmp_path, copies, follows):
    """Re-extraction that reads a reviewed figure at another place of its article (a
    headline's figure now kept at the body's mention) hands the decision and its history
    to the new fact; where it cannot tell which (two) or the figure is gone, the decision
    waits in orphaned_reviews.csv."""
    import zhfacts
    from zhfacts.engine import write_exports

    dump, out = tmp_path / "dump", tmp_path / "out"
    dump.mkdir()
    (dump / "a.txt").write_text(ARTICLE, encoding="utf-8")
    ingest([str(dump)], out, RULES, workers=1, progress=False)
    beds = next(f for f in rows(out / "facts.csv") if f["metric"] == "beds")
    store = Store(out / "zhfacts.sqlite")
    try:
        store.save_reviews([{"fact_id": beds["fact_id"], "review": "ok", "note": "核对无误"}], reviewer="王")
        extracted = zhfacts.extract(ARTICLE)
        assert beds["fact_id"] in {f.fact_id for f in extracted}  # the API's ids are the store's
        bed = next(f for f in extracted if f.metric == "beds")
        moved = [f for n in range(copies) for f in _moved([bed], beds["article_id"], n + 1)]
        store.replace_facts([(beds["article_id"], moved)], "v2")
        write_exports(store, out)
        history = [tuple(r) for r in store.db.execute("SELECT fact_id, review, reviewer FROM decisions")]
    finally:
        store.close()
    reviewed = {f["fact_id"]: (f["review"], f["note"]) for f in rows(out / "facts.csv") if f["review"]}
    orphans = [o["fact_id"] for o in rows(out / "orphaned_reviews.csv")]
    if follows:
        assert reviewed == {moved[0].fact_id: ("ok", "核对无误")} and orphans == []
        assert history == [(moved[0].fact_id, "ok", "王")]
    else:
        assert reviewed == {} and orphans == [beds["fact_id"]]
        assert history == [(beds["fact_id"], "ok", "王")]


def test_review_import_command_and_stats(tmp_path):
    out = tmp_path / "out"
    ingest([str(CORPUS)], out, RULES, workers=1, progress=False)
    facts = rows(out / "facts.csv")
    beds = [f for f in facts if f["metric"] == "beds"]
    spreadsheet_edit(out / "facts.csv", {beds[0]["fact_id"]: ("ok", ""), beds[1]["fact_id"]: ("wrong", "")}, "utf-8-sig")
    cli = [sys.executable, "-m", "zhfacts.cli"]
    r = subprocess.run(cli + ["review", "import", str(out / "facts.csv"), "--out", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 0 and "stored 2 review decision(s)" in r.stdout, r.stderr
    r = subprocess.run(cli + ["stats", "--out", str(out)], capture_output=True, text=True)
    line = next(l for l in r.stdout.splitlines() if l.startswith("beds"))
    assert line.split() == ["beds", "2", "2", "1", "1", "0", "0.50"]


def test_review_import_without_fact_id_is_a_clear_error(tmp_path):
    bad = tmp_path / "facts.csv"
    bad.write_text("metric,value\nbeds,3\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "zhfacts.cli", "review", "import", str(bad), "--out", str(tmp_path)],
                       capture_output=True, text=True)
    assert r.returncode == 1 and "no 'fact_id' column" in r.stderr and "Traceback" not in r.stderr


def test_killed_ingest_resumes_without_losing_or_duplicating(tmp_path):
    from zhfacts.synthetic import make_corpus

    dump = tmp_path / "dump"
    make_corpus(CORPUS, dump, 400, seed=11)
    reference = tmp_path / "reference"
    ingest([str(dump)], reference, RULES, workers=1, progress=False)

    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "zhfacts.cli", "ingest", str(dump), "--out", str(out),
           "--rules", str(RULES), "--workers", "2"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    db = out / "zhfacts.sqlite"
    stored = wait_until_stored(db, proc)
    assert proc.poll() is None, "the run ended before it could be killed; make the dump larger"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 0 < stored < 400
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)

    con = sqlite3.connect(db)
    assert con.execute("SELECT COUNT(*), COUNT(DISTINCT article_id) FROM articles").fetchone() == (400, 400)
    assert con.execute("SELECT COUNT(*) FROM inputs").fetchone()[0] == 400
    got = sorted((f["source_file"], f["metric"], f["value"], f["start"]) for f in rows(out / "facts.csv"))
    want = sorted((f["source_file"], f["metric"], f["value"], f["start"]) for f in rows(reference / "facts.csv"))
    assert got == want
    assert len({f["fact_id"] for f in rows(out / "facts.csv")}) == len(got)


def test_an_export_stopped_halfway_is_redone_by_the_next_run(tmp_path, monkeypatch):
    """Ctrl-C after the last store write but before the CSV tables are rewritten: the
    next run, with nothing new to read, still brings the tables up to the store."""
    from zhfacts import engine, export

    dump = copy_corpus(tmp_path / "dump")
    seed = sorted(dump.iterdir())[0]
    seed.rename(tmp_path / seed.name)  # held back for the second run
    out = tmp_path / "out"
    ingest([str(dump)], out, RULES, workers=1, progress=False)
    before = rows(out / "facts.csv")
    shutil.move(tmp_path / seed.name, dump / seed.name)
    real_write = export.write_csv

    def interrupted(path, *args):
        if Path(path).name == "articles.csv":  # facts.csv is written, the rest is not
            raise KeyboardInterrupt
        return real_write(path, *args)

    monkeypatch.setattr(export, "write_csv", interrupted)
    try:
        ingest([str(dump)], out, RULES, workers=1, progress=False)
    except KeyboardInterrupt:
        pass
    monkeypatch.setattr(export, "write_csv", real_write)
    assert len(rows(out / "articles.csv")) == 4  # stale: the run stopped
    again = ingest([str(dump)], out, RULES, workers=1, progress=False)
    assert again.articles == 0 and len(rows(out / "articles.csv")) == 5
    assert len(rows(out / "facts.csv")) > len(before)
    third = ingest([str(dump)], out, RULES, workers=1, progress=False)  # up to date: not rewritten
    assert third.articles == 0 and not sqlite3.connect(out / "zhfacts.sqlite").execute(
        "SELECT value FROM meta WHERE key='exports_stale'").fetchone()


def test_a_store_from_before_dropped_gains_the_column(tmp_path):
    """A store written before articles had `dropped` keeps working: the column is added
    (empty for old rows) and new articles fill it."""
    out = tmp_path / "out"
    ingest([str(CORPUS)], out, RULES, workers=1, progress=False)
    db = sqlite3.connect(out / "zhfacts.sqlite")
    db.execute("ALTER TABLE articles DROP COLUMN dropped")
    db.commit()
    db.close()
    dump = tmp_path / "new"
    dump.mkdir()
    (dump / "n.txt").write_text("某县医院新院区启用\n新院区开放床位六百张，较原院区增加一倍，群众看病更方便了。\n来源：某县融媒体",
                                encoding="utf-8")
    ingest([str(dump)], out, RULES, workers=1, progress=False)
    by_file = {r["source_file"]: r for r in rows(out / "articles.csv")}
    assert by_file["n.txt"]["dropped"] == str(len("来源：某县融媒体"))
    assert by_file["000_5953399c412274d6.txt"]["dropped"] == ""


def test_a_store_with_the_old_figure_index_loses_it_and_groups_the_same(tmp_path):
    """Stores of the first release with fact groups kept an index on every figure; it is
    dropped on opening (refresh_groups sorts instead), and the groups stay the same."""
    out = tmp_path / "out"
    ingest([str(CORPUS)], out, RULES, workers=1, progress=False)
    groups = {r["fact_id"]: r["fact_group"] for r in rows(out / "facts.csv")}
    db = sqlite3.connect(out / "zhfacts.sqlite")
    db.execute("CREATE INDEX facts_figure ON facts(metric, value, value_max, period)")
    db.commit()
    db.close()
    store = Store(out / "zhfacts.sqlite")
    assert store.db.execute("SELECT COUNT(*) FROM sqlite_master WHERE name='facts_figure'").fetchone() == (0,)
    store.refresh_groups()
    assert {r["fact_id"]: r["fact_group"] for r in store.fact_rows()} == groups
    store.close()
