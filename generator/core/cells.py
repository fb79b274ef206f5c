"""Cells of a document's form tables found by what a rule or a sentence calls them.

The checks (sums, figure references) and the renderers (charts, references in prose) read cells the
same way: by form number, panel, row label (科目编码 or name) and column.
"""

from __future__ import annotations

from .model import Document, FormTable, PanelData, Value
from .rules import CellRef


def tables_by_form(document: Document, tables: list | None = None) -> dict[str, FormTable]:
    """The document's form tables by form number (the first of each); *tables* saves a walk of
    the document when the caller already has its tables."""
    found: dict[str, FormTable] = {}
    for table in tables if tables is not None else (t for _, t in document.tables()):
        if isinstance(table, FormTable):
            found.setdefault(table.form.number, table)
    return found


def panel_data(table: FormTable, key: str | None) -> PanelData | None:
    if key is None:
        return table.panels[0] if table.panels else None
    return next((p for p in table.panels if p.panel.key == key), None)


def find_cell(table: FormTable, ref: CellRef) -> tuple[bool, Value | None]:
    """(the row exists, its cell or None when blank)."""
    if ref.panel == "totals":
        value = table.totals.get(ref.row)
        return value is not None, value
    data = panel_data(table, ref.panel)
    if data is None:
        return False, None
    if data.panel.rows is not None:
        cells = data.fixed.get(ref.row)
        return True, (cells or {}).get(ref.column)
    if ref.row is None:
        return bool(data.rows), data.rows[0].cells.get(ref.column) if data.rows else None
    row = data.by_label.get(ref.row)
    if row is None:
        return False, None
    return True, row.cells.get(ref.column)
