"""Auditor's check 61 (docs/auditor-rules.md), 混用标点: half-width punctuation between Chinese
characters and a bracket pair half full-width, half half-width (check/text_quality.py, the marks
are `wording.halfwidth_punctuation` and `wording.mixed_brackets`). One warning per text and kind."""

from __future__ import annotations

from generator.check.document import check_document
from generator.core.results import WARNING
from generator.load.loader import load_site

from helpers import DATA, DONGXIHU, WANGCHENG, found, mutated, place

STATED = "29527.51万元，其中"


def punctuation(data, relative: str):
    return found(data, relative, "半角标点", "括号一半全角")


def test_the_original_contents_print_a_title_with_mixed_brackets():
    # 东西湖's 目录 prints 基本支出表（经济分类款级) (the table's own title closes with ）)
    mixed = [x for x in punctuation(DATA, DONGXIHU) if "括号" in x[2]]
    assert [(status, line) for status, line, _ in mixed] == [(WARNING, 359)]
    assert "（经济分类款级)" in mixed[0][2]


def test_one_half_width_comma_is_a_warning_at_its_section(tmp_path):
    before = punctuation(DATA, WANGCHENG)
    data, text = mutated(tmp_path, WANGCHENG, STATED, STATED.replace("，", ","))
    added = [x for x in punctuation(data, WANGCHENG) if x not in before]
    line = place(text, '- title: "二、收入决算情况说明"')[0]
    assert added == [
        (
            WARNING,
            line,
            "“二、收入决算情况说明”中文句中有半角标点“,”（“合计29527.51万元,其中：财政拨款收入295”，共 1 处）："
            "请照原件核对，中文用全角标点",
        )
    ]


def test_the_unchanged_reference_data_warns_where_the_originals_print_half_width_marks():
    # Each is in the seeds as printed: 望城's 部门整体自评表 and reports (文件,拟订; 要求,我局), 雨花's
    # 医药监管科(行政审批和政务服务科）, 北塔's 11人(其中：…2人）, 东西湖's 目录 and 申报表 (工作,让).
    site, problems = load_site(DATA)
    assert not problems.errors
    found = sorted(
        (r.mark.path.split("/")[1], r.mark.line)
        for d in site.documents
        for r in check_document(d)
        if "半角标点" in r.says or "括号一半全角" in r.says
    )
    assert found == [
        *[("changsha-wangcheng-ybj", line) for line in (537, 537, 537, 611, 618, 621, 724, 731, 734)],
        ("changsha-yuhua-ybj", 108),
        ("changsha-yuhua-ybj", 129),
        ("shaoyang-beita-ybj", 71),
        *[("wuhan-dongxihu-ybj", line) for line in (359, 513, 513, 576, 796, 801, 806)],
    ]
