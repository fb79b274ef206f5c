"""Render stage, the generated 汇总 of a document's reports as HTML: a row per 自评表 (core/summary.py),
its project linked to the report, its amounts as the tables show them (29,527.51), its 执行率, score
and grade as the tables state them.

It is shown on the document's overview, not on a page of its own: a citizen who opens a
self-evaluation of a dozen projects sees at once how each spent its money and scored, and goes
from a row to its report in one step; a page of its own would be one more step to the same list.
"""

from __future__ import annotations

from decimal import Decimal

from markupsafe import Markup

from ..core import urls
from ..core.amounts import format_as_typed
from ..core.summary import ReportRow
from .escaping import escape


def _amount(value: Decimal | None) -> str:
    return "" if value is None else format_as_typed(value)  # as the funds block prints it


def render_summary(rows: list[ReportRow], from_src: str, unit: str) -> Markup:
    """The 汇总 as a table, each project a link to its report from the page *from_src*."""
    if not rows:
        return Markup("")
    derived = any(row.grade is not None and not row.grade_stated for row in rows)
    computed = any(row.rate is not None and not row.rate_printed for row in rows)
    caption = f"各项目自评结果汇总（金额单位：{unit}）"
    head = '<th scope="col">项目</th>' + "".join(
        f'<th scope="col" class="gk-num">{label}</th>' for label in ("预算数", "执行数", "执行率", "自评得分")
    )
    head += '<th scope="col">等级</th>'
    body = []
    for row in rows:
        href = urls.html_link(from_src, row.src, row.anchor)
        other_unit = row.table.unit and row.table.unit != unit
        suffix = f" {escape(row.table.unit)}" if other_unit else ""
        rate = "" if row.rate is None else f"{row.rate}%" + ("" if row.rate_printed else "*")
        grade = "" if row.grade is None else escape(row.grade) + ("" if row.grade_stated else "†")
        body.append(
            f'<tr><th scope="row"><a href="{escape(href)}">{escape(row.name)}</a></th>'
            f'<td class="gk-num">{_amount(row.budget)}{suffix if row.budget is not None else ""}</td>'
            f'<td class="gk-num">{_amount(row.executed)}{suffix if row.executed is not None else ""}</td>'
            f'<td class="gk-num">{rate}</td>'
            f'<td class="gk-num">{"" if row.score is None else row.score}</td>'
            f'<td class="gk-grade">{grade}</td></tr>'
        )
    notes = ["每行取自该项目自评表：预算数、执行数、执行率取自资金情况中的资金总额一行，自评得分为总分。"]
    if computed:
        notes.append("* 自评表未印执行率，按其表样的算法由执行数和预算数算出。")
    if derived:
        notes.append("† 自评表未写等级，按其表样的等级标准由得分得出。")
    note = "".join(f'<p class="gk-table-note">{escape(line)}</p>' for line in notes)
    return Markup(
        f'<div class="gk-scroll" role="region" tabindex="0" aria-label="{escape(caption)}（可左右滑动）">'
        f'<table class="gk-perf gk-summary"><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>{note}"
    )
