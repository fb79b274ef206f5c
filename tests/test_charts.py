"""Charts: their figures are the tables' (Decimal, from data/), each page carries its data and a table,
and in a real browser they draw under the site's Content-Security-Policy at 375 and 1280 px."""

from __future__ import annotations

import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from generator.load.loader import load_site
from generator.render.charts import bureau_trends, document_charts

from helpers import DATA, build_site
from sitetools import ARTIFACTS, WANGCHENG, WATCH_POLICY, open_page, page_html, serving

DONGXIHU = "wuhan-dongxihu-ybj/2020/yusuan"


def document(site, slug_start: str, kind: str, year: int = 2020):
    return next(d for d in site.documents if d.bureau.slug.startswith(slug_start) and d.kind == kind and d.year == year)


@pytest.fixture(scope="module")
def real_model():
    site, problems = load_site(DATA)
    assert not problems
    return site


@pytest.fixture(scope="module")
def several_years(tmp_path_factory) -> Path:
    """data/ with 望城区's 2020 决算 also filed as its 2021 决算 and 东西湖区's 预算 as 望城区's 2020 预算:
    a bureau with two years and with 预算 and 决算 of one year (the real data has neither)."""
    root = tmp_path_factory.mktemp("years") / "data"
    shutil.copytree(DATA, root)
    bureau = root / "changsha-wangcheng-ybj"
    text = (bureau / "2020" / "juesuan.yaml").read_text(encoding="utf-8")
    # 2021: the same document with its 收入 by 一般公共预算 raised by 100.00 (and the totals with it),
    # so that the trend has two different years.
    # The other tables keep 2020's figures, so the copy is published as is (its cross-table checks fail).
    text_2021 = re.sub(r"(?m)^year: 2020$", "year: 2021\npublished_as_is: true", text, count=1)
    text_2021 = text_2021.replace("一般公共预算财政拨款收入: 29455.67", "一般公共预算财政拨款收入: 29555.67", 1)
    text_2021 = text_2021.replace("本年收入合计: 29527.51", "本年收入合计: 29627.51", 1)
    (bureau / "2021").mkdir()
    (bureau / "2021" / "juesuan.yaml").write_text(text_2021, encoding="utf-8")
    shutil.copy(root / "wuhan-dongxihu-ybj" / "2020" / "yusuan.yaml", bureau / "2020" / "yusuan.yaml")
    return root


# ---- the figures ----


def test_income_by_source_is_the_tables_figures(real_model):
    """望城区 2020 决算, 公开01表 收入 as printed (seed 000): each source, 本年收入合计 and the shares."""
    charts = {c.title: c for c in document_charts(document(real_model, "changsha-wangcheng", "决算"))}
    income = charts["收入构成（按来源）"]
    amounts = {p.label: p.amount for p in income.parts}
    assert amounts["一般公共预算财政拨款收入"] == Decimal("29455.67")
    assert amounts["政府性基金预算财政拨款收入"] == Decimal("57.48")
    assert amounts["其他收入"] == Decimal("14.36")
    assert amounts["事业收入"] == Decimal("0.00")
    assert len(amounts) == 8  # 一、 to 八、: the 收入 rows above 本年收入合计, none of the blank lines 9–26
    assert all(isinstance(a, Decimal) for a in amounts.values())
    assert (income.total, income.total_label, income.unit) == (Decimal("29527.51"), "本年收入合计", "万元")
    # 29455.67 ÷ 29527.51 = 99.7567…%
    assert income.parts[0].share(income.total) == Decimal("99.76")
    assert "一般公共预算财政拨款收入29,455.67万元（占99.76%）" in income.summary()


def test_spending_by_class_basic_and_project_and_sangong(real_model):
    charts = {c.title: c for c in document_charts(document(real_model, "changsha-wangcheng", "决算"))}
    spending = charts["支出构成（按功能分类科目）"]
    assert {p.label: p.amount for p in spending.parts if p.amount} == {
        "社会保障和就业支出": Decimal("55.11"),
        "卫生健康支出": Decimal("29354.30"),
        "农林水支出": Decimal("0.45"),
        "住房保障支出": Decimal("58.30"),
        "其他支出": Decimal("57.48"),
    }
    assert spending.total == Decimal("29525.64")
    basic = charts["基本支出与项目支出"]
    assert [(p.label, p.amount) for p in basic.parts[:2]] == [
        ("基本支出", Decimal("1006.78")),
        ("项目支出", Decimal("28518.86")),
    ]
    assert [p.share(basic.total) for p in basic.parts[:2]] == [Decimal("3.41"), Decimal("96.59")]  # as 情况说明 says
    sangong = charts["“三公”经费（决算数）"]
    assert sangong.total == Decimal("2.29")
    assert {p.label: p.amount for p in sangong.parts}["公务接待费"] == Decimal("2.29")


def test_a_budget_of_another_form_set_gets_the_same_charts(real_model):
    charts = {c.title: c for c in document_charts(document(real_model, "wuhan-dongxihu", "预算"))}
    assert set(charts) == {
        "收入构成（按来源）",
        "支出构成（按功能分类科目）",
        "基本支出与项目支出",
        "“三公”经费（预算数）",
    }
    assert {p.label: p.amount for p in charts["基本支出与项目支出"].parts} == {
        "基本支出": Decimal("659.40"),
        "项目支出": Decimal("1889.78"),
    }
    spending = charts["支出构成（按功能分类科目）"]
    assert {p.label: p.amount for p in spending.parts if p.amount}["卫生健康支出"] == Decimal("2456.17")
    assert spending.total == Decimal("2549.18")


def test_documents_without_form_tables_have_no_charts(real_model):
    assert document_charts(document(real_model, "shaoyang-beita", "绩效")) == []


def test_trend_of_a_bureau_with_two_years(several_years):
    site, _ = load_site(several_years)
    bureau = next(b for b in site.bureaus if b.slug == "changsha-wangcheng-ybj")
    (trend,) = bureau_trends(bureau)  # 决算 in 2020 and 2021; one 预算 only: no trend of 预算
    assert trend.kind == "决算" and trend.years == [2020, 2021]
    series = {s.name: s.values for s in trend.series}
    assert series["本年收入合计"] == {2020: Decimal("29527.51"), 2021: Decimal("29627.51")}
    assert series["本年支出合计"] == {2020: Decimal("29525.64"), 2021: Decimal("29525.64")}
    assert series["“三公”经费"] == {2020: Decimal("2.29"), 2021: Decimal("2.29")}
    one_year = next(b for b in site.bureaus if b.slug == "wuhan-dongxihu-ybj")
    assert bureau_trends(one_year) == []


def test_a_chart_naming_an_unknown_row_is_reported_at_its_line(data_dir):
    forms = data_dir / "forms" / "hunan-juesuan-2020.yaml"
    text = forms.read_text(encoding="utf-8")
    forms.write_text(text.replace("公开03表:合计.基本支出", "公开03表:合计.基本支岀", 1), encoding="utf-8")
    _, problems = load_site(data_dir)
    messages = [str(p) for p in problems.errors]
    line = next(i for i, x in enumerate(text.splitlines(), 1) if "公开03表:合计.基本支出" in x)
    assert any(f"hunan-juesuan-2020.yaml:{line}:" in m and "基本支岀" in m for m in messages), messages


# ---- the built pages ----


def chart_blocks(html: str) -> dict[str, dict]:
    return {
        anchor: json.loads(text)
        for anchor, text in re.findall(
            r'<script type="application/json" class="gk-chart-data" id="([^"]+)-data">(.*?)</script>', html
        )
    }


def test_the_document_page_carries_each_charts_data_and_table(real_site, real_model):
    html = page_html(real_site, f"{WANGCHENG}/")
    blocks = chart_blocks(html)
    assert len(blocks) == 4
    income = blocks["tu-1"]
    assert income["type"] == "share" and income["unit"] == "万元" and income["total"] == "29527.51"
    model = document_charts(document(real_model, "changsha-wangcheng", "决算"))[0]
    assert dict(zip(income["labels"], map(Decimal, income["values"]), strict=True)) == {
        p.label: p.amount for p in model.parts if p.amount
    }
    figure = re.search(r'<figure class="gk-chart" id="tu-1">(.*?)</figure>', html, re.S).group(1)
    assert (
        'role="img" aria-label="收入构成（按来源）：本年收入合计29,527.51万元，最大的3项是一般公共预算财政拨款收入29,455.67万元（占99.76%）'
        in figure
    )
    table = re.search(r"<table.*?</table>", figure, re.S).group(0)
    assert "<caption>收入构成（按来源）（单位：万元，数字取自公开01表）</caption>" in table
    assert '<th scope="col">金额（万元）</th>' in table
    assert (
        '<tr><th scope="row">一般公共预算财政拨款收入</th><td class="gk-num">29,455.67</td><td class="gk-num">99.76%</td></tr>'
        in table
    )
    assert "为零或空白的项目：国有资本经营预算财政拨款收入、上级补助收入" in figure
    assert 'id="tubiao"' in html
    assert '<script src="../../../assets/echarts/echarts.common.min.js" defer></script>' in html
    assert '<script src="../../../assets/gongkai-charts.js" defer></script>' in html
    assert len(html.encode()) <= 150_000
    # no inline script: every <script> is data or a file of the site
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert 'type="application/json"' in tag or re.search(r'src="(\.\./)*assets/', tag), tag


def test_pages_without_charts_do_not_load_the_library(real_site):
    for page in (f"{WANGCHENG}/part2/index.html", "index.html", "shaoyang-beita-ybj/2020/jixiao/index.html"):
        html = page_html(real_site, page)
        assert "echarts" not in html and "gk-chart-data" not in html, page
    assert (real_site / "assets" / "echarts" / "echarts.common.min.js").stat().st_size > 500_000
    assert "Apache License" in (real_site / "assets" / "echarts" / "LICENSE").read_text(encoding="utf-8")
    assert "Apache ECharts" in (real_site / "assets" / "echarts" / "NOTICE").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def years_site(several_years, tmp_path_factory) -> Path:
    return build_site(several_years, tmp_path_factory.mktemp("years-built") / "site")


def test_bureau_page_trend_and_comparison_chart(years_site):
    bureau = page_html(years_site, "changsha-wangcheng-ybj/")
    trend = chart_blocks(bureau)["qushi-决算"]
    assert trend["labels"] == ["2020年", "2021年"]
    assert {s["name"]: s["values"] for s in trend["series"]}["本年收入合计"] == ["29527.51", "29627.51"]
    assert '<tr><th scope="row">2021年</th><td class="gk-num">29,627.51</td>' in bureau
    assert 'id="lishi"' in bureau
    comparison = page_html(years_site, "changsha-wangcheng-ybj/2020/duibi/")
    (block,) = chart_blocks(comparison).values()
    assert block["type"] == "compare"
    assert [s["name"] for s in block["series"]] == ["预算数", "决算数"]
    # 合计 and the 类 rows (three-digit codes) of 东西湖区's 表6, the 预算 side
    assert dict(zip(block["labels"], block["series"][0]["values"], strict=True)) == {
        "合计": "2549.18",
        "社会保障和就业支出": "26.95",
        "卫生健康支出": "2456.17",
        "节能环保支出": "21.60",
        "住房保障支出": "44.46",
    }


# ---- in a real browser ----


@pytest.fixture(scope="module")
def years_server(years_site):
    with serving(years_site) as address:
        yield address


CHART_PAGES = {
    "document": (f"{WANGCHENG}/", 4),
    # its income (all 财政拨款) and its 三公 by 预算数 (all 公务接待费) are one part each: said in
    # a sentence, not drawn as a single bar at 100 %
    "hubei-document": (f"{DONGXIHU}/", 2),
    "bureau-trend": ("changsha-wangcheng-ybj/", 1),
    "budget-vs-actual": ("changsha-wangcheng-ybj/2020/duibi/", 1),
}


@pytest.mark.parametrize("name", CHART_PAGES)
@pytest.mark.parametrize("width", [375, 1280])
def test_charts_draw_in_a_real_browser(browser, years_server, name, width):
    path, count = CHART_PAGES[name]
    # A refused inline style or script is listed in window.__violations, whether or not the console shows it.
    page, foreign, errors = open_page(browser, years_server + path, width, init_script=WATCH_POLICY)
    page.wait_for_function(f"document.querySelectorAll('.gk-chart-canvas svg').length === {count}", timeout=5000)
    sizes = page.evaluate(
        "[...document.querySelectorAll('.gk-chart-canvas svg')].map(s => [s.getBoundingClientRect().width,"
        " s.getBoundingClientRect().height, s.querySelectorAll('path').length])"
    )
    assert len(sizes) == count
    for w, h, paths in sizes:
        assert 0 < w <= width and h > 50 and paths > 0
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"
    assert page.evaluate("window.__violations") == []
    assert not foreign and not errors
    # the labels name the parts: the largest part's name is text in the drawing
    text = page.evaluate(
        "[...document.querySelectorAll('.gk-chart-canvas svg text')].map(t => t.textContent).join('|')"
    )
    expected = {
        "document": "一般公共预算财政拨款收入",
        "hubei-document": "卫生健康支出",
        "bureau-trend": "29,627.51",
        "budget-vs-actual": "卫生健康支出",
    }
    assert expected[name] in text
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(".gk-charts").first.screenshot(path=str(ARTIFACTS / f"charts-{name}-{width}.png"))
    page.context.close()


def test_without_javascript_the_tables_still_show_the_figures(browser, years_server):
    context = browser.new_context(viewport={"width": 375, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    page.goto(years_server + f"{WANGCHENG}/")
    table = page.locator("#tu-1 table")
    assert table.is_visible()
    assert "29,455.67" in table.inner_text()
    assert page.locator("#tu-1 .gk-chart-canvas").bounding_box()["height"] == 0  # no empty box in the way
    context.close()
