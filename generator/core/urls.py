"""Where each page of the site lives: source paths in the docs folder and the links between them."""

from __future__ import annotations

import html
import re
from functools import lru_cache
from posixpath import normpath
from urllib.parse import unquote

from .model import Attachment, Bureau, Document, Part

# Names Windows keeps for devices: a folder or file so named cannot be made there (ids become folders).
WINDOWS_DEVICE_NAMES = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{port}{n}" for port in ("com", "lpt") for n in range(1, 10)]
)


def page_url(src: str) -> str:
    """'a/index.md' → 'a/', 'a/b.md' → 'a/b/', 'index.md' → '' (mkdocs' directory URLs)."""
    stem = src[: -len(".md")]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


@lru_cache(maxsize=65536)  # every page links to its neighbours' few pages, over and over
def html_link(from_src: str, to_src: str, anchor: str | None = None) -> str:
    """A link for raw HTML, which mkdocs passes through: relative to the page's URL."""
    return (_relative(page_url(from_src), page_url(to_src)) or "./") + (f"#{anchor}" if anchor else "")


def _relative(start: str, target: str) -> str:
    """From folder *start* to folder *target* ('a/b/' or '' for the root), ending in '/' ('' when the same).

    posixpath.relpath, but for the site's own folders only (no '.' or '..' in them): it normalises
    and makes both paths absolute first, which was a sixth of the cost of rendering a page.
    """
    start_parts, target_parts = start.split("/")[:-1], target.split("/")[:-1]
    common = 0
    for mine, theirs in zip(start_parts, target_parts, strict=False):
        if mine != theirs:
            break
        common += 1
    return "../" * (len(start_parts) - common) + "".join(part + "/" for part in target_parts[common:])


HOME = "index.md"
GLOSSARY = "glossary.md"
ABOUT = "about.md"
SEARCH = "search.md"


def path_part(name: str) -> str:
    """A region's name as a folder name: as written, but for what a URL or a file system would misread."""
    # A name typed into data/ must not climb out of diqu/ ("..") or hide its folder (".x"), nor be a
    # name Windows keeps for a device (a copy of the site there could not hold the folder "CON").
    part = re.sub(r"^\.+", "-", re.sub(r"[\s\"'<>&#%?/\\]+", "-", name.strip())) or "-"
    return part + "-" if part.lower() in WINDOWS_DEVICE_NAMES else part


def region_src(province: str, city: str) -> str:
    return f"diqu/{path_part(province)}/{path_part(city)}/index.md"


def region_quality_csv(province: str, city: str) -> str:
    """The city's 公开质量 review as CSV, beside its page."""
    return f"diqu/{path_part(province)}/{path_part(city)}/zhiliang.csv"


def city_of(region) -> tuple[str, str]:
    """(province, city) of a region path: a region of one place is its own city."""
    return region[0], region[1] if len(region) > 1 else region[0]


def bureau_src(bureau: Bureau) -> str:
    return f"{bureau.slug}/index.md"


def document_dir(document: Document) -> str:
    return f"{document.bureau.slug}/{document.year}/{document.slug}"


def document_src(document: Document) -> str:
    return f"{document_dir(document)}/index.md"


def part_src(document: Document, part: Part) -> str:
    if part.attachments:
        return f"{document_dir(document)}/{part.slug}/index.md"
    return f"{document_dir(document)}/{part.slug}.md"


def attachment_src(document: Document, part: Part, attachment: Attachment) -> str:
    return f"{document_dir(document)}/{part.slug}/{attachment.slug}.md"


CHECKS = "checks"  # 数据核对


def checks_src(document: Document) -> str:
    return f"{document_dir(document)}/{CHECKS}.md"


FULL_TEXT = "quanwen.md"  # 全文: a document on one page


def full_text_src(document: Document) -> str:
    """The document on one page, every part and attachment, to read through or print."""
    return f"{document_dir(document)}/{FULL_TEXT}"


def comparison_src(bureau: Bureau, year: int) -> str:
    return f"{bureau.slug}/{year}/duibi.md"


# Downloads (files, not pages): a document's in a folder of its own, the whole site's in one zip.
DOWNLOADS = "xiazai"  # 下载
# The names a document's own pages take beside its parts: a part with one of them as its id would
# be written over them (or they over it).
DOCUMENT_OWN = (CHECKS, FULL_TEXT.removesuffix(".md"), DOWNLOADS)
DATAPACKAGE = "datapackage.json"
BULK = f"{DOWNLOADS}/gongkai-quanbu.zip"


def downloads_dir(document: Document) -> str:
    return f"{document_dir(document)}/{DOWNLOADS}"


def document_file(document: Document, extension: str) -> str:
    """The name of the document's workbook and JSON: the document's folders, so a folder of them stays legible."""
    return f"{document.bureau.slug}-{document.year}-{document.slug}.{extension}"


@lru_cache(maxsize=4096)
def folder_link(from_src: str, folder: str) -> str:
    """A link from a page to a folder of files under the site (downloads): relative, with a '/'."""
    return _relative(page_url(from_src), folder.strip("/") + "/")


# ---- where a link leads ----
# The build's link check (build/links.py) reads links from the pages written; the check stage
# (check/prose_links.py) from the prose typed into data/. Both resolve them here, as a browser does.

_ELSEWHERE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.I)  # another host, mailto:, data:


def page_file(src: str) -> str:
    """The file a page's source becomes in the site: 'a/b.md' → 'a/b/index.html'."""
    return page_url(src) + "index.html"


def target(page: str, href: str) -> tuple[str, str] | None:
    """The file (from the site's root) and the anchor *href* leads to from the file *page*; None
    for another host. Like a browser, '..' above the root stays at the root."""
    if href.startswith("#"):  # an anchor of the page itself: a third of a page's links
        return page, unquote(html.unescape(href[1:]))
    href = html.unescape(href)
    if _ELSEWHERE.match(href):
        return None
    path, _, fragment = href.partition("#")
    path = unquote(path.partition("?")[0])
    return (_file(page.rpartition("/")[0], path) if path else page), unquote(fragment)


@lru_cache(maxsize=65536)  # the pages of a folder share their links
def _file(folder: str, path: str) -> str:
    joined = normpath(path if path.startswith("/") else f"/{folder}/{path}").lstrip("/")
    return f"{joined}/index.html".lstrip("/") if path.endswith("/") or not joined else joined


@lru_cache(maxsize=4096)  # the glossary's terms and the documents' own: a few hundred
def term_anchor(term: str) -> str:
    """The anchor of a term's definition, on the glossary page or a document's 名词解释."""
    # Only ASCII letters, digits, '-' and '_' of ASCII: the glossary page writes the id as Markdown's
    # {#id} (which ends at '}', '=' or a space) and links carry it after '#' ('%' or '?' would be misread).
    return "term-" + re.sub(r"[\s\x00-\x2c\x2e\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7f]+", "-", term)
