"""Check stage, statements of a 预算/决算's 说明 that no table totals: 机关运行经费, 政府采购 and
the funds of 绩效.

**机关运行经费.** The 说明 states it ("本部门2020年度机关运行经费支出123.43万元"); the forms of
some provinces print it in a table (a row or column of that name), others do not. A figure stated
after one of `wording.running_costs` is compared with every table figure of that label; with none,
the result is 无法核对 and says that no table of the document prints it, so that the site shows
it was read and could not be checked rather than passing over it.

**政府采购.** A paragraph holding a word of `wording.procurement` states a total (a figure whose
label holds 总额/合计: `procurement_total`), its parts by kind (货物, 工程, 服务: `procurement_parts`),
what of it was granted to 中小企业 (`procurement_sme`) and of that to 小微企业 (`procurement_small`).
The parts add up to the total exactly (prose prints them as it prints the total), 中小企业 is at
most the total and 小微企业 at most 中小企业. A sum that does not add up is a warning, as every
figure of prose is; the shares (占政府采购支出总额的…%) are check/prose.py's.

**绩效.** A paragraph holding a word of `wording.performance` may say what its projects' 绩效目标 or
自评 covers (涉及金额9300万元: `performance_funds`, in a clause naming 项目 or 专项:
`performance_projects`): at most the tables' 项目支出 (`project_spending`), else a warning.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..core.amounts import format_amount
from ..core.model import DEFAULT_WORDING, Document, Section, Wording
from ..core.results import OK, UNCHECKED, WARNING, Result

_NUMBER = r"(-?\d+(?:\.\d+)?)"
# A figure and the run of Chinese naming it (the label run stops at a digit, a space or punctuation).
FIGURE = re.compile(r"([\u4e00-\u9fff（）“”]*)\s*" + _NUMBER + r"\s*万元")
SENTENCE_END = re.compile(r"[。；;]")


def check_statements(document: Document, figures: dict, sections: list[Section] | None = None) -> list[Result]:
    """*figures* are the document's tables' figures by label (check/prose.labelled_figures)."""
    wording = document.form_set.wording if document.form_set is not None else DEFAULT_WORDING
    results: list[Result] = []
    for section in document.sections() if sections is None else sections:
        if not section.body:
            continue
        for paragraph in section.body.split("\n"):
            results += running_costs(document, section, wording, paragraph, figures)
            if any(word in paragraph for word in wording.procurement):
                results += procurement(document, section, wording, paragraph)
            if any(word in paragraph for word in wording.performance):
                results += performance_funds(document, section, wording, paragraph, figures)
    return results


def performance_funds(document, section, wording: Wording, paragraph: str, figures: dict) -> list[Result]:
    """The funds a 绩效 statement of projects covers are at most the tables' 项目支出 (the largest
    of the figures of that label: all funds, not one fund's table). A clause of 部门整体支出 names
    no project and is not read: the whole of the spending may be evaluated."""
    results = []
    spent = [(table, value) for name in wording.project_spending for table, value in figures.get(name, [])]
    for clause in SENTENCE_END.split(paragraph):
        if not any(word in clause for word in wording.performance_projects):
            continue
        for match in FIGURE.finditer(clause):
            run, stated = match.group(1), Decimal(match.group(2))
            if not any(word in run for word in wording.performance_funds):
                continue
            says = f"“{section.title}”：{run}{match.group(2)}万元 ≤ 表中“{wording.project_spending[0]}”"
            if not spent:
                reason = f"本文件没有一张表印出“{wording.project_spending[0]}”"
                results.append(Result(UNCHECKED, document, None, section.mark, says, reason=reason))
                continue
            table, bound = max(spent, key=lambda s: s[1])
            status = OK if stated <= bound else WARNING
            results.append(Result(status, document, table, section.mark, says, bound, stated, "文中为", relation="≤"))
    return results


def running_costs(document, section, wording: Wording, paragraph: str, figures: dict) -> list[Result]:
    results = []
    for word in wording.running_costs:
        pattern = re.escape(word) + r"[^\d。；，,：:]{0,6}?" + _NUMBER + r"\s*万元"
        for match in re.finditer(pattern, paragraph):
            stated = Decimal(match.group(1))
            says = f"“{section.title}”中的 {word}{match.group(1)}万元 与表中“{word}”"
            candidates = figures.get(word, [])
            if not candidates:
                reason = f"本文件没有一张表印出“{word}”"
                results.append(Result(UNCHECKED, document, None, section.mark, says, reason=reason))
                continue
            table, value = next(((t, v) for t, v in candidates if v == stated), None) or min(
                candidates, key=lambda c: abs(c[1] - stated)
            )
            status = OK if value == stated else WARNING
            results.append(Result(status, document, table, section.mark, says, value, stated, "文中为"))
    return results


def kind_of(run: str, wording: Wording) -> str | None:
    """What a figure of a procurement paragraph is, by the words of its label."""
    if any(w in run for w in wording.procurement_small):
        return "small"
    if any(w in run for w in wording.procurement_sme):
        return "sme"
    part = next((w for w in wording.procurement_parts if w in run), None)
    if part is not None:
        return "part:" + part
    if any(w in run for w in wording.procurement_total):
        return "total"
    return None


def label(run: str, wording: Wording) -> str:
    """A figure's label without the words before it (年度, 部门预算中纳入): from its procurement word."""
    at = max((run.rfind(word) for word in wording.procurement), default=-1)
    return run[at:] if at > 0 else run


def procurement(document, section, wording: Wording, paragraph: str) -> list[Result]:
    found: dict[str, tuple[str, Decimal]] = {}
    parts: list[tuple[str, Decimal]] = []
    for sentence in SENTENCE_END.split(paragraph):
        for match in FIGURE.finditer(sentence):
            run, amount = match.group(1), Decimal(match.group(2))
            kind = kind_of(run, wording)
            if kind is None:
                continue
            if kind.startswith("part:"):
                if not any(name == kind[5:] for name, _ in parts):
                    parts.append((kind[5:], amount))
            elif kind not in found:
                found[kind] = (label(run, wording), amount)
    where = f"“{section.title}”："
    results = []
    total = found.get("total")
    if total is not None and parts:
        added = sum((amount for _, amount in parts), Decimal(0))
        names = " + ".join(f"{name} {format_amount(amount)}" for name, amount in parts)
        says = f"{where}{total[0]} = {names}（万元）"
        status = OK if added == total[1] else WARNING
        results.append(Result(status, document, None, section.mark, says, added, total[1], "文中为"))
    for part, whole in (("sme", "total"), ("small", "sme")):
        if part in found and whole in found:
            (run, amount), (whole_run, whole_amount) = found[part], found[whole]
            says = f"{where}{run} ≤ {whole_run}"
            status = OK if amount <= whole_amount else WARNING
            results.append(
                Result(status, document, None, section.mark, says, whole_amount, amount, "文中为", relation="≤")
            )
    return results
