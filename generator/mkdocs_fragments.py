"""mkdocs hook: put the HTML fragments kept out of Markdown back into each page (see fragments.py),
and mark which pages the search index takes in."""

from __future__ import annotations

import sys
from pathlib import Path

# mkdocs loads this file by path, not as part of the package: make the package importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.fragments import put_back, searchable  # noqa: E402

ARTICLE = '<article class="md-content__inner md-typeset">'


def on_page_content(html, page, **kwargs):
    return put_back(html, page.file.src_uri)


def on_post_page(output, page, **kwargs):
    # Pagefind indexes only pages whose article carries data-pagefind-body (see build.PAGEFIND_OPTIONS).
    if searchable(page.file.src_uri):
        return output.replace(ARTICLE, ARTICLE[:-1] + " data-pagefind-body>", 1)
    return output
