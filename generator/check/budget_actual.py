"""Check stage, 决算 against 预算 in prose: what a sentence says of the two figures it names.

A 决算's 情况说明 states, 科目 by 科目, "年初预算为1500.00万元，支出决算为315.94万元，完成年初预算的
21.06%，决算数小于年初预算数的主要原因是：…". A clause of the sentence (up to ；or 。) that
names a 预算 figure and then a 决算 figure is read with the words of `wording` (core/model.py,
extended by a form set's `wording:`):

* 完成/为/占 (`share_of_budget`) 预算的 N%: N is 决算 ÷ 预算, compared at the precision printed;
  超出 (`excess_of_budget`) 预算的 N%: N is (决算 − 预算) ÷ 预算. Against a 预算 of 0 a percentage
  means nothing: the result is 无法核对, saying so.
* 决算数大于/小于 (`above`, `below`) 预算数, 决算数与预算数一致 (`equal`): the two figures must be so.
* A 决算 that differs from its 预算 needs the reason (`reasons`: 主要原因是…) in the clause or
  after it in the paragraph (or, when the paragraph ends in 其中：, in the items after it);
  without one it is a warning, as the 财政部's inspections ask.

A stated relation the figures contradict is a warning, like every figure of prose that differs
from the tables; a share off by the last printed digit is a rounding notice. The figures the
sentence names are those of the 科目 or item its section is about; which table row that is the
sentence does not say, and the figures themselves are checked against the tables by check/prose.py.
"""

from __future__ import annotations

import functools
import re
from decimal import ROUND_HALF_UP, Decimal

from ..core.amounts import format_amount
from ..core.model import DEFAULT_WORDING, Document, Section, Wording
from ..core.results import NOTICE, OK, UNCHECKED, WARNING, Result

_NUMBER = r"(-?\d+(?:\.\d+)?)"
CLAUSE_END = re.compile(r"[。；;]")
BUDGET = re.compile(r"预算(?:数|支出)?\s*(?:为|是|共计)?\s*" + _NUMBER + r"\s*万元")
ACTUAL = re.compile(r"(?:决算(?:数|支出)?|实际支出|执行数)\s*(?:为|是|共计)?\s*" + _NUMBER + r"\s*万元")
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


def check_budget_actual(document: Document, sections: list[Section] | None = None) -> list[Result]:
    wording = document.form_set.wording if document.form_set is not None else DEFAULT_WORDING
    found = patterns(wording)
    results: list[Result] = []
    for section in document.sections() if sections is None else sections:
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
    results = []
    tail = clause[actual_match.end() :]
    for kind in ("share", "excess"):
        for match in found[kind].finditer(tail):
            word, text = match.group(1), match.group(2)
            says = f"{where}：{word}预算的 {text}%（{figures}）"
            if not budget:
                reason = "预算为 0，百分比无从计算"
                results.append(Result(UNCHECKED, document, None, section.mark, says, reason=reason))
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
