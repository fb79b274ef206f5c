"""Render stage, fragments: HTML that is kept out of Markdown and put back into the built page.

Only the pages that go through mkdocs as Markdown (the home page, the glossary) use them; the
pages of bureaus and documents are HTML poured into the theme's page shells (build/theme.py).
The pages' tables and prose are HTML already. Passing them through Python-Markdown, which parses
every raw HTML block with html.parser, took nine tenths of the build at province scale; Markdown
now sees a marker in their place (a comment, which it passes through untouched), and fill() puts
the HTML back after Markdown has run: a page keeps its fragments (pages.Page.fragments), and the
hook of the mkdocs run that renders it fills them in (build/mkdocs_run.py: PageFragments).
"""

from __future__ import annotations

import re

MARKER = "<!--gk-fragment-{}-->"
_MARKER = re.compile(r"<!--gk-fragment-\d+-->")


def fill(text: str, fragments: dict[str, str]) -> str:
    if not fragments:
        return text
    return _MARKER.sub(lambda m: fragments.get(m.group(0), m.group(0)), text)
