"""Render stage, tables: a bound table → the HTML of its printed form.

Tables are rendered to HTML here rather than through Markdown: printed forms need colspan and
rowspan, and a '|' in a cell must not end it. Every text from data/ goes through escape().
"""

from __future__ import annotations

from markupsafe import Markup

from .amounts import format_amount
from .escaping import escape
from .model import Column, ColumnGroup, FixedRow, FormTable, FreeTable, PanelData, Value


def _leaves(node) -> int:
    return sum(_leaves(c) for c in node.columns) if isinstance(node, ColumnGroup) else 1


def _depth(nodes) -> int:
    return max(1 + _depth(n.columns) if isinstance(n, ColumnGroup) else 1 for n in nodes)


def header_rows(tree: list) -> list[list[tuple[str, int, int, bool]]]:
    """The header tree as printed rows of (label, colspan, rowspan, is_group)."""
    depth = _depth(tree)
    rows: list[list[tuple[str, int, int, bool]]] = [[] for _ in range(depth)]

    def walk(nodes, level):
        for node in nodes:
            if isinstance(node, ColumnGroup):
                rows[level].append((node.label, _leaves(node), 1, True))
                walk(node.columns, level + 1)
            else:
                rows[level].append((node.label, 1, depth - level, False))

    walk(tree, 0)
    return rows


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


def render_form_table(table: FormTable, department: str) -> Markup:
    # Plain string building with an explicit escape() of every value from data/: Markup.format
    # was a third of the render stage.
    form = table.form
    number, title = escape(form.number), escape(form.title)
    parts = [
        f'<div class="gk-table-meta"><span>部门：{escape(department)}</span><span>{number}</span>'
        f"<span>金额单位：{escape(form.unit)}</span></div>",
        f'<div class="gk-scroll" role="region" tabindex="0" aria-label="{number} {title}（可左右滑动）">',
        f'<table class="gk-form"><caption>{number} {title}</caption><thead>',
    ]
    for row in header_rows(form.columns):
        parts.append("<tr>")
        for label, colspan, rowspan, group in row:
            scope = "colgroup" if group else "col"
            nowrap = ' class="gk-nowrap"' if len(label) <= 4 else ""
            parts.append(
                f'<th scope="{scope}"{nowrap}{_span("colspan", colspan)}{_span("rowspan", rowspan)}>{escape(label)}</th>'
            )
        parts.append("</tr>")
    leaves = [c for p in form.panels for c in p.columns]
    if any(c.no for c in leaves):
        parts.append('<tr class="gk-colno">')
        for panel in form.panels:
            for i, column in enumerate(panel.columns):
                label = column.no or ("栏次" if i == 0 else "")
                parts.append(f"<td>{escape(label)}</td>")
        parts.append("</tr>")
    parts.append("</thead><tbody>")
    height = max((len(_panel_rows(d)) for d in table.panels), default=0)
    for index in range(height):
        cells = [cell for data in table.panels for cell in _row_cells(data, index)]
        # Cells are separated by a newline so that the search index sees them as separate words.
        parts.append("<tr>" + "\n".join(cells) + "</tr>\n")
    if form.footer:
        parts.append('<tr class="gk-footer">')
        for cell in form.footer:
            span = _span("colspan", cell.colspan)
            if cell.key:
                value = table.totals.get(cell.key)
                total = format_amount(value.amount) if value and value.amount is not None else ""
                parts.append(f'<td class="gk-num"{span}>{total}</td>')
            else:
                parts.append(f'<th scope="row" class="gk-total"{span}>{escape(cell.label or "")}</th>')
        parts.append("</tr>")
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
