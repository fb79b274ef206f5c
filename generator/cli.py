"""Command line: python -m generator check|build [DATA_DIR], python -m generator bench --docs N."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .checks import ERROR, NOTICE, WARNING, Result, check_document
from .load import load_site
from .model import Site
from .problems import Problem, Problems

REPORTED = (ERROR, WARNING, NOTICE)


def check_all(site: Site) -> list[Result]:
    return [result for document in site.documents for result in check_document(document)]


def findings(results: list[Result]) -> list[Problem]:
    out = []
    for result in results:
        if result.status not in REPORTED:
            continue
        message = result.explain()
        if result.status == ERROR and result.document.published_as_is:
            message += "（原件如此，照原样公开）"
        out.append(Problem(result.mark, message, result.status))
    return out


def blocking(results: list[Result], strict: bool) -> list[Result]:
    """Errors stop publication unless the document is marked as published as-is; --strict adds warnings."""
    return [
        r for r in results if (r.status == ERROR and not r.document.published_as_is) or (strict and r.status == WARNING)
    ]


def report(problems: list[Problem], form: str = "text") -> None:
    if form == "json":
        print(
            json.dumps(
                [
                    {
                        "path": p.mark.path,
                        "line": p.mark.line,
                        "column": p.mark.column,
                        "severity": p.severity,
                        "message": p.message,
                    }
                    for p in problems
                ],
                ensure_ascii=False,
                indent=1,
            )
        )
        return
    for problem in problems:
        print(f"{problem.mark}: {problem.severity}: {problem.message}", file=sys.stderr)


def load_and_check(data_dir: Path, strict: bool, form: str) -> tuple[Site, Problems, list[Result], int]:
    from .build import timed

    with timed("load"):
        site, problems = load_site(data_dir)
    if problems:
        report(problems.sorted(), form)
        return site, problems, [], len(problems.errors)
    with timed("check"):
        results = check_all(site)
    report(sorted(set(findings(results))), form)
    return site, problems, results, len(blocking(results, strict))


def cmd_check(args) -> int:
    site, _, results, failures = load_and_check(Path(args.data_dir), args.strict, args.format)
    if failures:
        print(f"{failures} error(s): not publishable", file=sys.stderr)
        return 1
    if args.format == "text":
        counts = {s: sum(1 for r in results if r.status == s) for s in ("ok", NOTICE, WARNING, ERROR)}
        print(
            f"ok: {len(site.bureaus)} bureau(s), {len(site.documents)} document(s); "
            f"{len(results)} checks: {counts['ok']} hold, {counts[NOTICE]} notice(s), "
            f"{counts[WARNING]} warning(s), {counts[ERROR]} error(s) published as-is"
        )
    return 0


def cmd_build(args) -> int:
    from .build import TIMINGS, build_site

    site, _, results, failures = load_and_check(Path(args.data_dir), args.strict, "text")
    if failures:
        print(f"{failures} error(s); the previous site/ is unchanged", file=sys.stderr)
        return 1
    status = build_site(site, Path(args.site_dir), results)
    if args.timings:
        Path(args.timings).write_text(json.dumps(TIMINGS), encoding="utf-8")
    return status


def cmd_bench(args) -> int:
    from .bench import bench

    print(json.dumps(bench(args.docs, args.runs, Path(args.keep) if args.keep else None), ensure_ascii=False))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator", description="gongkai static site generator")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="load data/ and check every figure; publish nothing")
    check.add_argument("data_dir", nargs="?", default="data")
    check.add_argument("--strict", action="store_true", help="warnings fail too")
    check.add_argument("--format", choices=("text", "json"), default="text", help="json: for CI annotations")
    check.set_defaults(run=cmd_check)
    build = sub.add_parser("build", help="check, generate and build the static site")
    build.add_argument("data_dir", nargs="?", default="data")
    build.add_argument("--site-dir", default="site", help="where the built site goes (default: site)")
    build.add_argument("--strict", action="store_true", help="warnings fail too")
    build.add_argument("--timings", help=argparse.SUPPRESS)  # where bench reads the stages' seconds
    build.set_defaults(run=cmd_build)
    bench = sub.add_parser("bench", help="build a synthetic province of N documents and print figures as JSON")
    bench.add_argument("--docs", type=int, default=200, help="number of documents (default 200)")
    bench.add_argument("--runs", type=int, default=1, help="builds to run; figures are medians")
    bench.add_argument("--keep", help="keep the synthetic data and site in this folder")
    bench.set_defaults(run=cmd_bench)
    args = parser.parse_args(argv)
    return args.run(args)
