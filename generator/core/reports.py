"""The reports of a document: what a 绩效 statement in prose is read against.

A 自评报告 is printed as an attachment (望城's 决算 carries one per project) or as a part, with its
自评表 in it: a sentence belongs to the report it is printed in, and states the figures of that
report's tables. A part's own sections (not its attachments) are one report, each attachment another.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Document, IndicatorTable, Section


@dataclass(frozen=True, eq=False)
class Report:
    title: str
    prose: tuple[tuple[str, str, object], ...]  # (title, body, mark) of each body, in order
    tables: tuple[IndicatorTable, ...]  # its 绩效 tables, in order


def _walk(sections: list[Section]):
    for section in sections:
        yield section
        yield from _walk(section.sections)


def _report(title: str, body: str | None, mark, sections: list[Section]) -> Report:
    prose = [(title, body, mark)] if body else []
    tables = []
    for section in _walk(sections):
        if section.body:
            prose.append((section.title, section.body, section.mark))
        if isinstance(section.table, IndicatorTable):
            tables.append(section.table)
    return Report(title, tuple(prose), tuple(tables))


def reports(document: Document) -> list[Report]:
    out = []
    for part in document.parts:
        out.append(_report(part.title, part.body, part.mark, part.sections))
        for attachment in part.attachments:
            out.append(_report(attachment.title, attachment.body, attachment.mark, attachment.sections))
    return out
