"""Tables as clerks bring them: text pasted from Excel (tab-separated) or a sheet of an .xlsx workbook.

Both become the same grid of cells, each knowing its row and column in the source so that every
problem can be pointed at (``source.tsv:12:4``: line 12, the 4th cell). Nothing is interpreted here
beyond what the file itself says: a number stored in a workbook becomes the digits it holds (and
shows), a cell that cannot be read carries its problem instead of a value.
"""

from __future__ import annotations

import csv
import io
import math
import re
import warnings
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from ..core.problems import Mark


class SourceError(Exception):
    """The file cannot be read as a table at all (one message, in the clerk's words)."""

    def __init__(self, mark: Mark, message: str):
        super().__init__(message)
        self.mark = mark
        self.message = message


@dataclass
class Cell:
    text: str  # as shown, without surrounding white space; "" when blank
    line: int  # 1-based row of the source (a line of the text file, a row of the sheet)
    column: int  # 1-based
    merged: bool = False  # a copy of the value of a merged range's first cell, not typed here
    merge: str = ""  # for such a copy: the merged range (F8:G8), whose first cell holds the value
    origin_column: int = 0  # and the column of that first cell
    problem: str | None = None  # the cell holds something that is not a value (a formula without result…)

    @property
    def blank(self) -> bool:
        return not self.text and self.problem is None


@dataclass
class SourceRow:
    line: int
    cells: list[Cell]

    def cell(self, column: int) -> Cell | None:
        """The cell in 1-based *column*, or None past the end of the row."""
        return self.cells[column - 1] if 0 < column <= len(self.cells) else None

    @property
    def blank(self) -> bool:
        return all(c.blank or c.merged for c in self.cells)


@dataclass
class SourceTable:
    shown: str  # the file as the clerk named it
    sheet: str | None  # the sheet of a workbook
    rows: list[SourceRow] = field(default_factory=list)

    def mark(self, line: int, column: int = 0) -> Mark:
        return Mark(f"{self.shown}[{self.sheet}]" if self.sheet else self.shown, line, column)

    def cell_name(self, line: int, column: int) -> str:
        """'（单元格 D12）' for a workbook, whose users know cells by letter and number; '' for text."""
        if not self.sheet or not line or not column:
            return ""
        from openpyxl.utils import get_column_letter

        return f"（单元格 {get_column_letter(column)}{line}）"


TEXT_SUFFIXES = (".tsv", ".txt", ".tab")  # what a paste is saved as


def read_source(path: Path, shown: str, sheet: str | None = None) -> SourceTable:
    suffix = path.suffix.lower()
    if suffix == ".xlsx" or suffix == ".xlsm":
        return read_xlsx(path, shown, sheet)
    if suffix == ".xls":
        raise SourceError(
            Mark(shown),
            "这是旧版 Excel 文件（.xls）：请在 Excel 中“另存为” .xlsx 后再导入，或把表格复制粘贴到 .tsv 文本文件",
        )
    if suffix == ".csv":
        raise SourceError(
            Mark(shown),
            "不支持逗号分隔的 .csv（金额中的千分位逗号会与分隔符混淆）：请从 Excel 复制表格，粘贴到 .tsv 文本文件",
        )
    if suffix not in TEXT_SUFFIXES:
        raise SourceError(Mark(shown), "源表应是 .tsv 或 .txt（从 Excel 复制后粘贴保存的文本）或 .xlsx 工作簿")
    if sheet is not None:
        raise SourceError(Mark(shown), "--sheet 只用于 .xlsx 工作簿；文本文件只有一张表")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(Mark(shown), f"无法读取文件：{exc.strerror}") from None
    return parse_tsv(decode_text(data, shown), shown)


def decode_text(data: bytes, shown: str) -> str:
    """The encodings a paste arrives in: UTF-8 (with or without BOM), Excel's “Unicode text” (UTF-16) and,
    from Notepad or “Text (tab delimited)” on Chinese Windows, GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "strict")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise SourceError(
                Mark(shown, 1, 1), "文件看起来是 UTF-16 编码，但其中有无法识别的字节：请另存为 UTF-8 文本"
            ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise SourceError(Mark(shown, 1, 1), "无法识别文件的编码：请另存为 UTF-8 文本后再导入") from None


def parse_tsv(text: str, shown: str) -> SourceTable:
    """Rows of tab-separated cells; a cell Excel put in quotes (it holds a line break or a tab) stays one cell."""
    table = SourceTable(shown, None)
    reader = csv.reader(io.StringIO(text.replace("\r\n", "\n").replace("\r", "\n")), delimiter="\t", strict=False)
    next_line = 1
    for record in reader:
        line = next_line
        next_line = reader.line_num + 1
        table.rows.append(SourceRow(line, [Cell(clean(text), line, i) for i, text in enumerate(record, 1)]))
    return table


def clean(text: str) -> str:
    # NBSP and the ideographic space pad cells exported from Chinese Excel; they are not content.
    return text.replace("\u00a0", " ").replace("\u3000", " ").strip()


# ---- .xlsx ----


def read_xlsx(path: Path, shown: str, sheet_name: str | None) -> SourceTable:
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - openpyxl is a pinned dependency
        raise SourceError(Mark(shown), "读取 .xlsx 需要 openpyxl：请先运行 make site 安装依赖") from None
    from zipfile import BadZipFile

    try:
        with (
            warnings.catch_warnings()
        ):  # openpyxl warns of features it drops (data validation…): not the clerk's concern
            warnings.simplefilter("ignore")
            values = openpyxl.load_workbook(path, data_only=True)
            formulas = openpyxl.load_workbook(path, data_only=False)
    except (BadZipFile, KeyError, OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "不是有效的 .xlsx 工作簿"
        raise SourceError(Mark(shown), f"无法打开工作簿：{reason}") from None
    if sheet_name is None:
        sheet = values.active
    elif sheet_name in values.sheetnames:
        sheet = values[sheet_name]
    else:
        names = "、".join(values.sheetnames)
        raise SourceError(Mark(shown), f"工作簿中没有名为“{sheet_name}”的工作表；现有：{names}")
    formula_sheet = formulas[sheet.title]
    table = SourceTable(shown, sheet.title)
    merged_from: dict[tuple[int, int], tuple[int, int, str]] = {}
    for cells in sheet.merged_cells.ranges:
        for row in range(cells.min_row, cells.max_row + 1):
            for column in range(cells.min_col, cells.max_col + 1):
                if (row, column) != (cells.min_row, cells.min_col):
                    merged_from[(row, column)] = (cells.min_row, cells.min_col, cells.coord)
    width = sheet.max_column
    for row_number in range(1, sheet.max_row + 1):
        row = SourceRow(row_number, [])
        for column in range(1, width + 1):
            origin = merged_from.get((row_number, column))
            if origin is not None:  # the value shows across the range; it was typed once, in its first cell
                text, _ = sheet_cell(sheet, formula_sheet, *origin[:2])
                row.cells.append(Cell(text, row_number, column, merged=True, merge=origin[2], origin_column=origin[1]))
                continue
            text, problem = sheet_cell(sheet, formula_sheet, row_number, column)
            row.cells.append(Cell(text, row_number, column, problem=problem))
        table.rows.append(row)
    return table


def sheet_cell(sheet, formula_sheet, row: int, column: int) -> tuple[str, str | None]:
    cell = sheet.cell(row=row, column=column)
    value = cell.value
    if value is None:
        formula = formula_sheet.cell(row=row, column=column).value
        if isinstance(formula, str) and formula.startswith("="):
            return "", (
                f"此格是公式（{formula}），但工作簿没有保存它的计算结果：请在 Excel 中打开并保存一次，"
                "或把这一列“选择性粘贴为数值”后再导入"
            )
        return "", None
    if isinstance(value, bool):
        return "", f"此格是逻辑值（{'TRUE' if value else 'FALSE'}），不是金额或文字：请改为印出的内容"
    if isinstance(value, (int, float)):
        return number_text(value, cell.number_format)
    if isinstance(value, str):
        return clean(value), None
    return "", f"此格是日期或时间（{value}），不是金额或文字：请把单元格格式设为“文本”或“数值”后照原件填写"


def number_text(value: int | float, number_format: str | None) -> tuple[str, str | None]:
    """The digits a number cell holds, as its format shows them, or why they cannot be told.

    A workbook stores binary floating point: 29455.67 is kept as the double nearest to it, whose
    shortest decimal form is again 29455.67 (what was typed). A sum computed in the sheet can carry
    binary noise (0.1 + 0.2 = 0.30000000000000004); that noise, far below a cent, is not a digit anyone
    wrote and is dropped. Anything else is kept as it is: a value with more digits than its format
    shows is reported, never rounded.
    """
    if isinstance(value, float) and not math.isfinite(value):
        return "", "此格不是有限的数值：请改为印出的金额"
    exact = Decimal(value) if isinstance(value, int) else Decimal(repr(value))
    if exact.as_tuple().exponent < -6:
        for places in (0, 1, 2):
            near = exact.quantize(Decimal(1).scaleb(-places))
            if abs(exact - near) <= Decimal("1e-9") * max(Decimal(1), abs(exact)):
                exact = near
                break
    # The first section of the format is the one for positive numbers and zero; quoted text,
    # escapes and [colour] codes carry no digits.
    section = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", (number_format or "General").split(";")[0]).strip()
    sign = "%" if "%" in section else ""
    if sign:
        exact = exact * 100
    places = max(0, -exact.normalize().as_tuple().exponent)
    if section.lower() in ("general", "@", ""):
        return format_plain(exact) + sign, None
    decimals = re.search(r"\.([0#?]+)", section)
    most = len(decimals.group(1)) if decimals else 0
    least = decimals.group(1).count("0") if decimals else 0
    if places > most:
        shown = format(exact.quantize(Decimal(1).scaleb(-most), rounding=ROUND_HALF_UP), "f")  # as Excel shows it
        return "", (
            f"此格的值是 {format_plain(exact)}{sign}，单元格却只显示 {shown}{sign}："
            "请在 Excel 中把它改为原件印出的数（金额最多两位小数）后再导入"
        )
    return format(exact.quantize(Decimal(1).scaleb(-max(least, places))), "f") + sign, None


def format_plain(value: Decimal) -> str:
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"
