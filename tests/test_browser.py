"""In a real browser (Debian's chromium driven by Playwright): phone layout, no foreign requests, term taps.

Screenshots go to test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading

import pytest
from playwright.sync_api import sync_playwright

from conftest import ROOT
from test_site import WANGCHENG

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def server(real_site):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(real_site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    handler.log_message = lambda *a: None
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def open_page(browser, url, width, touch=False):
    context = browser.new_context(viewport={"width": width, "height": 800}, has_touch=touch, is_mobile=touch)
    page = context.new_page()
    origin = "/".join(url.split("/")[:3]) + "/"
    foreign, errors = [], []
    page.on("request", lambda r: None if r.url.startswith((origin, "data:", "blob:")) else foreign.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="networkidle")
    return page, foreign, errors


PAGES = {
    "home": "",
    "bureau": "changsha-wangcheng-ybj/",
    "document": f"{WANGCHENG}/",
    "tables": f"{WANGCHENG}/part2/",
    "notes": f"{WANGCHENG}/part3/",
    "glossary": "glossary/",
    "self-evaluation": f"{WANGCHENG}/part5/zhengti/",
    "declaration": "wuhan-dongxihu-ybj/2020/yusuan/part4/",
    "hubei-tables": "wuhan-dongxihu-ybj/2020/yusuan/part3/",
    "performance-report": "shaoyang-beita-ybj/2020/jixiao/part2/",
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


def test_wide_tables_scroll_inside_their_box_on_a_phone(browser, server):
    page, _, _ = open_page(browser, server + PAGES["tables"], 375)
    boxes = page.evaluate("""[...document.querySelectorAll('.gk-scroll')].map(b => [b.scrollWidth, b.clientWidth])""")
    assert len(boxes) == 9
    assert any(scroll > client for scroll, client in boxes)
    assert all(client <= 375 for _, client in boxes)
    page.context.close()


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
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("")
    page.keyboard.type(query)
    page.keyboard.press("End")  # typed CJK text arrives as input without a keyup: send one
    page.wait_for_selector(".md-search-result__item", timeout=10000)
    return page.locator(".md-search-result__item").all_inner_texts()


@pytest.mark.parametrize(
    "query, expected",
    [
        ("三公经费", "三公经费"),  # the glossary entry, kept whole
        ("三公", "三公"),
        ("公务接待", "公务接待费"),
        ("机关运行经费", "机关运行经费"),
        ("一般公共预算", "一般公共预算"),
        ("2101301", "城乡医疗救助"),  # a 科目编码 finds its table row
        ("望城", "望城"),
    ],
)
def test_search_finds_what_a_citizen_types(browser, server, query, expected):
    page, _, errors = open_page(browser, server + PAGES["home"], 1280)
    # zero-width spaces mark word boundaries; quotation marks are how documents write “三公”经费
    results = [re.sub("[\u200b“”‘’\"']", "", r) for r in search(page, query)]
    # Ranking is material's lunr (OR of segmented words); the scalable search of its own comes later.
    assert any(expected in r for r in results[:10]), results[:10]
    if query in ("三公经费", "机关运行经费"):  # the glossary entry is among the results
        assert any(r.startswith("名词解释") for r in results[:10])
    if query == "三公经费":
        page.screenshot(path=str(ARTIFACTS / "search-1280.png"))
    assert not errors
    page.context.close()


def test_the_home_page_filter_narrows_the_directory_and_keeps_the_choice_in_the_address(browser, server):
    page, _, errors = open_page(browser, server, 375)
    form = page.locator("form.gk-filter")
    assert form.is_visible()
    everything = page.locator(".gk-docs > li:visible").count()
    assert everything == 4
    form.locator('select[name="kind"]').select_option("绩效")
    assert page.locator(".gk-docs > li:visible").count() == 2
    assert "kind=" in page.url
    form.locator('select[name="region"]').select_option("湖南省/长沙市")
    visible = page.locator(".gk-bureaus > li:visible").all_inner_texts()
    assert len(visible) == 1 and "雨花区" in visible[0]
    assert page.locator("section[data-region='湖北省']").is_hidden()
    page.screenshot(path=str(ARTIFACTS / "home-filter-375.png"), full_page=True)
    shared = page.url
    page.context.close()
    again, _, _ = open_page(browser, shared, 375)  # a shared link opens with the same choice
    assert again.locator(".gk-docs > li:visible").count() == 1
    again.locator('select[name="kind"]').select_option("预算")
    assert again.locator(".gk-filter-empty").is_visible()
    assert not errors
    again.context.close()


def test_an_indicator_table_reads_as_the_printed_form_on_a_phone(browser, server):
    page, _, errors = open_page(browser, server + PAGES["self-evaluation"], 375)
    table = page.locator("table.gk-indicators").first
    table.scroll_into_view_if_needed()
    first_level = table.locator("th.gk-level").first
    assert first_level.inner_text() == "产出指标"
    # the merged 一级指标 cell is as tall as the ten rows it heads
    heights = page.evaluate(
        """() => { const t = document.querySelector('table.gk-indicators');
                  const cell = t.querySelector('th.gk-level');
                  const rows = [...t.tBodies[0].rows].slice(0, 10);
                  return [cell.getBoundingClientRect().height, rows.reduce((h, r) => h + r.getBoundingClientRect().height, 0)]; }"""
    )
    assert abs(heights[0] - heights[1]) < 2
    page.screenshot(path=str(ARTIFACTS / "self-evaluation-375.png"), full_page=True)
    assert not errors
    page.context.close()
