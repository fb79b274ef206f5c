"""mkdocs hook: put the HTML fragments kept out of Markdown back into each page (see fragments.py),
and give a page written as HTML (bureaus and documents, see pages.html_page) the menu of its headings."""

from __future__ import annotations

import sys
from pathlib import Path

# mkdocs loads this file by path, not as part of the package: make the package importable.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from mkdocs.structure.toc import get_toc  # noqa: E402

from generator.build.shells import toc_tokens  # noqa: E402
from generator.render.fragments import HTML_PAGES, put_back  # noqa: E402


def on_page_content(html, page, **kwargs):
    html = put_back(html, page.file.src_uri)
    if page.file.src_uri in HTML_PAGES:
        page.toc = get_toc(toc_tokens(html))
    return html
