"""Build stage, links: every link of the pages the generator pours into shells leads to a file of the
site, and to the element its #anchor names; a broken link fails the build and the previous site
stays up.

mkdocs checks the links of the pages it renders from Markdown (strict), but the pages of bureaus,
documents and cities are poured into the theme's shells (theme.py) and never pass through it: a
link typed into prose (`[x](../nowhere/)`) or a template's mistake would be published broken. Each
batch checks the links between its own pages in its worker (where the pages are still in memory)
and hands the links that leave it (to the glossary, the home page, the assets) to the main
process, which checks them once the whole site is in place.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Callable
from pathlib import Path

from ..core.problems import Mark, Problem
from ..core.urls import page_file, target

__all__ = ["Targets", "ids_in", "links_in", "links_into", "links_of", "page_file", "target"]

_LINK = re.compile(r'\s(?:href|src)="([^"]*)"')  # links, and the images and files a page loads
# The same matches as \shref="…" and \sid="…", written to begin with the attribute's name: a pattern
# that begins with a literal is searched for as a string, one that begins with \s tries every
# character of the page (six times slower over a batch's 2 MB of pages).
_HREF = re.compile(r'href(?<=\shref)="([^"]*)"')
_ID = re.compile(r'id(?<=\sid)="([^"]*)"')
# (file, anchor) a link leads to → (the page, the link as written) of the first page that has it
Targets = dict[tuple[str, str], tuple[str, str]]


def links_in(content: str) -> list[str]:
    """The href and src values of *content*, in order."""
    # Few poured pages load anything (src): the others need only the faster search for href.
    return _LINK.findall(content) if 'src="' in content else _HREF.findall(content)


def ids_in(content: str) -> set[str]:
    return {html.unescape(found) for found in _ID.findall(content)}


class _Site:
    """The files and anchors of a site folder, each looked up once: the pages given in memory, the
    rest on disk, where *locate*(file) says (under *root* unless it says otherwise)."""

    def __init__(self, root: Path, contents: dict[str, str], locate: Callable[[str], str] | None = None):
        self.contents = contents
        folder = str(root)  # os.path on strings: a batch asks about thousands of files, pathlib was half the cost
        self._locate = locate or (lambda file: os.path.join(folder, file))
        self._files: dict[str, str | None] = {}  # a link's file → the file it is (a folder's index.html), or None
        self._ids: dict[str, set[str]] = {}

    def broken(self, file: str, fragment: str, href: str) -> str | None:
        """What is wrong with a link to *file*#*fragment*, or None."""
        if file not in self._files:
            if file in self.contents or os.path.isfile(self._locate(file)):
                self._files[file] = file
            elif os.path.isfile(self._locate(f"{file}/index.html")):
                self._files[file] = f"{file}/index.html"
            else:
                self._files[file] = None
        found = self._files[file]
        if found is None:
            return f"链接 {href} 指向的页面或文件不存在"
        if fragment and found.endswith(".html"):
            if found not in self._ids:
                content = self.contents.get(found)
                if content is None:
                    with open(self._locate(found), encoding="utf-8") as page:
                        content = page.read()
                self._ids[found] = ids_in(content)
            if fragment not in self._ids[found]:
                return f"链接 {href} 指向的位置 #{fragment} 在那个页面上没有"
        return None


def links_of(contents: dict[str, str], root: Path, local) -> tuple[list[Problem], Targets]:
    """Check the links of *contents* (a page's file → its content, without the theme's shell)
    that lead to a file *local*(file) says is among them or under *root*; return the problems and
    the links that lead elsewhere."""
    site = _Site(root, contents)
    problems: list[Problem] = []
    elsewhere: Targets = {}
    for page, content in contents.items():
        for href in dict.fromkeys(links_in(content)):
            found = target(page, href)
            if found is None:
                continue
            if not local(found[0]):
                elsewhere.setdefault(found, (page, href))
            elif why := site.broken(*found, href):
                problems.append(Problem(Mark(page), why))
    return problems, elsewhere


def links_into(site: Path, targets: Targets, locate: Callable[[str], str] | None = None) -> list[Problem]:
    """Check links that left their batch against the finished *site* (its files where *locate*
    says, when they are not all under it: layers.py)."""
    finished = _Site(site, {}, locate)
    problems = []
    for (file, fragment), (page, href) in sorted(targets.items()):
        if why := finished.broken(file, fragment, href):
            problems.append(Problem(Mark(page), why))
    return problems
