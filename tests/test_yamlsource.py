"""Reading YAML: hostile and broken files give one clear problem at file:line:col."""

import pytest

from generator.yamlsource import Mapping, Scalar, YamlProblem, decode, parse_text


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
        ("amount: 1\namount: 2\n", "f.yaml:2:1: duplicate key 'amount' (first given at line 1)"),
        ("a:\n  amount: 1\n  amount: 2\n", "f.yaml:3:3: duplicate key 'amount' (first given at line 2)"),
        ('name: a\n"name": b\n', "f.yaml:2:1: duplicate key 'name' (first given at line 1)"),
        ("a: &x 1\nb: *x\n", "f.yaml:1:4: anchors (&name) are not supported"),
        ("base: {a: 1}\nc:\n  <<: {b: 2}\n", "f.yaml:3:3: merge keys (<<) are not supported"),
        ("a: !!python/object/apply:os.system [ls]\n", "f.yaml:1:4: YAML tags"),
        ("a: !foo x\n", "f.yaml:1:4: YAML tags"),
        ("a: !!binary aGVsbG8=\n", "f.yaml:1:4: YAML tags"),
        ("a: 1\n---\nb: 2\n", "f.yaml:2:1: more than one YAML document"),
        ("", "f.yaml:1:1: the file is empty"),
        ("# only a comment\n", "f.yaml:1:1: the file is empty"),
        ("a:\n\t- b\n", "f.yaml:2:1: YAML syntax"),
        ("? [a, b]\n: 1\n", "f.yaml:1:3: a key must be plain text"),
        ("a: [1, 2\n", "f.yaml:"),
    ],
)
def test_bad_structure_is_one_clear_problem(text, expected):
    assert problem(text).startswith(expected)


@pytest.mark.parametrize("depth", [400, 500, 5000])
def test_deep_nesting_is_refused_cleanly(depth):
    assert "nesting is deeper than" in problem("[" * depth + "]" * depth)
    block = "".join("  " * i + f"k{i}:\n" for i in range(depth)) + "  " * depth + "v\n"
    assert "nesting is deeper than" in problem(block)


def test_billion_laughs_never_expands():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev = chr(ord("a") + i - 1)
        lines.append(f"{chr(ord('a') + i)}: &{chr(ord('a') + i)} [{','.join(['*' + prev] * 9)}]")
    assert "anchors (&name) are not supported" in problem("\n".join(lines))


def test_utf8_bom_and_crlf_are_accepted():
    text = decode("\ufeffa: 1\r\nb: 2\n".encode("utf-8"), "f.yaml")
    root = parse_text(text, "f.yaml")
    assert root.get("b").mark.line == 2


@pytest.mark.parametrize(
    "data, expected",
    [
        ("名称: 医保局\n".encode("utf-16"), "f.yaml:1:1: the file is UTF-16 encoded"),
        ("a: 1\n名称: 医保局\n".encode("gbk"), "f.yaml:2:1: the file is not valid UTF-8: it looks like GBK"),
        (b"a: 1\nb: \xff\xfe\xfd\n", "f.yaml:2:4: the file is not valid UTF-8"),
    ],
)
def test_wrong_encodings_say_what_to_do(data, expected):
    with pytest.raises(YamlProblem) as info:
        decode(data, "f.yaml")
    assert str(info.value).startswith(expected)


def test_control_characters_are_refused():
    assert problem("a: \x07bell\n").startswith("f.yaml:1:4: YAML syntax")


def test_a_very_long_line_is_read():
    root = parse_text("a: " + "长" * 200_000 + "\n", "f.yaml")
    assert len(root.get("a").text) == 200_000
