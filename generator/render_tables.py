"""Render stage, tables: a bound table → the HTML of its printed form.

Tables are rendered to HTML here rather than through Markdown: printed forms need colspan and
rowspan, and a '|' in a cell must not end it. Every text from data/ goes through escape().
"""

from __future__ import annotations

import re

from markupsafe import Markup

from .amounts import format_amount
from .escaping import escape
from .model import Column, ColumnGroup, FixedRow, FormTable, FreeTable, PanelData, Value
from .prose import link_terms, terms_in

LONG_TABLE_ROWS = 15
_COLSPAN = re.compile(r' colspan="(\d+)"')


def _leaves(node) -> int:
    return sum(_leaves(c) for c in node.columns) if isinstance(node, ColumnGroup) else 1


def _depth(nodes) -> int:
    return max(1 + _depth(n.columns) if isinstance(n, ColumnGroup) else 1 for n in nodes)


def header_rows(tree: list) -> list[list[tuple[str, int, int, bool]]]:
    """The header tree as printed rows of (label, colspan, rowspan, is_group)."""
    return [[cell[:4] for cell in row] for row in _header_cells(tree)[0]]


def _header_cells(tree: list) -> tuple[list[list[tuple[str, int, int, bool, int]]], list[list[int]]]:
    """The header rows as (label, colspan, rowspan, is_group, number), the cells numbered in tree
    order; and for each leaf column, left to right, the numbers of its header and its groups'."""
    depth = _depth(tree)
    rows: list[list[tuple[str, int, int, bool, int]]] = [[] for _ in range(depth)]
    heads: list[list[int]] = []
    count = 0

    def walk(nodes, level, above):
        nonlocal count
        for node in nodes:
            number = count
            count += 1
            if isinstance(node, ColumnGroup):
                rows[level].append((node.label, _leaves(node), 1, True, number))
                walk(node.columns, level + 1, [*above, number])
            else:
                rows[level].append((node.label, 1, depth - level, False, number))
                heads.append([number, *reversed(above)])

    walk(tree, 0, [])
    return rows, heads


def _with_headers(cells: list[str], column_heads: list[str], prefix: str) -> list[str]:
    """Cells of a body row with `headers` naming their column's headers and their row header.

    Forms with groups of columns need it (WCAG H43): `scope` cannot say which group heads which
    cell when groups nest. A row header gets an id; the cells right of it name it.
    """
    out, column, row_head = [], 0, ""
    for cell in cells:
        spanned = _COLSPAN.search(cell, 0, cell.find(">"))
        span = int(spanned.group(1)) if spanned else 1
        if cell.startswith('<th scope="row"'):
            row_head = f"{prefix}c{column}" if column else prefix
            out.append(f'<th id="{row_head}"' + cell[3:])
        elif cell.startswith("<td") and column < len(column_heads) and " " in column_heads[column]:
            # (a column headed by one cell only is named by `scope` alone, as in a one-level form)
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


def _amount(value: Value | None) -> str:
    if value is None or value.amount is None:
        return '<td class="gk-num"></td>'
    # format_amount writes digits, ',', '.' and '-' only: nothing to escape.
    return f'<td class="gk-num">{format_amount(value.amount)}</td>'


def _percent(value: Value | None) -> str:
    return f'<td class="gk-num">{escape(value.text) if value is not None else ""}</td>'


def _fixed_cells(columns: list[Column], row: FixedRow | None, values: dict[str, Value]) -> list[str]:
    cells = []
    for column in columns:
        if row is None:
            cells.append("<td></td>")
        elif column.type == "item":
            classes = (
                ["gk-item"] + ([f"gk-indent{row.indent}"] if row.indent else []) + (["gk-total"] if row.total else [])
            )
            cells.append(f'<th scope="row" class="{escape(" ".join(classes))}">{escape(row.label or "")}</th>')
        elif column.type == "line":
            cells.append(f'<td class="gk-line">{escape(row.line or "")}</td>')
        elif column.type == "amount":
            cells.append(_amount(values.get(column.key)))
        elif column.type == "percent":
            cells.append(_percent(values.get(column.key)))
        else:
            value = values.get(column.key)
            cells.append(f"<td>{escape(value.text) if value else ''}</td>")
    return cells


def _free_cells(columns: list[Column], cells_of_row: dict[str, Value] | None) -> list[str]:
    if cells_of_row is None:
        return ["<td></td>" for _ in columns]
    code = next((cells_of_row.get(c.key) for c in columns if c.type == "code"), None)
    out: list[str] = []
    skip = False
    for i, column in enumerate(columns):
        if skip:
            skip = False
            continue
        value = cells_of_row.get(column.key)
        if column.type == "code":
            following = columns[i + 1] if i + 1 < len(columns) else None
            if value is None and following is not None and following.type == "name":
                name = cells_of_row.get(following.key)
                out.append(f'<th scope="row" colspan="2" class="gk-total">{escape(name.text) if name else ""}</th>')
                skip = True
                continue
            out.append(f'<td class="gk-code">{escape(value.text) if value else ""}</td>')
        elif column.type in ("name", "item"):
            level = code_level(code.text) if code is not None else 0
            out.append(f'<th scope="row" class="gk-item gk-indent{level}">{escape(value.text) if value else ""}</th>')
        elif column.type == "amount":
            out.append(_amount(value))
        elif column.type == "percent":
            out.append(_percent(value))
        else:
            out.append(f"<td>{escape(value.text) if value else ''}</td>")
    return out


def _panel_rows(data: PanelData) -> list:
    return list(data.panel.rows) if data.panel.rows is not None else list(data.rows)


def _row_cells(data: PanelData, index: int) -> list[str]:
    rows = _panel_rows(data)
    row = rows[index] if index < len(rows) else None
    if data.panel.rows is not None:
        values = data.fixed.get(row.key, {}) if row is not None and row.key else {}
        return _fixed_cells(data.panel.columns, row, values)
    return _free_cells(data.panel.columns, row.cells if row is not None else None)


def _span(attribute: str, count: int) -> str:
    """' colspan="3"' for a cell that spans more than one column (or row), else nothing."""
    return f' {attribute}="{escape(count)}"' if count > 1 else ""


def _row_code(data: PanelData, index: int) -> str | None:
    """The 科目编码 of a row of a 科目 table (the permalink of the row), if it has one."""
    if data.panel.rows is not None or index >= len(data.rows):
        return None
    for column in data.panel.columns:
        if column.type == "code":
            value = data.rows[index].cells.get(column.key)
            return value.text if value is not None and value.text else None
    return None


def _label(text: str, links: dict | None, linked: set[str]) -> str:
    """A header's label, escaped, with the glossary terms it holds linked to their definition:
    in the first header of a table that names the term, as prose links a term's first use."""
    html = str(escape(text))
    if not links:
        return html
    fresh = {name: links[name] for name in terms_in(html, links) if links[name].term not in linked}
    if not fresh:
        return html
    linked.update(link.term for link in fresh.values())
    return link_terms(html, fresh)


def render_form_table(table: FormTable, department: str, links: dict | None = None) -> Markup:
    # Plain string building with an explicit escape() of every value from data/: Markup.format
    # was a third of the render stage.
    form = table.form
    number, title = escape(form.number), escape(form.title)
    anchor = escape(table.anchor)
    height = max((len(_panel_rows(d)) for d in table.panels), default=0)
    # A table taller than a screen scrolls in its box, under its header rows (gongkai.css).
    long = " gk-long" if height > LONG_TABLE_ROWS else ""
    parts = [
        f'<div class="gk-table-meta"><span>部门：{escape(department)}</span><span>{number}</span>'
        f"<span>金额单位：{escape(form.unit)}</span></div>",
        f'<div class="gk-scroll{long}" role="region" tabindex="0" aria-label="{number} {title}（可左右滑动）">',
        f'<table class="gk-form" id="{number}"><caption>{number} {title}'
        f'<a class="gk-permalink" href="#{number}" title="本表链接" aria-label="本表链接">¶</a></caption><thead>',
    ]
    header_cells, heads = _header_cells(form.columns)
    linked: set[str] = set()
    grouped = len(header_cells) > 1
    for row in header_cells:
        parts.append("<tr>")
        for label, colspan, rowspan, group, cell_number in row:
            scope = "colgroup" if group else "col"
            ident = f' id="{anchor}h{cell_number}"' if grouped else ""
            nowrap = ' class="gk-nowrap"' if len(label) <= 4 else ""
            parts.append(
                f'<th scope="{scope}"{ident}{nowrap}{_span("colspan", colspan)}{_span("rowspan", rowspan)}>'
                f"{_label(label, links, linked)}</th>"
            )
        parts.append("</tr>")
    column_heads = [" ".join(f"{anchor}h{n}" for n in numbers) for numbers in heads]
    leaves = [c for p in form.panels for c in p.columns]
    if any(c.no for c in leaves):
        parts.append('<tr class="gk-colno">')
        for panel in form.panels:
            for i, column in enumerate(panel.columns):
                label = column.no or ("栏次" if i == 0 else "")
                parts.append(f"<td>{escape(label)}</td>")
        parts.append("</tr>")
    parts.append("</thead><tbody>")
    row_ids: set[str] = set()
    for index in range(height):
        cells = [cell for data in table.panels for cell in _row_cells(data, index)]
        if grouped:
            cells = _with_headers(cells, column_heads, f"{anchor}r{index}")
        code = next((c for c in (_row_code(d, index) for d in table.panels) if c), None)
        row_id = ""
        if code:
            # A code printed twice in one table (seen in real forms) links to its first row.
            candidate = f"{form.number}-{code}"
            if candidate not in row_ids:
                row_ids.add(candidate)
                row_id = f' id="{escape(candidate)}"'
        # Cells are separated by a newline so that the search index sees them as separate words.
        parts.append(f"<tr{row_id}>" + "\n".join(cells) + "</tr>\n")
    if form.footer:
        footer = []
        for cell in form.footer:
            span = _span("colspan", cell.colspan)
            if cell.key:
                value = table.totals.get(cell.key)
                total = format_amount(value.amount) if value and value.amount is not None else ""
                footer.append(f'<td class="gk-num"{span}>{total}</td>')
            else:
                footer.append(f'<th scope="row" class="gk-total"{span}>{escape(cell.label or "")}</th>')
        if grouped:
            footer = _with_headers(footer, column_heads, f"{anchor}f")
        parts.append('<tr class="gk-footer">' + "".join(footer) + "</tr>")
    parts.append("</tbody></table></div>")
    parts.append(_after(table.note or form.note, table.statement))
    return Markup("".join(parts))


def _after(note: str | None, statement: str | None) -> str:
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
            text = "<br>".join(escape(line) for line in cell.text.split("\n"))
            if not cell.header:
                parts.append(f"<td{attrs}>{text}</td>\n")
                continue
            scope = ("colgroup" if cell.colspan > 1 else "col") if heads_columns else "row"
            parts.append(f'<th scope="{scope}"{attrs}>{text}</th>\n')
        parts.append("</tr>")
    parts.append("</tbody></table></div>")
    parts.append(_after(table.note, table.statement))
    return Markup("".join(parts))
