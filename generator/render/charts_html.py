"""Render stage, charts: each chart as a figure drawn at build time, its numbers in a table.

A chart is bars drawn here from the same Decimal figures as the table under it: each bar a line of
HTML (its name, and its amount as the table prints it) over a small SVG of one rectangle, whose
length is the amount's fraction of the largest (a drawing coordinate, never shown as a figure). The
page needs no script to show it and nothing to download for it (ECharts was 715 KB a page); its
text is the page's own, in the page's font, wrapping on a phone; SVG keeps it crisp at any zoom and
in print. The geometry is in the SVG's own attributes: the Content-Security-Policy refuses inline
styles, not SVG's presentation attributes. Without CSS the table below still shows every figure.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from markupsafe import Markup

from ..core.amounts import format_amount
from .charts import Chart, CompareChart, Trend, class_rows
from .comparison import Comparison
from .escaping import escape

BAR_SCALE = Decimal(1000)  # a bar's length in its SVG's units: the largest of its chart is 1000
_TENTH = Decimal("0.1")


def _num(value: Decimal | None, suffix: str = "") -> str:
    return f'<td class="gk-num">{"—" if value is None else format_amount(value) + suffix}</td>'


def _length(amount: Decimal | None, largest: Decimal | None) -> str:
    """The bar's length for *amount*, the chart's *largest* bar being BAR_SCALE long (0 for a blank,
    a zero or a negative amount: a bar starts at zero and grows to the right)."""
    if amount is None or amount <= 0 or not largest or largest <= 0:
        return "0"
    text = f"{(amount / largest * BAR_SCALE).quantize(_TENTH, ROUND_HALF_UP):f}"
    return text.removesuffix(".0")  # 1000, 2, 0.5: no exponent (normalize() would write 1E+3)


def _bar(label: str, value: str, length: str, series: int = 1) -> str:
    """One bar: its name and value (escaped here), and the rectangle over a track of the whole width."""
    return (
        f'<li class="gk-series{series}"><span class="gk-bar-label">{escape(label)}</span>'
        f'<span class="gk-bar-value">{escape(value)}</span>'
        '<svg class="gk-bar" viewBox="0 0 1000 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">'
        f'<rect class="gk-bar-track" width="1000" height="10"/><rect width="{length}" height="10"/></svg></li>'
    )


def _figure(anchor: str, title: str, summary: str, drawing: str, table: str, after: str = "") -> str:
    title, summary = escape(title), escape(summary)
    return (
        f'<figure class="gk-chart" id="{escape(anchor)}">'
        f'<figcaption class="gk-chart-title">{title}</figcaption>'
        f'<div class="gk-chart-bars" role="img" aria-label="{summary}">{drawing}</div>'
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
    # largest first, as a reader ranks them (the table keeps the printed order)
    ranked = sorted(shown, key=lambda p: p.amount, reverse=True)
    largest = ranked[0].amount if ranked else None
    bars = "".join(
        _bar(p.label, _with_share(p.amount, p.share(chart.total)), _length(p.amount, largest)) for p in ranked
    )
    drawing = f'<ol class="gk-bars">{bars}</ol>'
    return Markup(_figure(chart.anchor, chart.title, chart.summary(), drawing, table, after))


def _with_share(amount: Decimal, share: Decimal | None) -> str:
    """29,455.67（99.76%）: the amount and its share, as the table beside it prints them."""
    return format_amount(amount) + (f"（{share}%）" if share is not None else "")


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
    # a panel per total, each on its own scale: totals of ten thousands and a 三公 of a few share none
    panels = []
    for series in trend.series:
        values = [series.values.get(year) for year in trend.years]
        largest = max((v for v in values if v is not None), default=None)
        bars = "".join(
            _bar(f"{year}年", "—" if value is None else format_amount(value), _length(value, largest))
            for year, value in zip(trend.years, values, strict=True)
        )
        panels.append(f'<p class="gk-bars-title">{escape(series.name)}（{unit}）</p><ol class="gk-bars">{bars}</ol>')
    return Markup(_figure(trend.anchor, trend.title, trend.summary(), "".join(panels), table))


def comparison_summary(comparison: Comparison, rows) -> str:
    total = next((r for r in rows if r.code is None), None)
    if total is None or total.budget is None or total.actual is None:
        return f"{comparison.year}年{comparison.measure}：预算数与决算数见下表。"
    said = f"预算数{format_amount(total.budget)}万元，决算数{format_amount(total.actual)}万元"
    if total.completion is not None:
        said += f"，完成预算{total.completion}%"
    return f"{comparison.year}年{comparison.measure}：{said}。"


def render_comparison_chart(comparison: Comparison, anchor: str) -> Markup | None:
    """预算数 against 决算数 for the 合计 and each 类; the full table by 科目 follows on the page.
    None when the original prints one of its figures unreadably: a chart would draw a guess or a
    blank (the table shows it, marked)."""
    rows = class_rows(comparison)
    if any(r.budget_printed is not None or r.actual_printed is not None for r in rows):
        return None
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
    drawing = _grouped_bars(
        [r.name for r in rows], [("预算数", [r.budget for r in rows]), ("决算数", [r.actual for r in rows])]
    )
    return Markup(_figure(anchor, title, comparison_summary(comparison, rows), drawing, table))


def _grouped_bars(labels: list[str], series: list[tuple[str, list]]) -> str:
    """For each label, one bar per series (name, values), all to the scale of the chart's largest."""
    largest = max((v for _, values in series for v in values if v is not None), default=None)
    groups = []
    for i, label in enumerate(labels):
        bars = "".join(
            _bar(name, "—" if values[i] is None else format_amount(values[i]), _length(values[i], largest), number)
            for number, (name, values) in enumerate(series, 1)
        )
        groups.append(f'<p class="gk-bars-title">{escape(label)}</p><ol class="gk-bars">{bars}</ol>')
    return "".join(groups)


def render_compare(chart: CompareChart) -> Markup:
    """A chart that compares (charts.CompareChart): for each label a bar per series, as the 对比 pages' charts."""
    unit = escape(chart.unit)
    head = "".join(f'<th scope="col">{escape(s.name)}（{unit}）</th>' for s in chart.series)
    rows = "".join(
        f'<tr><th scope="row">{escape(label)}</th>{"".join(_num(s.values[i]) for s in chart.series)}</tr>'
        for i, label in enumerate(chart.labels)
    )
    table = (
        f'<table class="gk-form gk-chart-table"><caption>{escape(chart.title)}（单位：{unit}，数字取自{escape(chart.source)}）</caption>'
        f'<thead><tr><th scope="col">{escape(chart.label_head)}</th>{head}</tr></thead><tbody>{rows}</tbody></table>'
    )
    drawing = _grouped_bars(chart.labels, [(s.name, s.values) for s in chart.series])
    return Markup(_figure(chart.anchor, chart.title, chart.summary(), drawing, table))
