"""Auditor's check 53 (docs/auditor-rules.md): the funds a 绩效 statement of projects covers are at
most the tables' 项目支出 (check/statements.py, the words are the form set's `wording:`)."""

from __future__ import annotations

from generator.core.results import OK, WARNING

from helpers import DATA, DONGXIHU, WANGCHENG, checked, mutated, place

SPECIAL = "涉及金额9300万元"


def funds(data, relative: str):
    return [(r.status, r.mark.line, r.says) for r in checked(data, relative) if r.says.endswith("≤ 表中“项目支出”")]


def test_wangcheng_special_projects_are_within_its_project_spending():
    # 部门整体支出 (涉及金额10276万元) names no project: the whole of the spending may be evaluated
    text = (DATA / WANGCHENG).read_text(encoding="utf-8")
    line = place(text, '- title: "十三、关于2020年度预算绩效情况的说明"')[0]
    assert funds(DATA, WANGCHENG) == [
        (OK, line, "“十三、关于2020年度预算绩效情况的说明”：涉及金额9300万元 ≤ 表中“项目支出”")
    ]


def test_dongxihu_states_its_whole_spending_as_its_projects_funds():
    # The original: 部门项目绩效目标涉及一般公共预算本年财政拨款数 2549.18 万元 — the whole of 表5
    # (基本 659.40 + 项目 1889.78): more than the 项目支出 its tables print.
    assert funds(DATA, DONGXIHU) == [
        (
            WARNING,
            167,
            "“(四) 绩效目标设置情况”：年部门项目绩效目标涉及一般公共预算本年财政拨款数2549.18万元 ≤ 表中“项目支出”",
        )
    ]


def test_funds_above_the_project_spending_are_a_warning_at_the_section(tmp_path):
    data, text = mutated(tmp_path, WANGCHENG, SPECIAL, "涉及金额29300万元")
    [(status, line, says)] = funds(data, WANGCHENG)
    assert (status, line) == (WARNING, place(text, '- title: "十三、关于2020年度预算绩效情况的说明"')[0])
    assert "涉及金额29300万元" in says
