"""Where each page of the site lives: source paths in the docs folder and the links between them."""

from __future__ import annotations

import re
from functools import lru_cache

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


def checks_src(document: Document) -> str:
    return f"{document_dir(document)}/checks.md"


FULL_TEXT = "quanwen.md"  # 全文: a document on one page


def full_text_src(document: Document) -> str:
    """The document on one page, every part and attachment, to read through or print."""
    return f"{document_dir(document)}/{FULL_TEXT}"


def comparison_src(bureau: Bureau, year: int) -> str:
    return f"{bureau.slug}/{year}/duibi.md"


# Downloads (files, not pages): a document's in a folder of its own, the whole site's in one zip.
DOWNLOADS = "xiazai"  # 下载
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
