"""Where and when a fact is: its place (province, city, county, code) and period.

Place follows GUIDELINES.md: beds, facilities and funding at the recipient, staff sent at
the destination (赴/到/支援 X, or an implicit 援疆, 援藏...), never the sender; the place
nearest the number that plays that role wins: clause, sentence, paragraph, then the
article's own place (its title, a dateline 新华社拉萨5月1日电).  A place is then narrowed
to the one division below it that the article's lead, then the whole article, names
(援疆 and only 阿克苏 named: 阿克苏地区), but not to the place of a later figure (海南省新增
2000张，三亚市新增500张); where two differ the level stays empty.  A 全省, 全市 figure
with no place of its own is that level of the article's place (全省 in a 三亚 story: 海南省).
Figures 分别 given to a list take its items in order (南宁市、柳州市分别新增3100张、1800张;
2022年、2023年分别...).
Period: the years of the clause, sentence or paragraph (2023年, 2019年以来, 2021年3月至今,
2018年挂牌以来, 去年以来, 60年来, 十四五, 十四五以来, 十四五末, 截至2023年底, 今年, 后年,
未来五年, 民国102至104年度, 2024至25年度, 二零零八至零九年度, 2018年10月至2019年4月;
2017年起 before a running total 累计 spans to the article's year), but not the base of a comparison after the number (较去年增长),
nor a nearby sentence's year for a figure of now (目前); a plan's target year (到2025年,
后年底完工); a change against a year (与2020年相比增加) up to the latest year; a running
total (累计, 共派出) with no year of its own counts from the year the article says it
began (2002年始派); a returning team's figures span its mission (为期1年); else the year
of publication, or of the event an undated page reports (玉树地震, 抗战胜利70周年).
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from typing import NamedTuple, cast

from .gazetteer import gazetteer, mentions, official_code
from .normalize import to_simplified_str
from .numbers import parse_chinese_integer

NATIONAL = re.compile(r"全国|我国|国家卫健委统计")
WHOLE_LEVEL = re.compile(r"全(省|区|市|州|县)")
# 全省 that governs a figure (全省新增床位): not a rank (全省首家, 全市唯一, 全县最大)
WHOLE_FIGURE = re.compile(r"全(省|区|市|州|县)(?![首唯最第领率排前同])")
# A destination: the place right after one of these words (赴拉萨, 到双江县, 支援湖北).
DESTINATION = frozenset({"赴", "到", "前往", "进驻", "支援", "援助", "驰援", "增援", "奔赴", "赶赴", "派往",
                         "派驻", "下沉", "分配给", "抵达", "来到"})
DESTINATION_LAST = frozenset(word[-1] for word in DESTINATION)
# 到/来到/抵达 X make an aid story only where a team goes there (patients 到海口 for surgery do not).
WEAK_DESTINATION = frozenset({"到", "抵达", "来到"})
TEAM = re.compile(r"医疗队|专家|队员|医生|医务人员|医护人员|工作组|团队")
# Where a team comes from, not where it works: 来自X, 从X; X医疗队, X援疆专家 (up to a
# hospital's name between: 上海六院医疗队).
ORIGIN_BEFORE = re.compile(r"(?:来自|从)$")
ORIGIN_TEAM = re.compile(r"[^，,。；;、\n]{0,8}?(?:医疗队|医疗分队|专家团队|专家组|援[疆藏青滇黔外非][^，,。；;\n]{0,2}?(?:医疗队|专家|医生))")
SENDER = re.compile(r"^.{0,8}?(?:派出|选派|组派|派遣|组建|抽调|组织)")
# Institutions and currencies that name their place (医管局 is Hong Kong's, 新台币 Taiwan's).
INSTITUTIONS = {"医管局": "810000", "医院管理局": "810000", "港府": "810000", "特区政府": "810000",
                "立法会": "810000", "卫福部": "710000", "新台币": "710000", "行政院": "710000",
                "澳门特区": "820000", "全港": "810000", "全澳": "820000"}
INSTITUTION_RE = re.compile("|".join(INSTITUTIONS))
# Aid named by the province's one-character name (援疆 Xinjiang, 援沪 Shanghai); not inside
# 支援/驰援 + a name (支援吉安市), nor 援吉 of 吉安, nor a country's name (援吉布提: Locator._find).
IMPLICIT = {"援疆": "650000", "援藏": "540000", "援青": "630000", "援滇": "530000", "援黔": "520000",
            "援鄂": "420000", "援港": "810000", "援澳": "820000", "援沪": "310000", "援川": "510000",
            "援吉": "220000", "援琼": "460000", "援陕": "610000", "援甘": "620000", "援桂": "450000"}
IMPLICIT_RE = re.compile("|".join(w + "(?!安)" if w == "援吉" else w for w in IMPLICIT))
IMPLICIT_NOT_AFTER = "支救增驰"  # 支援吉安市, 支援鄂州: a name after 支援, not 援吉, 援鄂
ABROAD = re.compile(r"援外|援非|援助非洲|援[乌贝赞坦马苏加几]|国外|海外|非洲")
# A byline's person: 记者 林深圳, 通讯员：王北京 (a name of two to four characters).
BYLINE_CUE = re.compile(r"记者|通讯员|摄影|编辑|责编|作者|实习生")
BYLINE = rf"(?:{BYLINE_CUE.pattern})\s*[:：]?\s*([\u4e00-\u9fff]{{2,4}})(?![\u4e00-\u9fff])"  # byline_re()
DATELINE = re.compile(r"(?:新华社|中新社|新华网|中新网|人民网|央视网|本报|记者)\s*(\S{2,6}?)\s*\d{1,2}月\d{1,2}日(?:电|讯)")

_CD = "零〇○一二三四五六七八九"
CN_DIGITS = str.maketrans(_CD, "000123456789")
YEAR = rf"(?:19|20)\d\d|(?:一九|二[零〇○])[{_CD}]{{2}}"  # 2023, 二〇二三 (budget speeches write years so)
YY = rf"(?:{YEAR}|\d\d|[{_CD}]{{2}})"
DAY = r"(?:\d{1,2}月(?:\d{1,2}日)?)?"
PERIODS = [  # (pattern, reader of the match -> (first, last)); the first that matches at a place wins
    # (compiled only together, by period_re)
    (rf"({YEAR})\s*(?:年{DAY})?\s*(?:-|—|－|~|～|至|到)\s*({YY})\s*年度?", "span"),
    (rf"({YEAR})\s*/\s*({YY})\s*年度", "span"),
    (rf"({YEAR})\s*年(?:来|(?:初|底|末|中)?{DAY}\s*(?:以来|至今|迄今))", "since"),  # 2021年3月至今
    (r"(十[五六七八九]|二十)大(?:以来|召开以来)", "congress"),
    (r"(?<![\d年])(\d{1,3}|[一二两三四五六七八九十]{1,3})\s*(?:多|余)?年(?:以来|来)", "years"),
    (r"(?:近|过去|最近)\s*(\d{1,2}|[一二两三四五六七八九十]{1,3})\s*年(?![级度前内底末])", "years"),
    (r"“?(十[一二三四五六])五”?(?:(以来)|(末|期末|末期))?", "plan"),  # 十四五以来, 十四五末
    (rf"({YEAR})\s*年", "year"),
    (r"民国\s*(\d{2,3})\s*年?\s*(?:-|至|到)\s*(\d{2,3})\s*年度?", "roc_span"),
    # 民国112年, 112年度, and Taiwan's 今(113)年 / 明（114）年 with the year in brackets
    (r"民国\s*(\d{2,3})\s*年|(?<![\d.])(1[01]\d)\s*年度?|[今明去][(（]\s*(1[01]\d)\s*[)）]\s*年", "roc"),
    (r"(?:未来|今后)(\d{1,2}|[一二两三四五六七八九十]{1,2})年", "ahead"),
    (r"今年|本年度|年内", "this"),
    (rf"去年(?:初|底|{DAY})以来", "last_since"),
    (r"去年度|去年|上年度|上一年", "last"),  # 去年度 is Hong Kong's last fiscal year
    (r"(?<![说表证声发标注阐申透文聪光鲜简开分英精高清])明年|下年度", "next"),  # not 表明年均
    (r"(?<![此之以其])后年(?!均)", "after_next"),  # not 此后年均增长
    (r"(?<![之以此年])前年", "before_last"),
]


# Every character a period can start with (the first of each PERIODS pattern): tried
# as a lookahead first, it spares the alternatives at every other place (3.5 times faster).
PERIOD_START = "[\\d零〇○一二两三四五六七八九十“民今去明后前未近过最本上下年]"


@lru_cache(maxsize=None)
def period_re(start: int = 0) -> re.Pattern:
    """PERIODS from kind `start` on in one pattern, as alternatives (?P<k0>...)|(?P<k1>...)
    in their order, behind PERIOD_START; compiled when first asked (most runs need only
    the first)."""
    alternatives = "|".join(f"(?P<k{i}>{p})" for i, (p, _) in enumerate(PERIODS) if i >= start)
    return re.compile(f"(?={PERIOD_START})(?:{alternatives})")


@lru_cache(maxsize=1)
def byline_re() -> re.Pattern:
    """BYLINE, compiled when a place is first found after a byline word."""
    return re.compile(BYLINE)


ANCHOR = re.compile(r"年|五|大(?:召开)?以来")
_NUMERALS = frozenset("0123456789零〇○一二两三四五六七八九十")


def _windows(line: str) -> list[tuple[int, int]]:
    """The stretches of `line` a period can lie in: 20 characters before each 年, 五 or
    大以来 (十八大以来) to 7 after (2019年12月以来), merged, widened to the start of a number or word cut at their edge."""
    out: list[list[int]] = []
    for m in ANCHOR.finditer(line):
        a, b = max(0, m.start() - 20), min(len(line), m.end() + 7)
        if out and a <= out[-1][1]:
            out[-1][1] = b
        else:
            while a > 0 and line[a - 1] in _NUMERALS:  # never cut a number
                a -= 1
            out.append([max(0, a - 2), b])  # and the word before it (民国, 未来)
    return [(a, b) for a, b in out]


class _Groups:
    """One kind's groups of a match of the combined period_re(), numbered from 1 as in its
    own pattern."""

    __slots__ = ("m", "base")

    def __init__(self, m: re.Match, base: int):
        self.m, self.base = m, base

    def group(self, n: int):
        return self.m.group(self.base + n)


# A level at the end of a change (增至2.2万张, 达到800张): the figure of the latest year.
END_VERBS = r"(?:增至|增长至|增长到|增加到|增加至|提高到|提高至|达到|上升到|上升至|扩大到|扩大至)"
END_STATE = re.compile(rf"{END_VERBS}(?:约|近|超过|超)?\s*$")
CHANGE_FROM = re.compile(r"由|从")
# The year of a change's starting level (由2020年的800张增至1200张): that figure's, not the
# year of the figures in the clauses after it.
FROM_LEVEL = re.compile(rf"[^，。；;\n]{{0,12}}?{END_VERBS}")
CLAUSE_BREAK = re.compile(r"[，,。；;\n]")
COORDINATED = re.compile(r"(?:等)?(?:、|和|及|与|以及)")
LIST_JOIN = re.compile(rf"(?:(?:\d{{1,2}}\s*(?:-|—|－|~|～|至|到)\s*)?\d{{1,2}}月份?)?{COORDINATED.pattern}")
# Figures one to each of a list (南宁市、柳州市分别新增3100张、1800张): separated by these.
FIGURE_SEPARATOR = re.compile(r"、|和|及|与")
# The year a planned project is to be finished, wherever the article says it.
TARGET_CUE = re.compile(r"建成|竣工|完工|投入使用|投用|交付使用|开业|启用")
# What may stand between a year and its completion word: 2017年上半年竣工, 后年十一月完工.
WHEN_IN_YEAR = r"(?:上半年|下半年|年底|底|末|前|内|(?:\d{1,2}|[一二三四五六七八九十]{1,3})月(?:\d{1,2}日)?)?"
TARGET_YEAR = re.compile(rf"({YEAR})\s*年{WHEN_IN_YEAR}(?:全面)?(?:{TARGET_CUE.pattern})")
# Right after a period: the project is finished then (a planned figure's year).
COMPLETED_THEN = re.compile(rf"{WHEN_IN_YEAR}(?:正式|全面)?(?:{TARGET_CUE.pattern})")
# A period a figure is compared with (较去年, 比2020年, 与2020年相比): the base, not its year.
# A figure later in the clause of a plan's year after the number (到2025年底总数达到3.2万张):
# the year is that figure's (a month or day is no figure: 到2025年12月建成).
FIGURE_AFTER = re.compile(r"[^，,。；;\n]*?\d+(?:\.\d+)?(?!\d|\.\d|\s*[月日号])")
COMPARED_BY = ("较", "比")  # the character right before the period (tuples: "" is in no one)
COMPARED_AROUND = ("与", "和", "同")
COMPARED_AFTER = re.compile(r"[^，。；;,\n]{0,8}?(?:相比|比较|同期相比|相较)")
# The state now (目前, 现有): a figure of the article's own year, not of a year nearby.
NOW = re.compile(r"目前|现有|现在|当前|如今")
TO_NOW = re.compile(r"(?:截至|截止|到)目前|至今|迄今")  # a running total up to the article's day
# A destination abroad: a country's name right after one of these words (前往越南, 援吉布提).
FOREIGN_CUE = re.compile(r"(?:赴|到|前往|派往|派驻|抵达|援助|支援|援|远赴|奔赴|赶赴|出访)")
NOT_AID = "声求后"  # 声援伊朗 is no destination (checked by hand: a lookbehind in these patterns slows them sevenfold)
CUMULATIVE = re.compile(r"累计|以来|截至|截止|先后|共计")
# A running total with no year of its own counts from the year the article says it began.
# (截至今年 is no 至今; the lookbehind after 至, so that every alternative starts with a
# character, which re looks for first: five times faster over an article)
RUNNING = re.compile(r"累计|先后|至(?<!截至)今(?!年|日|天)|迄今|目前已|总计|"
                     r"共(?:计|选?派|诊|接诊|完成|开展|培训|收治|救治|实施|投入|帮扶)")
BEGAN_CUE = re.compile(r"年(?:\d{1,2}月)?(?:以来|起|开始|启动|首次|始)")
BEGAN = re.compile(rf"(?:自|从)?({YEAR})\s*{BEGAN_CUE.pattern}")
ARTICLE_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
HEAD = 400  # characters: where an article names its own place (title, dateline, lead)
LEAD = 200  # characters: the title and first sentences, whose place is the story's
CONGRESSES = {"十五": 1997, "十六": 2002, "十七": 2007, "十八": 2012, "十九": 2017, "二十": 2022}
PLANS = {"十一": (2006, 2010), "十二": (2011, 2015), "十三": (2016, 2020), "十四": (2021, 2025),
         "十五": (2026, 2030), "十六": (2031, 2035)}


# Named events whose year a story about them tells without a date: an undated page's
# reference year (its 今年, and the period of a figure with none of its own).  Each is
# (the event, words the article must also hold or None, its year).
EVENTS = [  # looked for only in undated articles: re compiles each on first use
    (r"汶川[^，。\n]{0,6}地震|5[·.]12[^，。\n]{0,4}地震", None, 2008),
    (r"玉树[^，。\n]{0,6}地震", None, 2010),
    (r"舟曲[^，。\n]{0,4}泥石流", None, 2010),
    (r"芦山[^，。\n]{0,6}地震|雅安[^，。\n]{0,4}地震", None, 2013),
    (r"鲁甸[^，。\n]{0,6}地震", None, 2014),
    (r"九寨沟[^，。\n]{0,6}地震", None, 2017),
    (r"泸定[^，。\n]{0,6}地震", None, 2022),
    (r"积石山[^，。\n]{0,6}地震", None, 2023),
    (r"定日[^，。\n]{0,6}地震", None, 2025),
    (r"抗击非典|非典疫情", None, 2003),
    (r"埃博拉", r"援非|非洲|塞拉利昂|利比里亚|几内亚", 2014),
    (r"火神山医院|雷神山医院", None, 2020),
    # teams sent to Hubei against the epidemic: the first months of 2020; Shanghai and Jilin: 2022
    (r"援鄂|(?:援助|支援|驰援|增援|对口支援)(?:湖北|武汉)|援湖北", r"疫情|新冠|新型冠状|肺炎", 2020),
    (r"援沪|(?:援助|支援|驰援|增援)(?:上海|吉林|长春)|援吉(?![布安尔])", r"疫情|新冠|新型冠状|肺炎|方舱", 2022),
]
# Anniversaries date the article that marks them (抗战胜利70周年: 2015).
ANNIVERSARIES = {"抗日战争|抗战|反法西斯战争": 1945, "新中国成立|中华人民共和国成立|建国": 1949,
                 "建党|中国共产党成立": 1921, "改革开放": 1978, "建军": 1927, "长征": 1936,
                 "香港回归": 1997, "澳门回归": 1999, "援外医疗队|派遣医疗队": 1963,
                 "西藏和平解放": 1951}
ANNIVERSARY = re.compile(r"(\d{1,3}|[一二三四五六七八九十百]{1,4})\s*周年")
# A team back from a mission of a stated length (完成为期1年的援外任务...回国): its
# figures are the mission's, from its start to its return.
MISSION = re.compile(r"(?:为期|完成|历时)\s*(\d|[一两二三])\s*年(半)?(?:的|多)?[^。\n]{0,10}?(?:任务|工作|援[外疆藏青滇黔]|医疗援助|服务)")
DURING = re.compile(r"期间|任期内")  # 援外期间, 工作期间: the time of the mission
SINCE_AFTER = re.compile(r"[^，。；;\n]{0,24}?(?:以来|至今)")  # 自2015年开展...工作以来
# A year, an event, 以来 (2018年挂牌以来, 2020年新冠疫情发生以来); not 2023年是建院以来最好的一年.
EVENT_SINCE = re.compile(r"[^，。；;,\n\d是为]{0,16}?(?:以来|至今)")
# A year things began in before a running total: 2017年起，累计派出 (not 2016年起连续2年).
BEGUN_RUNNING = re.compile(rf"{DAY}\s*(?:起|开始)[^。；;\n连]*?(?:累计|先后|总计|共计|至今|迄今)")
OWN_PLACE = ("title", "dateline", "source")  # where an article says its own place
OWN_FIGURE = re.compile(r"[^，,。；;\n]*?\d")  # a place's clause goes on to a number (三亚市新增500张)
# A heading: a short line that ends no sentence and counts nothing (三、2024年工作计划).
HEADING_MAX = 30
COUNTED = re.compile(r"\d(?:\.\d+)?\s*[万亿千百]?\s*(?:张|床|名|人|位|台|例|项|所|个|家|元|批|支|次)")
SENTENCE_END = re.compile(r"[。；;!?！？\n]")
RETURN = re.compile(r"回国|归国|凯旋|归来|返回|返抵|回到|期满|结束")
# A change against an earlier year (与2020年3月底比较，增加1170个): from that year to now.
COMPARED = re.compile(rf"(?:与|和|同|较|比)\s*(?:{YEAR})\s*年[^，。；\n]{{0,8}}?(?:相比|比较|同期)?")
CHANGE = re.compile(r"(?:增加|减少|增长|下降|新增|净增|多了|少了)(?:了)?\s*$")
# N straight years from a year (2016年起连续2年选派): 2016-2017.
STARTS_THEN = re.compile(r"(?:\d{1,2}月(?:\d{1,2}日)?)?(?:起|开始|以来)")
STRAIGHT = re.compile(r"连续\s*(\d{1,2}|[两二三四五六七八九十]{1,2})\s*年")


_UNREAD = object()
NOTHING: frozenset[int] = frozenset()
# The cue words a scope is searched for, read once per line (article offsets): a fact's
# scopes all lie in its line, so each question is then a lookup.
CUES = {"national": NATIONAL, "whole": WHOLE_LEVEL, "implicit": IMPLICIT_RE, "abroad": ABROAD,
        "cumulative": CUMULATIVE, "running": RUNNING}
# Services a team gives where it is sent (派驻于都的专家...接诊患者): at the destination.
SERVICES = frozenset({"patient_visits", "surgeries", "new_techniques", "trainees"})


# A Locator's values worked out on first ask (most articles never ask for most of them)
# are kept in attributes that start as this: a compiled Locator has no __dict__ to hide a
# cached value in, as functools.cached_property would.
_UNSET: object = object()


class Where(NamedTuple):
    """A fact's place and period, and where each was read (a named tuple: one is made for
    every fact kept, and its fields follow the Fact's first ones)."""

    province: str = ""
    city: str = ""
    county: str = ""
    adcode: str = ""
    place_from: str = ""  # clause, sentence, paragraph, title, dateline, source, article
    period: str = ""  # 2023 or 2019-2024
    period_from: str = ""  # clause, sentence, paragraph, heading, title, published, event, article (see Locator.period)


class Locator:
    """The places and years of one article's normalised text, asked once per fact."""

    def __init__(self, text: str, published: str = "", source: str = ""):
        self.text = text
        self._named: object = _UNSET
        self._taiwan: object = _UNSET
        self._hong_kong: object = _UNSET
        self._began: object = _UNSET
        self._mission: object = _UNSET
        self._begins: object = _UNSET
        self._sent: object = _UNSET
        self._home: object = _UNSET
        self._chains: object = _UNSET
        self._target_year: object = _UNSET
        self._title_period: object = _UNSET
        self._latest: object = _UNSET
        self.source = source  # the publisher's name (泉州晚报): its place, when nothing else says
        self.year = int(published[:4]) if published[:4].isdigit() else None
        self.month = int(published[5:7]) if self.year and published[5:7].isdigit() else None
        self.year_from = "published"
        if self.year is None:  # an undated page: the year of the event it reports, if it names one
            self.year, self.year_from = self._event_year(), "event"
        self.places = self._outside_bylines(corroborated(text, mentions(text)))  # read once
        self.place_starts = [p[0] for p in self.places]
        self.place_ends = [p[1] for p in self.places]  # rising too: places never overlap
        self.lines: dict[int, list] = {}  # line start -> its periods, read on demand
        self.scopes: dict[tuple[int, int], list] = {}  # (lo, hi) -> what place() reads there
        self.place_lines: dict[int, bool] = {}  # line start -> whether any place is spoken of
        self.cue_index: dict[str, list] = {}  # kind -> its cue words in the article, found on first ask
        self.refined: dict[tuple[str, frozenset, bool], str] = {}  # (code, places left out, lead only) -> refined
        self.headings: dict[int, str] = {}  # line start -> the period of the heading above it
        self.spread: set[str] = set()  # places read as the one several named places share
        self.head = self.places[:bisect_right(self.place_ends, HEAD)]
        dateline = DATELINE.search(text, 0, HEAD)  # where the reporter files from, not the story's place
        self.article = self._article_place(text.split("\n", 1)[0], dateline)
        # An aid story (赴/支援/援疆 in its head): what its team does happens at the destination.
        self.destination = self._destination(0, min(len(text), HEAD), story=True)
        self.dateline = (dateline.start(), dateline.end()) if dateline else (0, 0)

    def _outside_bylines(self, found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        """`found` without the places that are a reporter's or photographer's name (记者
        林深圳); a name is looked for only where a place starts within 12 characters
        after a byline word."""
        starts, near = [m[0] for m in found], set[int]()
        for cue in BYLINE_CUE.finditer(self.text):
            near.update(range(bisect_left(starts, cue.end()), bisect_left(starts, cue.end() + 12)))
        return [m for i, m in enumerate(found) if i not in near or not self._byline_name(m[0])] if near else found

    def _byline_name(self, at: int) -> bool:
        """Whether offset `at` lies in the name after a byline word."""
        m = byline_re().search(self.text, max(0, at - 12), at + 1)
        return m is not None and m.start(1) <= at < m.end(1)

    @property
    def named(self) -> list[tuple[int, tuple[str, ...]]]:
        """(start, chain of codes) of the places the article names, but its dateline's."""
        if self._named is _UNSET:
            self._named = self._find_named()
        return self._named  # type: ignore[return-value]

    def _find_named(self) -> list[tuple[int, tuple[str, ...]]]:
        g, (a, b) = gazetteer(), self.dateline
        return [(m[0], g.codes(m[2])) for m in self.places if not a <= m[0] < b]

    @property
    def taiwan(self) -> bool:
        """Whether 113年 may be a year of the Republic (a Taiwan story)."""
        if self._taiwan is _UNSET:
            self._taiwan = self._find_taiwan()
        return self._taiwan  # type: ignore[return-value]

    def _find_taiwan(self) -> bool:
        return ((self.article[0] or "").startswith("71") or any(code.startswith("71") for _, _, code in self.head)
                or "台湾" in self.text or "民国" in self.text)  # the text is Simplified (卫福部: the article's place)

    @property
    def hong_kong(self) -> bool:
        """Whether the article is Hong Kong's (its 本年度 is a fiscal year, 2018-2019)."""
        if self._hong_kong is _UNSET:
            self._hong_kong = self._find_hong_kong()
        return self._hong_kong  # type: ignore[return-value]

    def _find_hong_kong(self) -> bool:
        return self.article[0] == "810000" or any(code == "810000" for _, _, code in self.head)

    @property
    def began(self) -> int | None:
        """The year the article says what it reports on began (2002年始派), if it says."""
        if self._began is _UNSET:
            self._began = self._find_began()
        return self._began  # type: ignore[return-value]

    def _find_began(self) -> int | None:
        return self._first_year(BEGAN_CUE, BEGAN, 12)

    def _began_of(self, lo: int, hi: int) -> int | None:
        """The year the article says the team or place named in text[lo:hi] began (援坦桑尼亚
        医疗队于2003年始派，援马拉维医疗队于2015年始派: 马拉维's 2015), where it names one
        that the article gives a year of its own."""
        if not self.begins:
            return None
        named = self._names_in(lo, hi)
        return next((year for name, year in self.begins if name in named), None)

    def _clause_start(self, at: int) -> int:
        """Where the clause that ends at `at` starts (at most 40 characters back)."""
        cut = [b.end() for b in CLAUSE_BREAK.finditer(self.text, max(0, at - 40), at)]
        return cut[-1] if cut else max(0, at - 40)

    def _names_in(self, lo: int, hi: int) -> set[str]:
        """The countries and the places (by code) named in text[lo:hi]."""
        names = {m[2] for m in self._in(lo, hi)}
        i = lo
        while i < hi:
            n = country_at(self.text, i)
            if n:
                names.add(self.text[i:i + n])
            i += n or 1
        return names

    @property
    def begins(self) -> list[tuple[str, int]]:
        """(country or place code, year) of each begin the article dates with a name before
        it in its clause (于2016年12月始派 after 援巴巴多斯医疗队), first mention first."""
        if self._begins is _UNSET:
            self._begins = self._find_begins()
        return self._begins  # type: ignore[return-value]

    def _find_begins(self) -> list[tuple[str, int]]:
        found = []
        for m in BEGAN.finditer(self.text):
            first = year(m.group(1))
            found += [(name, first) for name in self._names_in(self._clause_start(m.start()), m.start())]
        return found

    def _event_year(self) -> int | None:
        """The year of the one named event (玉树地震, 抗战胜利70周年) an undated article
        reports; None where it names none or events of different years."""
        head = self.text[:HEAD * 3]
        years = {y for event, also, y in EVENTS if re.search(event, head) and (also is None or re.search(also, self.text))}
        for m in ANNIVERSARY.finditer(head):
            n = count(m.group(1))
            before = head[max(0, m.start() - 24):m.start()]
            years |= {base + n for words, base in ANNIVERSARIES.items() if re.search(words, before) and 0 < n <= 200}
        return years.pop() if len(years) == 1 else None

    @property
    def mission(self) -> str:
        """The span of a team's mission the article reports it back from (a 1-year mission
        back in October 2019: 2018-2019), or ""."""
        if self._mission is _UNSET:
            self._mission = self._find_mission()
        return self._mission  # type: ignore[return-value]

    def _find_mission(self) -> str:
        if self.year is None or self.year_from != "published":
            return ""
        head = self.text[:HEAD * 2]
        m = MISSION.search(head)
        if not m or not RETURN.search(head):
            return ""
        months = 12 * count(m.group(1)) + (6 if m.group(2) else 0)
        first = (self.year * 12 + (self.month or 12) - 1 - months) // 12
        return f"{first}-{self.year}" if first < self.year else ""

    def _first_year(self, cue_re: re.Pattern, year_re: re.Pattern, reach: int) -> int | None:
        """The year of the first `year_re` ending at a `cue_re` word, looked for from the
        word back `reach` characters (a search for years everywhere is slow)."""
        for cue in cue_re.finditer(self.text):
            m = year_re.search(self.text, max(0, cue.start() - reach), cue.end())
            if m:
                return year(m.group(1))
        return None

    def _bounds(self, at: int) -> tuple[int, int]:
        """[start, end) of the line holding offset `at`, in article offsets."""
        hi = self.text.find("\n", at)
        return self.text.rfind("\n", 0, at) + 1, len(self.text) if hi < 0 else hi

    def _line(self, at: int) -> list[tuple[int, int, int, int]]:
        """The periods (start, end, first, last) of the line holding offset `at`, in article
        offsets; each line is read once, only when a fact in it asks."""
        lo = self.text.rfind("\n", 0, at) + 1
        found = self.lines.get(lo)
        if found is None:
            lo, hi = self._bounds(at)
            line = self.text[lo:hi]
            years = []
            for a, b in _windows(line):  # only around each 年 and 十X五: most of a line names none
                years += self._periods(line, lo, 0, a, b)
            nexts = [p[0] for p in years[1:]] + [hi]
            found = self.lines[lo] = [self._since(p, n) for p, n in zip(years, nexts)]
        return found

    def _since(self, period: tuple[int, int, int, int], following: int) -> tuple[int, int, int, int]:
        """A year that starts a span up to the article's year: 自2015年开展组团式援藏以来,
        2018年挂牌以来, and 2017年起 or 从2015年开始 before a running total (累计, 先后) with
        no later year in the sentence (自2016年起...截至2023年累计 is 2016-2023 already)."""
        start, end, first, last = period
        if first != last or not self.year or self.year <= first:
            return period
        if self.text[start - 1:start] in ("自", "从") and SINCE_AFTER.match(self.text, end):
            return start, end, first, self.year
        stop = SENTENCE_END.search(self.text, end)
        if following < (stop.start() if stop else len(self.text)):
            return period
        if EVENT_SINCE.match(self.text, end) or BEGUN_RUNNING.match(self.text, end):
            return start, end, first, self.year
        return period

    def _periods(self, text: str, offset: int, patterns: int = 0, lo: int = 0, hi: int | None = None
                 ) -> list[tuple[int, int, int, int]]:
        """(start, end, first, last) of every period in text[lo:hi], leftmost first and, at
        one place, the first kind of PERIODS that matches (a span before the years in it)."""
        out = []
        for m in period_re(patterns).finditer(text, lo, len(text) if hi is None else hi):
            group = m.lastgroup or ""  # every alternative is a named group
            index = int(group[1:])
            span = self._read(PERIODS[index][1], _Groups(m, m.re.groupindex[group]))
            if span is not None:
                out.append((m.start() + offset, m.end() + offset, *span))
            elif index + 1 < len(PERIODS):  # not a span after all (2019-2050年): the years in it
                out += self._periods(m.group(0), m.start() + offset, index + 1)
        return out

    # -- place ---------------------------------------------------------------------------
    def _article_place(self, title: str, dateline: re.Match | None) -> tuple[str | None, str]:
        g = gazetteer()
        in_title = [m for m in self.head if m[1] <= len(title)]
        if not in_title and NATIONAL.search(title):
            return "national", "title"
        if not in_title:
            m = INSTITUTION_RE.search(self.text, 0, HEAD)
            if m:
                return INSTITUTIONS[m.group(0)], "title"
        if in_title:
            return max(in_title, key=lambda m: ("province", "city", "county").index(g.places[m[2]].level))[2], "title"
        if dateline:
            found = mentions(dateline.group(1))
            if found:
                return found[0][2], "dateline"
        if self.source:
            found = [m for m in mentions(to_simplified_str(self.source)) if m[1] - m[0] > 1]
            if found:  # 泉州晚报, 湖南日报: a local paper's place
                return found[0][2], "source"
        return (self.head[0][2], "article") if self.head else (None, "")

    def _in(self, lo: int, hi: int) -> list[tuple[int, int, str]]:
        """The places lying in text[lo:hi]."""
        i = bisect_left(self.place_starts, lo)
        return self.places[i:bisect_right(self.place_ends, hi, i)]

    def _destination(self, lo: int, hi: int, story: bool = False) -> str | None:
        """A place the staff are sent to, in text[lo:hi]; for the article's own (`story`),
        到 X counts only with a team in the 20 characters before it."""
        implicit = {IMPLICIT[word] for _, _, word in self._cues("implicit", lo, hi)}
        if len(implicit) > 1:  # 援藏援疆: teams in several provinces, a figure over all of them
            return "national"
        sent = self.sent
        k = bisect_left(sent, (lo,)) if sent else 0
        while k < len(sent) and self.places[sent[k][1]][1] <= hi:
            a, i, word, weak = sent[k]
            k += 1
            if word < lo:  # the word stands before the scope
                continue
            if story and weak >= lo and not TEAM.search(self.text, max(lo, a - 24), a):
                continue
            found = self._sent_to(self._in(lo, hi), i - bisect_left(self.place_starts, lo))
            g = gazetteer()
            if not implicit or (found in g.places and g.contains(next(iter(implicit)), found)):
                return found  # 援疆医生...到和田地区: inside the implicit destination, more precise
            break
        if implicit:
            return implicit.pop()
        if self._any("abroad", lo, hi):
            return "abroad"
        return None

    @property
    def sent(self) -> list[tuple[int, int, int, int]]:
        """(start, index in places, start of the word, start of a weak one or -1) of every
        place right after a destination word (赴拉萨, 到双江县), read once: a scope asks
        only whether the word lies inside it."""
        if self._sent is _UNSET:
            self._sent = self._find_sent()
        return self._sent  # type: ignore[return-value]

    def _find_sent(self) -> list[tuple[int, int, int, int]]:
        out, text = [], self.text
        for i, (a, _, _) in enumerate(self.places):
            if a and text[a - 1] in DESTINATION_LAST:
                word = _ending(text, a, DESTINATION)
                if word >= 0:
                    out.append((a, i, word, _ending(text, a, WEAK_DESTINATION)))
        return out

    def _sent_to(self, places: list, i: int) -> str:
        """The destination named from places[i] on: down its chain (和田地区民丰县), and where
        that is one of several listed (民丰县、策勒县、于田县), the division they share, not
        narrowed to one of them later."""
        g = gazetteer()
        while (i + 1 < len(places) and places[i + 1][0] == places[i][1] and places[i][2] in g.places
               and g.contains(places[i][2], places[i + 1][2])):
            i += 1
        listed = self._listed(places, places[i])
        if len(listed) == 1:
            return places[i][2]
        over = _over(listed) or places[i][2]
        if over != "national":
            self.spread.add(over)
        return over

    @staticmethod
    def _inside(places: list, code: str) -> list:
        """The `places` lying inside `code` (not `code` itself)."""
        g = gazetteer()
        return [m for m in places if m[2] != code and m[2] in g.places and g.contains(code, m[2])]

    def _nearest(self, places: list, at: int, skip_senders: bool) -> str | None:
        found = [m for m in places if not (skip_senders and SENDER.search(self.text[m[1]:m[1] + 12]))]
        if not found:
            return None
        home, g = self.home, gazetteer()
        if home and len(found) > 1:  # the story's own locality over a partner's (上海六院 in 泉州's story)
            found = [m for m in found if m[2] in g.places and (g.contains(home, m[2]) or g.contains(m[2], home))] or found
        # the place before the number first (a topic comes first: 某县医院新增床位500张)
        best = min(found, key=lambda m: (m[0] > at, abs(m[0] - at)))
        # 深入达仁乡、金峰乡义诊，服务350人次: in both, so at the division they share, if any
        if len(found) == 1:
            return best[2]
        listed = self._listed(found, best)
        return best[2] if len(listed) == 1 else _over(listed)

    def _origin(self, place: tuple[int, int, str]) -> bool:
        """Whether `place` is where a team comes from: after 来自 or 从 (来自北京协和医院的
        专家), or naming the team (上海医疗队, 浙江援疆专家)."""
        a, b, _ = place
        return (ORIGIN_BEFORE.search(self.text, max(0, a - 2), a) is not None
                or ORIGIN_TEAM.match(self.text, b) is not None)

    def _listed(self, ordered: list, place: tuple[int, int, str]) -> list[str]:
        """The codes of `place` and the places of `ordered` (by start) joined to it by 、, 和,
        及 or 与 (达仁乡、金峰乡)."""
        lo = hi = ordered.index(place)
        while lo > 0 and COORDINATED.fullmatch(self.text, ordered[lo - 1][1], ordered[lo][0]):
            lo -= 1
        while hi + 1 < len(ordered) and COORDINATED.fullmatch(self.text, ordered[hi][1], ordered[hi + 1][0]):
            hi += 1
        return list(dict.fromkeys(m[2] for m in ordered[lo:hi + 1]))

    @property
    def home(self) -> str | None:
        """The article's own place as its title, dateline or publisher names it, if any."""
        if self._home is _UNSET:
            self._home = self._find_home()
        return self._home  # type: ignore[return-value]

    def _find_home(self) -> str | None:
        code, source = self.article
        return code if source in OWN_PLACE and code in gazetteer().places else None

    def _cues(self, kind: str, lo: int, hi: int) -> list[tuple[int, int, str]]:
        """(start, end, text) of the `kind` cue words lying in text[lo:hi] (see _index)."""
        found = self.cue_index.get(kind)
        if found is None:
            found = self._index(kind)
        if not found:
            return found
        out, i = [], bisect_left(found, (lo,))
        while i < len(found) and found[i][0] < hi:
            if found[i][1] <= hi:
                out.append(found[i])
            i += 1
        return out

    def _any(self, kind: str, lo: int, hi: int) -> bool:
        """Whether a `kind` cue word lies in text[lo:hi] (_cues, without listing them)."""
        found = self.cue_index.get(kind)
        if found is None:
            found = self._index(kind)
        i = bisect_left(found, (lo,)) if found else 0
        while i < len(found) and found[i][0] < hi:
            if found[i][1] <= hi:
                return True
            i += 1
        return False

    def _index(self, kind: str) -> list[tuple[int, int, str]]:
        """The `kind` cue words of the whole article, found on the first ask (most
        articles hold none of most kinds) and kept in cue_index."""
        found = self.cue_index[kind] = self._find(kind, 0, len(self.text))
        return found

    def _find(self, kind: str, lo: int, hi: int) -> list[tuple[int, int, str]]:
        """(start, end, text) of the `kind` cue words in text[lo:hi]; abroad also where a
        country's name follows a destination word (前往越南), unless a place of ours starts
        there (赴巴林左旗)."""
        found = [(m.start(), m.end(), m.group(0)) for m in CUES[kind].finditer(self.text, lo, hi)]
        if kind == "implicit" and found:  # 援吉布提, 援甘比亚: a country, not 吉林 or 甘肃
            found = [c for c in found if (c[0] == 0 or self.text[c[0] - 1] not in IMPLICIT_NOT_AFTER)
                     and not country_at(self.text, c[0] + 1)]
        if kind == "abroad":
            for m in countries()[2].finditer(self.text, lo, hi):
                if m.group(0) == "援" and m.start() and self.text[m.start() - 1] in NOT_AID:
                    continue
                n = country_at(self.text, m.end())
                if n and not any(p[0] == m.end() for p in self._in(m.end(), hi)):
                    found.append((m.end(), m.end() + n, self.text[m.end():m.end() + n]))
            found.sort()
        return found

    def _line_speaks_of_places(self, at: int) -> bool:
        """Whether the line holding `at` names a place or speaks of the nation or abroad
        (every scope of a fact lies in its line: where it does not, none of them does)."""
        lo = self.text.rfind("\n", 0, at) + 1
        found = self.place_lines.get(lo)
        if found is None:
            lo, hi = self._bounds(at)
            found = self.place_lines[lo] = bool(self._in(lo, hi) or self._any("national", lo, hi)
                                                or self._any("implicit", lo, hi) or self._any("abroad", lo, hi))
        return found

    def _scope(self, lo: int, hi: int) -> list:
        """[places in text[lo:hi], whether it speaks of the whole nation, its destination
        or _UNREAD]: facts of one sentence share their sentence and paragraph."""
        found = self.scopes.get((lo, hi))
        if found is None:
            places = self._in(lo, hi)
            national = not places and self._any("national", lo, hi)
            found = self.scopes[(lo, hi)] = [places, national, _UNREAD]
        return found

    def place(self, metric: str, scopes: list[tuple[str, int, int]], at: int,
              respective: tuple[int, int, int] | None = None) -> tuple[str | None, str]:
        """(code or "national"/"abroad", where it was read) for a fact at offset `at`;
        `scopes` are (name, start, end) from the clause outwards; `respective`: the
        figure's place in a 分别 list (_respective), if it is in one."""
        staff = metric == "staff_dispatched"
        if respective and not staff:  # (A、B分别派出: the senders)
            code = self._respective_place(scopes, respective)
            if code:
                return code, "clause"
        service = staff or metric in SERVICES
        worked = service and metric != "trainees"  # (trainees are at home: 来自梅州的基层医生)
        aid = self.destination is not None  # an aid story: every figure is the team's, at its destination
        speaks = bool(scopes) and self._line_speaks_of_places(scopes[0][1])
        # 全区新增床位1.2万张，其中南宁市新增3100张: a whole level's figure is not its parts' places
        whole_end = scopes[0][2] if speaks and self._any("whole", scopes[0][1], at) else None
        for name, lo, hi in scopes if speaks else ():
            scope = self._scope(lo, hi)
            if scope[1]:
                return "national", name
            code = None
            if service or aid:
                if scope[2] is _UNREAD:
                    scope[2] = self._destination(lo, hi)
                code = scope[2]
            places = scope[0] if whole_end is None else [m for m in scope[0] if m[0] < whole_end]
            if code is None and places and worked:  # 上海医疗队完成手术: not 上海's, look wider
                places = [m for m in places if not self._origin(m)]
            if name == "paragraph" and places and len(scopes) > 1:  # not a later sentence's place
                places = [m for m in places if m[0] < scopes[1][2]]
            if code is None and places:
                if not aid:
                    code = self._nearest(places, at, staff)
                elif self.destination is not None and self.destination in gazetteer().places:  # 支援湖北 ... 在武汉救治: inside the destination
                    a, b = self.dateline  # (where the reporter files from is no place of the story)
                    before = [m for m in self._inside(places, self.destination) if m[0] < at and not a <= m[0] < b]
                    # 在甘孜州、康定市等地: the one division they share, if below the destination
                    # (在武汉、襄阳等地: which of them, unknown)
                    code = _shared([m[2] for m in before], self.destination) if before else None
                    if code and len({m[2] for m in before}) > 1:
                        self.spread.add(code)  # the figure spans it: not narrowed to one of them
            if code:
                return code, name
        if aid:
            return self.destination, "article"
        code, source = self.article
        whole = self._whole(scopes[0][1], at) if scopes and code is not None and code in gazetteer().places else None
        return (_lift(code, whole), source) if whole and code is not None else self.article

    def _whole(self, lo: int, at: int) -> str | None:
        """The level a 全省, 全市... before the figure at `at` in its clause speaks of
        (省, 区, 市, 州, 县), if one does."""
        found = [c for c in self._cues("whole", lo, at) if WHOLE_FIGURE.match(self.text, c[0])]
        return found[-1][2][1] if found else None

    def _respective(self, scopes: list[tuple[str, int, int]], at: int) -> tuple[int, int, int] | None:
        """(where 分别 stands, the figure's place in the list after it, the list's length)
        when the figure at `at` is one of a 分别 list in its clause (分别新增3100张、1800张)."""
        if not scopes:
            return None
        lo = _sentence(scopes)[0]
        i = self.text.rfind("分别", lo, at)
        if i < 0 or CLAUSE_BREAK.search(self.text, i, at):
            return None
        stop = CLAUSE_BREAK.search(self.text, at)
        before = len(FIGURE_SEPARATOR.findall(self.text, i + 2, at))
        after = len(FIGURE_SEPARATOR.findall(self.text, at, stop.start() if stop else len(self.text)))
        return (i, before, before + after + 1) if before + after else None

    def _list_before(self, items: list, until: int) -> list:
        """The last of `items` (start, end, ...) ending before `until` with nothing but a
        few words or a comma between (南宁市、柳州市今年分别; 2022年、2023年，医院分别), and
        those joined to it by 、, 和, 及 (a month range may follow one: 今年1-5月和去年)."""
        items = [m for m in items if m[1] <= until]
        if not items or until - items[-1][1] > 10 or SENTENCE_END.search(self.text, items[-1][1], until):
            return []
        j = len(items) - 1
        while j > 0 and LIST_JOIN.fullmatch(self.text, items[j - 1][1], items[j][0]):
            j -= 1
        return items[j:]

    def _respective_place(self, scopes: list[tuple[str, int, int]], respective: tuple[int, int, int]) -> str | None:
        """The place of the list before 分别 in the figure's place in its list, where the two
        lists are as long."""
        i, index, n = respective
        lo = _sentence(scopes)[0]
        listed = self._list_before(self._in(lo, i), i)
        return listed[index][2] if len(listed) == n else None

    def refine(self, code: str, scopes: list[tuple[str, int, int]], at: int, read_from: str = "") -> str:
        """The most specific place inside `code` the article points to: the title's place
        when it lies inside, then, level by level, the one division below that every place
        the article names inside it shares (援疆 and only 阿克苏 named: 阿克苏地区); none
        where two differ.  Unless the text speaks of a whole level (全省), and never to a
        place named after the figure in its sentence with a figure of its own (海南省新增
        2000张，三亚市新增500张: the next figure's place, not this one's).  A place the
        title, dateline or publisher says (`read_from`) is narrowed by the lead's places
        only: a city's bulletin that names one county further down is still the city's."""
        g = gazetteer()
        lo, hi = scopes[0][1], scopes[-1][2]
        if (code not in g.places or g.places[code].level == "county" or code in self.spread
                or self._any("whole", lo, hi)):
            return code  # (nothing lies below a county)
        end = _sentence(scopes)[1]
        later = self._in(at, end)
        after = (frozenset(m[0] for m in self._inside(later, code) if OWN_FIGURE.match(self.text, m[1]))
                 if later else NOTHING)
        key = (code, after, read_from in OWN_PLACE)
        if key not in self.refined:
            self.refined[key] = self._refined(code, after, key[2])
        return self.refined[key]

    def _refined(self, code: str, left_out: frozenset[int], lead_only: bool = False) -> str:
        """refine's narrowing of `code`, leaving out the places named at `left_out`."""
        g, best = gazetteer(), code
        article, source = self.article
        if source in ("title", "dateline") and article is not None and article in g.places and g.contains(code, article):
            best = article
        if left_out:
            named = [(at, chain) for at, chain in self.named if at not in left_out]
            lead, every = {chain for at, chain in named if at < LEAD}, {chain for _, chain in named}
        else:
            lead, every = self.chains
        best = self._narrow(best, lead)  # the lead first
        return best if lead_only else self._narrow(best, every)

    @property
    def chains(self) -> tuple[set[tuple[str, ...]], set[tuple[str, ...]]]:
        """The distinct chains of the places the article names (named): in its lead, and
        in the whole of it."""
        if self._chains is _UNSET:
            self._chains = self._find_chains()
        return self._chains  # type: ignore[return-value]

    def _find_chains(self) -> tuple[set[tuple[str, ...]], set[tuple[str, ...]]]:
        return {chain for at, chain in self.named if at < LEAD}, {chain for _, chain in self.named}

    @staticmethod
    def _narrow(code: str, chains: set[tuple[str, ...]]) -> str:
        """Level by level below `code`, the one division every place in `chains` inside it
        shares; stops where two differ."""
        while True:
            below = {chain[chain.index(code) + 1] for chain in chains if code in chain and chain[-1] != code}
            if len(below) != 1:
                return code
            code = below.pop()

    # -- period --------------------------------------------------------------------------
    def period(self, scopes: list[tuple[str, int, int]], at: int, planned: bool,
               respective: tuple[int, int, int] | None = None) -> tuple[str, str]:
        years = self._line(scopes[0][1]) if scopes else None  # a fact's scopes lie in its line
        if years and respective:  # 2022年、2023年分别新增100张、200张: the year in the figure's place
            i, index, n = respective
            lo = _sentence(scopes)[0]
            listed = self._list_before([p for p in years if p[0] >= lo], i)
            if len(listed) == n:
                first, last = listed[index][2:]
                return _span(first, last), "clause"
        if years:
            for name, lo, hi in scopes:
                if (name == "paragraph" and len(scopes) > 1 and NOW.search(self.text, scopes[1][1], at)
                        and not self._any("running", scopes[1][1], at)):
                    break  # 目前常年驻外队员19人。其中...2002年始派: today's, not the next sentence's year (目前已累计 runs on)
                periods = [p for p in years if lo <= p[0] and p[1] <= hi]
                # a running total's cue counts in the figure's own sentence only
                cue_lo = max(lo, scopes[1][1]) if len(scopes) > 1 else lo
                found = self._years(periods, years, lo, hi, at, planned, cue_lo) if periods else ""
                if found:
                    if (name == "paragraph" and not planned and self.mission
                            and _within(found, self.mission) and DURING.search(self.text, lo, at)):
                        # 医疗队于2014年3月进疆。援疆期间，...带教8名: the mission's, not its start year
                        return self.mission, "article"
                    return found, name
        heading = self._heading_period(at) if self.text.rfind("\n", 0, at) > 0 else ""
        if heading:
            return heading, "heading"  # 三、2024年工作计划 over the lines below it
        last = self.year or self.latest
        if not planned and last and self.began and self.began < last and scopes:
            lo, hi = _sentence(scopes)
            if self.mission and DURING.search(self.text, lo, hi):
                return self.mission, "article"  # 援外期间，医疗队累计诊治: the mission's, not since 1968
            if self._any("running", lo, hi):
                began = self._began_of(*scopes[0][1:]) or self.began
                return f"{began}-{last}", "article"  # a running total since the year it began
        if planned and self.target_year:
            return str(self.target_year), "article"  # 预计2017年竣工投入使用
        if self.title_period:
            return self.title_period, "title"  # 2022年全国医疗卫生机构数据: published in 2023
        if not planned and self.mission:
            return self.mission, "article"  # 完成为期1年的援外任务回国: the mission's years
        if self.year:
            return str(self.year), self.year_from
        # Undated article: the latest year it names (a report speaks of its own year last).
        return (str(self.latest), "article") if self.latest else ("", "")

    def _heading_period(self, at: int) -> str:
        """The one period of the nearest heading above the line at `at` (a short line that
        ends no sentence and counts nothing: 三、2024年工作计划, 2023年工作回顾), if that
        heading names one; the title is not a heading here (title_period reads it)."""
        lo = self.text.rfind("\n", 0, at) + 1
        if lo not in self.headings:
            found, end = "", lo - 1
            first_line_end = self.text.find("\n")
            while end > first_line_end:
                start = self.text.rfind("\n", 0, end) + 1
                line = self.text[start:end].strip()
                if line and len(line) <= HEADING_MAX and not SENTENCE_END.match(line, len(line) - 1) and not COUNTED.search(line):
                    periods = {p[2:] for p in self._line(start)}
                    if len(periods) == 1:
                        first, last = periods.pop()
                        found = _span(first, last)
                    break
                end = start - 1
            self.headings[lo] = found
        return self.headings[lo]

    @property
    def target_year(self) -> int | None:
        """The year the article says its project is to be finished (预计2017年竣工)."""
        if self._target_year is _UNSET:
            self._target_year = self._find_target_year()
        return self._target_year  # type: ignore[return-value]

    def _find_target_year(self) -> int | None:
        return self._first_year(TARGET_CUE, TARGET_YEAR, 16)

    @property
    def title_period(self) -> str:
        """The one period the title names (2022年全国卫生统计), if it names one."""
        if self._title_period is _UNSET:
            self._title_period = self._find_title_period()
        return self._title_period  # type: ignore[return-value]

    def _find_title_period(self) -> str:
        title_end = self.text.find("\n")
        periods = {p[2:] for p in self._line(0) if p[1] <= (title_end if title_end >= 0 else len(self.text))}
        if len(periods) != 1:
            return ""
        first, last = periods.pop()
        return _span(first, last)

    @property
    def latest(self) -> int | None:
        """The latest year the article names."""
        if self._latest is _UNSET:
            self._latest = self._find_latest()
        return self._latest  # type: ignore[return-value]

    def _find_latest(self) -> int | None:
        return max((int(y) for y in ARTICLE_YEAR.findall(self.text)), default=None)

    def _compared(self, start: int, end: int) -> bool:
        """Whether the period at text[start:end] is the base of a comparison."""
        before = self.text[start - 1:start] if start else ""
        return before in COMPARED_BY or (before in COMPARED_AROUND and COMPARED_AFTER.match(self.text, end) is not None)

    def _years(self, periods: list, years: list, lo: int, hi: int, at: int, planned: bool,
               cue_lo: int | None = None) -> str:
        """The period of a fact at `at` from the `periods` (start, end, first, last) of its
        scope text[lo:hi]; `years` are all of its line's."""
        best, seen = None, []
        change = CHANGE.search(self.text, max(lo, at - 8), at) is not None  # the figure is a change (增加240个)
        for start, end, first, last in periods:
            if self._compared(start, end) and not (start <= at and change):
                continue  # 门诊量8.2万人次，较去年增长: the base (but 与2020年相比增加240个 spans from it)
            if (end <= at and start and self.text[start - 1] in "由从" and FROM_LEVEL.match(self.text, end)
                    and CLAUSE_BREAK.search(self.text, end, at)):
                continue  # 由2020年的800张增至1200张，年门急诊量突破60万人次: not the 60万's year
            # before the number and nearest first; a plan's target year (到2025年, 2025年完工)
            # or horizon (未来五年, 十四五, 2021-2025年) wins
            target = planned and (first < last or self.text[start - 1:start] in ("到", "至")
                                  or COMPLETED_THEN.match(self.text, end) is not None)
            if target and start > at and FIGURE_AFTER.match(self.text, end):
                target = False  # 新增床位2000张，力争到2025年底床位总数达到3.2万张: the 3.2万's year
            key = (0 if target else 1, 0 if start <= at else 1, abs(at - start))
            if best is None or key < best[0]:
                best = (key, (first, last), (start, end))
            seen.append((first, last))
        if best is None:
            return ""
        if planned and best[0][0] and self.target_year:
            return str(self.target_year)  # a plan's year is when its project is finished (2023年5月1日开业)
        first, last = best[1]
        start, end = best[2]
        if first == last and start <= at:
            straight = self._straight(start, end, at)
            if straight:  # 2016年起连续2年: 2016-2017
                return f"{first}-{first + straight - 1}"
            if change and self._compared(start, end):
                now = max(p[3] for p in years)  # the change from that year up to the latest the paragraph names
                now = now if now > first else self.year or 0
                if now == first + 1 and not COMPARED.match(self.text, max(0, start - 1)):
                    return str(now)  # 比去年增加300张: this year's change (与2022年相比: a span, as written)
                if now > first:
                    return f"{first}-{now}"
        # the level reached: the latest year (由1994年的5600张增至2.2万张: today's); a fiscal
        # year is one period (下年度开支将增至805亿元: 2019-2020)
        end_state = END_STATE.search(self.text, max(lo, at - 8), at) and not self.text.endswith("年度", 0, end)
        if CHANGE_FROM.search(self.text, max(lo, at - 2), at) and FROM_LEVEL.match(self.text, at):
            first = last = min(s[0] for s in seen)  # the starting level (由5600多张增至): the earliest year
        elif end_state:
            first = last = max(s[1] for s in seen)
            now = self.year or self.latest
            if now and now > last and (CHANGE_FROM.search(self.text, lo, at) or COMPARED.search(self.text, lo, at)):
                first = last = now
        elif not planned and self._any("cumulative", lo if cue_lo is None else cue_lo, at):
            # 2015年启动，截至2022年底累计: the span; 截至目前 runs to the article's year
            first, last = min(s[0] for s in seen), max(s[1] for s in seen)
            if self.year and self.year > last and TO_NOW.search(self.text, lo, at):
                last = self.year
        if not planned and self.began and self._any("running", lo, at):
            # 援马拉维医疗队于2015年始派 ... 援马拉维医疗队员40人次: that team's own start
            own = self._began_of(self._clause_start(at), at)
            if own is not None and own <= last:
                first = own
            elif self.began < first:
                first = self.began  # 自2002年起 ... 截至2023年累计派出: 2002-2023
        return _span(first, last)

    def _straight(self, start: int, end: int, at: int) -> int:
        """N of a 连续N年 between the year at text[start:end] and the figure at `at` that
        counts on from the year (2016年起连续2年); 0 where it counts back to it (2019年已连续3年)
        or none is said."""
        m = STRAIGHT.search(self.text, start, at)
        if m is None or (not STARTS_THEN.match(self.text, end)
                         and self.text[max(0, m.start() - 2):m.start()].endswith(("已", "已经"))):
            return 0
        n = count(m.group(1))
        return n if 1 < n <= 30 else 0

    def _read(self, kind: str, m: "_Groups") -> tuple[int, int] | None:
        y = self.year
        if kind == "span":
            a, b = year(m.group(1)), year(m.group(2))
            b = b if b >= 100 else a // 100 * 100 + b
            return (a, b) if a < b <= a + 30 else None
        if kind == "since":
            a = year(m.group(1))
            return (a, y) if y and y > a else (a, a)
        if kind == "years":  # 60年来, 五年来: counted back from the article's year
            n = count(m.group(1))
            if n == 1 and y:  # 一年来, 过去一年: the twelve months before the article's date
                return (y, y) if self.month == 12 else (y - 1, y)
            return (y - n, y) if y and 1 < n <= 100 else None
        if kind == "plan":
            first, last = PLANS[m.group(1)]
            if m.group(2):  # 十四五以来: from its first year to the article's
                return (first, y) if y and first < y < last else (first, last)
            return (last, last) if m.group(3) else (first, last)  # 十四五末: its last year
        if kind == "last_since":  # 去年以来
            return (y - 1, y) if y else None
        if kind == "congress":  # 党的十八大以来: since the Party congress of 2012
            a = CONGRESSES[m.group(1)]
            return (a, y) if y and y > a else None
        if kind == "year":
            return (year(m.group(1)),) * 2
        if kind == "roc_span":  # 民国102至104年度: 2013-2015
            a, b = int(m.group(1)), int(m.group(2))
            return (a + 1911, b + 1911) if 80 <= a < b <= 130 else None
        if kind == "ahead":  # 未来五年: from the article's year on
            n = count(m.group(1))
            return (y, y + n) if y and 0 < n <= 30 else None
        if kind == "roc":
            n = int(m.group(1) or m.group(2) or m.group(3))
            return (n + 1911,) * 2 if 80 <= n <= 130 and self.taiwan else None
        offset = {"this": 0, "last": -1, "next": 1, "after_next": 2, "before_last": -2}[kind]
        if not y:
            return None
        if m.group(0).endswith("年度") and self.hong_kong:  # Hong Kong's year runs April to March
            if kind == "next" and self.month and self.month <= 3:
                offset = 0  # a budget speech in February: 下年度 is the year from this April
            return y + offset, y + offset + 1
        return (y + offset,) * 2


def country_at(text: str, at: int) -> int:
    """The length of the country's name starting at text[at], or 0 (longest first)."""
    names, lengths, _ = countries()
    return next((n for n in lengths.get(text[at:at + 1], ()) if text[at:at + n] in names), 0)


@lru_cache(maxsize=1)
def countries() -> tuple[frozenset, dict[str, tuple[int, ...]], re.Pattern]:
    """The countries and territories other than China's, by their Simplified Chinese names
    in CLDR, the mainland's and Taiwan's (through Babel, which keeps that table): 越南,
    坦桑尼亚, 刚果（布）, 甘比亚.  Kept in the cache: reading Babel's locale data costs 25 ms
    of a start.  As (names, the lengths of those starting with each character, longest
    first, and the destination words followed by a character a name may start with)."""
    import babel

    from . import cache

    names = cast("list[str]", cache.cached(f"countries-2-{babel.__version__}.pickle", _country_names))
    first = "".join(sorted({re.escape(name[0]) for name in names}))
    lengths: dict[str, set[int]] = {}
    for name in names:
        lengths.setdefault(name[0], set()).add(len(name))
    return (frozenset(names), {c: tuple(sorted(ns, reverse=True)) for c, ns in lengths.items()},
            re.compile(f"{FOREIGN_CUE.pattern}(?=[{first}])"))  # a destination word where a name may start


def _country_names() -> list[str]:
    """The mainland's names and Taiwan's (甘比亚 beside 冈比亚, 纽西兰 beside 新西兰), both in
    Simplified characters as the text is matched."""
    from babel import Locale

    skip = {"CN", "HK", "MO", "TW", "EU", "EZ", "UN", "QO"}  # ours, and groupings (continents have numeric codes)
    names = set()
    for locale in ("zh", "zh_Hant"):
        names |= {to_simplified_str(name) for code, name in Locale(locale).territories.items()
                  if len(code) == 2 and code.isalpha() and code not in skip}
    return sorted(names)


def count(text: str) -> int:
    """60 from "60" or "六十"."""
    return int(text) if text.isdigit() else parse_chinese_integer(text)


def year(text: str) -> int:
    """2023 from "2023" or "二〇二三"; 9 from "09"."""
    return int(text.translate(CN_DIGITS))


def corroborated(text: str, found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The places of an article without the county names nothing else in it backs: a
    county's bare short name (博爱, 于都) or a two-character one (东区, 城区), unless its
    city or province is named too, or the county in a longer form.  Such names are
    ordinary words (博爱, 合作) or belong to many places (every city has a 城区); a story
    about 于都 names 赣州, 江西 or 于都县 somewhere."""
    g = gazetteer()
    codes = {code for _, _, code in found}
    longer = {code for a, b, code in found if b - a > 2 and text[b - 1] in "县市区旗"}
    out = []
    for a, b, code in found:
        p = g.places[code]
        if p.level == "county" and (b - a <= 2 or text[b - 1] not in "县市区旗" or code.startswith("71")):
            chain = g.chain(code)
            if code not in longer and not any(c and c.code in codes for c in chain[:2]):
                continue
        out.append((a, b, code))
    return out


def _ending(text: str, at: int, words: frozenset[str]) -> int:
    """The start of the shortest of `words` (three characters at most) ending at
    text[at], or -1."""
    for n in range(1, 4):
        if n <= at and text[at - n:at] in words:
            return at - n
    return -1


def _span(first: int, last: int) -> str:
    """A period as the table writes it: 2023, or 2019-2024."""
    return str(first) if first == last else f"{first}-{last}"


def _within(period: str, span: str) -> bool:
    """Whether `period` (2014, 2014-2015) lies inside `span` (four-digit years compare as text)."""
    first, _, last = span.partition("-")
    return first <= period[:4] and period[-4:] <= last


def _sentence(scopes: list[tuple[str, int, int]]) -> tuple[int, int]:
    """[start, end) of a fact's sentence (its clause where no sentence is given)."""
    _, lo, hi = scopes[1] if len(scopes) > 1 else scopes[0]
    return lo, hi


def _over(codes: list[str]) -> str | None:
    """Where one figure over all the places `codes` is: the most specific division they
    share, or the nation's over several provinces (为湖南、江西、广西培训: GUIDELINES)."""
    return _shared(codes, None) or ("national" if len({c[:2] for c in codes}) > 1 else None)


def _shared(codes: list[str], outer: str | None) -> str | None:
    """The most specific place every one of `codes` lies in, if it lies below `outer`
    (None: anywhere)."""
    g = gazetteer()
    chains = [g.codes(c) for c in dict.fromkeys(codes) if c in g.places]
    shared = None
    for level in zip(*chains):
        if len(set(level)) > 1:
            break
        shared = level[0]
    if outer is None:
        return shared
    return shared if shared and shared != outer and g.contains(outer, shared) else None


def _lift(code: str, level: str) -> str | None:
    """The division at `level` (省, 区, 市, 州, 县 of a 全省, 全区...) of the place `code`
    lies in, or `code` where it is that level or above: the article's place is 三亚市 and
    the figure is 全省的, so 海南省.  None where the article's place does not tell which
    (全县 in a city's story)."""
    province, city, county = gazetteer().chain(code)
    if level == "省":
        return province.code if province and province.name.endswith("省") else None
    if level == "区":  # a district's own, else an autonomous region's
        if county and county.name.endswith("区"):
            return county.code
        return province.code if province and province.name.endswith("自治区") else None
    if level == "市":  # a county-level city, a prefecture's city, or 北京 上海 天津 重庆
        if county and county.name.endswith("市"):
            return county.code
        return city.code if city else province.code if province and province.name.endswith("市") else None
    if level == "州":
        return city.code if city and city.name.endswith("州") else None
    return county.code if county and county.name.endswith("县") else None


def where(locator: Locator, metric: str, scopes: list[tuple[str, int, int]], at: int, planned: bool) -> Where:
    """The place and period of a fact at normalised offset `at`."""
    respective = locator._respective(scopes, at)
    code, place_from = locator.place(metric, scopes, at, respective)
    period, period_from = locator.period(scopes, at, planned, respective)
    if code is None:
        return Where(period=period, period_from=period_from)
    if code == "national":
        return Where(province="全国", place_from=place_from, period=period, period_from=period_from)
    if code == "abroad":
        return Where(province="国外", place_from=place_from, period=period, period_from=period_from)
    code = locator.refine(code, scopes, at, place_from) if scopes else code
    return Where(*_names(code), place_from, period, period_from)


@lru_cache(maxsize=4096)
def _names(code: str) -> tuple[str, str, str, str]:
    """(province, city, county, official code) of a place, as the table writes them."""
    province, city, county = gazetteer().chain(code)
    return (province.name if province else "", city.name if city else "", county.name if county else "",
            official_code(code))
