"""Export, what changed between two versions of a document: its figures cell by cell, as the
downloads lay its tables out (a cell named by its table, its row's code and name, and its column's
name), and its texts section by section, sentence by sentence. Both versions are compared as the
loader made them, so a figure written 55.1 in one and 55.10 in the other is no change."""

from __future__ import annotations

import re
from decimal import Decimal

from ..core.corrections import FigureChange, TextChange
from ..core.model import Document
from .tabular import CODE, NUMERIC, TEXT, column_names, document_tables

_SENTENCE_END = re.compile(r"(?<=[。！？；\n])")


def _figures(document: Document) -> dict[tuple[str, str, str], Decimal | str | None]:
    """Every figure of the document by (table, row, column); a row named by its code and name
    (where a table prints two rows of one name, the second is told by its number among them)."""
    out: dict[tuple[str, str, str], Decimal | str | None] = {}
    for data in document_tables(document):
        for block in data.blocks:
            table = data.distinct_label if len(data.blocks) == 1 else f"{data.distinct_label} {block.title}"
            names = column_names(block, data.unit)
            kinds = block.kinds
            seen: dict[str, int] = {}
            for number, row in enumerate(block.data_rows, 1):
                label = " ".join(
                    str(cell) for cell, kind in zip(row, kinds, strict=True) if kind in (CODE, TEXT) and cell
                )
                label = label or f"第{number}行"
                seen[label] = seen.get(label, 0) + 1
                if seen[label] > 1:
                    label = f"{label}（第{seen[label]}个）"
                for cell, kind, name in zip(row, kinds, names, strict=True):
                    if kind in NUMERIC:
                        out[table, label, name] = cell
    return out


def _texts(document: Document) -> dict[str, str]:
    """Each text of the document by where it is (part / section / …): its parts', attachments' and
    sections' bodies."""
    out: dict[str, str] = {}

    def walk(sections, where: str) -> None:
        for section in sections:
            here = f"{where} / {section.title}"
            if section.body:
                out[here] = section.body
            walk(section.sections, here)

    for part in document.parts:
        if part.body:
            out[part.title] = part.body
        walk(part.sections, part.title)
        for attachment in part.attachments:
            here = f"{part.title} / {attachment.title}"
            if attachment.body:
                out[here] = attachment.body
            walk(attachment.sections, here)
    return out


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def compare(before: Document, after: Document) -> tuple[tuple[FigureChange, ...], tuple[TextChange, ...]]:
    """What *after* changed of *before*: the figures that differ (None where a version has no such
    cell), in *after*'s order then those it dropped; the sections whose text differs."""
    old, new = _figures(before), _figures(after)
    figures = tuple(
        FigureChange(table, row, column, old.get(key), new.get(key))
        for key in [*new, *(k for k in old if k not in new)]
        for table, row, column in [key]
        if old.get(key) != new.get(key)
    )
    old_texts, new_texts = _texts(before), _texts(after)
    texts = []
    for where in [*new_texts, *(k for k in old_texts if k not in new_texts)]:
        was, now = old_texts.get(where, ""), new_texts.get(where, "")
        if was == now:
            continue
        was_said, now_said = _sentences(was), _sentences(now)
        removed = tuple(s for s in was_said if s not in now_said)
        added = tuple(s for s in now_said if s not in was_said)
        if removed or added:  # spacing alone, or the same sentences in another order, is no correction of what is said
            texts.append(TextChange(where, removed, added))
    return figures, tuple(texts)
