"""Where and when (issue 12, first part): the gazetteer from cpca's table, and the place and
period each fact gets, as tables of our own sentences."""
from __future__ import annotations

import pytest

import zhfacts
from conftest import RULES
from zhfacts.gazetteer import gazetteer, mentions


@pytest.mark.parametrize("text,names", [
    ("云南省临沧市双江县", ["云南省", "临沧市", "双江拉祜族佤族布朗族傣族自治县"]),
    ("双江县人民医院", ["双江拉祜族佤族布朗族傣族自治县"]),  # short form of an autonomous county
    ("湘西州和巴州", ["湘西土家族苗族自治州", "巴音郭楞蒙古自治州"]),
    ("襄樊市中心医院", ["襄阳市"]),  # a former name, today's code
    ("铜仁地区人民医院", ["铜仁市"]),
    ("苗栗縣".replace("縣", "县"), ["苗栗县"]),  # Taiwan's counties from our own table
    ("香港和澳门", ["香港特别行政区", "澳门特别行政区"]),
    ("全县和县级医院", []),  # 和县 inside running text is no place
    ("马鞍山市和县", ["马鞍山市", "和县"]),
    ("东方红医院", []),  # 东方 is a word before it is a city
], ids=lambda v: v if isinstance(v, str) else None)
def test_gazetteer_mentions(text, names):
    g = gazetteer()
    assert [g.places[code].name for _, _, code in mentions(text)] == names


def test_the_gazetteer_loads_fast_and_from_the_package():
    import time

    from zhfacts.gazetteer import cpca_table

    gazetteer.cache_clear()
    t = time.perf_counter()
    g = gazetteer()
    assert time.perf_counter() - t < 1.0  # measured: about 0.03 s (tests never assert timings closely)
    assert "cpca" in str(cpca_table()) and len(g.places) > 3000


@pytest.mark.parametrize("text,published,expected", [
    # destination, not sender
    ("上海市某区卫健委选派专家20名赴云南省双江县开展帮扶。", "2023-05-01",
     ("云南省", "临沧市", "双江拉祜族佤族布朗族傣族自治县", "2023")),  # the city from geography
    ("省卫健委今年派出援疆医生45名。", "2022-03-01", ("新疆维吾尔自治区", "", "", "2022")),
    ("中国援外医疗队今年派出队员30名。", "2021-01-01", ("国外", "", "", "2021")),
    # recipient of beds and money, the year in the clause
    ("2019年，湛江市遂溪县中医院新增床位500张。", "2020-08-01",
     ("广东省", "湛江市", "遂溪县", "2019")),
    ("全国医疗卫生机构床位达到975万张。", "2023-03-01", ("全国", "", "", "2023")),
    # periods
    ("十三五期间，某县累计新增床位1200张。", "", ("", "", "", "2016-2020")),
    ("2019年以来，该市新建村卫生室300个。", "2024-01-01", ("", "", "", "2019-2024")),
    ("到2025年，计划新增床位2000张。", "2022-06-01", ("", "", "", "2025")),
    ("去年全院接诊患者12万人次。", "2024-02-01", ("", "", "", "2023")),
], ids=["sender-vs-destination", "implicit-xinjiang", "abroad", "county-and-year", "national",
        "five-year-plan", "since", "target-year", "last-year"])
def test_place_and_period(text, published, expected):
    from zhfacts.extractor import Extractor
    from zhfacts.normalize import normalize
    from zhfacts.rules import load_rules
    from zhfacts.rulesource import shipped_rules

    extractor = Extractor(load_rules(shipped_rules()))
    facts = extractor.extract(text, normalize(text, [(0, len(text))]), published=published)
    assert facts, text
    f = facts[0]
    assert (f.province, f.city, f.county, f.period) == expected


def test_places_reach_the_table_and_the_api(seeds_output):
    df = zhfacts.read_facts(seeds_output)
    for column in ("province", "city", "county", "adcode", "place_from", "period", "period_from"):
        assert column in df.columns
    assert (df["province"].astype(str) != "").mean() > 0.8  # the seeds are Fujian and Xinjiang stories


def test_one_figure_reported_by_three_articles_in_two_encodings_is_one_group(tmp_path):
    from zhfacts.engine import ingest

    dump = tmp_path / "dump"
    dump.mkdir()
    (dump / "a.txt").write_text("双江县人民医院新院启用\n2023年，云南省临沧市双江县人民医院新增床位300张，"
                                "群众看病更方便。", encoding="utf-8")
    (dump / "b.txt").write_bytes("临沧卫生简讯\n2023年，临沧市双江县新增医疗床位300张，全市医疗资源扩容。"
                                 .encode("gbk"))
    (dump / "c.txt").write_text("双江县新闻\n双江县2023年新增床位300张，另有乡镇卫生院改造完成。", encoding="utf-8")
    (dump / "d.txt").write_text("大理州新闻\n2023年，大理州新增床位300张，县级医院能力提升。", encoding="utf-8")
    ingest([str(dump)], tmp_path / "out", RULES, workers=1, progress=False)
    beds = zhfacts.read_facts(tmp_path / "out").query("metric == 'beds' and value == 300")
    groups = dict(zip(beds["source_file"], beds["fact_group"]))
    assert groups["a.txt"] == groups["b.txt"] == groups["c.txt"] != groups["d.txt"]  # 大理 is elsewhere
    distinct = zhfacts.read_facts(tmp_path / "out", distinct=True).query("metric == 'beds' and value == 300")
    assert sorted(distinct["articles"]) == [1, 3]


@pytest.mark.parametrize("reports,groups", [
    ([("a", "53"), ("b", "5309"), ("c", "530925")], ["ga", "ga", "ga"]),  # a county inside its province
    ([("a", "5309"), ("b", "5329")], ["ga", "gb"]),  # two cities of one province are two places
    ([("a", ""), ("b", ""), ("c", "53")], ["ga", "ga", "gc"]),  # unknown places only with each other
    ([("a", "全国"), ("b", "全国"), ("c", "11")], ["ga", "ga", "gc"]),
], ids=["containment", "siblings", "unknown", "national"])
def test_groups_of_one_figure(reports, groups):
    from zhfacts.store import _groups

    assert [g for _, g in _groups(reports)] == groups


def test_a_figure_reported_ten_thousand_times_is_grouped_by_its_few_places():
    from zhfacts.store import _groups

    reports = [(f"f{i:05d}", ("53", "5309", "44")[i % 3]) for i in range(10_000)]
    got = dict(_groups(reports))
    assert len(set(got.values())) == 2 and got["f00000"] == got["f00001"] != got["f00002"]
