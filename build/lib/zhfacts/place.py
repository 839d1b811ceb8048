"""Where and when a fact is: its place (province, city, county, code) and period.

Place follows GUIDELINES.md: beds, facilities and funding at the recipient, staff sent at
the destination (赴/到/支援 X, or an implicit 援疆, 援藏...), never the sender; the place
nearest the number that plays that role wins: clause, sentence, paragraph, then the
article's own place (its title, a dateline 新华社拉萨5月1日电).  A level the text does not
point to stays empty.  Period: the years of the clause, sentence or paragraph (2023年,
2019年以来, 十四五, 截至2023年底, 今年, 民国113年, 2024至25年度), a plan's target year,
else the year of publication.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from typing import NamedTuple

from .gazetteer import gazetteer, mentions

NATIONAL = re.compile(r"全国|我国|国家卫健委统计")
WHOLE_LEVEL = re.compile(r"全(省|区|市|州|县)")
# A destination: the place after one of these words (赴拉萨, 到双江县, 支援湖北).
DESTINATION = re.compile(r"(?:赴|到|前往|进驻|支援|援助|驰援|增援|奔赴|赶赴|派往|派驻|下沉|分配给|抵达|来到)$")
SENDER = re.compile(r"^.{0,8}?(?:派出|选派|组派|派遣|组建|抽调|组织)")
# Institutions and currencies that name their place (医管局 is Hong Kong's, 新台币 Taiwan's).
INSTITUTIONS = {"医管局": "810000", "医院管理局": "810000", "港府": "810000", "特区政府": "810000",
                "立法会": "810000", "卫福部": "710000", "新台币": "710000", "行政院": "710000",
                "澳门特区": "820000"}
IMPLICIT = {"援疆": "650000", "援藏": "540000", "援青": "630000", "援滇": "530000", "援黔": "520000",
            "援鄂": "420000", "援港": "810000"}
IMPLICIT_RE = re.compile("|".join(IMPLICIT))
ABROAD = re.compile(r"援外|援非|援助非洲|援[乌贝赞坦马苏加几]|国外|海外|非洲")
DATELINE = re.compile(r"(?:新华社|中新社|新华网|中新网|人民网|央视网|本报|记者)\s*(\S{2,6}?)\s*\d{1,2}月\d{1,2}日(?:电|讯)")

YEAR = r"(?:19|20)\d\d"
PERIODS = [  # (pattern, reader of the match -> (first, last)); the first that matches at a place wins
    (re.compile(rf"({YEAR})\s*(?:年)?\s*(?:-|—|－|~|～|至|到)\s*({YEAR}|\d\d)\s*年"), "span"),
    (re.compile(rf"({YEAR})\s*/\s*(\d\d)\s*年度"), "span"),
    (re.compile(rf"({YEAR})年(?:以来|来)"), "since"),
    (re.compile(r"“?(十[一二三四五六])五”?"), "plan"),
    (re.compile(rf"({YEAR})\s*年"), "year"),
    (re.compile(r"民国\s*(\d{2,3})\s*年|(?<![\d.])(1[01]\d)\s*年度?"), "roc"),
    (re.compile(r"今年|本年度|年内"), "this"),
    (re.compile(r"去年|上年度|上一年"), "last"),
    (re.compile(r"明年"), "next"),
]
CUMULATIVE = re.compile(r"累计|以来|截至|截止|先后|共计")
ARTICLE_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
HEAD = 400  # characters: where an article names its own place (title, dateline, lead)
PLANS = {"十一": (2006, 2010), "十二": (2011, 2015), "十三": (2016, 2020), "十四": (2021, 2025),
         "十五": (2026, 2030), "十六": (2031, 2035)}


class Where(NamedTuple):
    """A fact's place and period, and where each was read (a named tuple: one is made for
    every fact kept, and its fields follow the Fact's first ones)."""

    province: str = ""
    city: str = ""
    county: str = ""
    adcode: str = ""
    place_from: str = ""  # clause, sentence, paragraph, title, dateline, article
    period: str = ""  # 2023 or 2019-2024
    period_from: str = ""  # clause, sentence, paragraph, published, article (an undated one's latest year)


class Locator:
    """The places and years of one article's normalised text, asked once per fact."""

    def __init__(self, text: str, published: str = ""):
        self.text = text
        self.year = int(published[:4]) if published[:4].isdigit() else None
        self.lines: dict[int, tuple] = {}  # line start -> its places and years, read on demand
        self.head = mentions(text[:HEAD])
        self.taiwan = (any(code.startswith("71") for _, _, code in self.head)
                       or "台湾" in text or "臺灣" in text or "民国" in text)
        self.article = self._article_place(text.split("\n", 1)[0])
        # An aid story (赴/支援/援疆 in its head): what its team does happens at the destination.
        self.destination = self._destination(0, min(len(text), HEAD))

    def _line(self, at: int) -> tuple:
        """(places, their starts, years, their starts) of the line holding offset `at`,
        in article offsets; each line is read once, only when a fact in it asks."""
        lo = self.text.rfind("\n", 0, at) + 1
        if lo not in self.lines:
            hi = self.text.find("\n", at)
            hi = len(self.text) if hi < 0 else hi
            line = self.text[lo:hi]
            places = [(a + lo, b + lo, code) for a, b, code in mentions(line)]
            years = sorted((m.start() + lo, m.end() + lo, *span) for pattern, kind in PERIODS
                           for m in pattern.finditer(line) if (span := self._read(kind, m)) is not None
                           ) if "年" in line or "五" in line else []  # every period names 年 or 十X五
            self.lines[lo] = (places, [p[0] for p in places], years, [y[0] for y in years])
        return self.lines[lo]

    @staticmethod
    def _within(items: list, starts: list, lo: int, hi: int) -> list:
        i, out = bisect_right(starts, lo - 1), []
        while i < len(items) and items[i][1] <= hi:
            out.append(items[i])
            i += 1
        return out

    # -- place ---------------------------------------------------------------------------
    def _article_place(self, title: str) -> tuple[str | None, str]:
        g = gazetteer()
        in_title = [m for m in self.head if m[1] <= len(title)]
        if not in_title and NATIONAL.search(title):
            return "national", "title"
        for word, code in INSTITUTIONS.items():
            if word in self.text[:HEAD] and not in_title:
                return code, "title"
        if in_title:
            return max(in_title, key=lambda m: ("province", "city", "county").index(g.places[m[2]].level))[2], "title"
        m = DATELINE.search(self.text[:400])
        if m:
            found = mentions(m.group(1))
            if found:
                return found[0][2], "dateline"
        return (self.head[0][2], "article") if self.head else (None, "")

    def _in(self, lo: int, hi: int) -> list[tuple[int, int, str]]:
        places, starts, _, _ = self._line(lo)
        return self._within(places, starts, lo, hi)

    def _destination(self, lo: int, hi: int) -> str | None:
        """A place the staff are sent to, in text[lo:hi]."""
        m = IMPLICIT_RE.search(self.text, lo, hi)
        if m:
            return IMPLICIT[m.group(0)]
        for a, b, code in self._in(lo, hi):
            if DESTINATION.search(self.text[max(lo, a - 4):a]):
                return code
        if ABROAD.search(self.text, lo, hi):
            return "abroad"
        return None

    def _nearest(self, lo: int, hi: int, at: int, skip_senders: bool) -> str | None:
        found = [m for m in self._in(lo, hi)
                 if not (skip_senders and SENDER.search(self.text[m[1]:m[1] + 12]))]
        if not found:
            return None
        return min(found, key=lambda m: (abs(m[0] - at), m[0]))[2]

    def place(self, metric: str, scopes: list[tuple[str, int, int]], at: int) -> tuple[str | None, str]:
        """(code or "national"/"abroad", where it was read) for a fact at offset `at`;
        `scopes` are (name, start, end) from the clause outwards."""
        staff = metric == "staff_dispatched"
        aid = self.destination is not None  # an aid story: every figure is the team's, at its destination
        for name, lo, hi in scopes:
            if NATIONAL.search(self.text, lo, hi) and not self._in(lo, hi):
                return "national", name
            code = self._destination(lo, hi) if staff or aid else None
            if code is None and not aid:
                code = self._nearest(lo, hi, at, staff)
            if code:
                return code, name
        return (self.destination, "article") if aid else self.article

    def refine(self, code: str, lo: int, hi: int) -> str:
        """The most specific place in the article inside `code` (the title's city when a
        clause names only its province), unless the text speaks of the whole level."""
        g = gazetteer()
        if code not in g.places or WHOLE_LEVEL.search(self.text, lo, hi):
            return code
        article = self.article[0]
        if article and article != code and article in g.places and g.contains(code, article):
            return article
        return code

    # -- period --------------------------------------------------------------------------
    def period(self, scopes: list[tuple[str, int, int]], at: int, planned: bool) -> tuple[str, str]:
        for name, lo, hi in scopes:
            found = self._years(lo, hi, at, planned)
            if found:
                return found, name
        if self.year:
            return str(self.year), "published"
        # Undated article: the latest year it names (a report speaks of its own year last).
        years = [int(y) for y in ARTICLE_YEAR.findall(self.text)]
        return (str(max(years)), "article") if years else ("", "")

    def _years(self, lo: int, hi: int, at: int, planned: bool) -> str:
        best, seen = None, []
        _, _, years, year_starts = self._line(lo)
        for start, _, first, last in self._within(years, year_starts, lo, hi):
            # before the number and nearest first; a plan's target year (到2025年) wins
            key = (0 if planned and self.text[start - 1:start] in ("到", "至") else 1,
                   0 if start <= at else 1, abs(at - start))
            if best is None or key < best[0]:
                best = (key, (first, last))
            seen.append((first, last))
        if best is None:
            return ""
        first, last = best[1]
        if not planned and CUMULATIVE.search(self.text, lo, hi):  # 2015年启动，截至2022年底累计: the span
            first, last = min(s[0] for s in seen), max(s[1] for s in seen)
        return str(first) if first == last else f"{first}-{last}"

    def _read(self, kind: str, m: re.Match) -> tuple[int, int] | None:
        y = self.year
        if kind == "span":
            a, b = int(m.group(1)), m.group(2)
            b = int(b) if len(b) == 4 else a // 100 * 100 + int(b)
            return (a, b) if a < b <= a + 30 else None
        if kind == "since":
            return (int(m.group(1)), y) if y and y > int(m.group(1)) else (int(m.group(1)),) * 2
        if kind == "plan":
            return PLANS.get(m.group(1))
        if kind == "year":
            return (int(m.group(1)),) * 2
        if kind == "roc":
            n = int(m.group(1) or m.group(2))
            return (n + 1911,) * 2 if 80 <= n <= 130 and self.taiwan else None
        offset = {"this": 0, "last": -1, "next": 1}[kind]
        return (y + offset,) * 2 if y else None


def where(locator: Locator, metric: str, scopes: list[tuple[str, int, int]], at: int, planned: bool) -> Where:
    """The place and period of a fact at normalised offset `at`."""
    code, place_from = locator.place(metric, scopes, at)
    period, period_from = locator.period(scopes, at, planned)
    if code is None:
        return Where(period=period, period_from=period_from)
    if code == "national":
        return Where(province="全国", place_from=place_from, period=period, period_from=period_from)
    if code == "abroad":
        return Where(province="国外", place_from=place_from, period=period, period_from=period_from)
    code = locator.refine(code, scopes[0][1], scopes[-1][2]) if scopes else code
    g = gazetteer()
    province, city, county = g.chain(code)
    return Where(province.name if province else "", city.name if city else "", county.name if county else "",
                 code if not code.startswith("71") or code == "710000" else "710000", place_from,
                 period, period_from)
