"""Auditor's checks 36 and 37 (docs/auditor-rules.md) as the form sets declare them.

36: 财政拨款 本年支出 is the sum of the three fund tables' totals (公开04表 = 公开05表 + 公开08表 +
公开09表; 湖北表4 ≥ 表5 + 表9, 表4 also spending last year's carry-over). A table whose body is
missing leaves the rule 无法核对 rather than counting as 0; one whose statement says it is empty is 0.
37: 收入决算表 and 支出决算表 agree 科目 by 科目, as a warning (收入 and 支出 of a 科目 may differ).
"""

from __future__ import annotations

from generator.core.results import ERROR, OK, UNCHECKED, WARNING

from helpers import DATA, DONGXIHU, WANGCHENG, checked, mutated, place

HUNAN_SUM = "公开04表 支出·本年支出合计·合计 = 公开05表 合计·合计 + 公开08表 合计·小计 + 公开09表 合计·合计"
HUBEI_SUM = "表4 功能分类·本年功能科目支出合计·预算数 ≥ 表5 合计·总计 + 表9 合计·小计"
BY_CODE = "公开02表 {code} 本年收入合计 = 公开03表 {code} 本年支出合计"


def results_of(data, relative: str, says=lambda s: True):
    return [r for r in checked(data, relative) if says(r.says)]


def edited_copy(tmp_path, relative: str, old: str, new: str, occurrence: int = 1):
    """The reference data copied, *old* replaced by *new* at its *occurrence*; the line it is on."""
    data, text = mutated(tmp_path, relative, old, new, line_of=old, occurrence=occurrence)
    return data, place(text, old, occurrence)[0]


def by_code(says: str) -> bool:
    return says.startswith("公开02表 ") and "= 公开03表 " in says and "本年收入合计" in says


def test_income_and_spending_by_code_warn_where_the_printed_tables_differ():
    # 望城's 公开02表 prints 210, 21015 and 2101501 each 1.86 above 公开03表 (收入 29527.51 against
    # 支出 29525.64 in 公开01表): true of the original, so a warning and not an error.
    found = results_of(DATA, WANGCHENG, by_code)
    assert len(found) > 10
    misses = [(r.status, r.mark.line, r.says) for r in found if r.status != OK]
    assert misses == [
        (WARNING, 98, BY_CODE.format(code="210")),
        (WARNING, 110, BY_CODE.format(code="21015")),
        (WARNING, 111, BY_CODE.format(code="2101501")),
    ]


def test_one_income_figure_changed_is_a_warning_at_its_line(tmp_path):
    data, line = edited_copy(tmp_path, WANGCHENG, "本年收入合计: 0.71", "本年收入合计: 0.81")
    found = results_of(data, WANGCHENG, lambda s: s == BY_CODE.format(code="20808"))
    assert [(r.status, r.mark.line) for r in found] == [(WARNING, line)]


def test_hubei_fund_tables_are_within_the_fiscal_spending():
    found = results_of(DATA, DONGXIHU, lambda s: s == HUBEI_SUM)
    assert [(r.status, r.mark.line) for r in found] == [(OK, 296)]


def test_hubei_fiscal_spending_below_the_fund_tables_is_an_error_at_its_line(tmp_path):
    data, line = edited_copy(tmp_path, DONGXIHU, "本年功能科目支出合计: 2549.18", "本年功能科目支出合计: 2459.18", 2)
    assert line == 296
    found = results_of(data, DONGXIHU, lambda s: s == HUBEI_SUM)
    assert [(r.status, r.mark.line) for r in found] == [(ERROR, line)]


def test_a_fund_table_whose_body_is_missing_cannot_be_counted_as_zero(tmp_path):
    # 东西湖's 表9 has no rows and says 没有政府性基金预算财政拨款预算安排的支出: it counts as 0.
    # Its statement changed to one that does not say so, its 合计 is unknown.
    data, _ = edited_copy(tmp_path, DONGXIHU, "备注：2020年本部门没有政府性基金预算财政拨款预算安排的支出", "见原件")
    found = results_of(data, DONGXIHU, lambda s: s == HUBEI_SUM)
    assert [(r.status, r.reason) for r in found] == [(UNCHECKED, "表中没有所需的行：表9:合计.小计")]


def test_wangcheng_sum_of_fund_tables_is_unchecked_while_its_general_table_is_missing():
    # 望城's 公开05表 body is missing in the reference text (its statement says so, not that it is empty).
    found = results_of(DATA, WANGCHENG, lambda s: s == HUNAN_SUM)
    assert [(r.status, r.mark.line, r.reason) for r in found] == [
        (UNCHECKED, 204, "表中没有所需的行：公开05表:合计.合计")
    ]


def test_wangcheng_sum_of_fund_tables_with_its_general_table_filled_in(tmp_path):
    # 公开05表's 合计 as 公开04表 prints its 一般公共预算 本年支出 (29459.93): the three tables add up;
    # one figure changed, the rule reports it at 公开04表's 本年支出合计.
    for figure, status in (("29459.93", OK), ("29495.93", ERROR)):
        data, _ = edited_copy(tmp_path / figure, WANGCHENG, "rows: []", f"rows: [{{科目名称: 合计, 合计: {figure}}}]")
        found = results_of(data, WANGCHENG, lambda s: s == HUNAN_SUM)
        assert [(r.status, r.mark.line) for r in found] == [(status, 204)]
