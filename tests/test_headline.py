"""Headline figures (issue 21): what a document's overview and its bureau's page open with.

The form sets declare which cells answer a citizen's first questions (`headline:` in
data/forms/*.yaml); every figure is the table's own Decimal, links to its cell, and is left out
when the cell is blank. A change on the year needs the bureau's document of the same kind for the
year before; a 预算数 beside a 决算数 needs the table to print both.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from generator.core.amounts import format_amount
from generator.core.cells import find_cell, tables_by_form
from generator.load.loader import load_site
from generator.render.charts import headline_comparisons, region_comparisons
from generator.render.headline import headline
from generator.render.headline_html import render_headline
from generator.render.pages import document_pages, outline, region_pages

from helpers import DATA, DOCUMENT_FILE, SELF_EVALUATION, build_site, san_gong, write
from sitetools import WANGCHENG, Page, page_file, page_html, read_page, resolve

DONGXIHU = "wuhan-dongxihu-ybj/2020/yusuan"
YUHUA = "changsha-yuhua-ybj/2020/jixiao"
BEITA = "shaoyang-beita-ybj/2020/jixiao"


@pytest.fixture(scope="module")
def model():
    site, problems = load_site(DATA)
    assert not problems.errors
    return site


def document(site, slug: str):
    return next(d for d in site.documents if d.bureau.slug == slug)


def article(html: str) -> str:
    return html[html.index("<article") : html.index("</article>")]


# ---- the declarations ----


def test_each_form_set_declares_its_headline_as_cells_of_its_forms(model):
    for form_set in model.form_sets.values():
        if not form_set.forms:  # a set of 绩效 forms: its documents open with their scores and grades
            assert form_set.headline == [], form_set.id
            continue
        labels = [spec.label for spec in form_set.headline]
        assert labels == ["本年收入合计", "本年支出合计", "基本支出", "项目支出", "“三公”经费"], form_set.id
        for spec in form_set.headline:
            for ref in (spec.cell, spec.budget, *(i.cell for i in spec.items)):
                assert ref is None or ref.form in form_set.forms
    hunan = model.form_sets["hunan-juesuan-2020"].headline[-1]
    assert hunan.budget.text == "公开07表:预算合计" and [i.label for i in hunan.items][-1] == "公务接待费"


def test_a_headline_cell_the_forms_do_not_have_is_reported_at_its_line(data_dir):
    path = data_dir / "forms" / "hunan-juesuan-2020.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("    budget: 公开07表:预算合计\n", "    budget: 公开07表:预算合记\n", 1)
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("    budget: 公开07表:预算合记") + 1
    site, problems = load_site(data_dir)
    said = [str(p) for p in problems.errors]
    assert any(f"hunan-juesuan-2020.yaml:{line - 2}:" in s and "主要数字 '“三公”经费'" in s for s in said), said
    assert [s.label for s in site.form_sets["hunan-juesuan-2020"].headline][-1] == "项目支出"  # left out


# ---- the overview of a document ----


def test_the_overview_opens_with_the_figures_of_its_tables_before_its_contents(real_site, model):
    doc = document(model, "changsha-wangcheng-ybj")
    tables = tables_by_form(doc)
    html = article(page_html(real_site, f"{WANGCHENG}/"))
    assert html.index('id="zhuyao"') < html.index('class="gk-figures"') < html.index('id="mulu"')
    assert html.index('class="gk-figures"') < html.index('class="gk-docmeta"')
    shown = re.findall(
        r'<span class="gk-figure-label">([^<]+)</span><a class="gk-figure-value" href="[^"]+">([^<]+)</a>', html
    )
    expected = []
    for spec in doc.form_set.headline:
        _, value = find_cell(tables[spec.cell.form], spec.cell)
        expected.append((spec.label, f"{format_amount(value.amount)} 万元"))
    assert shown == expected
    assert ("“三公”经费", "2.29 万元") in shown and ("本年收入合计", "29,527.51 万元") in shown


def test_each_figure_links_to_its_cell_which_shows_the_same_amount(real_site):
    index = page_file(real_site, f"{WANGCHENG}/")
    links = Page(index.read_text(encoding="utf-8"))
    html = index.read_text(encoding="utf-8")
    # the headline, before the 汇总 of its 附件's 自评表 (whose rows link to their tables) and the 目录
    top = html[html.index('id="zhuyao"') : html.index('id="huizong"')]
    figures = re.findall(r'<a (?:class="gk-figure-value" )?href="([^"]+#[^"]+)">([^<]+)</a>', top)
    assert len(figures) >= 5 + 4 * 2  # five figures, and the 三公's four items with their 预算数
    for href, text in figures:
        target, anchor = resolve(real_site, index, href)
        cell = re.search(
            rf'<td class="gk-num" id="{re.escape(anchor)}"[^>]*>([^<]*)</td>', target.read_text(encoding="utf-8")
        )
        assert cell, href
        assert cell.group(1) == text.replace(" 万元", ""), (href, text)
    assert links.links  # the page parsed
    reception = read_page(real_site, f"{WANGCHENG}/part2/")
    assert "gk07-决算公务接待费" in reception.ids and "gk07-预算公务接待费" in reception.ids


def test_the_three_public_expenses_set_budget_against_actual(real_site):
    html = article(page_html(real_site, f"{WANGCHENG}/"))
    card = html[html.index("“三公”经费</span>") :]
    card = card[: card.index("</li>")]
    assert '预算数 <a href="part2/#gk07-预算合计">2.29 万元</a>，为预算的 100.00%' in card
    table = html[html.index('<table class="gk-figures-table">') :]
    table = table[: table.index("</table>")]
    assert '<th scope="col">预算数</th><th scope="col">决算数</th>' in table
    assert re.search(r"公务接待费</th><td[^>]*><a [^>]+>2\.29</a></td><td[^>]*><a [^>]+>2\.29</a>", table)


def test_a_budget_document_shows_its_own_figures_and_leaves_blank_cells_out(real_site, model):
    doc = document(model, "wuhan-dongxihu-ybj")
    figures = headline(doc, "x.md").figures
    three = figures[-1]
    # 东西湖's 表8 prints only 公务接待费 (the other rows are blank in the original): nothing filled in
    assert [(i.label, i.amount) for i in three.items] == [("公务接待费", Decimal("1.00"))]
    assert three.budget is None and all(f.previous is None for f in figures)
    html = article(page_html(real_site, f"{DONGXIHU}/"))
    assert '<th scope="col">预算数</th>' in html and '<th scope="col">决算数</th>' not in html


def test_a_performance_report_opens_with_its_scores_and_a_report_without_tables_with_none(real_site, model):
    figures = headline(document(model, "changsha-yuhua-ybj"), "x.md").figures
    assert [(f.amount, f.out_of, f.unit) for f in figures] == [(Decimal("100"), Decimal("100"), "分")]
    html = article(page_html(real_site, f"{YUHUA}/"))
    assert '<a class="gk-figure-value" href="part1/fujian2/#kaohe-pingfen">100 分</a>' in html and "满分 100" in html
    assert headline(document(model, "shaoyang-beita-ybj"), "x.md").figures == []
    assert 'id="zhuyao"' not in page_html(real_site, f"{BEITA}/")  # its grade is in its prose only


def test_a_self_evaluation_states_its_score_and_its_rate(data_dir):
    write(data_dir / DOCUMENT_FILE, SELF_EVALUATION)
    site, problems = load_site(data_dir)
    assert not problems.errors
    figures = headline(site.documents[0], "ceshi-ybj/2020/juesuan/index.md").figures
    assert [(f.label, f.amount, f.unit) for f in figures] == [
        ("公共专项绩效自评表：自评得分", Decimal("98.5"), "分"),
        ("公共专项绩效自评表：年度资金总额执行率", Decimal("95.00"), "%"),
    ]
    assert figures[0].href == "part1/#zpb-test"  # the table's section
    # no grade is written in the table: the one 98.5 earns by the national bands, and said so
    assert (figures[0].grade, figures[0].grade_stated) == ("优", False)
    assert "等级 优（表中未写，按表样的等级标准）" in render_headline(headline(site.documents[0], "x.md"))


def test_a_stated_grade_is_shown_as_stated_and_the_bands_are_the_forms(data_dir):
    stated = SELF_EVALUATION.replace(
        "total: {score: 100, scored: 98.5}", "total: {score: 100, scored: 98.5, grade: 良}"
    )
    write(data_dir / DOCUMENT_FILE, stated)
    site, _ = load_site(data_dir)
    figure = headline(site.documents[0], "x.md").figures[0]
    assert (figure.grade, figure.grade_stated) == ("良", True)
    assert "等级 良（表中写明）" in render_headline(headline(site.documents[0], "x.md"))


# ---- the year before ----


def test_a_change_on_the_year_only_against_the_same_kind_of_the_year_before(data_dir):
    folder = data_dir / "ceshi-ybj"
    (data_dir / DOCUMENT_FILE).unlink()
    write(folder / "2020" / "juesuan.yaml", san_gong(2020, "3.00", "2.50"))
    write(folder / "2019" / "juesuan.yaml", san_gong(2019, "3.00", "2.00", reception=False))
    write(folder / "2017" / "juesuan.yaml", san_gong(2017, "9.00", "9.00"))
    site, problems = load_site(data_dir)
    assert not problems.errors
    by_year = {d.year: d for d in site.documents}
    three = headline(by_year[2020], "x.md").figures[0]
    assert (three.amount, three.previous, three.previous_year) == (Decimal("2.50"), Decimal("2.00"), 2019)
    assert three.change == Decimal("0.50") and three.change_percent == Decimal("25.00")
    assert three.budget == Decimal("3.00") and three.completion == Decimal("83.33")
    reception = three.items[-1]
    assert reception.label == "公务接待费" and reception.previous is None  # blank in 2019: no change said
    assert [i.label for i in three.items] == ["因公出国（境）费", "公务用车购置费", "公务用车运行费", "公务接待费"]
    # 2019's year before (2018) is not on the site; 2017 is two years before: no change
    assert headline(by_year[2019], "x.md").figures[0].previous is None
    pages = {p.src: p for p in document_pages(site, by_year[2020])}
    overview = pages["ceshi-ybj/2020/juesuan/index.md"].html
    assert "比2019年增加0.50 万元（+25.00%）" in overview
    charts = headline_comparisons(by_year[2020])
    assert [c.title for c in charts] == ["“三公”经费：预算数与决算数", "主要数字：2019年与2020年"]
    years = charts[1]
    assert years.labels == ["“三公”经费"]
    assert [(s.name, s.values) for s in years.series] == [("2019年", [Decimal("2.00")]), ("2020年", [Decimal("2.50")])]
    budget = charts[0]
    assert budget.labels == ["因公出国（境）费", "公务用车购置费", "公务用车运行费", "公务接待费"]
    assert budget.series[0].values == [Decimal(0), Decimal(0), Decimal(0), Decimal("3.00")]
    assert budget.series[1].values == [Decimal(0), Decimal(0), Decimal(0), Decimal("2.50")]
    figure = re.search(r'<figure class="gk-chart" id="tu-shangnian">(.*?)</figure>', overview, re.S).group(1)
    assert '<figcaption class="gk-chart-title">主要数字：2019年与2020年</figcaption>' in figure
    assert '<th scope="col">2019年（万元）</th><th scope="col">2020年（万元）</th>' in figure
    assert '<tr><th scope="row">“三公”经费</th><td class="gk-num">2.00</td><td class="gk-num">2.50</td></tr>' in figure


# ---- charts that compare ----


def test_a_city_page_sets_its_bureaus_latest_figures_side_by_side(data_dir):
    """The bureaus of one city, from their outlines (the site-wide pages are made without tables):
    the latest year that two of them have a 决算, the largest first; a bureau of another city and a
    year only one bureau has are left out."""
    (data_dir / DOCUMENT_FILE).unlink()
    write(data_dir / "ceshi-ybj" / "2020" / "juesuan.yaml", san_gong(2020, "3.00", "2.50"))
    write(data_dir / "ceshi-ybj" / "2021" / "juesuan.yaml", san_gong(2021, "9.00", "9.00"))
    for slug, district, actual in (("dier-ybj", "第二区", "4.10"), ("disan-ybj", "第三区", "0.75")):
        write(
            data_dir / slug / "bureau.yaml",
            f"name: 测试市{district}医疗保障局\nshort_name: {district}医保局\nregion: 测试省/测试市/{district}\n",
        )
        write(data_dir / slug / "2020" / "juesuan.yaml", san_gong(2020, "5.00", actual))
    write(
        data_dir / "waidi-ybj" / "bureau.yaml", "name: 外地医疗保障局\nshort_name: 外地医保局\nregion: 测试省/外地市\n"
    )
    write(data_dir / "waidi-ybj" / "2020" / "juesuan.yaml", san_gong(2020, "5.00", "99.00"))
    site, problems = load_site(data_dir)
    assert not problems.errors
    city = [outline(b) for b in site.bureaus if b.region[:2] == ["测试省", "测试市"]]
    assert all(not part.sections for b in city for d in b.documents for part in d.parts)  # no tables
    [chart] = region_comparisons(city)
    assert chart.title == "“三公”经费：各部门2020年部门决算" and chart.unit == "万元"
    assert chart.labels == ["第二区医保局", "测试区医保局", "第三区医保局"]
    assert [(s.name, s.values) for s in chart.series] == [
        ("决算数", [Decimal("4.10"), Decimal("2.50"), Decimal("0.75")])
    ]
    outlined = type(site)(**{**vars(site), "bureaus": [outline(b) for b in site.bureaus]})
    page = next(p for p in region_pages(outlined) if "测试市" in p.src)
    figure = re.search(r'<figure class="gk-chart" id="tu-bumen-1">(.*?)</figure>', page.html, re.S).group(1)
    assert '<th scope="col">部门</th><th scope="col">决算数（万元）</th>' in figure
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th><td class="gk-num">([^<]+)</td></tr>', figure)
    assert rows == [("第二区医保局", "4.10"), ("测试区医保局", "2.50"), ("第三区医保局", "0.75")]
    assert 'id="duibi"' in page.html and "外地" not in figure
    other = next(p for p in region_pages(outlined) if "外地市" in p.src)
    assert 'id="duibi"' not in other.html  # one bureau: nothing to set it beside


def test_a_document_its_city_compares_links_to_the_comparison_and_no_other_does(data_dir, tmp_path):
    """Two bureaus of 测试市 have a 2020 决算: each one's page leads to the chart of the city's page
    that sets their figures side by side. The 2021 决算, which no other bureau of the city has, and
    the bureau of a city of its own, are compared with nothing: no link."""
    (data_dir / DOCUMENT_FILE).unlink()
    write(data_dir / "ceshi-ybj" / "2020" / "juesuan.yaml", san_gong(2020, "3.00", "2.50"))
    write(data_dir / "ceshi-ybj" / "2021" / "juesuan.yaml", san_gong(2021, "9.00", "9.00"))
    write(
        data_dir / "dier-ybj" / "bureau.yaml",
        "name: 测试市第二区医疗保障局\nshort_name: 第二区医保局\nregion: 测试省/测试市/第二区\n",
    )
    write(data_dir / "dier-ybj" / "2020" / "juesuan.yaml", san_gong(2020, "5.00", "4.10"))
    write(
        data_dir / "waidi-ybj" / "bureau.yaml", "name: 外地医疗保障局\nshort_name: 外地医保局\nregion: 测试省/外地市\n"
    )
    write(data_dir / "waidi-ybj" / "2020" / "juesuan.yaml", san_gong(2020, "5.00", "99.00"))
    site = build_site(data_dir, tmp_path / "site")
    for url in ("ceshi-ybj/2020/juesuan/", "dier-ybj/2020/juesuan/"):
        html = page_html(site, url)
        [(href, text)] = re.findall(r'<p class="gk-region-link"><a href="([^"]+)">([^<]+)</a>', html)
        assert text == "测试市各部门主要数字对比" and "本部门与测试市其他部门2020年部门决算的主要数字并列" in html
        where, anchor = resolve(site, page_file(site, url), href)
        assert where == page_file(site, "diqu/测试省/测试市/") and anchor == "duibi"
        assert f'id="{anchor}"' in where.read_text("utf-8")
        assert "<!--gk-region-link-->" not in html
    for url in ("ceshi-ybj/2021/juesuan/", "waidi-ybj/2020/juesuan/"):
        html = page_html(site, url)
        assert "gk-region-link" not in html.replace("<!--gk-region-link-->", "") and "diqu/" in html  # crumbs only


def test_the_overview_draws_budget_against_actual_and_says_a_single_bar_in_words(real_site):
    html = article(page_html(real_site, f"{WANGCHENG}/"))
    assert 'id="tu-yusuan-1"' in html and "“三公”经费：预算数与决算数" in html
    figure = re.search(r'<figure class="gk-chart" id="tu-yusuan-1">(.*?)</figure>', html, re.S).group(1)
    assert '<th scope="col">预算数（万元）</th><th scope="col">决算数（万元）</th>' in figure
    rows = re.findall(
        r'<tr><th scope="row">([^<]+)</th><td class="gk-num">([^<]+)</td><td class="gk-num">([^<]+)</td></tr>', figure
    )
    assert rows == [
        ("因公出国（境）费", "0.00", "0.00"),
        ("公务用车购置费", "0.00", "0.00"),
        ("公务用车运行费", "0.00", "0.00"),
        ("公务接待费", "2.29", "2.29"),
    ]
    # drawn as bars, two per item, the longest the largest amount
    assert figure.count('<li class="gk-series1">') == 4 and figure.count('<li class="gk-series2">') == 4
    assert (
        "“三公”经费：预算数与决算数：公务接待费预算数2.29万元，决算数2.29万元；"
        "因公出国（境）费、公务用车购置费、公务用车运行费均为零。" in html
    )
    # the share of the 三公 by 决算数 alone is one bar at 100 %: said in words instead of drawn
    assert "“三公”经费（决算数）" not in re.findall(r'<figcaption class="gk-chart-title">([^<]+)<', html)
    said = html[html.index('class="gk-charts-said"') :]
    assert "“三公”经费（决算数）：合计2.29万元，最大的一项是公务接待费2.29万元（占100.00%）。" in said


# ---- the bureau's page ----


def test_the_bureau_page_opens_with_its_latest_documents_figures(real_site):
    html = article(page_html(real_site, "changsha-wangcheng-ybj/"))
    assert html.index('id="zhuyao"') < html.index('id="documents"')
    assert '<h3 class="gk-headline-doc"><a href="2020/juesuan/">2020年部门决算</a></h3>' in html
    assert '<a class="gk-figure-value" href="2020/juesuan/part2/#gk07-决算合计">2.29 万元</a>' in html
    assert "gk-figures-table" not in html  # the items are on the document's overview
