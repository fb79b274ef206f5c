"""Command line: python -m generator check|build [DATA_DIR], python -m generator bench --docs N, and the
editors' commands: schema, fmt [PATHS], new BUREAU_ID YEAR KIND, new-bureau BUREAU_ID."""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def cmd_check(args) -> int:
    from .build import build

    return build(Path(args.data_dir), None, args.strict, args.format, args.jobs, use_cache=not args.no_cache)


def cmd_build(args) -> int:
    from .build import TIMINGS, build

    status = build(Path(args.data_dir), Path(args.site_dir), args.strict, jobs=args.jobs)
    if args.timings:
        Path(args.timings).write_text(json.dumps(TIMINGS), encoding="utf-8")
    return status


def cmd_bench(args) -> int:
    from .bench import bench

    print(json.dumps(bench(args.docs, args.runs, Path(args.keep) if args.keep else None), ensure_ascii=False))
    return 0


def cmd_schema(args) -> int:
    from .schema_json import write_schemas

    changed = write_schemas(Path(args.out), check=args.check)
    for path in changed:
        print(f"{path}: {'与数据模型不一致，请运行 python -m generator schema' if args.check else '已写入'}")
    return 1 if args.check and changed else 0


def cmd_fmt(args) -> int:
    from .fmt import fmt_command

    return fmt_command([Path(p) for p in args.paths], args.check)


def cmd_new(args) -> int:
    from .scaffold import new_document

    return new_document(Path(args.data_dir), args.bureau, args.year, args.kind, args.form_set)


def cmd_new_bureau(args) -> int:
    from .scaffold import new_bureau

    return new_bureau(Path(args.data_dir), args.bureau, args.name, args.short_name, args.region)


def add_editor_commands(sub) -> None:
    schema = sub.add_parser("schema", help="写出编辑器用的 JSON Schema（schemas/*.schema.json）")
    schema.add_argument("--out", default="schemas", help="写到哪个文件夹（默认 schemas）")
    schema.add_argument("--check", action="store_true", help="只核对，不写：文件与数据模型不一致时退出码为 1")
    schema.set_defaults(run=cmd_schema)
    fmt = sub.add_parser("fmt", help="整理 data/ 的 YAML 文件格式（不改任何数字的值和小数位）")
    fmt.add_argument("paths", nargs="*", default=["data"], help="文件或文件夹（默认 data）")
    fmt.add_argument("--check", action="store_true", help="只列出需要整理的文件，不改；有则退出码为 1")
    fmt.set_defaults(run=cmd_fmt)
    new = sub.add_parser("new", help="按表样新建一份公开文件：data/<部门>/<年度>/<类别>.yaml")
    new.add_argument("bureau", help="部门文件夹名，如 changsha-wangcheng-ybj")
    new.add_argument("year", help="年度，如 2021")
    new.add_argument("kind", help="预算、决算或绩效（也可写 yusuan、juesuan、jixiao）")
    new.add_argument("--form-set", help="用哪套表样（data/forms/ 下的文件名，不带 .yaml）；默认按部门所在省份和类别选")
    new.add_argument("--data-dir", default="data", help="数据文件夹（默认 data）")
    new.set_defaults(run=cmd_new)
    bureau = sub.add_parser("new-bureau", help="新建部门：data/<部门>/bureau.yaml")
    bureau.add_argument("bureau", help="部门文件夹名：小写拼音、数字和 -，如 changsha-wangcheng-ybj")
    bureau.add_argument("--name", required=True, help="全称，如 长沙市望城区医疗保障局")
    bureau.add_argument("--short-name", help="简称，如 望城区医保局（默认同全称）")
    bureau.add_argument("--region", required=True, help="地区：省/市/区县，如 湖南省/长沙市/望城区")
    bureau.add_argument("--data-dir", default="data", help="数据文件夹（默认 data）")
    bureau.set_defaults(run=cmd_new_bureau)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator", description="gongkai static site generator")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="load data/ and check every figure; publish nothing")
    check.add_argument("data_dir", nargs="?", default="data")
    check.add_argument("--strict", action="store_true", help="warnings fail too")
    check.add_argument("--format", choices=("text", "json"), default="text", help="json: for CI annotations")
    check.add_argument("--jobs", type=int, help="worker processes (default: one per core)")
    check.add_argument(
        "--no-cache", action="store_true", help="check every file again, not only those changed since the last check"
    )
    check.set_defaults(run=cmd_check)
    build = sub.add_parser("build", help="check, generate and build the static site")
    build.add_argument("data_dir", nargs="?", default="data")
    build.add_argument("--site-dir", default="site", help="where the built site goes (default: site)")
    build.add_argument("--strict", action="store_true", help="warnings fail too")
    build.add_argument("--timings", help=argparse.SUPPRESS)  # where bench reads the stages' seconds
    build.add_argument("--jobs", type=int, help="worker processes (default: one per core)")
    build.set_defaults(run=cmd_build)
    bench = sub.add_parser("bench", help="build a synthetic province of N documents and print figures as JSON")
    bench.add_argument("--docs", type=int, default=200, help="number of documents (default 200)")
    bench.add_argument("--runs", type=int, default=1, help="builds to run; figures are medians")
    bench.add_argument("--keep", help="keep the synthetic data and site in this folder")
    bench.set_defaults(run=cmd_bench)
    add_editor_commands(sub)
    from . import cms  # the form editor's commands: cms-config, cms (local mode)

    cms.add_commands(sub)
    args = parser.parse_args(argv)
    return args.run(args)
