"""The form editor refuses in a table of a form what the loader refuses, with the loader's messages.

cms/admin/gongkai-tables.js checks the YAML text of a table's values, rows and totals before a save,
from the rules the build writes into site/admin/form-rules.json (generator/editing/form_rules.py).
Here its functions run under node on the same inputs as the loader (load/tables.py
bind_form_table, core/amounts.py, difflib), and the answers are compared: message for message and
line for line. The browser test in test_cms.py saves through the page itself.
"""

from __future__ import annotations

import difflib
import json
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.core import amounts
from generator.core.amounts import AmountError, parse_amount, parse_percent
from generator.core.headers import header_rows
from generator.core.problems import Problems
from generator.core.text import refused_message
from generator.editing import cms, form_rules
from generator.load import tables
from generator.load.loader import Loader, load_site
from generator.source import fields, schema
from generator.source.fields import Context, check_record
from generator.source.yamlsource import parse_text

from helpers import DATA

FORM_SETS = Loader(DATA).load_form_sets(DATA / "forms")
RULES = form_rules.form_rules(FORM_SETS)
JUESUAN, YUSUAN = FORM_SETS["hunan-juesuan-2020"], FORM_SETS["hubei-yusuan-2020"]

RUNNER = """
import { readFileSync } from 'node:fs';
import * as tables from '%s';
const { rules, calls } = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const out = calls.map(([name, ...args]) => {
  try { return name === "closeMatch" ? tables[name](...args) : tables[name](rules, ...args); } catch (error) { return `error: ${error.message}`; }
});
console.log(JSON.stringify(out));
"""


def in_node(tmp_path: Path, calls: list[list], rules: dict = RULES) -> list:
    """Each call [function, args…] of gongkai-tables.js made under node with *rules* first: the answers."""
    script = tmp_path / "tables.mjs"
    script.write_text(RUNNER % (cms.ADMIN / "gongkai-tables.js").as_uri(), encoding="utf-8")
    given = tmp_path / "calls.json"
    given.write_text(json.dumps({"rules": rules, "calls": calls}, ensure_ascii=False), encoding="utf-8")
    node = shutil.which("node")
    assert node, "node is needed for the form editor (Debian: apt-get install nodejs)"
    done = subprocess.run([node, str(script), str(given)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def loader_problems(form, text: str) -> list[list]:
    """[line, message] of what the loader says of a table written as *text* (form:, values:, rows:…)."""
    ctx = Context(Problems())
    raw = check_record(parse_text(text, "table.yaml"), schema.FORM_TABLE, ctx)
    assert raw is not None, [str(p) for p in ctx.problems.items]
    tables.bind_form_table(form, raw, ctx)
    return [[p.mark.line, p.message] for p in ctx.problems.items]


def editor_problems(tmp_path, cases: list[tuple]) -> list[list[list]]:
    calls = [["tableTextProblems", form_rules.form_data(form), text] for form, text in cases]
    return [[[p["line"], p["message"]] for p in found] for found in in_node(tmp_path, calls)]


# (form, table text): what the issue saw, and each kind of refusal of bind_form_table.
G07 = JUESUAN.forms["公开07表"]
G07_ROW = (
    "预算合计: 2.29, 预算因公出国境费: 0.00, 预算公务用车小计: 0.00, 预算公务用车购置费: 0.00, "
    "预算公务用车运行费: 0.00, 预算公务接待费: 2.29, 决算合计: 2.29, 决算因公出国境费: 0.00, "
    "决算公务用车小计: 0.00, 决算公务用车购置费: 0.00, 决算公务用车运行费: 0.00"
)
CASES = [
    # the issue: a decimal comma, a mis-selected key with no value, full-width digits
    (G07, f"form: 公开07表\nrows:\n  - {{{G07_ROW}, 决算公务接待费: 2,39}}\n"),
    (G07, f"form: 公开07表\nrows:\n  - {{{G07_ROW}, 决算公务接待２.３９}}\n"),
    (G07, f"form: 公开07表\nrows:\n  - {{{G07_ROW}, 决算公务接待费: ２.３９}}\n"),
    (G07, f"form: 公开07表\nrows:\n  - {{{G07_ROW}, 决算公务接待费: 2.39}}\n"),  # fine
    # fixed rows by panel: unknown panel, row and column keys (with and without a close match),
    # a thousands separator, a row given several amounts as one, a row as a list
    (
        JUESUAN.forms["公开01表"],
        "form: 公开01表\nvalues:\n  收入:\n    一般公共预算财政拨款收入: 29,455.67\n    其他收人: 1\n    总计: ''\n"
        "  支出:\n    卫生健康支出: {金额: 1, 合计: 2}\n    xyz: 3\n    总计: [1]\n  收支: {}\n",
    ),
    (
        JUESUAN.forms["公开04表"],
        "form: 公开04表\nvalues:\n  支出:\n    一般公共服务支出: 5\n    外交支出: {合计: 1.234, 一般公共预算: 1}\n"
        "    国防支出:\n  收入: {一般公共预算财政拨款: 1}\n",
    ),
    # rows: codes, names, hidden characters, a row that is not a mapping, rows that are not a list
    (
        JUESUAN.forms["公开02表"],
        'form: 公开02表\nrows:\n  - {科目名称: 合计, 本年收入合计: 1}\n  - {科目编码: "20８", 科目名称: "养老\u200b支出"}\n'
        "  - {科目编码: 208, 科目名称: '', 本年收入合计: (5.00)}\n  - [1]\n  - 合计\n  - {39: , 1.5: x, 本年收入: 1}\n"
        "  - {科目编码: {a: 1}, 科目名称: [x], 本年收入合计: 12.00万元, 财政拨款收入: ' 1 2 '}\n",
    ),
    (JUESUAN.forms["公开02表"], "form: 公开02表\nrows: {科目名称: 合计}\n"),
    (JUESUAN.forms["公开02表"], "form: 公开02表\nrows:\nvalues: {a: 1}\n"),
    (JUESUAN.forms["公开01表"], "form: 公开01表\nvalues:\nrows: []\n"),
    (JUESUAN.forms["公开01表"], "form: 公开01表\nrows: {收入: [], 支出: {}}\n"),
    # panels of rows and a footer: unknown and badly written totals (the first bad amount stops the table)
    (
        JUESUAN.forms["公开06表"],
        "form: 公开06表\nrows:\n  人员经费: [{科目编码: '301', 科目名称: 工资福利支出, 决算数: 1.5}]\n  公用经费:\n"
        "  公用经费叙: []\ntotals: {人员经费合计: 1.5, 公用经费: 2, 公用经费合计: 2.5.0, 人员经费合计2: 1}\n",
    ),
    (JUESUAN.forms["公开06表"], "form: 公开06表\nrows: [1]\ntotals: [1]\n"),
    (JUESUAN.forms["公开06表"], "form: 公开06表\ntotals:\n"),
    # cells marked unreadable: as they should be, and each way of writing one that is refused
    (
        JUESUAN.forms["公开02表"],
        "form: 公开02表\nrows:\n  - {科目名称: 合计, 本年收入合计: {unreadable: 48.5044.05, note: 两个数连在一起}}\n"
        "  - {科目编码: '208', 科目名称: {unreadable: x}, 本年收入合计: {unreadable: '12.50'}}\n"
        "  - {科目编码: '209', 本年收入合计: {unreadable: '2,549.18'}, 财政拨款收入: {unreadable: 1.2.3, nota: x}}\n"
        "  - {科目编码: '210', 本年收入合计: {unreadable: }, 财政拨款收入: {unreadable: [1]}}\n"
        "  - {科目编码: '211', 本年收入合计: {unreadable: 1.2.3, note: ''}, 财政拨款收入: {note: x, unreadable: {a: 1}}}\n"
        '  - {科目编码: "212", 本年收入合计: {unreadable: "1.2\u200b3"}}\n'
        "  - {科目编码: '213', 本年收入合计:\n      {unreadable: 1.2.3,\n       other: 1}}\n",
    ),
    (
        JUESUAN.forms["公开01表"],
        "form: 公开01表\nvalues:\n  收入:\n    一般公共预算财政拨款收入: {unreadable: 29455.6.7}\n"
        "    政府性基金预算财政拨款收入:\n      unreadable: 3.3.3\n      bad: 1\n",
    ),
    (
        JUESUAN.forms["公开06表"],
        "form: 公开06表\ntotals: {人员经费合计: {unreadable: 1.2.3}, 公用经费合计: {unreadable: 4.5.6, x: 1}}\n",
    ),
    (JUESUAN.forms["公开06表"], "form: 公开06表\ntotals: {人员经费合计: {unreadable: '1'}}\n"),
    # the other form set
    (
        YUSUAN.forms["表1"],
        "form: 表1\nvalues:\n  收入:\n    一般公共预算拨款收入: 1\n    财政拨款: true\n    本年收入合计: 'true'\n",
    ),
]


def test_the_editor_refuses_in_a_table_what_the_loader_refuses_with_its_messages_at_its_lines(tmp_path):
    expected = [loader_problems(form, text) for form, text in CASES]
    assert expected[:4] == [
        [[3, "'39' 像是被逗号截断的数字的一部分：{…} 里逗号用来分隔各格，所以金额不要带千分位逗号"]],
        [[3, "公开07表的列中没有 '决算公务接待２.３９'：是不是要写 '决算公务接待费'？"]],
        [[3, "'２.３９' 用了全角字符：请写成 2.39"]],
        [],
    ]
    assert sum(len(found) for found in expected) >= 35  # every kind of refusal is in there
    assert editor_problems(tmp_path, CASES) == expected


def test_every_table_of_every_document_in_data_passes_the_editor_as_it_passes_the_loader(tmp_path):
    site, problems = load_site(DATA)
    assert not problems.errors
    cases = []
    for path in sorted(DATA.glob("*/[0-9][0-9][0-9][0-9]/*.yaml")):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"^( +)table:\n((?:\1  .*\n|\s*\n)+)", text, re.M):
            body = "".join(line[len(match.group(1)) + 2 :] + "\n" for line in match.group(2).splitlines())
            found = re.search(r"^form: (\S+)", body, re.M)
            named = re.search(r"^form_set: (\S+)", text, re.M)
            forms = FORM_SETS[named.group(1)].forms if named else {}
            # a 绩效 table's form (indicator_forms) is not one the editor's table rules cover
            if found and found.group(1) in forms:
                cases.append((forms[found.group(1)], body))
    assert len(cases) >= 15
    assert editor_problems(tmp_path, cases) == [[] for _ in cases]


def test_a_text_box_says_the_line_of_its_own_text_and_an_empty_box_is_blank_only_where_the_file_has_the_key(
    tmp_path,
):
    rows = "- {科目名称: 合计, 本年收入合计: 1}\n# 注释\n- {科目编码: 208, 科目名称: 社会保障和就业支出, 本年收入合计: 1,5}\n"
    g01, g02 = form_rules.form_data(JUESUAN.forms["公开01表"]), form_rules.form_data(JUESUAN.forms["公开02表"])
    calls = [
        ["textProblems", g02, "rows", rows],
        ["textProblems", g01, "values", "", False],  # emptied: written `values:`
        ["textProblems", g01, "values", "# 空\n", True],  # left empty, the file has no values: nothing written
        ["textProblems", g01, "values", "收入: [1\n"],  # not YAML: its box says so
    ]
    assert in_node(tmp_path, calls) == [
        [{"line": 3, "message": "'5' 像是被逗号截断的数字的一部分：{…} 里逗号用来分隔各格，所以金额不要带千分位逗号"}],
        [{"line": 1, "message": loader_problems(JUESUAN.forms["公开01表"], "form: 公开01表\nvalues:\n")[0][1]}],
        [],
        [],
    ]


# ---- amounts, percentages and cells: the same text, the same answer ----


def sample_texts() -> list[str]:
    """What a clerk may type into an amount: the refusals' own examples and random mixtures."""
    pieces = list("0123456789.,-+ %()元万无—－/") + [
        *"０１９．，（）％",
        "\u00a0",
        "\u3000",
        "\t",
        "\n",
        "\u2009",
        "\x85",
        "\ufeff",
        "e",
        "——",
        "12",
        "000",
    ]
    chosen = random.Random(17)
    texts = {"".join(chosen.choice(pieces) for _ in range(chosen.randint(0, 8))) for _ in range(6000)}
    texts |= {"2,549.18", "２，５４９．１８", "1,23,456.00", "12.345,67", "12,00", "（12.00）", "010", " 12.5 ", "5%"}
    texts |= {"１２．５％", "12.5", "0", "-0", "", "2\u00a0549.18", "2 549", "\u3000１\u3000", "1.234"}
    # long texts, one with a second line: a message quotes only an excerpt of what was typed
    texts |= {"１" * 60, "1,234" * 20, "12,00\n" + "x" * 50, "𠀀" * 45 + "元"}
    return sorted(texts)


def python_refusal(parse, text: str) -> str | None:
    try:
        parse(text)
    except AmountError as exc:
        return str(exc)
    return None


def test_amounts_and_percentages_are_refused_alike_with_the_same_advice(tmp_path):
    texts = sample_texts()
    calls = [["refused", RULES[kind], text] for kind in ("amount", "percent") for text in texts]
    answers = in_node(tmp_path, calls)
    expected = [python_refusal(parse, text) for parse in (parse_amount, parse_percent) for text in texts]
    assert sum(answer is None for answer in expected) >= 100 and sum(answer is not None for answer in expected) >= 5000
    assert answers == expected


def test_cells_of_each_type_are_refused_alike(tmp_path):
    """A cell as the loader converts it: invisible characters first, then the column's own reading."""
    values = [
        *sample_texts()[:400],
        "养老\u200b支出",
        "\u202e局保医",
        "ab\x07",
        "x" * 30 + "\ufeff",
        "208",
        " 2101301 ",
        "",
    ]
    values += ["一二\u2061三", "'", "20８", "1" * 13]
    # numbers beyond what the downloads carry exactly (15 significant digits), and just within
    values += ["1234567890123456", " -12345678901234.56 ", "123456789012345", "1234567890123.40", "1" + "0" * 20]
    values += ["1234567890123456%", "１２３４５６７８９０１２３４５６７％", "99.1234%", "0.0001%"]
    calls, expected = [], []
    for kind in ("amount", "percent", "code", "name", "text", "item"):
        column = tables.Column("c", "c", kind, None, None)
        for value in [*values, {"a": "1"}, ["1"]]:
            calls.append(["cellProblem", kind, value])
            node = parse_text(json.dumps(value), "cell")  # \u escapes: YAML reads U+0085 in a line as a break
            try:
                tables.cell_value(column, node, Context(Problems()))
                expected.append(None)
            except fields.Invalid as exc:
                expected.append(exc.message)
    assert in_node(tmp_path, calls) == expected


def test_the_close_match_of_an_unknown_key_is_difflibs(tmp_path):
    chosen = random.Random(20)
    alphabet = "预算决算合计公务接待费用车２３.1ab"

    def near(word: str) -> str:  # a key mistyped: a character changed, dropped or added
        at = chosen.randint(0, len(word))
        return word[:at] + chosen.choice(["", chosen.choice(alphabet)]) + word[at + chosen.randint(0, 2) :]

    calls, expected = [], []
    for _ in range(1500):
        word = "".join(chosen.choice(alphabet) for _ in range(chosen.randint(0, 12)))
        options = ["".join(chosen.choices(alphabet, k=chosen.randint(1, 9))) for _ in range(3)]
        options += [near(near(word)), near(word)][: chosen.randint(0, 2)]  # none, one or two near it
        calls.append([word, options, 0.5])
    long_word = "".join(chosen.choice("收入支出") for _ in range(260))  # difflib drops popular characters from 200 on
    for option in (long_word[:250], long_word[10:], "收" * 260, long_word[::-1]):
        calls.append([long_word, [option, option[:-5]], 0.5])
    for word, options, cutoff in calls:
        close = difflib.get_close_matches(word, options, n=1, cutoff=cutoff)
        expected.append(close[0] if close else None)
    # closeMatch takes no rules: the runner passes it None first
    answers = in_node(tmp_path, [["closeMatch", *call] for call in calls], rules=None)
    assert 300 <= sum(answer is not None for answer in expected) <= 1200
    assert answers == expected


# ---- form-rules.json: from the loader, and only from it ----


def test_the_rules_are_the_loaders_and_follow_a_change_of_its_words(monkeypatch):
    assert RULES["table"]["unknown_close"] == "{what}中没有 '{word}'：是不是要写 '{close}'？"
    assert RULES["table"]["column_keys"] == "{form}的列"
    assert RULES["amount"]["refusals"][0]["message"] == amounts.AMOUNT_RULES.refusals[0].message
    # The loader says it otherwise: the editor's message follows, nothing in JavaScript to change.
    said = tables.unknown
    monkeypatch.setattr(tables, "unknown", lambda word, options, what: "没有这一项：" + said(word, options, what))
    assert form_rules.table_messages()["unknown_close"] == "没有这一项：{what}中没有 '{word}'：是不是要写 '{close}'？"
    # It words a message so that the parts it is given cannot be found: the build stops.
    monkeypatch.setattr(tables, "unknown", lambda word, options, what: f"{what}：没有这一项")
    with pytest.raises(ValueError, match="not in the loader's message"):
        form_rules.table_messages()


def test_every_character_the_loader_hides_is_named_for_the_editor(tmp_path):
    """The editor refuses exactly the characters core/text.py refuses, with its words: every
    character of the Basic Multilingual Plane alone and after a word, the astral ranges' ends, and
    the sequences the rule lets through (a joiner inside an emoji, a flag's tags)."""
    texts = [chr(c) for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF]
    texts += ["金额" + chr(c) for c in range(0x0, 0x3000)]
    texts += [chr(c) for c in (0xE0001, 0xE0020, 0xE007F, 0xF0000, 0x10FFFD, 0x1FFFE, 0x20000, 0x1F600)]
    texts += ["👨\u200d👩\u200d👧", "👍🏽\u200d👍", "a\u200db", "🏴\U000e0067\U000e0062\U000e007f", "x\U000e0067"]
    texts += ["第一行\n" + "很长的一行文字" * 3 + "\u00ad", "\t制表\n换行"]
    answers = in_node(tmp_path, [["hiddenCharacter", text] for text in texts])
    assert answers == [refused_message(text) for text in texts]
    assert sum(answer is not None for answer in answers) > 600
    assert refused_message("\u200b") == "在行首有一个看不见的字符 U+200B（零宽空格）：请删掉它"
    text = form_rules.rules_text(FORM_SETS)
    assert json.loads(text) == RULES
    assert all(char.isprintable() or char == "\n" for char in text)  # no invisible character in the file
    assert amounts.SPACE == form_rules.amounts.SPACE
    spaces = {chr(c) for c in range(0x110000) if chr(c).isspace()}
    assert spaces == {chr(c) for c in range(0x110000) if re.fullmatch(amounts.SPACE, chr(c))}


# ---- the grid's header: the form as printed ----


def test_the_grid_prints_each_panels_share_of_the_forms_header_with_its_numbers_and_rows():
    g07 = form_rules.form_data(G07)
    (panel,) = g07["panels"]
    assert panel["header"][0] == [["预算数", 6, 1], ["决算数", 6, 1]]
    assert panel["header"][1][:3] == [["合计", 1, 2], ["因公出国(境)费", 1, 2], ["公务用车购置及运行费", 3, 1]]
    assert panel["header"][2][:3] == [["小计", 1, 1], ["公务用车购置费", 1, 1], ["公务用车运行费", 1, 1]]
    assert panel["numbers"] == [str(n) for n in range(1, 13)]
    for form_set in FORM_SETS.values():
        for form in form_set.forms.values():
            data = form_rules.form_data(form)
            printed = header_rows(form.columns)
            if form.single_panel:
                assert data["panels"][0]["header"] == [[list(cell[:3]) for cell in row] for row in printed]
            for panel, shown in zip(form.panels, data["panels"], strict=True):
                # each leaf column of the panel is under its own header, as wide as the panel
                spans = [
                    sum(cell[1] for cell in row if cell[2] == len(shown["header"]) - level)
                    for level, row in enumerate(shown["header"])
                ]
                assert sum(spans) == len(panel.columns), (form.number, panel.key)
                assert sum(cell[1] for cell in shown["header"][0]) == len(panel.columns)
                assert shown["numbers"] == [c.no or "" for c in panel.columns]
                if panel.rows is not None:
                    assert [label[0] for label in shown["labels"]] == shown["rows"]
    g06 = form_rules.form_data(JUESUAN.forms["公开06表"])
    assert [p["header"][0] for p in g06["panels"]] == [[["人员经费", 3, 1]], [["公用经费", 3, 1]], [["公用经费", 3, 1]]]
    assert g06["footer_cells"][:2] == [["人员经费合计", None, 2], [None, "人员经费合计", 1]]
    g01 = form_rules.form_data(JUESUAN.forms["公开01表"])
    assert g01["panels"][1]["labels"][0] == ["一般公共服务支出", "一、一般公共服务支出", 32, 0, False]


def test_each_indicator_form_is_written_with_its_printed_columns_and_where_its_scores_are():
    for name, form_set in FORM_SETS.items():
        written = RULES["indicator_forms"].get(name, {})
        assert written.keys() == form_set.indicator_forms.keys()
        for form_name, form in form_set.indicator_forms.items():
            assert written[form_name]["columns"] == [[key, label] for key, label in form.columns]
            assert written[form_name]["scores_at"] == list(form.scores_at)
    zhengti = RULES["indicator_forms"]["hunan-jixiao-2020"]["部门整体自评表"]
    assert [label for _, label in zhengti["columns"]][:3] == ["一级指标", "二级指标", "三级指标"]
    with pytest.raises(fields.Invalid) as refused:
        fields.Score().convert(parse_text("'-2.5'", "probe"), Context(Problems()))
    assert form_rules.read_back(RULES["score"]["negative"], refused.value.message) == {"text": "-2.5"}
