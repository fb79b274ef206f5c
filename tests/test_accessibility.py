"""Accessibility in a real browser: axe-core's audit (WCAG 2.1 A and AA) of every kind of page, and
keyboard use. axe-core is vendored for the tests only (tests/vendor/axe-core/); the site does not serve it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitetools import WANGCHENG, open_page

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

PAGE_TYPES = {
    "home": "",
    "city": "diqu/湖南省/长沙市/",
    "bureau": "changsha-wangcheng-ybj/",
    "document": f"{WANGCHENG}/",
    "tables": f"{WANGCHENG}/part2/",
    "hubei-tables": "wuhan-dongxihu-ybj/2020/yusuan/part3/",
    "self-evaluation": f"{WANGCHENG}/part5/zhengti/",
    "checks": f"{WANGCHENG}/checks/",
    "glossary": "glossary/",
    "search": "search/?q=三公经费",
    "about": "about/",
}


def audit(page) -> list[dict]:
    """axe's violations of WCAG 2.1 AA on the page as it is now (the script is run, not injected:
    the site's Content-Security-Policy refuses inline scripts, as it should)."""
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
    grave = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not grave, json.dumps(grave, ensure_ascii=False, indent=1)
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
