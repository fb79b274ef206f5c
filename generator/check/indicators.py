"""Check stage, performance tables: scores, the 总分, the stated 执行率 and the 合计 of money blocks.

What a reader of a 自评表 takes on trust: that no indicator scored more than its 分值, that the
总分 is the sum of the 得分 (and the 分值 add up to the printed full marks), that the 执行率 is
(B−C)/A of the printed A, B and C, and that a target reported as missed did not get full marks.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from ..core.amounts import format_amount
from ..core.model import Document, IndicatorTable, MoneyBlock
from ..core.results import ERROR, NOTICE, OK, WARNING, Result
from ..load.indicators import read_actual

_ZERO = Decimal(0)


def _sum(values) -> Decimal:
    return sum((v for v in values if v is not None), _ZERO)


def _total_result(document, table, says, expected, found, addends, mark) -> Result:
    miss = abs(found - expected)
    status = OK if miss == 0 else NOTICE if miss <= Decimal("0.01") * max(1, addends) else ERROR
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


def rounded_like(value: Decimal, printed: Decimal) -> Decimal:
    """value rounded to as many decimals as the printed figure shows."""
    return value.quantize(Decimal(1).scaleb(printed.as_tuple().exponent), rounding=ROUND_HALF_UP)


def check_rates(document: Document, table: IndicatorTable) -> list[Result]:
    results = []
    for row in table.funds:
        if row.rate is None:
            continue
        says = f"{table.title}：资金情况“{row.source}”的执行率（%）= (全年执行数 B − 上级移动支付 C) ÷ 全年预算数 A"
        if row.budget is None or row.executed is None or row.budget == 0:
            results.append(Result("unchecked", document, table, row.mark, says))
            continue
        exact = (row.executed - (row.transfer or _ZERO)) / row.budget * 100
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


def check_indicator_table(document: Document, table: IndicatorTable) -> list[Result]:
    results = check_scores(document, table) + check_rates(document, table) + check_targets(document, table)
    for block in table.money:
        results += check_money_block(document, table, block)
    return results
