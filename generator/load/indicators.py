"""Load stage, performance tables: a 绩效目标申报表 or 绩效自评表 bound into an IndicatorTable,
and the 绩效 forms a form set declares (`indicator_forms:`) that such a table may be printed on.

The same model serves both: a 申报表 (before the year) prints targets; a 自评表 (after it) adds
完成值, 分值 and 得分. A table on a declared form prints what the form declares (its columns and
labels, its header, its funds' columns, where its scores go) and must fit it; a table on no form
declares its own `columns`, the defaults being the two printed forms'.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from ..core.model import (
    DEFAULT_BLOCKS,
    DEFAULT_FUNDS_COLUMNS,
    DEFAULT_GRADES,
    DEFAULT_PROSE,
    FactSpec,
    FundsRow,
    FundsScoring,
    GradeBand,
    Indicator,
    IndicatorForm,
    IndicatorGroup,
    IndicatorRule,
    IndicatorSet,
    IndicatorTable,
    MoneyBlock,
    MoneyColumn,
    MoneyRow,
    ProseFigure,
    Target,
    Value,
)
from ..source.fields import Amount, Context, Flag, Invalid, Markdown, Percent, Score, Text, label_text
from ..source.yamlsource import Mapping, Node, Scalar, Sequence, describe

LEVELS = ("level1", "level2", "level3")
LEAF_FIELDS = (
    "name",
    "content",
    "target",
    "actual",
    "completion",
    "standard",
    "score",
    "scored",
    "reason",
    "measure",
)
DEFAULT_LABELS = {
    "level1": "一级指标",
    "level2": "二级指标",
    "level3": "三级指标",
    "name": "三级指标",
    "content": "目标内容",
    "target": "目标值",
    "actual": "完成值",
    "completion": "完成率",
    "standard": "绩效标准",
    "score": "分值",
    "scored": "得分",
    "reason": "未完成原因",
    "measure": "改进措施",
}
DEFAULT_COLUMNS = {
    "自评": [("level1", "一级指标"), ("level2", "二级指标"), ("name", "三级指标"), ("target", "目标值"),
             ("actual", "完成值"), ("score", "分值"), ("scored", "得分"), ("reason", "未完成原因"),
             ("measure", "改进措施")],
    "申报": [("level1", "一级指标"), ("level2", "二级指标"), ("name", "指标内容"), ("target", "指标值"),
             ("standard", "绩效标准")],
}  # fmt: skip
DEFAULT_SET_LABEL = {"自评": "绩效指标", "申报": "年度绩效指标"}

# The fields the binder converts with, made once rather than for every cell and row.
_TEXT, _MARKDOWN, _FLAG, _AMOUNT, _PERCENT, _SCORE = Text(), Markdown(), Flag(), Amount(), Percent(), Score()
FUNDS_NAMES = {
    "source": "资金来源",
    "initial": "年初预算数",
    "budget": "全年预算数",
    "executed": "全年执行数",
    "transfer": "上级移动支付",
    "score": "分值",
    "rate": "执行率",
    "scored": "得分",
}
LEVEL_NAMES = {"leaf": "各个指标", "level3": "三级指标", "level2": "二级指标", "level1": "一级指标"}

_COMPARATORS = {">=": "≥", "≧": "≥", "<=": "≤", "≦": "≤", "＝": "=", "＞": ">", "＜": "<", "+-": "±"}
# Comparators printed as words before the number (longest first, so that 不超过 is not read as 超过)
# and after it (80%以上, 5天以内): 以上 and 以内 include the number, as they do in Chinese usage.
_WORDS_BEFORE = {
    "不低于": "≥", "不少于": "≥", "不小于": "≥", "至少": "≥", "达到": "≥", "大于等于": "≥",
    "不高于": "≤", "不超过": "≤", "不多于": "≤", "不大于": "≤", "至多": "≤", "小于等于": "≤",
    "高于": ">", "大于": ">", "超过": ">", "多于": ">", "低于": "<", "小于": "<", "少于": "<", "等于": "=",
}  # fmt: skip
_WORDS_AFTER = {"及以上": "≥", "以上": "≥", "及以下": "≤", "以下": "≤", "以内": "≤"}
_SIGNS = "≥≤><=±"
_NUMBER = r"(-?\d+(?:\.\d+)?)"
_BEFORE = "|".join(sorted(_WORDS_BEFORE, key=len, reverse=True))
_AFTER = "|".join(sorted(_WORDS_AFTER, key=len, reverse=True))
_SINGLE = re.compile(rf"(≥|≤|>|<|=|±|{_BEFORE})?\s*{_NUMBER}\s*(.*?)\s*({_AFTER})?")
_RANGE = re.compile(_NUMBER + r"\s*([^\d\s~～至-]*)\s*(?:-|~|～|至)\s*" + _NUMBER + r"\s*(.*)")
# A unit that is a scale word over another (万人 over 人, 亿元 over 元): the two convert.
_SCALES = {"万": Decimal(10000), "亿": Decimal(100000000), "千": Decimal(1000)}


def _folded(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).strip()
    for written, sign in _COMPARATORS.items():
        folded = folded.replace(written, sign)
    return folded


def _figure(folded: str) -> tuple[str | None, Decimal, str] | None:
    """(comparator or None, number, unit) of a number with a unit and a comparator in signs or
    words on either side; None when anything else is written (words before it, two figures)."""
    match = _SINGLE.fullmatch(folded)
    if not match:
        return None
    before, number, unit, after = match.groups()
    if re.search(r"\d", unit) or any(sign in unit for sign in _SIGNS):
        return None  # '2019年预算安排1200' is words, not a number with a unit
    sign = _WORDS_BEFORE.get(before, before)
    if after is not None:
        trailing = _WORDS_AFTER[after]
        if sign == "±" and trailing == "≤":  # ±20%以内: the 以内 is the ± said again
            trailing = "±"
        if sign is not None and sign != trailing:
            return None  # ≥ … 以内: not read, never guessed at
        sign = trailing
    unit = unit.strip()
    if unit.startswith("%"):  # '100%到位', '100%发放到位': a per cent, what follows it says of what
        unit = "%"
    return sign, Decimal(number), unit


def parse_target(text: str) -> Target:
    """'≥95%' → (≥, 95, '%'); '不低于95%', '95%以上' → the same; '5天以内' → (≤, 5, '天');
    '80%-90%' → a 区间; anything else stays words, never guessed at.

    A number with no comparator ('426000人', '100%') is read as 达到 (≥): a 年度指标值 is what the
    year was to reach, and a reader takes a plain figure so; a target to stay below writes its ≤.
    """
    folded = _folded(text)
    if match := _RANGE.fullmatch(folded):
        low, first_unit, high, unit = match.groups()
        if not first_unit or first_unit == unit:
            return Target(text, "区间", Decimal(low), Decimal(high), unit.strip())
    if figure := _figure(folded):
        sign, number, unit = figure
        return Target(text, sign or "≥", number, None, unit)
    return Target(text, None, None, None, "")


def read_actual(text: str | None) -> tuple[str, Decimal, str] | None:
    """A 完成值 that is a number with a unit: ('=', 42.37, '万人') for '42.37 万人'; a comparator
    when it states only a bound ('>95%' → ('>', 95, '%')); '100%到位' is a per cent. None for anything else ('去年0.8，今年2.2', '发放及时')."""
    if not text:
        return None
    figure = _figure(_folded(text))
    if figure is None:
        return None
    sign, number, unit = figure
    return sign or "=", number, unit


def _scaled(unit: str) -> tuple[Decimal, str]:
    if len(unit) > 0 and unit[0] in _SCALES:
        return _SCALES[unit[0]], unit[1:]
    return Decimal(1), unit


def convert(value: Decimal, unit: str, to: str) -> Decimal | None:
    """*value* in *unit* expressed in *to* (42.37 万人 → 423700 人), or None when the two units
    are not the same measure with a scale word over it (次/周 and 次, 元/人/年 and 元/人)."""
    if unit == to:
        return value
    scale, base = _scaled(unit)
    to_scale, to_base = _scaled(to)
    if base != to_base:
        return None
    return value * scale / to_scale


class IndicatorBinder:
    def __init__(self, ctx: Context):
        self.ctx = ctx

    def error(self, node: Node, message: str) -> None:
        self.ctx.problems.add(node.mark, message)

    def bind(self, raw, form: IndicatorForm | None = None, node: Node | None = None) -> IndicatorTable:
        """*raw* as the record read it; *node*, the table as written, places what is said of its keys."""
        stage = self.stage(raw, form, node.get("stage") if isinstance(node, Mapping) else None)
        if form is not None and raw.columns is not None:
            self.error(raw.columns, f"表样 {form.name} 已定了指标表的列：按表样的表不写 'columns'，请删掉")
        columns = form.columns if form is not None else self.columns(raw.columns, stage)
        levels = [key for key, _ in columns if key in LEVELS]
        sets = []
        if raw.indicators is not None and raw.indicator_sets is not None:
            self.ctx.problems.add(raw.mark, "'indicators' 和 'indicator_sets' 只能写一个：请删掉其中一个")
        if raw.indicators is not None:
            label = raw.indicators_label or DEFAULT_SET_LABEL[stage]
            sets.append(IndicatorSet(label, None, self.groups(raw.indicators, len(levels), form), raw.mark))
        for s in raw.indicator_sets or []:
            sets.append(IndicatorSet(s.label, s.goal, self.groups(s.indicators, len(levels), form), s.mark))
        funds = [
            FundsRow(f.source, f.budget, f.executed, f.transfer, f.score, f.rate, f.scored, f.mark, f.initial)
            for f in raw.funds
        ]
        funds_columns = DEFAULT_FUNDS_COLUMNS
        if form is not None:
            funds_columns = tuple(form.funds_columns)
            self.fit_funds(raw.funds, form)
        facts = self.pairs(raw.facts, "facts", _TEXT)
        header_total = grade = filled = None
        if form is not None:
            facts, header_total, grade, filled = self.fit_facts(raw.facts, facts, form)
        total = raw.total
        if total is not None and total.grade is not None:
            grade = (total.grade, total.mark)
            self.known_grade(total.grade, total.mark, form)
        title = raw.title or (form.title if form is not None else None)
        if title is None:
            self.error(raw, "绩效表缺少 'title'：请照原件写上表的标题")
            title = ""
        return IndicatorTable(
            raw.id,
            title,
            raw.caption,
            raw.unit,
            stage,
            facts,
            funds,
            [self.money_block(b) for b in raw.money],
            self.pairs(raw.goals, "goals", _MARKDOWN),
            columns,
            sets,
            total.score if total else None,
            total.scored if total else None,
            raw.note,
            raw.mark,
            total_label=total.label if total and total.label != "总分" else (form.total_label if form else "总分"),
            form=form,
            funds_columns=funds_columns,
            header_total=header_total,
            grade=grade,
            total_mark=total.mark if total is not None else None,
            filled=filled,
        )

    def stage(self, raw, form: IndicatorForm | None, written: Node | None) -> str:
        if form is None:
            if raw.stage is None:
                self.error(raw, "绩效表要写 'stage'（申报 或 自评），或写 'form' 按表样填写")
                return "自评"
            return raw.stage
        if raw.stage is not None and raw.stage != form.stage:
            self.error(
                written or raw, f"表样 {form.name} 是{form.stage}表，这张表却写了 stage: {raw.stage}：请删掉 stage"
            )
        return form.stage

    def fit_funds(self, rows, form: IndicatorForm) -> None:
        """Each figure of a funds row in a column the form prints."""
        printed = {key for key, _ in form.funds_columns}
        for row in rows:
            for key in ("initial", "budget", "executed", "transfer", "score", "rate", "scored"):
                if getattr(row, key) is not None and key not in printed:
                    where = (
                        f"印的列有 {'、'.join(label for _, label in form.funds_columns)}" if printed else "没有资金情况"
                    )
                    self.error(
                        row,
                        f"表样 {form.name} 的资金情况没有“{FUNDS_NAMES[key]}”（{key}）这一列（{where}）："
                        f"请删掉 {key}，或换用印这一列的表样",
                    )

    def fit_facts(self, node: Node | None, facts: list[tuple[str, str]], form: IndicatorForm):
        """The header in the form's order (a line it prints and the table leaves out is blank), each
        line one the form prints, its 总分, 等级 and ticked box read as what they are."""
        header_total = grade = filled = None
        given = dict(facts)
        keys = {key.text: (key, value) for key, value in node.items} if isinstance(node, Mapping) else {}
        for label, (key, _) in keys.items():
            if form.fact(label) is None:
                labels = "、".join(f.label for f in form.facts) or "（无）"
                self.error(key, f"表样 {form.name} 的表头没有“{label}”：表头印的有 {labels}")
        for spec in form.facts:
            if spec.label not in keys or not given.get(spec.label):
                continue
            _, value = keys[spec.label]
            text = given[spec.label]
            if spec.role == "total":
                try:
                    header_total = (_SCORE.convert(value, self.ctx), value.mark)
                except Invalid as exc:
                    self.ctx.report(exc)
            elif spec.role == "date":
                filled = (text, value.mark)
            elif spec.role == "grade":
                if self.known_grade(text, value.mark, form):
                    grade = (text, value.mark)
            elif spec.role == "choice" and text not in spec.choices:
                self.error(
                    value,
                    f"“{spec.label}”写勾选的一项：{'、'.join(spec.choices)} 之一（原件打 ☑ 的那个），却是 '{text}'",
                )
        ordered = [(spec.label, given.get(spec.label, "")) for spec in form.facts]
        extra = [(label, text) for label, text in facts if form.fact(label) is None]
        return ordered + extra, header_total, grade, filled

    def known_grade(self, grade: str, mark, form: IndicatorForm | None) -> bool:
        bands = form.grades if form is not None else DEFAULT_GRADES
        names = [band.grade for band in bands]
        if grade in names:
            return True
        whose = f"表样 {form.name} 的" if form is not None else ""
        self.ctx.problems.add(mark, f"等级 '{grade}' 不是{whose}等级中的一档：请写 {'、'.join(names)} 之一")
        return False

    def columns(self, node: Node | None, stage: str) -> list[tuple[str, str]]:
        if node is None:
            return DEFAULT_COLUMNS[stage]
        if not isinstance(node, Sequence) or not node.items:
            self.error(node, "'columns' 应写成字段的列表，如 [level1, level2, name, target, score]")
            return DEFAULT_COLUMNS[stage]
        out: list[tuple[str, str]] = []
        for item in node.items:
            if isinstance(item, Scalar) and not item.is_null:
                key, label = item.text.strip(), DEFAULT_LABELS.get(item.text.strip(), "")
            elif isinstance(item, Mapping) and len(item.items) == 1:
                key_node, label_node = item.items[0]
                try:
                    key, label = key_node.text, _TEXT.convert(label_node, self.ctx)
                except Invalid as exc:  # an empty or hidden label: said where it is, the column left out
                    self.ctx.report(exc)
                    continue
            else:
                self.error(item, f"一列写字段名，或写成 {{字段: 印出的列名}}，却是{describe(item)}")
                continue
            if key not in DEFAULT_LABELS:
                self.error(item, f"没有 '{key}' 这一列：可写的有 {'、'.join(DEFAULT_LABELS)}")
                continue
            if key in [k for k, _ in out]:
                self.error(item, f"列 '{key}' 写了两次：删掉一个")
                continue
            out.append((key, label))
        levels = [k for k, _ in out if k in LEVELS]
        if levels != list(LEVELS[: len(levels)]):
            self.error(node, "级别列要按顺序写：先 level1，再 level2，再 level3")
        return out or DEFAULT_COLUMNS[stage]

    def groups(self, raw_nodes, depth: int, form: IndicatorForm | None = None) -> list[IndicatorGroup]:
        """The tree, each leaf under exactly as many groups as the table has level columns."""
        out = []
        for node in raw_nodes:
            built = self.node(node, depth, form, 1)
            if isinstance(built, IndicatorGroup):
                out.append(built)
            elif built is not None:
                self.error(node, f"这个指标上面要有 {depth} 层分组（每层写 name 和 items）：请把它放进对应的分组")
        return out

    def node(self, raw, depth: int, form: IndicatorForm | None, level: int):
        """A group at *level* (1: 一级指标) with *depth* levels below it, or a leaf; its 分值/得分
        only where the form gives them (a merged cell of a 一级 or 二级 指标, or each indicator)."""
        scores_at = form.scores_at if form is not None else ("leaf",)
        here = "leaf" if not hasattr(raw, "items") else f"level{level}"
        if (raw.score is not None or raw.scored is not None) and here not in scores_at:
            whose = f"表样 {form.name}" if form is not None else "不按表样的表"
            where = "和".join(LEVEL_NAMES[at] for at in scores_at)
            self.error(
                raw,
                f"{whose}的分值、得分写在{where}上，不写在{LEVEL_NAMES[here]}上：请移到{where}",
            )
        if hasattr(raw, "items"):
            if depth == 0:
                self.error(raw, "这个分组比表格的级别列多了一层：请去掉一层分组，或在 columns 中加一个级别列")
                return None
            children = [self.node(child, depth - 1, form, level + 1) for child in raw.items]
            if depth > 1 and any(isinstance(c, Indicator) for c in children):
                self.error(raw, f"这个分组的各项还要再分 {depth - 1} 层（每层写 name 和 items）")
            return IndicatorGroup(raw.name, [c for c in children if c is not None], raw.mark, raw.score, raw.scored)
        if form is not None:
            printed = {key for key, _ in form.columns}
            for key in LEAF_FIELDS:
                if getattr(raw, key) is not None and key not in printed:
                    self.error(
                        raw,
                        f"表样 {form.name} 的指标表没有“{DEFAULT_LABELS[key]}”（{key}）这一列：请删掉 {key}，"
                        "或换用印这一列的表样",
                    )
        return Indicator(**leaf_values(raw))

    def pairs(self, node: Node | None, what: str, field) -> list[tuple[str, str]]:
        if node is None:
            return []
        if not isinstance(node, Mapping):
            self.error(node, f"'{what}' 应写成一组“印出的名称: 文字”，却是{describe(node)}")
            return []
        out = []
        for key, child in node.items:
            label = label_text(key, self.ctx)
            if label is None:
                continue
            if isinstance(child, Scalar) and child.is_null:
                out.append((label, ""))  # printed, left blank on the form
                continue
            try:
                out.append((label, field.convert(child, self.ctx)))
            except Invalid as exc:
                self.ctx.report(exc)
        return out

    def money_block(self, raw) -> MoneyBlock:
        columns = [c if hasattr(c, "label") else MoneyColumn(c, "amount") for c in raw.columns]
        columns = [MoneyColumn(c.label, c.type) for c in columns]
        by_label = {c.label: c for c in columns}
        rows = []
        for node in raw.rows:
            if not isinstance(node, Mapping):
                self.error(node, f"这里应写一行，如 {{label: …, {columns[0].label}: …}}，却是{describe(node)}")
                continue
            label, total, cells = None, False, {}
            for key, child in node.items:
                if key.text == "label":
                    label = scalar_or_error(child, self)
                elif key.text == "total":
                    try:
                        total = _FLAG.convert(child, self.ctx)
                    except Invalid as exc:
                        self.ctx.report(exc)
                elif key.text in by_label:
                    if isinstance(child, Scalar) and child.is_null:
                        continue
                    try:
                        cells[key.text] = money_value(by_label[key.text].type, child, self.ctx)
                    except Invalid as exc:
                        self.ctx.report(exc)
                else:
                    choices = "、".join(["label", "total", *by_label])
                    self.error(key, f"'{raw.title}' 的行中没有键 '{key.text}'：可写的键有 {choices}")
            if label is None:
                self.error(node, "这一行缺少 'label'：请照原件写上这一行的名称")
                continue
            rows.append(MoneyRow(label, cells, total, node.mark))
        return MoneyBlock(raw.title, columns, rows, raw.mark)


def scalar_or_error(node: Node, binder: IndicatorBinder) -> str | None:
    try:
        return _TEXT.convert(node, binder.ctx)
    except Invalid as exc:
        binder.ctx.report(exc)
        return None


def money_value(kind: str, node: Node, ctx: Context) -> Value:
    if kind == "amount":
        return Value(_AMOUNT.convert(node, ctx), None, node.mark)
    if kind == "percent":
        return Value(_PERCENT.convert(node, ctx), node.text.strip(), node.mark)
    return Value(None, _TEXT.convert(node, ctx), node.mark)


def leaf_values(raw) -> dict:
    values = {name: getattr(raw, name) for name in LEAF_FIELDS}
    values["target"] = parse_target(raw.target) if raw.target else None
    values["mark"] = raw.mark
    return values


# ---- the 绩效 forms a form set declares ----


def build_indicator_form(raw, form_set: str, ctx: Context) -> IndicatorForm | None:
    """A declared 绩效 form, its mistakes reported where they are written (a key written wrong is
    left out, reported by the record); None without its name, title or stage."""
    binder = IndicatorBinder(ctx)
    if raw.name is None or raw.title is None or raw.stage is None:
        return None
    for key, empty in (("facts", []), ("grades", []), ("blocks", []), ("rules", []), ("scores_at", ["leaf"])):
        if getattr(raw, key) is None:
            setattr(raw, key, empty)
    columns = binder.columns(raw.columns, raw.stage)
    facts = []
    for f in raw.facts:
        if f.role == "choice" and len(f.choices) < 2:
            binder.error(f, f"表头“{f.label}”是勾选项（choice）：choices 写印出的各个勾选项，至少两个")
        elif f.role != "choice" and f.choices:
            binder.error(f, f"表头“{f.label}”写了 choices，却不是勾选项：请加上 role: choice，或删掉 choices")
        if f.label in [s.label for s in facts]:
            binder.error(f, f"表头“{f.label}”写了两次：删掉一个")
            continue
        facts.append(FactSpec(f.label, f.role, tuple(f.choices), f.mark))
    funds_columns: list[tuple[str, str]] = []
    rate = funds_weight = funds_total = None
    funds_parts: tuple[tuple[str, ...], ...] = ()
    scoring = FundsScoring()
    if raw.funds is not None:
        for c in raw.funds.columns:
            if c.key in [key for key, _ in funds_columns]:
                binder.error(c, f"资金情况的列 '{c.key}' 写了两次：删掉一个")
                continue
            funds_columns.append((c.key, c.label))
        rate, funds_weight = raw.funds.rate, raw.funds.score
        keys = [key for key, _ in funds_columns]
        if keys and keys[0] != "source":
            binder.error(raw.funds, "资金情况的第一列应是资金来源（source）")
        needed = {"(B-C)/A": ("budget", "executed", "transfer"), "B/A": ("budget", "executed")}.get(rate or "", ())
        missing = [FUNDS_NAMES[k] for k in needed if k not in keys]
        if missing:
            binder.error(raw.funds, f"执行率按 {rate} 算，资金情况却没有 {'、'.join(missing)} 这一列：请补上")
        funds_total = raw.funds.total
        funds_parts = tuple(tuple(source_name(p) for p in group) for group in raw.funds.parts or [])
        if funds_parts and funds_total is None:
            binder.error(raw.funds, "写了 parts（加起来等于合计的几行），却没有写 total（合计的那一行）：请补上")
        if raw.funds.scoring is not None:
            declared = raw.funds.scoring.above_full
            scoring = FundsScoring(raw.funds.scoring.rounding, declared or "cap", declared is not None)
    scores = [key for key, _ in columns if key in ("score", "scored")]
    levels = [key for key, _ in columns if key in LEVELS]
    scores_at = tuple(dict.fromkeys(raw.scores_at))
    for at in scores_at:
        if at != "leaf" and at not in levels:
            binder.error(raw, f"scores_at: {at}，指标表却没有这一级的列（{at}）：请改正")
    if raw.stage == "申报" and scores:
        binder.error(raw, "申报表不印分值、得分：请从 columns 中删掉 score、scored，或把 stage 改为 自评")
    weights = {}
    if raw.weights is not None:
        if not isinstance(raw.weights, Mapping):
            binder.error(
                raw.weights, f"'weights' 写成 一级指标: 分值，如 {{产出指标: 50}}，却是{describe(raw.weights)}"
            )
        else:
            for key, value in raw.weights.items:
                try:
                    weights[key.text] = _SCORE.convert(value, ctx)
                except Invalid as exc:
                    ctx.report(exc)
    grades = tuple(GradeBand(g.grade, g.low) for g in raw.grades) or DEFAULT_GRADES
    lows = [band.low for band in grades]
    if lows != sorted(lows, reverse=True) or len(set(lows)) != len(lows):
        binder.error(raw, "grades 要从高到低写，每档的最低分（low）各不相同，如 优 90、良 80、中 60、差 0")
    total = raw.total
    full_marks = total.score if total is not None else None
    if full_marks is not None and weights:
        declared = sum(weights.values()) + (funds_weight or 0)
        if declared != full_marks:
            binder.error(
                raw,
                f"表样 {raw.name}：各一级指标的分值（weights）加上资金情况的分值是 {declared}，满分却是 {full_marks}：请改正",
            )
    blocks = tuple(raw.blocks) or DEFAULT_BLOCKS
    if len(set(blocks)) != len(blocks):
        binder.error(raw, "blocks 中一块写了两次：每块只写一次")
    rules = [IndicatorRule(r.check, r.says, r.tolerance, r.mark) for r in raw.rules]
    for rule in rules:
        if rule.check == "执行率" and rate is None:
            binder.error(rule, "执行率规则要知道执行率怎样算：请在 funds 中写 rate: (B-C)/A 或 rate: B/A")
        if rule.check in ("得分不超过分值", "分组合计", "总分", "权重") and not scores:
            binder.error(rule, f"{rule.check}规则要有分值、得分：这张表样的指标表没有 score、scored 列")
        if rule.check == "资金合计" and not funds_parts:
            binder.error(rule, "资金合计规则要知道哪几行加起来等于合计：请在 funds 中写 total 和 parts")
        if rule.check == "预算执行得分" and "scored" not in [key for key, _ in funds_columns]:
            binder.error(rule, "预算执行得分规则要有资金情况的得分：这张表样的资金情况没有 scored 列")
        if rule.check == "完成率" and "completion" not in [key for key, _ in columns]:
            binder.error(rule, "完成率规则要有完成率一列：这张表样的指标表没有 completion 列")
        if rule.check == "权重" and not weights:
            binder.error(rule, "权重规则要写明各一级指标的分值：请写 weights，如 {产出指标: 50, 效益指标: 30}")
    return IndicatorForm(
        raw.name,
        form_set,
        raw.title,
        raw.stage,
        facts,
        funds_columns,
        rate,
        columns,
        scores_at,
        weights,
        funds_weight,
        total.label if total is not None else "总分",
        full_marks,
        grades,
        blocks,
        rules,
        raw.mark,
        prose_figures(raw.prose or [], binder),
        bool(raw.whole),
        funds_total=source_name(funds_total) if funds_total else None,
        funds_parts=funds_parts,
        funds_scoring=scoring,
    )


def source_name(text: str) -> str:
    """A 资金来源 as the funds rules match it: '其中: 财政拨款' and '财政拨款' are one row name,
    spaces and full-width forms aside."""
    folded = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    return re.sub(r"^其中[:：,，、]?", "", folded)


def prose_figures(entries, binder: IndicatorBinder) -> tuple[ProseFigure, ...]:
    """DEFAULT_PROSE and the form's own words: a word it declares means what it says there."""
    own: list[ProseFigure] = []
    for entry in entries:
        if entry.indicator is not None and entry.figure != "indicator":
            binder.error(entry, "indicator 只用于 figure: indicator（指标的完成值）：请删掉 indicator")
        if entry.columns and entry.figure != "funds":
            binder.error(entry, "columns 只用于 figure: funds（资金情况的金额）：请删掉 columns")
        if entry.figure == "funds" and not entry.columns:
            binder.error(entry, "figure: funds 要写 columns：正文中的金额可能是资金情况的哪几列，如 [budget, executed]")
            continue
        repeated = [w for w in entry.words if any(w in f.words for f in own)]
        if repeated:
            binder.error(entry, f"正文中的词“{'、'.join(repeated)}”写了两次：每个词只写一次")
            continue
        own.append(ProseFigure(tuple(entry.words), entry.figure, entry.indicator, tuple(entry.columns), entry.mark))
    if not own:
        return DEFAULT_PROSE
    mine = {word for figure in own for word in figure.words}
    kept = []
    for figure in DEFAULT_PROSE:
        words = tuple(w for w in figure.words if w not in mine)
        if words:
            kept.append(
                figure if words == figure.words else ProseFigure(words, figure.figure, figure.indicator, figure.columns)
            )
    return tuple(own) + tuple(kept)
