"""Check results: what the check stage hands to rendering, as data.

A result is kept for every rule instance, not only for failures, so that the site can show a
citizen what was checked as well as what did not add up.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .amounts import format_amount
from .model import Document, FormTable
from .problems import Mark

OK, NOTICE, WARNING, ERROR, UNCHECKED = "ok", "notice", "warning", "error", "unchecked"
# A cell the original prints but that cannot be read as a figure (core/unreadable.py): a result of
# its own, so that the pages and `check` say how many there are and which.
UNREADABLE = "unreadable"


@dataclass(slots=True)  # tens of thousands per build: slots make them smaller and quicker to make
class Result:
    """One rule applied to one place: what was expected, what was found, and how bad a miss is."""

    status: str
    document: Document
    table: FormTable | None  # the table the checked figure is in
    mark: Mark
    says: str  # the rule in words
    expected: Decimal | None = None
    found: Decimal | None = None
    found_where: str = "表中为"
    # An error the original prints, published as printed because the document names it in
    # `published_as_is` (check/as_is.py); any other error stops publication.
    accepted: bool = False
    # Why a rule could not be checked, when it is not that a figure or a table is missing: the
    # cells it needs that the original prints unreadably.
    reason: str = ""
    # How the found figure must relate to the expected one: "=", or "≤"/"≥" for an inequality rule.
    relation: str = "="
    # Which check made it (check/document.py names some: required_tables, empty_tables, timeliness),
    # so that the quality review (check/quality.py) scores a check's results without reading its words.
    check: str = ""

    @property
    def difference(self) -> Decimal | None:
        if self.expected is None or self.found is None:
            return None
        return self.found - self.expected

    def explain(self) -> str:
        if self.status == UNCHECKED:
            return f"{self.says}：无法核对（{self.reason or '所需数字未公开或表缺失'}）"
        if self.expected is None or self.found is None:
            return self.says
        tail = "，在尾数误差范围内" if self.status == NOTICE else ""
        if self.relation != "=":
            bound = "不超过" if self.relation == "≤" else "不少于"
            if self.status == OK:
                return f"{self.says}：{format_amount(self.found)}，{bound} {format_amount(self.expected)}，相符"
            return (
                f"{self.says}：应{bound} {format_amount(self.expected)}，{self.found_where} {format_amount(self.found)}，"
                f"{'超出' if self.relation == '≤' else '少'} {format_amount(abs(self.difference))}{tail}"
            )
        if self.status == OK:
            return f"{self.says}：{format_amount(self.found)}，相符"
        return (
            f"{self.says}：应为 {format_amount(self.expected)}，{self.found_where} {format_amount(self.found)}，"
            f"相差 {format_amount(self.difference)}{tail}"
        )
