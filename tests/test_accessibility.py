"""Accessibility in a real browser: axe-core's audit (WCAG 2.1 A and AA, and 2.2's target size) of
every kind of page, with a screenshot of each at 375 and 1280 px for a person to look at; keyboard
use; and type: Chinese marks from a Chinese font, nothing slanted, headings at full strength.
axe-core is vendored for the tests only (tests/vendor/axe-core/); the site does not serve it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitetools import ARTIFACTS, WANGCHENG, open_page

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
# WCAG 2.1 A and AA, and 2.2 AA: its one rule in axe is target-size (2.5.8, 24 × 24 px)
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# The Chinese fonts of the site's stack (gongkai.css), one of which each system has.
CHINESE_FONTS = {"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC"}

PAGE_TYPES = {
    "home": "",
    "city": "diqu/湖南省/长沙市/",
    "bureau": "changsha-wangcheng-ybj/",
    "document": f"{WANGCHENG}/",
    "tables": f"{WANGCHENG}/part2/",
    "hubei-tables": "wuhan-dongxihu-ybj/2020/yusuan/part3/",
    "self-evaluation": f"{WANGCHENG}/part5/zhengti/",
    "scoring": "changsha-yuhua-ybj/2020/jixiao/part1/fujian2/",
    "unreadable": "changsha-yuhua-ybj/2020/jixiao/part1/fujian1/",  # two cells marked 无法辨认, and a status
    "checks": f"{WANGCHENG}/checks/",
    "glossary": "glossary/",
    "search": "search/?q=三公经费",
    "about": "about/",
}


def audit(page) -> list[dict]:
    """axe's violations of WCAG 2.1 AA and 2.2's target size on the page as it is now (the script is
    run, not injected: the site's Content-Security-Policy refuses inline scripts, as it should)."""
    page.evaluate(AXE + "\n;0")
    return page.evaluate(
        """async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations
             .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))""",
        WCAG_21_AA,
    )


@pytest.mark.parametrize("name", PAGE_TYPES)
@pytest.mark.parametrize("width", [375, 1280])
def test_no_serious_or_critical_accessibility_violations(browser, server, name, width):
    page, _, errors = open_page(browser, server + PAGE_TYPES[name], width)
    if name == "search":
        page.wait_for_selector("#gk-search[data-ms]", state="attached", timeout=10000)
    violations = audit(page)
    ARTIFACTS.mkdir(exist_ok=True)
    height = page.evaluate("document.documentElement.scrollHeight")  # the first 8,000 px of a long page
    clip = {"x": 0, "y": 0, "width": width, "height": min(height, 8000)}
    page.screenshot(path=str(ARTIFACTS / f"page-{name}-{width}.png"), full_page=True, clip=clip)
    grave = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not grave, json.dumps(grave, ensure_ascii=False, indent=1)
    assert not errors
    page.context.close()


def test_the_audit_finds_a_target_too_small(browser, server):
    """target-size is audited: the sort buttons and the terms of the headers as they were (a glyph's
    width, a line's height, side by side) are reported."""
    page, _, _ = open_page(browser, server + PAGE_TYPES["tables"], 1280)
    assert not any(v["id"] == "target-size" for v in audit(page))
    page.evaluate(
        """() => document.querySelectorAll('th button.gk-sort, thead a.gk-term').forEach(e => {
             e.style.display = 'inline'; e.style.minWidth = '0'; e.style.minHeight = '0'; e.style.lineHeight = 'normal'; })"""
    )
    assert any(v["id"] == "target-size" for v in audit(page))
    page.context.close()


def platform_fonts(page, selector: str) -> set[str]:
    """The fonts chromium drew the text of the element *selector* with (its own text, not its children's)."""
    client = page.context.new_cdp_session(page)
    client.send("DOM.enable")
    client.send("CSS.enable")
    root = client.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    node = client.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    return {font["familyName"] for font in client.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]}


@pytest.mark.parametrize("width", [375, 1280])
def test_chinese_text_and_its_quotes_come_from_a_chinese_font(browser, server, width):
    """“三公”经费: with Helvetica or Arial before any Chinese font, the quotes came from the Latin font."""
    page, _, errors = open_page(browser, server + PAGE_TYPES["document"], width)
    family = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert family.startswith('"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC"'), family
    title = page.locator("figcaption.gk-chart-title", has_text="“三公”经费")
    assert title.count() == 1
    figure = title.evaluate("caption => caption.closest('figure').id")
    fonts = platform_fonts(page, f"#{figure} figcaption")
    assert fonts and fonts <= CHINESE_FONTS, fonts
    heading = page.locator("h1").first
    assert int(heading.evaluate("h => getComputedStyle(h).fontWeight")) >= 600  # not 300, hairline in Chinese
    assert heading.evaluate("h => getComputedStyle(h).color") == "rgba(0, 0, 0, 0.87)"  # not 54 % black
    assert not errors
    page.context.close()


@pytest.mark.parametrize("name", ["document", "tables", "self-evaluation", "glossary", "about"])
def test_nothing_is_slanted(browser, server, name):
    """Chinese fonts have no italic: a browser slants the upright glyphs (chart titles were). Nothing
    on a page is set italic, and the page says never to fake one."""
    page, _, errors = open_page(browser, server + PAGE_TYPES[name], 1280)
    slanted = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
             .filter(e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
             .filter(e => getComputedStyle(e).fontStyle !== 'normal')
             .map(e => e.tagName + '.' + e.className + ': ' + e.textContent.trim().slice(0, 20))"""
    )
    assert slanted == []
    assert page.evaluate("getComputedStyle(document.documentElement).fontSynthesisStyle") == "none"
    assert not errors
    page.context.close()


def test_the_audit_finds_what_it_should(browser, server):
    """The audit is live: a link made pale grey on white is reported."""
    page, _, _ = open_page(browser, server + PAGE_TYPES["glossary"], 1280)
    page.evaluate("document.querySelector('.gk-used-by a').style.color = '#eeeeee'")
    assert any(v["id"] == "color-contrast" and v["impact"] == "serious" for v in audit(page))
    page.context.close()


def test_multi_level_headers_name_every_cell_of_a_form(browser, server):
    """In 表3 (three rows of headers), an amount under a group names its column, the group and its row's 科目."""
    page, _, _ = open_page(browser, server + PAGE_TYPES["hubei-tables"], 1280)
    names = page.evaluate(
        """() => { const row = document.querySelector('#表3 tbody tr[id="表3-2101501"]');
                  const cell = row.querySelector('td.gk-num[headers]');
                  return cell.getAttribute('headers').split(' ').map(id => document.getElementById(id).textContent.trim()); }"""
    )
    assert names[:2] == ["小计", "基本支出"], names
    assert names[-1].endswith("行政运行")
    page.context.close()


def test_tab_reaches_the_tables_and_focus_is_visible(browser, server):
    page, _, _ = open_page(browser, server + PAGE_TYPES["tables"], 1280)
    reached = None
    for _ in range(200):
        page.keyboard.press("Tab")
        inside = page.evaluate(
            "() => { const e = document.activeElement; return !!(e && e.closest && e.closest('.gk-scroll, .gk-table-tools')); }"
        )
        if inside:
            reached = page.evaluate("() => document.activeElement.outerHTML.slice(0, 80)")
            break
    assert reached, "Tab never reached a table"
    style = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth, s.outlineColor]; }"
    )
    assert style[0] != "none" and float(style[1].rstrip("px")) >= 2, (reached, style)
    # on to a link inside a table: the ¶ of a table and the glossary terms of its headers
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate(
            "() => !!document.activeElement.closest('table.gk-form') && document.activeElement.tagName === 'A'"
        ):
            break
    else:
        pytest.fail("Tab never reached a link inside a table")
    style = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]; }"
    )
    assert style[0] != "none" and float(style[1].rstrip("px")) >= 2
    page.context.close()
