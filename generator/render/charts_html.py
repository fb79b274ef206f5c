"""Render stage, charts: each chart as a figure with its numbers in a table and as a JSON block.

The page carries the data, never a script: `assets/gongkai-charts.js` (loaded only by pages with
charts) draws each figure from its `<script type="application/json">` block with ECharts. Without
JavaScript the table shows every figure the chart would. Amounts go into the JSON as the
table's text ("29455.67"), so the block says exactly what data/ says.
"""

from __future__ import annotations

import json
from decimal import Decimal

from markupsafe import Markup

from ..core.amounts import format_amount
from .charts import Chart, CompareChart, Trend, class_rows
from .comparison import Comparison
from .escaping import escape


def _json_block(anchor: str, data: dict) -> str:
    # '<', '>' and '&' as \u escapes: no text from data/ can close the block or open a comment.
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/json" class="gk-chart-data" id="{escape(anchor)}-data">{text}</script>'


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _num(value: Decimal | None, suffix: str = "") -> str:
    return f'<td class="gk-num">{"—" if value is None else format_amount(value) + suffix}</td>'


def _figure(anchor: str, title: str, summary: str, data: dict, table: str, after: str = "") -> str:
    title, summary = escape(title), escape(summary)
    return (
        f'<figure class="gk-chart" id="{escape(anchor)}">'
        f'<figcaption class="gk-chart-title">{title}</figcaption>'
        f'<div class="gk-chart-canvas" role="img" aria-label="{summary}" data-chart="{escape(anchor)}-data"></div>'
        f"{_json_block(anchor, data)}"
        f'<p class="gk-chart-summary">{summary}</p>'
        f'<div class="gk-scroll" role="region" tabindex="0" aria-label="{title}：数据表（可左右滑动）">'
        f"{table}</div>{after}</figure>"
    )


def render_chart(chart: Chart) -> Markup:
    """A share chart: the parts with an amount (zero and blank parts are named below the table)."""
    shown = [p for p in chart.parts if p.amount]
    empty = [p.label for p in chart.parts if not p.amount]
    unit = escape(chart.unit)
    share_head = f"占{escape(chart.total_label)}" if chart.total else "占比"
    rows = "".join(
        f'<tr><th scope="row">{escape(p.label)}</th>{_num(p.amount)}{_num(p.share(chart.total), "%")}</tr>'
        for p in shown
    )
    total_row = (
        f'<tfoot><tr><th scope="row">{escape(chart.total_label)}</th>{_num(chart.total)}<td></td></tr></tfoot>'
        if chart.total is not None
        else ""
    )
    table = (
        f'<table class="gk-form gk-chart-table"><caption>{escape(chart.title)}（单位：{unit}，数字取自{escape(chart.source)}）</caption>'
        f'<thead><tr><th scope="col">项目</th><th scope="col">金额（{unit}）</th><th scope="col">{share_head}</th></tr></thead>'
        f"<tbody>{rows}</tbody>{total_row}</table>"
    )
    after = f'<p class="gk-chart-note">为零或空白的项目：{escape("、".join(empty))}。</p>' if empty else ""
    data = {
        "type": "share",
        "unit": chart.unit,
        "labels": [p.label for p in shown],
        "values": [_amount(p.amount) for p in shown],
        "shares": [_amount(p.share(chart.total)) for p in shown],
        "total": _amount(chart.total),
        "totalLabel": chart.total_label,
    }
    return Markup(_figure(chart.anchor, chart.title, chart.summary(), data, table, after))


def render_trend(trend: Trend) -> Markup:
    unit = escape(trend.unit)
    head = "".join(f'<th scope="col">{escape(s.name)}（{unit}）</th>' for s in trend.series)
    rows = "".join(
        f'<tr><th scope="row">{year}年</th>{"".join(_num(s.values.get(year)) for s in trend.series)}</tr>'
        for year in trend.years
    )
    table = (
        f'<table class="gk-form gk-chart-table"><caption>{escape(trend.title)}（单位：{unit}）</caption>'
        f'<thead><tr><th scope="col">年度</th>{head}</tr></thead><tbody>{rows}</tbody></table>'
    )
    data = {
        "type": "trend",
        "unit": trend.unit,
        "labels": [f"{year}年" for year in trend.years],
        "series": [{"name": s.name, "values": [_amount(s.values.get(y)) for y in trend.years]} for s in trend.series],
    }
    return Markup(_figure(trend.anchor, trend.title, trend.summary(), data, table))


def comparison_summary(comparison: Comparison, rows) -> str:
    total = next((r for r in rows if r.code is None), None)
    if total is None or total.budget is None or total.actual is None:
        return f"{comparison.year}年{comparison.measure}：预算数与决算数见下表。"
    said = f"预算数{format_amount(total.budget)}万元，决算数{format_amount(total.actual)}万元"
    if total.completion is not None:
        said += f"，完成预算{total.completion}%"
    return f"{comparison.year}年{comparison.measure}：{said}。"


def render_comparison_chart(comparison: Comparison, anchor: str) -> Markup:
    """预算数 against 决算数 for the 合计 and each 类; the full table by 科目 follows on the page."""
    rows = class_rows(comparison)
    title = f"{comparison.year}年预算数与决算数（按功能分类科目类级）"
    body = "".join(
        f'<tr><th scope="row">{escape(r.name if r.code is None else f"{r.code} {r.name}")}</th>'
        f"{_num(r.budget)}{_num(r.actual)}{_num(r.completion, '%')}</tr>"
        for r in rows
    )
    table = (
        f'<table class="gk-form gk-chart-table"><caption>{escape(title)}（单位：万元）</caption>'
        '<thead><tr><th scope="col">科目</th><th scope="col">预算数（万元）</th><th scope="col">决算数（万元）</th>'
        f'<th scope="col">完成预算</th></tr></thead><tbody>{body}</tbody></table>'
    )
    data = {
        "type": "compare",
        "unit": "万元",
        "labels": [r.name for r in rows],
        "series": [
            {"name": "预算数", "values": [_amount(r.budget) for r in rows]},
            {"name": "决算数", "values": [_amount(r.actual) for r in rows]},
        ],
    }
    return Markup(_figure(anchor, title, comparison_summary(comparison, rows), data, table))


def render_compare(chart: CompareChart) -> Markup:
    """A chart that compares (charts.CompareChart): bars side by side, as the 对比 pages' ("compare")."""
    unit = escape(chart.unit)
    head = "".join(f'<th scope="col">{escape(s.name)}（{unit}）</th>' for s in chart.series)
    rows = "".join(
        f'<tr><th scope="row">{escape(label)}</th>{"".join(_num(s.values[i]) for s in chart.series)}</tr>'
        for i, label in enumerate(chart.labels)
    )
    table = (
        f'<table class="gk-form gk-chart-table"><caption>{escape(chart.title)}（单位：{unit}，数字取自{escape(chart.source)}）</caption>'
        f'<thead><tr><th scope="col">项目</th>{head}</tr></thead><tbody>{rows}</tbody></table>'
    )
    data = {
        "type": "compare",
        "unit": chart.unit,
        "labels": chart.labels,
        "series": [{"name": s.name, "values": [_amount(v) for v in s.values]} for s in chart.series],
    }
    return Markup(_figure(chart.anchor, chart.title, chart.summary(), data, table))
