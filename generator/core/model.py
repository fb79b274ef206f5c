"""The data model: what a bureau, a document, a form and a table are once loaded and checked."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .problems import Mark

KINDS = ("预算", "决算", "绩效")
KIND_NAMES = {"预算": "部门预算", "决算": "部门决算", "绩效": "绩效评价"}
COLUMN_TYPES = ("item", "line", "code", "name", "amount", "percent", "text")


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


@dataclass(frozen=True, eq=False)  # one object per declared panel, shared by every document of its form set
class Panel:
    key: str
    columns: list[Column]
    rows: list[FixedRow] | None  # None: the document supplies the rows
    mark: Mark
    # Derived from the columns when the panel is made (frozen: a loaded form does not change), for
    # what every check of every row asks.
    amount_columns: list[Column] = field(init=False, repr=False)
    column_keys: frozenset[str] = field(init=False, repr=False)
    code_keys: tuple[str, ...] = field(init=False, repr=False)  # the 科目编码 columns, in order
    name_keys: tuple[str, ...] = field(init=False, repr=False)  # the name columns (科目名称, 项目), in order
    # For each amount column: is it the one a row's name stands for (the first; compared by value)
    first_amount: tuple[bool, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        amounts = [c for c in self.columns if c.type == "amount"]
        derived = {
            "amount_columns": amounts,
            "column_keys": frozenset(c.key for c in self.columns),
            "code_keys": tuple(c.key for c in self.columns if c.type == "code"),
            "name_keys": tuple(c.key for c in self.columns if c.type in ("name", "item")),
            "first_amount": tuple(column == amounts[0] for column in amounts),
        }
        for name, value in derived.items():
            object.__setattr__(self, name, value)

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)

    def fixed_row(self, key: str) -> FixedRow | None:
        return next((r for r in self.rows or [] if r.key == key), None)


@dataclass
class FooterCell:
    label: str | None
    key: str | None
    colspan: int
    mark: Mark


@dataclass(eq=False)  # hashed by identity: one object per declared form, shared by its documents
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


# ---- the words the checks of a document's text read (`wording:` of a form set adds to them) ----


@dataclass(frozen=True)
class Wording:
    """Words of a 预算/决算's prose and what they mean to the checks (check/text_quality.py,
    check/budget_actual.py, check/statements.py, the reasons of check/changes.py). A form set's
    `wording:` adds a province's words to each list; none is known by a check's code."""

    # Left by a template or a clerk: the text is not finished where one stands.
    placeholders: tuple[str, ...] = ("XX", "xxx", "××", "待填写", "待补充", "{单位}", "（略）")
    # What says why a figure changed or differs from its budget (主要原因是…).
    reasons: tuple[str, ...] = ("原因", "由于", "因为", "主要是", "因素")
    # 决算 against 预算: words saying it is above, below or equal to it.
    above: tuple[str, ...] = ("大于", "高于", "超过", "超出", "多于")
    below: tuple[str, ...] = ("小于", "低于", "少于")
    equal: tuple[str, ...] = ("一致", "持平", "相等", "相同")
    # The 决算 as a share of its 预算: 完成年初预算的 N%; 超出 is the part above it (决算 − 预算).
    share_of_budget: tuple[str, ...] = ("完成", "为", "占", "达到")
    excess_of_budget: tuple[str, ...] = ("超出", "超过", "超支")
    # The direction of a change (比上年增加, 较2019年下降): two figures' changes stated together
    # (收入支出均增加, `income_and_spending`) must each go that way; a figure of 0 cannot have increased.
    increase: tuple[str, ...] = ("增加", "增长", "上升", "提高")
    decrease: tuple[str, ...] = ("减少", "下降", "降低")
    income: tuple[str, ...] = ("收入",)
    spending: tuple[str, ...] = ("支出",)
    income_and_spending: tuple[str, ...] = ("收入支出", "收入和支出", "收入与支出", "收入、支出", "收支")
    # What a 科目 is for (住房公积金…主要用于…): another 科目 named after it is a use copied wrongly.
    purpose: tuple[str, ...] = ("用于",)
    # One character twice is most often a slip of the keyboard: only these (常常, 人人 are words).
    doubled_characters: tuple[str, ...] = ("的的", "和和", "是是", "在在", "及及", "与与", "对对", "将将")
    doubled_punctuation: tuple[str, ...] = (
        "。。",
        "，，",
        "；；",
        "、、",
        "：：",
        "；。",
        "，。",
        "。，",
        "、。",
        "，；",
    )
    # Half-width punctuation a Chinese sentence should not hold between two characters (，for ,), and
    # pairs of brackets of which one half-width and one full-width stand together: 混用标点.
    halfwidth_punctuation: tuple[str, ...] = (",", ";", "?", "!")
    mixed_brackets: tuple[str, ...] = ("（)", "(）")
    # Characters that are no part of a place's name (完成区医保局 is 完成 + 区医保局), for the rule
    # of the bureau's name written after another place (check/text_quality.py).
    not_in_place_names: tuple[str, ...] = tuple(
        "的由为成过称度在对向和与及是年月日了将经以从至等各全本我该交请完通都于被"
    )
    # 机关运行经费: a figure prose states and a table may print, under one of these labels.
    running_costs: tuple[str, ...] = ("机关运行经费",)
    # 政府采购: the total and its parts (货物 + 工程 + 服务), what of it went to 中小企业 (≤ the total)
    # and to 小微企业 (≤ 中小企业). A paragraph is read when it holds a procurement word.
    procurement: tuple[str, ...] = ("政府采购",)
    procurement_total: tuple[str, ...] = ("总额", "合计", "总计")
    procurement_parts: tuple[str, ...] = ("货物", "工程", "服务")
    procurement_sme: tuple[str, ...] = ("中小企业",)
    procurement_small: tuple[str, ...] = ("小微企业",)
    # 绩效: a paragraph holding a word of `performance` may state the funds its 绩效目标 or 自评 of
    # projects covers (涉及…万元, in a clause naming 项目 or 专项): at most the tables' 项目支出.
    performance: tuple[str, ...] = ("绩效",)
    performance_funds: tuple[str, ...] = ("涉及",)
    performance_projects: tuple[str, ...] = ("项目", "专项")
    project_spending: tuple[str, ...] = ("项目支出",)


DEFAULT_WORDING = Wording()
WORDING_LISTS = tuple(Wording.__dataclass_fields__)


@dataclass(frozen=True)
class Topic:
    """A subject a form set requires its documents to explain (`topics:`), found by its words."""

    name: str
    words: tuple[str, ...]
    mark: Mark
    # What its explanation must name (三公: 因公出国, 公务用车, 公务接待), each somewhere in the text
    # of the sections and parts that speak of the subject.
    elements: tuple[str, ...] = ()
    # Whether it is also to be printed as a table (绩效目标表): one whose title, section title or
    # form name holds one of its words.
    table: bool = False


@dataclass
class FormSet:
    id: str
    name: str
    forms: dict[str, Form]
    path: str
    rules: list = field(default_factory=list)  # of rules.Rule, across the forms
    # What a 预算 and a 决算 of other form sets can be compared on: name → (form number, column key)
    # of a table by 科目编码, e.g. 一般公共预算财政拨款支出 → (公开05表, 合计).
    measures: dict[str, tuple[str, str]] = field(default_factory=dict)
    # The standard 目录 a new document starts from (`python -m generator new`): parts of sections
    # with a title and optionally the form they print, as declared (schema.OUTLINE_PART).
    outline: list = field(default_factory=list)
    # The charts of a document's overview page (`charts:` in data/forms/*.yaml, see render/charts.py).
    charts: list[ChartSpec] = field(default_factory=list)
    # The kinds of document (预算, 决算) the form set serves, as it declares them (`kinds:`).
    kinds: tuple[str, ...] = KINDS
    # The figures a document's overview opens with (`headline:` in data/forms/*.yaml, see render/headline.py).
    headline: list[HeadlineSpec] = field(default_factory=list)
    # The 绩效 forms (申报表, 自评表, 评分表) by the name a table's `form:` writes (`indicator_forms:`).
    indicator_forms: dict[str, IndicatorForm] = field(default_factory=dict)
    # The words its documents' prose is read with (`wording:`): DEFAULT_WORDING and what it adds.
    wording: Wording = DEFAULT_WORDING
    # Days a document may be published after its 批复 (预算法 and 财预〔2016〕143号 say 20); None:
    # the rule's own default (check/timeliness.py), so that a province with another term says so here.
    publish_within: int | None = None
    # What every document of the set must explain somewhere (`topics:`): a name and the words that
    # say a section or paragraph is about it (机关运行经费, 政府采购, 国有资产占用), however the
    # document titles or numbers it.
    topics: tuple[Topic, ...] = ()
    # How many decimals a percentage in prose may have (`percent_places:`, 2 in the 财政部 rules);
    # None: not checked (check/text_quality.py).
    percent_places: int | None = None


@dataclass
class ChartSpec:
    """One chart as a form set declares it: its parts are cells of the document's tables.

    `rows` names a panel of fixed rows: its top-level rows before its first total are the parts
    and that total is the whole. Otherwise `cells` are the parts (label → cell) and `total` the whole.
    """

    title: str
    parts: list  # of (label, rules.CellRef)
    total: object | None  # rules.CellRef, or None: the parts' sum
    trend: str | None  # the name of the total in the bureau page's trend of main totals
    mark: object


@dataclass
class HeadlineSpec:
    """A figure a document's overview opens with, as a form set declares it: a cell of the
    document's tables, optionally the cell of the same table that prints its 预算数, and the
    figures it is made of (listed below it as a small table)."""

    label: str  # also what finds the same figure in the prior year's document
    cell: object  # rules.CellRef
    budget: object | None  # rules.CellRef, or None
    items: list[HeadlineSpec]
    mark: object


# ---- 绩效 forms (申报表, 自评表, 评分表), as a form set declares them ----

# Where a form prints its 分值 and 得分: on each indicator, or once per 二级 or 一级 指标 (a cell
# merged over the group's rows, as 产出指标（50 分）prints it).
SCORE_LEVELS = ("leaf", "level2", "level1")
# The named checks a 绩效 form may declare (`rules:`); check/indicators.py runs each.
INDICATOR_RULES = (
    "得分不超过分值",
    "分组合计",
    "权重",
    "总分",
    "等级",
    "执行率",
    "目标完成",
    "完成率",
    "预算执行得分",
    "资金合计",
)
# The blocks of a 绩效 table in the order a form prints them unless it declares another.
DEFAULT_BLOCKS = ("facts", "funds", "money", "goals", "indicators")
# How a form may compute 执行率 from its funds' A (全年预算数), B (全年执行数) and C (上级移动支付).
RATE_FORMULAS = ("(B-C)/A", "B/A")
# What a 预算执行 得分 (分值 × 执行率) is when the 执行率 is above 100 %: the full 分值 (cap), or 0
# (zero: some forms give nothing for spending more than the budget).
ABOVE_FULL = ("cap", "zero")


@dataclass(frozen=True)
class GradeBand:
    """A grade and the lowest 总分 that earns it (含): 优 ≥ 90, 良 ≥ 80 …"""

    grade: str
    low: Decimal


# 财预〔2020〕10号: 90（含）–100 优, 80（含）–90 良, 60（含）–80 中, below 60 差; a form may declare others.
DEFAULT_GRADES = (
    GradeBand("优", Decimal(90)),
    GradeBand("良", Decimal(80)),
    GradeBand("中", Decimal(60)),
    GradeBand("差", Decimal(0)),
)


def grade_of(score: Decimal, bands) -> str | None:
    """The grade *score* earns by *bands* (highest first), or None below the lowest."""
    return next((band.grade for band in bands if score >= band.low), None)


# What a figure stated in a 绩效 report's prose is compared with (`prose:` of an indicator form):
# total the table's 总分 (N 分), grade its 等级, rate the funds' 执行率 (N%), indicator the 完成值 of
# the indicators whose name holds `indicator` (N%), funds the funds' amounts in `columns` (N 万元).
PROSE_FIGURES = ("total", "grade", "rate", "indicator", "funds")


@dataclass(frozen=True)
class ProseFigure:
    """Words a report's prose names a figure of its table by, and which figure: 自评得分 → total."""

    words: tuple[str, ...]
    figure: str  # one of PROSE_FIGURES
    indicator: str | None = None  # figure indicator: what the indicator's name holds (default: the word)
    columns: tuple[str, ...] = ()  # figure funds: the FundsRow amounts it may be (budget, executed …)
    mark: Mark | None = None


# The words every 绩效 report is read with (a form's `prose:` adds to them, and may give a word
# another meaning): the ones 财预〔2020〕10号's reports and the provinces' use.
DEFAULT_PROSE = (
    ProseFigure(("自评得分", "自评分", "综合评分", "评价得分", "总得分", "自评总分"), "total"),
    ProseFigure(("等级", "自评等级", "评价等级", "自评结论", "评价结论", "综合评定"), "grade"),
    ProseFigure(("预算执行率", "资金执行率"), "rate"),
    ProseFigure(("到位率",), "indicator", "到位率"),
    ProseFigure(("满意度", "满意率"), "indicator", "满意"),
    ProseFigure(("年初预算数",), "funds", columns=("initial",)),
    ProseFigure(("预算数", "全年预算数"), "funds", columns=("initial", "budget")),
    ProseFigure(("执行数", "全年执行数"), "funds", columns=("executed",)),
    ProseFigure(("到位资金", "财政补助资金"), "funds", columns=("budget", "executed")),
)


@dataclass(frozen=True)
class FactSpec:
    """A line of a 绩效 form's header (基本情况) as printed: its label and what it holds. `role`
    says what the checks read it as: text, date (填报日期), total (the header's 总分), grade (等级)
    or choice (项目类别 □/☑: one of `choices` is ticked)."""

    label: str
    role: str
    choices: tuple[str, ...]
    mark: Mark


@dataclass(frozen=True)
class IndicatorRule:
    check: str  # one of INDICATOR_RULES
    says: str | None
    tolerance: Decimal | None
    mark: Mark


@dataclass(frozen=True)
class FundsScoring:
    """How a form scores 预算执行: 得分 = 分值 × 执行率, at most the 分值; *rounding* the precision
    the form prints it to (None: as printed); *above_full* what an 执行率 above 100 % earns, and
    whether the form says so (*declared*: an undeclared default is only assumed)."""

    rounding: Decimal | None = None
    above_full: str = "cap"  # one of ABOVE_FULL
    declared: bool = False


@dataclass(eq=False)  # one object per declared form, shared by its tables
class IndicatorForm:
    """A 绩效 form (申报表 / 自评表 / 评分表) as a form set declares it: what it prints, under which
    labels and in which order, where its scores are given, its weights, grades and checks."""

    name: str  # what a table's `form:` writes
    form_set: str  # the form set's id (its file name)
    title: str
    stage: str  # 申报 | 自评
    facts: list[FactSpec]
    funds_columns: list[tuple[str, str]]  # (FundsRow field, printed label), left to right
    rate: str | None  # one of RATE_FORMULAS
    columns: list[tuple[str, str]]  # the indicator rows' (field, printed label)
    scores_at: tuple[str, ...]  # of SCORE_LEVELS: where 分值/得分 are printed (a subtotal level and leaves, say)
    weights: dict[str, Decimal]  # 一级指标 → its 分值, as the form states them
    funds_weight: Decimal | None  # the 分值 of the funds' 年度资金总额 (预算执行率)
    total_label: str
    full_marks: Decimal | None
    grades: tuple[GradeBand, ...]
    blocks: tuple[str, ...]  # the order of the printed blocks
    rules: list[IndicatorRule]
    mark: Mark
    # The words of its reports' prose that name its figures: DEFAULT_PROSE and what the form adds.
    prose: tuple[ProseFigure, ...] = DEFAULT_PROSE
    # It scores a department's whole spending (部门整体): prose outside every report of the
    # document that holds it (its general parts) is read against it.
    whole: bool = False
    # The funds row that is the whole (年度资金总额) and the lists of rows that each add up to it
    # (其中 当年财政拨款 + 上年结转资金 + 其他资金; 基本支出 + 项目支出), by their printed 资金来源.
    funds_total: str | None = None
    funds_parts: tuple[tuple[str, ...], ...] = ()
    funds_scoring: FundsScoring = field(default_factory=FundsScoring)

    def fact(self, label: str) -> FactSpec | None:
        return next((f for f in self.facts if f.label == label), None)

    @property
    def merged_level(self) -> int | None:
        """The level (1: 一级) of the group whose 分值/得分 cells are merged over its rows: the
        deepest level that prints them, when its indicators print none; None when they do."""
        if "leaf" in self.scores_at:
            return None
        return max(int(level[-1]) for level in self.scores_at)


# ---- tables in documents ----
# Tables, documents and bureaus compare and hash by identity (eq=False): each is one place in data/,
# and the build keys what it works out for one (its results, its download files) by the object.


@dataclass(slots=True)  # one per cell, 33,000 per 100 documents: slots make them smaller and quicker
class Value:
    """One cell as typed: an exact amount, or text (codes, names)."""

    amount: Decimal | None
    text: str | None
    mark: Mark


@dataclass(slots=True)
class Unreadable(Value):
    """A cell whose original prints something that cannot be read as a figure (two figures run
    together, a smudge): what it prints is kept as `text`, it has no `amount`, and a rule that needs
    it cannot be checked. *note*: what the transcriber says of it."""

    note: str | None = None


@dataclass
class DataRow:
    cells: dict[str, Value]
    mark: Mark


@dataclass(frozen=True, eq=False)
class PanelData:
    """A panel of one document's table: its fixed rows' cells and its free rows, as bound."""

    panel: Panel
    fixed: dict[str, dict[str, Value]]  # fixed row key → column key → value
    rows: list[DataRow]  # free rows, in printed order
    # Each free row with its (科目编码, name), and the rows by the label a rule names them with (the
    # code, or the name of a row without one; the first row wins). Worked out when the table is
    # bound, since every rule over the table asks for them.
    labelled: list[tuple[tuple[str | None, str | None], DataRow]] = field(init=False, repr=False)
    by_label: dict[str, DataRow] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        labelled = [(self.row_label(row.cells), row) for row in self.rows]
        by_label: dict[str, DataRow] = {}
        for (code, name), row in labelled:
            label = code if code is not None else name
            if label is not None:
                by_label.setdefault(label, row)
        object.__setattr__(self, "labelled", labelled)
        object.__setattr__(self, "by_label", by_label)

    def row_label(self, cells: dict[str, Value]) -> tuple[str | None, str | None]:
        """(科目编码, name) of a row: the first code column and the first name column it fills."""
        code = name = None
        for key in self.panel.code_keys:
            if key in cells:
                code = cells[key].text
                break
        for key in self.panel.name_keys:
            if key in cells:
                name = cells[key].text
                break
        return code, name


@dataclass(eq=False)
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
    # The original prints `text` where a figure should be, and it cannot be read as one (see
    # Unreadable); *note*: what the transcriber says of it.
    unreadable: bool = False
    note: str | None = None


@dataclass(eq=False)
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


# ---- performance indicator tables (绩效目标申报表, 绩效自评表) ----

STAGES = ("申报", "自评")  # targets before the year | targets, results and scores after it


@dataclass
class Target:
    """目标值 as printed, and what it means when it can be read: a comparator and a number."""

    text: str
    comparator: str | None  # ≥ ≤ > < = ± 区间, or None when the target is words
    low: Decimal | None
    high: Decimal | None  # the upper end of a 区间
    unit: str


@dataclass
class Indicator:
    """A leaf of the indicator tree (a 三级指标, or the row of a 评分表)."""

    name: str | None
    content: str | None
    target: Target | None
    actual: str | None
    standard: str | None
    score: Decimal | None  # 分值
    scored: Decimal | None  # 得分
    reason: str | None
    measure: str | None
    mark: Mark
    completion: str | None = None  # 完成率, as printed (a column some forms print)


@dataclass(eq=False)
class IndicatorGroup:
    """一级 or 二级 指标: a name shared by the rows below it, printed once as a merged cell."""

    name: str | None
    children: list  # of IndicatorGroup | Indicator
    mark: Mark
    # 分值 and 得分 printed once for the whole group (a merged cell), when its form gives them so
    score: Decimal | None = None
    scored: Decimal | None = None

    def leaves(self) -> list[Indicator]:
        out = []
        for child in self.children:
            out += child.leaves() if isinstance(child, IndicatorGroup) else [child]
        return out


@dataclass
class IndicatorSet:
    label: str  # 年度绩效指标, 长期绩效指标 …
    goal: str | None  # the 目标 these indicators measure, when printed with them
    groups: list[IndicatorGroup]
    mark: Mark

    def leaves(self) -> list[Indicator]:
        return [leaf for group in self.groups for leaf in group.leaves()]


@dataclass
class FundsRow:
    """A row of 资金情况: A, B, C and the stated 执行率 (B−C)/A with its 分值 and 得分."""

    source: str
    budget: Decimal | None  # 全年预算数 A
    executed: Decimal | None  # 全年执行数 B
    transfer: Decimal | None  # 上级移动支付 C
    score: Decimal | None
    rate: Decimal | None  # in per cent, as printed
    scored: Decimal | None
    mark: Mark
    initial: Decimal | None = None  # 年初预算数, printed by the national 项目支出绩效自评表


# The 资金情况 columns of a table on no form: (FundsRow field, printed label).
DEFAULT_FUNDS_COLUMNS = (
    ("source", "资金来源"),
    ("budget", "全年预算数（A）"),
    ("executed", "全年执行数（B）"),
    ("transfer", "上级移动支付（C）"),
    ("score", "分值"),
    ("rate", "执行率（(B−C)/A）"),
    ("scored", "得分"),
)
FUNDS_FIELDS = ("source", "initial", "budget", "executed", "transfer", "score", "rate", "scored")


@dataclass
class MoneyColumn:
    label: str
    type: str  # amount | percent | text


@dataclass
class MoneyRow:
    label: str
    cells: dict[str, Value]  # column label → value
    total: bool
    mark: Mark


@dataclass
class MoneyBlock:
    """A small block of amounts inside a 申报表 (资金来源, 支出明细, 收入构成): its 合计 is checked."""

    title: str
    columns: list[MoneyColumn]
    rows: list[MoneyRow]
    mark: Mark
    head: str = "项目"  # the printed heading of the label column


@dataclass(eq=False)
class AmountTable:
    """A one-off table of amounts (no form): typed columns, and 合计 rows that are checked."""

    anchor: str
    title: str
    caption: str | None
    unit: str | None
    block: MoneyBlock
    note: str | None
    statement: str | None
    mark: Mark
    number: str | None = None
    # The generated 汇总 of the document's reports that this printed table is checked against
    # (`summary_of:`): each 汇总 column (SUMMARY_COLUMNS) → the label of the column printing it.
    summary_of: dict[str, str] | None = None
    summary_mark: Mark | None = None


@dataclass(eq=False)
class IndicatorTable:
    anchor: str
    title: str
    caption: str | None
    unit: str | None
    stage: str
    facts: list[tuple[str, str]]  # 项目名称, 主管部门, 填报日期 … as printed
    funds: list[FundsRow]
    money: list[MoneyBlock]
    goals: list[tuple[str, str]]  # 年初设定目标 / 目标完成情况, 长期目标 / 年度目标 …
    columns: list[tuple[str, str]]  # (field key, printed label) of the indicator rows
    sets: list[IndicatorSet]
    total_score: Decimal | None
    total_scored: Decimal | None
    note: str | None
    mark: Mark
    number: str | None = None
    total_label: str = "总分"
    form: IndicatorForm | None = None  # the declared form it is printed on, if it names one
    funds_columns: tuple[tuple[str, str], ...] = DEFAULT_FUNDS_COLUMNS
    # What the table states besides its total row: the header's 总分 and the 等级 (in the total row
    # or the header), each with where it is written.
    header_total: tuple[Decimal, Mark] | None = None
    grade: tuple[str, Mark] | None = None
    total_mark: Mark | None = None  # where the total row is written (its checks are reported there)
    filled: tuple[str, Mark] | None = None  # the header's date (a fact of role date, 填报日期) as written

    def leaves(self) -> list[Indicator]:
        return [leaf for s in self.sets for leaf in s.leaves()]

    def groups(self) -> list[IndicatorGroup]:
        """Every group of every set, outer ones first."""
        out: list[IndicatorGroup] = []

        def walk(group):
            out.append(group)
            for child in group.children:
                if isinstance(child, IndicatorGroup):
                    walk(child)

        for s in self.sets:
            for group in s.groups:
                walk(group)
        return out


# ---- documents ----


@dataclass
class Section:
    title: str
    anchor: str
    body: str | None
    table: FormTable | FreeTable | AmountTable | IndicatorTable | None
    sections: list[Section]
    mark: Mark
    # The table a part holds directly (`table:` on the part, as a printed 汇总表 is a part of its own):
    # it is printed under the part's heading with none of its own, so that its title is said once.
    # Every stage that walks a part's sections finds it among them, its downloads, checks and search
    # included.
    bare: bool = False


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


@dataclass(frozen=True)
class AsIs:
    """An error the original prints, accepted for publication as printed (`published_as_is:`): the
    rule as the check states it, and the difference it finds (printed figure − what adds up)."""

    rule: str
    difference: Decimal
    mark: Mark


@dataclass(frozen=True)
class Omission:
    """A table the form set's 目录 requires that the original did not publish (`omitted:`), with
    the reason the original gives: the completeness check names it instead of reporting it missing."""

    form: str
    why: str
    mark: Mark


@dataclass(eq=False)
class Document:
    slug: str
    bureau: Bureau
    year: int
    kind: str
    title: str
    unit: str
    form_set: FormSet | None
    published: date | None  # 公开日期, when the original states it
    parts: list[Part]
    path: str
    # The errors the original really prints, each published as printed; any other error stops it.
    as_is: list[AsIs] = field(default_factory=list)
    as_is_note: str | None = None
    # Its top-level headline figures as (label, amount, unit), kept in a bureau's outline
    # (render/pages.outline), which drops the tables the figures are read from; None: read them.
    headline_figures: tuple[tuple[str, Decimal, str], ...] | None = None
    # Where the original is, as far as data/ names it (the page and the datapackage say so): the
    # date it was approved (批复日期, never after 公开日期: kept a date, for checks of the delay
    # between the two), who issued it, its address on the web, and how it was transcribed.
    approved: date | None = None
    issuer: str | None = None
    original_url: str | None = None
    source_note: str | None = None
    omitted: tuple[Omission, ...] = ()
    # Where the document names its form set: a table its 目录 requires and the document lacks is
    # reported there (the form set is what requires it).
    form_set_mark: Mark | None = None
    title_mark: Mark | None = None  # where its title is: a year in it is checked there
    # Where `published:` is written: a late publication is reported there.
    published_mark: Mark | None = None

    @property
    def published_as_is(self) -> bool:
        """Whether the document accepts errors of its original (its pages say so)."""
        return bool(self.as_is)

    @property
    def kind_name(self) -> str:
        return KIND_NAMES[self.kind]

    def sections(self):
        """Every section of every part and attachment, in document order, nested ones included."""

        def walk(sections):
            for section in sections:
                yield section
                yield from walk(section.sections)

        for part in self.parts:
            yield from walk(part.sections)
            for attachment in part.attachments:
                yield from walk(attachment.sections)

    def tables(self):
        return ((section, section.table) for section in self.sections() if section.table is not None)


@dataclass(eq=False)
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


@dataclass(frozen=True)
class SiteInfo:
    """Whose site it is (data/site.yaml), as Chinese government sites must say at the foot of every
    page and on 关于: each item only as given, so that a site that names none says nothing false."""

    name: str | None = None  # 网站名称, the site's title in every page's header
    publisher: str | None = None  # 主办单位
    contact: str | None = None  # 联系方式
    site_code: str | None = None  # 网站标识码
    icp: str | None = None  # ICP备案号
    public_security: str | None = None  # 公安机关备案号 (…公网安备 …号)
    license_name: str | None = None  # the licence the data is published under, and its text
    license_url: str | None = None
    # From when a commit that changes a document is a correction (更正记录): the commits before it
    # transcribed the original, which the site must not list as corrections of it.
    corrections_since: date | None = None


@dataclass
class Site:
    bureaus: list[Bureau]
    glossary: dict[str, Term]
    form_sets: dict[str, FormSet]
    info: SiteInfo = field(default_factory=SiteInfo)

    @property
    def documents(self) -> list[Document]:
        return [d for b in self.bureaus for d in b.documents]
