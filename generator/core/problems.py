"""Problems found in data/: one line each, ``path:line:col: message``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


class Mark(NamedTuple):
    """A place in a source file; line and column count from 1, as editors show them.

    A named tuple rather than a frozen dataclass: the same fields, order, equality and hash, made in
    half the time (a model holds one per value, 130,000 at 200 documents), and untracked by the
    garbage collector once it has seen them.
    """

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.path
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, order=True)
class Problem:
    mark: Mark
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        return f"{self.mark}: {self.message}"


EXCERPT = 40  # characters of a file's text a message quotes at most


def excerpt(text: str) -> str:
    """As much of a file's *text* as a message may show: its first line only, at most EXCERPT
    characters of it (… marks what is left out). A message is one line, and a file that is not what
    it should be (a credentials file saved as bureau.yaml, a whole page pasted into a field) is
    never printed whole."""
    lines = text.splitlines() or [""]
    if text == lines[0] and len(text) <= EXCERPT:
        return text
    return lines[0][:EXCERPT] + "…"


def quoted(text: str) -> str:
    """excerpt(*text*) in quotes, as messages quote what a file holds."""
    return f"'{excerpt(text)}'"


class Problems:
    """Collects problems so that one run reports all of them, not just the first."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, mark: Mark, message: str, severity: str = "error") -> None:
        self.items.append(Problem(mark, message, severity))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    def __bool__(self) -> bool:
        return bool(self.errors)

    def sorted(self) -> list[Problem]:
        return sorted(set(self.items))
