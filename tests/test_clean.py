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
