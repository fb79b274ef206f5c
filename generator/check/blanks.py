"""Check stage, blank cells the prose states as 0: a table should print what its 说明 says.

The loader keeps a blank cell apart from 0.00 (a blank is no figure). A sentence stating a figure of
0 (上级补助收入0.00万元) under the label of a table cell that is blank says what the table does not
print: either the table left out a 0.00 it should show, or the sentence states a figure no table
gives. A warning at the sentence's section, naming the table. A label some table prints a figure
for is check/prose.py's (it compares the figures), not this check's.
"""

from __future__ import annotations

from decimal import Decimal

from ..core.cells import tables_by_form
from ..core.model import Document, FormTable, Section
from ..core.results import WARNING, Result
from .prose import CLAIM, CLAIM_UNIT, known_label, label_names, sentences

_ZERO = Decimal(0)


def blank_labels(document: Document, tables: list) -> dict[str, list[FormTable]]:
    """The labels a sentence would use for a blank cell, as check/prose.py labels printed ones."""
    blanks: dict[str, list[FormTable]] = {}

    def add(label: str | None, table: FormTable) -> None:
        for name in label_names(label or ""):
            if table not in blanks.setdefault(name, []):
                blanks[name].append(table)

    for table in tables_by_form(document, tables).values():
        for data in table.panels:
            amounts = data.panel.amount_columns
            for row in data.panel.rows or []:
                cells = data.fixed.get(row.key or "", {})
                if row.label and amounts and all(cells.get(c.key) is None for c in amounts):
                    add(row.label, table)
            for (_, name), row in data.labelled:
                if amounts and row.cells.get(amounts[0].key) is None:
                    add(name, table)
    return blanks


def check_blanks(document: Document, figures: dict, sections: list[Section]) -> list[Result]:
    """*figures*: the tables' printed figures by label (check/prose.labelled_figures)."""
    tables = [section.table for section in sections if section.table is not None]
    blanks = {label: found for label, found in blank_labels(document, tables).items() if label not in figures}
    results = []
    for section in sections:
        if not section.body or not blanks:
            continue
        said: set[str] = set()  # one warning per blank label and section (上年结转 of each fund)
        for sentence in sentences(section.body):
            if sentence is None or CLAIM_UNIT not in sentence:
                continue
            for match in CLAIM.finditer(sentence):
                run, amount_text, unit = match.group(1), match.group(2), match.group(3)
                if Decimal(amount_text) != _ZERO or known_label(run, figures) is not None:
                    continue
                label = known_label(run, blanks)
                if label is None or label in said:
                    continue
                said.add(label)
                where = "、".join(table.form.number for table in blanks[label])
                says = (
                    f"“{section.title}”中的 {label}{amount_text}{unit}：{where}中“{label}”一格空白，"
                    "说明却写 0：照原件核对表中是否印有 0"
                )
                results.append(Result(WARNING, document, blanks[label][0], section.mark, says))
    return results
