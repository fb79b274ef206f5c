"""Render stage, headline figures as HTML: a card per figure, each amount a link to its cell, and
the figures a figure is made of (the 三公's items) as a small table of 预算数 and 决算数.

The figures come from render/headline.py; amounts are shown as the tables show them (29,527.51),
scores and rates as typed.
"""

from __future__ import annotations

from decimal import Decimal

from markupsafe import Markup

from ..core.amounts import format_amount
from .escaping import escape
from .headline import Figure, Headline
from .tables import unreadable_content


def _shown(figure: Figure, amount: Decimal | None, printed: str | None = None) -> str:
    """An amount, or what the original prints where it cannot be read (as the table shows it)."""
    if amount is None:
        return unreadable_content(printed or "")
    if figure.unit == "%":
        return f"{amount}%"
    if figure.unit == "分":
        return f"{amount} 分"
    return f"{format_amount(amount)} {escape(figure.unit)}"


def change_words(figure: Figure) -> str:
    """比2019年增加1,571.97万元（5.62%）; said only when the year before holds the figure."""
    change = figure.change
    if change is None:
        return ""
    if change == 0:
        return f"与{figure.previous_year}年持平"
    verb = "增加" if change > 0 else "减少"
    said = f"比{figure.previous_year}年{verb}{_shown(figure, abs(change))}"
    percent = figure.change_percent
    return said + (f"（{'+' if percent > 0 else ''}{percent}%）" if percent is not None else "")


def _card(figure: Figure) -> str:
    notes = []
    if figure.out_of is not None:
        notes.append(f"满分 {figure.out_of}")
    if figure.grade is not None:
        how = "表中写明" if figure.grade_stated else "表中未写，按表样的等级标准"
        notes.append(f"等级 {escape(figure.grade)}（{how}）")
    if figure.budget is not None or figure.budget_printed is not None:
        completion = f"，为预算的 {figure.completion}%" if figure.completion is not None else ""
        notes.append(
            f'预算数 <a href="{escape(figure.budget_href)}">{_shown(figure, figure.budget, figure.budget_printed)}</a>{completion}'
        )
    if figure.change is not None:
        notes.append(escape(change_words(figure)))
    said = "".join(f'<span class="gk-figure-note">{note}</span>' for note in notes)
    return (
        f'<li class="gk-figure"><span class="gk-figure-label">{escape(figure.label)}</span>'
        f'<a class="gk-figure-value" href="{escape(figure.href)}">{_shown(figure, figure.amount, figure.printed)}</a>{said}</li>'
    )


def _items(figure: Figure, own: str) -> str:
    """The figures *figure* is made of, in a table: 预算数 beside the document's own when printed."""
    budgets = any(item.budget is not None or item.budget_printed is not None for item in figure.items)

    def cell(amount, href, printed=None) -> str:
        if printed is not None:  # unreadable in the original: said as the table says it
            return f'<td class="gk-figure-num"><a href="{escape(href)}">{unreadable_content(printed)}</a></td>'
        if amount is None:
            return "<td></td>"
        return f'<td class="gk-figure-num"><a href="{escape(href)}">{format_amount(amount)}</a></td>'

    rows = "".join(
        f'<tr><th scope="row">{escape(item.label)}</th>'
        + (cell(item.budget, item.budget_href, item.budget_printed) if budgets else "")
        + cell(item.amount, item.href, item.printed)
        + "</tr>"
        for item in figure.items
    )
    head = ('<th scope="col">预算数</th>' if budgets else "") + f'<th scope="col">{escape(own)}</th>'
    total = (
        '<tr><th scope="row">合计</th>'
        + (cell(figure.budget, figure.budget_href, figure.budget_printed) if budgets else "")
        + cell(figure.amount, figure.href, figure.printed)
        + "</tr>"
    )
    return (
        f'<table class="gk-figures-table"><caption>{escape(figure.label)}（单位：{escape(figure.unit)}）</caption>'
        f'<thead><tr><th scope="col">项目</th>{head}</tr></thead><tbody>{rows}</tbody>'
        f"<tfoot>{total}</tfoot></table>"
    )


def render_headline(headline: Headline, items: bool = True) -> Markup:
    """The figures as cards, then (when *items*) the tables of what they are made of; nothing when
    the document has no figure to show."""
    if not headline.figures:
        return Markup("")
    cards = "".join(_card(figure) for figure in headline.figures)
    tables = "".join(_items(f, headline.own) for f in headline.figures if f.items) if items else ""
    return Markup(f'<ul class="gk-figures">{cards}</ul>{tables}')
