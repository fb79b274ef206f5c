"""Loading data/: every mistake an editor can make is reported at its file:line:col."""

from decimal import Decimal
from pathlib import Path

import pytest

from generator.load import load_site

from conftest import MINIMAL_DOCUMENT, write


def messages(data_dir: Path) -> list[str]:
    _, problems = load_site(data_dir)
    root = str(data_dir) + "/"
    return [str(p).replace(root, "") for p in problems.sorted()]


def test_the_minimal_tree_loads(data_dir):
    site, problems = load_site(data_dir)
    assert not problems.items
    doc = site.documents[0]
    table = doc.parts[1].sections[0].table
    assert table.form.number == "公开02表"
    rows = table.panels[0].rows
    assert [r.cells["本年收入合计"].amount for r in rows] == [Decimal("55.11"), Decimal("55.11")]
    assert rows[1].cells["科目编码"].text == "208"
    assert (rows[1].mark.line, rows[1].mark.column) == (17, 15)


def put(data_dir: Path, text: str) -> Path:
    return write(data_dir / "ceshi-ybj" / "2020" / "juesuan.yaml", text)


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("kind: 决算", "kind: 结算", "ceshi-ybj/2020/juesuan.yaml:2:7: '结算' is not one of: 预算, 决算, 绩效"),
        (
            "year: 2020",
            "year: 2019",
            "ceshi-ybj/2020/juesuan.yaml: the document says year 2019 but is filed under 2020/",
        ),
        ("year: 2020", "year: 二〇二〇", "ceshi-ybj/2020/juesuan.yaml:3:7: expected a whole number from 1990 to 2100"),
        (
            "title: 2020年度测试区医疗保障局部门决算\n",
            "",
            "ceshi-ybj/2020/juesuan.yaml:1:1: a document is missing the required key 'title'",
        ),
        (
            "title: 2020年度测试区医疗保障局部门决算",
            "title: ~",
            "ceshi-ybj/2020/juesuan.yaml:1:8: 'title' is required but has no value",
        ),
        (
            "title: 2020年度测试区医疗保障局部门决算",
            "title: ''",
            "ceshi-ybj/2020/juesuan.yaml:1:8: expected text, found an empty string",
        ),
        (
            "kind: 决算",
            "kind: 决算\ntitel: x",
            "ceshi-ybj/2020/juesuan.yaml:3:1: unknown key 'titel' in a document; did you mean 'title'?",
        ),
        (
            "form: 公开02表",
            "form: 公开2表",
            "ceshi-ybj/2020/juesuan.yaml:14:17: unknown form '公开2表' in form set 'hunan-juesuan-2020'; did you mean '公开02表'?",
        ),
        (
            "本年收入合计: 55.11}\n            - {科目编码",
            "本年收入合记: 55.11}\n            - {科目编码",
            "ceshi-ybj/2020/juesuan.yaml:16:26: unknown column of 公开02表 '本年收入合记'; did you mean '本年收入合计'?",
        ),
        (
            "{科目名称: 合计, 本年收入合计: 55.11}",
            "{科目名称: 合计, 本年收入合计: 2,549.18}",
            "ceshi-ybj/2020/juesuan.yaml:16:36: '549.18' looks like part of a number",
        ),
        (
            "{科目名称: 合计, 本年收入合计: 55.11}",
            "{科目名称: 合计, 本年收入合计: '2,549.18'}",
            "ceshi-ybj/2020/juesuan.yaml:16:34: '2,549.18' has thousands separators: write 2549.18",
        ),
        (
            "{科目名称: 合计, 本年收入合计: 55.11}",
            "{科目名称: 合计, 本年收入合计: [1]}",
            "ceshi-ybj/2020/juesuan.yaml:16:34: expected an amount, found a list",
        ),
        ('科目编码: "208"', "科目编码: 2O8", "ceshi-ybj/2020/juesuan.yaml:17:22: '2O8' is not a 科目编码"),
        (
            "form_set: hunan-juesuan-2020",
            "form_set: hunan-juesuan-2021",
            "ceshi-ybj/2020/juesuan.yaml: unknown form set 'hunan-juesuan-2021'; did you mean 'hunan-juesuan-2020'?",
        ),
        (
            "        body: 负责医疗保障。",
            "        body: 负责医疗保障。\n        boddy: x",
            "ceshi-ybj/2020/juesuan.yaml:10:9: unknown key 'boddy' in a section; did you mean 'body'?",
        ),
    ],
)
def test_each_mistake_is_reported_where_it_is(data_dir, old, new, expected):
    assert old in MINIMAL_DOCUMENT
    put(data_dir, MINIMAL_DOCUMENT.replace(old, new))
    found = messages(data_dir)
    assert any(m.startswith(expected) for m in found), found


def test_all_problems_of_a_file_are_reported_at_once(data_dir):
    put(data_dir, MINIMAL_DOCUMENT.replace("kind: 决算", "kind: x").replace("year: 2020", "year: y"))
    found = messages(data_dir)
    assert any(":2:7:" in m for m in found) and any(":3:7:" in m for m in found)


def test_fixed_row_forms_check_row_keys(data_dir):
    put(
        data_dir,
        MINIMAL_DOCUMENT
        + """\
      - title: 一、收入支出决算总表
        table:
          form: 公开01表
          values:
            收入:
              一般公共预算财政拨款收入: 29455.67
              本年收入合记: 1.00
            支出:
              总计: {金额: 1.00, 合计: 2.00}
""",
    )
    found = messages(data_dir)
    assert any(
        m.startswith(
            "ceshi-ybj/2020/juesuan.yaml:24:15: unknown row of 公开01表 '本年收入合记'; did you mean '本年收入合计'?"
        )
        for m in found
    ), found
    assert any(":26:30: unknown column of 公开01表 '合计'" in m for m in found), found


def test_a_bare_glossary_term_must_exist(data_dir):
    put(data_dir, MINIMAL_DOCUMENT + "  - title: 第四部分 名词解释\n    glossary: [基本支出, 基本支出出]\n")
    found = messages(data_dir)
    assert any(":19:22: '基本支出出' is not in data/glossary.yaml; did you mean '基本支出'?" in m for m in found), found


def test_free_table_rows_must_be_equally_wide(data_dir):
    put(
        data_dir,
        MINIMAL_DOCUMENT
        + """
  - title: 第五部分 附件
    attachments:
      - id: bg
        title: 报告
        sections:
          - title: 自评表
            table:
              id: zpb
              title: 自评表
              grid:
                - [{text: a, rowspan: 2}, b, c]
                - [d, e]
                - [f, g]
    """,
    )
    found = messages(data_dir)
    assert any(":31:20: this table row is 2 cells wide, but the first row is 3" in m for m in found), found


def test_bureau_folder_needs_bureau_yaml_and_ascii_names(data_dir):
    (data_dir / "ceshi-ybj" / "bureau.yaml").unlink()
    write(data_dir / "测试" / "bureau.yaml", "name: x\n")
    found = messages(data_dir)
    assert "ceshi-ybj: the bureau folder has no bureau.yaml" in [m.replace(str(data_dir) + "/", "") for m in found]
    assert any(m.startswith("测试: a bureau folder is named with a lower-case ASCII id") for m in found), found


def test_duplicate_key_in_a_real_file_points_at_both_lines(data_dir):
    put(data_dir, MINIMAL_DOCUMENT.replace("year: 2020", "year: 2020\nyear: 2020"))
    assert messages(data_dir) == ["ceshi-ybj/2020/juesuan.yaml:4:1: duplicate key 'year' (first given at line 3)"]


def test_malformed_form_is_reported_in_the_form_file(data_dir):
    forms = data_dir / "forms" / "hunan-juesuan-2020.yaml"
    text = forms.read_text(encoding="utf-8").replace(
        '      - {key: 其他收入, label: 其他收入, type: amount, no: "7"}',
        '      - {key: 其他收入, label: 其他收入, type: amout, no: "7"}',
        1,
    )
    forms.write_text(text, encoding="utf-8")
    found = messages(data_dir)
    line = text.splitlines().index(next(x for x in text.splitlines() if "type: amout" in x)) + 1
    assert any(
        m.startswith(f"forms/hunan-juesuan-2020.yaml:{line}:") and "'amout' is not one of" in m for m in found
    ), found
