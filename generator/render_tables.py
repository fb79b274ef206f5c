"""Render stage, tables: a bound table → the HTML of its printed form.

Tables are rendered to HTML here rather than through Markdown: printed forms need colspan and
rowspan, and a '|' in a cell must not end it. Every text from data/ goes through escape().
"""

from __future__ import annotations

from markupsafe import Markup, escape

from .amounts import format_amount
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


def _amount(value: Value | None) -> Markup:
    if value is None or value.amount is None:
        return Markup('<td class="gk-num"></td>')
    return Markup('<td class="gk-num">{}</td>').format(format_amount(value.amount))


def _percent(value: Value | None) -> Markup:
    return Markup('<td class="gk-num">{}</td>').format(value.text if value is not None else "")


def _fixed_cells(columns: list[Column], row: FixedRow | None, values: dict[str, Value]) -> list[Markup]:
    cells = []
    for column in columns:
        if row is None:
            cells.append(Markup("<td></td>"))
        elif column.type == "item":
            classes = (
                ["gk-item"] + ([f"gk-indent{row.indent}"] if row.indent else []) + (["gk-total"] if row.total else [])
            )
            cells.append(Markup('<th scope="row" class="{}">{}</th>').format(" ".join(classes), row.label or ""))
        elif column.type == "line":
            cells.append(Markup('<td class="gk-line">{}</td>').format(row.line or ""))
        elif column.type == "amount":
            cells.append(_amount(values.get(column.key)))
        elif column.type == "percent":
            cells.append(_percent(values.get(column.key)))
        else:
            value = values.get(column.key)
            cells.append(Markup("<td>{}</td>").format(value.text if value else ""))
    return cells


def _free_cells(columns: list[Column], cells_of_row: dict[str, Value] | None) -> list[Markup]:
    if cells_of_row is None:
        return [Markup("<td></td>") for _ in columns]
    code = next((cells_of_row.get(c.key) for c in columns if c.type == "code"), None)
    out: list[Markup] = []
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
                out.append(
                    Markup('<th scope="row" colspan="2" class="gk-total">{}</th>').format(name.text if name else "")
                )
                skip = True
                continue
            out.append(Markup('<td class="gk-code">{}</td>').format(value.text if value else ""))
        elif column.type in ("name", "item"):
            level = code_level(code.text) if code is not None else 0
            out.append(
                Markup('<th scope="row" class="gk-item gk-indent{}">{}</th>').format(level, value.text if value else "")
            )
        elif column.type == "amount":
            out.append(_amount(value))
        elif column.type == "percent":
            out.append(_percent(value))
        else:
            out.append(Markup("<td>{}</td>").format(value.text if value else ""))
    return out


def _panel_rows(data: PanelData) -> list:
    return list(data.panel.rows) if data.panel.rows is not None else list(data.rows)


def _row_cells(data: PanelData, index: int) -> list[Markup]:
    rows = _panel_rows(data)
    row = rows[index] if index < len(rows) else None
    if data.panel.rows is not None:
        values = data.fixed.get(row.key, {}) if row is not None and row.key else {}
        return _fixed_cells(data.panel.columns, row, values)
    return _free_cells(data.panel.columns, row.cells if row is not None else None)


def render_form_table(table: FormTable, department: str) -> Markup:
    form = table.form
    parts = [
        Markup('<div class="gk-table-meta"><span>部门：{}</span><span>{}</span><span>金额单位：{}</span></div>').format(
            department, form.number, form.unit
        )
    ]
    parts.append(
        Markup('<div class="gk-scroll" role="region" tabindex="0" aria-label="{} {}（可左右滑动）">').format(
            form.number, form.title
        )
    )
    parts.append(Markup('<table class="gk-form"><caption>{} {}</caption><thead>').format(form.number, form.title))
    for row in header_rows(form.columns):
        parts.append(Markup("<tr>"))
        for label, colspan, rowspan, group in row:
            scope = "colgroup" if group else "col"
            parts.append(
                Markup('<th scope="{}"{}{}{}>{}</th>').format(
                    scope,
                    Markup(' class="gk-nowrap"') if len(label) <= 4 else "",
                    Markup(' colspan="{}"').format(colspan) if colspan > 1 else "",
                    Markup(' rowspan="{}"').format(rowspan) if rowspan > 1 else "",
                    label,
                )
            )
        parts.append(Markup("</tr>"))
    leaves = [c for p in form.panels for c in p.columns]
    if any(c.no for c in leaves):
        parts.append(Markup('<tr class="gk-colno">'))
        for panel in form.panels:
            for i, column in enumerate(panel.columns):
                label = column.no or ("栏次" if i == 0 else "")
                parts.append(Markup("<td>{}</td>").format(label))
        parts.append(Markup("</tr>"))
    parts.append(Markup("</thead><tbody>"))
    height = max((len(_panel_rows(d)) for d in table.panels), default=0)
    for index in range(height):
        cells = [cell for data in table.panels for cell in _row_cells(data, index)]
        # Cells are separated by a newline so that the search index sees them as separate words.
        parts.append(Markup("<tr>") + Markup("\n").join(cells) + Markup("</tr>\n"))
    if form.footer:
        parts.append(Markup('<tr class="gk-footer">'))
        for cell in form.footer:
            span = Markup(' colspan="{}"').format(cell.colspan) if cell.colspan > 1 else ""
            if cell.key:
                value = table.totals.get(cell.key)
                parts.append(
                    Markup('<td class="gk-num"{}>{}</td>').format(
                        span, format_amount(value.amount) if value and value.amount is not None else ""
                    )
                )
            else:
                parts.append(Markup('<th scope="row" class="gk-total"{}>{}</th>').format(span, cell.label or ""))
        parts.append(Markup("</tr>"))
    parts.append(Markup("</tbody></table></div>"))
    parts.append(_after(table.note or form.note, table.statement))
    return Markup("").join(parts)


def _after(note: str | None, statement: str | None) -> Markup:
    out = Markup("")
    if statement:
        out += Markup('<p class="gk-table-statement">{}</p>').format(statement)
    if note:
        out += Markup('<p class="gk-table-note">{}</p>').format(note)
    return out


def render_free_table(table: FreeTable) -> Markup:
    parts = []
    if table.caption or table.unit:
        parts.append(
            Markup('<div class="gk-table-meta"><span>{}</span><span>{}</span></div>').format(
                table.caption or "", f"金额单位：{table.unit}" if table.unit else ""
            )
        )
    parts.append(
        Markup('<div class="gk-scroll" role="region" tabindex="0" aria-label="{}（可左右滑动）">').format(table.title)
    )
    parts.append(Markup('<table class="gk-free"><caption>{}</caption><tbody>').format(table.title))
    for row in table.grid:
        parts.append(Markup("<tr>"))
        for cell in row:
            tag = "th" if cell.header else "td"
            attrs = Markup("")
            if cell.colspan > 1:
                attrs += Markup(' colspan="{}"').format(cell.colspan)
            if cell.rowspan > 1:
                attrs += Markup(' rowspan="{}"').format(cell.rowspan)
            text = Markup("<br>").join(escape(line) for line in cell.text.split("\n"))
            parts.append(Markup("<{0}{1}>{2}</{0}>\n").format(Markup(tag), attrs, text))
        parts.append(Markup("</tr>"))
    parts.append(Markup("</tbody></table></div>"))
    parts.append(_after(table.note, table.statement))
    return Markup("").join(parts)
