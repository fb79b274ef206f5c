"""A form's printed header: its tree of columns and column groups laid out as rows of merged cells.

The page's table (render) and the workbook's sheet (export) print the same header.
"""

from __future__ import annotations

from .model import ColumnGroup


def _leaves(node) -> int:
    return sum(_leaves(c) for c in node.columns) if isinstance(node, ColumnGroup) else 1


def _depth(nodes) -> int:
    return max(1 + _depth(n.columns) if isinstance(n, ColumnGroup) else 1 for n in nodes)


def header_rows(tree: list) -> list[list[tuple[str, int, int, bool]]]:
    """The header tree as printed rows of (label, colspan, rowspan, is_group)."""
    return [[cell[:4] for cell in row] for row in header_cells(tree)[0]]


def header_cells(tree: list) -> tuple[list[list[tuple[str, int, int, bool, int]]], list[list[int]]]:
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
