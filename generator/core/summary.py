"""The generated 汇总 of a document of many reports, shared by its check and its page.

A 项目支出绩效自评 holds a report per project, often a dozen, each with its 自评表. The 汇总 has a row
per 自评表, in document order: the project (its 项目名称, else the title of the page it is on), its
预算数, 执行数 and 执行率 from the funds block, its 自评得分 (core/scores.table_score) and 等级
(core/scores.table_grade). Every figure is the table's own Decimal; nothing is filled in. A printed
汇总表 that says it is one (`summary_of:` on an amount table) is checked against these rows
(check/summary.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from . import urls
from .model import Document, FundsRow, IndicatorTable
from .scores import table_grade, table_score

# The columns of the 汇总 after 项目, as a printed 汇总表's `summary_of:` names them.
SUMMARY_COLUMNS = ("预算数", "执行数", "执行率", "自评得分", "等级")
# The header fact that names a report's project (the national and provincial 自评表 all print it).
PROJECT_FACT = "项目名称"
CENT = Decimal("0.01")


@dataclass(frozen=True)
class ReportRow:
    """One report's line of the 汇总, and where its 自评表 is printed."""

    name: str  # 项目
    table: IndicatorTable
    src: str  # the page the table is on (a part's or an attachment's)
    anchor: str  # its section's anchor on that page
    budget: Decimal | None  # 全年预算数 of the funds' whole
    executed: Decimal | None  # 全年执行数
    rate: Decimal | None  # 执行率 in per cent: as printed, else by the form's formula
    rate_printed: bool
    score: Decimal | None  # 自评得分
    grade: str | None
    grade_stated: bool  # the table states its 等级 (else the one its score earns by the bands)

    def value(self, column: str):
        """The row's figure (or grade) in a SUMMARY_COLUMNS column."""
        return {
            "预算数": self.budget,
            "执行数": self.executed,
            "执行率": self.rate,
            "自评得分": self.score,
            "等级": self.grade,
        }[column]


def whole_funds(table: IndicatorTable) -> FundsRow | None:
    """The funds row of all the project's money (年度资金总额): the one the form scores (it carries
    the 预算执行 分值 or 得分), else the one of the largest 全年预算数, a whole being no smaller than
    any of its parts; ties and rows without a budget go to the first printed."""
    if not table.funds:
        return None
    scored = [row for row in table.funds if row.score is not None or row.scored is not None]
    if scored:
        return scored[0]
    budgeted = [row for row in table.funds if row.budget is not None]
    if not budgeted:
        return table.funds[0]
    return max(budgeted, key=lambda row: row.budget)  # max keeps the first of equal ones


def computed_rate(table: IndicatorTable, row: FundsRow) -> Decimal | None:
    """执行率 by the table's form ((B−C)/A unless it says B/A), in per cent to two decimals."""
    if row.budget is None or row.budget == 0 or row.executed is None:
        return None
    formula = table.form.rate if table.form is not None and table.form.rate else "(B-C)/A"
    executed = row.executed - (row.transfer or 0) if formula == "(B-C)/A" else row.executed
    return (executed / row.budget * 100).quantize(CENT, ROUND_HALF_UP)


def project_name(table: IndicatorTable, page_title: str) -> str:
    for label, text in table.facts:
        if label == PROJECT_FACT and text and text.strip():
            return " ".join(text.split())
    return " ".join(page_title.split())


def report_rows(document: Document) -> list[ReportRow]:
    """A row per 自评表 of the document, in document order."""
    rows: list[ReportRow] = []

    def walk(sections, src: str, title: str) -> None:
        for section in sections:
            table = section.table
            if isinstance(table, IndicatorTable) and table.stage == "自评":
                rows.append(row_of(table, src, section.anchor, title))
            walk(section.sections, src, title)

    for part in document.parts:
        walk(part.sections, urls.part_src(document, part), part.title)
        for attachment in part.attachments:
            walk(attachment.sections, urls.attachment_src(document, part, attachment), attachment.title)
    return rows


def row_of(table: IndicatorTable, src: str, anchor: str, page_title: str) -> ReportRow:
    funds = whole_funds(table)
    rate = funds.rate if funds is not None else None
    score = table_score(table)
    graded = table_grade(table)
    return ReportRow(
        project_name(table, page_title),
        table,
        src,
        anchor,
        funds.budget if funds is not None else None,
        funds.executed if funds is not None else None,
        rate if rate is not None else (computed_rate(table, funds) if funds is not None else None),
        rate is not None,
        score[0] if score is not None else None,
        graded[0] if graded is not None else None,
        graded[1] if graded is not None else False,
    )
