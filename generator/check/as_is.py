"""Check stage, documents published as is: the errors their originals print, accepted one by one.

Some originals print figures that do not add up, and the site publishes them as printed. A
document says which errors those are (`published_as_is:`, each the rule as the check states it
and the difference it finds, copied from the report's line), so that each is published as
printed, with 原件如此 beside it, while any other error, a later typo above all, stops
publication as in any other document. An acceptance that matches no error (the original or the
transcription was corrected, or the rule is miscopied) is reported, so the list does not outlive
what it names.
"""

from __future__ import annotations

from ..core.amounts import format_amount
from ..core.model import Document
from ..core.problems import Problem
from ..core.results import ERROR, WARNING, Result


def accept(document: Document, results: list[Result]) -> list[Problem]:
    """Mark each error of *results* that *document* accepts (Result.accepted); return a warning at
    each acceptance that matches none, or repeats another."""
    if not document.as_is:
        return []
    wanted = {}
    stale = []
    for entry in document.as_is:
        key = (entry.rule, entry.difference)
        if key in wanted:
            stale.append(Problem(entry.mark, f"这一条与第 {wanted[key].mark.line} 行的重复了：删掉一条", WARNING))
        else:
            wanted[key] = entry
    matched = set()
    for result in results:
        if result.status != ERROR or result.document is not document:
            continue
        key = (result.says, result.difference)
        if key in wanted:
            result.accepted = True
            matched.add(key)
    for key, entry in wanted.items():
        if key not in matched:
            said = f"照原件公开的“{entry.rule}”（相差 {format_amount(entry.difference)}）没有对应的错误"
            stale.append(
                Problem(
                    entry.mark,
                    f"{said}：原件或录入已改正时，请删掉这一条；否则请照 check 报告中这条错误的写法改正 rule 和 difference",
                    WARNING,
                )
            )
    return stale
