"""Render stage, performance tables: the printed 申报表 / 自评表 as a few small tables, one per block.

The indicator rows read as the printed form: 一级 and 二级 指标 are merged cells over the rows
they head. Scores are shown as typed (10, 89.00), amounts with two decimals.
"""

from __future__ import annotations

from decimal import Decimal

from markupsafe import Markup, escape

from .amounts import format_amount
from .model import AmountTable, Indicator, IndicatorGroup, IndicatorSet, IndicatorTable, MoneyBlock, Value
from .render_tables import _after

NUMERIC = ("score", "scored")


def _lines(text: str | None) -> Markup:
    return Markup("<br>").join(escape(line) for line in (text or "").split("\n"))


def _scroll(label: str, inner: Markup) -> Markup:
    return Markup('<div class="gk-scroll" role="region" tabindex="0" aria-label="{}（可左右滑动）">{}</div>').format(
        label, inner
    )


def _score(value: Decimal | None) -> str:
    return "" if value is None else str(value)


def _amount(value: Decimal | None) -> str:
    return "" if value is None else format_amount(value)


def render_pairs(table: IndicatorTable, pairs: list[tuple[str, str]], what: str, css: str) -> Markup:
    """Label and text, one row each: the 基本情况 (facts) and the longer 说明与目标 (goals)."""
    rows = Markup("").join(
        Markup('<tr><th scope="row">{}</th><td>{}</td></tr>').format(label, _lines(text)) for label, text in pairs
    )
    caption = f"{table.title}：{what}"
    return _scroll(
        caption,
        Markup('<table class="gk-perf {}"><caption>{}</caption><tbody>{}</tbody></table>').format(css, caption, rows),
    )


def render_funds(table: IndicatorTable) -> Markup:
    head = ["资金来源", "全年预算数（A）", "全年执行数（B）", "上级移动支付（C）", "分值", "执行率（(B−C)/A）", "得分"]
    out = Markup('<table class="gk-perf gk-funds"><caption>{}：资金情况</caption><thead><tr>').format(table.title)
    out += Markup("").join(Markup('<th scope="col">{}</th>').format(h) for h in head)
    out += Markup("</tr></thead><tbody>")
    for row in table.funds:
        out += Markup(
            '<tr><th scope="row">{}</th><td class="gk-num">{}</td><td class="gk-num">{}</td><td class="gk-num">{}</td>'
            '<td class="gk-num">{}</td><td class="gk-num">{}</td><td class="gk-num">{}</td></tr>'
        ).format(
            row.source,
            _amount(row.budget),
            _amount(row.executed),
            _amount(row.transfer),
            _score(row.score),
            f"{row.rate}%" if row.rate is not None else "",
            _score(row.scored),
        )
    return _scroll(f"{table.title}：资金情况", out + Markup("</tbody></table>"))


def _money_cell(value: Value | None, kind: str) -> Markup:
    if value is None:
        return Markup('<td class="gk-num"></td>' if kind != "text" else "<td></td>")
    if kind == "amount":
        return Markup('<td class="gk-num">{}</td>').format(format_amount(value.amount))
    if kind == "percent":
        return Markup('<td class="gk-num">{}</td>').format(value.text)
    return Markup("<td>{}</td>").format(value.text)


def render_amount_table(table: AmountTable) -> Markup:
    meta = Markup("")
    if table.caption or table.unit:
        meta = Markup('<div class="gk-table-meta"><span>{}</span><span>{}</span></div>').format(
            table.caption or "", f"金额单位：{table.unit}" if table.unit else ""
        )
    return meta + render_money(table.block) + _after(table.note, table.statement)


def render_money(block: MoneyBlock) -> Markup:
    out = Markup('<table class="gk-perf gk-money"><caption>{}</caption><thead><tr><th scope="col">{}</th>').format(
        block.title, block.head
    )
    out += Markup("").join(Markup('<th scope="col">{}</th>').format(c.label) for c in block.columns)
    out += Markup("</tr></thead><tbody>")
    for row in block.rows:
        out += Markup('<tr><th scope="row"{}>{}</th>').format(
            Markup(' class="gk-total"') if row.total else "", row.label
        )
        out += Markup("").join(_money_cell(row.cells.get(c.label), c.type) for c in block.columns)
        out += Markup("</tr>")
    return _scroll(block.title, out + Markup("</tbody></table>"))


def _leaf_cell(key: str, leaf: Indicator) -> Markup:
    if key in NUMERIC:
        return Markup('<td class="gk-num gk-{}">{}</td>').format(key, _score(getattr(leaf, key)))
    if key == "target":
        target = leaf.target
        if target is None:
            return Markup("<td></td>")
        if target.comparator is None:
            return Markup('<td class="gk-target">{}</td>').format(target.text)
        return Markup('<td class="gk-target" data-comparator="{}" data-value="{}" data-unit="{}">{}</td>').format(
            target.comparator, target.low, target.unit, target.text
        )
    if key == "name":
        return Markup('<th scope="row" class="gk-indicator">{}</th>').format(leaf.name or "")
    return Markup("<td>{}</td>").format(_lines(getattr(leaf, key)))


def _rows(groups: list[IndicatorGroup], columns: list[tuple[str, str]]) -> list[Markup]:
    """One <tr> per leaf; each group's name opens the first row under it, spanning all of them."""
    levels = [key for key, _ in columns if key.startswith("level")]
    leaf_keys = [key for key, _ in columns if not key.startswith("level")]
    rows: list[Markup] = []

    def walk(node, opened: list[IndicatorGroup]):
        if isinstance(node, IndicatorGroup):
            children = node.children or []
            for i, child in enumerate(children):
                walk(child, opened + [node] if i == 0 else [])
            return
        cells = Markup("")
        for group in opened[-len(levels) :] if levels else []:
            span = len(group.leaves())
            cells += Markup('<th scope="rowgroup" class="gk-level"{}>{}</th>').format(
                Markup(' rowspan="{}"').format(span) if span > 1 else "", group.name or ""
            )
        cells += Markup("").join(_leaf_cell(key, node) for key in leaf_keys)
        rows.append(Markup("<tr>{}</tr>").format(cells))

    for group in groups:
        walk(group, [])
    return rows


def render_set(table: IndicatorTable, indicator_set: IndicatorSet, last: bool) -> Markup:
    caption = f"{table.title}：{indicator_set.label}"
    out = Markup('<table class="gk-perf gk-indicators"><caption>{}</caption>').format(caption)
    out += Markup("<thead><tr>{}</tr></thead><tbody>").format(
        Markup("").join(Markup('<th scope="col">{}</th>').format(label) for _, label in table.columns)
    )
    out += Markup("").join(_rows(indicator_set.groups, table.columns))
    keys = [key for key, _ in table.columns]
    if last and (table.total_score is not None or table.total_scored is not None) and "score" in keys:
        before = keys.index("score")
        out += Markup('<tr class="gk-total-row"><th scope="row" colspan="{}" class="gk-total">{}</th>').format(
            before, table.total_label
        )
        for key in keys[before:]:
            value = {"score": table.total_score, "scored": table.total_scored}.get(key)
            out += Markup('<td class="gk-num">{}</td>').format(_score(value)) if key in NUMERIC else Markup("<td></td>")
        out += Markup("</tr>")
    out += Markup("</tbody></table>")
    goal = Markup('<p class="gk-perf-goal">{}</p>').format(indicator_set.goal) if indicator_set.goal else ""
    return goal + _scroll(caption, out)


def render_indicator_table(table: IndicatorTable) -> Markup:
    parts = [Markup('<div class="gk-perf-form" id="{}-form">').format(table.anchor)]
    if table.caption or table.unit:
        parts.append(
            Markup('<div class="gk-table-meta"><span>{}</span><span>{}</span></div>').format(
                table.caption or "", f"金额单位：{table.unit}" if table.unit else ""
            )
        )
    if table.facts:
        parts.append(render_pairs(table, table.facts, "基本情况", "gk-facts"))
    if table.funds:
        parts.append(render_funds(table))
    parts += [render_money(block) for block in table.money]
    if table.goals:
        parts.append(render_pairs(table, table.goals, "说明与目标", "gk-goals"))
    parts += [render_set(table, s, i == len(table.sets) - 1) for i, s in enumerate(table.sets)]
    parts.append(_after(table.note, None))
    parts.append(Markup("</div>"))
    return Markup("").join(parts)
