"""Render stage, downloads: the links to a table's and a document's files (written by export/downloads.py).

Each table gets a line under it: its CSV (one per part for a performance table), and the
document's Excel workbook and JSON, which hold every table of the document. The document's
page gets a 下载数据 section with all of them, the datapackage.json and the whole site's zip.
Links carry `download` with a Chinese file name, so a reader's folder shows what each file is.
"""

from __future__ import annotations

from markupsafe import Markup

from ..core import urls
from ..core.model import Document
from ..export.tabular import block_slugs
from .escaping import escape

_UNSAFE_IN_NAME = str.maketrans({c: "-" for c in '/\\:*?"<>|'})


def saved_name(name: str, extension: str) -> str:
    """A file name for the `download` attribute: the printed name, minus what no file system takes."""
    return " ".join(name.translate(_UNSAFE_IN_NAME).split()) + "." + extension


def _link(href: str, text: str, saved: str) -> str:
    return f'<a href="{escape(href)}" download="{escape(saved)}">{escape(text)}</a>'


def workbook_links(document: Document, folder: str) -> str:
    """The document's workbook and JSON, with what they hold said in the link."""
    return (
        _link(
            folder + urls.document_file(document, "xlsx"),
            "Excel 工作簿（全部表格）",
            saved_name(document.title, "xlsx"),
        )
        + " · "
        + _link(
            folder + urls.document_file(document, "json"), "JSON 数据（全部表格）", saved_name(document.title, "json")
        )
    )


def csv_links(table, stem: str, label: str, folder: str) -> list[str]:
    """One CSV link per block of *table*: '本表 CSV' for a table of one block, else one per part."""
    links = []
    for slug, what in block_slugs(table):
        name = f"{stem}-{slug}" if slug else stem
        text = f"{what} CSV" if slug else "CSV 表格"
        links.append(_link(f"{folder}{name}.csv", text, saved_name(f"{label} {what}".strip(), "csv")))
    return links


def table_links(table, stem: str, document: Document, folder: str) -> Markup:
    """The line under a table: its CSV, then the document's workbook and JSON."""
    label = f"{table.number} {table.title}" if table.number else table.title
    links = " · ".join([*csv_links(table, stem, label, folder), workbook_links(document, folder)])
    return Markup(f'<p class="gk-downloads">下载本表：{links}</p>')


def document_downloads(document: Document, stems: dict[object, str], folder: str, bulk_href: str) -> Markup:
    """The 下载数据 section of a document's page: every file of the document and the site's zip."""
    rows = []
    for _, table in document.tables():
        label = f"{table.number} {table.title}" if table.number else table.title
        links = " · ".join(csv_links(table, stems[table], label, folder))
        rows.append(f'<tr><th scope="row">{escape(label)}</th><td>{links}</td></tr>')
    everything = f'全站所有文件的数据可<a href="{escape(bulk_href)}" download>打包下载（ZIP）</a>。'
    if not rows:
        return Markup(f'<section class="gk-downloads"><p>本文件没有表格。{everything}</p></section>')
    package = _link(folder + urls.DATAPACKAGE, "数据包说明（datapackage.json）", "datapackage.json")
    out = [
        '<section class="gk-downloads">',
        f"<p>本文件全部表格：{workbook_links(document, folder)} · {package}。",
        "CSV 为 UTF-8 编码（带 BOM，Excel 可直接打开），每张表一个文件；数字照原件录入，空白的格留空。",
        f"{everything}</p>",
        '<div class="gk-scroll" role="region" tabindex="0" aria-label="各表的 CSV 文件">'
        '<table class="gk-record gk-downloads-list"><caption>各表的 CSV 文件</caption><thead><tr>'
        '<th scope="col">表</th><th scope="col">下载</th></tr></thead><tbody>',
        *rows,
        "</tbody></table></div></section>",
    ]
    return Markup("".join(out))


def bulk_link(from_src: str) -> str:
    folder, name = urls.BULK.rsplit("/", 1)
    return urls.folder_link(from_src, folder) + name
