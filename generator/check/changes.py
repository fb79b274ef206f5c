"""Check stage, prose against the prior year: 与上年相比，增加 X 万元，增长 Y%.

Two things can be checked. Within the sentence: the growth rate Y is X over last year's figure,
which is this year's figure minus X. Across documents: when the bureau's document of the same
kind for the year before is on the site, last year's figure under the same label is there to
compare X with. And a change needs its reason: a sentence that states one and no word of why
(`wording.reasons`, core/model.py) is a warning.

The direction of a change against what else the text says (auditor's checks 50 and 51): a figure
increased by more than it is (拨款支出0万元，比上年增加5万元) would have been negative last year;
a change both up and flat (增加持平) is a template's leftover; and a paragraph saying income and
spending moved together (收入支出均增加, `wording.income_and_spending`) must say so of the 收入 and
支出 changes it states. The words of direction are `wording.increase` and `wording.decrease`.
Each is a warning, as prose that contradicts itself or the tables is.
"""

from __future__ import annotations

import functools
import re
from decimal import ROUND_HALF_UP, Decimal

from ..core.amounts import format_amount
from ..core.model import DEFAULT_WORDING, Document, Section, Wording
from ..core.results import OK, WARNING, Result
from .budget_actual import alternation
from .prose import CLAIM, FILLER, known_label, labelled_figures

CHANGE = re.compile(
    r"与上年(?:度)?(?:相比|比较|同期相比)?[，,]?\s?([\u4e00-\u9fff（）“”]*?)\s?(增加|减少|下降)\s?(\d+(?:\.\d+)?)\s?万元"
    r"(?:[，,]\s?(增长|下降|减少)\s?(\d+(?:\.\d+)?)\s?%)?"
)


def prior_document(document: Document) -> Document | None:
    return next(
        (d for d in document.bureau.documents if d.kind == document.kind and d.year == document.year - 1),
        None,
    )


CHANGE_OPENING = "与上年"  # every CHANGE starts with it: a sentence without it has no CHANGE
SENTENCE_END = re.compile(r"[。\n；;]")


class PriorFigures:
    """The prior-year document's labelled figures, gathered only when a sentence compares with
    last year: most documents have no such sentence, and gathering costs a pass over its tables."""

    def __init__(self, prior: Document | None) -> None:
        self.prior = prior
        self._figures: dict | None = None if prior is not None else {}

    def __contains__(self, label: str) -> bool:
        return label in self.figures

    def __getitem__(self, label: str) -> list:
        return self.figures[label]

    @property
    def figures(self) -> dict:
        if self._figures is None:
            self._figures = labelled_figures(self.prior)
        return self._figures


def check_changes(
    document: Document, figures: dict | None = None, sections: list[Section] | None = None
) -> list[Result]:
    """*sections* (the document's sections, in order) saves a walk of the document."""
    figures = labelled_figures(document) if figures is None else figures
    prior = prior_document(document)
    prior_figures = PriorFigures(prior)
    results: list[Result] = []
    reasons = reason_words(document)
    wording = document.form_set.wording if document.form_set is not None else DEFAULT_WORDING
    for section in document.sections() if sections is None else sections:
        if not section.body:
            continue
        results.extend(check_directions(section, document, wording))
        for paragraph in section.body.split("\n"):
            at = 0
            for sentence in SENTENCE_END.split(paragraph):
                at += len(sentence) + 1
                if CHANGE_OPENING in sentence:
                    results.extend(check_sentence(sentence, section, document, figures, prior, prior_figures))
                results.extend(check_reason(sentence, paragraph[at - 1 :], section, document, reasons))
    return results


def reason_words(document: Document) -> re.Pattern:
    wording = document.form_set.wording if document.form_set is not None else DEFAULT_WORDING
    return re.compile("|".join(re.escape(w) for w in wording.reasons))


@functools.lru_cache(maxsize=16)
def direction_patterns(wording: Wording) -> dict[str, re.Pattern]:
    way = f"{alternation(wording.increase)}|{alternation(wording.decrease)}"
    return {
        # STATED_CHANGE with its direction: 与2019年相比，增加1571.97万元
        "change": re.compile(
            r"(?:与|比|较)\s?(?:上年|上一年|\d{4}\s*年|年初预算|预算)(?:度|数)?(?:相比|比较|同期相比|同期)?[，,]?\s?"
            rf"[\u4e00-\u9fff（）“”]{{0,12}}?\s?({way})\s?(\d+(?:\.\d+)?)\s?万元"
        ),
        "together": re.compile(f"(?:{alternation(wording.income_and_spending)})(?:均|都|同时|也)?({way})"),
        "flat": re.compile(f"(?:{way})(?:{alternation(wording.equal)})"),
    }


def check_directions(section: Section, document: Document, wording: Wording) -> list[Result]:
    """A section's changes against their figures, and its 收入支出均… against its changes."""
    found = direction_patterns(wording)
    where = f"“{section.title}”"
    results = []
    for match in found["flat"].finditer(section.body):
        says = f"{where}：“{match.group(0)}”既说增减又说持平：请照原件核对，是否模板残留"
        results.append(Result(WARNING, document, None, section.mark, says))
    for paragraph in section.body.split("\n"):
        changes = []  # (subject, direction, amount) of the paragraph's changes
        for sentence in SENTENCE_END.split(paragraph):
            for change in found["change"].finditer(sentence):
                word, amount = change.group(1), Decimal(change.group(2))
                up = word in wording.increase
                before = sentence[: change.start()]
                changes.append((subject(before, wording), up, amount))
                figures = FIGURE.findall(before)
                if up and figures and Decimal(figures[-1]) < amount:
                    says = (
                        f"{where}：{format_amount(Decimal(figures[-1]))} 万元 却{word} "
                        f"{format_amount(amount)} 万元，比较的数便是负数：请照原件核对增减的方向和金额"
                    )
                    results.append(Result(WARNING, document, None, section.mark, says))
        for match in found["together"].finditer(paragraph):
            results.extend(check_together(match, changes, where, section, document, wording))
    return results


FIGURE = re.compile(r"(\d+(?:\.\d+)?)\s?万元")


def subject(before: str, wording: Wording) -> str | None:
    """收入 or 支出: whichever the text before a change names last."""
    income = max((before.rfind(w) for w in wording.income), default=-1)
    spending = max((before.rfind(w) for w in wording.spending), default=-1)
    if income == spending:
        return None
    return "收入" if income > spending else "支出"


def check_together(match, changes, where, section, document, wording) -> list[Result]:
    up = match.group(1) in wording.increase
    stated = [(what, went, amount) for what, went, amount in changes if what is not None]
    if not stated:
        return []  # the paragraph states no change of 收入 or 支出 to read it against
    says = f"{where}：“{match.group(0)}”，本段写" + "、".join(
        f"{what}{'增加' if went else '减少'} {format_amount(amount)} 万元" for what, went, amount in stated
    )
    against = [what for what, went, _ in stated if went != up]
    if not against:
        return [Result(OK, document, None, section.mark, says)]
    says += f"：{'、'.join(dict.fromkeys(against))}的增减与“{match.group(0)}”不符"
    return [Result(WARNING, document, None, section.mark, says)]


# A change from last year (or from the 预算) as a sentence states it, whatever it compares with.
STATED_CHANGE = re.compile(
    r"(?:与|比|较)(?:上年|上一年|\d{4}\s*年|年初预算|预算)(?:度|数)?(?:相比|比较|同期相比|同期)?[，,]?\s?"
    r"[\u4e00-\u9fff（）“”]{0,12}?\s?(?:增加|减少|下降|增长)\s?(\d+(?:\.\d+)?)\s?万元"
)


def check_reason(sentence: str, rest: str, section, document, reasons: re.Pattern) -> list[Result]:
    """A change from last year or from the 预算 needs its reason (主要原因是…, the words of
    `wording.reasons`) in its sentence or after it in the paragraph: the 财政部's inspections ask
    for it. A warning; a change of 0 needs none."""
    results = []
    for change in STATED_CHANGE.finditer(sentence):
        if not Decimal(change.group(1)):
            continue
        # from the clause that names the figure, most often the one before the change
        before = sentence[: change.start()].rstrip("，, ")
        start = max(before.rfind("，"), before.rfind(","), change.start() - 30) + 1
        stated = sentence[start : change.end()].strip()
        says = f"“{section.title}”：“{stated}”"
        if reasons.search(sentence[change.start() :] + rest):
            results.append(Result(OK, document, None, section.mark, says + "，写明了原因"))
        else:
            says += "，却没有写明原因：请照原件核对，说明增减变化的原因"
            results.append(Result(WARNING, document, None, section.mark, says))
    return results


def check_sentence(sentence, section, document, figures, prior, prior_figures) -> list[Result]:
    change = CHANGE.search(sentence)
    if change is None:
        return []
    claims = list(CLAIM.finditer(sentence[: change.start()]))
    if not claims:
        return []
    run, amount_text = claims[-1].group(1), claims[-1].group(2)
    this_year = Decimal(amount_text)
    named, direction, delta_text, rate_word, rate_text = change.groups()
    delta = Decimal(delta_text) * (1 if direction == "增加" else -1)
    last_year = this_year - delta
    runs = [r for r in (named, run, claims[0].group(1)) if r]
    known = [known_label(r, figures) for r in runs]
    label = next((k for k in known if k), None) or named or FILLER.sub("", claims[0].group(1)) or run
    where = f"“{section.title}”"
    results = []
    if rate_text is not None and last_year > 0:
        stated = Decimal(rate_text) * (1 if rate_word == "增长" else -1)
        places = Decimal(1).scaleb(Decimal(rate_text).as_tuple().exponent)
        expected = (delta / last_year * 100).quantize(places, ROUND_HALF_UP)
        says = (
            f"{where}：{label}与上年相比{rate_word} {rate_text}%"
            f"（{direction} {format_amount(abs(delta))} ÷ 上年 {format_amount(last_year)}）"
        )
        status = OK if expected == stated else WARNING
        results.append(Result(status, document, None, section.mark, says, abs(expected), abs(stated), "文中为"))
    if prior is not None and label in prior_figures:
        candidates = [value for _, value in prior_figures[label]]
        says = (
            f"{where}：{label}{format_amount(this_year)}万元 比上年{direction} {format_amount(abs(delta))} 万元"
            f"，与{prior.year}年{prior.kind_name}中的“{label}”对照"
        )
        status = OK if last_year in candidates else WARNING
        closest = min(candidates, key=lambda value: abs(value - last_year))
        results.append(
            Result(status, document, None, section.mark, says, abs(this_year - closest), abs(delta), "文中为")
        )
    return results
