"""Render stage, performance tables: the printed 申报表 / 自评表 as a few small tables, one per block.

The indicator rows read as the printed form: 一级 and 二级 指标 are merged cells over the rows
they head, and so are the 分值 and 得分 of a form that prints them once per 一级 or 二级 指标 (never
credited to the group's first indicator). A table on a declared form is printed as the form
declares it: its blocks in the form's order, its funds' columns under the form's labels, a ticked
box (项目类别 □/☑) as the form prints its choices. Scores are shown as typed (10, 89.00), and so
are amounts, with thousands separators (10,276 and 29,525.64, as seed 000 prints them).
"""

from __future__ import annotations

from decimal import Decimal

from markupsafe import Markup

from ..core.amounts import format_as_typed
from ..core.model import (
    DEFAULT_BLOCKS,
    AmountTable,
    Indicator,
    IndicatorGroup,
    IndicatorSet,
    IndicatorTable,
    MoneyBlock,
    Value,
)
from ..core.scores import total_row_start
from .escaping import escape
from .tables import after_table

NUMERIC = ("score", "scored")
# A text cell longer than this (a 计分标准, a 目标内容 in sentences) is set in a column at least 14em
# wide (gongkai.css): without, a form of many columns squeezed it to four characters a line.
WORDS = 24


def _lines(text: str | None) -> str:
    if not text:
        return ""
    if "\n" not in text:  # most texts are one line
        return escape(text)
    return "<br>".join([escape(line) for line in text.split("\n")])


def _scroll(label: str, inner: str) -> str:
    """*inner* (HTML) in a labelled box that scrolls sideways on a narrow screen."""
    return f'<div class="gk-scroll" role="region" tabindex="0" aria-label="{escape(label)}（可左右滑动）">{inner}</div>'


# Numbers formatted here (str of a Decimal, format_as_typed) are digits, '.', ',', '-', 'E' and '+':
# nothing to escape. Every text from data/ goes through escape().


def _score(value: Decimal | None) -> str:
    return "" if value is None else str(value)


def _amount(value: Decimal | None) -> str:
    return "" if value is None else format_as_typed(value)


def _meta(caption: str | None, unit: str | None) -> str:
    unit_line = f"金额单位：{unit}" if unit else ""
    return f'<div class="gk-table-meta"><span>{escape(caption or "")}</span><span>{escape(unit_line)}</span></div>'


def _ticks(choices: tuple[str, ...], chosen: str) -> str:
    """The printed boxes of a choice, the chosen one ticked (☑) and the others not (□)."""
    return "　".join(f"{'☑' if choice == chosen else '□'}{escape(choice)}" for choice in choices)


def _fact_cell(table: IndicatorTable, label: str, text: str) -> str:
    spec = table.form.fact(label) if table.form is not None else None
    if spec is not None and spec.role == "choice" and text in spec.choices:
        return f'<td class="gk-ticks">{_ticks(spec.choices, text)}</td>'
    return f"<td>{_lines(text)}</td>"


def _render_pairs(table: IndicatorTable, pairs: list[tuple[str, str]], what: str, css: str) -> str:
    rows = "".join(
        f'<tr><th scope="row">{escape(label)}</th>{_fact_cell(table, label, text)}</tr>' for label, text in pairs
    )
    caption = f"{table.title}：{what}"
    return _scroll(
        caption,
        f'<table class="gk-perf {escape(css)}"><caption>{escape(caption)}</caption><tbody>{rows}</tbody></table>',
    )


def _funds_cell(key: str, row) -> str:
    value = getattr(row, key)
    if key == "source":
        return f'<th scope="row">{escape(row.source)}</th>'
    if key == "rate":
        return f'<td class="gk-num">{"" if value is None else f"{value}%"}</td>'
    if key in NUMERIC:
        return f'<td class="gk-num">{_score(value)}</td>'
    return f'<td class="gk-num">{_amount(value)}</td>'


def _render_funds(table: IndicatorTable) -> str:
    """The funds' columns as the table's form prints them (their labels exactly: 执行率（B/A） or
    执行率 ((B-C)/A)), in its order."""
    out = [f'<table class="gk-perf gk-funds"><caption>{escape(table.title)}：资金情况</caption><thead><tr>']
    out += [f'<th scope="col">{escape(label)}</th>' for _, label in table.funds_columns]
    out.append("</tr></thead><tbody>")
    for row in table.funds:
        out.append("<tr>" + "".join(_funds_cell(key, row) for key, _ in table.funds_columns) + "</tr>")
    out.append("</tbody></table>")
    return _scroll(f"{table.title}：资金情况", "".join(out))


def _money_cell(value: Value | None, kind: str) -> str:
    if value is None:
        return '<td class="gk-num"></td>' if kind != "text" else "<td></td>"
    if kind == "amount":
        return f'<td class="gk-num">{format_as_typed(value.amount)}</td>'
    if kind == "percent":
        return f'<td class="gk-num">{escape(value.text)}</td>'
    return f"<td>{escape(value.text)}</td>"


def render_amount_table(table: AmountTable) -> Markup:
    meta = _meta(table.caption, table.unit) if table.caption or table.unit else ""
    return Markup(meta + _render_money(table.block) + after_table(table.note, table.statement))


def _render_money(block: MoneyBlock) -> str:
    out = [
        f'<table class="gk-perf gk-money"><caption>{escape(block.title)}</caption><thead><tr>'
        f'<th scope="col">{escape(block.head)}</th>'
    ]
    out += [f'<th scope="col">{escape(c.label)}</th>' for c in block.columns]
    out.append("</tr></thead><tbody>")
    for row in block.rows:
        total = ' class="gk-total"' if row.total else ""
        out.append(f'<tr><th scope="row"{total}>{escape(row.label)}</th>')
        out += [_money_cell(row.cells.get(c.label), c.type) for c in block.columns]
        out.append("</tr>")
    out.append("</tbody></table>")
    return _scroll(block.title, "".join(out))


_NUMERIC_CELL = {key: f'<td class="gk-num gk-{escape(key)}">' for key in NUMERIC}


def _leaf_cell(key: str, leaf: Indicator) -> str:
    if key in _NUMERIC_CELL:
        return f"{_NUMERIC_CELL[key]}{_score(getattr(leaf, key))}</td>"
    if key == "target":
        target = leaf.target
        if target is None:
            return "<td></td>"
        css = "gk-target gk-words" if len(target.text) > WORDS else "gk-target"  # a target in sentences
        if target.comparator is None:
            return f'<td class="{css}">{escape(target.text)}</td>'
        return (
            f'<td class="{css}" data-comparator="{escape(target.comparator)}" data-value="{escape(target.low)}"'
            f' data-unit="{escape(target.unit)}">{escape(target.text)}</td>'
        )
    if key == "name":
        return f'<th scope="row" class="gk-indicator">{escape(leaf.name or "")}</th>'
    text = getattr(leaf, key)
    if text and len(text) > WORDS:  # a rule or a target in words: a column wide enough to read it
        return f'<td class="gk-words">{_lines(text)}</td>'
    return f"<td>{_lines(text)}</td>"


def _merged_score(key: str, group: IndicatorGroup, span: int) -> str:
    rowspan = f' rowspan="{span}"' if span > 1 else ""
    return f'<td class="gk-num gk-{escape(key)} gk-merged"{rowspan}>{_score(getattr(group, key))}</td>'


def _group_name(group: IndicatorGroup) -> str:
    """A group's name, with the subtotal it prints beside it (产出指标（50 分）) when its 分值 is
    not a merged cell of its own."""
    name = escape(group.name or "")
    if group.score is None and group.scored is None:
        return name
    said = [f"{group.score} 分"] if group.score is not None else []
    said += [f"得分 {group.scored}"] if group.scored is not None else []
    return f"{name}（{'，'.join(said)}）"


def _labelled(cell: str, label: str) -> str:
    """A <td> with its column's name (data-label), which a phone's layout without the script shows
    before it (gongkai.css; the script writes the same into every table it stacks)."""
    if not cell.startswith("<td"):
        return cell
    end = cell.index(">")
    return f'{cell[:end]} data-label="{escape(label)}"{cell[end:]}'


def _rows(groups: list[IndicatorGroup], columns: list[tuple[str, str]], merged_depth: int | None = None) -> list[str]:
    """One <tr> per leaf; each group's name opens the first row under it, spanning all of them, and
    so do its 分值 and 得分 when the form prints them once per group (at *merged_depth*, 1: 一级)."""
    levels = [key for key, _ in columns if key.startswith("level")]
    leaf_keys = [key for key, _ in columns if not key.startswith("level")]
    labels = dict(columns)
    rows: list[str] = []
    spans: dict[IndicatorGroup, int] = {}  # a group's leaves, counted once for the set instead of once per row it opens

    def count(node) -> int:
        if not isinstance(node, IndicatorGroup):
            return 1
        spans[node] = sum(count(child) for child in node.children or [])
        return spans[node]

    for group in groups:
        count(group)

    def walk(node, opened: list[IndicatorGroup], path: list[IndicatorGroup]):
        if isinstance(node, IndicatorGroup):
            children = node.children or []
            for i, child in enumerate(children):
                walk(child, opened + [node] if i == 0 else [], path + [node])
            return
        cells = []
        for group in opened[-len(levels) :] if levels else []:
            span = spans[group]
            rowspan = f' rowspan="{span}"' if span > 1 else ""
            merged = merged_depth is not None and len(path) >= merged_depth and group is path[merged_depth - 1]
            label = escape(group.name or "") if merged else _group_name(group)
            cells.append(f'<th scope="rowgroup" class="gk-level"{rowspan}>{label}</th>')
        holder = path[merged_depth - 1] if merged_depth is not None and len(path) >= merged_depth else None
        for key in leaf_keys:
            if holder is None or key not in NUMERIC:
                cells.append(_labelled(_leaf_cell(key, node), labels[key]))
            elif holder in opened:  # the first row under the group: its merged cell
                cells.append(_labelled(_merged_score(key, holder, spans[holder]), labels[key]))
        rows.append(f"<tr>{''.join(cells)}</tr>")

    for group in groups:
        walk(group, [], [])
    return rows


def _pins(keys: list[str]) -> str:
    """The table's class that says which score columns are pinned at the right edge of a table
    wider than the screen (gongkai.css): 分值 and 得分, or the one it prints. With both, 分值 is
    pinned a column's width from the edge when 得分 comes after it."""
    scores = [key for key in keys if key in NUMERIC]
    return " gk-pins2" if scores == ["score", "scored"] else " gk-pins1" if len(scores) == 1 else ""


def _render_set(table: IndicatorTable, indicator_set: IndicatorSet, last: bool) -> str:
    caption = f"{table.title}：{indicator_set.label}"
    keys = [key for key, _ in table.columns]
    out = [f'<table class="gk-perf gk-indicators{_pins(keys)}"><caption>{escape(caption)}</caption><thead><tr>']
    out += [
        f'<th scope="col" class="gk-{key}">{escape(label)}</th>'
        if key in NUMERIC
        else f'<th scope="col">{escape(label)}</th>'
        for key, label in table.columns
    ]
    out.append("</tr></thead><tbody>")
    out += _rows(indicator_set.groups, table.columns, table.form.merged_level if table.form is not None else None)
    before = total_row_start(keys)
    if last and (table.total_score is not None or table.total_scored is not None) and before is not None:
        out.append(
            f'<tr class="gk-total-row"><th scope="row" colspan="{before}" class="gk-total">'
            f"{escape(table.total_label)}</th>"
        )
        labels = dict(table.columns)
        for key in keys[before:]:
            value = {"score": table.total_score, "scored": table.total_scored}.get(key)
            cell = f"{_NUMERIC_CELL[key]}{_score(value)}</td>" if key in NUMERIC else "<td></td>"
            out.append(_labelled(cell, labels[key]))
        out.append("</tr>")
    out.append("</tbody></table>")
    goal = f'<p class="gk-perf-goal">{escape(indicator_set.goal)}</p>' if indicator_set.goal else ""
    grade = ""
    if last and table.grade is not None:  # the 等级 the table prints, as printed
        grade = f'<p class="gk-perf-grade">等级：{escape(table.grade[0])}</p>'
    return goal + _scroll(caption, "".join(out)) + grade


def render_indicator_table(table: IndicatorTable) -> Markup:
    # Plain string building with an explicit escape() of every text from data/: Markup.format was
    # a third of the render stage.
    parts = [f'<div class="gk-perf-form" id="{escape(table.anchor)}-form">']
    if table.caption or table.unit:
        parts.append(_meta(table.caption, table.unit))
    blocks = {
        "facts": lambda: [_render_pairs(table, table.facts, "基本情况", "gk-facts")] if table.facts else [],
        "funds": lambda: [_render_funds(table)] if table.funds else [],
        "money": lambda: [_render_money(block) for block in table.money],
        "goals": lambda: [_render_pairs(table, table.goals, "说明与目标", "gk-goals")] if table.goals else [],
        "indicators": lambda: [_render_set(table, s, i == len(table.sets) - 1) for i, s in enumerate(table.sets)],
    }
    order = table.form.blocks if table.form is not None else DEFAULT_BLOCKS
    for name in (*order, *(name for name in DEFAULT_BLOCKS if name not in order)):  # none left out
        parts += blocks[name]()
    parts.append(after_table(table.note, None))
    parts.append("</div>")
    return Markup("".join(parts))
