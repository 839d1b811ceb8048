"""Run every example of every rule file, and lint the rule files (`zhfacts rules ...`)."""
from __future__ import annotations

from pathlib import Path

from .extractor import Extractor, explain_text
from .rules import Example, RuleError, load_rules, line_of


def facts_for(extractor: Extractor, example: Example) -> list:
    """Facts of the example's metric produced by its sentence."""
    return [t.fact for t in explain_text(extractor, example.text)
            if t.fact is not None and t.fact.metric == example.metric]


def check_example(extractor: Extractor, example: Example) -> str | None:
    """None if the example holds, else a message naming file, line, expected and got."""
    got = facts_for(extractor, example)
    got_desc = ", ".join(f"{f.value}{'' if f.value_max is None else '-' + str(f.value_max)} "
                         f"{f.qualifier} {f.status} ({f.rule_id})" for f in got) or "nothing"
    if not example.positive:
        if got:
            return (f"{example.where}: negative example {example.text!r} produced "
                    f"{example.metric}={got_desc}")
        return None
    expected = list(example.facts)
    unmatched = list(got)
    for want in expected:
        match = next((f for f in unmatched if _matches(f, want)), None)
        if match is None:
            return (f"{example.where}: positive example {example.text!r}: expected "
                    f"{example.metric} {_desc(want)}, got {got_desc}")
        unmatched.remove(match)
    if unmatched:
        return (f"{example.where}: positive example {example.text!r}: unexpected extra "
                f"facts; expected {', '.join(_desc(w) for w in expected)}, got {got_desc}")
    return None


def _desc(want: dict) -> str:
    parts = [str(want["value"])]
    if want.get("value_max") is not None:
        parts[0] += f"-{want['value_max']}"
    for k in ("qualifier", "status", "unit"):
        if k in want:
            parts.append(f"{k}={want[k]}")
    return " ".join(parts)


def _matches(fact, want: dict) -> bool:
    if abs(float(fact.value) - float(want["value"])) > 1e-6:
        return False
    if (want.get("value_max") is None) != (fact.value_max is None):
        return False
    if want.get("value_max") is not None and abs(float(fact.value_max) - float(want["value_max"])) > 1e-6:
        return False
    return all(getattr(fact, k) == want[k] for k in ("qualifier", "status", "unit") if k in want)


def run_examples(rules_folder: str | Path, only: Path | None = None) -> tuple[list[str], int]:
    """(failure messages, number of examples) for every example (of one file)."""
    ruleset = load_rules(rules_folder, only)
    extractor = Extractor(ruleset)
    failures = [msg for ex in ruleset.examples if (msg := check_example(extractor, ex))]
    return failures, len(ruleset.examples)


def lint(rules_folder: str | Path) -> list[str]:
    """Every problem in the rule files: schema errors, then words jieba will not produce."""
    try:
        ruleset = load_rules(rules_folder)
    except RuleError as exc:
        return exc.problems
    from .segment import Segmenter

    seg = Segmenter(ruleset.userdict)  # jieba's words and the domain words, nothing else
    problems = []
    for rule in ruleset.rules:
        path = Path(rule.source.rsplit(":", 1)[0])
        lines = path.read_text(encoding="utf-8").splitlines()
        index = [r.id for r in ruleset.rules if r.source.startswith(str(path) + ":")].index(rule.id)
        for key, words in (("triggers", rule.triggers), ("objects", rule.objects)):
            for word in words:
                cut = seg.cut(word, hmm=False)
                if cut != [word]:
                    problems.append(
                        f"{path}:{line_of(lines, 'rules', index, key)}: rule {rule.id!r}: {key[:-1]} "
                        f"{word!r} is cut by jieba as {' / '.join(cut)}; add '{word}' to "
                        f"{ruleset.userdict.name} so it can match as a token")
    metrics = [r.metric for r in ruleset.rules]
    for metric in set(metrics):
        pos = [e for e in ruleset.examples if e.metric == metric and e.positive]
        neg = [e for e in ruleset.examples if e.metric == metric and not e.positive]
        if len(pos) < 6 or len(neg) < 4:
            problems.append(f"{ruleset.folder / (metric + '.toml')}: metric {metric!r} has "
                            f"{len(pos)} positive and {len(neg)} negative examples; "
                            f"give it at least 6 and 4")
    return problems
