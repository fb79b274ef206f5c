"""A bureau's record across documents: 预算 beside 决算, stepping between years, the prior year's figures."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from generator.check.document import check_document
from generator.core.results import OK, WARNING
from generator.load.loader import load_site
from generator.render.comparison import compare_bureau
from generator.render.pages import all_pages

from helpers import RECORD_ACTUAL as ACTUAL
from helpers import RECORD_BUDGET_2020 as BUDGET_2020
from helpers import write, write_document


def tree(data_dir: Path, prose_2020: str = "", prose_2019: str = "") -> Path:
    write_document(data_dir, ACTUAL.format(year=2020, total="330.00", prose=prose_2020))
    write(data_dir / "ceshi-ybj" / "2020" / "yusuan.yaml", BUDGET_2020)
    write(data_dir / "ceshi-ybj" / "2019" / "juesuan.yaml", ACTUAL.format(year=2019, total="300.00", prose=prose_2019))
    return data_dir


def loaded(data_dir: Path, **prose):
    site, problems = load_site(tree(data_dir, **prose))
    assert not problems.items, [str(p) for p in problems.items]
    return site


def test_budget_and_actual_are_compared_code_by_code(data_dir):
    site = loaded(data_dir)
    [comparison] = compare_bureau(site.bureaus[0])
    assert (comparison.year, comparison.measure) == (2020, "一般公共预算财政拨款支出（按功能分类科目）")
    rows = {row.code: row for row in comparison.rows}
    assert list(rows) == [None, "210", "21015", "2101501", "2101502"]
    assert (rows[None].budget, rows[None].actual, rows[None].difference) == (
        Decimal("300.00"),
        Decimal("330.00"),
        Decimal("30.00"),
    )
    assert rows["2101501"].completion == Decimal("165.00")  # 330 ÷ 200
    assert (rows["2101502"].budget, rows["2101502"].actual, rows["2101502"].completion) == (
        Decimal("100.00"),
        None,
        None,
    )


def test_the_comparison_page_and_the_links_to_it(data_dir):
    site = loaded(data_dir)
    pages = {page.src: page.whole for page in all_pages(site, data_dir / "no-content")}
    page = pages["ceshi-ybj/2020/duibi.md"]
    assert "<caption>2020年一般公共预算财政拨款支出（按功能分类科目）：预算与决算</caption>" in page
    assert re.search(
        r">2101501</td>.*?>200\.00</td><td[^>]*>330\.00</td><td[^>]*>130\.00</td><td[^>]*>165\.00%</td>", page
    )
    assert 'href="../yusuan/"' in page and 'href="../juesuan/"' in page  # the page is at ceshi-ybj/2020/duibi/
    assert 'href="2020/duibi/"' in pages["ceshi-ybj/index.md"]
    assert '<a href="../duibi/">2020年预算与决算对比</a>' in pages["ceshi-ybj/2020/juesuan/index.md"]
    assert "duibi" not in pages["ceshi-ybj/2019/juesuan/index.md"]  # no 预算 for 2019


def test_a_document_steps_to_the_same_kind_in_the_years_around_it(data_dir):
    site = loaded(data_dir)
    pages = {page.src: page.whole for page in all_pages(site, data_dir / "no-content")}
    actual_2020 = pages["ceshi-ybj/2020/juesuan/index.md"]
    assert '<a rel="prev" href="../../2019/juesuan/">‹ 2019年部门决算</a>' in actual_2020
    assert "本站未收录 2021 年部门决算" in actual_2020
    actual_2019 = pages["ceshi-ybj/2019/juesuan/index.md"]
    assert '<a rel="next" href="../../2020/juesuan/">2020年部门决算 ›</a>' in actual_2019
    budget = pages["ceshi-ybj/2020/yusuan/index.md"]
    assert "本站未收录 2019 年部门预算" in budget and "rel=" not in budget


def test_the_bureau_page_lists_every_year_and_kind_with_its_date_and_checks(data_dir):
    site = loaded(data_dir)
    page = next(p.whole for p in all_pages(site, data_dir / "no-content") if p.src == "ceshi-ybj/index.md")
    rows = re.findall(r"<tr><th scope=\"row\">(\d{4})</th>(.*?)</tr>", page)
    assert [year for year, _ in rows] == ["2020", "2019"]
    cells_2020 = re.findall(r"<td>(.*?)</td>", rows[0][1])
    assert "部门预算" in cells_2020[0] and "部门决算" in cells_2020[1] and cells_2020[2] == ""
    assert "公开日期：原件未载明" in cells_2020[0] and "核对" in cells_2020[1]


def test_the_home_page_lists_cities_and_each_city_page_its_documents_with_a_filter(data_dir):
    site = loaded(data_dir)
    pages = {p.src: p.whole for p in all_pages(site, data_dir / "no-content")}
    home = pages["index.md"]
    assert '<a href="diqu/测试省/测试市/">测试市</a>：1 个部门，3 份文件' in home
    assert "data-year" not in home  # no document listed on the home page: it does not grow with the site
    city = pages["diqu/测试省/测试市/index.md"]
    assert '<form class="gk-filter" hidden' in city  # shown by the script; without it everything is listed
    assert '<option value="测试省/测试市/测试区">测试区</option>' in city
    assert [y for y in re.findall(r'<option value="(\d{4})">', city)] == ["2020", "2019"]
    docs = re.findall(r'<li data-year="(\d{4})" data-kind="(..)">', city)
    assert sorted(docs) == [("2019", "决算"), ("2020", "决算"), ("2020", "预算")]
    assert 'href="../../../ceshi-ybj/2020/juesuan/"' in city


def prior_year_results(data_dir, sentence: str):
    site = loaded(data_dir, prose_2020=sentence)
    doc = next(d for d in site.documents if d.year == 2020 and d.kind == "决算")
    # the change's figures; its reason is another rule's (tests/test_prose_meaning.py)
    return [r for r in check_document(doc) if "上年" in r.says and "原因" not in r.says]


def test_a_change_on_the_prior_year_is_checked_against_that_years_document(data_dir):
    right = prior_year_results(data_dir, "合计330.00万元，与上年相比，增加30.00万元，增长10.00%。")
    assert [(r.status, r.expected, r.found) for r in right] == [
        (OK, Decimal("10.00"), Decimal("10.00")),  # 30 ÷ (330 − 30)
        (OK, Decimal("30.00"), Decimal("30.00")),  # 330 − 300 in the 2019 决算
    ]
    wrong = prior_year_results(data_dir, "合计330.00万元，与上年相比，增加20.00万元，增长6.00%。")
    assert [(r.status, r.expected, r.found) for r in wrong] == [
        (WARNING, Decimal("6.45"), Decimal("6.00")),  # 20 ÷ 310, a rate that does not follow from its own figures
        (WARNING, Decimal("30.00"), Decimal("20.00")),  # and last year's document says 300.00
    ]
    assert "与2019年部门决算中的“合计”对照" in wrong[1].says


def test_without_the_prior_years_document_only_the_rate_is_checked(data_dir):
    tree(data_dir, prose_2020="合计330.00万元，与上年相比，增加30.00万元，增长10.00%。")
    (data_dir / "ceshi-ybj" / "2019" / "juesuan.yaml").unlink()
    site, problems = load_site(data_dir)
    assert not problems.items
    doc = next(d for d in site.documents if d.year == 2020 and d.kind == "决算")
    only = [r for r in check_document(doc) if "上年" in r.says and "原因" not in r.says]
    assert [(r.status, r.expected) for r in only] == [(OK, Decimal("10.00"))]


def test_a_measure_naming_a_missing_form_or_column_is_reported(data_dir):
    forms = data_dir / "forms" / "hunan-juesuan-2020.yaml"
    text = forms.read_text(encoding="utf-8")
    forms.write_text(text.replace("公开05表:合计", "公开05表:总计"), encoding="utf-8")
    _, problems = load_site(data_dir)
    messages = [p.message for p in problems.items]
    assert (
        "measure '一般公共预算财政拨款支出（按功能分类科目）'：公开05表 按科目编码的行中没有金额列 '总计'" in messages
    )
