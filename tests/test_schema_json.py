"""The JSON Schema editors read: written from the loader's declarations, committed, and true to data/.

Every file in data/ names its schema on its first line and validates against it (read as an
editor's YAML 1.2 reader reads it); each kind of mistake a clerk makes is flagged by the schema
at the place the loader reports it.
"""

import json
import os
import shutil
from pathlib import Path

import jsonschema
import pytest

from generator.editing.schema_json import FILES, kind_of, modeline, schemas, write_schemas
from generator.load.loader import load_site
from generator.source.yamlsource import Mapping, parse_text

from helpers import DATA, ROOT, run_generator
from yamlplain import node_at, plain

DATA_FILES = sorted(DATA.rglob("*.yaml"))


def validator(kind: str) -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(json.loads((ROOT / "schemas" / FILES[kind][0]).read_text(encoding="utf-8")))


def test_the_committed_schemas_are_what_the_command_writes():
    assert write_schemas(ROOT / "schemas", check=True) == []
    result = run_generator("schema", "--check", cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_schema_check_fails_when_a_file_drifts_and_the_command_rewrites_it(tmp_path):
    out = tmp_path / "schemas"
    shutil.copytree(ROOT / "schemas", out)
    stale = out / "document.schema.json"
    stale.write_text(stale.read_text(encoding="utf-8").replace("文件类别", "类别"), encoding="utf-8")
    checked = run_generator("schema", "--out", str(out), "--check", cwd=ROOT)
    assert checked.returncode == 1
    assert checked.stdout.splitlines() == [f"{stale}: 与数据模型不一致，请运行 python -m generator schema"]
    assert run_generator("schema", "--out", str(out), cwd=ROOT).returncode == 0
    assert stale.read_text(encoding="utf-8") == (ROOT / "schemas" / "document.schema.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(schemas()))
def test_each_schema_is_valid_draft_7_with_chinese_descriptions(name):
    value = json.loads((ROOT / "schemas" / name).read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(value)
    described = [v["description"] for v in value["properties"].values()]
    assert described and all(any("\u4e00" <= ch <= "\u9fff" for ch in text) for text in described)


def test_the_schema_knows_every_key_the_loader_declares():
    document = schemas()["document.schema.json"]
    section = document["definitions"]["section"]
    assert list(section["properties"]) == ["title", "id", "body", "table", "sections"]
    assert section["required"] == ["title"]
    assert document["properties"]["kind"]["enum"] == ["预算", "决算", "绩效"]


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: str(p.relative_to(DATA)))
def test_every_data_file_names_its_schema_and_validates(path):
    kind = kind_of(path)
    text = path.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first == modeline(kind)
    schema_file = (path.parent / first.split("$schema=")[1]).resolve()
    assert schema_file == (ROOT / "schemas" / FILES[kind][0]).resolve()
    errors = list(validator(kind).iter_errors(plain(parse_text(text, str(path)))))
    assert not errors, [f"{list(e.absolute_path)}: {e.message[:200]}" for e in errors]


# Each mistake: the file, the line as it is and as mistyped, the schema's complaint, the loader's.
MISTAKES = [
    # unknown key (a typo)
    (
        "changsha-wangcheng-ybj/2020/juesuan.yaml",
        "kind: 决算",
        "knid: 决算",
        "additionalProperties",
        "公开文件中没有键 'knid'：是不是要写 'kind'？",
    ),
    (
        "changsha-wangcheng-ybj/2020/juesuan.yaml",
        '          - title: "（一）内设机构设置"\n            body: |',
        '          - title: "（一）内设机构设置"\n            bdoy: |',
        "additionalProperties",
        "小节中没有键 'bdoy'：是不是要写 'body'？",
    ),
    (
        "forms/hunan-juesuan-2020.yaml",
        "    slug: gk03",
        "    slgu: gk03",
        "additionalProperties",
        "表样中没有键 'slgu'",
    ),
    ("glossary.yaml", "  - term: 事业收入", "  - trem: 事业收入", "additionalProperties", "术语中没有键 'trem'"),
    # wrong type
    (
        "changsha-wangcheng-ybj/2020/juesuan.yaml",
        "year: 2020",
        "year: 二〇二〇",
        "anyOf",
        "这里应写 1990 到 2100 之间的整数",
    ),
    (
        "changsha-wangcheng-ybj/2020/juesuan.yaml",
        "rate: 100.00%",
        "rate: 100.00",
        "anyOf",
        "'100.00' 少了 '%'",
    ),
    (
        "shaoyang-beita-ybj/2020/jixiao.yaml",
        '              title: "部门支出决算明细"',
        "              title: [部门支出决算明细]",
        "type",
        "这里应写文字，却是一个列表",
    ),
    (
        "wuhan-dongxihu-ybj/bureau.yaml",
        "region: 湖北省/武汉市/东西湖区",
        "region: 湖北省 武汉市 东西湖区",
        "pattern",
        "不是地区：请按 省/市/区县 写",
    ),
    # missing required field
    (
        "wuhan-dongxihu-ybj/bureau.yaml",
        "region: 湖北省/武汉市/东西湖区\n",
        "",
        "required",
        "部门文件缺少必填的键 'region'",
    ),
    (
        "changsha-wangcheng-ybj/2020/juesuan.yaml",
        "              id: zpb-zhengti\n",
        "",
        "required",
        "绩效表缺少必填的键 'id'",
    ),
    # a value outside its list of choices
    (
        "changsha-wangcheng-ybj/2020/juesuan.yaml",
        "kind: 决算",
        "kind: 结算",
        "enum",
        "'结算' 不是可写的值：请写 预算、决算、绩效 之一",
    ),
    (
        "forms/hunan-jixiao-2020.yaml",
        "stage: 自评",
        "stage: 自平",
        "enum",
        "'自平' 不是可写的值：请写 申报、自评 之一",
    ),
    (
        "forms/hunan-juesuan-2020.yaml",
        '{key: 本年收入合计, label: 本年收入合计, type: amount, no: "1"}',
        '{key: 本年收入合计, label: 本年收入合计, type: money, no: "1"}',
        "enum",
        "'money' 不是可写的值",
    ),
]


@pytest.mark.parametrize("name, old, new, complaint, loader_says", MISTAKES, ids=[m[3] + ":" + m[2] for m in MISTAKES])
def test_each_kind_of_mistake_is_flagged_by_the_schema_and_by_the_loader_at_its_line(
    tmp_path, name, old, new, complaint, loader_says
):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    path = data / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1
    broken = text.replace(old, new, 1)
    path.write_text(broken, encoding="utf-8")
    offset = text.index(old) + (len(os.path.commonprefix([old, new])) if new else 0)
    line = text[:offset].count("\n") + 1  # the line of the mistake (or of what was removed)

    root = parse_text(broken, str(path))
    errors = list(validator(kind_of(path)).iter_errors(plain(root)))
    assert [e.validator for e in errors] == [complaint] or complaint in {e.validator for e in errors}, errors
    error = next(e for e in errors if e.validator == complaint)
    node = node_at(root, error.absolute_path)
    if complaint in ("additionalProperties", "required"):
        # flagged on the mapping the key belongs to (editors underline the key itself)
        assert isinstance(node, Mapping)
        mapping_line = node.mark.line
        if complaint == "additionalProperties":
            assert line in [key.mark.line for key, _ in node.items]
            loader_line = line
        else:
            assert mapping_line <= line <= mapping_line + len(node.items)
            loader_line = mapping_line
    else:
        assert node.mark.line == line
        loader_line = line

    _, problems = load_site(data)
    found = [(p.mark.line, p.message) for p in problems.items if p.mark.path.endswith(name)]
    assert any(at == loader_line and loader_says in message for at, message in found), found


def test_the_schema_validates_a_value_as_an_editor_reads_it():
    """A quoted year is text and a plain one a number; the loader takes both, and so does the schema."""
    year = schemas()["document.schema.json"]["properties"]["year"]
    check = jsonschema.Draft7Validator(year)
    assert check.is_valid(2020) and check.is_valid("2020")
    assert not check.is_valid(1989) and not check.is_valid("二〇二〇")
    amount = schemas()["document.schema.json"]["definitions"]["funds-row"]["properties"]["budget"]
    check = jsonschema.Draft7Validator(amount)
    assert check.is_valid(plain(parse_text("a: 10276.00", "f").items[0][1]))
    assert check.is_valid(None)  # blank
    assert not check.is_valid("10,276.00") and not check.is_valid("10276万元")


def test_a_data_file_outside_data_is_not_given_a_kind(tmp_path):
    assert kind_of(Path("data/notes.txt")) is None
    assert kind_of(Path("data/stray.yaml")) is None
    assert kind_of(Path("data/x-ybj/2021/juesuan.yaml")) == "document"
