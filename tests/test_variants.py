"""Every damaged variant of the seeds (made here by perturb.py, not committed) gives the
same facts as the clean seeds, with evidence still pointing at the original characters."""
from __future__ import annotations

import csv
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CORPUS, RULES

PERTURB = Path(__file__).parent / "eval" / "perturb.py"
VARIANTS = ("gb18030", "big5", "pinyin", "fullwidth", "mojibake", "html")


def _facts(out: Path) -> set[tuple]:
    with open(out / "facts.csv", encoding="utf-8-sig", newline="") as fh:
        return {(Path(r["source_file"]).stem, r["metric"], r["value"], r["value_max"])
                for r in csv.DictReader(fh)}


@pytest.fixture(scope="session")
def variants(tmp_path_factory):
    root = tmp_path_factory.mktemp("variants")
    subprocess.run([sys.executable, str(PERTURB), str(CORPUS), str(root)], check=True)
    return root


@pytest.fixture(scope="session")
def variant_outputs(variants, tmp_path_factory):
    from zhfacts.engine import ingest

    outs = {}
    for name in VARIANTS:
        out = tmp_path_factory.mktemp(f"out_{name}")
        ingest([str(variants / name)], out, RULES, workers=1, progress=False)
        outs[name] = out
    return outs


@pytest.mark.parametrize("variant", VARIANTS)
def test_variant_gives_the_clean_facts(seeds_output, variant_outputs, variant):
    clean, damaged = _facts(seeds_output), _facts(variant_outputs[variant])
    assert damaged == clean, {"missing": sorted(clean - damaged), "extra": sorted(damaged - clean)}


@pytest.mark.parametrize("variant", VARIANTS)
def test_variant_evidence_points_at_its_original(variant_outputs, variant):
    out = variant_outputs[variant]
    db = sqlite3.connect(out / "zhfacts.sqlite")
    rows = db.execute('SELECT a.original, f.evidence, f.start, f."end" FROM facts f '
                      "JOIN articles a USING(article_id)").fetchall()
    assert rows
    for original, evidence, start, end in rows:
        assert original[start:end] == evidence


def test_traditional_variant_keeps_traditional_evidence(variant_outputs):
    with open(variant_outputs["big5"] / "facts.csv", encoding="utf-8-sig", newline="") as fh:
        beds = [r for r in csv.DictReader(fh) if r["metric"] == "beds" and r["value"] == "20800"]
    assert beds and "醫療機構" in beds[0]["evidence"] and beds[0]["unit"] == "張"


def test_same_article_in_every_encoding_has_the_same_id(seeds_output, variant_outputs):
    def ids(out):
        with open(out / "articles.csv", encoding="utf-8-sig", newline="") as fh:
            return {Path(r["source_file"]).stem: r["article_id"] for r in csv.DictReader(fh)}

    clean = ids(seeds_output)
    for name in ("gb18030", "fullwidth", "mojibake"):
        assert ids(variant_outputs[name]) == clean, name


@pytest.mark.parametrize("variant,doc,column,expected", [
    ("big5", "000_5953399c412274d6", "script", "traditional"),
    ("gb18030", "000_5953399c412274d6", "script", "simplified"),
    ("gb18030", "000_5953399c412274d6", "encoding", "gb18030"),
    ("big5", "000_5953399c412274d6", "encoding", "cp950"),
    ("fullwidth", "000_5953399c412274d6", "encoding", "utf-8-sig"),
    ("html", "000_5953399c412274d6", "encoding", "gb18030"),
])
def test_articles_table_describes_the_variant(variant_outputs, variant, doc, column, expected):
    with open(variant_outputs[variant] / "articles.csv", encoding="utf-8-sig", newline="") as fh:
        row = next(r for r in csv.DictReader(fh) if Path(r["source_file"]).stem == doc)
    assert row[column] == expected


def test_mojibake_variant_reports_repairs_and_seed_003_damage(variant_outputs, seeds_output):
    with open(variant_outputs["mojibake"] / "articles.csv", encoding="utf-8-sig", newline="") as fh:
        rows = {Path(r["source_file"]).stem: r for r in csv.DictReader(fh)}
    assert all(int(r["repairs"]) > 0 for r in rows.values())
    with open(seeds_output / "articles.csv", encoding="utf-8-sig", newline="") as fh:
        clean = {Path(r["source_file"]).stem: r for r in csv.DictReader(fh)}
    assert int(clean["003_7e42cf2a585b4932"]["damaged"]) > 0
    assert int(clean["003_7e42cf2a585b4932"]["repairs"]) == 0
    assert clean["003_7e42cf2a585b4932"]["script"] == "traditional"
    assert all(int(r["damaged"]) == 0 for k, r in clean.items() if k != "003_7e42cf2a585b4932")
