"""Every link of the pages poured into shells is checked by the build; a broken one stops it."""

import re

from generator.build.links import ids_in, links_in, target

from helpers import DOCUMENT_FILE, MINIMAL_DOCUMENT, run_generator, write


def test_links_resolve_as_a_browser_resolves_them():
    page = "a/2020/juesuan/index.html"
    assert target(page, "../../") == ("a/index.html", "")
    assert target(page, "part1/#%E4%B8%80") == ("a/2020/juesuan/part1/index.html", "一")
    assert target(page, "#gk-title") == (page, "gk-title")
    assert target(page, "../../../glossary/#三公经费") == ("glossary/index.html", "三公经费")
    assert target(page, "xiazai/公开01表.csv") == ("a/2020/juesuan/xiazai/公开01表.csv", "")
    assert target(page, "../../../../../etc/") == ("etc/index.html", "")  # a browser stops at the root
    assert target(page, "https://example.org/") is None and target(page, "mailto:x@example.org") is None
    assert target(page, "#a&amp;b%20c") == (page, "a&b c")  # an anchor of the page itself, unescaped as any other


def test_links_and_ids_are_found_as_the_plain_patterns_find_them():
    # links_in and ids_in search for the attribute's name first (faster); what they find must be
    # what a whitespace followed by href=, src= or id= finds, wherever the page breaks its lines.
    page = (
        '<a href="x/">1</a>\n<a\thref="#a">2</a><p\nid="p1" data-id="no">'
        '<img src="i.png" alt=" href=">"<a title="s href=" href="y">'
        '<span xid="no" id="">z</span><a href="">e</a>ahref="no" <td\rid="t">'
    )
    for content in (page, page.replace("src=", "data-s=")):
        assert links_in(content) == re.findall(r'\s(?:href|src)="([^"]*)"', content)
        assert ids_in(content) == set(re.findall(r'\sid="([^"]*)"', content))
    assert links_in(page)[:3] == ["x/", "#a", "i.png"] and ids_in(page) == {"p1", "", "t"}


def build(data_dir):
    return run_generator("build", "data", "--site-dir", "site", cwd=data_dir.parent)


def test_a_link_typed_into_prose_that_leads_nowhere_stops_the_build(data_dir):
    assert build(data_dir).returncode == 0
    page = data_dir.parent / "site" / "ceshi-ybj" / "2020" / "juesuan" / "part1" / "index.html"
    before = page.read_bytes()
    document = data_dir / DOCUMENT_FILE
    write(document, MINIMAL_DOCUMENT.replace("负责医疗保障。", "负责医疗保障，见[旧页面](../../nowhere/)。"))
    result = build(data_dir)
    assert result.returncode == 1
    # the check stage finds it in data/, at the section (tests/test_check_hardening.py has the cases)
    assert (
        "data/ceshi-ybj/2020/juesuan.yaml:8:9: 错误：“一、部门职责”中的链接 ../../nowhere/ 指向的页面不存在"
        in result.stderr
    )
    assert "原来的 site/ 未改动" in result.stderr and "Traceback" not in result.stderr
    assert page.read_bytes() == before


def test_a_link_only_the_built_site_can_judge_is_checked_by_the_build(data_dir):
    """A bureau's batch does not know the other bureaus: a link to one is checked on the built site."""
    document = data_dir / DOCUMENT_FILE
    write(document, MINIMAL_DOCUMENT.replace("负责医疗保障。", "负责医疗保障，见[别的部门](../../../../qita-ybj/)。"))
    result = build(data_dir)
    assert result.returncode == 1
    assert (
        "ceshi-ybj/2020/juesuan/part1/index.html:1:1: 错误：链接 ../../../../qita-ybj/ 指向的页面或文件不存在"
        in result.stderr
    )


def test_a_link_to_an_anchor_no_page_has_stops_the_build(data_dir):
    document = data_dir / DOCUMENT_FILE
    write(
        document,
        MINIMAL_DOCUMENT.replace("负责医疗保障。", "负责医疗保障，见[名词解释](../../../../glossary/#没有这个词)。"),
    )
    result = build(data_dir)
    assert result.returncode == 1
    assert "链接 ../../../../glossary/#没有这个词 指向的位置 #没有这个词 在那个页面上没有" in result.stderr
    write(
        document,
        MINIMAL_DOCUMENT.replace("负责医疗保障。", "负责医疗保障，见[名词解释](../../../../glossary/#term-基本支出)。"),
    )
    assert build(data_dir).returncode == 0  # the glossary's own anchor: fine
