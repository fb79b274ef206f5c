"""Loading data/: every mistake an editor can make is reported at its file:line:col."""

from decimal import Decimal
from pathlib import Path

import pytest

from generator.load.loader import load_site

from helpers import MINIMAL_DOCUMENT, write, write_document


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


@pytest.mark.parametrize(
    "old, new, expected",
    [
        (
            "kind: 决算",
            "kind: 结算",
            "ceshi-ybj/2020/juesuan.yaml:2:7: '结算' 不是可写的值：请写 预算、决算、绩效 之一",
        ),
        (
            "year: 2020",
            "year: 2019",
            "ceshi-ybj/2020/juesuan.yaml:3:7: 文件写的年度是 2019，却放在 2020/ 文件夹中：请改正年度，或把文件移到 2019/",
        ),
        (
            "year: 2020",
            "year: 二〇二〇",
            "ceshi-ybj/2020/juesuan.yaml:3:7: 这里应写 1990 到 2100 之间的整数，却是 '二〇二〇'",
        ),
        (
            "title: 2020年度测试区医疗保障局部门决算\n",
            "",
            "ceshi-ybj/2020/juesuan.yaml:1:1: 公开文件缺少必填的键 'title'：请补上",
        ),
        (
            "title: 2020年度测试区医疗保障局部门决算",
            "title: ~",
            "ceshi-ybj/2020/juesuan.yaml:1:8: 'title' 必须填写，现在是空的：请在冒号后写上值",
        ),
        (
            "title: 2020年度测试区医疗保障局部门决算",
            "title: ''",
            "ceshi-ybj/2020/juesuan.yaml:1:8: 这里应写文字，却是空的",
        ),
        (
            "kind: 决算",
            "kind: 决算\ntitel: x",
            "ceshi-ybj/2020/juesuan.yaml:3:1: 公开文件中没有键 'titel'：是不是要写 'title'？",
        ),
        (
            "form: 公开02表",
            "form: 公开2表",
            "ceshi-ybj/2020/juesuan.yaml:14:17: 表样文件 'hunan-juesuan-2020' 中没有 '公开2表'（是不是要写 '公开02表'？）",
        ),
        (
            "本年收入合计: 55.11}\n            - {科目编码",
            "本年收入合记: 55.11}\n            - {科目编码",
            "ceshi-ybj/2020/juesuan.yaml:16:26: 公开02表的列中没有 '本年收入合记'：是不是要写 '本年收入合计'？",
        ),
        (
            "{科目名称: 合计, 本年收入合计: 55.11}",
            "{科目名称: 合计, 本年收入合计: 2,549.18}",
            "ceshi-ybj/2020/juesuan.yaml:16:36: '549.18' 像是被逗号截断的数字的一部分：{…} 里逗号用来分隔各格，所以金额不要带千分位逗号",
        ),
        (
            "{科目名称: 合计, 本年收入合计: 55.11}",
            "{科目名称: 合计, 本年收入合计: '2,549.18'}",
            "ceshi-ybj/2020/juesuan.yaml:16:34: '2,549.18' 带千分位逗号：请写成 2549.18",
        ),
        (
            "{科目名称: 合计, 本年收入合计: 55.11}",
            "{科目名称: 合计, 本年收入合计: [1]}",
            "ceshi-ybj/2020/juesuan.yaml:16:34: 这里应写金额，却是一个列表",
        ),
        ('科目编码: "208"', "科目编码: 2O8", "ceshi-ybj/2020/juesuan.yaml:17:22: '2O8' 不是科目编码：只写数字"),
        (
            "form_set: hunan-juesuan-2020",
            "form_set: hunan-juesuan-2021",
            "ceshi-ybj/2020/juesuan.yaml:4:11: 没有表样 'hunan-juesuan-2021'（是不是要写 'hunan-juesuan-2020'？）：form_set 写 data/forms/ 中的文件名（不带 .yaml）",
        ),
        (
            "        body: 负责医疗保障。",
            "        body: 负责医疗保障。\n        boddy: x",
            "ceshi-ybj/2020/juesuan.yaml:10:9: 小节中没有键 'boddy'：是不是要写 'body'？",
        ),
    ],
)
def test_each_mistake_is_reported_where_it_is(data_dir, old, new, expected):
    assert old in MINIMAL_DOCUMENT
    write_document(data_dir, MINIMAL_DOCUMENT.replace(old, new))
    found = messages(data_dir)
    assert any(m.startswith(expected) for m in found), found


def test_all_problems_of_a_file_are_reported_at_once(data_dir):
    write_document(data_dir, MINIMAL_DOCUMENT.replace("kind: 决算", "kind: x").replace("year: 2020", "year: y"))
    found = messages(data_dir)
    assert any(":2:7:" in m for m in found) and any(":3:7:" in m for m in found)


def test_fixed_row_forms_check_row_keys(data_dir):
    write_document(
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
            "ceshi-ybj/2020/juesuan.yaml:24:15: 公开01表的行中没有 '本年收入合记'：是不是要写 '本年收入合计'？"
        )
        for m in found
    ), found
    assert any(":26:30: 公开01表的列中没有 '合计'" in m for m in found), found


def test_a_bare_glossary_term_must_exist(data_dir):
    write_document(data_dir, MINIMAL_DOCUMENT + "  - title: 第四部分 名词解释\n    glossary: [基本支出, 基本支出出]\n")
    found = messages(data_dir)
    assert any(
        ":19:22: data/glossary.yaml 中没有术语 '基本支出出'（是不是要写 '基本支出'？）：请在那里加上" in m
        for m in found
    ), found


def test_free_table_rows_must_be_equally_wide(data_dir):
    write_document(
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
    assert any(":31:20: 这一行有 2 格宽，第一行是 3 格" in m for m in found), found


def test_bureau_folder_needs_bureau_yaml_and_ascii_names(data_dir):
    (data_dir / "ceshi-ybj" / "bureau.yaml").unlink()
    write(data_dir / "测试" / "bureau.yaml", "name: x\n")
    found = messages(data_dir)
    assert "ceshi-ybj: 部门文件夹中没有 bureau.yaml：请用 python -m generator new-bureau 新建，或补上这个文件" in [
        m.replace(str(data_dir) + "/", "") for m in found
    ]
    assert any(m.startswith("测试: 部门文件夹名只能用小写英文字母、数字和 -（写拼音）") for m in found), found


def test_duplicate_key_in_a_real_file_points_at_both_lines(data_dir):
    write_document(data_dir, MINIMAL_DOCUMENT.replace("year: 2020", "year: 2020\nyear: 2020"))
    assert messages(data_dir) == [
        "ceshi-ybj/2020/juesuan.yaml:4:1: 键 'year' 重复了（第 3 行已写过）：删掉一个，或合并成一个"
    ]


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
        m.startswith(f"forms/hunan-juesuan-2020.yaml:{line}:")
        and "'amout' 不是可写的值：请写 item、line、code、name、amount、percent、text 之一" in m
        for m in found
    ), found


@pytest.mark.parametrize("slug", ["checks", "quanwen", "xiazai"])
def test_a_part_may_not_take_the_name_of_a_document_s_own_page(data_dir, slug):
    """A part called checks would be written over the 数据核对 page (quanwen: the one-page text,
    xiazai: the downloads' folder): refused at the part."""
    text = MINIMAL_DOCUMENT.replace("  - title: 第二部分 决算表", f"  - id: {slug}\n    title: 第二部分 决算表")
    write_document(data_dir, text)
    _, problems = load_site(data_dir)
    line = text.lstrip("\n").splitlines().index(f"  - id: {slug}") + 1
    assert [(p.mark.line, p.message) for p in problems.errors] == [
        (
            line,
            f"部分的 id '{slug}' 是每份文件自己的页面（数据核对 checks、全文 quanwen、下载 xiazai）用的名字：请换一个",
        )
    ]
