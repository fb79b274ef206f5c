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
"""

from __future__ import annotations

import re

from ..core.model import Attachment, Document, Part, Section
from ..core.results import WARNING, Result

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


def matching(entries, outline_title: str):
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
            section = matching(sections, wanted.title)
            if section is None:
                continue  # a section the document names otherwise, or leaves out: not this check's
            if section.sections:
                walk(wanted.sections, section.sections)
            elif not section_filled(section):
                results.append(_empty(document, section, "填写正文（body）或其下各节"))

    for wanted in form_set.outline:
        part = matching(document.parts, wanted.title)
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
