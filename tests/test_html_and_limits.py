"""HTML pages in every charset declaration, and inputs that must not crash or hang."""
from __future__ import annotations

import csv
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
