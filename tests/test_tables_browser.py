"""Tables people can use, in a real browser: on a phone every figure beside its row's label and its
column's name, a wheel or a swipe over a table that scrolls the page, header rows that stay in sight
on a wide screen, a hint where a table scrolls sideways, targets big enough for a finger,
permalinks of tables and 科目 rows, folding, filtering and sorting 科目 tables (and the whole table
without JavaScript), glossary terms of the headers on a phone, and printing a document.
"""

from __future__ import annotations

import pytest

from sitetools import ARTIFACTS, WANGCHENG, open_page

HUBEI_TABLES = "wuhan-dongxihu-ybj/2020/yusuan/part3/"
TABLES = f"{WANGCHENG}/part2/"

# Every page of tables of figures: 公开01–09表, Hubei's 表1–9 (headers of three rows), a 自评表, the
# 考核评分表 (rules in words), the charts' tables, and a 申报表 of many blocks.
FIGURE_PAGES = {
    "tables": TABLES,
    "hubei-tables": HUBEI_TABLES,
    "self-evaluation": f"{WANGCHENG}/part5/zhengti/",
    "scoring": "changsha-yuhua-ybj/2020/jixiao/part1/fujian2/",
    "charts": f"{WANGCHENG}/",
    "declaration": "wuhan-dongxihu-ybj/2020/yusuan/part4/",
}


def visible_codes(page, table_id: str) -> list[str]:
    return page.evaluate(
        """(id) => [...document.getElementById(id).tBodies[0].rows]
             .filter(r => !r.hidden && r.querySelector('td.gk-code'))
             .map(r => r.querySelector('td.gk-code').textContent.trim())""",
        table_id,
    )


# For every figure of every table of the page (a td.gk-num that is not blank), brought to the middle
# of the screen: the figure, its row's label (the nearest header cell before it in its row that is
# not blank: an indicator printed without a name is labelled by its group) and its column's name,
# each wholly on the screen, below the site's header and under nothing else. The column's name is
# either the lowest header cell over all the figure's columns, worked out here from the header rows
# as a browser places them, or, in a stacked table, the text shown before the figure (its ::before),
# which must hold that cell's text. A row without any header cell (公开07表 prints one row of
# figures, no label) needs none. Returns what failed (the first ten) and how many figures were seen.
EVERY_FIGURE_LABELLED = """async () => {
  const top = document.querySelector('.md-header').getBoundingClientRect().bottom;
  const frame = () => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  const seen = (element) => {
    const r = element.getBoundingClientRect();
    if (!r.width || !r.height || r.left < -0.5 || r.right > innerWidth + 0.5 || r.top < top - 0.5 || r.bottom > innerHeight + 0.5) return false;
    const hit = document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
    return !!hit && element.contains(hit);
  };
  const place = (rows, visit) => {
    const taken = [];
    rows.forEach((row, r) => {
      let column = 0;
      for (const cell of row.cells) {
        while (taken[r] && taken[r][column]) column += 1;
        for (let dr = 0; dr < cell.rowSpan; dr += 1)
          for (let dc = 0; dc < cell.colSpan; dc += 1) (taken[r + dr] = taken[r + dr] || [])[column + dc] = true;
        visit(cell, column);
        column += cell.colSpan;
      }
    });
  };
  const failed = [];
  let count = 0;
  for (const table of document.querySelectorAll('.gk-scroll table')) {
    if (!table.tHead) continue;
    const heads = [];  // top to bottom
    place([...table.tHead.rows].filter(r => !r.classList.contains('gk-colno')), (cell, column) => heads.push([cell, column]));
    const over = (column, span) => heads.filter(([h, c]) => c <= column && column + span <= c + h.colSpan).pop()[0];
    const stacked = !!table.closest('.gk-stacked');
    for (const group of table.querySelectorAll(':scope > tbody, :scope > tfoot')) {
      const cells = [];
      place([...group.rows], (cell, column) => cells.push([cell, column]));
      for (const [cell, column] of cells) {
        if (!cell.matches('td.gk-num') || !cell.textContent.trim() || cell.closest('tr').hidden) continue;
        count += 1;
        cell.scrollIntoView({block: 'center', inline: 'nearest'});
        if (!stacked) await frame();  // a stuck head moves with the next frame
        const where = `${table.id || table.caption.textContent.slice(0, 20)} ${cell.textContent.trim()}`;
        let label = cell.previousElementSibling;
        while (label && (label.tagName !== 'TH' || !label.textContent.trim())) label = label.previousElementSibling;
        const row = cell.closest('tr');
        if (!seen(cell)) failed.push(`${where}: the figure is not on the screen`);
        if (label ? !seen(label) : row.querySelector('th')) failed.push(`${where}: its row's label is not on the screen`);
        const head = over(column, cell.colSpan);
        const before = getComputedStyle(cell, '::before');
        const shown = stacked && before.display !== 'none' && before.content.includes(head.textContent.trim());
        if (!shown && !seen(head)) failed.push(`${where}: the name of its column (${head.textContent.trim()}) is not on the screen`);
        if (failed.length >= 10) return {failed, count};
      }
    }
  }
  return {failed, count};
}"""


# gongkai-tables.js has laid every table out: each box fits, is stacked or scrolls sideways
LAID_OUT = """() => [...document.querySelectorAll('.gk-scroll')].every(
    box => ['gk-fits', 'gk-stacked', 'gk-overflows'].some(mode => box.classList.contains(mode)))"""


@pytest.mark.parametrize("name", FIGURE_PAGES)
@pytest.mark.parametrize("width", [320, 375])
def test_on_a_phone_every_figure_shows_its_row_and_its_column(browser, server, name, width):
    page, _, errors = open_page(browser, server + FIGURE_PAGES[name], width, touch=True)
    page.wait_for_function(LAID_OUT, timeout=15000)  # a loaded machine runs the tables' script late
    result = page.evaluate(EVERY_FIGURE_LABELLED)
    assert result["count"] > 5 and result["failed"] == [], result
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"
    assert not errors
    page.context.close()


@pytest.mark.parametrize("width", [320, 375, 1280])
def test_a_wheel_over_a_table_scrolls_the_page(browser, server, width):
    """Three turns of the wheel over the middle of 公开02表 move the page, not the table."""
    page, _, errors = open_page(browser, server + TABLES, width)
    table = page.locator("#公开02表")
    page.evaluate(
        "() => window.scrollTo(0, document.getElementById('公开02表').getBoundingClientRect().top + scrollY - 100)"
    )
    box = table.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, 400)
    start = page.evaluate("window.scrollY")
    for _ in range(3):
        page.mouse.wheel(0, 200)
    page.wait_for_function("(y) => window.scrollY >= y", arg=start + 590, timeout=5000)  # bounded, not a timing
    scrolls = table.evaluate(
        """t => { const box = t.closest('.gk-scroll');
                  return [box.scrollTop, box.scrollHeight - box.clientHeight, getComputedStyle(box).maxHeight]; }"""
    )
    assert scrolls[0] == 0 and scrolls[1] <= 1 and scrolls[2] == "none", scrolls  # no box of its own height
    assert not errors
    page.context.close()


def test_a_table_wider_than_the_page_says_so(browser, server):
    page, _, errors = open_page(browser, server + TABLES, 1280)
    wide, fits = page.locator("#公开02表"), page.locator("#公开01表")
    hint = page.locator("#" + wide.evaluate("t => t.closest('.gk-scroll').getAttribute('aria-describedby')"))
    assert wide.evaluate("t => t.offsetWidth > t.closest('.gk-scroll').clientWidth")
    assert hint.is_visible() and "左右滑动" in hint.inner_text()
    assert hint.bounding_box()["y"] < wide.bounding_box()["y"]  # above the table
    # the edge that hides columns is shaded (the shadow moves with the scrolling), the row labels stay
    background = wide.evaluate("t => getComputedStyle(t.closest('.gk-scroll')).backgroundImage")
    assert background.count("radial-gradient") == 2
    wide.evaluate("t => t.closest('.gk-scroll').scrollLeft = 200")
    label = page.locator('tr[id="公开02表-208"] th')
    page.wait_for_function(
        "() => document.querySelector('tr[id=\"公开02表-208\"]').closest('.gk-scroll').classList.contains('gk-scrolled')",
        timeout=3000,
    )
    assert abs(label.bounding_box()["x"] - wide.evaluate("t => t.closest('.gk-scroll').getBoundingClientRect().x")) <= 1
    assert not page.locator(
        "#" + fits.evaluate("t => t.closest('.gk-scroll').getAttribute('aria-describedby')")
    ).is_visible()
    assert not errors
    page.context.close()
    # on a phone, a printed grid that cannot be stacked (headers inside its body) scrolls and says so
    page, _, errors = open_page(browser, server + "changsha-yuhua-ybj/2020/jixiao/part1/fujian1/", 320, touch=True)
    assert page.locator(".gk-scroll-hint").first.is_visible()
    assert not errors
    page.context.close()


def test_the_header_rows_of_a_long_table_stay_in_sight(browser, server):
    """On a wide screen, while the page scrolls: a table that fits keeps its own head under the site's
    header; one that scrolls sideways (表3, 16 columns) shows a copy of its head there, column over
    column, which follows the table sideways."""
    page, _, errors = open_page(browser, server + TABLES, 1280)
    page.evaluate(
        "() => window.scrollTo(0, document.getElementById('公开01表').getBoundingClientRect().top + scrollY + 500)"
    )
    page.wait_for_function(  # a bounded wait for the frame that places the stuck head
        """() => Math.abs(document.getElementById('公开01表').tHead.getBoundingClientRect().top
                          - document.querySelector('.md-header').getBoundingClientRect().bottom) <= 1""",
        timeout=3000,
    )
    tops = page.evaluate(
        """() => { const t = document.getElementById('公开01表');
                  return [document.querySelector('.md-header').getBoundingClientRect().bottom,
                          t.tHead.getBoundingClientRect().top, t.tHead.getBoundingClientRect().bottom,
                          t.tBodies[0].rows[0].getBoundingClientRect().top]; }"""
    )
    assert abs(tops[1] - tops[0]) <= 1, tops  # the head sits under the site's header
    assert tops[3] < tops[2], tops  # while the first rows have scrolled away under it
    page.context.close()

    page, _, errors = open_page(browser, server + HUBEI_TABLES, 1280)
    table = page.locator("#表3")
    assert table.evaluate("t => t.closest('.gk-scroll').classList.contains('gk-overflows')")
    copy = page.locator(".gk-float-head", has=page.locator("th", has_text="公共项目(专项资金)"))
    assert copy.is_hidden()  # the table's own head is on the screen: no copy
    page.evaluate(
        "() => window.scrollTo(0, document.getElementById('表3').getBoundingClientRect().top + scrollY + 400)"
    )
    copy.wait_for(state="visible", timeout=3000)

    def lined_up():
        return page.evaluate(
            """() => { const own = [...document.getElementById('表3').tHead.querySelectorAll('th, td')];
                      const copied = [...document.querySelectorAll('.gk-float-head')].find(f => !f.hidden).querySelectorAll('th, td');
                      return own.map((cell, i) => [cell.textContent.trim() === copied[i].textContent.trim(),
                        Math.abs(cell.getBoundingClientRect().left - copied[i].getBoundingClientRect().left),
                        Math.abs(cell.getBoundingClientRect().width - copied[i].getBoundingClientRect().width)]); }"""
        )

    header = page.evaluate("document.querySelector('.md-header').getBoundingClientRect().bottom")
    assert abs(copy.bounding_box()["y"] - header) <= 1
    assert all(same and left <= 1 and width <= 1 for same, left, width in lined_up())
    assert copy.evaluate("c => c.getAttribute('aria-hidden')") == "true"
    assert copy.locator("button, a, [id]").count() == 0  # nothing to reach twice, no id twice
    table.evaluate("t => t.closest('.gk-scroll').scrollLeft = 300")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.gk-float-head')].some(f => f.scrollLeft === 300)", timeout=3000
    )
    assert all(same and left <= 1 for same, left, _ in lined_up())  # it follows the table sideways
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "sticky-header-1280.png"))
    assert not errors
    page.context.close()


@pytest.mark.parametrize("width", [375, 1280])
def test_buttons_and_links_of_a_table_are_big_enough_for_a_finger(browser, server, width):
    """WCAG 2.2, 2.5.8: 24 × 24 px at least, the fold ▾, sort ⇅, ¶ and the terms in a header among them."""
    page, _, errors = open_page(browser, server + TABLES, width, touch=width < 500)
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('button.gk-fold, th button.gk-sort, a.gk-permalink, thead a.gk-term, '
                   + '.gk-table-terms a.gk-term, .gk-table-tools button, .gk-table-tools input, .gk-table-tools select')]
             .filter(e => e.getClientRects().length)
             .map(e => [e.className || e.tagName, e.getBoundingClientRect().width, e.getBoundingClientRect().height])"""
    )
    kinds = {kind for kind, _, _ in sizes}
    assert {"gk-fold", "gk-permalink", "gk-term"} <= kinds and len(sizes) > 40, kinds
    assert ("gk-sort" in kinds) == (width > 500)  # a stacked table sorts from its tools instead
    small = [s for s in sizes if s[1] < 24 or s[2] < 24]
    assert not small, small[:5]
    assert not errors
    page.context.close()


def test_on_a_phone_a_form_in_panels_reads_a_panel_at_a_time(browser, server):
    """公开01表 prints 收入 and 支出 side by side; stacked, every 收入 line comes before the first 支出,
    each figure named by its panel and column."""
    page, _, errors = open_page(browser, server + TABLES, 375, touch=True)
    table = page.locator("#公开01表")
    assert table.evaluate("t => t.closest('.gk-scroll').classList.contains('gk-stacked')")
    order = table.evaluate(
        """t => [...t.querySelectorAll('td.gk-num')].filter(c => c.textContent.trim())
             .map(c => [c.getAttribute('data-label'), c.getBoundingClientRect().top])"""
    )
    income = [top for label, top in order if label == "收入 · 金额"]
    spending = [top for label, top in order if label == "支出 · 金额"]
    assert len(income) + len(spending) == len(order) and income and spending
    assert max(income) < min(spending)
    shown = table.locator("td.gk-num", has_text="29,455.67").first
    assert shown.evaluate("c => getComputedStyle(c, '::before').content") == '"收入 · 金额"'
    ARTIFACTS.mkdir(exist_ok=True)
    table.screenshot(path=str(ARTIFACTS / "stacked-gk01-375.png"))
    assert not errors
    page.context.close()


@pytest.mark.parametrize("script", [True, False])
def test_rules_in_words_are_not_squeezed(browser, server, script):
    """The 考核评分表's 计分标准: a line of 14 characters at least, on a phone with or without the script
    (which stacks the table: a line of the screen's width), and on a wide screen."""
    for width in (375, 1280):
        context = browser.new_context(viewport={"width": width, "height": 800}, java_script_enabled=script)
        page = context.new_page()
        page.goto(server + FIGURE_PAGES["scoring"])
        widths = page.evaluate(
            """() => [...document.querySelectorAll('td.gk-words')].map(c => {
                 const style = getComputedStyle(c);
                 return (c.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)) / parseFloat(style.fontSize); })"""
        )
        assert len(widths) >= 8 and min(widths) >= 13.9, (width, script, widths)
        context.close()


# The pages of 绩效 tables: 望城's 部门整体 and 公共专项 自评表 (10 and 9 columns), 雨花's 考核评分表
# (its 计分标准 in words) and 东西湖's 申报表.
INDICATOR_PAGES = {
    "wangcheng-overall": f"{WANGCHENG}/part5/zhengti/",
    "wangcheng-project": f"{WANGCHENG}/part5/chengxiang-jumin/",
    "yuhua-scoring": FIGURE_PAGES["scoring"],
    "dongxihu-declarations": FIGURE_PAGES["declaration"],
}

# Each cell of each indicator table that has a box (a stacked table's head has none), placed in the
# screen's width and in its box's: [where, left, right] of those that are not, the first ten, and how
# many were seen. With *scores*, only the 分值 and 得分 cells (head, rows, merged cells, total).
CELLS_OFF_SCREEN = """(scores) => {
  const failed = [];
  let count = 0;
  for (const table of document.querySelectorAll('table.gk-indicators')) {
    const box = table.closest('.gk-scroll').getBoundingClientRect();
    const left = Math.max(0, box.left), right = Math.min(innerWidth, box.right);
    for (const cell of table.querySelectorAll(scores ? '.gk-score, .gk-scored' : 'th, td')) {
      if (!cell.getClientRects().length) continue;
      const r = cell.getBoundingClientRect();
      if (!r.width) continue;
      count += 1;
      if (r.left < left - 0.5 || r.right > right + 0.5)
        failed.push([`${table.caption.textContent} ${cell.textContent.trim().slice(0, 12)}`, r.left, r.right]);
      if (failed.length >= 10) return {failed, count};
    }
  }
  return {failed, count};
}"""


@pytest.mark.parametrize("script", [True, False])
@pytest.mark.parametrize("name", INDICATOR_PAGES)
def test_on_a_phone_no_cell_of_an_indicator_table_is_off_the_screen(browser, server, name, script):
    """At 375 px each indicator of a 自评表, 申报表 or 评分表 is a block as wide as the screen, its
    分值 and 得分 among its lines, whether the script stacks the table or the style sheet does (without
    the script): no cell lies beyond the screen's edge or its box's."""
    context = browser.new_context(
        viewport={"width": 375, "height": 800}, has_touch=True, is_mobile=True, java_script_enabled=script
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server + INDICATOR_PAGES[name])
    if script:
        page.wait_for_function(LAID_OUT, timeout=15000)
    result = page.evaluate(CELLS_OFF_SCREEN, False)
    assert result["count"] > 20 and result["failed"] == [], result
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"indicators-{name}-375{'' if script else '-noscript'}.png"
    page.locator(".gk-scroll:has(table.gk-indicators)").first.screenshot(path=str(shot))
    assert not errors
    context.close()


@pytest.mark.parametrize("script", [True, False])
def test_the_scores_of_an_indicator_table_wider_than_its_box_stay_in_sight(browser, server, script):
    """望城's 部门整体自评表 is wider than its box on a wide screen (10 columns in 688 px): as it
    opens and scrolled to its end, its 分值 and 得分, head and total included, are within the box,
    pinned at its right edge until the reader has scrolled to them."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, java_script_enabled=script)
    page = context.new_page()
    page.goto(server + INDICATOR_PAGES["wangcheng-overall"])
    if script:
        page.wait_for_function(LAID_OUT, timeout=15000)
    box = page.locator(".gk-scroll:has(table.gk-indicators)").last
    assert box.evaluate("b => b.scrollWidth > b.clientWidth + 100")  # it does scroll sideways
    for end in (False, True):
        box.evaluate("(b, end) => { b.scrollLeft = end ? b.scrollWidth : 0; }", end)
        result = page.evaluate(CELLS_OFF_SCREEN, True)
        assert result["count"] >= 2 * 17 and result["failed"] == [], (end, result)
        if not end:
            ARTIFACTS.mkdir(exist_ok=True)
            box.screenshot(path=str(ARTIFACTS / f"indicators-pinned-scores-1280{'' if script else '-noscript'}.png"))
    context.close()


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


def test_a_phone_s_stacked_table_sorts_from_its_tools(browser, server):
    """The head with its sort buttons is not shown on a phone: the tools list each column's orders."""
    page, _, errors = open_page(browser, server + TABLES, 375, touch=True)
    every = visible_codes(page, "公开03表")
    tools = page.locator('.gk-table-tools[data-table="公开03表"]')
    order = tools.get_by_label("排序")
    assert order.is_visible()
    order.select_option(label="本年支出合计，从大到小")
    total = page.locator("#公开03表 thead th", has_text="本年支出合计")
    assert total.get_attribute("aria-sort") == "descending"
    amounts = page.evaluate(
        """() => [...document.getElementById('公开03表').tBodies[0].rows].filter(r => r.querySelector('td.gk-code'))
             .map(r => [...r.cells].find(c => (c.getAttribute('data-label') || '') === '本年支出合计'))
             .map(c => parseFloat(c.textContent.replace(/,/g, '')) || 0)"""
    )
    assert amounts == sorted(amounts, reverse=True) and len(amounts) == len(every) and amounts[0] > amounts[-1]
    order.select_option(label="按原表顺序")
    assert visible_codes(page, "公开03表") == every and total.get_attribute("aria-sort") is None
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


def test_a_row_s_address_opens_a_phone_s_stacked_table_at_the_row(browser, server):
    page, _, errors = open_page(browser, server + TABLES + "#公开03表-2101501", 375, touch=True)
    row = page.locator('tr[id="公开03表-2101501"]')
    assert row.evaluate("r => getComputedStyle(r).display") == "contents"  # no box of its own to scroll to
    name = row.locator("th")
    page.wait_for_function(  # scrolled by gongkai-tables.js once the layout is chosen
        """() => { const b = document.querySelector('tr[id="公开03表-2101501"] th').getBoundingClientRect();
                  return b.top >= document.querySelector('.md-header').getBoundingClientRect().bottom && b.bottom <= innerHeight; }""",
        timeout=3000,
    )
    assert "行政运行" in name.inner_text()
    assert name.evaluate("c => getComputedStyle(c).backgroundColor") == "rgb(255, 248, 196)"  # marked
    assert not errors
    page.context.close()


def test_a_term_in_a_table_header_explains_itself_on_a_tap(browser, server):
    """On a phone the stacked table's head is not shown: its terms are listed above the table."""
    page, _, errors = open_page(browser, server + TABLES, 375, touch=True)
    assert page.locator("table.gk-form thead a.gk-term").first.is_hidden()
    term = page.locator(".gk-table-terms a.gk-term").first
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
