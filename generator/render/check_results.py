"""Render stage, 数据核对: what was checked and whether it adds up, in words a citizen understands."""

from __future__ import annotations

from collections import Counter

from markupsafe import Markup

from ..core.results import ERROR, NOTICE, OK, UNCHECKED, UNREADABLE, WARNING, Result
from .escaping import escape, escape_sentence

STATUS_WORDS = {
    OK: "相符",
    NOTICE: "尾数差异",
    WARNING: "需留意",
    ERROR: "不符",
    UNCHECKED: "无法核对",
    UNREADABLE: "无法辨认",
}
_ORDER = {ERROR: 0, WARNING: 1, NOTICE: 2, UNREADABLE: 3, UNCHECKED: 4, OK: 5}
# What a result's line says before its explanation depends on its status only: written once.
_PROBLEM_ITEM = {
    status: f'<li class="gk-check-{escape(status)}"><strong>{escape(word)}</strong>：'
    for status, word in STATUS_WORDS.items()
}
_RESULT_ROW = {
    status: f'<tr class="gk-check-{escape(status)}"><td>{escape(word)}</td><td>'
    for status, word in STATUS_WORDS.items()
}


def counts(results: list[Result]) -> dict[str, int]:
    found = Counter(r.status for r in results)  # one pass over the results, not one per status
    return {status: found[status] for status in STATUS_WORDS}


def summary(results: list[Result]) -> tuple[str, str]:
    """(css class, one line) for a set of results. Cells the original prints unreadably are said
    after what was checked, with the rules they keep from being checked: a table all of whose rules
    agree is not said to be in order when a figure of it cannot be read."""
    n = counts(results)
    marked = n[UNREADABLE]
    checked = len(results) - n[UNCHECKED] - marked
    if not results:
        return "none", "本表没有可核对的规则"
    unreadable = ""
    if marked:
        blocked = sum(1 for r in results if r.status == UNCHECKED and r.reason)
        unreadable = f"{marked} 格原件无法辨认" + (f"，用到它们的 {blocked} 项无法核对" if blocked else "，不参与核对")
        if checked == 0:
            return "unreadable", unreadable
        unreadable = "；另有 " + unreadable
    if n[ERROR]:
        said = f"核对 {checked} 项：{n[ERROR]} 项不符" + (f"，{n[NOTICE]} 项尾数差异" if n[NOTICE] else "")
        return "error", said + unreadable
    if n[WARNING]:
        return "warning", f"核对 {checked} 项：{n[WARNING]} 项需留意{unreadable}"
    if n[NOTICE]:
        said = f"核对 {checked} 项：全部相符，其中 {n[NOTICE]} 项有尾数差异（金额换算的四舍五入所致）"
        return ("unreadable" if marked else "notice"), said + unreadable
    return ("unreadable" if marked else "ok"), f"核对 {checked} 项：全部相符{unreadable}"


def table_status(results: list[Result], checks_href: str, as_is: bool) -> Markup:
    # Plain string building with an explicit escape() of every text that comes from data/ (an
    # explanation quotes labels and titles): Markup.format and Markup += were slow.
    css, line = summary(results)
    # what did not agree, and the cells that cannot be read with the rules they keep from a check
    problems = [
        r for r in results if r.status in (ERROR, WARNING, NOTICE, UNREADABLE) or (r.status == UNCHECKED and r.reason)
    ]
    out = [f'<div class="gk-check gk-check-{escape(css)}">']
    if problems:
        out.append(f"<details><summary>{escape(line)}</summary><ul>")
        out += [f"{_PROBLEM_ITEM[result.status]}{escape_sentence(result.explain())}</li>" for result in problems]
        out.append("</ul></details>")
    else:
        out.append(f"<p>{escape(line)}</p>")
    if as_is and any(r.status == ERROR for r in results):
        out.append('<p class="gk-as-is">原件如此：表中不符之处照原件公开，未作改动。</p>')
    out.append(f'<p><a href="{escape(checks_href)}">查看本文件全部核对结果</a></p></div>')
    return Markup("".join(out))


def results_table(results: list[Result]) -> Markup:
    # One join instead of Markup += per result, which copied the whole table each time.
    out = [
        '<div class="gk-scroll" role="region" tabindex="0" aria-label="核对结果">'
        '<table class="gk-record gk-checks"><caption>核对结果</caption><thead><tr>'
        '<th scope="col">结果</th><th scope="col">规则与数字</th></tr></thead><tbody>'
    ]
    out += [
        f"{_RESULT_ROW[result.status]}{escape_sentence(result.explain())}</td></tr>"
        for result in sorted(results, key=lambda r: _ORDER[r.status])
    ]
    out.append("</tbody></table></div>")
    return Markup("".join(out))
