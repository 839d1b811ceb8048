"""Accuracy on real pages (`tests/eval/real*`), `zhfacts eval` against score.py, and
`zhfacts unclaimed`: the tools rule authors use on their own dumps."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import RULES

EVAL = Path(__file__).parent / "eval"
# Pinned floors: raise them when the score rises, never lower them.  real/ was tuned on;
# real2/ was scored before its misses were read (F1 0.831), then tuned on too.
FLOORS = {"real": {"precision": 0.98, "f1": 0.96, "status": 0.95},
          "real2": {"precision": 0.98, "f1": 0.97, "status": 0.93}}
# place_score.py over the matched facts (issue 12 asks for 0.95/0.90/0.85/0.80; some pages
# name no place and no year at all, and some years only the page's address tells).
PLACE_FLOORS = {"real": {"province": 0.97, "city": 0.93, "county": 0.95, "when": 0.82},
                "real2": {"province": 0.95, "city": 0.93, "county": 0.85, "when": 0.81}}


def zhfacts(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "zhfacts.cli", *args], capture_output=True,
                          text=True, timeout=600)


@pytest.fixture(scope="module", params=["real", "real2"])
def dev_set(request, tmp_path_factory):
    """(name, output folder) of a real-page set ingested by the real pipeline."""
    from zhfacts.engine import ingest

    out = tmp_path_factory.mktemp(f"{request.param}_out")
    ingest([str(EVAL / request.param)], out, RULES, workers=1, progress=False)
    return request.param, out


def score_line(gold: Path, facts: Path) -> str:
    r = subprocess.run([sys.executable, str(EVAL / "score.py"), str(gold), str(facts)],
                       capture_output=True, text=True, timeout=120)
    return r.stdout.strip().splitlines()[-1]


def test_no_real_page_is_rejected(dev_set):
    name, out = dev_set
    assert (out / "rejects.csv").read_text(encoding="utf-8-sig").strip().splitlines()[1:] == []


def test_accuracy_floors(dev_set):
    from zhfacts.evaluate import load_gold, prf, score
    from zhfacts.store import Store

    name, out = dev_set
    store = Store(out / "zhfacts.sqlite")
    try:
        s = score(load_gold(EVAL / f"{name}.gold.jsonl"), [dict(r) for r in store.fact_rows()])
    finally:
        store.close()
    p, r, f1 = prf(*s.totals())
    tp = s.totals()[0]
    got = {"precision": p, "f1": f1, "status": s.status_ok / tp if tp else 0.0}
    assert all(got[k] >= v for k, v in FLOORS[name].items()), (name, s.line())


def test_place_and_period_floors(dev_set):
    import re

    name, out = dev_set
    r = subprocess.run([sys.executable, str(EVAL / "place_score.py"), str(EVAL / f"{name}.gold.jsonl"),
                        str(EVAL / f"{name}.places.jsonl"), str(out / "facts.csv")],
                       capture_output=True, text=True, timeout=120)
    line = r.stdout.strip().splitlines()[-1]
    got = {k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)\(", line)}
    assert all(got[k] >= v for k, v in PLACE_FLOORS[name].items()), (name, line)


def test_eval_verb_prints_score_py_figures(dev_set):
    name, out = dev_set
    gold = EVAL / f"{name}.gold.jsonl"
    r = zhfacts("eval", str(gold), "--out", str(out), "--rules", str(RULES))
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().splitlines()[-1] == score_line(gold, out / "facts.csv")


def test_eval_verb_on_the_seeds(seeds_output):
    gold = EVAL / "seeds.gold.jsonl"
    r = zhfacts("eval", str(gold), "--out", str(seeds_output), "--rules", str(RULES))
    assert r.stdout.strip().splitlines()[-1] == score_line(gold, seeds_output / "facts.csv")
    assert "beds" in r.stdout.splitlines()[1]  # the per-metric table comes first


def test_eval_explains_a_miss(tmp_path):
    from zhfacts.engine import ingest

    dump = tmp_path / "dump"
    dump.mkdir()
    (dump / "a.txt").write_text("某县医院新院区启用\n新院区开放病床600张，县里还为医院培养了一批年轻医生，"
                                "今年共为群众体检8000人。", encoding="utf-8")
    ingest([str(dump)], tmp_path / "out", RULES, workers=1, progress=False)
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"doc": "a.txt", "metric": "beds", "value": 600, "evidence": "新院区开放病床600张"}\n'
                    '{"doc": "a.txt", "metric": "trainees", "value": 8000, "evidence": "今年共为群众体检8000人"}\n',
                    encoding="utf-8")
    r = zhfacts("eval", str(gold), "--out", str(tmp_path / "out"), "--rules", str(RULES))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    miss = lines.index(next(x for x in lines if x.startswith("MISS ")))
    assert "trainees 8000" in lines[miss]
    assert "quantity '8000人' = 8000 人 exact" in lines[miss + 1]
    assert any("trainees.trained: no trigger" in x for x in lines[miss + 2:miss + 12])
    assert any(x.startswith("EXTRA") and "patient_visits 8000" in x for x in lines)
    assert lines[-1].startswith("P=0.500 R=0.500 F1=0.500")


@pytest.mark.parametrize("line,message", [
    ('{"doc": "a.txt", "metric": "beds"}', "gold.jsonl:2: missing field 'value'"),
    ('{"doc": "a.txt", "metric": "bedz", "value": 3}', "gold.jsonl:2: metric 'bedz' is not one of"),
    ('{"doc": "a.txt", "metric": "beds", "value": "many"}', "gold.jsonl:2: value 'many' is not a number"),
    ("not json", "gold.jsonl:2:"),
], ids=["missing-value", "bad-metric", "bad-value", "not-json"])
def test_a_bad_gold_file_names_file_and_line(tmp_path, line, message):
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"doc": "a.txt", "metric": "beds", "value": 3}\n' + line + "\n", encoding="utf-8")
    (tmp_path / "zhfacts.sqlite").touch()
    r = zhfacts("eval", str(gold), "--out", str(tmp_path), "--rules", str(RULES))
    assert r.returncode == 1 and message in r.stderr and "Traceback" not in r.stderr


def test_unclaimed_groups_what_no_rule_took(tmp_path):
    from zhfacts.engine import ingest

    dump = tmp_path / "dump"
    dump.mkdir()
    text = ("县医院2024年工作回顾\n医院全年派遣专家下乡120名。医院现有在编职工128人，聘用职工46人。"
            "另有在编职工宿舍两栋。全院住院医师规范化培训基地招收学员30人。")
    (dump / "a.txt").write_text(text, encoding="utf-8")
    (dump / "b.txt").write_text("乡镇卫生院情况\n卫生院现有在编职工35人，服务全乡群众两万余人，"
                                "今年新增家庭医生团队5个。", encoding="utf-8")
    ingest([str(dump)], tmp_path / "out", RULES, workers=1, progress=False)
    r = zhfacts("unclaimed", "--out", str(tmp_path / "out"), "--rules", str(RULES), "--top", "3")
    assert r.returncode == 0, r.stderr
    rows = r.stdout.splitlines()
    first = rows[2].split()
    assert first[:3] == ["3", "人", "职工"]  # the biggest group: 128人, 46人 and 35人 next to 职工
    assert "a.txt" in rows[2] and "120名" not in r.stdout  # 120名 became a fact
    assert "3 groups" in rows[0] and len(rows) == 2 + 3 + 1


def test_nearest_cue_skips_fillers():
    from zhfacts.unclaimed import nearest_cue

    assert nearest_cue(["全院", "共", "有", "职工"]) == "职工"
    assert nearest_cue(["了", "，"]) == "(none)"
