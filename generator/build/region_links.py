"""Build stage, each document's link to its city's comparison, written once every batch is in.

The city's page (render/pages.region_pages) sets the latest figures of its bureaus side by side,
from the outlines of every batch; a document's page, written in a worker before those are in,
leaves a marker where the link goes (render/region_link.py). Here the link is written in its place
for each document the comparison shows; the other pages keep the marker, an HTML comment.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from ..core import urls
from ..core.model import Site
from ..render.charts import region_compared
from ..render.pages import regions
from ..render.region_link import MARKER, region_line
from .links import Targets

ANCHOR = "duibi"  # the comparison's heading on the city's page (templates/region.html.j2)


def link_compared(site: Site, root: Path, locate: Callable[[str], str] | None = None) -> Targets:
    """Write the link into the page of each document its city's page compares, under *root* (the
    finished site, whose pages are where *locate*(file) says when not under it: layers.py); → the
    links written, for the link check."""
    written: Targets = {}
    for province, cities in regions(site):
        for city, bureaus in cities:
            compared = region_compared(bureaus)
            city_file = urls.page_file(urls.region_src(province, city))
            for bureau in bureaus:
                for document in bureau.documents:
                    if (bureau.slug, document.year, document.kind) not in compared:
                        continue
                    src = urls.document_src(document)
                    href = urls.html_link(src, urls.region_src(province, city), ANCHOR)
                    page = root / urls.page_file(src)
                    found = locate(urls.page_file(src)) if locate is not None else page
                    with open(found, encoding="utf-8") as kept:
                        html = kept.read().replace(MARKER, region_line(document, city, href), 1)
                    # A new file in the page's place, never the page rewritten: a page recalled from
                    # the build cache is a link to the cache's file and the published site's.
                    os.makedirs(page.parent, exist_ok=True)
                    fresh = page.with_name(page.name + ".new")
                    fresh.write_text(html, "utf-8")
                    fresh.replace(page)
                    written[city_file, ANCHOR] = (urls.page_file(src), href)
    return written
