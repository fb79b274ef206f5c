"""Check stage, cells the original prints unreadably: a result for each, so that the pages and
`check` say how many a table and a document have, and which (core/unreadable.py names them).

The rules that need such a cell are not passed over: check/arithmetic.py reports each as 无法核对,
with the cells it needs.
"""

from __future__ import annotations

from ..core.model import Document
from ..core.results import UNREADABLE, Result
from ..core.unreadable import marked_cells, said, table_label


def check_unreadable(document: Document, tables: list) -> list[Result]:
    results = []
    for table in tables:
        for cell in marked_cells(table):
            says = f"{table_label(table)} {said(cell)}，不参与核对"
            results.append(Result(UNREADABLE, document, table, cell.mark, says))
    return results
