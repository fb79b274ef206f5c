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

**Items listed.** A figure that a section's title states (（二）项目支出1889.78万元), or a paragraph
stating one figure and ending in a colon (人员经费578.15万元，包括：), is broken down by the numbered
paragraphs after it ((1)…200万元; (2)…200万元), of one numbering (1. / (1) / 一、): the items' first
figures add up to it (auditor's check 46, 项目金额之和 = 项目支出; the figure itself is check/prose.py's
against the tables). Prose may print some figures to fewer digits: a sum equal to the figure at the
coarsest precision printed is a notice, else a warning. A list with an item stating no figure, or a head
stating two, is not read.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

from ..core.amounts import format_amount
from ..core.model import DEFAULT_WORDING, Document, Section, Wording
from ..core.results import NOTICE, OK, UNCHECKED, WARNING, Result

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
        results += listed_items(document, section)
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


# The numbering a paragraph of a list opens with: (1) （1） 1. 1、 一、 (一)
_NUMBERING = re.compile(
    r"^\s*(?:[(（]\s*(?:\d+|[一二三四五六七八九十]+)\s*[)）]|\d+\s*[、.．](?!\d)|[一二三四五六七八九十]+\s*、)"
)


def numbering(paragraph: str) -> str | None:
    """The kind of numbering *paragraph* opens with ((1), 1., 一、), or None."""
    match = _NUMBERING.match(paragraph)
    if match is None:
        return None
    shape = unicodedata.normalize("NFKC", match.group(0)).replace(" ", "")
    return re.sub(r"[一二三四五六七八九十]+", "一", re.sub(r"\d+", "1", shape))


def listed_items(document: Document, section: Section) -> list[Result]:
    paragraphs = [p for p in section.body.split("\n") if p.strip()]
    results = []
    heads = FIGURE.findall(section.title)
    if len(heads) == 1:
        style = next((numbering(p) for p in paragraphs if numbering(p)), None)
        items = [p for p in paragraphs if style and numbering(p) == style]
        results += items_sum(document, section, heads[0], items)
    for at, paragraph in enumerate(paragraphs):
        heads = FIGURE.findall(paragraph)
        if len(heads) != 1 or not paragraph.rstrip().endswith(("：", ":")) or at + 1 == len(paragraphs):
            continue
        style = numbering(paragraphs[at + 1])
        items = []
        for following in paragraphs[at + 1 :]:
            if style is None or numbering(following) != style:
                break
            items.append(following)
        results += items_sum(document, section, heads[0], items)
    return results


def items_sum(document, section: Section, head: tuple[str, str], items: list[str]) -> list[Result]:
    firsts = [FIGURE.search(item) for item in items]
    if len(items) < 2 or any(f is None for f in firsts):
        return []
    label, text = head
    total = Decimal(text)
    added = sum(Decimal(f.group(2)) for f in firsts)
    # compared at the coarsest precision printed (200万元 beside 99.78万元: to the 万元)
    coarsest = Decimal(1).scaleb(max(Decimal(t).as_tuple().exponent for t in [text] + [f.group(2) for f in firsts]))
    rounded = added.quantize(coarsest, ROUND_HALF_UP) == total.quantize(coarsest, ROUND_HALF_UP)
    says = f"“{section.title}”：{label}{text}万元 = 所列 {len(items)} 项之和"
    status = OK if added == total else NOTICE if rounded else WARNING
    return [Result(status, document, None, section.mark, says, added, total, "文中为")]
