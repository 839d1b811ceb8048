"""The quantity parser: a table of examples, grouped by where they come from, and a
property test that integers written in Chinese numerals parse back to themselves."""
from __future__ import annotations

import pytest
from hypothesis import example, given, settings, strategies as st

from zhfacts.numbers import find_quantities, parse_chinese_integer

# (text, value, value_max, unit, qualifier); None value means: no quantity at all.
CASES = {
    "seeds": [
        ("床位数2.08万张", 20800, None, "张", "exact"),
        ("超过25万平方米", 250000, None, "平方米", "more_than"),
        ("选派57余名骨干", 57, None, "名", "more_than"),
        ("接诊患者超过12万人次", 120000, None, "人次", "more_than"),
        ("实施各类手术7000多台次", 7000, None, "台次", "more_than"),
        ("新科室17个", 17, None, "个", "exact"),
        ("价值50余万元", 500000, None, "元", "more_than"),
        ("遴选1个至5个县域医疗次中心", 1, 5, "个", "range"),
        ("讲座八十余期", 80, None, "期", "more_than"),
        ("十几名上海专家", 10, None, "名", "more_than"),
        ("近2000人次", 2000, None, "人次", "nearly"),
        ("不少于1000名医护人员", 1000, None, "名", "at_least"),
        ("派驻至少12人的", 12, None, "人", "at_least"),
        ("12名以上专家", 12, None, "名", "more_than"),
        ("已有28.89万人纳入", 288900, None, "人", "exact"),
        ("9.7万名高血压", 97000, None, "名", "exact"),
        ("1万名临床医师", 10000, None, "名", "exact"),
        ("投资30万元改造", 300000, None, "元", "exact"),
        ("两个专科联盟", 2, None, "个", "exact"),
        ("建设26家普惠性", 26, None, "家", "exact"),
        ("46.3%", 46.3, None, "%", "exact"),
        ("诊疗88612人次", 88612, None, "人次", "exact"),
        ("10余名急诊胸痛患者", 10, None, "名", "more_than"),
    ],
    "chinese_numerals": [
        ("两千三百人", 2300, None, "人", "exact"),
        ("一万二千张", 12000, None, "张", "exact"),
        ("三百零五名", 305, None, "名", "exact"),
        ("十二个", 12, None, "个", "exact"),
        ("一百一十家", 110, None, "家", "exact"),
        ("五十万元", 500000, None, "元", "exact"),
        ("三亿元", 300000000, None, "元", "exact"),
        ("一千零一例", 1001, None, "例", "exact"),
        ("二十余所", 20, None, "所", "more_than"),
        ("三十多项", 30, None, "项", "more_than"),
        ("二〇二四年", 2024, None, "年", "exact"),
        ("四级手术", 4, None, "级", "exact"),
        ("近百项", 100, None, "项", "nearly"),
        ("七千多名", 7000, None, "名", "more_than"),
        ("一亿零五万元", 100050000, None, "元", "exact"),
    ],
    "arabic_and_magnitudes": [
        ("12,345人次", 12345, None, "人次", "exact"),
        ("1.2亿元", 120000000, None, "元", "exact"),
        ("3万多人", 30000, None, "人", "more_than"),
        ("2.5千万元", 25000000, None, "元", "exact"),
        ("0.5万张", 5000, None, "张", "exact"),
        ("3千名", 3000, None, "名", "exact"),
        ("800张", 800, None, "张", "exact"),
        ("1760个普惠托位", 1760, None, "个", "exact"),
    ],
    "qualifiers": [
        ("约3200张", 3200, None, "张", "about"),
        ("约 22315人次", 22315, None, "人次", "about"),  # a space before a digit: one quantity
        ("超过 三级", 3, None, "级", "exact"),  # between two Han a space ends a clause: the prefix is not its
        ("大约500人", 500, None, "人", "about"),
        ("3000人左右", 3000, None, "人", "about"),
        ("逾万人次", 10000, None, "人次", "more_than"),
        ("将近600名", 600, None, "名", "nearly"),
        ("接近90家", 90, None, "家", "nearly"),
        ("不超过50人", 50, None, "人", "at_most"),
        ("200人以内", 200, None, "人", "at_most"),
        ("至少1家", 1, None, "家", "at_least"),
        ("不低于80%", 80, None, "%", "at_least"),
        ("最多30台", 30, None, "台", "at_most"),
        ("500人以上", 500, None, "人", "more_than"),
        ("上百人次", 100, None, "人次", "more_than"),
        ("上万元", 10000, None, "元", "more_than"),
        ("数十名", 10, None, "名", "more_than"),
        ("数百万元", 1000000, None, "元", "more_than"),
    ],
    "ranges": [
        ("3至5个", 3, 5, "个", "range"),
        ("3-5家", 3, 5, "家", "range"),
        ("10~20名", 10, 20, "名", "range"),
        ("2到3所", 2, 3, "所", "range"),
        ("一至两个", 1, 2, "个", "range"),
        ("5万至8万人次", 50000, 80000, "人次", "range"),
        ("3个月至1年", 3, None, "年", "exact"),
    ],
    "real_reporting": [  # kinds of writing seen on real pages; our own sentences
        ("财政安排2亿3000万元", 230000000, None, "元", "exact"),
        ("共计11亿2,400万元", 1124000000, None, "元", "exact"),
        ("养老床位共有86.2 万张", 862000, None, "张", "exact"),
        ("全县共有二一〇〇床", 2100, None, "床", "exact"),
        ("新建病房四百病床", 400, None, "病床", "exact"),
        ("投资过亿元", 100000000, None, "元", "more_than"),
        ("捐赠上亿元", 100000000, None, "元", "more_than"),
        ("价值千万元的设备", 10000000, None, "元", "exact"),
        ("服务超8万人次", 80000, None, "人次", "more_than"),
        ("床位突破1.2万张", 12000, None, "张", "more_than"),
        ("手术5000台次余", 5000, None, "台次", "more_than"),
        ("约2000余床", 2000, None, "床", "more_than"),
        ("每床补助最高10万元", 100000, None, "元", "at_most"),
        ("4人到8人", 4, 8, "人", "range"),
        ("B超12台", 12, None, "台", "exact"),
        ("合计新台币2380万5000元", 23805000, None, "元", "exact"),
        ("预算廿五亿元", 2500000000, None, "元", "exact"),
        ("增设一百卅床", 130, None, "床", "exact"),
        ("约 5200人次", 5200, None, "人次", "about"),
        ("约为500张", 500, None, "张", "about"),  # 约 with a copula: still about
        ("约达1.2亿元", 120000000, None, "元", "about"),
    ],
    "not_quantities": [
        ("一方面", None, None, None, None),
        ("三明医改经验", None, None, None, None),
        ("5G云诊疗", None, None, None, None),
        ("“3342X”能力", None, None, None, None),
        ("千名医师下基层", None, None, None, None),
        ("百家卫生院、千家卫生室", None, None, None, None),
        ("五四北分院", None, None, None, None),
        ("上海六院", None, None, None, None),
        ("上年度", None, None, None, None),
        ("数据中心", None, None, None, None),
        ("年收入达万元", None, None, None, None),
        ("千万不能大意", None, None, None, None),

    ],
}

TABLE = [pytest.param(*case, id=f"{group}:{case[0]}") for group, cases in CASES.items()
         for case in cases]


def test_table_has_enough_cases():
    assert len(TABLE) >= 60


@pytest.mark.parametrize("text,value,value_max,unit,qualifier", TABLE)
def test_quantity(text, value, value_max, unit, qualifier):
    found = find_quantities(text)
    if value is None:
        assert [q for q in found if q.unit] == [], f"{text!r} gave {found}"
        return
    assert found, f"no quantity in {text!r}"
    q = found[0]
    assert (q.value, q.value_max, q.unit, q.qualifier) == (value, value_max, unit, qualifier)
    assert text[q.start:q.end] == q.text


@pytest.mark.parametrize("text,ordinal", [("第八批", True), ("首例", False), ("14批121名", False)])
def test_ordinal_flag(text, ordinal):
    q = find_quantities(text)
    assert bool(q and q[0].ordinal) == ordinal


@pytest.mark.parametrize("text,prefix", [("不少于1000名", "不少于"), ("约3000人次", "约"),
                                         ("将近50张", "将近"), ("近50张", "近"), ("1000名", ""),
                                         ("3000人以上", ""), ("至少2家", "至少"), ("上百人次", "上")])
def test_quantity_keeps_its_prefix(text, prefix):
    q, = find_quantities(text)
    assert q.prefix == prefix


def to_chinese(n: int) -> str:
    """Write an integer in Chinese numerals (the test's own writer, not the parser's)."""
    digits = "零一二三四五六七八九"
    if n == 0:
        return "零"

    def section(x: int) -> str:
        out, zero = "", False
        for value, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d = x // value % 10
            if d:
                if zero and out:
                    out += "零"
                out += digits[d] + name
                zero = False
            elif out:
                zero = True
        return out

    parts, rest, units = [], n, ["", "万", "亿"]
    for i in range(3):
        parts.append((rest % 10000, units[i]))
        rest //= 10000
    out, pending_zero = "", False
    for x, unit in reversed(parts):
        if x:
            if out and (pending_zero or x < 1000):
                out += "零"
            out += section(x) + unit
            pending_zero = False
        elif out:
            pending_zero = True
    return out


@given(st.integers(min_value=1, max_value=999_999_999_999))
def test_chinese_numerals_round_trip(n):
    assert parse_chinese_integer(to_chinese(n)) == n


@given(st.integers(min_value=1, max_value=99_999_999), st.sampled_from(["张", "名", "人次", "家"]))
def test_arabic_quantity_round_trip(n, unit):
    q = find_quantities(f"共{n}{unit}")
    assert len(q) == 1 and q[0].value == n and q[0].unit == unit


NUMBERISH_CHARS = list("0123456789.万亿千百十一二两三四五六七八九零〇约近逾超上数不少于至最多将接张名人次项元 ，。")


@given(st.text(max_size=60))
def test_never_crashes(text):
    for q in find_quantities(text):
        assert text[q.start:q.end] == q.text


NUMBER_PIECES = ["近", "逾", "约", "上", "数", "超过", "不少于", "将近", "百", "千", "万", "十", "三",
                 "8", "余", "多", "项", "名", "人次", "元", "家", "新增", "百姓", "，", "以上"]


@given(st.text(st.sampled_from(NUMBERISH_CHARS), max_size=40)
       | st.lists(st.sampled_from(NUMBER_PIECES), max_size=8).map("".join))
@example("开展新技术近百项")
@example("上千名专家")
@example("数十家")
def test_lines_skipped_for_want_of_a_number_hold_no_quantity(text):
    """The extractor skips lines and sentences without a number: never one that holds
    a quantity."""
    from zhfacts.numbers import has_number

    if find_quantities(text):
        assert has_number(text)


NUMBERISH = list("0123456789.,%~-至到约近超余多几万亿千百十一二两三四五六七八九零〇张名人次家台个第首以上左右 ，。a")


@given(st.text(st.sampled_from(NUMBERISH), max_size=40))
def test_stdlib_re_finds_what_regex_finds(text):
    """The quantity pattern runs on the standard `re` for speed; the `regex` module, which
    the rest of zhfacts uses, must read it the same way."""
    import regex

    from zhfacts.numbers import _QUANTITY, quantity_re

    theirs = regex.compile(_QUANTITY, regex.VERBOSE)
    assert ([m.group(0, "prefix", "n1", "n2", "unit", "suffix") for m in quantity_re().finditer(text)]
            == [m.group(0, "prefix", "n1", "n2", "unit", "suffix") for m in theirs.finditer(text)])


@pytest.mark.parametrize("text,counts", [
    # a noun before a number with no measure word names what it counts
    ("全年出院人次达1.8亿", [(180000000, "人次", "人次")]),
    ("实有床位数4200余", [(4200, "张", "床位数")]),
    ("门诊量超过35万", [(350000, "人次", "门诊量")]),
    ("项目总投资约2.4亿", [(240000000, "元", "总投资")]),
    ("门诊人次约为42万", [(420000, "人次", "人次")]),
    ("项目总投资约2400", [(2400, "", "")]),  # no 万/亿: not read as money
    # one measure word for coordinated numbers
    ("分别为60万和45万人次", [(600000, "人次", ""), (450000, "人次", "")]),
    ("门诊、急诊分别增加2万、0.8万人次", [(20000, "人次", ""), (8000, "人次", "")]),
    # a classifier, then the noun that says what is counted
    ("共设置500个床位", [(500, "张", "床位")]),
    ("完成12万个门诊就诊人次", [(120000, "人次", "人次")]),
    ("开设3个病区", [(3, "个", "")]),
    # the bed word as the measure
    ("新增200床", [(200, "床", "床")]),
], ids=lambda v: v if isinstance(v, str) else None)
def test_mentions(text, counts):
    from zhfacts.numbers import mentions

    got = [(q.value, q.counts, q.noun) for q in mentions(text, find_quantities(text))]
    assert got == counts


@pytest.mark.parametrize("text,antecedents", [
    ("医院3.6万个，比上年增加1200个", [-1, 0]),
    ("设置床位800张，较老院区增加300张", [-1, 0]),  # the base of the comparison is any short phrase
    ("开放床位800张，与改造前相比增加300张", [-1, 0]),
    ("开放床位800张，较2019年增加300张", [-1, -1, 0]),  # the year is a quantity of its own
    ("开放床位800张，其中新院区设置300张", [-1, 0]),  # a part of the 800
    ("床位45.3万张，其中医院36.8万张，基层医疗卫生机构7.5万张", [-1, 0, 0]),  # parts without a verb, listed
    ("床位45.3万张，其中医院36.8万张。每千人口床位6.8张", [-1, 0, -1]),  # a new sentence is no item
    ("床位800张，其中医院600张，全年出院人数3万人", [-1, 0, -1]),  # another measure ends the list
    # the parts of a figure, each with its subject: all continue the figure that names them
    ("全区新增床位1.2万张，其中南宁市新增3100张、柳州市新增1800张", [-1, 0, 0]),
    ("全市新增床位1200张，新增医生300名，其中县级医院新增200张", [-1, -1, 0]),
    ("选派57名医师进修，每周也有十几名专家坐诊", [-1, -1]),  # a subject with 有: a figure of its own
    ("全市共有社区医院45家，其中建成的有30家，在建的有15家", [-1, 0, 0]),  # 其中 or a 的-phrase with 有: parts
    ("床位800张，医护人员较去年增加300名", [-1, -1]),  # names what it counts itself
    ("引进新技术12项，其中3项为省内首创", [-1, 0]),  # 其中 and the number, no subject: a part
    ("引进新技术12项，其中：5项填补省内空白", [-1, 0]),
    ("引进新技术12项，开展手术300台，其中3台为急诊", [-1, -1, 1]),  # the nearest of its own measure
    # a forecast with nothing of its own but when: the figure before it, forecast
    ("上半年门诊量12万人次，预计全年将突破25万人次", [-1, 0]),
    ("上半年完成手术1500台，有望到年底达到3200台", [-1, 0]),
    ("上半年门诊量12万人次，预计全年住院患者将超过2万人次", [-1, -1]),  # names what it counts
    ("全院职工1200人，预计投资3000万元", [-1, -1]),  # another measure
], ids=lambda v: v if isinstance(v, str) else None)
def test_a_change_clause_continues_the_figure_before_it(text, antecedents):
    from zhfacts.numbers import mentions
    from zhfacts.segment import CLAUSE_RE

    starts = [m.start() for m in CLAUSE_RE.finditer(text)]
    assert [q.antecedent for q in mentions(text, find_quantities(text), starts)] == antecedents


ANTECEDENT_PIECES = ["其中", "：", "、", "，", "。", "新增", "增加", "有", "达", "的", "比上年", "较老院区", "医院",
                     "南宁市", "床位", "800张", "300张", "1.2万张", "60名", "每周也", "在建", "45家"]


@given(st.lists(st.sampled_from(ANTECEDENT_PIECES), max_size=14).map("".join))
@settings(max_examples=400)
def test_an_antecedent_is_an_earlier_figure_of_the_same_measure(text):
    """Whatever the text, a part or change continues an earlier quantity that counts the
    same thing, and never one that is itself a part (the chain leads to the total)."""
    from zhfacts.numbers import mentions
    from zhfacts.segment import CLAUSE_RE

    starts = [m.start() for m in CLAUSE_RE.finditer(text)]
    found = mentions(text, find_quantities(text), starts)
    for i, q in enumerate(found):
        if q.antecedent >= 0:
            a = found[q.antecedent]
            assert q.antecedent < i and a.counts == q.counts and a.antecedent == -1
