"""The audit (generator/audit.py) reads the built pages and downloads back: each test here builds
the real data/ (once), copies a document's folder, TAMPERS with one file the way a bug in a
renderer or a writer would (a changed figure, a dropped row, a number data/ does not hold, a
missing glossary term) and asserts that the audit reports it, at the place in data/ of the figure
concerned, as the clerk reads a problem; and that a build whose audit fails exits 1 and leaves
the previous site as it was. Whether the untouched pages and downloads agree with data/ is
tested independently of the audit by tests/test_site.py and tests/test_downloads.py.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest

from generator.build import audit
from generator.build.report import SEVERITY_WORDS
from generator.build.site import build
from generator.core.amounts import format_amount
from generator.export import downloads
from generator.load.loader import load_site

from helpers import DATA
from sitetools import WANGCHENG

BEITA = "shaoyang-beita-ybj/2020/jixiao"
YUHUA = "changsha-yuhua-ybj/2020/jixiao"
WANGCHENG_YAML = "data/changsha-wangcheng-ybj/2020/juesuan.yaml"
WANGCHENG_XLSX = f"{WANGCHENG}/xiazai/changsha-wangcheng-ybj-2020-juesuan.xlsx"
CLERK_LINE = re.compile(r"^(data/[^:]+\.yaml):(\d+):(\d+): 错误：(.+)$")


@pytest.fixture(scope="module")
def model():
    site, problems = load_site(DATA)
    assert not problems.items
    return site


@pytest.fixture
def site(real_site, model, tmp_path) -> Path:
    """A copy of the built documents (what the audit reads), to tamper with."""
    copy = tmp_path / "site"
    for bureau in model.bureaus:
        shutil.copytree(real_site / bureau.slug, copy / bureau.slug)
    return copy


def document(model, folder: str):
    bureau, year, slug = folder.split("/")
    return next(d for d in model.documents if d.bureau.slug == bureau and str(d.year) == year and d.slug == slug)


def table(model, folder: str, anchor: str):
    return next(t for _, t in document(model, folder).tables() if t.anchor == anchor)


def clerk_lines(problems) -> list[str]:
    """The problems as `check` and `build` print them."""
    return [f"{p.mark}: {SEVERITY_WORDS[p.severity]}：{p.message}" for p in problems]


def audited(model, site: Path, folder: str) -> list[str]:
    return clerk_lines(audit.audit_document(document(model, folder), str(site)))


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_untouched_site_passes_every_document(model, site):
    for doc in model.documents:
        assert audit.audit_document(doc, str(site)) == [], doc.path


def test_a_changed_figure_on_a_page_is_reported_at_its_value(model, site):
    value = table(model, WANGCHENG, "gk03").panels[0].rows[1].cells["本年支出合计"]  # 55.11 for 208
    page = site / WANGCHENG / "part2" / "index.html"
    html = page.read_text(encoding="utf-8")
    start = html.index('id="公开03表"')
    cell = f">{format_amount(value.amount)}</td>"
    at = html.index(cell, start)
    page.write_text(html[:at] + ">55.12</td>" + html[at + len(cell) :], encoding="utf-8")
    (line,) = audited(model, site, WANGCHENG)
    path, row, column, message = CLERK_LINE.match(line).groups()
    assert (path, int(row), int(column)) == tuple(value.mark)
    assert f"{WANGCHENG}/part2/index.html" in message and "公开03表" in message
    assert "应为 55.11，却是 55.12" in message


def test_a_number_data_does_not_hold_added_to_a_table_on_a_page_is_reported(model, site):
    page = site / WANGCHENG / "part2" / "index.html"
    html = page.read_text(encoding="utf-8")
    start, end = html.index('id="公开07表"'), html.index('<p class="gk-downloads">', html.index('id="公开07表"'))
    blank = '<td class="gk-num"></td>'
    at = html.rindex(blank, start, end) if blank in html[start:end] else None
    if at is None:  # every cell filled: add a cell to the last row instead
        at = html.rindex("</tr>", start, end)
        blank = ""
    page.write_text(html[:at] + '<td class="gk-num">4,321.09</td>' + html[at + len(blank) :], encoding="utf-8")
    problems = audited(model, site, WANGCHENG)
    assert len(problems) == 1 and CLERK_LINE.match(problems[0])
    assert "公开07表" in problems[0] and "4,321.09" in problems[0]


def test_a_row_dropped_from_a_csv_is_reported(model, site):
    path = site / WANGCHENG / "xiazai" / "gk03.csv"
    lines = path.read_bytes().decode("utf-8").split("\r\n")
    dropped = lines.pop(3)
    assert re.search(r"\d\.\d\d", dropped)  # a row with figures
    path.write_bytes("\r\n".join(lines).encode("utf-8"))
    (line,) = audited(model, site, WANGCHENG)
    path_, *_ = CLERK_LINE.match(line).groups()
    assert path_ == WANGCHENG_YAML
    assert f"{WANGCHENG}/xiazai/gk03.csv" in line and "公开03表" in line


def test_a_changed_figure_in_the_json_is_reported(model, site):
    value = table(model, WANGCHENG, "gk03").panels[0].rows[1].cells["本年支出合计"]
    path = site / WANGCHENG / "xiazai" / "changsha-wangcheng-ybj-2020-juesuan.json"
    text = path.read_text(encoding="utf-8")
    start = text.index('"csv": "gk03.csv"')
    at = text.index(f", {value.amount}, ", start)
    path.write_text(text[:at] + ", 55.1, " + text[at + len(f", {value.amount}, ") :], encoding="utf-8")
    (line,) = audited(model, site, WANGCHENG)
    path_, row, column, message = CLERK_LINE.match(line).groups()
    assert (path_, int(row), int(column)) == tuple(value.mark)
    assert "gk03.csv" in message and "应为 55.11，却是 55.1" in message


def test_a_row_added_to_the_json_is_reported_as_figures_data_does_not_hold(model, site):
    path = site / WANGCHENG / "xiazai" / "changsha-wangcheng-ybj-2020-juesuan.json"
    text = path.read_text(encoding="utf-8")
    end = text.index("\n    ]}", text.index('"csv": "gk03.csv"'))
    last = text[text.rindex("\n      [", 0, end) : end]  # the block's last row, its figures changed
    added = re.sub(r"(?<=, )\d+\.\d\d(?=[,\]])", "1.23", last, count=1)
    assert added != last
    path.write_text(text[:end] + "," + added + text[end:], encoding="utf-8")
    (line,) = audited(model, site, WANGCHENG)
    assert CLERK_LINE.match(line) and "gk03.csv" in line and "多出 data/ 没有的数字" in line


def test_a_changed_number_in_a_free_table_s_csv_is_reported(model, site):
    free = table(model, BEITA, "ydjs-duibi")
    number = next(n for row in free.grid[2:] for c in row for n in re.findall(r"\d+\.\d\d", c.text))
    path = site / BEITA / "xiazai" / "ydjs-duibi.csv"
    replace_once(path, number, number[:-1] + str((int(number[-1]) + 1) % 10))
    (line,) = audited(model, site, BEITA)
    assert CLERK_LINE.match(line) and "ydjs-duibi.csv" in line


def test_a_changed_score_in_an_indicator_table_on_a_page_is_reported(model, site):
    indicators = table(model, YUHUA, "kaohe-pingfen")
    leaf = next(leaf for leaf in indicators.leaves() if leaf.scored is not None)
    # the part's page, which the audit reads (the one-page text prints the table again: not audited)
    pages = [p for p in (site / YUHUA).rglob("index.html") if p.parent.name != "quanwen"]
    page = next(p for p in pages if 'id="kaohe-pingfen-form"' in p.read_text(encoding="utf-8"))
    replace_once(
        page,
        f'<td class="gk-num gk-scored" data-label="评分">{leaf.scored}</td>',
        '<td class="gk-num gk-scored" data-label="评分">99.5</td>',
    )
    (line,) = audited(model, site, YUHUA)
    path_, row, column, message = CLERK_LINE.match(line).groups()
    assert (path_, int(row), int(column)) == tuple(leaf.mark)
    assert "却是 99.5" in message


def test_a_glossary_term_missing_from_its_part_is_reported(model, site):
    doc = document(model, WANGCHENG)
    use = next(u for part in doc.parts for u in part.glossary if u.term == "基本支出")
    page = site / WANGCHENG / "part4" / "index.html"
    html = page.read_text(encoding="utf-8")
    heading = re.search(r'<h2 id="term-基本支出">基本支出<a class="headerlink"[^>]*>¶</a></h2>', html).group(0)
    page.write_text(html.replace(heading, ""), encoding="utf-8")
    (line,) = audited(model, site, WANGCHENG)
    path_, row, column, message = CLERK_LINE.match(line).groups()
    assert (path_, int(row), int(column)) == tuple(use.mark)
    assert "基本支出" in message and f"{WANGCHENG}/part4/index.html" in message


def test_a_table_missing_from_its_page_is_reported(model, site):
    page = site / WANGCHENG / "part2" / "index.html"
    html = page.read_text(encoding="utf-8")
    start = html.index('<div class="gk-table-meta">', html.index('id="gk09"'))
    end = html.index("</p>", html.index('<p class="gk-downloads">', start)) + len("</p>")
    page.write_text(html[:start] + html[end:], encoding="utf-8")
    (line,) = audited(model, site, WANGCHENG)
    assert CLERK_LINE.match(line) and "part2/index.html 应有 9 张表，却有 8 张" in line


def test_a_missing_csv_is_reported(model, site):
    (site / WANGCHENG / "xiazai" / "gk05.csv").unlink()
    (line,) = audited(model, site, WANGCHENG)
    assert CLERK_LINE.match(line) and "gk05.csv 不存在" in line


# ---- the workbook ----


def sheet_number(model, folder: str, anchor: str) -> int:
    """The sheet of a table: the workbook has a sheet per table, in the document's order."""
    tables = [t for _, t in document(model, folder).tables()]
    return 1 + tables.index(table(model, folder, anchor))


def rewrite_sheet(workbook: Path, number: int, change) -> None:
    """The workbook written again with sheet *number*'s XML changed by *change* (str → str)."""
    with zipfile.ZipFile(workbook) as old:
        members = [(info.filename, old.read(info)) for info in old.infolist()]
    name = f"xl/worksheets/sheet{number}.xml"
    assert name in dict(members)
    with zipfile.ZipFile(workbook, "w", zipfile.ZIP_DEFLATED) as new:
        for member, data in members:
            if member == name:
                changed = change(data.decode("utf-8"))
                assert changed != data.decode("utf-8")
                data = changed.encode("utf-8")
            new.writestr(member, data)


def test_a_changed_figure_in_a_workbook_sheet_is_reported_at_its_value(model, site):
    value = table(model, WANGCHENG, "gk03").panels[0].rows[1].cells["本年支出合计"]  # 55.11 for 208
    number = sheet_number(model, WANGCHENG, "gk03")
    rewrite_sheet(site / WANGCHENG_XLSX, number, lambda xml: xml.replace(f"<v>{value.amount}</v>", "<v>55.12</v>", 1))
    (line,) = audited(model, site, WANGCHENG)
    path, row, column, message = CLERK_LINE.match(line).groups()
    assert (path, int(row), int(column)) == tuple(value.mark)
    assert f"{WANGCHENG_XLSX} 第 {number} 张工作表" in message and "公开03表" in message
    assert "应为 55.11，却是 55.12" in message


def test_a_numeric_cell_data_does_not_hold_added_to_a_sheet_is_reported(model, site):
    number = sheet_number(model, WANGCHENG, "gk07")
    added = '<c r="Z999" s="8"><v>4321.09</v></c></row></sheetData>'  # after the note: the sheet's last cell
    rewrite_sheet(site / WANGCHENG_XLSX, number, lambda xml: xml.replace("</row></sheetData>", added))
    (line,) = audited(model, site, WANGCHENG)
    assert CLERK_LINE.match(line).group(1) == WANGCHENG_YAML
    assert "公开07表" in line and "多出 data/ 没有的数字 4321.09" in line


def test_a_whole_number_in_a_line_number_s_style_is_no_line_number_when_it_has_decimals(model, site):
    """行次 (whole numbers in their own style) are the form's, not data/'s: anything else in that
    style is a figure data/ must hold."""
    number = sheet_number(model, WANGCHENG, "gk01")
    line_style = audit.style_index("line", False)
    added = f'<c r="Z999" s="{line_style}"><v>7.5</v></c></row></sheetData>'
    rewrite_sheet(site / WANGCHENG_XLSX, number, lambda xml: xml.replace("</row></sheetData>", added))
    (line,) = audited(model, site, WANGCHENG)
    assert CLERK_LINE.match(line) and "公开01表" in line and "多出 data/ 没有的数字 7.5" in line


def test_a_code_written_as_a_number_in_a_sheet_is_reported_at_the_code(model, site):
    """Its digits are right, but a numeric cell loses a code's leading zeros in Excel."""
    code = table(model, WANGCHENG, "gk03").panels[0].rows[1].cells["科目编码"]
    number = sheet_number(model, WANGCHENG, "gk03")
    code_style = audit.style_index("code", False)
    text_cell = re.compile(rf'(<c r="[A-Z]+[0-9]+") s="{code_style}" t="inlineStr"><is><t>{code.text}</t></is></c>')
    rewrite_sheet(site / WANGCHENG_XLSX, number, lambda xml: text_cell.sub(rf'\1 s="8"><v>{code.text}</v></c>', xml, 1))
    (line,) = audited(model, site, WANGCHENG)
    path, row, column, message = CLERK_LINE.match(line).groups()
    assert (path, int(row), int(column)) == tuple(code.mark)
    assert f"{code.text} 应为文本格（科目编码），却是数字格" in message


def test_a_code_s_leading_zero_dropped_in_a_sheet_is_reported_at_the_code(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA / "forms", data / "forms")
    shutil.copy(DATA / "glossary.yaml", data / "glossary.yaml")
    shutil.copytree(DATA / "wuhan-dongxihu-ybj", data / "wuhan-dongxihu-ybj")
    replace_once(data / "wuhan-dongxihu-ybj/2020/yusuan.yaml", '{单位编码: "28001",', '{单位编码: "028001",')
    assert build(data, tmp_path / "site", jobs=1) == 0
    loaded, problems = load_site(data)
    (doc,) = loaded.documents
    income = next(t for _, t in doc.tables() if getattr(t.form, "number", None) == "表2")
    code = income.panels[0].rows[2].cells["单位编码"]
    assert code.text == "028001"
    folder = tmp_path / "site" / "wuhan-dongxihu-ybj/2020/yusuan"
    number = 1 + [t for _, t in doc.tables()].index(income)
    rewrite_sheet(
        folder / "xiazai/wuhan-dongxihu-ybj-2020-yusuan.xlsx",
        number,
        lambda xml: xml.replace("<t>028001</t>", "<t>28001</t>", 1),
    )
    (line,) = clerk_lines(audit.audit_document(doc, str(tmp_path / "site")))
    path, row, column, message = CLERK_LINE.match(line.replace(str(data), "data")).groups()
    assert (int(row), int(column)) == tuple(code.mark)[1:] and path.endswith("wuhan-dongxihu-ybj/2020/yusuan.yaml")
    assert "应为 028001，却是 28001" in message and "表2" in message


def test_a_changed_rate_in_a_block_of_a_self_evaluation_sheet_is_reported_at_its_row(model, site):
    """A table of several blocks (基本情况, 资金情况, 绩效指标) is read block by block from the
    captions; a rate is written as the fraction it is (287.00% as 2.87)."""
    evaluation = table(model, WANGCHENG, "zpb-zhengti")
    row = next(row for row in evaluation.funds if row.rate is not None)
    written = f"{row.rate / 100:f}"
    number = sheet_number(model, WANGCHENG, "zpb-zhengti")
    rewrite_sheet(site / WANGCHENG_XLSX, number, lambda xml: xml.replace(f"<v>{written}</v>", "<v>9.99</v>", 1))
    (line,) = audited(model, site, WANGCHENG)
    path, row_, column, message = CLERK_LINE.match(line).groups()
    assert (path, int(row_), int(column)) == tuple(row.mark)
    assert f"第 {number} 张工作表（资金情况）" in message and f"应为 {written}，却是 9.99" in message


def test_a_changed_number_in_a_free_table_s_sheet_is_reported(model, site):
    free = table(model, BEITA, "ydjs-duibi")
    found = next(n for row in free.grid[2:] for c in row for n in re.findall(r"\d+\.\d\d", c.text))
    changed = found[:-1] + str((int(found[-1]) + 1) % 10)
    number = sheet_number(model, BEITA, "ydjs-duibi")
    workbook = next((site / BEITA / "xiazai").glob("*.xlsx"))
    rewrite_sheet(workbook, number, lambda xml: xml.replace(found, changed, 1))
    (line,) = audited(model, site, BEITA)
    assert CLERK_LINE.match(line) and f"第 {number} 张工作表" in line and f"应为 {found}，却是 {changed}" in line


def test_a_missing_workbook_is_reported(model, site):
    (site / WANGCHENG_XLSX).unlink()
    (line,) = audited(model, site, WANGCHENG)
    assert CLERK_LINE.match(line) and f"{WANGCHENG_XLSX} 不存在" in line


# ---- the build ----


def test_a_build_whose_audit_fails_exits_1_and_leaves_the_previous_site(data_dir, tmp_path, monkeypatch, capsys):
    site = tmp_path / "site"
    assert build(data_dir, site) == 0
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    capsys.readouterr()

    written = downloads.write_documents

    def write_then_lose_a_row(bureaus, root, *rest):  # a writer's bug: the CSV's last row is lost
        written(bureaus, root, *rest)
        for csv_file in root.glob("*/*/*/xiazai/gk02.csv"):
            text = csv_file.read_bytes().decode("utf-8")
            csv_file.write_bytes(text[: text.rindex("\r\n", 0, len(text) - 2) + 2].encode("utf-8"))

    monkeypatch.setattr(downloads, "write_documents", write_then_lose_a_row)
    # in this process, where the writer is patched; not from the build cache, which would skip it
    assert build(data_dir, site, jobs=1, reuse=False) == 1
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if "gk02.csv" in line]
    assert len(lines) == 1
    path, row, column, message = re.match(r"^(.+\.yaml):(\d+):(\d+): 错误：(.+)$", lines[0]).groups()
    assert path.endswith("ceshi-ybj/2020/juesuan.yaml") and "缺少 208" in message
    assert "没有发布，原来的 site/ 未改动" in err
    after = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before


# ---- a figure in the wrong column (issue 17) ----
# 公开04表's 支出 prints 合计, 一般公共预算, 政府性基金预算 and 国有资本经营预算财政拨款, the last blank in
# every row of 望城区's 决算: a writer's bug that moves 政府性基金's figure one column right keeps the
# figures in their order, so the audit must compare each with its column.

FUND, STATE = "政府性基金预算财政拨款", "国有资本经营预算财政拨款"


def moved_values(model) -> list:
    """The 政府性基金 figures of 公开04表's 支出 rows whose 国有资本 cell is blank, in printed order."""
    gk04 = table(model, WANGCHENG, "gk04")
    spending = next(data for data in gk04.panels if data.panel.key == "支出")
    rows = [spending.fixed.get(row.key, {}) for row in spending.panel.rows if row.key]
    return [cells[FUND] for cells in rows if FUND in cells and cells[FUND].amount is not None and STATE not in cells]


def test_figures_moved_into_the_neighbouring_blank_cell_on_a_page_are_reported_at_the_first(model, site):
    page = site / WANGCHENG / "part2" / "index.html"
    html = page.read_text(encoding="utf-8")
    start, end = html.index('id="公开04表"'), html.index('<p class="gk-downloads">', html.index('id="公开04表"'))
    cells = re.compile(
        r'(<td class="gk-num" headers="gk04h9 [^"]*">)([^<]+)(</td>\s*<td class="gk-num" headers="gk04h10 [^"]*">)(</td>)'
    )
    moved, count = cells.subn(r"\1\3\2\4", html[start:end], count=15)
    assert count == 15
    page.write_text(html[:start] + moved + html[end:], encoding="utf-8")
    first = moved_values(model)[0]
    (line,) = audited(model, site, WANGCHENG)
    path, row, column, message = CLERK_LINE.match(line).groups()
    assert (path, int(row), int(column)) == tuple(first.mark)
    assert f"{WANGCHENG}/part2/index.html" in message and "公开04表" in message
    assert f"“{FUND}”" in message and f"“{STATE}”" in message


def test_a_figure_moved_into_the_neighbouring_blank_cell_of_a_csv_is_reported_at_it(model, site):
    path = site / WANGCHENG / "xiazai" / "gk04.csv"
    rows = path.read_bytes().decode("utf-8").split("\r\n")
    header = rows[0].lstrip("\ufeff").split(",")
    # the columns named as the CSV names them, with their unit: 支出/政府性基金预算财政拨款（万元）
    fund, state = (
        next(i for i, name in enumerate(header) if name.startswith(f"支出/{key}（")) for key in (FUND, STATE)
    )
    number = next(i for i, row in enumerate(rows[1:], 1) if row and row.split(",")[fund] and not row.split(",")[state])
    cells = rows[number].split(",")
    cells[fund], cells[state] = "", cells[fund]
    rows[number] = ",".join(cells)
    path.write_bytes("\r\n".join(rows).encode("utf-8"))
    (line,) = audited(model, site, WANGCHENG)
    path_, row, column, message = CLERK_LINE.match(line).groups()
    assert (path_, int(row), int(column)) == tuple(moved_values(model)[0].mark)
    assert "gk04.csv" in message and f"“{STATE}”" in message


def test_a_figure_moved_into_the_neighbouring_blank_cell_of_the_json_is_reported_at_it(model, site):
    path = site / WANGCHENG / "xiazai" / "changsha-wangcheng-ybj-2020-juesuan.json"
    text = path.read_text(encoding="utf-8")
    start = text.index('"csv": "gk04.csv"')
    row = re.compile(r"(, )(-?\d+\.\d\d)(, )null(\],?\n)")
    found = row.search(text, start)
    path.write_text(
        text[: found.start()] + row.sub(r"\1null\3\2\4", found.group(0)) + text[found.end() :], encoding="utf-8"
    )
    (line,) = audited(model, site, WANGCHENG)
    path_, row_, column, message = CLERK_LINE.match(line).groups()
    assert (path_, int(row_), int(column)) == tuple(moved_values(model)[0].mark)
    assert "gk04.csv" in message and f"“{STATE}”" in message


def test_a_figure_moved_into_the_neighbouring_blank_cell_of_a_sheet_is_reported_at_it(model, site):
    number = sheet_number(model, WANGCHENG, "gk04")

    def move(xml: str) -> str:  # columns A–I: 政府性基金 is H, 国有资本 I (blank: no cell)
        cell = re.search(r'<c r="H([0-9]+)" s="([0-9]+)"><v>[^<]*</v></c>(?=</row>)', xml)
        return (
            xml[: cell.start()]
            + cell.group(0).replace(f'r="H{cell.group(1)}"', f'r="I{cell.group(1)}"')
            + xml[cell.end() :]
        )

    rewrite_sheet(site / WANGCHENG_XLSX, number, move)
    (line,) = audited(model, site, WANGCHENG)
    path, row, column, message = CLERK_LINE.match(line).groups()
    assert (path, int(row), int(column)) == tuple(moved_values(model)[0].mark)
    assert f"{WANGCHENG_XLSX} 第 {number} 张工作表" in message and f"“{STATE}”" in message


def test_the_last_figure_moved_one_row_down_in_a_sheet_is_reported_at_it(model, site):
    """The last figure of a sheet moved down a row keeps its place in the order of the figures."""
    gk04 = table(model, WANGCHENG, "gk04")
    printed = [
        data.fixed.get(data.panel.rows[index].key, {}).get(column.key) if data.panel.rows[index].key else None
        for index in range(max(len(data.panel.rows) for data in gk04.panels))
        for data in gk04.panels
        if index < len(data.panel.rows)
        for column in data.panel.amount_columns
    ]
    last = [value for value in printed if value is not None and value.amount is not None][-1]
    number = sheet_number(model, WANGCHENG, "gk04")

    def move(xml: str) -> str:
        amounts = "|".join(str(audit.style_index("amount", total)) for total in (False, True))
        cell = list(re.finditer(rf'<c r="([A-Z]+)([0-9]+)" s="(?:{amounts})"><v>[^<]*</v></c>', xml))[-1]
        below = int(cell.group(2)) + 1
        moved = cell.group(0).replace(f'r="{cell.group(1)}{cell.group(2)}"', f'r="{cell.group(1)}{below}"')
        xml = xml[: cell.start()] + xml[cell.end() :]
        if f'<row r="{below}">' in xml:
            end = xml.index("</row>", xml.index(f'<row r="{below}">'))
            return xml[:end] + moved + xml[end:]
        end = xml.index("</row>", xml.index(f'<row r="{below - 1}">')) + len("</row>")
        return xml[:end] + f'<row r="{below}">{moved}</row>' + xml[end:]

    rewrite_sheet(site / WANGCHENG_XLSX, number, move)
    (line,) = audited(model, site, WANGCHENG)
    path, row, column, message = CLERK_LINE.match(line).groups()
    assert (path, int(row), int(column)) == tuple(last.mark)
    assert f"{WANGCHENG_XLSX} 第 {number} 张工作表" in message and "行" in message
