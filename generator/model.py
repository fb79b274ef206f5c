"""The data model: what a bureau, a document, a form and a table are once loaded and checked."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .problems import Mark

KINDS = ("预算", "决算", "绩效")
KIND_NAMES = {"预算": "部门预算", "决算": "部门决算", "绩效": "绩效评价"}
COLUMN_TYPES = ("item", "line", "code", "name", "amount", "text")


# ---- forms (表样) ----


@dataclass
class Column:
    key: str
    label: str
    type: str
    no: str | None
    mark: Mark


@dataclass
class ColumnGroup:
    label: str
    columns: list  # of Column | ColumnGroup
    mark: Mark


@dataclass
class FixedRow:
    key: str | None
    label: str | None
    line: int | None
    indent: int
    total: bool
    mark: Mark


@dataclass
class Panel:
    key: str
    columns: list[Column]
    rows: list[FixedRow] | None  # None: the document supplies the rows
    mark: Mark

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)

    @property
    def amount_columns(self) -> list[Column]:
        return [c for c in self.columns if c.type == "amount"]

    def fixed_row(self, key: str) -> FixedRow | None:
        return next((r for r in self.rows or [] if r.key == key), None)


@dataclass
class FooterCell:
    label: str | None
    key: str | None
    colspan: int
    mark: Mark


@dataclass
class Form:
    number: str
    slug: str
    title: str
    unit: str
    note: str | None
    columns: list  # header tree
    panels: list[Panel]
    footer: list[FooterCell]
    mark: Mark
    rules: list = field(default_factory=list)  # of rules.Rule

    @property
    def single_panel(self) -> bool:
        return len(self.panels) == 1


@dataclass
class FormSet:
    id: str
    name: str
    forms: dict[str, Form]
    path: str
    rules: list = field(default_factory=list)  # of rules.Rule, across the forms


# ---- tables in documents ----


@dataclass
class Value:
    """One cell as typed: an exact amount, or text (codes, names)."""

    amount: Decimal | None
    text: str | None
    mark: Mark


@dataclass
class DataRow:
    cells: dict[str, Value]
    mark: Mark


@dataclass
class PanelData:
    panel: Panel
    fixed: dict[str, dict[str, Value]]  # fixed row key → column key → value
    rows: list[DataRow]  # free rows, in printed order


@dataclass
class FormTable:
    form: Form
    panels: list[PanelData]
    totals: dict[str, Value]
    note: str | None
    statement: str | None
    anchor: str
    mark: Mark

    @property
    def title(self) -> str:
        return self.form.title

    @property
    def number(self) -> str:
        return self.form.number


@dataclass
class GridCell:
    text: str
    colspan: int
    rowspan: int
    header: bool
    mark: Mark


@dataclass
class FreeTable:
    anchor: str
    title: str
    caption: str | None
    unit: str | None
    grid: list[list[GridCell]]
    note: str | None
    statement: str | None
    mark: Mark
    number: str | None = None


# ---- documents ----


@dataclass
class Section:
    title: str
    anchor: str
    body: str | None
    table: FormTable | FreeTable | None
    sections: list[Section]
    mark: Mark


@dataclass
class TermUse:
    term: str
    definition: str  # resolved: the document's own or the site glossary's
    own: bool  # the document defines it itself
    mark: Mark


@dataclass
class Attachment:
    slug: str
    title: str
    sections: list[Section]
    mark: Mark
    body: str | None = None


@dataclass
class Part:
    slug: str
    title: str
    body: str | None
    sections: list[Section]
    glossary: list[TermUse]
    attachments: list[Attachment]
    mark: Mark


@dataclass
class Document:
    slug: str
    bureau: Bureau
    year: int
    kind: str
    title: str
    unit: str
    form_set: FormSet | None
    published: object | None
    parts: list[Part]
    path: str
    published_as_is: bool = False  # the original really prints figures that do not add up
    as_is_note: str | None = None

    @property
    def kind_name(self) -> str:
        return KIND_NAMES[self.kind]

    def tables(self):
        def walk(sections):
            for section in sections:
                if section.table is not None:
                    yield section, section.table
                yield from walk(section.sections)

        for part in self.parts:
            yield from walk(part.sections)
            for attachment in part.attachments:
                yield from walk(attachment.sections)


@dataclass
class Bureau:
    slug: str
    name: str
    short_name: str
    region: list[str]
    duties: str | None
    organization: str | None
    units: str | None
    path: str
    documents: list[Document] = field(default_factory=list)


@dataclass
class Term:
    term: str
    definition: str
    aliases: list[str]
    mark: Mark


@dataclass
class Site:
    bureaus: list[Bureau]
    glossary: dict[str, Term]
    form_sets: dict[str, FormSet]

    @property
    def documents(self) -> list[Document]:
        return [d for b in self.bureaus for d in b.documents]
