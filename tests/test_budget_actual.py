"""决算 against 预算 in prose (check/budget_actual.py): the share, the relation and the reason a
sentence states, against the two figures it names.

Mutations of the reference data are reported at the title of their section; the unchanged data
gives only what the original prints.
"""

from __future__ import annotations

import pytest

from generator.check.budget_actual import check_budget_actual
from generator.core.results import NOTICE, OK, WARNING

from helpers import DATA, WANGCHENG, checked, mutated, place

DETAIL = '- title: "（三）财政拨款支出决算具体情况"'
RUNNING = '- title: "九、关于机关运行经费支出说明"'
SAN_GONG = '- title: "（一）“三公”经费财政拨款支出决算总体情况说明"'
ITEM = "年初预算为1500.00万元，支出决算为315.94万元，完成年初预算的21.06%，决算数小于年初预算数的主要原因是：预算实际下达的科目与预算批复的科目不一致。"
RECEPTION = "公务接待费支出预算为2.29万元，支出决算为2.29万元，完成预算的100.00%，决算数与预算数一致"
FORMS = "forms/hunan-juesuan-2020.yaml"


def results_of(data):
    return checked(data, WANGCHENG, check=check_budget_actual)


def edited(tmp_path, old, new, forms_tail=""):
    data, text = mutated(tmp_path, WANGCHENG, old, new)
    if forms_tail:
        forms = data / FORMS
        forms.write_text(forms.read_text(encoding="utf-8") + forms_tail, encoding="utf-8")
    return text, results_of(data)


@pytest.mark.parametrize(
    "old, new, needle, status, words",
    [
        (ITEM, ITEM.replace("21.06%", "21.60%"), DETAIL, WARNING, "完成预算的 21.60%（预算 1,500.00 万元、决算 315.94 万元）：应为 21.06"),
        (ITEM, ITEM.replace("21.06%", "21.07%"), DETAIL, NOTICE, "完成预算的 21.07%"),
        (ITEM, ITEM.replace("21.06%", "21.1%"), DETAIL, OK, "完成预算的 21.1%"),
        (ITEM, ITEM.replace("决算数小于", "决算数大于"), DETAIL, WARNING, "决算数大于年初预算数（预算 1,500.00 万元、决算 315.94 万元）：按这两个数，决算数小于预算数"),
        (ITEM, ITEM.replace("1500.00", "300.00"), DETAIL, WARNING, "决算数小于年初预算数（预算 300.00 万元、决算 315.94 万元）：按这两个数，决算数大于预算数"),
        (ITEM, ITEM.split("的主要原因")[0] + "。", DETAIL, WARNING, "决算与预算不同（预算 1,500.00 万元、决算 315.94 万元），却没有写明原因"),
        (RECEPTION, RECEPTION.replace("支出决算为2.29", "支出决算为2.39"), SAN_GONG, WARNING, "决算数与预算数一致（预算 2.29 万元、决算 2.39 万元）：按这两个数，决算数大于预算数"),
        (RECEPTION, RECEPTION.replace("支出决算为2.29", "支出决算为2.39"), SAN_GONG, WARNING, "完成预算的 100.00%（预算 2.29 万元、决算 2.39 万元）：应为 104.37"),
        (RECEPTION, RECEPTION.replace("支出预算为2.29", "支出预算为2.19"), SAN_GONG, WARNING, "公务接待费预算 2.19 万元 与公开07表“公务接待费”的预算数：应为 2.29，文中为 2.19"),
        (RECEPTION, RECEPTION.replace("支出决算为2.29", "支出决算为2.39"), SAN_GONG, WARNING, "公务接待费决算 2.39 万元 与公开07表“公务接待费”的决算数：应为 2.29，文中为 2.39"),
        ("增加69.43万元，增长128.57%", "增加69.43万元，增长128.75%", RUNNING, WARNING, "比预算增加 69.43 万元，增长 128.75%（预算 54.00 万元）：应为 128.57"),
        ("增加69.43万元，增长128.57%", "增加69.43万元，增长128.6%", RUNNING, OK, "比预算增加 69.43 万元，增长 128.6%"),
        (ITEM, ITEM.replace("1500.00", "0"), DETAIL, WARNING, "完成预算的 21.06%（预算 0.00 万元、决算 315.94 万元）：预算为 0，百分比无从计算：请照原件核对"),
        ("增加69.43万元，增长128.57%", "增加123.43万元，增长128.57%", RUNNING, WARNING, "比预算增加 123.43 万元，增长 128.57%（预算 0.00 万元）：预算不大于 0，百分比无从计算"),
    ],
)  # fmt: skip
def test_the_reference_sentences_mutated_are_reported_at_their_section(tmp_path, old, new, needle, status, words):
    text, results = edited(tmp_path, old, new)
    hits = [r for r in results if words in r.explain()]
    assert [r.status for r in hits] == [status], [r.explain() for r in results if r.status != OK]
    assert hits[0].mark.line == place(text, needle)[0]


def test_a_form_set_adds_its_own_words_of_relation_and_reason(tmp_path):
    changed = ITEM.replace("决算数小于年初预算数的主要原因是", "决算数少过年初预算数，盖因")
    _, results = edited(tmp_path / "plain", ITEM, changed)
    assert not any("少过" in r.says for r in results)
    assert any(r.status == WARNING and "没有写明原因" in r.says and "315.94" in r.says for r in results)
    tail = "wording:\n  below: [少过]\n  reasons: [盖因]\n"
    _, results = edited(tmp_path / "declared", ITEM, changed, tail)
    assert [r.status for r in results if "决算数少过年初预算数" in r.says] == [OK]
    assert not any(r.status == WARNING and "315.94" in r.says for r in results)


def test_the_unchanged_reference_finds_only_what_the_original_prints():
    found = [(r.mark.line, r.status, r.explain()) for r in results_of(DATA) if r.status != OK]
    # seed 000 prints 超出年初预算的100% for each of the 13 科目 that had no 年初预算 (auditor's
    # check 55: a percentage of nothing)
    zero = [f for f in found if "预算为 0" in f[2]]
    assert len(zero) == 13 and all(f[1] == WARNING and "超出预算的 100%（预算 0.00 万元" in f[2] for f in zero)
    # and its 部门整体 report states 预算 and 实际支出 that differ by far, without a word of why
    assert [f for f in found if f not in zero] == [
        (501, WARNING, f"“二、部门整体预算支出情况”：决算与预算不同（预算 {budget} 万元、决算 {actual} 万元），却没有写明原因：请照原件核对，说明差异的原因")
        for budget, actual in (("10,275.78", "29,525.64"), ("5,800.00", "23,097.62"), ("2,000.00", "3,678.10"))
    ]  # fmt: skip


def test_a_clause_naming_no_declared_figure_right_before_its_budget_is_not_read_against_a_cell(tmp_path):
    # 公务用车购置费及运行维护费 holds 公务用车购置费, a declared figure, but names both of its parts
    car = "公务用车购置费及运行维护费支出预算为0.00万元"
    _, results = edited(tmp_path, car, car.replace("0.00", "1.00"))
    assert not any("与公开07表“公务用车购置费”" in r.says for r in results)
    assert any("决算数与预算数一致（预算 1.00 万元" in r.says and r.status == WARNING for r in results)
