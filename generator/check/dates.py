"""Check stage, 绩效 dates: when a report says it was filled in and signed, against the year it is about.

A 自评 evaluates a year that has ended, so its table's 填报日期 (the header fact of role `date`)
falls after that year: a 2020 自评 filled in 2020-03 was filled before there was anything to
evaluate, and is most often last year's date left standing. A 申报表 plans the year, so it is
filled before the year ends. A report's signature (a paragraph that is only a date, such as
"2021年8月26日", the last of its report) and its table's 填报日期 fall in the same year; in a 绩效
report the signature, too, falls after the year evaluated.

A table's title or caption that names a year names the document's year, the one it is about. A
自评表 may also name the year after: the 自评, and the 考核 of the 自评 work, are carried out then,
and a 考核评分表 of that work is titled by the year it is done in (雨花's "2021年度部门整体支出绩效
自评工作考核评分表" in its 2020 自评). Any other year (most often last year's title left standing)
is a warning. A 申报表 names only the year it plans.

All are warnings, at the date or the title: the figures are not wrong, but a reader should look.
"""

from __future__ import annotations

import re
import unicodedata

from ..core.model import Document, IndicatorTable
from ..core.reports import Report, reports
from ..core.results import OK, UNCHECKED, WARNING, Result

_DATE = re.compile(r"(\d{4})\s*(?:年|[-./])\s*(\d{1,2})(?:\s*(?:月|[-./])\s*(\d{1,2})\s*日?)?")
_SIGNATURE = re.compile(r"\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*")
_YEAR = re.compile(r"(\d{4})\s*年")


def year_of(text: str) -> int | None:
    match = _DATE.search(unicodedata.normalize("NFKC", text))
    return int(match.group(1)) if match else None


def signature(bodies) -> tuple[str, int, object] | None:
    """The last paragraph of the report's prose that is only a date: (as written, year, mark)."""
    found = None
    for _, body, mark in bodies:
        for paragraph in body.split("\n"):
            match = _SIGNATURE.fullmatch(unicodedata.normalize("NFKC", paragraph))
            if match:
                found = (paragraph.strip(), int(match.group(1)), mark)
    return found


def check_dates(document: Document, all_reports: list[Report] | None = None) -> list[Result]:
    """*all_reports* (core/reports.reports of the document) saves a walk of the document."""
    results: list[Result] = []
    year = document.year
    for report in reports(document) if all_reports is None else all_reports:
        evaluations = [t for t in report.tables if t.stage == "自评"]
        signed = signature(report.prose)
        for table in report.tables:
            results += _filled(document, table, signed)
            results += _title_years(document, table)
        if signed is not None and (evaluations or (document.kind == "绩效" and not report.tables)):
            text, signed_year, mark = signed
            if signed_year > year:
                says = f"“{report.title}”的落款日期 {text} 在所评价的 {year} 年之后"
                results.append(Result(OK, document, None, mark, says))
            else:
                says = f"“{report.title}”的落款日期 {text} 不在所评价的 {year} 年之后：自评在年度结束后进行，请照原件核对这个日期"
                results.append(Result(WARNING, document, None, mark, says))
    return results


def _filled(document: Document, table: IndicatorTable, signed) -> list[Result]:
    if table.filled is None:
        return []
    text, mark = table.filled
    year = document.year
    filled = year_of(text)
    if filled is None:
        return [Result(UNCHECKED, document, table, mark, f"{table.title}：填报日期 {text} 与所{table.stage}的年度")]
    if table.stage == "自评":
        good = filled > year
        says = f"{table.title}：填报日期 {text} " + (
            f"在所评价的 {year} 年之后"
            if good
            else f"不在所评价的 {year} 年之后：自评在年度结束后填报，请照原件核对这个日期"
        )
    else:
        good = filled <= year
        says = f"{table.title}：填报日期 {text} " + (
            f"不在所申报的 {year} 年之后"
            if good
            else f"在所申报的 {year} 年之后：申报在年度开始前或年中填报，请照原件核对这个日期"
        )
    results = [Result(OK if good else WARNING, document, table, mark, says)]
    if signed is not None:
        signed_text, signed_year, _ = signed
        same = signed_year == filled
        says = f"{table.title}：填报日期 {text} 与报告的落款日期 {signed_text} " + (
            "在同一年" if same else "不在同一年：请照原件核对这两个日期"
        )
        results.append(Result(OK if same else WARNING, document, table, mark, says))
    return results


def _title_years(document: Document, table: IndicatorTable) -> list[Result]:
    year = document.year
    allowed = {year, year + 1} if table.stage == "自评" else {year}
    results = []
    for what, text in (("标题", table.title), ("表头说明", table.caption)):
        for named in sorted({int(y) for y in _YEAR.findall(unicodedata.normalize("NFKC", text or ""))}):
            which = f" {year} 年或其次年（自评在次年进行）" if table.stage == "自评" else f"所申报的 {year} 年"
            if named in allowed:
                says = f"{table.title}：{what}中的 {named} 年是{which}"
                results.append(Result(OK, document, table, table.mark, says))
            else:
                says = (
                    f"{table.title}：{what}中写的是 {named} 年，本文件却是 {year} 年度（应为{which}）："
                    "是不是上一年的标题没有改？请照原件核对"
                )
                results.append(Result(WARNING, document, table, table.mark, says))
    return results
