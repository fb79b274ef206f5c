"""Export, downloads: every table of a document as CSV, JSON and XLSX, a Frictionless
datapackage.json describing them, and a zip of every document's downloads for the whole site.

A document's files go in its folder under xiazai/ (下载): a CSV per block of a table (tabular.py),
one JSON and one XLSX workbook per document (a sheet per table), and datapackage.json. Whole
documents rather than a file per table for JSON and XLSX, because files cost: creating one was
measured at 50–250 µs here, as much as writing its contents, and a province has 18,000 tables.
Figures are written as data/ holds them (the Decimal as transcribed, never through a float in CSV
or JSON); every file is the same bytes from the same data, so that two builds are identical.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from datetime import UTC, datetime
from decimal import Decimal
from json.encoder import encode_basestring as _json_string  # the C encoder: a tenth of json.dumps' time
from pathlib import Path

from ..core import urls
from ..core.amounts import PLAIN_AMOUNT
from ..core.model import Bureau, Document, SiteInfo
from .tabular import (
    AMOUNT,
    CODE,
    LINE,
    NUMERIC,
    PERCENT,
    SCORE,
    TEXT,
    UNREADABLE_SAID,
    Block,
    Marked,
    TableData,
    column_names,
    document_tables,
    file_stem,
)
from .xlsx import workbook
from .zipwrite import Joined, ZipArchive

EPOCH = datetime(1980, 1, 1)  # the earliest time a zip holds: a date for files that are given none
BOM = "\ufeff"  # Excel on Chinese Windows reads a CSV as GBK unless it starts with the UTF-8 BOM


def build_time() -> datetime:
    """The time written into the site-wide files that carry one (the zip's 目录, the review's
    workbook): the build's SOURCE_DATE_EPOCH (the Makefile sets it to the last commit's), else a
    fixed 1980-01-01. A bureau's downloads carry its own date instead (build/bureau_dates.py)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit() and int(epoch) >= 315532800:  # zip cannot hold a time before 1980
        return datetime.fromtimestamp(int(epoch), UTC).replace(tzinfo=None)
    return EPOCH


# ---- cells ----

# A text cell starting with one of these is a formula to a spreadsheet (=cmd|' /C calc'!A0); a
# quote in front makes it text. Numbers (a negative amount is a number) are left as they are.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_PERCENT = re.compile(r"-?[0-9]+(\.[0-9]+)?%")


def neutralised(text: str) -> str:
    if text.startswith(_FORMULA_START) and not (PLAIN_AMOUNT.fullmatch(text) or _PLAIN_PERCENT.fullmatch(text)):
        return "'" + text
    return text


def csv_text(block: Block, unit: str | None = None) -> str:
    """The block as CSV: the header row names each column, an amount's with *unit* (tabular.column_names)."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralised(name) for name in column_names(block, unit)])
    # The writer writes None as an empty cell and a Decimal as str() has it: only text that
    # could be a formula and per cents (12.50%) are changed, in the columns that can hold them.
    texts = [i for i, kind in enumerate(block.kinds) if kind not in NUMERIC]  # a numeric column holds no text
    percents = [i for i, kind in enumerate(block.kinds) if kind == PERCENT]
    rows = block.data_rows
    if texts or percents:
        rows = [_csv_row(row, texts, percents) for row in rows]
    writer.writerows(rows)
    return out.getvalue()


def _csv_row(row: list, texts: list[int], percents: list[int]) -> list:
    row = row.copy()
    for i in texts:
        value = row[i]
        if isinstance(value, str) and value.startswith(_FORMULA_START):
            row[i] = neutralised(value)
    for i in percents:
        if row[i] is not None and row[i].__class__ is not Marked:
            row[i] = f"{row[i]}%"
    return row


# ---- JSON (Decimals written as the number they are, digit for digit) ----


def _json(value) -> str:
    if isinstance(value, str):
        return _json_string(value)
    if value is None:
        return "null"
    if isinstance(value, Decimal):
        return f"{value:f}"  # digits, '.', '-' as transcribed
    if isinstance(value, dict):
        return "{" + ", ".join([f"{_json_string(k)}: {_json(v)}" for k, v in value.items()]) + "}"
    if isinstance(value, list):
        return "[" + ", ".join([_json(v) for v in value]) + "]"
    return json.dumps(value)  # int, bool


def _json_row(row: list) -> str:
    """A row of cells (text, Decimal or None): the bulk of a table's JSON, so written directly.
    A Decimal's str() is its digits as transcribed unless it takes an exponent (1E+3), and is twice
    as fast as format(value, "f"), which is kept for those."""
    return (
        "["
        + ", ".join(
            [
                _json_string(v)
                if isinstance(v, str)
                else "null"
                if v is None
                else text
                if "E" not in (text := str(v)) and "e" not in text
                else f"{v:f}"
                for v in row
            ]
        )
        + "]"
    )


def _field_json(name: str, kind: str, unit: str | None, number: str | None) -> dict:
    out: dict = {"name": name, "type": "string" if kind in (TEXT, CODE) else "number"}
    if kind == AMOUNT and unit:
        out["unit"] = unit
    elif kind == PERCENT:
        out["unit"] = "%"
    if kind == CODE:
        out["code"] = True
    if number:
        out["栏次"] = number
    return out


def _block_json(data: TableData, block: Block) -> str:
    kinds, names = block.kinds, column_names(block, data.unit)
    fields = [_field_json(name, k, data.unit, f.number) for name, f, k in zip(names, block.fields, kinds, strict=True)]
    header = ", ".join(
        [
            f'{{"text": {_json_string(h.text)}, "row": {h.row}, "column": {h.column}, '
            f'"colspan": {h.colspan}, "rowspan": {h.rowspan}}}'
            for h in block.header
        ]
    )
    data_rows, unreadable = block.data_rows, ""
    if block.marked:
        # A cell the original prints unreadably is null, so that a column of figures holds numbers
        # only, and is listed with what the original prints: its row (of "rows") and column.
        listed = [
            {"row": r, "column": c, "text": cell.printed, **({"note": cell.note} if cell.note else {})}
            for r, c, cell in block.marked
        ]
        unreadable = f'"unreadable": {json.dumps(listed, ensure_ascii=False)}, '
        data_rows = [[None if v.__class__ is Marked else v for v in row] for row in data_rows]
    rows = ",".join([f"\n      {_json_row(row)}" for row in data_rows])  # a row a line: readable, diffs well
    return (
        f'{{"title": {_json_string(block.title)}, "csv": {_json_string(file_stem(data, block) + ".csv")}, '
        f'"header": [{header}], "fields": {json.dumps(fields, ensure_ascii=False)}, {unreadable}"rows": [{rows}\n    ]}}'
    )


def _date(value) -> str | None:
    return value.isoformat() if value is not None else None


def _corrections_json(corrections) -> str:
    """Each correction: its commit, date and message, the figures it changed (from, to: numbers digit
    for digit, null where a version has no such cell) and the sentences it took out and put in."""
    return _json(
        [
            {
                "commit": c.commit.commit,
                "date": c.commit.date,
                "message": c.commit.message,
                "figures": [
                    {"table": f.table, "row": f.row, "column": f.column, "from": f.before, "to": f.after}
                    for f in c.figures
                ],
                "texts": [{"section": t.section, "removed": list(t.removed), "added": list(t.added)} for t in c.texts],
            }
            for c in corrections
        ]
    )


def document_json(document: Document, tables: list[TableData], corrections=()) -> str:
    """Every table of the document: its number, title and unit, and per block the printed header
    (placed cells with their spans), the fields and the rows, figures as JSON numbers digit for digit;
    and its *corrections* (core/corrections.py), when it has any."""
    bureau = document.bureau
    head = _json(
        {
            "title": document.title,
            "bureau": bureau.name,
            "region": bureau.region,
            "year": document.year,
            "kind": document.kind_name,
            "unit": document.unit,
            # the original, as far as data/ names it (null where it does not)
            "published": _date(document.published),
            "approved": _date(document.approved),
            "issuer": document.issuer,
            "original_url": document.original_url,
        }
    )
    out = []
    for data in tables:
        meta = _json(
            {
                "id": data.stem,
                "number": data.number,
                "title": data.title,
                "unit": data.unit,
                "statement": data.statement,
                "note": data.note,
            }
        )
        blocks = ",\n    ".join(_block_json(data, block) for block in data.blocks)
        out.append(f'{meta[:-1]}, "blocks": [\n    {blocks}\n  ]}}')
    said = f', "corrections": {_corrections_json(corrections)}' if corrections else ""
    return f'{{"document": {head}, "tables": [\n  ' + ",\n  ".join(out) + f"\n]{said}}}\n"


# ---- datapackage.json (Frictionless Data Package v1) ----

_DESCRIPTIONS = {
    AMOUNT: "金额，单位：{unit}；照原件录入的精确十进制数",
    PERCENT: "百分比，照原件（如 12.50%）",
    SCORE: "分值或得分，照原件",
    LINE: "行次",
    CODE: "科目编码：文本，保留前导零",
}


def _schema_field(name: str, kind: str, unit: str | None, number: str | None) -> dict:
    out: dict = {"name": name}
    if kind == LINE:
        out["type"] = "integer"
    elif kind in NUMERIC:
        out["type"] = "number"
        out["decimalChar"] = "."
    else:
        out["type"] = "string"
    description = _DESCRIPTIONS.get(kind, "").format(unit=unit or "原件未载明")
    if number:
        description = f"{description}；栏次 {number}" if description else f"栏次 {number}"
    if description:
        out["description"] = description
    if kind == AMOUNT and unit:
        out["unit"] = unit  # a property of our own: Table Schema has none for units
    if kind == PERCENT:
        out["bareNumber"] = False  # the CSV says 12.50%, as printed
        out["unit"] = "%"
    return out


def datapackage(document: Document, tables: list[TableData], info: SiteInfo | None = None) -> dict:
    """The document's Data Package: a resource per CSV; its original as `sources` when data/ names
    its address, and the data's licence as `licenses` when data/site.yaml declares one (none is
    assumed: a package without `licenses` says nothing of one)."""
    bureau = document.bureau
    resources = []
    for data in tables:
        for block in data.blocks:
            stem = file_stem(data, block)
            kinds, names = block.kinds, column_names(block, data.unit)
            label = data.distinct_label
            title = label if len(data.blocks) == 1 else f"{label}：{block.title}"
            resource = {
                "profile": "tabular-data-resource",
                "name": stem,
                "path": f"{stem}.csv",
                "title": title,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [
                        _schema_field(name, k, data.unit, f.number)
                        for name, f, k in zip(names, block.fields, kinds, strict=True)
                    ],
                    # a cell marked unreadable (无法辨认：…) is no figure: missing, to a reader of the package
                    "missingValues": ["", *sorted({str(cell) for _, _, cell in block.marked})],
                },
            }
            said = " ".join(text for text in (data.statement, data.note) if text)
            if block.marked:
                said = f"{said} {UNREADABLE_SAID}".strip()
            if said:  # what the page prints under the table (公开05表: its body missing from the source)
                resource["description"] = said
            resources.append(resource)
    package = {
        "profile": "tabular-data-package",
        "name": f"{bureau.slug}-{document.year}-{document.slug}",
        "title": document.title,
        "description": (
            f"{bureau.name}（{' / '.join(bureau.region)}）{document.year}年{document.kind_name}的全部表格。"
            "数字照原件录入，原件的尾数误差或计算错误不作改动；空白的格为空。"
            f"金额单位除另有注明外为{document.unit}。"
        ),
    }
    if document.original_url:
        source = {"title": document.title, "path": document.original_url}
        if document.issuer:
            source["title"] = f"{document.issuer}：{document.title}"
        package["sources"] = [source]
    if info is not None and info.license_url:
        package["licenses"] = [{"title": info.license_name or info.license_url, "path": info.license_url}]
    package["resources"] = resources
    return package


def datapackage_json(package: dict) -> str:
    """A resource a line: readable, and json's C encoder (indent= would take its slow Python one)."""
    resources = ",\n  ".join(json.dumps(r, ensure_ascii=False) for r in package["resources"])
    head = json.dumps({k: v for k, v in package.items() if k != "resources"}, ensure_ascii=False)
    return f'{head[:-1]}, "resources": [\n  {resources}\n]}}\n'


# ---- writing ----

BATCH_ARCHIVE = "downloads.zip"  # a batch's downloads zipped, beside its site folder (BulkZip joins them)


def _zip_level(name: str, data: bytes) -> int | None:
    """How the site's zip holds a file: level 1 deflate (twice level 6's speed, for a zip a fifth
    larger), or stored for a workbook (deflated inside already) and a file too small to gain."""
    return None if name.endswith(".xlsx") or len(data) < 1024 else 1


def write_document(
    document: Document,
    site_dir: Path,
    archive: ZipArchive | None = None,
    info: SiteInfo | None = None,
    corrections=(),
    when: datetime = EPOCH,
) -> list[str]:
    """Write *document*'s downloads under *site_dir*, and add them to *archive* in the order of
    their names; → the names of the files written. *info*: the site's (its data's licence);
    *when*: the date its workbook carries (its bureau's, build/bureau_dates.py)."""
    tables = document_tables(document)
    if not tables:  # a report of prose only: nothing to download (a data package needs a resource)
        return []
    folder = site_dir / urls.downloads_dir(document)
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        file_stem(data, block) + ".csv": csv_text(block, data.unit).encode("utf-8")
        for data in tables
        for block in data.blocks
    }
    files[urls.document_file(document, "json")] = document_json(document, tables, corrections).encode("utf-8")
    files[urls.DATAPACKAGE] = datapackage_json(datapackage(document, tables, info)).encode("utf-8")
    files[urls.document_file(document, "xlsx")] = workbook(document, tables, when)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    if archive is not None:
        where = urls.document_dir(document)
        for name in sorted(files):
            archive.add(f"{where}/{name}", files[name], _zip_level(name, files[name]))
    return list(files)


def write_documents(
    bureaus: list[Bureau],
    site_dir: Path,
    info: SiteInfo | None = None,
    corrections=None,
    dates: dict[str, datetime] | None = None,
) -> None:
    """Every document's downloads (called per batch of bureaus, in the worker), and beside
    *site_dir* the batch's part of the site's zip, deflated here while the files are in memory.
    *dates*: each bureau's (by slug) for its workbooks and zip entries, EPOCH for one not given."""
    archive = ZipArchive(EPOCH.timetuple()[:6])
    for bureau in bureaus:
        when = (dates or {}).get(bureau.slug, EPOCH)
        archive.dated(when.timetuple()[:6])
        for document in bureau.documents:
            write_document(document, site_dir, archive, info, (corrections or {}).get(document, ()), when)
    site_dir.with_name(BATCH_ARCHIVE).write_bytes(archive.finish())


class BulkZip:
    """One zip of every document's downloads, joined from the batches' archives as the batches
    are built, in the order of the batches (sorted bureau folders) and, within a document, of file
    names; with fixed times and permissions, so the same data makes the same bytes. Finished with
    a 目录 of the documents. The workers deflate; this process only copies members and offsets."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.zip = Joined(path)
        self.bureaus: list[Bureau] = []

    def add(self, bureaus: list[Bureau], site_dir: Path) -> None:
        """Add the downloads of *bureaus*' documents, zipped by write_documents beside *site_dir*."""
        self.bureaus += bureaus
        self.zip.append(site_dir.with_name(BATCH_ARCHIVE).read_bytes())

    def finish(self, site_dir: Path) -> Path:
        """Add the 目录, close the zip and move it into the site (once mkdocs has written the site)."""
        directory = ZipArchive(build_time().timetuple()[:6])
        text = directory_csv(self.bureaus).encode("utf-8")
        directory.add("目录.csv", text, _zip_level("目录.csv", text))
        self.zip.append(directory.finish())
        self.zip.close()
        target = site_dir / urls.BULK
        target.parent.mkdir(parents=True, exist_ok=True)
        self.path.replace(target)
        return target


def directory_csv(bureaus: list[Bureau]) -> str:
    """The zip's 目录: each document and its folder in the zip (the same as on the site)."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["部门", "地区", "年度", "类型", "文件", "文件夹"])
    for bureau in bureaus:
        for document in bureau.documents:
            writer.writerow(
                [
                    neutralised(bureau.name),
                    neutralised("/".join(bureau.region)),
                    document.year,
                    document.kind_name,
                    neutralised(document.title),
                    urls.document_dir(document) + "/",
                ]
            )
    return out.getvalue()
