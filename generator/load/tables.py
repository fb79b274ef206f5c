"""Bind a document's table to its form: every value lands in a declared row and column, or is reported."""

from __future__ import annotations

import difflib
import re

from ..core.amounts import AMOUNT_RULES, PERCENT_RULES, refused
from ..core.model import Column, DataRow, Form, FormTable, GridCell, Panel, PanelData, Unreadable, Value
from ..core.problems import Problems, excerpt, quoted
from ..core.text import refused_message
from ..source.fields import Amount, Code, Context, Integer, Invalid, Percent, Text, scalar_text
from ..source.yamlsource import Mapping, Node, Scalar, Sequence, describe

_AMOUNT, _PERCENT, _CODE, _TEXT, _LINE = Amount(), Percent(), Code(), Text(), Integer(low=1, high=999)

# A cell the original prints but that cannot be read as a figure: {unreadable: 原件印的文字, note: 说明}
# in place of the figure (EDITING.md). Its messages are the form editor's too (editing/form_rules.py).
UNREADABLE, UNREADABLE_NOTE = "unreadable", "note"
UNREADABLE_TEXT, UNREADABLE_NOTE_TEXT = "原件印的文字", "说明"
UNREADABLE_NOT_HERE = "只有金额和百分比的格可以标为无法辨认（unreadable）：这一栏照原件写文字即可"
UNREADABLE_UNKNOWN = "无法辨认的格只写 unreadable（原件印的文字）和 note（说明）：没有键 {key}"
UNREADABLE_READABLE = "{text} 读得出是一个数，不能标为无法辨认：照原件写这个数"


def is_unreadable(node: Node) -> bool:
    """Whether *node* is a cell marked unreadable: a mapping with the key `unreadable`."""
    return isinstance(node, Mapping) and any(key.text == UNREADABLE for key, _ in node.items)


def unreadable_value(column_type: str, node: Mapping) -> Unreadable:
    """A cell marked unreadable, in a column of *column_type*: only an amount or a percentage can
    be, and only with a text no rule reads as a number (a figure written with a thousands comma is
    readable, and is written as the figure it is). Raises Invalid otherwise."""
    if column_type not in ("amount", "percent"):
        raise Invalid(node, UNREADABLE_NOT_HERE)
    text = note = None
    for key, child in node.items:
        if key.text == UNREADABLE:
            text = scalar_text(child, UNREADABLE_TEXT).strip()
            if not text:
                raise Invalid(child, f"这里应写{UNREADABLE_TEXT}，却是空的")
            rules = AMOUNT_RULES if column_type == "amount" else PERCENT_RULES
            why = refused(rules, text)
            if why is None:
                raise Invalid(child, UNREADABLE_READABLE.format(text=quoted(text)))
            if why != rules.fallback.format(text=excerpt(text)):  # a number, written otherwise: what to write
                raise Invalid(child, why)
        elif key.text == UNREADABLE_NOTE:
            note = scalar_text(child, UNREADABLE_NOTE_TEXT).strip()
            if not note:
                raise Invalid(child, f"这里应写{UNREADABLE_NOTE_TEXT}，却是空的")
        else:
            raise Invalid(key, UNREADABLE_UNKNOWN.format(key=quoted(key.text)))
    return Unreadable(None, text, node.mark, note)


def grid_cell(raw, problems: Problems) -> GridCell:
    """A cell of a free table: its text, or the text of an original that cannot be read as a
    figure (`unreadable`, with its `note`), which a readable number never is."""
    if raw.unreadable is None:
        if raw.note is not None:
            problems.add(raw.mark, "note 是无法辨认的格的说明，只和 unreadable 一起写：格中的文字写在 text 里")
        return GridCell(raw.text, raw.colspan, raw.rowspan, raw.header, raw.mark)
    if raw.text:
        problems.add(
            raw.mark, "一格只写 text 或 unreadable 中的一个：原件此格读不出一个数时，把原件的文字写在 unreadable 里"
        )
    elif refused(AMOUNT_RULES, raw.unreadable) is None or refused(PERCENT_RULES, raw.unreadable) is None:
        problems.add(raw.mark, UNREADABLE_READABLE.format(text=quoted(raw.unreadable)))
    return GridCell(raw.unreadable, raw.colspan, raw.rowspan, raw.header, raw.mark, True, raw.note)


def cell_value(column: Column, node: Node, ctx: Context) -> Value:
    if isinstance(node, Mapping) and is_unreadable(node):
        return unreadable_value(column.type, node)
    if column.type == "amount":
        return Value(_AMOUNT.convert(node, ctx), None, node.mark)
    if column.type == "percent":
        return Value(_PERCENT.convert(node, ctx), node.text.strip(), node.mark)
    if column.type == "code":
        return Value(None, _CODE.convert(node, ctx), node.mark)
    if column.type == "line":
        return Value(None, str(_LINE.convert(node, ctx)), node.mark)
    return Value(None, _TEXT.convert(node, ctx), node.mark)


def unknown(word: str, options: list[str], what: str) -> str:
    if (hidden := refused_message(word)) is not None:  # the key is right but for a character no one sees
        return hidden
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.5)
    hint = f"是不是要写 '{close[0]}'？" if close else "可写的有 " + "、".join(options)
    return f"{what}中没有 '{word}'：{hint}"


def mapping(node: Node, what: str) -> Mapping:
    if not isinstance(node, Mapping):
        raise Invalid(node, f"这里应写{what}（一组“键: 值”），却是{describe(node)}")
    return node


def per_panel(form: Form, node: Node | None, what: str, ctx: Context) -> dict[str, Node]:
    """Split `values`/`rows` by panel: a form with one panel takes them directly."""
    if node is None:
        return {}
    if form.single_panel:
        return {form.panels[0].key: node}
    keys = [p.key for p in form.panels]
    out = {}
    for key, child in mapping(node, f"各栏（{'、'.join(keys)}）的 {what}").items:
        if key.text not in keys:
            ctx.problems.add(key.mark, unknown(key.text, keys, f"{form.number}的栏"))
        else:
            out[key.text] = child
    return out


def bind_fixed(panel: Panel, form: Form, node: Node, ctx: Context) -> dict[str, dict[str, Value]]:
    fixed: dict[str, dict[str, Value]] = {}
    row_keys = [r.key for r in panel.rows or [] if r.key]
    amounts = panel.amount_columns
    columns = columns_by_key(panel)
    for key, child in mapping(node, f"{form.number}的数值").items:
        if panel.fixed_row(key.text) is None:
            ctx.problems.add(key.mark, unknown(key.text, row_keys, f"{form.number}的行"))
            continue
        if isinstance(child, Scalar) and child.is_null:
            continue  # a blank row, written out for clarity
        if isinstance(child, Scalar) or is_unreadable(child):  # the row's one figure
            if len(amounts) != 1:
                ctx.problems.add(
                    child.mark,
                    f"{form.number}的行 '{key.text}' 有 {len(amounts)} 个金额列："
                    "请按列写成“列名: 金额”，如 {合计: …}",
                )
                continue
            try:
                fixed[key.text] = {amounts[0].key: cell_value(amounts[0], child, ctx)}
            except Invalid as exc:
                ctx.report(exc)
            continue
        fixed[key.text] = bind_cells(
            panel, columns, form, mapping(child, f"行 '{key.text}' 的数值"), ctx, ("amount", "percent", "text")
        )
    return fixed


def columns_by_key(panel: Panel) -> dict[str, Column]:
    """The panel's columns by key, each key naming its first column as Panel.column does.

    Worked out once per table rather than searched for every cell of every row.
    """
    columns: dict[str, Column] = {}
    for column in panel.columns:
        columns.setdefault(column.key, column)
    return columns


def bind_cells(
    panel: Panel, columns: dict[str, Column], form: Form, node: Mapping, ctx: Context, types: tuple[str, ...]
) -> dict[str, Value]:
    """The cells of one row; *columns* are the panel's by key (columns_by_key)."""
    cells: dict[str, Value] = {}
    for key, child in node.items:
        column = columns.get(key.text)
        if column is None and re.fullmatch(r"[0-9.]+", key.text):
            ctx.problems.add(
                key.mark,
                f"'{key.text}' 像是被逗号截断的数字的一部分：{{…}} 里逗号用来分隔各格，所以金额不要带千分位逗号",
            )
            continue
        if column is None or column.type not in types:
            allowed = [c.key for c in panel.columns if c.type in types]
            ctx.problems.add(key.mark, unknown(key.text, allowed, f"{form.number}的列"))
            continue
        if isinstance(child, Scalar) and child.is_null:
            continue  # blank cell
        try:
            cells[key.text] = cell_value(column, child, ctx)
        except Invalid as exc:
            ctx.report(exc)
    return cells


def bind_rows(panel: Panel, form: Form, node: Node, ctx: Context) -> list[DataRow]:
    if isinstance(node, Scalar) and node.is_null:
        return []
    if not isinstance(node, Sequence):
        raise Invalid(node, f"这里应写{form.number}的各行（列表，每行以 '- ' 开头），却是{describe(node)}")
    rows = []
    columns = columns_by_key(panel)
    for child in node.items:
        try:
            cells = bind_cells(
                panel,
                columns,
                form,
                mapping(child, "一行"),
                ctx,
                ("code", "name", "amount", "percent", "text", "item"),
            )
        except Invalid as exc:
            ctx.report(exc)
            continue
        rows.append(DataRow(cells, child.mark))
    return rows


def bind_form_table(form: Form, raw, ctx: Context) -> FormTable | None:
    panels = []
    try:
        values = per_panel(form, raw.values, "values", ctx)
        rows = per_panel(form, raw.rows, "rows", ctx)
        for panel in form.panels:
            fixed, free = {}, []
            if panel.rows is not None:
                if panel.key in rows:
                    ctx.problems.add(
                        rows[panel.key].mark,
                        f"{form.number}的行是表样固定的：请用 'values' 按行键填写，不要用 'rows'",
                    )
                if panel.key in values:
                    fixed = bind_fixed(panel, form, values[panel.key], ctx)
            else:
                if panel.key in values:
                    ctx.problems.add(
                        values[panel.key].mark, f"{form.number}没有固定的行：请用 'rows' 逐行列出，不要用 'values'"
                    )
                if panel.key in rows:
                    free = bind_rows(panel, form, rows[panel.key], ctx)
            panels.append(PanelData(panel, fixed, free))
        totals = {}
        if raw.totals is not None:
            footer_keys = [c.key for c in form.footer if c.key]
            for key, child in mapping(raw.totals, f"{form.number}的表尾合计").items:
                if key.text not in footer_keys:
                    ctx.problems.add(key.mark, unknown(key.text, footer_keys, f"{form.number}的表尾合计"))
                    continue
                if isinstance(child, Scalar) and child.is_null:
                    continue  # blank, as a blank cell
                if is_unreadable(child):
                    totals[key.text] = unreadable_value("amount", child)
                else:
                    totals[key.text] = Value(_AMOUNT.convert(child, ctx), None, child.mark)
    except Invalid as exc:
        ctx.report(exc)
        return None
    return FormTable(form, panels, totals, raw.note, raw.statement, raw.id or form.slug, raw.mark)
