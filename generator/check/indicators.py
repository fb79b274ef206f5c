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
from ..load.indicators import convert, read_actual, source_name

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
        tolerance = rule.tolerance if rule is not None else None
        results.append(_rounding_result(document, table, row.mark, says, exact, row.rate, tolerance, WARNING))
    return results


def _indicator(leaf: Indicator) -> str:
    return leaf.name if leaf.name and leaf.content is None else leaf.content or leaf.name or "（未命名）"


_MET = {
    "≥": lambda value, target: value >= target.low,
    ">": lambda value, target: value > target.low,
    "≤": lambda value, target: value <= target.low,
    "<": lambda value, target: value < target.low,
    "=": lambda value, target: value == target.low,
    "区间": lambda value, target: target.low <= value <= target.high,
}
# What a 完成值 that states only a bound (>95%, ≥100%) tells of a target: met when the bound lies
# on the target's side; when it does not, the value is not known and nothing is said.
_BOUND_SIDE = {"≥": ("≥", ">"), ">": ("≥", ">"), "≤": ("≤", "<"), "<": ("≤", "<")}


def target_met(leaf: Indicator) -> tuple[bool | None, str | None]:
    """(met, why not known): whether the printed 完成值 satisfies the 年度指标值's comparator.
    met is None when it cannot be told: the why is a reason to report (two numbers whose units do
    not convert), or None (words, a ± target, a bound that says nothing of the target)."""
    target, actual = leaf.target, read_actual(leaf.actual)
    if target is None or actual is None or target.comparator not in _MET:
        return None, None
    sign, value, unit = actual
    value = convert(value, unit, target.unit)
    if value is None:
        return None, f"完成值的单位“{unit or '无'}”与目标值的单位“{target.unit or '无'}”不能换算"
    met = _MET[target.comparator](value, target)
    if sign != "=":
        if not met or target.comparator not in _BOUND_SIDE or sign not in _BOUND_SIDE[target.comparator]:
            return None, None
    return met, None


def rule_targets(document: Document, table: IndicatorTable, rule=None) -> list[Result]:
    """A numeric target the printed 完成值 misses, yet scored in full; a deduction with no 偏差原因
    written, on a form that prints the column for it. Both are warnings: a reader's question, not
    arithmetic that fails."""
    results = []
    has_reason = "reason" in [key for key, _ in table.columns]
    # an indicator with no 分值 of its own is scored in the merged cell of its group
    scored_in = {}
    for group in table.groups():  # outer groups first: an inner group that prints scores wins
        if group.score is not None and group.scored is not None:
            scored_in.update((id(leaf), group) for leaf in group.leaves())
    for leaf in table.leaves():
        what = f"{table.title}：指标“{_indicator(leaf)}”"
        met, why = target_met(leaf)
        node = leaf if leaf.score is not None else scored_in.get(id(leaf))
        if why is not None:
            says = f"{what}的完成值 {leaf.actual} 达到目标值 {leaf.target.text}"
            results.append(Result(UNCHECKED, document, table, leaf.mark, says, reason=why))
        elif met:
            says = f"{what}的完成值 {leaf.actual} 达到目标值 {leaf.target.text}"
            results.append(Result(OK, document, table, leaf.mark, says))
        elif met is False and node is not None and node.scored is not None:
            whose = "，" if node is leaf else f"，所在的“{_name(node)}”"
            if node.score > 0 and node.scored == node.score:
                says = (rule.says if rule is not None and rule.says else None) or (
                    f"{what}的完成值 {leaf.actual} 未达到目标值 {leaf.target.text}{whose}却得满分 {node.scored}"
                )
                results.append(Result(WARNING, document, table, leaf.mark, says))
            else:
                says = f"{what}的完成值 {leaf.actual} 未达到目标值 {leaf.target.text}{whose}已扣分"
                results.append(Result(OK, document, table, leaf.mark, says))
        if has_reason and _deducted(leaf) and not (leaf.reason or "").strip():
            says = f"{what}扣了分（{leaf.scored} / {leaf.score}），偏差原因却未填写"
            results.append(Result(WARNING, document, table, leaf.mark, says))
    if has_reason:
        for group in table.groups():
            if _deducted(group) and not any((leaf.reason or "").strip() for leaf in group.leaves()):
                says = f"{table.title}：“{_name(group)}”扣了分（{group.scored} / {group.score}），其下各项的偏差原因却都未填写"
                results.append(Result(WARNING, document, table, group.mark, says))
    return results


def _deducted(node) -> bool:
    return node.score is not None and node.scored is not None and node.scored < node.score


def check_targets(document: Document, table: IndicatorTable) -> list[Result]:
    """The target checks of a table on no form (a form declares them as the rule 目标完成)."""
    return rule_targets(document, table)


def _rounding_result(document, table, mark, says, expected_exact, printed, tolerance, miss=ERROR) -> Result:
    """A figure worked out and rounded as printed: equal is OK; within *tolerance* (default: one in
    the last printed digit) a near miss of rounding, a notice; more, *miss*."""
    expected = rounded_like(expected_exact, printed)
    allowed = tolerance if tolerance is not None else Decimal(1).scaleb(printed.as_tuple().exponent)
    gap = abs(expected - printed)
    status = OK if gap == 0 else NOTICE if gap <= allowed else miss
    return Result(status, document, table, mark, says, expected, printed)


def rule_completion(document: Document, table: IndicatorTable, rule) -> list[Result]:
    """A printed 完成率 = 完成值 ÷ 目标值 (in the target's unit), rounded as printed."""
    results = []
    for leaf in table.leaves():
        if not leaf.completion:
            continue
        what = f"{table.title}：指标“{_indicator(leaf)}”"
        says = (
            rule.says
            or f"{what}的完成率（%）= 完成值 {leaf.actual or '（空）'} ÷ 目标值 {leaf.target.text if leaf.target else '（空）'}"
        )
        printed = read_actual(leaf.completion)
        target, actual = leaf.target, read_actual(leaf.actual)
        why = None
        if printed is None or printed[0] != "=" or printed[2] != "%":
            why = f"完成率“{leaf.completion}”不是一个百分数"
        elif target is None or target.low is None or target.comparator in ("区间", "±") or not target.low:
            why = "目标值不是一个数"
        elif actual is None or actual[0] != "=":
            why = "完成值不是一个数"
        elif (value := convert(actual[1], actual[2], target.unit)) is None:
            why = f"完成值的单位“{actual[2] or '无'}”与目标值的单位“{target.unit or '无'}”不能换算"
        if why is not None:
            results.append(Result(UNCHECKED, document, table, leaf.mark, says, reason=why))
            continue
        exact = value / target.low * 100
        results.append(_rounding_result(document, table, leaf.mark, says, exact, printed[1], rule.tolerance))
    return results


def rule_funds_scored(document: Document, table: IndicatorTable, rule) -> list[Result]:
    """预算执行 得分 = 分值 × 执行率, at most the 分值 (above 100 %: as the form declares; assumed
    capped when it does not say, so a miss there is a warning), rounded as the form declares or
    as printed. The 执行率 is the printed one (what the form's 得分 is worked from), else the one A,
    B and C give."""
    results = []
    form = table.form
    scoring = form.funds_scoring
    for row in table.funds:
        score = funds_score(table, row)
        if row.scored is None or score is None:
            continue
        says = rule.says or f"{table.title}：资金情况“{row.source}”的得分 = 分值 {score} × 执行率"
        rate = row.rate
        if rate is None and row.budget and row.executed is not None:
            transfer = (row.transfer or _ZERO) if form.rate == "(B-C)/A" else _ZERO
            rate = (row.executed - transfer) / row.budget * 100
        if rate is None:
            results.append(
                Result(UNCHECKED, document, table, row.mark, says, reason="没有执行率，也没有全年预算数和执行数")
            )
            continue
        miss = ERROR
        if rate > 100:
            if scoring.above_full == "zero":
                exact = _ZERO
                says = rule.says or f"{says}（执行率超过 100%，按表样得 0 分）"
            else:
                exact = score
                if scoring.declared:
                    says = rule.says or f"{says}（执行率超过 100%，按表样得满分）"
                else:
                    says = (
                        rule.says
                        or f"{says}（执行率 {format_amount(rate)}% 超过 100%，表样未规定此时怎样计分，按满分核对）"
                    )
                    miss = WARNING
        else:
            exact = score * rate / 100
        shown = Decimal(1).scaleb(row.scored.as_tuple().exponent)
        step = scoring.rounding if scoring.rounding is not None else shown
        expected = exact.quantize(step, rounding=ROUND_HALF_UP)
        allowed = rule.tolerance if rule.tolerance is not None else max(step, shown)
        gap = abs(expected - row.scored)
        status = OK if gap == 0 else NOTICE if gap <= allowed else miss
        results.append(Result(status, document, table, row.mark, says, expected, row.scored))
    return results


_FUNDS_AMOUNTS = (
    ("initial", "年初预算数"),
    ("budget", "全年预算数"),
    ("executed", "全年执行数"),
    ("transfer", "上级移动支付"),
)


def rule_funds_parts(document: Document, table: IndicatorTable, rule) -> list[Result]:
    """The funds' 合计 row (年度资金总额) = each declared list of its parts (其中 …), column by
    column; a part that alone equals the whole while another is not zero is pointed out."""
    form = table.form
    by_name = {source_name(row.source): row for row in table.funds}
    whole = by_name.get(form.funds_total or "")
    if whole is None:
        return []
    results = []
    for group in form.funds_parts:
        rows = [by_name[name] for name in group if name in by_name]
        if not rows:
            continue
        names = " + ".join(row.source for row in rows)
        for key, word in _FUNDS_AMOUNTS:
            found = getattr(whole, key)
            parts = [(row, getattr(row, key)) for row in rows if getattr(row, key) is not None]
            if found is None or not parts:
                continue
            says = rule.says or f"{table.title}：资金情况“{whole.source}”的{word} = {names}"
            total = _sum(value for _, value in parts)
            results.append(_total_result(document, table, says, total, found, len(parts), whole.mark, rule.tolerance))
            named = [(row.source, row.mark, value) for row, value in parts]
            results += _parts_equal_to_whole(document, table, f"资金情况的{word}", whole.source, found, named)
    return results


def _parts_equal_to_whole(document, table, what, whole, found, parts) -> list[Result]:
    """基本支出 and 项目支出 each printed equal to the whole: the sum says that they do not add up;
    this says which parts, each at its line. *parts*: (printed name, mark, amount) of each."""
    if not found or _sum(value for _, _, value in parts) == found:
        return []
    results = []
    for index, (name, mark, value) in enumerate(parts):
        if value != found:
            continue
        others = [part for other, part in enumerate(parts) if other != index]
        names = "、".join(f"“{other}”" for other, _, _ in others)
        says = f"{table.title}：{what}“{name}”等于“{whole}”，{names}却不为零：部分不能等于整体"
        expected = found - _sum(v for _, _, v in others)
        results.append(Result(ERROR, document, table, mark, says, expected, value))
    return results


def check_money_block(document: Document, table: IndicatorTable, block: MoneyBlock) -> list[Result]:
    results = []
    items = [row for row in block.rows if not row.total]
    for total in (row for row in block.rows if row.total):
        for column in block.columns:
            if column.type != "amount":
                continue
            found = total.cells.get(column.label)
            cells = [(row, row.cells[column.label]) for row in items if column.label in row.cells]
            parts = [cell.amount for _, cell in cells]
            if found is None or found.amount is None or not parts:
                continue
            says = f"{table.title}：{block.title}“{total.label}”{column.label} = 各项之和"
            results.append(_total_result(document, table, says, _sum(parts), found.amount, len(parts), found.mark))
            named = [(row.label, cell.mark, cell.amount) for row, cell in cells if cell.amount is not None]
            what = f"{block.title}{column.label}"
            results += _parts_equal_to_whole(document, table, what, total.label, found.amount, named)
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
    "目标完成": rule_targets,
    "完成率": rule_completion,
    "预算执行得分": rule_funds_scored,
    "资金合计": rule_funds_parts,
    "得分不超过分值": rule_not_over,
    "分组合计": rule_group_sums,
    "权重": rule_weights,
    "总分": rule_total,
    "等级": rule_grade,
    "执行率": lambda document, table, rule: check_rates(document, table, table.form.rate or "(B-C)/A", rule),
}


def check_indicator_table(document: Document, table: IndicatorTable) -> list[Result]:
    if table.form is None:
        results = check_scores(document, table) + check_rates(document, table) + check_targets(document, table)
    else:
        results = [result for rule in table.form.rules for result in RULES[rule.check](document, table, rule)]
    for block in table.money:
        results += check_money_block(document, table, block)
    return results
