"""What a 绩效 table's scores add up to, shared by the checks and the pages: a group's 分值 or 得分
(printed in its merged cell, or the sum of what is given below it), the table's 总分 and where it is
read from, and the grade: the one the table states, or the one the 总分 earns by its form's bands."""

from __future__ import annotations

from decimal import Decimal

from .model import DEFAULT_GRADES, IndicatorTable, grade_of

_ZERO = Decimal(0)


def points(node, key: str) -> Decimal | None:
    """A node's 分值 (key 'score') or 得分 ('scored'): a leaf's or funds row's own; a group's as
    printed in its merged cell, else the sum of what is given below it (None: nothing is)."""
    printed = getattr(node, key)
    if printed is not None or not hasattr(node, "children"):
        return printed
    parts = [v for v in (points(child, key) for child in node.children) if v is not None]
    return sum(parts, _ZERO) if parts else None


def top_items(table: IndicatorTable) -> list:
    """What the 总分 adds up: each set's 一级指标 and the funds rows."""
    return [group for s in table.sets for group in s.groups] + list(table.funds)


def funds_score(table: IndicatorTable, row) -> Decimal | None:
    """A funds row's 分值: as printed, or (a form that prints only its 得分, as 得分（20 分*执行率）
    does) the 分值 its form states, for the row that is scored."""
    if row.score is not None or row.scored is None or table.form is None:
        return row.score
    return table.form.funds_weight


def sum_of(table: IndicatorTable, key: str) -> tuple[Decimal | None, int]:
    """The sum of the table's 分值 or 得分 and how many figures it adds (None, 0: none is given)."""
    parts = [points(group, key) for s in table.sets for group in s.groups]
    parts += [funds_score(table, row) if key == "score" else row.scored for row in table.funds]
    parts = [v for v in parts if v is not None]
    return (sum(parts, _ZERO) if parts else None), len(parts)


def table_score(table: IndicatorTable) -> tuple[Decimal, str] | None:
    """The table's 总分 and where it is read: its total row, its header, or the sum of its 得分."""
    if table.total_scored is not None:
        return table.total_scored, f"{table.total_label}行"
    if table.header_total is not None:
        return table.header_total[0], "表头"
    total, _ = sum_of(table, "scored")
    return (total, "各项得分之和") if total is not None else None


def table_grade(table: IndicatorTable) -> tuple[str, bool] | None:
    """(grade, stated): the 等级 the table states, else the one its 总分 earns by its form's bands
    (the national ones when it names no form); None without a 总分 or a stated grade."""
    if table.grade is not None:
        return table.grade[0], True
    score = table_score(table)
    if score is None:
        return None
    grade = grade_of(score[0], table.form.grades if table.form is not None else DEFAULT_GRADES)
    return (grade, False) if grade is not None else None


def total_row_start(keys: list[str]) -> int | None:
    """Where a table's total row starts printing figures: at its 分值 column, or its 得分 column
    when it prints no 分值 (a 评分表 of 评分 only); None when it prints neither (no total row)."""
    return next((i for i, key in enumerate(keys) if key in ("score", "scored")), None)
