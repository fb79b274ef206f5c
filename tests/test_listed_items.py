"""Auditor's check 46 (docs/auditor-rules.md): the items a section lists under a figure add up to it
(check/statements.py). 东西湖's 预算 lists its 项目支出 1889.78 万元 as six numbered items and its
人员经费 578.15 万元 as two; both add up. A sum off by no more than the items' printed rounding is a
notice, more a warning, at the section's title."""

from __future__ import annotations

import pytest

from generator.core.results import NOTICE, OK, WARNING

from helpers import DATA, DONGXIHU, checked, found, mutated, place

PROJECTS = "- title: (二)项目支出1889.78万元。"
BASIC = "- title: (一)基本支出659.4万元。其中："


def listed(data):
    return found(data, DONGXIHU, "所列")


def test_the_reference_lists_add_up():
    assert [(status, line, says) for status, line, says in listed(DATA) if "三公" not in says] == [
        (OK, 117, "“(一)基本支出659.4万元。其中：”：基本支出659.4万元 = 所列 2 项之和"),
        (OK, 117, "“(一)基本支出659.4万元。其中：”：人员经费578.15万元 = 所列 2 项之和"),
        (OK, 126, "“(二)项目支出1889.78万元。”：项目支出1889.78万元 = 所列 6 项之和"),
    ]


@pytest.mark.parametrize(
    "old, new, needle, status, says",
    [
        ("(6)一般行政管理事务99.78万元", "(6)一般行政管理事务98.78万元", PROJECTS, WARNING,
         "“(二)项目支出1889.78万元。”：项目支出1889.78万元 = 所列 6 项之和：应为 1,888.78，文中为 1,889.78，相差 1.00"),
        ("(3)优抚对象医疗补助1200万元", "(3)优抚对象医疗补助1200.4万元", PROJECTS, NOTICE,
         "“(二)项目支出1889.78万元。”：项目支出1889.78万元 = 所列 6 项之和"),
        ("(2)对个人和家庭的补助0万元", "(2)对个人和家庭的补助5万元", BASIC, WARNING,
         "“(一)基本支出659.4万元。其中：”：人员经费578.15万元 = 所列 2 项之和：应为 583.15，文中为 578.15，相差 -5.00"),
    ],
)  # fmt: skip
def test_a_changed_item_is_reported_at_the_section(tmp_path, old, new, needle, status, says):
    data, text = mutated(tmp_path, DONGXIHU, old, new)
    changed = [r for r in checked(data, DONGXIHU, "所列") if (r.status, r.mark.line, r.says) not in listed(DATA)]
    assert [(r.status, r.mark.line) for r in changed] == [(status, place(text, needle)[0])]
    assert changed[0].explain().startswith(says)
