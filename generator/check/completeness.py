"""Check stage, completeness: every table the form set's 目录 requires is there, and a table that
prints no figure says, in words, that it is empty.

The rules of 预决算公开 (财预〔2016〕143号) require every table of the set to be published, an empty
one with a statement that it is empty: an auditor's first question is whether a table is missing.
The required tables are the form set's `outline:` sections that name a form (`required: false`
exempts one), so a province declares its own list. A document may name a table its original did
not publish in `omitted:`, with the reason the original gives: the omission is then a warning a
reviewer still sees, not an error that stops publication.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..core.model import Document, FormSet, FormTable, Unreadable
from ..core.problems import Mark
from ..core.results import ERROR, OK, WARNING, Result

_ZERO = Decimal(0)

# A statement that a table is empty says so: 此表数据为空, 本表无数据, 本部门没有政府性基金预算财政拨款
# 安排的支出, 不涉及…. The words are those of Chinese finance statements in general, not of a province.
_EMPTY = re.compile(
    r"为空|空表|无数|没有数据|不涉及|无此|(?:没有|无|未)[^。；;]{0,40}?(?:收入|支出|安排|发生|经费|资金|项目|数据|业务)"
)
# What only a statement of an empty table says (本表无数据, 此表为空): not 没有…支出, which a note
# under a table with figures may say of one of its rows.
_SAYS_EMPTY = re.compile(r"(?:本表|此表|该表)[^。；;]{0,10}?(?:为空|无数|没有数据|空表)|空表")
# A statement names its table when it points at it (本表, 此表, 该表), gives its number, or shares
# four characters running with its title (政府性基金预算 in 政府性基金预算支出表).
_POINTS = re.compile(r"本表|此表|该表|上表")
_NOT_NAMING = re.compile(r"[\d\s年度（）()〔〕“”\"]+")


def required_forms(form_set: FormSet) -> list[tuple[str, Mark | None]]:
    """The form numbers the set's 目录 requires, in its order, with where the 目录 names each."""
    found: list[tuple[str, Mark | None]] = []

    def walk(sections):
        for section in sections:
            if section.form is not None and section.required and section.form not in [f for f, _ in found]:
                found.append((section.form, getattr(section, "mark", None)))
            walk(section.sections)

    for part in form_set.outline:
        walk(part.sections)
    return found


def check_required(document: Document, tables: list) -> list[Result]:
    form_set = document.form_set
    if form_set is None:
        return []
    present = {table.form.number for table in tables if isinstance(table, FormTable)}
    omitted = {o.form: o for o in document.omitted}
    where = document.form_set_mark or Mark(document.path, 1, 1)
    results = []
    required = required_forms(form_set)
    for number, _ in required:
        form = form_set.forms[number]
        if number in present:
            if number in omitted:
                says = f"omitted 写了 {number}，文件中却有此表：请删去 omitted 中这一条"
                results.append(Result(WARNING, document, None, omitted[number].mark, says))
            continue
        if number in omitted:
            says = f"原件没有公开 {number} {form.title}（原件所说的原因：{omitted[number].why}）"
            results.append(Result(WARNING, document, None, omitted[number].mark, says))
        else:
            says = (
                f"缺少 {number} {form.title}：表样 {form_set.id} 的目录要求公开此表；照原件补上此表"
                "（原件此表为空时照录并写 statement），原件确实没有公开时在 omitted 中写明表号和原因"
            )
            results.append(Result(ERROR, document, None, where, says))
    if required and all(number in present for number, _ in required):
        says = f"表样 {form_set.id} 的目录要求公开的 {len(required)} 张表都已公开"
        results.append(Result(OK, document, None, where, says))
    return results


def _amounts(table: FormTable):
    yield from table.totals.values()
    for data in table.panels:
        for cells in data.fixed.values():
            yield from cells.values()
        for row in data.rows:
            yield from row.cells.values()


def states_empty(table: FormTable) -> bool:
    """The table's statement says it has nothing to show (此表数据为空, 本部门没有…支出)."""
    return bool(table.statement and _EMPTY.search(table.statement))


def names_table(statement: str, table: FormTable) -> bool:
    if _POINTS.search(statement) or table.form.number in statement:
        return True
    title = _NOT_NAMING.sub("", table.form.title)
    return any(title[i : i + 4] in statement for i in range(len(title) - 3))


def check_empty(document: Document, tables: list) -> list[Result]:
    """A table that prints no figure, or only zeros, carries a statement that it is empty and which
    table that is; a table not filled in at all is arithmetic's `check_filled` error."""
    results = []
    for table in tables:
        if not isinstance(table, FormTable):
            continue
        values = list(_amounts(table))
        if any(v.__class__ is Unreadable for v in values):
            continue
        figures = [v.amount for v in values if v.amount is not None]
        if any(amount != _ZERO for amount in figures):
            if table.statement and _SAYS_EMPTY.search(table.statement):
                says = (
                    f"{table.form.number} {table.form.title} 有数字，说明却说此表为空"
                    f"（“{table.statement.strip()[:40]}”）：说明是别的表的，或数字填错了表"
                )
                results.append(Result(WARNING, document, table, table.mark, says))
            continue
        label = f"{table.form.number} {table.form.title}"
        statement = table.statement
        if not statement:
            if figures:
                says = f"{label} 的数字全为 0：空表要附说明，写 statement（照原件，如 本表无数据）"
                results.append(Result(WARNING, document, table, table.mark, says))
            continue
        if not states_empty(table):
            says = f"{label} 没有数字，其说明却没有说此表为空（“{statement.strip()[:40]}”）：照原件核对说明"
            results.append(Result(WARNING, document, table, table.mark, says))
        elif not names_table(statement, table):
            says = f"{label} 的空表说明没有说是哪张表（“{statement.strip()[:40]}”）：说明要写明 本表 或表名"
            results.append(Result(WARNING, document, table, table.mark, says))
        else:
            results.append(Result(OK, document, table, table.mark, f"{label} 为空表，附有说明"))
    return results


def _texts_about(document: Document, words: tuple[str, ...]) -> list[tuple[str, str]]:
    """(title, text) of every part and section whose title or text says one of *words*."""
    texts = [(p.title or "", p.body or "") for p in document.parts]
    texts += [(s.title or "", s.body or "") for s in document.sections()]
    return [(title, body) for title, body in texts if any(w in title + body for w in words)]


def _mentions(document: Document, words: tuple[str, ...]):
    """The first section whose title or text says one of *words* (a part's own text counts too)."""
    for part in document.parts:
        if any(w in (part.title or "") + (part.body or "") for w in words):
            return part
    for section in document.sections():
        if any(w in (section.title or "") + (section.body or "") for w in words):
            return section
    return None


def check_topics(document: Document) -> list[Result]:
    """Each subject the form set requires explained (`topics:`: 机关运行经费, 政府采购, 国有资产占用)
    is said somewhere, under any title: a 预决算 that never mentions its 政府采购 leaves out a section
    the rules require, which no arithmetic can find."""
    form_set = document.form_set
    if form_set is None:
        return []
    where = document.form_set_mark or Mark(document.path, 1, 1)
    results = []
    for topic in form_set.topics:
        found = _mentions(document, topic.words)
        if found is None:
            words = "、".join(topic.words)
            says = (
                f"没有说明{topic.name}：表样 {form_set.id} 要求每份文件说明（正文中没有“{words}”）；"
                "照原件补上这一节，原件没有时照录"
            )
            results.append(Result(WARNING, document, None, where, says))
        else:
            results.append(Result(OK, document, None, found.mark, f"说明了{topic.name}（{found.title}）"))
            results += _elements(document, topic, found)
        if topic.table:
            results.append(_as_table(document, topic, where))
    return results


def _as_table(document: Document, topic, where: Mark) -> Result:
    """A subject to be published as a table (绩效目标表, auditor's check 4): a table of the document
    whose title, section title or form name holds one of its words."""
    for section, table in document.tables():
        form = getattr(table, "form", None)
        names = (getattr(table, "title", None) or "", section.title, getattr(form, "name", None) or "")
        if any(word in name for word in topic.words for name in names):
            return Result(OK, document, None, table.mark, f"公开了{topic.name}（{section.title}）")
    words = "、".join(topic.words)
    says = (
        f"没有公开{topic.name}：表样 {document.form_set.id} 要求以表公开（没有一张表的标题中有“{words}”）；"
        "照原件补上这张表，原件没有公开时照录"
    )
    return Result(WARNING, document, None, where, says)


def _elements(document: Document, topic, found) -> list[Result]:
    """What the explanation of *topic* must name, each somewhere in the text that speaks of it."""
    if not topic.elements:
        return []
    texts = _texts_about(document, topic.words)
    if not any(body.strip() for _, body in texts):
        return []  # not written yet: an empty section is check/filled.py's warning
    missing = [e for e in topic.elements if not any(e in title + body for title, body in texts)]
    if missing:
        says = f"{topic.name}的说明没有写到{'、'.join(missing)}：表样要求写到{'、'.join(topic.elements)}"
        return [Result(WARNING, document, None, found.mark, says)]
    return [Result(OK, document, None, found.mark, f"{topic.name}的说明写到了{'、'.join(topic.elements)}")]
