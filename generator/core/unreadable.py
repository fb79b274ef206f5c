"""Cells the original prints but that cannot be read as a figure, found and named for people.

A clerk marks such a cell (`{unreadable: 48.5044.05}`, EDITING.md) rather than guess a figure or
leave it blank. The check stage lists each one (a result of its own, and the rules that need it
cannot be checked), and the render stage says which cells of a table they are: both name a cell
as a reader finds it on the page, by its row and its column.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import FormTable, FreeTable, Unreadable
from .problems import Mark


@dataclass(frozen=True)
class MarkedCell:
    where: str  # the row and the column, as printed: “合计”行“本年收入合计”栏
    text: str  # what the original prints there
    note: str | None  # what the transcriber says of it
    mark: Mark


def table_label(table) -> str:
    number = getattr(table, "number", None)
    return f"{number} {table.title}" if number else table.title


def _place(row: str | None, column: str | None, fallback: str) -> str:
    said = (f"“{' '.join(row.split())}”行" if row else "") + (f"“{' '.join(column.split())}”栏" if column else "")
    return said or fallback


def _form_cells(table: FormTable) -> list[MarkedCell]:
    out = []
    for data in table.panels:
        labels = {c.key: c.label for c in data.panel.columns}
        for row in data.panel.rows or []:
            for key, value in data.fixed.get(row.key or "", {}).items():
                if value.__class__ is Unreadable:
                    where = _place(row.label or row.key, labels.get(key), "")
                    out.append(MarkedCell(where, value.text, value.note, value.mark))
        for (code, name), row in data.labelled:
            for key, value in row.cells.items():
                if value.__class__ is Unreadable:
                    label = " ".join(part for part in (code, name) if part) or None
                    out.append(MarkedCell(_place(label, labels.get(key), ""), value.text, value.note, value.mark))
    for key, value in table.totals.items():
        if value.__class__ is Unreadable:
            out.append(MarkedCell(_place(None, key, "表尾"), value.text, value.note, value.mark))
    return out


def _free_cells(table: FreeTable) -> list[MarkedCell]:
    """A free table's cells are named by the first cell of their row and by the header above their
    column: the nearest row above of headers only (spans placed as the browser places them)."""
    if not any(cell.unreadable for row in table.grid for cell in row):
        return []
    taken: set[tuple[int, int]] = set()
    placed: list[list[tuple[int, object]]] = []
    for r, row in enumerate(table.grid):
        c, cells = 0, []
        for cell in row:
            while (r, c) in taken:
                c += 1
            cells.append((c, cell))
            taken.update((r + dr, c + dc) for dr in range(cell.rowspan) for dc in range(cell.colspan))
            c += cell.colspan
        placed.append(cells)
    out = []
    for r, cells in enumerate(placed):
        for c, cell in cells:
            if not cell.unreadable:
                continue
            first = cells[0][1]
            row_label = first.text if first is not cell and not first.unreadable and first.text.strip() else None
            column_label = None
            for above in reversed(placed[:r]):
                if above and all(other.header for _, other in above):
                    column_label = next(
                        (other.text for start, other in above if start <= c < start + other.colspan), None
                    )
                    break
            where = _place(row_label, column_label, f"第 {r + 1} 行第 {c + 1} 栏")
            out.append(MarkedCell(where, cell.text, cell.note, cell.mark))
    return out


def marked_cells(table) -> list[MarkedCell]:
    """The cells of *table* marked unreadable, in the order of the table (a form table's totals last)."""
    if isinstance(table, FormTable):
        return _form_cells(table)
    if isinstance(table, FreeTable):
        return _free_cells(table)
    return []


def said(cell: MarkedCell) -> str:
    """What a cell marked unreadable is, in a sentence: where, what the original prints there."""
    note = f"（{cell.note}）" if cell.note else ""
    return f"{cell.where}原件印作“{cell.text}”，无法辨认为一个数{note}"
