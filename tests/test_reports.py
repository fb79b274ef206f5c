"""A document of many reports: a 项目支出绩效自评 of three project reports on the national form and
the 汇总表 its original prints, one row of which is wrong (helpers.reports_document).

Each report is a part of its own holding its 自评表 directly; the 汇总表 is a part holding its table
directly, which says it is the 汇总 (`summary_of:`). The overview opens with the 汇总 generated from
the reports; `check` compares the printed 汇总表 with it row by row.
"""

from __future__ import annotations

import re
import shutil
import textwrap
from decimal import Decimal

import pytest

from generator.build.site import build
from generator.check.document import check_document
from generator.core.model import AmountTable, IndicatorTable
from generator.core.results import ERROR, OK
from generator.core.summary import report_rows
from generator.load.loader import load_site
from generator.render.pages import document_pages

from helpers import (
    DATA,
    DOCUMENT_FILE,
    MINIMAL_BUREAU,
    PROJECT_REPORT,
    PROJECTS,
    REPORTS_HEAD,
    place,
    reports_document,
    run_generator,
    write,
)
from sitetools import open_page, page_file, read_page, resolve, serving

DOCUMENT = "ceshi-ybj/2020/jixiao.yaml"
OVERVIEW = "ceshi-ybj/2020/jixiao/"
SUMMARY_TITLE = "2020年度项目支出绩效自评汇总表"


def reports_tree(data_dir, as_is: bool = False):
    (data_dir / DOCUMENT_FILE).unlink()
    return write(data_dir / DOCUMENT, reports_document(as_is))


def loaded(data_dir, text: str | None = None):
    path = reports_tree(data_dir)
    if text is not None:
        write(path, text)
    site, problems = load_site(data_dir)
    return site, problems


def test_a_part_holds_its_table_directly_as_the_parts_own(data_dir):
    site, problems = loaded(data_dir)
    assert not problems.items, [str(p) for p in problems.items]
    [doc] = site.documents
    summary = doc.parts[-1]
    [own] = summary.sections
    assert own.bare and isinstance(own.table, AmountTable) and own.anchor == "huizongbiao"
    assert own.table.summary_of == {
        "预算数": "预算数",
        "执行数": "执行数",
        "执行率": "执行率",
        "自评得分": "自评得分",
        "等级": "自评等级",
    }
    report = doc.parts[0]
    assert [s.bare for s in report.sections] == [True, False, False]  # its table, then its prose
    assert isinstance(report.sections[0].table, IndicatorTable)
    assert [t.anchor for _, t in doc.tables()][-1] == "huizongbiao"  # what downloads and checks walk


def test_the_generated_summary_has_a_row_per_report_with_its_figures(data_dir):
    site, _ = loaded(data_dir)
    rows = report_rows(site.documents[0])
    assert [(r.name, r.budget, r.executed, r.rate, r.score, r.grade) for r in rows] == [
        ("城乡医疗救助", Decimal("200"), Decimal("190"), Decimal("95.00"), Decimal("94.5"), "优"),
        ("医保信息化建设", Decimal("300"), Decimal("240"), Decimal("80.00"), Decimal("81"), "良"),
        ("医保基金监管", Decimal("150"), Decimal("150"), Decimal("100.00"), Decimal("70"), "中"),
    ]
    assert all(isinstance(r.budget, Decimal) and r.rate_printed and not r.grade_stated for r in rows)
    assert [(r.src.rsplit("/", 1)[-1], r.anchor) for r in rows] == [
        ("jiuzhu.md", "zpb-jiuzhu"),
        ("xinxihua.md", "zpb-xinxihua"),
        ("jianguan.md", "zpb-jianguan"),
    ]


def test_the_printed_summarys_wrong_row_is_reported_at_its_line(data_dir):
    path = reports_tree(data_dir)
    text = path.read_text(encoding="utf-8")
    run = run_generator("check", "data", "--no-cache", cwd=data_dir.parent)
    assert run.returncode == 1
    line, column = place(text, "执行数: 250")
    column += len("执行数: ")  # the value is where the figure is reported
    errors = [out for out in (run.stdout + run.stderr).splitlines() if ": 错误：" in out]
    assert errors == [
        f"data/{DOCUMENT}:{line}:{column}: 错误：{SUMMARY_TITLE}“医保信息化建设”的执行数 = 其自评表资金情况的全年执行数："
        "应为 240.00，汇总表中为 250.00，相差 10.00"
    ], run.stdout + run.stderr
    site, _ = load_site(data_dir)
    results = [r for r in check_document(site.documents[0]) if isinstance(r.table, AmountTable)]
    compared = [r for r in results if "其自评表" in r.says]
    assert len(compared) == 15  # three rows, five columns each
    assert [r.status for r in compared].count(OK) == 14
    assert [r.mark.line for r in compared if r.status == ERROR] == [line]


def test_a_rate_that_differs_a_project_without_report_and_a_report_left_out(data_dir):
    text = (
        reports_document()
        .replace("执行数: 250", "执行数: 240")
        .replace("执行数: 590", "执行数: 580")
        .replace("执行率: 95.00%, 自评得分", "执行率: 95.1%, 自评得分")
        .replace("label: 医保基金监管", "label: 医保基金监督")
    )
    _, problems = loaded(data_dir, text)
    assert not problems.items
    site, _ = load_site(data_dir)
    said = {r.explain(): r.status for r in check_document(site.documents[0]) if isinstance(r.table, AmountTable)}
    assert said[
        f"{SUMMARY_TITLE}“城乡医疗救助”的执行率 = 其自评表资金情况的执行率：应为 95.00，汇总表中为 95.10，相差 0.10"
    ] == (ERROR)
    assert f"{SUMMARY_TITLE}“医保基金监督”：无法核对（本文件中没有项目名称为“医保基金监督”的自评表）" in said
    assert f"{SUMMARY_TITLE}没有列出项目“医保基金监管”（本文件中有它的自评表）" in said


def test_a_grade_that_differs_is_an_error(data_dir):
    text = reports_document().replace("执行数: 250", "执行数: 240").replace("执行数: 590", "执行数: 580")
    text = text.replace('自评得分: "70", 自评等级: 中', '自评得分: "70", 自评等级: 良')
    loaded(data_dir, text)
    site, _ = load_site(data_dir)
    errors = [r.explain() for r in check_document(site.documents[0]) if r.status == ERROR]
    assert errors == [f"{SUMMARY_TITLE}“医保基金监管”的自评等级 = 其自评表等级：应为 中，汇总表中为 良"]


def test_summary_of_naming_no_column_or_no_figure_is_reported_at_its_key(data_dir):
    text = reports_document().replace("{预算数: 预算数, 执行数: 执行数,", "{预算数: 预算, 执行数额: 执行数,")
    _, problems = loaded(data_dir, text)
    lines = [str(p) for p in problems.items]
    row = place(text, "{预算数: 预算,")[0]
    assert [p.mark.line for p in problems.items] == [row, row]
    assert "本表没有列 '预算'（是不是要写 '预算数'？）" in lines[0]
    assert "汇总中没有 '执行数额'（是不是要写 '执行数'？）" in lines[1]


@pytest.fixture(scope="module")
def reports_site(tmp_path_factory):
    """The document, naming the 汇总表's wrong row as printed by its original, built into a site."""
    root = tmp_path_factory.mktemp("reports")
    data = root / "data"
    shutil.copytree(DATA / "forms", data / "forms")
    write(data / "ceshi-ybj" / "bureau.yaml", MINIMAL_BUREAU)
    write(data / DOCUMENT, reports_document(as_is=True))
    assert build(data, root / "site", jobs=1) == 0
    return root / "site"


def test_the_overview_opens_with_the_summary_each_project_linked_to_its_report(reports_site):
    html = (reports_site / OVERVIEW / "index.html").read_text(encoding="utf-8")
    table = re.search(r'<table class="gk-perf gk-summary">(.*?)</table>', html, re.S).group(1)
    rows = re.findall(
        r'<tr><th scope="row"><a href="([^"]+)">([^<]+)</a></th>'
        r'<td class="gk-num">([^<]*)</td><td class="gk-num">([^<]*)</td><td class="gk-num">([^<]*)</td>'
        r'<td class="gk-num">([^<]*)</td><td class="gk-grade">([^<]*)</td></tr>',
        table,
    )
    assert [row[1:] for row in rows] == [
        ("城乡医疗救助", "200", "190", "95.00%", "94.5", "优†"),
        ("医保信息化建设", "300", "240", "80.00%", "81", "良†"),
        ("医保基金监管", "150", "150", "100.00%", "70", "中†"),
    ]
    for (href, name, *_), slug in zip(rows, ("jiuzhu", "xinxihua", "jianguan"), strict=True):
        target, anchor = resolve(reports_site, page_file(reports_site, OVERVIEW), href)
        assert target == page_file(reports_site, f"{OVERVIEW}{slug}/") and anchor == f"zpb-{slug}"
        report = read_page(reports_site, f"{OVERVIEW}{slug}/")
        assert anchor in report.ids and f"项目名称 {name}" in " ".join(report.text.split())
    assert 'class="gk-figures"' not in html  # no card per table: the 汇总 says it


def test_the_summary_part_shows_its_title_once_and_the_reports_link_in_order(reports_site):
    html = (reports_site / OVERVIEW / "huizong" / "index.html").read_text(encoding="utf-8")
    article = html[html.index("<article") :]
    assert re.findall(r"<h\d[^>]*>([^<]*)", article)[0] == f"附件 {SUMMARY_TITLE}"
    assert not re.search(rf"<h[2-6][^>]*>{SUMMARY_TITLE}", article)  # no section heading of its own
    assert '<div class="gk-part-table gk-part-titled" id="huizongbiao">' in article
    order = ["", "jiuzhu/", "xinxihua/", "jianguan/", "huizong/"]
    for before, here, after in zip([None, *order], order, [*order[1:], None], strict=False):
        if here == "":
            continue
        page = (reports_site / OVERVIEW / here / "index.html").read_text(encoding="utf-8")
        prev = re.search(r'rel="prev" href="([^"]+)"', page).group(1)
        assert resolve(reports_site, page_file(reports_site, OVERVIEW + here), prev)[0] == page_file(
            reports_site, OVERVIEW + before
        )
        following = re.search(r'rel="next" href="([^"]+)"', page)
        if after is None:
            assert following is None
        else:
            assert resolve(reports_site, page_file(reports_site, OVERVIEW + here), following.group(1))[0] == page_file(
                reports_site, OVERVIEW + after
            )
    assert (reports_site / OVERVIEW / "xiazai" / "huizongbiao.csv").is_file()


@pytest.mark.parametrize("width", [375, 1280])
def test_in_a_browser_the_summary_tables_title_is_seen_once(reports_site, browser, width):
    with serving(reports_site) as address:
        page, _, errors = open_page(browser, f"{address}{OVERVIEW}huizong/", width)
        try:
            # the headings and captions that say it where it can be seen (the breadcrumbs name the page)
            seen = page.evaluate(
                """title => [...document.querySelectorAll("article :is(h1, h2, h3, h4, caption)")].filter(e =>
                    e.textContent.includes(title) && e.getBoundingClientRect().height > 1).map(e => e.tagName)""",
                SUMMARY_TITLE,
            )
            assert seen == ["H1"], seen
            assert page.locator("table.gk-money caption").count() == 1  # kept for screen readers
            assert not errors
        finally:
            page.context.close()


def test_fmt_leaves_the_document_of_reports_as_written(data_dir):
    path = reports_tree(data_dir)
    write(path, "# yaml-language-server: $schema=../../../schemas/document.schema.json\n" + reports_document())
    run = run_generator("fmt", "--check", str(path), cwd=data_dir.parent)
    assert run.returncode == 0, run.stdout + run.stderr


def test_an_attachment_holds_its_table_directly_and_the_summary_links_to_it(data_dir):
    """Reports printed as 附件 of one part: each attachment its 自评表 alone, no sections needed."""
    reports = "".join(
        textwrap.indent(PROJECT_REPORT.lstrip("\n").format(**project).split("    sections:")[0], "    ")
        for project in PROJECTS[:2]
    )
    text = REPORTS_HEAD.lstrip("\n").format(as_is="") + "  - title: 附件\n    attachments:\n" + reports
    site, problems = loaded(data_dir, text)
    assert not problems.items, [str(p) for p in problems.items]
    [doc] = site.documents
    rows = report_rows(doc)
    assert [(r.name, r.src.rsplit("/", 2)[-2:], r.anchor) for r in rows] == [
        ("城乡医疗救助", ["part1", "jiuzhu.md"], "zpb-jiuzhu"),
        ("医保信息化建设", ["part1", "xinxihua.md"], "zpb-xinxihua"),
    ]
    pages = {page.src: page for page in document_pages(site, doc, check_document(doc))}
    overview = pages[f"{OVERVIEW}index.md"].html
    assert '<a href="part1/jiuzhu/#zpb-jiuzhu">城乡医疗救助</a>' in overview
    attachment = pages[rows[0].src].html
    assert '<div class="gk-part-table" id="zpb-jiuzhu">' in attachment
    assert '<h1 id="gk-title">一、城乡医疗救助项目支出绩效自评报告<a' in attachment


def test_the_bureau_page_opens_with_the_latest_documents_summary(reports_site):
    bureau = "ceshi-ybj/"
    html = (reports_site / bureau / "index.html").read_text(encoding="utf-8")
    table = re.search(r'<table class="gk-perf gk-summary">(.*?)</table>', html, re.S).group(1)
    links = re.findall(r'<th scope="row"><a href="([^"]+)">([^<]+)</a></th>', table)
    assert [name for _, name in links] == ["城乡医疗救助", "医保信息化建设", "医保基金监管"]
    target, anchor = resolve(reports_site, page_file(reports_site, bureau), links[0][0])
    assert target == page_file(reports_site, f"{OVERVIEW}jiuzhu/") and anchor == "zpb-jiuzhu"
    assert 'class="gk-figures"' not in html  # not six cards
