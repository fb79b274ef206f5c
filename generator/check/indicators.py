"""Check stage, performance tables: scores, the 总分, the grade, the stated 执行率 and the 合计 of
money blocks.

What a reader of a 自评表 takes on trust: that nothing scored more than its 分值, that each group's
and the whole table's 总分 is the sum of the 得分 (and the 分值 add up to the full marks and the
weights the form states), that the stated 等级 is the one the 总分 earns, that the 执行率 is what
the printed A, B and C give, and that a target reported as missed did not get full marks.

A table on a declared form is checked by the rules its form declares (`rules:` of an
`indicator_forms:` entry), each a mechanism here; a table on no form by the checks it always had.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from ..core.amounts import format_amount
from ..core.model import Document, Indicator, IndicatorTable, MoneyBlock, grade_of
from ..core.results import ERROR, NOTICE, OK, UNCHECKED, WARNING, Result
from ..core.scores import funds_score, points, sum_of, table_score
from ..load.indicators import read_actual

_ZERO = Decimal(0)


def _sum(values) -> Decimal:
    return sum((v for v in values if v is not None), _ZERO)


def _total_result(document, table, says, expected, found, addends, mark, tolerance=None) -> Result:
    """A printed sum against the sum of its parts: a miss within a cent per part (or the rule's
    tolerance) is a rounding notice, as for amounts; more is an error."""
    miss = abs(found - expected)
    allowed = tolerance if tolerance is not None else Decimal("0.01") * max(1, addends)
    status = OK if miss == 0 else NOTICE if miss <= allowed else ERROR
    return Result(status, document, table, mark, says, expected, found)


def check_scores(document: Document, table: IndicatorTable) -> list[Result]:
    results = []
    leaves = table.leaves()
    over = [leaf for leaf in leaves if leaf.score is not None and leaf.scored is not None and leaf.scored > leaf.score]
    for leaf in over:
        says = f"{table.title}：指标“{leaf.name or leaf.content or '（未命名）'}”的得分不应超过分值"
        results.append(Result(ERROR, document, table, leaf.mark, says, leaf.score, leaf.scored))
    scored_leaves = [leaf for leaf in leaves if leaf.score is not None and leaf.scored is not None]
    if scored_leaves and not over:
        says = f"{table.title}：全部 {len(scored_leaves)} 项指标的得分均不超过分值"
        results.append(Result(OK, document, table, table.mark, says))
    for row in table.funds:
        if row.score is not None and row.scored is not None and row.scored > row.score:
            says = f"{table.title}：资金情况“{row.source}”的得分不应超过分值"
            results.append(Result(ERROR, document, table, row.mark, says, row.score, row.scored))
    extra = "（含资金情况）" if any(r.score is not None for r in table.funds) else ""
    totals = (
        ("score", table.total_score, f"{table.total_label}的分值 = 各项指标分值之和{extra}"),
        ("scored", table.total_scored, f"{table.total_label} = 各项指标得分之和{extra}"),
    )
    for key, printed, words in totals:
        if printed is None:
            continue
        parts = [getattr(item, key) for item in [*leaves, *table.funds]]
        says = f"{table.title}：{words}"
        results.append(
            _total_result(document, table, says, _sum(parts), printed, len([p for p in parts if p]), table.mark)
        )
    return results


def _name(node) -> str:
    if isinstance(node, Indicator):
        return node.name or node.content or "（未命名）"
    return node.name or "（未命名）"


def _title(table: IndicatorTable) -> str:
    return table.title


def rule_not_over(document: Document, table: IndicatorTable, rule) -> list[Result]:
    """得分 ≤ 分值 wherever both are printed: an indicator, a merged group cell, a funds row, 总分."""
    results = []
    places = [(f"指标“{_name(leaf)}”", leaf) for leaf in table.leaves()]
    places += [(f"“{_name(group)}”", group) for group in table.groups()]
    checked = 0
    figures = [(what, node, node.score) for what, node in places]
    figures += [(f"资金情况“{row.source}”", row, funds_score(table, row)) for row in table.funds]
    for what, node, score in figures:
        if score is None or node.scored is None:
            continue
        checked += 1
        if node.scored > score:
            says = rule.says or f"{_title(table)}：{what}的得分不应超过分值"
            results.append(Result(ERROR, document, table, node.mark, says, score, node.scored))
    if table.total_score is not None and table.total_scored is not None:
        checked += 1
        if table.total_scored > table.total_score:
            says = f"{_title(table)}：{table.total_label}的得分不应超过分值"
            results.append(
                Result(
                    ERROR, document, table, table.total_mark or table.mark, says, table.total_score, table.total_scored
                )
            )
    if checked and not results:
        says = rule.says or f"{_title(table)}：全部 {checked} 处得分均不超过分值"
        results.append(Result(OK, document, table, table.mark, says))
    return results


def rule_group_sums(document: Document, table: IndicatorTable, rule) -> list[Result]:
    """A group's printed 分值/得分 (a merged cell) = the sum of what its rows give."""
    results = []
    for group in table.groups():
        for key, word in (("score", "分值"), ("scored", "得分")):
            printed = getattr(group, key)
            parts = [v for v in (points(child, key) for child in group.children) if v is not None]
            if printed is None or not parts:
                continue
            says = rule.says or f"{_title(table)}：“{_name(group)}”的{word} = 其下各项{word}之和"
            results.append(
                _total_result(document, table, says, sum(parts, _ZERO), printed, len(parts), group.mark, rule.tolerance)
            )
    return results


def rule_weights(document: Document, table: IndicatorTable, rule) -> list[Result]:
    """Each 一级指标's 分值 (and the funds' 预算执行 分值) is the weight its form states."""
    form = table.form
    results = []
    for s in table.sets:
        for group in s.groups:
            weight = form.weights.get(group.name or "")
            found = points(group, "score")
            if weight is None or found is None:
                continue
            says = rule.says or f"{_title(table)}：“{_name(group)}”的分值 = 表样所定的 {weight} 分"
            status = OK if found == weight else ERROR
            results.append(Result(status, document, table, group.mark, says, weight, found))
    if form.funds_weight is not None:
        for row in table.funds:
            if row.score is not None:  # printed: it must be the form's
                says = rule.says or f"{_title(table)}：资金情况“{row.source}”的分值 = 表样所定的 {form.funds_weight} 分"
                status = OK if row.score == form.funds_weight else ERROR
                results.append(Result(status, document, table, row.mark, says, form.funds_weight, row.score))
    return results


def rule_total(document: Document, table: IndicatorTable, rule) -> list[Result]:
    """The total row's 分值 and 得分, and the header's 总分, = the sums of what the table scores."""
    results = []
    form = table.form
    total_at = table.total_mark or table.mark
    extra = "（含资金情况）" if any(funds_score(table, r) is not None for r in table.funds) else ""
    for key, printed, words in (
        ("score", table.total_score, f"{table.total_label}的分值 = 各项分值之和{extra}"),
        ("scored", table.total_scored, f"{table.total_label} = 各项得分之和{extra}"),
    ):
        expected, addends = sum_of(table, key)
        if printed is None or expected is None:
            continue
        says = rule.says or f"{_title(table)}：{words}"
        results.append(_total_result(document, table, says, expected, printed, addends, total_at, rule.tolerance))
    if form is not None and form.full_marks is not None and table.total_score is not None:
        says = f"{_title(table)}：{table.total_label}的分值 = 表样的满分 {form.full_marks}"
        status = OK if table.total_score == form.full_marks else ERROR
        results.append(Result(status, document, table, total_at, says, form.full_marks, table.total_score))
    if table.header_total is not None:
        stated, mark = table.header_total
        expected, addends = sum_of(table, "scored")
        if table.total_scored is not None:
            says = f"{_title(table)}：表头的总分 = {table.total_label}行的得分"
            results.append(_total_result(document, table, says, table.total_scored, stated, 1, mark, rule.tolerance))
        elif expected is not None:
            says = f"{_title(table)}：表头的总分 = 各项得分之和{extra}"
            results.append(_total_result(document, table, says, expected, stated, addends, mark, rule.tolerance))
    return results


def rule_grade(document: Document, table: IndicatorTable, rule) -> list[Result]:
    """The 等级 the table states is the one its 总分 earns by the form's bands."""
    if table.grade is None:
        return []
    stated, mark = table.grade
    score = table_score(table)
    bands = table.form.grades
    if score is None:
        return [Result(UNCHECKED, document, table, mark, f"{_title(table)}：写明的等级 {stated} 与总分所在档次相符")]
    total, source = score
    earned = grade_of(total, bands)
    says = rule.says or (
        f"{_title(table)}：写明的等级“{stated}”与总分（{source}）{total} 分按表样所在的档次“{earned}”相符"
        if earned == stated
        else f"{_title(table)}：写明的等级“{stated}”与总分（{source}）{total} 分不符：按表样应为“{earned}”"
    )
    return [Result(OK if earned == stated else ERROR, document, table, mark, says)]


def rounded_like(value: Decimal, printed: Decimal) -> Decimal:
    """value rounded to as many decimals as the printed figure shows."""
    return value.quantize(Decimal(1).scaleb(printed.as_tuple().exponent), rounding=ROUND_HALF_UP)


_RATE_WORDS = {
    "(B-C)/A": "(全年执行数 B − 上级移动支付 C) ÷ 全年预算数 A",
    "B/A": "全年执行数 B ÷ 全年预算数 A",
}


def check_rates(document: Document, table: IndicatorTable, formula: str = "(B-C)/A", rule=None) -> list[Result]:
    results = []
    for row in table.funds:
        if row.rate is None:
            continue
        says = (rule.says if rule is not None and rule.says else None) or (
            f"{table.title}：资金情况“{row.source}”的执行率（%）= {_RATE_WORDS[formula]}"
        )
        if row.budget is None or row.executed is None or row.budget == 0:
            results.append(Result(UNCHECKED, document, table, row.mark, says))
            continue
        transfer = (row.transfer or _ZERO) if formula == "(B-C)/A" else _ZERO
        exact = (row.executed - transfer) / row.budget * 100
        expected = rounded_like(exact, row.rate)
        status = OK if expected == row.rate else WARNING
        results.append(Result(status, document, table, row.mark, says, expected, row.rate))
    return results


def check_targets(document: Document, table: IndicatorTable) -> list[Result]:
    """A numeric target that the printed 完成值 misses, yet scored in full: worth a reader's attention."""
    results = []
    for leaf in table.leaves():
        target, actual = leaf.target, read_actual(leaf.actual)
        if target is None or actual is None or target.comparator not in ("≥", ">", "≤", "<"):
            continue
        value, unit = actual
        if unit != target.unit:
            continue
        met = {
            "≥": value >= target.low,
            ">": value > target.low,
            "≤": value <= target.low,
            "<": value < target.low,
        }[target.comparator]
        if not met and leaf.score and leaf.scored == leaf.score:
            says = (
                f"{table.title}：指标“{leaf.name or leaf.content}”的完成值 {leaf.actual} 未达到目标值 "
                f"{target.text}，却得满分 {leaf.scored}"
            )
            results.append(Result(WARNING, document, table, leaf.mark, says))
    return results


def check_money_block(document: Document, table: IndicatorTable, block: MoneyBlock) -> list[Result]:
    results = []
    items = [row for row in block.rows if not row.total]
    for total in (row for row in block.rows if row.total):
        for column in block.columns:
            if column.type != "amount":
                continue
            found = total.cells.get(column.label)
            parts = [row.cells[column.label].amount for row in items if column.label in row.cells]
            if found is None or found.amount is None or not parts:
                continue
            says = f"{table.title}：{block.title}“{total.label}”{column.label} = 各项之和"
            results.append(_total_result(document, table, says, _sum(parts), found.amount, len(parts), found.mark))
        results += check_shares(document, table, block, total)
    return results


def check_shares(document, table, block: MoneyBlock, total) -> list[Result]:
    """占比 = the row's amount ÷ the 合计, when the block has one amount and one percent column."""
    amounts = [c for c in block.columns if c.type == "amount"]
    percents = [c for c in block.columns if c.type == "percent"]
    if len(amounts) != 1 or len(percents) != 1:
        return []
    amount, percent = amounts[0].label, percents[0].label
    base = total.cells.get(amount)
    if base is None or not base.amount:
        return []
    results = []
    for row in block.rows:
        share, value = row.cells.get(percent), row.cells.get(amount)
        if share is None or value is None or value.amount is None:
            continue
        expected = rounded_like(value.amount / base.amount * 100, share.amount)
        says = f"{table.title}：{block.title}“{row.label}”的{percent}（%）= {format_amount(value.amount)} ÷ {format_amount(base.amount)}"
        status = OK if expected == share.amount else WARNING
        results.append(Result(status, document, table, share.mark, says, expected, share.amount))
    return results


RULES = {
    "得分不超过分值": rule_not_over,
    "分组合计": rule_group_sums,
    "权重": rule_weights,
    "总分": rule_total,
    "等级": rule_grade,
    "执行率": lambda document, table, rule: check_rates(document, table, table.form.rate or "(B-C)/A", rule),
}


def check_indicator_table(document: Document, table: IndicatorTable) -> list[Result]:
    if table.form is None:
        results = check_scores(document, table) + check_rates(document, table)
    else:
        results = [result for rule in table.form.rules for result in RULES[rule.check](document, table, rule)]
    results += check_targets(document, table)
    for block in table.money:
        results += check_money_block(document, table, block)
    return results
