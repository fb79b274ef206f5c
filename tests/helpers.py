"""What test files import: the project's paths, small data trees to write and load, the documents
several test files use, and the generator's command line run as an editor runs it.

Fixtures are conftest.py's; reading, serving and opening a built site is sitetools.py's. Test files
import from here, never from one another or from conftest.py (which pytest loads itself).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from generator.check.document import check_document
from generator.load.loader import load_site

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
# The seeds: the original documents as text, the oracle of the tests that compare pages with them.
SEEDS = ROOT.parent / "shared" / "seeds"


def copy_fragment_forms(destination: Path) -> Path:
    """The real form sets copied to *destination*, their 目录 requiring no table and no topic to
    be explained: for the small documents of tests about other things, which print one or two
    tables of a set (what a 目录 and `topics:` require is test_completeness.py's, on the real forms).
    Only the `outline:` lines change and the `topics:` at the end go, so that tests finding lines of
    the forms' own declarations find them where they are."""
    destination.mkdir(parents=True, exist_ok=True)
    for path in sorted((DATA / "forms").glob("*.yaml")):
        lines, in_outline, in_topics = [], False, False
        for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
            if line[:1].strip() and not line.startswith("#"):
                in_outline = line.startswith("outline:")
                in_topics = line.startswith("topics:")
            if in_topics:
                continue
            flow = re.match(r"(\s*- \{.*form: [^,}]+)\}\s*$", line) if in_outline else None
            block = re.match(r"(\s*)form: \S+\s*$", line) if in_outline else None
            if flow:
                line = flow.group(1) + ", required: false}\n"
            elif block:
                line += f"{block.group(1)}required: false\n"
            lines.append(line)
        (destination / path.name).write_text("".join(lines), encoding="utf-8")
    return destination


def write(path: Path, text: str) -> Path:
    """*text* (dedented, without its first line break) written to *path*, folders made as needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


# ---- the reference data, as the auditor's tests read and mutate it ----

WANGCHENG = "changsha-wangcheng-ybj/2020/juesuan.yaml"
DONGXIHU = "wuhan-dongxihu-ybj/2020/yusuan.yaml"


def reference_document(data: Path, relative: str):
    """The document at *relative* (a path's tail, WANGCHENG say) of the data tree *data* (DATA or a
    mutated copy), loaded without an error."""
    site, problems = load_site(data)
    assert not problems.errors, problems.errors
    return next(d for d in site.documents if d.path.endswith(relative))


def checked(data: Path, relative: str, *words: str, check=check_document) -> list:
    """*check*'s results on the document at *relative* of *data*; given *words*, only the results
    whose message holds one of them."""
    results = check(reference_document(data, relative))
    return [r for r in results if any(w in r.says for w in words)] if words else results


def found(data: Path, relative: str, *words: str, check=check_document) -> list[tuple]:
    """checked()'s results as (status, line, message): what a test compares with what it expects."""
    return [(r.status, r.mark.line, r.says) for r in checked(data, relative, *words, check=check)]


def mutated(
    tmp_path: Path, relative: str, old: str, new: str, line_of: str | None = None, occurrence: int = 1
) -> tuple[Path, str]:
    """A copy of the reference data under *tmp_path* in which the file at *relative* has *old*
    replaced by *new*: its one *old*, or, given *line_of* or an *occurrence*, the first *old* on the
    line of the *occurrence*-th *line_of* (or *old*). Returns the copy and the file's text before the
    change, to find the lines of what changed in (place())."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    path = data / relative
    text = path.read_text(encoding="utf-8")
    if line_of is None and occurrence == 1:
        assert text.count(old) == 1, f"{old!r} is in {relative} {text.count(old)} times"
        changed = text.replace(old, new)
    else:
        lines = text.split("\n")
        line = place(text, line_of or old, occurrence)[0]
        assert old in lines[line - 1], f"{old!r} is not on line {line} of {relative}"
        lines[line - 1] = lines[line - 1].replace(old, new, 1)
        changed = "\n".join(lines)
    path.write_text(changed, encoding="utf-8")
    return data, text


# ---- the small data tree of the `data_dir` fixture: the real forms, one bureau, one document ----

MINIMAL_BUREAU = """
name: 测试市测试区医疗保障局
short_name: 测试区医保局
region: 测试省/测试市/测试区
"""

MINIMAL_DOCUMENT = """
title: 2020年度测试区医疗保障局部门决算
kind: 决算
year: 2020
form_set: hunan-juesuan-2020
parts:
  - title: 第一部分 概况
    sections:
      - title: 一、部门职责
        body: 负责医疗保障。
  - title: 第二部分 决算表
    sections:
      - title: 二、收入决算表
        table:
          form: 公开02表
          rows:
            - {科目名称: 合计, 本年收入合计: 55.11}
            - {科目编码: "208", 科目名称: 社会保障和就业支出, 本年收入合计: 55.11}
"""

# Where the `data_dir` tree's one document is, in the tree.
DOCUMENT_FILE = "ceshi-ybj/2020/juesuan.yaml"


# The minimal document exactly as written, so that places can be found in it, and its total cell.
BASE = MINIMAL_DOCUMENT.lstrip("\n")
TOTAL_CELL = "{科目名称: 合计, 本年收入合计: 55.11}"


def place(text: str, needle: str, occurrence: int = 1) -> tuple[int, int]:
    """Line and column (from 1, as editors count) of the *occurrence*-th *needle* in *text*."""
    at = -1
    for _ in range(occurrence):
        at = text.index(needle, at + 1)
    return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1


def write_document(data_dir: Path, text: str) -> Path:
    """*text* written over the one document of a `data_dir` tree (dedented, as write() does)."""
    return write(data_dir / DOCUMENT_FILE, text)


def load_document(data_dir: Path, text: str):
    """*text* written as the document of a `data_dir` tree and loaded: the load must find nothing
    wrong (no error, warning or notice). Returns the loaded document."""
    write_document(data_dir, text)
    site, problems = load_site(data_dir)
    assert not problems.items, [str(p) for p in problems.items]
    return site.documents[0]


# ---- documents of other kinds, written over the `data_dir` document ----

# A 绩效自评表 with every part of one: facts, funds, goals, a tree of indicators and the total.
SELF_EVALUATION = """
title: 2020年度测试区医疗保障局项目绩效自评
kind: 绩效
year: 2020
parts:
  - title: 附件
    sections:
      - title: 公共专项绩效自评表
        table:
          id: zpb-test
          title: 公共专项绩效自评表
          unit: 万元
          stage: 自评
          facts:
            项目名称: 城乡医疗救助
            填表人及电话:
          funds:
            - {source: 年度资金总额, budget: 2000, executed: 1950, transfer: 50, score: 10, rate: 95.00%, scored: 9.5}
          goals:
            年初设定目标: 保障资金发放率 100%
            目标完成情况: 已发放
          indicators:
            - name: 产出指标
              items:
                - name: 数量指标
                  items:
                    - {name: 救助人次, target: ≥3000人次, actual: 2800人次, score: 30, scored: 30}
                    - {name: 发放率, target: "100%", actual: "100%", score: 20, scored: 20}
                - name: 质量指标
                  items:
                    - {name: 准确率, target: ≥95%, actual: 99%, score: 20, scored: 20}
            - name: 满意度指标
              items:
                - name: 服务对象满意度指标
                  items:
                    - {name: 满意度, target: ≥90%, actual: 95%, score: 20, scored: 19}
          total: {score: 100, scored: 98.5}
"""

# A one-off table of amounts (no form) with a 合计, shares, and prose that quotes its figures.
AMOUNT_TABLE_DOCUMENT = """
title: 2020年度测试区医疗保障局部门整体支出绩效评价报告
kind: 绩效
year: 2020
parts:
  - title: 一、部门概况
    sections:
      - title: （五）基本支出的公用经费情况
        body: |
          2020年日常公用经费30.00万元。其中办公费20.00万元。
        table:
          id: gongyong
          title: 日常公用经费明细
          unit: 万元
          columns: [决算支出, {label: 占比, type: percent}]
          rows:
            - {label: 办公费, 决算支出: 20.00, 占比: 66.67%}
            - {label: 印刷费, 决算支出: 10, 占比: 33.3%}
            - {label: 电费, 决算支出: 0, 占比: "0"}
            - {label: 合计, total: true, 决算支出: 30.00, 占比: 100%}
"""


# ---- building a site ----


def build_site(data: Path, site: Path, **options) -> Path:
    """*data* built into *site* in this process (build's keyword *options*, jobs=1 say); the build
    must succeed. Returns *site*."""
    from generator.build.site import build  # mkdocs and the theme: only for the tests that build

    assert build(data, site, **options) == 0
    return site


def previous_site(site: Path, documents: int = 0) -> Path:
    """A stand-in for a site built before: one page, "the site as it was", and the marker by which a
    build knows a site it may replace, saying it had *documents* (publish.py). Returns *site*."""
    from generator.build.publish import write_marker  # the build stage: only for the tests that build

    write(site / "index.html", "the site as it was\n")
    write_marker(site, documents)
    return site


# ---- the command line ----


def generator_env(**extra: str) -> dict[str, str]:
    """The bare environment the tests run `python -m generator` in: the project importable, the
    system's programs, and `check`'s cache in the tests' own folder rather than the project's .cache/
    (conftest.py sets GONGKAI_CACHE for the session); *extra* adds variables or replaces these."""
    return {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "GONGKAI_CACHE": os.environ["GONGKAI_CACHE"], **extra}


def run_generator(*args, cwd, env: dict[str, str] | None = None, timeout=None) -> subprocess.CompletedProcess:
    """`python -m generator ARGS` run as an editor runs it, in *cwd*, with a bare environment
    (generator_env, with *env* added), its output captured as text."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=generator_env(**(env or {})),
        timeout=timeout,
    )


# A bureau's record (test_record.py, test_unreadable.py): a 预算 of 2020 and a 决算 of any year
# ({year}, {total} of 行政运行, {prose} of its 情况说明).
RECORD_BUDGET_2020 = """
title: 2020年测试区医疗保障局部门预算
kind: 预算
year: 2020
form_set: hubei-yusuan-2020
parts:
  - title: 第三部分 预算公开表
    sections:
      - title: 一般公共预算支出表（功能分类项级）
        table:
          form: 表6
          rows:
            - {科目名称: 合计, 合计: 300.00}
            - {科目编码: "210", 科目名称: 卫生健康支出, 合计: 300.00}
            - {科目编码: "21015", 科目名称: 医疗保障管理事务, 合计: 300.00}
            - {科目编码: "2101501", 科目名称: 行政运行, 合计: 200.00}
            - {科目编码: "2101502", 科目名称: 一般行政管理事务, 合计: 100.00}
"""

RECORD_ACTUAL = """
title: {year}年度测试区医疗保障局部门决算
kind: 决算
year: {year}
form_set: hunan-juesuan-2020
parts:
  - title: 第二部分 决算表
    sections:
      - title: 五、一般公共预算财政拨款支出决算表
        table:
          form: 公开05表
          rows:
            - {{科目名称: 合计, 合计: {total}}}
            - {{科目编码: "210", 科目名称: 卫生健康支出, 合计: {total}}}
            - {{科目编码: "21015", 科目名称: 医疗保障管理事务, 合计: {total}}}
            - {{科目编码: "2101501", 科目名称: 行政运行, 合计: {total}}}
  - title: 第三部分 情况说明
    sections:
      - title: 五、一般公共预算财政拨款支出决算情况说明
        body: |
          {prose}
"""


# A 决算 holding only its 公开07表 (the 三公), for the headline's year-on-year and comparison tests.
SAN_GONG = """
title: {year}年度测试区医疗保障局部门决算
kind: 决算
year: {year}
form_set: hunan-juesuan-2020
parts:
  - title: 第二部分 决算表
    sections:
      - title: 七、“三公”经费支出决算表
        table:
          form: 公开07表
          rows:
            - {{预算合计: {budget}, 预算因公出国境费: 0, 预算公务用车小计: 0, 预算公务用车购置费: 0, 预算公务用车运行费: 0, 预算公务接待费: {budget}, 决算合计: {actual}, 决算因公出国境费: 0, 决算公务用车小计: 0, 决算公务用车购置费: 0, 决算公务用车运行费: 0{reception}}}
"""


def san_gong(year: int, budget: str, actual: str, reception: bool = True) -> str:
    return SAN_GONG.format(
        year=year, budget=budget, actual=actual, reception=f", 决算公务接待费: {actual}" if reception else ""
    )


# ---- a 项目支出绩效自评 of three project reports and a printed 汇总表 (test_reports.py) ----

# A project's report: a part holding its 自评表 on the national form directly, then its prose.
# {scores}: the 得分 of 产出 (two indicators), 效益 and 满意度, as the report prints them.
PROJECT_REPORT = """
  - title: {number}、{name}项目支出绩效自评报告
    id: {slug}
    table:
      id: zpb-{slug}
      form: 项目支出绩效自评表
      caption: （2020年度）
      unit: 万元
      facts:
        项目名称: {name}
        主管部门: 测试区医疗保障局
        实施单位: 测试区医疗保障局
      funds:
        - {{source: 年度资金总额, initial: {budget}, budget: {budget}, executed: {executed}, score: 10, rate: {rate}, scored: {funds_scored}}}
        - {{source: 其中：当年财政拨款, initial: 100, budget: 100, executed: 100, rate: 100.00%}}
        - {{source: 其他资金, initial: {others}, budget: {others}, executed: {others_executed}}}
      goals:
        年度总体目标: 按时足额完成{name}任务。
      indicators:
        - name: 产出指标
          items:
            - name: 数量指标
              items:
                - {{name: 完成任务数, target: ≥100件, actual: 100件, score: 30, scored: {output1}}}
            - name: 时效指标
              items:
                - {{name: 按时完成率, target: "100%", actual: "100%", score: 20, scored: {output2}}}
        - name: 效益指标
          items:
            - name: 社会效益指标
              items:
                - {{name: 群众负担减轻, target: 有效减轻, actual: 有效减轻, score: 30, scored: {benefit}}}
        - name: 满意度指标
          items:
            - name: 服务对象满意度指标
              items:
                - {{name: 服务对象满意度, target: ≥90%, actual: 92%, score: 10, scored: {satisfaction}}}
      total: {{score: 100, scored: {total}}}
    sections:
      - title: 一、项目概况
        body: |
          {name}项目由测试区医疗保障局组织实施。
      - title: 二、绩效目标实现情况
        body: |
          项目全年按计划推进，自评结果见上表。
"""

PROJECTS = [
    dict(number="一", name="城乡医疗救助", slug="jiuzhu", budget="200", executed="190", rate="95.00%",
         others="100", others_executed="90", funds_scored="9.5",
         output1="28", output2="20", benefit="28", satisfaction="9", total="94.5"),
    dict(number="二", name="医保信息化建设", slug="xinxihua", budget="300", executed="240", rate="80.00%",
         others="200", others_executed="140", funds_scored="8",
         output1="22", output2="18", benefit="25", satisfaction="8", total="81"),
    dict(number="三", name="医保基金监管", slug="jianguan", budget="150", executed="150", rate="100.00%",
         others="50", others_executed="50", funds_scored="10",
         output1="20", output2="15", benefit="20", satisfaction="5", total="70"),
]  # fmt: skip

# The 汇总表 as the original prints it, a part of its own: its 医保信息化建设 row prints 执行数
# 250 where the report's table has 240 (and its 合计 adds up what it prints).
SUMMARY_TABLE = """
  - title: 附件 2020年度项目支出绩效自评汇总表
    id: huizong
    table:
      id: huizongbiao
      title: 2020年度项目支出绩效自评汇总表
      unit: 万元
      head: 项目名称
      columns: [预算数, 执行数, {label: 执行率, type: percent}, {label: 自评得分, type: text}, {label: 自评等级, type: text}]
      summary_of: {预算数: 预算数, 执行数: 执行数, 执行率: 执行率, 自评得分: 自评得分, 等级: 自评等级}
      rows:
        - {label: 城乡医疗救助, 预算数: 200, 执行数: 190, 执行率: 95.00%, 自评得分: "94.5", 自评等级: 优}
        - {label: 医保信息化建设, 预算数: 300, 执行数: 250, 执行率: 80.00%, 自评得分: "81", 自评等级: 良}
        - {label: 医保基金监管, 预算数: 150, 执行数: 150, 执行率: 100.00%, 自评得分: "70", 自评等级: 中}
        - {label: 合计, total: true, 预算数: 650, 执行数: 590}
"""

REPORTS_HEAD = """
title: 2020年度测试区医疗保障局项目支出绩效自评
kind: 绩效
year: 2020
form_set: national-jixiao-2020
{as_is}parts:
"""

# The wrong row as `check` states it: the original prints it so, and the site publishes it as printed.
SUMMARY_AS_IS = """published_as_is:
  - rule: 2020年度项目支出绩效自评汇总表“医保信息化建设”的执行数 = 其自评表资金情况的全年执行数
    difference: 10.00
"""


def reports_document(as_is: bool = False) -> str:
    """The 项目支出绩效自评 of PROJECTS and SUMMARY_TABLE; *as_is*: it names the 汇总表's wrong row
    in `published_as_is`, so that it builds."""
    head = REPORTS_HEAD.lstrip("\n").format(as_is=SUMMARY_AS_IS if as_is else "")
    reports = "".join(PROJECT_REPORT.lstrip("\n").format(**project) for project in PROJECTS)
    return head + reports + SUMMARY_TABLE.lstrip("\n")


# ---- a git history of data/ (build/history.py) ----


def git(repo: Path, *args: str, date: str = "2021-03-01T10:00:00+08:00") -> None:
    """git run in *repo* by a fixed user at a fixed *date* (commits are the same whenever a test runs)."""
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        env.pop(name, None)
    subprocess.run(
        ["git", "-c", "user.name=测试", "-c", "user.email=t@example.org", "-C", str(repo), *args],
        check=True,
        capture_output=True,
        env=env,
    )


def commit_all(repo: Path, message: str, date: str) -> None:
    """Everything in *repo* committed with *message* at *date*."""
    git(repo, "add", "-A", date=date)
    git(repo, "commit", "-q", "-m", message, date=date)


# ---- incremental builds (test_incremental.py, test_publish_update.py) ----

BUREAUS = 4  # of three documents each, one batch each (incremental_corpus)
SITE_URL = "https://czj.example.gov.cn/gongkai/"


def incremental_corpus(tmp_path: Path, monkeypatch) -> Path:
    """Twelve documents in four bureaus, a batch of three documents each, and a cache of their own
    (a fixture: `corpus = pytest.fixture(incremental_corpus, name="corpus")`)."""
    from generator.bench.corpus import make_corpus
    from generator.build import batches

    monkeypatch.setattr(batches, "BATCH_DOCUMENTS", 3)
    monkeypatch.setenv("GONGKAI_CACHE", str(tmp_path / "cache"))
    data = tmp_path / "data"
    make_corpus(DATA, data, 3 * BUREAUS)
    return data


def site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def built(data: Path, site: Path, reuse: bool = True, **options) -> Path:
    """*data* built into *site* in this process, one batch at a time, the build cache used (*reuse*)."""
    return build_site(data, site, jobs=1, reuse=reuse, allow_shrink=True, **options)


def assert_same_as_cold(data: Path, site: Path, tmp_path: Path, **options) -> None:
    """*site*, built incrementally, holds the bytes a cold build of *data* writes, file for file."""
    from generator.build import build_cache

    cold = built(data, tmp_path / "cold", reuse=False, **options)
    shutil.rmtree(build_cache.folder_for(cold), ignore_errors=True)  # a cold build keeps nothing
    mine, theirs = site_files(site), site_files(cold)
    assert sorted(mine) == sorted(theirs)
    assert [name for name in mine if mine[name] != theirs[name]] == []
    shutil.rmtree(cold)


def edit_text(path: Path, old: str, new: str) -> None:
    """The first *old* in *path* replaced with *new* (which must be there)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
