"""绩效 forms declared in data/forms (`indicator_forms:`): what a form prints, tables that must fit
it, the score rules it declares, and how its tables are printed and opened with.

Each mutation below is a mistake a clerk or a form's author makes; each is reported at its line,
and the unchanged table is not reported at all.
"""

from __future__ import annotations

import re
import shutil
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

from generator.check.document import check_document
from generator.check.indicators import check_rates
from generator.core.model import IndicatorTable
from generator.core.results import ERROR, NOTICE, OK, UNCHECKED, WARNING
from generator.export.tabular import table_data
from generator.load.loader import load_site
from generator.render.headline import headline
from generator.render.indicators import render_indicator_table

from helpers import DATA, DOCUMENT_FILE, ROOT, SELF_EVALUATION, place, run_generator, write

# A 项目支出绩效自评表 on the national form (财预〔2020〕10号): weights 10 / 50 / 30 / 10, rate B/A.
NATIONAL = """
title: 2020年度测试区医疗保障局项目支出绩效自评
kind: 绩效
year: 2020
parts:
  - title: 附件
    sections:
      - title: 项目支出绩效自评表
        table:
          id: xm-zpb
          form: national-jixiao-2020:项目支出绩效自评表
          facts:
            项目名称: 城乡医疗救助
            主管部门: 测试区医疗保障局
          funds:
            - {source: 年度资金总额, initial: 2000, budget: 2000, executed: 1900, score: 10, rate: 95.00%, scored: 9.5}
          indicators:
            - name: 产出指标
              items:
                - name: 数量指标
                  items:
                    - {name: 救助人次, target: ≥3000人次, actual: 3100人次, score: 30, scored: 30}
                - name: 质量指标
                  items:
                    - {name: 准确率, target: ≥95%, actual: 99%, score: 20, scored: 20}
            - name: 效益指标
              items:
                - name: 社会效益指标
                  items:
                    - {name: 困难群众负担减轻, target: 有效减轻, actual: 有效减轻, score: 30, scored: 28, reason: 部分救助未及时到位}
            - name: 满意度指标
              items:
                - name: 服务对象满意度指标
                  items:
                    - {name: 满意度, target: ≥90%, actual: 95%, score: 10, scored: 10}
          total: {score: 100, scored: 97.5, grade: 优}
"""
TEXT = textwrap.dedent(NATIONAL).lstrip("\n")


def loaded(data_dir: Path, text: str):
    write(data_dir / DOCUMENT_FILE, text)
    site, problems = load_site(data_dir)
    root = str(data_dir) + "/"
    return site, [str(p).replace(root, "") for p in problems.sorted()]


def results_of(site) -> list:
    return [r for r in check_document(site.documents[0]) if isinstance(r.table, IndicatorTable)]


def at(text: str, needle: str, occurrence: int = 1) -> str:
    line, column = place(text, needle, occurrence)
    return f"{DOCUMENT_FILE}:{line}:{column}"


def line_of(text: str, needle: str) -> int:
    return place(text, needle)[0]


def only_table(site) -> IndicatorTable:
    return next(t for _, t in site.documents[0].tables() if isinstance(t, IndicatorTable))


# ---- the declared forms ----


def test_every_reference_performance_table_is_on_a_declared_form():
    site, problems = load_site(DATA)
    assert not problems.errors
    tables = [t for d in site.documents for _, t in d.tables() if isinstance(t, IndicatorTable)]
    assert len(tables) == 12
    assert {(t.form.form_set, t.form.name) for t in tables} == {
        ("hunan-jixiao-2020", "部门整体自评表"),
        ("hunan-jixiao-2020", "公共专项绩效自评表"),
        ("hunan-jixiao-2020", "部门整体支出绩效自评工作考核评分表"),
        ("hubei-jixiao-2020", "部门整体支出绩效目标申报表"),
        ("hubei-jixiao-2020", "项目绩效目标申报表"),
    }
    national = site.form_sets["national-jixiao-2020"].indicator_forms
    assert set(national) == {"项目支出绩效自评表", "部门整体支出绩效自评表"}
    project = national["项目支出绩效自评表"]
    assert project.weights == {"产出指标": 50, "效益指标": 30, "满意度指标": 10} and project.funds_weight == 10
    assert [(g.grade, g.low) for g in project.grades] == [("优", 90), ("良", 80), ("中", 60), ("差", 0)]


def test_the_funds_are_printed_under_the_labels_of_their_form():
    site, _ = load_site(DATA)
    wangcheng = next(d for d in site.documents if d.bureau.slug == "changsha-wangcheng-ybj")
    tables = {t.anchor: t for _, t in wangcheng.tables() if isinstance(t, IndicatorTable)}
    whole = str(render_indicator_table(tables["zpb-zhengti"]))
    project = str(render_indicator_table(tables["zpb-chengxiang-jumin"]))
    assert "上级财政移动支付 (C)" in whole and "上级专项移动支付" not in whole
    assert "上级专项移动支付 (C)" in project and "执行率 ((B-C)/A)" in project
    assert "目标内容" in whole and "目标内容" not in project  # each form's own columns


def test_a_ticked_box_is_data_and_printed_with_the_boxes_of_its_form():
    site, _ = load_site(DATA)
    dongxihu = next(d for d in site.documents if d.bureau.slug == "wuhan-dongxihu-ybj")
    table = next(t for _, t in dongxihu.tables() if getattr(t, "anchor", "") == "sbb-xingzheng-kaiban")
    assert dict(table.facts)["项目类型"] == "一次性项目"
    assert "☑一次性项目　□常年性项目　□延续性项目" in str(render_indicator_table(table))


def test_a_table_on_the_national_form_checks_out(data_dir):
    site, problems = loaded(data_dir, NATIONAL)
    assert problems == []
    results = results_of(site)
    assert results and all(r.status == OK for r in results), [r.explain() for r in results if r.status != OK]
    says = " ".join(r.says for r in results)
    for rule in (
        "得分均不超过分值",
        "表样所定的 50 分",
        "总分 = 各项得分之和",
        "写明的等级“优”",
        "全年执行数 B ÷ 全年预算数 A",
    ):
        assert rule in says
    table = only_table(site)
    html = str(render_indicator_table(table))
    assert '<th scope="col">年初预算数</th>' in html and '<th scope="col">执行率</th>' in html
    assert "上级移动支付" not in html  # the national form prints no C


# ---- each score rule can fail, at the line of what is wrong ----

MUTATIONS = [
    # (what is changed, into what, where the report is, its status, its words)
    # 得分 above its 分值 (the total then no longer adds up either)
    (
        "actual: 99%, score: 20, scored: 20}",
        "actual: 99%, score: 20, scored: 21}",
        "scored: 21}",
        ERROR,
        "指标“准确率”的得分不应超过分值",
    ),
    # a weight the form states, missed: at the 一级指标
    (
        "score: 30, scored: 28",
        "score: 25, scored: 25",
        "- name: 效益指标",
        ERROR,
        "“效益指标”的分值 = 表样所定的 30 分",
    ),
    # the total row's 得分, at the total row
    ("scored: 97.5, grade", "scored: 96.5, grade", "total:", ERROR, "总分 = 各项得分之和"),
    # a rounding near miss of the total is a notice, as for amounts
    ("scored: 97.5, grade", "scored: 97.51, grade", "total:", NOTICE, "总分 = 各项得分之和"),
    # a stated grade the 总分 does not earn
    ("grade: 优", "grade: 良", "total:", ERROR, "写明的等级“良”与总分（总分行）97.5 分不符：按表样应为“优”"),
    # 执行率 recomputed by the form's formula (B/A), at its row
    ("rate: 95.00%", "rate: 96.00%", "{source: 年度资金总额", WARNING, "执行率（%）= 全年执行数 B ÷ 全年预算数 A"),
]


@pytest.mark.parametrize("old, new, needle, status, words", MUTATIONS, ids=[m[4][:16] for m in MUTATIONS])
def test_each_score_rule_reports_its_mistake_at_its_line(data_dir, old, new, needle, status, words):
    assert TEXT.count(old) == 1
    text = TEXT.replace(old, new)
    site, problems = loaded(data_dir, text)
    assert problems == []
    hits = [r for r in results_of(site) if words in r.explain()]
    assert hits and hits[0].status == status, [r.explain() for r in results_of(site) if r.status != OK]
    assert hits[0].mark.line == line_of(text, needle)


def test_a_rule_the_form_does_not_declare_is_not_run(data_dir):
    forms = data_dir / "forms" / "national-jixiao-2020.yaml"
    declared = forms.read_text(encoding="utf-8")
    forms.write_text(declared.replace("      - check: 权重\n", "", 1), encoding="utf-8")
    text = TEXT.replace("score: 30, scored: 28", "score: 25, scored: 25")
    site, problems = loaded(data_dir, text)
    assert problems == []
    assert not any("表样所定" in r.says for r in results_of(site))


# ---- the reference data, mutated: reported at the line; unchanged: nothing ----

WANGCHENG = "changsha-wangcheng-ybj/2020/juesuan.yaml"


@pytest.mark.parametrize(
    "old, new, words",
    [
        (
            "total: {score: 100, scored: 89.00}",
            "total: {score: 100, scored: 90.00}",
            "部门整体自评表：总分 = 各项得分之和",
        ),
        (
            '"参保群众满意度", target: ">=85%", actual: ">95%", score: 10, scored: 10}',
            '"参保群众满意度", target: ">=85%", actual: ">95%", score: 10, scored: 11}',
            "指标“部门整体”的得分不应超过分值",
        ),
        ("total: {score: 100, scored: 89.00}", "total: {score: 100, scored: 89.00, grade: 优}", "按表样应为“良”"),
    ],
)
def test_the_reference_tables_mutated_are_reported_at_the_line(tmp_path, old, new, words):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    path = data / WANGCHENG
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    site, problems = load_site(data)
    assert not problems.errors
    document = next(d for d in site.documents if d.bureau.slug == "changsha-wangcheng-ybj")
    errors = [r for r in check_document(document) if r.status == ERROR and words in r.explain()]
    assert errors, words
    assert errors[0].mark.line == place(text, old)[0] or "total" in old


DONGXIHU = "wuhan-dongxihu-ybj/2020/yusuan.yaml"
CHENGJU_PART = '{source: "其中: 财政拨款", budget: 5800, executed: 5800, transfer: 0, rate: 100.00%}'
CHENGJU_TOTAL = (
    '{source: "年度资金总额", budget: 5800, executed: 5800, transfer: 0, score: 10, rate: 100.00%, scored: 10.00}'
)
ENROLLED = '"资助参加城乡居民基本医疗保险人数", target: ">=3 万人", actual: "42.37 万人"'


def reference_results(data: Path, slug: str) -> list:
    site, problems = load_site(data)
    assert not problems.errors, problems.sorted()
    return check_document(next(d for d in site.documents if d.bureau.slug == slug))


def mutated_reference(tmp_path: Path, path: str, old: str, new: str) -> tuple[list, str]:
    """The reference data with one line of *path* changed: the results of that document, and its text."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    text = (data / path).read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    changed = text.replace(old, new)
    (data / path).write_text(changed, encoding="utf-8")
    return reference_results(data, path.split("/")[0]), changed


@pytest.mark.parametrize(
    "path, old, new, needle, status, words",
    [
        # a 执行率 changed: worked out again from A, B and C; one in its last digit is a near miss
        (WANGCHENG, CHENGJU_PART, CHENGJU_PART.replace("100.00%", "98.00%"), "5800, transfer: 0, rate: 98.00%}", WARNING,
         "资金情况“其中: 财政拨款”的执行率（%）= (全年执行数 B − 上级移动支付 C) ÷ 全年预算数 A：应为 100.00，表中为 98.00"),
        (WANGCHENG, CHENGJU_PART, CHENGJU_PART.replace("100.00%", "99.99%"), "5800, transfer: 0, rate: 99.99%}", NOTICE,
         "执行率（%）= (全年执行数 B − 上级移动支付 C) ÷ 全年预算数 A：应为 100.00，表中为 99.99，相差 -0.01，在尾数误差范围内"),
        # a 得分 above its 分值
        (WANGCHENG, '"参保对象满意度(%)", target: "100%", actual: "100%", score: 5, scored: 5}',
         '"参保对象满意度(%)", target: "100%", actual: "100%", score: 5, scored: 6}', '"参保对象满意度(%)"', ERROR,
         "指标“参保对象满意度(%)”的得分不应超过分值"),
        # a missed target with full marks, in the target's unit or one that converts into it
        (WANGCHENG, ENROLLED, ENROLLED.replace("42.37 万人", "2.37 万人"), ENROLLED[:20], WARNING,
         "指标“资助参加城乡居民基本医疗保险人数”的完成值 2.37 万人 未达到目标值 >=3 万人，却得满分 10"),
        (WANGCHENG, ENROLLED, ENROLLED.replace("42.37 万人", "29000 人"), ENROLLED[:20], WARNING,
         "的完成值 29000 人 未达到目标值 >=3 万人，却得满分 10"),
        # a deduction whose reason is left blank
        (WANGCHENG, ', reason: "上级加强了医保监管，迎检次数较上年增加"', "", '"在职人员控制率"', WARNING,
         "指标“在职人员控制率”扣了分（1 / 2），偏差原因却未填写"),
        # a 预算执行 得分 that is not 分值 × 执行率 (90 % of 10 is 9.00), or misses it by a cent
        (WANGCHENG, CHENGJU_TOTAL, CHENGJU_TOTAL.replace("rate: 100.00%", "rate: 90.00%"), "rate: 90.00%, scored: 10.00}", ERROR,
         "资金情况“年度资金总额”的得分 = 分值 10 × 执行率：应为 9.00，表中为 10.00"),
        (WANGCHENG, CHENGJU_TOTAL, CHENGJU_TOTAL.replace("rate: 100.00%, scored: 10.00", "rate: 90.00%, scored: 8.99"),
         "rate: 90.00%, scored: 8.99}", NOTICE, "得分 = 分值 10 × 执行率：应为 9.00，表中为 8.99，相差 -0.01，在尾数误差范围内"),
        # a part of the funds changed: the 年度资金总额 no longer their sum
        (WANGCHENG, CHENGJU_PART, CHENGJU_PART.replace("executed: 5800", "executed: 5700"), CHENGJU_TOTAL, ERROR,
         "资金情况“年度资金总额”的全年执行数 = 其中: 财政拨款：应为 5,700.00，表中为 5,800.00"),
        # 基本支出 printed equal to the whole, while 项目支出 is not zero
        (DONGXIHU, "{label: 基本支出, 当年金额: 658.97}", "{label: 基本支出, 当年金额: 2489.75}", "{label: 基本支出", ERROR,
         "支出构成当年金额“基本支出”等于“合计”，“项目支出”却不为零：部分不能等于整体"),
    ],
)  # fmt: skip
def test_the_reference_targets_and_funds_mutated_are_reported_at_the_line(
    tmp_path, path, old, new, needle, status, words
):
    results, text = mutated_reference(tmp_path, path, old, new)
    hits = [r for r in results if words in r.explain() and r.status == status]
    assert len(hits) == 1, [r.explain() for r in results if r.status != OK and isinstance(r.table, IndicatorTable)]
    assert hits[0].mark.line == line_of(text, needle)


@pytest.mark.parametrize(
    "scoring, status, words",
    [
        ("", WARNING, "表样未规定此时怎样计分，按满分核对）：应为 10.00，表中为 0.00"),
        ("      scoring: {above_full: cap}\n", ERROR, "（执行率超过 100%，按表样得满分）：应为 10.00，表中为 0.00"),
        ("      scoring: {above_full: zero}\n", OK, "（执行率超过 100%，按表样得 0 分）：0.00，相符"),
    ],
)
def test_a_rate_above_100_percent_scores_as_the_form_declares(tmp_path, scoring, status, words):
    """望城's 部门整体自评表 scores its 287 % 0.00 of 10: what the form says of such a rate decides."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    forms = data / "forms" / "hunan-jixiao-2020.yaml"
    old = "      parts: [[财政拨款, 其他资金]]\n"
    forms.write_text(forms.read_text(encoding="utf-8").replace(old, old + scoring, 1), encoding="utf-8")
    results = reference_results(data, "changsha-wangcheng-ybj")
    scored = [
        r for r in results if r.says.startswith("部门整体自评表：资金情况“年度资金总额”的得分 = 分值 10 × 执行率")
    ]
    text = (DATA / WANGCHENG).read_text(encoding="utf-8")
    assert [(r.status, r.mark.line) for r in scored] == [
        (status, line_of(text, '{source: "年度资金总额", budget: 10276'))
    ]
    assert words in scored[0].explain()


def test_the_unchanged_reference_tables_report_only_what_their_sources_print():
    site, _ = load_site(DATA)
    bad = [
        (r.mark.path.split("/")[1], r.mark.line, r.status, r.says)
        for d in site.documents
        for r in check_document(d)
        if isinstance(r.table, IndicatorTable) and r.status not in (OK,)
    ]
    wangcheng = (DATA / WANGCHENG).read_text(encoding="utf-8")
    total_row = line_of(wangcheng, '{source: "年度资金总额", budget: 10276')
    rate = "的执行率（%）= (全年执行数 B − 上级移动支付 C) ÷ 全年预算数 A"
    assert sorted(bad) == sorted(
        [
            # 望城's 部门整体自评表 prints 287.00% where 29525.64 ÷ 10276 gives 287.33% ...
            ("changsha-wangcheng-ybj", total_row - 1, WARNING, f"部门整体自评表：资金情况“财政拨款”{rate}"),
            ("changsha-wangcheng-ybj", total_row, WARNING, f"部门整体自评表：资金情况“年度资金总额”{rate}"),
            # ... and scores it 0.00 of 10: the Hunan form does not say what a rate above 100 % earns
            (
                "changsha-wangcheng-ybj",
                total_row,
                WARNING,
                "部门整体自评表：资金情况“年度资金总额”的得分 = 分值 10 × 执行率"
                "（执行率 287.00% 超过 100%，表样未规定此时怎样计分，按满分核对）",
            ),
            # two figures whose units do not convert: not compared
            (
                "changsha-wangcheng-ybj",
                line_of(wangcheng, '"医疗监督检查频次"'),
                UNCHECKED,
                "部门整体自评表：指标“医疗监督检查频次”的完成值 390次 达到目标值 ≥2次/周",
            ),
            (
                "changsha-wangcheng-ybj",
                line_of(wangcheng, '"城乡居民医疗保险财政配套"'),
                UNCHECKED,
                "部门整体自评表：指标“城乡居民医疗保险财政配套”的完成值 580元/人 达到目标值 550元/人/年",
            ),
            # 城居 参保人数: 424047 against a target of 426000 (read as 达到), yet its full 10 points
            (
                "changsha-wangcheng-ybj",
                line_of(wangcheng, '{name: "参保人数", target: "426000"'),
                WARNING,
                "公共专项绩效自评表：指标“参保人数”的完成值 424047 未达到目标值 426000，却得满分 10",
            ),
            # 东西湖's 申报表 prints a 支出构成 合计 of 2489.75 for 658.97 + 1839.78 = 2498.75 (published as printed)
            (
                "wuhan-dongxihu-ybj",
                line_of(
                    (DATA / "wuhan-dongxihu-ybj/2020/yusuan.yaml").read_text(encoding="utf-8"), "当年金额: 2489.75"
                ),
                ERROR,
                "部门整体支出绩效目标申报表：部门总体资金情况：支出构成“合计”当年金额 = 各项之和",
            ),
        ]
    )


# ---- tables that do not fit their form, and forms written wrong: Chinese, at path:line:col ----

MISFITS = [
    (
        "主管部门: 测试区医疗保障局",
        "主管单位: 测试区医疗保障局",
        "主管单位",
        "表样 项目支出绩效自评表 的表头没有“主管单位”",
    ),
    (
        "executed: 1900, score: 10",
        "executed: 1900, transfer: 50, score: 10",
        "{source: 年度资金总额",
        "资金情况没有“上级移动支付”（transfer）这一列",
    ),
    (
        "form: national-jixiao-2020:项目支出绩效自评表",
        "form: national-jixiao-2020:项目支出自评表",
        "national-jixiao-2020:项目支出自评表",
        "没有绩效表样 '项目支出自评表'（是不是要写 '项目支出绩效自评表'？）",
    ),
    (
        "form: national-jixiao-2020:项目支出绩效自评表",
        "form: hunan-juesuan-2020:公开01表",
        "hunan-juesuan-2020:公开01表",
        "没有绩效表样 '公开01表'",
    ),
    (
        "          facts:\n",
        "          stage: 申报\n          facts:\n",
        "stage: 申报",
        "是自评表，这张表却写了 stage: 申报",
    ),
    (
        "          facts:\n",
        "          columns: [level1, name, score]\n          facts:\n",
        "[level1, name, score]",
        "按表样的表不写 'columns'",
    ),
    (
        "grade: 优",
        "grade: 甲",
        "{score: 100, scored: 97.5, grade: 甲}",
        "等级 '甲' 不是表样 项目支出绩效自评表 的等级中的一档",
    ),
    (
        "            - name: 效益指标\n",
        "            - name: 效益指标\n              score: 30\n",
        "- name: 效益指标",
        "分值、得分写在各个指标上，不写在一级指标上：请移到各个指标",
    ),
    (
        "actual: 99%,",
        "actual: 99%, completion: 104.21%,",
        "{name: 准确率",
        "表样 项目支出绩效自评表 的指标表没有“完成率”（completion）这一列",
    ),
]


@pytest.mark.parametrize("old, new, needle, message", MISFITS, ids=[m[3][:20] for m in MISFITS])
def test_a_table_that_does_not_fit_its_form_is_reported_where_it_is_written(data_dir, old, new, needle, message):
    text = TEXT.replace(old, new, 1)
    _, problems = loaded(data_dir, text)
    hits = [p for p in problems if message in p]
    assert hits, problems
    line = line_of(text, needle)
    assert hits[0].startswith(f"{DOCUMENT_FILE}:{line}:"), hits


def test_a_misfit_never_suggests_a_form_set_of_another_kind(data_dir):
    _, problems = loaded(data_dir, TEXT.replace("national-jixiao-2020:", "national-jixiao-2019:"))
    (hit,) = [p.split(": ", 1)[1] for p in problems if "没有表样文件 'national-jixiao-2019'" in p]
    assert "juesuan" not in hit and "yusuan" not in hit and "jixiao-2020:" in hit


FORM_MISTAKES = [
    (
        "      rate: B/A\n      score: 10\n",
        "      rate: B/A\n      score: 20\n",
        "name: 项目支出绩效自评表",
        "加上资金情况的分值是 110，满分却是 100",
    ),
    (
        "        - {key: initial, label: 年初预算数}\n",
        "        - {key: initial, label: 年初预算数}\n        - {key: initial, label: 年初数}\n",
        "{key: initial, label: 年初数}",
        "资金情况的列 'initial' 写了两次",
    ),
    (
        "        - {key: budget, label: 全年预算数}\n",
        "",
        "      columns:\n        - {key: source, label: 项目资金（万元）}",
        "执行率按 B/A 算，资金情况却没有 全年预算数 这一列",
    ),
    (
        "      - {label: 实施单位}\n",
        "      - {label: 实施单位, role: choice, choices: [甲]}\n",
        "{label: 实施单位, role: choice",
        "choices 写印出的各个勾选项，至少两个",
    ),
    ("      - check: 权重\n", "      - check: 权数\n", "权数", "'权数' 不是可写的值"),
    (
        "    weights: {产出指标: 50, 效益指标: 30, 满意度指标: 10}\n",
        "    weights: {产出指标: 50, 效益指标: 30, 满意度指标: 10}\n    scores_at: level3\n",
        "scores_at: level3",
        "'level3' 不是可写的值",
    ),
    ("      - check: 执行率\n", "      - check: 完成率\n", "check: 完成率", "完成率规则要有完成率一列"),
    (
        "      parts: [[当年财政拨款, 上年结转资金, 其他资金]]\n",
        "",
        "check: 资金合计",
        "资金合计规则要知道哪几行加起来等于合计",
    ),
    (
        "      total: 年度资金总额\n",
        "",
        "      columns:\n        - {key: source, label: 项目资金（万元）}",
        "写了 parts（加起来等于合计的几行），却没有写 total",
    ),
    (
        "      score: 10\n",
        "      score: 10\n      scoring: {above_full: half}\n",
        "half",
        "'half' 不是可写的值",
    ),
]


@pytest.mark.parametrize("old, new, needle, message", FORM_MISTAKES, ids=[m[3][:16] for m in FORM_MISTAKES])
def test_a_form_written_wrong_is_reported_at_its_line(data_dir, old, new, needle, message):
    path = data_dir / "forms" / "national-jixiao-2020.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1
    broken = text.replace(old, new, 1)
    path.write_text(broken, encoding="utf-8")
    _, problems = load_site(data_dir)
    hits = [p for p in problems.sorted() if message in str(p)]
    assert hits, [str(p) for p in problems.sorted()]
    assert hits[0].mark.path.endswith("forms/national-jixiao-2020.yaml")
    assert hits[0].mark.line == place(broken, needle)[0]


def test_check_says_it_in_chinese_and_exits_1_without_a_traceback(data_dir):
    write(data_dir / DOCUMENT_FILE, TEXT.replace("grade: 优", "grade: 良"))
    path = data_dir / "forms" / "national-jixiao-2020.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("role: choice", "role: 勾选", 1), encoding="utf-8")
    done = run_generator("check", "--no-cache", str(data_dir), cwd=ROOT)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert re.search(r"juesuan\.yaml:\d+:\d+: 错误：.*写明的等级“良”与总分", done.stdout + done.stderr)


# ---- the example of docs/form-sets.md: a new province's variant by YAML alone ----


def documented_example() -> tuple[str, str]:
    """The form set and the table docs/form-sets.md shows, as written there."""
    text = (ROOT / "docs" / "form-sets.md").read_text(encoding="utf-8")
    start = text.index("<!-- 例子：tests/test_indicator_forms.py")
    form_set, table = re.findall(r"```yaml\n(.*?)```", text[start:], re.S)[:2]
    return form_set, table


def example_document(table: str) -> str:
    head = "title: 2021年度测试区医疗保障局项目支出绩效自评\nkind: 绩效\nyear: 2020\nparts:\n  - title: 附件\n"
    head += "    sections:\n      - title: 项目支出绩效自评表\n"
    return head + textwrap.indent(table, "        ")


def test_the_documented_variant_loads_checks_and_prints_its_merged_scores(data_dir):
    form_set, table = documented_example()
    write(data_dir / "forms" / "mousheng-jixiao-2021.yaml", form_set)
    text = example_document(table)
    site, problems = loaded(data_dir, text)
    assert problems == []
    results = results_of(site)
    assert results and all(r.status == OK for r in results), [r.explain() for r in results if r.status != OK]
    says = " ".join(r.says for r in results)
    assert "表头的总分 = 总分行的得分" in says and "“产出指标”的分值 = 表样所定的 40 分" in says
    table_model = only_table(site)
    html = str(render_indicator_table(table_model))
    # the 一级指标's 分值 and 得分: one cell merged over the group's rows, as printed
    assert '<td class="gk-num gk-score gk-merged" data-label="分值">40</td>' in html
    assert "执行率（B/A）" in html and "得分（20 分*执行率）" in html and "☑常年性项目" in html
    assert html.index("gk-indicators") < html.index("gk-goals")  # its goals after the indicators
    # the downloads: the group's points on a row of the group, not on its first indicator
    indicators = table_data(table_model, "t", site.documents[0]).blocks[-1]
    assert indicators.rows[0][:3] == ["产出指标", None, None] and indicators.rows[0][5:7] == [40, 38]
    assert indicators.rows[1][2] == "救助人次" and indicators.rows[1][5:7] == [None, None]
    # the overview: 自评得分 and the grade the table states
    figure = headline(site.documents[0], "x.md").figures[0]
    assert (figure.amount, figure.grade, figure.grade_stated) == (Decimal(93), "优", True)


@pytest.mark.parametrize(
    "old, new, needle, words",
    [
        ("      scored: 38\n", "      scored: 41\n", "- name: 产出指标", "“产出指标”的得分不应超过分值"),
        ("总分: 93}", "总分: 94}", "94}", "表头的总分 = 总分行的得分"),
        ("scored: 19}", "scored: 21}", "{source: 年度资金总额", "资金情况“年度资金总额”的得分不应超过分值"),
    ],
)
def test_the_documented_variant_reports_its_mistakes(data_dir, old, new, needle, words):
    form_set, table = documented_example()
    write(data_dir / "forms" / "mousheng-jixiao-2021.yaml", form_set)
    text = example_document(table).replace(old, new, 1)
    site, problems = loaded(data_dir, text)
    assert problems == []
    hits = [r for r in results_of(site) if words in r.explain() and r.status == ERROR]
    assert hits, [r.explain() for r in results_of(site) if r.status != OK]
    assert hits[0].mark.line == line_of(text, needle)


def with_completion(data_dir: Path) -> None:
    """The national 项目支出绩效自评表 as a province prints it with a 完成率 column, checked."""
    path = data_dir / "forms" / "national-jixiao-2020.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "      - {actual: 实际完成值}\n", "      - {actual: 实际完成值}\n      - {completion: 完成率}\n", 1
    )
    path.write_text(text.replace("      - check: 目标完成\n", "      - check: 目标完成\n      - check: 完成率\n", 1))


COMPLETED = (
    TEXT.replace("actual: 3100人次,", "actual: 3100人次, completion: 103.33%,")
    .replace("actual: 99%,", "actual: 99%, completion: 104.21%,")
    .replace("actual: 95%,", "actual: 95%, completion: 105.56%,")
)


@pytest.mark.parametrize(
    "old, new, needle, status, words",
    [
        (None, None, "{name: 救助人次", OK, "的完成率（%）= 完成值 3100人次 ÷ 目标值 ≥3000人次：103.33，相符"),
        # 完成率 printed for 完成值 ÷ 目标值 that gives another figure
        ("completion: 103.33%", "completion: 120.00%", "{name: 救助人次", ERROR, "应为 103.33，表中为 120.00"),
        # rounded as printed: 104.2% is right to one decimal, 104.3% a near miss
        ("completion: 104.21%", "completion: 104.2%", "{name: 准确率", OK, "：104.20，相符"),
        ("completion: 104.21%", "completion: 104.3%", "{name: 准确率", NOTICE, "应为 104.20，表中为 104.30"),
        ("completion: 104.21%", "completion: 104.22%", "{name: 准确率", NOTICE, "应为 104.21，表中为 104.22，相差 0.01"),
        # the 完成值 in 人次 and the target in 万人次: converted
        ("target: ≥3000人次, actual: 3100人次", "target: ≥0.3万人次, actual: 3100人次", "{name: 救助人次", OK,
         "：103.33，相符"),
        ("target: 有效减轻, actual: 有效减轻,", "target: 有效减轻, actual: 有效减轻, completion: 100%,",
         "{name: 困难群众负担减轻", UNCHECKED, "无法核对（目标值不是一个数）"),
        ("actual: 3100人次, completion", "actual: 3100次, completion", "{name: 救助人次", UNCHECKED,
         "无法核对（完成值的单位“次”与目标值的单位“人次”不能换算）"),
    ],
)  # fmt: skip
def test_a_printed_completion_rate_is_worked_out_again(data_dir, old, new, needle, status, words):
    with_completion(data_dir)
    text = COMPLETED if old is None else COMPLETED.replace(old, new, 1)
    assert old is None or COMPLETED.count(old) == 1
    site, problems = loaded(data_dir, text)
    assert problems == []
    rates = [r for r in results_of(site) if "的完成率（%）" in r.says]
    hits = [r for r in rates if r.status == status and words in r.explain()]
    assert len(hits) == 1, [r.explain() for r in rates]
    assert hits[0].mark.line == line_of(text, needle)
    if old is None:
        assert [r.status for r in rates] == [OK, OK, OK]
        html = str(render_indicator_table(only_table(site)))
        assert '<th scope="col">完成率</th>' in html and '<td data-label="完成率">103.33%</td>' in html


@pytest.mark.parametrize(
    "scored, status, words",
    [
        ("38", OK, "指标“救助人次”的完成值 2900人次 未达到目标值 ≥3000人次，所在的“产出指标”已扣分"),
        ("40", WARNING, "指标“救助人次”的完成值 2900人次 未达到目标值 ≥3000人次，所在的“产出指标”却得满分 40"),
    ],
)
def test_a_missed_target_under_a_merged_score_is_judged_by_its_group(data_dir, scored, status, words):
    form_set, table = documented_example()
    rules = "    rules:\n"
    write(
        data_dir / "forms" / "mousheng-jixiao-2021.yaml", form_set.replace(rules, rules + "      - check: 目标完成\n")
    )
    text = example_document(table).replace("      scored: 38\n", f"      scored: {scored}\n", 1)
    site, problems = loaded(data_dir, text)
    assert problems == []
    hits = [r for r in results_of(site) if "救助人次" in r.says]
    assert [(r.status, r.says.split("：", 1)[1]) for r in hits] == [(status, words)]
    assert hits[0].mark.line == line_of(text, "{name: 救助人次")


def test_a_form_printing_subtotals_and_leaves_checks_each_group_against_its_rows(data_dir):
    form_set, table = documented_example()
    write(
        data_dir / "forms" / "mousheng-jixiao-2021.yaml",
        form_set.replace("scores_at: level1", "scores_at: [level1, leaf]"),
    )
    scored = table.replace("actual: 2900人次}", "actual: 2900人次, score: 40, scored: 38}")
    scored = scored.replace("actual: 有效减轻}", "actual: 有效减轻, score: 30, scored: 28}")
    scored = scored.replace("actual: 92%}", "actual: 92%, score: 10, scored: 8}")
    site, problems = loaded(data_dir, example_document(scored))
    assert problems == []
    results = results_of(site)
    sums = [r for r in results if "其下各项" in r.says]
    assert len(sums) == 6 and all(r.status == OK for r in sums), [r.explain() for r in results if r.status != OK]
    html = str(render_indicator_table(only_table(site)))
    assert "产出指标（40 分，得分 38）" in html and "gk-merged" not in html  # a subtotal beside its name
    # a subtotal that its rows do not add up to, at the group's line
    text = example_document(scored).replace("      scored: 38\n", "      scored: 37\n", 1)
    site, _ = loaded(data_dir, text)
    (miss,) = [r for r in results_of(site) if "“产出指标”的得分 = 其下各项得分之和" in r.says]
    assert (miss.status, miss.expected, miss.found) == (ERROR, 38, 37)
    assert miss.mark.line == line_of(text, "- name: 产出指标")


def test_the_rate_is_recomputed_by_the_formula_the_form_declares(data_dir):
    # (B − C) ÷ A = (1950 − 50) ÷ 2000 = 95.00%, as printed; B ÷ A would be 97.50%
    site, _ = loaded(data_dir, SELF_EVALUATION)
    table = only_table(site)
    by_c = check_rates(site.documents[0], table, "(B-C)/A")
    by_a = check_rates(site.documents[0], table, "B/A")
    assert (by_c[0].status, by_c[0].expected) == (OK, Decimal("95.00"))
    assert (by_a[0].status, by_a[0].expected) == (WARNING, Decimal("97.50"))


def test_a_ticked_box_the_form_does_not_print_is_reported_at_its_line(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    path = data / "wuhan-dongxihu-ybj/2020/yusuan.yaml"
    text = path.read_text(encoding="utf-8").replace("项目类型: 一次性项目", "项目类型: 临时项目", 1)
    path.write_text(text, encoding="utf-8")
    _, problems = load_site(data)
    (hit,) = [p for p in problems.sorted() if "“项目类型”写勾选的一项" in p.message]
    assert "一次性项目、常年性项目、延续性项目 之一" in hit.message and "'临时项目'" in hit.message
    assert hit.mark.line == place(text, "临时项目")[0]


def test_a_key_written_wrong_in_a_form_leaves_the_rest_of_the_form_declared(data_dir):
    path = data_dir / "forms" / "national-jixiao-2020.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    total: {label: 总分, score: 100}\n", "    total: 100\n", 1), encoding="utf-8")
    site, problems = loaded(data_dir, NATIONAL)
    assert [p for p in problems if "national-jixiao-2020.yaml" in p] and not [p for p in problems if "juesuan" in p]
    assert only_table(site).form.name == "项目支出绩效自评表"  # its tables are still on it, not refused


def test_a_table_printing_only_its_scores_keeps_its_total_row(data_dir):
    # a 评分表 of 评分 without a 分值 column: its total row is printed, not silently dropped
    text = NATIONAL.replace("form: national-jixiao-2020:项目支出绩效自评表", "stage: 自评\n          title: 评分表")
    text = text.replace(
        "          facts:\n            项目名称: 城乡医疗救助\n            主管部门: 测试区医疗保障局\n", ""
    )
    text = text.replace("          funds:\n", "          columns: [level1, level2, name, scored]\n          funds:\n")
    text = re.sub(r", score: \d+(?=, scored)", "", text).replace(
        "total: {score: 100, scored: 97.5, grade: 优}", "total: {scored: 97.5}"
    )
    text = text.replace(
        "{source: 年度资金总额, initial: 2000, budget: 2000, executed: 1900, score: 10, rate: 95.00%, scored: 9.5}",
        "{source: 年度资金总额, budget: 2000, executed: 1900, rate: 95.00%, scored: 9.5}",
    )
    site, problems = loaded(data_dir, text)
    assert problems == []
    table = only_table(site)
    html = str(render_indicator_table(table))
    assert (
        '<th scope="row" colspan="3" class="gk-total">总分</th><td class="gk-num gk-scored" data-label="得分">97.5</td>'
        in html
    )
    rows = table_data(table, "t", site.documents[0]).blocks[-1].rows
    assert rows[-1] == ["总分", None, None, 97.5]


def test_a_grade_stated_in_the_header_is_checked_against_the_bands(data_dir):
    path = data_dir / "forms" / "national-jixiao-2020.yaml"
    forms = path.read_text(encoding="utf-8")
    path.write_text(
        forms.replace(
            "      - {label: 实施单位}\n", "      - {label: 实施单位}\n      - {label: 自评等级, role: grade}\n", 1
        )
    )
    text = TEXT.replace(
        "            主管部门: 测试区医疗保障局\n", "            主管部门: 测试区医疗保障局\n            自评等级: 良\n"
    )
    text = text.replace(", grade: 优}", "}")
    site, problems = loaded(data_dir, text)
    assert problems == []
    (grade,) = [r for r in results_of(site) if "写明的等级" in r.says]
    assert grade.status == ERROR and "按表样应为“优”" in grade.says
    assert grade.mark.line == line_of(text, "自评等级: 良")


def test_a_merged_score_spans_every_row_of_its_group_and_no_row_repeats_it(data_dir):
    form_set, table = documented_example()
    write(data_dir / "forms" / "mousheng-jixiao-2021.yaml", form_set)
    two = table.replace(
        "            - {name: 救助人次, target: ≥3000人次, actual: 2900人次}\n",
        "            - {name: 救助人次, target: ≥3000人次, actual: 2900人次}\n"
        "            - {name: 救助金发放, target: 按月发放, actual: 按月发放}\n",
    )
    site, problems = loaded(data_dir, example_document(two))
    assert problems == []
    html = str(render_indicator_table(only_table(site)))
    assert '<td class="gk-num gk-score gk-merged" rowspan="2" data-label="分值">40</td>' in html
    second = html[html.index("救助金发放") : html.index("</tr>", html.index("救助金发放"))]
    assert "gk-num" not in second  # its 分值/得分 are the merged cells above, not its own


def test_scores_merged_per_second_level_group(data_dir):
    form_set, table = documented_example()
    write(data_dir / "forms" / "mousheng-jixiao-2021.yaml", form_set.replace("scores_at: level1", "scores_at: level2"))
    moved = table
    for name, score, scored in (("产出指标", 40, 38), ("效益指标", 30, 28), ("满意度指标", 10, 8)):
        moved = moved.replace(
            f"    - name: {name}\n      score: {score}\n      scored: {scored}\n", f"    - name: {name}\n"
        )
    moved = moved.replace(
        "        - name: 数量指标\n", "        - name: 数量指标\n          score: 40\n          scored: 38\n"
    )
    moved = moved.replace(
        "        - name: 社会效益指标\n", "        - name: 社会效益指标\n          score: 30\n          scored: 28\n"
    )
    moved = moved.replace(
        "        - name: 服务对象满意度指标\n",
        "        - name: 服务对象满意度指标\n          score: 10\n          scored: 8\n",
    )
    site, problems = loaded(data_dir, example_document(moved))
    assert problems == []
    results = results_of(site)
    assert all(r.status == OK for r in results), [r.explain() for r in results if r.status != OK]
    assert any("“产出指标”的分值 = 表样所定的 40 分" in r.says for r in results)  # the 二级 cells add up to the weight
    html = str(render_indicator_table(only_table(site)))
    assert '<td class="gk-num gk-score gk-merged" data-label="分值">40</td>' in html
    # a score left on the 一级 group of a form that prints them per 二级 is refused there
    wrong = moved.replace("    - name: 效益指标\n", "    - name: 效益指标\n      score: 30\n", 1)
    _, problems = loaded(data_dir, example_document(wrong))
    assert [p for p in problems if "写在二级指标上，不写在一级指标上" in p]
