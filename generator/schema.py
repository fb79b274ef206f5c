"""What each kind of file in data/ may contain, declared once as typed fields."""

from __future__ import annotations

from types import SimpleNamespace

from .fields import (
    Amount,
    Choice,
    Date,
    Either,
    Field,
    Flag,
    Integer,
    Invalid,
    ListOf,
    Markdown,
    Percent,
    Raw,
    Record,
    Score,
    Slug,
    Text,
)
from .model import COLUMN_TYPES, KINDS, STAGES
from .yamlsource import Mapping, Scalar, describe


def record(what: str, partial: bool = False, **fields: Field) -> Record:
    return Record(fields, SimpleNamespace, what, partial=partial)


def optional(field: Field, default=None) -> Field:
    field.required = False
    field.default = default
    return field


# ---- data/glossary.yaml ----

TERM = record(
    "a glossary term",
    term=Text(doc="术语"),
    definition=Markdown(doc="解释"),
    aliases=optional(ListOf(Text()), []),
)
GLOSSARY_FILE = record("the glossary file", terms=ListOf(TERM, allow_empty=False))

# ---- data/forms/*.yaml ----

COLUMN = record(
    "a column",
    label=Text(),
    key=optional(Text()),
    type=optional(Choice(COLUMN_TYPES)),
    no=optional(Text()),
    columns=optional(ListOf(Raw()), None),
)
COLUMN.fields["columns"] = optional(ListOf(COLUMN), None)  # a group holds columns or groups
FIXED_ROW = record(
    "a row of the form",
    key=optional(Text()),
    label=optional(Text()),
    line=optional(Integer(low=1, high=999)),
    indent=optional(Integer(low=0, high=5), 0),
    total=optional(Flag(), False),
)
PANEL = record(
    "a panel",
    key=Text(),
    width=Integer(low=1, high=60),
    rows=optional(ListOf(FIXED_ROW), None),
)
FOOTER_CELL = record(
    "a footer cell",
    label=optional(Text()),
    key=optional(Text()),
    colspan=optional(Integer(low=1, high=60), 1),
)
RULE = record(
    "a rule",
    columns=optional(Text()),
    tree=optional(Text()),
    cells=optional(Text()),
    classes=optional(Text()),
    codes=optional(Text()),
    tolerance=optional(Score()),
    says=optional(Text()),
)
FORM = record(
    "a form",
    number=Text(),
    slug=Slug(),
    title=Text(),
    unit=optional(Text(), "万元"),
    note=optional(Text()),
    columns=ListOf(COLUMN, allow_empty=False),
    panels=optional(ListOf(PANEL), []),
    footer=optional(ListOf(FOOTER_CELL), []),
    rules=optional(ListOf(RULE), []),
)
FORM_SET_FILE = record(
    "a form set",
    name=Text(),
    forms=ListOf(FORM, allow_empty=False),
    rules=optional(ListOf(RULE), []),
    measures=optional(Raw()),  # name → '表号:column', for comparing documents of other form sets
)

# ---- data/<bureau>/bureau.yaml ----

BUREAU_FILE = record(
    "a bureau file",
    name=Text(),
    short_name=Text(),
    region=Text(pattern=r"[^/\s]+(/[^/\s]+){0,3}", hint="is not a region path such as 湖南省/长沙市/望城区"),
    duties=optional(Markdown()),
    organization=optional(Markdown()),
    units=optional(Markdown()),
)

# ---- data/<bureau>/<year>/<document>.yaml ----


class GridCellField(Field):
    """A free-table cell: a value as printed, or a mapping with text and spans."""

    MAPPING = record(
        "a table cell",
        text=optional(Markdown(), ""),
        colspan=optional(Integer(low=1, high=60), 1),
        rowspan=optional(Integer(low=1, high=500), 1),
        header=optional(Flag(), False),
    )

    def convert(self, node, ctx):
        if isinstance(node, Mapping):
            return self.MAPPING.convert(node, ctx)
        if not isinstance(node, Scalar):
            raise Invalid(node, f"expected a table cell, found {describe(node)}")
        text = "" if node.is_null else node.text
        return SimpleNamespace(text=text, colspan=1, rowspan=1, header=False, mark=node.mark)


FORM_TABLE = record(
    "a table",
    form=Text(),
    id=optional(Slug()),
    values=optional(Raw()),
    rows=optional(Raw()),
    totals=optional(Raw()),
    note=optional(Markdown()),
    statement=optional(Markdown()),
)
FREE_TABLE = record(
    "a free table",
    id=Slug(),
    title=Text(),
    caption=optional(Text()),
    unit=optional(Text()),
    grid=ListOf(ListOf(GridCellField(), allow_empty=False), allow_empty=False),
    note=optional(Markdown()),
    statement=optional(Markdown()),
)
# A performance table (绩效目标申报表 / 绩效自评表): facts, 资金情况, goals and the indicator tree.

INDICATOR = record(
    "an indicator",
    name=optional(Text(doc="三级指标（或申报表的指标内容）")),
    content=optional(Markdown(doc="目标内容")),
    target=optional(Text(doc="目标值 / 指标值, e.g. ≥95%")),
    actual=optional(Text(doc="完成值")),
    standard=optional(Markdown(doc="绩效标准 / 计分标准")),
    score=optional(Score(doc="分值")),
    scored=optional(Score(doc="得分")),
    reason=optional(Markdown(doc="未完成原因")),
    measure=optional(Markdown(doc="改进措施")),
)
INDICATOR_GROUP = record(
    "an indicator group", name=optional(Text(doc="一级/二级指标")), items=ListOf(Raw(), allow_empty=False)
)


class IndicatorNode(Field):
    """A group (it has `items`) or an indicator (a leaf)."""

    def convert(self, node, ctx):
        if isinstance(node, Mapping) and node.get("items") is not None:
            group = INDICATOR_GROUP.convert(node, ctx)
            group.items = [self.convert_child(child, ctx) for child in group.items]
            group.items = [item for item in group.items if item is not None]
            return group
        return INDICATOR.convert(node, ctx)

    def convert_child(self, node, ctx):
        try:
            return self.convert(node, ctx)
        except Invalid as exc:
            ctx.report(exc)
            return None


INDICATOR_SET = record(
    "an indicator set",
    label=Text(doc="年度绩效指标, 长期绩效指标 …"),
    goal=optional(Markdown()),
    indicators=ListOf(IndicatorNode(), allow_empty=False),
)
FUNDS_ROW = record(
    "a row of 资金情况",
    source=Text(doc="资金来源"),
    budget=optional(Amount(doc="全年预算数 A")),
    executed=optional(Amount(doc="全年执行数 B")),
    transfer=optional(Amount(doc="上级移动支付 C")),
    score=optional(Score(doc="分值")),
    rate=optional(Percent(doc="执行率 (B−C)/A")),
    scored=optional(Score(doc="得分")),
)
MONEY_COLUMN = record("a column", label=Text(), type=optional(Choice(("amount", "percent", "text")), "amount"))
MONEY_BLOCK = record(
    "a block of amounts",
    title=Text(),
    columns=ListOf(Either(Text(), MONEY_COLUMN), allow_empty=False),
    rows=ListOf(Raw(), allow_empty=False),
)
SCORE_TOTAL = record("the 总分 row", label=optional(Text(), "总分"), score=optional(Score()), scored=optional(Score()))
INDICATOR_TABLE = record(
    "a performance table",
    id=Slug(),
    title=Text(),
    caption=optional(Text()),
    unit=optional(Text()),
    stage=Choice(STAGES),
    facts=optional(Raw()),
    funds=optional(ListOf(FUNDS_ROW), []),
    money=optional(ListOf(MONEY_BLOCK), []),
    goals=optional(Raw()),
    columns=optional(Raw()),
    indicators_label=optional(Text()),
    indicators=optional(ListOf(IndicatorNode()), None),
    indicator_sets=optional(ListOf(INDICATOR_SET), None),
    total=optional(SCORE_TOTAL),
    note=optional(Markdown()),
)
INDICATOR_TABLE_KEYS = ("stage", "indicators", "indicator_sets")
AMOUNT_TABLE = record(
    "a table of amounts",
    id=Slug(),
    title=Text(),
    caption=optional(Text()),
    unit=optional(Text()),
    head=optional(Text(), "项目"),
    columns=ListOf(Either(Text(), MONEY_COLUMN), allow_empty=False),
    rows=ListOf(Raw(), allow_empty=False),
    note=optional(Markdown()),
    statement=optional(Markdown()),
)

SECTION = record(
    "a section",
    partial=True,
    id=optional(Slug()),
    title=Text(),
    body=optional(Markdown()),
    table=optional(Raw()),
    sections=optional(ListOf(Raw()), []),
)
SECTION.fields["sections"] = optional(ListOf(SECTION), [])  # sections nest
ATTACHMENT = record(
    "an attachment", partial=True, id=Slug(), title=Text(), body=optional(Markdown()), sections=ListOf(SECTION)
)


class TermName(Text):
    """A glossary entry by name only: the definition comes from data/glossary.yaml."""

    def convert(self, node, ctx):
        return SimpleNamespace(term=super().convert(node, ctx), definition=None, mark=node.mark)


OWN_TERM = record("a glossary entry", term=Text(), definition=Markdown())
PART = record(
    "a part",
    partial=True,
    id=optional(Slug()),
    title=Text(),
    body=optional(Markdown()),
    sections=optional(ListOf(SECTION), []),
    glossary=optional(ListOf(Either(TermName(), OWN_TERM)), []),
    attachments=optional(ListOf(ATTACHMENT), []),
)
DOCUMENT_FILE = record(
    "a document",
    partial=True,
    title=Text(),
    kind=Choice(KINDS),
    year=Integer(low=1990, high=2100),
    unit=optional(Text(), "万元"),
    form_set=optional(Slug()),
    published=optional(Date()),
    source=optional(Markdown()),
    published_as_is=optional(Flag(), False),
    as_is_note=optional(Markdown()),
    parts=ListOf(PART, allow_empty=False),
)
