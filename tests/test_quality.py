"""The 公开质量 review: criteria as data (data/quality.yaml), scored from the checks' results.

Mutations of the reference data (a table deleted, a statement dropped, dates added, a weight
changed) move the score of the document they touch, and the verdict names why and where.
"""

from __future__ import annotations

import json
import re
import shutil
from decimal import Decimal

import openpyxl
import pytest

from generator.check.document import check_document
from generator.check.quality import review
from generator.core.quality import MET, NOT_APPLICABLE, NOT_MET
from generator.core.results import OK, WARNING
from generator.load.loader import load_site
from generator.load.quality import load_criteria

from helpers import DATA, ROOT, place, run_generator
from sitetools import ARTIFACTS, open_page, page_html

WANGCHENG = "changsha-wangcheng-ybj/2020/juesuan.yaml"
SAN_GONG_SECTION = re.compile(
    r"      - title: 七、一般公共预算财政拨款“三公”经费支出决算表\n(?:        .*\n|          .*\n)+"
)
EMPTY_09 = "            - {科目名称: 合计}\n          statement: 此表数据为空\n"


@pytest.fixture
def data(tmp_path):
    shutil.copytree(DATA, tmp_path / "data")
    return tmp_path / "data"


def change(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    changed = re.sub(old, new, text, count=count) if isinstance(old, re.Pattern) else text.replace(old, new, count)
    assert changed != text
    path.write_text(changed, encoding="utf-8")
    return changed


def rows_of(data):
    site, problems = load_site(data)
    assert not problems.errors, problems.errors
    criteria, problems = load_criteria(data)
    assert not problems.errors, problems.errors
    results = {document: check_document(document) for document in site.documents}
    return review(site, results, criteria), results


def row(rows, bureau, kind):
    return next(r for r in rows if r.bureau.slug == bureau and r.kind == kind)


def verdict(row, criterion):
    return next(v for v in row.verdicts if v.criterion.id == criterion)


def test_removing_a_required_table_lowers_the_score_and_names_the_table(data):
    before = row(rows_of(data)[0], "changsha-wangcheng-ybj", "决算")
    assert verdict(before, "required-tables").status == MET
    change(data / WANGCHENG, SAN_GONG_SECTION, "")
    after = row(rows_of(data)[0], "changsha-wangcheng-ybj", "决算")
    missing = verdict(after, "required-tables")
    assert missing.status == NOT_MET and "缺少 公开07表" in missing.why
    assert missing.where.path.endswith(WANGCHENG) and missing.where.line == 6  # form_set:, which requires it
    assert verdict(after, "sanggong-detail").status == NOT_MET  # and its detail is gone with it
    assert after.score == before.score - before.weights["required-tables"] - before.weights["sanggong-detail"]


def test_an_empty_table_without_its_statement_is_reported(data):
    before = row(rows_of(data)[0], "changsha-wangcheng-ybj", "决算")
    assert "公开09表" not in verdict(before, "empty-tables").why
    text = change(data / WANGCHENG, EMPTY_09, "            - {科目名称: 合计, 合计: 0}\n")
    rows, _ = rows_of(data)
    empty = verdict(row(rows, "changsha-wangcheng-ybj", "决算"), "empty-tables")
    assert empty.status == NOT_MET
    assert "公开09表 国有资本经营预算财政拨款支出决算表 的数字全为 0：空表要附说明" in empty.why
    assert f"{WANGCHENG}:{place(text, 'form: 公开09表')[0]}:11: 公开09表" in empty.why  # at its table


@pytest.mark.parametrize(("approved", "late"), [("2021-05-01", True), ("2021-05-11", False)])
def test_a_publication_30_days_after_approval_is_late(data, approved, late):
    text = change(data / WANGCHENG, "unit: 万元\n", f"unit: 万元\npublished: 2021-05-31\napproved: {approved}\n")
    rows, results = rows_of(data)
    document = row(rows, "changsha-wangcheng-ybj", "决算").document
    timely = [r for r in results[document] if r.check == "timeliness"]
    assert [r.status for r in timely] == [WARNING if late else OK]
    assert timely[0].mark.line == place(text, "published:")[0]
    if late:
        assert "之后 30 天，超过了批复后 20 日内公开的要求" in timely[0].says
    assert verdict(row(rows, "changsha-wangcheng-ybj", "决算"), "timeliness").status == (NOT_MET if late else MET)


def test_a_form_set_may_allow_more_days(data):
    change(data / WANGCHENG, "unit: 万元\n", "unit: 万元\npublished: 2021-05-31\napproved: 2021-05-01\n")
    change(data / "forms/hunan-juesuan-2020.yaml", "\noutline:", "\npublish_within: 30\noutline:")
    rows, _ = rows_of(data)
    assert verdict(row(rows, "changsha-wangcheng-ybj", "决算"), "timeliness").status == MET


def test_without_dates_timeliness_is_not_applicable():
    rows, _ = rows_of(DATA)
    assert verdict(row(rows, "changsha-wangcheng-ybj", "决算"), "timeliness").status == NOT_APPLICABLE


def test_a_bureau_with_a_final_account_but_no_budget_shows_the_gap(data):
    rows, _ = rows_of(data)
    gap = row(rows, "changsha-wangcheng-ybj", "预算")
    assert gap.document is None and gap.year == 2020 and gap.score == 0
    present = verdict(gap, "document")
    assert present.status == NOT_MET and "2020 年已公开决算，没有预算" in present.why
    assert present.where.path.endswith("changsha-wangcheng-ybj/bureau.yaml")
    # a kind the criteria do not mandate is no gap: 望城 publishes no separate 绩效
    assert not [r for r in rows if r.bureau.slug == "changsha-wangcheng-ybj" and r.kind == "绩效"]
    change(data / "quality.yaml", "mandated: [预算, 决算]", "mandated: [决算]")
    assert not [r for r in rows_of(data)[0] if r.bureau.slug == "changsha-wangcheng-ybj" and r.kind == "预算"]


def test_a_changed_weight_changes_the_score(data):
    before = row(rows_of(data)[0], "changsha-wangcheng-ybj", "决算")
    assert verdict(before, "glossary").status == MET
    change(
        data / "quality.yaml",
        "  - id: glossary\n    name: 有名词解释\n    weight: 5",
        "  - id: glossary\n    name: 有名词解释\n    weight: 25",
    )
    after = row(rows_of(data)[0], "changsha-wangcheng-ybj", "决算")
    assert after.score == before.score + 20 and after.full == before.full + 20


def test_a_region_overrides_a_weight_for_its_bureaus_only(data):
    before = rows_of(data)[0]
    with (data / "quality.yaml").open("a", encoding="utf-8") as f:
        f.write("regions:\n  湖南省/长沙市:\n    weights: {glossary: 15}\n")
    after = rows_of(data)[0]
    wangcheng = [row(rows, "changsha-wangcheng-ybj", "决算") for rows in (before, after)]
    assert wangcheng[1].weights["glossary"] == Decimal(15) and wangcheng[1].score == wangcheng[0].score + 10
    dongxihu = [row(rows, "wuhan-dongxihu-ybj", "预算") for rows in (before, after)]
    assert dongxihu[1].score == dongxihu[0].score


def test_mistakes_in_the_criteria_are_said_in_chinese_at_their_place(data):
    text = change(data / "quality.yaml", "measure: glossary", "measure: glosary")
    with (data / "quality.yaml").open("a", encoding="utf-8") as f:
        f.write("regions:\n  湖北省:\n    weights: {glosary: 15}\n")
    _, problems = load_criteria(data)
    messages = [f"{p.mark.line}:{p.mark.column}: {p.message}" for p in problems.items]
    line = place(text, "measure: glosary")[0]
    assert any(m.startswith(f"{line}:14: ") and "'glosary' 不是可写的值" in m for m in messages), messages
    assert any("没有 id 为 'glosary' 的标准" in m for m in messages), messages
    run = run_generator("quality", str(data), cwd=ROOT)
    assert run.returncode == 1 and "quality.yaml:" in run.stdout + run.stderr
    assert "Traceback" not in run.stderr


def test_the_command_reports_every_row_and_exits_0():
    run = run_generator("quality", "--format", "json", cwd=ROOT)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    kinds = {(r["bureau"], r["year"], r["kind"]) for r in report["rows"]}
    assert ("changsha-wangcheng-ybj", 2020, "决算") in kinds and ("changsha-wangcheng-ybj", 2020, "预算") in kinds
    assert {r["region"] for r in report["regions"]} >= {"湖南省", "湖北省", "湖南省/长沙市"}
    csv = run_generator("quality", "--format", "csv", "--year", "2021", cwd=ROOT)
    assert csv.returncode == 0 and csv.stdout.splitlines()[0].startswith("地区,部门,年度,类别,文件,按规定公开,")
    assert len(csv.stdout.splitlines()) == 1  # no document of 2021


def test_the_review_as_a_workbook_holds_the_rows_with_numbers_as_numbers(tmp_path):
    out = tmp_path / "quality.xlsx"
    run = run_generator("quality", "--format", "xlsx", "--out", str(out), cwd=ROOT)
    assert run.returncode == 0, run.stderr
    sheet = openpyxl.load_workbook(out).active
    lines = [[cell.value for cell in line] for line in sheet.iter_rows()]
    assert lines[0][:5] == ["地区", "部门", "年度", "类别", "文件"] and lines[0][-3:] == ["得分", "满分", "得分率（%）"]
    gap = next(line for line in lines if line[1] == "长沙市望城区医疗保障局" and line[3] == "预算")
    assert gap[4] is None and gap[5] == "不符合" and gap[-3:] == [0, 20, 0]
    refused = run_generator("quality", "--format", "xlsx", cwd=ROOT)
    assert refused.returncode == 2 and "加 --out" in refused.stderr


def test_check_reports_a_mistake_in_the_criteria_with_the_rest_of_data(data):
    text = change(data / "quality.yaml", "measure: glossary", "measure: glosary")
    run = run_generator("check", str(data), "--no-cache", cwd=ROOT)
    line = place(text, "measure: glosary")[0]
    assert run.returncode == 1
    assert f"quality.yaml:{line}:14: 错误：'glosary' 不是可写的值" in run.stderr


def test_a_city_page_shows_its_review_and_offers_it_as_csv(real_site):
    html = page_html(real_site, "diqu/湖南省/长沙市/")
    section = html[html.index('id="zhiliang"') : html.index("</table>", html.index('id="zhiliang"'))]
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</th><td>(\d+)</td><td>(.*?)</td>\s*<td>(.*?)</td>", section)
    assert ("长沙市望城区医疗保障局", "2020", "预算", "<strong>未公开</strong>") in rows
    published = next(r for r in rows if r[0] == "长沙市望城区医疗保障局" and r[2] == "决算")
    assert published[3] == '<a href="../../../changsha-wangcheng-ybj/2020/juesuan/">已公开</a>'
    assert not any(r[0].startswith("武汉市") for r in rows)  # another city's bureaus are on its own page
    assert 'href="./zhiliang.csv" download' in section
    lines = (real_site / "diqu/湖南省/长沙市/zhiliang.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("地区,部门,年度,类别,公开,按时公开,得分,满分")
    assert "湖南省/长沙市/望城区,长沙市望城区医疗保障局,2020,预算,未公开,,0,20,0.0,,按规定公开" in lines


def test_a_bureau_page_shows_its_own_review(real_site):
    html = page_html(real_site, "changsha-wangcheng-ybj/")
    section = html[html.index('id="zhiliang"') : html.index("</table>", html.index('id="zhiliang"'))]
    assert section.count("<tr>") == 3  # the head, its 决算 and the 预算 it lacks
    assert '<a href="2020/juesuan/">已公开</a>' in section and "<strong>未公开</strong>" in section
    assert "长沙市雨花区" not in section
    assert 'href="../diqu/湖南省/长沙市/zhiliang.csv" download' in section


def test_a_document_lists_the_criteria_it_meets_and_links_its_citys_review(real_site):
    html = page_html(real_site, "changsha-wangcheng-ybj/2020/juesuan/")
    section = html[html.index('id="zhiliang"') : html.index("</ul>", html.index('id="zhiliang"'))]
    assert '<a href="../../../diqu/湖南省/长沙市/#zhiliang">' in section
    assert "<li>符合：公开表格齐全</li>" in section and "<li>符合：有名词解释</li>" in section
    assert "<li>不符合：核对无错误和警告</li>" in section  # its checks leave warnings
    assert re.search(r"得分 (\d+) / (\d+)（[\d.]+%）", section)


def ranked(page) -> list[str]:
    """The 公开质量 rows as the page now orders them: bureau, year, kind and 得分率."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll("table.gk-quality tbody tr"),
             r => Array.from(r.cells, c => c.textContent.trim()).filter((_, i) => [0, 1, 2, 6].includes(i)).join(" "))"""
    )


@pytest.mark.parametrize("width", [375, 1280])
def test_the_review_sorts_by_any_column_and_back(browser, server, width):
    page, _, errors = open_page(browser, server + "diqu/湖南省/长沙市/", width)
    printed = ranked(page)
    percent = [float(row.split()[-1].rstrip("%")) if row.split()[-1].endswith("%") else None for row in printed]
    assert len(printed) > 2 and percent != sorted(percent, key=lambda p: -1 if p is None else p, reverse=True)
    if width == 1280:  # the header's button; a phone's stacked rows have no header to press
        page.click('table.gk-quality th:has-text("得分率") button.gk-sort')
    else:
        page.select_option("select#gk-rank-0", label="得分率，从大到小")
    page.locator("#zhiliang").scroll_into_view_if_needed()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"quality-sorted-{width}.png"), full_page=True)
    rows = ranked(page)
    values = [float(row.split()[-1].rstrip("%")) if row.split()[-1].endswith("%") else -1 for row in rows]
    assert values == sorted(values, reverse=True) and sorted(rows) == sorted(printed)
    assert page.get_attribute('table.gk-quality th:has-text("得分率")', "aria-sort") == "descending"
    page.select_option("select#gk-rank-0", label="按原来的顺序")
    assert ranked(page) == printed
    assert not errors
    page.context.close()


def test_a_section_of_the_outline_missing_is_named_and_a_longer_title_still_counts(data):
    before = row(rows_of(data)[0], "changsha-wangcheng-ybj", "决算")
    assert verdict(before, "outline-sections").status == MET
    # a title that goes on past the 目录's is that section, as 东西湖 writes （一）基本支出659.4万元。其中：
    change(data / WANGCHENG, 'title: "（一）内设机构设置"', 'title: "（一）内设机构设置如下："')
    assert verdict(row(rows_of(data)[0], "changsha-wangcheng-ybj", "决算"), "outline-sections").status == MET
    change(data / WANGCHENG, 'title: "（一）内设机构设置如下："', 'title: "（一）本局的科室"')
    after = verdict(row(rows_of(data)[0], "changsha-wangcheng-ybj", "决算"), "outline-sections")
    assert after.status == NOT_MET and "缺少目录中的 （一）内设机构设置" in after.why
