"""Map a table pasted from Excel (or read from a workbook) onto a declared form (表样).

The source is read the way a person reads a printed table: the title, department and unit lines
above it; the header, whose cells may be merged across columns or split over lines; the 栏次 row
of column numbers; the body down to its 注. Columns are matched to the form's columns by their
header text (a group label and the column's own, in order, so that 预算数 › 合计 and 决算数 › 合计
stay apart), rows of fixed-row forms by their 项目 or 行次, rows of 科目 tables kept as printed.

Nothing is guessed: a cell that cannot be read as what its column holds, a column without a
header that holds figures, a row whose 项目 and 行次 disagree are each reported at their row and
column, and an empty cell stays empty. Amounts keep the digits of the source (full-width digits
folded, thousands separators dropped); nothing is rounded or converted.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass, field

from ..core.amounts import AmountError, parse_amount, parse_percent
from ..core.model import Column, ColumnGroup, FixedRow, Form, FormSet, Panel
from ..core.problems import Problems
from .source import Cell, SourceRow, SourceTable

# ---- text as it is compared ----


def norm(text: str) -> str:
    """Header and row labels compared without white space and with full-width forms folded:
    “收 入” is 收入 and “（一）” is (一), as a reader would take them."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


NUMBERING = re.compile(r"^(?:其中[:：]?|[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十\d]+\)|\d+[、.](?!\d))+")


def unnumbered(text: str) -> str:
    """A label without its enumeration (一、 (一) 1. 其中：): the fallback when a row is numbered otherwise."""
    return NUMBERING.sub("", text)


IGNORED_HEADERS = {"行次", "栏次", "序号"}  # numbering columns a sheet may add that the form does not print
TOTAL_WORDS = {"合计", "总计", "小计"}


# ---- what the import produces ----


@dataclass(frozen=True)
class Typed:
    """A value to be written: its kind says how (an amount plain, a code quoted, text as text)."""

    kind: str  # amount | percent | code | text
    text: str


@dataclass
class Imported:
    form: Form
    fixed: dict[str, dict[str, dict[str, Typed]]] = field(default_factory=dict)  # panel → row key → column → value
    rows: dict[str, list[dict[str, Typed]]] = field(default_factory=dict)  # panel → rows of column → value
    totals: dict[str, Typed] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return sum(len(rows) for rows in self.fixed.values()) + sum(len(rows) for rows in self.rows.values())


# ---- the lines above the table: title, 部门, 单位 ----

PREAMBLE_CELL = re.compile(
    r"(部门|单位|单位名称|部门名称|填报单位|编制单位|预算单位|金额单位)[:：].*|"
    r"公开\d+表|附?表\d+|万?元|[(（].*[)）]|.*表"
)
UNIT = re.compile(r"(?:金额)?单位[:：](万元|千元|亿元|元)")
FORM_NUMBER = re.compile(r"公开\d+表|附?表\d+")
YEAR = re.compile(r"^\d{4}年度?")


@dataclass
class Preamble:
    rows: list[SourceRow]
    unit: str | None
    unit_cell: Cell | None
    number: Cell | None
    titles: list[Cell]


def read_preamble(rows: list[SourceRow]) -> tuple[Preamble, int]:
    """The title lines above the header, and the index of the first row after them."""
    index = 0
    taken: list[SourceRow] = []
    while index < len(rows):
        row = rows[index]
        texts = [c for c in row.cells if c.text]
        if not texts:
            index += 1
            continue
        if len(texts) > 1 and not all(PREAMBLE_CELL.fullmatch(norm(c.text)) for c in texts):
            break
        if len(texts) == 1 and looks_like_data(texts[0].text):
            break
        taken.append(row)
        index += 1
    cells = [c for row in taken for c in row.cells if c.text]
    unit, unit_cell = None, None
    joined, owners = "", []
    for c in cells:  # a unit split over two lines (“单位：万” / “元”) is read across them
        joined += norm(c.text)
        owners += [c] * len(norm(c.text))
    match = UNIT.search(joined)
    if match:
        unit, unit_cell = match.group(1), owners[match.start()]
    number = next((c for c in cells if FORM_NUMBER.fullmatch(norm(c.text))), None)
    titles = [c for c in cells if norm(c.text).endswith("表") and not FORM_NUMBER.fullmatch(norm(c.text))]
    return Preamble(taken, unit, unit_cell, number, titles), index


def title_of(cell: Cell) -> str:
    return YEAR.sub("", norm(cell.text))


def forms_named(preamble: Preamble, form_set: FormSet) -> list[Form]:
    """The forms the lines above the table name, by number or by title."""
    found = []
    if preamble.number is not None and norm(preamble.number.text) in form_set.forms:
        found.append(form_set.forms[norm(preamble.number.text)])
    for cell in preamble.titles:
        for form in form_set.forms.values():
            if title_of(cell) == norm(form.title) and form not in found:
                found.append(form)
    return found


# ---- cells ----

AMOUNT_LIKE = re.compile(r"[-+−]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?%?")
NIL_MARKS = {"-", "—", "——", "--", "/", "无", "空", "*", "－", "–"}


def looks_like_data(text: str) -> bool:
    folded = norm(text)
    return bool(folded) and any(ch.isdigit() for ch in folded) and bool(AMOUNT_LIKE.fullmatch(folded))


def read_amount(text: str, unit: str) -> tuple[str | None, str | None]:
    """The amount a cell shows, as plain digits, or what is wrong with it (in the clerk's words)."""
    raw = text
    folded = unicodedata.normalize("NFKC", text).strip().replace("−", "-")
    if folded in NIL_MARKS:
        return None, f"“{raw}”不是金额：原件此格若是空白，请在源表中清空此格；若是零，请写 0.00"
    if re.search(r"\s", folded):
        return None, f"“{raw}”中间有空格，看不出是一个数还是几个数：请改为一个数字，如 2549.18"
    if folded.endswith("元"):
        return None, f"“{raw}”带有单位：请只写数字，单位由表样规定（{unit}）"
    if folded.endswith("%"):
        return None, f"“{raw}”是百分比，不是金额：请核对是否粘贴到了错误的栏"
    if re.fullmatch(r"\(.*\)", folded):
        return None, f"“{raw}”：负数请写成带负号的数，如 -{folded[1:-1]}"
    if "," in folded:
        if not re.fullmatch(r"[-+]?\d{1,3}(,\d{3})+(\.\d*)?", folded):
            return None, f"“{raw}”中千分位逗号的位置不对：请核对原件，写成不带逗号的数字"
        folded = folded.replace(",", "")
    match = re.fullmatch(r"([-+]?)(\d*)(?:\.(\d*))?", folded)
    if match is None or not (match.group(2) or match.group(3)):
        return None, f"“{raw}”不是金额：请写成 2549.18 这样的数字"
    sign, whole, decimals = match.group(1), match.group(2), match.group(3)
    whole = whole.lstrip("0") or "0"
    if decimals is not None and len(decimals) > 2:
        if decimals[2:].strip("0"):
            return None, (
                f"“{raw}”有 {len(decimals)} 位小数：公开的金额精确到 0.01，请照原件印出的数填写（本工具不做四舍五入）"
            )
        decimals = decimals[:2]
    digits = whole + (f".{decimals}" if decimals else "")
    digits = ("-" if sign == "-" else "") + digits
    try:
        parse_amount(digits)
    except AmountError:  # pragma: no cover - the rules above admit plain amounts only
        return None, f"“{raw}”不是金额：请写成 2549.18 这样的数字"
    return digits, None


def read_percent(text: str) -> tuple[str | None, str | None]:
    folded = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    try:
        parse_percent(folded)
    except AmountError:
        return None, f"“{text}”不是百分比：请照原件写，如 98.50%"
    return folded, None


def read_text(text: str) -> str:
    """Text as printed; a line break inside a cell (Excel's wrapped text) joins the two halves."""
    return re.sub(r"\s*\n\s*", "", text).strip()


# ---- the form's columns ----


@dataclass
class Leaf:
    index: int
    column: Column
    panel: Panel
    ancestors: list[str]  # group labels, normalised, outermost first
    shown: str  # 收入／金额, for messages
    joined: set[str] = field(default_factory=set)  # every way the header may read

    def strength(self, variants: set[str]) -> int:
        """How much of the column's header this form column explains (0: it is not this column)."""
        return max((len(v) for v in variants & self.joined), default=0)


def form_leaves(form: Form) -> list[Leaf]:
    leaves: list[Leaf] = []
    panel_of: dict[int, Panel] = {}
    for panel in form.panels:
        for column in panel.columns:
            panel_of[id(column)] = panel

    def walk(items, ancestors: list[str], shown: list[str]) -> None:
        for item in items:
            if isinstance(item, ColumnGroup):
                walk(item.columns, [*ancestors, norm(item.label)], [*shown, item.label])
                continue
            leaf = Leaf(len(leaves), item, panel_of[id(item)], ancestors, "／".join([*shown, item.label]))
            names = {norm(item.label), norm(item.key)}
            for size in range(len(ancestors) + 1):
                for chosen in itertools.combinations(ancestors, size):
                    leaf.joined.update("".join(chosen) + name for name in names)
            leaves.append(leaf)

    walk(form.columns, [], [])
    return leaves


def best_match(leaves: list[Leaf], variants: set[str], unique: bool = False) -> Leaf | None:
    """The form column a source column's header names: the one that explains most of the header (its
    group as well as its own label: 决算数 › 合计 rather than the first 合计), the earliest of equals;
    with *unique*, none when two explain it equally."""
    scored = [(leaf.strength(variants), leaf) for leaf in leaves]
    best = max((score for score, _ in scored), default=0)
    if not best:
        return None
    tied = [leaf for score, leaf in scored if score == best]
    return None if unique and len(tied) > 1 else tied[0]


# ---- the import ----


class Importer:
    def __init__(self, source: SourceTable, form: Form, form_set: FormSet, preamble: Preamble, start: int):
        self.source = source
        self.form = form
        self.form_set = form_set
        self.preamble = preamble
        self.start = start
        self.problems = Problems()
        self.leaves = form_leaves(form)
        self.assigned: dict[int, Leaf] = {}  # source column → form column
        self.unmatched: dict[int, str] = {}  # source column → why it cannot be placed
        self.reported_columns: set[int] = set()
        self.result = Imported(form)

    def report(self, line: int, column: int, message: str) -> None:
        self.problems.add(self.source.mark(line, column), message + self.source.cell_name(line, column))

    def report_cell(self, cell: Cell, message: str) -> None:
        self.report(cell.line, cell.column, message)

    # ---- the whole table ----

    def run(self) -> Imported:
        self.check_preamble()
        rows = self.source.rows[self.start :]
        header, numbering, body = self.split(rows)
        if not header:
            first = next((r for r in rows if not r.blank), None)
            where = (first.line, 1) if first else (self.source.rows[-1].line if self.source.rows else 1, 1)
            self.report(*where, f"找不到表头：{self.form.number}的表格应从表头（栏目名称）开始，请连同表头一起复制")
            return self.result
        self.match_header(header, numbering, body)
        self.read_body(body)
        return self.result

    def check_preamble(self) -> None:
        form, p = self.form, self.preamble
        if p.number is not None and norm(p.number.text) != norm(form.number):
            self.report_cell(
                p.number,
                f"源表标明是“{p.number.text}”，却要导入{form.number}：请核对是否复制了另一张表，或改用 --table",
            )
        for cell in p.titles:
            title = title_of(cell)
            others = [f for f in self.form_set.forms.values() if f is not form and norm(f.title) == title]
            if others and title != norm(form.title):
                self.report_cell(
                    cell,
                    f"源表的标题是“{cell.text}”（{others[0].number}），却要导入{form.number}（{form.title}）："
                    "请核对是否复制了另一张表",
                )
        if p.unit is not None and p.unit != form.unit:
            self.report_cell(
                p.unit_cell,
                f"源表的金额单位是{p.unit}，{form.number}的单位是{form.unit}：本工具不换算单位，"
                f"请先在 Excel 中把金额换算为{form.unit}（照原件保留两位小数）再导入",
            )

    # ---- header, 栏次 and body ----

    def split(self, rows: list[SourceRow]) -> tuple[list[SourceRow], SourceRow | None, list[SourceRow]]:
        header: list[SourceRow] = []
        numbering = None
        index = 0
        while index < len(rows):
            row = rows[index]
            if row.blank:
                index += 1
                continue
            if self.is_numbering(row):
                numbering = row
                index += 1
                break
            if self.is_data(row):
                break
            header.append(row)
            index += 1
        body = []
        for row in rows[index:]:
            first = next((c for c in row.cells if c.text), None)
            if first is not None and re.match(r"(注|备注|说明)[:：]", norm(first.text)):
                break  # the 注 under the table ends it; what follows is not the table's
            body.append(row)
        return header, numbering, body

    @staticmethod
    def is_numbering(row: SourceRow) -> bool:
        """The 栏次 row: 栏次 and the columns' numbers (1, 2, 3 …), or the numbers alone."""
        labelled = False
        numbers = []
        for cell in row.cells:
            text = norm(cell.text)
            if not text or cell.merged:
                continue
            if text in ("栏次", "**", "*"):
                labelled = labelled or text == "栏次"
                continue
            if not re.fullmatch(r"\d{1,3}", text):
                return False
            numbers.append(int(text))
        if labelled:  # numbers out of order are the header's business (check_numbering says where)
            return bool(numbers)
        return len(numbers) >= 2 and numbers == list(range(1, len(numbers) + 1))

    def is_data(self, row: SourceRow) -> bool:
        cells = [c for c in row.cells if c.text and not c.merged]
        if any(c.problem for c in row.cells) or any(looks_like_data(c.text) for c in cells):
            return True  # a number, or a workbook cell that holds something other than text
        if not cells:
            return False
        first = norm(cells[0].text)
        if first in TOTAL_WORDS and len(cells) == 1:
            return True
        if re.fullmatch(r"\d{2,12}", first):
            return True
        labels = {norm(r.label) for p in self.form.panels for r in p.rows or [] if r.label}
        return first in labels

    def match_header(self, header: list[SourceRow], numbering: SourceRow | None, body: list[SourceRow]) -> None:
        width = max(len(r.cells) for r in [*header, *body, *([numbering] if numbering else [])])
        pieces = header_pieces(header, width)
        next_leaf = 0
        taken: set[int] = set()
        for column in range(1, width + 1):
            variants = header_variants(pieces[column])
            if not variants:
                self.unmatched[column] = ""
                continue
            found = best_match(self.leaves[next_leaf:], variants)
            if found is None:  # a column out of the form's order: taken only when no other column can be meant
                earlier = [leaf for leaf in self.leaves[:next_leaf] if leaf.index not in taken]
                found = best_match(earlier, variants, unique=True)
            else:
                next_leaf = found.index + 1
            if found is None:
                shown = "／".join(text for text, optional in pieces[column] if not optional)
                if norm(shown) not in IGNORED_HEADERS:
                    self.unmatched[column] = shown
                continue
            self.assigned[column] = found
            taken.add(found.index)
        if numbering is not None:
            self.check_numbering(numbering)
        self.check_missing(header, taken)

    def check_numbering(self, numbering: SourceRow) -> None:
        for column, leaf in self.assigned.items():
            cell = numbering.cell(column)
            if cell is None or not re.fullmatch(r"\d{1,3}", norm(cell.text)) or leaf.column.no is None:
                continue
            if norm(cell.text) != leaf.column.no:
                self.report_cell(
                    cell,
                    f"栏次是 {norm(cell.text)}，但这一栏的表头“{leaf.shown}”在{self.form.number}中是第 {leaf.column.no} 栏："
                    "请核对表头与栏次是否错位",
                )

    def check_missing(self, header: list[SourceRow], taken: set[int]) -> None:
        by_panel_types: dict[int, set[str]] = {}
        for leaf in self.leaves:
            if leaf.index in taken:
                by_panel_types.setdefault(id(leaf.panel), set()).add(leaf.column.type)
        for leaf in self.leaves:
            if leaf.index in taken or leaf.column.type == "line":
                continue
            if leaf.column.type == "item" and "line" in by_panel_types.get(id(leaf.panel), set()):
                continue  # rows are found by their 行次
            number = f"（栏次 {leaf.column.no}）" if leaf.column.no and leaf.column.no != "**" else ""
            self.report(
                header[0].line,
                1,
                f"表头中找不到{self.form.number}的“{leaf.shown}”栏{number}：请核对源表的表头是否与表样一致"
                "（合并单元格的栏目名称请保留在表头中）",
            )

    # ---- the body ----

    def read_body(self, body: list[SourceRow]) -> None:
        fixed_state = {panel.key: FixedPanelState() for panel in self.form.panels if panel.rows is not None}
        for panel in self.form.panels:
            if panel.rows is None:
                self.result.rows[panel.key] = []
            else:
                self.result.fixed[panel.key] = {}
        footer_seen = False
        for row in body:
            if row.blank:
                continue
            self.check_unplaced(row)
            if self.form.footer and self.is_footer(row):
                self.read_footer(row)
                footer_seen = True
                continue
            for panel in self.form.panels:
                cells = {
                    leaf.column.key: (leaf, cell)
                    for column, leaf in self.assigned.items()
                    if leaf.panel is panel and (cell := row.cell(column)) is not None
                }
                if panel.rows is None:
                    self.read_free_row(panel, row, cells)
                else:
                    self.read_fixed_row(panel, row, cells, fixed_state[panel.key])
        if self.form.footer and not footer_seen and any(c.key for c in self.form.footer):
            labels = "、".join(c.label for c in self.form.footer if c.label)
            where = body[-1].line if body else self.source.rows[-1].line
            self.report(where, 1, f"源表中没有{self.form.number}表尾的合计行（{labels}）：请连同合计行一起复制")
        self.order_fixed_rows()

    def check_unplaced(self, row: SourceRow) -> None:
        for cell in row.cells:
            if cell.column in self.assigned or cell.blank or cell.merged or cell.column in self.reported_columns:
                continue
            if cell.column not in self.unmatched:
                continue
            self.reported_columns.add(cell.column)
            name = self.unmatched[cell.column]
            if name:
                self.report_cell(
                    cell,
                    f"这一栏的表头“{name}”对应不上{self.form.number}的任何一栏，其中的数据无法导入："
                    "请把表头改成表样的栏目名称，或删去这一栏",
                )
            else:
                self.report_cell(
                    cell,
                    f"这一栏有内容（“{cell.text}”）却没有表头，无法对应到{self.form.number}的栏目："
                    "请在表头补上栏目名称（照表样），若是多出的空栏请删去",
                )

    def cell_problem(self, cell: Cell) -> bool:
        if cell.problem:
            self.report_cell(cell, cell.problem)
            return True
        return False

    def merged_figure(self, cell: Cell, what: str) -> None:
        """A merged range that covers a cell of figures: Excel keeps only its first cell's value, so
        the figure printed in this cell is gone from the workbook. Importing it blank would publish a
        blank for a printed figure (check cannot tell a blank from a missing one): it is refused."""
        origin = cell.merge.split(":")[0]
        self.report_cell(
            cell,
            f"此格与 {origin} 合并（合并单元格 {cell.merge}），内容只保存在 {origin} 中，{what}导入后会是空白："
            "请在 Excel 中取消合并，照原件在每一格填上数字（原件空白的格留空）后再导入",
        )

    def value_of(self, leaf: Leaf, cell: Cell) -> Typed | None:
        """The typed value of a cell of an amount, percent or text column; None when blank or reported."""
        if cell.merged:
            # A merge over labels (合计 across 科目编码 and 科目名称) or over nothing loses nothing;
            # one that covers a column of figures does.
            if cell.text and leaf.column.type in ("amount", "percent"):
                self.merged_figure(cell, f"“{leaf.shown}”栏")
            return None
        if self.cell_problem(cell) or not cell.text:
            return None
        if leaf.column.type == "amount":
            digits, problem = read_amount(cell.text, self.form.unit)
            if problem:
                self.report_cell(cell, f"{problem}（“{leaf.shown}”栏）")
                return None
            return Typed("amount", digits)
        if leaf.column.type == "percent":
            text, problem = read_percent(cell.text)
            if problem:
                self.report_cell(cell, problem)
                return None
            return Typed("percent", text)
        return Typed("text", read_text(cell.text))

    # ---- rows by 科目 ----

    def read_free_row(self, panel: Panel, row: SourceRow, cells: dict[str, tuple[Leaf, Cell]]) -> None:
        """A printed row of a 科目 table, kept as printed; a row that cannot be a whole row is reported."""
        values: dict[str, Typed] = {}
        first_value: Cell | None = None
        for key, (leaf, cell) in cells.items():
            if leaf.column.type in ("line", "code"):  # 行次 only places fixed rows; the code is read below
                continue
            typed = self.value_of(leaf, cell)
            if typed is None:
                continue
            if leaf.column.type == "name" and re.fullmatch(r"\d{3,12}", norm(typed.text)):
                self.report_cell(cell, f"科目名称“{cell.text}”是一个编码：这一行像是错位了一栏，请核对后改正源表")
                return
            values[key] = typed
            if leaf.column.type in ("amount", "percent") and first_value is None:
                first_value = cell
        code_leaf = next((leaf for leaf, _ in cells.values() if leaf.column.type == "code"), None)
        name_leaf = next((leaf for leaf in self.leaves if leaf.panel is panel and leaf.column.type == "name"), None)
        code_cell = cells[code_leaf.column.key][1] if code_leaf is not None else None
        if code_cell is not None and not code_cell.merged and not self.cell_problem(code_cell) and code_cell.text:
            code = norm(code_cell.text)
            if re.fullmatch(r"\d{1,12}", code):
                values[code_leaf.column.key] = Typed("code", code)
            elif code in TOTAL_WORDS and name_leaf is not None and name_leaf.column.key not in values:
                # 合计 printed across the 项目 columns (科目编码 and 科目名称 merged) lands in the first of them
                values[name_leaf.column.key] = Typed("text", code)
            else:
                self.report_cell(
                    code_cell,
                    f"科目编码“{code_cell.text}”不是数字：请照原件填写编码（只写数字）；"
                    "若它是上一行被拆开的科目名称，请把它并回上一行",
                )
                return
        if not values:
            return
        keys = {leaf.column.type: leaf.column.key for leaf in self.leaves if leaf.panel is panel}
        if "code" in keys and keys["code"] not in values:
            name = values.get(keys.get("name", ""))
            if name is not None and norm(name.text) not in TOTAL_WORDS:
                self.report_cell(
                    cells[keys["name"]][1],
                    f"“{name.text}”这一行没有科目编码：若它是上一行被拆开的部分，请并回上一行；"
                    "否则请照原件补上科目编码（没有编码的只能是合计行）",
                )
                return
            if name is None and first_value is not None:
                self.report_cell(
                    first_value,
                    "这一行有金额，却没有科目编码和科目名称，无法确定是哪一行：请补上；被拆成两行的，请合并为一行",
                )
                return
        order = [leaf.column.key for leaf in self.leaves if leaf.panel is panel]
        self.result.rows[panel.key].append({key: values[key] for key in order if key in values})

    # ---- fixed rows (项目 / 行次) ----

    def read_fixed_row(
        self, panel: Panel, row: SourceRow, cells: dict[str, tuple[Leaf, Cell]], state: FixedPanelState
    ) -> None:
        label_cell = next((cell for leaf, cell in cells.values() if leaf.column.type == "item"), None)
        line_cell = next((cell for leaf, cell in cells.values() if leaf.column.type == "line"), None)
        for cell in (label_cell, line_cell):
            if cell is not None and not cell.merged and self.cell_problem(cell):
                return
        label = read_text(label_cell.text) if label_cell is not None and not label_cell.merged else ""
        line_text = norm(line_cell.text) if line_cell is not None and not line_cell.merged else ""
        values: dict[str, Typed] = {}
        first_value: Cell | None = None
        for key, (leaf, cell) in cells.items():
            if leaf.column.type in ("item", "line"):
                continue
            typed = self.value_of(leaf, cell)
            if typed is not None:
                values[key] = typed
                first_value = first_value or cell
        panel_name = f"{self.form.number}{'“' + panel.key + '”栏' if not self.form.single_panel else ''}"
        by_label = state.find(panel, label) if label else None
        if by_label is not None and not line_text:
            state.last = panel.rows.index(by_label)
        if not values:
            return
        by_line = None
        if line_text:
            if not re.fullmatch(r"\d{1,3}", line_text):
                self.report_cell(line_cell, f"行次“{line_cell.text}”不是数字：请照原件填写行次")
                return
            by_line = next((r for r in panel.rows if r.line == int(line_text)), None)
            if by_line is None:
                self.report_cell(line_cell, f"{panel_name}没有第 {line_text} 行：请核对行次")
                return
        if by_line is not None and label:
            if not label_fits(label, by_line):
                printed = by_line.label or "（空行）"
                self.report_cell(
                    label_cell,
                    f"项目“{label}”与行次 {line_text} 不符：{panel_name}第 {line_text} 行是“{printed}”。"
                    "请核对原件，改正源表中的项目名称或行次",
                )
                return
            target = by_line
        elif by_line is not None:
            target = by_line
        elif label:
            target = by_label
            if target is None:
                self.report_cell(label_cell, f"“{label}”不是{panel_name}的项目：请照表样的项目名称填写（或补上行次）")
                return
        else:
            self.report_cell(
                first_value, f"这一行有金额，却没有项目名称，也没有行次，无法对应到{panel_name}的哪一行：请补上项目名称"
            )
            return
        if target.key is None:
            self.report_cell(first_value, f"{panel_name}第 {target.line} 行是空行，不应有数字：请核对是否错行")
            return
        state.last = panel.rows.index(target)
        if target.key in self.result.fixed[panel.key]:
            self.report_cell(
                label_cell if label_cell is not None and label else first_value,
                f"“{target.label or target.key}”在{panel_name}中出现了两次：请删去重复的一行",
            )
            return
        self.result.fixed[panel.key][target.key] = values

    def order_fixed_rows(self) -> None:
        for panel in self.form.panels:
            if panel.rows is None:
                continue
            got = self.result.fixed[panel.key]
            self.result.fixed[panel.key] = {r.key: got[r.key] for r in panel.rows if r.key in got}

    # ---- the footer (公开06表 人员经费合计, 公用经费合计) ----

    def is_footer(self, row: SourceRow) -> bool:
        first = next((c for c in row.cells if c.text and not c.merged), None)
        labels = {norm(c.label) for c in self.form.footer if c.label}
        return first is not None and norm(first.text) in labels

    def read_footer(self, row: SourceRow) -> None:
        spans = []
        start = 0
        for footer_cell in self.form.footer:
            spans.append((footer_cell, range(start, start + footer_cell.colspan)))
            start += footer_cell.colspan
        found: dict[str, Cell] = {}
        for column, leaf in self.assigned.items():
            cell = row.cell(column)
            if cell is None or cell.blank:
                continue
            footer_cell = next(fc for fc, span in spans if leaf.index in span)
            if cell.merged:
                # A footer cell spans several columns (公用经费合计 over four), and a workbook merges
                # them: a copy of a value typed in the same footer cell is that cell. One from outside
                # it (a label merged over the total) leaves the total blank.
                origin = self.assigned.get(cell.origin_column)
                inside = origin is not None and next(fc for fc, span in spans if origin.index in span) is footer_cell
                if footer_cell.key is not None and cell.text and not inside:
                    self.merged_figure(cell, f"表尾的“{footer_cell.key}”")
                continue
            if footer_cell.key is None:
                if norm(cell.text) != norm(footer_cell.label or ""):
                    self.report_cell(cell, f"表尾这一格应是“{footer_cell.label}”，源表是“{cell.text}”：请核对是否错位")
                continue
            if footer_cell.key in found:
                self.report_cell(cell, f"表尾“{footer_cell.key}”有两个数：请核对是否错位")
                continue
            found[footer_cell.key] = cell
            if self.cell_problem(cell):
                continue
            digits, problem = read_amount(cell.text, self.form.unit)
            if problem:
                self.report_cell(cell, f"{problem}（表尾“{footer_cell.key}”）")
                continue
            self.result.totals[footer_cell.key] = Typed("amount", digits)


class FixedPanelState:
    """Where the reading of a fixed-row panel has got to: labels are looked for from there on, so that a
    label printed twice (工资福利性支出 under 经济分类 and again under 基本支出) is each time the next one."""

    def __init__(self) -> None:
        self.last = -1

    def find(self, panel: Panel, label: str) -> FixedRow | None:
        rows = panel.rows or []
        for fits in (label_fits, label_fits_unnumbered):
            after = [r for r in rows[self.last + 1 :] if fits(label, r)]
            if after:
                return after[0]
            before = [r for r in rows[: self.last + 1] if fits(label, r)]
            if len(before) == 1:
                return before[0]
        return None


def label_fits(label: str, row: FixedRow) -> bool:
    text = norm(label)
    return text in {norm(row.label or ""), norm(row.key or "")} - {""}


def label_fits_unnumbered(label: str, row: FixedRow) -> bool:
    text = unnumbered(norm(label))
    return bool(text) and text in {unnumbered(norm(row.label or "")), norm(row.key or "")} - {""}


# ---- the header grid ----


def header_pieces(header: list[SourceRow], width: int) -> dict[int, list[tuple[str, bool]]]:
    """Each column's header texts, top to bottom, with whether each is only presumed.

    A label merged across columns is typed once, in its first column: extracted or pasted text leaves
    the others blank. A blank header cell whose column has a header further down is presumed to be
    covered by the nearest label to its left (the group above its sub-columns); a merged cell of a
    workbook is presumed so too. Presumed texts are optional when matching.
    """
    grid: list[list[tuple[str, bool]]] = []
    for row in header:
        line = []
        for column in range(1, width + 1):
            cell = row.cell(column)
            text = norm(cell.text) if cell is not None else ""
            line.append((text, bool(cell is not None and cell.merged)))
        grid.append(line)
    for r, line in enumerate(grid):
        for c in range(width):
            if line[c][0] or not any(grid[below][c][0] for below in range(r + 1, len(grid))):
                continue
            left = next((line[k][0] for k in range(c - 1, -1, -1) if line[k][0]), "")
            if left:
                line[c] = (left, True)
    return {c + 1: [grid[r][c] for r in range(len(grid)) if grid[r][c][0]] for c in range(width)}


def header_variants(pieces: list[tuple[str, bool]]) -> set[str]:
    """Every reading of a column's header: all its texts, or without some of the presumed ones."""
    optional = [i for i, (_, presumed) in enumerate(pieces) if presumed]
    variants = set()
    for size in range(len(optional) + 1):
        for dropped in itertools.combinations(optional, size):
            text = "".join(t for i, (t, _) in enumerate(pieces) if i not in dropped)
            if text:
                variants.add(text)
    return variants


# ---- entry points ----


def choose_form(
    source: SourceTable, form_set: FormSet, number: str | None
) -> tuple[Form | None, Preamble, int, str | None]:
    """The form to import into: the one asked for, or the one the title lines name."""
    preamble, start = read_preamble(source.rows)
    if number is not None:
        return form_set.forms.get(number), preamble, start, None
    named = forms_named(preamble, form_set)
    if len(named) == 1:
        return named[0], preamble, start, None
    if not named:
        return None, preamble, start, "源表上方没有表号或表名，看不出是哪张表：请用 --table 指明，如 --table 公开02表"
    numbers = "、".join(f.number for f in named)
    return None, preamble, start, f"源表上方的表号和表名指向不同的表（{numbers}）：请用 --table 指明"


def import_table(
    source: SourceTable, form: Form, form_set: FormSet, preamble: Preamble, start: int
) -> tuple[Imported, Problems]:
    importer = Importer(source, form, form_set, preamble, start)
    result = importer.run()
    return result, importer.problems
