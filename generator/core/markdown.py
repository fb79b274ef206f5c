"""Markdown as the site reads the prose of data/: one configuration, which render/prose.py renders
with and check/prose_links.py reads the links of prose with, so that the check finds exactly the
links the pages will have."""

from __future__ import annotations

import markdown


def markdown_reader() -> markdown.Markdown:
    """Python-Markdown with sane lists, and raw HTML typed into data/ shown as text, not
    interpreted: a '<' a clerk typed stays a '<'. Call .reset() before each .convert()."""
    md = markdown.Markdown(extensions=["sane_lists"], output_format="html")
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md
