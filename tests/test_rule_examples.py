"""Every example of every shipped rule file, one test each, plus the schema checks."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import CORPUS, RULES
from zhfacts.rules import RuleError, load_rules
from zhfacts.ruletest import check_example, lint

_RULESET = load_rules(RULES)
EXAMPLES = [pytest.param(ex, id=f"{ex.metric}:{'pos' if ex.positive else 'neg'}:{ex.text[:18]}")
            for ex in _RULESET.examples]


@pytest.mark.parametrize("example", EXAMPLES)
def test_rule_example(extractor, example):
    assert check_example(extractor, example) is None, check_example(extractor, example)


@pytest.mark.parametrize("metric", sorted({r.metric for r in _RULESET.rules}))
def test_each_metric_has_enough_examples(metric):
    pos = [e for e in _RULESET.examples if e.metric == metric and e.positive]
    neg = [e for e in _RULESET.examples if e.metric == metric and not e.positive]
    assert len(pos) >= 6 and len(neg) >= 4, (metric, len(pos), len(neg))


DEV_PAGES = [*CORPUS.glob("*.txt"), *(Path(__file__).parent / "eval").glob("real*/*.txt")]


def _clauses(text: str) -> list[str]:
    return [c for c in re.split(r"[，,。；;：:！？!?、\s]+", text) if len(c) >= 10]


def test_examples_are_not_copied_from_dev_pages():
    """No example, nor any clause of ten or more characters of one, is taken from the
    seeds or the real pages we tune on (compared in Simplified script, without pinyin)."""
    from zhfacts.normalize import normalize_str

    assert len(DEV_PAGES) >= 5 + 71
    corpus = "\n".join(normalize_str(p.read_text(encoding="utf-8")) for p in DEV_PAGES)
    corpus = re.sub(r"\s+", "", corpus)
    copied = [e.text for e in _RULESET.examples
              if any(re.sub(r"\s+", "", c) in corpus for c in _clauses(normalize_str(e.text)))]
    assert copied == []


@pytest.mark.parametrize("text,copied", [
    ("7000多名工人,10天,1000张床位,一座高标准的传染病医院", True),  # a clause of real/208
    ("一座高标准的传染病医院十天建成", False),
])
def test_the_copy_check_sees_a_copied_clause(text, copied):
    from zhfacts.normalize import normalize_str

    corpus = re.sub(r"\s+", "", "\n".join(normalize_str(p.read_text(encoding="utf-8")) for p in DEV_PAGES))
    assert any(c in corpus for c in _clauses(normalize_str(text))) == copied


def test_shipped_rules_pass_lint():
    assert lint(RULES) == []


def test_gold_metrics_all_have_rules():
    assert {"beds", "staff_dispatched", "trainees", "surgeries", "patient_visits",
            "facilities", "new_techniques", "funding"} <= set(_RULESET.metrics)


GOOD_RULE = '''metric = "widgets"
description = "test"

[[rules]]
id = "widgets.count"
units = ["个"]
triggers = ["新增"]
'''


@pytest.mark.parametrize("body,expected", [
    pytest.param(GOOD_RULE + 'colour = "red"\n', "unknown key 'colour'", id="unknown-key"),
    pytest.param(GOOD_RULE.replace('units = ["个"]', 'units = ["斤斤"]'), "not measure words", id="bad-unit"),
    pytest.param(GOOD_RULE + 'block_before = "(第"\n', "bad regex", id="bad-regex"),
    pytest.param(GOOD_RULE.replace('id = "widgets.count"', 'id = "Widgets"'), "'id' must look like", id="bad-id"),
    pytest.param(GOOD_RULE.replace("[[rules]]", "[[rules]"), "TOML syntax error", id="syntax"),
    pytest.param(GOOD_RULE + 'trigger_scope = "page"\n', "trigger_scope must be one of", id="bad-scope"),
    pytest.param(GOOD_RULE + '\n[[positive]]\ntext = "新增3个"\n', "needs 'facts'", id="positive-without-facts"),
    pytest.param(GOOD_RULE + '\n[[negative]]\ntext = "新增3个"\nfacts = [{ value = 3 }]\n',
                 "move it to [[positive]]", id="negative-with-facts"),
])
def test_bad_rule_file_names_file_line_and_problem(tmp_path, body, expected):
    (tmp_path / "widgets.toml").write_text(body, encoding="utf-8")
    with pytest.raises(RuleError) as err:
        load_rules(tmp_path)
    message = str(err.value)
    assert expected in message
    assert "widgets.toml:" in message
    line = int(message.split("widgets.toml:")[1].split(":")[0].split(" ")[0])
    assert 1 <= line <= body.count("\n") + 1


@pytest.mark.parametrize("whole,expected", [
    ('["张", "斤斤"]', "[block] whole: ['斤斤'] are not measure words"),
    ('"张"', "expected a list of non-empty strings"),
], ids=["unknown-measure", "not-a-list"])
def test_a_bad_common_whole_list_names_file_line_and_problem(tmp_path, whole, expected):
    (tmp_path / "widgets.toml").write_text(GOOD_RULE, encoding="utf-8")
    (tmp_path / "common.toml").write_text(f'[block]\nwords = ["环比"]\nwhole = {whole}\n', encoding="utf-8")
    with pytest.raises(RuleError) as err:
        load_rules(tmp_path)
    assert "common.toml:3:" in str(err.value) and expected in str(err.value), str(err.value)


@pytest.mark.parametrize("sentence,value", [
    ("全区千人口床位数提高到7.2张", None),  # a fraction of whole things: a rate
    ("全区新增床位1.2万张", 12000),  # a fraction before 万: a count
    ("全区今年新增床位72张", 72),
])
def test_a_fraction_of_whole_things_is_a_rate(sentence, value):
    import zhfacts

    found = [f.value for f in zhfacts.extract(f"卫生事业简报\n2024年6月15日\n{sentence}。") if f.metric == "beds"]
    assert found == ([] if value is None else [value])


@pytest.mark.parametrize("sentence,value,evidence", [
    ("医院引进新技术12项，其中3项新技术为省内首创", 3, "其中3项新技术为省内首创"),  # names what it counts
    ("全县新增床位800张，与上年相比，床位增加120张", 120, "床位增加120张"),
    ("全县共有卫生院45家，比上年增加3家", 3, "全县共有卫生院45家，比上年增加3家"),  # 增加3家 alone says nothing
    ("全市共有社区医院45家，其中建成的有30家", 30, "全市共有社区医院45家，其中建成的有30家"),
])
def test_a_parts_evidence_is_its_own_clause_where_that_names_what_it_counts(sentence, value, evidence):
    import zhfacts

    found = [f.evidence for f in zhfacts.extract(f"卫生事业简报\n2024年6月15日\n{sentence}。") if f.value == value]
    assert found == [evidence]


def test_duplicate_rule_ids_are_reported(tmp_path):
    (tmp_path / "widgets.toml").write_text(GOOD_RULE + "\n" + GOOD_RULE.split("\n", 3)[3], encoding="utf-8")
    with pytest.raises(RuleError, match="duplicate rule id 'widgets.count'"):
        load_rules(tmp_path)


def test_unknown_key_line_points_at_the_key(tmp_path):
    body = GOOD_RULE + 'colour = "red"\n'
    (tmp_path / "widgets.toml").write_text(body, encoding="utf-8")
    with pytest.raises(RuleError) as err:
        load_rules(tmp_path)
    assert "widgets.toml:8:" in str(err.value)


@pytest.mark.parametrize("tail,where,expected", [
    ('triggers = ["新增"\nwindow = [3, 4]\n', "widgets.toml:8:1:", "TOML syntax error: Unclosed array"),
    ('window = [3, 4\n', "widgets.toml:8:", "TOML syntax error"),  # at the end: its last line
    ('note = "a\n', "widgets.toml:8:", "TOML syntax error"),
    ('windw = [3, 4]\n', "widgets.toml:8:", "unknown key 'windw'; did you mean 'window'?"),
    ('blok = ["x"]\n', "widgets.toml:8:", "unknown key 'blok'; did you mean 'block'?"),
    ('zzz = 1\n', "widgets.toml:8:", "unknown key 'zzz'; expected one of"),
], ids=["unclosed-array", "unclosed-window", "unclosed-string", "windw", "blok", "far-from-any"])
def test_syntax_errors_and_unknown_keys_say_where_and_what(tmp_path, tail, where, expected):
    body = GOOD_RULE.replace('triggers = ["新增"]\n', "") + tail
    if "triggers" not in tail:
        body = GOOD_RULE + tail
    (tmp_path / "widgets.toml").write_text(body, encoding="utf-8")
    with pytest.raises(RuleError) as err:
        load_rules(tmp_path)
    assert where in str(err.value) and expected in str(err.value), str(err.value)
