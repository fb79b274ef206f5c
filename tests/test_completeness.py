"""Completeness: the tables a form set's 目录 requires are published, and an empty one says so.

Mutations of the reference data (a table deleted, a statement changed) are reported at their line;
the unchanged data gives only what the sources themselves print.
"""

from __future__ import annotations

import re
import shutil

import pytest

from generator.check.completeness import names_table, required_forms
from generator.check.document import check_document
from generator.check.filled import plain_title, title_pattern
from generator.core.results import ERROR, OK, WARNING
from generator.load.loader import load_site

from helpers import DATA, place

WANGCHENG = "changsha-wangcheng-ybj/2020/juesuan.yaml"
DONGXIHU = "wuhan-dongxihu-ybj/2020/yusuan.yaml"
# 公开07表 in 望城's 决算: its section, from its title to the next section's
SAN_GONG_SECTION = re.compile(
    r"      - title: 七、一般公共预算财政拨款“三公”经费支出决算表\n(?:        .*\n|          .*\n)+"
)


def mutated(tmp_path, relative: str, change):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    path = data / relative
    text = path.read_text(encoding="utf-8")
    changed = change(text)
    assert changed != text
    path.write_text(changed, encoding="utf-8")
    site, problems = load_site(data)
    assert not problems.errors, problems.errors
    document = next(d for d in site.documents if d.path.endswith(relative))
    return changed, check_document(document)


def completeness(results, status=None):
    words = ("目录要求", "omitted", "空表", "为空", "全为 0", "原件没有公开")
    return [r for r in results if any(w in r.says for w in words) and (status is None or r.status == status)]


def test_the_required_tables_are_the_outline_forms_in_order():
    site, _ = load_site(DATA)
    form_set = next(d.form_set for d in site.documents if d.path.endswith(WANGCHENG))
    assert [number for number, _ in required_forms(form_set)] == [f"公开0{n}表" for n in range(1, 10)]


def test_deleting_a_required_table_is_an_error_naming_it_at_the_form_set_line(tmp_path):
    text, results = mutated(tmp_path, WANGCHENG, lambda t: SAN_GONG_SECTION.sub("", t, count=1))
    errors = completeness(results, ERROR)
    assert [r.says.split("：")[0] for r in errors] == ["缺少 公开07表 一般公共预算财政拨款“三公”经费支出决算表"]
    assert errors[0].mark.line == place(text, "form_set:")[0]
    assert not any(r.status == OK and "都已公开" in r.says for r in results)


def test_a_table_the_original_did_not_publish_with_its_reason_is_a_warning(tmp_path):
    def omit(text):
        text = SAN_GONG_SECTION.sub("", text, count=1)
        return text.replace("parts:\n", "omitted:\n  - {form: 公开07表, why: 本部门无三公经费}\nparts:\n", 1)

    text, results = mutated(tmp_path, WANGCHENG, omit)
    assert completeness(results, ERROR) == []
    warned = [r for r in completeness(results, WARNING) if "公开07表" in r.says]
    assert warned and "本部门无三公经费" in warned[0].says
    assert warned[0].mark.line == place(text, "{form: 公开07表")[0]


def test_a_table_named_omitted_but_present_is_a_warning(tmp_path):
    def omit(text):
        return text.replace("parts:\n", "omitted:\n  - {form: 公开09表, why: 无}\nparts:\n", 1)

    text, results = mutated(tmp_path, WANGCHENG, omit)
    assert any("omitted 写了 公开09表" in r.says for r in completeness(results, WARNING))


def test_an_optional_outline_table_is_not_required(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    forms = data / "forms" / "hunan-juesuan-2020.yaml"
    declared = forms.read_text(encoding="utf-8")
    old = "form: 公开07表}"
    assert declared.count(old) == 1
    forms.write_text(declared.replace(old, "form: 公开07表, required: false}"), encoding="utf-8")
    path = data / WANGCHENG
    path.write_text(SAN_GONG_SECTION.sub("", path.read_text(encoding="utf-8"), count=1), encoding="utf-8")
    site, problems = load_site(data)
    assert not problems.errors
    document = next(d for d in site.documents if d.path.endswith(WANGCHENG))
    assert completeness(check_document(document), ERROR) == []


@pytest.mark.parametrize(
    "statement, words",
    [
        ("数字待补录", "其说明却没有说此表为空"),
        ("单位：万元", "其说明却没有说此表为空"),
        ("本部门没有相关数据", None),  # 没有…数据 says it is empty, 本部门 does not name the table
    ],
)
def test_an_empty_table_statement_must_say_it_is_empty(tmp_path, statement, words):
    text, results = mutated(
        tmp_path, WANGCHENG, lambda t: t.replace("statement: 此表数据为空", f"statement: {statement}")
    )
    warned = [r for r in completeness(results, WARNING) if "公开09表" in r.says]
    if words is None:
        assert [r.says.split("（")[0] for r in warned] == [
            "公开09表 国有资本经营预算财政拨款支出决算表 的空表说明没有说是哪张表"
        ]
    else:
        assert warned and words in warned[0].says
    assert warned[0].mark.line == place(text, "form: 公开09表")[0]  # the table, where its form is named


def test_a_table_of_zeros_without_a_statement_is_a_warning(tmp_path):
    def zeros(text):
        return text.replace(
            "            - {科目名称: 合计}\n          statement: 此表数据为空\n",
            "            - {科目名称: 合计, 合计: 0.00}\n",
            1,
        )

    _, results = mutated(tmp_path, WANGCHENG, zeros)
    assert any("公开09表" in r.says and "全为 0" in r.says for r in completeness(results, WARNING))


@pytest.mark.parametrize(
    "statement, title, named",
    [
        ("此表数据为空", "国有资本经营预算财政拨款支出决算表", True),
        ("备注：2020年本部门没有政府性基金预算财政拨款预算安排的支出", "区医保局2020年政府性基金预算支出表", True),
        ("本部门2020年度没有相关支出", "政府性基金预算财政拨款收入支出决算表", False),
        ("公开08表无数据", "政府性基金预算财政拨款收入支出决算表", True),
    ],
)
def test_a_statement_names_its_table_by_pointing_number_or_title(statement, title, named):
    class Form:
        number = "公开08表"

    Form.title = title

    class Table:
        form = Form

    assert names_table(statement, Table) is named


def test_the_unchanged_reference_data_report_only_the_missing_body_of_wangcheng_05():
    site, _ = load_site(DATA)
    reported = [
        (r.mark.path.split("/")[1], r.says)
        for d in site.documents
        for r in completeness(check_document(d))
        if r.status != OK
    ]
    # 望城's 公开05表: the text extraction the data were typed from lost its body, and the statement
    # says so: a table with no figures whose statement does not say it is empty is rightly warned
    assert reported == [
        (
            "changsha-wangcheng-ybj",
            "公开05表 一般公共预算财政拨款支出决算表 没有数字，其说明却没有说此表为空"
            "（“参考文本（原件的文字提取）中本表表体缺失，数字待据原件补录。”）：照原件核对说明",
        )
    ]


def filled(results):
    words = ("没有内容", "没有名词", "没有附件")
    return [r for r in results if r.status == WARNING and any(w in r.says for w in words)]


# 望城's 部门职责: its title and body, up to the next section
DUTIES = re.compile(r'(      - title: "一、部门职责"\n)        body: \|\n(?:          .*\n|\n)+')
# 望城's 十三、关于2020年度预算绩效情况的说明: a section with {年度} in the 目录
PERFORMANCE = re.compile(
    r'(      - title: "十三、关于2020年度预算绩效情况的说明"\n)        body: \|\n(?:          .*\n|\n)+'
)


def test_an_empty_required_section_is_a_warning_at_its_line(tmp_path):
    text, results = mutated(tmp_path, WANGCHENG, lambda t: DUTIES.sub(r"\1", t, count=1))
    warned = filled(results)
    assert [r.says.split(" ")[0] for r in warned] == ["一、部门职责"]
    assert warned[0].mark.line == place(text, '- title: "一、部门职责"')[0]


def test_a_section_matches_the_outline_through_a_placeholder_and_other_numbering(tmp_path):
    def change(text):
        text = PERFORMANCE.sub('      - title: "（十三）关于 2020 年度预算绩效情况的说明"\n', text, count=1)
        return text.replace('title: "七、一般公共预算财政拨款三公经费', 'title: "7. 一般公共预算财政拨款“三公”经费', 1)

    text, results = mutated(tmp_path, WANGCHENG, change)
    assert [r.mark.line for r in filled(results)] == [place(text, "（十三）关于 2020 年度")[0]]


def test_a_section_with_empty_subsections_is_reported_at_each_of_them_not_at_itself(tmp_path):
    def change(text):
        return re.sub(
            r'(          - title: "（[一二]）[^"]*"\n)            body: \|\n(?:              .*\n|\n)+',
            r"\1",
            text,
            count=2,
        )

    text, results = mutated(tmp_path, WANGCHENG, change)
    assert [r.says.split(" ")[0] for r in filled(results)] == ["（一）内设机构设置", "（二）决算单位构成"]
    assert [r.mark.line for r in filled(results)] == [
        place(text, "（一）内设机构设置")[0],
        place(text, "（二）决算单位构成")[0],
    ]


def test_a_section_the_outline_does_not_list_may_be_empty(tmp_path):
    def change(text):
        return text.replace(
            '      - title: "一、部门职责"', '      - title: "零、补充说明"\n      - title: "一、部门职责"', 1
        )

    _, results = mutated(tmp_path, WANGCHENG, change)
    assert filled(results) == []


def test_an_empty_glossary_and_empty_attachments_are_warnings_at_their_part(tmp_path):
    def change(text):
        text = re.sub(r"    glossary:\n(?:      - .*\n)+", "    glossary: []\n", text, count=1)
        return re.sub(r"    attachments:\n(?:      .*\n|\n)+", "    attachments: []\n", text, count=1)

    text, results = mutated(tmp_path, WANGCHENG, change)
    warned = filled(results)
    assert [(r.says.split("：")[0], r.mark.line) for r in warned] == [
        ("第四部分 名词解释 没有名词", place(text, "第四部分 名词解释")[0]),
        ("第五部分 附件 没有附件", place(text, "第五部分 附件")[0]),
    ]


@pytest.mark.parametrize(
    ("title", "outline", "same"),
    [
        ("一、部门职责", "一、部门职责", True),
        ("（一）内设机构设置", "（一）内设机构设置", True),
        ("1.部门职责", "一、部门职责", True),
        ("第一部分 长沙市望城区医疗保障局概况", "第一部分 {部门}概况", True),
        ("第二部分 2020年度部门决算表", "第二部分 {年度}年度部门决算表", True),
        ("一、部门职责和机构", "一、部门职责", False),
        ("第一部分 概况", "第一部分 {部门}概况", False),
    ],
)
def test_titles_match_the_outline_without_numbering_and_with_placeholders(title, outline, same):
    assert bool(title_pattern(outline).fullmatch(plain_title(title))) is same


def test_a_subject_the_form_set_requires_explained_is_found_under_any_title_or_warned(tmp_path):
    text, results = mutated(tmp_path, WANGCHENG, lambda t: t.replace("政府采购", "采购"))
    warned = [r for r in results if r.status == WARNING and r.says.startswith("没有说明政府采购")]
    assert len(warned) == 1 and warned[0].mark.line == place(text, "form_set:")[0]
    site, _ = load_site(DATA)
    document = next(d for d in site.documents if d.path.endswith(WANGCHENG))
    said = sorted(r.says.split("（")[0] for r in check_document(document) if r.says.startswith("说明了"))
    assert said == [
        "说明了“三公”经费",
        "说明了决算单位构成",
        "说明了国有资产占用",
        "说明了政府采购",
        "说明了机关运行经费",
        "说明了预算绩效",
    ]


def test_a_table_with_figures_whose_statement_says_it_is_empty_is_a_warning(tmp_path):
    def emptied(text):
        return text.replace(
            "          form: 公开07表\n", "          form: 公开07表\n          statement: 本表无数据\n", 1
        )

    text, results = mutated(tmp_path, WANGCHENG, emptied)
    warned = [r for r in results if r.status == WARNING and "有数字，说明却说此表为空" in r.says]
    assert [r.mark.line for r in warned] == [place(text, "form: 公开07表")[0]]
