"""Cleaning: metadata of every seed, dates in all seed formats, boilerplate lines."""
from __future__ import annotations

import pytest

from conftest import CORPUS
from zhfacts.clean import boilerplate_reason, clean_text, parse_date


@pytest.mark.parametrize("doc,title,source,published,author", [
    ("000_5953399c412274d6.txt", "泉州市医疗卫生事业托起“健康梦”", "泉州晚报", "2022-09-28T08:19:00", ""),
    ("001_3ffb46c49f195117.txt", "潍坊市医疗卫生强基工程跑出“加速度”", "中国城市网", "2024-12-21T00:06:20", ""),
    ("002_53f25166de287fa3.txt", "福建:山海携手“医”路同行", "福建日报", "2023-05-09T10:25:39", "朱子微"),
    ("003_7e42cf2a585b4932.txt", "守護(hù)百姓健康,福州衛(wèi)健今年這樣干", "", "", ""),
    ("004_1104eeb8773513b4.txt", "【学思想 强党性 重实践 建新功】优质医疗资源奔向“山海” 携手实现医疗共富",
     "宣传统战处", "2023-10-16T09:45:14", "陈盈盈"),
])
def test_seed_metadata(doc, title, source, published, author):
    c = clean_text((CORPUS / doc).read_text(encoding="utf-8"))
    assert (c.title, c.source, c.published, c.author) == (title, source, published, author)


@pytest.mark.parametrize("doc,must_not_keep", [
    ("000_5953399c412274d6.txt", ["平博体育", "当前位置", "晋江市医院 供图", "附件下载"]),
    ("001_3ffb46c49f195117.txt", ["image.png", "ICP", "责任编辑", "分享到", "关于我们"]),
    ("002_53f25166de287fa3.txt", ["资料图片", "关键词", "大鹏新区", "997户", "广告"]),
    ("004_1104eeb8773513b4.txt", ["医院新闻", "微信扫一扫", "热点新闻", "(作者|"]),
])
def test_boilerplate_dropped(doc, must_not_keep):
    text = (CORPUS / doc).read_text(encoding="utf-8")
    body = "\n".join(text[a:b] for a, b in clean_text(text).body)
    assert [w for w in must_not_keep if w in body] == []


@pytest.mark.parametrize("text,iso", [
    ("发布时间:2023/10/16 9:45:14", "2023-10-16T09:45:14"),
    ("2024年12月21日 00:06:20", "2024-12-21T00:06:20"),
    ("来源:福建日报 2023-05-09 10:25:39", "2023-05-09T10:25:39"),
    ("2024年03月05日", "2024-03-05"),
    ("2022.09.28", "2022-09-28"),
    ("14.10.2015  12:29", "2015-10-14T12:29:00"),
    ("發佈 3.5.2021", "2021-05-03"),
    ("10/14/2015", ""),
    ("中華民國113年5月1日", "2024-05-01"),
    ("113-05-01", ""),  # three digits and dashes unlabelled: no date
    ("比分 3.14.2015", ""),
    ("发布日期：2021-1-5", "2021-01-05"),
    ("电话 010-65367114", ""),
    ("没有日期", ""),
])
def test_parse_date(text, iso):
    assert parse_date(text) == iso


@pytest.mark.parametrize("line,reason", [
    ("当前位置:首页 > 政务公开 > 工作动态", "breadcrumb"),
    ("平博体育网址欢迎您!", "spam"),
    ("image.png", "image"),
    ("(资料图片仅供参考)", "image"),
    ("分享到:", "share"),
    ("网站备案号:京ICP备15005404号-4 京公网安备 11010502043907号", "footer"),
    ("Copyright © 2015-2025 by www.zgcsb.com. all rights reserved", "footer"),
    ("全市新增床位3000张。", None),
    ("三大救治分中心逐步建成", None),
])
def test_boilerplate_reason(line, reason):
    assert boilerplate_reason(line) == reason


# -- the cleaner never throws prose away ----------------------------------------------
from hypothesis import given, settings, strategies as st  # noqa: E402

PROSE = [
    "市卫健委介绍，今年以来全市新建村卫生室四十个，乡村医生队伍不断壮大。",
    "该院急诊楼投入使用后，抢救床位由过去的二十张增加到六十张，群众就医更方便。",
    "医疗队在当地开展义诊和带教，把先进的诊疗技术留给了基层医院的医生！",
    "记者从区医保局获悉，参保群众门诊报销比例进一步提高，惠及数万名患者。",
    "这所县医院能否留住人才，关键在于给年轻医生提供成长的平台和空间？",
]
BOILERPLATE = [
    "来源：某某日报", "发布时间：2024-03-05 10:20", "当前位置：首页 > 新闻中心", "分享到：",
    "版权所有 某某网 京ICP备12345678号", "联系电话：0591-12345678", "image.png",
    "作者：李明", "(资料图片)", "本文来源于网络，如有侵权请联系删除", "首页", "| 0 条评论 |",
    "某某县人民医院", "编辑：王芳",
]
END_MARKERS = ["相关新闻", "责任编辑：张三", "关键词：医疗", "上一篇：某某"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(PROSE).map(lambda s: ("prose", s)),
                          st.sampled_from(BOILERPLATE).map(lambda s: ("boiler", s)),
                          st.sampled_from(END_MARKERS).map(lambda s: ("end", s))),
                min_size=1, max_size=12))
def test_no_sentence_line_before_an_end_marker_is_lost(items):
    text = "\n".join(s for _, s in items)
    c = clean_text(text)
    kept = {text[a:b] for a, b in c.body}
    for kind, line in items:
        if kind == "end" and kept:
            break  # everything after the first end marker may go: other articles
        if kind == "prose":
            assert line in kept, (line, items)


@pytest.mark.parametrize("text,kept,title", [
    # a byline or contact line at the end of a short article is metadata, not its header
    ("县医院新建的住院楼今天正式投入使用，新增床位二百张，方便了周边群众就医。\n来源：某某县融媒体中心",
     ["县医院新建的住院楼今天正式投入使用，新增床位二百张，方便了周边群众就医。"], ""),
    ("医疗队队员们在山区巡诊一个月，为上千名村民提供了免费的健康检查服务。\n| 留言与评论(共有 0 条评论) |",
     ["医疗队队员们在山区巡诊一个月，为上千名村民提供了免费的健康检查服务。"], ""),
    ("某县医院新院区启用\n发布时间：2024-05-06\n新院区共设置床位八百张，开设临床科室三十个，全面提升服务能力。",
     ["某县医院新院区启用", "新院区共设置床位八百张，开设临床科室三十个，全面提升服务能力。"],
     "某县医院新院区启用"),  # the headline is read too
    ("东山医院将于2023年5月1日开业\n2021年11月12日\n该院规划设置床位三千一百张，设临床科室四十个，按三级医院标准建设。",
     ["东山医院将于2023年5月1日开业", "该院规划设置床位三千一百张，设临床科室四十个，按三级医院标准建设。"],
     "东山医院将于2023年5月1日开业"),  # a date inside the headline's phrase: no byline
], ids=["source-at-end", "comment-footer", "title-byline-body", "headline-with-a-date"])
def test_short_articles_keep_their_body(text, kept, title):
    c = clean_text(text)
    assert [text[a:b] for a, b in c.body] == kept
    assert c.title == title
    assert c.dropped == len(text.replace("\n", "")) - sum(map(len, kept))


def test_keywords_above_a_papers_body_do_not_end_it():
    text = ("某市社区养老服务研究\n关键词：养老 床位\n一、引言\n"
            "近年来该市养老机构快速发展，截至去年底共有养老床位两万张，入住率仍然偏低。")
    c = clean_text(text)
    assert text.splitlines()[-1] in [text[a:b] for a, b in c.body]


@pytest.mark.parametrize("byline,published", [
    ("更新時間：113/08/02 14:20", "2024-08-02"),  # Traditional label, a year of the Republic
    ("发布时间：18-03-08 23:16", "2018-03-08"),  # a two-digit year after a label
])
def test_byline_labels_and_short_years(byline, published):
    c = clean_text(f"醫院新大樓啟用 新增病床120床\n{byline}\n新大樓今日啟用，新增急性病床120床、加護病床30床。")
    assert c.published == published


@pytest.mark.parametrize("url,date", [
    ("http://lywb.lyd.com.cn/html/2012-10/31/content_877675.htm", "2012-10-31"),
    ("http://news.example.cn/xinwen/2023/0508/88024.html", "2023-05-08"),
    ("https://wjw.example.gov.cn/zzjs/2022-05-19/28041.html", "2022-05-19"),
    ("http://news.example.cn/system/2015/10/30/056909696.shtml", "2015-10-30"),
    ("http://news.example.cn/a/20121031/1.html", "2012-10-31"),
    ("http://news.example.cn/2018/zjnews_0701/55019.html", ""),  # a year alone: no date
    ("http://news.example.cn/id/2012103145678.html", ""),  # digits of an id
    ("http://news.example.cn/p/1999/13/01/a", ""),  # no thirteenth month
    ("", ""),
])
def test_a_date_in_a_news_address(url, date):
    from zhfacts.clean import url_date

    assert url_date(url) == date


def test_an_undated_record_is_dated_by_its_address():
    """A JSON record whose text names no date of its own takes the one in its url."""
    from zhfacts.clean import clean_text

    text = "新安县人民医院外科大楼竣工启用\n本报讯 29日，新安县人民医院外科大楼竣工启用，开放床位达到800张。"
    assert clean_text(text, {"url": "http://lywb.lyd.com.cn/html/2012-10/31/content_877675.htm"}).published == "2012-10-31"
    assert clean_text(text, {}).published == ""
