"""A way through a document, and from the home page to a figure (issue 21).

The document's 目录 on every one of its pages (the theme's navigation: the drawer on a phone, the
sidebar on a wide screen; tests/test_theme.py holds its markup to Material's), 上一部分/下一部分,
a long part's own contents, the whole document on one page, and the home page's search box and
latest documents. The browser tests run at 320, 375 and 1280 px and leave screenshots of each
kind of page in test-artifacts/ (nav-*.png) for a person to look at.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from urllib.parse import unquote

import pytest

from generator.build.search import searchable
from generator.core import urls
from generator.core.amounts import format_amount
from generator.core.cells import find_cell, tables_by_form
from generator.load.loader import load_site

from helpers import DATA
from sitetools import ARTIFACTS, WANGCHENG, Page, open_page, page_file, page_html, read_page, resolve

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
# WCAG 2.1 A and AA, and 2.2's target size (2.5.8: 24 px, or spaced as far apart).
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONES = [320, 375]
KINDS = {
    "home": "",
    "city": "diqu/湖南省/长沙市/",
    "bureau": "changsha-wangcheng-ybj/",
    "document": f"{WANGCHENG}/",
    "performance": "changsha-yuhua-ybj/2020/jixiao/",
    "budget": "wuhan-dongxihu-ybj/2020/yusuan/",
    "tables": f"{WANGCHENG}/part2/",
    "long-part": f"{WANGCHENG}/part3/",
    "attachment": f"{WANGCHENG}/part5/zhengti/",
    "checks": f"{WANGCHENG}/checks/",
    "full-text": f"{WANGCHENG}/quanwen/",
}


def article(html: str) -> str:
    return html[html.index("<article") : html.index("</article>")]


# ---- in the pages as built ----


def test_each_part_links_the_parts_before_and_after_it_in_reading_order(real_site):
    def pager(url: str) -> list[tuple[str, str]]:
        html = article(page_html(real_site, url))
        found = re.findall(r'<a class="gk-pager-(prev|next)" rel="\1" href="([^"]+)">', html)
        for _, href in found:
            target, _ = resolve(real_site, page_file(real_site, url), href)
            assert target.is_file(), (url, href)
        return found

    assert pager(f"{WANGCHENG}/part1/") == [("prev", "../"), ("next", "../part2/")]  # from the overview
    assert pager(f"{WANGCHENG}/part3/") == [("prev", "../part2/"), ("next", "../part4/")]
    assert pager(f"{WANGCHENG}/part5/") == [("prev", "../part4/"), ("next", "zhengti/")]  # into its attachments
    last = pager(f"{WANGCHENG}/part5/qita-yibao/")
    assert last == [("prev", "../yiliao-jiuzhu/")]  # the last attachment ends the document
    html = page_html(real_site, f"{WANGCHENG}/part3/")
    assert "下一部分 ›</span>第四部分 名词解释</a>" in html and 'href="../quanwen/">在一页中阅读全文' in html


def test_a_long_part_lists_its_sections_at_its_top_and_a_short_one_does_not(real_site):
    long = article(page_html(real_site, f"{WANGCHENG}/part3/"))
    contents = long[long.index('<details class="gk-contents">') : long.index("</details>")]
    assert "<summary>本部分目录（13 节）</summary>" in contents
    anchors = re.findall(r'<a href="#([^"]+)">', contents)
    assert anchors == [f"s{n}" for n in range(1, 14)]
    assert set(anchors) <= read_page(real_site, f"{WANGCHENG}/part3/").ids
    assert long.index("gk-contents") < long.index('id="s1"')  # before the text
    assert "gk-contents" not in page_html(real_site, f"{WANGCHENG}/part1/")  # two sections


def test_the_whole_document_is_on_one_page_to_read_or_print(real_site):
    site, _ = load_site(DATA)
    doc = next(d for d in site.documents if d.bureau.slug == "changsha-wangcheng-ybj")
    html = article(page_html(real_site, f"{WANGCHENG}/quanwen/"))
    for part in doc.parts:
        assert f'<h2 id="{part.slug}">{" ".join(part.title.split())}' in html
        for attachment in part.attachments:
            assert f'<h3 id="{attachment.slug}">' in html
    # every table of every part and attachment, once
    parts = [urls.page_url(urls.part_src(doc, part)) for part in doc.parts] + [
        urls.page_url(urls.attachment_src(doc, part, a)) for part in doc.parts for a in part.attachments
    ]
    assert html.count("<table") == sum(article(page_html(real_site, url)).count("<table") for url in parts) > 20
    assert "gk-downloads" not in html and "gk-check" not in html  # those stay on the parts' pages
    ids = Counter(re.findall(r' id="([^"]+)"', page_html(real_site, f"{WANGCHENG}/quanwen/")))
    assert not [i for i, n in ids.items() if n > 1]  # the parts' sections, numbered alike, kept apart
    assert '<h3 class="gk-plain" id="part3-s7">七、' in html
    # the page's menus list its parts (and attachments), not every section again
    menu = page_html(real_site, f"{WANGCHENG}/quanwen/")
    menu = menu[menu.index('data-md-component="toc"') : menu.index("</nav>", menu.index('data-md-component="toc"'))]
    assert re.findall(r'href="#([^"]+)"', menu) == [
        s for p in doc.parts for s in (p.slug, *(a.slug for a in p.attachments))
    ]
    assert not searchable(urls.full_text_src(doc))  # each part is indexed on its own page already
    assert '<button type="button" class="gk-print md-button" hidden>打印全文</button>' in html


def test_the_home_page_has_a_search_box_the_latest_documents_and_the_regions(real_site):
    home = article(page_html(real_site, ""))
    form = re.search(r'<form class="gk-home-search" role="search" action="([^"]+)" method="get">', home)
    assert form and form.group(1) == "search/" and 'name="q"' in home
    latest = home[home.index('id="zuixin"') : home.index('id="diqu"')]
    assert re.findall(r'<a href="([^"]+)">\d{4}年', latest) == [
        "changsha-wangcheng-ybj/2020/juesuan/",
        "changsha-yuhua-ybj/2020/jixiao/",
        "shaoyang-beita-ybj/2020/jixiao/",
        "wuhan-dongxihu-ybj/2020/yusuan/",
    ]
    assert home.index("gk-home-search") < home.index('id="zuixin"') < home.index('id="diqu"')
    assert '<a href="diqu/湖南省/长沙市/">长沙市</a>：2 个部门' in home
    assert {f"region-{p}" for p in ("湖南省", "湖北省")} <= Page(
        page_html(real_site, "")
    ).ids  # the breadcrumbs' anchors


# ---- in a browser ----


def tap(page, target, width: int) -> None:
    """A reader's tap (a click on a wide screen) on a link, and the page it leads to, loaded. (The
    theme writes the section being read into the address as the page scrolls: the navigation
    waited for is the link's own.)"""
    href = unquote(target.evaluate("a => a.href"))
    with page.expect_navigation(url=lambda url: unquote(url) == href, wait_until="networkidle"):
        if width < 600:
            target.tap()
        else:
            target.click()


def address(page) -> str:
    return unquote(page.url)


def reception_cell(page, width: int) -> None:
    """On a document's overview: the 决算数 of 公务接待费 in the headline's table of the 三公."""
    table = page.locator("table.gk-figures-table").first
    heads = table.locator("thead th").all_inner_texts()
    row = table.locator("tbody tr", has=page.locator("th", has_text="公务接待费"))
    tap(page, row.locator("td").nth(heads.index("决算数") - 1).locator("a"), width)


def assert_at_the_reception_cell(page, expected: str) -> None:
    assert address(page).endswith("/part2/#gk07-决算公务接待费"), page.url
    cell = page.locator("td#gk07-决算公务接待费")
    assert cell.inner_text() == expected
    box = page.evaluate(
        """() => { const r = document.getElementById('gk07-决算公务接待费').getBoundingClientRect();
                  const header = document.querySelector('.md-header').getBoundingClientRect().bottom;
                  return [r.left, r.right, r.top, r.bottom, innerWidth, innerHeight, header]; }"""
    )
    left, right, top, bottom, width, height, header = box
    assert 0 <= left and right <= width and header <= top and bottom <= height, box  # in sight, not under the header
    assert page.evaluate("getComputedStyle(document.getElementById('gk07-决算公务接待费')).outlineStyle") != "none"


@pytest.fixture(scope="module")
def reception():
    site, _ = load_site(DATA)
    doc = next(d for d in site.documents if d.bureau.slug == "changsha-wangcheng-ybj")
    table = tables_by_form(doc)["公开07表"]
    spec = doc.form_set.headline[-1].items[-1]
    assert spec.label == "公务接待费"
    _, value = find_cell(table, spec.cell)
    return format_amount(value.amount)


@pytest.mark.parametrize("width", [320, 375, 1280])
def test_a_citizen_reaches_wangcheng_s_reception_spending_from_the_home_page_in_three_taps(
    browser, server, reception, width
):
    page, foreign, errors = open_page(browser, server, width, touch=width < 600)
    taps = 0
    # 1. the city, from the home page's regions (it works at any size of site: the latest
    # documents list only a few)
    tap(page, page.locator(".gk-regions a", has_text="长沙市"), width)
    taps += 1
    # 2. 望城's 2020 决算, in the city's list of bureaus
    bureau = page.locator(".gk-bureaus > li", has_text="望城区")
    tap(page, bureau.locator("a", has_text="2020年部门决算"), width)
    taps += 1
    assert page.locator("h1").inner_text().startswith("2020年度长沙市望城区医疗保障局部门决算")
    # 3. the figure, in the headline at the top of the document
    reception_cell(page, width)
    taps += 1
    assert taps <= 3
    assert_at_the_reception_cell(page, reception)
    page.screenshot(path=str(ARTIFACTS / f"nav-citizen-path-{width}.png"))
    assert not foreign and not errors
    page.context.close()


def test_a_recent_document_is_two_taps_from_the_home_page(browser, server, reception):
    page, _, errors = open_page(browser, server, 375, touch=True)
    tap(page, page.locator(".gk-latest-list a", has_text="2020年部门决算"), 375)
    reception_cell(page, 375)
    assert_at_the_reception_cell(page, reception)
    assert not errors
    page.context.close()


@pytest.mark.parametrize("width, height", [(320, 568), (375, 667)])
def test_the_headline_figures_are_on_the_first_screen_of_a_document_on_a_phone(browser, server, width, height):
    context = browser.new_context(viewport={"width": width, "height": height}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(server + KINDS["document"], wait_until="networkidle")
    cards = page.locator("ul.gk-figures > li")
    assert cards.count() == 5
    # 收入, 支出, 基本支出 and 项目支出 whole, on a screen as small as a phone's
    for i in range(4):
        box = cards.nth(i).bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= height, (i, box)
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert page.locator("#mulu").bounding_box()["y"] > height  # the 目录 after them
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"nav-document-first-screen-{width}x{height}.png"))
    context.close()


@pytest.mark.parametrize("width", PHONES)
def test_the_drawer_of_a_phone_holds_the_document_s_contents_and_the_part_s_headings(browser, server, width):
    page, _, errors = open_page(browser, server + KINDS["long-part"], width, touch=True)
    menu = page.locator('label.md-header__button[for="__drawer"]')
    menu.tap()
    drawer = page.locator("nav.md-nav--primary")
    part2 = drawer.locator("a.md-nav__link", has_text="第二部分 2020年度部门决算表")
    part2.wait_for(state="visible", timeout=5000)  # the drawer opens at the document's level
    for title in ("第一部分", "第四部分 名词解释", "第五部分 附件", "数据核对", "全文（一页，可打印）"):
        assert drawer.locator(".md-nav__link", has_text=title).first.is_visible(), title
    current = drawer.locator("label.md-nav__link--active[for=__toc]")
    assert "第三部分" in current.inner_text()
    page.screenshot(path=str(ARTIFACTS / f"nav-drawer-{width}.png"))
    current.tap()  # the part's own headings, one level down
    heading = drawer.locator('a.md-nav__link[href="#s7"]')
    heading.wait_for(state="visible", timeout=5000)
    page.screenshot(path=str(ARTIFACTS / f"nav-drawer-headings-{width}.png"))
    heading.tap()
    page.wait_for_function("location.hash === '#s7'", timeout=5000)
    page.goto(server + KINDS["long-part"], wait_until="networkidle")
    page.locator('label.md-header__button[for="__drawer"]').tap()
    tap(page, page.locator("nav.md-nav--primary a.md-nav__link", has_text="第二部分 2020年度部门决算表"), width)
    assert page.url.endswith(f"{WANGCHENG}/part2/")
    assert not errors
    page.context.close()


def test_on_a_wide_screen_the_sidebar_holds_the_document_s_contents(browser, server):
    page, _, errors = open_page(browser, server + KINDS["attachment"], 1280)
    sidebar = page.locator(".md-sidebar--primary nav.md-nav--primary")
    assert sidebar.is_visible()
    for title in ("第一部分", "第二部分 2020年度部门决算表", "第五部分 附件", "数据核对"):
        assert sidebar.locator(".md-nav__link", has_text=title).first.is_visible(), title
    active = sidebar.locator("a.md-nav__link--active")
    assert active.first.is_visible() and "部门整体支出预算绩效自评报告" in active.first.inner_text()
    assert page.locator(".md-sidebar--secondary").is_visible()  # the page's headings, on the other side
    assert page.locator("details.gk-contents").count() in (0, 1)
    assert not page.locator("details.gk-contents").is_visible()  # the sidebar lists them instead
    page.screenshot(path=str(ARTIFACTS / "nav-sidebar-1280.png"))
    tap(page, sidebar.locator("a.md-nav__link", has_text="第四部分 名词解释"), 1280)
    assert page.url.endswith(f"{WANGCHENG}/part4/")
    assert not errors
    page.context.close()


@pytest.mark.parametrize("width", [*PHONES, 1280])
def test_a_reader_goes_on_to_the_next_part_and_back(browser, server, width):
    page, _, errors = open_page(browser, server + f"{WANGCHENG}/part1/", width, touch=width < 600)
    tap(page, page.locator("a.gk-pager-next"), width)
    assert page.url.endswith(f"{WANGCHENG}/part2/")
    tap(page, page.locator("a.gk-pager-prev"), width)
    assert page.url.endswith(f"{WANGCHENG}/part1/")
    tap(page, page.locator("a.gk-pager-prev"), width)
    assert page.url.endswith(f"{WANGCHENG}/")  # the overview comes first
    assert not errors
    page.context.close()


@pytest.mark.parametrize("width", PHONES)
def test_a_long_part_s_contents_open_on_a_phone_and_lead_to_a_section(browser, server, width):
    page, _, errors = open_page(browser, server + KINDS["long-part"], width, touch=True)
    summary = page.locator("details.gk-contents > summary")
    assert summary.is_visible() and summary.bounding_box()["y"] < 800
    summary.tap()
    entry = page.locator("details.gk-contents a", has_text="七、一般公共预算财政拨款三公经费支出决算情况说明")
    entry.wait_for(state="visible", timeout=3000)
    page.screenshot(path=str(ARTIFACTS / f"nav-part-contents-{width}.png"))
    entry.tap()
    page.wait_for_function("location.hash === '#s7'", timeout=5000)
    top = page.evaluate("document.getElementById('s7').getBoundingClientRect().top")
    assert 0 <= top < 200
    assert not errors
    page.context.close()


def test_the_one_page_text_prints_without_the_site_s_navigation(browser, server):
    page, _, errors = open_page(browser, server + KINDS["full-text"], 375, touch=True)
    button = page.locator("button.gk-print")
    assert button.is_visible()  # the script showed it
    page.emulate_media(media="print")
    for hidden in (".md-header", ".md-sidebar--primary", ".gk-crumbs", "button.gk-print"):
        assert not page.locator(hidden).first.is_visible(), hidden
    assert page.locator("h2#part5").is_visible() and page.locator("table").count() > 20
    ARTIFACTS.mkdir(exist_ok=True)
    page.pdf(path=str(ARTIFACTS / "nav-full-text.pdf"), format="A4")
    assert (ARTIFACTS / "nav-full-text.pdf").stat().st_size > 50_000
    assert not errors
    page.context.close()


@pytest.mark.parametrize("width", [375, 1280])
def test_the_home_page_search_box_searches_the_site(browser, server, width):
    page, _, errors = open_page(browser, server, width, touch=width < 600)
    box = page.locator("input#gk-home-q")
    assert box.is_visible() and box.bounding_box()["height"] >= 24
    box.fill("三公经费")
    box.press("Enter")
    page.wait_for_load_state("networkidle")
    assert "search/?q=" in page.url
    page.wait_for_selector("#gk-search[data-ms]", state="attached", timeout=10000)
    links = page.locator(".gk-result-link").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert links and not any("quanwen" in href for href in links)  # the one-page text is not a result
    assert not errors
    page.context.close()


@pytest.mark.parametrize("name", KINDS)
def test_each_kind_of_page_at_375_px_is_photographed(browser, server, name):
    """Screenshots of each kind of page on a phone, for a person to look at (test-artifacts/nav-*.png)."""
    page, foreign, errors = open_page(browser, server + KINDS[name], 375, touch=True)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"nav-{name}-375.png"))
    assert page.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0
    assert not foreign and not errors
    page.context.close()


def audit(page, exclude=()) -> list[dict]:
    page.evaluate(AXE + "\n;0")
    return page.evaluate(
        """async ([tags, exclude]) => (await axe.run({exclude: exclude.map(s => [s])}, {runOnly: {type: 'tag', values: tags}}))
             .violations.map(v => ({id: v.id, impact: v.impact,
                                    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))""",
        [WCAG, list(exclude)],
    )


# The forms' sort and filter buttons and the terms in their headers are the tables' own (the
# tables' engineer's, render/tables.py and gongkai-tables.js): their target size is audited there.
TABLES = [".gk-scroll", ".gk-table-tools"]


@pytest.mark.parametrize("name", ["home", "bureau", "document", "performance", "long-part", "full-text"])
@pytest.mark.parametrize("width", [375, 1280])
def test_the_new_parts_of_the_pages_pass_wcag_2_1_aa_and_2_2_target_size(browser, server, name, width):
    page, _, errors = open_page(browser, server + KINDS[name], width, touch=width < 600)
    violations = [v for v in audit(page, TABLES) if v["impact"] in ("serious", "critical")]
    assert not violations, json.dumps(violations, ensure_ascii=False, indent=1)
    assert not errors
    page.context.close()


@pytest.mark.parametrize("width", PHONES)
def test_the_open_drawer_passes_wcag_2_1_aa_and_2_2_target_size(browser, server, width):
    page, _, _ = open_page(browser, server + KINDS["long-part"], width, touch=True)
    page.locator('label.md-header__button[for="__drawer"]').tap()
    page.locator("nav.md-nav--primary a.md-nav__link", has_text="第一部分").wait_for(state="visible", timeout=5000)
    violations = [v for v in audit(page, TABLES) if v["impact"] in ("serious", "critical")]
    assert not violations, json.dumps(violations, ensure_ascii=False, indent=1)
    page.context.close()
