"""In a real browser (Debian's chromium driven by Playwright): phone layout, no foreign requests, term taps.

Screenshots go to test-artifacts/ for a person to look at. The `browser` and `server` fixtures are
conftest.py's.
"""

from __future__ import annotations

import re

import pytest

from sitetools import ARTIFACTS, WANGCHENG, open_page

PAGES = {
    "home": "",
    "city": "diqu/湖南省/长沙市/",
    "bureau": "changsha-wangcheng-ybj/",
    "document": f"{WANGCHENG}/",
    "tables": f"{WANGCHENG}/part2/",
    "notes": f"{WANGCHENG}/part3/",
    "glossary": "glossary/",
    "self-evaluation": f"{WANGCHENG}/part5/zhengti/",
    "declaration": "wuhan-dongxihu-ybj/2020/yusuan/part4/",
    "hubei-tables": "wuhan-dongxihu-ybj/2020/yusuan/part3/",
    "performance-report": "shaoyang-beita-ybj/2020/jixiao/part2/",
    "search": "search/?q=三公经费",
    "checks": f"{WANGCHENG}/checks/",
    "about": "about/",
}


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("width", [375, 1280])
def test_pages_fit_the_screen_and_load_only_from_the_site(browser, server, name, width):
    page, foreign, errors = open_page(browser, server + PAGES[name], width)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=False)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"
    assert not foreign and not errors
    page.context.close()


def test_wide_tables_fit_a_phone_and_scroll_inside_their_box_without_javascript(browser, server):
    """On a phone a table wider than the screen is stacked (tests/test_tables_browser.py): nothing
    scrolls sideways. Without JavaScript it scrolls inside its own box; the page never does."""
    page, _, _ = open_page(browser, server + PAGES["tables"], 375)
    boxes = page.evaluate(
        """[...document.querySelectorAll('.gk-scroll')].map(b => [b.scrollWidth, b.clientWidth, b.classList.contains('gk-stacked')])"""
    )
    assert len(boxes) == 9 and all(stacked for _, _, stacked in boxes)
    assert all(scroll <= client <= 375 for scroll, client, _ in boxes)
    page.context.close()
    context = browser.new_context(viewport={"width": 375, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    page.goto(server + PAGES["tables"])
    boxes = page.evaluate("""[...document.querySelectorAll('.gk-scroll')].map(b => [b.scrollWidth, b.clientWidth])""")
    assert len(boxes) == 9
    assert any(scroll > client for scroll, client in boxes)
    assert all(client <= 375 for _, client in boxes)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()


def test_tapping_a_term_shows_its_definition(browser, server):
    page, _, errors = open_page(browser, server + PAGES["notes"], 375, touch=True)
    term = page.locator("a.gk-term").first
    definition = term.get_attribute("data-definition")
    term.tap()
    popover = page.locator(".gk-popover")
    popover.wait_for(state="visible", timeout=3000)
    assert definition and definition[:10] in popover.inner_text()
    assert page.url.startswith(server + PAGES["notes"])  # the first tap explains, it does not navigate
    page.screenshot(path=str(ARTIFACTS / "term-tap-375.png"))
    assert not errors
    page.context.close()


def search(page, query: str) -> list[str]:
    box = page.locator('#gk-search input[name="q"]')
    box.click()
    box.fill("")
    page.evaluate("document.getElementById('gk-search').removeAttribute('data-ms')")
    page.keyboard.type(query)
    page.wait_for_selector("#gk-search[data-ms]", state="attached", timeout=10000)
    return page.locator(".gk-result").all_inner_texts()


def result_links(page) -> list[str]:
    return page.locator(".gk-result-link").evaluate_all("links => links.map(a => a.getAttribute('href'))")


@pytest.mark.parametrize(
    "query, expected_page, expected_text",
    [
        ("三公经费 名词解释", "glossary/#term-三公经费", "三公"),  # the term's glossary entry
        ("三公经费", "juesuan/part2/#gk07", "三公”经费支出决算表"),  # the table of it
        ("三公经费", "yusuan/part2/", "三公”经费"),  # the part about it
        ("三公", "juesuan/part2/#gk07", "三公”经费"),
        ("公务接待费", "/part", "公务接待费"),
        ("公务接待", "/part", "公务接待"),
        ("机关运行经费", "/part", "机关运行经费"),
        ("医疗救助", "juesuan/part5/yiliao-jiuzhu/", "医疗救助"),
        ("一般公共预算", "/part", "一般公共预算"),
        ("望城", "changsha-wangcheng-ybj/", "望城"),
        ("2101301", "/part", "2101301"),
        ("经营支出", "juesuan/part4/#term-", "经营支出"),  # a term of the 名词解释 finds its entry
        ("结余分配", "/", "结余"),
    ],
)
def test_search_finds_what_a_citizen_types(browser, server, query, expected_page, expected_text):
    page, foreign, errors = open_page(browser, server + "search/", 375)
    results = search(page, query)
    top = list(zip(result_links(page), results, strict=False))[:8]
    assert any(expected_page in href and expected_text in text for href, text in top), top
    # a result says which bureau, year and kind of document it is from
    assert any(re.search(r"医疗保障局 · \d{4}年 · (部门预算|部门决算|绩效评价)", text) for _, text in top), top
    # the words found are marked in the excerpt
    assert page.locator(".gk-result mark").count() > 0
    if query == "三公经费":
        page.screenshot(path=str(ARTIFACTS / "search-375.png"), full_page=True)
    assert not foreign and not errors
    page.context.close()


def test_search_results_link_to_the_section_that_holds_the_words(browser, server):
    page, _, errors = open_page(browser, server + "search/?q=三公经费", 1280)
    page.wait_for_selector("#gk-search[data-ms]", state="attached", timeout=10000)
    link = page.locator(".gk-result-link", has_text="“三公”经费支出决算表").first
    link.click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("juesuan/part2/#gk07")
    assert "三公" in page.locator("#gk07").inner_text()
    assert not errors
    page.context.close()


def test_a_search_hit_on_a_code_opens_its_table_at_the_row_highlighted(browser, server):
    """Issue 21: the hit for 2101301 opens its table at the row, marked, in view below the
    table's sticky head and the site's header, on a phone and on a desktop."""
    for width in (375, 1280):
        page, _, errors = open_page(browser, server + "search/?q=2101301", width)
        page.wait_for_selector("#gk-search[data-ms]", state="attached", timeout=10000)
        link = page.locator(".gk-result-link").first
        assert re.search(r"#(公开0[23]表|表[35])-2101301$", link.get_attribute("href"))
        link.click()
        row = page.locator("tr:target")
        row.wait_for(state="attached", timeout=10000)
        assert row.get_attribute("id").endswith("-2101301") and "城乡医疗救助" in row.inner_text()
        # the row's first cell is in sight and nothing covers it (no sticky head, no site header):
        # the page may move it there once it has loaded, so a bounded wait for that
        in_view = """() => { const row = document.querySelector('tr:target');
            const cell = [...row.cells].find(c => c.getClientRects().length);
            const box = cell.getBoundingClientRect();
            const x = box.left + Math.min(box.width / 2, 10), y = box.top + Math.min(box.height / 2, 10);
            return y > 0 && y < innerHeight && cell.contains(document.elementFromPoint(x, y)); }"""
        for _ in range(50):
            if page.evaluate(in_view):
                break
            page.wait_for_timeout(100)
        assert page.evaluate(in_view), f"the row is out of sight at {width} px"
        marked = row.locator("td").first.evaluate("cell => getComputedStyle(cell).backgroundColor")
        assert marked == "rgb(255, 248, 196)"  # gongkai.css: .gk-form tr:target > *
        page.screenshot(path=str(ARTIFACTS / f"search-row-{width}.png"))
        assert not errors
        page.context.close()


# Each figure of each table row found: [its top, bottom, right; its name's top, bottom; the
# paragraph's right; its font's numeric variant], per row found.
ROW_FIGURES = """() => [...document.querySelectorAll('.gk-result-row')].map(p => [...p.querySelectorAll('.gk-result-figure')]
  .map(f => { const r = f.getBoundingClientRect(), l = f.previousElementSibling.getBoundingClientRect();
              return [r.top, r.bottom, r.right, l.top, l.bottom, p.getBoundingClientRect().right,
                      getComputedStyle(f).fontVariantNumeric]; }))"""


@pytest.mark.parametrize("width", [375, 1280])
def test_a_table_row_found_is_laid_out_for_the_screen(browser, server, width):
    """A row's figures in a search result: on a phone each on a line of its own with its column's name,
    at the right edge as in a stacked table; on a wide screen run on as text, several to a line, a
    name never parted from its figure. Figures in tabular digits either way."""
    page, _, errors = open_page(browser, server + "search/?q=2101301", width, touch=width < 500)
    page.wait_for_selector("#gk-search[data-ms]", state="attached", timeout=10000)
    rows = page.evaluate(ROW_FIGURES)
    assert len(rows) >= 2 and all(len(row) >= 2 for row in rows), rows
    for row in rows:
        assert all(figure[6] == "tabular-nums" for figure in row)
        assert all(abs(figure[1] - figure[4]) <= 2 for figure in row)  # on its name's (last) line
        tops = [figure[0] for figure in row]
        if width < 500:
            assert all(abs(figure[2] - figure[5]) <= 1 for figure in row), row  # at the right edge
            assert all(b > a for a, b in zip(tops, tops[1:], strict=False)), tops  # a line each
        else:
            assert len(set(round(top) for top in tops)) < len(tops), tops  # several to a line
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(".gk-results").screenshot(path=str(ARTIFACTS / f"search-results-{width}.png"))
    assert not errors
    page.context.close()


def test_a_table_row_s_excerpt_names_the_column_of_each_figure(browser, server):
    page, _, errors = open_page(browser, server + "search/?q=2101301", 375)
    page.wait_for_selector("#gk-search[data-ms]", state="attached", timeout=10000)
    excerpts = page.locator(".gk-result-excerpt").all_text_contents()  # the text, whatever its layout
    assert any(e.startswith("2101301 城乡医疗救助：本年支出合计 2,930.72，基本支出 0.00") for e in excerpts), excerpts
    assert page.locator(".gk-result-excerpt mark", has_text="2101301").count() == len(excerpts)
    page.screenshot(path=str(ARTIFACTS / "search-rows-375.png"), full_page=True)
    assert not errors
    page.context.close()


def test_traditional_characters_find_what_simplified_ones_find(browser, server):
    page, _, errors = open_page(browser, server + "search/", 375)
    search(page, "医疗救助")
    simplified = result_links(page)
    search(page, "醫療救助")
    assert result_links(page) == simplified and len(simplified) == 10
    assert "医疗救助" in page.locator(".gk-result mark").all_inner_texts()
    assert not errors
    page.context.close()


def show_all(page) -> None:
    """Press 更多结果 until every result is shown (a bounded number of times)."""
    for _ in range(20):
        if page.locator(".gk-more").is_hidden():
            return
        shown = page.locator(".gk-result").count()
        page.locator(".gk-more button").click()
        page.wait_for_selector(f".gk-result:nth-child({shown + 1})", state="attached", timeout=10000)
    raise AssertionError("更多结果 never ran out")


def test_more_results_shows_only_when_there_are_more(browser, server):
    page, _, errors = open_page(browser, server + "search/", 375)
    assert page.locator(".gk-more").is_hidden()  # nothing searched, nothing more
    search(page, "2101301")
    assert page.locator(".gk-result").count() == 4 and page.locator(".gk-more").is_hidden()
    search(page, "三公经费")
    total = int(re.search(r"找到 (\d+) 个结果", page.locator(".gk-search-status").inner_text()).group(1))
    assert total > 10 and page.locator(".gk-result").count() == 10 and page.locator(".gk-more").is_visible()
    show_all(page)
    assert page.locator(".gk-result").count() == total and page.locator(".gk-more").is_hidden()
    assert not errors
    page.context.close()


def test_a_query_not_on_any_page_word_for_word_finds_what_holds_most_of_it(browser, server):
    """Issue 21: partial matches were used only when nothing matched fully."""
    page, _, errors = open_page(browser, server + "search/", 375)
    search(page, "预算执行率")
    assert page.locator(".gk-result").count() > 2  # was 2: only the pages with the whole word
    search(page, "公务用车运行费")
    show_all(page)
    links = result_links(page)
    assert links[0].endswith("juesuan/part2/#gk07")  # the 三公 table's column of that name first
    # and what says it otherwise (公务用车购置费及运行维护费) among the rest
    assert any(link.endswith("juesuan/part3/#s7-2") for link in links), links
    assert not errors
    page.context.close()


def test_search_results_can_be_filtered_and_a_query_in_the_address_runs(browser, server):
    page, _, errors = open_page(browser, server + "search/?q=医疗救助", 1280)
    page.wait_for_selector("#gk-search[data-ms]", state="attached", timeout=10000)
    assert page.locator('#gk-search input[name="q"]').input_value() == "医疗救助"
    every = page.locator(".gk-result-where").all_inner_texts()
    assert any("部门决算" in text for text in every) and any("部门预算" in text for text in every)
    page.evaluate("document.getElementById('gk-search').removeAttribute('data-ms')")
    page.locator('select[name="kind"]').select_option("部门预算")
    page.wait_for_selector("#gk-search[data-ms]", state="attached", timeout=10000)
    narrowed = page.locator(".gk-result-where").all_inner_texts()
    assert narrowed and all("部门预算" in text for text in narrowed)
    assert "kind=" in page.url  # the choice is kept in the address, to share
    page.screenshot(path=str(ARTIFACTS / "search-filter-1280.png"), full_page=True)
    page.evaluate("document.getElementById('gk-search').removeAttribute('data-ms')")
    page.locator('select[name="region"]').select_option("湖南省")
    page.wait_for_selector("#gk-search[data-ms]", state="attached", timeout=10000)
    assert "没有找到" in page.locator(".gk-search-status").inner_text()  # no 预算 of 湖南 is on the site
    assert not errors
    page.context.close()


def test_a_city_page_filter_narrows_its_directory_and_keeps_the_choice_in_the_address(browser, server):
    page, _, errors = open_page(browser, server, 375)
    page.locator(".gk-regions a", has_text="长沙市").click()  # the home page lists cities
    page.wait_for_load_state("networkidle")
    form = page.locator("form.gk-filter")
    assert form.is_visible()
    assert page.locator(".gk-docs > li:visible").count() == 2  # 望城 决算 and 雨花 绩效
    form.locator('select[name="kind"]').select_option("绩效")
    assert page.locator(".gk-docs > li:visible").count() == 1
    assert "kind=" in page.url
    form.locator('select[name="region"]').select_option("湖南省/长沙市/望城区")
    assert page.locator(".gk-filter-empty").is_visible()  # 望城 has no 绩效 document
    page.screenshot(path=str(ARTIFACTS / "city-filter-375.png"), full_page=True)
    shared = page.url
    page.context.close()
    again, _, _ = open_page(browser, shared, 375)  # a shared link opens with the same choice
    assert again.locator(".gk-docs > li:visible").count() == 0
    again.locator('select[name="kind"]').select_option("决算")
    visible = again.locator(".gk-bureaus > li:visible").all_inner_texts()
    assert len(visible) == 1 and "望城区" in visible[0]
    assert not errors
    again.context.close()


def test_an_indicator_table_reads_as_the_printed_form(browser, server):
    """On a wide screen the merged 一级指标 cell is as tall as the ten rows it heads; on a phone, stacked,
    it heads them as a line above the first, the 二级指标 after it, then the first indicator."""
    page, _, errors = open_page(browser, server + PAGES["self-evaluation"], 1280)
    table = page.locator("table.gk-indicators").first
    table.scroll_into_view_if_needed()
    first_level = table.locator("th.gk-level").first
    assert first_level.inner_text() == "产出指标"
    heights = page.evaluate(
        """() => { const t = document.querySelector('table.gk-indicators');
                  const cell = t.querySelector('th.gk-level');
                  const rows = [...t.tBodies[0].rows].slice(0, 10);
                  return [cell.getBoundingClientRect().height, rows.reduce((h, r) => h + r.getBoundingClientRect().height, 0)]; }"""
    )
    assert abs(heights[0] - heights[1]) < 2
    assert not errors
    page.context.close()
    page, _, errors = open_page(browser, server + PAGES["self-evaluation"], 375)
    table = page.locator("table.gk-indicators").first
    table.scroll_into_view_if_needed()
    tops = page.evaluate(
        """() => { const row = document.querySelector('table.gk-indicators').tBodies[0].rows[0];
                  return [...row.cells].filter(c => c.textContent.trim()).map(c => [c.textContent.trim(), c.getBoundingClientRect().top]); }"""
    )
    assert [text for text, _ in tops[:2]] == ["产出指标", "数量指标"]
    assert [top for _, top in tops] == sorted(top for _, top in tops) and tops[0][1] < tops[1][1] < tops[2][1]
    page.screenshot(path=str(ARTIFACTS / "self-evaluation-375.png"), full_page=True)
    assert not errors
    page.context.close()


def test_a_browser_that_cannot_unpack_the_index_is_told_so(browser, server):
    page, _, _ = open_page(browser, server + "search/?q=三公经费", 375, init_script="delete window.DecompressionStream")
    assert page.locator("#gk-search").is_hidden()
    assert page.get_by_text("站内搜索需要较新版本的浏览器").is_visible()
    page.context.close()


def test_a_search_that_lost_the_network_works_again_once_it_is_back(browser, server):
    page, _, _ = open_page(browser, server + "search/", 375)
    page.context.set_offline(True)
    search(page, "医疗救助")
    assert "搜索出错" in page.locator(".gk-search-status").inner_text()
    page.context.set_offline(False)
    results = search(page, "医疗救助")
    assert results and "找到" in page.locator(".gk-search-status").inner_text()
    page.context.close()


def test_a_table_s_csv_link_downloads_the_table_with_the_yaml_figures(browser, server):
    """A reader clicks 'CSV 表格' under 公开01表: the browser saves the file, which Excel can open
    (UTF-8 with BOM) and which holds the table's figures exactly as data/ has them."""
    import csv
    import io

    from generator.load.loader import load_site

    from helpers import DATA

    site, _ = load_site(DATA)
    document = next(d for d in site.documents if d.bureau.slug == "changsha-wangcheng-ybj")
    table = next(t for _, t in document.tables() if t.anchor == "gk01")
    income = table.panels[0]
    page, foreign, errors = open_page(browser, server + PAGES["tables"], 1280)
    context = page.context
    link = page.locator('#gk01 ~ p.gk-downloads a:text("CSV 表格")').first
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == "长沙市望城区医疗保障局-2020年决算-公开01表-收入支出决算总表.csv"
    raw = download.path().read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline="")))
    assert rows[0][:3] == ["收入/项目", "收入/行次", "收入/金额（万元）"]
    for i, fixed in enumerate(income.panel.rows, 1):
        value = income.fixed.get(fixed.key, {}).get("金额") if fixed.key else None
        assert rows[i][2] == (str(value.amount) if value else ""), fixed.label
    assert rows[27][:3] == ["本年收入合计", "27", "29527.51"]
    assert not foreign and not errors
    context.close()
