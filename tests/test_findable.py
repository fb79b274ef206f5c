"""Findable pages: a tab, a bookmark, a printout or a search engine's result says whose page it is.

Every page of a bureau, a document or a city has a title that names its bureau and year (部分 ·
文件 · 部门) and a meta description of its own, made from what the page holds.
"""

import gzip
import re
from datetime import datetime
from html import unescape
from urllib.parse import quote

from generator.build import sitemap

from helpers import build_site, run_generator
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


def test_a_site_built_with_its_address_lists_every_page_in_its_sitemap(data_dir, tmp_path):
    site = build_site(data_dir, tmp_path / "site", site_url="https://czj.example.gov.cn/gongkai")
    pages = sorted(p.parent.relative_to(site).as_posix() for p in site.rglob("index.html"))
    listed = re.findall(r"<loc>([^<]*)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8"))
    expected = [
        "https://czj.example.gov.cn/gongkai/" + ("" if page == "." else quote(page) + "/")
        for page in pages
        if not page.startswith("admin")
    ]
    assert sorted(listed) == sorted(expected) and len(listed) >= 8
    assert "https://czj.example.gov.cn/gongkai/ceshi-ybj/2020/juesuan/part1/" in listed
    assert any("%E6%B5%8B" in url for url in listed)  # a city's folder (测试…) written as a URL must be
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()) == (site / "sitemap.xml").read_bytes()


def test_a_site_address_that_is_not_one_stops_the_build_in_one_line(data_dir, tmp_path):
    done = run_generator(
        "build", str(data_dir), "--site-dir", str(tmp_path / "site"), "--site-url", "czj.example", cwd=tmp_path
    )
    assert done.returncode == 1 and not (tmp_path / "site").exists()
    assert done.stderr.strip().splitlines() == [
        "--site-url：'czj.example' 不是网站的网址：请写完整的网址，如 https://czj.example.gov.cn/gongkai/；没有发布"
    ]


def test_a_province_of_more_pages_than_one_sitemap_holds_gets_an_index_of_parts(tmp_path, monkeypatch):
    for n in range(5):
        (tmp_path / f"p{n}").mkdir()
        (tmp_path / f"p{n}" / "index.html").write_text("<html></html>")
    monkeypatch.setattr(sitemap, "MOST_URLS", 2)
    assert sitemap.write_sitemap(tmp_path, "https://x.org/", datetime(2021, 6, 1)) == 5
    index = (tmp_path / "sitemap.xml").read_text(encoding="utf-8")
    assert "<sitemapindex" in index and index.count("<sitemap>") == 3
    part = gzip.decompress((tmp_path / "sitemap-3.xml.gz").read_bytes()).decode()
    assert re.findall(r"<loc>([^<]*)</loc>", part) == ["https://x.org/p4/"] and "<lastmod>2021-06-01<" in part
