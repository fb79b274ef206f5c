"""What a 绩效 report states in its prose and its dates, against its 自评表 (check/report_prose.py,
check/dates.py): a stated 自评得分 or 等级 that contradicts the table is an error at the sentence's
section; a rate, 满意度 or amount that differs, a 填报日期 in the year evaluated, a signature and a
table dated in different years and a title naming another year are warnings at their lines. The
words are declared (`prose:` of a form, over the defaults): a form's own synonym is read too.
"""

from __future__ import annotations

import shutil
import textwrap

import pytest

from generator.check.dates import check_dates
from generator.check.report_prose import check_report_prose
from generator.core.model import DEFAULT_PROSE
from generator.core.results import ERROR, NOTICE, OK, UNCHECKED, WARNING
from generator.load.loader import load_site

from helpers import DATA, DOCUMENT_FILE, ROOT, place, write

# A province's 项目支出绩效自评表 whose reports call the 总分 考评得分: declared, not known.
FORM_SET = """
name: 测试省绩效自评表（2020）
kinds: [绩效]
indicator_forms:
  - name: 项目支出绩效自评表
    title: 项目支出绩效自评表
    stage: 自评
    facts:
      - {label: 项目名称}
      - {label: 填报日期, role: date}
    funds:
      columns:
        - {key: source, label: 资金来源}
        - {key: budget, label: 全年预算数（A）}
        - {key: executed, label: 全年执行数（B）}
        - {key: rate, label: 执行率（B/A）}
      rate: B/A
    columns: [{level1: 一级指标}, {level2: 二级指标}, {name: 三级指标}, {target: 年度指标值}, {actual: 实际完成值}, score, scored]
    total: {label: 总分, score: 100}
    prose:
      - {words: [考评得分], figure: total}
    rules:
      - check: 总分
"""

REPORT = """
title: 2020年度测试区医疗保障局项目支出绩效自评
kind: 绩效
year: 2020
parts:
  - title: 城乡医疗救助项目支出绩效自评报告
    sections:
      - title: 一、自评结论
        body: |
          本项目预算数200万元，全年执行数190万元，预算执行率95%。服务对象满意度为92%。考评得分为93分，评价等级为优。

          测试区医疗保障局

          2021年3月8日
      - title: 项目支出绩效自评表
        table:
          id: xm-zpb
          form: ceshi-jixiao-2020:项目支出绩效自评表
          facts: {项目名称: 城乡医疗救助, 填报日期: 2021年3月5日}
          funds:
            - {source: 年度资金总额, budget: 200, executed: 190, rate: 95.00%}
          indicators:
            - name: 产出指标
              items:
                - name: 数量指标
                  items:
                    - {name: 救助人次, target: ≥3000人次, actual: 3100人次, score: 60, scored: 60}
            - name: 满意度指标
              items:
                - name: 服务对象满意度指标
                  items:
                    - {name: 服务对象满意度, target: ≥90%, actual: 92%, score: 40, scored: 33}
          total: {score: 100, scored: 93}
"""
TEXT = textwrap.dedent(REPORT).lstrip("\n")
SECTION = "title: 一、自评结论"


def checked(data_dir, text: str) -> list:
    write(data_dir / "forms" / "ceshi-jixiao-2020.yaml", FORM_SET)
    write(data_dir / DOCUMENT_FILE, text)
    site, problems = load_site(data_dir)
    assert not problems.items, [str(p) for p in problems.items]
    document = site.documents[0]
    return check_report_prose(document) + check_dates(document)


def test_a_report_that_agrees_with_its_table_checks_out(data_dir):
    results = checked(data_dir, TEXT)
    assert all(r.status == OK for r in results), [r.explain() for r in results if r.status != OK]
    says = " ".join(r.explain() for r in results)
    for stated in ("预算数200万元", "全年执行数190万元", "预算执行率95%", "满意度92%", "考评得分93分", "评价等级“优”"):
        assert stated in says, stated
    assert "填报日期 2021年3月5日 与报告的落款日期 2021年3月8日 在同一年" in says


@pytest.mark.parametrize(
    "old, new, needle, status, words",
    [
        ("考评得分为93分", "考评得分为94分", SECTION, ERROR, "考评得分94分 与项目支出绩效自评表总分（总分行）"),
        ("考评得分为93分", "考评得分为93.4分", SECTION, NOTICE, "考评得分93.4分"),
        ("评价等级为优", "评价等级为良好", SECTION, ERROR, "评价等级“良好”与项目支出绩效自评表总分 93 分按表样所在的档次“优”不符"),
        ("满意度为92%", "满意度为95%", SECTION, WARNING, "满意度95% 与项目支出绩效自评表指标“服务对象满意度”的完成值"),
        ("预算数200万元", "预算数210万元", SECTION, WARNING, "预算数210万元 与项目支出绩效自评表资金情况“年度资金总额”"),
        ("预算执行率95%", "预算执行率96%", SECTION, WARNING, "预算执行率96%"),
        ("填报日期: 2021年3月5日", "填报日期: 2020年3月5日", "2020年3月5日", WARNING, "不在所评价的 2020 年之后"),
        ("          2021年3月8日", "          2022年1月8日", "2021年3月5日", WARNING, "不在同一年"),
        ("id: xm-zpb\n", "id: xm-zpb\n          title: 2019年度项目支出绩效自评表\n", "id: xm-zpb", WARNING, "标题中写的是 2019 年"),
    ],
)  # fmt: skip
def test_a_report_contradicting_its_table_is_reported_at_the_line(data_dir, old, new, needle, status, words):
    text = TEXT.replace(old, new, 1)
    hits = [r for r in checked(data_dir, text) if words in r.explain()]
    assert [r.status for r in hits] == [status], [r.explain() for r in hits]
    assert hits[0].mark.line == place(text, needle)[0]


def test_a_word_that_states_no_grade_or_a_bound_is_not_read(data_dir):
    text = TEXT.replace("评价等级为优。", "等级评定工作按时完成，满意度达到90%以上。")
    results = checked(data_dir, text)
    assert not [r for r in results if "等级" in r.says or "满意度90%" in r.says]


def test_a_report_with_no_table_to_read_against_is_unchecked(data_dir):
    head, _, _ = TEXT.partition("      - title: 项目支出绩效自评表\n")
    results = checked(data_dir, head)
    stated = [r for r in results if "考评得分" in r.says or "评价等级" in r.says]
    # 考评得分 is a word of the form, which no table of this report is on: only the defaults are read
    assert [r.status for r in stated] == [UNCHECKED]


@pytest.mark.parametrize(
    "whole, stated, status",
    [(True, "93", OK), (True, "90", ERROR), (False, "93", UNCHECKED)],
)
def test_prose_outside_every_report_is_read_against_the_table_of_the_whole(data_dir, whole, stated, status):
    form_set = FORM_SET.replace(
        "    stage: 自评\n", "    stage: 自评\n    whole: true\n" if whole else "    stage: 自评\n"
    )
    write(data_dir / "forms" / "ceshi-jixiao-2020.yaml", form_set)
    general = f"  - title: 总述\n    body: 本局整体支出自评得分为{stated}分。\n"
    text = TEXT.replace("parts:\n", "parts:\n" + general, 1)
    write(data_dir / DOCUMENT_FILE, text)
    site, problems = load_site(data_dir)
    assert not problems.items, [str(p) for p in problems.items]
    hits = [r for r in check_report_prose(site.documents[0]) if f"自评得分{stated}分" in r.says]
    assert [(r.status, r.mark.line) for r in hits] == [(status, place(text, "title: 总述")[0])]


def test_a_prose_word_declared_wrong_is_reported_at_its_line(data_dir):
    form_set = FORM_SET.replace(
        "{words: [考评得分], figure: total}", "{words: [考评得分], figure: total, columns: [budget]}"
    )
    write(data_dir / "forms" / "ceshi-jixiao-2020.yaml", form_set)
    write(data_dir / DOCUMENT_FILE, TEXT)
    _, problems = load_site(data_dir)
    messages = [str(p) for p in problems.items]
    line = place(textwrap.dedent(form_set).lstrip("\n"), "{words: [考评得分]")[0]
    assert any(f"ceshi-jixiao-2020.yaml:{line}:" in m and "columns 只用于 figure: funds" in m for m in messages), (
        messages
    )


def test_the_form_set_guide_lists_every_default_word():
    text = (ROOT / "docs" / "form-sets.md").read_text(encoding="utf-8")
    section = text[text.index("### 报告正文中的数字和日期") :]
    listed = section[section.index("程序默认的词是") : section.index("`prose` 写的词")]
    missing = [
        w for figure in DEFAULT_PROSE for w in figure.words if not any(f"{w}{after}" in listed for after in "、；（")
    ]
    assert not missing


# ---- the reference data: mutated, reported at the line; unchanged, only what the sources print ----

WANGCHENG = "changsha-wangcheng-ybj/2020/juesuan.yaml"
DONGXIHU = "wuhan-dongxihu-ybj/2020/yusuan.yaml"
YUHUA = "changsha-yuhua-ybj/2020/jixiao.yaml"
CONCLUSION = "- title: 五、主要经验及做法、存在的问题及原因分析"


def reference_results(data, slug: str) -> list:
    site, problems = load_site(data)
    assert not problems.errors
    document = next(d for d in site.documents if d.bureau.slug == slug)
    return check_report_prose(document) + check_dates(document)


@pytest.mark.parametrize(
    "path, old, new, needle, status, words",
    [
        (WANGCHENG, "综合自评结论为：优。", "综合自评结论为：良。", CONCLUSION, ERROR, "自评结论“良”与公共专项绩效自评表总分 100.00 分"),
        (WANGCHENG, "综合自评结论为：优。", "综合自评得分为98分，综合自评结论为：优。", CONCLUSION, ERROR, "自评得分98分 与公共专项绩效自评表总分（总分行）"),
        (DONGXIHU, "填报日期: 2019 年 12 月 23 日", "填报日期: 2020 年 12 月 23 日", None, OK, "填报日期 2020 年 12 月 23 日 不在所申报的"),
        (DONGXIHU, "填报日期: 2019 年 12 月 23 日", "填报日期: 2021 年 1 月 23 日", "2021 年 1 月", WARNING, "2021 年 1 月 23 日 在所申报的 2020 年之后"),
        (YUHUA, "title: 2021年度部门整体支出绩效自评工作考核评分表", "title: 2019年度部门整体支出绩效自评工作考核评分表", "id: kaohe-pingfen", WARNING, "标题中写的是 2019 年"),
    ],
)  # fmt: skip
def test_the_reference_reports_mutated_are_reported_at_the_line(tmp_path, path, old, new, needle, status, words):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    text = (data / path).read_text(encoding="utf-8")
    assert text.count(old) >= 1
    text = text.replace(old, new, 1)
    (data / path).write_text(text, encoding="utf-8")
    hits = [r for r in reference_results(data, path.split("/")[0]) if words in r.explain()]
    assert [r.status for r in hits] == [status], [r.explain() for r in hits]
    if needle is not None:
        assert hits[0].mark.line == place(text, needle)[0]


def test_the_unchanged_reference_reports_find_only_what_their_sources_print():
    site, _ = load_site(DATA)
    found = sorted(
        (r.mark.path.split("/")[1], r.status, r.explain())
        for d in site.documents
        for r in check_report_prose(d) + check_dates(d)
        if r.status != OK
    )
    assert found == [
        # seed 000 prints 预算执行率 100% in the 部门整体 report, and 287.00% in its table
        (
            "changsha-wangcheng-ybj",
            WARNING,
            "“（一）运行成本有效控制”中的 预算执行率100% 与部门整体自评表资金情况“财政拨款”的执行率："
            "应为 287.00，文中为 100.00，相差 -187.00",
        ),
        # seed 002's 12345 hotline 满意率: 雨花 prints no 部门整体自评表 to read it against
        (
            "changsha-yuhua-ybj",
            UNCHECKED,
            "“三、部门整体支出绩效情况”中的 满意率100% 与自评表中的完成值：无法核对（所需数字未公开或表缺失）",
        ),
        # seed 001 states its grade (自评等级“良好”) in prose only, with no 自评表 to read it against
        (
            "shaoyang-beita-ybj",
            UNCHECKED,
            "“（五）评价结论”中写明的自评等级“良好”与自评表的等级：无法核对（所需数字未公开或表缺失）",
        ),
    ]
    oks = [r.explain() for d in site.documents for r in check_report_prose(d) if r.status == OK]
    assert len([s for s in oks if "综合自评结论“优”" in s or "自评结论“优”与公共专项绩效自评表" in s]) == 2, oks
