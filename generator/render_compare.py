"""Render stage, 预算与决算对比: the rows of a Comparison as a table a citizen can read across."""

from __future__ import annotations

from decimal import Decimal

from markupsafe import Markup

from .amounts import format_amount
from .compare import Comparison
from .render_tables import code_level


def _num(value: Decimal | None, suffix: str = "") -> Markup:
    return Markup('<td class="gk-num">{}</td>').format("" if value is None else f"{format_amount(value)}{suffix}")


def render_comparison(comparison: Comparison) -> Markup:
    caption = f"{comparison.year}年{comparison.measure}：预算与决算"
    out = Markup(
        '<div class="gk-scroll" role="region" tabindex="0" aria-label="{}（可左右滑动）">'
        '<table class="gk-form gk-compare"><caption>{}</caption><thead><tr>'
        '<th scope="col">科目编码</th><th scope="col">科目名称</th><th scope="col">预算数</th>'
        '<th scope="col">决算数</th><th scope="col">决算数 − 预算数</th><th scope="col">完成预算</th>'
        "</tr></thead><tbody>"
    ).format(caption, caption)
    for row in comparison.rows:
        if row.code is None:
            out += Markup('<tr><th scope="row" colspan="2" class="gk-total">{}</th>').format(row.name)
        else:
            out += Markup('<tr><td class="gk-code">{}</td><th scope="row" class="gk-item gk-indent{}">{}</th>').format(
                row.code, code_level(row.code), row.name
            )
        out += _num(row.budget) + _num(row.actual) + _num(row.difference) + _num(row.completion, "%")
        out += Markup("</tr>\n")
    return out + Markup("</tbody></table></div>")
