"""Map a 绩效 table pasted from Excel (or read from a workbook) onto a declared 绩效 form.

A 自评表 is not one grid but several blocks one under another: header lines (项目名称 | …), the
funds block under its own header row (项目资金 | 年初预算数 | 全年预算数 …), the indicator block under
its header row (一级指标 | 二级指标 | 三级指标 | …) down to the 总分 row. Each block's header is found
by the labels its form declares, printed exactly (a header split over two rows or merged across
columns read as for 决算 tables); a 一级 or 二级 指标 printed once for the rows below it (a merged
cell, which a paste leaves blank below its first row) carries down to them, and so does a 分值 or
得分 the form merges over a group. Nothing is guessed: a cell that is not what its column holds, a
printed column missing from the source, a column of content without a header are each reported at
their row and column, and nothing is written.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..core.model import IndicatorForm
from ..core.problems import Problems
from ..load.indicators import LEVELS
from .mapping import (
    NIL_MARKS,
    TOTAL_WORDS,
    Typed,
    header_pieces,
    header_variants,
    norm,
    read_amount,
    read_percent,
    read_preamble,
    read_text,
    title_of,
)
from .source import Cell, SourceRow, SourceTable

SCORE_FIELDS = ("score", "scored")
AMOUNT_FIELDS = ("initial", "budget", "executed", "transfer")
UNIT = "万元"  # the funds' unit on every declared 绩效 form


@dataclass
class ImportedReport:
    form: IndicatorForm
    facts: dict[str, str] = field(default_factory=dict)  # printed label → text, those the source has
    funds: list[dict[str, Typed]] = field(default_factory=list)
    indicators: list[dict] = field(
        default_factory=list
    )  # groups: {name, score, scored, items: [...]}; leaves: {field: Typed}
    total: dict[str, Typed] = field(default_factory=dict)

    @property
    def count(self) -> int:
        def leaves(nodes) -> int:
            return sum(leaves(n["items"]) if "items" in n else 1 for n in nodes)

        return len(self.funds) + leaves(self.indicators)


@dataclass
class Block:
    """A block's header as found: its rows and each source column's field."""

    rows: list[SourceRow]
    columns: dict[int, str]  # source column → field key

    @property
    def end(self) -> int:
        return self.rows[-1].line


def labels_of(columns: list[tuple[str, str]]) -> dict[str, str]:
    """norm(printed label) → field key."""
    return {norm(label): key for key, label in columns if label}


class ReportImporter:
    def __init__(self, source: SourceTable, form: IndicatorForm):
        self.source = source
        self.form = form
        self.problems = Problems()
        self.result = ImportedReport(form)
        self.width = max((len(row.cells) for row in source.rows), default=0)
        self.reported: set[tuple[int, int]] = set()  # header cells already said not to be the form's

    def report(self, line: int, column: int, message: str) -> None:
        self.problems.add(self.source.mark(line, column), message + self.source.cell_name(line, column))

    def report_cell(self, cell: Cell, message: str) -> None:
        self.report(cell.line, cell.column, message)

    # ---- the whole table ----

    def run(self) -> ImportedReport:
        preamble, start = read_preamble(self.source.rows)
        self.check_title(preamble.titles)
        rows = self.source.rows[start:]
        funds_labels, indicator_labels = labels_of(self.form.funds_columns), labels_of(self.form.columns)
        funds = None
        if self.form.funds_columns:
            funds = self.find_header(rows, self.form.funds_columns, funds_labels, indicator_labels, "资金情况")
        indicators = self.find_header(rows, self.form.columns, indicator_labels, funds_labels, "指标")
        if indicators is None:
            labels = "、".join(label for _, label in self.form.columns)
            first = next((r for r in rows if not r.blank), None)
            self.report(
                first.line if first else 1,
                1,
                f"找不到指标表的表头：{self.form.name}的指标部分印有 {labels}，请连同这一行表头一起复制",
            )
            return self.result
        headers = {r.line for r in indicators.rows} | ({r.line for r in funds.rows} if funds else set())
        used = set(headers)
        if funds is not None:
            used |= self.read_funds(rows, funds, headers)
        used |= self.read_indicators(rows, indicators, headers)
        self.read_facts([r for r in rows if r.line not in used])
        return self.result

    def check_title(self, titles: list[Cell]) -> None:
        mine = norm(self.form.title)
        for cell in titles:
            if title_of(cell) != mine and title_of(cell).endswith("表") and mine not in title_of(cell):
                self.report_cell(
                    cell,
                    f"源表的标题是“{cell.text}”，却要导入{self.form.name}：请核对是否复制了另一张表，或改用 --table",
                )

    def find_header(self, rows, columns, labels: dict[str, str], others: dict[str, str], what: str) -> Block | None:
        """The first row that prints at least two of the block's labels, more than of the other
        block's (分值 and 得分 head both), taken with the row below it when that completes its
        labels (a header split over two lines); its columns matched by label."""
        for index, row in enumerate(rows):
            below = rows[index + 1 : index + 2]
            if self.hits(row, below, labels) < max(2, self.hits(row, below, others) + 1):
                continue
            header = [row]
            if below and self.continues(row, below[0], labels):
                header.append(below[0])
            return Block(header, self.match(header, labels, columns, what))
        return None

    def hits(self, row: SourceRow, below: list[SourceRow], labels: dict[str, str]) -> int:
        """How many of *labels* the row prints: alone, or begun here and completed by the row below
        (a label split over two lines; one printed wholly below is the next row's)."""
        alone = {c.column for c in row.cells if c.text and not c.merged and norm(c.text) in labels}
        if not below:
            return len(alone)
        pieces = header_pieces([row, below[0]], self.width)
        split = {
            column
            for column, texts in pieces.items()
            if len(texts) == 2 and not texts[0][1] and header_variants(texts) & set(labels)
        }
        return len(alone | split)

    def continues(self, row: SourceRow, below: SourceRow, labels: dict[str, str]) -> bool:
        """A second header line: it holds no figure and completes a label of the first."""
        if any(c.text and not c.merged and any(ch.isdigit() for ch in c.text) for c in below.cells):
            return False
        pieces = header_pieces([row, below], self.width)
        for column, texts in pieces.items():
            lower, upper = below.cell(column), row.cell(column)
            if lower is None or not lower.text or lower.merged:
                continue
            if header_variants(texts) & set(labels) and norm(upper.text if upper else "") not in labels:
                return True
        return False

    def match(self, header: list[SourceRow], labels: dict[str, str], columns, what: str) -> dict[int, str]:
        pieces = header_pieces(header, self.width)
        found: dict[int, str] = {}
        for column, texts in pieces.items():
            keys = {labels[v] for v in header_variants(texts) if v in labels}
            if len(keys) == 1:
                key = keys.pop()
                if key in found.values():
                    first = next(c for c, k in found.items() if k == key)
                    self.report(
                        header[0].line, column, f"表头“{texts[-1][0]}”出现了两次（另见第 {first} 栏）：请删去多出的一栏"
                    )
                    continue
                found[column] = key
        for key, label in columns:
            if key not in found.values():
                self.report(
                    header[0].line,
                    1,
                    f"源表的{what}没有“{label}”这一栏：{self.form.name}印有此栏，请照原件连同这一栏复制",
                )
        return found

    # ---- 资金情况 ----

    def read_funds(self, rows: list[SourceRow], block: Block, headers: set[int]) -> set[int]:
        """The funds rows below their header: each a row whose label is left of the figures, down to
        the first row that is blank, is the indicator header, or holds words where figures go."""
        used = {r.line for r in block.rows}
        figures = {c: k for c, k in block.columns.items() if k != "source"}
        if not figures:
            return used
        first_figure = min(figures)
        for row in rows:
            if row.line <= block.end:
                continue
            if row.line in headers or row.blank or any(self.words(row.cell(c)) for c in figures):
                break
            used.add(row.line)
            labels = [c for c in row.cells[: first_figure - 1] if c.text and not c.merged]
            values: dict[str, Typed] = {}
            if not labels:
                self.report(row.line, 1, "资金情况的这一行没有资金来源的名称（如 年度资金总额）：请照原件补上")
            else:
                values["source"] = Typed("text", read_text(labels[-1].text))
            for column, key in sorted(figures.items()):
                value = self.figure(row.cell(column), key, "资金情况")
                if value is not None:
                    values[key] = value
            self.result.funds.append(values)
        return used

    @staticmethod
    def words(cell: Cell | None) -> bool:
        """A cell holding words, not a figure nor a mark for none: where a block of text begins."""
        if cell is None or not cell.text or cell.merged:
            return False
        folded = unicodedata.normalize("NFKC", cell.text).strip()
        return folded not in NIL_MARKS and not re.search(r"\d", folded)

    def figure(self, cell: Cell | None, key: str, what: str, merges: bool = False) -> Typed | None:
        """The figure of a cell, None when blank or reported; a merged cell holds none of its own,
        which is the layout where the form merges it (*merges*: 分值 over a group), else a figure lost."""
        if cell is None or not cell.text:
            return None
        if cell.merged:
            if not merges:
                origin = cell.merge.split(":")[0]
                self.report_cell(
                    cell,
                    f"此格与 {origin} 合并（合并单元格 {cell.merge}），内容只保存在 {origin} 中，"
                    f"{what}的“{self.label(key, what)}”栏导入后会是空白：请在 Excel 中取消合并，照原件在每一格填上数字"
                    "（原件空白的格留空）后再导入",
                )
            return None
        if cell.problem:
            self.report_cell(cell, cell.problem)
            return None
        if key == "rate":
            text, problem = read_percent(cell.text)
            kind = "percent"
        else:
            text, problem = read_amount(cell.text, UNIT)
            kind = "amount"
            if problem is None and key in SCORE_FIELDS and text.startswith("-"):
                problem = f"“{cell.text}”是负数：分值、得分只能是零或正数"
        if problem:
            self.report_cell(cell, f"{problem}（{what}的“{self.label(key, what)}”栏）")
            return None
        return Typed(kind, text)

    def label(self, key: str, what: str) -> str:
        columns = self.form.funds_columns if what == "资金情况" else self.form.columns
        return next((label for k, label in columns if k == key), key)

    # ---- 指标 ----

    def read_indicators(self, rows: list[SourceRow], block: Block, headers: set[int]) -> set[int]:
        """Rows below the indicator header down to the 总分 row (or a blank row, or the end): a
        group's name printed once carries down, each row is one indicator as printed."""
        used = {r.line for r in block.rows}
        levels = [key for key, _ in self.form.columns if key in LEVELS]
        by_key = {key: column for column, key in block.columns.items()}
        merged = self.form.merged_level
        path: list[dict] = []  # the open group at each level
        totals = {norm(self.form.total_label)} | TOTAL_WORDS
        for row in rows:
            if row.line <= block.end:
                continue
            if row.line in headers:
                break
            if row.blank:
                if path:
                    break
                continue
            used.add(row.line)
            if any(norm(c.text) in totals for c in row.cells if c.text and not c.merged):
                for key in SCORE_FIELDS:
                    if key in by_key and (value := self.figure(row.cell(by_key[key]), key, "指标")) is not None:
                        self.result.total[key] = value
                break
            self.content_without_header(row, block)
            started = None
            for depth, key in enumerate(levels):
                cell = row.cell(by_key[key]) if key in by_key else None
                if cell is not None and cell.text and not cell.merged:
                    group = {"name": Typed("text", read_text(cell.text)), "items": []}
                    (path[depth - 1]["items"] if depth else self.result.indicators).append(group)
                    path[depth:] = [group]
                    started = depth if started is None else started
                elif len(path) <= depth:
                    self.report(
                        row.line,
                        by_key.get(key, 1),
                        f"这一行上面没有“{self.label(key, '指标')}”：第一行指标要写明各级指标的名称",
                    )
                    return used
            leaf: dict[str, Typed] = {}
            for key, column in sorted(by_key.items(), key=lambda item: item[1]):
                if key in LEVELS:
                    continue
                cell = row.cell(column)
                if key in SCORE_FIELDS:
                    value = self.figure(cell, key, "指标", merges=merged is not None)
                    if value is None:
                        continue
                    if merged is not None:
                        group = path[merged - 1]
                        if started is None or started > merged - 1:
                            self.report_cell(
                                cell,
                                f"{self.form.name}的{self.label(key, '指标')}按{LEVEL_WORDS[merged]}合并印："
                                "只写在这一组的第一行（合并的格），这一行不应再有",
                            )
                            continue
                        group[key] = value
                        continue
                    leaf[key] = value
                elif cell is not None and cell.text and not cell.merged:
                    leaf[key] = Typed("text", read_text(cell.text))
            (path[-1]["items"] if path else self.result.indicators).append(leaf)
        return used

    def content_without_header(self, row: SourceRow, block: Block) -> None:
        """Content in a column the block's header does not place: under a header the form does not
        print (said once, at the header), or under none."""
        for cell in row.cells:
            # left of the first column the block labels: the block's own name merged down (绩效指标)
            first = min(block.columns, default=0)
            if cell.column in block.columns or not cell.text or cell.merged or cell.column < first:
                continue
            heading = next(
                (r.cell(cell.column) for r in block.rows if r.cell(cell.column) and r.cell(cell.column).text), None
            )
            if heading is None:
                self.report_cell(
                    cell,
                    f"这一栏有内容（“{cell.text}”）却没有表头，无法对应到{self.form.name}的栏目："
                    "请在表头补上栏目名称（照表样），若是多出的空栏请删去",
                )
            elif (heading.line, heading.column) not in self.reported:
                self.reported.add((heading.line, heading.column))
                self.report_cell(
                    heading,
                    f"这一栏的表头“{heading.text}”对应不上{self.form.name}的任何一栏，其中的内容无法导入：请照表样改正表头",
                )

    # ---- 表头 ----

    def read_facts(self, rows: list[SourceRow]) -> None:
        """Header lines: a cell printing a fact's label, its text the next filled cell to its right."""
        labels = {norm(f.label): f.label for f in self.form.facts}
        for row in rows:
            cells = [c for c in row.cells if c.text and not c.merged]
            for index, cell in enumerate(cells):
                label = labels.get(norm(cell.text).rstrip(":："))
                if label is None:
                    continue
                after = cells[index + 1] if index + 1 < len(cells) else None
                if after is not None and norm(after.text).rstrip(":：") not in labels:
                    self.result.facts[label] = read_text(after.text)
                else:
                    self.result.facts.setdefault(label, "")


LEVEL_WORDS = {1: "一级指标", 2: "二级指标", 3: "三级指标"}


def import_report(source: SourceTable, form: IndicatorForm) -> tuple[ImportedReport, Problems]:
    importer = ReportImporter(source, form)
    result = importer.run()
    return result, importer.problems
