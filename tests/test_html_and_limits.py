"""HTML pages in every charset declaration, and inputs that must not crash or hang."""
from __future__ import annotations

import csv
from pathlib import Path
import subprocess
import sys

import pytest

from conftest import RULES
from zhfacts.pipeline import prepare
from zhfacts.sources import RawArticle

BODY = ("<p>全市新增床位3000张，新建乡镇卫生院12所，服务能力明显提升。</p>"
        "<p>全年培训乡村医生4500人次，各级医院累计接诊患者超过12万人次。</p>")
SIDEBAR = "<div class='side'><ul>" + "".join(
    f"<li><a href='/n/{i}'>东部县选派{i + 40}名医师驻村</a></li>" for i in range(8)) + "</ul></div>"


def page(head: str, body: str = BODY) -> str:
    return (f"<html><head>{head}<title>卫生健康工作取得新进展_新闻中心</title></head><body>"
            f"<div class='nav'><a href='/'>首页</a> &gt; 新闻</div>{SIDEBAR}"
            f"<div class='article'><h1>卫生健康工作取得新进展</h1>{body}</div>"
            f"<div class='footer'>版权所有 备案号:京ICP备12345678号-1</div></body></html>")


def facts(raw: RawArticle, extractor):
    from zhfacts.pipeline import facts_of

    article = prepare(raw)
    assert hasattr(article, "article_id"), article
    return article, {(f.metric, f.value) for f in facts_of(article, extractor)}


EXPECTED = {("beds", 3000), ("facilities", 12), ("trainees", 4500), ("patient_visits", 120000)}


@pytest.mark.parametrize("head,codec,encoding", [
    ('<meta charset="gbk">', "gbk", "gb18030"),
    ('<meta charset="gb2312">', "gb18030", "gb18030"),
    ('<meta http-equiv="Content-Type" content="text/html; charset=GB2312">', "gb18030", "gb18030"),
    ('<meta charset="big5">', "big5", "cp950"),
    ('<meta charset="utf-8">', "utf-8", "utf-8"),
    ("", "utf-8", "utf-8"),
    ("", "gb18030", "gb18030"),
])
def test_charsets(extractor, head, codec, encoding):
    html = page(head)
    if codec == "big5":
        from zhfacts.normalize import _s2t

        html = _s2t().convert(html)
    data = html.encode(codec, errors="replace")  # Big5 has no 牀: a converter writes ?
    article, got = facts(RawArticle("p.html", "html", data=data), extractor)
    assert article.encoding == encoding
    assert got == EXPECTED
    assert article.title in ("卫生健康工作取得新进展", "衛生健康工作取得新進展")  # as written


def test_sidebar_numbers_are_not_facts(extractor):
    _, got = facts(RawArticle("p.html", "html", data=page('<meta charset="utf-8">').encode()), extractor)
    assert not any(m == "staff_dispatched" for m, _ in got)


def test_br_separated_text_and_tables(extractor):
    body = ("<div>全市新增床位3000张。<br>新建乡镇卫生院12所，服务能力明显提升。<br/>"
            "全年培训乡村医生4500人次，接诊患者超过12万人次。<br></div>"
            "<table><tr><th>指标</th><th>数量</th></tr><tr><td>新增养老床位</td><td>800张</td></tr></table>")
    _, got = facts(RawArticle("p.html", "html", data=page('<meta charset="utf-8">', body).encode()), extractor)
    assert got == EXPECTED | {("beds", 800)}


@pytest.mark.parametrize("meta,published", [
    ('<meta name="publishdate" content="2024-03-05 10:20:00">', "2024-03-05T10:20:00"),
    ('<meta name="PubDate" content="2024年03月05日">', "2024-03-05"),
    ('<meta property="article:published_time" content="2023-10-16T09:45:14+08:00">', "2023-10-16T09:45:14"),
])
def test_published_from_meta(meta, published):
    article = prepare(RawArticle("p.html", "html", data=page(meta).encode()))
    assert article.published == published


def test_published_from_chinese_byline_without_meta():
    body = "<p>发布时间：2024年03月05日 来源：福建日报</p>" + BODY
    article = prepare(RawArticle("p.html", "html", data=page("", body).encode()))
    assert (article.published, article.source) == ("2024-03-05", "福建日报")


@pytest.mark.parametrize("footer,published", [
    ("版权所有 2015-2024 电话:010-12345678", ""),  # a copyright year is no date
    ("发布日期：2024-01-01 版权所有 2015-2024", "2024-01-01"),  # a real New Year's Day page
])
def test_an_undated_page_is_not_dated_by_its_copyright_line(footer, published):
    html = page("").replace("版权所有 备案号:京ICP备12345678号-1", footer)
    article = prepare(RawArticle("p.html", "html", data=html.encode()))
    assert article.published[:10] == published


def _ingest_subprocess(dump, out, timeout=300):
    code = ("import sys; from zhfacts.engine import ingest; "
            f"s = ingest([{str(dump)!r}], {str(out)!r}, {str(RULES)!r}, workers=1, progress=False); print(s.line())")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout)


def _rows(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_20mb_single_line_is_rejected_with_a_reason(tmp_path):
    dump = tmp_path / "dump"
    dump.mkdir()
    line = "全市新增床位3000张，医院接诊患者超过2万人次，"
    (dump / "huge.txt").write_text(line * (20_000_000 // len(line.encode())), encoding="utf-8")
    (dump / "ok.txt").write_text("各地卫生健康工作\n" + line * 3, encoding="utf-8")
    r = _ingest_subprocess(dump, tmp_path / "out")
    assert r.returncode == 0, r.stderr
    assert [(x["source_file"], x["reason"]) for x in _rows(tmp_path / "out" / "rejects.csv")] == [("huge.txt", "too_large")]
    assert [a["source_file"] for a in _rows(tmp_path / "out" / "articles.csv")] == ["ok.txt"]


def test_1mb_single_line_is_processed(tmp_path):
    dump = tmp_path / "dump"
    dump.mkdir()
    line = "全市新增床位3000张，医院接诊患者超过2万人次，"
    (dump / "long.txt").write_text("标题\n" + line * (1_000_000 // len(line.encode())), encoding="utf-8")
    r = _ingest_subprocess(dump, tmp_path / "out")
    assert r.returncode == 0, r.stderr
    got = {(f["metric"], f["value"]) for f in _rows(tmp_path / "out" / "facts.csv")}
    assert got == {("beds", "3000"), ("patient_visits", "20000")}


def test_page_nested_10000_deep_is_processed(tmp_path):
    dump = tmp_path / "dump"
    dump.mkdir()
    html = ("<html><head><meta charset='utf-8'></head><body>" + "<div>" * 10000 + BODY
            + "</div>" * 10000 + "</body></html>")
    (dump / "deep.html").write_text(html, encoding="utf-8")
    r = _ingest_subprocess(dump, tmp_path / "out")
    assert r.returncode == 0, r.stderr
    got = {(f["metric"], int(f["value"])) for f in _rows(tmp_path / "out" / "facts.csv")}
    assert got == EXPECTED


@pytest.mark.parametrize("page_title,h1,extracted,expected", [
    ("卫健委发布年度统计公报_新闻中心_某某网", "新闻中心", "", "卫健委发布年度统计公报"),
    ("省医院新院区启用 - 某省人民政府门户网站", "某省人民政府网站", "", "省医院新院区启用"),
    ("中华人民共和国基本医疗卫生法-法规", "", "", "中华人民共和国基本医疗卫生法"),
    ("1-10月全县卫生投资稳步增长", "", "", "1-10月全县卫生投资稳步增长"),
    ("关于调整医保政策的通知__2023年第5号公报_某某网", "", "", "关于调整医保政策的通知"),
    ("县医院扩建工程开工", "县医院扩建工程开工：总投资3亿元", "", "县医院扩建工程开工：总投资3亿元"),
    ("", "乡镇卫生院完成改造", "别的标题", "乡镇卫生院完成改造"),
    ("", "", "抽取器读到的标题", "抽取器读到的标题"),
], ids=["section-and-site", "spaced-hyphen-site", "bare-hyphen-section", "hyphen-in-a-range",
        "empty-part", "h1-is-the-headline", "h1-without-title", "extractor-last"])
def test_headline(page_title, h1, extracted, expected):
    from zhfacts.content import headline

    assert headline(page_title, h1, extracted) == expected


@pytest.mark.parametrize("meta,header,first,expected", [
    ({"published": "2024-05-06T08:00:00+08:00"}, "发布时间：2024-03-05", "", "2024-05-06T08:00:00"),
    ({"date_found": "2024-01-01"}, "首页 发布时间：2024年03月05日 来源：某报", "", "2024-03-05"),
    ({"date_found": "2024-01-01"}, "首页 新闻 2019-08-19 热点", "", "2024-01-01"),
    ({}, "首页 新闻 2019-08-19 热点", "", "2019-08-19"),
    ({}, "", "2022年9月28日电 记者从市卫健委获悉", "2022-09-28"),
    ({}, "首頁 發布日期：113-05-01 單位：衛生局", "", "2024-05-01"),
    ({}, "更新時間：113/08/02 14:20", "", "2024-08-02"),
    ({"date_found": "2008-03-18"}, "发布时间：18-03-08 23:16", "", "2018-03-08"),
], ids=["meta-tag", "labelled-byline", "extractor-before-a-stray-date", "stray-date", "dateline",
        "labelled-roc-date", "traditional-update-label", "two-digit-year-after-a-label"])
def test_published_order(meta, header, first, expected):
    from zhfacts.clean import _published

    assert _published(meta, header, first) == expected


def test_article_outside_the_body_and_an_article_the_pruning_cuts():
    outside = ("<html><head><meta charset='utf-8'><title>区卫健局通报_某某网</title></head><body>"
               "<div class='nav'><a href='/'>首页</a></div></body><div class='content'><div><p>"
               "区卫健局通报，今年全区新建社区卫生服务站6个，新增床位240张，群众就医更加便利。</p></div></div></html>")
    article = prepare(RawArticle("o.html", "html", data=outside.encode()))
    assert "新增床位240张" in article.normalized and article.title == "区卫健局通报"


HTML_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "html"


@pytest.mark.skipif(not HTML_CORPUS.is_dir(), reason="../shared/corpus/html is not on this machine")
def test_real_news_pages_keep_headline_and_date(tmp_path):
    """The 62 real news pages: every one an article, headlines and dates as their gold."""
    import json
    import re

    from zhfacts.engine import ingest

    ingest([str(HTML_CORPUS)], tmp_path, RULES, workers=2, progress=False)
    gold = {json.loads(l)["doc"]: json.loads(l) for l in
            (HTML_CORPUS.parent.parent / "eval" / "html.meta.jsonl").read_text(encoding="utf-8").splitlines() if l}
    arts = {doc: r for r in _rows(tmp_path / "articles.csv")  # a page that repeats another is a source of it
            for doc in {r["source_file"], *r["sources"].split(" | ")}}
    norm = lambda t: re.sub(r"[\s\"'“”‘’「」『』《》【】\[\]（）()：:，,。！!？?|｜·…._\-—]", "", t or "")[:12]
    assert set(arts) == set(gold)
    titles = [norm(arts[d]["title"]) == norm(g["title"]) for d, g in gold.items() if g.get("title")]
    dates = [arts[d]["published"][:10] == g["published"] for d, g in gold.items() if g.get("published")]
    assert sum(titles) / len(titles) >= 0.95 and sum(dates) / len(dates) >= 0.95
