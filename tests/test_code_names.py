"""Auditor's check 19 (docs/auditor-rules.md): a 科目编码 names one 科目 wherever it is printed, in
the document's tables and in the bureau's other documents of the year (check/arithmetic.py,
check_code_names). 东西湖's 预算 prints 2210202 as 房租补贴 in 表3 and 提租补贴 in 表5, and 2101606
for two 科目 in 表5, which declares no `tree` to find a code printed twice."""

from __future__ import annotations

from generator.core.results import WARNING

from helpers import BASE, DATA, DONGXIHU, RECORD_BUDGET_2020, WANGCHENG, found, mutated, place, write

WORDS = ("同一编码应是同一科目",)
SAYS = "科目编码 {code} 在{first}中是“{one}”，在{then}中是“{other}”：同一编码应是同一科目，请照原件核对编码和名称"


def test_the_reference_tables_print_two_codes_with_two_names():
    assert found(DATA, WANGCHENG, *WORDS) == []
    assert found(DATA, DONGXIHU, *WORDS) == [
        (WARNING, 317, SAYS.format(code="2101606", first="表5", one="医疗保障政策管理", then="表5", other="医疗保障经办事务")),
        (WARNING, 322, SAYS.format(code="2210202", first="表3", one="房租补贴", then="表5", other="提租补贴")),
    ]  # fmt: skip


def test_a_name_changed_in_one_table_is_a_warning_at_its_row(tmp_path):
    row = "科目名称: 行政单位医疗, 本年支出合计: 18.92"
    data, text = mutated(tmp_path, WANGCHENG, row, row.replace("行政单位", "事业单位"))
    line = place(text, row)[0]
    assert found(data, WANGCHENG, *WORDS) == [
        (WARNING, line, SAYS.format(code="2101101", first="公开02表", one="行政单位医疗", then="公开03表", other="事业单位医疗"))
    ]  # fmt: skip


def test_a_name_cut_short_in_its_cell_is_the_same_name(tmp_path):
    row = "科目名称: 行政单位医疗, 本年支出合计: 18.92"
    data, _ = mutated(tmp_path, WANGCHENG, row, row.replace("行政单位医疗", "行政单位医"))
    assert found(data, WANGCHENG, *WORDS) == []


def test_another_document_of_the_year_naming_the_code_otherwise_is_a_warning(data_dir):
    # the minimal 决算 prints 208 社会保障和就业支出 in its 公开02表; the 预算 of the year calls 208 otherwise
    budget = RECORD_BUDGET_2020.replace('"210", 科目名称: 卫生健康支出', '"208", 科目名称: 卫生健康支出')
    write(data_dir / "ceshi-ybj/2020/yusuan.yaml", budget)
    found_here = found(data_dir, "ceshi-ybj/2020/juesuan.yaml", *WORDS)
    says = "科目编码 208 在公开02表中是“社会保障和就业支出”，在2020年部门预算的表6中是“卫生健康支出”"
    assert [(status, says_) for status, _, says_ in found_here] == [
        (WARNING, says + "：同一编码应是同一科目，请照原件核对编码和名称")
    ]
    assert found_here[0][1] == place(BASE, '科目编码: "208"')[0]
