"""Check stage: a printed 汇总表 of a document's reports against the 汇总 generated from them.

A table that says it is the 汇总 (`summary_of:` on an amount table, naming the column that prints
each of 预算数, 执行数, 执行率, 自评得分, 等级) is read row by row: each row's label names a project,
found among the document's 自评表 (core/summary.report_rows) by its 项目名称 (else the title of its
page); each figure it prints is compared with that report's. An amount or a score that misses by up
to 0.01 is a rounding notice, more is an error; a 执行率 is compared at the precision printed; a
grade must be the same words. A row naming no report cannot be checked; a report the 汇总表 leaves
out is a notice at its `summary_of:`.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from ..core.model import AmountTable, Document, MoneyRow
from ..core.results import ERROR, NOTICE, OK, UNCHECKED, Result
from ..core.summary import ReportRow, report_rows

TOLERANCE = Decimal("0.01")
# What each 汇总 column is in the report it is read from, for the rule in words.
READ_FROM = {
    "预算数": "资金情况的全年预算数",
    "执行数": "资金情况的全年执行数",
    "执行率": "资金情况的执行率",
    "自评得分": "总分",
    "等级": "等级",
}


def check_summaries(document: Document, tables: list) -> list[Result]:
    summaries = [t for t in tables if isinstance(t, AmountTable) and t.summary_of]
    if not summaries:
        return []
    reports: dict[str, ReportRow] = {}
    for report in report_rows(document):
        reports.setdefault(_key(report.name), report)
    results: list[Result] = []
    for table in summaries:
        named = set()
        for row in table.block.rows:
            if row.total:
                continue
            report = reports.get(_key(row.label))
            if report is None:
                says = f"{table.title}“{row.label}”"
                reason = f"本文件中没有项目名称为“{row.label}”的自评表"
                results.append(Result(UNCHECKED, document, table, row.mark, says, reason=reason))
                continue
            named.add(id(report))
            results += [_compare(document, table, row, report, column) for column in table.summary_of]
        for report in reports.values():
            if id(report) not in named:
                says = f"{table.title}没有列出项目“{report.name}”（本文件中有它的自评表）"
                results.append(Result(NOTICE, document, table, table.summary_mark or table.mark, says))
    return [result for result in results if result is not None]


def _key(name: str) -> str:
    return "".join(name.split())


def _compare(document: Document, table: AmountTable, row: MoneyRow, report: ReportRow, column: str) -> Result | None:
    label = table.summary_of[column]
    printed = row.cells.get(label)
    if printed is None:  # left blank in the 汇总表: nothing stated to compare
        return None
    says = f"{table.title}“{row.label}”的{label} = 其自评表{READ_FROM[column]}"
    expected = report.value(column)
    if column == "等级":
        if expected is None:
            return Result(UNCHECKED, document, table, printed.mark, says, reason="自评表没有总分，也没有写明等级")
        found = (printed.text or "").strip()
        if found == expected:
            return Result(OK, document, table, printed.mark, f"{says}：{found}，相符")
        return Result(ERROR, document, table, printed.mark, f"{says}：应为 {expected}，汇总表中为 {found}")
    found = printed.amount if printed.amount is not None else _number(printed.text)
    if found is None:
        return Result(UNCHECKED, document, table, printed.mark, says, reason=f"汇总表中的“{printed.text}”不是数")
    if expected is None:
        return Result(UNCHECKED, document, table, printed.mark, says, reason="自评表中没有这个数")
    if column == "执行率":  # as precise as the 汇总表 prints it
        expected = expected.quantize(Decimal(1).scaleb(found.as_tuple().exponent), rounding=ROUND_HALF_UP)
    difference = abs(found - expected)
    status = OK if difference == 0 else NOTICE if difference <= TOLERANCE else ERROR
    return Result(status, document, table, printed.mark, says, expected, found, found_where="汇总表中为")


def _number(text: str | None) -> Decimal | None:
    try:
        value = Decimal((text or "").strip().rstrip("分").strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None
