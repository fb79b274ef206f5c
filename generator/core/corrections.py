"""A document's corrections on the record: each published version after the first, as the commit
that made it (date, message) and what it changed from the version before, figure by figure and
text by section. Worked out by the build from data/'s git history (build/history.py), compared
through the loader's model (export/corrections.py), shown on the document's overview and in its
JSON download."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Commit:
    """A commit of data/'s history: its id, its date (the commit's, never the clock's: the build stays
    reproducible) and its message's first line."""

    commit: str
    date: str  # YYYY-MM-DD
    message: str


@dataclass(frozen=True)
class FigureChange:
    """One cell that changed: the table it is in, its row and column as the download names them."""

    table: str
    row: str
    column: str
    before: Decimal | str | None
    after: Decimal | str | None


@dataclass(frozen=True)
class TextChange:
    """A section whose text changed: the sentences the earlier version had and the later has not, and
    the reverse."""

    section: str
    removed: tuple[str, ...]
    added: tuple[str, ...]


@dataclass(frozen=True)
class Correction:
    commit: Commit
    figures: tuple[FigureChange, ...]
    texts: tuple[TextChange, ...]
