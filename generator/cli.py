"""Command line: python -m generator check|build [DATA_DIR]."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .load import load_site


def report(problems) -> None:
    for problem in problems.sorted():
        print(problem, file=sys.stderr)


def cmd_check(args) -> int:
    site, problems = load_site(Path(args.data_dir))
    report(problems)
    if problems:
        print(f"{len(problems.errors)} error(s); nothing published", file=sys.stderr)
        return 1
    print(f"ok: {len(site.bureaus)} bureau(s), {len(site.documents)} document(s)")
    return 0


def cmd_build(args) -> int:
    from .build import build_site

    site, problems = load_site(Path(args.data_dir))
    report(problems)
    if problems:
        print(f"{len(problems.errors)} error(s); the previous site/ is unchanged", file=sys.stderr)
        return 1
    return build_site(site, Path(args.site_dir))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator", description="gongkai static site generator")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="load and validate data/ only")
    check.add_argument("data_dir", nargs="?", default="data")
    check.set_defaults(run=cmd_check)
    build = sub.add_parser("build", help="check, generate and build the static site")
    build.add_argument("data_dir", nargs="?", default="data")
    build.add_argument("--site-dir", default="site", help="where the built site goes (default: site)")
    build.set_defaults(run=cmd_build)
    args = parser.parse_args(argv)
    return args.run(args)
