"""Command line, `python -m generator COMMAND` (help and every message in Chinese):

- check [DATA_DIR]: load data/ and check every figure, publish nothing (build/check.py)
- build [DATA_DIR] --site-dir DIR: check, then build the site and swap it in (build/site.py); with
  --shard K/N, one shard of it into a part, and merge PART…: the parts joined into the site (build/shards.py)
- bench --docs N: build a synthetic province and print what it cost, as JSON (bench/)
- the editors' commands: schema, fmt [PATHS], new BUREAU_ID YEAR KIND, new-bureau BUREAU_ID (editing/)
- quality [DATA_DIR]: the 公开质量 review, scored on data/quality.yaml's criteria (build/quality.py)
- import SOURCE DOCUMENT: a table copied from Excel, or an .xlsx sheet, into a document (importing/)
- cms-config, cms: the form editor's configuration, and the editor run locally (editing/cms.py)

main() returns the command's exit status: 1 when it found a problem, each printed on one line
(`path:line:col: 错误：message`), 2 for a command line argparse refuses (said in Chinese too).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from .bench.rebuilds import REBUILDS  # names only: not measure.py, which loads the build

# argparse's own words (usage, its errors) are English: said in Chinese, as every message a clerk reads.
ARGPARSE_WORDS = [
    (r"the following arguments are required: (.*)", r"缺少参数：\1"),
    (r"unrecognized arguments: (.*)", r"不认识的参数：\1"),
    (r"invalid int value: (.*)", r"\1 不是整数"),
    (r"invalid choice: (\S+) \(choose from (.*)\)", r"不能写 \1：可写 \2"),
    (r"expected one argument", r"后面要写一个值"),
    (r"^argument (\S+?)(?:/\S+)?: ", r"参数 \1："),
]


class ChineseHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class ChineseArgumentParser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示这段说明并退出")

    def error(self, message: str):
        for english, chinese in ARGPARSE_WORDS:
            message = re.sub(english, chinese, message)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: 错误：{message}\n")


def cmd_check(args) -> int:
    from .build.check import check

    return check(
        Path("data"), args.strict, args.format, args.jobs, use_cache=not args.no_cache, target=Path(args.data_dir)
    )


def cmd_quality(args) -> int:
    from .build.quality import quality

    return quality(Path(args.data_dir), args.year, args.format, Path(args.out) if args.out else None)


def shard_arg(text: str) -> tuple[int, int]:
    from .build.shards import parse_shard

    try:
        return parse_shard(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def cmd_build(args) -> int:
    from .build.report import Timings
    from .build.site import build

    timings = Timings()
    if args.shard is not None:
        from .build.shards import build_part, default_part_dir

        part_dir = Path(args.part_dir) if args.part_dir else default_part_dir(args.shard)
        status = build_part(Path(args.data_dir), part_dir, args.shard, args.strict, args.jobs, timings=timings)
    else:
        status = build(
            Path(args.data_dir),
            Path(args.site_dir),
            args.strict,
            jobs=args.jobs,
            timings=timings,
            force=args.force,
            allow_shrink=args.allow_shrink,
            site_url=args.site_url,
            reuse=not args.no_cache,
        )
    if args.timings:
        Path(args.timings).write_text(json.dumps(timings), encoding="utf-8")
    return status


def cmd_merge(args) -> int:
    from .build.shards import merge

    return merge(
        [Path(p) for p in args.parts],
        Path(args.site_dir),
        Path(args.data_dir),
        jobs=args.jobs,
        force=args.force,
        allow_shrink=args.allow_shrink,
        site_url=args.site_url,
    )


def cmd_bench(args) -> int:
    from .bench.measure import bench

    rebuilds = tuple(args.rebuilds.split(",")) if args.rebuilds else ()
    unknown = [change for change in rebuilds if change not in REBUILDS]
    if unknown:
        print(f"--rebuilds：不认识“{unknown[0]}”，可选 {','.join(REBUILDS)}", file=sys.stderr)
        return 2
    figures = bench(
        args.docs,
        args.runs,
        Path(args.keep) if args.keep else None,
        args.shards,
        tuple(REBUILDS[change][0] for change in rebuilds),
    )
    print(json.dumps(figures, ensure_ascii=False))
    return 0


def cmd_schema(args) -> int:
    from .editing.schema_json import write_schemas

    changed = write_schemas(Path(args.out), check=args.check)
    for path in changed:
        print(f"{path}: {'与数据模型不一致，请运行 python -m generator schema' if args.check else '已写入'}")
    return 1 if args.check and changed else 0


def cmd_fmt(args) -> int:
    from .editing.fmt import fmt_command

    return fmt_command([Path(p) for p in args.paths], args.check)


def cmd_new(args) -> int:
    from .editing.scaffold import new_document

    return new_document(
        Path(args.data_dir), args.bureau, args.year, args.kind, args.form_set, args.report, args.projects
    )


def cmd_new_bureau(args) -> int:
    from .editing.scaffold import new_bureau

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
    new.add_argument(
        "--form-set",
        "--form",
        dest="form_set",
        help="用哪套表样（data/forms/ 下的文件名，不带 .yaml）；默认按部门所在省份和类别选",
    )
    new.add_argument("--report", help="绩效文件：用表样中的哪张绩效表样，如 项目支出绩效自评表（默认第一张自评表）")
    new.add_argument("--projects", type=int, help="绩效文件：有几个项目的自评表，每个项目一部分（一页）")
    new.add_argument("--data-dir", default="data", help="数据文件夹（默认 data）")
    new.set_defaults(run=cmd_new)
    bureau = sub.add_parser("new-bureau", help="新建部门：data/<部门>/bureau.yaml")
    bureau.add_argument("bureau", help="部门文件夹名：小写拼音、数字和 -，如 changsha-wangcheng-ybj")
    bureau.add_argument("--name", required=True, help="全称，如 长沙市望城区医疗保障局")
    bureau.add_argument("--short-name", help="简称，如 望城区医保局（默认同全称）")
    bureau.add_argument("--region", required=True, help="地区：省/市/区县，如 湖南省/长沙市/望城区")
    bureau.add_argument("--data-dir", default="data", help="数据文件夹（默认 data）")
    bureau.set_defaults(run=cmd_new_bureau)


def cmd_import(args) -> int:
    from .importing.into_document import run_import

    return run_import(Path(args.source), Path(args.document), args.table, args.sheet, args.dry_run)


def main(argv: list[str] | None = None) -> int:
    parser = ChineseArgumentParser(
        prog="python -m generator", description="gongkai：部门预算、决算和绩效公开网站的生成工具"
    )
    sub = parser.add_subparsers(dest="command", required=True, title="命令", metavar="命令")
    check = sub.add_parser("check", help="读取 data/，核对每个数字；不发布")
    check.add_argument(
        "data_dir", nargs="?", default="data", help="数据文件夹、一个部门（文件夹名）或一个文件（默认 data：全部）"
    )
    check.add_argument("--strict", action="store_true", help="有警告也算失败（退出码为 1）")
    check.add_argument("--format", choices=("text", "json"), default="text", help="json：输出给 CI 标注用")
    check.add_argument("--jobs", type=int, help="并行进程数（默认每个 CPU 核一个）")
    check.add_argument("--no-cache", action="store_true", help="重新核对每个文件，而不只是上次核对后改过的")
    check.set_defaults(run=cmd_check)
    build = sub.add_parser("build", help="核对、生成并构建静态网站")
    build.add_argument("data_dir", nargs="?", default="data", help="数据文件夹（默认 data）")
    build.add_argument("--site-dir", default="site", help="网站生成到哪个文件夹（默认 site）")
    build.add_argument("--strict", action="store_true", help="有警告也算失败（退出码为 1）")
    build.add_argument(
        "--force",
        action="store_true",
        help="网站文件夹已有别的内容（不是以前生成的网站）时也替换它，其中的内容全部删掉",
    )
    build.add_argument(
        "--allow-shrink",
        action="store_true",
        help="新网站的公开文件不到原来的一半（或一份也没有）时也发布：确要撤下这些文件时才用",
    )
    build.add_argument(
        "--site-url",
        help="网站的正式网址（如 https://czj.example.gov.cn/gongkai/）：写进 sitemap.xml，列出每一页；不写则没有网址可列",
    )
    build.add_argument("--timings", help=argparse.SUPPRESS)  # where bench reads the stages' seconds
    build.add_argument("--jobs", type=int, help="并行进程数（默认每个 CPU 核一个）")
    build.add_argument(
        "--no-cache", action="store_true", help="每个部门都重新生成，不用上次构建留下的（默认只重新生成输入改过的部门）"
    )
    build.add_argument(
        "--shard",
        type=shard_arg,
        metavar="K/N",
        help="只构建分成 N 片时的第 K 片（如 2/4），写成部件，再由 merge 合并成网站：在多台 CI 机器上分片构建",
    )
    build.add_argument("--part-dir", help="--shard：部件写到哪个文件夹（默认 parts/K-of-N，如 parts/2-of-4）")
    build.set_defaults(run=cmd_build)
    merge = sub.add_parser("merge", help="把 build --shard 分片构建的部件合并成网站（与一台机器构建的完全相同）")
    merge.add_argument("parts", nargs="+", metavar="部件", help="每一片的部件文件夹（如 parts/*），每片一个")
    merge.add_argument("--site-dir", default="site", help="网站生成到哪个文件夹（默认 site）")
    merge.add_argument("--data-dir", default="data", help="数据文件夹，须与分片构建时同一提交（默认 data）")
    merge.add_argument("--jobs", type=int, help="并行进程数（默认每个 CPU 核一个）")
    merge.add_argument("--force", action="store_true", help="网站文件夹已有别的内容（不是以前生成的网站）时也替换它")
    merge.add_argument(
        "--allow-shrink", action="store_true", help="新网站的公开文件不到原来的一半（或一份也没有）时也发布"
    )
    merge.add_argument("--site-url", help="网站的正式网址：写进 sitemap.xml（同 build 的 --site-url）")
    merge.set_defaults(run=cmd_merge)
    bench = sub.add_parser("bench", help="生成一个有 N 份公开文件的模拟省份并构建，以 JSON 输出耗时等数据")
    bench.add_argument("--docs", type=int, default=200, help="公开文件的份数（默认 200）")
    bench.add_argument("--runs", type=int, default=1, help="构建几次；数据取中位数")
    bench.add_argument("--keep", help="把模拟数据和网站保留在这个文件夹")
    bench.add_argument(
        "--shards",
        type=int,
        help="再分成 N 片构建（build --shard）并合并（merge）：每片和合并的耗时，合并的网站与一台机器构建的逐字节比较",
    )
    bench.add_argument(
        "--rebuilds",
        default=",".join(REBUILDS),
        help="冷构建之后再构建哪几次（逗号分隔；空则不再构建）：unchanged 什么都没改，"
        "edited 改了一份文件，glossary 改了名词解释（每一批都重新生成）",
    )
    bench.set_defaults(run=cmd_bench)
    review = sub.add_parser(
        "quality",
        help="公开质量评查：按 data/quality.yaml 的标准，给每个部门每年每类文件评分（只报告，退出码为 0）",
    )
    review.add_argument("data_dir", nargs="?", default="data", help="数据文件夹（默认 data）")
    review.add_argument("--year", type=int, help="只评这一年度")
    review.add_argument(
        "--format", choices=("text", "csv", "json", "xlsx"), default="text", help="输出格式（默认 text）"
    )
    review.add_argument("--out", help="写到这个文件（默认显示在屏幕上；xlsx 必须写）")
    review.set_defaults(run=cmd_quality)
    add_editor_commands(sub)
    imp = sub.add_parser(
        "import",
        help="把从 Excel 复制的表格（.tsv/.txt）或 .xlsx 工作表写入公开文件中对应的表",
        description="把从 Excel 复制的表格（粘贴成 .tsv/.txt 文本）或 .xlsx 工作表对应到表样，写入文件中那张表的行。"
        "对应不上的地方逐条报告（源文件:行:栏），不写入任何内容。",
    )
    imp.add_argument("source", help="源表：.tsv / .txt（制表符分隔）或 .xlsx")
    imp.add_argument("document", help="要写入的公开文件，如 data/…/2020/juesuan.yaml")
    imp.add_argument("--table", help="表号（如 公开02表、表3）或表格的 id；源表上方印有表号或表名时可省略")
    imp.add_argument("--sheet", help=".xlsx 中的工作表名（默认：打开时显示的那张）")
    imp.add_argument("--dry-run", action="store_true", help="只显示将写入的内容，不改文件")
    imp.set_defaults(run=cmd_import)
    from .editing import cms  # the form editor's commands: cms-config, cms (local mode)
    from .importing.for_editor import import_for_editor  # its local page imports tables with the importer

    cms.add_commands(sub, import_for_editor)
    args = parser.parse_args(argv)
    return args.run(args)
