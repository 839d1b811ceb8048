"""Chinese place names -> GB/T 2260 codes, from the `cpca` package's table of 3,512
administrative divisions (province, prefecture, county level), read as data without
importing cpca itself (which would import pandas).

Compared with its fork `addressparser` (0.2.4): cpca's table has the codes but stops
about 2018 (莱芜市 is still a city, 晋宁 still a county); addressparser's has the newer
names (济南市莱芜区, 昆明市晋宁区) and Taiwan's 368 townships but no codes.  We take
cpca's codes and add what only addressparser knows: a renamed county under its new name,
a new one and each township under a local code below its city (`official_code` gives
the GB/T 2260 code of the nearest level that has one).

Each place is known by its full name (双江拉祜族佤族布朗族傣族自治县) and, where it is
safe, its short forms: a province or prefecture without its suffix (云南, 临沧, 湘西,
湘西州), a county without its ethnic autonomy words (双江县) or its suffix (于都, 武昌).
Many of the last are ordinary words (博爱, 合作) or shared (城关): `place.corroborated`
keeps them only where the article names their city or province too.  Former names
(襄樊市, 铜仁地区) map to today's code, and Taiwan's cities and counties, which the
table lacks, come from a small table below.  Text is matched in Simplified script.
"""
from __future__ import annotations

import csv
import hashlib
import importlib.util
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

MUNICIPALITIES = ("11", "12", "31", "50")  # 北京 天津 上海 重庆: districts have no city level
# Renamed or merged divisions, mapped to the code of what they are today (Ministry of Civil
# Affairs change notices: 襄樊 2010, 铜仁地区 2011, 思茅 2003, 巢湖 2011 split, 毕节地区 2011,
# 海东地区 2013, 日喀则地区 2014, 昌都地区 2014, 林芝地区 2015, 山南地区 2016, 那曲地区 2017).
FORMER = {"襄樊市": "420600", "襄樊": "420600", "铜仁地区": "520600", "思茅市": "530800",
          "毕节地区": "520500", "海东地区": "630200", "日喀则地区": "540200", "昌都地区": "540300",
          "林芝地区": "540400", "山南地区": "540500", "巢湖市": "340100"}
# Taiwan's municipalities and counties (GB/T 2260 has only 台湾省, 710000): names from the
# Ministry of the Interior's list of local governments, all under 710000.
TAIWAN = ("台北市", "新北市", "桃园市", "台中市", "台南市", "高雄市", "基隆市", "新竹市", "嘉义市",
          "新竹县", "苗栗县", "彰化县", "南投县", "云林县", "嘉义县", "屏东县", "宜兰县", "花莲县",
          "台东县", "澎湖县", "金门县", "连江县")
# Hong Kong's districts and new towns (GB/T 2260 stops at 810000): names from the Home
# Affairs Department's list of the 18 District Councils and the Planning Department's new
# towns; every one maps to 810000.  Names shared with mainland divisions (东区, 南区, 北区)
# are left out: the mainland county keeps them.
HONG_KONG = ("中西区 湾仔区 油尖旺区 深水埗区 九龙城区 黄大仙区 观塘区 荃湾区 屯门区 元朗区 葵青区 西贡区 "
             "沙田区 大埔区 离岛区 九龙 新界 港岛 香港岛 天水围 将军澳 东涌 粉岭 上水 马鞍山区 大屿山 "
             "启德 油麻地 尖沙咀 铜锣湾 旺角").split()
_PEOPLES = ("土家 苗 藏 彝 傣 哈尼 壮 布依 侗 回 白 傈僳 景颇 羌 拉祜 佤 布朗 纳西 瑶 黎 畲 仡佬 水 土 撒拉 保安 "
            "东乡 裕固 哈萨克 蒙古 朝鲜 满 达斡尔 鄂温克 鄂伦春 锡伯 塔吉克 柯尔克孜 维吾尔 毛南 仫佬 普米 "
            "怒 独龙 阿昌 德昂 门巴 珞巴 基诺 京 各").split()
# The autonomy words of a name: 土家族苗族自治 of 湘西土家族苗族自治州, 蒙古自治 of 巴音郭楞蒙古自治州.
ETHNIC = re.compile(rf"(?:(?:{'|'.join(sorted(_PEOPLES, key=len, reverse=True))})族?)+自治(?=[州县旗])")
# Customary abbreviations of prefectures that no rule derives (Xinjiang's 巴州, 博州, 克州).
ABBREVIATIONS = {"巴州": "652800", "博州": "652700", "克州": "653000", "伊犁州": "654000"}
PROVINCE_SUFFIX = re.compile(r"(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$")
CITY_SUFFIX = re.compile(r"(?:市|地区|盟)$")
# Short forms that are ordinary words far more often than places.
NOT_PLACES = frozenset("东方 白银 和平 新华 长安 永安 安顺 吉安 泰安 来宾 海南 黄山 三明 公安 平安 长治 抚顺 天山".split())


# Entries of addressparser's table that are zones, not divisions.
NOT_DIVISIONS = re.compile(r"开发区|管委会|园区|产业|示范区|新区|实验区|试验区|农场|林场|高新|保税|合作区|工业区|"
                           r"旅游区|度假区|风景区|管理区|集聚区|服务区|港区|矿区")
LOCAL_CODE = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # the fifth character of a local code: never a digit
# Districts named for where they lie in their city: their short forms are no one place.
GENERIC_DISTRICTS = frozenset("城关 市中 城中 城东 城西 城南 城北 城区 郊区 矿区 新城 老城 开发 高新 经开".split())

PLACE_SLOT = frozenset("赴到驻往在至援")  # a place follows: 赴于都, 派驻于都, 在于都


@dataclass(frozen=True)
class Place:
    """An administrative division: six-digit code, official Simplified name, level."""

    code: str
    name: str
    level: str  # province, city or county

    @property
    def province_code(self) -> str:
        return self.code[:2] + "0000"

    @property
    def city_code(self) -> str | None:
        """The prefecture above a county (None in a municipality or a province's own county)."""
        return None if self.level == "province" else self.code[:4] + "00"


@dataclass(frozen=True)
class Gazetteer:
    places: dict  # code -> Place
    names: dict  # name as written (Simplified) -> code
    # a county-level name several counties bear (朝阳区 of 北京 and of 长春) -> their codes:
    # which one, only the places the text names around it tell
    alternatives: dict = field(default_factory=dict)

    chains: dict = field(default_factory=dict, compare=False, repr=False)  # code -> chain, filled as asked
    chain_codes: dict = field(default_factory=dict, compare=False, repr=False)  # code -> codes of its chain

    def chain(self, code: str) -> tuple[Place | None, Place | None, Place | None]:
        """(province, city, county) of a code, each None where it does not apply."""
        found = self.chains.get(code)
        if found is None:
            p = self.places[code]
            province = self.places.get(p.province_code)
            city = (p if p.level == "city" else
                    self.places.get(p.city_code) if p.level == "county" and p.code[:2] not in MUNICIPALITIES else None)
            found = self.chains[code] = (province, city, p if p.level == "county" else None)
        return found

    def codes(self, code: str) -> tuple[str, ...]:
        """The codes of a place's chain, province first (530000, 530900, 530925)."""
        found = self.chain_codes.get(code)
        if found is None:
            found = self.chain_codes[code] = tuple(p.code for p in self.chain(code) if p)
        return found

    def contains(self, outer: str, inner: str) -> bool:
        """Whether the place `inner` lies in (or is) `outer`."""
        if outer == inner:
            return True
        o = self.places[outer]
        return inner.startswith(o.code[:2] if o.level == "province" else o.code[:4] if o.level == "city" else o.code)


def package_file(package: str, *parts: str) -> Path | None:
    """A data file inside an installed package, found without importing the package
    (cpca and addressparser would import pandas); None when it is not there."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]).joinpath(*parts)
    return path if path.exists() else None


def cpca_table() -> Path:
    """The adcodes table inside the installed cpca package."""
    path = package_file("cpca", "resources", "adcodes.csv")
    if path is None:
        raise RuntimeError("the gazetteer needs the cpca package: pip install cpca")
    return path


def short_forms(name: str, level: str) -> list[str]:
    """The other names a division goes by in news text.

    >>> short_forms("湘西土家族苗族自治州", "city")
    ['湘西州', '湘西']
    >>> short_forms("双江拉祜族佤族布朗族傣族自治县", "county"), short_forms("忠县", "county")
    (['双江县'], [])
    >>> short_forms("泰兴市", "county"), short_forms("武昌区", "county"), short_forms("城关区", "county")
    (['泰兴'], ['武昌'], [])
    >>> short_forms("广西壮族自治区", "province")
    ['广西']
    """
    out = []
    if level == "province":
        out.append(PROVINCE_SUFFIX.sub("", name))
    elif level == "city":
        if ETHNIC.search(name):
            base = ETHNIC.sub("", name)[:-1]  # 湘西土家族苗族自治州 -> 湘西
            out += [base + "州", base]
        else:
            out.append(CITY_SUFFIX.sub("", name))
    elif ETHNIC.search(name):
        out.append(ETHNIC.sub("", name))  # 双江拉祜族佤族布朗族傣族自治县 -> 双江县
    elif name[-1] in "市县区" and len(name) >= 3 and name[:2] not in GENERIC_DISTRICTS:
        out.append(name[:-1])  # 泰兴市 -> 泰兴, 于都县 -> 于都, 武昌区 -> 武昌 (place.corroborated backs them)
    return [s for s in dict.fromkeys(out) if len(s) >= 2 and s != name and s not in NOT_PLACES]


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The gazetteer, built from cpca's and addressparser's tables once and kept in the
    cache (building takes 25 ms of a start, loading it 5), keyed by both tables and this
    module's code."""
    from . import cache

    places, names, alternatives = cache.cached(f"gazetteer-{_digest()}.pickle", _build)
    return Gazetteer(places, names, alternatives)


def _digest(*more: str) -> str:
    """A key of this module's code, both packages' tables and `more` (what else a cached
    entry was built from)."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for table in (cpca_table(), pca_table()):
        if table is not None:
            st = table.stat()
            digest.update(f"{table}:{st.st_size}:{st.st_mtime_ns}".encode())
    for item in more:
        digest.update(item.encode())
    return digest.hexdigest()[:16]


def _build() -> tuple[dict, dict, dict]:
    """(code -> Place, name -> code, name -> codes of the counties that share it) from
    the packages' tables."""
    places, names = {}, {}
    with open(cpca_table(), encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            code = row["adcode"][:6]
            level = "province" if code[2:] == "0000" else "city" if code[4:] == "00" else "county"
            # not the pseudo-divisions 县 and 市辖区 of a municipality, or 省直辖县级行政区划
            if len(row["name"]) >= 2 and "直辖" not in row["name"]:
                places[code] = Place(code, row["name"], level)
    for code, p in places.items():  # full names first: a short form never displaces one
        names.setdefault(p.name, code)
    for old, code in (*FORMER.items(), *ABBREVIATIONS.items()):  # before short forms: 巴州 is 巴音郭楞's
        if code in places:
            names.setdefault(old, code)
    for code, p in sorted(places.items(), key=lambda cp: ("province", "city", "county").index(cp[1].level)):
        for short in short_forms(p.name, p.level):
            names.setdefault(short, code)
    for name in HONG_KONG:
        names.setdefault(name, "810000")
        if name.endswith("区") and len(name) >= 4:
            names.setdefault(name[:-1], "810000")  # 元朗, 屯门, 荃湾
    for i, name in enumerate(TAIWAN):
        code = f"71{i + 1:02d}00"  # not GB/T 2260 codes: local to this table, under 710000
        places[code] = Place(code, name, "city")
        names.setdefault(name, code)
        names.setdefault(name[:-1], code)
    _add_newer(places, names)
    return places, names, _alternatives(places, names)


def _alternatives(places: dict, names: dict) -> dict:
    """The names that several divisions bear, where no city or province owns the name as
    its short form: a full name (朝阳区 of 北京 and 长春; 金门县 of 福建 and Taiwan's), or a
    county's short form (鼓楼): name -> their codes."""
    bearers: dict[str, set] = {}
    for code, p in places.items():
        bearers.setdefault(p.name, set()).add(code)
        if p.level == "county" and not code.startswith("71"):
            for name in short_forms(p.name, "county"):
                bearers.setdefault(name, set()).add(code)
    # (bearers all of one city are one place renamed: 赣县 and 赣县区)
    return {name: tuple(sorted(codes)) for name, codes in bearers.items()
            if len({c[:4] for c in codes}) > 1 and (name in {places[c].name for c in codes}
                                   or places[names.get(name, next(iter(codes)))].level == "county")}


def _add_newer(places: dict, names: dict) -> None:
    """Divisions cpca's table lacks, from addressparser's (a fork of cpca with newer
    names and Taiwan's townships, but no codes): a county renamed since (晋宁县 ->
    晋宁区) is the same place under its new name; a new one, and each of Taiwan's 368
    townships, gets a local code under its city (its last two characters not digits:
    official_code gives the GB/T 2260 code of the nearest level that has one)."""
    path = pca_table()
    if path is None:
        return
    counters: dict[str, int] = {}
    renamed = {(c[:4], p.name[:-1], len(p.name)): c for c, p in places.items() if p.level == "county"}
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh):
            if len(row) < 4 or row[0] != "中国" or not row[3] or row[3] in names or NOT_DIVISIONS.search(row[3]):
                continue
            province, city, name = row[1], row[2], row[3]
            parent = names.get(city)
            if parent is None or places[parent].level != "city" or not places[parent].code.startswith(
                    names.get(province, "??")[:2]):
                continue
            taiwan = parent.startswith("71")
            same = None if taiwan else renamed.get((parent[:4], name[:-1], len(name)))
            if same:  # 晋宁县 is 晋宁区 now
                names.setdefault(name, same)
                continue
            n = counters[parent] = counters.get(parent, 0) + 1
            code = parent[:4] + LOCAL_CODE[n // 10] + str(n % 10)
            places[code] = Place(code, name, "county")
            names.setdefault(name, code)
            if not taiwan:
                for short in short_forms(name, "county"):
                    names.setdefault(short, code)


def official_code(code: str) -> str:
    """The GB/T 2260 code of a place or of the nearest level above it that has one:
    Taiwan's cities and townships are 710000, a new county its city's.

    >>> [official_code(c) for c in ("530925", "711500", "7115B7", "3701A1")]
    ['530925', '710000', '710000', '370100']
    """
    if code.startswith("71"):
        return "710000"
    return code if code.isdigit() else code[:4] + "00"


def pca_table() -> Path | None:
    """addressparser's table of divisions, if the package is installed."""
    return package_file("addressparser", "pca.csv")


@lru_cache(maxsize=1)
def _automaton():
    """Every name in one Aho-Corasick automaton (ahocorasick-rs: leftmost-longest matches,
    about 10 microseconds for an 800-character article), with the codes in match order."""
    from ahocorasick_rs import AhoCorasick, MatchKind

    names = list(gazetteer().names.items())
    return AhoCorasick([n for n, _ in names], matchkind=MatchKind.LeftmostLongest), [c for _, c in names]


def mentions(text: str) -> list[tuple[int, int, str]]:
    """(start, end, code) of every place named in `text`, longest match at each place,
    never overlapping.

    >>> [(text[a:b], c) for text in ["云南省临沧市双江县人民医院"] for a, b, c in mentions(text)]
    [('云南省', '530000'), ('临沧市', '530900'), ('双江县', '530925')]
    """
    g = gazetteer()
    out, places, alternatives = [], g.places, g.alternatives
    automaton, codes = _automaton()
    shared = False
    for index, a, b in automaton.find_matches_as_indexes(text):  # longest, left to right
        code = codes[index]
        # A two-character county (和县, 沙县, 于都) inside running text is mostly a word (和县级
        # 医院, 医疗资源): taken only at a break, right after the place above it (马鞍山市和县)
        # or where a place is expected (派驻于都, 在于都).
        if (b - a > 2 or places[code].level != "county" or a == 0 or text[a - 1] in PLACE_SLOT
                or not "\u4e00" <= text[a - 1] <= "\u9fff" or (out and out[-1][1] == a)):
            out.append((a, b, code))
            shared = shared or text[a:b] in alternatives
    return _which(text, out, g) if shared else out


def _which(text: str, found: list[tuple[int, int, str]], g: Gazetteer) -> list[tuple[int, int, str]]:
    """`found` with each name several counties bear read as the one whose city or province
    the text names (北京市朝阳区: 北京's), the nearest before it first; left out where the
    text names none or several of theirs (朝阳区 alone: 北京's or 长春's, no one can tell)."""
    alternatives = g.alternatives
    shared = [alternatives.get(text[a:b]) for a, b, _ in found]
    named = {code for (_, _, code), bearers in zip(found, shared) if not bearers}
    out = []
    for i, (a, b, code) in enumerate(found):
        bearers = shared[i]
        if bearers:
            fits = [c for c in bearers if not named.isdisjoint(g.codes(c)[:-1])]
            if len(fits) > 1 and i and not shared[i - 1]:  # the one named right before it
                fits = [c for c in fits if found[i - 1][2] in g.codes(c)[:-1]] or fits
            if len(fits) != 1:
                continue
            code = fits[0]
        out.append((a, b, code))
    return out


GOV_HOST = ".gov.cn"


def place_of_url(url: str) -> str:
    """The official name of the place a government site's address names (wjw.xinxiang.gov.cn:
    新乡市; www.yudu.gov.cn: 于都县), or "": the host's labels before .gov.cn read as the
    pinyin of a division's short name.  A label several divisions share names the one a
    level above the others (ganzhou: 赣州市, not 甘州区), else none (taizhou: 台州, 泰州);
    labels that disagree (a city and a county outside it) name none."""
    if GOV_HOST not in url.lower():
        return ""  # most inputs: no address, or not a government site's (nothing to parse)
    from urllib.parse import urlsplit

    try:
        host = (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:
        return ""
    if not host.endswith(GOV_HOST):
        return ""
    index, g = pinyin_index(), gazetteer()
    codes = [index[label] for label in host[:-len(GOV_HOST)].split(".") if label in index]
    codes = [c for c in codes if c]
    # the most specific of them that every other contains (yudu.ganzhou: 于都县)
    best = [c for c in codes if all(g.contains(o, c) for o in codes)]
    return g.places[max(best, key=lambda c: len(g.codes(c)))].name if best else ""


def pinyin_index() -> dict:
    """Toneless pinyin of every division's short name (xinxiang, yudu, guangxi) -> its code,
    or None where it cannot tell which; built with pypinyin once (every reading of every
    character) and kept in the cache."""
    from importlib.metadata import version

    from . import cache

    return cache.cached(f"pinyin-{_digest(version('pypinyin'))}.pickle", _build_pinyin)


def _build_pinyin() -> dict:
    from itertools import islice, product

    from pypinyin import Style, pinyin

    g, found = gazetteer(), {}
    for code, p in g.places.items():
        if code.startswith(("71", "81", "82")) or not code.isdigit():
            continue  # Taiwan, Hong Kong and Macau sites are not .gov.cn
        for name in short_forms(p.name, p.level) or [p.name[:-1]]:
            # every reading of every character (于都 is yudu, not the commoner yudou; 朝阳
            # chaoyang), so a name is found however its site spells it
            readings = pinyin(name, style=Style.NORMAL, heteronym=True)
            for combo in islice(product(*readings), 32):
                key = "".join(combo).lower()
                if key.isalpha() and len(key) >= 4:
                    found.setdefault(key, set()).add(code)
    index = {}
    for key, codes in found.items():
        top = [c for c in codes if all(g.contains(c, o) for o in codes)]  # jilin: 吉林省 holds 吉林市
        if not top:  # ganzhou: the city 赣州 over the district 甘州区 (a level higher)
            level = min(len(g.codes(c)) for c in codes)
            top = [c for c in codes if len(g.codes(c)) == level]
        index[key] = top[0] if len(top) == 1 else None  # taizhou: 台州, 泰州
    return index
