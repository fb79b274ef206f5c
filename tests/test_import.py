"""python -m generator import on the noise tables arrive with: each tolerance, each refusal, .xlsx input,
and what the written file keeps. Every expectation here is worked out from the source text of the test."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from generator.importing.into_document import run_import
from generator.load.loader import load_site, shown

from helpers import MINIMAL_BUREAU, run_generator, write, write_document

DOCUMENT = """
# 测试用的决算文件：表格先留空，由 import 写入。
title: 2020年度测试区医疗保障局部门决算
kind: 决算
year: 2020
form_set: hunan-juesuan-2020
parts:
  - title: 第二部分 决算表
    sections:
      - title: 一、收入支出决算总表
        table:
          form: 公开01表
          values: {}
      - title: 二、收入决算表
        # 照原件录入（这行注释必须保留）
        table:
          form: 公开02表
          rows:
            - {科目名称: 合计, 本年收入合计: 1}
          statement: 此表照原件
        # 下一节之前的注释也要保留
      - title: 六、一般公共预算财政拨款基本支出决算表
        table:
          form: 公开06表
          rows: {人员经费: [], 公用经费: [], 公用经费续: []}
          totals: {}
      - title: 七、“三公”经费
        table:
          form: 公开07表
          rows: []
"""

GK02_HEADER = (
    "收入决算表\n"
    "部门：测试区医疗保障局\t\t\t\t\t\t\t\t公开02表\n"
    "\t\t\t\t\t\t\t\t金额单位：万元\n"
    "项目\t\t本年收入合计\t财政拨款收入\t上级补助收入\t事业收入\t经营收入\t附属单位上缴收入\t其他收入\n"
    "功能分类科目编码\t科目名称\n"
    "栏次\t\t1\t2\t3\t4\t5\t6\t7\n"
)


@pytest.fixture
def doc(data_dir: Path) -> Path:
    write(data_dir / "ceshi-ybj" / "bureau.yaml", MINIMAL_BUREAU)
    return write_document(data_dir, DOCUMENT)


def run(source: Path, document: Path, capsys, table: str | None = None, sheet=None, dry_run=False):
    status = run_import(source, document, table, sheet, dry_run)
    out, err = capsys.readouterr()
    return status, out, err.splitlines()


def tsv(tmp_path: Path, text: str, name: str = "source.tsv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def table(document: Path, number: str):
    site, problems = load_site(document.parents[2])
    assert not problems.errors, problems.sorted()
    (doc,) = site.documents
    return next(t for _, t in doc.tables() if t.number == number)


def rows(document: Path, number: str, panel: int = 0) -> list[dict]:
    return [
        {key: v.amount if v.amount is not None else v.text for key, v in row.cells.items()}
        for row in table(document, number).panels[panel].rows
    ]


# ---- tolerances ----


def test_full_width_digits_thousands_separators_blank_rows_and_merged_total(tmp_path, doc, capsys):
    source = tsv(
        tmp_path,
        GK02_HEADER
        + "合计\t\t２９，５２７．５１\t29,513.15\t0.00\t\t\t\t14.36\n"  # 合计 across 编码 and 名称; blank cells
        + "\n"
        + "２０８\t社会保障和就业支出\t55.11\t 55.11 \t0\n"
        + "\t\n"
        + "2101301\t城乡医疗救助\t1,234,567.8\t.5\t-3.20\n",
    )
    status, out, err = run(source, doc, capsys, "公开02表")
    assert status == 0, err
    assert "的 3 行写入" in out
    assert rows(doc, "公开02表") == [
        {"科目名称": "合计", "本年收入合计": Decimal("29527.51"), "财政拨款收入": Decimal("29513.15"),
         "上级补助收入": Decimal("0"), "其他收入": Decimal("14.36")},
        {"科目编码": "208", "科目名称": "社会保障和就业支出", "本年收入合计": Decimal("55.11"),
         "财政拨款收入": Decimal("55.11"), "上级补助收入": Decimal("0")},
        {"科目编码": "2101301", "科目名称": "城乡医疗救助", "本年收入合计": Decimal("1234567.8"),
         "财政拨款收入": Decimal("0.5"), "上级补助收入": Decimal("-3.20")},
    ]  # fmt: skip
    text = doc.read_text(encoding="utf-8")
    # the digits as the source gives them: 0.00 and 0 stay apart, nothing padded or rounded
    assert (
        "- {科目名称: 合计, 本年收入合计: 29527.51, 财政拨款收入: 29513.15, 上级补助收入: 0.00, 其他收入: 14.36}"
        in text
    )
    assert (
        '- {科目编码: "208", 科目名称: 社会保障和就业支出, 本年收入合计: 55.11, 财政拨款收入: 55.11, 上级补助收入: 0}'
        in text
    )
    assert "本年收入合计: 1234567.8, 财政拨款收入: 0.5, 上级补助收入: -3.20}" in text


def test_merged_header_groups_keep_columns_of_the_same_name_apart(tmp_path, doc, capsys):
    """公开07表: 合计, 小计 … under both 预算数 and 决算数; the group labels are typed once, in the first column
    they cover (as text extracted from a merged header arrives), and the 栏次 row carries no label."""
    source = tsv(
        tmp_path,
        "一般公共预算财政拨款“三公”经费支出决算表\n"
        "预算数\t\t\t\t\t\t决算数\n"
        "合计\t因公出国(境)费\t公务用车购置及运行费\t\t\t公务接待费\t合计\t因公出国(境)费\t公务用车购置及运行费\t\t\t公务接待费\n"
        "\t\t小计\t公务用车购置费\t公务用车运行费\t\t\t\t小计\t公务用车购置费\t公务用车运行费\n"
        "1\t2\t3\t4\t5\t6\t7\t8\t9\t10\t11\t12\n"
        "1\t2\t3\t4\t5\t6\t7\t8\t9\t10\t11\t12.5\n",
    )
    status, _, err = run(source, doc, capsys)  # no --table: the title names the form
    assert status == 0, err
    (row,) = rows(doc, "公开07表")
    assert row == {
        "预算合计": 1, "预算因公出国境费": 2, "预算公务用车小计": 3, "预算公务用车购置费": 4, "预算公务用车运行费": 5,
        "预算公务接待费": 6, "决算合计": 7, "决算因公出国境费": 8, "决算公务用车小计": 9, "决算公务用车购置费": 10,
        "决算公务用车运行费": 11, "决算公务接待费": Decimal("12.5"),
    }  # fmt: skip


def test_a_missing_column_does_not_shift_its_namesakes(tmp_path, doc, capsys):
    """Without 预算数 › 合计 the first 合计 of the header is 决算数's: the group label says so, so the column
    reported missing is 预算数's, and 决算数's 合计 is not taken for it."""
    source = tsv(
        tmp_path,
        "预算数\t\t\t\t\t决算数\n"
        "因公出国(境)费\t公务用车购置及运行费\t\t\t公务接待费\t合计\t因公出国(境)费\t公务用车购置及运行费\t\t\t公务接待费\n"
        "\t小计\t公务用车购置费\t公务用车运行费\t\t\t\t小计\t公务用车购置费\t公务用车运行费\n"
        "2\t3\t4\t5\t6\t7\t8\t9\t10\t11\t12\n",
    )
    status, _, err = run(source, doc, capsys, "公开07表")
    assert status == 1
    assert err == [
        f"{source}:1:1: 表头中找不到公开07表的“预算数／合计”栏（栏次 1）：请核对源表的表头是否与表样一致（合并单元格的栏目名称请保留在表头中）",
        "1 个问题，未写入任何文件。",
    ]


def test_header_cells_split_over_lines_are_read_whole(tmp_path, doc, capsys):
    """公开03表's extracted header breaks 功能分类科|目编码 and 本年收入|合计 over two lines (a blank line
    between them): the pieces of a column are read together."""
    source = tsv(
        tmp_path,
        "项目\t\t本年收入\t财政拨款\t上级补助\t事业\t经营\t附属单位上\t其他\n"
        "功能分类科\t科目名称\n"
        "\n"
        "目编码\t\t合计\t收入\t收入\t收入\t收入\t缴收入\t收入\n"
        "\t栏次\t1\t2\t3\t4\t5\t6\t7\n"
        "\t合计\t10.00\t10.00\n",
    )
    status, _, err = run(source, doc, capsys, "公开02表")
    assert status == 0, err
    assert rows(doc, "公开02表") == [{"科目名称": "合计", "本年收入合计": 10, "财政拨款收入": 10}]


def test_fixed_rows_by_label_or_by_line_number(tmp_path, doc, capsys):
    """公开01表: rows found by their 项目 (numbering 一、 as printed) or, where the label is missing, by 行次;
    rows with a 行次 and no figure (9–26) are blank and skipped."""
    source = tsv(
        tmp_path,
        "收入\t\t\t支出\n"
        "项目\t行次\t金额\t项目\t行次\t金额\n"
        "栏次\t\t1\t栏次\t\t2\n"
        "一、一般公共预算财政拨款收入\t1\t100.00\t九、卫生健康支出\t40\t99.00\n"
        "\t9\t\t\t41\t\n"
        "其他收入\t\t2.00\t\t\t\n"  # printed without its 八、
        "\t27\t100.00\t本年支出合计\t58\t99.00\n"
        "总计\t31\t100.00\t总计\t62\t99.00\n",
    )
    status, _, err = run(source, doc, capsys, "公开01表")
    assert status == 0, err
    income, spending = table(doc, "公开01表").panels
    assert {k: v["金额"].amount for k, v in income.fixed.items()} == {
        "一般公共预算财政拨款收入": 100,
        "其他收入": 2,
        "本年收入合计": 100,
        "总计": 100,
    }
    assert {k: v["金额"].amount for k, v in spending.fixed.items()} == {
        "卫生健康支出": 99,
        "本年支出合计": 99,
        "总计": 99,
    }


def test_a_label_that_disagrees_with_its_line_number_is_reported(tmp_path, doc, capsys):
    before = doc.read_bytes()
    source = tsv(
        tmp_path,
        "收入\t\t\t支出\n项目\t行次\t金额\t项目\t行次\t金额\n"
        "本年收入合计\t28\t100.00\t\t\t\n"  # 28 is 使用非财政拨款结余
        "\t\t5.00\t\t\t\n"  # a figure with neither label nor line
        "其他收入八\t\t1.00\n",
    )
    status, _, err = run(source, doc, capsys, "公开01表")
    assert status == 1
    assert err[0].startswith(
        f"{source}:3:1: 项目“本年收入合计”与行次 28 不符：公开01表“收入”栏第 28 行是“使用非财政拨款结余”"
    )
    assert err[1].startswith(f"{source}:4:3: 这一行有金额，却没有项目名称，也没有行次")
    assert err[2].startswith(f"{source}:5:1: “其他收入八”不是公开01表“收入”栏的项目")
    assert err[3:] == ["3 个问题，未写入任何文件。"]
    assert doc.read_bytes() == before


def test_a_sheets_own_numbering_column_is_ignored_and_a_wrong_column_number_reported(tmp_path, doc, capsys):
    source = tsv(
        tmp_path,
        "序号\t功能分类科目编码\t科目名称\t本年收入合计\t财政拨款收入\t上级补助收入\t事业收入\t经营收入\t附属单位上缴收入\t其他收入\n"
        "\t\t栏次\t1\t2\t3\t4\t5\t7\t6\n"
        "1\t208\t社会保障和就业支出\t1.00\n",
    )
    status, _, err = run(source, doc, capsys, "公开02表")
    assert status == 1
    assert err[:2] == [
        f"{source}:2:9: 栏次是 7，但这一栏的表头“附属单位上缴收入”在公开02表中是第 6 栏：请核对表头与栏次是否错位",
        f"{source}:2:10: 栏次是 6，但这一栏的表头“其他收入”在公开02表中是第 7 栏：请核对表头与栏次是否错位",
    ]
    fixed = tsv(tmp_path, source.read_text(encoding="utf-8").replace("5\t7\t6", "5\t6\t7"))
    status, _, err = run(fixed, doc, capsys, "公开02表")
    assert status == 0, err
    assert rows(doc, "公开02表") == [{"科目编码": "208", "科目名称": "社会保障和就业支出", "本年收入合计": 1}]


def test_footer_totals_are_read_where_their_merged_cell_puts_them(tmp_path, doc, capsys):
    source = tsv(
        tmp_path,
        "人员经费\t\t\t公用经费\n"
        "科目编码\t科目名称\t决算数\t科目编码\t科目名称\t决算数\t科目编码\t科目名称\t决算数\n"
        "301\t工资福利支出\t827.82\t302\t商品和服务支出\t116.06\t307\t债务利息及费用支出\t0.00\n"
        "30101\t基本工资\t131.56\t\t\t\t\t\t\n"
        "人员经费合计\t\t827.82\t公用经费合计\t\t\t\t\t116.06\n",
    )
    status, _, err = run(source, doc, capsys, "公开06表")
    assert status == 0, err
    written = table(doc, "公开06表")
    assert [[row.cells["科目编码"].text for row in panel.rows] for panel in written.panels] == [
        ["301", "30101"],
        ["302"],
        ["307"],
    ]
    assert {k: v.amount for k, v in written.totals.items()} == {
        "人员经费合计": Decimal("827.82"),
        "公用经费合计": Decimal("116.06"),
    }


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-8-sig"])
def test_text_saved_by_windows_tools_is_read(tmp_path, doc, capsys, encoding):
    """Notepad's ANSI (GBK) with CRLF, Excel's “Unicode text” (UTF-16 with BOM), UTF-8 with BOM."""
    source = tmp_path / "source.txt"
    text = GK02_HEADER + "208\t社会保障和就业支出\t55.11\n"
    source.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    status, _, err = run(source, doc, capsys)
    assert status == 0, err
    assert rows(doc, "公开02表") == [
        {"科目编码": "208", "科目名称": "社会保障和就业支出", "本年收入合计": Decimal("55.11")}
    ]


def test_two_tables_of_one_form_are_told_apart_by_id(tmp_path, doc, capsys):
    text = doc.read_text(encoding="utf-8").replace(
        "      - title: 七、“三公”经费\n",
        "      - title: 二（续）、收入决算表\n        table:\n          form: 公开02表\n          id: gk02-xu\n          rows: []\n"
        "      - title: 七、“三公”经费\n",
    )
    doc.write_text(text, encoding="utf-8")
    source = tsv(tmp_path, GK02_HEADER + "208\t社会保障和就业支出\t3.00\n")
    status, _, err = run(source, doc, capsys)
    assert status == 1
    assert err[0] == (
        f"{shown(doc)}: 文件中有 2 张 公开02表（第 16 行“二、收入决算表”；第 28 行“二（续）、收入决算表”）："
        "请给要导入的那张表写上 id:，再用 --table 这个 id 指明"
    )
    status, _, err = run(source, doc, capsys, "gk02-xu")
    assert status == 0, err
    assert rows(doc, "公开02表") == [{"科目名称": "合计", "本年收入合计": 1}]  # the first is untouched
    assert doc.read_text(encoding="utf-8").endswith(
        '          id: gk02-xu\n          rows:\n            - {科目编码: "208", 科目名称: 社会保障和就业支出, 本年收入合计: 3.00}\n'
        "      - title: 七、“三公”经费\n        table:\n          form: 公开07表\n          rows: []\n"
    )


# ---- refusals: reported at their row and column, nothing written ----


def test_unreadable_cells_are_reported_never_guessed_or_zeroed(tmp_path, doc, capsys):
    before = doc.read_bytes()
    source = tsv(
        tmp_path,
        GK02_HEADER
        + "208\t社会保障和就业支出\t—\t12.345\t(5.00)\t1,23.4\t12万元\t3 4\t5%\n"
        + "20805\t行政事业单位养老支出\t1.50\n",
    )
    status, _, err = run(source, doc, capsys, "公开02表")
    assert status == 1
    assert [line.split(": ")[0] for line in err[:-1]] == [f"{source}:7:{column}" for column in range(3, 10)]
    assert "“—”不是金额" in err[0] and "请在源表中清空此格" in err[0]
    assert "有 3 位小数" in err[1] and "不做四舍五入" in err[1]
    assert "负数请写成带负号的数，如 -5.00" in err[2]
    assert "千分位逗号的位置不对" in err[3]
    assert "带有单位" in err[4]
    assert "中间有空格" in err[5]
    assert "是百分比，不是金额" in err[6]
    assert err[-1] == "7 个问题，未写入任何文件。"
    assert doc.read_bytes() == before


def test_a_table_in_yuan_is_not_converted_into_a_form_in_wan_yuan(tmp_path, doc, capsys):
    before = doc.read_bytes()
    source = tsv(
        tmp_path, GK02_HEADER.replace("金额单位：万元", "金额单位：元") + "208\t社会保障和就业支出\t551100.00\n"
    )
    status, _, err = run(source, doc, capsys, "公开02表")
    assert status == 1
    assert err[0].startswith(f"{source}:3:9: 源表的金额单位是元，公开02表的单位是万元：本工具不换算单位")
    assert doc.read_bytes() == before


def test_a_unit_split_over_two_lines_is_still_read(tmp_path, doc, capsys):
    source = tsv(tmp_path, "收入决算表\n单位：\n元\n" + GK02_HEADER.split("\n", 3)[3] + "208\t社会保障和就业支出\t1\n")
    status, _, err = run(source, doc, capsys, "公开02表")
    assert status == 1 and "源表的金额单位是元" in err[0] and err[0].startswith(f"{source}:2:1:")


def test_another_table_pasted_is_refused(tmp_path, doc, capsys):
    source = tsv(tmp_path, GK02_HEADER.replace("公开02表", "公开03表") + "208\t社会保障和就业支出\t1\n")
    status, _, err = run(source, doc, capsys, "公开02表")
    assert status == 1
    assert err[0].startswith(f"{source}:2:9: 源表标明是“公开03表”，却要导入公开02表")


def test_split_and_shifted_rows_are_reported_not_patched(tmp_path, doc, capsys):
    source = tsv(
        tmp_path,
        GK02_HEADER
        + "2101202\t财政对城乡居民基本医疗保险基金的\n"
        + "补助\t\t23097.62\n"  # the rest of the name, in the 编码 column
        + "\t补助\t23097.62\n"  # the rest of the name, in the 名称 column
        + "\t\t23097.62\n"  # the figures alone
        + "\t208\t社会保障和就业支出\t55.11\n",  # shifted one column to the right
    )
    status, _, err = run(source, doc, capsys, "公开02表")
    assert status == 1
    assert [line.split(": ")[0] for line in err[:-1]] == [
        f"{source}:8:1",
        f"{source}:9:2",
        f"{source}:10:3",
        f"{source}:11:2",
    ]
    assert "并回上一行" in err[0] and "并回上一行" in err[1] and "合并为一行" in err[2] and "错位" in err[3]


def test_a_column_without_header_or_with_a_foreign_header_is_reported_when_it_holds_figures(tmp_path, doc, capsys):
    source = tsv(
        tmp_path,
        GK02_HEADER.replace("其他收入\n", "其他收入\t\t备注\n")
        + "208\t社会保障和就业支出\t1.00\t\t\t\t\t\t\t\t\n"  # the stray columns empty: fine
        + "20805\t行政事业单位养老支出\t1.00\t\t\t\t\t\t\t9.99\t说明\n",
    )
    status, _, err = run(source, doc, capsys, "公开02表")
    assert status == 1
    assert err[:2] == [
        f"{source}:8:10: 这一栏有内容（“9.99”）却没有表头，无法对应到公开02表的栏目：请在表头补上栏目名称（照表样），若是多出的空栏请删去",
        f"{source}:8:11: 这一栏的表头“备注”对应不上公开02表的任何一栏，其中的数据无法导入：请把表头改成表样的栏目名称，或删去这一栏",
    ]


def test_a_missing_form_column_is_reported(tmp_path, doc, capsys):
    source = tsv(tmp_path, GK02_HEADER.replace("\t其他收入\n", "\n").replace("\t7\n", "\n") + "208\t社会保障\t1\n")
    status, _, err = run(source, doc, capsys, "公开02表")
    assert status == 1
    assert err[0] == (
        f"{source}:4:1: 表头中找不到公开02表的“其他收入”栏（栏次 7）：请核对源表的表头是否与表样一致（合并单元格的栏目名称请保留在表头中）"
    )


def test_a_document_without_the_table_or_a_source_without_a_name_is_told_what_to_do(tmp_path, doc, capsys):
    source = tsv(tmp_path, GK02_HEADER.split("\n", 3)[3] + "208\t社会保障和就业支出\t1\n")
    status, _, err = run(source, doc, capsys, "公开08表")
    assert status == 1 and err[0].startswith(
        f"{shown(doc)}: 文件中没有 form: 公开08表 的表格（文件中的表格：公开01表、公开02表、公开06表、公开07表）"
    )
    status, _, err = run(source, doc, capsys)
    assert status == 1 and err[0].startswith(f"{source}: 源表上方没有表号或表名，看不出是哪张表：请用 --table 指明")


# ---- what is written ----


def test_only_the_tables_lines_change_and_comments_stay(tmp_path, doc, capsys):
    before = doc.read_text(encoding="utf-8").split("\n")
    source = tsv(tmp_path, GK02_HEADER + "合计\t\t2.00\t2.00\n208\t社会保障和就业支出\t2.00\t2.00\n")
    status, _, err = run(source, doc, capsys, "公开02表")
    assert status == 0, err
    after = doc.read_text(encoding="utf-8").split("\n")
    start = before.index("          rows:", before.index("          form: 公开02表"))
    assert after[:start] == before[:start]
    assert after[start : start + 3] == [
        "          rows:",
        "            - {科目名称: 合计, 本年收入合计: 2.00, 财政拨款收入: 2.00}",
        '            - {科目编码: "208", 科目名称: 社会保障和就业支出, 本年收入合计: 2.00, 财政拨款收入: 2.00}',
    ]
    assert after[start + 3 :] == before[start + 2 :]  # statement, the comment before the next section, the rest


def test_a_table_with_only_its_form_gets_its_keys_after_form(tmp_path, doc, capsys):
    text = doc.read_text(encoding="utf-8")
    bare = text.replace("          rows: {人员经费: [], 公用经费: [], 公用经费续: []}\n          totals: {}\n", "")
    bare = bare.replace("          form: 公开06表\n", "          form: 公开06表\n          # 待导入\n")
    doc.write_text(bare, encoding="utf-8")
    source = tsv(
        tmp_path,
        "人员经费\t\t\t公用经费\n"
        "科目编码\t科目名称\t决算数\t科目编码\t科目名称\t决算数\t科目编码\t科目名称\t决算数\n"
        "301\t工资福利支出\t1.00\t302\t商品和服务支出\t2.00\n"
        "人员经费合计\t\t1.00\t公用经费合计\t\t\t\t\t2.00\n",
    )
    status, _, err = run(source, doc, capsys, "公开06表")
    assert status == 0, err
    assert doc.read_text(encoding="utf-8") == bare.replace(
        "          form: 公开06表\n",
        "          form: 公开06表\n"
        "          rows:\n"
        "            人员经费:\n"
        '              - {科目编码: "301", 科目名称: 工资福利支出, 决算数: 1.00}\n'
        "            公用经费:\n"
        '              - {科目编码: "302", 科目名称: 商品和服务支出, 决算数: 2.00}\n'
        "            公用经费续: []\n"
        "          totals: {人员经费合计: 1.00, 公用经费合计: 2.00}\n",
    )


def test_dry_run_shows_the_rows_and_writes_nothing(tmp_path, doc, capsys):
    before = doc.read_bytes()
    source = tsv(tmp_path, GK02_HEADER + "208\t社会保障和就业支出\t2.00\n")
    status, out, err = run(source, doc, capsys, "公开02表", dry_run=True)
    assert status == 0, err
    assert out.startswith(
        '          rows:\n            - {科目编码: "208", 科目名称: 社会保障和就业支出, 本年收入合计: 2.00}\n'
    )
    assert "--dry-run：未写入" in out
    assert doc.read_bytes() == before


def test_the_command_line(tmp_path, doc):
    source = tsv(tmp_path, GK02_HEADER + "208\t社会保障和就业支出\t——\n20805\t养老\t1.00\n")

    def command(*args):
        return run_generator("import", *args, cwd=tmp_path)

    document = str(doc.relative_to(tmp_path))
    failed = command("source.tsv", document, "--table", "公开02表")
    assert failed.returncode == 1 and "Traceback" not in failed.stderr
    assert failed.stderr.splitlines() == [
        "source.tsv:7:3: “——”不是金额：原件此格若是空白，请在源表中清空此格；若是零，请写 0.00（“本年收入合计”栏）",
        "1 个问题，未写入任何文件。",
    ]
    source.write_text(GK02_HEADER + "208\t社会保障和就业支出\t\n20805\t养老\t1.00\n", encoding="utf-8")
    done = command("source.tsv", document)
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        f"已把 公开02表（收入决算表）的 2 行写入 {document}“二、收入决算表”。请运行 python -m generator check 核对。\n"
    )
    assert rows(doc, "公开02表") == [  # the empty cell stayed empty
        {"科目编码": "208", "科目名称": "社会保障和就业支出"},
        {"科目编码": "20805", "科目名称": "养老", "本年收入合计": 1},
    ]
    unknown = command("source.csv", document)
    assert unknown.returncode == 1 and "不支持逗号分隔的 .csv" in unknown.stderr


# ---- .xlsx ----


def workbook(path: Path, rows: list[list], merges=(), formats=None, sheet="公开07表") -> Path:
    book = openpyxl.Workbook()
    first = book.active
    first.title = "封面"
    first["A1"] = "2020年度决算"
    ws = book.create_sheet(sheet)
    for row in rows:
        ws.append(row)
    for merge in merges:
        ws.merge_cells(merge)
    for cell, number_format in (formats or {}).items():
        ws[cell].number_format = number_format
    book.active = 1
    book.save(path)
    return path


GK07_HEAD = [
    ["一般公共预算财政拨款“三公”经费支出决算表"],
    ["部门：测试区医疗保障局", *[None] * 10, "金额单位：万元"],
    ["预算数", *[None] * 5, "决算数", *[None] * 5],
    ["合计", "因公出国(境)费", "公务用车购置及运行费", None, None, "公务接待费"] * 2,
    [None, None, "小计", "公务用车购置费", "公务用车运行费", None] * 2,
]
GK07_MERGES = ("A3:F3", "G3:L3", "C4:E4", "I4:K4", "A4:A5", "B4:B5", "F4:F5", "G4:G5", "H4:H5", "L4:L5")


def test_an_xlsx_sheet_with_merged_headers_number_formats_and_numbers_stored_as_text(tmp_path, doc, capsys):
    path = workbook(
        tmp_path / "决算.xlsx",
        [*GK07_HEAD, [2.29, 0, 0, 0, 0, 2.29, "2.29", "０.００", " 1,000.5 ", 0.1 + 0.2, None, 1]],
        GK07_MERGES,
        {"A6": "0.00", "B6": "#,##0.00", "C6": "0.00", "J6": "General", "L6": "#,##0.00_);[Red]\\(#,##0.00\\)"},
    )
    status, out, err = run(path, doc, capsys)
    assert status == 0, err
    text = doc.read_text(encoding="utf-8")
    # as each cell shows it: 0.00 where formatted so, 0 where General, 0.3 for 0.1 + 0.2, 1.00 for 1 as #,##0.00
    assert (
        "- {预算合计: 2.29, 预算因公出国境费: 0.00, 预算公务用车小计: 0.00, 预算公务用车购置费: 0, 预算公务用车运行费: 0, "
        "预算公务接待费: 2.29, 决算合计: 2.29, 决算因公出国境费: 0.00, 决算公务用车小计: 1000.5, "
        "决算公务用车购置费: 0.3, 决算公务接待费: 1.00}"
    ) in text


def test_xlsx_cells_that_cannot_be_read_are_reported_by_their_cell(tmp_path, doc, capsys):
    path = workbook(
        tmp_path / "决算.xlsx",
        [*GK07_HEAD, ["=B6+C6", 12.345, True, 12.5, *[None] * 8]],
        GK07_MERGES,
        {"B6": "0.00", "D6": "0"},
    )
    before = doc.read_bytes()
    status, _, err = run(path, doc, capsys)
    assert status == 1
    where = f"{path}[公开07表]"
    assert [line.split(": ")[0] for line in err[:-1]] == [f"{where}:6:{column}" for column in (1, 2, 3, 4)]
    assert "此格是公式（=B6+C6），但工作簿没有保存它的计算结果" in err[0] and err[0].endswith("（单元格 A6）")
    assert "此格的值是 12.345，单元格却只显示 12.35" in err[1]
    assert "此格是逻辑值（TRUE）" in err[2]
    assert "此格的值是 12.5，单元格却只显示 13" in err[3]
    assert doc.read_bytes() == before


def test_xlsx_sheet_is_chosen_by_name(tmp_path, doc, capsys):
    path = workbook(tmp_path / "决算.xlsx", [*GK07_HEAD, [1, *[None] * 11]], GK07_MERGES, sheet="三公")
    status, _, err = run(path, doc, capsys, sheet="没有这张")
    assert status == 1 and err[0] == f"{path}: 工作簿中没有名为“没有这张”的工作表；现有：封面、三公"
    status, _, err = run(path, doc, capsys, sheet="三公")
    assert status == 0, err
    assert rows(doc, "公开07表") == [{"预算合计": 1}]


# ---- merged cells in the body of a workbook ----

# 公开07表's head, then a blank row and its 栏次 row: the figures are on row 8, as in the issue's workbook.
GK07_TO_ROW_8 = [*GK07_HEAD, [], [str(n) for n in range(1, 13)]]


def test_a_merge_over_two_amount_cells_is_refused_at_the_cell_it_blanks(tmp_path, doc, capsys):
    """F8:G8 merged: Excel keeps 2.29 in F8 (预算公务接待费) only, and 决算合计 (G8), printed 2.29, would
    import blank while the import said it succeeded."""
    path = workbook(
        tmp_path / "决算.xlsx",
        [*GK07_TO_ROW_8, [2.29, 0, 0, 0, 0, 2.29, None, 0, 0, 0, 0, 2.29]],
        (*GK07_MERGES, "F8:G8"),
    )
    before = doc.read_bytes()
    status, out, err = run(path, doc, capsys)
    assert status == 1 and out == ""
    assert err == [
        f"{path}[公开07表]:8:7: 此格与 F8 合并（合并单元格 F8:G8），内容只保存在 F8 中，“决算数／合计”栏导入后会是空白："
        "请在 Excel 中取消合并，照原件在每一格填上数字（原件空白的格留空）后再导入（单元格 G8）",
        "1 个问题，未写入任何文件。",
    ]
    assert doc.read_bytes() == before


def test_a_merge_over_three_zero_cells_is_refused_at_each_cell_it_blanks(tmp_path, doc, capsys):
    path = workbook(
        tmp_path / "决算.xlsx",
        [*GK07_TO_ROW_8, [2.29, "0.00", None, None, 0, 2.29, 2.29, 0, 0, 0, 0, 2.29]],
        (*GK07_MERGES, "B8:D8"),
    )
    before = doc.read_bytes()
    status, _, err = run(path, doc, capsys)
    assert status == 1
    assert [line.split(": ")[0] for line in err[:-1]] == [f"{path}[公开07表]:8:3", f"{path}[公开07表]:8:4"]
    assert "合并单元格 B8:D8" in err[0] and "“预算数／公务用车购置及运行费／小计”栏导入后会是空白" in err[0]
    assert err[-1] == "2 个问题，未写入任何文件。"
    assert doc.read_bytes() == before


def test_merged_label_cells_in_the_body_still_import(tmp_path, doc, capsys):
    """A merge over cells that hold no figure is how exports print 合计 across 科目编码 and 科目名称, and a
    blank merged area holds nothing to lose: both import as before."""
    path = workbook(
        tmp_path / "收入.xlsx",
        [
            ["收入决算表"],
            [
                "项目",
                None,
                "本年收入合计",
                "财政拨款收入",
                "上级补助收入",
                "事业收入",
                "经营收入",
                "附属单位上缴收入",
                "其他收入",
            ],
            ["功能分类科目编码", "科目名称"],
            ["合计", None, 2.0, 2.0],
            ["208", "社会保障和就业支出", 2.0, 2.0],
        ],
        ("A2:B2", "A4:B4", "E4:F4"),
        {"C4": "0.00", "D4": "0.00", "C5": "0.00", "D5": "0.00"},
        sheet="收入决算表",
    )
    status, _, err = run(path, doc, capsys, "公开02表")
    assert status == 0, err
    assert rows(doc, "公开02表") == [
        {"科目名称": "合计", "本年收入合计": 2, "财政拨款收入": 2},
        {"科目编码": "208", "科目名称": "社会保障和就业支出", "本年收入合计": 2, "财政拨款收入": 2},
    ]


def test_a_merged_footer_total_imports_and_a_label_merged_over_a_total_is_refused(tmp_path, doc, capsys):
    """公开06表's 公用经费合计 is one footer cell over four columns: a workbook merges them, the total in the
    first. A label merged over a total's cell leaves the total blank: that is refused."""
    head = [
        ["人员经费", None, None, "公用经费"],
        ["科目编码", "科目名称", "决算数", "科目编码", "科目名称", "决算数", "科目编码", "科目名称", "决算数"],
        ["301", "工资福利支出", 1.5, "302", "商品和服务支出", 2.5],
    ]
    merges = ("A1:C1", "D1:I1", "A4:B4", "D4:E4")
    path = workbook(
        tmp_path / "基本支出.xlsx",
        [*head, ["人员经费合计", None, 1.5, "公用经费合计", None, 2.5]],
        (*merges, "F4:I4"),
        sheet="公开06表",
    )
    status, _, err = run(path, doc, capsys, "公开06表")
    assert status == 0, err
    assert {k: v.amount for k, v in table(doc, "公开06表").totals.items()} == {
        "人员经费合计": Decimal("1.5"),
        "公用经费合计": Decimal("2.5"),
    }
    before = doc.read_bytes()
    path = workbook(
        tmp_path / "基本支出2.xlsx",
        [*head, ["人员经费合计", None, None, "公用经费合计", None, 2.5]],
        ("A1:C1", "D1:I1", "A4:C4", "D4:E4", "F4:I4"),
        sheet="公开06表",
    )
    status, _, err = run(path, doc, capsys, "公开06表")
    assert status == 1
    assert err[0].startswith(
        f"{path}[公开06表]:4:3: 此格与 A4 合并（合并单元格 A4:C4），内容只保存在 A4 中，表尾的“人员经费合计”导入后会是空白"
    )
    assert doc.read_bytes() == before
