"""Cells of a document's form tables found by what a rule or a sentence calls them.

The checks (sums, figure references) and the renderers (charts, references in prose) read cells the
same way: by form number, panel, row label (科目编码 or name) and column.
"""

from __future__ import annotations

import re

from .model import Document, FormTable, PanelData, Value
from .rules import CellRef

_NOT_IN_ID = re.compile(r"[\s\"'<>&#{}]+")


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


def cell_id(table: FormTable, ref) -> str:
    """The id of a headline cell on its table's page: the table's anchor and the cell's names."""
    names = [table.anchor, *(name for name in (ref.panel, ref.row, ref.column) if name)]
    return _NOT_IN_ID.sub("-", "-".join(names))


def cell_position(table: FormTable, ref) -> tuple[int, int, str] | None:
    """(panel, printed row, column key) of a cell in render/tables.py's layout, or None for a
    footer cell or a row the table does not have."""
    data = panel_data(table, ref.panel)
    if data is None or ref.panel == "totals":
        return None
    index = next(i for i, candidate in enumerate(table.panels) if candidate is data)
    if data.panel.rows is not None:
        keys = [row.key for row in data.panel.rows]
        return (index, keys.index(ref.row), ref.column) if ref.row in keys else None
    row = (data.rows[0] if data.rows else None) if ref.row is None else data.by_label.get(ref.row)
    printed = next((i for i, candidate in enumerate(data.rows) if candidate is row), None)
    return None if printed is None else (index, printed, ref.column)


def headline_specs(specs):
    """The form set's headline specs and, after each, its items (the parts of a figure)."""
    for spec in specs:
        yield spec
        yield from headline_specs(spec.items)


def cell_marks(document: Document) -> dict[FormTable, dict[tuple[int, int, str], str]]:
    """Per table, the headline cells it holds and the id each gets: the renderer writes the ids
    (render_form_table's `marks`), the check of links in prose knows them (check/prose_links.py)."""
    if document.form_set is None or not document.form_set.headline:
        return {}
    tables = tables_by_form(document)
    marks: dict[FormTable, dict[tuple[int, int, str], str]] = {}
    for spec in headline_specs(document.form_set.headline):
        for ref in (spec.cell, spec.budget):
            table = tables.get(ref.form) if ref is not None else None
            position = cell_position(table, ref) if table is not None else None
            if position is not None:
                marks.setdefault(table, {})[position] = cell_id(table, ref)
    return marks


def row_ids(table: FormTable) -> list[str]:
    """The id of each row render/tables.py prints, in order, then of the footer if the form has
    one: the renderer writes them, the check of links in prose knows them (check/prose_links.py).
    Every row has one, for a search hit opens its table at its row: a 科目 row by its code
    (公开02表-208, as a citizen would type it), any other by its place (公开02表-r3; r: never a
    code). A code printed twice (seen in real forms) names its first row; the second is placed."""
    height = max((len(d.rows) if d.panel.rows is None else len(d.panel.rows) for d in table.panels), default=0)
    ids: list[str] = []
    seen: set[str] = set()
    for index in range(height):
        code = next((c for c in (_code_of(d, index) for d in table.panels) if c), None)
        candidate = f"{table.form.number}-{code}" if code else ""
        if not candidate or candidate in seen:
            candidate = f"{table.form.number}-r{index}"
        seen.add(candidate)
        ids.append(candidate)
    if table.form.footer:
        ids.append(f"{table.form.number}-r{height}")
    return ids


def _code_of(data: PanelData, index: int) -> str | None:
    """The 科目编码 of a free row, in the panel's first code column, if it has one."""
    if data.panel.rows is not None or index >= len(data.rows) or not data.panel.code_keys:
        return None
    value = data.rows[index].cells.get(data.panel.code_keys[0])
    return value.text if value is not None and value.text else None
