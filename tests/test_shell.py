"""The pages of bureaus and documents are poured into page shells rendered by the theme
(generator/build/theme.py) instead of going through mkdocs one by one: they must be the pages
mkdocs itself writes."""

from __future__ import annotations

import re

import pytest

from generator.build.mkdocs_preview import generate
from generator.build.mkdocs_run import run_mkdocs
from generator.build.theme import Shell, ThemeError
from generator.load.loader import load_site
from generator.load.quality import load_criteria

from helpers import DATA
from sitetools import page_html


def normalized(html: str) -> str:
    # Only the white space between tags may differ (Material indents its loop over the contents).
    return re.sub(r">\s+<", "><", html).strip()


def test_every_page_poured_into_a_shell_is_the_page_mkdocs_writes(real_site, tmp_path):
    site, problems = load_site(DATA)
    assert not problems
    # what `mkdocs serve` builds: every page through mkdocs, the review scored as the build scores it
    fragments = generate(site, tmp_path / "docs", criteria=load_criteria(DATA)[0])
    run_mkdocs(tmp_path / "docs", tmp_path / "site", fragments)
    poured = sorted(real_site.glob("*-ybj/**/index.html")) + sorted(real_site.glob("diqu/**/index.html"))
    assert len(poured) > 30 and any("diqu" in p.parts for p in poured)  # bureaus, documents and cities
    for page in poured:
        by_mkdocs = tmp_path / "site" / page.relative_to(real_site)
        assert normalized(page.read_text(encoding="utf-8")) == normalized(by_mkdocs.read_text(encoding="utf-8")), page


def test_a_page_keeps_its_title_menu_and_depth(real_site):
    part = page_html(real_site, "changsha-wangcheng-ybj/2020/juesuan/part3/")
    assert (
        "<title>第三部分 2020年度部门决算情况说明 · 2020年部门决算 · 望城区医保局 - 公开 · 部门预决算公开</title>"
        in part
    )
    assert 'href="#s5-1" class="md-nav__link"' in part  # its headings, nested, in the menu
    assert 'href="../../../../assets/stylesheets/' in part  # four folders deep
    assert "GKSHELL" not in part
    bureau = page_html(real_site, "changsha-wangcheng-ybj/")
    assert 'href="../assets/stylesheets/' in bureau and 'href="#duties" class="md-nav__link"' in bureau


def test_a_theme_without_the_expected_places_is_a_clear_error():
    with pytest.raises(ThemeError):
        Shell.parse("<html><body><article>no contents here</article></body></html>")
