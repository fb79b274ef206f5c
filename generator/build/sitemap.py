"""Build stage, sitemap: every page of the finished site listed for search engines, when the site's
address is known.

mkdocs lists only the pages it renders itself (the home page, the glossary, 关于), and only when
mkdocs.yml names the site's address (site_url): its sitemap.xml held no URL at all. Naming the
address in mkdocs.yml is not an option here: Material would then give the page shells a canonical
link to the shell's own placeholder URL. So the address is the build's (`--site-url`), and the
sitemap is written from the site as built, every page of every bureau, document and city included.
Without an address there is nothing a sitemap may hold (its URLs must be absolute): mkdocs' empty
one is left as it is.
"""

from __future__ import annotations

import calendar
import gzip
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape

from .report import Stop

LEFT_OUT = ("admin/",)  # the form editor is an application for clerks, not a page for search engines
MOST_URLS = 50_000  # the sitemap protocol's limit for one file: more pages go into parts listed by an index


def check_site_url(site_url: str) -> str:
    """The site's address as the sitemap writes it (ending in /); a Stop when it is not an address."""
    if not site_url.startswith(("https://", "http://")) or " " in site_url:
        raise Stop.at(
            "--site-url", f"'{site_url}' 不是网站的网址：请写完整的网址，如 https://czj.example.gov.cn/gongkai/"
        )
    return site_url if site_url.endswith("/") else site_url + "/"


def page_paths(site: Path, pages: Iterable[str] | None = None) -> list[str]:
    """The folder of every page of *site* (a page is a folder's index.html), '' for the home page;
    *pages*: the site-relative path of each, when the site is not all under *site* (layers.py)."""
    if pages is None:
        pages = (page.relative_to(site).as_posix() for page in site.rglob("index.html"))
    paths = []
    for page in pages:
        folder = page.rpartition("/")[0]
        path = folder + "/" if folder else ""
        if not path.startswith(LEFT_OUT):
            paths.append(path)
    return sorted(paths)


def _xml(root: str, entries: str) -> bytes:
    head = f'<?xml version="1.0" encoding="UTF-8"?>\n<{root} xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
    return (head + entries + f"</{root}>\n").encode("utf-8")


def _gzip(path: Path, data: bytes, when: datetime) -> None:
    path.write_bytes(gzip.compress(data, mtime=calendar.timegm(when.timetuple())))


def write_sitemap(site: Path, site_url: str, when: datetime, pages: Iterable[str] | None = None) -> int:
    """sitemap.xml (and .gz) of *site* at *site_url*, dated *when* (the build's date, so that one
    commit builds the same bytes); over MOST_URLS pages, sitemap.xml is an index of parts
    (sitemap-1.xml.gz, …). Returns how many pages are listed."""
    day = when.strftime("%Y-%m-%d")
    paths = page_paths(site, pages)
    urls = [f"<url><loc>{escape(site_url + quote(path))}</loc><lastmod>{day}</lastmod></url>\n" for path in paths]
    if len(urls) <= MOST_URLS:
        text = _xml("urlset", "".join(urls))
    else:
        parts = []
        for number, start in enumerate(range(0, len(urls), MOST_URLS), 1):
            name = f"sitemap-{number}.xml.gz"
            _gzip(site / name, _xml("urlset", "".join(urls[start : start + MOST_URLS])), when)
            parts.append(f"<sitemap><loc>{escape(site_url + name)}</loc><lastmod>{day}</lastmod></sitemap>\n")
        text = _xml("sitemapindex", "".join(parts))
    (site / "sitemap.xml").write_bytes(text)
    _gzip(site / "sitemap.xml.gz", text, when)
    return len(paths)
