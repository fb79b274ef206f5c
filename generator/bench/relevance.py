"""The search's judged set (judged.yaml): queries with their right answers, and the judging of a
list of results against them on a built site.

A result is the address a search result opens (path/#fragment, from the site's root). It is right
for an answer when it opens the answer's place: the page, the element with the answer's id or
something inside it (a heading's section, a table's rows), or the row of a table that holds the
answer's label (judged.yaml says how answers are written). Where it lands is read from the built
page, so the judging holds whatever ids a page gives its rows.

*strict* asks for the place itself; *section* also takes the section that holds it (the top of the
table whose row is the answer): how near a search that cannot open a row comes.
"""

from __future__ import annotations

import html
import re
import statistics
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ruamel.yaml import YAML

JUDGED = Path(__file__).with_name("judged.yaml")
ROW = " › "  # path/#table › label: the row of that table whose text holds label
_HEADING = re.compile(r"<h([1-6])\b")
_TAG = re.compile(r"<([a-z0-9]+)\b")
_SECTION = re.compile(r'<h[2-6]\b[^>]*\bid="')  # a heading that starts a section


@dataclass(frozen=True)
class Judged:
    query: str
    answers: tuple[str, ...]
    why: str = ""


def load(path: Path = JUDGED) -> list[Judged]:
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    return [Judged(str(q["query"]), tuple(q["answers"]), q.get("why", "")) for q in data["queries"]]


def address(url: str) -> str:
    """A result's link (an absolute URL, as a.href gives it) as a path from the site's root:
    no leading /, index.html dropped, percent-escapes read."""
    parts = urlsplit(url)
    page = unquote(parts.path).lstrip("/").removesuffix("index.html")
    return page + ("#" + unquote(parts.fragment) if parts.fragment else "")


class Site:
    """A built site's pages, read to see where a result lands."""

    def __init__(self, root: Path):
        self.root = root
        self._html = lru_cache(maxsize=256)(self._read)

    def _read(self, page: str) -> str:
        file = self.root / page / "index.html"
        return file.read_text(encoding="utf-8") if file.is_file() else ""

    def target(self, page: str, fragment: str) -> int | None:
        """Where in the page's HTML the element with id *fragment* starts (0: the page's top)."""
        if not fragment:
            return 0
        text = self._html(page)
        at = text.find(f' id="{html.escape(fragment)}"')
        return None if at < 0 else text.rfind("<", 0, at)

    def extent(self, page: str, start: int) -> tuple[int, int]:
        """The range of the element starting at *start*: a heading's whole section, else the element."""
        text = self._html(page)
        heading = _HEADING.match(text, start)
        if heading:
            level = int(heading.group(1))
            following = re.compile(rf"<h[1-{level}]\b|</article>").search(text, start + 1)
            return start, following.start() if following else len(text)
        tag = _TAG.match(text, start).group(1)
        opening, closing = re.compile(rf"<{tag}\b"), f"</{tag}>"
        depth, at = 0, start
        while True:
            close = text.find(closing, at)
            if close < 0:
                return start, len(text)
            nested = opening.search(text, at + 1, close)
            if nested:
                depth, at = depth + 1, nested.start()
                continue
            if depth == 0:
                return start, close + len(closing)
            depth, at = depth - 1, close + len(closing)

    def section(self, page: str, position: int) -> tuple[int, int]:
        """The section (under the nearest heading with an id) that holds *position*."""
        text = self._html(page)
        headings = [m.start() for m in _SECTION.finditer(text) if m.start() <= position]
        return self.extent(page, headings[-1]) if headings else (0, len(text))

    def rows(self, page: str, table: str, label: str) -> list[tuple[int, int]]:
        """The rows of table *table* whose text holds *label*."""
        start = self.target(page, table)
        if start is None:
            return []
        text = self._html(page)
        begin, end = self.extent(page, start)
        found = []
        for row in re.finditer(r"<tr\b.*?</tr>", text[begin:end], re.S):
            if label in " ".join(html.unescape(re.sub(r"<[^>]+>", " ", row.group(0))).split()):
                found.append((begin + row.start(), begin + row.end()))
        return found

    def places(self, answer: str, section: bool = False) -> tuple[str, list[tuple[int, int]] | None]:
        """The answer's page and the ranges of it a right result lands in (None: anywhere on the page)."""
        page, _, fragment = answer.partition("#")
        if page.endswith("*"):
            return page[:-1], None
        if not fragment:
            return page, [(0, 0)]
        if ROW in fragment:
            table, label = fragment.split(ROW, 1)
            ranges = self.rows(page, table, label)
        else:
            start = self.target(page, fragment)
            ranges = [] if start is None else [self.extent(page, start)]
        if section:
            ranges = [self.section(page, begin) for begin, _ in ranges]
        return page, ranges

    def right(self, result: str, answers: tuple[str, ...], section: bool = False) -> bool:
        page, _, fragment = address(result).partition("#")
        for answer in answers:
            answer_page, ranges = self.places(answer, section)
            if page != answer_page:
                continue
            if ranges is None:
                return True
            position = self.target(page, fragment)
            if position is None:
                continue
            if any(begin <= position < end or begin == position == end for begin, end in ranges):
                return True
        return False

    def missing(self, judged: list[Judged]) -> list[str]:
        """Answers that name no place on this site (a page or id that is not there): a typo in judged.yaml."""
        wrong = []
        for item in judged:
            for answer in item.answers:
                page, ranges = self.places(answer)
                if not self._html(page) or ranges == []:
                    wrong.append(f"{item.query}: {answer}")
        return wrong


def rank(site: Site, results: list[str], answers: tuple[str, ...], section: bool = False) -> int | None:
    """The position (1, 2, …) of the first right result, or None."""
    return next((n for n, result in enumerate(results, 1) if site.right(result, answers, section)), None)


def summary(site: Site, judged: list[Judged], runs: dict[str, dict]) -> dict:
    """How a search did on the judged set. *runs* maps each query to {"results": [...], "bytes", "milliseconds"}."""
    out: dict = {"queries": len(judged)}
    for name, section in (("", False), ("section_", True)):
        ranks = [rank(site, runs[j.query]["results"], j.answers, section) for j in judged]
        out[f"{name}best_first"] = sum(r == 1 for r in ranks)
        out[f"{name}top_3"] = sum(r is not None and r <= 3 for r in ranks)
    kilobytes = [runs[j.query]["bytes"] / 1000 for j in judged]
    milliseconds = [runs[j.query]["milliseconds"] for j in judged]
    out.update(
        kilobytes_median=round(statistics.median(kilobytes), 1),
        kilobytes_max=round(max(kilobytes), 1),
        milliseconds_median=int(statistics.median(milliseconds)),
        milliseconds_max=max(milliseconds),
        not_first=[j.query for j in judged if rank(site, runs[j.query]["results"], j.answers) != 1],
    )
    return out
