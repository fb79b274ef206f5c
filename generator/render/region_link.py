"""Render stage, a document's line that leads to its city's comparison (charts.region_comparisons):
the chart of the city's page where the document's figures stand beside its other bureaus'.

A document's page is written in a worker that holds its batch's bureaus only; whether its city's
page sets its figures beside others is known once every batch is in. So the page leaves MARKER
(templates/document.html.j2) where the line goes, and the build writes the line there
(build/region_links.py) for the documents the comparison shows, and only for them.
"""

from __future__ import annotations

from ..core.model import Document
from .escaping import escape

MARKER = "<!--gk-region-link-->"  # as document.html.j2 writes it


def region_line(document: Document, city: str, href: str) -> str:
    city = escape(city)
    return (
        f'<p class="gk-region-link"><a href="{escape(href)}">{city}各部门主要数字对比</a>：'
        f"本部门与{city}其他部门{document.year}年{escape(document.kind_name)}的主要数字并列。</p>"
    )
