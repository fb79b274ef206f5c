"""`python -m generator fmt`: one layout for every file in data/, without changing what it says.

The files are read and written by ruamel.yaml's round-trip mode, so comments, blank lines, flow
rows (`- {科目编码: "208", …}`), block texts (`|`) and quotes survive. What changes:

* the first line names the file's JSON Schema (`# yaml-language-server: $schema=…`);
* keys stand in the order the schema declares them, and a form table's rows and cells in the
  order of its form (a mapping with a key the schema does not know is left as it is: that is a
  typo for `check` to report, not something to move about);
* an amount typed with thousands separators or full-width characters (`29,455.67`,
  `２９４５５．６７`) is written as the plain decimal the loader asks for (`29455.67`). Nothing else
  about a figure changes: its digits and its decimal places stay as typed (`2549.1` stays
  `2549.1`, never `2549.10`), so a figure keeps the value and the precision it was printed with;
* indentation is two spaces, lists indented under their key (`  - `); UTF-8, LF line ends.

Every plain value is read as text (only an empty value or `~` is null), as the loader reads it:
no value ever passes through a float or an int on its way back to the file.
"""

from __future__ import annotations

import io
import re
import sys
import unicodedata
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.emitter import RoundTripEmitter
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, PlainScalarString, SingleQuotedScalarString

from ..core.amounts import PLAIN_AMOUNT
from ..core.model import Form
from ..load.loader import Loader, shown
from ..source import schema
from ..source.fields import Amount, Either, Field, ListOf, Percent, Record, Variants
from ..source.files import Refused, read_limited
from ..source.yamlsource import MAX_BYTES, YamlProblem, decode, parse_text
from .schema_json import FILES, MODELINE, kind_of, modeline

GROUPED_AMOUNT = re.compile(r"-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]{1,2})?")
_NULL_RESOLVERS = {
    first: [("tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"))] for first in ("~", "n", "N", "")
}


class TextResolver(VersionedResolver):
    """Plain values are text, as the loader reads them; only an empty value, ~ and null are null."""

    @property
    def versioned_resolver(self):
        return _NULL_RESOLVERS


class BlankCellEmitter(RoundTripEmitter):
    """Writes a blank value in a row as nothing (`{合计: , 基本支出: 12.00}`), as a clerk leaves
    a cell blank, instead of ruamel's `null`; both read as blank."""

    def blank_cell(self) -> bool:
        event = self.event
        return (
            event.value == ""
            and event.tag == "tag:yaml.org,2002:null"
            and self.flow_context[-1:] == ["{"]
            and not self.simple_key_context
        )

    def choose_scalar_style(self):
        return "" if self.blank_cell() else super().choose_scalar_style()

    def process_scalar(self):
        if self.blank_cell():
            self.write_indicator(" ", False)  # `合计: ,`: YAML needs the space after the colon
            self.analysis = self.style = None
            return
        super().process_scalar()


def round_trip_yaml() -> YAML:
    """The reader and writer of fmt and of the scaffolds `new` writes, so both give the same layout."""
    yaml = YAML(typ="rt")
    yaml.Resolver = TextResolver
    yaml.Emitter = BlankCellEmitter
    yaml.preserve_quotes = True
    yaml.width = 1_000_000  # never fold a long row or sentence onto a second line
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.brace_single_entry_mapping_in_flow_sequence = True  # [{level1: 一级标准}, score] keeps its braces
    return yaml


def dump_text(data, kind: str) -> str:
    out = io.StringIO()
    round_trip_yaml().dump(data, out)
    return modeline(kind) + "\n" + out.getvalue()


def plain_amount(text: str) -> str | None:
    """The amount *text* as the loader wants it written, when it is the same number typed with
    thousands separators or full-width characters; None when there is nothing to change or the
    text is not such a number (then the loader's message says what is wrong)."""
    raw = text.strip()
    if PLAIN_AMOUNT.fullmatch(raw):
        return None
    folded = unicodedata.normalize("NFKC", raw)  # ２９，４５５．６７ → 29,455.67
    if PLAIN_AMOUNT.fullmatch(folded) or GROUPED_AMOUNT.fullmatch(folded):
        return folded.replace(",", "")  # only the separators go: the digits and decimal places stay
    return None


class Formatter:
    """Puts one file's keys in the schema's order and writes its amounts plainly, in place."""

    def __init__(self, forms: dict[str, Form]):
        self.forms = forms  # the document's form set, for the order and types of table cells

    def walk(self, value, spec: Field):
        if isinstance(spec, Record) and isinstance(value, CommentedMap):
            reorder(value, list(spec.fields))
            for key in list(value):
                if key in spec.fields:
                    self.put(value, key, spec.fields[key])
            if spec is schema.FORM_TABLE:
                self.form_table(value)
            elif spec in (schema.AMOUNT_TABLE, schema.MONEY_BLOCK):
                self.money_rows(value)
        elif isinstance(spec, Variants) and isinstance(value, CommentedMap):
            self.walk(value, spec.choose_keys(value))
        elif isinstance(spec, ListOf) and isinstance(value, CommentedSeq):
            for index in range(len(value)):
                self.put(value, index, spec.item)
        elif isinstance(spec, Either) and isinstance(value, CommentedMap):
            self.walk(value, spec.mapping)
        elif isinstance(spec, schema.IndicatorNode) and isinstance(value, CommentedMap):
            self.walk(value, schema.INDICATOR_GROUP if "items" in value else schema.INDICATOR)
        elif isinstance(spec, schema.GridCellField) and isinstance(value, CommentedMap):
            self.walk(value, spec.MAPPING)

    def put(self, container, key, spec: Field) -> None:
        """Walk container[key]; an amount is replaced by its plain form."""
        value = container[key]
        if isinstance(spec, Amount) and not isinstance(spec, Percent):
            set_amount(container, key)
        else:
            self.walk(value, spec)

    def form_table(self, table: CommentedMap) -> None:
        form = self.forms.get(str(table.get("form", "")).strip())
        if form is None:
            return
        panels = {p.key: p for p in form.panels}
        for part in ("values", "rows"):
            by_panel = table.get(part)
            if form.single_panel:
                by_panel = {form.panels[0].key: by_panel}
            elif isinstance(by_panel, CommentedMap):
                reorder(by_panel, list(panels))
            if not isinstance(by_panel, dict):
                continue
            for key, given in by_panel.items():
                panel = panels.get(key)
                if panel is None:
                    continue
                columns = [c.key for c in panel.columns]
                amounts = [c.key for c in panel.amount_columns]
                if part == "values" and isinstance(given, CommentedMap):
                    reorder(given, [r.key for r in panel.rows or [] if r.key])
                    for row in given:
                        if isinstance(given[row], CommentedMap):
                            self.cells(given[row], columns, amounts)
                        elif len(amounts) == 1:
                            set_amount(given, row)
                elif part == "rows" and isinstance(given, CommentedSeq):
                    for row in given:
                        if isinstance(row, CommentedMap):
                            self.cells(row, columns, amounts)
        totals = table.get("totals")
        if isinstance(totals, CommentedMap):
            reorder(totals, [c.key for c in form.footer if c.key])
            for key in totals:
                set_amount(totals, key)

    def cells(self, row: CommentedMap, columns: list[str], amounts: list[str]) -> None:
        reorder(row, list(dict.fromkeys(columns)))
        for key in row:
            if key in amounts:
                set_amount(row, key)

    def money_rows(self, block: CommentedMap) -> None:
        """A table of amounts: label, total, then its columns in their order; amount cells plain."""
        columns, amounts = [], []
        for column in block.get("columns") or []:
            label = column.get("label") if isinstance(column, CommentedMap) else column
            columns.append(str(label))
            kind = column.get("type", "amount") if isinstance(column, CommentedMap) else "amount"
            if kind == "amount":
                amounts.append(str(label))
        for row in block.get("rows") or []:
            if isinstance(row, CommentedMap):
                self.cells(row, ["label", "total", *columns], amounts)


def reorder(mapping: CommentedMap, order: list[str]) -> None:
    """Put *mapping*'s keys in *order*; a mapping with a key *order* does not know stays as it is.
    Comments are kept with the key they follow."""
    keys = list(mapping)
    if not set(keys) <= set(order):
        return
    wanted = sorted(keys, key=order.index)
    if wanted != keys:
        for key in wanted:
            mapping.move_to_end(key)


def set_amount(container, key) -> None:
    value = container[key]
    if not isinstance(value, str):
        return
    fixed = plain_amount(value)
    if fixed is not None:
        container[key] = PlainScalarString(fixed)
    elif isinstance(value, (DoubleQuotedScalarString, SingleQuotedScalarString)) and PLAIN_AMOUNT.fullmatch(value):
        container[key] = PlainScalarString(value)  # a quoted amount: the same text, unquoted


def format_text(text: str, kind: str, forms: dict[str, Form]) -> str:
    """The formatted text of a file of *kind* (see kind_of)."""
    lines = text.split("\n", 1)
    body = lines[1] if lines[0].startswith(MODELINE) and len(lines) > 1 else text
    data = round_trip_yaml().load(body)
    Formatter(forms).walk(data, FILES[kind][1])
    return dump_text(data, kind)


def yaml_files(paths: list[Path]) -> list[Path]:
    files = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and not p.name.startswith("."))
        else:
            files.append(path)
    return files


class FormSets:
    """The form sets of each data/ folder met, read once."""

    def __init__(self) -> None:
        self.by_root: dict[Path, dict] = {}

    def forms_of(self, document: Path, text: str) -> dict[str, Form]:
        root = document.resolve().parents[2]
        if root not in self.by_root:
            self.by_root[root] = Loader(root).load_form_sets(root / "forms")
        match = re.search(r"^form_set:\s*['\"]?([a-z0-9-]+)", text, re.M)
        form_set = self.by_root[root].get(match.group(1)) if match else None
        return form_set.forms if form_set else {}


LINK = "这是链接：fmt 只整理文件本身，不改链接指向的文件"


def fmt_command(paths: list[Path], check: bool) -> int:
    """Format the files under *paths* (or with *check*, list those that would change); 1 on any."""
    problems = changed = 0
    form_sets = FormSets()
    files = yaml_files(paths)
    for path in files:
        where = shown(path)
        if not path.exists():
            print(f"{where}: 没有这个文件或文件夹", file=sys.stderr)
            problems += 1
            continue
        kind = kind_of(path)
        if kind is None:
            print(
                f"{where}: 未整理：不是 data/ 中认识的文件（glossary.yaml、site.yaml、forms/*.yaml、"
                "<部门>/bureau.yaml、<部门>/<年度>/*.yaml）",
                file=sys.stderr,
            )
            problems += 1
            continue
        try:
            # Formatting writes the file: through a link it would rewrite whatever the link leads
            # to, anywhere. A FIFO or a device is never read (files.py), nor more than the limit.
            if path.is_symlink():
                raise Refused(LINK)
            data = read_limited(path, None, MAX_BYTES)
            text = decode(data, where)
            parse_text(text, where)  # what the loader refuses (tabs, anchors, duplicate keys) is not formatted
        except Refused as exc:
            print(f"{where}: 未整理：{exc.message}", file=sys.stderr)
            problems += 1
            continue
        except YamlProblem as exc:
            print(f"{exc.problem.mark}: 未整理，请先改正：{exc.problem.message}", file=sys.stderr)
            problems += 1
            continue
        forms = form_sets.forms_of(path, text) if kind == "document" else {}
        formatted = format_text(text, kind, forms)
        if formatted.encode("utf-8") == data:
            continue
        changed += 1
        if check:
            print(f"{where}: 格式需要整理（运行 python -m generator fmt {where}）")
        else:
            path.write_text(formatted, encoding="utf-8")
            print(f"{where}: 已整理")
    if not check:
        print(f"整理了 {changed} 个文件（共 {len(files)} 个）")
    elif not changed and not problems:
        print(f"{len(files)} 个文件的格式都已整齐")
    return 1 if problems or (check and changed) else 0
