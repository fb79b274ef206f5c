"""Render stage, charts: the figures each chart shows, taken from the document's tables.

The form set declares its charts (`charts:` in data/forms/*.yaml): each part is a cell of a table,
named as a check rule names it, so no code here knows a province's forms. Every figure is the
table's Decimal; shares are worked out exactly and rounded to 0.01 % for showing only.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ..core.amounts import format_amount
from ..core.cells import find_cell, tables_by_form
from ..core.model import KIND_NAMES, KINDS, Bureau, ChartSpec, Document, Unreadable
from .comparison import Comparison
from .headline import amount_of, declared_amounts, stated_figures, unreadable_of, year_before

# 一、 （一） 1. 201 … before a row's name: the table shows them, a chart's label does not need them.
_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[.、]|\d{3} ?)\s*")
CENT = Decimal("0.01")


def part_label(label: str) -> str:
    return _ORDINAL.sub("", " ".join(label.split())) or label


@dataclass
class ChartPart:
    label: str
    amount: Decimal | None  # None: the cell is blank in the table

    def share(self, total: Decimal | None) -> Decimal | None:
        if self.amount is None or not total:
            return None
        return (self.amount / total * 100).quantize(CENT, ROUND_HALF_UP)


@dataclass
class Chart:
    """A share chart of one document: its parts and the whole they are shares of."""

    anchor: str
    title: str
    unit: str
    parts: list[ChartPart]
    total: Decimal | None
    total_label: str
    source: str  # the tables the figures come from, e.g. 公开01表

    def largest(self, count: int = 3) -> list[ChartPart]:
        shown = [p for p in self.parts if p.amount]
        return sorted(shown, key=lambda p: p.amount, reverse=True)[:count]

    def summary(self) -> str:
        """The text alternative: the largest parts and their shares, in a sentence."""
        largest = self.largest()
        if not largest:
            return f"{self.title}：各项均为零或空白。"
        said = "，".join(
            f"{p.label}{format_amount(p.amount)}{self.unit}" + (f"（占{p.share(self.total)}%）" if self.total else "")
            for p in largest
        )
        head = (
            f"{self.title}：{self.total_label}{format_amount(self.total)}{self.unit}，"
            if self.total is not None
            else ""
        )
        return f"{head}最大的{'一项' if len(largest) == 1 else f'{len(largest)}项'}是{said}。"


def document_charts(document: Document) -> list[Chart]:
    """The charts the document's form set declares, for the tables the document has."""
    if document.form_set is None or not document.form_set.charts:
        return []
    tables = tables_by_form(document)
    charts = []
    for number, spec in enumerate(document.form_set.charts, 1):
        chart = build_chart(spec, tables, f"tu-{number}")
        if chart is not None:
            charts.append(chart)
    return charts


def build_chart(spec: ChartSpec, tables: dict, anchor: str) -> Chart | None:
    refs = [ref for _, ref in spec.parts] + ([spec.total] if spec.total else [])
    if any(ref.form not in tables for ref in refs):
        return None  # the document does not have every table the chart draws on
    parts = []
    for label, ref in spec.parts + ([(None, spec.total)] if spec.total else []):
        _, value = find_cell(tables[ref.form], ref)
        if value.__class__ is Unreadable:
            return None  # a part or the whole unreadable in the original: the chart would draw a guess
        if label is not None:
            parts.append(ChartPart(part_label(label), value.amount if value is not None else None))
    if all(p.amount is None for p in parts):
        return None  # the tables are blank: nothing to draw
    if spec.total is not None:
        _, value = find_cell(tables[spec.total.form], spec.total)
        total = value.amount if value is not None else None
        total_label = part_label(spec.total.row or spec.total.column or "合计")
    else:
        total = sum((p.amount for p in parts if p.amount is not None), Decimal(0))
        total_label = "合计"
    if total_label in ("合计", "决算合计", "小计"):
        total_label = "合计"
    numbers = sorted({ref.form for ref in refs})
    unit = tables[numbers[0]].form.unit
    return Chart(anchor, spec.title, unit, parts, total, total_label, "、".join(numbers))


@dataclass
class TrendSeries:
    name: str
    values: dict[int, Decimal | None]  # year → the total


@dataclass
class Trend:
    """A bureau's main totals over the years of one kind of document."""

    anchor: str
    title: str
    kind: str
    unit: str
    years: list[int]
    series: list[TrendSeries]

    def summary(self) -> str:
        said = []
        for series in self.series:
            first, last = self.years[0], self.years[-1]
            a, b = series.values.get(first), series.values.get(last)
            if a is not None and b is not None:
                said.append(
                    f"{series.name}从{first}年的{format_amount(a)}{self.unit}变为{last}年的{format_amount(b)}{self.unit}"
                )
        return f"{self.title}：" + ("；".join(said) if said else "各年数字见下表") + "。"


def bureau_trends(bureau: Bureau) -> list[Trend]:
    """For each kind of document the bureau has in two years or more, its charts' totals by year."""
    trends = []
    for kind in ("预算", "决算"):
        documents = sorted((d for d in bureau.documents if d.kind == kind), key=lambda d: d.year)
        by_year: dict[int, Document] = {}
        for doc in documents:
            by_year.setdefault(doc.year, doc)
        if len(by_year) < 2:
            continue
        names: list[str] = []
        values: dict[str, dict[int, Decimal | None]] = {}
        unit = None
        for year, doc in by_year.items():
            if doc.form_set is None:
                continue
            tables = tables_by_form(doc)
            for spec in doc.form_set.charts:
                if not spec.trend:
                    continue
                chart = build_chart(spec, tables, "")
                if chart is None:
                    continue
                unit = unit or chart.unit
                if spec.trend not in values:
                    names.append(spec.trend)
                    values[spec.trend] = {}
                values[spec.trend][year] = chart.total
        series = [TrendSeries(name, values[name]) for name in names if len(values[name]) >= 2]
        if series:
            title = f"历年{KIND_TITLES[kind]}主要数字"
            trends.append(Trend(f"qushi-{kind}", title, kind, unit or "万元", sorted(by_year), series))
    return trends


KIND_TITLES = {"预算": "部门预算", "决算": "部门决算"}


def class_rows(comparison: Comparison):
    """The 合计 and 类 (three-digit 科目编码) rows of a comparison: what a chart of it shows."""
    return [row for row in comparison.rows if row.code is None or len(row.code) == 3]


@dataclass
class CompareSeries:
    name: str  # 预算数, 决算数, 2019年 …
    values: list[Decimal | None]  # one per label; None: blank in the table, or not printed


@dataclass
class CompareChart:
    """Figures set side by side: for each label, one bar per series (预算数 against 决算数, the
    year before against this one). Drawn as the 对比 pages' charts are ("compare")."""

    anchor: str
    title: str
    unit: str
    labels: list[str]
    series: list[CompareSeries]
    source: str  # where the figures are printed, e.g. 公开07表
    label_head: str = "项目"  # what the labels are: items of a table, or bureaus (部门)

    def summary(self) -> str:
        """The text alternative: each label's figures, series by series; those that are zero in
        every series named together."""
        said, nil = [], []
        for i, label in enumerate(self.labels):
            figures = [(s.name, s.values[i]) for s in self.series if s.values[i] is not None]
            if figures and all(value == 0 for _, value in figures):
                nil.append(label)
            elif figures:
                said.append(label + "，".join(f"{name}{format_amount(value)}{self.unit}" for name, value in figures))
        if nil:
            said.append(f"{'、'.join(nil)}均为零")
        return f"{self.title}：" + ("；".join(said) or "各项均为空白") + "。"


def headline_comparisons(document: Document) -> list[CompareChart]:
    """Charts that compare, from the document's declared headline cells (`headline:`):

    * for each figure that a 预算数 stands beside in the same table (公开07表 prints both): 预算数
      against the document's own figures, over the figure's items (or the figure alone);
    * when the bureau's document of the same kind for the year before is on the site: each
      headline figure that both documents hold, that year against this one.

    A chart one of whose cells the original prints unreadably is not drawn (a bar would be a guess,
    or a blank); a figure unreadable in either year is not among those compared with the year before.
    """
    if document.form_set is None or not document.form_set.headline:
        return []
    tables = tables_by_form(document)
    own = f"{document.kind}数"
    charts = []
    for spec in document.form_set.headline:
        paired = [item for item in (spec.items or [spec]) if item.budget is not None]
        if not paired:
            continue
        if any(unreadable_of(tables, ref) for item in paired for ref in (item.cell, item.budget)):
            continue  # a bar the original prints unreadably: the chart would draw a guess, or a blank
        budget = [amount_of(tables, item.budget) for item in paired]
        actual = [amount_of(tables, item.cell) for item in paired]
        if all(value is None for value in budget + actual):
            continue
        forms = sorted({ref.form for item in paired for ref in (item.cell, item.budget)})
        charts.append(
            CompareChart(
                f"tu-yusuan-{len(charts) + 1}",
                f"{spec.label}：预算数与{own}",
                tables[forms[0]].form.unit if forms[0] in tables else document.unit,
                [part_label(item.label) for item in paired],
                [CompareSeries("预算数", budget), CompareSeries(own, actual)],
                "、".join(forms),
            )
        )
    before = year_before(document)
    if before is not None:
        then, now = declared_amounts(before), declared_amounts(document)
        labels = [spec.label for spec in document.form_set.headline if spec.label in then and spec.label in now]
        if labels:
            charts.append(
                CompareChart(
                    "tu-shangnian",
                    f"主要数字：{before.year}年与{document.year}年",
                    document.unit,
                    labels,
                    [
                        CompareSeries(f"{before.year}年", [then[label] for label in labels]),
                        CompareSeries(f"{document.year}年", [now[label] for label in labels]),
                    ],
                    f"{before.year}年与{document.year}年的{document.kind_name}",
                )
            )
    return charts


# A city's comparison needs at least this many bureaus holding a figure: one bar compares nothing.
REGION_LEAST = 2


def region_comparisons(bureaus: list[Bureau]) -> list[CompareChart]:
    """A city's bureaus side by side (its page): for each kind of document whose form set declares
    headline figures, the latest year in which at least two of the bureaus have one; for each
    top-level headline figure, one bar per bureau that holds it, the largest first.

    Figures are set side by side only in one unit: a bureau whose form prints the figure in another
    unit (元 against 万元) is left out of that chart rather than converted."""
    return [chart for chart, _, _, _ in _region_charts(bureaus)]


def region_compared(bureaus: list[Bureau]) -> set[tuple[str, int, str]]:
    """(bureau slug, year, kind) of each document whose figures the city's page sets beside other
    bureaus' (region_comparisons): the documents whose page links to that comparison."""
    return {(bureau.slug, year, kind) for _, year, kind, shown in _region_charts(bureaus) for bureau in shown}


def _region_charts(bureaus: list[Bureau]) -> list[tuple[CompareChart, int, str, list[Bureau]]]:
    """region_comparisons' charts, each with its year, its kind and the bureaus it shows."""
    charts: list[tuple[CompareChart, int, str, list[Bureau]]] = []
    for kind in KINDS:
        by_year: dict[int, list] = defaultdict(list)
        for bureau in bureaus:
            for document in bureau.documents:
                if document.kind == kind and (figures := stated_figures(document)):
                    by_year[document.year].append((bureau, figures))
        years = [year for year, held in by_year.items() if len(held) >= REGION_LEAST]
        if not years:
            continue
        year = max(years)
        held = by_year[year]
        for label in dict.fromkeys(f[0] for _, figures in held for f in figures):
            found = [
                (bureau, amount, unit) for bureau, figures in held for name, amount, unit in figures if name == label
            ]
            unit = Counter(unit for _, _, unit in found).most_common(1)[0][0]
            shown = sorted(((b, a) for b, a, u in found if u == unit), key=lambda pair: (-pair[1], pair[0].slug))
            if len(shown) < REGION_LEAST:
                continue
            chart = CompareChart(
                f"tu-bumen-{len(charts) + 1}",
                f"{label}：各部门{year}年{KIND_NAMES[kind]}",
                unit,
                [bureau.short_name or bureau.name for bureau, _ in shown],
                [CompareSeries(f"{kind}数", [amount for _, amount in shown])],
                f"各部门{year}年{KIND_NAMES[kind]}",
                label_head="部门",
            )
            charts.append((chart, year, kind, [bureau for bureau, _ in shown]))
    return charts
