"""Check stage, the 科目 of the 政府收支分类 named in prose: a section that explains a table item by
item, and the use a sentence gives a 科目.

**Item by item.** A section of the 目录 may say it explains a table item by item (`itemizes:
公开05表:合计`, the 财政部's 细化程度: 具体情况说明写到类、款、项, auditor's check 47). The document's
section must then name each 项 of that table with an amount, as 社会保障和就业支出（类）行政事业单位养老
支出（款）机关事业单位基本养老保险缴费支出（项）, the names those of the table's 类, 款 and 项 rows; the
text of an item (up to the next) must state the table's amount; and an item the table does not print
is named. Each miss is a warning; a table printed without its body leaves the section 无法核对.

**Use.** A sentence saying what a 科目 is for (住房公积金（项）。主要用于…, the words of `wording.purpose`)
names, after the word, another 科目 of the document's tables that is neither it, above it nor below it
(…主要用于事业单位医疗): the use is most often copied from another item (auditor's check 56). A warning.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from ..core.amounts import format_amount
from ..core.cells import tables_by_form
from ..core.model import DEFAULT_WORDING, Document, FormTable, Section
from ..core.results import OK, UNCHECKED, WARNING, Result
from .filled import matching

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
        section = matching(sections, wanted.title)
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
        part = matching(document.parts, wanted.title)
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


# The shortest 科目 name read as one in prose: shorter ones (扶贫, 抚恤) are words of other sentences too.
_SHORTEST_NAME = 4


def subject_names(tables) -> dict[str, set[str]]:
    """科目名称 → the 科目编码 it is printed with, over the document's 科目 tables."""
    names: dict[str, set[str]] = {}
    for table in tables:
        if not isinstance(table, FormTable):
            continue
        for data in table.panels:
            if data.panel.rows is not None or not data.panel.code_keys:
                continue
            for (code, name), _ in data.labelled:
                if code and name and len(_plain(name)) >= _SHORTEST_NAME:
                    names.setdefault(_plain(name), set()).add(code)
    return names


def related(one: str, other: str, names: dict[str, set[str]]) -> bool:
    """Whether two 科目 names are one 科目, or one is above the other (by code or by name)."""
    if one in other or other in one:
        return True
    return any(a.startswith(b) or b.startswith(a) for a in names[one] for b in names[other])


def check_uses(document: Document, tables: list, sections: list[Section]) -> list[Result]:
    wording = document.form_set.wording if document.form_set is not None else DEFAULT_WORDING
    names = subject_names(tables)
    if not names:
        return []
    by_length = sorted(names, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(n) for n in by_length))
    purpose = re.compile("|".join(re.escape(w) for w in wording.purpose))
    results = []
    for section in sections:
        if not section.body:
            continue
        paragraphs = [p for p in section.body.split("\n") if p.strip()]
        for at, paragraph in enumerate(paragraphs):
            for clause in re.split(r"[。；;]", paragraph):
                use = purpose.search(clause)
                if use is None:
                    continue
                # the 科目 the use is of: named before the word, in this paragraph or the one before
                before = (paragraphs[at - 1] if at else "") + "\n" + paragraph[: paragraph.index(clause) + use.start()]
                named = [m.group(0) for m in pattern.finditer(_plain(before))]
                if not named:
                    continue
                subject = named[-1]
                for other in dict.fromkeys(m.group(0) for m in pattern.finditer(_plain(clause[use.end() :]))):
                    if related(subject, other, names):
                        continue
                    says = (
                        f"“{section.title}”：{subject}“{use.group(0)}”{other}：{other}是另一科目，"
                        "请照原件核对这一科目的用途"
                    )
                    results.append(Result(WARNING, document, None, section.mark, says))
    return results
