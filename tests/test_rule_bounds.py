"""A number as a rule's term: a bound a cell must respect (auditor's checks 24 and 25,
docs/auditor-rules.md). `columns: 合计 >= 0`: a negative amount needs explaining; `cells: 收入.总计 >= 0.01`:
a 收支总表 whose 总计 is 0 is anomalous; `columns: 占比 <= 100`: a share within its range. A bound is
written exactly, so unlike a printed figure it adds no rounding to allow for.
"""

from __future__ import annotations

import pytest

from generator.check.document import check_document
from generator.core.results import OK, WARNING
from generator.load.loader import load_site

from helpers import BASE, DATA, DOCUMENT_FILE, DONGXIHU, WANGCHENG, checked, mutated, place

SPENT = "本年支出合计: 29354.30"  # 公开03表, 210 卫生健康支出


def results_of(data, relative: str):
    return checked(data, relative)


def edited(tmp_path, relative: str, old: str, new: str):
    data, text = mutated(tmp_path, relative, old, new)
    return data, place(text, old)[0] + old.rstrip("\n").count("\n")


TOTALS = [
    (
        WANGCHENG,
        "公开01表 收入·总计 > 0",
        "结余: 4.26\n              总计: 29531.77",
        "结余: 4.26\n              总计: 0.00",
    ),
    (
        DONGXIHU,
        "表1 收入·收入总计 > 0",
        "合计: 2549.18\n              收入总计: 2549.18",
        "合计: 2549.18\n              收入总计: 0.00",
    ),
]


@pytest.mark.parametrize("relative, says, old, new", TOTALS, ids=["hunan", "hubei"])
def test_a_total_of_zero_is_a_warning_at_its_line(tmp_path, relative, says, old, new):
    line = place((DATA / relative).read_text(encoding="utf-8"), old)[0] + old.rstrip("\n").count("\n")
    assert [(r.status, r.mark.line) for r in results_of(DATA, relative) if r.says == says] == [(OK, line)]
    data, line = edited(tmp_path, relative, old, new)
    assert [(r.status, r.mark.line) for r in results_of(data, relative) if r.says == says] == [(WARNING, line)]


def not_negative(results, column: str):
    return [r for r in results if r.says.endswith(f"：{column} ≥ 0")]


def test_no_total_column_of_the_reference_data_is_negative():
    for relative, column in ((WANGCHENG, "本年支出合计"), (DONGXIHU, "总计")):
        found = not_negative(results_of(DATA, relative), column)
        assert len(found) > 20 and {r.status for r in found} == {OK}


def test_a_negative_amount_is_a_warning_at_its_line_even_by_a_cent(tmp_path):
    # -0.01 against the bound 0: a printed figure would be allowed a cent of rounding, a bound none.
    data, line = edited(tmp_path, WANGCHENG, SPENT, "本年支出合计: -0.01")
    found = [r for r in not_negative(results_of(data, WANGCHENG), "本年支出合计") if r.status != OK]
    assert [(r.status, r.mark.line, r.says) for r in found] == [
        (WARNING, line, "公开03表 210 卫生健康支出：本年支出合计 ≥ 0")
    ]


SHARE_COLUMN = '      - {key: 其他收入, label: 其他收入, type: amount, no: "7"}\n'
SHARE_RULE = (
    "      - columns: 本年收入合计 = 财政拨款收入 + 上级补助收入 + 事业收入 + 经营收入 + 附属单位上缴收入 + 其他收入\n"
)


def with_share_column(data_dir, rule: str, share: str):
    """The minimal document's 公开02表 given a percentage column 占比 and *rule* about it."""
    forms = data_dir / "forms" / "hunan-juesuan-2020.yaml"
    declared = forms.read_text(encoding="utf-8")
    assert declared.count(SHARE_COLUMN) == 1 and declared.count(SHARE_RULE) == 1
    declared = declared.replace(SHARE_COLUMN, SHARE_COLUMN + "      - {key: 占比, label: 占比, type: percent}\n")
    forms.write_text(declared.replace(SHARE_RULE, SHARE_RULE + f"      - columns: {rule}\n"), encoding="utf-8")
    row = "本年收入合计: 55.11}\n"
    text = BASE.replace(row, f"本年收入合计: 55.11, 占比: {share}}}\n", 1)
    (data_dir / DOCUMENT_FILE).write_text(text, encoding="utf-8")
    return place(text, f"占比: {share}")[0]


@pytest.mark.parametrize("share, status", [("100.00%", OK), ("120.50%", WARNING)])
def test_a_percentage_outside_its_declared_range_is_a_warning(data_dir, share, status):
    line = with_share_column(data_dir, "占比 <= 100", share)
    site, problems = load_site(data_dir)
    assert not problems.errors, problems.errors
    (document,) = site.documents
    found = [r for r in check_document(document) if r.says.endswith("：占比 ≤ 100")]
    assert [(r.status, r.mark.line) for r in found] == [(status, line)]


@pytest.mark.parametrize("rule", ["本年收入合计 = 占比", "占比 <= 本年收入合计", "本年收入合计 >= 零"])
def test_a_percentage_is_no_amount_and_a_bound_is_a_number(data_dir, rule):
    with_share_column(data_dir, rule, "50.00%")
    _, problems = load_site(data_dir)
    assert any("不是 公开02表 的金额列" in p.message for p in problems.errors), problems.errors
