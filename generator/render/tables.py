"""Render stage, tables: a bound table → the HTML of its printed form.

Tables are rendered to HTML here rather than through Markdown: printed forms need colspan and
rowspan, and a '|' in a cell must not end it. Every text from data/ goes through escape().
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from markupsafe import Markup

from ..core.amounts import format_amount
from ..core.headers import header_cells
from ..core.model import Column, FormTable, FreeTable, PanelData, Unreadable, Value
from .escaping import escape
from .prose import link_terms, terms_in

LONG_TABLE_ROWS = 15
_COLSPAN = re.compile(r' colspan="(\d+)"')


def _with_headers(cells: list[str], column_heads: list[str], prefix: str) -> list[str]:
    """Cells of the footer row with `headers` naming their column's headers and their row header
    (body rows are written with theirs as they are made: see _Cells)."""
    out, column, row_head = [], 0, ""
    for cell in cells:
        spanned = _COLSPAN.search(cell, 0, cell.find(">"))
        span = int(spanned.group(1)) if spanned else 1
        if cell.startswith('<th scope="row"'):
            row_head = f"{prefix}c{column}" if column else prefix
            out.append(f'<th id="{row_head}"' + cell[3:])
        elif cell.startswith("<td") and column < len(column_heads) and " " in column_heads[column]:
            heads = column_heads[column] + (f" {row_head}" if row_head else "")
            end = cell.index(">")
            out.append(f'{cell[:end]} headers="{heads}"{cell[end:]}')
        else:
            out.append(cell)
        column += span
    return out


def code_level(code: str) -> int:
    """类 (3 digits) → 0, 款 (5) → 1, 项 (7) → 2."""
    return max(0, (len(code) - 3) // 2)


# A body cell is made as (its opening tag without the '>', the rest, the columns it spans), so that
# a grouped form's `headers` go into the tag without parsing the cell again (_Cells.html).
Cell = tuple[str, str, int]
_EMPTY: Cell = ("<td", "></td>", 1)
_NUM = '<td class="gk-num"'


# A cell the original prints but that cannot be read as a figure: what it prints, and the words
# that say so beside it (read out by a screen reader too; the colour of the cell only repeats them).
UNREADABLE_TAG = '<span class="gk-unreadable-tag">无法辨认</span>'


def unreadable_content(text: str) -> str:
    """The content of a cell marked unreadable: the original's text, escaped, and the words."""
    return f'<span class="gk-unreadable-text">{escape(text)}</span> {UNREADABLE_TAG}'


def _unreadable(value: Unreadable) -> Cell:
    return ('<td class="gk-num gk-unreadable"', f">{unreadable_content(value.text)}</td>", 1)


def _amount(value: Value | None) -> Cell:
    if value is None:
        return (_NUM, "></td>", 1)
    if value.amount is None:
        return _unreadable(value) if value.__class__ is Unreadable else (_NUM, "></td>", 1)
    # format_amount writes digits, ',', '.' and '-' only: nothing to escape.
    return (_NUM, f">{format_amount(value.amount)}</td>", 1)


def _percent(value: Value | None) -> Cell:
    if value.__class__ is Unreadable:
        return _unreadable(value)
    return (_NUM, f">{escape(value.text) if value is not None else ''}</td>", 1)


def _text(value: Value | None) -> Cell:
    return ("<td", f">{escape(value.text) if value else ''}</td>", 1)


@dataclass
class _PanelPlan:
    """How a panel's rows print: what depends on the form only, worked out once per form."""

    columns: list[Column]
    # per column: its key, its type, and for a 科目编码 followed by a name, the name's key (a row
    # without a code is a total whose label spans both)
    cells: list[tuple[str, str, str | None]]
    code_key: str | None  # free rows: the column of the 科目编码, if any
    # fixed rows: per row, its cells of label and line (None where a value goes), and its key
    fixed: list[list[Cell | None]] | None
    keys: list[str | None]


def _name_after_code(columns: list[Column], i: int) -> str | None:
    """The key of the name column that follows column *i*, if that is a 科目编码 column."""
    following = columns[i + 1] if i + 1 < len(columns) else None
    return following.key if columns[i].type == "code" and following is not None and following.type == "name" else None


def _panel_plan(panel) -> _PanelPlan:
    columns = panel.columns
    code_key = next((c.key for c in columns if c.type == "code"), None)
    cells = [(c.key, c.type, _name_after_code(columns, i)) for i, c in enumerate(columns)]
    if panel.rows is None:
        return _PanelPlan(columns, cells, code_key, None, [])
    fixed = []
    for row in panel.rows:
        classes = ["gk-item"] + ([f"gk-indent{row.indent}"] if row.indent else []) + (["gk-total"] if row.total else [])
        item = (f'<th scope="row" class="{escape(" ".join(classes))}"', f">{escape(row.label or '')}</th>", 1)
        line = ('<td class="gk-line"', f">{escape(row.line or '')}</td>", 1)
        fixed.append([item if c.type == "item" else line if c.type == "line" else None for c in panel.columns])
    return _PanelPlan(columns, cells, code_key, fixed, [row.key for row in panel.rows])


def _fixed_cells(plan: _PanelPlan, index: int, values: dict[str, Value], out: list[Cell]) -> None:
    if index >= len(plan.fixed):
        out += [_EMPTY] * len(plan.columns)
        return
    for (key, kind, _), cell in zip(plan.cells, plan.fixed[index], strict=True):
        if cell is not None:
            out.append(cell)
        elif kind == "amount":
            out.append(_amount(values.get(key)))
        elif kind == "percent":
            out.append(_percent(values.get(key)))
        else:
            out.append(_text(values.get(key)))


def _free_cells(plan: _PanelPlan, cells_of_row: dict[str, Value] | None, out: list[Cell]) -> None:
    if cells_of_row is None:
        out += [_EMPTY] * len(plan.columns)
        return
    get = cells_of_row.get
    code = get(plan.code_key) if plan.code_key is not None else None
    skip = False
    for key, kind, name_key in plan.cells:
        if skip:
            skip = False
            continue
        value = get(key)
        if kind == "amount":
            out.append(_amount(value))
        elif kind == "code":
            if value is None and name_key is not None:
                name = get(name_key)
                out.append(
                    ('<th scope="row" colspan="2" class="gk-total"', f">{escape(name.text) if name else ''}</th>", 2)
                )
                skip = True
                continue
            out.append(('<td class="gk-code"', f">{escape(value.text) if value else ''}</td>", 1))
        elif kind in ("name", "item"):
            level = code_level(code.text) if code is not None else 0
            out.append(
                (f'<th scope="row" class="gk-item gk-indent{level}"', f">{escape(value.text) if value else ''}</th>", 1)
            )
        elif kind == "percent":
            out.append(_percent(value))
        else:
            out.append(_text(value))


def _span(attribute: str, count: int) -> str:
    """' colspan="3"' for a cell that spans more than one column (or row), else nothing."""
    return f' {attribute}="{count}"' if count > 1 else ""  # an int: nothing to escape


def _label(html: str, links: dict | None, linked: set[str]) -> str:
    """A header's label (escaped), with the glossary terms it holds linked to their definition:
    in the first header of a table that names the term, as prose links a term's first use."""
    if not links:
        return html
    fresh = {name: links[name] for name in terms_in(html, links) if links[name].term not in linked}
    if not fresh:
        return html
    linked.update(link.term for link in fresh.values())
    return link_terms(html, fresh)


@dataclass
class _FormPlan:
    """What every table of a form prints the same way, whatever its document: header cells, the
    栏次 row, which headers name each column. Worked out once per form (and anchor, which the ids
    carry) instead of once per document."""

    header: list[list[tuple[str, str]]]  # per header row, each cell's opening tag and escaped label
    colno: str  # the 栏次 row, or ""
    heads: list[str | None]  # per leaf column: the ids its cells' `headers` name (None: `scope` says it)
    column_heads: list[str]  # per leaf column: the ids of its header and its groups' headers
    panels: list[_PanelPlan]
    # a form printed in panels side by side (收入 | 支出): a <colgroup> per panel, by which a phone's
    # stacked layout reads each panel's rows in turn (gongkai-tables.js); "" for a form of one panel
    panels_html: str

    @property
    def grouped(self) -> bool:
        return len(self.header) > 1


def _form_plan(form, anchor: str) -> _FormPlan:
    header_rows, heads = header_cells(form.columns)
    grouped = len(header_rows) > 1
    header = []
    for row in header_rows:
        cells = []
        for label, colspan, rowspan, group, cell_number in row:
            scope = "colgroup" if group else "col"
            ident = f' id="{anchor}h{cell_number}"' if grouped else ""
            nowrap = ' class="gk-nowrap"' if len(label) <= 4 else ""
            cells.append(
                (
                    f'<th scope="{scope}"{ident}{nowrap}{_span("colspan", colspan)}{_span("rowspan", rowspan)}>',
                    str(escape(label)),
                )
            )
        header.append(cells)
    column_heads = [" ".join(f"{anchor}h{n}" for n in numbers) for numbers in heads]
    colno = ""
    if any(c.no for p in form.panels for c in p.columns):
        cells = [
            f"<td>{escape(column.no or ('栏次' if i == 0 else ''))}</td>"
            for panel in form.panels
            for i, column in enumerate(panel.columns)
        ]
        colno = '<tr class="gk-colno">' + "".join(cells) + "</tr>"
    # (a column headed by one cell only is named by `scope` alone, as in a one-level form)
    named = [h if grouped and " " in h else None for h in column_heads]
    width = sum(len(p.columns) for p in form.panels) + 1
    named += [None] * max(0, width - len(named))
    panels_html = (
        "".join(f'<colgroup span="{len(p.columns)}"></colgroup>' for p in form.panels) if len(form.panels) > 1 else ""
    )
    return _FormPlan(header, colno, named, column_heads, [_panel_plan(p) for p in form.panels], panels_html)


# A worker's form sets are loaded once and shared by every document of every batch: a plan per
# form object (forms hash by identity) and anchor. Bounded, for the preview that reloads its forms.
_plan_of = functools.lru_cache(maxsize=1024)(_form_plan)


def _body_row(cells: list[Cell], heads: list[str | None], prefix: str) -> str:
    """A grouped form's body cells with `headers` naming their column's headers and their row
    header (WCAG H43: `scope` cannot say which group heads which cell when groups nest). A row
    header gets an id; the cells right of it name it."""
    out, column, row_head = [], 0, ""
    for opening, rest, span in cells:
        if opening[2] == "h":  # <th scope="row": the row's header
            row_head = f"{prefix}c{column}" if column else prefix
            out.append(f'<th id="{row_head}"{opening[3:]}{rest}')
        else:
            named = heads[column]
            if named is None:
                out.append(opening + rest)
            elif row_head:
                out.append(f'{opening} headers="{named} {row_head}"{rest}')
            else:
                out.append(f'{opening} headers="{named}"{rest}')
        column += span
    return "\n".join(out)


def _row_code(data: PanelData, plan: _PanelPlan, index: int) -> str | None:
    """The 科目编码 of a row of a 科目 table (the permalink of the row), if it has one."""
    if plan.fixed is not None or index >= len(data.rows) or plan.code_key is None:
        return None
    value = data.rows[index].cells.get(plan.code_key)
    return value.text if value is not None and value.text else None


def _mark(cells: list[Cell], start: int, plan: _PanelPlan, marks: dict, panel: int, row: int) -> None:
    """Give the amount cells of one panel's part of a row (cells[start:]) the ids *marks* names
    them by: (panel, row, column key) → id. The cells a headline figure links to (render/headline.py)."""
    column = 0
    for i in range(start, len(cells)):
        opening, rest, span = cells[i]
        for key, _, _ in plan.cells[column : column + span]:
            ident = marks.get((panel, row, key))
            if ident and opening.startswith("<td"):
                cells[i] = (f'{opening} id="{escape(ident)}"', rest, span)
        column += span


def render_form_table(
    table: FormTable, department: str, links: dict | None = None, marks: dict | None = None
) -> Markup:
    """*marks*: ids for some amount cells, (panel index, printed row, column key) → id."""
    # Plain string building with an explicit escape() of every value from data/: Markup.format
    # was a third of the render stage.
    form = table.form
    number, title = escape(form.number), escape(form.title)
    anchor = escape(table.anchor)
    plan = _plan_of(form, anchor)
    panels = list(zip(table.panels, plan.panels, strict=True))
    height = max((len(d.rows) if p.fixed is None else len(p.fixed) for d, p in panels), default=0)
    # A table taller than a screen scrolls in its box, under its header rows (gongkai.css).
    long = " gk-long" if height > LONG_TABLE_ROWS else ""
    parts = [
        f'<div class="gk-table-meta"><span>部门：{escape(department)}</span><span>{number}</span>'
        f"<span>金额单位：{escape(form.unit)}</span></div>",
        f'<div class="gk-scroll{long}" role="region" tabindex="0" aria-label="{number} {title}（可左右滑动）">',
        f'<table class="gk-form" id="{number}"><caption>{number} {title}'
        f'<a class="gk-permalink" href="#{number}" title="本表链接" aria-label="本表链接">¶</a></caption>{plan.panels_html}<thead>',
    ]
    linked: set[str] = set()
    for row in plan.header:
        parts.append(
            "<tr>" + "".join(f"{opening}{_label(label, links, linked)}</th>" for opening, label in row) + "</tr>"
        )
    parts.append(plan.colno)
    parts.append("</thead><tbody>")
    row_ids: set[str] = set()
    grouped, heads = plan.grouped, plan.heads
    for index in range(height):
        cells: list[Cell] = []
        for number, (data, panel) in enumerate(panels):
            start = len(cells)
            if panel.fixed is not None:
                key = panel.keys[index] if index < len(panel.keys) else None
                _fixed_cells(panel, index, data.fixed.get(key, {}) if key else {}, cells)
            else:
                _free_cells(panel, data.rows[index].cells if index < len(data.rows) else None, cells)
            if marks:
                _mark(cells, start, panel, marks, number, index)
        code = next((c for c in (_row_code(d, p, index) for d, p in panels) if c), None)
        row_id = ""
        if code:
            # A code printed twice in one table (seen in real forms) links to its first row.
            candidate = f"{form.number}-{code}"
            if candidate not in row_ids:
                row_ids.add(candidate)
                row_id = f' id="{escape(candidate)}"'
        # Cells are separated by a newline so that the search index sees them as separate words.
        if grouped:
            body = _body_row(cells, heads, f"{anchor}r{index}")
        else:
            body = "\n".join([opening + rest for opening, rest, _ in cells])
        parts.append(f"<tr{row_id}>{body}</tr>\n")
    if form.footer:
        footer = []
        for cell in form.footer:
            span = _span("colspan", cell.colspan)
            if cell.key:
                value = table.totals.get(cell.key)
                if value.__class__ is Unreadable:
                    footer.append(f'<td class="gk-num gk-unreadable"{span}>{unreadable_content(value.text)}</td>')
                    continue
                total = format_amount(value.amount) if value and value.amount is not None else ""
                footer.append(f'<td class="gk-num"{span}>{total}</td>')
            else:
                footer.append(f'<th scope="row" class="gk-total"{span}>{escape(cell.label or "")}</th>')
        if grouped:
            footer = _with_headers(footer, plan.column_heads, f"{anchor}f")
        parts.append('<tr class="gk-footer">' + "".join(footer) + "</tr>")
    parts.append("</tbody></table></div>")
    parts.append(after_table(table.note or form.note, table.statement))
    return Markup("".join(parts))


def after_table(note: str | None, statement: str | None) -> str:
    """The statement and note printed under a table, as escaped HTML."""
    out = ""
    if statement:
        out += f'<p class="gk-table-statement">{escape(statement)}</p>'
    if note:
        out += f'<p class="gk-table-note">{escape(note)}</p>'
    return out


def render_free_table(table: FreeTable) -> Markup:
    title = escape(table.title)
    parts = []
    if table.caption or table.unit:
        unit = f"金额单位：{table.unit}" if table.unit else ""
        parts.append(
            f'<div class="gk-table-meta"><span>{escape(table.caption or "")}</span><span>{escape(unit)}</span></div>'
        )
    parts.append(f'<div class="gk-scroll" role="region" tabindex="0" aria-label="{title}（可左右滑动）">')
    parts.append(f'<table class="gk-free"><caption>{title}</caption><tbody>')
    for row in table.grid:
        parts.append("<tr>")
        # A row of headers only heads the columns below it; a header among values heads its row.
        heads_columns = all(cell.header for cell in row)
        for cell in row:
            attrs = _span("colspan", cell.colspan) + _span("rowspan", cell.rowspan)
            if cell.unreadable:
                attrs += ' class="gk-unreadable"'
                text = unreadable_content(cell.text)
            else:
                text = "<br>".join(escape(line) for line in cell.text.split("\n"))
            if not cell.header:
                parts.append(f"<td{attrs}>{text}</td>\n")
                continue
            scope = ("colgroup" if cell.colspan > 1 else "col") if heads_columns else "row"
            parts.append(f'<th scope="{scope}"{attrs}>{text}</th>\n')
        parts.append("</tr>")
    parts.append("</tbody></table></div>")
    parts.append(after_table(table.note, table.statement))
    return Markup("".join(parts))
