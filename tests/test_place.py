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
    ("天水围医院", ["香港特别行政区"]),
    ("嘉义县阿里山乡卫生所", ["嘉义县", "阿里山乡"]),  # Taiwan's townships, from addressparser's table
    ("昆明市晋宁区人民医院", ["昆明市", "晋宁县"]),  # renamed since cpca's table: the same place
    ("济南市莱芜区人民医院", ["济南市", "莱芜区"]),  # new since cpca's table: a local code under 济南  # Hong Kong's new town, not 天水 (Gansu) and a word
    ("琼中县残联", ["琼中黎族苗族自治县"]),
    ("医院派驻于都的专家", ["于都县"]),  # a county's short name where a place is expected
    ("广西加强医疗资源建设", ["广西壮族自治区"]),  # 资源 (资源县) inside running text is a word
    ("援疆医生扎根天山脚下", []),  # the mountains, not 乌鲁木齐's 天山区
    ("乌鲁木齐市天山区人民医院", ["乌鲁木齐市", "天山区"]),
], ids=lambda v: v if isinstance(v, str) else None)
def test_gazetteer_mentions(text, names):
    g = gazetteer()
    assert [g.places[code].name for _, _, code in mentions(text)] == names


# A name several divisions bear is the one whose city or province the text names; alone,
# no one can tell which, and it is left out rather than guessed.
@pytest.mark.parametrize("text,codes", [
    ("朝阳区卫健委新增家庭病床", []),  # 北京's or 长春's
    ("北京市朝阳区卫健委", ["110000", "110105"]),
    ("长春市朝阳区医院", ["220100", "220104"]),
    ("上海市普陀区中心医院", ["310000", "310107"]),
    ("浙江省舟山市普陀区人民医院", ["330000", "330900", "330903"]),
    ("杭州西湖区医院", ["330100", "330106"]),
    ("鼓楼区医院新院区", []),  # four cities have one
    ("南京市鼓楼区医院", ["320100", "320106"]),
    ("福建省金门县", ["350000", "350527"]),
    ("台湾金门县", ["710000", "712100"]),  # Taiwan's, from our own table
    ("江西省赣州市赣县", ["360000", "360700", "360721"]),  # 赣县 and 赣县区: one place renamed
    ("南京市和上海市的鼓楼区", ["320100", "310000", "320106"]),  # of the two, only 南京 has one
    ("徐州市的专家来到南京市鼓楼区", ["320300", "320100", "320106"]),  # both have one: the one named right before
], ids=lambda v: v if isinstance(v, str) else None)
def test_a_name_several_places_bear_is_read_by_the_places_around_it(text, codes):
    assert [code for _, _, code in mentions(text)] == codes


def test_names_several_places_bear_come_from_the_tables():
    g = gazetteer()
    assert {"朝阳区", "鼓楼区", "西湖区", "普陀区", "金门县"} <= set(g.alternatives)
    assert all(len({c[:4] for c in codes}) > 1 for codes in g.alternatives.values())
    assert "赣县" not in g.alternatives and "泉州" not in g.alternatives  # a city's short form is its own


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


# Articles asked about more than one of their facts.
PARTS = ("全区卫生健康工作综述\n2023年12月1日\n今年以来，全区新增医疗机构床位1.2万张，"
         "其中南宁市新增3100张、柳州市新增1800张。\n来源：广西日报")
MISSION = ("援外医疗队凯旋\n2023年10月12日\n10月10日，我省第22批援坦桑尼亚医疗队圆满完成为期一年半的援外任务，平安回国。\n"
           "援外期间，医疗队累计诊治患者3.2万余人次。\n自1968年以来，我省已累计向坦桑尼亚派出医疗队员1200余人次。")
LEVEL = "县医院获批三级医院\n2024年1月8日\n目前，医院开放床位由2020年的800张增至1200张，年门急诊量突破60万人次。"

# A city's statistical bulletin: its title names the city, its lead names no county.
BULLETIN = ("2023年赣州市卫生健康事业发展统计公报\n发布时间：2024-05-20\n"
            + "全市卫生健康系统坚持以人民健康为中心，持续深化医药卫生体制改革，不断提升医疗服务能力和水平。" * 4 + "\n")

# Whole articles (title line, date, body) through zhfacts.extract, as ingest reads them:
# (id, article, the fact's value, its (province, city, county, period)).
ARTICLES = [
    ("dateline", "西藏人民医院扩建完工\n新华社拉萨6月3日电 记者从自治区卫健委获悉，该院新增床位600张，已投入使用。\n发布时间：2022-06-03",
     600, ("西藏自治区", "拉萨市", "", "2022")),
    ("title-county-refines-province", "于都县人民医院新院区启用\n2021年9月1日\n江西省加大投入，新院区设置床位900张。",
     900, ("江西省", "赣州市", "于都县", "2021")),
    ("implicit-tibet-refined", "援藏医疗队在日喀则\n2020年8月5日\n今年以来，援藏医疗队先后接诊患者1.2万人次，日喀则市人民医院开展新技术30项。",
     12000, ("西藏自治区", "日喀则市", "", "2020")),
    ("two-cities-stay-at-province", "援疆工作总结\n2019年12月30日\n一年来，援疆专家在喀什和阿克苏两地接诊患者8000人次。",
     8000, ("新疆维吾尔自治区", "", "", "2019")),  # 一年来: this year
    ("sender-then-destination", "省人民医院选派队员\n2023年3月10日\n广州市卫健委选派医生12名赴贵州省毕节市开展帮扶。",
     12, ("贵州省", "毕节市", "", "2023")),
    ("patients-travel-no-aid-story", "琼中县开展复明活动\n2016年11月30日\n琼中县残联组织患者到海口接受手术。活动期间，医疗队在琼中县为860名群众进行了免费筛查。",
     860, ("海南省", "", "琼中黎族苗族自治县", "2016")),
    ("former-name", "襄樊市中心医院新楼落成\n2009年5月1日\n新楼投入使用后，医院新增床位400张。",
     400, ("湖北省", "襄阳市", "", "2009")),
    ("traditional", "雲南省臨滄市雙江縣醫院擴建\n2018年7月1日\n擴建後新增床位200張。",
     200, ("云南省", "临沧市", "双江拉祜族佤族布朗族傣族自治县", "2018")),
    ("hong-kong-new-town", "天水圍醫院啟用\n2017年1月20日\n醫管局表示，天水圍醫院提供300張病床。",
     300, ("香港特别行政区", "", "", "2017")),
    ("hong-kong-by-institution", "財政預算案\n2019年2月27日\n政府將向醫管局提供經常撥款800億元。",
     80_000_000_000, ("香港特别行政区", "", "", "2019")),
    ("taiwan-roc-span", "南投縣長照據點\n南投縣民國108至110年度共核定補助3,000萬元。",
     30_000_000, ("台湾省", "南投县", "", "2019-2021")),
    ("taiwan-roc-year", "花蓮縣衛生局公告\n民國112年花蓮縣新增長照床位150床。",
     150, ("台湾省", "花莲县", "", "2023")),
    ("word-not-place", "博爱医院新院开工\n2022年4月2日\n该院总投资2亿元，规划床位500张。",
     500, ("", "", "", "2022")),
    ("district-short-form-backed", "武汉市新建方舱医院\n2020年2月6日\n武昌方舱医院开设床位800张。",
     800, ("湖北省", "武汉市", "武昌区", "2020")),
    ("district-short-form-unbacked", "工作简报\n2020年2月6日\n武昌方舱医院开设床位800张。",
     800, ("", "", "", "2020")),
    ("chinese-digit-fiscal-year", "預算案演辭\n2008年2月27日\n我在二零零八至零九年度預留五百億元支援醫療改革。",
     50_000_000_000, ("", "", "", "2008-2009")),
    ("years-back", "中国援外医疗队60周年\n2023年8月18日\n60年来，中国累计向76个国家派出医疗队员3万人次。",
     30000, ("国外", "", "", "1963-2023")),
    ("running-total-since-start", "援外医疗队工作综述\n2023年8月18日\n该市援外医疗队于2002年10月始派。\n截至目前，该市共派出医疗队员164人次。",
     164, ("国外", "", "", "2002-2023")),
    ("date-range-term", "医疗队圆满完成任务\n2019年4月30日\n2018年10月至2019年4月，医疗队完成手术240台。",
     240, ("", "", "", "2018-2019")),
    ("plan-ahead", "县卫生事业规划\n2021年3月1日\n未来五年，全县计划新增床位1000张。",
     1000, ("", "", "", "2021-2026")),
    ("service-at-the-destination", "老区巡回医疗启动\n2024年10月16日\n江西省于都县举行启动会。北京某医院派驻于都的专家，累计接诊患者2万人次。",
     20000, ("江西省", "赣州市", "于都县", "2024")),
    ("two-implicit-destinations-national", "对口支援综述\n2023年5月1日\n援藏援疆以来，各地已选派医疗人才3100余名。",
     3100, ("全国", "", "", "2023")),
    ("party-congress-era", "对口支援综述\n2024年8月1日\n党的十八大以来，各省市共投入资金超过300亿元支持当地医院建设。",
     30_000_000_000, ("", "", "", "2012-2024")),
    ("taiwan-year-in-brackets", "苗栗縣長照資源\n衛生局表示，苗栗縣今(113)年將新增長照床位150床。",
     150, ("台湾省", "苗栗县", "", "2024")),
    ("taiwan-township", "嘉義縣衛生局公告\n民國112年阿里山鄉衛生所新增病床20床。",
     20, ("台湾省", "嘉义县", "阿里山乡", "2023")),
    ("source-name", "全市新增床位\n来源：泉州晚报  2022-09-28\n今年以来，全市共新增医疗机构床位1200张。",
     1200, ("福建省", "泉州市", "", "2022")),
    ("title-year-over-publication", "2022年全国卫生资源统计\n发布日期：2023-03-20\n年末全国医疗卫生机构床位达975万张。",
     9_750_000, ("全国", "", "", "2022")),
    ("planned-target-year", "县医院整体搬迁\n2015年7月14日\n新院区计划设置床位600张，主体工程年底完成，2017年上半年竣工投入使用。",
     600, ("", "", "", "2017")),
    ("plan-year-of-another-figure", "全市卫生工作会议\n2024年2月6日\n2024年，全市将新建县级医院3所，新增床位2000张，"
     "力争到2025年底全市床位总数达到3.2万张。", 2000, ("", "", "", "2024")),
    ("plan-year-after-with-a-month", "县医院整体搬迁\n2023年3月1日\n新院区将设置床位600张，到2025年12月建成投入使用。",
     600, ("", "", "", "2025")),
    ("whole-level-before-its-parts", PARTS, 12000, ("广西壮族自治区", "", "", "2023")),
    ("a-part-at-its-place", PARTS, 1800, ("广西壮族自治区", "柳州市", "", "2023")),
    ("aid-team-in-two-places-of-one-prefecture", "援藏医疗队圆满完成任务\n2022年9月30日\n"
     "我省第三批援藏医疗队结束在西藏的帮扶工作。一年来，医疗队在日喀则市人民医院、拉孜县人民医院等地累计接诊患者2.1万人次。"
     "\n医疗队还在山南市举办培训班。", 21000, ("西藏自治区", "日喀则市", "", "2021-2022")),  # 一年来 in September
    ("as-of-this-year-is-no-running-total", "对口帮扶纪实\n2021年8月16日\n2019年起，省立医院连续3年向县医院派驻专家。"
     "\n截至今年6月底，县医院门急诊人次达28.6万。", 286000, ("", "", "", "2021")),
    ("a-word-ending-in-ming-is-no-next-year", "卫生统计公报\n2023年5月1日\n数据表明年均新增床位1200张。",
     1200, ("", "", "", "2023")),
    ("during-the-mission-not-since-the-first-team", MISSION,
     32000, ("国外", "", "", "2022-2023")),
    ("since-the-first-team", MISSION,
     1200, ("国外", "", "", "1968-2023")),
    ("the-year-of-a-starting-level-is-its-own", LEVEL, 800, ("", "", "", "2020")),
    ("not-the-year-of-the-figures-after-it", LEVEL, 600000, ("", "", "", "2024")),
    ("two-townships-listed-their-county", "义诊暖人心\n2023年11月5日\n台东医院医疗团深入台东县达仁乡、金峰乡义诊，"
     "共服务乡亲350人次。", 350, ("台湾省", "台东县", "", "2023")),
    ("several-provinces-listed-are-the-nation", "省人民医院年度工作\n2024年6月3日\n"
     "省人民医院今年已为湖南、江西、广西三省区培训基层医生600名。", 600, ("全国", "", "", "2024")),
    ("since-a-year-with-words-between", "组团式援藏\n2024年7月20日\n自2015年开展组团式医疗人才援藏工作以来，"
     "累计派出援藏医疗专家1200余人次。", 1200, ("西藏自治区", "", "", "2015-2024")),
    ("a-starting-level-since-a-year", "援藏三十年\n2024年8月1日\n自1994年召开座谈会以来，全区床位数由5600多张增至2.2万张。",
     5600, ("西藏自治区", "", "", "1994")),
    ("sent-to-three-counties-of-one-prefecture", "援疆医疗团队助力民丰县人民医院创二甲\n2022年11月8日\n"
     "近年来，某市先后派出援疆医生共186人次到和田地区民丰县、策勒县、于田县开展帮扶。", 186,
     ("新疆维吾尔自治区", "和田地区", "", "2022")),
    ("level-reached-is-today", "西藏卫生事业发展\n2024年3月28日\n与1994年相比，全区床位数由5600多张增至2.2万张。",
     22000, ("西藏自治区", "", "", "2024")),
    ("hong-kong-fiscal-year", "財政預算案\n2018年2月28日\n本年度預算案預留3,000億元，供醫管局推行第二個十年醫院發展計劃。",
     300_000_000_000, ("香港特别行政区", "", "", "2018-2019")),
    ("hong-kong-next-fiscal-year-in-a-february-budget", "財政預算案\n2019年2月27日\n下年度政府撥予醫管局的經常開支將增至805億元。",
     80_500_000_000, ("香港特别行政区", "", "", "2019-2020")),
    ("hong-kong-next-fiscal-year-in-autumn", "施政報告\n2019年10月16日\n下年度醫管局將新增病床500張。",
     500, ("香港特别行政区", "", "", "2020-2021")),
    ("hong-kong-last-fiscal-year", "醫管局年報\n2022年10月5日\n去年度全港公立醫院普通科門診求診人次約560萬。",
     5_600_000, ("香港特别行政区", "", "", "2021-2022")),
    ("national-total", "卫生统计公报\n2024年8月29日\n2023年末，全国医疗卫生机构床位1017万张。",
     10_170_000, ("全国", "", "", "2023")),
    # an undated page dated by the event it reports
    ("undated-earthquake", "救灾一线\n玉树强烈地震发生后，某军区医院抽调医务人员85名赶赴灾区。",
     85, ("青海省", "玉树藏族自治州", "", "2010")),
    ("undated-hubei-epidemic", "白衣战士凯旋\n新冠肺炎疫情发生以来，某省先后派出援鄂医疗队员420名。",
     420, ("湖北省", "", "", "2020")),
    ("undated-anniversary", "县医院新楼落成\n在庆祝新中国成立70周年之际，县人民医院新楼启用，新增床位260张。",
     260, ("", "", "", "2019")),
    ("undated-two-events-none", "回顾\n从5·12地震到火神山医院，某医院共派出医生40名。",
     40, ("", "", "", "")),
    ("undated-djibouti-is-not-jilin", "援外医疗\n援吉布提医疗队在疫情期间共完成手术64台。",
     64, ("国外", "", "", "")),
    ("dated-page-ignores-event", "抗震救灾十周年\n2018年5月12日\n四川汶川地震以来，汶川县新增床位900张。",
     900, ("四川省", "阿坝藏族羌族自治州", "汶川县", "2018")),
    # a team back from a mission of a stated length
    ("mission-back", "援外医疗队回国\n2021年6月3日\n医疗队圆满完成为期两年的援外任务，日前回国。\n援外期间，医疗队接诊患者5600人次。",
     5600, ("国外", "", "", "2019-2021")),
    ("mission-half-year-more", "援疆专家返回\n2016年3月20日\n专家们完成一年半的援疆任务，载誉归来。\n援疆期间，专家们开展手术310台。",
     310, ("新疆维吾尔自治区", "", "", "2014-2016")),
    ("mission-during-is-not-its-start-year",
     "援疆医疗队载誉归来\n2016年3月20日\n专家们完成一年半的援疆任务，载誉归来。\n据了解，医疗队于2014年9月进疆。援疆期间，专家们通过一对一带教培养当地医生15名。",
     15, ("新疆维吾尔自治区", "", "", "2014-2016")),
    ("mission-start-years-own-figure",
     "援疆医疗队载誉归来\n2016年3月20日\n专家们完成一年半的援疆任务，载誉归来。\n据了解，医疗队于2014年9月进疆，当年培养当地医生15名。",
     15, ("新疆维吾尔自治区", "", "", "2014")),
    # a headline's figure is placed and dated by the body's sentence that repeats it
    ("headline-figure-dated-by-its-body",
     "紫云县医院新住院楼封顶 可开放床位500张\n2019年8月2日\n紫云县医院新住院楼共15层，可开放床位500张，设有内科、外科等科室。预计2021年正式投入使用。",
     500, ("贵州省", "安顺市", "紫云苗族布依族自治县", "2021")),
    ("headline-span-from-its-body",
     "医疗队5年为120万人次患者服务\n2024年3月1日\n2019年至2023年，医疗队5年累计为120万人次患者开展医疗服务。",
     1200000, ("", "", "", "2019-2023")),
    # several teams, each begun in its own year: a running total is its own team's
    ("running-total-of-the-team-begun-later",
     "援外医疗队派遣20年\n2023年8月1日\n其中，援坦桑尼亚医疗队于2003年5月始派，援马拉维医疗队于2015年9月始派。截至目前，全省共派出援坦桑尼亚医疗队员10批120人次，援马拉维医疗队员4批40人次。",
     40, ("国外", "", "", "2015-2023")),
    ("running-total-of-the-first-team-to-now",
     "援外医疗队派遣20年\n2023年8月1日\n其中，援坦桑尼亚医疗队于2003年5月始派，援马拉维医疗队于2015年9月始派。截至目前，全省共派出援坦桑尼亚医疗队员10批120人次，援马拉维医疗队员4批40人次。",
     120, ("国外", "", "", "2003-2023")),
    ("running-total-in-its-own-paragraph",
     "援外医疗队派遣20年\n2023年8月1日\n其中，援坦桑尼亚医疗队于2003年5月始派，援马拉维医疗队于2015年9月始派。\n截至目前，全省共派出援马拉维医疗队员4批40人次。",
     40, ("国外", "", "", "2015-2023")),
    ("mission-leaving-is-not-back", "医疗队出征\n2021年6月3日\n医疗队将执行为期两年的援外任务。\n出发前，队员们培训了学员40名。",
     40, ("国外", "", "", "2021")),
    # a change against an earlier year; straight years from a year
    ("change-since-compared-year", "统计简报\n2023年5月1日\n截至2022年底，全市医疗机构达3100个。与2020年底相比，全市医疗机构增加240个。",
     240, ("", "", "", "2020-2022")),
    ("compared-level-is-today", "统计简报\n2023年5月1日\n与2020年相比，全市医院床位达到3100张。",
     3100, ("", "", "", "2023")),
    # a change against last year is this year's; against a written year, the span from it
    ("change-against-last-year", "卫生统计公报\n2024年4月2日\n全市共有病床6200张，比去年增加310张。",
     310, ("", "", "", "2024")),
    ("change-against-last-year-before", "卫生统计公报\n2024年4月2日\n较去年，全市卫生院新增床位95张。",
     95, ("", "", "", "2024")),
    ("change-against-written-year", "卫生统计公报\n2024年4月2日\n与2023年相比，全市医疗机构增加57个。",
     57, ("", "", "", "2023-2024")),
    # the place before the number first; inside an aid story's destination
    ("place-before-the-number", "医院动态\n2022年4月8日\n赣州市于都县人民医院新增床位500张，并与南昌市第一医院签约合作。",
     500, ("江西省", "赣州市", "于都县", "2022")),
    ("aid-story-city-inside-destination", "医疗队驰援湖北\n2020年2月10日\n广东省第三批医疗队今日出发支援湖北。\n队员们在荆州市各定点医院救治患者，首周收治患者120名。",
     120, ("湖北省", "荆州市", "", "2020")),
    ("aid-story-cities-after-the-number", "医疗队驰援湖北\n2020年2月10日\n广东省第三批医疗队今日出发支援湖北。\n队员们首周共收治患者80名，其中荆州市30名、武汉市50名。",
     80, ("湖北省", "", "", "2020")),
    ("aid-story-dateline-is-not-the-place", "浙江医疗队援疆一年\n2023年5月4日\n新华社乌鲁木齐5月4日电 专家们开展新技术40项，填补了阿克苏地区的空白。",
     40, ("新疆维吾尔自治区", "阿克苏地区", "", "2023")),
    # a country named after a destination word is abroad; a place of ours of the same start is not
    ("implicit-shanghai", "援沪医疗队返回\n2022年6月12日\n援沪医疗队在方舱医院累计收治患者469人。",
     469, ("上海市", "", "", "2022")),
    ("support-a-city-not-implicit", "医疗队支援吉安\n2021年5月1日\n省医院医疗队支援吉安市，接诊患者300人次。",
     300, ("江西省", "吉安市", "", "2021")),
    ("aid-to-a-country-not-a-province", "援外医疗队总结\n2023年8月8日\n援吉布提医疗队两年来共完成手术64台。",
     64, ("国外", "", "", "2021-2023")),
    ("aid-to-a-country-by-taiwans-name", "醫療團返國\n2019年5月1日\n援甘比亞醫療團今年服務病患3000人次。",
     3000, ("国外", "", "", "2019")),
    ("voiced-support-is-no-destination", "床位建设\n2023年1月1日\n全市新增床位4万张。多国民众声援伊朗反政府抗议活动。",
     40000, ("", "", "", "2023")),
    ("destination-country", "医疗团越境义诊\n2016年7月1日\n医疗团6月底前往越南同奈省义诊，服务民众3000人次。",
     3000, ("国外", "", "", "2016")),
    ("county-not-country", "医疗队草原义诊\n2021年5月1日\n市医院医疗队赴巴林左旗开展义诊，接诊群众600人次。",
     600, ("内蒙古自治区", "赤峰市", "巴林左旗", "2021")),
    # the base a figure is compared with is not its year; 后年 and a planned figure's completion year
    ("compared-base-after-number", "骨科年度总结\n2025年12月27日\n全年门诊量达8.2万人次，较去年增长12%。",
     82000, ("", "", "", "2025")),
    ("planned-year-after-next", "县医院新院区\n2021年3月2日\n县医院新院区预计今年底动工，后年底完工，规划床位600张。",
     600, ("", "", "", "2023")),
    ("compared-base-before-number", "骨科年度总结\n2025年12月27日\n2025年，科室门诊量较去年增长12%；出院患者1.1万人次。",
     11000, ("", "", "", "2025")),
    ("planned-article-completion-year", "东山医院将于2023年5月1日开业\n2021年11月12日\n该院是广东省2021年重点项目，规划设置床位3100张。",
     3100, ("广东省", "", "", "2023")),
    ("planned-horizon-over-completion", "县卫生规划\n2021年6月1日\n未来五年内全县将新设三座医院。其中县医院新院区预计2024年完工。",
     3, ("", "", "", "2021-2026")),
    ("recent-years", "卫生事业发展\n2023年5月1日\n近五年，全县新增床位800张。",
     800, ("", "", "", "2018-2023")),
    ("year-before-last", "卫生事业简报\n2022年6月1日\n前年全县新增床位120张。",
     120, ("", "", "", "2020")),
    # 目前 is today; 目前已 runs on from the years before it; a running cue after the number is another figure's
    ("now-not-next-sentence-year", "援外医疗工作\n2023年8月1日\n目前，全市常年驻外医疗队员19人。其中，首支医疗队于2002年派出。",
     19, ("国外", "", "", "2023")),
    ("now-running-total", "对口帮扶八年\n2024年10月16日\n过去8年来，专家团队扎根县医院。目前已接诊患者2万人次。",
     20000, ("", "", "", "2016-2024")),
    ("running-cue-after-the-number", "援外医疗队出征\n2025年8月1日\n2025年援外医疗队总人数48名 - 全省自1964年以来累计派出1200人次。",
     48, ("国外", "", "", "2025")),
    ("story-locality-over-a-partner", "泉州市医疗卫生事业发展\n2022年9月28日\n晋江市医院与上海某医院深度合作，吸引上海专家团队入驻，至今已开展新技术62项，填补了福建省技术空白。",
     62, ("福建省", "泉州市", "晋江市", "2022")),
    ("aid-story-two-cities-before", "宁夏医疗队凯旋\n2020年3月25日\n宁夏先后派出援助湖北医疗队。\n队员们分别在武汉市、襄阳市开展救治，累计救治患者323人。",
     323, ("湖北省", "", "", "2020")),
    ("reporter-name-is-no-place", "市人民医院病房楼封顶\n2013年12月19日\n漳州市人民医院病房楼工程昨日封顶。\n新楼可开放床位360张。（本网记者 林深圳 通讯员 林阳珍）",
     360, ("福建省", "漳州市", "", "2013")),
    ("straight-years-without-a-start", "对口帮扶\n2019年12月5日\n2019年，省医院已连续3年选派医生8名赴某县帮扶。",
     8, ("", "", "", "2019")),
    ("straight-years-from-an-event", "对口帮扶\n2018年1月5日\n2016年，县医院纳入组团式帮扶，省医院连续2年选派专家15名赴县医院。",
     15, ("", "", "", "2016-2017")),
    ("straight-years", "对口帮扶\n2019年1月5日\n自2016年起，省医院连续3年选派医生18名赴某县帮扶。",
     18, ("", "", "", "2016-2018")),
    # spans that run from a year to the article's own
    ("since-a-month-to-now", "医疗队工作简报\n2024年6月15日\n2021年3月至今，医疗队累计接诊患者8000人次。",
     8000, ("", "", "", "2021-2024")),
    ("since-early-in-a-year", "卫生事业简报\n2024年6月15日\n2019年初以来，全县新增床位300张。",
     300, ("", "", "", "2019-2024")),
    ("since-last-year", "卫生事业简报\n2024年6月15日\n去年以来，全县新增床位260张。",
     260, ("", "", "", "2023-2024")),
    ("since-an-event", "县医院十年\n2024年6月15日\n2018年挂牌以来，医院累计接诊患者50万人次。",
     500000, ("", "", "", "2018-2024")),
    ("since-an-event-with-a-subject", "县医院发展\n2024年6月15日\n2019年医院整体搬迁以来，累计新增床位420张。",
     420, ("", "", "", "2019-2024")),
    ("a-best-year-is-no-span", "县医院年报\n2024年1月15日\n2023年是医院建院以来发展最快的一年，新增床位150张。",
     150, ("", "", "", "2023")),
    ("began-before-a-running-total", "对口帮扶\n2024年6月15日\n2017年起，医院累计派出医务人员300名赴乡镇支援。",
     300, ("", "", "", "2017-2024")),
    ("began-running-total-to-a-year", "对口帮扶\n2024年6月15日\n从2015年开始，截至2023年底，医院累计派出医务人员260名赴乡镇支援。",
     260, ("", "", "", "2015-2023")),
    ("began-each-year-is-no-span", "对口帮扶\n2024年6月15日\n从2020年开始，医院每年派出医务人员30名赴乡镇支援。",
     30, ("", "", "", "2020")),
    ("since-a-plan-began", "卫生事业简报\n2024年6月15日\n“十四五”以来，全县新增床位900张。",
     900, ("", "", "", "2021-2024")),
    # 全省, 全市 of a figure with no place of its own: that level of the article's place
    ("whole-province-of-a-city-story", "三亚市人民医院新院区启用\n2024年6月15日\n全省今年新增床位2000张。\n该院新增床位500张。",
     2000, ("海南省", "", "", "2024")),
    ("whole-city-of-a-county-story", "于都县人民医院扩建\n2024年6月15日\n今年全市共派出医生80名到乡镇卫生院帮扶。",
     80, ("江西省", "赣州市", "", "2024")),
    ("whole-region-of-a-city-story", "南宁市第一人民医院新闻\n2024年6月15日\n全区今年新增床位9000张。",
     9000, ("广西壮族自治区", "", "", "2024")),
    ("whole-district-of-a-district-story", "青秀区卫生健康局\n2024年6月15日\n全区今年新增家庭病床300张。",
     300, ("广西壮族自治区", "南宁市", "青秀区", "2024")),
    ("whole-county-of-a-city-story-unknown", "赣州市人民医院新闻\n2024年6月15日\n全县今年新增床位300张。",
     300, ("", "", "", "2024")),
    ("a-rank-is-no-whole-level", "于都县人民医院新闻\n2024年6月15日\n作为全市首家县级三甲医院，该院今年新增床位300张。",
     300, ("江西省", "赣州市", "于都县", "2024")),
    # a place named after the figure with a figure of its own is the next figure's
    ("next-figures-place", "卫生事业简报\n2024年6月15日\n海南省今年新增床位2000张，三亚市新增床位500张。",
     2000, ("海南省", "", "", "2024")),
    ("a-part-is-not-the-wholes-place", "卫生事业简报\n2024年6月15日\n深圳市今年新增床位6000张，其中福田区新增800张。",
     6000, ("广东省", "深圳市", "", "2024")),
    ("the-part-keeps-its-own", "卫生事业简报\n2024年6月15日\n深圳市今年新增床位6000张，其中福田区新增800张。",
     800, ("广东省", "深圳市", "福田区", "2024")),
    ("a-place-the-figure-is-about-after-it", "援疆工作\n2024年6月15日\n援疆专家开展新技术40项，填补了阿克苏地区的空白。",
     40, ("新疆维吾尔自治区", "阿克苏地区", "", "2024")),
    ("a-running-cue-in-another-sentence", "县人民医院工作汇报\n2014年1月10日\n自2012年新医院运行以来，全院职工奋发进取。2013年医院门诊2万人次；年手术446台。",
     446, ("", "", "", "2013")),
    # Taiwan by its ministry (衛福部), a year of the Republic before 年前; Hong Kong by 全港
    ("roc-year-in-a-ministrys-story", "衛福部公布長照計畫\n2024年5月1日\n預計115年前新增病床1200床。",
     1200, ("台湾省", "", "", "2026")),
    ("all-of-hong-kong", "施政報告\n2019年1月1日\n去年，全港共有公立醫院病床28000張。",
     28000, ("香港特别行政区", "", "", "2018")),
    ("hong-kong-fiscal-attendances", "施政報告\n2023年10月25日\n醫管局在2022/23年度共處理急症室求診200萬人次。",
     2000000, ("香港特别行政区", "", "", "2022-2023")),
    # where a team comes from is not where it works (trainees are at home, where they work)
    ("experts-from-elsewhere", "医院简讯\n2024年6月15日\n来自北京协和医院的12名专家在拉萨市人民医院坐诊。",
     12, ("西藏自治区", "拉萨市", "", "2024")),
    ("a-team-named-by-its-home", "医院简讯\n2024年6月15日\n在云南省怒江州泸水市，上海医疗队已累计完成手术260台。",
     260, ("云南省", "怒江傈僳族自治州", "泸水市", "2024")),
    ("a-resident-team-named-by-its-home", "石狮市医院发展\n2022年5月1日\n医院还吸引20名上海某医院常驻专家团队轮番入驻。",
     20, ("福建省", "泉州市", "石狮市", "2022")),
    ("a-local-team-keeps-its-place", "医院简讯\n2024年6月15日\n于都县医疗队深入乡村义诊，服务群众500余人次。",
     500, ("江西省", "赣州市", "于都县", "2024")),
    ("trainees-from-their-home", "医院简讯\n2024年6月15日\n省人民医院在广州举办培训班，培训来自梅州、河源的基层医生200名。",
     200, ("广东省", "", "", "2024")),
    # a city's bulletin that names one county further down (after its lead): its figures stay the city's
    ("bulletin-part-stays-the-citys", BULLETIN + "全市医疗卫生机构床位数5.8万张。其中：医院床位4.6万张，基层医疗卫生机构床位1.1万张。\n"
     "于都县人民医院新院区建成启用，新增床位800张。", 46000, ("江西省", "赣州市", "", "2023")),
    ("bulletin-county-figure-is-the-countys", BULLETIN + "全市医疗卫生机构床位数5.8万张。\n于都县人民医院新院区建成启用，新增床位800张。",
     800, ("江西省", "赣州市", "于都县", "2023")),
    ("a-later-sentences-place-is-not-the-figures", BULLETIN + "全年投入卫生健康资金35亿元。于都县人民医院新院区建成启用。",
     3500000000, ("江西省", "赣州市", "", "2023")),
    # one year back: the twelve months before the date (within its year only in December)
    ("the-past-year-in-spring", "醫管局公布新一年度計劃\n2024-03-28\n過去一年，急症室求診人次約200萬。",
     2000000, ("香港特别行政区", "", "", "2023-2024")),
    # a heading's year over the lines below it, to the next heading
    ("a-plans-heading", "县人民医院工作总结\n2024年1月5日\n一、2023年工作回顾\n全年完成手术8650台次。\n二、2024年工作计划\n完成新住院楼建设，新增床位300张。",
     300, ("", "", "", "2024")),
    ("a-reviews-heading", "县人民医院工作总结\n2024年1月5日\n一、2023年工作回顾\n全年完成手术8650台次。\n二、2024年工作计划\n完成新住院楼建设，新增床位300张。",
     8650, ("", "", "", "2023")),
    ("a-heading-without-a-year", "县人民医院2023年工作总结\n2024年1月5日\n一、2022年基本情况\n医院始建于1952年。\n二、重点工作\n全年选派医师15名到乡镇卫生院驻点帮扶。",
     15, ("", "", "", "2023")),  # the nearest heading names none: the title's year
    ("a-short-line-with-a-figure-is-no-heading", "县人民医院简报\n2024年1月5日\n2022年新增床位120张\n全院开展新技术12项。",
     12, ("", "", "", "2024")),
    # 分别: one figure to each of a list, in order
    ("respectively-first-place", "卫生事业简报\n2024年6月15日\n南宁市、柳州市分别新增床位3100张、1800张。",
     3100, ("广西壮族自治区", "南宁市", "", "2024")),
    ("respectively-second-place", "卫生事业简报\n2024年6月15日\n南宁市和柳州市今年分别新增床位3100张和1800张，共计4900张。",
     1800, ("广西壮族自治区", "柳州市", "", "2024")),
    ("respectively-lists-of-two-lengths", "卫生事业简报\n2024年6月15日\n南宁市、柳州市、桂林市分别新增床位3100张、1800张。",
     1800, ("广西壮族自治区", "", "", "2024")),
    ("respectively-first-year", "县医院年报\n2024年6月15日\n2022年、2023年，医院分别新增床位100张、200张。",
     100, ("", "", "", "2022")),
    ("respectively-second-year", "县医院年报\n2024年6月15日\n2021年和2022年，两院分别完成手术1200台和1500台。",
     1500, ("", "", "", "2022")),
    ("respectively-months-of-two-years", "县医院年报\n2024年6月15日\n今年1-5月和去年同期，医院分别接诊患者3万人次和2.5万人次。",
     30000, ("", "", "", "2024")),
    ("a-plans-end", "卫生事业规划\n2023年2月1日\n力争到“十四五”末，全市新增床位1000张。",
     1000, ("", "", "", "2025")),
]


@pytest.mark.parametrize("article,value,expected", [c[1:] for c in ARTICLES], ids=[c[0] for c in ARTICLES])
def test_place_and_period_of_whole_articles(article, value, expected):
    facts = [f for f in zhfacts.extract(article) if abs(f.value - value) < 0.5]
    assert facts, article
    f = facts[0]
    assert (f.province, f.city, f.county, f.period) == expected


@pytest.mark.parametrize("text,kept", [
    ("博爱医院新院开工", []),  # a county's bare short name, nothing backs it: a word
    ("河南省焦作市博爱县医院", ["河南省", "焦作市", "博爱县"]),
    ("焦作博爱两地医院", ["焦作市", "博爱县"]),  # its city named: the short name stands
    ("东区医院", []),  # a two-character county name many cities share
    ("攀枝花市东区医院", ["攀枝花市", "东区"]),
    ("武昌方舱医院", []),
    ("武汉武昌方舱医院", ["武汉市", "武昌区"]),
], ids=lambda v: v if isinstance(v, str) else None)
def test_county_names_count_only_when_the_article_backs_them(text, kept):
    from zhfacts.place import corroborated

    g = gazetteer()
    assert [g.places[c].name for _, _, c in corroborated(text, mentions(text))] == kept


# Pieces periods are written with, and others, to build texts from.
_PERIOD_PIECES = ["民国", "112", "113", "98", "2019", "2023", "23", "二〇二三", "一九九八", "年", "年度", "至", "到",
                  "-", "—", "/", "~", "以来", "来", "近", "过去", "最近", "五", "十四五", "“", "”", "十八大", "召开",
                  "未来", "今后", "今年", "本年度", "年内", "去年", "上年度", "上一年", "明年", "下年度", "后年",
                  "前年", "此", "之", "多", "余", "3", "10", "两", "三", "月", "日", "今(", ")", "（", "）", "医院",
                  "床位", "张", "，", "。", " ", "第", "底", "初", "末", "至今", "迄今", "期末"]


# One of each way a period is written (PERIODS), each kind's first character.
_PERIOD_PHRASES = ["2019年至2023年", "2019-23年度", "2024/25年度", "2019年以来", "十八大以来", "10年来", "三十多年来",
                   "过去3年", "近十年", "最近两年", "“十四五”", "十三五期间", "二〇二三年", "民国102至104年度",
                   "民国112年", "113年度", "今(113)年", "未来5年", "今后两年", "今年", "本年度", "年内", "去年度", "去年",
                   "上年度", "上一年", "明年", "下年度", "后年", "前年", "2021年3月至今", "2019年初以来",
                   "去年以来", "十四五以来", "“十三五”末"]


@pytest.mark.parametrize("start", [0, 7])
@pytest.mark.parametrize("phrase", _PERIOD_PHRASES)
def test_every_kind_of_period_starts_with_a_lookahead_character(phrase, start):
    import re

    from zhfacts.place import PERIODS, period_re

    bare = re.compile("|".join(f"(?P<k{i}>{p})" for i, (p, _) in enumerate(PERIODS) if i >= start))
    text = f"据悉，{phrase}该院床位"
    assert [(m.span(), m.lastgroup) for m in period_re(start).finditer(text)] == \
        [(m.span(), m.lastgroup) for m in bare.finditer(text)]


@pytest.mark.parametrize("start", [0, 7])
def test_the_first_character_lookahead_never_changes_a_match(start):
    """period_re tries its alternatives only where PERIOD_START says a period may begin:
    over texts made of the pieces periods are written with, it finds exactly what the
    bare alternation finds."""
    import re

    from hypothesis import given, settings, strategies as st

    from zhfacts.place import PERIODS, period_re

    bare = re.compile("|".join(f"(?P<k{i}>{p})" for i, (p, _) in enumerate(PERIODS) if i >= start))

    @given(st.lists(st.sampled_from(_PERIOD_PIECES), max_size=14).map("".join))
    @settings(max_examples=1500, deadline=None)
    def same(text):
        assert [(m.span(), m.lastgroup) for m in period_re(start).finditer(text)] == \
            [(m.span(), m.lastgroup) for m in bare.finditer(text)]

    same()


# Pieces of the ways places and periods are written, and the words around them, to build
# articles from: lists read 分别, whole levels, a team's home, spans to now, wrapped lines.
_WHERE_PIECES = ["南宁市", "柳州市", "、", "和", "分别", "新增床位", "3100张", "1800张", "，", "。", "\n", "全省", "全市",
                 "全区", "首家", "来自", "北京", "上海医疗队", "在", "泸水市", "2021年", "3月", "至今", "以来", "一年来",
                 "过去一年", "去年以来", "十四五", "末", "2017年起", "累计", "派出", "医生", "10名", "8名", "其中", "3项",
                 "新技术", "服务", "80位", "村民", "义诊", "朝阳区", "鼓楼区", "北京市", "卫福部", "115年", "全港", "求诊",
                 "200万人次", "县中医院始建于一九五八年是一所集医疗教学科研", "年门诊", "约 22315人次", "赴", "援疆",
                 "接诊患者"]


@pytest.mark.parametrize("head", ["卫生事业简报\n2024年6月15日\n", "于都县人民医院新闻\n2023-12-30\n", ""])
def test_places_and_periods_never_crash_and_stay_well_formed(head):
    """Whatever the pieces make, every fact gets a place of the gazetteer's (or none, 全国,
    国外) and a period of one year or an ordered span."""
    import re

    from hypothesis import given, settings, strategies as st

    g = gazetteer()
    names = {p.name for p in g.places.values()}

    @given(st.lists(st.sampled_from(_WHERE_PIECES), min_size=3, max_size=50).map("".join))
    @settings(max_examples=150, deadline=None)
    def well_formed(body):
        for f in zhfacts.extract(head + body):
            assert f.province in names | {"", "全国", "国外"}
            assert not f.city or f.city in names
            assert not f.county or f.county in names
            m = re.fullmatch(r"(\d{4})(?:-(\d{4}))?", f.period) if f.period else None
            assert not f.period or (m and (not m.group(2) or m.group(1) < m.group(2))), f.period

    well_formed()


@pytest.mark.parametrize("url,name", [
    ("https://wjw.xinxiang.gov.cn/zzjs/2022-05-19/28041.html", "新乡市"),
    ("http://www.yudu.gov.cn/xxgk/a.html", "于都县"),  # 于都 read yudu, not the commoner yudou
    ("http://www.yudu.ganzhou.gov.cn/", "于都县"),  # the most specific of labels that agree
    ("http://wsjkw.jiangxi.gov.cn/art/1.html", "江西省"),
    ("http://www.ganzhou.gov.cn/", "赣州市"),  # the city over 张掖's 甘州区, a level below
    ("http://www.jilin.gov.cn/", "吉林省"),  # the province holds its own city
    ("http://www.taizhou.gov.cn/", ""),  # 台州 or 泰州: no one can tell
    ("http://www.shanxi.gov.cn/", ""),  # 山西 or 陕西
    ("http://www.nhc.gov.cn/", ""),  # the national commission: no place label
    ("http://szb.northnews.cn/nmgrb/html/a.htm", ""),  # only government sites are read
    ("not an address", ""),
])
def test_a_government_sites_address_names_its_place(url, name):
    from zhfacts.gazetteer import place_of_url

    assert place_of_url(url) == name


def test_a_scraped_pages_address_places_a_page_that_names_no_place(tmp_path):
    """A JSON Lines export's `url`: a hospital's news with only 我院 is placed at the city
    its government site names (place_from `source`); the same text without it has none."""
    import json

    from zhfacts.cli import main

    text = "世界高血压日义诊\n2022年5月17日，我院组织心、脑、肾等多学科专家在门诊大厅举行义诊活动，共接诊群众500余人次。"
    dump = tmp_path / "dump.jsonl"
    dump.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [
        {"url": "https://wjw.xinxiang.gov.cn/zzjs/2022-05-19/1.html", "content": text, "published": "2022-05-19"},
        {"url": "https://example.com/a.html", "content": text.replace("500", "600"), "published": "2022-05-19"},
    ]), encoding="utf-8")
    assert main(["ingest", str(dump), "--out", str(tmp_path / "out")]) == 0
    facts = {int(r.value): r for r in zhfacts.read_facts(tmp_path / "out").itertuples()}
    assert (facts[500].province, facts[500].city, facts[500].place_from) == ("河南省", "新乡市", "source")
    assert (facts[600].province, facts[600].city, facts[600].place_from) == ("", "", "")


def test_an_html_pages_canonical_address_places_it_too():
    """A saved page's <link rel="canonical"> (or og:url) is its address, read as a JSON
    record's url is."""
    html = ("<html><head><title>世界高血压日义诊</title>"
            "<link rel=\"canonical\" href=\"https://wjw.xinxiang.gov.cn/zzjs/2022-05-19/1.html\"></head>"
            "<body><h1>世界高血压日义诊</h1><p>2022年5月17日，我院组织心、脑、肾等多学科专家在门诊大厅举行义诊活动，"
            "共接诊群众500余人次。</p></body></html>")
    facts = zhfacts.extract(html.encode("utf-8"), html=True)
    assert [(f.value, f.city, f.place_from) for f in facts] == [(500, "新乡市", "source")]


def test_a_pages_headline_is_read_as_a_text_files_is():
    """A saved page whose text starts with its <title>: the headline's figure is a fact
    and its place the story's, as for the same article in a text file."""
    title = "于都县人民医院新院区启用 新增床位500张"
    body = "记者从医院获悉，新院区昨日正式启用，设有12个病区，配备各类医疗设备1200台（套），群众就医条件明显改善。"
    html = (f"<html><head><title>{title}</title></head><body><h1>{title}</h1>"
            f"<p>发布时间：2021-09-01</p><p>{body}</p></body></html>")
    text = f"{title}\n2021年9月1日\n{body}"
    page = [(f.metric, f.value, f.county) for f in zhfacts.extract(html.encode("utf-8"), html=True)]
    plain = [(f.metric, f.value, f.county) for f in zhfacts.extract(text)]
    assert ("beds", 500, "于都县") in page and page == plain
