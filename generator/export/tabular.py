"""Export, the tables as data: each table of a document as rectangular blocks of typed cells.

What the CSV, JSON and XLSX downloads and the datapackage.json are written from (export/downloads.py).
A table of a form is one block laid out as printed (panels side by side, row for row, the footer
last); a free table is its grid; a performance table (申报表, 自评表) is several blocks, one per
part of the printed form with columns of its own (基本情况 and 说明与目标 together, 资金情况, each
block of amounts, each set of indicators). Cells hold what data/ holds: a Decimal as
transcribed, or text; nothing is recomputed or rounded.
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from ..core.headers import header_rows
from ..core.model import (
    AmountTable,
    Document,
    FormTable,
    FreeTable,
    IndicatorGroup,
    IndicatorTable,
    MoneyBlock,
    Unreadable,
)
from ..core.scores import total_row_start

# What a column holds, which decides its type in every format:
AMOUNT = "amount"  # money, in the table's unit: a number shown #,##0.00
PERCENT = "percent"  # a share or a rate, in per cent as printed (12.50%)
SCORE = "score"  # 分值, 得分: a number as typed
LINE = "line"  # 行次: a whole number
CODE = "code"  # 科目编码: text, leading zeros and all
TEXT = "text"
NUMERIC = (AMOUNT, PERCENT, SCORE, LINE)


UNREADABLE_PREFIX = "无法辨认："
# What the downloads say of such cells, where a file can say it (the datapackage, the workbook).
UNREADABLE_SAID = (
    "以“无法辨认：”开头的格，原件此处印的文字读不成一个数（如两个数字连在一起）：照原样列出，不是数字，未参与核对。"
)


class Marked(str):
    """A cell the original prints but that cannot be read as a figure (model.Unreadable), as the
    CSV and the workbook write it: 无法辨认：48.5044.05. The text is kept, and said to be no figure, in
    a cell a reader of the file alone (a spreadsheet) sees: an empty cell would say the original is
    blank there. datapackage.json lists these texts among its missing values, so that a column of
    amounts stays one of numbers; the JSON writes null and lists the cell apart (downloads.py)."""

    printed: str  # what the original prints
    note: str | None

    def __new__(cls, printed: str, note: str | None = None) -> Marked:
        cell = super().__new__(cls, UNREADABLE_PREFIX + printed)
        cell.printed, cell.note = printed, note
        return cell


def _marked(value) -> Marked | None:
    """A cell of a column of figures that holds none: marked unreadable, or else blank."""
    return Marked(value.text, value.note) if value.__class__ is Unreadable else None


@dataclass
class Field:
    name: str  # unique in its block: the printed header path, e.g. 本年支出/基本支出
    kind: str  # AMOUNT, PERCENT, SCORE, LINE, CODE or TEXT
    number: str | None = None  # 栏次 as printed
    # an amount shown with the decimals typed (10276, 43.2), not two: a 绩效 table's, as printed
    as_typed: bool = False


@dataclass
class HeaderCell:
    """A cell of the printed header, placed: top-left row and column, and its spans."""

    text: str
    row: int
    column: int
    colspan: int = 1
    rowspan: int = 1


@dataclass
class Block:
    """One rectangle of a table: its printed header and its rows, a cell per field.

    A cell is a Decimal (in a numeric field), text, or None for a blank cell. *spans* are body
    cells printed across several columns or rows (free tables), as HeaderCell with the row
    counted from the first body row.
    """

    slug: str  # the block's part of the file name ('' for a table's only block)
    title: str  # the table's, or for a part of a table (资金情况, 绩效指标…) the part's
    fields: list[Field]
    header: list[HeaderCell]
    header_height: int
    rows: list[list[object]]
    spans: list[HeaderCell] = field(default_factory=list)
    totals: set[int] = field(default_factory=set)  # rows printed as totals (合计, 总计)

    @cached_property
    def kinds(self) -> list[str]:
        """Each field's kind as its cells have it: text for a numeric field that holds text
        somewhere (a form's footer can put a label such as 人员经费合计 under a column of amounts)."""
        kinds = [f.kind for f in self.fields]
        columns = list(zip(*self.rows, strict=True)) if any(kind in NUMERIC for kind in kinds) else []
        for i, kind in enumerate(kinds):
            # the set of a column's types is made in C, rather than a Python test per cell; a cell
            # marked unreadable holds no figure, and leaves its column one of figures
            if (
                kind in NUMERIC
                and columns
                and any(issubclass(t, str) and t is not Marked for t in set(map(type, columns[i])))
            ):
                kinds[i] = TEXT
        return kinds

    @cached_property
    def marked(self) -> list[tuple[int, int, Marked]]:
        """(row of data_rows, column, cell) of each cell marked unreadable, in order."""
        types = set()
        for row in self.data_rows:  # the types made in C: most blocks have none
            types.update(map(type, row))
        if Marked not in types:
            return []
        return [(r, c, v) for r, row in enumerate(self.data_rows) for c, v in enumerate(row) if v.__class__ is Marked]

    @cached_property
    def data_rows(self) -> list[list[object]]:
        """The rows with something in them: a row left blank on the printed form (free tables
        have them) is layout, not data, and Frictionless counts a blank row as an error."""
        return [row for row in self.rows if row.count(None) < len(row)]


@dataclass
class TableData:
    """A document's table as data: where it is, what it is, and its blocks."""

    stem: str  # file name stem, unique within the document
    number: str | None
    title: str
    unit: str | None
    note: str | None
    statement: str | None  # printed under the table, before its note (说明 of the figures)
    blocks: list[Block]
    # what tells the table from another of the document printed with the same number and title
    # (three 公共专项绩效自评表: the project each is about), else None: see table_names
    apart: str | None = None

    @property
    def label(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title

    @property
    def distinct_label(self) -> str:
        """The label, with what tells the table apart where the document prints it more than once."""
        return f"{self.label}（{self.apart}）" if self.apart else self.label


def column_names(block: Block, unit: str | None) -> list[str]:
    """The names of the block's columns in the CSV's header row, the datapackage and the JSON: each
    field's name, an amount's with its unit (本年收入合计（万元）). A header row is what every CSV
    reader takes as the columns' names (Excel, LibreOffice, pandas, R, Frictionless): a line of its
    own above it (金额单位：万元) would be read as the header, or as a row of data, by all but those
    told to skip it."""
    if not unit:
        return [f.name for f in block.fields]
    return [f"{f.name}（{unit}）" if f.kind == AMOUNT else f.name for f in block.fields]


# ---- placing cells with spans ----


def place(rows) -> tuple[list[HeaderCell], int]:
    """Rows of (text, colspan, rowspan) as the browser lays out a table: each cell goes to the
    first column its row has free, below cells of rows above that span down. → cells, width."""
    taken: set[tuple[int, int]] = set()
    placed, width = [], 0
    for r, row in enumerate(rows):
        c = 0
        for text, colspan, rowspan in row:
            while (r, c) in taken:
                c += 1
            placed.append(HeaderCell(text, r, c, colspan, rowspan))
            taken.update((r + dr, c + dc) for dr in range(rowspan) for dc in range(colspan))
            c += colspan
            width = max(width, c)
    return placed, width


def field_names(header: list[HeaderCell], width: int, height: int) -> list[str]:
    """Each column's name: the labels over it, top to bottom, joined with '/'; a name that
    repeats (a form printed in several panels, a label over two columns) gets （2）, （3）…"""
    over: list[list[str]] = [[] for _ in range(width)]
    for cell in sorted(header, key=lambda h: (h.row, h.column)):
        if cell.row >= height:
            continue
        label = " ".join(cell.text.split())
        for c in range(cell.column, min(cell.column + cell.colspan, width)):
            if label and (not over[c] or over[c][-1] != label):
                over[c].append(label)
    names, seen = [], {}
    for c, labels in enumerate(over):
        name = "/".join(labels) or f"第{c + 1}列"
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name}（{seen[name]}）")
    # a suffixed name may itself be taken by a later column: make every name unique at last
    while len(set(names)) < len(names):
        names = [n if names.index(n) == i else f"{n}（{i + 1}）" for i, n in enumerate(names)]
    return names


# ---- forms ----

_FORM_KINDS = {"amount": AMOUNT, "percent": PERCENT, "code": CODE, "line": LINE}


def _form_header(form, width: int) -> tuple[list[HeaderCell], int, list[str]]:
    """The form's printed header placed, its height and the field names (a fresh list of the header
    cells, which the caller may change)."""
    header, height, names = _placed_form_header(form, width)
    return list(header), height, names


@functools.lru_cache(maxsize=1024)  # per form object (forms hash by identity) and width
def _placed_form_header(form, width: int) -> tuple[list[HeaderCell], int, list[str]]:
    # the same for every table of the form (a province's documents fill in a few dozen forms)
    printed = [[(label, span, rows) for label, span, rows, _ in row] for row in header_rows(form.columns)]
    header, _ = place(printed)
    return header, len(printed), field_names(header, width, len(printed))


def _form_block(table: FormTable) -> Block:
    form = table.form
    columns = [(data, column) for data in table.panels for column in data.panel.columns]
    header, height, names = _form_header(form, len(columns))
    fields = [Field(name, _FORM_KINDS.get(c.type, TEXT), c.no) for name, (_, c) in zip(names, columns, strict=True)]
    rows: list[list[object]] = []
    totals: set[int] = set()
    depth = max((len(d.panel.rows) if d.panel.rows is not None else len(d.rows) for d in table.panels), default=0)
    # each column's key, whether it holds an amount, and its type: _value inlined in the rows below,
    # for these rows are most of a document's cells
    plans = {d: [(c.key, c.type in ("amount", "percent"), c.type) for c in d.panel.columns] for d in table.panels}
    for index in range(depth):
        row: list[object] = []
        for data in table.panels:
            if data.panel.rows is not None:
                fixed = data.panel.rows[index] if index < len(data.panel.rows) else None
                values = data.fixed.get(fixed.key, {}) if fixed is not None and fixed.key else {}
                if fixed is not None and fixed.total:
                    totals.add(index)
                if fixed is None:
                    row += [None] * len(data.panel.columns)
                    continue
                line = Decimal(fixed.line) if fixed.line is not None else None
                row += [
                    fixed.label
                    if kind == "item"
                    else line
                    if kind == "line"
                    else None
                    if (value := values.get(key)) is None
                    else (value.amount if value.amount is not None else _marked(value))
                    if amount
                    else value.text
                    for key, amount, kind in plans[data]
                ]
            else:
                free = data.rows[index].cells if index < len(data.rows) else {}
                codes = [c.key for c in data.panel.columns if c.type == "code"]
                if free and codes and not any(free.get(key) for key in codes):
                    totals.add(index)  # a row without a code is a 合计 (printed bold, as the page does)
                row += [
                    None
                    if (value := free.get(key)) is None
                    else (value.amount if value.amount is not None else _marked(value))
                    if amount
                    else value.text
                    for key, amount, _ in plans[data]
                ]
        rows.append(row)
    if form.footer:
        row, c = [None] * len(columns), 0
        for cell in form.footer:
            if c < len(columns):
                value = table.totals.get(cell.key) if cell.key else None
                row[c] = (
                    (value.amount if value.amount is not None else _marked(value))
                    if value is not None
                    else (cell.label if not cell.key else None)
                )
            c += cell.colspan
        totals.add(len(rows))
        rows.append(row)
    return Block("", table.title, fields, header, height, rows, totals=totals)


def _value(value, column_type: str):
    if value is None:
        return None
    if column_type in ("amount", "percent"):
        return value.amount
    return value.text


# ---- free tables ----


def _free_block(table: FreeTable) -> Block:
    cells, width = place([[(c.text, c.colspan, c.rowspan) for c in row] for row in table.grid])
    height = 0
    while height < len(table.grid) and table.grid[height] and all(c.header for c in table.grid[height]):
        height += 1
    header = [c for c in cells if c.row < height]
    names = field_names(header, width, height)
    rows: list[list[object]] = [[None] * width for _ in range(len(table.grid) - height)]
    spans = []
    grid_cells = [cell for row in table.grid for cell in row]  # in the order place() placed them
    for cell, printed in zip(cells, grid_cells, strict=True):
        if cell.row < height:
            continue
        text = Marked(printed.text, printed.note) if printed.unreadable else cell.text
        rows[cell.row - height][cell.column] = text if text else None
        if cell.colspan > 1 or cell.rowspan > 1:
            spans.append(HeaderCell(text, cell.row - height, cell.column, cell.colspan, cell.rowspan))
    # The grid is printed text: its figures are kept as typed (some originals print two numbers
    # run together, which no type could hold), so every column is text.
    return Block("", table.title, [Field(n, TEXT) for n in names], header, height, rows, spans)


# ---- amounts and performance tables ----


def _single_row_header(labels: list[str]) -> tuple[list[HeaderCell], int]:
    return [HeaderCell(label, 0, c) for c, label in enumerate(labels)], 1


def _money_block(block: MoneyBlock, slug: str) -> Block:
    labels = [block.head] + [c.label for c in block.columns]
    header, height = _single_row_header(labels)
    names = field_names(header, len(labels), height)
    kinds = [TEXT] + [c.type if c.type in (AMOUNT, PERCENT) else TEXT for c in block.columns]
    fields = [Field(n, k, as_typed=k == AMOUNT) for n, k in zip(names, kinds, strict=True)]
    rows, totals = [], set()
    for i, row in enumerate(block.rows):
        cells: list[object] = [row.label]
        for column in block.columns:
            cells.append(_value(row.cells.get(column.label), column.type))
        rows.append(cells)
        if row.total:
            totals.add(i)
    return Block(slug, block.title, fields, header, height, rows, totals=totals)


def _pairs_block(pairs: list[tuple[str, str]], title: str, slug: str) -> Block:
    header, height = _single_row_header(["项目", "内容"])
    rows: list[list[object]] = [[label, text or None] for label, text in pairs]
    return Block(slug, title, [Field("项目", TEXT), Field("内容", TEXT)], header, height, rows)


# The kind of each funds column (FundsRow field → kind): the labels are the table's form's.
FUNDS_KINDS = {
    "source": TEXT,
    "initial": AMOUNT,
    "budget": AMOUNT,
    "executed": AMOUNT,
    "transfer": AMOUNT,
    "score": SCORE,
    "rate": PERCENT,
    "scored": SCORE,
}


def _funds_block(table: IndicatorTable) -> Block:
    """资金情况 under its form's columns and labels (the default seven for a table on no form)."""
    labels = [label for _, label in table.funds_columns]
    header, height = _single_row_header(labels)
    fields = [
        Field(n, FUNDS_KINDS[key], as_typed=FUNDS_KINDS[key] == AMOUNT)
        for n, (key, _) in zip(labels, table.funds_columns, strict=True)
    ]
    rows: list[list[object]] = [[getattr(f, key) for key, _ in table.funds_columns] for f in table.funds]
    return Block("zijin", "资金情况", fields, header, height, rows)


_LEAF_KINDS = {"score": SCORE, "scored": SCORE}


def _indicator_block(table: IndicatorTable, index: int, last: bool, slug: str) -> Block:
    indicator_set = table.sets[index]
    labels = [label for _, label in table.columns]
    header, height = _single_row_header(labels)
    names = field_names(header, len(labels), height)
    keys = [key for key, _ in table.columns]
    levels = [key for key in keys if key.startswith("level")]
    fields = [Field(n, _LEAF_KINDS.get(k, TEXT)) for n, k in zip(names, keys, strict=True)]
    rows: list[list[object]] = []

    def walk(node, path: list[str | None]):
        if isinstance(node, IndicatorGroup):
            if node.score is not None or node.scored is not None:
                # the group's own 分值/得分 (a merged cell on the form): a row of the group, so that
                # no indicator is credited with the group's points
                groups = (path + [node.name])[-len(levels) :] if levels else []
                row: list[object] = []
                for key in keys:
                    if key.startswith("level"):
                        row.append(groups[levels.index(key)] if levels.index(key) < len(groups) else None)
                    else:
                        row.append(getattr(node, key) if key in _LEAF_KINDS else None)
                rows.append(row)
            for child in node.children:
                walk(child, path + [node.name])
            return
        row: list[object] = []
        groups = path[-len(levels) :] if levels else []
        for key in keys:
            if key.startswith("level"):
                # a merged cell on the printed form; repeated on every row here, so that a row
                # read alone (or sorted, or filtered) still says which indicator it belongs to
                row.append(groups[levels.index(key)] if levels.index(key) < len(groups) else None)
            elif key == "target":
                row.append(node.target.text if node.target is not None else None)
            elif key in _LEAF_KINDS:
                row.append(getattr(node, key))
            else:
                row.append(getattr(node, key) or None)
        rows.append(row)

    for group in indicator_set.groups:
        walk(group, [])
    totals = set()
    if last and (table.total_score is not None or table.total_scored is not None) and total_row_start(keys) is not None:
        row = [None] * len(keys)
        row[0] = table.total_label
        if "score" in keys:
            row[keys.index("score")] = table.total_score
        if "scored" in keys:
            row[keys.index("scored")] = table.total_scored
        totals.add(len(rows))
        rows.append(row)
    return Block(slug, indicator_set.label, fields, header, height, rows, totals=totals)


def block_slugs(table) -> list[tuple[str, str]]:
    """(file name part, what it holds) of each block of *table*: ('', '') for a table of one block.
    What the pages link to (render/download_links.py) without building the blocks."""
    if not isinstance(table, IndicatorTable):
        return [("", "")]
    out = []
    if table.facts or table.goals:
        # 基本情况 and 说明与目标 are both label and text: one block of 项目, 内容
        out.append(("jiben", "基本情况" if not table.goals else "说明与目标" if not table.facts else "基本情况与目标"))
    if table.funds:
        out.append(("zijin", "资金情况"))
    for i, block in enumerate(table.money, 1):
        out.append(("jine" if len(table.money) == 1 else f"jine{i}", block.title))
    for i, indicator_set in enumerate(table.sets, 1):
        out.append(("zhibiao" if len(table.sets) == 1 else f"zhibiao{i}", indicator_set.label))
    return out


def _indicator_blocks(table: IndicatorTable) -> list[Block]:
    blocks = []
    money, sets = iter(table.money), iter(range(len(table.sets)))
    for slug, what in block_slugs(table):
        if slug == "jiben":
            blocks.append(_pairs_block(table.facts + table.goals, what, slug))
        elif slug == "zijin":
            blocks.append(_funds_block(table))
        elif slug.startswith("jine"):
            blocks.append(_money_block(next(money), slug))
        else:
            index = next(sets)
            blocks.append(_indicator_block(table, index, index == len(table.sets) - 1, slug))
    return blocks


# ---- a document's tables ----


def table_data(table, stem: str, document: Document) -> TableData:
    if isinstance(table, FormTable):
        form = table.form
        note = table.note or form.note
        return TableData(stem, form.number, form.title, form.unit, note, table.statement, [_form_block(table)])
    if isinstance(table, FreeTable):  # printed text: a unit only if the table states one
        return TableData(stem, table.number, table.title, table.unit, table.note, table.statement, [_free_block(table)])
    if isinstance(table, AmountTable):
        blocks = [_money_block(table.block, "")]
        blocks[0].title = table.title
    else:
        blocks = _indicator_blocks(table)
    # amounts without a unit of their table's are in the document's (金额单位除另有注明外…)
    amounts = any(f.kind == AMOUNT for block in blocks for f in block.fields)
    unit = table.unit or (document.unit if amounts else None)
    statement = getattr(table, "statement", None)  # a 申报表/自评表 has none
    return TableData(stem, table.number, table.title, unit, table.note, statement, blocks)


def stems(document: Document) -> dict[object, str]:
    """Each table's file name stem (by table): its anchor, which is unique on a page;
    a second table of the same anchor elsewhere in the document gets -2, -3…"""
    out: dict[object, str] = {}
    used: set[str] = set()
    for _, table in document.tables():
        stem, n = table.anchor, 1
        while stem in used:
            n += 1
            stem = f"{table.anchor}-{n}"
        used.add(stem)
        out[table] = stem
    return out


def _project(table) -> str | None:
    """The project a 申报表/自评表 is about, as its 基本情况 prints it (项目名称)."""
    facts = getattr(table, "facts", None) or []
    return next((" ".join(text.split()) for label, text in facts if label == "项目名称" and text.strip()), None)


def table_names(document: Document) -> dict[object, tuple[str | None, str, str | None]]:
    """Each table's (number, title, what tells it apart) as readers tell the tables apart: by
    number and title, and where the document prints several under the same (three rows of
    公共专项绩效自评表), by the project each is about, else by its place among them (2, 3…)."""
    tables = [table for _, table in document.tables()]
    printed = {table: (getattr(table, "number", None), " ".join(table.title.split())) for table in tables}
    repeated = Counter(printed.values())
    out: dict[object, tuple[str | None, str, str | None]] = {}
    used: set[tuple[str | None, str, str | None]] = set()
    place: Counter = Counter()
    for table in tables:
        number, title = printed[table]
        apart = None
        if repeated[number, title] > 1:
            place[number, title] += 1
            apart = _project(table)
            if apart is None or (number, title, apart) in used:  # no project, or two of one project
                apart = f"{apart}，{place[number, title]}" if apart else str(place[number, title])
        used.add((number, title, apart))
        out[table] = (number, title, apart)
    return out


def document_tables(document: Document) -> list[TableData]:
    names = stems(document)
    apart = table_names(document)
    out = []
    for _, table in document.tables():
        data = table_data(table, names[table], document)
        data.apart = apart[table][2]
        out.append(data)
    return out


def file_stem(data: TableData, block: Block) -> str:
    return f"{data.stem}-{block.slug}" if block.slug else data.stem
