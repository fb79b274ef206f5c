"""Render stage, 数据核对: what was checked and whether it adds up, in words a citizen understands."""

from __future__ import annotations

from markupsafe import Markup

from .checks import ERROR, NOTICE, OK, UNCHECKED, WARNING, Result

STATUS_WORDS = {OK: "相符", NOTICE: "尾数差异", WARNING: "需留意", ERROR: "不符", UNCHECKED: "无法核对"}


def counts(results: list[Result]) -> dict[str, int]:
    return {status: sum(1 for r in results if r.status == status) for status in STATUS_WORDS}


def summary(results: list[Result]) -> tuple[str, str]:
    """(css class, one line) for a set of results."""
    n = counts(results)
    checked = len(results) - n[UNCHECKED]
    if not results:
        return "none", "本表没有可核对的规则"
    if n[ERROR]:
        return "error", f"核对 {checked} 项：{n[ERROR]} 项不符" + (f"，{n[NOTICE]} 项尾数差异" if n[NOTICE] else "")
    if n[WARNING]:
        return "warning", f"核对 {checked} 项：{n[WARNING]} 项需留意"
    if n[NOTICE]:
        return "notice", f"核对 {checked} 项：全部相符，其中 {n[NOTICE]} 项有尾数差异（金额换算的四舍五入所致）"
    return "ok", f"核对 {checked} 项：全部相符"


def table_status(results: list[Result], checks_href: str, as_is: bool) -> Markup:
    css, line = summary(results)
    problems = [r for r in results if r.status in (ERROR, WARNING, NOTICE)]
    out = Markup('<div class="gk-check gk-check-{}">').format(css)
    if problems:
        out += Markup("<details><summary>{}</summary><ul>").format(line)
        for result in problems:
            out += Markup('<li class="gk-check-{}"><strong>{}</strong>：{}</li>').format(
                result.status, STATUS_WORDS[result.status], result.explain()
            )
        out += Markup("</ul></details>")
    else:
        out += Markup("<p>{}</p>").format(line)
    if as_is and any(r.status == ERROR for r in results):
        out += Markup('<p class="gk-as-is">原件如此：表中不符之处照原件公开，未作改动。</p>')
    out += Markup('<p><a href="{}">查看本文件全部核对结果</a></p></div>').format(checks_href)
    return out


def results_table(results: list[Result]) -> Markup:
    out = Markup(
        '<div class="gk-scroll" role="region" tabindex="0" aria-label="核对结果">'
        '<table class="gk-record gk-checks"><caption>核对结果</caption><thead><tr>'
        '<th scope="col">结果</th><th scope="col">规则与数字</th></tr></thead><tbody>'
    )
    order = {ERROR: 0, WARNING: 1, NOTICE: 2, UNCHECKED: 3, OK: 4}
    for result in sorted(results, key=lambda r: order[r.status]):
        out += Markup('<tr class="gk-check-{}"><td>{}</td><td>{}</td></tr>').format(
            result.status, STATUS_WORDS[result.status], result.explain()
        )
    return out + Markup("</tbody></table></div>")
