"""Findable pages: a tab, a bookmark, a printout or a search engine's result says whose page it is.

Every page of a bureau, a document or a city has a title that names its bureau and year (部分 ·
文件 · 部门) and a meta description of its own, made from what the page holds.
"""

import re
from html import unescape

from sitetools import page_html

SITE_DESCRIPTION = "部门预算、决算与绩效评价公开文件：逐表逐数可查、可核对、可下载"  # mkdocs.yml's, for the other pages


def head_of(html: str) -> tuple[str, str]:
    title = unescape(re.search(r"<title>(.*?)</title>", html).group(1))
    description = unescape(re.search(r'<meta name="description" content="([^"]*)">', html).group(1))
    return title, description


def poured_pages(site):
    return sorted(site.glob("*-ybj/**/index.html")) + sorted(site.glob("diqu/**/index.html"))


def test_every_page_of_bureaus_documents_and_cities_has_a_description_of_its_own(real_site):
    described = {}
    for page in poured_pages(real_site):
        _, description = head_of(page.read_text(encoding="utf-8"))
        assert description and description != SITE_DESCRIPTION, page
        assert len(description) <= 120, (page, description)
        described.setdefault(description, []).append(page)
    assert len(described) > 30
    assert [pages for pages in described.values() if len(pages) > 1] == []


def test_a_part_title_names_the_part_the_document_and_the_bureau(real_site):
    title, description = head_of(page_html(real_site, "changsha-wangcheng-ybj/2020/juesuan/part2/"))
    assert title == "第二部分 2020年度部门决算表 · 2020年部门决算 · 望城区医保局 - 公开 · 部门预决算公开"
    assert description.startswith("长沙市望城区医疗保障局2020年部门决算，第二部分 2020年度部门决算表：")
    assert "收入支出决算总表" in description  # the part's sections, as its 目录 lists them
    for page in real_site.glob("*-ybj/*/*/part*/index.html"):
        title, _ = head_of(page.read_text(encoding="utf-8"))
        year = page.parts[-4]
        assert f" · {year}年" in title and title.count(" · ") >= 2, (page, title)


def test_a_document_s_own_page_keeps_its_printed_title_when_it_names_the_bureau(real_site):
    title, description = head_of(page_html(real_site, "changsha-wangcheng-ybj/2020/juesuan/"))
    assert title == "2020年度长沙市望城区医疗保障局部门决算 - 公开 · 部门预决算公开"
    assert description.startswith("长沙市望城区医疗保障局2020年部门决算：第一部分")
