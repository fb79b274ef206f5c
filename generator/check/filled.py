"""Check stage, completeness of the text: the sections of the form set's 目录 that a document has
but left empty, its 名词解释 without a term and its 附件 without an attachment.

`python -m generator new` lays out every section of the 目录 with nothing in it; the tables left
empty are arithmetic's errors, but an empty 部门职责 or 情况说明 would be published as a bare heading.
A section is empty when it has no text, no table and no subsection with either. It is reported where
the text goes: a section with subsections at each empty subsection, not again at itself, so that a
new document's 情况说明 lists each of its 13 sections. Only what the 目录 lists is looked at (a
section the document adds is its own affair), so a province's 目录 decides.

A document's section is the 目录's when their titles are the same once the numbering (第一部分,
一、, （一）, 1.) and the spacing and quotation marks are set aside, a {部门}, {简称} or {年度} of the
目录 standing for any words: 七、一般公共预算财政拨款三公经费支出决算情况说明 is the 目录's
七、一般公共预算财政拨款“三公”经费支出决算情况说明, and 第一部分 长沙市望城区医疗保障局概况 is its
第一部分 {部门}概况. Sections are matched level by level, in the part or section matched above.

A section of the 目录 may say it explains a table item by item (`itemizes: 公开05表:合计`, the 财政部's
细化程度: 具体情况说明写到类、款、项, auditor's check 47). The document's section must then name each
项 of that table with an amount, as 社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位基本
养老保险缴费支出（项）, the names those of the table's 类, 款 and 项 rows; the text of an item (up to
the next) must state the table's amount; and an item the table does not print is named. Each miss is
a warning; a table printed without its body leaves the section 无法核对.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from ..core.amounts import format_amount
from ..core.cells import tables_by_form
from ..core.model import Attachment, Document, FormTable, Part, Section
from ..core.results import OK, UNCHECKED, WARNING, Result

_NUMERAL = "一二三四五六七八九十百零〇两"
# The numbering a title opens with, as the 目录 of a Chinese disclosure writes it: 第一部分, 一、,
# （一）, (1), 1. or 1、, 1.2: one of them, with what spacing follows.
_NUMBERING = re.compile(
    rf"^\s*(?:第[{_NUMERAL}\d]+部分|[{_NUMERAL}]+\s*[、.．]|[（(]\s*[{_NUMERAL}\d]+\s*[)）]|\d+(?:[.．]\d+)*\s*[、.．]?)\s*"
)
# What does not tell two titles apart: spacing, and quotation marks of any width.
_NOISE = re.compile(r"[\s“”\"‘’'「」『』]+")
_PLACEHOLDER = re.compile(r"\{(?:部门|简称|年度)\}")


def plain_title(title: str) -> str:
    """The title without its numbering, spacing and quotation marks."""
    return _NOISE.sub("", _NUMBERING.sub("", title, count=1))


def title_pattern(outline_title: str) -> re.Pattern:
    """What a document's plain title must be to be the 目录's *outline_title*."""
    pieces = _PLACEHOLDER.split(plain_title(outline_title))
    return re.compile(".+?".join(re.escape(piece) for piece in pieces))


def _matching(entries, outline_title: str):
    pattern = title_pattern(outline_title)
    return next((e for e in entries if pattern.fullmatch(plain_title(e.title))), None)


def _has_text(text: str | None) -> bool:
    return bool(text and text.strip())


def section_filled(section: Section) -> bool:
    return _has_text(section.body) or section.table is not None or any(map(section_filled, section.sections))


def part_filled(part: Part) -> bool:
    return (
        _has_text(part.body)
        or bool(part.glossary)
        or any(map(attachment_filled, part.attachments))
        or any(map(section_filled, part.sections))
    )


def attachment_filled(attachment: Attachment) -> bool:
    return _has_text(attachment.body) or any(map(section_filled, attachment.sections))


def _empty(document: Document, entry, what: str) -> Result:
    says = f"{entry.title} 没有内容：照原件{what}；原件此处确实没有内容时，照录原件的说明（如 无）"
    return Result(WARNING, document, None, entry.mark, says)


def check_filled(document: Document) -> list[Result]:
    form_set = document.form_set
    if form_set is None:
        return []
    results: list[Result] = []

    def walk(outline_sections, sections):
        for wanted in outline_sections:
            if not wanted.required:
                continue
            section = _matching(sections, wanted.title)
            if section is None:
                continue  # a section the document names otherwise, or leaves out: not this check's
            if section.sections:
                walk(wanted.sections, section.sections)
            elif not section_filled(section):
                results.append(_empty(document, section, "填写正文（body）或其下各节"))

    for wanted in form_set.outline:
        part = _matching(document.parts, wanted.title)
        if part is None:
            continue
        if wanted.glossary and not part.glossary and not _has_text(part.body):
            says = f"{part.title} 没有名词：照原件在 glossary 中逐条写名词及其解释"
            results.append(Result(WARNING, document, None, part.mark, says))
        elif wanted.attachments and not part.attachments and not _has_text(part.body):
            says = f"{part.title} 没有附件：照原件在 attachments 中写每个附件的标题和内容；原件没有附件时删去这一部分"
            results.append(Result(WARNING, document, None, part.mark, says))
        elif not part.sections and not part_filled(part):
            results.append(_empty(document, part, "填写这一部分"))
        else:
            walk(wanted.sections, part.sections)
            for attachment in part.attachments if wanted.attachments else ():
                if not attachment_filled(attachment):
                    results.append(_empty(document, attachment, "填写附件的正文（body）或其下各节"))
    return results


# 社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）
_NAME = r"([^\s（()）、，。；：:\d]+?)"
ITEM = re.compile(_NAME + r"\s*[（(]类[)）]\s*" + _NAME + r"\s*[（(]款[)）]\s*" + _NAME + r"\s*[（(]项[)）]")
_FIGURE = re.compile(r"(\d+(?:\.\d+)?)\s*万元")


def _plain(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split())


def _text(section: Section) -> str:
    return "\n".join([section.body or ""] + [_text(s) for s in section.sections])


def itemized_sections(outline_sections, sections):
    """(the 目录's section declaring `itemizes`, the document's section it is), at every level."""
    for wanted in outline_sections:
        section = _matching(sections, wanted.title)
        if section is None:
            continue
        if wanted.itemizes:
            yield wanted, section
        yield from itemized_sections(wanted.sections, section.sections)


def table_items(table: FormTable, column: str) -> dict[tuple[str, str, str], tuple[str, Decimal]]:
    """(类, 款, 项 names) → (项 code, amount) of each 项 row with an amount in *column*."""
    items = {}
    for data in table.panels:
        if data.panel.rows is not None or not data.panel.code_keys:
            continue
        names = {code: name for (code, name), _ in data.labelled if code and name}
        for (code, name), row in data.labelled:
            value = row.cells.get(column)
            if code and name and len(code) == 7 and value is not None and value.amount:
                path = tuple(_plain(names.get(code[:n], "")) for n in (3, 5)) + (_plain(name),)
                items[path] = (code, value.amount)
    return items


def check_itemized(document: Document, tables: list) -> list[Result]:
    form_set = document.form_set
    if form_set is None:
        return []
    by_form = tables_by_form(document, tables)
    results = []
    for wanted in form_set.outline:
        part = _matching(document.parts, wanted.title)
        if part is None:
            continue
        for entry, section in itemized_sections(wanted.sections, part.sections):
            results += itemized(document, section, by_form, *entry.itemizes.split(":", 1))
    return results


def itemized(document: Document, section: Section, by_form: dict, number: str, column: str) -> list[Result]:
    where = f"“{section.title}”"
    table = by_form.get(number)
    if table is None or not any(data.rows for data in table.panels):
        says = f"{where}逐项写到{number}的类、款、项"
        reason = f"文件中{number}没有表体，无从逐项对照"
        return [Result(UNCHECKED, document, None, section.mark, says, reason=reason)]
    text = _text(section)
    named = list(ITEM.finditer(text))
    printed = table_items(table, column)
    results = []
    for at, match in enumerate(named):
        path = tuple(_plain(name) for name in match.groups())
        heading = f"{match.group(1)}（类）{match.group(2)}（款）{match.group(3)}（项）"
        if path not in printed:
            says = f"{where}写到的 {heading}，{number}中没有这一项或其{column}为 0：请照原件核对科目名称"
            results.append(Result(WARNING, document, table, section.mark, says))
            continue
        code, amount = printed.pop(path)
        end = named[at + 1].start() if at + 1 < len(named) else len(text)
        stated = [Decimal(figure) for figure in _FIGURE.findall(text, match.end(), end)]
        says = f"{where}中的 {code} {heading} 与{number}的{column} {format_amount(amount)} 万元"
        if amount in stated:
            results.append(Result(OK, document, table, section.mark, says))
        else:
            says += "：这一项写的数中没有表中的数，请照原件核对"
            results.append(Result(WARNING, document, table, section.mark, says))
    for (kind, item, entry), (code, amount) in printed.items():
        says = f"{where}没有写到{number}的 {code} {kind}（类）{item}（款）{entry}（项）{format_amount(amount)} 万元：具体情况说明应逐项写到类、款、项"
        results.append(Result(WARNING, document, table, section.mark, says))
    return results
