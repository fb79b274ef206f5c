"""A table imported for the form editor (its local mode, `python -m generator cms`).

A clerk who uses only the form editor pastes a whole table copied from Excel, or chooses an .xlsx,
in a table's grid; the page sends it to the local server, which maps it onto the table's form
exactly as `python -m generator import` does (mapping.py: the header matched by its text, the
rows by their 项目 or 行次) and answers with the table's parts as the file would hold them (plain
text values, as the page's grid edits them) or the importer's one-line messages. Nothing is
written here: the grid takes the values, and the clerk saves them as any edit.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from ..core.model import FormSet
from ..core.problems import Mark
from .into_document import new_keys
from .mapping import choose_form, import_table
from .source import TEXT_SUFFIXES, SourceError, read_source

PASTED = "粘贴的表格"  # what the messages call a table pasted into the page


def import_for_editor(data: bytes, name: str, form_set: FormSet, number: str) -> dict:
    """{"parts": {values, rows, totals}, "count": rows read, "messages": []} for the table *data*
    (a workbook's bytes, or pasted text) imported into form *number* of *form_set*; or
    {"messages": ["源:行:列: 问题", …]} when the importer refuses it."""
    suffix = Path(name).suffix.lower()
    shown = name if suffix in (".xlsx", ".xlsm", ".xls", ".csv") else PASTED
    if suffix not in (".xlsx", ".xlsm", ".xls", ".csv"):
        suffix = TEXT_SUFFIXES[0]
    form = form_set.forms.get(number)
    if form is None:
        return {"messages": [f"{Mark(shown)}: 表样集 {form_set.id} 中没有 {number}"]}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"source{suffix}"
        path.write_bytes(data)
        try:
            source = read_source(path, shown)
        except SourceError as exc:
            return {"messages": [f"{exc.mark}: {exc.message}"]}
    _, preamble, start, _ = choose_form(source, form_set, number)
    imported, problems = import_table(source, form, form_set, preamble, start)
    if problems:
        return {"messages": [f"{problem.mark}: {problem.message}" for problem in problems.sorted()]}
    return {"parts": plain(new_keys(imported)), "count": imported.count, "messages": []}


def plain(value):
    """The importer's YAML nodes as the page holds values: mappings, lists and text."""
    if isinstance(value, dict):
        return {str(key): plain(child) for key, child in value.items()}
    if isinstance(value, list):
        return [plain(child) for child in value]
    return None if value is None else str(value)
