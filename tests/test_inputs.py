"""Every input accounted for in `inputs.csv`, and damaged files read rather than rejected."""
from __future__ import annotations

import csv
import gzip
import json
import os
from pathlib import Path

import pytest

from conftest import RULES
from zhfacts.engine import ingest

ARTICLE = "某县人民医院新院区今天正式启用，新增床位100张，群众就医更加方便。"
OTHER = "乡镇卫生院改造完成后，家庭医生团队今年为群众体检3200人，服务覆盖全乡。"
THIRD = "市医疗集团今年选派专家45名下沉到乡镇卫生院坐诊，带动基层服务能力提升。"


def rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture()
def mixed_dump(tmp_path) -> Path:
    """Good and bad files, 15 inputs in all."""
    d = tmp_path / "dump"
    d.mkdir()
    (d / "good.txt").write_text("新院区启用\n" + ARTICLE, encoding="utf-8")
    (d / "good_gbk.txt").write_bytes(("新院区启用\n" + ARTICLE).encode("gbk"))  # another encoding
    (d / "empty.txt").write_bytes(b"")
    (d / "blank.txt").write_text(" \n\t\n", encoding="utf-8")
    (d / "data.txt").write_bytes(bytes(range(256)) * 64)
    (d / "picture.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40)
    padded = ("卫生院改造\n" + OTHER).encode("utf-8")
    (d / "padded.txt").write_bytes(padded[:20] + b"\x00" * 4096 + padded[20:])  # a scraper's padding
    (d / "cut_gbk.txt").write_bytes(("集团简讯\n" + THIRD).encode("gbk")[:-1])  # last byte lost
    deep = ("<html><head><meta charset='utf-8'><title>医院新闻</title></head><body>" + "<blockquote>" * 20000
            + "<p>区中医院康复楼落成，开放康复床位260张，填补了全区康复医疗的空白。</p>"
            + "</blockquote>" * 20000 + "</body></html>")
    (d / "deep.html").write_text(deep, encoding="utf-8")
    whole = gzip.compress(json.dumps({"text": THIRD + "新的内容。"}, ensure_ascii=False).encode("utf-8"))
    (d / "cut.jsonl.gz").write_bytes(whole[: len(whole) // 2])  # a truncated download
    lines = [json.dumps({"text": "新院区启用\n" + ARTICLE}, ensure_ascii=False),  # good.txt's text again
             "{not json",
             json.dumps({"title": "无正文"}, ensure_ascii=False),
             json.dumps({"text": "门诊楼投用\n该院门诊楼投入使用后，日接诊能力提升到3000人次，比原来翻了一番。"},
                        ensure_ascii=False)]
    (d / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return d


EXPECTED = {  # source_file: (outcome, reason); a dump is read in name order, feed.jsonl first
    "good.txt": ("same_content", ""),
    "good_gbk.txt": ("same_article", ""),
    "empty.txt": ("rejected", "empty"),
    "blank.txt": ("rejected", "empty"),
    "data.txt": ("rejected", "binary"),
    "picture.html": ("rejected", "binary"),
    "padded.txt": ("article", ""),
    "cut_gbk.txt": ("article", ""),
    "deep.html": ("article", ""),
    "cut.jsonl.gz": ("rejected", "corrupt_archive"),
    "feed.jsonl#1": ("article", ""),
    "feed.jsonl#2": ("rejected", "malformed_json"),
    "feed.jsonl#3": ("rejected", "no_text"),
    "feed.jsonl#4": ("article", ""),
}


def test_every_input_is_a_row_of_inputs_csv(mixed_dump, tmp_path):
    out = tmp_path / "out"
    summary = ingest([str(mixed_dump)], out, RULES, workers=1, progress=False)
    got = {r["source_file"]: (r["outcome"], r["reason"]) for r in rows(out / "inputs.csv")}
    assert got == EXPECTED
    assert summary.inputs == len(EXPECTED)
    by_file = {r["source_file"]: r for r in rows(out / "inputs.csv")}
    first_id = next(r["article_id"] for r in rows(out / "articles.csv") if r["source_file"] == "feed.jsonl#1")
    assert by_file["good.txt"]["article_id"] == by_file["good_gbk.txt"]["article_id"] == first_id
    facts = {(r["source_file"], r["metric"], r["value"]) for r in rows(out / "facts.csv")}
    assert {("padded.txt", "patient_visits", "3200"), ("deep.html", "beds", "260"),
            ("cut_gbk.txt", "staff_dispatched", "45")} <= facts
    articles = {r["source_file"]: r for r in rows(out / "articles.csv")}
    assert int(articles["padded.txt"]["damaged"]) == 4096  # the NUL bytes, counted as damage


def test_a_second_run_updates_rows_and_adds_none(mixed_dump, tmp_path):
    out = tmp_path / "out"
    ingest([str(mixed_dump)], out, RULES, workers=1, progress=False)
    first = {r["source_file"]: r for r in rows(out / "inputs.csv")}
    os.utime(mixed_dump / "good.txt")  # touched: read again, bytes already stored
    (mixed_dump / "late.txt").write_text("补充报道\n" + OTHER, encoding="utf-8")  # same text as padded.txt
    ingest([str(mixed_dump)], out, RULES, workers=1, progress=False)
    second = {r["source_file"]: r for r in rows(out / "inputs.csv")}
    assert set(second) == set(first) | {"late.txt"}
    assert second["good.txt"]["outcome"] == first["good.txt"]["outcome"]  # read again: as before
    assert second["late.txt"]["outcome"] in ("same_article", "near_duplicate")
    assert all(second[k]["first_seen"] == first[k]["first_seen"] for k in first)
    assert all(second[k]["last_seen"] >= first[k]["last_seen"] for k in first)


def test_inputs_in_flight_in_a_pool_are_logged_too(tmp_path):
    """With two workers, the copy of an article may be met before its original came back."""
    d = tmp_path / "dump"
    d.mkdir()
    for i in range(40):
        (d / f"a{i:02d}.txt").write_text(f"简讯{i}\n第{i}号卫生院今年新建住院楼，开放床位{100 + i}张，方便群众。", encoding="utf-8")
        (d / f"b{i:02d}.txt").write_text(f"简讯{i}\n第{i}号卫生院今年新建住院楼，开放床位{100 + i}张，方便群众。", encoding="utf-8")
    ingest([str(d)], tmp_path / "out", RULES, workers=2, progress=False)
    got = {r["source_file"]: r["outcome"] for r in rows(tmp_path / "out" / "inputs.csv")}
    assert len(got) == 80
    assert sorted(got.values()).count("article") == 40
    assert all(got[f"a{i:02d}.txt"] == "article" or got[f"b{i:02d}.txt"] == "article" for i in range(40))


@pytest.mark.parametrize("data,reason", [
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "binary"),
    (bytes(range(1, 32)) * 30 + "床位".encode(), "binary"),
    (b"", "empty"),
], ids=["png", "control-bytes-throughout", "empty"])
def test_binary_is_judged_by_share_and_decodability(data, reason):
    from zhfacts.decode import DecodeError, decode

    with pytest.raises(DecodeError) as err:
        decode(data)
    assert err.value.reason == reason


@pytest.mark.parametrize("padding", [b"\x00", b"\x00" * 5000, b"\x00\x01\x02"],
                         ids=["one-nul", "long-nul-run", "mixed-controls"])
def test_text_with_control_bytes_inside_is_read(padding):
    from zhfacts.decode import decode

    raw = ARTICLE.encode("utf-8")
    d = decode(raw[:9] + padding + raw[9:])
    assert d.text == ARTICLE and d.controls == len(padding)
