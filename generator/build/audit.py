"""Build stage, audit: the pages and downloads a batch has written, read back from disk and
compared with the model loaded from data/; a difference is a problem that stops the build.

What it proves, for every table of every document (form tables, 科目 tables, free tables, tables
of amounts, 申报表/自评表):

* on the page that prints the table (its part's or attachment's page), the cells of figures
  (`gk-num`: amounts, shares, scores, totals) and of 科目编码 (`gk-code`) that are not blank hold
  exactly the table's figures and codes in data/, in the order they are printed, each as the page
  shows it (29,455.67; 12.50% as typed; a score as typed): none missing, none changed, none added
  that data/ does not hold, none moved into another table of the page;
* the CSV of each part of the table and the table's block in the document's JSON hold the same
  figures and codes, in the same order, digit for digit as transcribed (29455.67; 12.50% in the
  CSV, 12.50 in the JSON);
* the table's sheet of the document's XLSX workbook (a sheet per table, in the document's order;
  a table of several blocks read block by block, from each block's caption) holds the same figures
  as numeric cells, digit for digit as transcribed (a share as the fraction Excel shows as a per
  cent: 0.125 for 12.50%), and the codes as text cells (leading zeros kept: a code written as a
  number is reported, though its digits be right), in the same order; and no numeric cell besides
  but the 行次 (whole numbers in the 行次's style). What else a sheet holds is told apart by the
  style xlsx.py gives it (the title, the unit, captions, the header and 栏次, text, notes), not by
  its content; a footer's labels that stand in a column of codes (人员经费合计) are expected there;
* in a free table (printed text) the numbers in its cells are those data/ holds, on the page, in
  the CSV, in the JSON and in the text cells of its sheet;
* each term a part explains (名词解释) is on that part's page, as a heading with its anchor.

What it does not prove: that a figure stands in the right column where blank cells lie between
(the order of the cells that are not blank is compared, not their places; in the XLSX neither
the cell references nor the number formats are compared), anything about the words of a table
(labels, names, 项目 of a 申报表, the XLSX's header and sheet names), the 行次 themselves (the
form's, not data/'s), prose and the figures it quotes (check/prose.py compares those with the tables),
the charts, the glossary and home pages that mkdocs writes in the main process, and the
datapackage.json (not read back). That the workbook opens is proved only as far as its zip
directory is read and each sheet inflates to its CRC; that it is valid SpreadsheetML is
tests/test_downloads.py's (openpyxl, too slow for a build). That every linked file exists is
links.py's.

It runs in the worker, per batch, right after the batch's pages and downloads are written, and
reads the files with regular expressions over the markup render/tables.py and
render/indicators.py write, the layout downloads.py writes (a row of JSON a line) and the
sheet XML xlsx.py writes (zipfile for the directory, zlib to inflate), not with an HTML parser
or openpyxl: it must cost little beside the stages that write those files. Reading the workbooks
back costs about 0.056 s of CPU per 100 documents (inflating the sheets 0.027, the regex 0.014,
the zip directory 0.005, the CRCs 0.002), which took the audit from 0.14 s to 0.20 s per 100
documents (process_time over the site built from the 200-document bench corpus, medians of three
runs); `generator build --timings` reports the stage as "audit (workers)".
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import struct
import zipfile
import zlib
from itertools import chain
from operator import attrgetter, itemgetter
from pathlib import Path

from ..core import urls
from ..core.amounts import format_amount
from ..core.model import AmountTable, Document, FormTable, FreeTable, IndicatorTable, MoneyBlock, Value
from ..core.problems import Mark, Problem
from ..core.urls import page_file, term_anchor
from ..export.tabular import CODE, LINE, TEXT, block_slugs, stems
from ..export.xlsx import style_index
from ..render.escaping import escape

# A figure's or code's cell as render/tables.py / render/indicators.py write it (its text has no tags).
_FIGURE_CELL = re.compile(rb'<td class="gk-(?:num|code)[^"]*"[^>]*>([^<]+)</td>')  # blank ones do not match
_DOWNLOADS_LINE = b'<p class="gk-downloads">'  # written under every table (render/download_links.py)
_FREE_TABLE = re.compile(rb'<table class="gk-free">.*?</table>', re.S)
_TAG = re.compile(r"<[^>]*>")
_NUMBER = re.compile(r"[0-9][0-9,.]*[0-9]%?|[0-9]%?")  # a number in text, as a reader would take it


# 行次: whole numbers in a 行次's style (the form's line numbers, not data/'s figures)
_LINES = "|".join(f'{style_index(LINE, total)}"><v>[0-9]+<' for total in (False, True))
# The cells of a sheet (xlsx.py's XML) that hold figures: every numeric cell but a 行次, as "v>" and
# its value, and every text cell of a code's style, as "t>" and its text, so that a code written as
# a number (which would lose its leading zeros) differs from the code, digits alike. Titles, the
# unit, captions, the header and 栏次, text and notes have styles of their own: not matched.
# One group, so that findall gives the texts.
_SHEET_FIGURES = re.compile(
    f's="(?:(?:{style_index(CODE, False)}|{style_index(CODE, True)})" t="inlineStr"><is><'
    f'|(?!{_LINES})[0-9]+"><)((?:t[^>]*|v)>[^<]*)<'.encode()
)
# a free table's text cells, whose numbers are its figures, and any numeric cell
_SHEET_FREE = re.compile(
    f's="(?:(?:{style_index(TEXT, False)}|{style_index(TEXT, True)})" t="inlineStr"><is><t[^>]*>'
    f'|(?!{_LINES})[0-9]+"><v>)([^<]*)<'.encode()
)
_SHEET_CAPTION = f's="{style_index("caption")}" t="inlineStr"'.encode()  # before each block of a table of several
_SHEET_NAME = re.compile(r"xl/worksheets/sheet([0-9]+)\.xml")


class _Block:
    """One part of a table as its CSV and its JSON block hold it: which columns hold figures and
    the figures (not blank ones) they must hold, in order, as the page, the CSV and the JSON write
    each, with where in data/ each comes from."""

    __slots__ = ("slug", "columns", "footer", "page", "csv", "json", "marks", "free", "xlsx", "xlsx_marks")

    def __init__(self, slug: str, columns: list[int], footer: list[int] | None = None):
        self.slug = slug
        self.columns = columns  # the columns that hold figures or codes
        self.footer = footer  # in the last row (a form's footer), these instead
        self.page: list[str] = []
        self.csv: list[str] = []
        self.json: list[str] = []
        self.marks: list = []  # of Mark, or of Value (whose mark it is)
        self.free = False  # numbers in text: every column, numbers found in the cells' text
        # the XLSX's cells as _SHEET_FIGURES reads them ("v>55.11", "t>208"), for a block with codes,
        # shares or a footer; None for one of numbers only, whose cells are the JSON's figures
        self.xlsx: list[str] | None = None
        self.xlsx_marks: list | None = None  # None: the marks

    def add(self, page: str, csv_text: str, json_text: str, mark: Mark, xlsx_text: str | None = None) -> None:
        self.page.append(page)
        self.csv.append(csv_text)
        self.json.append(json_text)
        self.marks.append(mark)
        if xlsx_text is not None or self.xlsx is not None:  # a number: a share, or after one
            if self.xlsx is None:
                self.xlsx = ["v>" + figure for figure in self.json[:-1]]
            self.xlsx.append("v>" + (json_text if xlsx_text is None else xlsx_text))

    def add_values(self, values: list[Value], percents: bool, codes: bool = False) -> None:
        """Cells of a form or a block of amounts, each as written: an amount (no text), a share
        (its amount and the text typed, which the page shows) or a code (text only). A list
        comprehension per format rather than a call per value: a province has millions. The JSON
        writes f"{amount:f}", which is str(amount) for every figure the loader takes (plain
        decimals: str() writes an exponent only for more than six zeros after the point)."""
        self.page += [v.text if v.text is not None else f"{v.amount:,.2f}" for v in values]
        digits = [v.text if v.amount is None else str(v.amount) for v in values]
        if percents or codes or self.xlsx is not None:
            # the XLSX writes a code as text, a share as the fraction it is (xlsx._numeric)
            if self.xlsx is None:
                self.xlsx = ["v>" + figure for figure in self.json]
            self.xlsx += [
                "t>" + d if v.amount is None else "v>" + d if v.text is None else f"v>{v.amount / 100:f}"
                for d, v in zip(digits, values, strict=True)
            ]
        self.json += digits
        if percents:  # the CSV writes a share as 12.50%
            digits = [
                d + "%" if v.text is not None and v.amount is not None else d
                for d, v in zip(digits, values, strict=True)
            ]
        self.csv += digits
        self.marks += values  # each Value has its mark: taken only for a problem


# ---- what data/ says each table holds ----


def _score(block: _Block, value, mark: Mark) -> None:
    digits = str(value)
    block.add(digits, digits, digits, mark)  # (str() is f"{:f}" for a plain decimal: see add_values)


_FIGURE_TYPES = ("amount", "percent", "code")
_NOTHING: dict = {}


def _form_blocks(table: FormTable) -> list[_Block]:
    columns = [c for data in table.panels for c in data.panel.columns]
    form = table.form
    footer = None
    if form.footer:
        footer, at = [], 0
        for cell in form.footer:
            if cell.key and at < len(columns):
                footer.append(at)
            at += cell.colspan
    if footer is not None and all((table.totals.get(c.key) is None) if c.key else c.label is None for c in form.footer):
        footer = None  # a footer of blank totals only is a blank row, which the downloads leave out
    block = _Block("", [i for i, c in enumerate(columns) if c.type in _FIGURE_TYPES], footer)
    by_panel = []  # per panel, per row, the row's figures
    for data in table.panels:
        keys = [c.key for c in data.panel.columns if c.type in _FIGURE_TYPES]
        if data.panel.rows is not None:
            rows = [data.fixed.get(row.key, _NOTHING) if row.key else _NOTHING for row in data.panel.rows]
        else:
            rows = [row.cells for row in data.rows]
        by_panel.append(
            [[v for v in map(cells.get, keys) if v is not None and (v.text or v.amount is not None)] for cells in rows]
        )
    if len(by_panel) == 1:
        values = [v for row in by_panel[0] for v in row]
    else:  # panels side by side: row by row, left to right
        values = []
        for index in range(max(len(rows) for rows in by_panel)):
            for rows in by_panel:
                if index < len(rows):
                    values += rows[index]
    body = len(values)
    values += [v for c in form.footer if c.key and (v := table.totals.get(c.key)) is not None and v.amount is not None]
    block.add_values(values, any(c.type == "percent" for c in columns), any(c.type == "code" for c in columns))
    if form.footer:
        _xlsx_footer(block, table, columns, body)
    return [block]


def _xlsx_footer(block: _Block, table: FormTable, columns: list, body: int) -> None:
    """The footer as the XLSX writes it (tabular._form_block): its totals, and its labels
    (人员经费合计) where they stand in a column of codes, which makes them text cells of a code's style."""
    wanted, marks, at = [], [], 0
    for cell in table.form.footer:
        if at < len(columns):
            if cell.key:
                value = table.totals.get(cell.key)
                if value is not None and value.amount is not None:
                    percent = columns[at].type == "percent"
                    wanted.append(f"v>{value.amount / 100:f}" if percent else f"v>{value.amount}")
                    marks.append(value)
            elif cell.label is not None and columns[at].type == "code":
                wanted.append("t>" + html.escape(cell.label, quote=False))  # as xlsx._xml_text writes it
                marks.append(table.mark)
        at += cell.colspan
    if block.xlsx is None:
        block.xlsx = ["v>" + figure for figure in block.json]
    block.xlsx = block.xlsx[:body] + wanted
    block.xlsx_marks = block.marks[:body] + marks


def _money_block(money: MoneyBlock, slug: str) -> _Block:
    block = _Block(slug, [i for i, c in enumerate(money.columns, 1) if c.type in ("amount", "percent")])
    labels = [c.label for c in money.columns if c.type in ("amount", "percent")]
    values = [v for row in money.rows for v in map(row.cells.get, labels) if v is not None and v.amount is not None]
    block.add_values(values, any(c.type == "percent" for c in money.columns))
    return block


def _indicator_blocks(table: IndicatorTable) -> list[_Block]:
    blocks = []
    money, sets = iter(table.money), iter(table.sets)
    keys = [key for key, _ in table.columns]
    scored = [i for i, key in enumerate(keys) if key in ("score", "scored")]
    for slug, _ in block_slugs(table):
        if slug == "jiben":
            continue  # label and text only
        if slug == "zijin":
            block = _Block(slug, [1, 2, 3, 4, 5, 6])
            for row in table.funds:
                for value in (row.budget, row.executed, row.transfer):
                    if value is not None:
                        block.add(format_amount(value), str(value), str(value), row.mark)
                if row.score is not None:
                    _score(block, row.score, row.mark)
                if row.rate is not None:
                    block.add(f"{row.rate}%", f"{row.rate}%", str(row.rate), row.mark, f"{row.rate / 100:f}")
                if row.scored is not None:
                    _score(block, row.scored, row.mark)
        elif slug.startswith("jine"):
            block = _money_block(next(money), slug)
        else:
            indicator_set = next(sets)
            block = _Block(slug, scored)

            getters = [attrgetter(keys[i]) for i in scored]
            found = [
                (value, leaf) for leaf in indicator_set.leaves() for get in getters if (value := get(leaf)) is not None
            ]
            digits = [str(value) for value, _ in found]  # a score as typed: page, CSV and JSON alike
            block.page += digits
            block.csv += digits
            block.json += digits
            block.marks += [leaf.mark for _, leaf in found]
            if indicator_set is table.sets[-1] and "score" in keys:
                for i in scored:
                    value = table.total_score if keys[i] == "score" else table.total_scored
                    if value is not None:
                        _score(block, value, table.mark)
        blocks.append(block)
    return blocks


def _free_block(table: FreeTable) -> tuple[_Block, list[str]]:
    """The numbers of a free table's body (its downloads' rows) and of all its cells (the page)."""
    block = _Block("", [])
    block.free = True
    top = 0
    while top < len(table.grid) and table.grid[top] and all(c.header for c in table.grid[top]):
        top += 1
    shown = []
    for r, row in enumerate(table.grid):
        for cell in row:
            numbers = _NUMBER.findall(cell.text)
            shown += numbers
            if r >= top:
                for number in numbers:
                    block.add(number, number, number, cell.mark)
    return block, shown


def _expected(table) -> tuple[list[_Block], list[str], list[Mark]]:
    """The table's blocks, and what its page shows: its figures in order, and their marks."""
    if isinstance(table, FormTable):
        blocks = _form_blocks(table)
    elif isinstance(table, FreeTable):
        block, shown = _free_block(table)
        return [block], shown, [table.mark] * len(shown)
    elif isinstance(table, AmountTable):
        blocks = [_money_block(table.block, "")]
    else:
        blocks = _indicator_blocks(table)
    if len(blocks) == 1:
        return blocks, blocks[0].page, blocks[0].marks
    return blocks, [f for b in blocks for f in b.page], [m for b in blocks for m in b.marks]


# ---- reading back ----


def _label(table) -> str:
    number = getattr(table, "number", None)
    return f"{number} {table.title}" if number else table.title


def _differ(found: list[str], wanted: list[str]) -> tuple[int, str, str]:
    """Where two lists of figures part first: the index, and what each has there ('' for nothing)."""
    for i, (got, want) in enumerate(zip(found, wanted, strict=False)):
        if got != want:
            return i, got, want
    i = min(len(found), len(wanted))
    return i, found[i] if i < len(found) else "", wanted[i] if i < len(wanted) else ""


def _mismatch(where: str, table, found: list[str] | None, wanted: list[str], marks: list[Mark]) -> Problem:
    if found is None:
        return Problem(table.mark, f"{where} 的“{_label(table)}”缺了格，与 data/ 不符（生成的文件有误，请报告）")
    i, got, want = _differ(found, wanted)
    mark = marks[i] if i < len(marks) else table.mark
    mark = mark.mark if isinstance(mark, Value) else mark
    if not want:
        said = f"多出 data/ 没有的数字 {got}"
    elif not got:
        said = f"缺少 {want}"
    else:
        said = f"应为 {want}，却是 {got}"
    return Problem(mark, f"{where} 的“{_label(table)}”与 data/ 不符：第 {i + 1} 个数字{said}（生成的文件有误，请报告）")


def _page_figures(content: bytes, start: int, end: int, free: bool) -> str:
    """The figures of a table on its page, a line each."""
    if free:
        found = _FREE_TABLE.search(content, start, end)
        if found is None:
            return []
        cells = found.group(0).decode("utf-8").partition("</caption>")[2]  # the caption (the title) is no cell
        return "\n".join(_NUMBER.findall(html.unescape(_TAG.sub(" ", cells))))
    # decoded at once: a decode per cell cost more than the rest
    return b"\n".join(_FIGURE_CELL.findall(content, start, end)).decode("utf-8")


def _rows_figures(rows: list, block: _Block) -> list[str]:
    """The figures of rows read from a CSV or a JSON block, in the columns that hold them, not
    blank ones. itemgetter, map and filter keep the loop over cells in C."""
    if block.free:
        return [number for row in rows for cell in row if cell for number in _NUMBER.findall(cell)]
    footer = rows.pop() if block.footer is not None and rows else None
    out: list[str] = []
    columns = block.columns
    if len(columns) == 1:
        out += filter(None, map(itemgetter(columns[0]), rows))
    elif columns:
        out += filter(None, chain.from_iterable(map(itemgetter(*columns), rows)))
    if footer is not None:
        out += filter(None, [footer[i] for i in block.footer])
    return out


def audit_document(document: Document, site: str) -> list[Problem]:
    """The pages and downloads of *document* under the folder *site*, against the model."""
    problems: list[Problem] = []
    pages = []
    for part in document.parts:
        pages.append((urls.part_src(document, part), part.sections, part.glossary))
        pages += [(urls.attachment_src(document, part, a), a.sections, []) for a in part.attachments]
    audited = []  # (table, its blocks) of every table, for the downloads
    for src, sections, glossary in pages:
        tables = _tables(sections)
        if not tables and not glossary:
            continue
        where = page_file(src)
        with open(f"{site}/{where}", "rb") as file:
            content = file.read()
        for use in glossary:
            heading = f'<h2 id="{term_anchor(use.term)}">{escape(" ".join(use.term.split()))}<a class="headerlink"'
            if heading.encode("utf-8") not in content:
                problems.append(Problem(use.mark, f"页面 {where} 没有名词解释“{use.term}”（生成的文件有误，请报告）"))
        if not tables:
            continue
        start = max(content.find(b"<article"), 0)  # the theme's header holds no table
        ends, at = [], start
        while (at := content.find(_DOWNLOADS_LINE, at)) >= 0:  # a line of links under each table
            ends.append(at)
            at += len(_DOWNLOADS_LINE)
        if len(ends) != len(tables):
            said = f"页面 {where} 应有 {len(tables)} 张表，却有 {len(ends)} 张（生成的文件有误，请报告）"
            problems.append(Problem(tables[0].mark, said))
            audited += [(table, _expected(table)[0]) for table in tables]  # the downloads are audited still
            continue
        for table, end in zip(tables, ends, strict=True):
            blocks, shown, marks = _expected(table)
            audited.append((table, blocks))
            found = _page_figures(content, start, end, isinstance(table, FreeTable))
            if found != "\n".join(shown):
                problems.append(_mismatch(f"页面 {where}", table, found.split("\n") if found else [], shown, marks))
            start = end
    if audited:
        problems += _audit_downloads(document, site, audited)
    return problems


def _audit_downloads(document: Document, site: str, audited: list) -> list[Problem]:
    problems: list[Problem] = []
    folder = urls.downloads_dir(document)
    json_file = f"{folder}/{urls.document_file(document, 'json')}"
    stems_of = stems(document)
    try:
        with open(f"{site}/{json_file}", "rb") as file:
            text = file.read()  # bytes: only the rows wanted are decoded, by json.loads
    except FileNotFoundError:
        text = b""
    # every block's rows in one json.loads, by its CSV's name (a call per block cost more)
    wanted = {f"{stems_of[table]}-{b.slug}" if b.slug else stems_of[table] for table, bs in audited for b in bs}
    in_json = json.loads(b"{" + b",".join(_json_rows(text, wanted)) + b"}", parse_float=str, parse_int=str)
    for table, blocks in audited:
        stem = stems_of[table]
        for block in blocks:
            name = f"{stem}-{block.slug}.csv" if block.slug else f"{stem}.csv"
            problems += _audit_csv(site, f"{folder}/{name}", table, block)
            rows = in_json.get(name)
            if rows is None:
                problems.append(
                    Problem(table.mark, f"{json_file} 缺少“{_label(table)}”的 {name}（生成的文件有误，请报告）")
                )
                continue
            found = _figures_or_none(rows, block)
            if found != block.json:
                problems.append(_mismatch(f"{json_file} 中 {name}", table, found, block.json, block.marks))
    problems += _audit_xlsx(document, site, f"{folder}/{urls.document_file(document, 'xlsx')}", audited)
    return problems


def _sheets(path: str) -> dict[int, bytes]:
    """The worksheets of the workbook at *path*, by number (sheet3.xml → 3). The directory is
    zipfile's; each member is inflated here from its bytes, which cost a quarter less than
    ZipFile.read (its stream object per member); the CRC is checked all the same. Raises
    zipfile.BadZipFile for a file that is not a workbook."""
    with open(path, "rb") as file:
        data = file.read()
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        infos = package.infolist()
    sheets = {}
    for info in infos:
        named = _SHEET_NAME.fullmatch(info.filename)
        if named is None:
            continue
        at = info.header_offset
        name_size, extra_size = struct.unpack_from("<HH", data, at + 26)  # of the local header
        start = at + 30 + name_size + extra_size
        raw = data[start : start + info.compress_size]
        try:
            xml = zlib.decompress(raw, -15) if info.compress_type == zipfile.ZIP_DEFLATED else raw
        except zlib.error as error:
            raise zipfile.BadZipFile(info.filename) from error
        if zlib.crc32(xml) != info.CRC:
            raise zipfile.BadZipFile(info.filename)
        sheets[int(named.group(1))] = xml
    return sheets


def _audit_xlsx(document: Document, site: str, shown: str, audited: list) -> list[Problem]:
    """Each table's sheet of the workbook against its blocks: the figures and codes, and nothing
    numeric besides, in the order written. *audited* holds the document's tables in the order of
    document.tables() (its pages are read part by part, each part's attachments after it), which
    is the order of the sheets."""
    try:
        sheets = _sheets(f"{site}/{shown}")
    except FileNotFoundError:
        return [Problem(audited[0][0].mark, f"{shown} 不存在（生成的文件有误，请报告）")]
    except (zipfile.BadZipFile, struct.error):
        return [Problem(audited[0][0].mark, f"{shown} 不是可读的工作簿（生成的文件有误，请报告）")]
    problems: list[Problem] = []
    if len(sheets) != len(audited):
        said = f"{shown} 应有 {len(audited)} 张工作表，却有 {len(sheets)} 张（生成的文件有误，请报告）"
        problems.append(Problem(audited[0][0].mark, said))
    for number, (table, blocks) in enumerate(audited, 1):
        xml = sheets.get(number)
        if xml is None:
            continue  # reported above: the count differs
        if isinstance(table, FreeTable):
            (block,) = blocks
            # XML's escapes (&amp; &lt; &gt;) hold no digits: the numbers are read from the text as written
            found = _NUMBER.findall(b"\n".join(_SHEET_FREE.findall(xml)).decode("utf-8"))
            if found != block.json:
                problems.append(_mismatch(f"{shown} 第 {number} 张工作表", table, found, block.json, block.marks))
            continue
        slugs = block_slugs(table) if isinstance(table, IndicatorTable) else ()
        if len(slugs) <= 1:  # one block, no captions
            parts = [(xml, blocks[0] if blocks else None, "")]
        else:
            pieces = xml.split(_SHEET_CAPTION)[1:]  # a piece per block, from its caption on
            if len(pieces) != len(slugs):
                said = f"{shown} 第 {number} 张工作表的“{_label(table)}”应有 {len(slugs)} 块，却有 {len(pieces)} 块（生成的文件有误，请报告）"
                problems.append(Problem(table.mark, said))
                continue
            by_slug = {block.slug: block for block in blocks}  # 基本情况 has no block: nothing numeric
            parts = [
                (piece, by_slug.get(slug), f"（{what}）") for piece, (slug, what) in zip(pieces, slugs, strict=True)
            ]
        for piece, block, what in parts:
            if block is None:
                wanted = ""
            elif block.xlsx is not None:
                wanted = "\n".join(block.xlsx)
            else:  # numbers only: the JSON's figures, each marked as a number, joined in C
                wanted = "v>" + "\nv>".join(block.json) if block.json else ""
            found = b"\n".join(_SHEET_FIGURES.findall(piece)).decode("utf-8")
            if found != wanted:
                marks = [] if block is None else block.marks if block.xlsx_marks is None else block.xlsx_marks
                where = f"{shown} 第 {number} 张工作表{what}"
                problems.append(_sheet_mismatch(where, table, found, wanted, marks))
    return problems


def _sheet_mismatch(where: str, table, found: str, wanted: str, marks: list) -> Problem:
    """_mismatch for a sheet's cells read by _SHEET_FIGURES, or where the first that differs is a
    code written as a number (its digits alike) or a number written as text."""
    found_cells, wanted_cells = found.split("\n") if found else [], wanted.split("\n") if wanted else []
    i, got, want = _differ(found_cells, wanted_cells)
    got_text, want_text = got.partition(">")[2], want.partition(">")[2]
    if got and want and got_text == want_text:
        mark = marks[i] if i < len(marks) else table.mark
        mark = mark.mark if isinstance(mark, Value) else mark
        said = "应为文本格（科目编码），却是数字格" if want[0] == "t" else "应为数字格，却是文本格"
        message = (
            f"{where} 的“{_label(table)}”与 data/ 不符：第 {i + 1} 个数字 {want_text} {said}（生成的文件有误，请报告）"
        )
        return Problem(mark, message)
    texts = [cell.partition(">")[2] for cell in found_cells]
    return _mismatch(where, table, texts, [cell.partition(">")[2] for cell in wanted_cells], marks)


def _json_rows(text: bytes, wanted: set[str]) -> list[bytes]:
    """Each block of a document's JSON as '"its CSV's name": [its rows]', found by the layout
    downloads.py writes: '"csv": "name"' and '"rows": [' on the block's line, a row a line, '    ]}'
    after the last. (Within a JSON string a '"' is escaped, so neither can be found in one.) Only the
    blocks *wanted* (by CSV name without '.csv'): one of text only is not parsed."""
    out, at = [], 0
    while (at := text.find(b'"csv": "', at)) >= 0:
        name_end = text.find(b'"', at + 8)
        rows = text.find(b'"rows": [', name_end)
        end = text.find(b"\n    ]}", rows)
        if rows < 0 or end < 0:
            break
        if text[at + 8 : name_end - 4].decode("utf-8") in wanted:
            out.append(b"%s: [%s]" % (text[at + 7 : name_end + 1], text[rows + 9 : end]))
        at = end
    return out


def _figures_or_none(rows: list, block: _Block) -> list[str] | None:
    """_rows_figures, or None for rows too short to hold them (a file cut short)."""
    try:
        return _rows_figures(rows, block)
    except IndexError:
        return None


def _tables(sections) -> list:
    out = []
    for section in sections:
        if section.table is not None:
            out.append(section.table)
        if section.sections:
            out += _tables(section.sections)
    return out


def _audit_csv(site: str, shown: str, table, block: _Block) -> list[Problem]:
    try:
        with open(f"{site}/{shown}", "rb") as file:
            text = file.read().decode("utf-8")
    except FileNotFoundError:
        return [Problem(table.mark, f"{shown} 不存在（生成的文件有误，请报告）")]
    rows = list(csv.reader(io.StringIO(text, newline="")))[1:]  # the first row is the header
    found = _figures_or_none(rows, block)
    if found != block.csv:
        return [_mismatch(shown, table, found, block.csv, block.marks)]
    return []


def audit(bureaus, site: Path) -> list[Problem]:
    """Every document's pages and downloads under *site*, against the model."""
    return [p for bureau in bureaus for document in bureau.documents for p in audit_document(document, str(site))]
