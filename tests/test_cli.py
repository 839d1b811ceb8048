"""The command line through its real entry point: exit codes, messages, help."""
from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import CORPUS, RULES


def zhfacts(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "zhfacts.cli", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=300)


@pytest.mark.parametrize("verb", ["ingest", "explain", "rules", "review", "stats", "reextract"])
def test_every_verb_has_help_with_an_example(verb):
    r = zhfacts(verb, "--help")
    assert r.returncode == 0 and "example: zhfacts" in r.stdout


def test_explain_shows_quantities_rules_and_reasons():
    r = zhfacts("explain", "全市新增床位3000张，占现有床位的46.3%", "--rules", str(RULES))
    assert r.returncode == 0, r.stderr
    assert "quantity '3000张' = 3000 张 exact" in r.stdout
    assert "FIRED  beds.count" in r.stdout
    assert "=> beds 3000 张 exact achieved" in r.stdout
    assert "no     facilities.built" not in r.stdout  # 张 is not a facilities unit
    assert "quantity '46.3%'" in r.stdout and "no rule uses the unit '%'" in r.stdout


def test_explain_says_why_a_rule_did_not_fire():
    r = zhfacts("explain", "全市共建成省重点专科56个", "--rules", str(RULES))
    assert "no     facilities.built: blocked by '重点专科' in the clause" in r.stdout


def test_explain_article():
    r = zhfacts("explain", "--article", str(CORPUS / "003_7e42cf2a585b4932.txt"), "--rules", str(RULES))
    assert r.returncode == 0, r.stderr
    assert "=> beds 3000 張 exact achieved" in r.stdout


def test_rules_test_passes_on_shipped_rules():
    r = zhfacts("rules", "test", "--rules", str(RULES))
    assert r.returncode == 0, r.stdout
    assert "examples pass" in r.stdout


def test_rules_test_reports_a_failing_example(tmp_path):
    for p in RULES.iterdir():
        (tmp_path / p.name).write_bytes(p.read_bytes())
    beds = tmp_path / "beds.toml"
    beds.write_text(beds.read_text(encoding="utf-8") +
                    '\n[[negative]]\ntext = "全院新增床位46张"\nwhy = "deliberately wrong"\n', encoding="utf-8")
    r = zhfacts("rules", "test", str(beds), "--rules", str(tmp_path))
    assert r.returncode == 1
    assert "beds.toml:" in r.stdout and "negative example '全院新增床位46张' produced beds=46" in r.stdout


def test_bad_rule_file_exits_1_with_file_line_and_no_traceback(tmp_path):
    for p in RULES.iterdir():
        (tmp_path / p.name).write_bytes(p.read_bytes())
    (tmp_path / "beds.toml").write_text(
        (RULES / "beds.toml").read_text(encoding="utf-8").replace('priority = 10', 'priority = "high"'),
        encoding="utf-8")
    r = zhfacts("ingest", str(CORPUS), "--out", str(tmp_path / "out"), "--rules", str(tmp_path))
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    assert "beds.toml:" in r.stderr and "priority must be an integer" in r.stderr


def test_ingest_missing_path_is_a_reject_not_a_crash(tmp_path):
    r = zhfacts("ingest", str(tmp_path / "nope"), "--out", str(tmp_path / "out"), "--rules", str(RULES), "--workers", "1")
    assert r.returncode == 0, r.stderr
    assert "not_found" in (tmp_path / "out" / "rejects.csv").read_text(encoding="utf-8-sig")


def test_rules_lint_names_file_and_line_of_a_trigger_jieba_cannot_produce(tmp_path):
    for p in RULES.iterdir():
        (tmp_path / p.name).write_bytes(p.read_bytes())
    beds = tmp_path / "beds.toml"
    beds.write_text(beds.read_text(encoding="utf-8").replace(
        'triggers = ["床位",', 'triggers = ["床位", "床位总数量",'), encoding="utf-8")
    r = zhfacts("rules", "lint", "--rules", str(tmp_path))
    assert r.returncode == 1
    assert "beds.toml:10: rule 'beds.count': trigger '床位总数量' is cut by jieba" in r.stdout
    assert "add '床位总数量' to domain_dict.txt" in r.stdout


def test_rules_lint_passes_on_shipped_rules():
    r = zhfacts("rules", "lint", "--rules", str(RULES))
    assert r.returncode == 0 and "0 problem(s)" in r.stdout


def test_stats_on_an_empty_store(tmp_path):
    r = zhfacts("stats", "--out", str(tmp_path))
    assert r.returncode == 0 and r.stdout.startswith("metric")


def test_reextract_command_applies_changed_rules(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    for p in RULES.iterdir():
        (rules / p.name).write_bytes(p.read_bytes())
    out = tmp_path / "out"
    assert zhfacts("ingest", str(CORPUS), "--out", str(out), "--rules", str(rules), "--workers", "1").returncode == 0
    assert "funding" in (out / "facts.csv").read_text(encoding="utf-8-sig")
    (rules / "funding.toml").unlink()
    r = zhfacts("reextract", "--out", str(out), "--rules", str(rules))
    assert r.returncode == 0 and "re-extracted 5 articles" in r.stdout
    assert "funding" not in (out / "facts.csv").read_text(encoding="utf-8-sig")


def test_explain_article_reads_files_as_ingest_does(tmp_path):
    """A gzipped page and a JSON Lines dump are read by the same reader as `ingest`."""
    import gzip
    import json

    text = (CORPUS / "003_7e42cf2a585b4932.txt").read_text(encoding="utf-8")
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress(text.encode("utf-8")))
    (tmp_path / "d.jsonl").write_text(json.dumps({"text": text}, ensure_ascii=False) + "\n" + "{broken\n",
                                      encoding="utf-8")
    r = zhfacts("explain", "--article", str(tmp_path / "a.txt.gz"), "--rules", str(RULES))
    assert r.returncode == 0 and "=> beds 3000 張 exact achieved" in r.stdout, r.stderr
    r = zhfacts("explain", "--article", str(tmp_path / "d.jsonl"), "--rules", str(RULES))
    assert r.returncode == 0 and "=> beds 3000 張 exact achieved" in r.stdout, r.stderr
    assert "d.jsonl#2: rejected: malformed_json" in r.stdout


def test_output_cut_short_by_the_reader_is_no_error(tmp_path):
    """`zhfacts ... | head -1`: the reader leaves early; the run still completes, quietly."""
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "zhfacts.cli", "ingest", str(CORPUS), "--out", str(out),
                             "--rules", str(RULES), "--workers", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # the reader has gone before the first line
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=300) == 1 and "error" not in err and "Traceback" not in err
    assert (out / "facts.csv").exists()


def test_explain_shows_what_a_number_counts():
    r = zhfacts("explain", "全年总诊疗人次达95.5亿，可放置300个床位", "--rules", str(RULES))
    assert "quantity '95.5亿' = 9550000000 (no unit) exact, counts 人次 (from '人次')" in r.stdout
    assert "quantity '300个' = 300 个 exact, counts 张 (from '床位')" in r.stdout
    assert "=> patient_visits 9550000000 人次" in r.stdout and "=> beds 300 个" in r.stdout


@pytest.mark.parametrize("verb", ["eval", "unclaimed"])
def test_new_verbs_have_help_with_an_example(verb):
    r = zhfacts(verb, "--help")
    assert r.returncode == 0 and "example: zhfacts" in r.stdout


def test_eval_and_unclaimed_without_a_store_say_how_to_make_one(tmp_path):
    gold = tmp_path / "g.jsonl"
    gold.write_text('{"doc": "a.txt", "metric": "beds", "value": 3}\n', encoding="utf-8")
    for args in (("eval", str(gold)), ("unclaimed",)):
        r = zhfacts(*args, "--out", str(tmp_path / "nowhere"), "--rules", str(RULES))
        assert r.returncode == 1 and "no store here; run `zhfacts ingest DUMP" in r.stderr


def test_explain_shows_where_and_when():
    r = zhfacts("explain", "上海市卫健委选派专家20名赴云南省双江县开展帮扶。", "--rules", str(RULES))
    assert "where 云南省/临沧市/双江拉祜族佤族布朗族傣族自治县 [530925] from the clause" in r.stdout
