"""Keep the article, drop the rest, and read its metadata.

Works on lines of the decoded original text and returns the *spans* of the body lines,
never a rewritten string, so offsets stay valid in the original.  Drops breadcrumbs,
injected spam, image captions and file names, share prompts, editor lines, footers and
everything after an end marker such as `关键词:` (the related-news list of other
articles).  HTML is first reduced to its main content by text density.
"""
from __future__ import annotations

from dataclasses import dataclass

import regex

from .normalize import fold

BREADCRUMB = regex.compile(r"(当前位置|您的位置|您当前的位|所在位置|现在的位置|當前位置|您的位置|"
                           r"首页\s*[>＞»›]|首頁\s*[>＞»›]|[>＞»›]\s*正文\s*$)")
SPAM = regex.compile(r"(体育|博彩|娱乐城|彩票|棋牌|真人|百家乐|赌|澳门|威尼斯人|官网入口|下注|开户|"
                     r"体育網|娛樂|博彩|彩金|老虎机|pg电子|欢迎您[!！]?$)")
META = regex.compile(r"(来源|來源|发布时间|發布時間|发布日期|發佈日期|时间|時間|作者|编辑|編輯|浏览次数|点击数|"
                     r"阅读次数|字号|信息来源|日期)\s*[:：]")
IMAGE = regex.compile(r"(\.(png|jpe?g|gif|webp|bmp)\s*$|资料图|資料圖|供图[)）]?\s*$|供圖[)）]?\s*$|"
                      r"[)）]\s*$(?<=摄[)）]\s*)|^图为|^圖為|图片来源|圖片來源|^\s*[(（]?图[/／])", regex.I)
SHARE = regex.compile(r"(分享到|扫一扫|掃一掃|二维码|二維碼|欢迎关注|歡迎關注|打印本页|关闭窗口|"
                      r"【打印】|【关闭】|收藏本页|微信号|字体[:：]?\s*[大中小]|条评论|留言与评论|发表评论|發表評論)")
FOOTER = regex.compile(r"(ICP|公网安备|公網安備|版权所有|版權所有|copyright|©|邮编|郵編|举报|舉報|"
                       r"许可证|許可證|联系邮箱|联系电话|电话[:：]|電話[:：]|地址[:：]|关于我们|網站地圖|"
                       r"网站地图|广告|廣告|主办单位|主辦單位|技术支持|技術支持|all rights reserved|"
                       r"备案号|備案號)", regex.I)
END_MARKER = regex.compile(r"^\s*(关键词|关键字|關鍵詞|相关新闻|相關新聞|相关阅读|相關閱讀|相关文章|"
                           r"热点新闻|熱點新聞|推荐阅读|推薦閱讀|延伸阅读|热门推荐|猜你喜欢|上一篇|"
                           r"下一篇|责任编辑|責任編輯|附件下载|附件[:：]|【纠错】|[(（](作者|编辑|編輯)"
                           r"\s*[|｜:：])")
# Year first (2023-05-09, 2023年5月9日), or day first with dots as some mirrors print it
# (14.10.2015); never month first with slashes (10/14/2015 and 14/10/2015 are both written).
DATE = regex.compile(r"(?<!\d)(?:(?P<y>\d{4})\s*[-/年.]\s*(?P<mo>\d{1,2})\s*[-/月.]\s*(?P<d>\d{1,2})\s*日?"
                     r"|(?P<d>\d{1,2})\.(?P<mo>\d{1,2})\.(?P<y>\d{4})(?!\d))"
                     r"(?:[\sT]*(?P<h>\d{1,2})[:：](?P<mi>\d{2})(?:[:：](?P<s>\d{2}))?)?")
# Taiwan's dates in years of the Republic: 中華民國113年5月1日 anywhere; 113-05-01 after a label.
ROC_DATE = regex.compile(r"民[国國]\s*(\d{2,3})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
ROC_SHORT = regex.compile(r"^\s*(1[0-4]\d)\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})(?!\d)")
# A two-digit year after a label (发布时间：18-03-08, as Baidu's pages write it): 2018-03-08.
YY_SHORT = regex.compile(r"^\s*(\d{2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})(?![\d.])")
SOURCE = regex.compile(r"(?:来源|來源|信息来源)\s*[:：]\s*([^\s　|｜]{2,30})")
AUTHOR = regex.compile(r"(?:作者|記者|记者|文|通讯员|通訊員)\s*[:：|｜]?\s*"
                       r"(?:[\p{Han}]{2,8}\s+)?([\p{Han}·]{2,4})(?=[\s)）|｜,，]|$)")
AUTHOR_FIELD = regex.compile(r"作者\s*[:：]\s*([\p{Han}·]{2,10})")
IN_PHRASE = regex.compile(r"(?:于|在|将|至|到|截至|自|从)\s*$")
SENTENCE_END = regex.compile(r"[。！？!?；;]")
HAN = regex.compile(r"(?:\p{Han}[^\p{Han}]*){20}")
LEGAL = regex.compile(r"ICP|©|版权")
FRAGMENT = regex.compile(r"[\s•·|｜>＞»x×\-–—_=*#]*\S{0,2}[\s•·|｜]*")


@dataclass(frozen=True)
class Cleaned:
    """What the cleaner kept: metadata and the body lines as spans of the original."""

    title: str
    source: str
    published: str
    author: str
    body: tuple[tuple[int, int], ...]
    dropped: int  # characters of non-blank lines left out of the body
    headline: bool = False  # whether body[0] is the title line (read for facts, not for identity)


def lines_with_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, without its newline and surrounding blanks."""
    spans, pos = [], 0
    for line in text.split("\n"):
        stripped = line.strip(" \t\u3000\xa0\ufeff")
        if stripped:
            lead = line.index(stripped[0])
            spans.append((pos + lead, pos + lead + len(stripped)))
        pos += len(line) + 1
    return spans


def parse_date(text: str, labelled: bool = False) -> str:
    """The first date(-time) in `text` as ISO 8601, or "".  A Republic of China date
    counts when written as one (民國113年5月1日), or as 113-05-01 right after a label
    (`labelled`: 發布日期：113-05-01).

    >>> parse_date("发布时间:2023/10/16 9:45:14")
    '2023-10-16T09:45:14'
    >>> parse_date("2024年12月21日 00:06:20 来源:中国城市网")
    '2024-12-21T00:06:20'
    >>> parse_date("来源:泉州晚报 发布时间 : 2022-09-28 08:19")
    '2022-09-28T08:19:00'
    >>> parse_date("18-03-08 23:16", labelled=True), parse_date("18-03-08")
    ('2018-03-08', '')
    """
    roc = ROC_SHORT.match(text) if labelled else None
    roc = roc or ROC_DATE.search(text)
    if roc:
        y, mo, d = int(roc.group(1)) + 1911, int(roc.group(2)), int(roc.group(3))
        if 1990 <= y <= 2100 and 1 <= mo <= 12 and 1 <= d <= 31 and not DATE.search(text, 0, roc.start()):
            return f"{y:04d}-{mo:02d}-{d:02d}"
    short = YY_SHORT.match(text) if labelled else None
    if short:
        y, mo, d = 2000 + int(short.group(1)), int(short.group(2)), int(short.group(3))
        if 1 <= mo <= 12 and 1 <= d <= 31:
            return f"{y:04d}-{mo:02d}-{d:02d}"
    for m in DATE.finditer(text):
        y, mo, d = int(m.group("y")), int(m.group("mo")), int(m.group("d"))
        if not (1990 <= y <= 2100 and 1 <= mo <= 12 and 1 <= d <= 31):
            continue
        if m.group("h") is None:
            return f"{y:04d}-{mo:02d}-{d:02d}"
        h, mi, s = int(m.group("h")), int(m.group("mi")), int(m.group("s") or 0)
        return f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}"
    return ""


def is_meta_line(line: str) -> bool:
    """A byline: source, date, author, editor; short and not a sentence."""
    if len(line) > 120 or SENTENCE_END.search(line):
        return False
    if META.search(line):
        return True
    m = DATE.search(line)
    # a date inside a phrase (医院将于2023年5月1日开业) makes a headline, not a byline
    return bool(m) and len(line) - len(m.group(0)) < 30 and not IN_PHRASE.search(line, 0, m.start())


def boilerplate_reason(line: str) -> str | None:
    """Why a line is not article text, or None if it may be."""
    # Each length test comes first: most lines are long article text, which no search
    # below could make boilerplate.
    short = len(line) < 60 and not SENTENCE_END.search(line)
    if short and BREADCRUMB.search(line):
        return "breadcrumb"
    if len(line) < 40 and SPAM.search(line):
        return "spam"
    if len(line) < 80 and IMAGE.search(line):
        return "image"
    if len(line) < 60 and SHARE.search(line):
        return "share"
    if (short or len(line) < 200 and LEGAL.search(line)) and FOOTER.search(line):
        return "footer"
    if FRAGMENT.fullmatch(line):
        return "fragment"
    return None


def is_sentence_line(line: str) -> bool:
    """Article prose: 20 or more Chinese characters and a sentence inside or at the end.
    Such a line is never boilerplate, a title or a byline, wherever it sits."""
    return (len(line) >= 20 and SENTENCE_END.search(line) is not None
            and HAN.search(line) is not None)


def clean_text(text: str, meta: dict | None = None) -> Cleaned:
    """Split an article's text into metadata and body spans.  What a line is comes from
    what it holds: the header (title, bylines, navigation) ends at the first line of
    prose, and a byline or footer after the body is metadata, never a reason to drop the
    prose above it."""
    meta = dict(meta or {})
    spans = lines_with_spans(text)
    # Classify width-folded copies (ｉｍａｇｅ．ｐｎｇ is image.png); spans stay 1:1.
    folded = fold(text)
    lines = [folded[a:b] for a, b in spans]
    prose = [is_sentence_line(line) for line in lines]
    header_end = next((i for i, p in enumerate(prose) if p), len(lines))
    meta_idx = next((i for i, line in enumerate(lines[:min(15, header_end)]) if is_meta_line(line)), None)
    candidates = [i for i, line in enumerate(lines[:min(header_end, meta_idx if meta_idx is not None else 6)])
                  if boilerplate_reason(line) is None and not is_meta_line(line)
                  and not SENTENCE_END.search(line[-1:]) and len(line) <= 80]
    if meta_idx is not None and candidates:
        title_idx = candidates[-1]
    elif candidates:
        title_idx = candidates[0]
    else:
        title_idx = None
    first_body = min(header_end, max(i for i in (title_idx, meta_idx, -1) if i is not None) + 1)
    # Byline lines right after the title (date on one line, source on the next).
    while first_body < header_end and is_meta_line(lines[first_body]):
        first_body += 1
    header = " ".join(lines[i] for i in range(0, first_body) if i != title_idx)
    # The headline is read too: its rounded figure is a fact of its own (1.6万 above 16,213),
    # and it names the story's place; also where the title came with the text (a page's
    # <title>, a record's field) and the text's first line is that title.
    headline = title_idx is not None and (not meta.get("title") or _same_title(lines[title_idx], meta["title"]))
    body, prose_kept = ([spans[title_idx]] if headline else []), False
    for i in range(first_body, len(lines)):
        line = lines[i]
        # An end marker ends the article once some prose was kept: 关键词 above a
        # paper's abstract is only a byline.
        if END_MARKER.search(line) and prose_kept:
            header += " " + line
            break
        if not prose[i] and (boilerplate_reason(line) or is_meta_line(line)):
            header += " " + line
            continue
        body.append(spans[i])
        prose_kept = prose_kept or prose[i]
    kept = sum(b - a for a, b in body)
    head_body = " ".join(text[a:b] for a, b in body[:3])
    author = meta.get("author") or _author(header) or _author(head_body)
    source_match = SOURCE.search(header)
    return Cleaned(
        title=meta.get("title") or (text[slice(*spans[title_idx])] if title_idx is not None else ""),
        source=meta.get("source") or (source_match.group(1) if source_match else ""),
        published=_published(meta, header, text[slice(*body[0])][:60] if body else ""),
        author=author,
        body=tuple(body),
        dropped=sum(b - a for a, b in spans) - kept,
        headline=headline,
    )


def _same_title(line: str, title: str) -> bool:
    """Whether a text's line is the title given with it (spaces and width aside)."""
    squeeze = lambda s: fold(s).replace(" ", "").replace("\u3000", "")
    return squeeze(line) == squeeze(title)


DATE_LABEL = regex.compile(r"(?:发布时间|發布時間|發佈時間|发布日期|發佈日期|發布日期|更新时间|更新時間|时间|時間|日期|"
                           r"发表于|發表於)\s*[:：]?\s*")


def _published(meta: dict, header: str, first_line: str) -> str:
    """The publication date: the page's <meta> date, a labelled byline (发布时间：...),
    the date the HTML extractor found, then any date in the header or the first line,
    then one in the page's address (a JSON record's url, a page's canonical address)."""
    head = header + " " + first_line
    for m in DATE_LABEL.finditer(head):
        labelled = parse_date(head[m.end():m.end() + 40], labelled=True)
        if labelled:
            break
    else:
        labelled = ""
    return (parse_date(meta.get("published", "")) or labelled or parse_date(meta.get("date_found", ""))
            or parse_date(header) or parse_date(first_line[:40]) or url_date(meta.get("url", "")))


# A date in a news address's path: /2012-10/31/, /20121031/, /2023/0508/, /2018/07/01/.
URL_DATE = regex.compile(r"/((?:19|20)\d\d)[-_/]?(0[1-9]|1[0-2])[-_/]?(0[1-9]|[12]\d|3[01])(?=[/_.\-]|$)")


def url_date(url: str) -> str:
    """The date a news address's path holds (lywb.lyd.com.cn/html/2012-10/31/content_877675.htm:
    2012-10-31), the last resort of an undated page; "" where it holds none."""
    from urllib.parse import urlsplit

    try:
        path = urlsplit(url.strip()).path if url else ""
    except ValueError:
        return ""
    m = URL_DATE.search(path)
    return f"{m.group(1)}-{m.group(2)}-{m.group(3)}" if m else ""


def _author(text: str) -> str:
    m = AUTHOR_FIELD.search(text) or AUTHOR.search(text)
    return m.group(1) if m else ""
