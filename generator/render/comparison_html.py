"""Render stage, 预算与决算对比: the rows of a Comparison as a table a citizen can read across."""

from __future__ import annotations

from decimal import Decimal

from markupsafe import Markup

from ..core.amounts import format_amount
from .comparison import Comparison
from .escaping import escape
from .tables import code_level, unreadable_content


def _num(value: Decimal | None, suffix: str = "", printed: str | None = None) -> str:
    if printed is not None:  # unreadable in the original: as its table shows it
        return f'<td class="gk-num gk-unreadable">{unreadable_content(printed)}</td>'
    # format_amount writes digits, ',', '.' and '-' only: nothing to escape.
    return f'<td class="gk-num">{"" if value is None else f"{format_amount(value)}{escape(suffix)}"}</td>'


def render_comparison(comparison: Comparison) -> Markup:
    # Plain string building with an explicit escape() of every text from data/ (Markup.format was slow).
    caption = escape(f"{comparison.year}年{comparison.measure}：预算与决算")
    out = [
        f'<div class="gk-scroll" role="region" tabindex="0" aria-label="{caption}（可左右滑动）">'
        f'<table class="gk-form gk-compare"><caption>{caption}</caption><thead><tr>'
        '<th scope="col">科目编码</th><th scope="col">科目名称</th><th scope="col">预算数</th>'
        '<th scope="col">决算数</th><th scope="col">决算数 − 预算数</th><th scope="col">完成预算</th>'
        "</tr></thead><tbody>"
    ]
    for row in comparison.rows:
        if row.code is None:
            out.append(f'<tr><th scope="row" colspan="2" class="gk-total">{escape(row.name)}</th>')
        else:
            out.append(
                f'<tr><td class="gk-code">{escape(row.code)}</td>'
                f'<th scope="row" class="gk-item gk-indent{code_level(row.code)}">{escape(row.name)}</th>'
            )
        out.append(
            _num(row.budget, printed=row.budget_printed)
            + _num(row.actual, printed=row.actual_printed)
            + _num(row.difference)
            + _num(row.completion, "%")
        )
        out.append("</tr>\n")
    out.append("</tbody></table></div>")
    return Markup("".join(out))
