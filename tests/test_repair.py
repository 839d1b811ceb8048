"""Text repair, one table per kind of damage: the repaired text, and evidence offsets
that still point at the original characters after normalisation."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from zhfacts.normalize import normalize
from zhfacts.repair import repair

CLAUSES = ["医疗卫生", "全市新增床位3000张", "接诊患者超过12万人次", "乡镇卫生院", "去年新建社区医院5家",
           "培训基层医生近2000人次", "免费发放药品价值50余万元"]


def utf8_as(codec: str, text: str) -> str:
    return text.encode("utf-8").decode(codec)


def utf8_as_cp1252(text: str) -> str:
    """What a browser shows: cp1252 where it defines the byte, the C1 control otherwise."""
    out = []
    for b in text.encode("utf-8"):
        try:
            out.append(bytes([b]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(b))
    return "".join(out)


def gbk_garbles(text: str) -> bool:
    try:
        return utf8_as("gb18030", text).encode("gb18030") == text.encode("utf-8")
    except UnicodeDecodeError:
        return False


GBK_CLAUSES = ["社区医院", "医疗单位", "医疗卫生", "卫生机构", "社区卫生服务中心", "医院床位", "手术患者",
               "专家培训", "投资资金", "诊疗服务"]

MOJIBAKE = [
    *[pytest.param(utf8_as("gb18030", c), c, id=f"utf8-as-gbk:{c}") for c in GBK_CLAUSES if gbk_garbles(c)],
    *[pytest.param(utf8_as("cp950", c), c, id=f"utf8-as-big5:{c}") for c in ("建设人次", "人次建设")],
    *[pytest.param(utf8_as("latin-1", c), c, id=f"utf8-as-latin1:{c}") for c in CLAUSES],
    *[pytest.param(utf8_as_cp1252(c), c, id=f"utf8-as-cp1252:{c}") for c in CLAUSES[:4]],
    *[pytest.param(c.encode("gbk").decode("latin-1"), c, id=f"gbk-as-latin1:{c}") for c in CLAUSES[:4]],
    pytest.param("新增" + utf8_as("gb18030", "社区医院") + "5家", "新增社区医院5家", id="gbk-run-inside-clean-text"),
    pytest.param(utf8_as("gb18030", "医疗卫生，社区医院，") + "OK", "医疗卫生，社区医院，OK", id="gbk-run-with-punctuation"),
    pytest.param(utf8_as("gb18030", "卫生机构") + utf8_as("latin-1", "新增床位"), "卫生机构新增床位", id="gbk-then-latin1"),
    pytest.param("醫(" + utf8_as("latin-1", "yī") + ")院", "醫(yī)院", id="latin1-pinyin-tone"),
]


@pytest.mark.parametrize("garbled,clean", MOJIBAKE)
def test_mojibake_repaired(garbled, clean):
    fixed = repair(garbled)
    assert fixed.text == clean
    assert fixed.repairs >= 1 and fixed.damaged == 0


@pytest.mark.parametrize("text", [
    pytest.param(c, id=f"clean:{c}") for c in CLAUSES + ["醫療衛生服務中心", "守護百姓健康", "Copyright © 2024",
                                                         "温度37.5°C", "café 咖啡", "ISS≥16分"]])
def test_clean_text_is_left_alone(text):
    fixed = repair(text)
    assert (fixed.text, fixed.repairs) == (text, 0)


@pytest.mark.parametrize("text,damaged", [
    pytest.param("爭取1個國家中醫優勢??疲ㄅ嘤╉項目", "??疲ㄅ嘤╉", id="byte-shift-gbk"),
    pytest.param("重點??祈項目", "??", id="question-marks"),
    pytest.param("新增床位\ufffd\ufffd张", "\ufffd\ufffd", id="replacement-chars"),
    pytest.param("服务\ue756中心", "\ue756", id="private-use"),
])
def test_unrepairable_runs_are_marked_damaged(text, damaged):
    fixed = repair(text)
    assert [fixed.text[a:b] for a, b in fixed.damaged_spans] == [damaged]


def test_no_number_from_next_to_a_damaged_run(extractor):
    from zhfacts.extractor import explain_text

    text = "力争新增??疲ㄅ嘤╉5家"
    original = repair(text)
    aligned = normalize(original.text, [(0, len(original.text))])
    assert extractor.extract(original.text, aligned, original.damaged_spans) == []
    assert [t.fact for t in explain_text(extractor, "力争新增社区医院5家") if t.fact]


@pytest.mark.parametrize("original,encoding,normalized", [
    pytest.param("全市新增?位3000張", "cp950", "全市新增床位3000张", id="big5-lost-chuang"),
    pytest.param("接診??超過2萬人次", "cp950", "接诊群众超过2万人次", id="big5-lost-two"),
    pytest.param("隨?業務發展", "cp950", "随着业务发展", id="big5-lost-zhe"),
    pytest.param("其中傳染病?50張", "cp950", "其中传染病床50张", id="big5-lost-before-a-number"),
    pytest.param("設置病?數750張", "cp950", "设置病床数750张", id="big5-lost-common-char-outweighed"),
    pytest.param("全市新增?位3000張", "utf-8", "全市新增?位3000张", id="utf8-question-kept"),
    pytest.param("醫(y?)院", "cp950", "医院", id="pinyin-lost-tone"),
    pytest.param("衛(yuàn)(wèi)生所", "utf-8", "卫生所", id="pinyin-stacked"),
    pytest.param("４６．３％", "utf-8", "46.3%", id="fullwidth"),
    pytest.param("牀位與衞生院", "utf-8", "床位与卫生院", id="hk-variants"),
])
def test_normalisation_repairs(original, encoding, normalized):
    assert normalize(original, [(0, len(original))], encoding).text.rstrip("\n") == normalized


@pytest.mark.parametrize("original,encoding,needle,evidence", [
    ("全市新增?位3000張", "cp950", "床位3000张", "?位3000張"),
    ("醫(y?)院新增床位３０００張", "cp950", "医院新增床位3000张", "醫(y?)院新增床位３０００張"),
    ("守護(hù)百姓，衛(yuàn)(wèi)生所300家", "utf-8", "卫生所300家", "衛(yuàn)(wèi)生所300家"),
])
def test_offsets_point_at_original_after_repair(original, encoding, needle, evidence):
    aligned = normalize(original, [(0, len(original))], encoding)
    at = aligned.text.index(needle)
    start, end = aligned.span_of(at, at + len(needle))
    assert original[start:end] == evidence


def test_repair_table_is_big_enough():
    assert len(MOJIBAKE) >= 25


@given(st.text(st.sampled_from(list("ab1 ,(hù)yuàn医院é©Ã±€™“”—…\u00a0\u0081\u00b7ÒÔ½Á"))))
@settings(max_examples=800)
def test_latin_pair_says_whether_a_latin_run_is_there(text):
    """could_be_mojibake's quick test agrees with the run pattern the repair uses."""
    from zhfacts.repair import LATIN_PAIR, LATIN_RUN

    assert bool(LATIN_PAIR.search(text)) == bool(LATIN_RUN.search(text))
