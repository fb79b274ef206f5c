"""Auditor's check 47 (docs/auditor-rules.md): a section the 目录 declares `itemizes: 公开05表:合计`
names each 项 of that table as X（类）Y（款）Z（项）, and the text of each item states the table's
amount (check/filled.py). 望城's 决算 prints 公开05表 without its body, so the reference leaves the
section 无法核对; the tests fill that table in a copy with the 科目 of its 公开03表, whose figures the
section's items state but for 行政运行 (777.19 财政拨款 of 785.43 in all)."""

from __future__ import annotations

import re

from generator.core.results import OK, UNCHECKED, WARNING
from generator.load.loader import load_site

from helpers import DATA, WANGCHENG, checked, found, mutated, place

DETAIL = '- title: "（三）财政拨款支出决算具体情况"'
WHERE = "“（三）财政拨款支出决算具体情况”"
EMPTY = "rows: []\n          statement: 参考文本（原件的文字提取）中本表表体缺失，数字待据原件补录。\n"
ROW_03 = re.compile(r"- \{(?:科目编码: (\"\d+\"), )?科目名称: ([^,]+), 本年支出合计: ([\d.]+),")


def table_05_from_03(text: str) -> str:
    """公开05表's rows: the 科目 of 公开03表 with its 本年支出合计 as their 合计."""
    start = text.index("form: 公开03表")
    block = text[start : text.index("- title:", start)]
    rows = [
        "            - {" + (f"科目编码: {code}, " if code else "") + f"科目名称: {name}, 合计: {amount}}}"
        for code, name, amount in ROW_03.findall(block)
    ]
    return "rows:\n" + "\n".join(rows) + "\n"


def filled(tmp_path, old: str = "", new: str = ""):
    """A copy of the reference data with 公开05表 filled (table_05_from_03) and *old* replaced by *new*;
    returns the copy and the text of 望城's 决算 as changed, to find lines in."""
    data, text = mutated(tmp_path, WANGCHENG, EMPTY, table_05_from_03((DATA / WANGCHENG).read_text(encoding="utf-8")))
    path = data / WANGCHENG
    changed = path.read_text(encoding="utf-8")
    if old:
        assert changed.count(old) == 1
        changed = changed.replace(old, new)
        path.write_text(changed, encoding="utf-8")
    return data, changed


def items(data):
    return found(data, WANGCHENG, WHERE + "中的 ", WHERE + "写到", WHERE + "没有写到", WHERE + "逐项")


def test_the_reference_prints_no_body_of_the_table_its_section_itemizes():
    [result] = checked(DATA, WANGCHENG, WHERE + "逐项")
    assert (result.status, result.reason) == (UNCHECKED, "文件中公开05表没有表体，无从逐项对照")


def test_the_items_are_read_against_the_table(tmp_path):
    data, text = filled(tmp_path)
    line = place(text, DETAIL)[0]
    found_items = items(data)
    assert {at for _, at, _ in found_items} == {line}
    assert len([s for s, _, _ in found_items if s == OK]) == 15
    assert [(s, says) for s, _, says in found_items if s != OK] == [
        (WARNING, f"{WHERE}中的 2101501 卫生健康支出（类）医疗保障管理事务（款）行政运行（项） 与公开05表的合计 785.43 万元：这一项写的数中没有表中的数，请照原件核对"),
        (WARNING, f"{WHERE}没有写到公开05表的 2296013 其他支出（类）彩票公益金安排的支出（款）用于城乡医疗救助的彩票公益金支出（项）57.48 万元：具体情况说明应逐项写到类、款、项"),
    ]  # fmt: skip


def test_an_item_stating_another_figure_or_another_name_is_a_warning(tmp_path):
    data, _ = filled(tmp_path / "figure", "支出决算为40.18万元", "支出决算为41.18万元")
    assert any(s == WARNING and "2080505" in says and "没有表中的数" in says for s, _, says in items(data))
    data, _ = filled(tmp_path / "name", "抚恤（款）死亡抚恤（项）", "抚恤（款）伤残抚恤（项）")
    warned = [says for s, _, says in items(data) if s == WARNING]
    assert (
        f"{WHERE}写到的 社会保障和就业支出（类）抚恤（款）伤残抚恤（项），公开05表中没有这一项或其合计为 0：请照原件核对科目名称"
        in warned
    )
    assert any("没有写到公开05表的 2080801 " in says for says in warned)


def test_itemizes_names_an_amount_column_of_a_table_with_codes(tmp_path):
    data, _ = mutated(tmp_path, "forms/hunan-juesuan-2020.yaml", "itemizes: 公开05表:合计", "itemizes: 公开05表:总计")
    site, problems = load_site(data)
    forms = (data / "forms/hunan-juesuan-2020.yaml").read_text(encoding="utf-8")
    assert [(p.mark.line, p.message) for p in problems.errors] == [
        (place(forms, "- title: （三）财政拨款支出决算具体情况")[0], "outline：itemizes '公开05表:总计' 应写成 表号:金额列，表要有科目编码列")
    ]  # fmt: skip
