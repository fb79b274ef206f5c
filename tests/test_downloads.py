"""Downloads: every table of every document as CSV, XLSX and JSON, each document's datapackage.json,
and the whole site's zip, read back with the csv module, openpyxl, json and frictionless and
compared with the model loaded from data/ (Decimal against Decimal, the figure as transcribed).

The expected rows are worked out here from the model, independently of generator/tabular.py: a
form table reads as printed (panels side by side, row for row, the footer last).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import zipfile
from collections import Counter
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from generator.build.history import read_history
from generator.build.site import FIXED_EPOCH, last_commit_time
from generator.core.headers import header_rows
from generator.core.model import AmountTable, FormTable, FreeTable, IndicatorGroup, IndicatorTable
from generator.load.loader import load_site

from helpers import DATA, DOCUMENT_FILE, build_site, write
from sitetools import Page, page_html, resolve

BOM = b"\xef\xbb\xbf"
FORMULA_START = ("=", "+", "-", "@")


@pytest.fixture(scope="module")
def model():
    site, problems = load_site(DATA)
    assert not problems.items
    return site


def tables_of(site):
    for document in site.documents:
        for _, table in document.tables():
            yield document, table


def folder(real_site: Path, document) -> Path:
    return real_site / document.bureau.slug / str(document.year) / document.slug / "xiazai"


def doc_file(document, extension: str) -> str:
    return f"{document.bureau.slug}-{document.year}-{document.slug}.{extension}"


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(BOM), f"{path.name} does not start with the UTF-8 BOM"
    return list(csv.reader(io.StringIO(raw[len(BOM) :].decode("utf-8"), newline="")))


# ---- what each table must say, from the model ----


def form_rows(table: FormTable) -> list[list]:
    """Body rows as printed: a cell is a Decimal, a str or None (blank); the footer is the last row."""
    height = max(len(d.panel.rows) if d.panel.rows is not None else len(d.rows) for d in table.panels)
    rows = []
    for i in range(height):
        row = []
        for data in table.panels:
            if data.panel.rows is not None:
                fixed = data.panel.rows[i] if i < len(data.panel.rows) else None
                values = data.fixed.get(fixed.key, {}) if fixed is not None and fixed.key else {}
                for column in data.panel.columns:
                    if fixed is None:
                        row.append(None)
                    elif column.type == "item":
                        row.append(fixed.label)
                    elif column.type == "line":
                        row.append(Decimal(fixed.line) if fixed.line else None)
                    else:
                        row.append(cell(values.get(column.key), column.type))
            else:
                cells = data.rows[i].cells if i < len(data.rows) else {}
                row += [cell(cells.get(c.key), c.type) for c in data.panel.columns]
        rows.append(row)
    if table.form.footer:
        footer, at = [None] * len(rows[0] if rows else [c for d in table.panels for c in d.panel.columns]), 0
        for f in table.form.footer:
            footer[at] = table.totals[f.key].amount if f.key and f.key in table.totals else f.label
            at += f.colspan
        rows.append(footer)
    return rows


def cell(value, column_type):
    if value is None:
        return None
    return value.amount if column_type in ("amount", "percent") else value.text


def form_kinds(table: FormTable) -> list[str]:
    return [c.type for d in table.panels for c in d.panel.columns]


def money_rows(block) -> list[list]:
    return [[row.label] + [cell(row.cells.get(c.label), c.type) for c in block.columns] for row in block.rows]


def indicator_rows(table: IndicatorTable, index: int) -> list[list]:
    keys = [key for key, _ in table.columns]
    levels = [k for k in keys if k.startswith("level")]
    rows = []

    def walk(node, path):
        if isinstance(node, IndicatorGroup):
            for child in node.children:
                walk(child, path + [node.name])
            return
        row = []
        for key in keys:
            if key in levels:
                row.append(path[levels.index(key)])
            elif key == "target":
                row.append(node.target.text if node.target else None)
            else:
                row.append(getattr(node, key) or None if key not in ("score", "scored") else getattr(node, key))
        rows.append(row)

    for group in table.sets[index].groups:
        walk(group, [])
    if index == len(table.sets) - 1 and table.total_score is not None and "score" in keys:
        total = [None] * len(keys)
        total[0] = table.total_label
        total[keys.index("score")] = table.total_score
        if "scored" in keys:
            total[keys.index("scored")] = table.total_scored
        rows.append(total)
    return rows


def csv_text_of(value, percent=False) -> str:
    """A cell as the CSV must hold it: figures digit for digit, formulas in text disarmed."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value}%" if percent else str(value)
    return "'" + value if value.startswith(FORMULA_START) else value


def assert_csv_rows(path: Path, expected: list[list], percent_columns=()):
    rows = read_csv(path)
    body = rows[1:]
    expected = [row for row in expected if any(v is not None for v in row)]  # blank rows are left out
    assert len(body) == len(expected), path.name
    for got, want in zip(body, expected, strict=True):
        assert got == [csv_text_of(v, i in percent_columns) for i, v in enumerate(want)], path.name


# ---- CSV ----


def test_every_form_table_csv_is_the_printed_table_figure_for_figure(real_site, model):
    checked = 0
    for document, table in tables_of(model):
        if not isinstance(table, FormTable):
            continue
        path = folder(real_site, document) / f"{table.anchor}.csv"
        kinds = form_kinds(table)
        assert len(read_csv(path)[0]) == len(kinds)
        assert_csv_rows(path, form_rows(table), {i for i, k in enumerate(kinds) if k == "percent"})
        checked += 1
    assert checked == 18  # 公开01–09表 and 表1–9


def test_form_table_csv_header_names_the_printed_header_path_and_the_unit(real_site, model):
    header = read_csv(real_site / "changsha-wangcheng-ybj/2020/juesuan/xiazai/gk07.csv")[0]
    assert header[:3] == [
        "预算数/合计（万元）",
        "预算数/因公出国(境)费（万元）",
        "预算数/公务用车购置及运行费/小计（万元）",
    ]
    assert len(set(header)) == len(header) == 12
    gk06 = read_csv(real_site / "changsha-wangcheng-ybj/2020/juesuan/xiazai/gk06.csv")
    assert len(set(gk06[0])) == 9  # three printed panels of 科目编码/科目名称/决算数, each named apart
    assert gk06[0][:3] == ["人员经费/科目编码", "人员经费/科目名称", "人员经费/决算数（万元）"]  # codes, names: no unit
    assert gk06[-1][:3] == ["人员经费合计", "", "875.12"]  # the printed footer, last
    funds = read_csv(real_site / "changsha-wangcheng-ybj/2020/juesuan/xiazai/zpb-zhengti-zijin.csv")[0]
    # the funds' columns as the table's form (湖南 部门整体自评表) prints them
    assert funds[:2] == ["资金来源", "全年预算数 (A)（万元）"] and funds[3:6] == [
        "上级财政移动支付 (C)（万元）",
        "分值",
        "执行率 ((B-C)/A)",
    ]


def test_amount_and_performance_table_csvs_hold_the_yaml_figures(real_site, model):
    seen = Counter()
    for document, table in tables_of(model):
        where = folder(real_site, document)
        if isinstance(table, AmountTable):
            kinds = [c.type for c in table.block.columns]
            percent = {i + 1 for i, k in enumerate(kinds) if k == "percent"}
            assert_csv_rows(where / f"{table.anchor}.csv", money_rows(table.block), percent)
            seen["amount"] += 1
        elif isinstance(table, IndicatorTable):
            for i, _ in enumerate(table.sets):
                name = "zhibiao" if len(table.sets) == 1 else f"zhibiao{i + 1}"
                assert_csv_rows(where / f"{table.anchor}-{name}.csv", indicator_rows(table, i))
            if table.funds:
                funds = [[f.source, f.budget, f.executed, f.transfer, f.score, f.rate, f.scored] for f in table.funds]
                assert_csv_rows(where / f"{table.anchor}-zijin.csv", funds, {5})
            pairs = [[label, text or None] for label, text in table.facts + table.goals]
            if pairs:
                assert_csv_rows(where / f"{table.anchor}-jiben.csv", pairs)
            for i, block in enumerate(table.money, 1):
                name = "jine" if len(table.money) == 1 else f"jine{i}"
                percent = {j + 1 for j, c in enumerate(block.columns) if c.type == "percent"}
                assert_csv_rows(where / f"{table.anchor}-{name}.csv", money_rows(block), percent)
            seen["performance"] += 1
    assert seen == {"amount": 2, "performance": 12}


def test_free_table_csvs_hold_every_printed_cell_as_text(real_site, model):
    checked = 0
    for document, table in tables_of(model):
        if not isinstance(table, FreeTable):
            continue
        rows = read_csv(folder(real_site, document) / f"{table.anchor}.csv")
        top = 0
        while all(c.header for c in table.grid[top]):
            top += 1
        # a cell the original prints unreadably: its text, said to be no figure (无法辨认：…)
        body = Counter(
            ("无法辨认：" if c.unreadable else "") + csv_text_of(c.text)
            for row in table.grid[top:]
            for c in row
            if c.text
        )
        assert Counter(v for row in rows[1:] for v in row if v) == body
        # a row printed blank is left out (layout, not data; Frictionless counts it an error)
        assert len(rows) - 1 == sum(1 for row in table.grid[top:] if any(c.text for c in row))
        checked += 1
    assert checked == 2
    duibi = read_csv(real_site / "shaoyang-beita-ybj/2020/jixiao/xiazai/ydjs-duibi.csv")
    assert duibi[0][6] == "支出/基本支出/人员经费"  # three printed header rows, one name per column
    assert duibi[2][:2] == ["决算", "363.47"]


def test_every_csv_of_every_document_starts_with_the_bom_and_parses(real_site, model):
    for document in model.documents:
        paths = sorted(folder(real_site, document).glob("*.csv"))
        assert paths
        for path in paths:
            rows = read_csv(path)
            assert rows and all(len(row) == len(rows[0]) for row in rows), path


# ---- XLSX ----


def test_xlsx_form_sheets_have_numeric_amounts_formatted_and_codes_as_text(real_site, model):
    books = {}
    checked = 0
    for document, table in tables_of(model):
        if not isinstance(table, FormTable):
            continue
        path = folder(real_site, document) / doc_file(document, "xlsx")
        book = books.setdefault(path, openpyxl.load_workbook(path))
        sheet = book[table.number]
        depth = len(header_rows(table.form.columns))
        numbered = any(c.no for d in table.panels for c in d.panel.columns)
        first = 4 + depth + (1 if numbered else 0)  # title, unit line, a blank row, the header, 栏次
        kinds = form_kinds(table)
        for r, expected in enumerate(form_rows(table), first):
            for c, want in enumerate(expected, 1):
                got = sheet.cell(r, c)
                if want is None:
                    assert got.value is None, (table.number, r, c)
                elif isinstance(want, Decimal):
                    assert got.data_type == "n" and not isinstance(got.value, str), (table.number, r, c)
                    kind = kinds[c - 1]
                    if kind == "amount":
                        assert got.number_format == "#,##0.00"
                        assert Decimal(repr(got.value)) == want, (table.number, r, c)
                    elif kind == "percent":
                        assert got.number_format.endswith("%") and Decimal(repr(got.value)) == want / 100
                    else:
                        assert Decimal(repr(got.value)) == want
                else:
                    assert got.data_type == "s" and got.value == want, (table.number, r, c)
                    if kinds[c - 1] == "code":
                        assert got.number_format == "@"
        checked += 1
    assert checked == 18


def test_xlsx_headers_are_the_printed_form_with_merged_groups(real_site):
    book = openpyxl.load_workbook(real_site / "changsha-wangcheng-ybj/2020/juesuan/xiazai" / (
        "changsha-wangcheng-ybj-2020-juesuan.xlsx"
    ))  # fmt: skip
    sheet = book["公开07表"]
    assert sheet["A1"].value == "公开07表 一般公共预算财政拨款“三公”经费支出决算表"
    assert "金额单位：万元" in sheet["A2"].value
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A4:F4", "G4:L4", "C5:E5", "A5:A6"} <= merged  # 预算数 over six columns, 小计…运行费 under 公务用车
    assert [sheet.cell(4, 1).value, sheet.cell(4, 7).value, sheet.cell(5, 3).value] == [
        "预算数",
        "决算数",
        "公务用车购置及运行费",
    ]
    assert [sheet.cell(7, c).value for c in (1, 12)] == ["1", "12"]  # 栏次
    assert sheet.freeze_panes == "A8"
    assert book.sheetnames[:9] == [f"公开0{i}表" for i in range(1, 10)]
    # the bureau's date: the day of the last commit to its folder, not the build's (bureau_dates.py)
    assert book.properties.created == bureau_date("changsha-wangcheng-ybj")


def test_xlsx_performance_sheets_hold_scores_and_amounts_as_numbers(real_site, model):
    for document, table in tables_of(model):
        if not isinstance(table, IndicatorTable):
            continue
        book = openpyxl.load_workbook(folder(real_site, document) / doc_file(document, "xlsx"))
        numbers = Counter(
            Decimal(repr(c.value)) for sheet in book for row in sheet.iter_rows() for c in row if c.data_type == "n"
            and c.value is not None
        )  # fmt: skip
        for leaf in table.leaves():
            for value in (leaf.score, leaf.scored):
                if value is not None:
                    assert numbers[value] >= 1
        for fund in table.funds:
            for value in (fund.budget, fund.executed):
                assert numbers[value] >= 1


def typed_format(value: Decimal, kind: str) -> str:
    """The number format that shows *value* with the digits typed: #,##0 for 10276, #,##0.0 for 43.2,
    0.00 for a score of 0.00, 0.00% for 287.00%."""
    decimals = max(0, -value.as_tuple().exponent)
    digits = "." + "0" * decimals if decimals else ""
    return {"amount": "#,##0", "score": "0", "percent": "0"}[kind] + digits + ("%" if kind == "percent" else "")


def sheet_of(book, table):
    """The sheet whose title (A1) is the table's label, or the label with the project a table printed
    more than once is about."""
    label = f"{table.number} {table.title}" if getattr(table, "number", None) else table.title
    project = dict(getattr(table, "facts", None) or []).get("项目名称")
    titles = {label, f"{label}（{project}）"}
    found = [sheet for sheet in book if sheet["A1"].value in titles]
    assert len(found) == 1, (label, [s["A1"].value for s in book])
    return found[0]


def block_rows(sheet, caption: str | None) -> list:
    """The rows of a block of a sheet: under its caption (a table's only block has none: under the
    title, the unit and a blank row) and its one-row header, up to the blank row after them."""
    rows = list(sheet.iter_rows(max_col=12))
    start = 4 if caption is None else next(i for i, row in enumerate(rows) if row[0].value == caption) + 2
    out = []
    for row in rows[start:]:
        if all(c.value is None for c in row):
            break
        out.append(row)
    return out


def assert_figure(got, want: Decimal | None, kind: str, where) -> str | None:
    if want is None:
        assert got.value is None, where
        return None
    assert got.data_type == "n" and not isinstance(got.value, str), where
    assert Decimal(repr(got.value)) == (want / 100 if kind == "percent" else want), where
    assert got.number_format == typed_format(want, kind), (where, got.number_format)
    return got.number_format


def test_xlsx_performance_amounts_scores_and_rates_are_numbers_shown_as_printed(real_site, model):
    """A 绩效 table's funds, its blocks of amounts and a table of amounts: numeric cells a spreadsheet
    sums, each shown with the digits the original prints (seed 000: 10276 beside 29525.64, 287.00%,
    a score of 0.00; seed 003: 43.2), at the row and column the printed table gives it."""
    formats = Counter()
    for document, table in tables_of(model):
        if not isinstance(table, (IndicatorTable, AmountTable)):
            continue
        sheet = sheet_of(openpyxl.load_workbook(folder(real_site, document) / doc_file(document, "xlsx")), table)
        blocks = [(None, table.block)] if isinstance(table, AmountTable) else [(b.title, b) for b in table.money]
        for caption, block in blocks:
            rows = block_rows(sheet, caption)
            assert [row[0].value for row in rows] == [row.label for row in block.rows], (table.title, caption)
            for got, row in zip(rows, block.rows, strict=True):
                for c, column in enumerate(block.columns, 1):
                    if column.type in ("amount", "percent"):
                        value = row.cells.get(column.label)
                        want = value.amount if value is not None else None
                        formats[assert_figure(got[c], want, column.type, (table.title, row.label, column.label))] += 1
        if isinstance(table, IndicatorTable) and table.funds:
            rows = block_rows(sheet, "资金情况")
            assert len(rows) == len(table.funds)
            kinds = {"rate": "percent", "score": "score", "scored": "score"}
            for got, fund in zip(rows, table.funds, strict=True):
                assert got[0].value == fund.source
                for c, (key, label) in enumerate(table.funds_columns):
                    if key != "source":
                        kind = kinds.get(key, "amount")
                        formats[assert_figure(got[c], getattr(fund, key), kind, (table.title, fund.source, label))] += 1
    # the digits printed, not two decimals everywhere
    assert {"#,##0", "#,##0.0", "#,##0.00", "0", "0.00", "0.00%"} <= set(formats), formats


# ---- JSON ----


def test_document_json_holds_every_table_digit_for_digit(real_site, model):
    for document in model.documents:
        path = folder(real_site, document) / doc_file(document, "json")
        data = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal, parse_int=Decimal)
        assert data["document"]["title"] == document.title
        tables = {t["id"]: t for t in data["tables"]}
        assert list(tables) == [t.anchor for _, t in document.tables()]
        for _, table in document.tables():
            # what the page prints under a table goes along (公开05表: its body is missing from the source)
            assert tables[table.anchor]["statement"] == getattr(table, "statement", None)
            blocks = tables[table.anchor]["blocks"]
            if isinstance(table, FormTable):
                (block,) = blocks
                types = [f["type"] for f in block["fields"]]
                for kind, type_ in zip(form_kinds(table), types, strict=True):
                    assert type_ == "string" if kind in ("code", "name", "item", "text") else True
                    assert type_ == "number" if kind == "amount" and not table.form.footer else True
                expected = form_rows(table)
                assert len(block["rows"]) == len(expected)
                for got, want in zip(block["rows"], expected, strict=True):
                    assert got == want
                    # the same decimal places as typed: 0.00 stays 0.00, 10276 stays 10276
                    assert [str(v) for v in got] == [str(v) for v in want]
            elif isinstance(table, IndicatorTable):
                names = [b["csv"] for b in blocks]
                assert all(name.startswith(table.anchor + "-") for name in names)
                indicator_blocks = [b for b in blocks if "-zhibiao" in b["csv"]]
                for i, block in enumerate(indicator_blocks):
                    assert block["rows"] == indicator_rows(table, i)


# ---- datapackage.json ----


def test_every_datapackage_validates_with_frictionless(real_site, model):
    import frictionless

    for document in model.documents:
        path = folder(real_site, document) / "datapackage.json"
        report = frictionless.validate(str(path))
        assert report.valid, report.flatten(["rowNumber", "fieldNumber", "type", "note"])[:10]
        package = json.loads(path.read_text(encoding="utf-8"))
        resources = {r["name"]: r for r in package["resources"]}
        csvs = {p.stem for p in folder(real_site, document).glob("*.csv")}
        assert set(resources) == csvs  # every CSV described, nothing described that is not there
        assert all(r["path"] == f"{r['name']}.csv" for r in resources.values())


def test_datapackage_types_codes_as_strings_and_amounts_as_numbers_with_their_unit(real_site):
    package = json.loads((real_site / "changsha-wangcheng-ybj/2020/juesuan/xiazai/datapackage.json").read_text())
    fields = {f["name"]: f for f in next(r for r in package["resources"] if r["name"] == "gk02")["schema"]["fields"]}
    assert fields["项目/功能分类科目编码"]["type"] == "string"
    amount = fields["本年收入合计（万元）"]  # named as the CSV's header names it
    assert amount["type"] == "number" and amount["unit"] == "万元" and "万元" in amount["description"]
    assert "栏次 1" in amount["description"]
    gk05 = next(r for r in package["resources"] if r["name"] == "gk05")
    assert "表体缺失" in gk05["description"]  # an empty CSV says why


def test_frictionless_reads_the_csv_figures_as_exact_decimals(real_site, model):
    import frictionless

    package = frictionless.Package(str(real_site / "changsha-wangcheng-ybj/2020/juesuan/xiazai/datapackage.json"))
    rows = package.get_resource("gk02").read_rows()
    document = next(d for d in model.documents if d.slug == "juesuan")
    table = next(t for _, t in document.tables() if t.anchor == "gk02")
    first = table.panels[0].rows[1].cells
    row = next(r for r in rows if r["项目/功能分类科目编码"] == first["科目编码"].text)
    assert row["本年收入合计（万元）"] == first["本年收入合计"].amount
    assert isinstance(row["本年收入合计（万元）"], Decimal)


# ---- the whole site's zip ----


def zip_time(epoch: int) -> tuple:
    """*epoch* as a zip entry holds it: UTC, to the even second below."""
    *rest, second = datetime.fromtimestamp(epoch, UTC).timetuple()[:6]
    return (*rest, second - second % 2)


def bureau_date(folder: str) -> datetime:
    """The day of the last commit to *folder* of data/, as history.py reads data/'s history."""
    return max(datetime.fromisoformat(c.date) for path, commits in read_history(DATA).items()
               if path.startswith(folder + "/") for c in commits)  # fmt: skip


def test_the_zip_holds_every_document_s_files_and_a_directory(real_site, model):
    with zipfile.ZipFile(real_site / "xiazai" / "gongkai-quanbu.zip") as bulk:
        names = bulk.namelist()
        assert names[-1] == "目录.csv"
        directory = list(csv.reader(io.StringIO(bulk.read("目录.csv")[len(BOM) :].decode("utf-8"))))
        assert len(directory) == 1 + len(model.documents)
        for document in model.documents:
            where = folder(real_site, document)
            prefix = f"{document.bureau.slug}/{document.year}/{document.slug}/"
            inside = sorted(n[len(prefix) :] for n in names if n.startswith(prefix))
            assert inside == sorted(p.name for p in where.iterdir())
            for name in inside:
                assert bulk.read(prefix + name) == (where / name).read_bytes()
        # a bureau's entries carry its date (bureau_dates.py), the 目录 the build's (site.py), as a listing shows
        for info in bulk.infolist()[:-1]:
            assert info.date_time == bureau_date(info.filename.split("/")[0]).timetuple()[:6], info.filename
        built = os.environ.get("SOURCE_DATE_EPOCH") or last_commit_time() or FIXED_EPOCH
        assert bulk.infolist()[-1].date_time == zip_time(int(built))
        assert len({info.date_time for info in bulk.infolist()}) > 1  # the real bureaus' commits differ


def test_two_builds_make_the_same_zip_and_workbooks_byte_for_byte(real_site, tmp_path):
    again = build_site(DATA, tmp_path / "site")
    assert (again / "xiazai/gongkai-quanbu.zip").read_bytes() == (real_site / "xiazai/gongkai-quanbu.zip").read_bytes()
    for path in (real_site).glob("*/*/*/xiazai/*"):
        assert (again / path.relative_to(real_site)).read_bytes() == path.read_bytes()


# ---- pages ----


def test_every_table_on_a_document_page_links_its_downloads(real_site, model):
    for document in model.documents:
        base = real_site / document.bureau.slug / str(document.year) / document.slug
        lines = 0
        for page_file in base.rglob("index.html"):
            html = page_file.read_text(encoding="utf-8")
            lines += html.count('<p class="gk-downloads">下载本表：')
            for href in Page(html).links:
                if "xiazai/" in href:
                    target, _ = resolve(real_site, page_file, href)
                    assert target.is_file(), (page_file, href)
        assert lines == sum(1 for _ in document.tables())  # one line under each table
        index = (base / "index.html").read_text(encoding="utf-8")
        assert 'id="xiazai"' in index and "datapackage.json" in index and "gongkai-quanbu.zip" in index


def download_names(html: str) -> dict[str, str]:
    """The CSV links of a page: the file each links to, and the name its `download` attribute saves it as."""
    return dict(re.findall(r'<a href="[^"]*?xiazai/([^"/]+\.csv)" download="([^"]+)">', html))


def test_csvs_save_as_bureau_year_number_title(real_site, model):
    """部门-年度-表号-表名.csv: two bureaus' 公开07表 and the three 公共专项绩效自评表 of one document save
    under names of their own, while the files' paths stay ASCII."""
    saved = {}
    for document in model.documents:
        base = real_site / document.bureau.slug / str(document.year) / document.slug
        names = download_names((base / "index.html").read_text(encoding="utf-8"))
        assert len(names) == len(list(folder(real_site, document).glob("*.csv")))  # every CSV in 下载数据
        assert all(re.fullmatch(r"[a-z0-9-]+\.csv", path) for path in names)
        for path, name in names.items():
            assert name.startswith(f"{document.bureau.name}-{document.year}年{document.kind}-"), name
            saved[f"{base}/{path}"] = name
    assert len(set(saved.values())) == len(saved)  # no two files of the site save under one name
    wangcheng = {Path(k).name: v for k, v in saved.items() if "changsha-wangcheng-ybj/" in k}
    assert (
        wangcheng["gk07.csv"]
        == "长沙市望城区医疗保障局-2020年决算-公开07表-一般公共预算财政拨款“三公”经费支出决算表.csv"
    )
    assert wangcheng["zpb-yiliao-jiuzhu-zhibiao.csv"] == (
        "长沙市望城区医疗保障局-2020年决算-公共专项绩效自评表（民政医疗救助）-绩效指标.csv"
    )
    part = real_site / "changsha-wangcheng-ybj/2020/juesuan/part2/index.html"
    assert download_names(part.read_text(encoding="utf-8"))["gk07.csv"] == wangcheng["gk07.csv"]  # under the table too


def test_workbook_sheets_are_named_after_the_form_and_told_apart(real_site):
    book = openpyxl.load_workbook(
        real_site / "changsha-wangcheng-ybj/2020/juesuan/xiazai/changsha-wangcheng-ybj-2020-juesuan.xlsx"
    )
    assert book.sheetnames[9:] == [
        "部门整体自评表",
        "公共专项绩效自评表（城乡居民医保配套）",
        "公共专项绩效自评表（民政医疗救助）",
        "公共专项绩效自评表（其他医疗保障）",
    ]
    assert book["公共专项绩效自评表（民政医疗救助）"]["A1"].value == "公共专项绩效自评表（民政医疗救助）"


# ---- formulas in text, negative amounts ----


def test_text_that_a_spreadsheet_would_run_is_disarmed_and_negative_amounts_stay_numbers(data_dir, tmp_path):
    document = data_dir / DOCUMENT_FILE
    text = document.read_text(encoding="utf-8")
    text = text.replace(
        '- {科目编码: "208", 科目名称: 社会保障和就业支出, 本年收入合计: 55.11}',
        '- {科目编码: "208", 科目名称: "=cmd|\' /C calc\'!A0", 本年收入合计: -5.00}',
    ).replace("- {科目名称: 合计, 本年收入合计: 55.11}", '- {科目名称: "@SUM(1+1)", 本年收入合计: -5.00}')
    text += """
      - title: 三、自由表
        table:
          id: ziyou
          title: 自由表
          grid:
            - [{text: 项目, header: true}, {text: 数, header: true}]
            - ["+1+1", "-5.00"]
            - ["-2+3", "12.50%"]
"""
    document.write_text(text, encoding="utf-8")
    site = build_site(data_dir, tmp_path / "site")
    where = site / "ceshi-ybj/2020/juesuan/xiazai"
    rows = read_csv(where / "gk02.csv")
    assert rows[1][:3] == ["", "'@SUM(1+1)", "-5.00"]
    assert rows[2][:3] == ["208", "'=cmd|' /C calc'!A0", "-5.00"]
    assert read_csv(where / "ziyou.csv")[1:] == [["'+1+1", "-5.00"], ["'-2+3", "12.50%"]]
    sheet = openpyxl.load_workbook(where / "ceshi-ybj-2020-juesuan.xlsx")["公开02表"]
    found = {c.value: c for row in sheet.iter_rows() for c in row if c.value is not None}
    assert found["=cmd|' /C calc'!A0"].data_type == "s"  # a string, not a formula
    assert found[-5.0].data_type == "n" and found[-5.0].number_format == "#,##0.00"
    data = json.loads((where / "ceshi-ybj-2020-juesuan.json").read_text(), parse_float=Decimal)
    assert data["tables"][0]["blocks"][0]["rows"][1][1] == "=cmd|' /C calc'!A0"  # JSON keeps text as typed


def test_a_document_with_two_tables_of_one_anchor_gets_two_files(data_dir, tmp_path):
    document = data_dir / DOCUMENT_FILE
    text = document.read_text(encoding="utf-8")
    second = (
        text[text.index("  - title: 第二部分 决算表") :].replace("第二部分", "第三部分").replace("二、收入", "三、收入")
    )
    write(document, text + second)
    site = build_site(data_dir, tmp_path / "site")
    where = site / "ceshi-ybj/2020/juesuan/xiazai"
    assert {p.name for p in where.glob("*.csv")} == {"gk02.csv", "gk02-2.csv"}
    assert read_csv(where / "gk02.csv") == read_csv(where / "gk02-2.csv")


def test_download_links_are_not_indexed_for_search(real_site):
    """The same words under every table would make 数据 or 表格 find every table of the site."""
    from generator.build.search import page_records

    page = real_site / "changsha-wangcheng-ybj/2020/juesuan/part2/index.html"
    records = page_records(page.read_text(encoding="utf-8"), "x/", None)
    assert any(r.url.endswith("#gk01") for r in records)
    assert not any("下载本表" in r.text or "工作簿" in r.text for r in records)
    index = page_html(real_site, "changsha-wangcheng-ybj/2020/juesuan/")
    records = page_records(index, "x/", None)
    assert not any("CSV" in r.text for r in records)


def test_a_document_without_tables_links_no_workbook(data_dir, tmp_path):
    document = data_dir / DOCUMENT_FILE
    text = document.read_text(encoding="utf-8")
    document.write_text(text[: text.index("  - title: 第二部分 决算表")], encoding="utf-8")
    site = build_site(data_dir, tmp_path / "site")
    index = site / "ceshi-ybj/2020/juesuan/index.html"
    html = index.read_text(encoding="utf-8")
    assert "本文件没有表格" in html and ".xlsx" not in html
    for href in Page(html).links:
        target = resolve(site, index, href)
        assert target is None or target[0].exists(), href
    assert not (site / "ceshi-ybj/2020/juesuan/xiazai").exists()  # a data package needs a table
    with zipfile.ZipFile(site / "xiazai/gongkai-quanbu.zip") as bulk:
        assert bulk.namelist() == ["目录.csv"]
