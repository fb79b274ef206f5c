"""Reading YAML: hostile and broken files give one clear problem at file:line:col."""

import pytest

from generator.source.yamlsource import Mapping, Scalar, YamlProblem, decode, parse_text


def problem(text: str) -> str:
    with pytest.raises(YamlProblem) as info:
        parse_text(text, "f.yaml")
    return str(info.value)


def test_values_stay_the_text_typed():
    root = parse_text("%YAML 1.1\n---\n是否公开: NO\ncode: 010\ntime: 1:20\namount: 2549.10\n", "f.yaml")
    assert isinstance(root, Mapping)
    assert [(k.text, v.text) for k, v in root.items] == [
        ("是否公开", "NO"),
        ("code", "010"),
        ("time", "1:20"),
        ("amount", "2549.10"),
    ]


def test_marks_count_from_one():
    root = parse_text("a: 1\nb:\n  c: x\n", "f.yaml")
    inner = root.get("b")
    assert isinstance(inner, Mapping)
    value = inner.get("c")
    assert isinstance(value, Scalar) and (value.mark.line, value.mark.column) == (3, 6)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("amount: 1\namount: 2\n", "f.yaml:2:1: 键 'amount' 重复了（第 1 行已写过）：删掉一个，或合并成一个"),
        ("a:\n  amount: 1\n  amount: 2\n", "f.yaml:3:3: 键 'amount' 重复了（第 2 行已写过）"),
        ('name: a\n"name": b\n', "f.yaml:2:1: 键 'name' 重复了（第 1 行已写过）"),
        ("a: &x 1\nb: *x\n", "f.yaml:1:4: 不支持锚点（&名称）：请把值完整写出来"),
        ("base: {a: 1}\nc:\n  <<: {b: 2}\n", "f.yaml:3:3: 不支持合并键（<<）：请把各个值完整写出来"),
        ("a: !!python/object/apply:os.system [ls]\n", "f.yaml:1:4: 不支持 YAML 标签"),
        ("a: !foo x\n", "f.yaml:1:4: 不支持 YAML 标签"),
        ("a: !!binary aGVsbG8=\n", "f.yaml:1:4: 不支持 YAML 标签"),
        ("a: 1\n---\nb: 2\n", "f.yaml:2:1: 文件中有不止一个 YAML 文档（---）：只保留一个"),
        ("", "f.yaml:1:1: 文件是空的"),
        ("# only a comment\n", "f.yaml:1:1: 文件是空的"),
        ("a:\n\t- b\n", "f.yaml:2:1: 不能用 Tab 缩进：请把行首的 Tab 换成空格"),
        ("? [a, b]\n: 1\n", "f.yaml:1:3: 键只能是文字，不能是列表或“键: 值”"),
        ("a: [1, 2\n", "f.yaml:1:4: 方括号没有配对：第 1 行第 4 列的 [ 没有对应的 ]"),
    ],
)
def test_bad_structure_is_one_clear_problem(text, expected):
    assert problem(text).startswith(expected)


@pytest.mark.parametrize("depth", [400, 500, 5000])
def test_deep_nesting_is_refused_cleanly(depth):
    assert "嵌套超过 40 层：请检查缩进" in problem("[" * depth + "]" * depth)
    block = "".join("  " * i + f"k{i}:\n" for i in range(depth)) + "  " * depth + "v\n"
    assert "嵌套超过 40 层：请检查缩进" in problem(block)


def test_billion_laughs_never_expands():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev = chr(ord("a") + i - 1)
        lines.append(f"{chr(ord('a') + i)}: &{chr(ord('a') + i)} [{','.join(['*' + prev] * 9)}]")
    assert "不支持锚点（&名称）" in problem("\n".join(lines))


def test_utf8_bom_and_crlf_are_accepted():
    text = decode("\ufeffa: 1\r\nb: 2\n".encode("utf-8"), "f.yaml")
    root = parse_text(text, "f.yaml")
    assert root.get("b").mark.line == 2


@pytest.mark.parametrize(
    "data, expected",
    [
        ("名称: 医保局\n".encode("utf-16"), "f.yaml:1:1: 文件是 UTF-16 编码：请另存为 UTF-8 编码"),
        ("a: 1\n名称: 医保局\n".encode("gbk"), "f.yaml:2:1: 文件不是有效的 UTF-8 编码：看来是 GBK/GB18030 编码"),
        (b"a: 1\nb: \xff\xfe\xfd\n", "f.yaml:2:4: 文件不是有效的 UTF-8 编码：请另存为 UTF-8 编码"),
    ],
)
def test_wrong_encodings_say_what_to_do(data, expected):
    with pytest.raises(YamlProblem) as info:
        decode(data, "f.yaml")
    assert str(info.value).startswith(expected)


def test_control_characters_are_refused():
    assert problem("a: \x07bell\n").startswith("f.yaml:1:4: 这里有不允许的控制字符 U+0007（看不见的字符）：请删掉它")


def test_a_very_long_line_is_read():
    root = parse_text("a: " + "长" * 200_000 + "\n", "f.yaml")
    assert len(root.get("a").text) == 200_000


@pytest.mark.parametrize(
    "text, expected",
    [
        ("a:1\nb: 2\n", "f.yaml:2:2: 这里不能有冒号：键后面写“: ”（冒号后要有空格）"),
        ("title: 部门决算: 说明\n", "f.yaml:1:12: 这里不能有冒号"),
        ("a:\n  b: 1\n c: 2\n", "f.yaml:3:2: 缩进不一致：第 3 行第 2 列的缩进少了 1 个空格，同一层的键要对齐"),
        ("a:\n  - x: 1\n   y: 2\n", "f.yaml:3:4: 缩进不一致：第 3 行第 4 列的缩进少了 1 个空格"),
        (
            'a: "没有结尾的引号\nb: 2\n',
            'f.yaml:1:4: 引号没有配对：第 1 行第 4 列的引号“"”没有结尾的引号，请在值的末尾补上 "',
        ),
        ("a: '没有结尾的引号\nb: 2\n", "f.yaml:1:4: 引号没有配对：第 1 行第 4 列的引号“'”"),
        ("a: 1\nb\nc: 2\n", "f.yaml:3:1: 缺少冒号：键后面要写“: ”"),
        ("a: {x: 1\nb: 3\n", "f.yaml:1:4: 花括号没有配对：第 1 行第 4 列的 { 没有对应的 }"),
        ("a: [1,,2]\n", "f.yaml:1:7: 这里缺少值：请检查 [ ] 或 { } 是否配对，两个逗号之间是否漏了值"),
        ("a: @x\n", "f.yaml:1:4: 值不能以这个字符开头（如 @、`、%）：请给整个值加引号"),
        ('a: "C:\\q"\n', "f.yaml:1:7: 双引号里的 \\ 后面的字符不认识"),
        ("a:\n\tb: 1\n", "f.yaml:2:1: 不能用 Tab 缩进：请把行首的 Tab 换成空格"),
        ("%FOO x\na: 1\n", "f.yaml:1:5: 行首的 % 有特殊含义：以 % 开头的文字请加引号"),
        ("a: |x\n  y\n", "f.yaml:1:5: | 或 > 后面要直接换行"),
        ("a: *\n", "f.yaml:1:5: 以 * 开头的值有特殊含义：请给整个值加引号"),
        ("{a: 1}}\n", "f.yaml:1:7: 这一行多出了内容"),
        # a problem the table does not explain: libyaml's words, said to be a YAML syntax error
        ("a: !<x\n", "f.yaml:1:7: YAML 格式错误：while scanning a tag did not find the expected '>'"),
    ],
)
def test_yaml_syntax_errors_are_explained_in_chinese(text, expected):
    assert problem(text).startswith(expected)


# The slips of someone typing Chinese, as a clerk made them in a real document: libyaml notices each
# a line or more later, and the message names the line and the character at fault.
SECTION = "parts:\n  - title: 第一部分 概况\n    sections:\n      - title: 一、部门职责\n        body: 职责\n"
TABLE = (
    "      - title: 七、“三公”经费支出决算表\n"
    "        table:\n"
    "          form: 公开07表\n"
    "          values:\n"
    "            合计: {预算数: 2.39}\n"
    "          rows:\n"
    "            - {科目编码: '201', 科目名称: 一般公共服务支出, 合计: 1.00}\n"
)


@pytest.mark.parametrize(
    "text, expected",
    [
        (  # a full-width colon after a key: the parser stops at the next line's key
            SECTION.replace("  - title: 第一部分", "  - title： 第一部分"),
            "f.yaml:2:10: 第 2 行第 10 列的全角冒号“：”应为半角“:”后加空格",
        ),
        (
            SECTION.replace("      - title: 一、部门职责", "      - title：一、部门职责"),
            "f.yaml:4:14: 第 4 行第 14 列的全角冒号“：”应为半角“:”后加空格",
        ),
        (  # in a table's figures, where the next row makes it a syntax error
            "values:\n  收入:\n    一般公共预算财政拨款收入：29455.67\n    其他: 1\n",
            "f.yaml:3:17: 第 3 行第 17 列的全角冒号“：”应为半角“:”后加空格",
        ),
        (  # a sentence's full-width colon is no slip: the brace left open is
            "glossary:\n  - 术语：解释\n  - {term: x, definition: y\nb: 1\n",
            "f.yaml:3:5: 花括号没有配对：第 3 行第 5 列的 { 没有对应的 }",
        ),
        (  # a full-width comma between the entries of a row
            TABLE.replace("科目编码: '201',", "科目编码: '201'，"),
            "f.yaml:7:27: 第 7 行第 27 列的全角逗号“，”应为半角逗号“,”",
        ),
        (  # a full-width quote that was meant to protect a colon
            SECTION.replace("body: 职责", "body: “职责: 医疗保障”"),
            "f.yaml:5:15: 第 5 行第 15 列的全角引号 “ 不起引号的作用：值里有冒号、逗号或 # 时，请用半角引号",
        ),
        (  # form: two spaces short: read as table's sibling, the parser stops at values:
            TABLE.replace("          form: 公开07表", "        form: 公开07表"),
            "f.yaml:3:9: 缩进不一致：第 3 行第 9 列的缩进少了 2 个空格，上一行的键下面的内容要比它多缩进",
        ),
        (  # values: two spaces too many
            TABLE.replace("          values:", "            values:"),
            "f.yaml:4:13: 缩进不一致：第 4 行第 13 列的缩进多了 2 个空格，同一层的键要对齐",
        ),
        (  # a title with no closing quote: the parser stops at the end of the file
            SECTION.replace("  - title: 第一部分 概况", '  - title: "第一部分 概况'),
            'f.yaml:2:12: 引号没有配对：第 2 行第 12 列的引号“"”没有结尾的引号，请在值的末尾补上 "',
        ),
        (  # an opening quote paired by the next quote in the file, lines later
            SECTION.replace("  - title: 第一部分 概况", '  - title: "第一部分 概况') + '      - title: "二、机构"\n',
            'f.yaml:2:12: 引号没有配对：第 2 行第 12 列的引号“"”在这一行没有结尾的引号',
        ),
    ],
)
def test_a_slip_is_named_where_it_is_not_where_the_parser_stops(text, expected):
    assert problem(text).startswith(expected)


@pytest.mark.parametrize("quote", ['"', "'"])
def test_a_value_with_only_a_closing_quote_is_refused_at_the_quote(quote):
    text = SECTION.replace("      - title: 一、部门职责", f"      - title: 一、部门职责说明{quote}")
    assert problem(text).startswith(f"f.yaml:4:24: 值 '一、部门职责说明{quote}' 以引号 {quote} 结尾却不以它开头")


def test_quotes_inside_a_value_and_whole_quoted_values_are_kept():
    text = SECTION.replace("body: 职责", 'body: 简称"三公"') + '      - title: "二、机构"\n'
    root = parse_text(text, "f.yaml")
    sections = root.get("parts").items[0].get("sections").items
    assert [s.get("title").text for s in sections] == ["一、部门职责", "二、机构"]
    assert sections[0].get("body").text == '简称"三公"'


# ---- table rows ----

ROWS = (
    "tables:\n"
    "  - rows:\n"
    '      - {科目编码: "2080505", 科目名称: 机关事业单位基本养老保险缴费支出, 合计: 40.18, 其他: -0.50}\n'
    "      - {科目名称: 合计, 合计: ~, 说明: '', 备注: null, 甲: 'a, b', 乙: \"}{\", 丙: 1e3}\n"
    "      - {名称: 中国\u3000人, 附注: x#y, 类: 2020, 丁: a&b*c!}\n"
    "  - {key: value}\n"
)


def same_tree(ours, theirs) -> None:
    """Our node and ruamel's composed node: same kind, text, style and place."""
    from ruamel.yaml.nodes import MappingNode, ScalarNode

    assert (ours.mark.line, ours.mark.column) == (theirs.start_mark.line + 1, theirs.start_mark.column + 1)
    if isinstance(theirs, ScalarNode):
        assert isinstance(ours, Scalar)
        assert (ours.text, ours.plain) == (theirs.value, theirs.style is None)
        return
    assert len(ours.items) == len(theirs.value)
    if isinstance(theirs, MappingNode):
        assert isinstance(ours, Mapping)
        for (key, value), (their_key, their_value) in zip(ours.items, theirs.value, strict=True):
            same_tree(key, their_key)
            same_tree(value, their_value)
    else:
        for item, their_item in zip(ours.items, theirs.value, strict=True):
            same_tree(item, their_item)


def test_rows_are_the_nodes_yaml_gives():
    from ruamel.yaml import YAML

    same_tree(parse_text(ROWS, "f.yaml"), YAML(typ="safe", pure=True).compose(ROWS))
    row = parse_text(ROWS, "f.yaml").get("tables").items[0].get("rows").items[1]
    assert [v.is_null for _, v in row.items] == [False, True, False, True, False, False, False]


def test_a_row_inside_a_block_of_text_stays_text():
    root = parse_text("body: |\n  - {a: 1}\n  - {b: 2}\nnext: x\n", "f.yaml")
    assert root.get("body").text == "- {a: 1}\n- {b: 2}\n"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("rows:\n  - {a: 1, a: 2}\n", "f.yaml:2:12: 键 'a' 重复了（第 2 行已写过）：删掉一个，或合并成一个"),
        ("rows:\n  - {<<: 1}\n", "f.yaml:2:6: 不支持合并键（<<）：请把各个值完整写出来"),
        ("rows:\n  - {a: 1}\n\t- {b: 2}\n", "f.yaml:3:1: 不能用 Tab 缩进：请把行首的 Tab 换成空格"),
        (
            "rows:\n  - {a: 1}\n  - {b: 2}\n  - {c: 3\n",
            "f.yaml:4:5: 花括号没有配对：第 4 行第 5 列的 { 没有对应的 }，请在这一项的末尾补上 }",
        ),
    ],
)
def test_problems_in_files_with_rows_are_found_where_they_are(text, expected):
    assert problem(text) == expected
