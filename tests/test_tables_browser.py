"""Tables people can use, in a real browser: header rows that stay in sight, permalinks of tables
and 科目 rows, folding, filtering and sorting 科目 tables (and the whole table without JavaScript),
glossary terms of the headers on a phone, and printing a document.
"""

from __future__ import annotations

from sitetools import ARTIFACTS, WANGCHENG, open_page

HUBEI_TABLES = "wuhan-dongxihu-ybj/2020/yusuan/part3/"
TABLES = f"{WANGCHENG}/part2/"


def visible_codes(page, table_id: str) -> list[str]:
    return page.evaluate(
        """(id) => [...document.getElementById(id).tBodies[0].rows]
             .filter(r => !r.hidden && r.querySelector('td.gk-code'))
             .map(r => r.querySelector('td.gk-code').textContent.trim())""",
        table_id,
    )


def test_the_header_rows_of_a_long_table_stay_in_sight(browser, server):
    page, _, errors = open_page(browser, server + HUBEI_TABLES, 1280)
    box = page.locator(".gk-scroll.gk-long", has=page.locator("#表3"))
    box.scroll_into_view_if_needed()
    assert box.evaluate("b => b.scrollHeight > b.clientHeight + 100")  # taller than its box: it scrolls
    box.evaluate("b => b.scrollTop = 300")
    tops = box.evaluate(
        """b => [b.getBoundingClientRect().top, b.querySelector('thead').getBoundingClientRect().top,
                 b.querySelector('thead').getBoundingClientRect().bottom,
                 b.querySelector('tbody tr').getBoundingClientRect().top]"""
    )
    assert abs(tops[1] - tops[0]) <= 1, tops  # the head sits at the top of the box
    assert tops[3] < tops[2], tops  # while the first rows have scrolled away under it
    page.screenshot(path=str(ARTIFACTS / "sticky-header-1280.png"))
    assert not errors
    page.context.close()


def test_every_table_and_every_科目_row_has_a_permalink(browser, server):
    page, _, errors = open_page(browser, server + HUBEI_TABLES + "#表3-2101501", 1280)
    link = page.locator("#表3 caption a.gk-permalink")
    assert link.get_attribute("href") == "#表3"
    row = page.locator('tr[id="表3-2101501"]')
    assert "行政运行" in row.inner_text()
    assert row.evaluate(
        "r => { const b = r.getBoundingClientRect(); return b.top >= 0 && b.bottom <= window.innerHeight; }"
    )  # the address of the row opens the page at the row
    assert row.evaluate("r => getComputedStyle(r.cells[0]).backgroundColor") == "rgb(255, 248, 196)"  # marked
    forms = page.locator("table.gk-form").count()
    assert forms == 9 and page.locator("table.gk-form[id] caption a.gk-permalink").count() == forms
    assert not errors
    page.context.close()


def test_a_科目_table_folds_filters_and_sorts(browser, server):
    page, _, errors = open_page(browser, server + TABLES, 1280)
    every = visible_codes(page, "公开03表")
    assert "210" in every and "21015" in every and "2101501" in every
    fold = page.locator('tr[id="公开03表-210"] button.gk-fold')
    assert fold.get_attribute("aria-expanded") == "true"
    fold.click()
    assert fold.get_attribute("aria-expanded") == "false"
    folded = visible_codes(page, "公开03表")
    assert "210" in folded and not [c for c in folded if c.startswith("210") and c != "210"]
    assert [c for c in folded if not c.startswith("210")] == [c for c in every if not c.startswith("210")]
    fold.click()
    assert visible_codes(page, "公开03表") == every

    tools = page.locator('.gk-table-tools[data-table="公开03表"]')
    tools.get_by_role("button", name="只看类级").click()
    assert visible_codes(page, "公开03表") == [c for c in every if len(c) == 3]
    tools.get_by_role("button", name="全部展开").click()
    assert visible_codes(page, "公开03表") == every

    tools.get_by_label("筛选科目").fill("行政运行")
    shown = visible_codes(page, "公开03表")
    assert "2101501" in shown and "21015" in shown and "210" in shown  # the 类 and 款 above stay
    names = {c: page.locator(f'tr[id="公开03表-{c}"] th').inner_text() for c in shown}
    assert all("行政运行" in names[c] or any(o.startswith(c) and "行政运行" in names[o] for o in shown) for c in shown)
    assert len(shown) < len(every)
    assert f"显示 {len(shown)} / {len(every)} 行" in tools.locator(".gk-table-status").inner_text()
    tools.get_by_label("筛选科目").fill("")
    assert visible_codes(page, "公开03表") == every

    total = page.locator("#公开03表 thead th", has_text="本年支出合计")
    total.locator("button.gk-sort").click()
    assert total.get_attribute("aria-sort") == "descending"
    # the column of a cell of the first header row: the columns its left neighbours span
    column = total.evaluate("th => [...th.parentNode.cells].slice(0, th.cellIndex).reduce((n, c) => n + c.colSpan, 0)")
    amounts = page.evaluate(
        """([col]) => [...document.getElementById('公开03表').tBodies[0].rows]
             .filter(r => r.querySelector('td.gk-code'))
             .map(r => parseFloat(r.cells[col].textContent.replace(/,/g, '')) || 0)""",
        [column],
    )
    assert amounts == sorted(amounts, reverse=True) and len(amounts) == len(every) and amounts[0] > amounts[-1]
    total.locator("button.gk-sort").click()
    assert total.get_attribute("aria-sort") == "ascending"
    total.locator("button.gk-sort").click()  # the third press: the printed order again
    assert total.get_attribute("aria-sort") is None and visible_codes(page, "公开03表") == every
    assert not errors
    page.context.close()


def test_without_javascript_every_row_is_shown(browser, server):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(server + HUBEI_TABLES)
    assert page.locator(".gk-table-tools").count() == 0
    rows = page.locator("#表3 tbody tr")
    assert rows.count() > 15 and all(rows.nth(i).is_visible() for i in range(0, rows.count(), 5))
    context.close()


def test_a_term_in_a_table_header_explains_itself_on_a_tap(browser, server):
    page, _, errors = open_page(browser, server + TABLES, 375, touch=True)
    term = page.locator("table.gk-form thead a.gk-term").first
    term.scroll_into_view_if_needed()
    definition = term.get_attribute("data-definition")
    assert term.get_attribute("title") == definition and "#term-" in term.get_attribute(
        "href"
    )  # its entry: the document's 名词解释 or the glossary
    term.tap()
    popover = page.locator(".gk-popover")
    popover.wait_for(state="visible", timeout=3000)
    assert definition and definition[:10] in popover.inner_text()
    assert page.url.startswith(server + TABLES)  # the first tap explains, it does not navigate
    page.screenshot(path=str(ARTIFACTS / "header-term-tap-375.png"))
    assert not errors
    page.context.close()


def test_printing_a_document_leaves_the_site_out(browser, server):
    page, _, errors = open_page(browser, server + TABLES, 1280)
    page.emulate_media(media="print")
    hidden = page.evaluate(
        """() => ['.md-header', '.md-sidebar--primary', '.md-sidebar--secondary', '.md-footer', '.gk-crumbs', '.gk-table-tools']
             .map(s => [s, [...document.querySelectorAll(s)].every(e => getComputedStyle(e).display === 'none')])"""
    )
    assert all(ok for _, ok in hidden), hidden
    table = page.locator("#公开03表")
    assert table.evaluate("t => getComputedStyle(t.tHead).display") == "table-header-group"
    assert table.evaluate("t => getComputedStyle(t.closest('.gk-scroll')).overflowY") == "visible"
    # in the printed order: the tables follow one another as in the 目录
    order = page.evaluate("() => [...document.querySelectorAll('table.gk-form')].map(t => t.id)")
    assert order == [f"公开0{n}表" for n in range(1, 10)]
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = page.pdf(format="A4", print_background=True)
    (ARTIFACTS / "document-tables.pdf").write_bytes(pdf)
    assert (
        pdf.startswith(b"%PDF")
        and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") + pdf.count(b"/Type/Page") >= 3
    )
    assert not errors
    page.context.close()
