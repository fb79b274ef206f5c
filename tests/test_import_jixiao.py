"""绩效 documents as a clerk makes them: `new … 绩效 --form … --projects N` lays out the reports blank,
`import` fills one from a pasted 自评表 (or an .xlsx sheet), `check` judges the figures imported;
and each refusal on the way, in Chinese, one line. Every expectation is worked out from the source
text written here."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from generator.importing.into_document import run_import
from generator.load.loader import load_site

from helpers import DATA, MINIMAL_BUREAU, run_generator, write, write_document

BUREAU = "hubei-ceshi-ybj"
DOCUMENT = f"data/{BUREAU}/2020/jixiao.yaml"

# The national 项目支出绩效自评表 (财预〔2020〕10号 附件) as copied from Excel: merged cells leave the
# cells below or beside their first one blank (项目资金（万元）, 绩效指标, a 一级/二级指标 over its rows).
# 总分 96 is not the sum of the 得分 (9.5 + 28 + 20 + 30 + 10 = 97.5): check must say so at its line.
NATIONAL_TSV = "\n".join(
    [
        "项目支出绩效自评表",
        "（2020年度）",
        "项目名称\t城乡医疗救助",
        "主管部门\t测试区医疗保障局\t实施单位\t测试区医疗保障服务中心",
        "项目资金（万元）\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分",
        "\t年度资金总额\t200\t200\t190\t10\t95.00%\t9.5",
        "\t其中：当年财政拨款\t200\t200\t190\t\t95.00%\t",
        "\t上年结转资金\t\t\t\t\t\t",
        "\t其他资金\t\t\t\t\t\t",
        "年度总体目标\t预期目标\t\t\t实际完成情况",
        "\t保障困难群众医疗救助\t\t\t已完成",
        "绩效指标\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施",
        "\t产出指标\t数量指标\t救助人次\t≥3000人次\t2900人次\t30\t28\t部分对象转入其他救助",
        "\t\t\t救助对象覆盖率\t100%\t100%\t20\t20\t",
        "\t效益指标\t社会效益指标\t困难群众负担减轻\t有效减轻\t有效减轻\t30\t30\t",
        "\t满意度指标\t服务对象满意度指标\t满意度\t≥90%\t92%\t10\t10\t",
        "总分\t\t\t\t\t\t100\t96\t",
        "",
    ]
)


@pytest.fixture
def clerk(tmp_path: Path) -> Path:
    """A folder holding data/ with the real forms and one new bureau, made as a clerk makes it."""
    shutil.copytree(DATA / "forms", tmp_path / "data" / "forms")
    shutil.copy(DATA / "glossary.yaml", tmp_path / "data" / "glossary.yaml")
    made = run_generator(
        "new-bureau", BUREAU, "--name", "测试区医疗保障局", "--region", "湖北省/武汉市/测试区", cwd=tmp_path
    )
    assert made.returncode == 0, made.stderr
    return tmp_path


def line_of(path: Path, needle: str, occurrence: int = 1) -> int:
    lines = [i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line]
    return lines[occurrence - 1]


def test_new_then_import_then_check_as_a_clerk_does_it(clerk):
    made = run_generator("new", BUREAU, "2020", "绩效", "--form", "national-jixiao-2020", "--projects", "2", cwd=clerk)
    assert made.returncode == 0, made.stderr
    assert made.stdout.splitlines()[1] == (
        "表样 national-jixiao-2020（全国绩效自评表（财预〔2020〕10号），按 --form-set 指定）："
        "列出了 2 张项目支出绩效自评表（id zpb-1、zpb-2）的表头、资金情况、指标、总分，内容空着"
    )
    document = clerk / DOCUMENT
    # the blank reports load, and check lists each as not filled in, at its line
    blank = run_generator("check", "--no-cache", cwd=clerk)
    assert blank.returncode == 1
    assert blank.stderr.splitlines() == [
        f"{DOCUMENT}:{line_of(document, 'id: zpb-1')}:11: 错误：项目支出绩效自评表（id zpb-1）还没有填写："
        "照原件填写指标、资金情况和得分，或用 python -m generator import 导入原件的表",
        f"{DOCUMENT}:{line_of(document, 'id: zpb-2')}:11: 错误：项目支出绩效自评表（id zpb-2）还没有填写："
        "照原件填写指标、资金情况和得分，或用 python -m generator import 导入原件的表",
        "2 个错误：不能发布",
    ]

    write(clerk / "zpb.tsv", NATIONAL_TSV)
    imported = run_generator("import", "zpb.tsv", DOCUMENT, "--table", "zpb-2", cwd=clerk)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.strip() == (
        f"已把项目支出绩效自评表（资金情况 4 行、指标 4 行）写入 {DOCUMENT}“项目支出绩效自评表”（id zpb-2）。"
        "请运行 python -m generator check 核对。"
    )

    site, problems = load_site(clerk / "data")
    assert not problems.items, problems.sorted()
    (doc,) = site.documents
    assert [p.title for p in doc.parts] == ["项目一", "项目二"]
    table = doc.parts[1].sections[0].table
    assert table.facts == [
        ("项目名称", "城乡医疗救助"),
        ("主管部门", "测试区医疗保障局"),
        ("实施单位", "测试区医疗保障服务中心"),
    ]
    assert [(r.source, r.initial, r.budget, r.executed, r.score, r.rate, r.scored) for r in table.funds] == [
        ("年度资金总额", Decimal(200), Decimal(200), Decimal(190), Decimal(10), Decimal(95), Decimal("9.5")),
        ("其中：当年财政拨款", Decimal(200), Decimal(200), Decimal(190), None, Decimal(95), None),
        ("上年结转资金", None, None, None, None, None, None),
        ("其他资金", None, None, None, None, None, None),
    ]
    tree = [
        (level1.name, level2.name, [(leaf.name, leaf.target.text, leaf.actual, leaf.score, leaf.scored, leaf.reason)
                                    for leaf in level2.children])
        for level1 in table.sets[0].groups
        for level2 in level1.children
    ]  # fmt: skip
    assert tree == [
        ("产出指标", "数量指标", [
            ("救助人次", "≥3000人次", "2900人次", Decimal(30), Decimal(28), "部分对象转入其他救助"),
            ("救助对象覆盖率", "100%", "100%", Decimal(20), Decimal(20), None),
        ]),
        ("效益指标", "社会效益指标", [("困难群众负担减轻", "有效减轻", "有效减轻", Decimal(30), Decimal(30), None)]),
        ("满意度指标", "服务对象满意度指标", [("满意度", "≥90%", "92%", Decimal(10), Decimal(10), None)]),
    ]  # fmt: skip
    assert (table.total_score, table.total_scored) == (Decimal(100), Decimal(96))

    checked = run_generator("check", "--no-cache", cwd=clerk)
    assert checked.returncode == 1
    assert checked.stderr.splitlines() == [
        f"{DOCUMENT}:{line_of(document, 'id: zpb-1')}:11: 错误：项目支出绩效自评表（id zpb-1）还没有填写："
        "照原件填写指标、资金情况和得分，或用 python -m generator import 导入原件的表",
        f"{DOCUMENT}:{line_of(document, 'total: {score: 100, scored: 96}')}:18: 错误：项目支出绩效自评表："
        "总分 = 各项得分之和（含资金情况）：应为 97.50，表中为 96.00，相差 -1.50",
        "2 个错误：不能发布",
    ]


# ---- new: the refusals ----


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ("--form", "national-jixiao-2020", "--report", "项目自评表"),
            "表样 national-jixiao-2020 中没有绩效表样“项目自评表”：--report 可写 项目支出绩效自评表、部门整体支出绩效自评表",
        ),
        (
            ("--form", "hunan-juesuan-2020"),
            "表样 'hunan-juesuan-2020' 用于决算文件，不能用于绩效：请换一套（现有 hubei-jixiao-2020、hunan-jixiao-2020、national-jixiao-2020）",
        ),
        (("--form", "national-jixiao-2020", "--projects", "0"), "--projects 写项目自评表的张数，1 到 99，却是 0"),
    ],
)
def test_new_refuses_a_report_the_form_set_lacks_a_set_of_another_kind_and_no_projects(clerk, args, message):
    made = run_generator("new", BUREAU, "2020", "绩效", *args, cwd=clerk)
    assert (made.returncode, made.stderr.splitlines(), made.stdout) == (1, [message], "")
    assert not (clerk / DOCUMENT).exists()


def test_new_refuses_reports_for_a_document_of_another_kind(clerk):
    made = run_generator("new", BUREAU, "2020", "预算", "--projects", "2", cwd=clerk)
    assert (made.returncode, made.stderr.splitlines()) == (
        1,
        ["--report 和 --projects 只用于绩效文件：预算文件的表由表样的目录定，请删掉这两项"],
    )


def test_new_report_chooses_the_form_and_projects_prefer_a_form_for_one_project(clerk):
    # Hunan declares 部门整体自评表 first: one report is that; projects take the first form whose
    # header has a 项目名称 (公共专项绩效自评表); --report names any
    for year, args in (
        ("2020", ("--form", "hunan-jixiao-2020")),
        ("2021", ("--form", "hunan-jixiao-2020", "--projects", "1")),
        ("2022", ("--form", "national-jixiao-2020", "--report", "部门整体支出绩效自评表")),
    ):
        made = run_generator("new", BUREAU, year, "绩效", *args, cwd=clerk)
        assert made.returncode == 0, made.stderr
    site, problems = load_site(clerk / "data")
    assert not problems.items, problems.sorted()
    forms = [(d.year, [s.table.form.name for p in d.parts for s in p.sections]) for d in site.documents]
    assert sorted(forms) == [
        (2020, ["部门整体自评表"]),
        (2021, ["公共专项绩效自评表"]),
        (2022, ["部门整体支出绩效自评表"]),
    ]
    hunan = next(d for d in site.documents if d.year == 2021).parts[0].sections[0].table
    assert [key for key, _ in hunan.form.funds_columns] == [
        "source", "budget", "executed", "transfer", "score", "rate", "scored",
    ]  # fmt: skip
    text = (clerk / "data" / BUREAU / "2021" / "jixiao.yaml").read_text(encoding="utf-8")
    assert "- {source: 年度资金总额, budget: , executed: , transfer: , score: , rate: , scored: }" in text
    # the funds rows the form declares, each blank: the parts that add up to the total under 其中：
    funds = [line.split(",")[0].strip() for line in text.splitlines() if "{source: " in line]
    assert funds == [f"- {{source: {name}" for name in ("年度资金总额", "其中：财政拨款", "其他资金")]
    assert "- {name: , target: , actual: , score: , scored: , reason: , measure: }" in text


# ---- import: a 绩效 table, what it reads and what it refuses ----

DOCUMENT_ON_FORM = """
title: 2020年度测试区医疗保障局项目绩效自评
kind: 绩效
year: 2020
{form_set}parts:
  - title: 项目一
    sections:
      - title: 项目支出绩效自评表
        table:
          id: zpb
          form: {form}
          indicators:
            - name: 产出指标
              items:
                - name:
                  items:
                    - {{name: }}
          total: {{score: 100}}
"""


def document_on(data_dir: Path, form_set: str | None = "national-jixiao-2020", form="项目支出绩效自评表") -> Path:
    write(data_dir / "ceshi-ybj" / "bureau.yaml", MINIMAL_BUREAU)
    line = f"form_set: {form_set}\n" if form_set else ""
    return write_document(data_dir, DOCUMENT_ON_FORM.format(form_set=line, form=form))


def run(source: Path, document: Path, capsys, table: str | None = None):
    status = run_import(source, document, table, None, False)
    out, err = capsys.readouterr()
    return status, out, err.splitlines()


def test_a_document_without_form_set_is_told_the_form_sets_of_its_own_kind(tmp_path, data_dir, capsys):
    document = document_on(data_dir, form_set=None, form="项目支出绩效自评表")
    before = document.read_bytes()
    status, _, err = run(write(tmp_path / "zpb.tsv", NATIONAL_TSV), document, capsys)
    where = str(document)
    assert (status, err) == (
        1,
        [
            f"{where}: 文件没有 form_set:，不知道表样：请先写上 form_set:"
            "（绩效文件可用 hubei-jixiao-2020、hunan-jixiao-2020、national-jixiao-2020）",
            "1 个问题，未写入任何文件。",
        ],
    )
    assert document.read_bytes() == before


def test_a_document_whose_form_set_is_of_another_kind_is_refused_naming_its_own(tmp_path, data_dir, capsys):
    document = document_on(data_dir, form_set="hunan-juesuan-2020")
    status, _, err = run(write(tmp_path / "zpb.tsv", NATIONAL_TSV), document, capsys)
    assert (status, err[0]) == (
        1,
        f"{document}: 表样集 hunan-juesuan-2020 用于决算文件，这份文件是绩效：请先改正 form_set:"
        "（绩效文件可用 hubei-jixiao-2020、hunan-jixiao-2020、national-jixiao-2020）",
    )


def test_the_only_report_of_a_document_is_found_without_table_and_its_total_label_kept(tmp_path, data_dir, capsys):
    document = document_on(data_dir, form="national-jixiao-2020:项目支出绩效自评表")
    document.write_text(document.read_text(encoding="utf-8").replace("{score: 100}", "{label: 合计, score: 100}"))
    status, out, err = run(write(tmp_path / "zpb.tsv", NATIONAL_TSV), document, capsys)
    assert status == 0, err
    assert "total: {label: 合计, score: 100, scored: 96}" in document.read_text(encoding="utf-8")


def test_a_table_a_part_holds_directly_is_found_and_filled(tmp_path, data_dir, capsys):
    document = document_on(data_dir)
    text = document.read_text(encoding="utf-8")
    held = text.replace("    sections:\n      - title: 项目支出绩效自评表\n        table:\n", "    table:\n").replace(
        "\n          ", "\n      "
    )
    assert held != text and "sections:" not in held
    document.write_text(held, encoding="utf-8")
    status, _, err = run(write(tmp_path / "zpb.tsv", NATIONAL_TSV), document, capsys, table="zpb")
    assert status == 0, err
    filled = document.read_text(encoding="utf-8")
    assert "total: {score: 100, scored: 96}" in filled
    site, problems = load_site(data_dir)
    assert not problems.errors, problems.sorted()


def test_cells_that_are_not_figures_a_missing_column_and_a_first_row_without_its_group_are_reported(
    tmp_path, data_dir, capsys
):
    document = document_on(data_dir)
    before = document.read_bytes()
    source = (
        NATIONAL_TSV.replace("\t200\t200\t190\t\t95.00%\t", "\t200\t200\t190\t—\t95.00%\t—")  # the template's dashes
        .replace("实际完成值\t分值", "完成值\t分值")  # a label the form does not print
        .replace("\t产出指标\t数量指标\t救助人次", "\t\t数量指标\t救助人次")
    )
    status, _, err = run(write(tmp_path / "zpb.tsv", source), document, capsys)
    name = tmp_path / "zpb.tsv"
    assert status == 1
    assert err == [
        f"{name}:7:6: “—”不是金额：原件此格若是空白，请在源表中清空此格；若是零，请写 0.00（资金情况的“分值”栏）",
        f"{name}:7:8: “—”不是金额：原件此格若是空白，请在源表中清空此格；若是零，请写 0.00（资金情况的“得分”栏）",
        f"{name}:12:1: 源表的指标没有“实际完成值”这一栏：项目支出绩效自评表印有此栏，请照原件连同这一栏复制",
        f"{name}:12:6: 这一栏的表头“完成值”对应不上项目支出绩效自评表的任何一栏，其中的内容无法导入：请照表样改正表头",
        f"{name}:13:2: 这一行上面没有“一级指标”：第一行指标要写明各级指标的名称",
        "5 个问题，未写入任何文件。",
    ]
    assert document.read_bytes() == before


def test_a_source_without_the_indicator_header_is_told_what_to_copy(tmp_path, data_dir, capsys):
    document = document_on(data_dir)
    source = "\n".join(NATIONAL_TSV.splitlines()[:9]) + "\n"
    status, _, err = run(write(tmp_path / "zpb.tsv", source), document, capsys)
    assert (status, err[0]) == (
        1,
        f"{tmp_path / 'zpb.tsv'}:3:1: 找不到指标表的表头：项目支出绩效自评表的指标部分印有 一级指标、二级指标、三级指标、"
        "年度指标值、实际完成值、分值、得分、偏差原因分析及改进措施，请连同这一行表头一起复制",
    )


# The form docs/form-sets.md documents (分值 merged per 一级指标, funds scored as 20 分 × 执行率), as a
# province would add it: its groups' 分值 and 得分 are merged cells over their rows.
MERGED_FORM = """
name: 某省项目支出绩效自评表（2021）
kinds: [绩效]
indicator_forms:
  - name: 项目支出绩效自评表
    title: 项目支出绩效自评表
    stage: 自评
    facts:
      - {label: 项目名称}
      - {label: 填报日期, role: date}
    funds:
      columns:
        - {key: source, label: 资金来源}
        - {key: budget, label: 全年预算数（A）}
        - {key: executed, label: 全年执行数（B）}
        - {key: rate, label: 执行率（B/A）}
        - {key: scored, label: 得分（20 分*执行率）}
      rate: B/A
      score: 20
    columns:
      - {level1: 一级指标}
      - {level2: 二级指标}
      - {name: 三级指标}
      - {target: 年度指标值}
      - {actual: 实际完成值}
      - {score: 分值}
      - {scored: 得分}
    scores_at: level1
    weights: {产出指标: 50, 效益指标: 30}
    total: {label: 总分, score: 100}
    rules:
      - check: 总分
"""


def test_an_xlsx_sheet_with_groups_and_their_scores_merged_over_their_rows(tmp_path, data_dir, capsys):
    write(data_dir / "forms" / "mousheng-jixiao-2021.yaml", MERGED_FORM)
    document = document_on(data_dir, form_set="mousheng-jixiao-2021")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "自评表"
    for row in [
        ["项目支出绩效自评表"],
        ["项目名称", "医疗救助", None, "填报日期", "2021年3月5日"],
        ["资金来源", "全年预算数（A）", "全年执行数（B）", "执行率（B/A）", "得分（20 分*执行率）"],
        ["年度资金总额", 200, 190, "95.00%", 19],
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
        ["产出指标", "数量指标", "救助人次", "≥3000人次", "2900人次", 50, 45],
        [None, "质量指标", "覆盖率", "100%", "100%", None, None],
        ["效益指标", "社会效益指标", "负担减轻", "有效减轻", "有效减轻", 30, 30],
        ["总分", None, None, None, None, 100, 94],
    ]:
        sheet.append(row)
    for merge in ("A6:A7", "F6:F7", "G6:G7", "A9:E9"):
        sheet.merge_cells(merge)
    book.save(tmp_path / "zpb.xlsx")
    status, out, err = run(tmp_path / "zpb.xlsx", document, capsys)
    assert status == 0, err
    site, problems = load_site(data_dir)
    assert not problems.items, problems.sorted()
    table = site.documents[0].parts[0].sections[0].table
    assert table.facts == [("项目名称", "医疗救助"), ("填报日期", "2021年3月5日")]
    assert [(r.source, r.budget, r.executed, r.rate, r.scored) for r in table.funds] == [
        ("年度资金总额", Decimal(200), Decimal(190), Decimal(95), Decimal(19))
    ]
    groups = [(g.name, g.score, g.scored, [(c.name, [leaf.name for leaf in c.children]) for c in g.children])
              for g in table.sets[0].groups]  # fmt: skip
    assert groups == [
        ("产出指标", Decimal(50), Decimal(45), [("数量指标", ["救助人次"]), ("质量指标", ["覆盖率"])]),
        ("效益指标", Decimal(30), Decimal(30), [("社会效益指标", ["负担减轻"])]),
    ]
    assert all(leaf.score is None and leaf.scored is None for leaf in table.leaves())
    assert (table.total_score, table.total_scored) == (Decimal(100), Decimal(94))


def test_a_score_merged_over_rows_on_a_form_that_scores_each_indicator_is_refused(tmp_path, data_dir, capsys):
    document = document_on(data_dir)
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [
        [
            "绩效指标",
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "实际完成值",
            "分值",
            "得分",
            "偏差原因分析及改进措施",
        ],
        [None, "产出指标", "数量指标", "救助人次", "≥3000人次", "3000人次", 30, 30],
        [None, None, None, "覆盖率", "100%", "100%", None, None],
    ]:
        sheet.append(row)
    sheet.merge_cells("G2:G3")
    book.save(tmp_path / "zpb.xlsx")
    status, _, err = run(tmp_path / "zpb.xlsx", document, capsys)
    assert (status, err[0]) == (
        1,
        f"{tmp_path / 'zpb.xlsx'}[Sheet]:3:7: 此格与 G2 合并（合并单元格 G2:G3），内容只保存在 G2 中，"
        "指标的“分值”栏导入后会是空白：请在 Excel 中取消合并，照原件在每一格填上数字（原件空白的格留空）后再导入（单元格 G3）",
    )


# ---- check: a document's form set must serve its kind ----


def test_check_refuses_a_form_set_of_another_kind_at_its_line(data_dir):
    document = document_on(data_dir, form_set="hunan-juesuan-2020", form="national-jixiao-2020:项目支出绩效自评表")
    _, problems = load_site(data_dir)
    assert [(p.mark.line, p.mark.column, p.message) for p in problems.items if p.mark.path.endswith(document.name)] == [
        (
            4,
            11,
            "表样 'hunan-juesuan-2020' 用于决算文件，这份文件是绩效：请换用绩效的表样"
            "（现有 hubei-jixiao-2020、hunan-jixiao-2020、national-jixiao-2020），或改正 kind",
        )
    ]


def test_a_label_split_over_two_header_lines_is_read_whole(tmp_path, data_dir, capsys):
    document = document_on(data_dir)
    source = NATIONAL_TSV.replace(
        "分值\t得分\t偏差原因分析及改进措施\n", "分值\t得分\t偏差原因分析\n\t\t\t\t\t\t\t\t及改进措施\n"
    )
    assert source != NATIONAL_TSV
    status, _, err = run(write(tmp_path / "zpb.tsv", source), document, capsys)
    assert status == 0, err
    site, problems = load_site(data_dir)
    assert not problems.items, problems.sorted()
    leaves = site.documents[0].parts[0].sections[0].table.leaves()
    assert [(leaf.name, leaf.reason) for leaf in leaves][:2] == [
        ("救助人次", "部分对象转入其他救助"),
        ("救助对象覆盖率", None),
    ]
