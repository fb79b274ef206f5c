"""Render stage, downloads: the links to a table's and a document's files (written by export/downloads.py).

Each table gets a line under it: its CSV (one per part for a performance table), and the
document's Excel workbook and JSON, which hold every table of the document. The document's
page gets a 下载数据 section with all of them, the datapackage.json and the whole site's zip.

The files' paths stay ASCII (xiazai/gk07.csv: any static host, any zip tool); the links carry
`download` with the name a reader's folder shows, 部门-年度-表号-表名.csv
(长沙市望城区医疗保障局-2020年决算-公开07表-一般公共预算财政拨款“三公”经费支出决算表.csv), so that
two bureaus' 公开07表, or one bureau's 预算 and 决算 of a year, never save under one name; a table
printed more than once in a document (three 公共专项绩效自评表) adds the project it is about.
"""

from __future__ import annotations

import functools

from markupsafe import Markup

from ..core import urls
from ..core.model import Document
from ..export.tabular import block_slugs, table_names
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


# A page of a document links its tables one at a time; their names depend on the document's other
# tables, worked out once for the document whose pages are being rendered (they are rendered one
# document after the other: a few are enough, and no more documents are kept alive).
_names_of = functools.lru_cache(maxsize=4)(table_names)


def saved_stem(document: Document, table) -> str:
    """部门-年度-表号-表名 of *table*: what its CSVs are saved as, before the part and '.csv'."""
    number, title, apart = _names_of(document)[table]
    year = f"{document.year}年{document.kind}"  # 预算, 决算 and 绩效 of one year print tables alike
    parts = [document.bureau.name, year, number, f"{title}（{apart}）" if apart else title]
    return "-".join(" ".join(part.split()) for part in parts if part)


def csv_links(table, stem: str, document: Document, folder: str) -> list[str]:
    """One CSV link per block of *table*: '本表 CSV' for a table of one block, else one per part."""
    links = []
    saved = saved_stem(document, table)
    for slug, what in block_slugs(table):
        name = f"{stem}-{slug}" if slug else stem
        text = f"{what} CSV" if slug else "CSV 表格"
        links.append(_link(f"{folder}{name}.csv", text, saved_name(f"{saved}-{what}" if slug else saved, "csv")))
    return links


def table_links(table, stem: str, document: Document, folder: str) -> Markup:
    """The line under a table: its CSV, then the document's workbook and JSON."""
    links = " · ".join([*csv_links(table, stem, document, folder), workbook_links(document, folder)])
    return Markup(f'<p class="gk-downloads">下载本表：{links}</p>')


def document_downloads(document: Document, stems: dict[object, str], folder: str, bulk_href: str) -> Markup:
    """The 下载数据 section of a document's page: every file of the document and the site's zip."""
    rows = []
    for _, table in document.tables():
        number, title, apart = _names_of(document)[table]
        label = " ".join(part for part in (number, f"{title}（{apart}）" if apart else title) if part)
        links = " · ".join(csv_links(table, stems[table], document, folder))
        rows.append(f'<tr><th scope="row">{escape(label)}</th><td>{links}</td></tr>')
    everything = f'全站所有文件的数据可<a href="{escape(bulk_href)}" download>打包下载（ZIP）</a>。'
    if not rows:
        return Markup(f'<section class="gk-downloads"><p>本文件没有表格。{everything}</p></section>')
    package = _link(folder + urls.DATAPACKAGE, "数据包说明（datapackage.json）", "datapackage.json")
    out = [
        '<section class="gk-downloads">',
        f"<p>本文件全部表格：{workbook_links(document, folder)} · {package}。",
        "CSV 为 UTF-8 编码（带 BOM，Excel 可直接打开），每张表一个文件；金额列的列名注明单位（如“本年收入合计（万元）”），"
        "数字照原件录入，空白的格留空。",
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
