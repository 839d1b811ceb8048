"""The Python API: `zhfacts.extract` equals ingest, and the tables come typed."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

import zhfacts
from conftest import CORPUS, RULES

REAL = Path(__file__).parent / "eval" / "real"


def fact_key(f) -> tuple:
    return (f["metric"], float(f["value"]), f["unit"], f["qualifier"], f["status"], f["evidence"],
            int(f["start"]), int(f["end"]), f["rule_id"])


@pytest.fixture(scope="module")
def real_output(tmp_path_factory):
    from zhfacts.engine import ingest

    out = tmp_path_factory.mktemp("real_api")
    ingest([str(REAL)], out, RULES, workers=1, progress=False)
    return out


def ingested(out: Path) -> dict[str, list[tuple]]:
    by_file: dict[str, list[tuple]] = {}
    with open(out / "facts.csv", encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            by_file.setdefault(row["source_file"], []).append(fact_key(row))
    return by_file


@pytest.mark.parametrize("folder", ["seeds", "real"])
def test_extract_equals_ingest_on_every_page(folder, seeds_output, real_output):
    src, out = (CORPUS, seeds_output) if folder == "seeds" else (REAL, real_output)
    expected = ingested(out)
    for path in sorted(src.glob("*.txt")):
        got = sorted(fact_key(f._asdict()) for f in zhfacts.extract(path.read_bytes(), rules=RULES))
        assert got == sorted(expected.get(path.name, [])), path.name


def test_extract_takes_text_as_a_string():
    text = "县医院新院区正式启用，新增床位300张，门诊楼同时投入使用。"
    facts = zhfacts.extract(text)
    assert [(f.metric, f.value, f.unit, f.evidence) for f in facts] == [("beds", 300, "张", "新增床位300张")]
    assert text[facts[0].start:facts[0].end] == facts[0].evidence and facts[0].fact_id


def test_extract_of_a_page():
    page = ("<html><head><meta charset='utf-8'><title>新闻</title></head><body><p>"
            "区妇幼保健院新大楼落成，新增床位120张，儿科门诊同时开诊。</p></body></html>")
    assert [(f.metric, f.value) for f in zhfacts.extract(page, html=True)] == [("beds", 120)]


@pytest.mark.parametrize("reader,dtypes", [
    ("read_facts", {"value": "float64", "value_max": "float64", "start": "Int64", "end": "Int64",
                    "published": "datetime64", "metric": "category", "status": "category",
                    "qualifier": "category"}),
    ("read_articles", {"published": "datetime64", "chars": "Int64", "damaged": "Int64", "dropped": "Int64"}),
    ("read_rejects", {"reason": "category"}),
    ("read_inputs", {"outcome": "category", "first_seen": "datetime64", "last_seen": "datetime64"}),
])
def test_tables_come_typed(seeds_output, reader, dtypes):
    df = getattr(zhfacts, reader)(seeds_output)
    for col, kind in dtypes.items():
        assert str(df[col].dtype).startswith(kind), (col, df[col].dtype)


def test_facts_table_matches_the_csv(seeds_output):
    df = zhfacts.read_facts(seeds_output)
    with open(seeds_output / "facts.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(df["fact_id"]) == [r["fact_id"] for r in rows]
    assert df["value"].sum() == pytest.approx(sum(float(r["value"]) for r in rows))
    assert df["published"].notna().sum() == sum(1 for r in rows if r["published"])


def test_facts_per_metric_and_year(seeds_output):
    """The README's example runs."""
    df = zhfacts.read_facts(seeds_output)
    table = (df.assign(year=df["published"].dt.year)
               .groupby(["metric", "year"], observed=True)["value"].agg(["count", "sum"]))
    assert table.loc[("beds", 2022), "count"] >= 1


def test_reading_a_folder_without_a_store_says_what_to_do(tmp_path):
    with pytest.raises(FileNotFoundError, match="run `zhfacts ingest DUMP"):
        zhfacts.read_facts(tmp_path)


def test_the_command_line_does_not_load_the_api():
    import subprocess
    import sys

    code = "import zhfacts.cli, sys; print('zhfacts.api' in sys.modules, 'pandas' in sys.modules)"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.stdout.split() == ["False", "False"]


def test_a_figure_the_headline_repeats_is_kept_where_the_body_tells_it():
    """One fact per figure; a headline's figure the body repeats points at the body's
    sentence, whose place and years are the figure's."""
    text = ("紫云县医院新住院楼封顶 可开放床位500张\n2019年8月2日\n"
            "紫云县医院新住院楼共15层，可开放床位500张。预计2021年正式投入使用。")
    beds = [f for f in zhfacts.extract(text) if f.metric == "beds"]
    assert len(beds) == 1
    f = beds[0]
    assert f.start > text.index("\n") and text[f.start:f.end] == f.evidence == "可开放床位500张"
    assert (f.period, f.period_from) == ("2021", "paragraph")
