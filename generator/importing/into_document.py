"""python -m generator import: a table from Excel into the right table of a document file.

The document is read with ruamel.yaml's round-trip loader to find the table and where its rows
sit; the new rows are written by ruamel.yaml in the file's own style (科目 rows one flow mapping
a line, amounts as plain decimals, 科目编码 quoted) and put in place of the old ones. Only those
lines change: every other byte of the file, its comments and layout included, stays as it was
(a full round-trip dump would reflow some constructs and drop the comment that follows the rows).
Before anything is written the new file is read back through the site's own loader and its
figures compared with the source's, so a file the importer writes always loads.
"""

from __future__ import annotations

import io
import os
import re
import sys
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from ..core.model import Form, FormSet, FormTable, IndicatorForm
from ..core.problems import Mark, Problems
from ..load.indicators import IndicatorBinder
from ..load.loader import Loader, shown
from ..load.tables import bind_form_table
from ..source import schema
from ..source.fields import Context, check_record
from ..source.yamlsource import Mapping, Sequence, YamlProblem, parse_text
from .indicators import ImportedReport, import_report
from .mapping import Imported, Typed, choose_form, import_table, norm, read_preamble, title_of
from .source import SourceError, SourceTable, read_source


class ImportFailure(Exception):
    def __init__(self, mark: Mark, message: str):
        super().__init__(message)
        self.mark = mark
        self.message = message


# ---- the document and its tables ----


@dataclass
class TableSpot:
    node: CommentedMap  # the table mapping, as ruamel.yaml loaded it
    path: list  # keys and indices from the document's root to the table mapping
    form: str
    id: str | None
    title: str
    line: int  # 1-based, of the table mapping


def round_trip_yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 1_000_000  # a row is one line, however long: never folded
    yaml.indent(mapping=2, sequence=4, offset=2)  # the layout of data/ (EDITING.md)
    yaml.brace_single_entry_mapping_in_flow_sequence = True
    yaml.representer.add_representer(AmountText, represent_amount)
    return yaml


def read_document(path: Path) -> tuple[str, CommentedMap]:
    """The document's text (without a byte-order mark, line endings as they are) and its round-trip tree."""
    where = shown(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFailure(Mark(where), f"无法读取文件：{exc.strerror}") from None
    try:
        text = data.removeprefix(BOM).decode("utf-8")
    except UnicodeDecodeError:
        raise ImportFailure(Mark(where), "文件不是 UTF-8 编码：请先另存为 UTF-8") from None
    try:
        document = round_trip_yaml().load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = Mark(where, mark.line + 1, mark.column + 1) if mark is not None else Mark(where)
        raise ImportFailure(at, "文件不是有效的 YAML，无法写入：请先运行 python -m generator check 改正") from None
    if not isinstance(document, CommentedMap):
        raise ImportFailure(Mark(where, 1, 1), "这不是一份公开文件（应以 title:、kind: 等开头）")
    return text, document


BOM = b"\xef\xbb\xbf"


def document_tables(document: CommentedMap) -> list[TableSpot]:
    """Every table on a form, wherever the document holds one: in a section, or directly in a part
    or an attachment (a part that is one table, such as a 汇总表)."""
    spots: list[TableSpot] = []

    def holder(node, path: list) -> None:
        if not isinstance(node, CommentedMap):
            return
        table = node.get("table")
        if isinstance(table, CommentedMap) and table.get("form") is not None:
            spots.append(
                TableSpot(
                    table,
                    [*path, "table"],
                    str(table.get("form")),
                    str(table["id"]) if table.get("id") is not None else None,
                    str(node.get("title", "")),
                    table.lc.line + 1,
                )
            )
        items = node.get("sections")
        if isinstance(items, CommentedSeq):
            for index, section in enumerate(items):
                holder(section, [*path, "sections", index])

    for p, part in enumerate(document.get("parts") or []):
        holder(part, ["parts", p])
        if isinstance(part, CommentedMap):
            for a, attachment in enumerate(part.get("attachments") or []):
                holder(attachment, ["parts", p, "attachments", a])
    return spots


def choose_table(spots: list[TableSpot], selector: str, where: str) -> TableSpot:
    chosen = [s for s in spots if s.form == selector or s.id == selector]
    if len(chosen) == 1:
        return chosen[0]
    if not chosen:
        have = "、".join(dict.fromkeys(s.form for s in spots)) or "没有"
        raise ImportFailure(
            Mark(where),
            f"文件中没有 form: {selector} 的表格（文件中的表格：{have}）：请先在相应的小节下写好 table: 和 form: {selector}，再导入",
        )
    places = "；".join(f"第 {s.line} 行“{s.title}”" for s in chosen)
    raise ImportFailure(
        Mark(where),
        f"文件中有 {len(chosen)} 张 {selector}（{places}）：请给要导入的那张表写上 id:，再用 --table 这个 id 指明",
    )


def data_folder(document: Path) -> Path | None:
    """The data/ folder a document belongs to: the nearest folder above it that holds forms/."""
    for folder in document.resolve().parents:
        if (folder / "forms").is_dir():
            return folder
    return None


def load_form_set(document: Path, form_set_id: str | None, kind: object = None) -> FormSet:
    """The form set a document's tables are on; only ever one of the document's kind suggested."""
    where = shown(document)
    folder = data_folder(document)
    if folder is None:
        raise ImportFailure(Mark(where), "在文件所在的目录之上找不到 forms/（表样）：请对 data/ 下的文件运行导入")
    loader = Loader(folder)
    form_sets = loader.load_form_sets(folder / "forms")
    kind = str(kind) if kind is not None else None
    fitting = sorted(name for name, f in form_sets.items() if kind is None or kind in f.kinds)
    if kind is None:
        suggestion = f"现有 {'、'.join(fitting)}" if fitting else "data/forms/ 中没有表样"
    else:
        suggestion = f"{kind}文件可用 {'、'.join(fitting)}" if fitting else f"data/forms/ 中没有用于{kind}文件的表样"
    if not form_set_id:
        raise ImportFailure(Mark(where), f"文件没有 form_set:，不知道表样：请先写上 form_set:（{suggestion}）")
    if form_set_id not in form_sets:
        raise ImportFailure(
            Mark(where),
            f"找不到表样集 {form_set_id}（{shown(folder / 'forms')}）：请核对 form_set:（{suggestion}），或先运行 check",
        )
    if kind is not None and kind not in form_sets[form_set_id].kinds:
        raise ImportFailure(
            Mark(where),
            f"表样集 {form_set_id} 用于{'、'.join(form_sets[form_set_id].kinds)}文件，这份文件是{kind}："
            f"请先改正 form_set:（{suggestion}）",
        )
    errors = [p for p in loader.problems.errors if p.mark.path.endswith(f"{form_set_id}.yaml")]
    if errors:
        raise ImportFailure(
            errors[0].mark, f"表样有错误（{errors[0].message}）：请先运行 python -m generator check 改正"
        )
    return form_sets[form_set_id]


# ---- the new rows as YAML ----


class AmountText(str):
    """An amount's digits, written as the plain scalar they are (29455.67, 0.00, 0), never quoted."""


def represent_amount(representer, data: AmountText):
    tag = "tag:yaml.org,2002:float" if "." in data else "tag:yaml.org,2002:int"
    return representer.represent_scalar(tag, str(data))


def scalar(value: Typed):
    if value.kind == "amount":
        return AmountText(value.text)
    if value.kind == "code":
        return DoubleQuotedScalarString(value.text)  # 科目编码 are text: "208", as data/ writes them
    return value.text  # ruamel quotes text only where YAML would read it as something else


def flow(cells: dict[str, Typed]) -> CommentedMap:
    mapping = CommentedMap((key, scalar(value)) for key, value in cells.items())
    mapping.fa.set_flow_style()
    return mapping


def row_list(rows: list[dict[str, Typed]]) -> CommentedSeq:
    sequence = CommentedSeq(flow(row) for row in rows)
    if not rows:
        sequence.fa.set_flow_style()  # rows: []
    return sequence


def new_keys(imported: Imported) -> dict[str, object | None]:
    """The table's keys to write (None: to remove), as EDITING.md describes them for this form."""
    form = imported.form
    changes: dict[str, object | None] = {}
    if all(panel.rows is not None for panel in form.panels):

        def panel_values(panel) -> CommentedMap:
            values = CommentedMap()
            amounts = panel.amount_columns
            for key, cells in imported.fixed[panel.key].items():
                single = len(amounts) == 1 and list(cells) == [amounts[0].key]
                values[key] = scalar(cells[amounts[0].key]) if single else flow(cells)
            return values

        if form.single_panel:
            values = panel_values(form.panels[0])
        else:
            values = CommentedMap()
            for panel in form.panels:
                if imported.fixed[panel.key]:
                    values[panel.key] = panel_values(panel)
        if not values:
            values.fa.set_flow_style()  # values: {}
        changes["values"], changes["rows"] = values, None
    else:
        if form.single_panel:
            rows = row_list(imported.rows[form.panels[0].key])
        else:
            rows = CommentedMap((panel.key, row_list(imported.rows[panel.key])) for panel in form.panels)
        changes["rows"], changes["values"] = rows, None
    if any(cell.key for cell in form.footer):
        changes["totals"] = flow(imported.totals)
    return changes


def emit(key: str, value, indent: int, newline: str) -> list[str]:
    out = io.StringIO()
    round_trip_yaml().dump(CommentedMap([(key, value)]), out)
    return [" " * indent + line + newline for line in out.getvalue().splitlines()]


# ---- putting them in place ----


def value_lines(lines: list[str], start: int, indent: int) -> int:
    """The index after the last line of the value of the key on line *start* (at column *indent*).

    The value runs until the next line that is content (not blank, not only a comment) and indented no
    deeper than the key. Blank and comment lines just before that line stay where they are: they
    belong to what follows (a note on the next section), not to the rows being replaced.
    """
    end = start + 1
    for index in range(start + 1, len(lines)):
        stripped = lines[index].strip()
        if not stripped or stripped.startswith("#"):
            continue
        if len(lines[index]) - len(lines[index].lstrip(" ")) <= indent:
            break
        end = index + 1
    return end


def splice(text: str, spot: TableSpot, changes: dict[str, object | None], where: str) -> tuple[str, list[str]]:
    """The document with the table's keys replaced; and the lines written in their place."""
    table = spot.node
    if table.fa.flow_style():
        raise ImportFailure(
            Mark(where, spot.line), "这张表写成了一行的 {…} 形式，无法替换其中的行：请改为分行书写（form: 等各占一行）"
        )
    if any(mark in text for mark in ("\x85", "\u2028", "\u2029")) or "\r" in text.replace("\r\n", ""):
        raise ImportFailure(
            Mark(where), "文件中有不常见的换行符（U+2028、单独的回车等），行号无法对齐：请先在编辑器中删去"
        )
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = re.findall(r"[^\n]*\n|[^\n]+$", text)  # as YAML counts lines (str.splitlines also splits at U+2028…)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += newline
    edits: list[tuple[int, int, list[str]]] = []  # (start, end, new lines), by line index
    written: list[str] = []
    form_line, form_column = table.lc.key("form")
    added: list[str] = []  # keys the table does not have yet go right after its form:, in this order
    for key, value in changes.items():
        if key in table:
            line, column = table.lc.key(key)
            if line == form_line:
                raise ImportFailure(Mark(where, line + 1), "这张表的 form: 与其他键写在同一行：请分行书写后再导入")
            new = emit(key, value, column, newline) if value is not None else []
            edits.append((line, value_lines(lines, line, column), new))
            written += new
        elif value is not None:
            added += emit(key, value, form_column, newline)
    if added:
        after_form = value_lines(lines, form_line, form_column)
        edits.append((after_form, after_form, added))
        written += added
    for start, end, new in sorted(edits, key=lambda edit: edit[:2], reverse=True):
        lines[start:end] = new
    return "".join(lines), written


# ---- reading the result back ----


def written_table(text: str, spot: TableSpot, where: str):
    """The table's node in the text as it will be written, or None and why not: what the import
    wrote is read back through the loader's own YAML reader before the file is replaced."""
    try:
        node = parse_text(text.replace("\r\n", "\n"), where)
    except YamlProblem as exc:
        return None, str(exc.problem)
    for step in spot.path:
        node = node.get(step) if isinstance(node, Mapping) else node.items[step] if isinstance(node, Sequence) else None
        if node is None:
            return None, "写入后找不到这张表"
    return node, ""


def read_back(text: str, spot: TableSpot, where: str, record, bind):
    """The table as the site's loader reads it from the text to be written (its *record* schema, then
    *bind*(raw, ctx, node)), or None and the problems why not."""
    node, problem = written_table(text, spot, where)
    if node is None:
        return None, [problem]
    problems = Problems()
    ctx = Context(problems)
    raw = check_record(node, record, ctx)
    table = bind(raw, ctx, node) if raw is not None else None
    if problems or table is None:
        return None, [str(p) for p in problems.items] or ["写入的表读不出来"]
    return table, []


def verify(text: str, spot: TableSpot, form: Form, imported: Imported, where: str) -> list[str]:
    """Read the new file through the site's loader and compare its figures with the import's."""
    table, problems = read_back(
        text, spot, where, schema.FORM_TABLE, lambda raw, ctx, _: bind_form_table(form, raw, ctx)
    )
    return problems if table is None else compare(table, imported)


def compare(table: FormTable, imported: Imported) -> list[str]:
    def same(value, typed: Typed) -> bool:
        if typed.kind == "amount":
            return value.amount == Decimal(typed.text)
        if typed.kind == "percent":
            return value.text == typed.text
        return value.text == typed.text

    differences = []
    for data in table.panels:
        key = data.panel.key
        if data.panel.rows is not None:
            want = imported.fixed[key]
            got = data.fixed
            if list(got) != list(want):
                differences.append(f"rows of {key}: {list(got)} != {list(want)}")
            for row, cells in want.items():
                for column, typed in cells.items():
                    if column not in got.get(row, {}) or not same(got[row][column], typed):
                        differences.append(f"{key}.{row}.{column}")
        else:
            want_rows = imported.rows[key]
            if len(data.rows) != len(want_rows):
                differences.append(f"{key}：读回 {len(data.rows)} 行，源表 {len(want_rows)} 行")
            for got, want in zip(data.rows, want_rows, strict=False):
                if list(got.cells) != list(want) or not all(same(got.cells[k], v) for k, v in want.items()):
                    differences.append(f"{key}：第 {got.mark.line} 行不一致")
    for key, typed in imported.totals.items():
        if key not in table.totals or not same(table.totals[key], typed):
            differences.append(f"表尾 {key} 不一致")
    return differences


def write_atomically(path: Path, text: str) -> None:
    """Replace the file in one step (a crash leaves the old file or the new, never half of one)."""
    bom = path.read_bytes().startswith(BOM)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write((BOM if bom else b"") + text.encode("utf-8"))
        os.chmod(temporary, path.stat().st_mode & 0o777)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# ---- a 绩效 table ----


def indicator_form(form_set: FormSet, spot: TableSpot, where: str) -> IndicatorForm | None:
    """The 绩效 form the table names, or None for a table on one of the set's 决算/预算 forms."""
    name = spot.form.split(":", 1)[-1]
    if name in form_set.indicator_forms:
        return form_set.indicator_forms[name]
    if ":" in spot.form or (not form_set.forms and form_set.indicator_forms):
        choices = "、".join(form_set.indicator_forms) or "（无）"
        raise ImportFailure(
            Mark(where, spot.line),
            f"表样集 {form_set.id} 中没有绩效表样“{name}”（有 {choices}）：请先运行 python -m generator check 改正",
        )
    return None


def choose_report(
    source: SourceTable, form_set: FormSet, spots: list[TableSpot], where: str
) -> tuple[TableSpot, IndicatorForm]:
    """The 绩效 table to import into: the one of the form the title above the source names, or the
    document's only 绩效 table; else the clerk says which with --table."""
    reports = [
        (s, form_set.indicator_forms[s.form.split(":", 1)[-1]])
        for s in spots
        if s.form.split(":", 1)[-1] in form_set.indicator_forms
    ]
    if not reports:
        raise ImportFailure(
            Mark(where),
            f"文件中没有绩效表：请先在小节下写好 table: 和 form: 表样名（{'、'.join(form_set.indicator_forms)}），"
            "或用 python -m generator new … 绩效 --form 生成",
        )
    preamble, _ = read_preamble(source.rows)
    titles = {title_of(cell) for cell in preamble.titles}
    named = [(s, f) for s, f in reports if norm(f.title) in titles]
    if len(reports) == 1:
        return reports[0]
    if len({f.name for _, f in named}) == 1 and len(named) == 1:
        return named[0]
    ids = "、".join(s.id or s.form for s, _ in (named or reports))
    raise ImportFailure(Mark(where), f"文件中有几张绩效表（{ids}），看不出导入到哪一张：请用 --table 指明表的 id")


def report_keys(imported: ImportedReport, spot: TableSpot) -> dict[str, object | None]:
    """The table's keys to write: the header lines the source prints (the others kept), the funds,
    the indicator tree and the 总分 row (its label and grade kept)."""
    form, table = imported.form, spot.node
    changes: dict[str, object | None] = {}
    if imported.facts:
        old = table.get("facts") if isinstance(table.get("facts"), CommentedMap) else {}
        facts = CommentedMap()
        for spec in form.facts:
            value = imported.facts.get(spec.label) or old.get(spec.label)
            facts[spec.label] = str(value) if value else None
        changes["facts"] = facts
    if form.funds_columns:
        changes["funds"] = row_list(imported.funds)

    def node(item: dict):
        if "items" not in item:
            return flow(item)
        group = CommentedMap()
        for key in ("name", "score", "scored"):
            if key in item:
                group[key] = scalar(item[key])
        group["items"] = CommentedSeq(node(child) for child in item["items"])
        return group

    changes["indicators"] = CommentedSeq(node(group) for group in imported.indicators)
    if imported.total:
        old_total = table.get("total") if isinstance(table.get("total"), CommentedMap) else {}
        kept = {
            k: Typed("text", str(v)) for k, v in old_total.items() if k not in ("score", "scored") and v is not None
        }
        changes["total"] = flow({**kept, **imported.total})
    return changes


def verify_report(text: str, spot: TableSpot, form: IndicatorForm, imported: ImportedReport, where: str) -> list[str]:
    """Read the new file's table through the site's loader and compare what it holds with the import."""
    table, problems = read_back(
        text, spot, where, schema.INDICATOR_TABLE, lambda raw, ctx, node: IndicatorBinder(ctx).bind(raw, form, node)
    )
    if table is None:
        return problems
    differences = []
    if len(table.funds) != len(imported.funds):
        differences.append(f"资金情况：读回 {len(table.funds)} 行，源表 {len(imported.funds)} 行")
    if len(table.funds) + len(table.leaves()) != imported.count:
        differences.append(f"指标：读回 {len(table.leaves())} 行")
    if "scored" in imported.total and table.total_scored != Decimal(imported.total["scored"].text):
        differences.append("总分不一致")
    return differences


def import_report_into(
    source: SourceTable, document: Path, text: str, spot: TableSpot, form: IndicatorForm, dry_run: bool
) -> int:
    where = shown(document)
    if spot.node.get("indicator_sets") is not None:
        raise ImportFailure(
            Mark(where, spot.line),
            "这张表的指标写成了 indicator_sets（几组指标）：导入只写 indicators，请照原件手工填写",
        )
    imported, problems = import_report(source, form)
    if problems:
        return print_problems(problems)
    new_text, written = splice(text, spot, report_keys(imported, spot), where)
    differences = verify_report(new_text, spot, form, imported, where)
    if differences:  # a bug of the importer, never the clerk's: say so and write nothing
        raise ImportFailure(
            Mark(where, spot.line), "内部错误，未写入：写出的表格读回后与源表不一致：" + "; ".join(differences)
        )
    if dry_run:
        print("".join(written), end="")
        print(f"（--dry-run：未写入 {where}；以上是将写入“{spot.title}”的内容）")
        return 0
    write_atomically(document, new_text)
    leaves = imported.count - len(imported.funds)
    print(
        f"已把{form.name}（资金情况 {len(imported.funds)} 行、指标 {leaves} 行）写入 {where}“{spot.title}”"
        f"（id {spot.id}）。请运行 python -m generator check 核对。"
    )
    return 0


# ---- the command ----


def run_import(source: Path, document: Path, table: str | None, sheet: str | None, dry_run: bool) -> int:
    """Import; print one line per problem (exit 1) or what was written (exit 0)."""
    problems = Problems()
    where = shown(document)
    try:
        table_source = read_source(source, shown(source), sheet)
        text, loaded = read_document(document)
        kind = loaded.get("kind")
        spots = document_tables(loaded)
        spot = choose_table(spots, table, where) if table is not None else None
        if spot is not None and ":" in spot.form:  # a 绩效 table may name another set's form: 表样文件名:表样名
            form_set = load_form_set(document, spot.form.split(":", 1)[0])
        else:
            form_set = load_form_set(document, loaded.get("form_set"), kind)
        report_form = indicator_form(form_set, spot, where) if spot is not None else None
        if spot is None and kind == "绩效" and form_set.indicator_forms:
            spot, report_form = choose_report(table_source, form_set, spots, where)
        if report_form is not None:
            return import_report_into(table_source, document, text, spot, report_form, dry_run)
        form, preamble, start, why = choose_form(table_source, form_set, spot.form if spot else None)
        if spot is None:
            if form is None:
                raise ImportFailure(Mark(shown(source)), why)
            spot = choose_table(spots, form.number, where)
        if form is None:
            raise ImportFailure(
                Mark(where, spot.line),
                f"表样集 {form_set.id} 中没有 {spot.form}：请先运行 python -m generator check 改正",
            )
        imported, problems = import_table(table_source, form, form_set, preamble, start)
        if problems:
            return print_problems(problems)
        new_text, written = splice(text, spot, new_keys(imported), where)
        differences = verify(new_text, spot, form, imported, where)
        if differences:  # a bug of the importer, never the clerk's: say so and write nothing
            raise ImportFailure(
                Mark(where, spot.line), "内部错误，未写入：写出的表格读回后与源表不一致：" + "; ".join(differences)
            )
    except (SourceError, ImportFailure) as exc:
        problems.add(exc.mark, exc.message)
        return print_problems(problems)
    if dry_run:
        print("".join(written), end="")
        print(f"（--dry-run：未写入 {where}；以上是将写入“{spot.title}”的内容）")
        return 0
    write_atomically(document, new_text)
    print(
        f"已把 {form.number}（{form.title}）的 {imported.count} 行写入 {where}“{spot.title}”。"
        "请运行 python -m generator check 核对。"
    )
    return 0


def print_problems(problems: Problems) -> int:
    for problem in problems.sorted():
        print(f"{problem.mark}: {problem.message}", file=sys.stderr)
    print(f"{len(problems.items)} 个问题，未写入任何文件。", file=sys.stderr)
    return 1
