"""Check stage, arithmetic: every rule of every form is evaluated on every document, exactly (Decimal).

Rules are declared with the forms (data/forms/*.yaml, parsed by core/rules.py): sums down the columns
of a row, the 类/款/项 tree of a 科目 table, cells across tables, and 科目 by 科目 across tables.
Beside the rules: a 科目编码 names one 科目 in every table of the document and of the bureau's other
documents of the year (check_code_names).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from ..core.cells import find_cell, panel_data, tables_by_form
from ..core.model import Document, FormTable, IndicatorTable, Unreadable, Value
from ..core.problems import Mark
from ..core.results import ERROR, NOTICE, OK, UNCHECKED, WARNING, Result
from ..core.rules import CellRef, Rule
from .completeness import states_empty

_ZERO = Decimal(0)


@dataclass(slots=True)
class Bound(Value):
    """A number written in the rule (`>= 0`): exact, so it adds no rounding to allow for."""


def term(ref: CellRef, mark: Mark) -> Bound:
    return Bound(ref.constant, ref.text, mark)


def printed(values) -> int:
    """How many of the terms are printed figures: each carries up to half a cent of rounding."""
    return sum(1 for v in values if v is not None and v.__class__ is not Bound)


def judge(rule: Rule, expected: Decimal, found: Decimal, addends: int) -> str:
    """A printed total (*found*) against the sum of its *addends* printed parts (blank cells are no
    figure and carry no rounding): a miss within rounding is a notice, beyond it the rule's failure
    (an error for an identity, a warning for an inequality)."""
    if rule.relation == "≤":
        miss = max(found - expected, _ZERO)
    elif rule.relation == "≥":
        miss = max(expected - found, _ZERO)
    else:
        miss = abs(found - expected)
    if miss == 0:
        return OK
    return NOTICE if miss <= rule.allowed_miss(addends) else rule.failure


def sum_terms(terms: list[tuple[int, Value | None]]) -> Decimal | None:
    """The sum of the terms; None when one is a cell the original prints unreadably (Unreadable),
    which no sum can take in: the rule cannot be checked."""
    # Blank terms count as 0 and are skipped: adding Decimal(0) to a sum that starts at Decimal(0)
    # changes neither its value nor its exponent. Subtracting is negating and adding, exactly.
    total = Decimal(0)
    for sign, value in terms:
        if value is not None:
            amount = value.amount
            if amount is None:
                return None
            total = total + amount if sign > 0 else total - amount
    return total


def unreadable_reason(values) -> str:
    """Why a rule that needs these cells cannot be checked: those of them the original prints unreadably."""
    printed = "、".join(f"“{value.text}”" for value in values if value.__class__ is Unreadable)
    return f"原件中所需的数无法辨认：{printed}"


def unchecked(document: Document, table, mark: Mark, says: str, values) -> Result:
    return Result(UNCHECKED, document, table, mark, says, reason=unreadable_reason(values))


def sum_result(
    rule: Rule,
    document: Document,
    table: FormTable,
    total: Value | None,
    parts: list[tuple[int, Value | None]],
    says: str,
) -> list[Result]:
    """Compare a printed total with the sum of its parts; nothing to say when either side is blank,
    and that it cannot be checked when a cell it needs is unreadable in the original."""
    if total is None or all(v is None for _, v in parts):
        return []
    expected = sum_terms(parts)
    if expected is None or total.amount is None:
        return [unchecked(document, table, total.mark, says, [total, *(v for _, v in parts)])]
    status = judge(rule, expected, total.amount, printed(v for _, v in parts))
    return [Result(status, document, table, total.mark, says, expected, total.amount, relation=rule.relation)]


def check_columns(rule: Rule, document: Document, table: FormTable) -> list[Result]:
    results = []
    keys = [rule.total.column] + [ref.column for _, ref in rule.parts if ref.constant is None]
    for data in table.panels:
        column_keys = data.panel.column_keys
        if not all(k in column_keys for k in keys):
            continue
        rows = (
            [(r.label or r.key, data.fixed.get(r.key, {})) for r in data.panel.rows or [] if r.key]
            if data.panel.rows is not None
            else [(" ".join(x for x in label if x) or "本行", r.cells) for label, r in data.labelled]
        )
        for label, cells in rows:
            total = cells.get(rule.total.column)
            if total is None:
                continue
            parts = [
                (sign, term(ref, total.mark) if ref.constant is not None else cells.get(ref.column))
                for sign, ref in rule.parts
            ]
            results += sum_result(rule, document, table, total, parts, f"{table.form.number} {label}：{rule.words}")
    return results


def check_tree(rule: Rule, document: Document, table: FormTable) -> list[Result]:
    results = []
    for data in table.panels:
        if data.panel.rows is not None or not data.panel.code_keys:
            continue
        labelled = data.labelled
        results += code_shape_results(document, table, labelled)
        children_of = children_by_parent(labelled)
        for (code, name), row in labelled:
            children = children_of.get(code)
            if not children:
                continue
            if code is None:
                what = f"{name or '合计'} = 各类之和"
            else:
                what = f"{code} {name or ''} = 其下各{'款' if len(code) == 3 else '项'}之和"
            for column in data.panel.amount_columns:
                total = row.cells.get(column.key)
                parts = [(1, child.cells.get(column.key)) for child in children]
                results += sum_result(rule, document, table, total, parts, f"{table.form.number} {column.key}：{what}")
    return results


def children_by_parent(labelled) -> dict[str | None, list]:
    """科目编码 → its rows one level down, in printed order; None (the 合计) → the 类 (3 digits).

    One pass instead of a scan of every row for every row: a child's code is its parent's plus
    two digits, so its parent is the code less its last two digits.
    """
    children: dict[str | None, list] = {}
    for (code, _), row in labelled:
        if code is None:
            continue
        if len(code) == 3:
            children.setdefault(None, []).append(row)
        if len(code) >= 2:
            children.setdefault(code[:-2], []).append(row)
    return children


def code_shape_results(document: Document, table: FormTable, labelled) -> list[Result]:
    """A 科目编码 is 3, 5 or 7 digits (类, 款, 项) and appears once: otherwise its sums cannot be checked."""
    results, seen = [], {}
    for (code, name), row in labelled:
        if code is None:
            continue
        mark = row.cells[next(k for k, v in row.cells.items() if v.text == code)].mark
        if len(code) not in (3, 5, 7):
            says = (
                f"{table.form.number} 科目编码 {code}（{name or ''}）有 {len(code)} 位："
                "科目编码应为 3、5 或 7 位（类、款、项），无法确定其上级科目"
            )
            results.append(Result(WARNING, document, table, mark, says))
        if code in seen:
            says = f"{table.form.number} 科目编码 {code} 出现两次（“{seen[code]}”与“{name or ''}”）"
            results.append(Result(WARNING, document, table, mark, says))
        seen.setdefault(code, name or "")
    return results


def coded_rows(table: FormTable):
    """(code, name, mark of the code) of each row of *table*'s 科目 panels that prints both."""
    for data in table.panels:
        if data.panel.rows is not None or not data.panel.code_keys:
            continue
        for (code, name), row in data.labelled:
            if code and name:
                mark = row.cells[next(k for k, v in row.cells.items() if v.text == code)].mark
                yield code, name, mark


def same_name(one: str, other: str) -> bool:
    """Two printings of a 科目名称 name one 科目: equal once full-width forms are folded and spaces
    dropped, or one cut short in a narrow cell (财政对其他基本医 for 财政对其他基本医疗保险基金的补助)."""
    one, other = ("".join(unicodedata.normalize("NFKC", n).split()) for n in (one, other))
    return one.startswith(other) or other.startswith(one)


def check_code_names(document: Document, tables: dict[str, FormTable]) -> list[Result]:
    """A 科目编码 is one 科目 of the 政府收支分类科目: printed with another name in another table,
    or in another document of the bureau's for the year, one of the two is wrong (auditor's check 19).
    Which one no table says, so it is a warning at this document's row, naming where the other is."""
    named: dict[str, tuple[str, str, Mark]] = {}  # code → (name, table, mark) where it is first printed
    trees = {number for number, table in tables.items() if any(r.kind == "tree" for r in table.form.rules)}
    results = []
    for number, table in tables.items():
        for code, name, mark in coded_rows(table):
            first = named.setdefault(code, (name, number, mark))
            # a code printed twice in a table with a `tree` rule is code_shape_results' (出现两次)
            if (first[1] == number and number in trees) or same_name(first[0], name):
                continue
            says = f"科目编码 {code} 在{first[1]}中是“{first[0]}”，在{number}中是“{name}”"
            results.append(Result(WARNING, document, table, mark, says + SAME_CODE))
    for other in document.bureau.documents:
        if other is document or other.year != document.year or other.form_set is None:
            continue
        for table in tables_by_form(other).values():
            for code, name, _ in coded_rows(table):
                if code in named and not same_name(named[code][0], name):
                    ours, number, mark = named[code]
                    says = f"科目编码 {code} 在{number}中是“{ours}”，在{other.year}年{other.kind_name}的{table.form.number}中是“{name}”"
                    results.append(Result(WARNING, document, tables[number], mark, says + SAME_CODE))
    return results


SAME_CODE = "：同一编码应是同一科目，请照原件核对编码和名称"


def check_cells(rule: Rule, document: Document, table: FormTable | None, tables: dict[str, FormTable]) -> list[Result]:
    def locate(ref: CellRef) -> tuple[FormTable | None, bool, Value | None]:
        if ref.constant is not None:
            home = locate(rule.total)
            return home[0], True, term(ref, home[2].mark if home[2] is not None else Mark(document.path))
        target = tables.get(ref.form) if ref.form else table
        if target is None:
            return None, False, None
        exists, value = find_cell(target, ref)
        return target, exists, value

    says = rule.says or rule.words
    total_table, exists, total = locate(rule.total)
    parts = [(sign, locate(ref)) for sign, ref in rule.parts]
    owner = total_table or table
    mark = total.mark if total is not None else (owner.mark if owner is not None else Mark(document.path))
    if total is None or any(t is None for _, (t, _, _) in parts):
        return [Result(UNCHECKED, document, owner, mark, says)]
    if all(value is None for _, (_, _, value) in parts):
        return [Result(UNCHECKED, document, owner, mark, says)]
    absent = [
        ref.text
        for (_, (target, exists, _)), (_, ref) in zip(parts, rule.parts, strict=True)
        if not exists and not states_empty(target)
    ]
    if absent:
        # A row the table does not print (its body left out, no 合计 row) is not a blank cell unless
        # the table says it is empty: taking it as 0 would make a missing table a false miss.
        reason = f"表中没有所需的行：{'、'.join(absent)}"
        return [Result(UNCHECKED, document, owner, mark, says, reason=reason)]
    expected = sum_terms([(sign, value) for sign, (_, _, value) in parts])
    if expected is None or total.amount is None:
        return [unchecked(document, owner, mark, says, [total, *(value for _, (_, _, value) in parts)])]
    status = judge(rule, expected, total.amount, printed(v for _, (_, _, v) in parts))
    return [Result(status, document, owner, mark, says, expected, total.amount, relation=rule.relation)]


def check_classes(rule: Rule, document: Document, tables: dict[str, FormTable]) -> list[Result]:
    left, right = tables.get(rule.total.form), tables.get(rule.parts[0][1].form)
    if left is None or right is None:
        return []
    results = []
    left_panel = panel_data(left, rule.total.panel)
    column = rule.parts[0][1].column
    for data in right.panels:
        for (code, name), row in data.labelled:
            value = row.cells.get(column)
            if code is None or len(code) != 3 or value is None:
                continue
            if value.amount is None and value.__class__ is not Unreadable:
                continue  # no figure
            says = f"{left.form.number} {rule.total.panel}·{name} = {right.form.number} {code} {name} {column}"
            fixed = left_panel.panel.fixed_row(name) if left_panel else None
            if fixed is None:
                results.append(
                    Result(WARNING, document, right, value.mark, f"{says}（{left.form.number}没有名为“{name}”的行）")
                )
                continue
            mine = next(iter(left_panel.fixed.get(name, {}).values()), None)
            if mine is None:
                results.append(Result(UNCHECKED, document, left, left.mark, says))
                continue
            if mine.amount is None or value.amount is None:
                results.append(unchecked(document, left, mine.mark, says, [mine, value]))
                continue
            results.append(
                Result(
                    judge(rule, value.amount, mine.amount, 1),
                    document,
                    left,
                    mine.mark,
                    says,
                    value.amount,
                    mine.amount,
                )
            )
    return results


def check_codes(rule: Rule, document: Document, tables: dict[str, FormTable]) -> list[Result]:
    (left_ref, (_, right_ref)) = rule.total, rule.parts[0]
    left, right = tables.get(left_ref.form), tables.get(right_ref.form)
    if left is None or right is None:
        return []

    def by_code(table: FormTable, column: str) -> dict[str, Value]:
        out = {}
        for data in table.panels:
            for (code, _), row in data.labelled:
                if code is not None and column in row.cells:
                    out[code] = row.cells[column]
        return out

    mine, theirs = by_code(left, left_ref.column), by_code(right, right_ref.column)
    results = []
    for code in sorted(set(mine) | set(theirs)):
        says = (
            f"{left.form.number} {code} {left_ref.column} {rule.relation} {right.form.number} {code} {right_ref.column}"
        )
        if (code not in theirs and rule.relation == "≥") or (code not in mine and rule.relation == "≤"):
            continue  # the smaller table need not print every 科目 of the larger (财政拨款 of all funds)
        if code not in theirs or code not in mine:
            present, table, value = (left, left, mine[code]) if code in mine else (right, right, theirs[code])
            missing = right if code in mine else left
            if value.amount:
                results.append(
                    Result(
                        WARNING,
                        document,
                        table,
                        value.mark,
                        f"{says}（科目 {code} 只出现在{present.form.number}，{missing.form.number}中没有）",
                    )
                )
            continue
        if mine[code].amount is None or theirs[code].amount is None:
            results.append(unchecked(document, left, mine[code].mark, says, [mine[code], theirs[code]]))
            continue
        results.append(
            Result(
                judge(rule, theirs[code].amount, mine[code].amount, 1),
                document,
                left,
                mine[code].mark,
                says,
                theirs[code].amount,
                mine[code].amount,
                relation=rule.relation,
            )
        )
    return results


def has_figures(table: FormTable) -> bool:
    if table.totals:
        return True
    # a cell the original prints unreadably is filled in, figure or not
    for data in table.panels:
        if any(
            value.amount is not None or value.__class__ is Unreadable
            for cells in data.fixed.values()
            for value in cells.values()
        ):
            return True
        if any(
            value.amount is not None or value.__class__ is Unreadable
            for row in data.rows
            for value in row.cells.values()
        ):
            return True
    return False


INDICATOR_TEXTS = ("name", "content", "target", "actual", "standard")  # what a 申报表's rows say instead of scores


def has_indicators(table: IndicatorTable) -> bool:
    """Whether a 绩效 table states anything beyond what its form lays out (group names, the funds'
    row names, blank header lines): a figure anywhere, or an indicator's words."""
    figures = [table.total_score, table.total_scored, table.header_total]
    figures += [getattr(row, key) for row in table.funds for key in ("initial", "budget", "executed", "transfer")]
    figures += [getattr(row, key) for row in table.funds for key in ("score", "rate", "scored")]
    figures += [node.score for node in [*table.groups(), *table.leaves()]]
    figures += [node.scored for node in [*table.groups(), *table.leaves()]]
    words = [getattr(leaf, key) for leaf in table.leaves() for key in INDICATOR_TEXTS]
    return any(value is not None for value in figures) or any(words) or any(block.rows for block in table.money)


def check_filled(document: Document, tables: list) -> list[Result]:
    """A form table without a single figure and without a statement saying why, or a 绩效 table
    with nothing in it: a table not yet filled in (a scaffold from `python -m generator new`),
    which must not be published as it is."""
    results = [
        Result(
            ERROR,
            document,
            table,
            table.mark,
            f"{table.form.number} {table.form.title} 还没有填写数字：照原件填写；原件此表为空时，"
            "写 statement 说明（如 此表数据为空）",
        )
        for table in tables
        if isinstance(table, FormTable) and not table.statement and not has_figures(table)
    ]
    results += [
        Result(
            ERROR,
            document,
            table,
            table.mark,
            f"{table.title}（id {table.anchor}）还没有填写：照原件填写指标、资金情况和得分，"
            "或用 python -m generator import 导入原件的表",
        )
        for table in tables
        if isinstance(table, IndicatorTable) and not has_indicators(table)
    ]
    return results


def check_form_tables(document: Document, document_tables: list | None = None) -> list[Result]:
    tables = tables_by_form(document, document_tables)
    results: list[Result] = check_filled(document, document_tables or list(tables.values()))
    for table in tables.values():
        for rule in table.form.rules:
            if rule.kind == "columns":
                results += check_columns(rule, document, table)
            elif rule.kind == "tree":
                results += check_tree(rule, document, table)
            elif rule.kind == "cells":
                results += check_cells(rule, document, table, tables)
    for rule in document.form_set.rules:
        if rule.kind == "cells":
            if rule.total.form in tables:
                results += check_cells(rule, document, None, tables)
        elif rule.kind == "classes":
            results += check_classes(rule, document, tables)
        elif rule.kind == "codes":
            results += check_codes(rule, document, tables)
    return results + check_code_names(document, tables)
