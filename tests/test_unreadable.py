"""Marked uncertainty (issue 21): a cell whose original prints something that cannot be read as a
figure (雨花's 48.5044.05: two figures run together) is written `{unreadable: 原件印的文字}`. Its
text is kept exactly; the page shows it with the words 无法辨认; the rules that need it are 无法核对,
never 相符; the summaries, the 数据核对 page and `check` say how many cells are marked; the CSV and
the workbook hold 无法辨认： and the text, the JSON null and the cell listed apart; and the audit
holds every one of these to data/."""

from __future__ import annotations

import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import frictionless
import openpyxl
import pytest

from generator.build.audit import audit_document
from generator.check.document import check_document
from generator.core import urls
from generator.core.model import FreeTable, Unreadable
from generator.core.problems import Mark
from generator.core.results import ERROR, NOTICE, OK, UNCHECKED, UNREADABLE, WARNING, Result
from generator.core.unreadable import marked_cells
from generator.export.downloads import csv_text, datapackage
from generator.export.downloads import write_document as write_downloads
from generator.export.tabular import document_tables
from generator.load.loader import load_site
from generator.render.charts import document_charts, headline_comparisons
from generator.render.check_results import summary
from generator.render.comparison import compare_bureau
from generator.render.headline import headline
from generator.render.pages import all_pages, document_pages

from helpers import (
    DATA,
    DOCUMENT_FILE,
    MINIMAL_BUREAU,
    MINIMAL_DOCUMENT,
    SEEDS,
    build_site,
    copy_fragment_forms,
    load_document,
    run_generator,
    san_gong,
    write,
    write_document,
)
from helpers import RECORD_ACTUAL as ACTUAL
from helpers import RECORD_BUDGET_2020 as BUDGET_2020

# 公开02表 with its 合计 marked: the tree rule (合计 = Σ类) needs it, the column rule of 208 does not.
MARKED_TOTAL = MINIMAL_DOCUMENT.replace(
    "- {科目名称: 合计, 本年收入合计: 55.11}",
    '- {科目名称: 合计, 本年收入合计: {unreadable: "55.1155.11", note: 似为两个数连在一起}, 财政拨款收入: 55.11}',
).replace(
    '- {科目编码: "208", 科目名称: 社会保障和就业支出, 本年收入合计: 55.11}',
    '- {科目编码: "208", 科目名称: 社会保障和就业支出, 本年收入合计: 55.11, 财政拨款收入: 55.11}',
)
YUHUA = "changsha-yuhua-ybj/2020/jixiao"


def problems_of(data_dir: Path) -> list[str]:
    _, problems = load_site(data_dir)
    return [str(p) for p in problems.items]


def table_of(document, number: str):
    return next(table for _, table in document.tables() if getattr(table, "number", None) == number)


# ---- writing one ----


def test_a_marked_cell_keeps_the_original_s_text_and_has_no_figure(data_dir):
    doc = load_document(data_dir, MARKED_TOTAL)
    total = table_of(doc, "公开02表").panels[0].rows[0].cells["本年收入合计"]
    assert isinstance(total, Unreadable)
    assert (total.amount, total.text, total.note) == (None, "55.1155.11", "似为两个数连在一起")


def test_fixed_rows_totals_and_percentages_can_be_marked(data_dir):
    text = MINIMAL_DOCUMENT + (
        "      - title: 一、收入支出决算总表\n"
        "        table:\n"
        "          form: 公开01表\n"
        "          values:\n"
        "            收入:\n"
        "              一般公共预算财政拨款收入: {unreadable: 1.2.3}\n"
        "              本年收入合计:\n"
        "                unreadable: 4.5.6\n"
        "      - title: 六、基本支出决算表\n"
        "        table:\n"
        "          form: 公开06表\n"
        "          totals: {人员经费合计: {unreadable: 7.8.9}, 公用经费合计: 1}\n"
    )
    doc = load_document(data_dir, text)
    income = table_of(doc, "公开01表").panels[0].fixed
    assert income["一般公共预算财政拨款收入"]["金额"].text == "1.2.3"
    assert income["本年收入合计"]["金额"].text == "4.5.6"
    assert table_of(doc, "公开06表").totals["人员经费合计"].text == "7.8.9"


@pytest.mark.parametrize(
    ("cell", "said"),
    [
        ("{unreadable: '55.11'}", "'55.11' 读得出是一个数，不能标为无法辨认：照原件写这个数"),
        ("{unreadable: '5,511.00'}", "'5,511.00' 带千分位逗号：请写成 5511.00"),  # readable, written otherwise
        (
            "{unreadable: 5.5.1, remark: x}",
            "无法辨认的格只写 unreadable（原件印的文字）和 note（说明）：没有键 'remark'",
        ),
        ("{unreadable: ''}", "这里应写原件印的文字，却是空的"),
        ("{unreadable: 5.5.1, note: ''}", "这里应写说明，却是空的"),
    ],
)
def test_a_mark_that_is_wrong_is_refused_at_its_place(data_dir, cell, said):
    write_document(
        data_dir,
        MINIMAL_DOCUMENT.replace(
            "本年收入合计: 55.11}\n            - {科目编码", f"本年收入合计: {cell}}}\n            - {{科目编码"
        ),
    )
    found = problems_of(data_dir)
    assert len(found) == 1 and found[0].startswith(f"{data_dir / DOCUMENT_FILE}:") and found[0].endswith(said), found


def test_only_figures_can_be_marked(data_dir):
    write_document(
        data_dir, MINIMAL_DOCUMENT.replace("科目名称: 社会保障和就业支出", "科目名称: {unreadable: 社会保障}")
    )
    assert problems_of(data_dir) == [
        f"{data_dir / DOCUMENT_FILE}:17:35: 只有金额和百分比的格可以标为无法辨认（unreadable）：这一栏照原件写文字即可"
    ]


FREE = """
title: 2020年度测试区医疗保障局部门整体支出绩效自评
kind: 绩效
year: 2020
parts:
  - title: 附件1
    sections:
      - title: 基础数据表
        table:
          id: jichu
          title: 基础数据表
          grid:
            - [{text: 项目, header: true}, {text: 2020年预算数, header: true}, {text: 2020年决算数, header: true}]
            - [医疗保障专项经费, "50", {unreadable: "48.5044.05", note: 似为 48.50 与 44.05 两个数连在一起}]
            - [窗口服务人员专项, "7", "<b>5</b>"]
"""


def test_a_free_table_cell_is_marked_the_same_way(data_dir):
    doc = load_document(data_dir, FREE)
    cell = next(table for _, table in doc.tables()).grid[1][2]
    assert (cell.unreadable, cell.text, cell.note) == (True, "48.5044.05", "似为 48.50 与 44.05 两个数连在一起")


@pytest.mark.parametrize(
    ("cell", "said"),
    [
        ('{text: "48", unreadable: "48.5044.05"}', "一格只写 text 或 unreadable 中的一个"),
        ('{text: "48", note: 两个数}', "note 是无法辨认的格的说明，只和 unreadable 一起写"),
        ('{unreadable: "76%"}', "'76%' 读得出是一个数，不能标为无法辨认"),
    ],
)
def test_a_free_table_mark_that_is_wrong_is_refused(data_dir, cell, said):
    write_document(data_dir, FREE.replace('{unreadable: "48.5044.05", note: 似为 48.50 与 44.05 两个数连在一起}', cell))
    found = problems_of(data_dir)
    assert len(found) == 1 and said in found[0], found


def test_a_free_table_cell_is_named_by_the_header_row_nearest_above_it(data_dir):
    two_rows = FREE.replace(
        "          grid:\n",
        "          grid:\n            - [{text: 部门整体支出, header: true, colspan: 3}]\n",
    )
    doc = load_document(data_dir, two_rows)
    (cell,) = marked_cells(next(table for _, table in doc.tables()))
    assert cell.where == "“医疗保障专项经费”行“2020年决算数”栏"


# ---- checking ----


def test_a_rule_that_needs_a_marked_cell_cannot_be_checked_and_is_not_said_to_agree(data_dir):
    doc = load_document(data_dir, MARKED_TOTAL)
    results = check_document(doc)
    tree = [r for r in results if "合计 = 各类之和" in r.says]
    assert [r.status for r in tree] == [UNCHECKED, OK]  # 本年收入合计 (marked), 财政拨款收入 (55.11)
    assert tree[0].explain().endswith("：无法核对（原件中所需的数无法辨认：“55.1155.11”）")
    columns = [r for r in results if "合计：本年收入合计 = 财政拨款收入" in r.says]
    assert [r.status for r in columns] == [UNCHECKED]
    marked = [r for r in results if r.status == UNREADABLE]
    assert [r.explain() for r in marked] == [
        "公开02表 收入决算表 “合计”行“本年收入合计”栏原件印作“55.1155.11”，无法辨认为一个数（似为两个数连在一起），不参与核对"
    ]
    assert marked[0].mark == table_of(doc, "公开02表").panels[0].rows[0].cells["本年收入合计"].mark


def test_a_marked_part_keeps_its_sum_from_being_checked_too(data_dir):
    """The mark on a part (a 类's figure), not on the total: the sum is not taken without it."""
    doc = load_document(
        data_dir,
        MINIMAL_DOCUMENT.replace(
            "科目名称: 社会保障和就业支出, 本年收入合计: 55.11}",
            "科目名称: 社会保障和就业支出, 本年收入合计: {unreadable: 5.5.11}}",
        ),
    )
    (tree,) = [r for r in check_document(doc) if "合计 = 各类之和" in r.says]
    assert tree.status == UNCHECKED and tree.reason == "原件中所需的数无法辨认：“5.5.11”"


def _results(*statuses: str) -> list[Result]:
    mark = Mark(Path("x.yaml"), 1, 1)
    return [
        Result(
            status, None, None, mark, "规则", reason="原件中所需的数无法辨认：“1.2.3”" if status == UNCHECKED else ""
        )
        for status in statuses
    ]


@pytest.mark.parametrize(
    ("statuses", "said"),
    [
        ((UNREADABLE,), ("unreadable", "1 格原件无法辨认，不参与核对")),
        ((UNREADABLE, UNCHECKED), ("unreadable", "1 格原件无法辨认，用到它们的 1 项无法核对")),
        (
            (OK, NOTICE, UNREADABLE),
            (
                "unreadable",
                "核对 2 项：全部相符，其中 1 项有尾数差异（金额换算的四舍五入所致）；另有 1 格原件无法辨认，不参与核对",
            ),
        ),
        ((OK, WARNING, UNREADABLE), ("warning", "核对 2 项：1 项需留意；另有 1 格原件无法辨认，不参与核对")),
        ((ERROR, UNREADABLE, UNREADABLE), ("error", "核对 1 项：1 项不符；另有 2 格原件无法辨认，不参与核对")),
    ],
)
def test_a_summary_says_the_marked_cells_after_what_was_checked_and_never_that_all_is_in_order(statuses, said):
    assert summary(_results(*statuses)) == said


def test_the_summaries_say_how_many_cells_are_marked(data_dir):
    doc = load_document(data_dir, MARKED_TOTAL)
    results = check_document(doc)
    css, line = summary(results)
    assert css == "unreadable"
    assert line.endswith("全部相符；另有 1 格原件无法辨认，用到它们的 3 项无法核对")
    site, _ = load_site(data_dir)
    pages = {page.src: page.html for page in document_pages(site, site.documents[0], check_document(site.documents[0]))}
    index = pages["ceshi-ybj/2020/juesuan/index.md"]
    assert "另有 1 格原件无法辨认，用到它们的 3 项无法核对。" in index
    tables = pages["ceshi-ybj/2020/juesuan/part2.md"]
    assert '<div class="gk-check gk-check-unreadable"><details><summary>' in tables
    assert '<li class="gk-check-unreadable"><strong>无法辨认</strong>：公开02表 收入决算表 “合计”行' in tables
    checks = pages["ceshi-ybj/2020/juesuan/checks.md"]
    assert '<tr class="gk-check-unreadable"><td>无法辨认</td><td>公开02表 收入决算表 “合计”行' in checks
    assert '<tr class="gk-check-unchecked"><td>无法核对</td>' in checks


def test_without_a_marked_cell_the_summary_is_as_it_was(data_dir):
    doc = load_document(data_dir, MINIMAL_DOCUMENT)
    # 合计 = 各类之和, and each row's 本年收入合计 not negative (a bound, 合计 ≥ 0)
    assert summary(check_document(doc)) == ("ok", "核对 3 项：全部相符")


def test_a_reference_to_a_marked_cell_is_an_error(data_dir):
    text = MARKED_TOTAL.replace("body: 负责医疗保障。", "body: 本年收入合计{{公开02表:合计.本年收入合计}}万元。")
    doc = load_document(data_dir, text)
    (error,) = [r for r in check_document(doc) if r.status == "error"]
    assert "原件印作“55.1155.11”，无法辨认：不能引用" in error.explain()


def test_a_rule_by_code_across_tables_cannot_check_a_marked_cell_either(tmp_path):
    """东西湖's 表3 with one 总计 marked: the form set's codes rule (表3 ≥ 表5, 科目 by 科目) and the
    row's own rules (its sum, and 总计 not negative) are 无法核对, where they were 相符."""
    data = tmp_path / "data"
    shutil.copytree(DATA / "forms", data / "forms")
    shutil.copytree(DATA / "wuhan-dongxihu-ybj", data / "wuhan-dongxihu-ybj")
    path = data / "wuhan-dongxihu-ybj" / "2020" / "yusuan.yaml"
    text = path.read_text(encoding="utf-8")
    row = "单位名称: 行政单位医疗, 总计: 8.71,"
    assert text.index(row) < text.index("form: 表5")  # the first is 表3's
    path.write_text(text.replace(row, "单位名称: 行政单位医疗, 总计: {unreadable: 8.7.1},", 1), encoding="utf-8")
    site, problems = load_site(data)
    assert not problems.items, [str(p) for p in problems.items]
    results = check_document(site.documents[0])
    blocked = sorted(r.says for r in results if r.status == UNCHECKED and "“8.7.1”" in r.reason)
    assert blocked == [
        "表3 2101101 总计 ≥ 表5 2101101 总计",
        "表3 2101101 行政单位医疗：总计 = 基本支出小计 + 部门项目小计 + 公共项目小计",
        "表3 2101101 行政单位医疗：总计 ≥ 0",
    ]


def test_check_says_each_marked_cell_and_how_many(data_dir):
    write_document(data_dir, MARKED_TOTAL)
    done = run_generator("check", "data", "--no-cache", cwd=data_dir.parent)
    assert done.returncode == 0, done.stderr
    assert (
        f"data/{DOCUMENT_FILE}:16:34: 提示：公开02表 收入决算表 “合计”行“本年收入合计”栏原件印作“55.1155.11”，"
        "无法辨认为一个数（似为两个数连在一起），不参与核对"
    ) in done.stderr.splitlines()
    assert done.stdout.splitlines()[-1] == (
        "通过：1 个部门，1 份公开文件；核对 6 项：3 项相符，0 个提示，0 个警告，3 项无法核对，0 个错误照原件公开；"
        "1 格标为原件无法辨认，不参与核对"
    )


# ---- showing and downloading ----


def test_the_page_shows_the_original_s_text_with_words_that_say_it_cannot_be_read(data_dir):
    write_document(data_dir, MARKED_TOTAL.replace('"55.1155.11"', '"55.11<55.11"'))
    site, problems = load_site(data_dir)
    assert not problems.items, [str(p) for p in problems.items]
    pages = {page.src: page.html for page in document_pages(site, site.documents[0], check_document(site.documents[0]))}
    assert (
        '<td class="gk-num gk-unreadable"><span class="gk-unreadable-text">55.11&lt;55.11</span> '
        '<span class="gk-unreadable-tag">无法辨认</span></td>'
    ) in pages["ceshi-ybj/2020/juesuan/part2.md"]


def test_a_free_table_shows_a_status_only_when_a_cell_is_marked(data_dir):
    write_document(data_dir, FREE)
    site, _ = load_site(data_dir)
    doc = site.documents[0]
    html = document_pages(site, doc, check_document(doc))[1].html
    assert '<td class="gk-unreadable"><span class="gk-unreadable-text">48.5044.05</span>' in html
    assert "<summary>1 格原件无法辨认，不参与核对</summary>" in html
    assert "“医疗保障专项经费”行“2020年决算数”栏原件印作“48.5044.05”" in html
    write_document(
        data_dir, FREE.replace('{unreadable: "48.5044.05", note: 似为 48.50 与 44.05 两个数连在一起}', '"48"')
    )
    site, _ = load_site(data_dir)
    doc = site.documents[0]
    assert "gk-check" not in document_pages(site, doc, check_document(doc))[1].html


def test_the_csv_says_the_cell_cannot_be_read_and_the_package_keeps_the_column_numeric(data_dir, tmp_path):
    doc = load_document(data_dir, MARKED_TOTAL)
    (data,) = document_tables(doc)
    lines = csv_text(data.blocks[0], data.unit).splitlines()
    assert lines[1].startswith(",合计,无法辨认：55.1155.11,55.11")
    package = datapackage(doc, [data])
    schema = package["resources"][0]["schema"]
    assert schema["missingValues"] == ["", "无法辨认：55.1155.11"]
    assert next(f for f in schema["fields"] if f["name"].startswith("本年收入合计"))["type"] == "number"
    assert "以“无法辨认：”开头的格" in package["resources"][0]["description"]
    write_downloads(doc, tmp_path)
    folder = tmp_path / urls.downloads_dir(doc)
    resource = frictionless.Package(str(folder / "datapackage.json")).get_resource("gk02")
    rows = resource.read_rows()
    assert rows[0]["本年收入合计（万元）"] is None and rows[1]["本年收入合计（万元）"] == Decimal("55.11")
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])[:5]


def test_the_json_holds_null_and_lists_the_cell_with_its_text(data_dir, tmp_path):
    doc = load_document(data_dir, MARKED_TOTAL)
    write_downloads(doc, tmp_path)
    written = json.loads(
        (tmp_path / urls.downloads_dir(doc) / "ceshi-ybj-2020-juesuan.json").read_text(encoding="utf-8")
    )
    block = written["tables"][0]["blocks"][0]
    assert block["unreadable"] == [{"row": 0, "column": 2, "text": "55.1155.11", "note": "似为两个数连在一起"}]
    assert block["rows"][0][:4] == [None, "合计", None, 55.11]  # null: a column of figures holds numbers only
    assert list(block)[-1] == "rows"


def test_the_workbook_holds_the_text_as_text_with_a_note(data_dir, tmp_path):
    doc = load_document(data_dir, MARKED_TOTAL)
    write_downloads(doc, tmp_path)
    sheet = openpyxl.load_workbook(tmp_path / urls.downloads_dir(doc) / "ceshi-ybj-2020-juesuan.xlsx").worksheets[0]
    cells = {c.value: c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
    marked = cells["无法辨认：55.1155.11"]
    assert marked.data_type == "s" and marked.column == 3
    assert any(text.startswith("以“无法辨认：”开头的格") for text in cells)
    numbers = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, (int, float))]
    assert 55.11 in numbers


@pytest.fixture(scope="module")
def marked_site(tmp_path_factory) -> tuple[Path, Path]:
    """A site built from a data tree whose 公开02表 has its 合计 marked and whose free table has a
    marked cell: the build's audit passes it."""
    root = tmp_path_factory.mktemp("marked")
    data = root / "data"
    copy_fragment_forms(data / "forms")
    (data / "ceshi-ybj" / "2020").mkdir(parents=True)
    (data / "ceshi-ybj" / "bureau.yaml").write_text(MINIMAL_BUREAU, encoding="utf-8")
    (data / DOCUMENT_FILE).write_text(MARKED_TOTAL, encoding="utf-8")
    (data / "ceshi-ybj" / "2020" / "jixiao.yaml").write_text(FREE, encoding="utf-8")
    return data, build_site(data, root / "site")


def test_the_audit_passes_a_site_with_marked_cells_and_catches_a_mark_lost(marked_site, tmp_path):
    data, built = marked_site
    site, _ = load_site(data)
    documents = {doc.slug: doc for doc in site.documents}
    assert [audit_document(doc, str(built)) for doc in site.documents] == [[], []]
    copy = tmp_path / "site"
    shutil.copytree(built, copy)
    juesuan = documents["juesuan"]
    page = copy / "ceshi-ybj/2020/juesuan/part2/index.html"
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace(' <span class="gk-unreadable-tag">无法辨认</span>', ""), encoding="utf-8")
    (problem,) = audit_document(juesuan, str(copy))
    assert "part2/index.html" in problem.message and "55.1155.11" in problem.message
    page.write_text(html, encoding="utf-8")
    data_json = copy / "ceshi-ybj/2020/juesuan/xiazai/ceshi-ybj-2020-juesuan.json"
    text = data_json.read_text(encoding="utf-8")
    data_json.write_text(re.sub(r'"unreadable": \[.*?\], ', "", text), encoding="utf-8")
    (problem,) = audit_document(juesuan, str(copy))
    assert "应列出 1 格原件无法辨认的格，却列出 0 格" in problem.message
    data_json.write_text(text.replace('"row": 0, "column": 2', '"row": 1, "column": 2'), encoding="utf-8")
    (problem,) = audit_document(juesuan, str(copy))
    assert "与表中的格对不上" in problem.message
    data_json.write_text(text, encoding="utf-8")
    csv_file = copy / "ceshi-ybj/2020/juesuan/xiazai/gk02.csv"
    csv_file.write_bytes(csv_file.read_bytes().replace("无法辨认：55.1155.11".encode(), b""))
    problems = audit_document(juesuan, str(copy))
    assert problems and "gk02.csv" in problems[0].message


def test_the_built_free_table_and_its_downloads_carry_the_mark(marked_site):
    _, built = marked_site
    folder = built / "ceshi-ybj/2020/jixiao"
    html = (folder / "part1/index.html").read_text(encoding="utf-8")
    assert '<span class="gk-unreadable-text">48.5044.05</span> <span class="gk-unreadable-tag">无法辨认</span>' in html
    assert "无法辨认：48.5044.05" in (folder / "xiazai" / "jichu.csv").read_text(encoding="utf-8")


# ---- the real data ----


def test_yuhua_s_figures_run_together_are_marked_as_the_original_prints_them(real_site):
    seed = (SEEDS / "002_252742f164736879.txt").read_text(encoding="utf-8")
    site, _ = load_site(DATA)
    doc = next(d for d in site.documents if d.bureau.slug == "changsha-yuhua-ybj")
    table = next(t for _, t in doc.tables() if isinstance(t, FreeTable))
    marked = [(cell.text, cell.note) for row in table.grid for cell in row if cell.unreadable]
    assert [text for text, _ in marked] == ["48.5044.05", "59.908.5"]
    assert all(re.search(rf"(?m)^\t?{re.escape(text)}\u3000?$", seed) for text, _ in marked)
    assert all(note for _, note in marked)
    source = (DATA / YUHUA / "../jixiao.yaml").resolve().read_text(encoding="utf-8")
    assert "粘连" not in source and "提取为" not in source  # the notes are data now, not comments
    index = (real_site / YUHUA / "index.html").read_text(encoding="utf-8")
    # the 考核评分表's four rules of its form (hunan-jixiao-2020): 得分 ≤ 分值, the 合计 row's 分值 and
    # 评分, and its 分值 = the form's full marks; and the year its title names (2021: the 考核 of the
    # 2020 自评 work, done in the year after, check/dates.py); and two warnings of 混用标点 its original
    # prints (医药监管科(行政审批和政务服务科）, 社区,广泛宣传: check/text_quality.py)
    assert "核对 7 项：2 项需留意；另有 2 格原件无法辨认，不参与核对。" in index
    checks = (real_site / YUHUA / "checks" / "index.html").read_text(encoding="utf-8")
    assert checks.count('<tr class="gk-check-unreadable"><td>无法辨认</td>') == 2


def test_no_source_figure_was_changed_but_marked(real_site):
    """Every text of the free tables of data/ that looks like a figure is one the seeds print."""
    seeds = "".join(path.read_text(encoding="utf-8") for path in SEEDS.glob("*.txt"))
    site, _ = load_site(DATA)
    for doc in site.documents:
        for _, table in doc.tables():
            if isinstance(table, FreeTable):
                for row in table.grid:
                    for cell in row:
                        if re.fullmatch(r"[0-9][0-9.]*", cell.text):
                            assert cell.text in seeds, (doc.path, cell.text)


# ---- the headline figures and the charts ----


def test_a_headline_figure_unreadable_in_the_original_is_shown_so_and_set_against_nothing(data_dir):
    """公开07表's 决算合计 and 公务接待费 marked in 2020, readable in 2019: the figure is not left out
    as if blank, says what the original prints, and has no change on the year, no share of the
    budget, no bar in a chart (which would draw a guess or a blank)."""
    (data_dir / DOCUMENT_FILE).unlink()
    folder = data_dir / "ceshi-ybj"
    write(folder / "2020" / "juesuan.yaml", san_gong(2020, "3.00", "{unreadable: 2.502.50}"))
    write(folder / "2019" / "juesuan.yaml", san_gong(2019, "3.00", "2.00"))
    site, problems = load_site(data_dir)
    assert not problems.errors, [str(p) for p in problems.items]
    by_year = {d.year: d for d in site.documents}
    (three,) = headline(by_year[2020], "x.md").figures
    assert (three.amount, three.printed, three.budget) == (None, "2.502.50", Decimal("3.00"))
    assert (three.change, three.change_percent, three.completion) == (None, None, None)
    assert three.items[-1].printed == "2.502.50" and three.items[0].amount == Decimal(0)
    pages = {p.src: p.html for p in document_pages(site, by_year[2020])}
    overview = pages["ceshi-ybj/2020/juesuan/index.md"]
    shown = '<span class="gk-unreadable-text">2.502.50</span> <span class="gk-unreadable-tag">无法辨认</span>'
    assert f'<a class="gk-figure-value" href="part1/#gk07-决算合计">{shown}</a>' in overview
    part = pages["ceshi-ybj/2020/juesuan/part1.md"]
    # where the figure links to: the cell, marked as the figure is
    assert re.search(
        rf'<td class="gk-num gk-unreadable" id="gk07-决算合计" headers="[^"]+">{re.escape(shown)}</td>', part
    )
    assert overview.count(shown) == 3  # the card, the 公务接待费 row and the 合计 row of its table
    assert "比2019年" not in overview and "为预算的" not in overview
    assert headline_comparisons(by_year[2020]) == []
    assert [c.title for c in document_charts(by_year[2020])] == []
    # the same documents with the figure readable: each of these is there
    write(folder / "2020" / "juesuan.yaml", san_gong(2020, "3.00", "2.50"))
    site, _ = load_site(data_dir)
    readable = next(d for d in site.documents if d.year == 2020)
    assert len(headline_comparisons(readable)) == 2 and len(document_charts(readable)) == 1


def test_the_budget_and_actual_comparison_shows_a_marked_figure_and_draws_no_chart_of_it(data_dir):
    """A 预算 and a 决算 of one year side by side (test_record.py's): the 决算's 行政运行 marked. The
    comparison's row says what the original prints, marked, with no difference or completion;
    the chart of its 类 is drawn, as none of them is marked; with the 合计 marked it is not."""
    actual = ACTUAL.replace("{prose}", "说明。")

    def pages_with(total: str, item: str) -> str:
        text = actual.format(year=2020, total="330.00")
        text = text.replace(
            '科目编码: "2101501", 科目名称: 行政运行, 合计: 330.00',
            f"科目编码: '2101501', 科目名称: 行政运行, 合计: {item}",
        )
        text = text.replace("{科目名称: 合计, 合计: 330.00}", f"{{科目名称: 合计, 合计: {total}}}")
        write_document(data_dir, text)
        write(data_dir / "ceshi-ybj" / "2020" / "yusuan.yaml", BUDGET_2020)
        site, problems = load_site(data_dir)
        assert not problems.errors, [str(p) for p in problems.items]
        rows = {row.code: row for row in compare_bureau(site.bureaus[0])[0].rows}
        assert (rows["2101501"].actual_printed, rows["2101501"].difference, rows["2101501"].completion) == (
            "3.3.0" if "3.3.0" in item else None,
            None if "3.3.0" in item else Decimal("130.00"),
            None if "3.3.0" in item else Decimal("165.00"),
        )
        pages = {page.src: page.whole for page in all_pages(site, data_dir / "no-content")}
        return pages["ceshi-ybj/2020/duibi.md"]

    page = pages_with("330.00", "{unreadable: 3.3.0}")
    shown = '<td class="gk-num gk-unreadable"><span class="gk-unreadable-text">3.3.0</span> '
    assert re.search(rf">2101501</td>.*?>200\.00</td>{re.escape(shown)}", page)
    assert 'id="tu-m1"' in page  # the 类 and the 合计 are readable: drawn
    page = pages_with("{unreadable: 330.0.0}", "{unreadable: 3.3.0}")
    assert "330.0.0" in page and 'id="tu-m1"' not in page
