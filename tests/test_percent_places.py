"""Auditor's check 27 (docs/auditor-rules.md): a percentage in prose has at most the form set's
`percent_places:` decimals (2 in both reference form sets); a form set without it is not checked."""

from __future__ import annotations

import pytest

from generator.core.results import WARNING

from helpers import DATA, DONGXIHU, found, mutated, place

FORMS = "forms/hubei-yusuan-2020.yaml"


def percentages(data):
    return found(data, DONGXIHU, "位小数")


def test_the_reference_prose_writes_two_decimals_at_most():
    assert percentages(DATA) == []


@pytest.mark.parametrize("declared", [True, False], ids=["declared", "undeclared"])
def test_three_decimals_are_a_warning_where_the_form_set_declares_two(tmp_path, declared):
    data, text = mutated(tmp_path, DONGXIHU, "占25.86%", "占25.867%")
    if not declared:
        forms = data / FORMS
        forms.write_text(forms.read_text(encoding="utf-8").replace("percent_places: 2\n", ""), encoding="utf-8")
    reported = percentages(data)
    if not declared:
        assert reported == []
        return
    line = place(text, "- title: （二）部门支出预算安排情况")[0]
    assert [(status, at) for status, at, _ in reported] == [(WARNING, line)]
    assert "百分比“25.867%”有 3 位小数" in reported[0][2] and reported[0][2].endswith("最多写 2 位")
