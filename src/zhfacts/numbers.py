"""Chinese quantity parser: numerals, magnitudes, ranges, qualifiers and measure words.

Runs on normalised text (half-width digits, Simplified script).  `find_quantities`
recognises every quantity of a clause in one compiled regex pass, so the segmenter can
keep each as a single token and the rules see a parsed value, never `2.08` / `万张`.
"""
from __future__ import annotations

import re
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
    套 间 座 号 级 倍 篇 条 件 届 轮 类 元钱 块 米 吨 亩 部 本 根 组 队 把 层 栋 床位""".split(),
               key=len, reverse=True)

PREFIX_QUALIFIERS = {
    "大约": "about", "约": "about", "将近": "nearly", "接近": "nearly", "近": "nearly",
    "超过": "more_than", "逾": "more_than", "多于": "more_than", "高于": "more_than",
    "不少于": "at_least", "至少": "at_least", "不低于": "at_least", "最少": "at_least",
    "不超过": "at_most", "不多于": "at_most", "最多": "at_most", "不到": "at_most",
}
# 上百, 上千, 数十, 数百万: round figures told as "over"; a prefix only before 十百千万.
ROUND_PREFIXES = {"上": "more_than", "数": "more_than"}
SUFFIX_QUALIFIERS = {"以上": "more_than", "多": "more_than", "余": "more_than",
                     "几": "more_than", "左右": "about", "上下": "about", "以内": "at_most",
                     "以下": "at_most"}

_ARABIC = r"[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"
_CN = r"[零〇一二两三四五六七八九十百千万亿]+"
_PREFIX = "|".join(sorted(PREFIX_QUALIFIERS, key=len, reverse=True))
_ROUND = "[" + "".join(ROUND_PREFIXES) + "]"
# The first characters of every prefix: where a quantity without a numeral can start.
_PREFIX_FIRST = "".join(sorted({p[0] for p in (*PREFIX_QUALIFIERS, *ROUND_PREFIXES)}))
_UNIT = "|".join(re.escape(u) for u in UNITS)
_APPROX = r"多|余|几"
_SEP = r"至(?!少)|到|-|~|～|—|－"

# One number: Arabic or Chinese numerals, then optional 多/余/几, magnitude and 多/余.
_NUMBER = rf"""
    (?:(?:{_ARABIC})(?:[十百千]?[万亿]?|[十百千])?|{_CN}(?=(?:{_APPROX})?(?:{_UNIT}|[%‰]|至(?!少)|到)))
    (?:{_APPROX})?(?:[万亿](?:{_APPROX})?)?
"""
_QUANTITY = (
    rf"""
    (?=[{_PREFIX_FIRST}0-9零〇一二两三四五六七八九十百千万亿])  # fail fast elsewhere
    (?<![A-Za-z\d._#])(?<![0-9][,/:])
    (?P<prefix>{_PREFIX}|{_ROUND}(?=[十百千万]))?
    (?P<n1>{_NUMBER})
    (?:(?P<u1>{_UNIT})?(?P<sep>{_SEP})(?P<n2>{_NUMBER}))?
    (?P<unit>{_UNIT}|[%‰])?
    (?P<suffix>以上|左右|上下|以内|以下)?
    (?![A-Za-z\d])
    """
)
ARABIC_HEAD = re.compile(rf"({_ARABIC})(.*)")
NUMERAL = re.compile(r"[0-9零〇一二两三四五六七八九十]")
CANDIDATE_RE = re.compile(r"[\d零〇一二两三四五六七八九十百千万亿]")
# A bare 百/千/万 after a qualifier (近百项, 上千名): a quantity without a numeral.
_BARE_ROUND = re.compile(rf"(?=[{_PREFIX_FIRST}])(?:{_PREFIX}|{_ROUND})[百千万]")


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
    """
    if not text:
        raise ValueError("empty numeral")
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
    """
    qualifier = "exact"
    core = text
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
    if prefix:
        return PREFIX_QUALIFIERS.get(prefix) or ROUND_PREFIXES[prefix]
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
        if not NUMERAL.search(n1) and not prefix:
            continue  # a bare 百/千/万 is idiom or a name (千名医护, 百家); 近百项 is a count
        unit = unit or u1 or ""
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
        start = m.start()
        found.append(Quantity(
            m.group(0), start, m.end(), value, value_max, unit,
            _qualifier(prefix, inner, suffix, value_max is not None),
            start > 0 and text[start - 1] in "第首", prefix or ""))
    return found


def plain(value: float) -> int | float:
    """A value as analysts write it: 20800, not 20800.0."""
    return int(value) if float(value).is_integer() else round(value, 6)
