"""Arithmetic rules declared with the forms: parsed and checked against the form when it is loaded.

A rule is written the way a person would say it:

    columns: 本年收入合计 = 财政拨款收入 + 上级补助收入 + 其他收入     (in every row)
    tree: 科目编码                                                  (合计 = Σ类, 类 = Σ款, 款 = Σ项)
    cells: 收入.总计 = 收入.本年收入合计 + 收入.年初结转和结余          (named cells)
    cells: 公开01表:收入.本年收入合计 = 公开02表:合计.本年收入合计      (across forms, in the form set)
    cells: 公开07表:决算合计 <= 公开07表:预算合计                        (an inequality: ≤ or ≥)
    columns: 本年支出合计 >= 0                                        (a bound: a number on the right)
    classes: 公开01表:支出 = 公开03表:本年支出合计                    (each 类 by name)
    codes: 公开02表:本年收入合计 = 公开03表:本年支出合计                 (each 科目编码 present in both)
    codes: 表3:总计 >= 表5:总计     (each 科目 of the smaller table: all funds ≥ 财政拨款)

A cell is `panel.row.column`: the panel is left out when the form has one, the column when the
panel has one amount column; a row is a fixed row's key, a 科目编码, or the summary row's name
(合计); `totals.KEY` is a footer total.

A broken identity is an error; a broken inequality (a plausibility rule: 决算 above 预算) a warning;
a rule may declare its own `severity:`. A miss within rounding is a notice: n printed addends and
their printed total each carry up to half a cent, so they may differ by 0.005·(n+1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from .model import Form
from .problems import Mark
from .results import ERROR, NOTICE, WARNING

RULE_KINDS = ("columns", "tree", "cells", "classes", "codes")
# How a rule relates its two sides, as written (ASCII or the printed sign) → as printed in words.
RELATIONS = {"<=": "≤", "≤": "≤", ">=": "≥", "≥": "≥", "=": "="}
_RELATION = re.compile(r"<=|>=|≤|≥|=")
# `severity:` of a rule, in the words a form set author writes → the status of a miss.
SEVERITIES = {"错误": ERROR, "警告": WARNING, "提示": NOTICE}


class RuleError(ValueError):
    pass


@dataclass(frozen=True)
class CellRef:
    form: str | None  # None: the table the rule belongs to
    panel: str | None
    row: str | None
    column: str | None
    text: str
    constant: Decimal | None = None  # a number written in the rule (a bound: >= 0), not a cell


@dataclass
class Rule:
    kind: str
    text: str
    mark: Mark
    total: CellRef | None = None
    parts: list[tuple[int, CellRef]] = field(default_factory=list)  # (+1 | -1, cell)
    tolerance: Decimal | None = None
    says: str | None = None  # the rule in the form set author's words, when given
    relation: str = "="  # "=", "≤" or "≥": the total's relation to the sum of the parts
    severity: str | None = None  # the status of a miss beyond rounding, when the rule declares one
    # The rule in words as the checks print it (columns: 'A = B + C'; cells: '公开01表 收入·总计 = …'),
    # made when the rule is parsed: forms and their rules are shared by every document of a form set.
    words: str = ""

    def allowed_miss(self, addends: int) -> Decimal:
        return self.tolerance if self.tolerance is not None else Decimal("0.005") * (addends + 1)

    @property
    def failure(self) -> str:
        """The status of a miss beyond rounding: as declared, else an error for an identity and a
        warning for an inequality (which says what is plausible, not what must hold)."""
        if self.severity is not None:
            return self.severity
        return ERROR if self.relation == "=" else WARNING


def describe_ref(ref: CellRef, home: str | None) -> str:
    """A cell in words: '公开02表 合计·本年收入合计', without the table when it is the rule's own."""
    if ref.constant is not None:
        return ref.text
    parts = [x for x in (ref.panel if ref.panel != "totals" else None, ref.row) if x]
    if ref.column and ref.column != "金额":
        parts.append(ref.column)
    number = ref.form if ref.form and ref.form != home else None
    return " ".join(x for x in (number, "·".join(parts)) if x)


def terms_text(parts: list[tuple[int, str]]) -> str:
    """'a + b − c'; a long run of added terms is shortened to its first and last."""
    if len(parts) > 5 and all(sign > 0 for sign, _ in parts):
        return f"{parts[0][1]} 至 {parts[-1][1]} 共 {len(parts)} 项之和"
    text = ""
    for i, (sign, label) in enumerate(parts):
        text += ("" if i == 0 else (" + " if sign > 0 else " − ")) + label
    return text


def split_sum(text: str) -> tuple[str, str, list[tuple[int, str]]]:
    """`合计 = a + b − c` (or ≤, ≥) → ('合计', '=', [(1, 'a'), (1, 'b'), (-1, 'c')])."""
    signs = _RELATION.findall(text)
    if len(signs) != 1:
        raise RuleError("规则要写成“合计 = 项 + 项 …”（或 <=、>=），只能有一个 '='、'<=' 或 '>='")
    left, right = (side.strip() for side in _RELATION.split(text))
    if not left or not right:
        raise RuleError(f"'{signs[0]}' 两边都要写单元格")
    tokens = re.split(r"\s*([+\-])\s*", right)
    pluses, names = tokens[1::2], tokens[2::2]
    parts = [(1, tokens[0])] + [(1 if sign == "+" else -1, name) for sign, name in zip(pluses, names, strict=True)]
    if any(not name for _, name in parts):
        raise RuleError("'+' 或 '-' 旁边少了一项")
    return left, RELATIONS[signs[0]], parts


_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def constant_ref(text: str) -> CellRef | None:
    """A number written as a term (`0`, `0.01`, `100`): a bound a cell is compared with."""
    return CellRef(None, None, None, None, text, Decimal(text)) if _NUMBER.fullmatch(text) else None


def parse_ref(text: str, form: Form | None, forms: dict[str, Form], default_form: Form | None) -> CellRef:
    """Resolve `[表号:]panel.row.column` against the forms it names; unknown names are errors."""
    form_number = None
    rest = text
    if ":" in text:
        form_number, rest = text.split(":", 1)
        if form_number not in forms:
            raise RuleError(f"'{text}'：这套表样中没有 {form_number}")
    target = forms[form_number] if form_number else (form or default_form)
    if target is None:
        raise RuleError(f"'{text}'：表样文件的规则要写明表号，如 公开01表:{text}")
    segments = rest.split(".")
    if segments[0] == "totals":
        keys = [c.key for c in target.footer if c.key]
        if len(segments) != 2 or segments[1] not in keys:
            raise RuleError(f"'{text}'：{target.number} 的表尾没有合计 '{'.'.join(segments[1:])}'")
        return CellRef(form_number, "totals", segments[1], None, text)
    if target.single_panel:
        panel = target.panels[0]
    else:
        panel = next((p for p in target.panels if p.key == segments[0]), None)
        if panel is None:
            raise RuleError(
                f"'{text}'：{target.number} 没有栏 '{segments[0]}'（有的栏：{'、'.join(p.key for p in target.panels)}）"
            )
        segments = segments[1:]
    labelled = any(c.type in ("code", "name", "item") for c in panel.columns)
    if panel.rows is None and not labelled and len(segments) == 1:
        # A one-line table without row labels (公开07表): the cell is named by its column alone.
        if segments[0] not in [c.key for c in panel.amount_columns]:
            raise RuleError(f"'{text}'：{target.number} 没有金额列 '{segments[0]}'")
        return CellRef(form_number, None, None, segments[0], text)
    if not segments or len(segments) > 2:
        raise RuleError(f"'{text}'：单元格写成 栏.行.列（这一行只有一个金额时可以不写列）")
    row, column = segments[0], (segments[1] if len(segments) == 2 else None)
    if panel.rows is not None and panel.fixed_row(row) is None:
        raise RuleError(f"'{text}'：{target.number} 没有行 '{row}'")
    amounts = panel.amount_columns
    if column is None:
        if len(amounts) != 1:
            raise RuleError(f"'{text}'：请写明是哪一列（{'、'.join(c.key for c in amounts)}）")
        column = amounts[0].key
    elif column not in [c.key for c in amounts]:
        raise RuleError(f"'{text}'：{target.number} 没有金额列 '{column}'")
    return CellRef(form_number, panel.key if not target.single_panel else None, row, column, text)


def parse_rule(
    kind: str,
    text: str,
    mark: Mark,
    form: Form | None,
    forms: dict[str, Form],
    tolerance: Decimal | None,
    says: str | None,
    severity: str | None = None,
) -> Rule:
    rule = Rule(kind, text, mark, tolerance=tolerance, says=says, severity=severity)
    if kind == "tree":
        target = form
        if target is None or not any(c.type == "code" for p in target.panels for c in p.columns):
            raise RuleError("tree 规则只能写在有科目编码列的表样中")
        return rule
    left, relation, parts = split_sum(text)
    if relation != "=" and kind not in ("cells", "columns", "codes"):
        raise RuleError(f"{kind} 规则只能写 '='（不等式只用于 cells、columns 和 codes 规则）")
    rule.relation = relation
    if kind == "columns":
        if form is None:
            raise RuleError("columns 规则只能写在一张表样中，不能写在表样文件的规则中")
        keys = {c.key for p in form.panels for c in p.amount_columns}
        if relation != "=" and len(parts) == 1 and constant_ref(parts[0][1]) is not None:
            # A percentage is no amount to add up, but it may have a range: 占比 <= 100.
            keys |= {c.key for p in form.panels for c in p.columns if c.type == "percent"}
        for name in [left] + [n for _, n in parts if constant_ref(n) is None]:
            if name not in keys:
                raise RuleError(f"'{name}' 不是 {form.number} 的金额列")
        rule.total = CellRef(None, None, None, left, left)
        rule.parts = [(sign, constant_ref(n) or CellRef(None, None, None, n, n)) for sign, n in parts]
        rule.words = f"{left} {relation} {terms_text(parts)}"
        return rule
    if kind in ("classes", "codes"):
        if form is not None:
            raise RuleError(f"{kind} 规则比较两张表：请写在表样文件的 rules 中")
        if len(parts) != 1 or parts[0][0] != 1:
            raise RuleError(f"{kind} 规则写成“A表:… = B表:…”")
        rule.total = _table_side(left, forms, kind, first=True)
        rule.parts = [(1, _table_side(parts[0][1], forms, kind, first=False))]
        return rule
    rule.total = parse_ref(left, form, forms, form)
    for sign, name in parts:
        constant = constant_ref(name)
        if constant is not None:
            rule.parts.append((sign, constant))
            continue
        names = expand_range(name, form, forms) if ".." in name else [name]
        rule.parts += [(sign, parse_ref(n, form, forms, form)) for n in names]
    home = rule.total.form or (form.number if form is not None else None)  # whose cells need no form number
    rule.words = (
        f"{home} {describe_ref(rule.total, home)} {relation} "
        f"{terms_text([(s, describe_ref(r, home)) for s, r in rule.parts])}"
    )
    return rule


def expand_range(text: str, form: Form | None, forms: dict[str, Form]) -> list[str]:
    """`支出.一般公共服务支出..抗疫特别国债安排的支出` → each fixed row from the first to the last."""
    first_text, last_text = text.split("..", 1)
    last_row, _, column = last_text.partition(".")
    suffix = f".{column}" if column else ""
    first = parse_ref(first_text + suffix, form, forms, form)
    target = forms[first.form] if first.form else form
    panel = next(p for p in target.panels if target.single_panel or p.key == first.panel)
    keys = [r.key for r in panel.rows or [] if r.key]
    if panel.rows is None or last_row not in keys:
        raise RuleError(f"'{text}'：范围要在同一栏的两个固定行之间")
    start, end = keys.index(first.row), keys.index(last_row)
    if end < start:
        raise RuleError(f"'{text}'：范围写反了：前一行要在后一行之前")
    prefix = first_text[: len(first_text) - len(first.row)]
    return [f"{prefix}{key}{suffix}" for key in keys[start : end + 1]]


def _table_side(text: str, forms: dict[str, Form], kind: str, first: bool) -> CellRef:
    if ":" not in text:
        raise RuleError(f"'{text}'：请写明表号，如 公开01表:{text}")
    number, rest = text.split(":", 1)
    form = forms.get(number)
    if form is None:
        raise RuleError(f"'{text}'：这套表样中没有 {number}")
    if kind == "classes" and first:
        if form.single_panel or not any(p.key == rest and p.rows is not None for p in form.panels):
            raise RuleError(f"'{text}'：classes 规则的左边要是有固定行的栏")
        return CellRef(number, rest, None, None, text)
    keys = {c.key for p in form.panels if p.rows is None for c in p.amount_columns}
    if rest not in keys:
        raise RuleError(f"'{text}'：{number} 按科目编码的行中没有金额列 '{rest}'")
    return CellRef(number, None, None, rest, text)
