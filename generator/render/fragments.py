"""Render stage, fragments: HTML that is kept out of Markdown and put back into the built page.

Only the pages that go through mkdocs as Markdown (the home page, the glossary) use them; the
pages of bureaus and documents are HTML poured into the theme's page shells (build/shells.py).
The pages' tables and prose are HTML already. Passing them through Python-Markdown, which parses
every raw HTML block with html.parser, took nine tenths of the build at province scale; Markdown
now sees a marker in their place (a comment, which it passes through untouched), and the mkdocs
hook in mkdocs_fragments.py puts the HTML back after Markdown has run.
"""

from __future__ import annotations

import re

MARKER = "<!--gk-fragment-{}-->"
_MARKER = re.compile(r"<!--gk-fragment-\d+-->")

# src (docs-relative path of a page) → marker → HTML; filled by build.write_pages.
FRAGMENTS: dict[str, dict[str, str]] = {}
# The pages written as HTML (pages.html_page): their menu comes from their HTML headings, not Markdown's.
HTML_PAGES: set[str] = set()


def fill(text: str, fragments: dict[str, str]) -> str:
    if not fragments:
        return text
    return _MARKER.sub(lambda m: fragments.get(m.group(0), m.group(0)), text)


def put_back(html: str, src: str) -> str:
    return fill(html, FRAGMENTS.get(src, {}))


def searchable(src: str) -> bool:
    """Pages the search index takes in: not the directories of the home page and the cities, the
    数据核对 lists (every figure again, in check results, which crowded out the tables themselves)
    nor the search page."""
    return not (src.endswith("/checks.md") or src in ("index.md", "search.md") or src.startswith("diqu/"))
