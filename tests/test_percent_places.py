"""Auditor's check 27 (docs/auditor-rules.md): a percentage in prose has at most the form set's
`percent_places:` decimals (2 in both reference form sets); a form set without it is not checked."""

from __future__ import annotations

import shutil

import pytest

from generator.check.document import check_document
from generator.core.results import WARNING
from generator.load.loader import load_site

from helpers import DATA, place

DONGXIHU = "wuhan-dongxihu-ybj/2020/yusuan.yaml"
FORMS = "forms/hubei-yusuan-2020.yaml"


def percentages(data):
    site, problems = load_site(data)
    assert not problems.errors, problems.errors
    document = next(d for d in site.documents if d.path.endswith(DONGXIHU))
    return [(r.status, r.mark.line, r.says) for r in check_document(document) if "位小数" in r.says]


def test_the_reference_prose_writes_two_decimals_at_most():
    assert percentages(DATA) == []


@pytest.mark.parametrize("declared", [True, False], ids=["declared", "undeclared"])
def test_three_decimals_are_a_warning_where_the_form_set_declares_two(tmp_path, declared):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    path = data / DONGXIHU
    text = path.read_text(encoding="utf-8")
    assert text.count("占25.86%") == 1
    path.write_text(text.replace("占25.86%", "占25.867%"), encoding="utf-8")
    if not declared:
        forms = data / FORMS
        forms.write_text(forms.read_text(encoding="utf-8").replace("percent_places: 2\n", ""), encoding="utf-8")
    found = percentages(data)
    if not declared:
        assert found == []
        return
    line = place(text, "- title: （二）部门支出预算安排情况")[0]
    assert [(status, at) for status, at, _ in found] == [(WARNING, line)]
    assert "百分比“25.867%”有 3 位小数" in found[0][2] and found[0][2].endswith("最多写 2 位")
