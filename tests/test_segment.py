"""Segmentation: jieba's prefix dictionary cache, and quantities kept as single tokens."""
from __future__ import annotations

from functools import lru_cache

import jieba
import pytest
from hypothesis import example, given, settings, strategies as st

from zhfacts.extractor import _Tokens
from zhfacts.numbers import Quantity, find_quantities
from zhfacts.cache import cache_dir
from zhfacts.segment import (BLOCK_CHAR, Segmenter, import_jieba, load_dictionary, load_prefix_dict,
                             prefix_dict, sentences)

from conftest import RULES

SENTENCES = ["新增床位3000张，派出医疗队员121名", "累计培训基层卫生技术人员5000余人次",
             "医共体牵头医院下沉专家到乡镇卫生院坐诊", "开展三四级手术7000多台次"]


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("ZHFACTS_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _jieba_loaded(userdict):
    """A tokenizer loaded jieba's own way, domain words added: what the cache must equal."""
    tok = jieba.Tokenizer()
    tok.initialize()
    load_dictionary(tok, userdict)
    return tok


def _cut_with(words, text):
    """jieba's words of `text` from a tokenizer over `words` (read as far as needed)."""
    tok = jieba.Tokenizer()
    tok.FREQ, tok.total, tok.initialized = words.need(text), words.total, True
    return tok.lcut(text)


def test_cached_prefix_dict_equals_jiebas_own(cache):
    reference = _jieba_loaded(RULES / "domain_dict.txt")
    built = load_prefix_dict(RULES / "domain_dict.txt")  # builds the cache
    assert len(list(cache.glob("prefix-*.pickle"))) == 1
    loaded = load_prefix_dict(RULES / "domain_dict.txt")  # reads it
    for words in (built, loaded):
        assert words.total == reference.total
        assert [_cut_with(words, s) for s in SENTENCES] == [reference.lcut(s) for s in SENTENCES]
    assert loaded.complete() == reference.FREQ


def test_prefix_dict_is_read_only_as_far_as_needed(cache):
    load_prefix_dict(RULES / "domain_dict.txt")
    words = load_prefix_dict(RULES / "domain_dict.txt")
    assert words.entries == {}
    _cut_with(words, SENTENCES[0])
    assert set(SENTENCES[0]) >= {w[0] for w in words.entries} and "床位" in words.entries
    assert words.get("床位") == _jieba_loaded(RULES / "domain_dict.txt").FREQ["床位"]
    assert "病床" in words and "病床不存在的词" not in words and words["医院"] > 0


@lru_cache(maxsize=1)
def _reference():
    return _jieba_loaded(RULES / "domain_dict.txt")


HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
MIXED = ["医共体", "乡镇卫生院", "，", "2.08万张", "AI", " ", "病床", "下沉", "（", "三级"]


@given(text=st.lists(st.sampled_from(SENTENCES + MIXED) | st.text(HAN, max_size=3), max_size=8).map("".join))
@settings(max_examples=100, deadline=None)
def test_segmenting_with_a_partly_read_dictionary_equals_jieba(text):
    """Whatever has been read before, the words of a text are jieba's own."""
    assert Segmenter(RULES / "domain_dict.txt").cut(text) == _reference().lcut(text)


def test_broken_cache_is_rebuilt(cache):
    load_prefix_dict(RULES / "domain_dict.txt")
    path, = cache.glob("prefix-*.pickle")
    path.write_bytes(b"not a pickle")
    assert "床位" in load_prefix_dict(RULES / "domain_dict.txt")
    assert path.read_bytes() != b"not a pickle"


def test_another_domain_dictionary_gets_its_own_cache(cache, tmp_path):
    extra = tmp_path / "dict.txt"
    extra.write_text("# a comment line, not a word\n医技共享中心 50 n\n", encoding="utf-8")
    load_prefix_dict(RULES / "domain_dict.txt")
    words = load_prefix_dict(extra)
    assert len(list(cache.glob("prefix-*.pickle"))) == 2
    assert words["医技共享中心"] == 50 and "# a comment line, not a word" not in words


def test_cache_dir_follows_the_environment(cache):
    assert cache_dir() == cache


def test_block_char_is_jiebas_own_block_pattern():
    assert all(bool(BLOCK_CHAR.match(ch)) == bool(jieba.re_han_default.match(ch))
               for ch in map(chr, range(0x20, 0xA000)))


WORD_PIECES = ["新增", "床位", "3000张", "病床", "，", "开放床位", "医院", "床", "位于", "5G", "和",
               "护理型", " ", "手术", "台次", "120名", "医生", "下沉", "乡镇卫生院", "(", "项目",
               "三级", "近百张", "接近", "床位数", "4台", "位", "张", "超过"]


@given(pieces=st.lists(st.sampled_from(WORD_PIECES), min_size=1, max_size=10))
@example(pieces=["超过", " ", "4台"])  # a space inside a quantity is no token edge
@example(pieces=["超过", " ", "三级"])  # between two Han a space ends a clause: no quantity across it
@settings(max_examples=150)
def test_token_edges_agree_with_segmenting_the_clause(pieces, extractor):
    """Whether a word starts or ends on a token edge, answered from certain edges or by
    segmenting the piece around it, is what segmenting its whole clause answers."""
    text = "".join(pieces)
    sent = next(sentences(text), None)
    if sent is None:
        return
    quantities = find_quantities(sent.text)
    tokens = _Tokens(sent, quantities, extractor.segmenter)
    starts, ends = {0}, {len(sent.text)}  # a sentence starts and ends on an edge
    for clause in sent.clauses:
        lo = clause.start - sent.start
        qs = [q._replace(start=q.start - lo, end=q.end - lo)
              for q in quantities if lo <= q.start and q.end <= lo + len(clause.text)]
        for tok, at in extractor.segmenter.tokens(clause.text, qs):
            starts.add(lo + at), ends.add(lo + at + len(tok))
    covered = {p for c in sent.clauses for p in range(c.start - sent.start, c.end - sent.start + 1)}
    for p in covered:
        if tokens.certain(p):
            assert p in starts | ends, (text, p)
    for a in range(len(sent.text)):  # every word of up to 5 characters, as triggers are
        for b in range(a + 1, min(a + 5, len(sent.text)) + 1):
            if all(BLOCK_CHAR.match(ch) for ch in sent.text[a:b]):
                assert tokens.boundary(a, b) == (a in starts or b in ends), (text, a, b)


def test_jieba_is_imported_without_pkg_resources():
    """Checked in a fresh interpreter: nothing else may have imported either yet."""
    import subprocess
    import sys

    code = ("import sys; from zhfacts.segment import import_jieba; j = import_jieba(); "
            "assert 'pkg_resources' not in sys.modules; "
            "print(j.get_dict_file().name.endswith('dict.txt'), j.lcut('新增床位3张'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split()[0] == "True" and "床位" in out.stdout


def test_cached_opencc_character_sets_equal_fresh_ones(cache):
    from zhfacts import normalize

    fresh_t = normalize._changed_by(*normalize._converters())
    fresh_s = normalize._changed_by(normalize._s2t())
    normalize._traditional_chars.cache_clear(), normalize._simplified_chars.cache_clear()
    try:
        assert normalize._traditional_chars() == fresh_t and normalize._simplified_chars() == fresh_s
        assert len(list(cache.glob("*.pickle"))) == 2  # built and kept
        normalize._traditional_chars.cache_clear(), normalize._simplified_chars.cache_clear()
        assert normalize._traditional_chars() == fresh_t and normalize._simplified_chars() == fresh_s
        assert "衞" in fresh_t and "医" in fresh_s
    finally:
        normalize._traditional_chars.cache_clear(), normalize._simplified_chars.cache_clear()


def _find_trigger_plainly(ctx, rule):
    """Every occurrence of every trigger by str.find, the nearest kept (first listed on a
    tie): what `_Context.find_trigger` must return, however it finds candidates."""
    lo, hi = ctx.scope(rule)
    text, best = ctx.sentence.text, None
    for word in rule.triggers:
        a = text.find(word, lo, hi)
        while a >= 0:
            b = a + len(word)
            if (not (a < ctx.q.end and b > ctx.q.start) and ctx.owns(rule, a, b)
                    and ctx.tokens.boundary(a, b)):
                dist = ctx.q.start - b if b <= ctx.q.start else a - ctx.q.end
                if best is None or dist < best[0]:
                    best = (dist, a, b)
            a = text.find(word, a + 1, hi)
    return None if best is None else (best[1], best[2])


TRIGGER_PIECES = ["新增", "床位", "床位数", "病床", "开放床位", "3000张", "120名", "派出", "医疗队员", "专家",
                  "培训", "人次", "，", "和", "手术", "台", "医院", "新建", "卫生院", "5所", "位", "床"]


@given(pieces=st.lists(st.sampled_from(TRIGGER_PIECES), min_size=1, max_size=12))
@settings(max_examples=200)
def test_nearest_trigger_is_the_one_a_plain_search_finds(pieces, extractor):
    from zhfacts.extractor import _Context

    sent = next(sentences("".join(pieces)), None)
    if sent is None:
        return
    quantities = find_quantities(sent.text)
    tokens = _Tokens(sent, quantities, extractor.segmenter)
    for i, q in enumerate(quantities):
        clause = next(c for c in sent.clauses if c.start <= sent.start + q.start < c.end)
        ctx = _Context(sent, clause, q, quantities, i, tokens, extractor.by_unit, extractor.common, sent.text)
        for rule in extractor.ruleset.rules:
            assert ctx.find_trigger(rule) == _find_trigger_plainly(ctx, rule), (sent.text, q.text, rule.id)


@pytest.mark.parametrize("text,offset,clause", [
    ("新增床位3000张，派出医疗队员121名。", 4, "新增床位3000张，"),
    ("新增床位3000张，派出医疗队员121名。", 10, "派出医疗队员121名。"),
    ("新增床位3000张，派出医疗队员121名。", 9, "新增床位3000张，"),  # the comma ends the clause
    ("共计1,200张床位：其中新增300张", 3, "共计1,200张床位："),  # 1,200 is no clause break
    ("共计1,200张床位：其中新增300张", 15, "其中新增300张"),
])
def test_clause_at(text, offset, clause):
    sent = next(sentences(text))
    assert sent.clause_at(offset).text == clause


def test_cache_without_a_home_falls_back_to_the_temp_folder(monkeypatch):
    import tempfile
    from pathlib import Path

    def no_home(cls):
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.delenv("ZHFACTS_CACHE", raising=False)
    monkeypatch.setattr(Path, "home", classmethod(no_home))
    assert cache_dir() == Path(tempfile.gettempdir()) / "zhfacts-cache"


def test_unwritable_cache_costs_time_not_correctness(tmp_path, monkeypatch):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    monkeypatch.setenv("ZHFACTS_CACHE", str(blocked / "cache"))  # cannot be created
    assert "床位" in load_prefix_dict(RULES / "domain_dict.txt")


def test_the_repair_scores_with_jiebas_words_only():
    """The repair of lost characters does not depend on which rules are loaded."""
    from zhfacts.normalize import _word_freq

    Segmenter(RULES / "domain_dict.txt").cut("派出医疗队员")
    assert _word_freq("医") is prefix_dict(None).entries and not _word_freq("医").get("医疗队员")
    assert prefix_dict(str(RULES / "domain_dict.txt")).get("医疗队员")


def test_threads_reading_the_dictionary_see_every_entry(cache):
    """Threads of one Dask worker share a dictionary: none sees a part half read."""
    from concurrent.futures import ThreadPoolExecutor

    load_prefix_dict(RULES / "domain_dict.txt")
    words = load_prefix_dict(RULES / "domain_dict.txt")
    reference = _reference()
    texts = SENTENCES * 8
    with ThreadPoolExecutor(8) as pool:
        cuts = list(pool.map(lambda s: _cut_with(words, s), texts))
    assert cuts == [reference.lcut(s) for s in texts]
