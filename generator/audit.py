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
* in a free table (printed text) the numbers in its cells are those data/ holds, on the page, in
  the CSV and in the JSON;
* each term a part explains (名词解释) is on that part's page, as a heading with its anchor.

What it does not prove: that a figure stands in the right column where blank cells lie between
(the order of the cells that are not blank is compared, not their places), anything about the
words of a table (labels, names, 项目 of a 申报表), prose and the figures it quotes (checks.py
compares those with the tables), the charts, the glossary and home pages that mkdocs writes in
the main process, the XLSX workbook and the datapackage.json (not read back: not attempted yet).
That every linked file exists is links.py's.

It runs in the worker, per batch, right after the batch's pages and downloads are written, and
reads the files with regular expressions over the markup render_tables.py and
render_indicators.py write and the layout downloads.py writes (a row of JSON a line), not
with an HTML parser: it must cost little beside the stages that write those files.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from itertools import chain
from operator import attrgetter, itemgetter
from pathlib import Path

from . import urls
from .amounts import format_amount
from .escaping import escape
from .links import page_file
from .model import AmountTable, Document, FormTable, FreeTable, IndicatorTable, MoneyBlock, Value
from .problems import Mark, Problem
from .prose import term_anchor
from .tabular import block_slugs, stems

# A figure's or code's cell as render_tables.py / render_indicators.py write it (its text has no tags).
_FIGURE_CELL = re.compile(rb'<td class="gk-(?:num|code)[^"]*"[^>]*>([^<]+)</td>')  # blank ones do not match
_DOWNLOADS_LINE = b'<p class="gk-downloads">'  # written under every table (render_downloads.py)
_FREE_TABLE = re.compile(rb'<table class="gk-free">.*?</table>', re.S)
_TAG = re.compile(r"<[^>]*>")
_NUMBER = re.compile(r"[0-9][0-9,.]*[0-9]%?|[0-9]%?")  # a number in text, as a reader would take it


class _Block:
    """One part of a table as its CSV and its JSON block hold it: which columns hold figures and
    the figures (not blank ones) they must hold, in order, as the page, the CSV and the JSON write
    each, with where in data/ each comes from."""

    __slots__ = ("slug", "columns", "footer", "page", "csv", "json", "marks", "free")

    def __init__(self, slug: str, columns: list[int], footer: list[int] | None = None):
        self.slug = slug
        self.columns = columns  # the columns that hold figures or codes
        self.footer = footer  # in the last row (a form's footer), these instead
        self.page: list[str] = []
        self.csv: list[str] = []
        self.json: list[str] = []
        self.marks: list = []  # of Mark, or of Value (whose mark it is)
        self.free = False  # numbers in text: every column, numbers found in the cells' text

    def add(self, page: str, csv_text: str, json_text: str, mark: Mark) -> None:
        self.page.append(page)
        self.csv.append(csv_text)
        self.json.append(json_text)
        self.marks.append(mark)

    def add_values(self, values: list[Value], percents: bool) -> None:
        """Cells of a form or a block of amounts, each as written: an amount (no text), a share
        (its amount and the text typed, which the page shows) or a code (text only). A list
        comprehension per format rather than a call per value: a province has millions. The JSON
        writes f"{amount:f}", which is str(amount) for every figure the loader takes (plain
        decimals: str() writes an exponent only for more than six zeros after the point)."""
        self.page += [v.text if v.text is not None else f"{v.amount:,.2f}" for v in values]
        digits = [v.text if v.amount is None else str(v.amount) for v in values]
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
    values += [v for c in form.footer if c.key and (v := table.totals.get(c.key)) is not None and v.amount is not None]
    block.add_values(values, any(c.type == "percent" for c in columns))
    return [block]


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
                    block.add(f"{row.rate}%", f"{row.rate}%", str(row.rate), row.mark)
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
    wanted = {f"{stems_of[id(table)]}-{b.slug}" if b.slug else stems_of[id(table)] for table, bs in audited for b in bs}
    in_json = json.loads(b"{" + b",".join(_json_rows(text, wanted)) + b"}", parse_float=str, parse_int=str)
    for table, blocks in audited:
        stem = stems_of[id(table)]
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
    return problems


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
