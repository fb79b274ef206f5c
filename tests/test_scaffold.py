"""`python -m generator new` and `new-bureau`: files laid out from the form set, ready to fill,
that load without a problem, never written over an existing file."""

import shutil
from pathlib import Path

import pytest

from generator.check.document import check_document
from generator.core.model import FormTable
from generator.core.results import ERROR, OK, UNCHECKED, WARNING
from generator.editing.schema_json import modeline
from generator.load.loader import load_site

from helpers import DATA
from helpers import run_generator as run


@pytest.fixture
def repo(tmp_path) -> Path:
    """A copy of data/ to add files to; commands run in its parent, as a clerk runs them."""
    shutil.copytree(DATA, tmp_path / "data")
    return tmp_path


def loaded(repo: Path, bureau: str, year: int):
    """The new document as loaded, and the problems the loader found in it (none expected)."""
    site, problems = load_site(repo / "data")
    document = next(d for d in site.documents if d.bureau.slug == bureau and d.year == year)
    return document, [p for p in problems.items if p.mark.path.endswith(f"{bureau}/{year}/{Path(document.path).name}")]


def findings(document) -> list[tuple[str, str]]:
    return [(r.status, r.says) for r in check_document(document) if r.status not in (OK, UNCHECKED)]


def unfilled(form_set) -> list[tuple[str, str]]:
    return [
        (
            ERROR,
            f"{f.number} {f.title} 还没有填写数字：照原件填写；原件此表为空时，写 statement 说明（如 此表数据为空）",
        )
        for f in form_set.forms.values()
    ]


# What a new 决算 of hunan-juesuan-2020 has still to write besides its tables: each section of its
# 目录 without a table, where its text goes (a section with subsections at each of them), and its
# 名词解释 and 附件.
EMPTY_JUESUAN_2021 = [
    "一、部门职责",
    "（一）内设机构设置",
    "（二）决算单位构成",
    "一、收入支出决算总体情况说明",
    "二、收入决算情况说明",
    "三、支出决算情况说明",
    "四、财政拨款收入支出决算总体情况说明",
    "（一）财政拨款支出决算总体情况",
    "（二）财政拨款支出决算结构情况",
    "（三）财政拨款支出决算具体情况",
    "六、一般公共预算财政拨款基本支出决算情况说明",
    "（一）“三公”经费财政拨款支出决算总体情况说明",
    "（二）“三公”经费财政拨款支出决算具体情况说明",
    "八、政府性基金预算收入支出决算情况",
    "九、关于机关运行经费支出说明",
    "十、一般性支出情况",
    "十一、关于政府采购支出说明",
    "十二、关于国有资产占用情况说明",
    "十三、关于2021年度预算绩效情况的说明",
    "第四部分 名词解释",
    "第五部分 附件",
]


def unfilled_and_empty(document) -> tuple[list, list[str]]:
    """The findings of a new document: its tables' (all errors) and its empty sections' (warnings)."""
    said = findings(document)
    empty = [(status, says) for status, says in said if any(w in says for w in ("没有内容", "没有名词", "没有附件"))]
    assert all(status == WARNING for status, _ in empty)
    return [f for f in said if f not in empty], [says.split(" 没有")[0] for _, says in empty]


def test_new_lays_out_the_forms_and_last_years_subjects_and_loads_with_only_unfilled_tables(repo):
    result = run("new", "changsha-wangcheng-ybj", "2021", "决算", cwd=repo)
    assert result.returncode == 0, result.stderr
    path = repo / "data" / "changsha-wangcheng-ybj" / "2021" / "juesuan.yaml"
    assert result.stdout.splitlines() == [
        "已新建 data/changsha-wangcheng-ybj/2021/juesuan.yaml",
        "表样 hunan-juesuan-2020（湖南省部门决算公开表（2020），与 2020 年的部门决算相同）：列出了 9 张表的行和列，金额空着",
        "科目行取自 data/changsha-wangcheng-ybj/2020/juesuan.yaml：照原件增删，再填金额",
        "照原件填写后运行 python -m generator check：还没有数字的表会列出来",
    ]
    assert path.read_text(encoding="utf-8").splitlines()[0] == modeline("document")

    document, problems = loaded(repo, "changsha-wangcheng-ybj", 2021)
    assert problems == []
    assert document.title == "2021年度长沙市望城区医疗保障局部门决算" and document.kind == "决算"
    assert document.form_set.id == "hunan-juesuan-2020"
    assert [p.title for p in document.parts] == [
        "第一部分 长沙市望城区医疗保障局概况",
        "第二部分 2021年度部门决算表",
        "第三部分 2021年度部门决算情况说明",
        "第四部分 名词解释",
        "第五部分 附件",
    ]
    assert document.parts[2].sections[-1].title == "十三、关于2021年度预算绩效情况的说明"
    tables = [t for _, t in document.tables()]
    assert [t.form.number for t in tables] == list(document.form_set.forms)
    # No figure anywhere: every cell laid out is blank.
    assert not any(v.amount is not None for t in tables for p in t.panels for r in p.rows for v in r.cells.values())
    assert not any(v.amount is not None for t in tables for p in t.panels for c in p.fixed.values() for v in c.values())
    # The 科目 of 2020's 公开02表, code by code and name by name.
    site, _ = load_site(repo / "data")
    before = next(d for d in site.documents if d.bureau.slug == "changsha-wangcheng-ybj" and d.year == 2020)
    gk02_2020 = next(t for _, t in before.tables() if isinstance(t, FormTable) and t.form.number == "公开02表")

    def labels(table):
        return [({k: v.text for k, v in r.cells.items() if v.amount is None}) for r in table.panels[0].rows]

    assert labels(tables[1]) == labels(gk02_2020) and len(labels(tables[1])) == 33
    # Every amount column of those rows is written out, blank, ready to fill.
    text = path.read_text(encoding="utf-8")
    assert (
        '            - {科目编码: "208", 科目名称: 社会保障和就业支出, 本年收入合计: , 财政拨款收入: , '
        "上级补助收入: , 事业收入: , 经营收入: , 附属单位上缴收入: , 其他收入: }\n" in text
    )
    # Each printed row of 公开01表 (the form's blank rows left out), blank.
    income = [r.key for r in document.form_set.forms["公开01表"].panels[0].rows if r.key and r.label]
    start = text.index("            收入:\n") + len("            收入:\n")
    assert text[start:].split("            支出:\n")[0] == "".join(f"              {key}:\n" for key in income)
    assert unfilled_and_empty(document) == (unfilled(document.form_set), EMPTY_JUESUAN_2021)
    assert run("fmt", "--check", "data/changsha-wangcheng-ybj/2021", cwd=repo).returncode == 0


def test_a_filled_table_is_no_longer_reported_and_an_empty_one_with_a_statement_never_is(repo):
    assert run("new", "changsha-wangcheng-ybj", "2021", "juesuan", cwd=repo).returncode == 0
    path = repo / "data" / "changsha-wangcheng-ybj" / "2021" / "juesuan.yaml"
    text = path.read_text(encoding="utf-8")
    gk07 = "          form: 公开07表\n          rows:\n"
    gk09 = "          form: 公开09表\n          rows:\n"
    assert gk07 in text and gk09 in text
    row = text[text.index(gk07) + len(gk07) :].split("\n")[0]
    text = text.replace(row, row.replace("预算公务接待费: ,", "预算公务接待费: 1.50,"), 1)
    text = text.replace(gk09, "          form: 公开09表\n          statement: 此表数据为空\n          rows:\n", 1)
    path.write_text(text, encoding="utf-8")
    document, problems = loaded(repo, "changsha-wangcheng-ybj", 2021)
    assert problems == []
    remaining = [says.split(" ")[0] for _, says in findings(document) if "还没有填写数字" in says]
    assert remaining == ["公开01表", "公开02表", "公开03表", "公开04表", "公开05表", "公开06表", "公开08表"]


def test_a_new_bureau_then_its_first_document_from_the_form_set_of_its_province(repo):
    made = run(
        "new-bureau",
        "changsha-kaifu-ybj",
        "--name",
        "长沙市开福区医疗保障局",
        "--short-name",
        "开福区医保局",
        "--region",
        "湖南省/长沙市/开福区",
        cwd=repo,
    )
    assert made.returncode == 0, made.stderr
    bureau_file = repo / "data" / "changsha-kaifu-ybj" / "bureau.yaml"
    assert bureau_file.read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../../schemas/bureau.schema.json\n"
        "name: 长沙市开福区医疗保障局\n"
        "short_name: 开福区医保局\n"
        "region: 湖南省/长沙市/开福区\n"
        "# 以下三项是 Markdown 文字，可省略：部门职责、机构设置、决算单位构成（较长时用 | 块写法）\n"
        "duties:\n"
        "organization:\n"
        "units:\n"
    )
    result = run("new", "changsha-kaifu-ybj", "2021", "决算", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert "按地区 湖南省 和类别 决算 选定" in result.stdout and "科目行取自" not in result.stdout
    document, problems = loaded(repo, "changsha-kaifu-ybj", 2021)
    assert problems == []
    assert document.bureau.short_name == "开福区医保局" and document.bureau.region == ["湖南省", "长沙市", "开福区"]
    text = (repo / "data" / "changsha-kaifu-ybj" / "2021" / "juesuan.yaml").read_text(encoding="utf-8")
    # A table by 科目 starts from its 合计 row; 公开06表's side-by-side panels from nothing, with its totals.
    assert (
        "          rows:\n            - {科目名称: 合计, 本年收入合计: , 财政拨款收入: , 上级补助收入: , 事业收入: , "
        "经营收入: , 附属单位上缴收入: , 其他收入: }\n" in text
    )
    assert (
        "          form: 公开06表\n          rows:\n            人员经费: []\n            公用经费: []\n"
        "            公用经费续: []\n          totals: {人员经费合计: , 公用经费合计: }\n" in text
    )
    assert unfilled_and_empty(document) == (unfilled(document.form_set), EMPTY_JUESUAN_2021)


def test_a_budget_follows_its_own_form_set_and_outline(repo):
    result = run("new", "wuhan-dongxihu-ybj", "2021", "yusuan", cwd=repo)
    assert result.returncode == 0, result.stderr
    document, problems = loaded(repo, "wuhan-dongxihu-ybj", 2021)
    assert problems == []
    assert document.form_set.id == "hubei-yusuan-2020"
    assert document.parts[2].sections[0].title == "1. 东西湖区医保局2021年部门收支总表"
    assert [t.form.number for _, t in document.tables()] == [f"表{n}" for n in range(1, 10)]
    table1 = document.parts[2].sections[0].table
    assert [p.panel.key for p in table1.panels] == ["收入", "经济分类", "功能分类"]
    unfilled_tables = [says.split(" ")[0] for status, says in findings(document) if "还没有填写数字" in says]
    assert unfilled_tables == [f"表{n}" for n in range(1, 10)]


def test_a_performance_document_lays_out_its_provinces_first_self_evaluation_blank(repo):
    # Hunan's 绩效 forms (data/forms/hunan-jixiao-2020.yaml): the first 自评表 it declares, every block blank
    result = run("new", "shaoyang-beita-ybj", "2021", "绩效", cwd=repo)
    assert result.returncode == 0, result.stderr
    document, problems = loaded(repo, "shaoyang-beita-ybj", 2021)
    assert problems == [] and document.form_set.id == "hunan-jixiao-2020" and document.kind == "绩效"
    assert [p.title for p in document.parts] == ["部门整体自评表"]
    assert document.title == f"2021年度{document.bureau.name}绩效评价"
    table = document.parts[0].sections[0].table
    assert table.form.name == "部门整体自评表" and table.facts == [("部门(单位)名称", ""), ("所属独立核算单位个数", "")]
    assert findings(document) == [
        (
            ERROR,
            "部门整体自评表（id zpb）还没有填写：照原件填写指标、资金情况和得分，或用 python -m generator import 导入原件的表",
        )
    ]


def test_new_never_writes_over_a_file(repo):
    path = repo / "data" / "changsha-wangcheng-ybj" / "2020" / "juesuan.yaml"
    before = path.read_bytes()
    result = run("new", "changsha-wangcheng-ybj", "2020", "决算", cwd=repo)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "data/changsha-wangcheng-ybj/2020/juesuan.yaml 已存在，未改动（new 不覆盖已有文件）"
    ]
    assert path.read_bytes() == before
    bureau = repo / "data" / "changsha-wangcheng-ybj" / "bureau.yaml"
    before = bureau.read_bytes()
    again = run("new-bureau", "changsha-wangcheng-ybj", "--name", "某局", "--region", "湖南省/长沙市/望城区", cwd=repo)
    assert again.returncode == 1
    assert again.stderr.splitlines() == [
        "data/changsha-wangcheng-ybj/bureau.yaml 已存在，未改动（new-bureau 不覆盖已有文件）"
    ]
    assert bureau.read_bytes() == before


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ("new", "changsha-wangcheng-ybj", "2021", "结算"),
            "类别 '结算' 不认识：写 预算、决算、绩效（或 yusuan、juesuan、jixiao）",
        ),
        (("new", "changsha-wangcheng-ybj", "21", "决算"), "年度 '21' 写法不对：写四位数字，如 2021"),
        (
            ("new", "changsha-kaifu-ybj", "2021", "决算"),
            "data/changsha-kaifu-ybj 不是已有的部门：先运行 python -m generator new-bureau changsha-kaifu-ybj --name 全称 --region 省/市/区县",
        ),
        (
            ("new", "changsha-wangcheng-ybj", "2021", "预算"),
            "没有湖南省的预算表样：用 --form-set 指定一套（现有 hubei-yusuan-2020），或先在 data/forms/ 声明表样",
        ),
        (
            ("new", "changsha-wangcheng-ybj", "2021", "决算", "--form-set", "hunan-juesuan-2021"),
            "没有表样 'hunan-juesuan-2021'：现有 hunan-juesuan-2020",
        ),
        (
            ("new-bureau", "Changsha Kaifu", "--name", "开福区医保局", "--region", "湖南省/长沙市/开福区"),
            "'Changsha Kaifu' 不能作部门文件夹名：用小写拼音、数字和 -，如 changsha-wangcheng-ybj",
        ),
        (
            ("new-bureau", "changsha-kaifu-ybj", "--name", "开福区医保局", "--region", "湖南省 长沙市"),
            "地区 '湖南省 长沙市' 写法不对：写 省/市/区县，用 / 分开，如 湖南省/长沙市/望城区",
        ),
    ],
)
def test_a_wrong_argument_is_refused_in_chinese_and_nothing_is_written(repo, args, message):
    before = sorted(p.relative_to(repo) for p in repo.rglob("*"))
    result = run(*args, cwd=repo)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [message] and result.stdout == ""
    assert sorted(p.relative_to(repo) for p in repo.rglob("*")) == before


def test_a_broken_bureau_file_is_reported_before_anything_is_written(repo):
    bureau = repo / "data" / "changsha-yuhua-ybj" / "bureau.yaml"
    bureau.write_text(bureau.read_text(encoding="utf-8").replace("short_name:", "shortname:"), encoding="utf-8")
    result = run("new", "changsha-yuhua-ybj", "2021", "绩效", cwd=repo)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[-1] == "data/changsha-yuhua-ybj/bureau.yaml 有错误，先改正后再新建文件"
    assert any(
        line.startswith(
            "data/changsha-yuhua-ybj/bureau.yaml:3:1: 部门文件中没有键 'shortname'：是不是要写 'short_name'？"
        )
        for line in lines
    )
    assert not (repo / "data" / "changsha-yuhua-ybj" / "2021").exists()


def test_an_outline_naming_a_form_the_form_set_lacks_is_reported_at_its_line(repo):
    forms = repo / "data" / "forms" / "hunan-juesuan-2020.yaml"
    text = forms.read_text(encoding="utf-8")
    old = "      - {title: 三、支出决算表, form: 公开03表}\n"
    assert old in text
    forms.write_text(text.replace(old, old.replace("公开03表", "公开3表")), encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 1
    _, problems = load_site(repo / "data")
    assert [(p.mark.line, p.message) for p in problems.items if p.mark.path.endswith("hunan-juesuan-2020.yaml")] == [
        (line, "outline：这套表样中没有 '公开3表'（是不是要写 '公开03表'？）")
    ]
    result = run("new", "changsha-wangcheng-ybj", "2021", "决算", cwd=repo)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == "表样 hunan-juesuan-2020 有错误，先改正后再新建文件"


def performance_forms() -> list[tuple[str, str]]:
    site, _ = load_site(DATA)
    return [
        (set_id, name)
        for set_id, form_set in sorted(site.form_sets.items())
        if "绩效" in form_set.kinds
        for name in form_set.indicator_forms
    ]


@pytest.mark.parametrize("set_id, name", performance_forms())
def test_every_declared_performance_form_lays_out_loads_and_is_reported_unfilled(repo, set_id, name):
    result = run("new", "shaoyang-beita-ybj", "2021", "绩效", "--form", set_id, "--report", name, cwd=repo)
    assert result.returncode == 0, result.stderr
    document, problems = loaded(repo, "shaoyang-beita-ybj", 2021)
    assert problems == []
    (table,) = [s.table for p in document.parts for s in p.sections]
    assert table.form.name == name and [label for label, _ in table.facts] == [f.label for f in table.form.facts]
    assert table.anchor == {"自评": "zpb", "申报": "sbb"}[table.form.stage]
    assert findings(document) == [
        (
            ERROR,
            f"{table.title}（id {table.anchor}）还没有填写：照原件填写指标、资金情况和得分，或用 python -m generator import 导入原件的表",
        )
    ]
