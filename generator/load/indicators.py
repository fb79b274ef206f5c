"""Load stage, performance tables: a 绩效目标申报表 or 绩效自评表 bound into an IndicatorTable.

The same model serves both: a 申报表 (before the year) prints targets; a 自评表 (after it) adds
完成值, 分值 and 得分. Which fields a table prints, and under which labels, is declared by its
`columns`; the defaults are the two printed forms'.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from ..core.model import (
    FundsRow,
    Indicator,
    IndicatorGroup,
    IndicatorSet,
    IndicatorTable,
    MoneyBlock,
    MoneyColumn,
    MoneyRow,
    Target,
    Value,
)
from ..source.fields import Amount, Context, Flag, Invalid, Markdown, Percent, Text, label_text
from ..source.yamlsource import Mapping, Node, Scalar, Sequence, describe

LEVELS = ("level1", "level2", "level3")
LEAF_FIELDS = ("name", "content", "target", "actual", "standard", "score", "scored", "reason", "measure")
DEFAULT_LABELS = {
    "level1": "一级指标",
    "level2": "二级指标",
    "level3": "三级指标",
    "name": "三级指标",
    "content": "目标内容",
    "target": "目标值",
    "actual": "完成值",
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
_TEXT, _MARKDOWN, _FLAG, _AMOUNT, _PERCENT = Text(), Markdown(), Flag(), Amount(), Percent()

_COMPARATORS = {">=": "≥", "≧": "≥", "<=": "≤", "≦": "≤", "＝": "=", "＞": ">", "＜": "<", "+-": "±"}
_NUMBER = r"(-?\d+(?:\.\d+)?)"
_SINGLE = re.compile(r"(≥|≤|>|<|=|±)?\s*" + _NUMBER + r"\s*(.*)")
_ACTUAL = re.compile(_NUMBER + r"\s*([^\d≥≤><=±]*)")
_RANGE = re.compile(_NUMBER + r"\s*([^\d\s~～至-]*)\s*(?:-|~|～|至)\s*" + _NUMBER + r"\s*(.*)")


def parse_target(text: str) -> Target:
    """'≥95%' → (≥, 95, '%'); '80%-90%' → a 区间; anything else stays words, never guessed at."""
    folded = unicodedata.normalize("NFKC", text).strip()
    for written, sign in _COMPARATORS.items():
        folded = folded.replace(written, sign)
    if match := _RANGE.fullmatch(folded):
        low, first_unit, high, unit = match.groups()
        if not first_unit or first_unit == unit:
            return Target(text, "区间", Decimal(low), Decimal(high), unit.strip())
    if match := _SINGLE.fullmatch(folded):
        sign, number, unit = match.groups()
        if not re.search(r"\d", unit):  # '2019年预算安排1200' is words, not a number with a unit
            return Target(text, sign or "=", Decimal(number), None, unit.strip())
    return Target(text, None, None, None, "")


def read_actual(text: str | None) -> tuple[Decimal, str] | None:
    """A 完成值 that is a plain number with a unit ('42.37 万人', '100%'), else None."""
    if not text:
        return None
    match = _ACTUAL.fullmatch(unicodedata.normalize("NFKC", text).strip())
    return (Decimal(match.group(1)), match.group(2).strip()) if match else None


class IndicatorBinder:
    def __init__(self, ctx: Context):
        self.ctx = ctx

    def error(self, node: Node, message: str) -> None:
        self.ctx.problems.add(node.mark, message)

    def bind(self, raw) -> IndicatorTable:
        columns = self.columns(raw.columns, raw.stage)
        levels = [key for key, _ in columns if key in LEVELS]
        sets = []
        if raw.indicators is not None and raw.indicator_sets is not None:
            self.ctx.problems.add(raw.mark, "'indicators' 和 'indicator_sets' 只能写一个：请删掉其中一个")
        if raw.indicators is not None:
            label = raw.indicators_label or DEFAULT_SET_LABEL[raw.stage]
            sets.append(IndicatorSet(label, None, self.groups(raw.indicators, len(levels)), raw.mark))
        for s in raw.indicator_sets or []:
            sets.append(IndicatorSet(s.label, s.goal, self.groups(s.indicators, len(levels)), s.mark))
        funds = [
            FundsRow(f.source, f.budget, f.executed, f.transfer, f.score, f.rate, f.scored, f.mark) for f in raw.funds
        ]
        total = raw.total
        return IndicatorTable(
            raw.id,
            raw.title,
            raw.caption,
            raw.unit,
            raw.stage,
            self.pairs(raw.facts, "facts", _TEXT),
            funds,
            [self.money_block(b) for b in raw.money],
            self.pairs(raw.goals, "goals", _MARKDOWN),
            columns,
            sets,
            total.score if total else None,
            total.scored if total else None,
            raw.note,
            raw.mark,
            total_label=total.label if total else "总分",
        )

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

    def groups(self, raw_nodes, depth: int) -> list[IndicatorGroup]:
        """The tree, each leaf under exactly as many groups as the table has level columns."""
        out = []
        for node in raw_nodes:
            built = self.node(node, depth)
            if isinstance(built, IndicatorGroup):
                out.append(built)
            elif built is not None:
                self.error(node, f"这个指标上面要有 {depth} 层分组（每层写 name 和 items）：请把它放进对应的分组")
        return out

    def node(self, raw, depth: int):
        if hasattr(raw, "items"):
            if depth == 0:
                self.error(raw, "这个分组比表格的级别列多了一层：请去掉一层分组，或在 columns 中加一个级别列")
                return None
            children = [self.node(child, depth - 1) for child in raw.items]
            if depth > 1 and any(isinstance(c, Indicator) for c in children):
                self.error(raw, f"这个分组的各项还要再分 {depth - 1} 层（每层写 name 和 items）")
            return IndicatorGroup(raw.name, [c for c in children if c is not None], raw.mark)
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
