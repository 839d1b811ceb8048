"""HTML page -> main text and metadata.

The main content comes from trafilatura (the best published F1 on Chinese pages among
open extractors) behind `extract_page`; when it finds nothing, a text-density fallback
picks the block with the most non-link Chinese prose, not a site's class names.  Table
rows become one line each (cells joined by ` | `) so a figure keeps its label.  Dates
come from `<meta>` tags, then a dated byline in the text, then trafilatura's reading.
"""
from __future__ import annotations

from dataclasses import dataclass

import regex
from bs4 import BeautifulSoup, Comment, Tag

DROP_TAGS = ("script", "style", "noscript", "iframe", "form", "nav", "header", "footer",
             "aside", "select", "button", "svg", "template", "input", "textarea")
BLOCK_TAGS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section",
              "article", "table", "blockquote", "pre", "dd", "dt", "ul", "ol", "td"}
META_DATE_NAMES = ("publishdate", "pubdate", "publish_date", "article:published_time",
                   "og:release_date", "firstpublishedtime", "date", "dc.date", "created",
                   "publishtime", "release_date", "datepublished")
META_AUTHOR_NAMES = ("author", "article:author", "dc.creator", "byline")
META_SOURCE_NAMES = ("contentsource", "source", "og:site_name", "copyright_source")
HAN = regex.compile(r"\p{Han}")
MAX_DEPTH = 300
SHORT = 100  # Chinese characters: an extraction this short may have missed the article
CUT = 3  # the pruned page's text is under a third of the whole page's: the pruning cut it
TAG_RE = regex.compile(r"<(/?)([A-Za-z][\w:-]*)[^>]*?(/?)>")
VOID = {"br", "img", "meta", "link", "input", "hr", "area", "base", "col", "embed",
        "source", "wbr", "param", "track"}
CONTAINERS = regex.compile(r"</?(?:div|span|font|section|article|center|b|i|u|em|strong|"
                           r"small|big|main|aside|header|footer|nav|ul|ol|li|dl|dd|dt)\b[^>]*>",
                           regex.IGNORECASE)


@dataclass(frozen=True)
class Page:
    text: str
    title: str
    meta: dict


def _meta(soup: BeautifulSoup, names: tuple[str, ...]) -> str:
    for tag in soup.find_all("meta"):
        key = (tag.get("name") or tag.get("property") or tag.get("itemprop") or "").lower()
        if key in names and tag.get("content"):
            return tag["content"].strip()
    return ""


def _canonical(soup: BeautifulSoup) -> str:
    """The address of <link rel="canonical">, or ""."""
    for tag in soup.find_all("link", href=True):
        rel = tag.get("rel") or ()
        if "canonical" in (rel if isinstance(rel, list) else [rel]):
            return tag["href"].strip()
    return ""


def _text_of(node: Tag) -> str:
    """Text with line breaks at block boundaries, like a browser shows it."""
    parts: list[str] = []
    stack: list = [node]
    while stack:  # iterative: a page nested thousands of tags deep must not recurse
        item = stack.pop()
        if isinstance(item, str):
            if isinstance(item, Comment):
                continue
            parts.append(regex.sub(r"[ \t\r\n]+", " ", str(item)))
            continue
        if not isinstance(item, Tag):
            continue
        block = item.name in BLOCK_TAGS
        if block:
            stack.append("\n")
        stack.extend(reversed(list(item.children)))
        if block:
            parts.append("\n")
    lines = [l.strip() for l in "".join(parts).split("\n")]
    return "\n".join(l for l in lines if l)


def _score(node: Tag) -> float:
    text = node.get_text(" ", strip=True)
    han = len(HAN.findall(text))
    if han < 20:
        return 0.0
    links = sum(len(HAN.findall(a.get_text())) for a in node.find_all("a"))
    paragraphs = len(node.find_all(["p", "br"], recursive=True)) + 1
    density = 1.0 - links / max(1, han)
    return (han - links) * density * (1 + min(paragraphs, 20) / 20)


def main_content(soup: BeautifulSoup) -> Tag:
    """The block whose own paragraphs hold the most non-link Chinese text, anywhere in
    the document (a page whose markup closes <body> early leaves its article outside it)."""
    body = soup
    best, best_score = body, 0.0
    parents: dict[int, Tag] = {}
    for p in body.find_all(["p", "br"]):
        if p.parent is not None:
            parents[id(p.parent)] = p.parent
    for div in body.find_all(["div", "article", "section", "td", "main"]):
        if div.find(["p", "br"], recursive=False) is not None:
            parents.setdefault(id(div), div)
    for node in parents.values():
        score = _score(node)
        if score > best_score:
            best, best_score = node, score
    return best


def flatten_deep(html: str) -> str:
    """Pages nested thousands of tags deep make parsers recurse or go quadratic: find
    the depth in one linear scan and, if it is absurd, drop the container tags."""
    depth = deepest = 0
    for m in TAG_RE.finditer(html):
        name = m.group(2).lower()
        if name in VOID or m.group(3):
            continue
        depth = max(0, depth - 1) if m.group(1) else depth + 1
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            return CONTAINERS.sub("\n", html)
    return html


def _drop_link_lists(soup: BeautifulSoup) -> None:
    """Remove blocks that are mostly links (menus, sidebars, related-news lists): three
    or more links carrying at least 60% of the block's text."""
    for block in soup.find_all(["ul", "ol", "div", "table", "section", "dl", "p", "td"]):
        if getattr(block, "decomposed", False):
            continue  # inside a block removed already
        links = block.find_all("a")
        if len(links) < 3:
            continue
        text = len(block.get_text("", strip=True))
        linked = sum(len(a.get_text("", strip=True)) for a in links)
        if text and linked >= 0.6 * text:
            block.decompose()


def _rows_as_lines(soup: BeautifulSoup) -> None:
    """Each table row becomes one paragraph: `床位 | 3000张`, not two lines."""
    for tr in soup.find_all("tr"):
        cells = [c.get_text(" ", strip=True) for c in tr.find_all(["td", "th"])]
        p = soup.new_tag("p")
        p.string = " | ".join(c for c in cells if c)
        tr.replace_with(p)
    for tag in soup.find_all(["table", "tbody", "thead", "tfoot"]):
        tag.name = "div"


def _trafilatura(html: str, metadata: bool = False) -> tuple[str, str, str]:
    """(text, title, date) as trafilatura reads the page; empty where it finds nothing."""
    try:
        import trafilatura
    except ImportError:
        return "", "", ""
    try:
        doc = trafilatura.bare_extraction(html, include_comments=False, include_tables=True,
                                          deduplicate=False, with_metadata=metadata)
    except Exception:  # any failure of the library means: use the fallback
        return "", "", ""
    if doc is None:
        return "", "", ""
    get = doc.get if isinstance(doc, dict) else lambda k: getattr(doc, k, None)
    date = (get("date") or "") if metadata else ""
    if date.endswith("-01-01") and not regex.search(rf"{date[:4]}\s*[-/.年]\s*0?1\s*[-/.月]\s*0?1(?!\d)", html):
        date = ""  # a year guessed from a copyright line (版权所有 2015-2024 -> 2024-01-01): no date
    return get("text") or "", (get("title") or "") if metadata else "", date


# A site's or section's name after a page title: 标题_新闻中心_某某网, 标题 - 某某门户网站,
# 标题-纪检 (a bare hyphen only before a short Chinese name, never 1-10月).
SITE_SUFFIX = regex.compile(r"\s*(?:[_|｜—–]|\s-\s|(?<=[\p{Han}）)])-(?=\p{Han}{1,8}$))\s*[^_|｜—–]{1,30}$")


def headline(page_title: str, h1: str, extracted: str = "") -> str:
    """The article's headline: the page's own title (`og:title` or `<title>`) without the
    site or section names after it; the h1 where it is that headline (or the page has
    no title); trafilatura's reading last.

    >>> headline("卫健委发布年度公报_新闻中心_某某网", "新闻中心")
    '卫健委发布年度公报'
    >>> headline("中华人民共和国监察法-纪检", ""), headline("1-10月全县投资趋稳", "")
    ('中华人民共和国监察法', '1-10月全县投资趋稳')
    """
    title = page_title
    while SITE_SUFFIX.search(title) and len(SITE_SUFFIX.sub("", title)) >= 6:
        title = SITE_SUFFIX.sub("", title)
    title = title.rstrip("_|｜—– -")  # 标题__公报_某网: the separator left of an empty part
    if h1 and (not title or (len(h1) >= 6 and title.startswith(h1[:6]))):
        return h1
    return title or extracted


def extract_page(html: str) -> Page:
    """Main text, title and metadata of an HTML page."""
    soup = BeautifulSoup(flatten_deep(html), "lxml")
    meta = {}
    for key, names in (("published", META_DATE_NAMES), ("author", META_AUTHOR_NAMES),
                       ("source", META_SOURCE_NAMES)):
        value = _meta(soup, names)
        if value:
            meta[key] = value
    url = _meta(soup, ("og:url",)) or _canonical(soup)  # the page's own address (a site's place)
    if url.startswith(("http://", "https://")):
        meta["url"] = url
    h1 = soup.find("h1")
    h1_text = h1.get_text(" ", strip=True) if h1 else ""
    # trafilatura reads the page as published (metadata included) before any pruning of ours
    raw_text, raw_title, raw_date = _trafilatura(html, metadata=True)
    page_title = _meta(soup, ("og:title",)) or (soup.title.get_text(strip=True) if soup.title else "")
    title = headline(page_title, h1_text, raw_title)
    if raw_date:  # after the page's <meta> dates and a dated byline (see clean.clean_text)
        meta["date_found"] = raw_date
    for tag in soup.find_all(DROP_TAGS):
        tag.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    _drop_link_lists(soup)
    _rows_as_lines(soup)
    text = _trafilatura(str(soup))[0]  # our pruned page: table rows kept as lines
    if len(HAN.findall(raw_text)) > CUT * len(HAN.findall(text)):
        text = raw_text  # the pruning cut the article: a reader sees the whole of it
    if len(HAN.findall(text)) < SHORT:  # next to nothing: the densest block may hold more
        dense = _text_of(main_content(soup))
        if len(HAN.findall(dense)) > len(HAN.findall(text)):
            text = dense
    if title and not text.startswith(title):
        text = title + "\n" + text
    if title:
        meta["title"] = title
    return Page(text=text, title=title, meta=meta)
