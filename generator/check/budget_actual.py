"""Check stage, 决算 against 预算 in prose: what a sentence says of the two figures it names.

A 决算's 情况说明 states, 科目 by 科目, "年初预算为1500.00万元，支出决算为315.94万元，完成年初预算的
21.06%，决算数小于年初预算数的主要原因是：…". A clause of the sentence (up to ；or 。) that
names a 预算 figure and then a 决算 figure is read with the words of `wording` (core/model.py,
extended by a form set's `wording:`):

* 完成/为/占 (`share_of_budget`) 预算的 N%: N is 决算 ÷ 预算, compared at the precision printed;
  超出 (`excess_of_budget`) 预算的 N%: N is (决算 − 预算) ÷ 预算. Against a 预算 of 0 a percentage
  means nothing: stating one is a warning (auditor's check 55).
* 决算数大于/小于 (`above`, `below`) 预算数, 决算数与预算数一致 (`equal`): the two figures must be so.
* 比年初预算数增加 X 万元，增长 Y%: Y is X over the 预算, the clause's figure before it less X.
* A 决算 that differs from its 预算 needs the reason (`reasons`: 主要原因是…) in the clause or
  after it in the paragraph (or, when the paragraph ends in 其中：, in the items after it);
  without one it is a warning, as the 财政部's inspections ask.

A stated relation the figures contradict is a warning, like every figure of prose that differs
from the tables; a share off by the last printed digit is a rounding notice.

The two figures against the table: where the form set declares a figure with the cell that prints
its 预算数 beside it (`headline:` items with `budget:`, such as 公务接待费 → 公开07表's 决算公务接待费
and 预算公务接待费), a clause naming that figure right before its 预算 (公务接待费支出预算为…)
states those two cells; each that differs is a warning. Other clauses name a 科目 the section
is about, which no declared cell pairs: their figures are read by check/prose.py.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

from ..core.amounts import format_amount
from ..core.cells import find_cell, headline_specs, tables_by_form
from ..core.model import DEFAULT_WORDING, Document, Section, Wording
from ..core.results import NOTICE, OK, WARNING, Result

_NUMBER = r"(-?\d+(?:\.\d+)?)"
CLAUSE_END = re.compile(r"[。；;]")
BUDGET = re.compile(r"预算(?:数|支出)?\s*(?:为|是|共计)?\s*" + _NUMBER + r"\s*万元")
ACTUAL = re.compile(r"(?:决算(?:数|支出)?|实际支出|执行数)\s*(?:为|是|共计)?\s*" + _NUMBER + r"\s*万元")
# 机关运行经费支出123.43万元，比年初预算数增加69.43万元，增长128.57%: the rate is of the 预算 (123.43 − 69.43)
FROM_BUDGET = re.compile(
    r"比(?:年初)?预算(?:数)?\s*(增加|减少)\s*"
    + _NUMBER
    + r"\s*万元\s*[，,]?\s*(增长|下降|减少)\s*"
    + _NUMBER
    + r"\s*[%％]"
)
FIGURE = re.compile(_NUMBER + r"\s*万元")
BREAKDOWN = re.compile(r"其中\s*[:：]\s*$")
_BUDGET_WORD = r"(?:年初)?预算(?:数)?"
_ACTUAL_WORD = r"(?:支出)?决算(?:数)?"


def alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@functools.lru_cache(maxsize=16)
def patterns(wording: Wording) -> dict[str, re.Pattern]:
    relation = alternation(wording.above + wording.below + wording.equal)
    return {
        "share": re.compile(f"({alternation(wording.share_of_budget)})了?{_BUDGET_WORD}的?\\s*{_NUMBER}\\s*[%％]"),
        "excess": re.compile(f"({alternation(wording.excess_of_budget)})了?{_BUDGET_WORD}的?\\s*{_NUMBER}\\s*[%％]"),
        "relation": re.compile(
            f"{_ACTUAL_WORD}\\s*(?:与|和|同|比)?\\s*(?:{_BUDGET_WORD})?\\s*({relation})\\s*(?:{_BUDGET_WORD})?"
        ),
        "reason": re.compile(alternation(wording.reasons)),
    }


# Between a figure's name and its 预算: what a sentence may put there (公务接待费支出预算为…).
_NAME_FILLER = re.compile(r"(?:财政拨款)?(?:支出)?(?:的)?$")


def plain(text: str) -> str:
    """A name as compared: full-width forms folded, quotes dropped (“三公”经费 is "三公"经费)."""
    return re.sub(r"[“”\"'‘’\s]", "", unicodedata.normalize("NFKC", text))


def declared_pairs(document: Document, tables) -> dict[str, tuple]:
    """The figures the form set declares with the cell printing their 预算数 (`headline:`), by name:
    name → (table, 决算 amount, 预算 amount), for the tables the document has."""
    if document.form_set is None:
        return {}
    by_form = tables_by_form(document, tables)
    pairs = {}
    for spec in headline_specs(document.form_set.headline):
        if spec.budget is None or spec.cell.form not in by_form:
            continue
        table = by_form[spec.cell.form]
        _, actual = find_cell(table, spec.cell)
        _, budget = find_cell(table, spec.budget)
        pairs[plain(spec.label)] = (
            spec.label,
            table,
            getattr(actual, "amount", None),
            getattr(budget, "amount", None),
        )
    return pairs


def check_budget_actual(document: Document, sections: list[Section] | None = None) -> list[Result]:
    wording = document.form_set.wording if document.form_set is not None else DEFAULT_WORDING
    found = patterns(wording)
    if sections is None:
        sections = list(document.sections())
    found["pairs"] = declared_pairs(document, [s.table for s in sections if s.table is not None])
    results: list[Result] = []
    for section in sections:
        if not section.body or "预算" not in section.body:
            continue
        paragraphs = section.body.split("\n")
        for number, paragraph in enumerate(paragraphs):
            # A paragraph that ends in 其中： breaks its figure down in the paragraphs after it,
            # which give the reasons item by item.
            after = "\n".join(paragraphs[number + 1 :]) if BREAKDOWN.search(paragraph) else ""
            at = 0
            for clause in CLAUSE_END.split(paragraph):
                at += len(clause) + 1
                rest = paragraph[at - 1 :] + after
                results += check_clause(document, section, wording, found, clause, rest)
                results += change_from_budget(document, section, clause)
    return results


def check_clause(document, section, wording: Wording, found, clause: str, rest: str) -> list[Result]:
    budget_match = BUDGET.search(clause)
    if budget_match is None:
        return []
    actual_match = ACTUAL.search(clause, budget_match.end())
    if actual_match is None:
        return []
    budget, actual = Decimal(budget_match.group(1)), Decimal(actual_match.group(1))
    where = f"“{section.title}”"
    figures = f"预算 {format_amount(budget)} 万元、决算 {format_amount(actual)} 万元"
    results = against_table(document, section, found["pairs"], clause[: budget_match.start()], budget, actual)
    tail = clause[actual_match.end() :]
    for kind in ("share", "excess"):
        for match in found[kind].finditer(tail):
            word, text = match.group(1), match.group(2)
            says = f"{where}：{word}预算的 {text}%（{figures}）"
            if not budget:
                # A percentage of nothing: the 财政部's inspections count it a wrong wording (the
                # share is of the 全年预算, or none is stated), not a figure to compare.
                says += "：预算为 0，百分比无从计算：请照原件核对，改写为全年预算的百分比或不写"
                results.append(Result(WARNING, document, None, section.mark, says))
                continue
            stated = Decimal(text)
            places = Decimal(1).scaleb(stated.as_tuple().exponent)
            base = actual if kind == "share" else actual - budget
            share = (base / budget * 100).quantize(places, ROUND_HALF_UP)
            status = OK if share == stated else NOTICE if abs(share - stated) <= Decimal("0.01") else WARNING
            results.append(Result(status, document, None, section.mark, says, share, stated, "文中为"))
    for match in found["relation"].finditer(tail):
        word = match.group(1)
        holds, should = relation_holds(wording, word, actual, budget)
        says = f"{where}：{match.group(0)}（{figures}）"
        if not holds:
            says += f"：按这两个数，决算数{should}预算数"
        results.append(Result(OK if holds else WARNING, document, None, section.mark, says))
    if actual != budget:
        gives = found["reason"].search(clause + rest) is not None
        says = f"{where}：决算与预算不同（{figures}）" + (
            "，写明了原因" if gives else "，却没有写明原因：请照原件核对，说明差异的原因"
        )
        results.append(Result(OK if gives else WARNING, document, None, section.mark, says))
    return results


def relation_holds(wording: Wording, word: str, actual: Decimal, budget: Decimal) -> tuple[bool, str]:
    """Whether the relation *word* states holds of the two figures, and the word that does."""
    should = "大于" if actual > budget else "小于" if actual < budget else "等于"
    if word in wording.above:
        return actual > budget, should
    if word in wording.below:
        return actual < budget, should
    return actual == budget, should


def against_table(document, section, pairs: dict, before: str, budget: Decimal, actual: Decimal) -> list[Result]:
    """The clause's 预算 and 决算 against the cells of the declared figure it names right before them."""
    name = _NAME_FILLER.sub("", plain(before))
    key = next((k for k in sorted(pairs, key=len, reverse=True) if name.endswith(k)), None)
    if key is None:
        return []
    label, table, table_actual, table_budget = pairs[key]
    results = []
    for what, stated, printed in (("预算", budget, table_budget), ("决算", actual, table_actual)):
        if printed is None:
            continue
        says = f"“{section.title}”中的 {label}{what} {format_amount(stated)} 万元 与{table.number}“{label}”的{what}数"
        status = OK if stated == printed else WARNING
        results.append(Result(status, document, table, section.mark, says, printed, stated, "文中为"))
    return results


def change_from_budget(document, section, clause: str) -> list[Result]:
    results = []
    for match in FROM_BUDGET.finditer(clause):
        figures = FIGURE.findall(clause[: match.start()])
        if not figures:
            continue
        direction, delta_text, rate_word, rate_text = match.groups()
        actual, delta = Decimal(figures[-1]), Decimal(delta_text) * (1 if direction == "增加" else -1)
        budget = actual - delta
        says = f"“{section.title}”：比预算{direction} {delta_text} 万元，{rate_word} {rate_text}%（预算 {format_amount(budget)} 万元）"
        if budget <= 0:
            says += "：预算不大于 0，百分比无从计算：请照原件核对增减的金额和百分比"
            results.append(Result(WARNING, document, None, section.mark, says))
            continue
        stated = Decimal(rate_text)
        places = Decimal(1).scaleb(stated.as_tuple().exponent)
        rate = (abs(delta) / budget * 100).quantize(places, ROUND_HALF_UP)
        status = OK if rate == stated else NOTICE if abs(rate - stated) <= Decimal("0.01") else WARNING
        results.append(Result(status, document, None, section.mark, says, rate, stated, "文中为"))
    return results
