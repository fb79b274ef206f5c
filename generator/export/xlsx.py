"""Downloads, XLSX: a document's tables as one workbook, a sheet per table laid out as printed.

Each sheet has the table's number, title and unit, the printed header (groups merged over their
columns as the form prints them), 栏次, the rows (totals bold) and the note. Amounts are numeric
cells shown #,##0.00 (those of a 绩效 table or a table of amounts with the decimals typed, #,##0 for
10276, as their originals print them), shares numeric per-cent cells, scores numbers with the decimals typed,
科目编码 text cells (leading zeros kept); text is written as text, so nothing a clerk typed can
become a formula.

Written here rather than with XlsxWriter: on the 200-document corpus of `python -m generator bench
--docs 200`, the same workbooks (sheets, cells, merged headers, number formats, frozen header rows)
took 11.1 ms of CPU a document through XlsxWriter 3.3.1 (about 12 µs a cell written, in its
general-purpose cell store and XML writer: 22 s of CPU for a 2,000-document province, against a
build budget of 30 s) and 2.0 ms written here (process_time, median of 5 runs each, 2026-12-07;
docs/performance.md). Only the few parts of SpreadsheetML a sheet of values needs are written (the
parts and element order XlsxWriter itself writes, with inline strings and a fixed style sheet).
The numbers are written digit for digit as data/ holds them, never through a float. Every part
has a fixed date, so the same data makes the same bytes.
"""

from __future__ import annotations

import re
import zlib
from datetime import datetime
from decimal import Decimal
from functools import lru_cache

from ..core.model import Document
from .tabular import AMOUNT, CODE, LINE, NUMERIC, PERCENT, SCORE, TEXT, UNREADABLE_SAID, Block, Marked, TableData
from .zipwrite import DEFLATED, ZipArchive, deflated

AMOUNT_FORMAT = "#,##0.00"
MAX_TEXT = 32767  # characters Excel holds in a cell
_WIDTHS = {AMOUNT: 14, PERCENT: 10, SCORE: 8, LINE: 6, CODE: 11, TEXT: 24}
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # not allowed in XML 1.0

# ---- the style sheet: a fixed list of cell formats, referred to by index ----

_NUMBER_FORMATS = {  # custom number formats (ids from 164), spelt out so no locale reads them otherwise
    AMOUNT_FORMAT: 164,
    "@": 165,
    **{("0" + ("." + "0" * d if d else "")): 166 + d for d in range(5)},
    **{("0" + ("." + "0" * d if d else "") + "%"): 171 + d for d in range(5)},
    "#,##0": 176,
    "#,##0.0": 177,
}
_FONTS = ['<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>']
_XFS = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>']
_STYLE: dict[tuple, int] = {}


def _font(size: int, bold: bool) -> int:
    xml = f'<font>{"<b/>" if bold else ""}<sz val="{size}"/><name val="Calibri"/><family val="2"/></font>'
    if xml not in _FONTS:
        _FONTS.append(xml)
    return _FONTS.index(xml)


def _style(name: tuple, size: int = 10, bold: bool = False, number: str | None = None, header: bool = False,
           align: str | None = None, wrap: bool = False, top: bool = False) -> None:  # fmt: skip
    attrs = f'numFmtId="{_NUMBER_FORMATS[number] if number else 0}" fontId="{_font(size, bold)}"'
    attrs += ' fillId="2" borderId="1"' if header else ' fillId="0" borderId="0"'
    attrs += ' xfId="0" applyFont="1"' + (' applyNumberFormat="1"' if number else "")
    attrs += ' applyFill="1" applyBorder="1"' if header else ""
    alignment = (f' horizontal="{align}"' if align else "") + (' vertical="top"' if top else ' vertical="center"')
    alignment += ' wrapText="1"' if wrap else ""
    _STYLE[name] = len(_XFS)
    _XFS.append(f'<xf {attrs} applyAlignment="1"><alignment{alignment}/></xf>')


_style(("title",), size=14, bold=True)
_style(("meta",))
_style(("caption",), size=11, bold=True)
_style(("header",), bold=True, header=True, align="center", wrap=True)
_style(("note",), size=9)  # one line, over the cells to its right: wrapped, it would fill column A only
for _total in (False, True):
    _style((TEXT, _total), bold=_total, wrap=True)
    _style((CODE, _total), bold=_total, number="@")
    _style((AMOUNT, _total), bold=_total, number=AMOUNT_FORMAT)
    _style((LINE, _total), bold=_total, align="center")
    for _d in range(5):
        _style((SCORE, _total, _d), bold=_total, number="0" + ("." + "0" * _d if _d else ""))
        _style((PERCENT, _total, _d), bold=_total, number="0" + ("." + "0" * _d if _d else "") + "%")


# A cell the original prints unreadably, in a column of figures (tabular.Marked): text, of a style
# of its own, which the audit tells from any other text by (declared last: the others keep theirs).
UNREADABLE = "unreadable"
for _total in (False, True):
    _style((UNREADABLE, _total), bold=_total, wrap=True)
# An amount with the decimals typed (tabular.Field.as_typed), 0 to 2: declared after the others,
# which keep their indices.
for _total in (False, True):
    for _d in range(3):
        _style((AMOUNT, _total, _d), bold=_total, number="#,##0" + ("." + "0" * _d if _d else ""))


def style_index(*name) -> int:
    """The index in the style sheet of the cell format *name*, e.g. (CODE, False): what a cell's s="…"
    says it holds (the audit tells a 科目编码 from a 行次 or a label by it)."""
    return _STYLE[name]


_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_NS_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
STYLES = (
    f"{_HEAD}<styleSheet {_NS}>"
    f'<numFmts count="{len(_NUMBER_FORMATS)}">'
    + "".join(f'<numFmt numFmtId="{i}" formatCode="{code}"/>' for code, i in _NUMBER_FORMATS.items())
    + f'</numFmts><fonts count="{len(_FONTS)}">{"".join(_FONTS)}</fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFF2F2F2"/><bgColor indexed="64"/></patternFill></fill></fills>'
    '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border><border>'
    + "".join(f'<{side} style="thin"><color auto="1"/></{side}>' for side in ("left", "right", "top", "bottom"))
    + "<diagonal/></border></borders>"
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    f'<cellXfs count="{len(_XFS)}">{"".join(_XFS)}</cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '<dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium9" defaultPivotStyle="PivotStyleLight16"/>'
    "</styleSheet>"
)

# ---- cells ----


@lru_cache(maxsize=256)
def column_letters(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _xml_text(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _NOT_XML.sub("", text)


@lru_cache(maxsize=65536)  # labels and names repeat from row to row and document to document
def _inline(text: str) -> str:
    """A cell's text as an inline string: <is><t>…</t></is>."""
    if len(text) > MAX_TEXT:
        text = text[: MAX_TEXT - 1] + "…"
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f"<is><t{space}>{_xml_text(text)}</t></is>"


def _string(ref: str, text: str, style: int) -> str:
    return f'<c r="{ref}" s="{style}" t="inlineStr">{_inline(text)}</c>'


def _number(ref: str, value: Decimal, style: int) -> str:
    return f'<c r="{ref}" s="{style}"><v>{value:f}</v></c>'


class Sheet:
    """The cells of one worksheet, gathered by row, then written out in order."""

    def __init__(self, name: str):
        self.name = name
        self.rows: dict[int, list[tuple[int, str]]] = {}
        self.merged: list[str] = []
        self.widths: dict[int, int] = {}
        self.frozen = 0  # rows kept in view when scrolling
        self.width = 1

    def put(self, row: int, column: int, xml: str) -> None:
        self.rows.setdefault(row, []).append((column, xml))
        if column >= self.width:
            self.width = column + 1

    def put_row(self, row: int, cells: list[tuple[int, str]], width: int) -> None:
        """Cells of a row at once, (column, XML) in order: the body of a table."""
        self.rows.setdefault(row, []).extend(cells)
        self.width = max(self.width, width)

    def text(self, row: int, column: int, text: str, style: int) -> None:
        self.put(row, column, _string(f"{column_letters(column)}{row + 1}", text, style))

    def merge(self, row: int, column: int, rowspan: int, colspan: int, text: str, style: int) -> None:
        """A cell printed over several: its text in the first, the style on all (for the borders)."""
        self.text(row, column, text, style)
        for r in range(row, row + rowspan):
            for c in range(column, column + colspan):
                if (r, c) != (row, column):
                    self.put(r, c, f'<c r="{column_letters(c)}{r + 1}" s="{style}"/>')
        last = f"{column_letters(column + colspan - 1)}{row + rowspan}"
        self.merged.append(f'<mergeCell ref="{column_letters(column)}{row + 1}:{last}"/>')

    def xml(self, selected: bool) -> str:
        rows = []
        for r in sorted(self.rows):
            cells = self.rows[r]
            cells.sort()  # by column: a column is in a row once, so the XML is never compared
            rows.append(f'<row r="{r + 1}">{"".join([xml for _, xml in cells])}</row>')
        last_row = max(self.rows, default=0) + 1
        view = '<sheetView tabSelected="1" workbookViewId="0"' if selected else '<sheetView workbookViewId="0"'
        if self.frozen:
            view += (
                f'><pane ySplit="{self.frozen}" topLeftCell="A{self.frozen + 1}" activePane="bottomLeft" state="frozen"/>'
                '<selection pane="bottomLeft"/></sheetView>'
            )
        else:
            view += "/>"
        cols = "".join(
            f'<col min="{c + 1}" max="{c + 1}" width="{w}" customWidth="1"/>' for c, w in sorted(self.widths.items())
        )
        merged = f'<mergeCells count="{len(self.merged)}">{"".join(self.merged)}</mergeCells>' if self.merged else ""
        return (
            f"{_HEAD}<worksheet {_NS} {_NS_R}>"
            f'<dimension ref="A1:{column_letters(self.width - 1)}{last_row}"/>'
            f'<sheetViews>{view}</sheetViews><sheetFormatPr defaultRowHeight="15"/>'
            f"{'<cols>' + cols + '</cols>' if cols else ''}<sheetData>{''.join(rows)}</sheetData>{merged}"
            '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>'
        )


# ---- a table as a sheet ----


def sheet_names(tables: list[TableData]) -> list[str]:
    """A sheet name per table, after the form: its number (公开05表, 表3), else its title with what
    tells it from another of the same title (公共专项绩效自评表（城乡居民医保配套）: tabular.table_names);
    at most 31 characters, unique (-2, -3 only where 27 characters cannot tell two apart)."""
    names, used = [], set()
    for data in tables:
        printed = data.number or data.title
        if data.apart:
            printed = f"{printed}（{data.apart}）"
        base = _SHEET_FORBIDDEN.sub("-", " ".join(printed.split()))[:27].strip("'") or "表"
        name, n = base, 1
        while name.lower() in used or name.lower() == "history":
            n += 1
            name = f"{base}-{n}"
        used.add(name.lower())
        names.append(name)
    return names


def table_sheet(name: str, data: TableData, meta: str) -> Sheet:
    sheet = Sheet(name)
    sheet.text(0, 0, data.distinct_label, _STYLE["title",])
    sheet.text(1, 0, f"{meta}　金额单位：{data.unit}" if data.unit else meta, _STYLE["meta",])
    row = 3
    for block in data.blocks:
        if len(data.blocks) > 1:
            sheet.text(row, 0, block.title, _STYLE["caption",])
            row += 1
        top = row
        row = _write_block(sheet, block, row)
        if len(data.blocks) == 1 and block.header_height:  # the header stays in view when scrolling
            sheet.frozen = top + block.header_height + (1 if _has_numbers(block) else 0)
        long = {  # only a text column is made wide
            c
            for c, f in enumerate(block.fields)
            if f.kind == TEXT and any(r[c].__class__ is str and len(r[c]) > 40 for r in block.rows)
        }
        for c, f in enumerate(block.fields):
            width = 60 if c in long and f.kind == TEXT else _WIDTHS[f.kind]
            sheet.widths[c] = max(sheet.widths.get(c, 0), width)
        row += 1
    unreadable = UNREADABLE_SAID if any(block.marked for block in data.blocks) else None
    for text in (data.statement, data.note, unreadable):  # as the page prints them under the table
        if text:
            sheet.text(row, 0, text, _STYLE["note",])
            row += 1
    return sheet


def _has_numbers(block: Block) -> bool:
    return any(f.number for f in block.fields)


def _write_block(sheet: Sheet, block: Block, top: int) -> int:
    """The block's printed header, 栏次 and rows from row *top*; → the row after them."""
    header = _STYLE["header",]
    for cell in block.header:
        if cell.colspan > 1 or cell.rowspan > 1:
            sheet.merge(top + cell.row, cell.column, cell.rowspan, cell.colspan, cell.text, header)
        else:
            sheet.text(top + cell.row, cell.column, cell.text, header)
    row = top + block.header_height
    if _has_numbers(block):
        for c, f in enumerate(block.fields):
            sheet.text(row, c, f.number or ("栏次" if c == 0 else ""), header)
        row += 1
    kinds = [f.kind for f in block.fields]
    letters = [column_letters(c) for c in range(len(kinds))]
    text_styles = {total: [_STYLE[CODE if k == CODE else TEXT, total] for k in kinds] for total in (False, True)}
    spans = {(s.row, s.column): s for s in block.spans}
    marked = bool(block.marked)
    # Amounts and 行次 have one style a column: their cells are written here directly, a row at a
    # time, for they are most of a workbook's cells (a call per cell was a third of its time).
    typed = [f.as_typed for f in block.fields]
    fixed = {
        total: [_STYLE[k, total] if k in (AMOUNT, LINE) and not typed[c] else None for c, k in enumerate(kinds)]
        for total in (False, True)
    }
    for i, values in enumerate(block.rows):
        total = i in block.totals
        styles = text_styles[total]
        r = row + i
        number = str(r + 1)
        if spans or marked:  # cells one by one (the rows of most blocks are written at once, below)
            cells = []
            for c, value in enumerate(values):
                if (i, c) in spans:
                    span = spans[i, c]
                    sheet.merge(r, c, span.rowspan, span.colspan, value or "", _STYLE[TEXT, total])
                elif value is None:
                    continue
                elif value.__class__ is str:
                    cells.append((c, f'<c r="{letters[c]}{number}" s="{styles[c]}" t="inlineStr">{_inline(value)}</c>'))
                elif value.__class__ is Marked:  # text where a figure should be: a style of its own
                    style = _STYLE[UNREADABLE, total] if kinds[c] in NUMERIC else styles[c]
                    cells.append((c, f'<c r="{letters[c]}{number}" s="{style}" t="inlineStr">{_inline(value)}</c>'))
                else:
                    cells.append((c, _numeric(letters[c] + number, value, kinds[c], total, typed[c])))
            sheet.put_row(r, cells, len(values))
            continue
        numbers = fixed[total]
        xml = "".join(
            [
                ""
                if value is None
                else f'<c r="{letters[c]}{number}" s="{styles[c]}" t="inlineStr">{_inline(value)}</c>'
                if value.__class__ is str
                else f'<c r="{letters[c]}{number}" s="{numbers[c]}"><v>{value:f}</v></c>'
                if numbers[c] is not None
                else _numeric(letters[c] + number, value, kinds[c], total, typed[c])
                for c, value in enumerate(values)
            ]
        )
        # the row's cells as one piece, in column order: nothing else is put in a row of the body
        sheet.put_row(r, [(0, xml)] if xml else [], len(values))
    return row + len(block.rows)


def _numeric(ref: str, value: Decimal, kind: str, total: bool, as_typed: bool = False) -> str:
    if kind == AMOUNT and not as_typed:
        return _number(ref, value, _STYLE[AMOUNT, total])
    if kind == LINE:
        return _number(ref, value, _STYLE[LINE, total])
    decimals = min(4, max(0, -value.as_tuple().exponent))
    if kind == AMOUNT:  # an amount has two decimals at most (core/amounts.py)
        return _number(ref, value, _STYLE[AMOUNT, total, min(decimals, 2)])
    if kind == PERCENT:
        return _number(ref, value / 100, _STYLE[PERCENT, total, decimals])
    return _number(ref, value, _STYLE[SCORE, total, decimals])


# ---- the package ----


def _escape_attribute(text: str) -> str:
    return _xml_text(text).replace('"', "&quot;")


_PARTS_LEVEL = 1  # deflate level: a sixth larger than the default level 6, in less than half the time


def _content_types(sheets: int) -> str:
    return (
        f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        + "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, sheets + 1)
        )
        + "</Types>"
    )


_PACKAGE_RELS = (
    f'{_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
    'core-properties" Target="docProps/core.xml"/></Relationships>'
)


def _workbook_rels(sheets: int) -> str:
    return (
        f'{_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, sheets + 1)
        )
        + f'<Relationship Id="rId{sheets + 1}" Type="{_REL}/styles" Target="styles.xml"/></Relationships>'
    )


@lru_cache(maxsize=64)
def _fixed_part(kind: str, sheets: int = 0) -> tuple[bytes, int, int]:
    """A part that depends on nothing but the number of sheets, deflated once rather than per
    workbook: (deflated bytes, crc32, size). The style sheet is the largest part of a small workbook."""
    xml = {
        "types": lambda: _content_types(sheets),
        "rels": lambda: _PACKAGE_RELS,
        "workbook rels": lambda: _workbook_rels(sheets),
        "styles": lambda: STYLES,
    }[kind]().encode("utf-8")
    return deflated(xml, _PARTS_LEVEL), zlib.crc32(xml), len(xml)


def workbook(document: Document, tables: list[TableData], created: datetime) -> bytes:
    meta = f"{document.bureau.name}　{document.year}年{document.kind_name}"
    sheets = [table_sheet(name, data, meta) for name, data in zip(sheet_names(tables), tables, strict=True)]
    when = created.strftime("%Y-%m-%dT%H:%M:%SZ")
    package = ZipArchive((1980, 1, 1, 0, 0, 0))
    package.add_raw("[Content_Types].xml", *_fixed_deflated("types", len(sheets)))
    package.add_raw("_rels/.rels", *_fixed_deflated("rels"))
    core = (
        f'{_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{_xml_text(document.title)}</dc:title><dc:creator>{_xml_text(document.bureau.name)}</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified></cp:coreProperties>'
    )
    package.add("docProps/core.xml", core.encode("utf-8"), _PARTS_LEVEL)
    names = "".join(
        f'<sheet name="{_escape_attribute(s.name)}" sheetId="{i}" r:id="rId{i}"/>' for i, s in enumerate(sheets, 1)
    )
    book = (
        f"{_HEAD}<workbook {_NS} {_NS_R}>"
        '<bookViews><workbookView xWindow="240" yWindow="15" windowWidth="16095" windowHeight="9660"/></bookViews>'
        f"<sheets>{names}</sheets></workbook>"
    )
    package.add("xl/workbook.xml", book.encode("utf-8"), _PARTS_LEVEL)
    package.add_raw("xl/_rels/workbook.xml.rels", *_fixed_deflated("workbook rels", len(sheets)))
    package.add_raw("xl/styles.xml", *_fixed_deflated("styles"))
    for i, sheet in enumerate(sheets, 1):
        package.add(f"xl/worksheets/sheet{i}.xml", sheet.xml(selected=i == 1).encode("utf-8"), _PARTS_LEVEL)
    return package.finish()


def _fixed_deflated(kind: str, sheets: int = 0) -> tuple[bytes, int, int, int]:
    raw, crc, size = _fixed_part(kind, sheets)
    return raw, DEFLATED, crc, size
