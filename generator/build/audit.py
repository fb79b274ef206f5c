"""Build stage, audit: the pages and downloads a batch has written, read back from disk and
compared with the model loaded from data/; a difference is a problem that stops the build.

What it proves, for every table of every document (form tables, 科目 tables, free tables, tables
of amounts, 申报表/自评表):

* on the page that prints the table (its part's or attachment's page), the cells of figures
  (`gk-num`: amounts, shares, scores, totals) and of 科目编码 (`gk-code`) hold exactly the table's
  figures and codes in data/, each in the row and the column it belongs to (the page's figure cells
  are compared row by row, blank ones included), each as the page shows it (29,455.67; 12.50% as
  typed; a score as typed): none missing, none changed, none added that data/ does not hold, none
  moved into another cell of its row, another row or another table of the page;
* the CSV of each part of the table and the table's block in the document's JSON hold the same
  figures and codes, each in its row and column (its columns that hold figures compared row by
  row, blank cells included; a row without a figure is left out of both sides, as the downloads
  leave out a row blank on the printed form), digit for digit as transcribed (29455.67; 12.50% in
  the CSV, 12.50 in the JSON);
* the table's sheet of the document's XLSX workbook (a sheet per table, in the document's order;
  a table of several blocks read block by block, from each block's caption) holds the same figures
  as numeric cells, digit for digit as transcribed (a share as the fraction Excel shows as a per
  cent: 0.125 for 12.50%), and the codes as text cells (leading zeros kept: a code written as a
  number is reported, though its digits be right), in the same order, each in the column it belongs
  to (its cell reference's letters) and in the row (the rows of a block's figures as far apart as
  the block's rows: where the block starts is the layout's, its title and header above it); and no
  numeric cell besides but the 行次 (whole numbers in the 行次's style). What else a sheet holds is
  told apart by the style xlsx.py gives it (the title, the unit, captions, the header and 栏次,
  text, notes), not by its content; a footer's labels that stand in a column of codes (人员经费合计)
  are expected there;
* in a free table (printed text) the numbers in each of its cells are those data/ holds for that
  cell, on the page (row by row), in the CSV, in the JSON (each cell placed in its column, spans
  taken into account) and in the text cells of its sheet (by cell reference);
* each term a part explains (名词解释) is on that part's page, as a heading with its anchor.

A figure is compared with the place its row and column give it in the table, which the audit works
out from the model (the form's panels and columns, the blocks of a 申报表), not from the files or
export/tabular.py it reads back: a writer that puts a figure in the wrong cell is caught.

What it does not prove: where a block starts in its sheet, the number formats of the XLSX,
anything about the words of a table (labels, names, 项目 of a 申报表, the XLSX's header and sheet
names), the 行次 themselves (the form's, not data/'s), prose and the figures it quotes
(check/prose.py compares those with the tables), the charts, the glossary and home pages that
mkdocs writes in the main process, and the datapackage.json (not read back). That the workbook
opens is proved only as far as its zip directory is read and each sheet inflates to its CRC; that
it is valid SpreadsheetML is tests/test_downloads.py's (openpyxl, too slow for a build). That every
linked file exists is links.py's.

It runs in the worker, per batch, right after the batch's pages and downloads are written, and
reads the files with regular expressions over the markup render/tables.py and
render/indicators.py write, the layout downloads.py writes (a row of JSON a line) and the
sheet XML xlsx.py writes (zipfile for the directory, zlib to inflate), not with an HTML parser
or openpyxl: it must cost little beside the stages that write those files. Reading the workbooks
back costs about 0.056 s of CPU per 100 documents (inflating the sheets 0.027, the regex 0.014,
the zip directory 0.005, the CRCs 0.002), which took the audit from 0.14 s to 0.20 s per 100
documents (process_time over the site built from the 200-document bench corpus, medians of three
runs). Comparing each figure with its row and column (blank cells included, the sheet's cell
references read) made it about 1.6 times that: 0.21 s to 0.33 s per 100 documents (process_time
of audit() over the same site, the cyclic collector paused as in the workers, medians of five runs
on a shared machine, 2026-12-07). `generator build --timings` reports the stage as "audit (workers)".
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
from operator import attrgetter, itemgetter
from pathlib import Path

from ..core import urls
from ..core.amounts import format_as_typed
from ..core.model import (
    AmountTable,
    Document,
    FormTable,
    FreeTable,
    IndicatorGroup,
    IndicatorTable,
    MoneyBlock,
    Unreadable,
    Value,
)
from ..core.problems import Mark, Problem
from ..core.scores import total_row_start
from ..core.urls import page_file, term_anchor
from ..export.tabular import CODE, LINE, TEXT, UNREADABLE_PREFIX, block_slugs, place, stems
from ..export.xlsx import UNREADABLE, column_letters, style_index
from ..render.escaping import escape

# A figure's or code's cell as render/tables.py / render/indicators.py write it (its text has no
# tags), blank ones too: the cells of a row (the page is cut at each "<tr"), each figure compared with
# its row and column.
# (A cell the original prints unreadably holds its text and the words that say so, in spans of
# their own: its content is taken whole, and compared with what it should be.)
_FIGURE_CELL = re.compile(
    r'<td class="gk-(?:num|code)[^"]*"[^>]*>([^<]*(?:<span class="gk-unreadable-[a-z]+">[^<]*</span>[^<]*)*)</td>'
)
_DOWNLOADS_LINE = b'<p class="gk-downloads">'  # written under every table (render/download_links.py)
_FREE_TABLE = re.compile(rb'<table class="gk-free">.*?</table>', re.S)
_FREE_CELL = re.compile(r"<t([hd])\b[^>]*>(.*?)</t\1>", re.S)  # a cell of a free table
_TAG = re.compile(r"<[^>]*>")
_NUMBER = re.compile(r"[0-9][0-9,.]*[0-9]%?|[0-9]%?")  # a number in text, as a reader would take it


# 行次: whole numbers in a 行次's style (the form's line numbers, not data/'s figures)
_LINES = "|".join(f'{style_index(LINE, total)}"><v>[0-9]+<' for total in (False, True))
# The cells of a sheet (xlsx.py's XML) that hold figures, with their place (column letters, row):
# every numeric cell but a 行次, as "v>" and its value, and every text cell of a code's style, as
# "t>" and its text, so that a code written as a number (which would lose its leading zeros)
# differs from the code, digits alike. Titles, the unit, captions, the header and 栏次, text and
# notes have styles of their own: not matched.
_SHEET_FIGURES = re.compile(
    f'<c r="([A-Z]+)([0-9]+)" s="(?:(?:{style_index(CODE, False)}|{style_index(CODE, True)}'
    f'|{style_index(UNREADABLE, False)}|{style_index(UNREADABLE, True)})" t="inlineStr"><is><'
    f'|(?!{_LINES})[0-9]+"><)((?:t[^>]*|v)>[^<]*)<'
)
# a free table's text cells, whose numbers are its figures, and any numeric cell, with their place
_SHEET_FREE = re.compile(
    f'<c r="([A-Z]+)([0-9]+)" s="(?:(?:{style_index(TEXT, False)}|{style_index(TEXT, True)})" t="inlineStr"><is><t[^>]*>'
    f'|(?!{_LINES})[0-9]+"><v>)([^<]*)<'
)
_SHEET_CAPTION = f's="{style_index("caption")}" t="inlineStr"'.encode()  # before each block of a table of several
_SHEET_NAME = re.compile(r"xl/worksheets/sheet([0-9]+)\.xml")

# A figure as each file writes it, and where in data/ it comes from: (as the page shows it, in the
# CSV, in the JSON, in the sheet ("v>55.11", "t>208"; None: not a cell of the sheet), its Mark or
# the Value whose mark it is).
Cell = tuple[str, str, str, "str | None", "Mark | Value"]


class _Block:
    """One part of a table as its CSV, its JSON block and its sheet hold it, and as its page shows
    it: row by row, the cells of the columns that hold figures, blank ones included, so that each
    figure is compared with the row and the column it belongs to, not only with the figures before
    it (a figure moved into the neighbouring blank cell keeps its order)."""

    __slots__ = ("slug", "columns", "footer", "free", "headings", "rows", "page", "sheet_extra", "unreadable", "texts")

    def __init__(self, slug: str, columns: list[int], headings: list[str], footer: list[int] | None = None):
        self.slug = slug
        self.columns = columns  # the columns (of the CSV, JSON and sheet) that hold figures or codes
        self.footer = footer  # in the last row (a form's footer), these instead
        self.free = False  # numbers in text: the numbers of each cell, every column
        self.headings = headings  # each column's heading, for messages
        # Per row of the block (the rows of its CSV, JSON and sheet, the footer last): per column of
        # `columns` (of `footer` in the footer), its figure, or None where it is blank.
        self.rows: list[list[Cell | None]] = []
        # Per row printed on the page: its cells, which of them the page prints as cells of figures
        # (None: all; the 科目编码 of a 合计 row is its label, and a panel shorter than its neighbour
        # prints empty cells) and their columns.
        self.page: list[tuple[list[Cell | None], list[int] | None, list[int]]] = []
        # Text cells of the sheet among the figures: a footer's labels in a column of codes.
        self.sheet_extra: list[tuple[str, int, int, Mark]] = []
        # How many of its cells the original prints unreadably (None: count them in the CSV's text).
        self.unreadable: int | None = 0
        self.texts: dict[int, str] = {}  # text(), once each

    def unreadable_cells(self) -> int:
        """How many cells the block's JSON lists as unreadable: of a table of a form, those whose
        CSV text says so (its columns of figures hold no other text); of a free table, counted
        from its grid."""
        if self.unreadable is None:
            self.unreadable = self.text(1).count(UNREADABLE_PREFIX)
        return self.unreadable

    def row(self, cells: list[Cell | None], columns: list[int] | None = None, page: list[int] | None = None) -> None:
        """A row of *cells* (of `columns`, or of *columns*), printed on the page with the cells at
        the indices *page* (all by default)."""
        columns = self.columns if columns is None else columns
        self.rows.append(cells)
        self.page.append((cells, page, columns))

    def text(self, which: int) -> str:
        """The rows as _found_text makes a file's, each cell by its text *which* (1 CSV, 2 JSON);
        (a cell marked unreadable has none in the JSON: a row of such cells only has nothing there)."""
        text = self.texts.get(which)
        if text is None:
            text = self.texts[which] = "\n".join(
                [
                    "\t".join([c[which] if c else "" for c in row])
                    for row in self.rows
                    if any(c[which] for c in row if c)
                ]
            )
        return text

    def page_text(self) -> str:
        """The page's rows as _found_text makes them."""
        out = []
        for cells, shown, _ in self.page:
            if shown is not None:
                cells = [cells[i] for i in shown]
            if any(cells):
                out.append("\t".join([c[0] if c else "" for c in cells]))
        return "\n".join(out)

    def wanted(self) -> list[list[tuple[Cell | None, str]]]:
        """The rows as _mismatch takes them: each cell with its column's heading."""
        last = len(self.rows) - 1
        out = []
        for r, cells in enumerate(self.rows):
            columns = self.footer if self.footer is not None and r == last else self.columns
            out.append([(cell, self.headings[c]) for cell, c in zip(cells, columns, strict=True)])
        return out

    def page_wanted(self) -> list[list[tuple[Cell | None, str]]]:
        """The page's rows as _mismatch takes them."""
        return [
            [(cells[i], self.headings[columns[i]]) for i in (range(len(cells)) if shown is None else shown)]
            for cells, shown, columns in self.page
        ]

    def sheet(self) -> tuple[list[str], list[int], list[int], list]:
        """Each figure as the sheet holds it, in the order of its cells: what it holds ("v>55.11"),
        its column, its row (of the block's rows) and its mark, each a list."""
        cells = []
        last = len(self.rows) - 1
        for r, row in enumerate(self.rows):
            columns = self.footer if self.footer is not None and r == last else self.columns
            cells += [(cell[3], c, r, cell[4]) for cell, c in zip(row, columns, strict=True) if cell]
        if self.sheet_extra:
            cells = sorted(cells + self.sheet_extra, key=itemgetter(2, 1))
        return [c[0] for c in cells], [c[1] for c in cells], [c[2] for c in cells], [c[3] for c in cells]


def _found_text(rows: list[list[str]]) -> str:
    """Rows of cells read from a file ('' for a blank cell) as one text, rows without a figure
    left out (a row blank on the printed form is left out of the downloads): compared in one go."""
    return "\n".join(["\t".join(row) for row in rows if any(row)])


# ---- what data/ says each table holds ----


def _amount_cell(value: Value) -> Cell:
    digits = str(value.amount)  # f"{amount:f}", as the JSON writes it, for every figure the loader takes
    return (f"{value.amount:,.2f}", digits, digits, "v>" + digits, value)


def _percent_cell(value: Value) -> Cell:
    digits = str(value.amount)
    return (value.text, digits + "%", digits, f"v>{value.amount / 100:f}", value)  # as typed; 12.50%; 0.125


def _code_cell(value: Value) -> Cell:
    return (value.text, value.text, value.text, "t>" + value.text, value)


def _score_cell(value, mark: Mark) -> Cell:
    digits = str(value)  # a score as typed: page, CSV and JSON alike
    return (digits, digits, digits, "v>" + digits, mark)


_CELL_OF = {"amount": _amount_cell, "percent": _percent_cell, "code": _code_cell}
_FIGURE_TYPES = tuple(_CELL_OF)
_NOTHING: dict = {}


def _unreadable_cell(value: Unreadable) -> Cell:
    """A cell the original prints unreadably: on the page its text and the words that say so
    (render/tables.py), in the CSV and the sheet (a text cell of its own style) 无法辨认： and the
    text, in the JSON null (the block lists it apart: _audit_unreadable)."""
    page = (
        f'<span class="gk-unreadable-text">{escape(value.text)}</span> <span class="gk-unreadable-tag">无法辨认</span>'
    )
    said = UNREADABLE_PREFIX + value.text
    return (page, said, "", "t>" + html.escape(said, quote=False), value)


def _value_cell(column_type: str, value: Value | None) -> Cell | None:
    if value is None:
        return None
    if value.__class__ is Unreadable:
        return _unreadable_cell(value)
    if value.amount is None and not value.text:
        return None
    if value.amount is None and column_type != "code":  # text in a column of figures: none of its figures
        return None
    return _CELL_OF[column_type](value)


def _form_blocks(table: FormTable) -> list[_Block]:
    form = table.form
    columns = [c for data in table.panels for c in data.panel.columns]
    figures = [i for i, c in enumerate(columns) if c.type in _FIGURE_TYPES]
    footer = None
    if form.footer:
        footer, at = [], 0
        for cell in form.footer:
            if cell.key and at < len(columns):
                footer.append(at)
            at += cell.colspan
    if footer is not None and all((table.totals.get(c.key) is None) if c.key else c.label is None for c in form.footer):
        footer = None  # a footer of blank totals only is a blank row, which the downloads leave out
    block = _Block("", figures, [c.label for c in columns], footer)
    block.unreadable = None  # counted in its CSV's text when asked
    # per panel: its figure columns (key, type, is a 科目编码 printed as a 合计's label when blank)
    plans = []
    for data in table.panels:
        panel_columns = data.panel.columns
        plans.append(
            [
                (c.key, c.type, c.type == "code" and i + 1 < len(panel_columns) and panel_columns[i + 1].type == "name")
                for i, c in enumerate(panel_columns)
                if c.type in _FIGURE_TYPES
            ]
        )
    codes = any(kind == "code" for plan in plans for _, kind, _ in plan)
    depth = max((len(d.panel.rows) if d.panel.rows is not None else len(d.rows) for d in table.panels), default=0)
    for index in range(depth):
        cells: list[Cell | None] = []
        page: list[int] = []
        every = True  # the page prints every cell of the row as a cell of figures
        for data, plan in zip(table.panels, plans, strict=True):
            fixed = data.panel.rows
            if fixed is not None:
                printed = index < len(fixed)
                values = data.fixed.get(fixed[index].key, _NOTHING) if printed and fixed[index].key else _NOTHING
            else:
                printed = index < len(data.rows)
                values = data.rows[index].cells if printed else _NOTHING
            start = len(cells)
            get = values.get
            # a comprehension rather than a call per cell: a province has millions
            cells += [
                None
                if (v := get(key)) is None
                else (f"{v.amount:,.2f}", (d := str(v.amount)), d, "v>" + d, v)
                if kind == "amount" and v.amount is not None
                else _value_cell(kind, v)
                for key, kind, _ in plan
            ]
            if not printed:  # a panel shorter than its neighbour prints empty cells
                every = False
            elif codes:
                # A blank 科目编码 before a name is the 合计's label, printed across both; fixed rows
                # print a code as text.
                page += [
                    start + i
                    for i, (_, kind, label_when_blank) in enumerate(plan)
                    if kind != "code" or (fixed is None and not (label_when_blank and cells[start + i] is None))
                ]
            else:
                page += range(start, len(cells))
        block.row(cells, page=None if every and len(page) == len(cells) else page)
    if form.footer and footer is not None:  # (a footer of blank totals only: nothing to compare)
        cells, at = [], 0
        for cell in form.footer:
            if at < len(columns):
                if cell.key:
                    value = table.totals.get(cell.key)
                    cells.append(
                        None
                        if value is None
                        else _unreadable_cell(value)
                        if value.__class__ is Unreadable
                        else None
                        if value.amount is None
                        else _total_cell(columns[at], value)
                    )
                elif cell.label is not None and columns[at].type == "code":
                    # a label (人员经费合计) in a column of codes: a text cell of a code's style in the sheet
                    block.sheet_extra.append(("t>" + html.escape(cell.label, quote=False), at, depth, table.mark))
            at += cell.colspan
        block.row(cells, footer)
    return [block]


def _total_cell(column, value: Value) -> Cell:
    """A footer's total: shown as an amount, in the sheet as the fraction its column's type makes it."""
    digits = str(value.amount)
    sheet = f"v>{value.amount / 100:f}" if column.type == "percent" else "v>" + digits
    return (f"{value.amount:,.2f}", digits, digits, sheet, value)


def _money_block(money: MoneyBlock, slug: str, headings: list[str]) -> _Block:
    kinds = [(c.label, c.type) for c in money.columns if c.type in ("amount", "percent")]
    block = _Block(slug, [i for i, c in enumerate(money.columns, 1) if c.type in ("amount", "percent")], headings)
    for row in money.rows:
        cells = [_value_cell(kind, row.cells.get(label)) for label, kind in kinds]
        block.row([_as_typed(cell) if kind == "amount" else cell for cell, (_, kind) in zip(cells, kinds, strict=True)])
    return block


def _as_typed(cell: Cell | None) -> Cell | None:
    """An amount of a table of amounts or a 绩效 table: the page shows it with the decimals typed
    (render/indicators.py); every file holds it as it holds any amount."""
    if cell is None or cell[4].__class__ is Unreadable:
        return cell
    return (format_as_typed(cell[4].amount), *cell[1:])


def _indicator_blocks(table: IndicatorTable) -> list[_Block]:
    blocks = []
    money, sets = iter(table.money), iter(table.sets)
    keys = [key for key, _ in table.columns]
    scored = [i for i, key in enumerate(keys) if key in ("score", "scored")]
    for slug, _ in block_slugs(table):
        if slug == "jiben":
            continue  # label and text only
        if slug == "zijin":
            figures = [(i, key) for i, (key, _) in enumerate(table.funds_columns) if key != "source"]
            block = _Block(slug, [i for i, _ in figures], [label for _, label in table.funds_columns])
            for row in table.funds:
                block.row([_funds_cell(key, getattr(row, key), row.mark) for _, key in figures])
        elif slug.startswith("jine"):
            block_money = next(money)
            block = _money_block(block_money, slug, [block_money.head] + [c.label for c in block_money.columns])
        else:
            indicator_set = next(sets)
            block = _Block(slug, scored, [label for _, label in table.columns])
            getters = [attrgetter(keys[i]) for i in scored]
            merged = table.form.merged_level if table.form is not None else None
            for node, depth in _scored_rows(indicator_set):
                cells = [None if (v := get(node)) is None else _score_cell(v, node.mark) for get in getters]
                # a group's subtotal printed beside its name, not in cells of figures: the downloads' only
                block.row(cells, page=None if depth in (None, merged) else [])
            last = indicator_set is table.sets[-1]
            start = total_row_start(keys)
            if last and (table.total_score is not None or table.total_scored is not None) and start is not None:
                totals = {"score": table.total_score, "scored": table.total_scored}
                cells = [None if (v := totals[keys[i]]) is None else _score_cell(v, table.mark) for i in scored]
                # the page prints the total row's figure cells from 分值 (or 得分) on
                block.row(cells, page=[n for n, i in enumerate(scored) if i >= start])
        blocks.append(block)
    return blocks


def _funds_cell(key: str, value, mark: Mark) -> Cell | None:
    """A funds figure as each file writes it: an amount, a score, or a rate in per cent."""
    if value is None:
        return None
    if key == "rate":
        return (f"{value}%", f"{value}%", str(value), f"v>{value / 100:f}", mark)
    if key in ("score", "scored"):
        return _score_cell(value, mark)
    return (format_as_typed(value), str(value), str(value), f"v>{value}", mark)


def _scored_rows(indicator_set) -> list[tuple[object, int | None]]:
    """The rows of an indicator block as the downloads hold them, with a group's level (None for a
    leaf): each leaf, and before its rows a group that prints its own 分值/得分 (the page prints
    them in a cell merged over its rows, or beside its name)."""
    out: list = []

    def walk(node, depth: int):
        if isinstance(node, IndicatorGroup):
            if node.score is not None or node.scored is not None:
                out.append((node, depth))
            for child in node.children:
                walk(child, depth + 1)
        else:
            out.append((node, None))

    for group in indicator_set.groups:
        walk(group, 1)
    return out


def _numbers_cell(text: str, mark: Mark) -> Cell | None:
    numbers = " ".join(_NUMBER.findall(text))
    return (numbers, numbers, numbers, "t>" + numbers, mark) if numbers else None


def _free_block(table: FreeTable) -> _Block:
    """The numbers of each cell of a free table: its body's in the downloads (placed as the browser
    and tabular.place place them, spans taken into account), every row's on the page."""
    top = 0
    while top < len(table.grid) and table.grid[top] and all(c.header for c in table.grid[top]):
        top += 1
    placed, width = place([[(c.text, c.colspan, c.rowspan) for c in row] for row in table.grid])
    block = _Block("", list(range(width)), [f"第 {c + 1} 栏" for c in range(width)])
    block.free = True
    grid_cells = [cell for row in table.grid for cell in row]
    block.unreadable = sum(1 for cell in grid_cells[sum(len(row) for row in table.grid[:top]) :] if cell.unreadable)
    rows: list[list[Cell | None]] = [[None] * width for _ in range(len(table.grid) - top)]
    page: list[tuple[list, None, list[int]]] = [([], None, []) for _ in table.grid]
    for spot, printed in zip(placed, grid_cells, strict=True):
        cell = _numbers_cell(spot.text, printed.mark)
        if cell is not None and printed.unreadable:  # null in the JSON, which lists it apart
            cell = (cell[0], cell[1], "", cell[3], cell[4])
        page[spot.row][0].append(cell)
        page[spot.row][2].append(spot.column)
        if spot.row >= top:
            rows[spot.row - top][spot.column] = cell
    block.rows, block.page = rows, page
    return block


def _expected(table) -> list[_Block]:
    """The table's blocks."""
    if isinstance(table, FormTable):
        return _form_blocks(table)
    if isinstance(table, FreeTable):
        return [_free_block(table)]
    if isinstance(table, AmountTable):
        money = table.block
        return [_money_block(money, "", [money.head] + [c.label for c in money.columns])]
    return _indicator_blocks(table)


# ---- reading back ----


def _label(table) -> str:
    number = getattr(table, "number", None)
    return f"{number} {table.title}" if number else table.title


def _mark_of(mark) -> Mark:
    return mark.mark if isinstance(mark, Value) else mark


def _report(where: str, table, said: str, mark) -> Problem:
    return Problem(_mark_of(mark), f"{where} 的“{_label(table)}”与 data/ 不符：{said}（生成的文件有误，请报告）")


def _mismatch(where: str, table, found: list[list[str]] | None, wanted: list[list[tuple]], text: int) -> Problem:
    """Where the rows *found* in a file (texts, '' for a blank cell) first part from the rows
    *wanted* (each cell, a Cell or None, with its column's heading), said at the figure concerned:
    *text* is which of a Cell's texts the file holds (0 page, 1 CSV, 2 JSON)."""
    if found is None:
        return Problem(table.mark, f"{where} 的“{_label(table)}”缺了格，与 data/ 不符（生成的文件有误，请报告）")
    wanted = [row for row in wanted if any(cell for cell, _ in row)]
    found = [row for row in found if any(row)]
    last = next((cell[4] for row in reversed(wanted) for cell, _ in reversed(row) if cell), table.mark)
    for want_row, got_row in zip(wanted, found, strict=False):
        texts = [cell[text] if cell else "" for cell, _ in want_row]
        if texts != got_row:
            return _row_mismatch(where, table, want_row, texts, got_row, last)
    if len(wanted) > len(found):
        cell = next(c for c, _ in wanted[len(found)] if c)
        return _report(where, table, f"缺少 {cell[text]}", cell[4])
    extra = next(g for g in found[len(wanted)] if g)
    return _report(where, table, f"多出 data/ 没有的数字 {extra}", last)


def _row_mismatch(where: str, table, want_row: list[tuple], texts: list[str], got_row: list[str], last) -> Problem:
    """The first cell where a row of a file differs from the row wanted (*texts*, of *want_row*'s
    cells): a figure in another column of its row than its own, changed, missing or not data/'s."""
    for k in range(max(len(texts), len(got_row))):
        want = texts[k] if k < len(texts) else ""
        got = got_row[k] if k < len(got_row) else ""
        if want == got:
            continue
        heading = want_row[k][1] if k < len(want_row) else None
        if want:
            cell = want_row[k][0]
            # the figure in a cell of its row that is not its own
            moved = [j for j, g in enumerate(got_row) if g == want and j < len(texts) and texts[j] != g]
            if moved:
                return _report(where, table, f"{want} 应在“{heading}”栏，却在“{want_row[moved[0]][1]}”栏", cell[4])
            said = f"“{heading}”栏应为 {want}，却是 {got}" if got else f"缺少 {want}（“{heading}”栏）"
            return _report(where, table, said, cell[4])
        # a figure where the row has none: whose it is, if another cell of the row misses it
        owner = [j for j, w in enumerate(texts) if w == got and (j >= len(got_row) or got_row[j] != w)]
        if owner and heading is not None:
            j = owner[0]
            return _report(where, table, f"{got} 应在“{want_row[j][1]}”栏，却在“{heading}”栏", want_row[j][0][4])
        near = next((c[4] for c, _ in want_row if c), last)
        return _report(where, table, f"多出 data/ 没有的数字 {got}", near)
    return _report(where, table, "行与 data/ 不同", last)


def _page_rows(content: bytes, start: int, end: int, free: bool) -> list[list[str]]:
    """The figure cells of a table on its page, row by row, blank ones as ''."""
    if free:
        found = _FREE_TABLE.search(content, start, end)
        if found is None:
            return []
        cells = found.group(0).decode("utf-8").partition("</caption>")[2]  # the caption (the title) is no cell
        return [
            [" ".join(_NUMBER.findall(html.unescape(_TAG.sub(" ", text)))) for _, text in _FREE_CELL.findall(row)]
            for row in cells.split("<tr")[1:]
        ]
    # decoded at once (a decode per cell cost more than the rest) and cut at each row: a findall a row
    return [_FIGURE_CELL.findall(row) for row in content[start:end].decode("utf-8").split("<tr")[1:]]


def _rows_of(rows: list, block: _Block, blanks: bool = False) -> list[list[str]]:
    """The cells of rows read from a CSV or a JSON block in the columns that hold figures, blank
    ones as '' (*blanks*: the rows have None for a blank cell, as JSON's null; a CSV's are ''); a
    free table's: the numbers of each cell. itemgetter and map keep the loop over rows in C."""
    if block.free:
        return [[" ".join(_NUMBER.findall(cell)) if cell else "" for cell in row] for row in rows]
    rows = list(rows)
    footer = rows.pop() if block.footer is not None and rows else None
    columns = block.columns
    out: list[list[str]]
    if not columns:
        out = [[] for _ in rows]
    elif len(columns) == 1:
        get = itemgetter(columns[0])
        out = [[get(row) or ""] for row in rows] if blanks else [[get(row)] for row in rows]
    else:
        cells = map(itemgetter(*columns), rows)
        out = [[cell or "" for cell in row] for row in cells] if blanks else list(map(list, cells))
    if footer is not None:
        out.append([footer[i] or "" for i in block.footer])
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
            audited += [(table, _expected(table)) for table in tables]  # the downloads are audited still
            continue
        for table, end in zip(tables, ends, strict=True):
            blocks = _expected(table)
            audited.append((table, blocks))
            found = _page_rows(content, start, end, isinstance(table, FreeTable))
            if _found_text(found) != "\n".join(filter(None, [block.page_text() for block in blocks])):
                wanted = [row for block in blocks for row in block.page_wanted()]
                problems.append(_mismatch(f"页面 {where}", table, found, wanted, 0))
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
    listing = b'"unreadable": ' in text  # a block lists cells the original prints unreadably
    for table, blocks in audited:
        stem = stems_of[table]
        for block in blocks:
            name = f"{stem}-{block.slug}.csv" if block.slug else f"{stem}.csv"
            found, csv_rows = _audit_csv(site, f"{folder}/{name}", table, block)
            problems += found
            rows = in_json.get(name)
            if rows is None:
                problems.append(
                    Problem(table.mark, f"{json_file} 缺少“{_label(table)}”的 {name}（生成的文件有误，请报告）")
                )
                continue
            if (problem := _compare_rows(f"{json_file} 中 {name}", table, block, rows, 2)) is not None:
                problems.append(problem)
            if listing or block.unreadable_cells():
                listed = _json_unreadable(text, name)
                if problem := _unreadable_problem(f"{json_file} 中 {name}", table, block, listed, rows, csv_rows):
                    problems.append(problem)
    problems += _audit_xlsx(document, site, f"{folder}/{urls.document_file(document, 'xlsx')}", audited)
    return problems


def _compare_rows(where: str, table, block: _Block, rows: list, text: int) -> Problem | None:
    """The rows of a CSV or a JSON block against the block: None when they hold its figures, each
    in its row and column. *text*: which of a Cell's texts the file holds (1 CSV, 2 JSON)."""
    try:
        found = _rows_of(rows, block, blanks=text == 2)  # JSON's blank cells are null
    except IndexError:  # rows too short to hold the figures: a file cut short
        found = None
    if found is not None and _found_text(found) == block.text(text):
        return None
    return _mismatch(where, table, found, block.wanted(), text)


def _audit_csv(site: str, shown: str, table, block: _Block) -> tuple[list[Problem], list[list[str]]]:
    """What is wrong with the block's CSV, and its rows (without the header row)."""
    try:
        with open(f"{site}/{shown}", "rb") as file:
            text = file.read().decode("utf-8")
    except FileNotFoundError:
        return [Problem(table.mark, f"{shown} 不存在（生成的文件有误，请报告）")], []
    rows = list(csv.reader(io.StringIO(text, newline="")))[1:]  # the first row is the header
    problem = _compare_rows(shown, table, block, rows, 1)
    return ([] if problem is None else [problem]), rows


def _json_unreadable(text: bytes, name: str) -> list:
    """The cells the JSON block of the CSV *name* lists as unreadable in the original (written
    between its fields and its rows: downloads.py), or [] when it lists none."""
    at = text.find(b'"csv": ' + json.dumps(name, ensure_ascii=False).encode("utf-8"))
    rows = text.find(b'"rows": [', at)
    if at < 0 or rows < 0:
        return []
    start = text.find(b'"unreadable": ', at, rows)
    if start < 0:
        return []
    try:
        listed = json.loads(text[start + len(b'"unreadable": ') : rows].rstrip(b", "))
    except ValueError:
        return [None]  # not a list: reported as a list that does not name the cells
    return listed if isinstance(listed, list) else [None]


def _unreadable_problem(where: str, table, block: _Block, listed: list, rows: list, csv_rows: list) -> Problem | None:
    """The cells a JSON block lists as unreadable in the original against the block's: as many,
    each once, each where the JSON row holds null and the CSV (audited against data/ already) holds
    无法辨认： and the text listed."""
    wanted = block.unreadable_cells()
    seen = set()
    for entry in listed:
        try:
            r, c, printed = entry["row"], entry["column"], entry["text"]
            place_ok = rows[int(r)][int(c)] is None and csv_rows[int(r)][int(c)] == UNREADABLE_PREFIX + printed
        except (TypeError, KeyError, IndexError, ValueError):
            place_ok = False
        if not place_ok or (r, c) in seen:
            said = f"列出的无法辨认的格 {json.dumps(entry, ensure_ascii=False)} 与表中的格对不上"
            return _report(where, table, said, table.mark)
        seen.add((r, c))
    if len(listed) != wanted:
        return _report(where, table, f"应列出 {wanted} 格原件无法辨认的格，却列出 {len(listed)} 格", table.mark)
    return None


def _column_index(letters: str) -> int:
    """A → 0, Z → 25, AA → 26: xlsx.column_letters read back."""
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def _audit_xlsx(document: Document, site: str, shown: str, audited: list) -> list[Problem]:
    """Each table's sheet of the workbook against its blocks: the figures and codes, and nothing
    numeric besides, each in the column and row it belongs to. *audited* holds the document's
    tables in the order of document.tables() (its pages are read part by part, each part's
    attachments after it), which is the order of the sheets."""
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
            where = f"{shown} 第 {number} 张工作表{what}"
            wanted = ([], [], [], []) if block is None else block.sheet()
            piece = piece.decode("utf-8")  # once: a decode per cell cost more than the rest
            if block is not None and block.free:
                # XML's escapes (&amp; &lt; &gt;) hold no digits: the numbers are read from the text as written
                found = [
                    (letters, row, "t>" + numbers)
                    for letters, row, text in _SHEET_FREE.findall(piece)
                    if (numbers := " ".join(_NUMBER.findall(text)))
                ]
            else:
                found = _SHEET_FIGURES.findall(piece)
            if (problem := _sheet_problem(where, table, block, found, wanted)) is not None:
                problems.append(problem)
    return problems


def _sheet_problem(where: str, table, block: _Block | None, found: list, wanted: tuple) -> Problem | None:
    """The cells of a sheet (column letters, row, what _SHEET_FIGURES reads) against the block's
    figures (block.sheet()): the same, in the same order, each in its column, and their rows as far
    apart as the block's (the rows above the block, its title and header, are the layout's)."""
    texts, columns, rows, marks = wanted
    found_texts = [cell for _, _, cell in found]
    if found_texts != texts:
        return _sheet_mismatch(where, table, found_texts, texts, marks)
    if not found:
        return None
    letters = [letter for letter, _, _ in found]
    found_rows = list(map(int, [row for _, row, _ in found]))
    offset = found_rows[0] - rows[0]
    if letters == list(map(column_letters, columns)) and [a - b for a, b in zip(found_rows, rows, strict=True)].count(
        offset
    ) == len(rows):
        return None
    headings = block.headings if block is not None else []
    for (letter, row, cell), column, r, mark in zip(found, columns, rows, marks, strict=True):
        at = _column_index(letter)
        value, ref = cell.partition(">")[2], f"{letter}{row}"
        if at != column:
            there = headings[at] if at < len(headings) else f"第 {at + 1} 栏"
            return _report(where, table, f"{value} 应在“{headings[column]}”栏，却在“{there}”栏（单元格 {ref}）", mark)
        if int(row) - r != offset:
            return _report(where, table, f"{value} 应在第 {r + offset} 行，却在第 {row} 行（单元格 {ref}）", mark)
    return None


def _sheet_mismatch(where: str, table, found: list[str], wanted: list[str], marks: list) -> Problem:
    """Where the cells of a sheet first part from the figures wanted, said at the figure concerned:
    a code written as a number (its digits alike), a number written as text, or a figure that
    differs, is missing or is not data/'s."""
    i = next(
        (i for i, (got, want) in enumerate(zip(found, wanted, strict=False)) if got != want),
        min(len(found), len(wanted)),
    )
    got, want = (found[i] if i < len(found) else ""), (wanted[i] if i < len(wanted) else "")
    got_text, want_text = got.partition(">")[2], want.partition(">")[2]
    mark = marks[i] if i < len(marks) else (marks[-1] if marks else table.mark)
    if got and want and got_text == want_text:
        said = "应为文本格（科目编码），却是数字格" if want[0] == "t" else "应为数字格，却是文本格"
        return _report(where, table, f"第 {i + 1} 个数字 {want_text} {said}", mark)
    if not want:
        return _report(where, table, f"第 {i + 1} 个数字：多出 data/ 没有的数字 {got_text}", mark)
    if not got:
        return _report(where, table, f"第 {i + 1} 个数字：缺少 {want_text}", mark)
    return _report(where, table, f"第 {i + 1} 个数字应为 {want_text}，却是 {got_text}", mark)


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


def _tables(sections) -> list:
    out = []
    for section in sections:
        if section.table is not None:
            out.append(section.table)
        if section.sections:
            out += _tables(section.sections)
    return out


def audit(bureaus, site: Path) -> list[Problem]:
    """Every document's pages and downloads under *site*, against the model."""
    return [p for bureau in bureaus for document in bureau.documents for p in audit_document(document, str(site))]
