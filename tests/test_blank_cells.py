"""Auditor's check 58 (docs/auditor-rules.md): a table cell left blank where the 说明 states 0
(check/blanks.py). 东西湖's 表1 and 表4 leave 上年结转 blank (the original's row prints no figure)
while three sections of its 说明 write 上年结转0万元."""

from __future__ import annotations

import pytest

from generator.core.results import WARNING

from helpers import DATA, DONGXIHU, found, mutated

TABLE_1 = "              财政指标拨款: 2549.18\n              本年收入合计: 2549.18\n"
TABLE_4 = "              财政指标拨款: 2549.18\n              收入总计: 2549.18\n"


def blanks(data):
    return found(data, DONGXIHU, "一格空白")


def says(title: str, tables: str) -> str:
    return f"“{title}”中的 上年结转0万元：{tables}中“上年结转”一格空白，说明却写 0：照原件核对表中是否印有 0"


def test_the_blank_carry_over_is_warned_in_each_section_stating_it():
    assert blanks(DATA) == [
        (WARNING, 93, says("三、部门收支预算总体安排情况", "表1、表4")),
        (WARNING, 104, says("（一）部门收入预算安排情况", "表1、表4")),
        (WARNING, 110, says("四、财政拨款收支预算总体情况", "表1、表4")),
    ]


def filled(tmp_path, first: str, *blocks: str):
    """The reference data copied, each of the tables of the blocks printing 上年结转 0.00."""
    zero = "              上年结转: 0.00\n"
    data, text = mutated(tmp_path, DONGXIHU, first, first + zero)
    for block in blocks:
        assert text.count(block) == 1
        text = text.replace(block, block + zero)
    (data / DONGXIHU).write_text(text.replace(first, first + zero), encoding="utf-8")
    return data


@pytest.mark.parametrize("block", [TABLE_1, TABLE_4], ids=["表1", "表4"])
def test_one_table_printing_the_zero_is_enough(tmp_path, block):
    # the 说明's 0 is then a printed figure's, compared by check/prose.py
    assert blanks(filled(tmp_path, block)) == []


def test_no_warning_once_the_tables_print_the_zero(tmp_path):
    assert blanks(filled(tmp_path, TABLE_1, TABLE_4)) == []


def test_a_figure_other_than_zero_is_not_this_checks(tmp_path):
    stated = "纳入财政专户管理资金0万元；上年结转0万元。"
    data, _ = mutated(tmp_path, DONGXIHU, stated, stated.replace("上年结转0万元", "上年结转3万元"))
    assert [line for _, line, _ in blanks(data)] == [104, 110]
