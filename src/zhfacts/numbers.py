"""Chinese quantity parser: numerals, magnitudes, ranges, qualifiers and measure words.

Runs on normalised text (half-width digits, Simplified script).  `find_quantities`
recognises every quantity of a clause in one compiled regex pass, so the segmenter can
keep each as a single token and the rules see a parsed value, never `2.08` / `万张`.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple


DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
          "六": 6, "七": 7, "八": 8, "九": 9}
SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
BIG_UNITS = {"万": 10_000, "亿": 100_000_000}

# Measure words, longest first so that 个月 wins over 个 and 人次 over 人.
UNITS = sorted("""人次 台次 例次 万平方米 平方米 平方公里 公里 个月 周年 小时 分钟 千克 公斤
    元 张 床 名 位 人 台 例 家 所 个 处 项 支 批 期 场 份 岁 年 月 天 日 周 分 秒 种 对 户 次 辆
    套 间 座 号 级 倍 篇 条 件 届 轮 类 元钱 块 米 吨 亩 部 本 根 组 队 把 层 栋 床位 病床""".split(),
               key=len, reverse=True)

PREFIX_QUALIFIERS = {
    "大约": "about", "约": "about", "约为": "about", "约达": "about", "约有": "about",
    "将近": "nearly", "接近": "nearly", "近": "nearly",
    "超过": "more_than", "逾": "more_than", "多于": "more_than", "高于": "more_than",
    "不少于": "at_least", "至少": "at_least", "不低于": "at_least", "最少": "at_least",
    "不超过": "at_most", "不多于": "at_most", "最多": "at_most", "不到": "at_most",
    "超": "more_than", "突破": "more_than", "最高": "at_most",
}
# 上百, 上千, 数十, 数百万, 过亿: round figures told as "over"; a prefix only before 十百千万亿.
ROUND_PREFIXES = {"上": "more_than", "数": "more_than", "过": "more_than"}
SUFFIX_QUALIFIERS = {"以上": "more_than", "多": "more_than", "余": "more_than",
                     "几": "more_than", "左右": "about", "上下": "about", "以内": "at_most",
                     "以下": "at_most"}

_ARABIC = r"[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"
_CN = r"[零〇一二两三四五六七八九十廿卅百千万亿]+"
_PREFIX = "|".join(sorted(PREFIX_QUALIFIERS, key=len, reverse=True))
_ROUND = "[" + "".join(ROUND_PREFIXES) + "]"
# The first characters of every prefix: where a quantity without a numeral can start.
_PREFIX_FIRST = "".join(sorted({p[0] for p in (*PREFIX_QUALIFIERS, *ROUND_PREFIXES)}))
_UNIT = "|".join(re.escape(u) for u in UNITS)
_APPROX = r"多|余|几"
_SEP = r"至(?!少)|到|-|~|～|—|－"
# 3亿4500万, 21亿1,150万: the 亿 part and the 万 part of one figure.
_COMPOUND = rf"(?:{_ARABIC})亿(?:{_ARABIC})(?:[千]?万)?|[0-9]+万[0-9]{{1,4}}(?=元)"

# One number: Arabic or Chinese numerals, then optional 多/余/几, magnitude and 多/余.
_NUMBER = rf"""
    (?:{_COMPOUND}|(?:{_ARABIC})(?:\x20?[十百千]?[万亿]|[十百千])?|{_CN}(?=(?:{_APPROX})?(?:{_UNIT}|[%‰]|至(?!少)|到)))
    (?:{_APPROX})?(?:[万亿](?:{_APPROX})?)?
"""
_QUANTITY = (
    rf"""
    (?=[{_PREFIX_FIRST}0-9零〇一二两三四五六七八九十廿卅百千万亿])  # fail fast elsewhere
    (?<![A-Za-z\d._#])(?<![0-9][,/:])
    (?:(?P<prefix>{_PREFIX}|{_ROUND}(?=[十百千万亿]))(?:\x20(?=[0-9]))?)?  # a space only before a digit:
    (?P<n1>{_NUMBER})                                              # between two Han it ends a clause
    (?:(?P<u1>{_UNIT})?(?P<sep>{_SEP})(?P<n2>{_NUMBER}))?
    (?:(?:(?<=[0-9])\x20)?(?P<unit>{_UNIT}|[%‰]))?
    (?P<suffix>以上|左右|上下|以内|以下|余(?![万亿]))?
    (?(unit)(?![A-Za-z])|(?![A-Za-z\d]))  # 5批44人次: a measure word ends the number
    """
)
ARABIC_HEAD = re.compile(rf"({_ARABIC})(.*)")
NUMERAL = re.compile(r"[0-9零〇一二两三四五六七八九十廿卅]")
CANDIDATE_RE = re.compile(r"[\d零〇一二两三四五六七八九十廿卅百千万亿]")
# A bare 百/千/万 after a qualifier (近百项, 上千名): a quantity without a numeral.
# A bare 百万元/千万元/亿元 (价值百万元): money counts without a numeral too.
_BARE_ROUND = re.compile(rf"(?=[{_PREFIX_FIRST}])(?:{_PREFIX}|{_ROUND})[百千万亿]|[百千万亿][百千万亿多余几]*元")


def has_number(text: str) -> bool:
    """Whether a quantity can start in `text`: lines and sentences without one are
    skipped whole (most have a numeral; the rest are checked for 近百, 上千...)."""
    return NUMERAL.search(text) is not None or _BARE_ROUND.search(text) is not None


class Quantity(NamedTuple):
    """A parsed quantity and where it sits in the text it was found in (a named tuple:
    made for every number of every candidate sentence, ten times cheaper than a frozen
    dataclass)."""

    text: str
    start: int
    end: int
    value: float
    value_max: float | None
    unit: str
    qualifier: str
    ordinal: bool = False
    prefix: str = ""  # the qualifier word it starts with: 不少于 of 不少于1000名
    # What the rules see it count, when that is not its own measure word (`mentions`):
    measure: str = ""  # 人次 of 总诊疗人次95.5亿, 张 of 300个床位, 元 of 总投资1.4亿
    noun: str = ""  # the noun read as what it counts: 床位 of 300个床位, 病床 of 四千病床
    noun_at: int = -1  # where that noun starts in the text
    antecedent: int = -1  # the earlier figure an elliptical clause continues (its index)

    @property
    def counts(self) -> str:
        """The measure the rules match: the measure read from the context, else the unit."""
        return self.measure or self.unit


@lru_cache(maxsize=1)
def quantity_re() -> re.Pattern:
    """The quantity pattern, compiled on first use (loading the rules does not need it).
    It needs nothing beyond the standard `re`, which runs it twice as fast as `regex`."""
    return re.compile(_QUANTITY, re.VERBOSE)


def parse_chinese_integer(text: str) -> int:
    """Parse Chinese numerals into an integer.

    >>> parse_chinese_integer("两千三百")
    2300
    >>> parse_chinese_integer("十二")
    12
    >>> parse_chinese_integer("一亿零五万")
    100050000
    >>> parse_chinese_integer("二〇二四")
    2024
    >>> parse_chinese_integer("廿三亿五千万"), parse_chinese_integer("一百卅五")
    (2350000000, 135)
    """
    if not text:
        raise ValueError("empty numeral")
    if "廿" in text or "卅" in text:  # 廿 is 二十, 卅 三十 (Taiwan and Hong Kong writing)
        text = text.replace("廿", "二十").replace("卅", "三十")
        text = text.replace("十十", "十")  # 一百卅五 -> 一百三十五, never 十十
    if all(ch in DIGITS for ch in text) and len(text) > 1:  # 二〇二四: digit by digit
        return int("".join(str(DIGITS[ch]) for ch in text))
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in DIGITS:
            digit = DIGITS[ch]
        elif ch in SMALL_UNITS:
            section += (1 if digit is None else digit) * SMALL_UNITS[ch]
            digit = None
        elif ch in BIG_UNITS:
            section += digit or 0
            if not section and not total:
                section = 1  # 逾万, 近亿: a bare magnitude is one of it
            scale = BIG_UNITS[ch]
            if total and total < scale:
                total = (total + section) * scale
            else:
                total += section * scale
            section, digit = 0, None
        else:
            raise ValueError(f"not a Chinese numeral: {ch!r} in {text!r}")
    return total + section + (digit or 0)


def parse_number(text: str) -> tuple[float, str]:
    """Parse one number with its magnitude; return (value, qualifier from 多/余/几).

    >>> parse_number("2.08万")
    (20800.0, 'exact')
    >>> parse_number("50余万")
    (500000.0, 'more_than')
    >>> parse_number("十几")
    (10.0, 'more_than')
    >>> parse_number("3亿4500万"), parse_number("153.5 万")
    ((345000000.0, 'exact'), (1535000.0, 'exact'))
    """
    qualifier = "exact"
    core = text.replace(" ", "")
    for big in "亿万":
        head, mark, tail = core.partition(big)
        if mark and tail[:1].isdigit():  # 3亿4500万, 1449万6000: the parts of one figure
            high, q1 = parse_number(head + big)
            low, q2 = parse_number(tail)
            return high + low, q1 if q1 != "exact" else q2
    for mark in ("多", "余", "几"):
        if mark in core:
            qualifier = "more_than"
            core = core.replace(mark, "")
    if core.isdigit() and core.isascii():
        return float(core), qualifier
    match = ARABIC_HEAD.match(core)
    if match:
        number = Decimal(match.group(1).replace(",", ""))
        for ch in match.group(2):
            number *= SMALL_UNITS.get(ch) or BIG_UNITS[ch]
        return float(number), qualifier
    return float(parse_chinese_integer(core)), qualifier


def _qualifier(prefix: str | None, inner: str, suffix: str | None, ranged: bool) -> str:
    if ranged:
        return "range"
    if prefix and not (inner == "more_than" and PREFIX_QUALIFIERS.get(prefix) == "about"):
        return PREFIX_QUALIFIERS.get(prefix) or ROUND_PREFIXES[prefix]  # 约3000余床: more_than
    if inner != "exact":
        return inner
    if suffix:
        return SUFFIX_QUALIFIERS[suffix]
    return "exact"


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity in `text`, left to right, with offsets into `text`.

    >>> [(q.value, q.unit, q.qualifier) for q in find_quantities("实施各类手术7000多台次")]
    [(7000.0, '台次', 'more_than')]
    >>> [(q.value, q.value_max, q.unit) for q in find_quantities("遴选1个至5个中心")]
    [(1.0, 5.0, '个')]
    """
    if not CANDIDATE_RE.search(text):
        return []
    found = []
    for m in quantity_re().finditer(text):
        prefix, n1, u1, n2, unit, suffix = m.group("prefix", "n1", "u1", "n2", "unit", "suffix")
        unit = unit or u1 or ""
        if not NUMERAL.search(n1) and not prefix and (unit != "元" or n1 == "万"):
            continue  # a bare 百/千/万 is idiom or a name (千名医护, 百家); 近百项, 百万元 count
        if not ("0" <= n1[0] <= "9") and not unit:
            continue  # Chinese numerals only count with a measure word: 一方面, 三明
        try:
            value, inner = parse_number(n1)
            value_max = None
            if n2:
                value_max, inner2 = parse_number(n2)
                if value_max <= value:
                    value_max = None
        except (ValueError, KeyError, ArithmeticError):
            continue
        start, written = m.start(), m.group(0)
        if prefix == "超" and start and text[start - 1] in "彩Bb":  # 彩超12台: no qualifier
            start, written, prefix = start + 1, written[1:], None
        found.append(Quantity(
            written, start, m.end(), value, value_max, unit,
            _qualifier(prefix, inner, suffix, value_max is not None),
            start > 0 and text[start - 1] in "第首", prefix or ""))
    return found


def plain(value: float) -> int | float:
    """A value as analysts write it: 20800, not 20800.0."""
    return int(value) if float(value).is_integer() else round(value, 6)


# -- mentions: what a quantity counts -----------------------------------------------------
# Nouns that name what a figure counts.  Before a number without a measure word
# (总诊疗人次达95.5亿, 床位数6500余, 门诊量超过40万) or after a classifier (300个床位,
# 15万个就诊人次) they give the measure the rules see.
NOUN_MEASURES = {"人次": "人次", "床位数": "张", "床位": "张", "病床数": "张", "病床": "张",
                 "门诊量": "人次", "诊疗量": "人次", "就诊量": "人次", "门急诊量": "人次",
                 "服务量": "人次", "手术量": "台"}
# Money nouns before an amount in 万/亿 with no 元 (总投资约1.4亿, 预留3,000亿).
MONEY_NOUNS = ("总投资", "投资", "投资额", "总经费", "经费", "资金", "拨款", "预留", "开支",
               "预算", "资助", "捐款", "拨出", "投入")
_LINK = r"(?:总数|总量|总额|数|额)?(?:已|共|合计|累计|全年|分别)?(?:达到|达|为|是|约|增至|增长到|增长至|增加到|增加至|提高到|增加|增长|超过|超|突破|逾|近|接近|将近|高达)?"
_NOUN_BEFORE = re.compile(rf"({'|'.join(sorted(NOUN_MEASURES, key=len, reverse=True))}){_LINK}$")
_MONEY_BEFORE = re.compile(rf"({'|'.join(sorted(MONEY_NOUNS, key=len, reverse=True))}){_LINK}$")
_NOUN_AFTER = re.compile(rf"[^，,。；;、：:\d]{{0,8}}?({'|'.join(sorted(NOUN_MEASURES, key=len, reverse=True))})")
_COORDINATED = re.compile(r"、|和|及|与|以及")
CLASSIFIERS = ("个", "间")  # generic measure words: the noun after them says what is counted
MAGNITUDE = re.compile(r"[万亿]")
# A clause that only says how a figure changed or stands now (比上年增加1200个, 较老院区
# 增加300张, 十年间共增加2200张, 如今已有3100张), or a part of it (其中南宁市新增3100张、
# 柳州市新增1800张): what it counts is named in the clause before it.  The base of a
# comparison, and a part's subject, are any short phrase (上年, 老院区, 南宁市); before 有 or
# 达 a subject only after 其中 or as a 的-phrase (其中建成的有20家，在建的有13家: 每周也有
# 十几名专家 is a figure of its own).
_CHANGED = (r"(?:(?:较|比)[^，,。；;、\d]{0,6}?|与[^，,。；;、\d]{1,6}?相比|同比|年?间|期间|其间|如今|现在|目前|"
            r"今年|年底|年末|共|累计|净|已|又)*")
_ELLIPSIS = re.compile(rf"(?:其中)?[^，,。；;、\d]{{0,6}}?{_CHANGED}"
                      r"(?:增加|增长|新增|减少|下降|提高|扩大|增至|增加到|增长到|增长至)了?"
                      rf"|(?:其中[^，,。；;、\d]{{0,6}}?|[^，,。；;、\d]{{1,6}}?的)?{_CHANGED}(?:达到|达|有)了?")
# A part of a figure named without a verb (其中医院36.8万张, 其中：乡镇卫生院145万张), and
# the items after it (，基层医疗卫生机构7.5万张): a short subject alone.
_PART = re.compile(r"其中[:：]?[^，,。；;、\d]{0,10}?")
_ITEM = re.compile(r"[^，,。；;、\d的]{1,10}")
# A forecast of the figure before it, with nothing of its own but when (预计全年将突破25万人次,
# 有望到年底达到3000台): it counts what that figure counts.
_FORECAST_HINT = re.compile(r"预计|预估|有望")
_FORECAST = re.compile(rf"(?:{_FORECAST_HINT.pattern})(?:到|在)?(?:全年|今年|年底|年内|明年|本年度)?"
                       r"(?:将|可|能|会)?(?:达到|达|超过|突破|超)?")
_ELLIPSIS_END = re.compile(r"(?:增加|增长|新增|减少|下降|提高|扩大|增至|到|至|达|有)了?\s*$")
_PUNCT = "，,：:。！？!?；;、 "
CAPS = ("最高", "最多")
_CLAUSE_BREAK = re.compile(r"[，,。；;：:！？!?]")
OTHER_CURRENCY = re.compile(r"\s?(?:美元|美金|港元|港币|欧元|日元|英镑|澳元|卢布|韩元|新台币|台币)")


def mentions(text: str, quantities: list[Quantity], clause_starts=(0,)) -> list[Quantity]:
    """The quantities of `text` with what each counts (`measure`, `noun`), read from the
    words around it; the one place that knows how reporting names a counted thing.

    >>> [(q.value, q.counts, q.noun) for q in mentions("总诊疗人次达95.5亿", find_quantities("总诊疗人次达95.5亿"))]
    [(9550000000.0, '人次', '人次')]
    >>> [(q.value, q.counts) for q in mentions("门诊、住院分别增加3万、1.2万人次", find_quantities("门诊、住院分别增加3万、1.2万人次"))]
    [(30000.0, '人次'), (12000.0, '人次')]
    >>> [q.qualifier for q in mentions("每床补助最高5万元、每间病房8万元", find_quantities("每床补助最高5万元、每间病房8万元"))]
    ['at_most', 'at_most']
    >>> [q.counts for q in mentions("研发投入10亿美元", find_quantities("研发投入10亿美元"))]
    ['']
    >>> [(q.value, q.counts, q.noun) for q in mentions("可放置300个床位", find_quantities("可放置300个床位"))]
    [(300.0, '张', '床位')]
    >>> [q.antecedent for q in mentions("医院3.6万个，比上年增加1200个", find_quantities("医院3.6万个，比上年增加1200个"), [0, 8])]
    [-1, 0]
    """
    out = list(quantities)
    for i in range(len(out) - 1, -1, -1):  # right to left: 120万和80万人次 takes the next one's
        q = out[i]
        if q.unit in ("床", "病床"):
            out[i] = q._replace(noun=q.unit, noun_at=q.end - len(q.unit))
        elif q.unit in CLASSIFIERS:
            m = _NOUN_AFTER.match(text, q.end)
            if m:
                out[i] = q._replace(measure=NOUN_MEASURES[m.group(1)], noun=m.group(1), noun_at=m.start(1))
        elif not q.unit:
            lo = out[i - 1].end if i else 0
            before = text[max(lo, q.start - 12):q.start]
            nxt = out[i + 1] if i + 1 < len(out) else None
            if (m := _NOUN_BEFORE.search(before)) is not None:
                out[i] = q._replace(measure=NOUN_MEASURES[m.group(1)], noun=m.group(1),
                                    noun_at=q.start - len(before) + m.start(1))
            elif (MAGNITUDE.search(q.text) and not OTHER_CURRENCY.match(text, q.end)
                  and (m := _MONEY_BEFORE.search(before)) is not None):
                out[i] = q._replace(measure="元", noun=m.group(1), noun_at=q.start - len(before) + m.start(1))
            elif nxt is not None and nxt.counts and _COORDINATED.fullmatch(text[q.end:nxt.start] or "-"):
                out[i] = q._replace(measure=nxt.counts, noun=nxt.noun, noun_at=nxt.noun_at)
    if len(out) > 1:  # an antecedent and a shared cap need an earlier figure
        out = _antecedents(text, out, clause_starts)
        if any(q.prefix in CAPS for q in out):
            out = _share_caps(text, out)
    return out


def _antecedents(text: str, quantities: list[Quantity], clause_starts) -> list[Quantity]:
    """An elliptical clause (比上年增加1200个, 十年间共增加2200张, 如今已有3100张) or a part
    (其中南宁市新增3100张, 其中医院36.8万张，基层医疗卫生机构7.5万张) counts what the nearest
    earlier figure of the same measure counts, in a clause before it.  `clause_starts`:
    the clauses' starts, or a function giving them (asked only when some number follows a
    change or stock verb, or 其中, or a part)."""
    out = list(quantities)
    part = None  # (counts, clause index, antecedent) of the last part told without a verb
    for i, q in enumerate(out):
        if i == 0 or not (_ELLIPSIS_END.search(text, max(0, q.start - 8), q.start)
                          or "其中" in text[max(0, q.start - 14):q.start] or part is not None
                          or _FORECAST_HINT.search(text, max(0, q.start - 12), q.start)):
            continue  # most numbers: no change or stock verb, and no 其中, right before them
        if callable(clause_starts):
            clause_starts = clause_starts()
        index = bisect_right(clause_starts, q.start) - 1 if clause_starts else 0
        clause_lo = clause_starts[index] if clause_starts else 0
        lo = max(clause_lo, text.rfind("、", clause_lo, q.start) + 1)  # an item of a list: from its 、
        before = text[lo:q.start]
        for x in out[:i]:
            if x.start >= lo:
                before = before.replace(x.text, "")
        before = before.strip(_PUNCT)
        if not before and text[max(0, lo - 3):lo].rstrip(" ").endswith(("其中:", "其中：")):
            before = "其中"  # 其中：5项填补空白 (the colon ends a clause)
        k, is_part = -1, _PART.fullmatch(before) is not None
        forecast = not is_part and _FORECAST.fullmatch(before) is not None
        if is_part or forecast or _ELLIPSIS.fullmatch(before):
            k = next((k for k in range(i - 1, -1, -1) if out[k].end <= lo and out[k].counts == q.counts), -1)
            if k >= 0 and out[k].antecedent >= 0:
                k = out[k].antecedent  # a part of a part, or the next item: the figure that names them
        elif (part is not None and part[0] == q.counts and index in (part[1], part[1] + 1)
              and _ITEM.fullmatch(before)):
            k = part[2]  # the next item of a list of parts: 基层医疗卫生机构7.5万张
        if k >= 0:
            out[i] = q._replace(antecedent=k)
            part = (q.counts, index, k) if is_part or (_ITEM.fullmatch(before) and not forecast) else None
        elif before:
            part = None
    return out


def _share_caps(text: str, quantities: list[Quantity]) -> list[Quantity]:
    """A cap (最高, 最多) covers the amounts listed after it with 、 in the same clause:
    每床补助最高5万元、每间病房8万元 caps both."""
    out, cap = list(quantities), None
    for i, q in enumerate(out):
        if cap is not None and q.qualifier == "exact" and q.counts == cap.counts:
            between = text[cap.end:q.start]
            if "、" in between and not _CLAUSE_BREAK.search(between):
                out[i] = q._replace(qualifier=cap.qualifier)
                continue
        if q.prefix in CAPS:
            cap = q
        elif q.counts == (cap.counts if cap else None):
            cap = None  # an amount of its own ends the list
    return out
