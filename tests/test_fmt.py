"""`python -m generator fmt`: one layout, and nothing a file says is changed: every figure keeps its
value and its decimal places, every comment its text, and formatting twice changes nothing."""

import dataclasses
import io
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from generator.core.problems import Mark
from generator.editing.fmt import FormSets, format_text, plain_amount, round_trip_yaml
from generator.editing.schema_json import kind_of
from generator.load.loader import load_site

from helpers import DATA, DOCUMENT_FILE, write, write_document
from helpers import run_generator as run

DATA_FILES = sorted(DATA.rglob("*.yaml"))


def model(data_dir: Path) -> list[tuple[tuple, str]]:
    """Every value of the loaded model with where it sits (marks left out): amounts as the exact
    Decimal typed, so 2549.1 and 2549.10 differ."""
    site, problems = load_site(data_dir)
    assert not problems.errors, problems.errors[:3]
    out: list[tuple[tuple, str]] = []
    seen: set[int] = set()

    def walk(value, path: tuple) -> None:
        if isinstance(value, Mark):  # where a value is written (total_mark, a stated grade's), not a value
            return
        if isinstance(value, Decimal):
            out.append((path, f"Decimal('{value}')"))
        elif value is None or isinstance(value, (str, int, bool)):
            out.append((path, repr(value)))
        elif isinstance(value, (list, tuple)):
            for index, item in enumerate(value):
                walk(item, (*path, index))
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item, (*path, key))
        elif dataclasses.is_dataclass(value) and id(value) not in seen:
            seen.add(id(value))
            for f in dataclasses.fields(value):
                if f.name not in ("mark", "path", "bureau", "document", "rules"):
                    walk(getattr(value, f.name), (*path, f.name))

    walk(site.bureaus, ("bureaus",))
    return out


def amounts_of(snapshot) -> list[str]:
    return [value for _, value in snapshot if value.startswith("Decimal")]


def comments(text: str) -> list[str]:
    """The comments of a file, their text only (the schema line left out)."""
    found = []
    for line in text.splitlines():
        if "yaml-language-server" in line:
            continue
        if line.lstrip().startswith("#"):
            found.append(line.strip())
        elif match := re.search(r"\s#\s.*$", line):
            found.append(match.group(0).strip())
    return found


def reindented(text: str) -> str:
    """The same file laid out otherwise: four-space mappings, lists flush under their key, no schema line."""
    yaml = round_trip_yaml()
    yaml.indent(mapping=4, sequence=2, offset=0)
    out = io.StringIO()
    yaml.dump(yaml.load(text.split("\n", 1)[1]), out)
    return out.getvalue()


@pytest.fixture
def data_copy(tmp_path) -> Path:
    shutil.copytree(DATA, tmp_path / "data")
    return tmp_path / "data"


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: str(p.relative_to(DATA)))
def test_every_data_file_is_formatted_and_formatting_it_again_changes_nothing(path):
    text = path.read_text(encoding="utf-8")
    kind = kind_of(path)
    forms = FormSets().forms_of(path, text) if kind == "document" else {}
    assert format_text(text, kind, forms) == text


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: str(p.relative_to(DATA)))
def test_a_file_laid_out_otherwise_comes_back_as_committed_with_its_comments(path):
    text = path.read_text(encoding="utf-8")
    messy = reindented(text)
    assert messy != text
    kind = kind_of(path)
    forms = FormSets().forms_of(path, text) if kind == "document" else {}
    once = format_text(messy, kind, forms)
    assert format_text(once, kind, forms) == once  # idempotent
    assert comments(once) == comments(text) and comments(text) == comments(messy)

    # Identical but for the indentation of a comment that follows a block of text (ruamel places it).
    def lines(t):
        return [line.strip() if line.lstrip().startswith("#") else line for line in t.splitlines()]

    assert lines(once) == lines(text)


def test_fmt_on_the_whole_of_data_keeps_the_loaded_model_and_is_idempotent(data_copy):
    before = model(data_copy)
    for path in data_copy.rglob("*.yaml"):  # undo the layout of every file first
        path.write_text(reindented(path.read_text(encoding="utf-8")), encoding="utf-8")
    assert model(data_copy) == before
    first = run("fmt", "data", cwd=data_copy.parent)
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines()[-1] == f"整理了 {len(DATA_FILES)} 个文件（共 {len(DATA_FILES)} 个）"
    assert model(data_copy) == before
    for path in DATA_FILES:  # and each file is as committed (comments aside, as above)
        assert (data_copy / path.relative_to(DATA)).read_text(encoding="utf-8").splitlines()[0].startswith("# yaml")
    snapshot = {p: p.read_bytes() for p in data_copy.rglob("*.yaml")}
    second = run("fmt", "data", cwd=data_copy.parent)
    assert second.returncode == 0 and second.stdout.splitlines() == [f"整理了 0 个文件（共 {len(DATA_FILES)} 个）"]
    assert {p: p.read_bytes() for p in data_copy.rglob("*.yaml")} == snapshot
    check = run("fmt", "--check", "data", cwd=data_copy.parent)
    assert check.returncode == 0 and check.stdout.splitlines() == [f"{len(DATA_FILES)} 个文件的格式都已整齐"]


def test_fmt_check_lists_the_files_that_would_change_and_changes_none(data_copy):
    juesuan = data_copy / "changsha-wangcheng-ybj" / "2020" / "juesuan.yaml"
    text = juesuan.read_text(encoding="utf-8")
    juesuan.write_text(text.replace("本年收入合计: 29527.51", "本年收入合计: 29,527.51", 1), encoding="utf-8")
    bureau = data_copy / "changsha-yuhua-ybj" / "bureau.yaml"
    bureau.write_text(bureau.read_text(encoding="utf-8").split("\n", 1)[1], encoding="utf-8")  # no schema line
    before = {p: p.read_bytes() for p in data_copy.rglob("*.yaml")}
    result = run("fmt", "--check", "data", cwd=data_copy.parent)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "data/changsha-wangcheng-ybj/2020/juesuan.yaml: 格式需要整理（运行 python -m generator fmt data/changsha-wangcheng-ybj/2020/juesuan.yaml）",
        "data/changsha-yuhua-ybj/bureau.yaml: 格式需要整理（运行 python -m generator fmt data/changsha-yuhua-ybj/bureau.yaml）",
    ]
    assert {p: p.read_bytes() for p in data_copy.rglob("*.yaml")} == before
    fixed = run("fmt", "data/changsha-wangcheng-ybj", "data/changsha-yuhua-ybj/bureau.yaml", cwd=data_copy.parent)
    assert fixed.returncode == 0, fixed.stderr
    assert juesuan.read_text(encoding="utf-8") == text


DOCUMENT = """\
# 录入说明：金额照原件。
kind: 决算
title: 2020年度测试区医疗保障局部门决算
year: 2020
form_set: hunan-juesuan-2020
parts:
- title: 第二部分 决算表
  body: 本年收入合计29,527.51万元，其中２５４９．１万元为……   # prose: never touched
  sections:
  - title: 一、收入支出决算总表
    table:
      values:
        支出:
          总计: 2549.1
          卫生健康支出: "2,549.1"    # 照原件
          本年支出合计: ２５４９．１
        收入:
          本年收入合计: "2549.10"
          一般公共预算财政拨款收入: 2,549.10
          总计: 2549.10
      form: 公开01表
  - title: 二、收入决算表
    table:
      form: 公开02表
      rows:
      - {本年收入合计: "2,549.10", 科目名称: 合计, 财政拨款收入: 2549.1}
      - {科目名称: 社会保障和就业支出, 科目编码: "208", 本年收入合计: 2549.10, 财政拨款收入: ２，５４９．１}
"""

# An end-of-line comment keeps its column where it can: the body moved two columns right, the
# comment stayed where it was typed.
EXPECTED = """\
# yaml-language-server: $schema=../../../schemas/document.schema.json
# 录入说明：金额照原件。
title: 2020年度测试区医疗保障局部门决算
kind: 决算
year: 2020
form_set: hunan-juesuan-2020
parts:
  - title: 第二部分 决算表
    body: 本年收入合计29,527.51万元，其中２５４９．１万元为…… # prose: never touched
    sections:
      - title: 一、收入支出决算总表
        table:
          form: 公开01表
          values:
            收入:
              一般公共预算财政拨款收入: 2549.10
              本年收入合计: 2549.10
              总计: 2549.10
            支出:
              卫生健康支出: 2549.1   # 照原件
              本年支出合计: 2549.1
              总计: 2549.1
      - title: 二、收入决算表
        table:
          form: 公开02表
          rows:
            - {科目名称: 合计, 本年收入合计: 2549.10, 财政拨款收入: 2549.1}
            - {科目编码: "208", 科目名称: 社会保障和就业支出, 本年收入合计: 2549.10, 财政拨款收入: 2549.1}
"""


def test_amounts_lose_separators_and_full_width_digits_but_keep_their_decimal_places(data_dir):
    path = write_document(data_dir, DOCUMENT)
    _, problems = load_site(data_dir)
    assert len(problems.errors) == 5  # separators and full-width digits: the loader refuses each
    result = run("fmt", "data/ceshi-ybj", cwd=data_dir.parent)
    assert result.returncode == 0, result.stderr
    assert path.read_text(encoding="utf-8") == EXPECTED
    site, problems = load_site(data_dir)
    assert not problems.errors
    table = site.documents[0].parts[0].sections[0].table
    income, spending = table.panels
    assert [str(v["金额"].amount) for v in income.fixed.values()] == ["2549.10", "2549.10", "2549.10"]
    assert [str(v["金额"].amount) for v in spending.fixed.values()] == ["2549.1", "2549.1", "2549.1"]
    rows = site.documents[0].parts[0].sections[1].table.panels[0].rows
    assert [(str(r.cells["本年收入合计"].amount), str(r.cells["财政拨款收入"].amount)) for r in rows] == [
        ("2549.10", "2549.1"),
        ("2549.10", "2549.1"),
    ]


@pytest.mark.parametrize(
    "typed, written",
    [
        ("29,455.67", "29455.67"),
        ("1,234,567.8", "1234567.8"),
        ("２９４５５．６７", "29455.67"),
        ("２９，４５５．６７", "29455.67"),
        ("-1,000", "-1000"),
        ("29455.67", None),  # already plain
        ("2549.1", None),  # one decimal place, as printed: kept
        ("1,00", None),  # not a thousands separator: the loader says what is wrong, fmt guesses nothing
        ("2549.185", None),  # three places: not rounded
        ("29455.67万元", None),
        ("12,34.5", None),
    ],
)
def test_plain_amount_removes_only_separators_and_full_width_forms(typed, written):
    assert plain_amount(typed) == written
    if written is not None:
        assert Decimal(written) == Decimal(
            typed.translate(str.maketrans("０１２３４５６７８９．，", "0123456789.,")).replace(",", "")
        )


def test_keys_take_the_schema_order_but_a_mapping_with_a_typo_is_left_alone(data_dir):
    path = write(
        data_dir / "ceshi-ybj" / "bureau.yaml",
        """
        region: 测试省/测试市/测试区
        # 简称见文件头
        short_name: 测试区医保局
        name: 测试市测试区医疗保障局
        """,
    )
    doc = data_dir / DOCUMENT_FILE
    section = "      - title: 一、部门职责\n        body: 负责医疗保障。\n"
    typo = "      - body: 负责医疗保障。\n        titel: 一、部门职责\n"
    doc.write_text(doc.read_text(encoding="utf-8").replace(section, typo), "utf-8")
    result = run("fmt", "data/ceshi-ybj", cwd=data_dir.parent)
    assert result.returncode == 0, result.stderr
    assert path.read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../../schemas/bureau.schema.json\n"
        "name: 测试市测试区医疗保障局\n"
        "short_name: 测试区医保局\n"
        "region: 测试省/测试市/测试区\n"
        "# 简称见文件头\n"  # a comment goes with the key it follows
    )
    assert typo in doc.read_text(encoding="utf-8")


def test_a_file_the_loader_cannot_read_is_reported_and_left_as_it_is(data_dir):
    path = data_dir / "ceshi-ybj" / "bureau.yaml"
    broken = "name: 测试\nshort_name: 测试\nshort_name: 又一个\n"
    path.write_text(broken, encoding="utf-8")
    stray = write(data_dir / "notes.yaml", "a: 1\n")
    result = run("fmt", "data", cwd=data_dir.parent)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "data/ceshi-ybj/bureau.yaml:3:1: 未整理，请先改正：键 'short_name' 重复了（第 2 行已写过）：删掉一个，或合并成一个",
        "data/notes.yaml: 未整理：不是 data/ 中认识的文件（glossary.yaml、site.yaml、forms/*.yaml、<部门>/bureau.yaml、<部门>/<年度>/*.yaml）",
    ]
    assert "Traceback" not in result.stderr
    assert path.read_text(encoding="utf-8") == broken and stray.read_text(encoding="utf-8") == "a: 1\n"
