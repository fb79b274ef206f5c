"""Cells of a document's form tables found by what a rule or a sentence calls them.

The checks (sums, figure references) and the renderers (charts, references in prose) read cells the
same way: by form number, panel, row label (科目编码 or name) and column.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import DataRow, Document, FormTable, Panel, PanelData, Value
from .rules import CellRef


def tables_by_form(document: Document, tables: list | None = None) -> dict[str, FormTable]:
    """The document's form tables by form number (the first of each); *tables* saves a walk of
    the document when the caller already has its tables."""
    found: dict[str, FormTable] = {}
    for table in tables if tables is not None else (t for _, t in document.tables()):
        if isinstance(table, FormTable):
            found.setdefault(table.form.number, table)
    return found


@dataclass(frozen=True)
class PanelShape:
    """What the checks ask of a panel in every row: worked out once per form, not once per row."""

    column_keys: frozenset[str]
    code_keys: tuple[str, ...]  # the 科目编码 columns, in order
    name_keys: tuple[str, ...]  # the name columns (科目名称, 项目), in order
    has_code: bool
    # For each amount column: is it the one a row's name stands for (the first; compared by value,
    # as the prose checks always did, which costs a dataclass comparison when done per cell)
    first_amount: tuple[bool, ...]


# Kept on the panel itself: a form's panels are shared by every document of its form set. Not a
# field of the dataclass, so it takes no part in the panel's equality or repr.
_SHAPE = "_check_shape"


def panel_shape(panel: Panel) -> PanelShape:
    shape = panel.__dict__.get(_SHAPE)
    if shape is None:
        code_keys = tuple(c.key for c in panel.columns if c.type == "code")
        name_keys = tuple(c.key for c in panel.columns if c.type in ("name", "item"))
        amounts = panel.amount_columns
        first_amount = tuple(column == amounts[0] for column in amounts)
        shape = PanelShape(frozenset(c.key for c in panel.columns), code_keys, name_keys, bool(code_keys), first_amount)
        panel.__dict__[_SHAPE] = shape
    return shape


def panel_data(table: FormTable, key: str | None) -> PanelData | None:
    if key is None:
        return table.panels[0] if table.panels else None
    return next((p for p in table.panels if p.panel.key == key), None)


def row_label(cells: dict[str, Value], data: PanelData) -> tuple[str | None, str | None]:
    shape = panel_shape(data.panel)
    code = name = None
    for key in shape.code_keys:  # the first code column the row fills
        if key in cells:
            code = cells[key].text
            break
    for key in shape.name_keys:
        if key in cells:
            name = cells[key].text
            break
    return code, name


def labelled_rows(data: PanelData) -> list[tuple[tuple[str | None, str | None], DataRow]]:
    """Each free row of *data* with its (code, name), in order: every rule over the table asks for
    them, so they are worked out once per table (a loaded table does not change) and kept on it."""
    labelled = data.__dict__.get(_LABELS)
    if labelled is None:
        labelled = data.__dict__[_LABELS] = [(row_label(row.cells, data), row) for row in data.rows]
    return labelled


def rows_by_label(data: PanelData) -> dict[str, DataRow]:
    """The free rows of *data* by the label a rule names them with: the 科目编码, or the name of a
    row without one; the first row wins, as a scan from the top would find it."""
    index = data.__dict__.get(_INDEX)
    if index is None:
        index = data.__dict__[_INDEX] = {}
        for (code, name), row in labelled_rows(data):
            label = code if code is not None else name
            if label is not None:
                index.setdefault(label, row)
    return index


_LABELS, _INDEX = "_check_row_labels", "_check_rows_by_label"  # kept on a PanelData, as _SHAPE on a Panel


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
    row = rows_by_label(data).get(ref.row)
    if row is None:
        return False, None
    return True, row.cells.get(ref.column)
