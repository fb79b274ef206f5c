"""What the loader takes in a table of a form, as data for the form editor (site/admin/form-rules.json).

The form editor edits a table's `values`, `rows` and `totals` as YAML text (cms/admin/gongkai-cms.js).
Before a save, cms/admin/gongkai-tables.js checks that text as the loader binds it
(load/tables.py bind_form_table) and refuses what the loader would refuse, in the loader's words.
Nothing of the loader is typed a second time in JavaScript:

* how amounts and percentages are refused is declared as data (core/amounts.py NumberRules);
* every other message is the loader's own, read back here: the loader is run on probe tables
  whose form number, keys and typed text are markers, and the markers become {names} the editor
  fills in (`{form}的列中没有 '{word}'：…`);
* the forms' panels, fixed rows, columns and footers are those of the form sets the site is built from.

What stays JavaScript is the order the loader checks in (bind_form_table, ported) and difflib's
close match; tests/test_form_rules.py runs the editor's functions under node on the inputs the loader is
run on and compares the answers, message for message and line for line.
"""

from __future__ import annotations

import json
import re
import unicodedata

from ..core import amounts, problems
from ..core import text as characters
from ..core.headers import header_rows
from ..core.model import Column, ColumnGroup, FixedRow, FooterCell, Form, FormSet, IndicatorForm, Panel
from ..core.problems import Mark, Problems
from ..load import tables
from ..source import fields, schema
from ..source.fields import Context, Invalid, check_record
from ..source.yamlsource import describe, parse_text

FILE = "form-rules.json"  # beside config.yml in site/admin/

# ---- markers and templates ----


def marker(name: str) -> str:
    """A stand-in for *name* that nothing the loader writes contains, and that it accepts in a value
    (white square brackets: private-use characters, unique as they are, are refused now)."""
    return f"\u27e6{name}\u27e7"


def template(message: str, **parts: str) -> str:
    """*message* with each of *parts* (a text the loader was given) turned back into {name}.

    Longer parts first, so that a part holding another (a word and its close match) is taken whole.
    A part that is not in the message, or a marker left over, is a loader that no longer says what
    the editor expects: the build stops here rather than show the clerk a wrong message.
    """
    for name, text in sorted(parts.items(), key=lambda item: -len(item[1])):
        if text not in message:
            raise ValueError(f"form_rules: {text!r} ({name}) is not in the loader's message {message!r}")
        message = message.replace(text, "{" + name + "}")
    if "\u27e6" in message:
        raise ValueError(f"form_rules: a marker is left in {message!r}")
    return message


def read_back(pattern: str, message: str) -> dict[str, str]:
    """The parts of *message* that fill the {names} of *pattern*: template() undone."""
    regex = "".join(
        f"(?P<{piece[1:-1]}>.*?)" if re.fullmatch(r"\{\w+\}", piece) else re.escape(piece)
        for piece in re.split(r"(\{\w+\})", pattern)
    )
    found = re.fullmatch(regex, message, re.DOTALL)
    if found is None:
        raise ValueError(f"form_rules: the loader's message {message!r} does not read as {pattern!r}")
    return found.groupdict()


# ---- probes: the loader run on tables of made-up forms ----

FORM, ROW, WORD, TEXT, BEFORE = (marker(n) for n in ("form", "row", "word", "text", "before"))
OPTIONS = (marker("a"), marker("b"))  # two keys nothing typed comes close to
PANELS = (marker("p1"), marker("p2"))
HERE = Mark("probe", 1, 1)


def column(key: str, kind: str) -> Column:
    return Column(key, key, kind, None, HERE)


def probe_form(panels: list[Panel], footer: tuple[str, ...] = ()) -> Form:
    cells = [FooterCell(None, key, 1, HERE) for key in footer]
    return Form(FORM, "probe", "probe", "万元", None, [], panels, cells, HERE)


def fixed_panel(key: str, amounts_count: int = 1) -> Panel:
    columns = [column(marker("item"), "item")] + [column(marker(f"amount{n}"), "amount") for n in range(amounts_count)]
    return Panel(key, columns, [FixedRow(ROW, ROW, 1, 0, False, HERE)], HERE)


FIXED = probe_form([fixed_panel("main")], footer=OPTIONS)
FIXED_TWO_AMOUNTS = probe_form([fixed_panel("main", 2)])
FREE = probe_form([Panel("main", [column(marker("code"), "code"), column(marker("name"), "name")], None, HERE)])
PANELLED = probe_form([fixed_panel(PANELS[0]), fixed_panel(PANELS[1])])


def bound(form: Form, text: str) -> str:
    """The one message the loader gives for the table *text* (YAML) of *form*."""
    ctx = Context(Problems())
    raw = check_record(parse_text(f"form: probe\n{text}", "probe"), schema.FORM_TABLE, ctx)
    tables.bind_form_table(form, raw, ctx)
    messages = [problem.message for problem in ctx.problems.items]
    if len(messages) != 1:
        raise ValueError(f"form_rules: the probe {text!r} gave {messages!r}, not one message")
    return messages[0]


def node(text: str):
    return parse_text(text, "probe")


def invalid(call) -> str:
    try:
        call()
    except Invalid as exc:
        return exc.message
    raise ValueError("form_rules: the probe was not refused")


def table_messages() -> dict[str, str]:
    """The loader's messages about a table of a form, as templates of {names}."""
    found = {
        "mapping": describe(node("{a: 1}")),
        "list": describe(node("[1]")),
        "null": describe(node("a:").items[0][1]),
        "scalar": template(describe(node(f"'{TEXT}'")), text=TEXT),
    }
    what = marker("what")
    none = tables.unknown(WORD, list(OPTIONS), what)
    # How the loader lists the keys one could write: between the two probe keys.
    start, end = none.find(OPTIONS[0]) + len(OPTIONS[0]), none.find(OPTIONS[1])
    if start < len(OPTIONS[0]) or end < start:
        raise ValueError(f"form_rules: the keys {OPTIONS!r} are not in the loader's message {none!r} as a list")
    separator = none[start:end]
    listed = separator.join(OPTIONS)
    unknown = {
        "none": template(none, what=what, word=WORD, options=listed),
        "close": template(tables.unknown(WORD, [WORD + "x"], what), what=what, word=WORD, close=WORD + "x"),
    }
    not_mapping = template(invalid(lambda: tables.mapping(node("[1]"), what)), what=what, found=found["list"])

    def what_of(message: str) -> str:
        """The `what` of an unknown key's message (whose options were the probe's two keys)."""
        parts = read_back(unknown["none"], message)
        if parts["word"] != WORD or parts["options"] != listed:
            raise ValueError(f"form_rules: {message!r} is not the loader's message of an unknown key")
        return template(parts["what"], form=FORM)

    def what_of_mapping(message: str, **names: str) -> str:
        return template(read_back(not_mapping, message)["what"], **names)

    def keyed(panel_keys=(), row_keys=(), column_keys=()) -> Form:
        rows = [FixedRow(k, k, 1, 0, False, HERE) for k in row_keys or (ROW,)]
        columns = [column(k, "amount") for k in column_keys]
        return probe_form([Panel(k, columns, rows, HERE) for k in panel_keys or ("main",)])

    return {
        "unknown_none": unknown["none"],
        "unknown_close": unknown["close"],
        "separator": separator,
        "not_mapping": not_mapping,
        "found": found,
        # what an unknown key is not one of
        "panel_keys": what_of(bound(keyed(panel_keys=OPTIONS), f"values: {{{WORD}: }}")),
        "row_keys": what_of(bound(keyed(row_keys=OPTIONS), f"values: {{{WORD}: }}")),
        "column_keys": what_of(bound(keyed(column_keys=OPTIONS), f"values: {{{ROW}: {{{WORD}: }}}}")),
        "footer_keys": what_of(bound(FIXED, f"totals: {{{WORD}: }}")),
        "cut_number": template(bound(FIXED, f"values: {{{ROW}: {{39: }}}}"), word="39"),
        # what a part that is not a mapping should have been
        "panels_values": what_of_mapping(bound(PANELLED, "values: [1]"), panels=separator.join(PANELS)),
        "panels_rows": what_of_mapping(bound(PANELLED, "rows: [1]"), panels=separator.join(PANELS)),
        "fixed_values": what_of_mapping(bound(FIXED, "values: [1]"), form=FORM),
        "row_values": what_of_mapping(bound(FIXED, f"values: {{{ROW}: [1]}}"), row=ROW),
        "row": what_of_mapping(bound(FREE, "rows: [[1]]")),
        "totals": what_of_mapping(bound(FIXED, "totals: [1]"), form=FORM),
        # the rest, whole
        "rows_not_a_list": template(bound(FREE, "rows: {a: 1}"), form=FORM, found=found["mapping"]),
        "several_amounts": template(bound(FIXED_TWO_AMOUNTS, f"values: {{{ROW}: 1}}"), form=FORM, row=ROW, count="2"),
        "rows_of_fixed": template(bound(FIXED, "rows: []"), form=FORM),
        "values_of_free": template(bound(FREE, "values: {}"), form=FORM),
    }


def cell_messages() -> dict:
    """The loader's messages about one cell: not a single value, a code that is not one, empty text."""
    ctx = Context(Problems())

    def refused(kind: str, text: str) -> str:
        return invalid(lambda: tables.cell_value(column("c", kind), node(text), ctx))

    kinds = ("amount", "percent", "code", "name")

    def marked(text: str, kind: str = "amount") -> str:
        return invalid(lambda: tables.unreadable_value(kind, node(text)))

    unreadable = {
        "key": tables.UNREADABLE,
        "note_key": tables.UNREADABLE_NOTE,
        "not_here": marked("{unreadable: x}", "code"),
        "unknown": template(marked(f"{{unreadable: x, {TEXT}: 1}}"), text=TEXT),
        "readable": template(marked("{unreadable: '12.50'}"), text="12.50"),
        **{
            part: {
                "mapping": marked(f"{{{before}{key}: {{a: 1}}}}"),
                "list": marked(f"{{{before}{key}: [1]}}"),
                "empty": marked(f"{{{before}{key}: ''}}"),
            }
            for part, key, before in (
                ("text", tables.UNREADABLE, ""),
                ("note", tables.UNREADABLE_NOTE, "unreadable: x, "),
            )
        },
    }
    return {
        "unreadable": unreadable,
        "not_scalar": {
            kind: {found: refused(kind, text) for found, text in (("mapping", "{a: 1}"), ("list", "[1]"))}
            for kind in kinds
        },
        "code": template(refused("code", f"'{TEXT}'"), text=TEXT),
        "empty_text": refused("name", "''"),
        "code_pattern": fields._CODE.pattern,  # Code.convert's own pattern
    }


def _refused_ranges() -> list[tuple[int, int]]:
    """The code points core/characters.py refuses (its REFUSED class and the noncharacters), as ranges."""
    spec = characters.REFUSED + characters.NONCHARACTERS
    ranges, at = [], 0
    while at < len(spec):
        if at + 2 < len(spec) and spec[at + 1] == "-":
            ranges.append((ord(spec[at]), ord(spec[at + 2])))
            at += 3
        else:
            ranges.append((ord(spec[at]), ord(spec[at])))
            at += 1
    return ranges


def hidden_characters() -> dict:
    """The characters no reader sees that the loader refuses in any value (core/characters.py), named as
    it names them: ranges of code points with one name each, the exceptions its rule makes (tab
    and line feed; a joiner inside an emoji sequence; a flag's tags), and its two messages."""
    probe, private, before = "\u200b", "\ue000", "甲乙"  # the before-text: nothing a message says by itself
    named = {}
    for low, high in _refused_ranges():
        for point in range(low, high + 1):
            what = characters.describe_character(chr(point))
            named[point] = (what[what.index("（") :], unicodedata.category(chr(point)) == "Co")
    ranges: list[list] = []
    for point in sorted(named):
        name, is_private = named[point]
        if ranges and ranges[-1][1] == point - 1 and ranges[-1][2:] == [name, is_private]:
            ranges[-1][1] = point
        else:
            ranges.append([point, point, name, is_private])
    messages = {}
    for kind, char in (("", probe), ("private_", private)):
        what = characters.describe_character(char)
        messages[kind + "at_start"] = template(characters.refused_message(char), what=what)
        messages[kind + "after"] = template(characters.refused_message(before + char), before=before, what=what)
    longest = len(read_back(messages["after"], characters.refused_message("x" * 100 + probe))["before"])
    return {
        "ranges": ranges,
        "allowed": characters.ALLOWED,
        "joiner": characters.ZERO_WIDTH_JOINER,
        "emoji_tail": characters._EMOJI_TAIL,
        "flag": characters.BLACK_FLAG,
        "tags": [0xE0020, 0xE007E],
        "cancel_tag": characters.CANCEL_TAG,
        "before": longest,
        **messages,
    }


def digits_rule() -> dict:
    """How many significant digits an amount or a percentage may have (what the downloads carry
    exactly), and the loader's message when it has more."""
    probe = "1234567890123456"
    try:
        amounts.parse_amount(probe)
    except amounts.AmountError as exc:
        return {"most": amounts.SIGNIFICANT_DIGITS, "message": template(str(exc), text=probe, digits=str(len(probe)))}
    raise ValueError(f"form_rules: parse_amount no longer refuses {probe!r}: the editor's limit of digits is stale")


def number_rules(rules: amounts.NumberRules) -> dict:
    return {
        "accept": list(rules.accept),
        "refusals": [
            {
                "shape": r.shape,
                "message": r.message,
                "fix": [list(step) for step in r.fix],
                "fix_is_plain": r.fix_is_plain,
            }
            for r in rules.refusals
        ],
        "fallback": rules.fallback,
        "fold": rules.fold,
    }


def form_data(form: Form) -> dict:
    """A form as the loader binds a table to it: its panels (rows fixed or not, columns) and footer keys;
    and as it is printed, for the editor's grid: each panel's header (groups and 栏次) and fixed rows'
    labels, the footer's cells, the title and unit."""
    panels, start = [], 0
    for panel in form.panels:
        panels.append(
            {
                "key": panel.key,
                "rows": None if panel.rows is None else [row.key for row in panel.rows if row.key],
                "columns": [[c.key, c.type] for c in panel.columns],
                "header": printed_header(form.columns, start, start + len(panel.columns)),
                "numbers": [c.no or "" for c in panel.columns],
                "labels": None
                if panel.rows is None
                else [
                    [row.key, row.label or row.key, row.line, row.indent, row.total] for row in panel.rows if row.key
                ],
            }
        )
        start += len(panel.columns)
    return {
        "number": form.number,
        "title": form.title,
        "unit": form.unit,
        "single": form.single_panel,
        "panels": panels,
        "footer": [cell.key for cell in form.footer if cell.key],
        "footer_cells": [[cell.label, cell.key, cell.colspan] for cell in form.footer],
    }


def indicator_form_data(form: IndicatorForm) -> dict:
    """A 绩效 form's indicator table as printed, for the editor's grid of indicators: its columns
    (field and printed label, level columns first) and where its 分值 and 得分 are printed."""
    return {
        "name": form.name,
        "stage": form.stage,
        "columns": [[key, label] for key, label in form.columns],
        "scores_at": list(form.scores_at),
    }


def score_rule() -> dict:
    """分值 and 得分 (source/fields.py Score): an amount, refused below zero with the loader's message."""
    probe = "-1"
    message = invalid(lambda: fields.Score().convert(node(f"'{probe}'"), Context(Problems())))
    return {"negative": template(message, text=probe)}


def printed_header(tree: list, start: int, end: int) -> list[list[list]]:
    """The printed header rows ([label, colspan, rowspan]) over the leaf columns start…end of the
    header *tree*: a panel's share of the form's header, its groups cut to the columns it has."""
    at = 0

    def cut(nodes: list) -> list:
        nonlocal at
        kept = []
        for node in nodes:
            if isinstance(node, ColumnGroup):
                inner = cut(node.columns)
                if inner:
                    kept.append(ColumnGroup(node.label, inner, node.mark))
            else:
                if start <= at < end:
                    kept.append(node)
                at += 1
        return kept

    return [[[label, colspan, rowspan] for label, colspan, rowspan, _ in row] for row in header_rows(cut(tree))]


def form_rules(form_sets: dict[str, FormSet]) -> dict:
    return {
        "amount": number_rules(amounts.AMOUNT_RULES),
        "percent": number_rules(amounts.PERCENT_RULES),
        "plain_amount": amounts.PLAIN_AMOUNT.pattern,
        "space": amounts.SPACE,
        "excerpt": problems.EXCERPT,  # what was typed is quoted at most this long (problems.excerpt)
        "hidden": hidden_characters(),
        "cell": cell_messages(),
        "digits": digits_rule(),
        "table": table_messages(),
        "score": score_rule(),
        "indicator_forms": {
            name: {form_name: indicator_form_data(form) for form_name, form in form_set.indicator_forms.items()}
            for name, form_set in sorted(form_sets.items())
            if form_set.indicator_forms
        },
        "form_sets": {
            name: {number: form_data(form) for number, form in form_set.forms.items()}
            for name, form_set in sorted(form_sets.items())
        },
    }


def rules_text(form_sets: dict[str, FormSet]) -> str:
    """form-rules.json: Chinese as it reads, the characters no one sees (which the rules name) escaped."""
    text = json.dumps(form_rules(form_sets), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    return "".join(char if char.isprintable() or char == "\n" else escaped(char) for char in text)


def escaped(char: str) -> str:
    """*char* as a JSON escape (a character above U+FFFF as its UTF-16 pair, as JSON has it)."""
    units = char.encode("utf-16-be")
    return "".join(f"\\u{int.from_bytes(units[i : i + 2]):04x}" for i in range(0, len(units), 2))
