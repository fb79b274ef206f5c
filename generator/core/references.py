"""Figure references in prose: `{{公开01表:收入.本年收入合计}}` stands for a cell of the document's tables.

A clerk writes a reference instead of retyping a figure, so that the page shows the table's own
figure and the two can never drift. The check stage reports a reference that names no figure;
the render stage puts the figure in its place.
"""

from __future__ import annotations

import re
from decimal import Decimal

from .amounts import format_amount
from .cells import find_cell, tables_by_form
from .model import Document, FormTable, Unreadable
from .rules import RuleError, parse_ref

REFERENCE = re.compile(r"\{\{\s*([^{}\s]+表:[^{}]+?)\s*\}\}")


def resolve_reference(text: str, document: Document, tables: dict[str, FormTable]) -> tuple[Decimal | None, str]:
    """(the amount, '') or (None, why it cannot be shown)."""
    if document.form_set is None:
        return None, "这份文件没有 form_set"
    try:
        ref = parse_ref(text, None, document.form_set.forms, None)
    except RuleError as exc:
        return None, str(exc)
    table = tables.get(ref.form)
    if table is None:
        return None, f"这份文件中没有 {ref.form}"
    exists, value = find_cell(table, ref)
    if value.__class__ is Unreadable:
        return None, f"{ref.form} 中 '{text}' 原件印作“{value.text}”，无法辨认：不能引用，请照原件写出正文"
    if not exists or value is None or value.amount is None:
        return None, f"{ref.form} 中 '{text}' 是空白"
    return value.amount, ""


def substitute_references(body: str, document: Document) -> str:
    if "{{" not in body:  # most prose refers to no table: don't gather the document's tables for it
        return body
    tables = tables_by_form(document)

    def replace(match: re.Match) -> str:
        amount, _ = resolve_reference(match.group(1), document, tables)
        return format_amount(amount) if amount is not None else match.group(0)

    return REFERENCE.sub(replace, body)
