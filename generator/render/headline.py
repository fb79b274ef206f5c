"""Render stage, headline figures: what a document's overview, and its bureau's page, open with.

A citizen's first questions (how much came in, how much was spent, on running the bureau or on
projects, how much on the 三公, how a 绩效 self-evaluation scored) are answered from the tables,
never from prose. The form set declares which cells answer them (`headline:` in
data/forms/*.yaml), named as a check rule names a cell, so no code here knows a province's forms.
A document without declared headline figures (a 绩效 report) opens with what its performance
tables state: each 自评表's 自评得分 against its full marks with its 等级 (the one the table states,
or else the one the score earns by its form's bands, and the page says which), and the 执行率 of
its funds.

Every figure is the table's Decimal. A cell left blank, a row or a table the document lacks,
leaves its figure out: nothing is filled in. A cell the original prints unreadably (Unreadable) is
shown as the table shows it, its text and the words 无法辨认, never left out as if it were blank:
a reader sees why the figure is not there; it is set against nothing and compared with no year.
A change on the year is given only when the bureau's document of the same kind for the year
before holds a figure of the same name. Each figure links to its cell: the cells named here get
an id on their table's page (core/cells.cell_marks).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ..core import urls
from ..core.cells import cell_id, cell_position, find_cell, headline_specs, tables_by_form
from ..core.model import Document, FormTable, HeadlineSpec, IndicatorTable, Unreadable
from ..core.scores import table_grade, table_score

CENT = Decimal("0.01")


@dataclass
class Figure:
    """One headline figure: an amount, where it is printed, and what it is set against."""

    label: str
    amount: Decimal | None  # None only when the original prints the cell unreadably: *printed*
    unit: str
    href: str  # the cell on its table's page, relative to the page the figure is shown on
    budget: Decimal | None = None  # the 预算数 the same table prints beside it
    budget_href: str | None = None
    previous: Decimal | None = None  # the same figure in the bureau's document of the year before
    previous_year: int | None = None
    out_of: Decimal | None = None  # a score's full marks
    grade: str | None = None  # a score's 等级
    grade_stated: bool = False  # the table states it (else it is the one the score earns by the bands)
    items: list[Figure] = field(default_factory=list)  # what the figure is made of
    printed: str | None = None  # what the original prints where the figure cannot be read
    budget_printed: str | None = None  # likewise for the 预算数

    @property
    def change(self) -> Decimal | None:
        return None if self.previous is None or self.amount is None else self.amount - self.previous

    @property
    def change_percent(self) -> Decimal | None:
        if self.previous is None or self.previous == 0 or self.amount is None:
            return None
        return ((self.amount - self.previous) / abs(self.previous) * 100).quantize(CENT, ROUND_HALF_UP)

    @property
    def completion(self) -> Decimal | None:
        """决算数 as a share of 预算数, in per cent."""
        if self.budget is None or self.budget == 0 or self.amount is None:
            return None
        return (self.amount / self.budget * 100).quantize(CENT, ROUND_HALF_UP)


@dataclass
class Headline:
    """A document's headline: its figures, and what the column of its own figures is called."""

    document: Document
    figures: list[Figure]

    @property
    def own(self) -> str:
        """预算数, 决算数: what the document's own figures are (a 绩效's are scores and rates)."""
        return f"{self.document.kind}数"

    @property
    def has_budget(self) -> bool:
        return any(f.budget is not None for figure in self.figures for f in (figure, *figure.items))


def table_places(document: Document) -> dict[object, tuple[str, str]]:
    """Each table of the document → (the page it is printed on, the anchor of its section)."""
    places: dict[object, tuple[str, str]] = {}

    def walk(sections, src):
        for section in sections:
            if section.table is not None:
                places.setdefault(section.table, (src, section.anchor))
            walk(section.sections, src)

    for part in document.parts:
        walk(part.sections, urls.part_src(document, part))
        for attachment in part.attachments:
            walk(attachment.sections, urls.attachment_src(document, part, attachment))
    return places


def amount_of(tables: dict[str, FormTable], ref) -> Decimal | None:
    """The amount in the cell *ref* names, or None when the document lacks the table or the row,
    or the cell is blank."""
    table = tables.get(ref.form)
    if table is None:
        return None
    _, value = find_cell(table, ref)
    return value.amount if value is not None else None


def unreadable_of(tables: dict[str, FormTable], ref) -> Unreadable | None:
    """The cell *ref* names when the original prints it unreadably, else None."""
    table = tables.get(ref.form) if ref is not None else None
    if table is None:
        return None
    _, value = find_cell(table, ref)
    return value if value.__class__ is Unreadable else None


def declared_amounts(document: Document) -> dict[str, Decimal]:
    """The document's headline figures by name (top level and items), those its tables fill."""
    if document.form_set is None:
        return {}
    tables = tables_by_form(document)
    found = {}
    for spec in headline_specs(document.form_set.headline):
        amount = amount_of(tables, spec.cell)
        if amount is not None:
            found.setdefault(spec.label, amount)
    return found


def stated_figures(document: Document) -> tuple[tuple[str, Decimal, str], ...]:
    """The document's top-level headline figures as (label, amount, unit), in the form set's order:
    what a page about several bureaus sets side by side. An outline keeps them (pages.outline)."""
    if document.headline_figures is not None:
        return document.headline_figures
    if document.form_set is None:
        return ()
    tables = tables_by_form(document)
    found = []
    for spec in document.form_set.headline:
        amount = amount_of(tables, spec.cell)
        if amount is not None:
            found.append((spec.label, amount, tables[spec.cell.form].form.unit or document.unit))
    return tuple(found)


def year_before(document: Document) -> Document | None:
    """The bureau's document of the same kind for the year before, if the site has it."""
    return next(
        (d for d in document.bureau.documents if d.kind == document.kind and d.year == document.year - 1),
        None,
    )


def headline(document: Document, from_src: str) -> Headline:
    """The document's headline figures, linked from the page *from_src*."""
    if document.form_set is not None and document.form_set.headline:
        figures = _declared(document, from_src)
    else:
        figures = _performance(document, from_src)
    return Headline(document, figures)


def _declared(document: Document, from_src: str) -> list[Figure]:
    tables = tables_by_form(document)
    places = table_places(document)
    before = year_before(document)
    previous = declared_amounts(before) if before is not None else {}
    unit = document.unit

    def link(ref) -> str | None:
        table = tables.get(ref.form)
        if table is None or table not in places:
            return None
        src, anchor = places[table]
        position = cell_position(table, ref)
        return urls.html_link(from_src, src, cell_id(table, ref) if position is not None else anchor)

    def figure(spec: HeadlineSpec) -> Figure | None:
        amount = amount_of(tables, spec.cell)
        marked = unreadable_of(tables, spec.cell)
        href = link(spec.cell)
        if (amount is None and marked is None) or href is None:
            return None
        budget = amount_of(tables, spec.budget) if spec.budget is not None else None
        budget_marked = unreadable_of(tables, spec.budget)
        items = [f for f in (figure(item) for item in spec.items) if f is not None]
        return Figure(
            spec.label,
            amount,
            tables[spec.cell.form].form.unit or unit,
            href,
            budget=budget,
            budget_href=link(spec.budget) if budget is not None or budget_marked is not None else None,
            previous=previous.get(spec.label),
            previous_year=before.year if spec.label in previous else None,
            items=items,
            printed=marked.text if marked is not None else None,
            budget_printed=budget_marked.text if budget_marked is not None else None,
        )

    return [f for f in (figure(spec) for spec in document.form_set.headline) if f is not None]


def _performance(document: Document, from_src: str) -> list[Figure]:
    """A 绩效 document's scores and 执行率, as its performance tables state them."""
    figures = []
    for table, (src, anchor) in table_places(document).items():
        if not isinstance(table, IndicatorTable):
            continue
        href = urls.html_link(from_src, src, anchor)
        name = " ".join(table.title.split())
        score = table_score(table)
        if score is not None:
            graded = table_grade(table)
            figures.append(
                Figure(
                    f"{name}：自评得分",
                    score[0],
                    "分",
                    href,
                    out_of=table.total_score if table.total_score is not None else _full_marks(table),
                    grade=graded[0] if graded else None,
                    grade_stated=graded[1] if graded else False,
                )
            )
        # The 执行率 of all the funds: the row of 年度资金总额, which is the last one printed.
        rated = [row for row in table.funds if row.rate is not None]
        if rated:
            figures.append(Figure(f"{name}：{rated[-1].source}执行率", rated[-1].rate, "%", href))
    return figures


def _full_marks(table: IndicatorTable) -> Decimal | None:
    return table.form.full_marks if table.form is not None else None
