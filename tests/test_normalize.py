"""Normalisation keeps a map back to the original: any normalised span is the original
characters it came from."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from zhfacts.normalize import AlignedText, normalize, normalize_str, rewrite, script_of


@pytest.mark.parametrize("original,normalized", [
    pytest.param("守護(hù)百姓健康", "守护百姓健康", id="pinyin-toned"),
    pytest.param("醫(yī)院項(xiàng)目", "医院项目", id="pinyin-two"),
    pytest.param("衛(wei4)生院", "卫生院", id="pinyin-numbered"),
    pytest.param("綠(lǜ)色通道", "绿色通道", id="pinyin-umlaut"),
    pytest.param("綠(lv)色", "绿色", id="pinyin-v"),
    pytest.param("醫院(yī yuàn)建設", "医院建设", id="pinyin-several-syllables"),
    pytest.param("各縣(市)區", "各县(市)区", id="real-paren-han"),
    pytest.param("青田县人民医院(青田分院)", "青田县人民医院(青田分院)", id="real-paren-name"),
    pytest.param("急诊PCI(PCI)治疗", "急诊PCI(PCI)治疗", id="real-paren-abbrev"),
    pytest.param("三年行动计划(2024-2026年)", "三年行动计划(2024-2026年)", id="real-paren-years"),
    pytest.param("床位３０００張", "床位3000张", id="fullwidth-digits"),
    pytest.param("增长４６．３％", "增长46.3%", id="fullwidth-decimal-percent"),
    pytest.param("新增，床位", "新增，床位", id="chinese-comma-kept"),
    pytest.param("全市牀位", "全市床位", id="variant-chuang"),
    pytest.param("衞生院", "卫生院", id="variant-wei"),
    pytest.param("頭髮乾燥", "头发干燥", id="opencc-phrases"),
    pytest.param("医院與醫院", "医院与医院", id="mixed-scripts"),
])
def test_normalized_text(original, normalized):
    assert normalize_str(original) == normalized


@pytest.mark.parametrize("original,needle,evidence", [
    ("守護(hù)百姓健康，新增床位3000張", "床位3000张", "床位3000張"),
    ("醫(yī)院新增床位３０００張", "床位3000张", "床位３０００張"),
    ("各縣(市)區(qū)遴選1個至5個", "区遴选1个", "區(qū)遴選1個"),
    ("頭髮乾燥的醫院", "干燥的医院", "乾燥的醫院"),
])
def test_span_maps_back_to_original(original, needle, evidence):
    aligned = normalize(original, [(0, len(original))])
    at = aligned.text.index(needle)
    start, end = aligned.span_of(at, at + len(needle))
    assert original[start:end] == evidence


PIECES = ["守護", "(hù)", "醫院", "(yī)", "新增床位", "３０００", "3000", "張", "，", "(市)",
          "頭髮乾燥", "牀", "衞生院", "。", "\n", " ", "abc", "(PCI)", "12,345", "％"]


@given(st.lists(st.sampled_from(PIECES), max_size=30), st.data())
@settings(max_examples=200)
def test_every_span_maps_inside_the_original(pieces, data):
    original = "".join(pieces)
    aligned = normalize(original, [(0, len(original))])
    n = len(aligned.text)
    assert len(aligned.starts) == len(aligned.ends) == n
    if n == 0:
        return
    a = data.draw(st.integers(0, n - 1))
    b = data.draw(st.integers(a + 1, n))
    start, end = aligned.span_of(a, b)
    assert 0 <= start <= end <= len(original)
    # Monotonic: later normalised characters never map before earlier ones.
    assert all(aligned.starts[i] <= aligned.starts[i + 1] for i in range(n - 1))


def _per_character(text: str, offset: int = 0) -> tuple[str, list[int], list[int]]:
    return text, list(range(offset, offset + len(text))), list(range(offset + 1, offset + len(text) + 1))


def _rewrite_per_character(model, pieces):
    """The plain model runs must agree with: one (start, end) pair per character."""
    text, starts, ends = model
    out, s, e, pos = [], [], [], 0
    for a, b, new in pieces:
        out.append(text[pos:a]), s.extend(starts[pos:a]), e.extend(ends[pos:a])
        if new:
            if len(new) == b - a:
                s.extend(starts[a:b]), e.extend(ends[a:b])
            else:
                lo, hi = (starts[a], ends[b - 1]) if b > a else (starts[a], starts[a])
                s.extend([lo] * len(new)), e.extend([hi] * len(new))
            out.append(new)
        pos = b
    out.append(text[pos:]), s.extend(starts[pos:]), e.extend(ends[pos:])
    return "".join(out), s, e


@st.composite
def _pieces(draw, n: int):
    """Sorted, non-overlapping rewrites of a text of length n (deletions, 1:1, n:m)."""
    cuts = sorted(draw(st.lists(st.integers(0, n - 1), max_size=8, unique=True)))
    pieces = []
    for i in range(0, len(cuts) - 1, 2):
        a, b = cuts[i], cuts[i + 1]
        pieces.append((a, b, draw(st.sampled_from(["", "x", "xy", "x" * (b - a)]))))
    return pieces


@given(st.text("医院床位张3\n", min_size=1, max_size=40), st.integers(0, 50), st.data())
@settings(max_examples=300)
def test_runs_agree_with_a_per_character_map(text, offset, data):
    aligned, model = AlignedText.identity(text, offset), _per_character(text, offset)
    for _ in range(3):  # rewrites of rewrites: runs are sliced and shifted each time
        if not aligned.text:
            break
        pieces = data.draw(_pieces(len(aligned.text)))
        aligned, model = rewrite(aligned, pieces), _rewrite_per_character(model, pieces)
        assert (aligned.text, aligned.starts, aligned.ends) == model


@pytest.mark.parametrize("text,script", [
    ("医院新增床位", "simplified"),
    ("醫院新增床位，衛生院擴建", "traditional"),
    ("医院新增床位，这里说的是醫院擴建與衛生院們的發展過程", "mixed"),
])
def test_script_of(text, script):
    assert script_of(text) == script


TRAD_PIECES = ["頭髮", "乾燥", "醫院", "\n", "牀位", "衞生", "發展", "与", "医院", "，", "裡面", "後來", "皇后",
               "(hù)", "(yī)(yuàn)", "(Ā)", "（xiàng）", "(PCI)", "(ct)", "(ai)", "(Hù)", "守護", "3000張", " "]


@given(st.lists(st.sampled_from(TRAD_PIECES), max_size=25))
@settings(max_examples=300)
def test_line_by_line_shortcuts_equal_whole_text_work(pieces):
    """OpenCC line by line, and readings found on the stdlib `re` and accepted at a glance
    when all in lower case, give what one pass over the whole text gives."""
    from zhfacts.normalize import PINYIN_RE, _converters, is_reading, strip_pinyin, to_simplified_str

    text = "".join(pieces)
    t2s, hk2s = _converters()
    assert to_simplified_str(text) == hk2s.convert(t2s.convert(text))
    whole = [(m.start(), m.end()) for m in PINYIN_RE.finditer(text)
             if all(is_reading(py) for py in m.captures("py"))]
    stripped = "".join(text[a:b] for a, b in zip([0] + [e for _, e in whole], [s for s, _ in whole] + [len(text)]))
    assert strip_pinyin(AlignedText.identity(text)).text == stripped


# A page-wide line is 18 or more Han characters; three such lines around a line make it
# a wrapped text's.  (width in Han characters, how the line ends)
_WIDE = "县中医院始建于一九五八年是一所集医疗教学科研"  # 22 Han characters, no punctuation


def _spans(lines: list[str]) -> list[tuple[int, int]]:
    spans, at = [], 0
    for line in lines:
        spans.append((at, at + len(line)))
        at += len(line) + 1
    return spans


@pytest.mark.parametrize("lines,joined", [
    pytest.param(["县医院工作汇报", _WIDE, _WIDE[:20] + "年门诊", "约 8123人次，住院病人 960人次；年手术", "312台次。"],
                 [False, True, True, True], id="a-wrapped-report"),
    pytest.param(["市人民医院新院区启用仪式在新区隆重举行活动现场", _WIDE, _WIDE[::-1], "新增床位300张。"],
                 [False, True, True], id="the-first-line-the-headline-is-never-joined"),
    pytest.param([_WIDE + "。", _WIDE + "。", _WIDE + "。", _WIDE + "。"], [False, False, False],
                 id="paragraphs-end-in-full-stops"),
    pytest.param(["援疆医疗队在县医院开展新技术培训纪实活动报道", "医疗队员为群众义诊现场图片来源于县医院宣传科",
                  _WIDE * 8 + "。", "新增床位300张。"], [False, False, False], id="a-title-and-a-caption"),
    pytest.param(["标题", _WIDE, _WIDE, _WIDE, "（二）新增床位300张。"], [False, True, True, False],
                 id="a-list-item-starts-a-line"),
    pytest.param(["县医院", "工作总结", "一、基本情况", "新增床位300张。"], [False, False, False], id="short-headings"),
])
def test_hard_wrapped_lines_are_joined(lines, joined):
    original = "\n".join(lines)
    text = normalize(original, _spans(lines)).text
    assert [lines[i + 1] in text and (lines[i] + lines[i + 1]).replace(" ", "") in text.replace(" ", "")
            for i in range(len(lines) - 1)] == joined


@pytest.mark.parametrize("reading", ["(yuàn)", "(hù)(wèi)", "（jiàn）"])
def test_pinyin_readings_do_not_hide_a_wrapped_line(reading):
    """A mirror's readings (医院(yuàn)) make a line look wider than its neighbours: they are
    read out before the widths are measured, so the lines join as the clean text's do."""
    clean = ["县医院工作汇报", _WIDE, _WIDE[:20] + "年门诊", "约 8123人次，住院病人 960人次；年手术", "312台次。"]
    lines = [clean[0], clean[1][:6] + reading + clean[1][6:], clean[2][:3] + reading + clean[2][3:],
             clean[3], clean[4]]
    original = "\n".join(lines)
    assert normalize(original, _spans(lines)).text == normalize("\n".join(clean), _spans(clean)).text


def test_a_joined_lines_evidence_maps_back_across_the_line_break():
    lines = ["县医院工作汇报", _WIDE, _WIDE[:20] + "年门诊", "约 8123人次，住院病人 960人次；年手术", "312台次。"]
    original = "\n".join(lines)
    aligned = normalize(original, _spans(lines))
    at = aligned.text.index("年门诊约")
    start, end = aligned.span_of(at, at + len("年门诊约 8123人次"))
    assert original[start:end] == "年门诊\n约 8123人次"


def test_a_figure_whose_cue_is_on_the_line_before_is_found():
    import zhfacts

    article = "\n".join(["县人民医院工作汇报", "2014年1月10日", _WIDE, _WIDE[:20] + "年门诊",
                         "约 8123人次，住院病人 960人次；年手术", "312台次。"])
    found = {(f.metric, f.value): f.evidence for f in zhfacts.extract(article)}
    assert found[("patient_visits", 8123)].endswith("年门诊\n约 8123人次")  # as written, across the break
    assert found[("surgeries", 312)] == "年手术\n312台次"
