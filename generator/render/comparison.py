"""Render stage, across documents: a bureau's 预算 and 决算 of one year side by side, 科目 by 科目,
worked out once per bureau (pages.bureau_pages) for its bureau page, its documents and its 对比 pages.

Form sets name what their tables measure (`measures:` in data/forms/*.yaml), so that Hubei's 预算
表3 and Hunan's 决算 公开03表 can be paired without code knowing either province's forms.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ..core.model import Bureau, Document, FormTable, Unreadable

TOTAL = "合计"


@dataclass
class ComparisonRow:
    code: str | None  # None: the summary row (合计)
    name: str
    budget: Decimal | None  # 预算数
    actual: Decimal | None  # 决算数
    # what the original prints where the 预算数 or the 决算数 cannot be read as a figure (Unreadable):
    # shown as its table shows it, never as a blank
    budget_printed: str | None = None
    actual_printed: str | None = None

    @property
    def difference(self) -> Decimal | None:
        if self.budget is None or self.actual is None:
            return None
        return self.actual - self.budget

    @property
    def completion(self) -> Decimal | None:
        """完成预算 %: 决算数 ÷ 预算数."""
        if self.budget is None or self.actual is None or self.budget == 0:
            return None
        return (self.actual / self.budget * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass
class Comparison:
    bureau: Bureau
    year: int
    measure: str
    budget_doc: Document
    actual_doc: Document
    rows: list[ComparisonRow]


def measure_values(document: Document, measure: str) -> dict[str | None, tuple[str, Decimal | None, str | None]] | None:
    """科目编码 (None for 合计) → (科目名称, amount, what the original prints where the amount cannot
    be read) of the table the document's form set names."""
    if document.form_set is None or measure not in document.form_set.measures:
        return None
    number, column = document.form_set.measures[measure]
    table = next((t for _, t in document.tables() if isinstance(t, FormTable) and t.number == number), None)
    if table is None:
        return None
    values: dict[str | None, tuple[str, Decimal | None, str | None]] = {}
    for data in table.panels:
        code_key = next((c.key for c in data.panel.columns if c.type == "code"), None)
        name_key = next((c.key for c in data.panel.columns if c.type in ("name", "item")), None)
        for row in data.rows:
            code = row.cells[code_key].text if code_key in row.cells else None
            name = row.cells[name_key].text if name_key in row.cells else TOTAL
            value = row.cells.get(column)
            if code is None and name != TOTAL and "合计" not in name and "总计" not in name:
                continue  # a unit's row (单位名称) in a table by unit and 科目: not a 科目
            printed = value.text if value.__class__ is Unreadable else None
            values.setdefault(code, (name, value.amount if value is not None else None, printed))
    return values


def year_pairs(bureau: Bureau) -> list[tuple[int, Document, Document]]:
    """(year, 预算, 决算) for every year the bureau has both."""
    by_year: dict[int, dict[str, Document]] = {}
    for doc in bureau.documents:
        by_year.setdefault(doc.year, {}).setdefault(doc.kind, doc)
    return [(y, kinds["预算"], kinds["决算"]) for y, kinds in sorted(by_year.items()) if {"预算", "决算"} <= set(kinds)]


def compare_bureau(bureau: Bureau) -> list[Comparison]:
    comparisons = []
    for year, budget_doc, actual_doc in year_pairs(bureau):
        measures = set(getattr(budget_doc.form_set, "measures", {})) & set(getattr(actual_doc.form_set, "measures", {}))
        for measure in sorted(measures):
            budget = measure_values(budget_doc, measure)
            actual = measure_values(actual_doc, measure)
            if budget is None or actual is None:
                continue
            codes = sorted({c for c in (*budget, *actual) if c is not None})
            rows = []
            for code in [None, *codes]:
                if code not in budget and code not in actual:
                    continue
                name = (actual.get(code) or budget.get(code))[0]
                _, planned, planned_printed = budget.get(code, (None, None, None))
                _, done, done_printed = actual.get(code, (None, None, None))
                rows.append(ComparisonRow(code, name, planned, done, planned_printed, done_printed))
            comparisons.append(Comparison(bureau, year, measure, budget_doc, actual_doc, rows))
    return comparisons
