"""`zhfacts`: one command with verbs.  Errors print where, what and the fix, then exit 1;
`--debug` shows the traceback."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


RULES_HELP = "rules folder (default: $ZHFACTS_RULES, else ./rules if it exists, else the shipped rules)"

EXAMPLES = {
    "ingest": "zhfacts ingest corpus/ more_dumps/feed.jsonl.gz --out output/",
    "explain": 'zhfacts explain "全市新增床位3000张"   |   zhfacts explain --article corpus/a.txt',
    "rules": "zhfacts rules init my_rules/   |   zhfacts rules test --rules my_rules/   |   zhfacts rules lint",
    "review": "zhfacts review serve   |   zhfacts review import output/facts.csv   |   zhfacts review export",
    "stats": "zhfacts stats --out output/",
    "reextract": "zhfacts reextract --out output/",
    "eval": "zhfacts eval my_sample.gold.jsonl --out output/",
    "unclaimed": "zhfacts unclaimed --out output/ --top 20",
    "native": "zhfacts native build",
}


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="zhfacts", description="Numeric facts from Chinese "
                                "health-policy articles, with provenance and review.")
    p.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = p.add_subparsers(dest="verb", required=True)

    def verb(name, help_):
        return sub.add_parser(name, help=help_, description=help_,
                              epilog=f"example: {EXAMPLES[name]}")

    ing = verb("ingest", "read dumps, extract facts, update the store and the CSV files")
    ing.add_argument("dumps", nargs="+", help="files or folders (.txt .html .jsonl, optionally .gz)")
    ing.add_argument("--out", default="output", help="output folder (default: output)")
    ing.add_argument("--rules", default=None, help=RULES_HELP)
    ing.add_argument("--workers", type=int, default=0, help="processes (default: all cores)")
    ing.add_argument("--engine", choices=("local", "dask"), default="local")
    ing.add_argument("--scheduler", help="Dask scheduler address, e.g. tcp://host:8786")
    ing.add_argument("--segmenter", choices=("jieba", "rjieba"), default="jieba")
    ing.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None)

    ex = verb("explain", "show the quantities of a sentence and why each rule fired or not")
    ex.add_argument("text", nargs="?", help="a sentence")
    ex.add_argument("--article", help="trace a whole article file instead")
    ex.add_argument("--rules", default=None, help=RULES_HELP)

    ru = verb("rules", "copy the shipped rules for editing, or test or lint rule files")
    ru.add_argument("action", choices=("init", "test", "lint"))
    ru.add_argument("file", nargs="?", help="test: one rule file (default: all); init: the folder to create")
    ru.add_argument("--rules", default=None, help=RULES_HELP)

    rv = verb("review", "review in the browser (serve), import a spreadsheet's decisions, "
                        "export them to facts.csv, or write the static page (html)")
    rv.add_argument("action", choices=("serve", "import", "export", "html"))
    rv.add_argument("file", nargs="?", help="import: the facts CSV (default: OUT/facts.csv)")
    rv.add_argument("--out", default="output")
    rv.add_argument("--host", default="127.0.0.1",
                    help="serve: the address to listen on (default 127.0.0.1, this machine only)")
    rv.add_argument("--port", type=int, default=0, help="serve: the port (default 0: any free one)")
    rv.add_argument("--reviewer", default=None, help="the name decisions are recorded under "
                                                      "(default: the account's)")

    st = verb("stats", "per metric: facts, reviewed, ok, wrong, corrected, precision")
    st.add_argument("--out", default="output")

    rx = verb("reextract", "re-run the rules on every stored article")
    rx.add_argument("--out", default="output")
    rx.add_argument("--rules", default=None, help=RULES_HELP)

    ev = verb("eval", "score the stored facts against a gold file; every miss with why no rule fired")
    ev.add_argument("gold", help="gold JSON Lines file (doc, metric, value, value_max, ...)")
    ev.add_argument("--out", default="output")
    ev.add_argument("--rules", default=None, help=RULES_HELP)

    un = verb("unclaimed", "quantities no rule turned into a fact, grouped by unit and nearby cue word")
    un.add_argument("--out", default="output")
    un.add_argument("--rules", default=None, help=RULES_HELP)
    un.add_argument("--top", type=int, default=20, help="groups to show (default: 20)")

    na = verb("native", "compile the matching and placing modules with mypyc (build), or say "
                        "whether they run compiled (status)")
    na.add_argument("action", choices=("build", "status"))
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.verb](args)
    except KeyboardInterrupt:
        print("zhfacts: interrupted; the store is consistent, run the same command to resume",
              file=sys.stderr)
        return 130
    except BrokenPipeError:  # whoever read the output has gone (`| head`): nothing to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as exc:
        if args.debug:
            raise
        from .rules import RuleError

        if isinstance(exc, RuleError):
            for problem in exc.problems:
                print(f"error: {problem}", file=sys.stderr)
            print(f"zhfacts: {len(exc.problems)} problem(s) in the rule files", file=sys.stderr)
        else:
            print(f"zhfacts: error: {exc}", file=sys.stderr)
        return 1


def _rules(args) -> str:
    """The rules folder of a command: --rules, $ZHFACTS_RULES, ./rules or the shipped."""
    from .rulesource import rules_folder

    return str(rules_folder(args.rules))


def cmd_ingest(args) -> int:
    from . import engine

    workers = args.workers or os.cpu_count() or 1
    summary = engine.ingest(args.dumps, args.out, args.rules, workers=workers,
                            backend=args.segmenter, progress=args.progress,
                            engine=args.engine, scheduler=args.scheduler)
    print(f"zhfacts: {summary.line()}")
    print(f"zhfacts: wrote {Path(args.out) / 'facts.csv'}, articles.csv, rejects.csv")
    return 0


def cmd_explain(args) -> int:
    from .explain import explain_article, explain_sentence

    if args.article:
        print(explain_article(Path(args.article), _rules(args)))
    elif args.text:
        print(explain_sentence(args.text, _rules(args)))
    else:
        raise ValueError("give a sentence or --article FILE")
    return 0


def cmd_rules(args) -> int:
    from .ruletest import lint, run_examples

    if args.action == "init":
        from .rulesource import init_rules

        if not args.file:
            raise ValueError("rules init needs a folder: zhfacts rules init my_rules/")
        copied = init_rules(Path(args.file))
        print(f"zhfacts: copied {len(copied)} rule files into {args.file}; edit them, then "
              f"zhfacts rules test --rules {args.file} (or export ZHFACTS_RULES={args.file})")
        return 0
    if args.action == "lint":
        problems = lint(_rules(args))
        for p in problems:
            print(f"error: {p}")
        print(f"zhfacts: rules lint: {len(problems)} problem(s)")
        return 1 if problems else 0
    failures, total = run_examples(_rules(args), Path(args.file) if args.file else None)
    for f in failures:
        print(f)
    print(f"zhfacts: rules test: {total - len(failures)}/{total} examples pass")
    return 1 if failures else 0


def cmd_review(args) -> int:
    from .engine import write_exports
    from .store import Store

    out = Path(args.out)
    if args.action == "serve":
        from .serve import serve

        return serve(out, host=args.host, port=args.port, reviewer=args.reviewer or _user())
    if args.action == "import":
        from .review import ReviewError, read_csv_any

        path = Path(args.file) if args.file else out / "facts.csv"
        try:  # the file's own faults first: they need no store to be named
            rows = read_csv_any(path)
        except (ReviewError, OSError) as e:
            print(f"error: {e}", file=sys.stderr)
            return 1
    if not (out / "zhfacts.sqlite").exists():
        print(f"error: no store in {out}/ (zhfacts.sqlite); run zhfacts ingest DUMP --out {out} first",
              file=sys.stderr)
        return 2
    store = Store(out / "zhfacts.sqlite")
    try:
        if args.action == "import":
            from .review import import_reviews

            n, problems = import_reviews(store, path, reviewer=args.reviewer or _user(), rows=rows)
            write_exports(store, out)
            for problem in problems:
                print(f"error: {problem}", file=sys.stderr)
            print(f"zhfacts: stored {n} review decision(s)"
                  + (f"; {len(problems)} row(s) not stored (see above)" if problems else ""))
            return 1 if problems else 0
        if args.action == "export":
            write_exports(store, out)
            print(f"zhfacts: wrote {out / 'facts.csv'} and the other tables, with every decision")
            return 0
        from .reviewpage import write_review_page

        path = write_review_page(store, out / "review.html")
        print(f"zhfacts: wrote {path}")
    finally:
        store.close()
    return 0


def _user() -> str:
    """The reviewer's name when none is given: the account's."""
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no name for this uid (a container)
        return "reviewer"


def cmd_stats(args) -> int:
    from .store import Store

    store = Store(Path(args.out) / "zhfacts.sqlite")
    try:
        rows = store.stats()
    finally:
        store.close()
    print(f"{'metric':18} {'facts':>6} {'reviewed':>8} {'ok':>5} {'wrong':>5} {'corrected':>9} {'precision':>9}")
    for r in rows:
        prec = "-" if r["precision"] is None else f"{r['precision']:.2f}"
        print(f"{r['metric']:18} {r['facts']:6} {r['reviewed']:8} {r['ok']:5} {r['wrong']:5} "
              f"{r['corrected']:9} {prec:>9}")
    return 0


def cmd_reextract(args) -> int:
    from .engine import reextract, write_exports
    from .rules import load_rules
    from .store import Store

    from .rulesource import RuleSource

    source = RuleSource.of(args.rules)
    load_rules(source.folder)  # a bad rule file fails here, with file and line
    store = Store(Path(args.out) / "zhfacts.sqlite")
    try:
        n = reextract(store, source)
        write_exports(store, Path(args.out))
    finally:
        store.close()
    print(f"zhfacts: re-extracted {n} articles")
    return 0


def cmd_eval(args) -> int:
    from .evaluate import report

    print(report(Path(args.gold), Path(args.out), _rules(args)))
    return 0


def cmd_unclaimed(args) -> int:
    from .unclaimed import report

    print(report(Path(args.out), _rules(args), args.top))
    return 0


def cmd_native(args) -> int:
    from . import native

    return native.main(args.action)


COMMANDS = {"ingest": cmd_ingest, "explain": cmd_explain, "rules": cmd_rules,
            "review": cmd_review, "stats": cmd_stats, "reextract": cmd_reextract,
            "eval": cmd_eval, "unclaimed": cmd_unclaimed, "native": cmd_native}

def run() -> None:
    """The `zhfacts` command: `main`, then a quick exit.  Everything is written and
    closed when `main` returns; tearing down the heap object by object (the rules,
    jieba's dictionary, OpenCC) would only add 30 ms to every run.  With other threads
    still running (a Dask client), the exit is the ordinary one."""
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a closed pipe: nothing more can be said
        code = code or 1
    import threading

    if threading.active_count() == 1:
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    run()
