"""mkdocs hook: put the HTML fragments kept out of Markdown back into each page (see fragments.py)."""

from __future__ import annotations

import sys
from pathlib import Path

# mkdocs loads this file by path, not as part of the package: make the package importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.fragments import put_back  # noqa: E402


def on_page_content(html, page, **kwargs):
    return put_back(html, page.file.src_uri)
