"""HTML page -> main text and metadata, by text density rather than a site's class names.

Scripts, styles, forms and navigation elements go first; then each block scores the
Chinese text of its paragraphs minus link text, and the best block wins: a sidebar of
headlines is mostly links, a footer is short, the article is long, dense prose.
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
MAX_DEPTH = 400


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
    """The block whose own paragraphs hold the most non-link Chinese text."""
    body = soup.body or soup
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


def _flatten_deep(soup: BeautifulSoup) -> None:
    """Unwrap tags nested deeper than MAX_DEPTH so later walks stay shallow."""
    for tag in soup.find_all(True):
        depth, parent = 0, tag.parent
        while parent is not None and depth <= MAX_DEPTH:
            depth, parent = depth + 1, parent.parent
        if depth > MAX_DEPTH:
            tag.unwrap()


def extract_page(html: str) -> Page:
    """Main text, title and metadata of an HTML page."""
    soup = BeautifulSoup(html, "lxml")
    if len(html) > 50_000 and html.count("<") > 5000:
        _flatten_deep(soup)
    meta = {}
    for key, names in (("published", META_DATE_NAMES), ("author", META_AUTHOR_NAMES),
                       ("source", META_SOURCE_NAMES)):
        value = _meta(soup, names)
        if value:
            meta[key] = value
    h1 = soup.find("h1")
    title = h1.get_text(" ", strip=True) if h1 else ""
    if not title and soup.title:
        title = regex.split(r"\s*[_|｜—-]\s*", soup.title.get_text(strip=True))[0]
    for tag in soup.find_all(DROP_TAGS):
        tag.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    node = main_content(soup)
    text = _text_of(node)
    if title and not text.startswith(title):
        text = title + "\n" + text
    if title:
        meta["title"] = title
    return Page(text=text, title=title, meta=meta)
