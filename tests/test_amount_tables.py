"""One-off tables of amounts (no form): typed columns, checked 合计 and 占比, figures prose can quote."""

from __future__ import annotations

from decimal import Decimal

from generator.check.document import check_document
from generator.core.model import AmountTable
from generator.core.results import ERROR, OK, WARNING
from generator.load.loader import load_site

from helpers import AMOUNT_TABLE_DOCUMENT, load_document, write_document


def results_of(data_dir, text=AMOUNT_TABLE_DOCUMENT):
    document = load_document(data_dir, text)
    return document, check_document(document)


def test_a_table_of_amounts_loads_with_typed_cells(data_dir):
    document, _ = results_of(data_dir)
    table = next(t for _, t in document.tables() if isinstance(t, AmountTable))
    rows = table.block.rows
    assert [r.label for r in rows] == ["办公费", "印刷费", "电费", "合计"]
    assert rows[1].cells["决算支出"].amount == Decimal("10")
    assert (rows[1].cells["占比"].amount, rows[1].cells["占比"].text) == (Decimal("33.3"), "33.3%")
    assert rows[-1].total


def test_its_total_and_shares_hold(data_dir):
    _, results = results_of(data_dir)
    table_results = [r for r in results if r.says.startswith("日常公用经费明细")]
    assert len(table_results) == 5  # the 合计 and four shares
    assert all(r.status == OK for r in table_results), [r.explain() for r in table_results]


def test_a_wrong_total_a_wrong_share_and_a_misquoted_figure_are_reported(data_dir):
    text = AMOUNT_TABLE_DOCUMENT.replace("决算支出: 30.00, 占比: 100%", "决算支出: 31.00, 占比: 100%")
    text = text.replace("占比: 66.67%", "占比: 60%").replace("日常公用经费30.00万元", "日常公用经费33.00万元")
    _, results = results_of(data_dir, text)
    bad = {(r.status, r.says) for r in results if r.status != OK}
    assert (ERROR, "日常公用经费明细：日常公用经费明细“合计”决算支出 = 各项之和") in bad
    shares = [r for r in results if r.status == WARNING and "办公费”的占比" in r.says]
    assert [(r.expected, r.found) for r in shares] == [(Decimal("65"), Decimal("60"))]  # 20 ÷ 31, at 60%'s precision
    quoted = [r for r in results if r.status == WARNING and "日常公用经费33.00万元" in r.says]
    assert [(r.expected, r.found) for r in quoted] == [(Decimal("31.00"), Decimal("33.00"))]


def test_a_percentage_without_its_sign_is_refused_except_a_printed_zero(data_dir):
    write_document(data_dir, AMOUNT_TABLE_DOCUMENT.replace("占比: 33.3%", "占比: 33.3"))
    _, problems = load_site(data_dir)
    assert [p.message for p in problems.items] == ["'33.3' 少了 '%'：请照原件写百分比，如 33.3%"]


def test_mistakes_in_a_table_of_amounts_are_reported_at_their_line(data_dir):
    text = AMOUNT_TABLE_DOCUMENT.replace("{label: 印刷费, 决算支出: 10,", "{label: 印刷费, 决算支出额: 10,").replace(
        "total: true, 决算支出: 30.00", "total: yes, 决算支出: 30.00"
    )
    write_document(data_dir, text)
    _, problems = load_site(data_dir)
    assert [(p.mark.line, p.message) for p in problems.sorted()] == [
        (17, "'日常公用经费明细' 的行中没有键 '决算支出额'：可写的键有 label、total、决算支出、占比"),
        (19, "这里应写 true 或 false，却是 'yes'"),
    ]
