"""The audit (generator/audit.py) reads the built pages and downloads back: each test here builds
the real data/ (once), copies a document's folder, TAMPERS with one file the way a bug in a
renderer or a writer would (a changed figure, a dropped row, a number data/ does not hold, a
missing glossary term) and asserts that the audit reports it, at the place in data/ of the figure
concerned, as the clerk reads a problem; and that a build whose audit fails exits 1 and leaves
the previous site as it was. Whether the untouched pages and downloads agree with data/ is
tested independently of the audit by tests/test_site.py and tests/test_downloads.py.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator import audit, downloads
from generator.amounts import format_amount
from generator.build import SEVERITY_WORDS, build
from generator.load import load_site

from conftest import DATA

WANGCHENG = "changsha-wangcheng-ybj/2020/juesuan"
BEITA = "shaoyang-beita-ybj/2020/jixiao"
YUHUA = "changsha-yuhua-ybj/2020/jixiao"
WANGCHENG_YAML = "data/changsha-wangcheng-ybj/2020/juesuan.yaml"
CLERK_LINE = re.compile(r"^(data/[^:]+\.yaml):(\d+):(\d+): 错误：(.+)$")


@pytest.fixture(scope="module")
def model():
    site, problems = load_site(DATA)
    assert not problems.items
    return site


@pytest.fixture
def site(real_site, model, tmp_path) -> Path:
    """A copy of the built documents (what the audit reads), to tamper with."""
    copy = tmp_path / "site"
    for bureau in model.bureaus:
        shutil.copytree(real_site / bureau.slug, copy / bureau.slug)
    return copy


def document(model, folder: str):
    bureau, year, slug = folder.split("/")
    return next(d for d in model.documents if d.bureau.slug == bureau and str(d.year) == year and d.slug == slug)


def table(model, folder: str, anchor: str):
    return next(t for _, t in document(model, folder).tables() if t.anchor == anchor)


def clerk_lines(problems) -> list[str]:
    """The problems as `check` and `build` print them."""
    return [f"{p.mark}: {SEVERITY_WORDS[p.severity]}：{p.message}" for p in problems]


def audited(model, site: Path, folder: str) -> list[str]:
    return clerk_lines(audit.audit_document(document(model, folder), str(site)))


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_untouched_site_passes_every_document(model, site):
    for doc in model.documents:
        assert audit.audit_document(doc, str(site)) == [], doc.path


def test_a_changed_figure_on_a_page_is_reported_at_its_value(model, site):
    value = table(model, WANGCHENG, "gk03").panels[0].rows[1].cells["本年支出合计"]  # 55.11 for 208
    page = site / WANGCHENG / "part2" / "index.html"
    html = page.read_text(encoding="utf-8")
    start = html.index('id="公开03表"')
    cell = f">{format_amount(value.amount)}</td>"
    at = html.index(cell, start)
    page.write_text(html[:at] + ">55.12</td>" + html[at + len(cell) :], encoding="utf-8")
    (line,) = audited(model, site, WANGCHENG)
    path, row, column, message = CLERK_LINE.match(line).groups()
    assert (path, int(row), int(column)) == tuple(value.mark)
    assert f"{WANGCHENG}/part2/index.html" in message and "公开03表" in message
    assert "应为 55.11，却是 55.12" in message


def test_a_number_data_does_not_hold_added_to_a_table_on_a_page_is_reported(model, site):
    page = site / WANGCHENG / "part2" / "index.html"
    html = page.read_text(encoding="utf-8")
    start, end = html.index('id="公开07表"'), html.index('<p class="gk-downloads">', html.index('id="公开07表"'))
    blank = '<td class="gk-num"></td>'
    at = html.rindex(blank, start, end) if blank in html[start:end] else None
    if at is None:  # every cell filled: add a cell to the last row instead
        at = html.rindex("</tr>", start, end)
        blank = ""
    page.write_text(html[:at] + '<td class="gk-num">4,321.09</td>' + html[at + len(blank) :], encoding="utf-8")
    problems = audited(model, site, WANGCHENG)
    assert len(problems) == 1 and CLERK_LINE.match(problems[0])
    assert "公开07表" in problems[0] and "4,321.09" in problems[0]


def test_a_row_dropped_from_a_csv_is_reported(model, site):
    path = site / WANGCHENG / "xiazai" / "gk03.csv"
    lines = path.read_bytes().decode("utf-8").split("\r\n")
    dropped = lines.pop(3)
    assert re.search(r"\d\.\d\d", dropped)  # a row with figures
    path.write_bytes("\r\n".join(lines).encode("utf-8"))
    (line,) = audited(model, site, WANGCHENG)
    path_, *_ = CLERK_LINE.match(line).groups()
    assert path_ == WANGCHENG_YAML
    assert f"{WANGCHENG}/xiazai/gk03.csv" in line and "公开03表" in line


def test_a_changed_figure_in_the_json_is_reported(model, site):
    value = table(model, WANGCHENG, "gk03").panels[0].rows[1].cells["本年支出合计"]
    path = site / WANGCHENG / "xiazai" / "changsha-wangcheng-ybj-2020-juesuan.json"
    text = path.read_text(encoding="utf-8")
    start = text.index('"csv": "gk03.csv"')
    at = text.index(f", {value.amount}, ", start)
    path.write_text(text[:at] + ", 55.1, " + text[at + len(f", {value.amount}, ") :], encoding="utf-8")
    (line,) = audited(model, site, WANGCHENG)
    path_, row, column, message = CLERK_LINE.match(line).groups()
    assert (path_, int(row), int(column)) == tuple(value.mark)
    assert "gk03.csv" in message and "应为 55.11，却是 55.1" in message


def test_a_row_added_to_the_json_is_reported_as_figures_data_does_not_hold(model, site):
    path = site / WANGCHENG / "xiazai" / "changsha-wangcheng-ybj-2020-juesuan.json"
    text = path.read_text(encoding="utf-8")
    end = text.index("\n    ]}", text.index('"csv": "gk03.csv"'))
    last = text[text.rindex("\n      [", 0, end) : end]  # the block's last row, its figures changed
    added = re.sub(r"(?<=, )\d+\.\d\d(?=[,\]])", "1.23", last, count=1)
    assert added != last
    path.write_text(text[:end] + "," + added + text[end:], encoding="utf-8")
    (line,) = audited(model, site, WANGCHENG)
    assert CLERK_LINE.match(line) and "gk03.csv" in line and "多出 data/ 没有的数字" in line


def test_a_changed_number_in_a_free_table_s_csv_is_reported(model, site):
    free = table(model, BEITA, "ydjs-duibi")
    number = next(n for row in free.grid[2:] for c in row for n in re.findall(r"\d+\.\d\d", c.text))
    path = site / BEITA / "xiazai" / "ydjs-duibi.csv"
    replace_once(path, number, number[:-1] + str((int(number[-1]) + 1) % 10))
    (line,) = audited(model, site, BEITA)
    assert CLERK_LINE.match(line) and "ydjs-duibi.csv" in line


def test_a_changed_score_in_an_indicator_table_on_a_page_is_reported(model, site):
    indicators = table(model, YUHUA, "kaohe-pingfen")
    leaf = next(leaf for leaf in indicators.leaves() if leaf.scored is not None)
    pages = list((site / YUHUA).rglob("index.html"))
    page = next(p for p in pages if 'id="kaohe-pingfen-form"' in p.read_text(encoding="utf-8"))
    replace_once(page, f'<td class="gk-num gk-scored">{leaf.scored}</td>', '<td class="gk-num gk-scored">99.5</td>')
    (line,) = audited(model, site, YUHUA)
    path_, row, column, message = CLERK_LINE.match(line).groups()
    assert (path_, int(row), int(column)) == tuple(leaf.mark)
    assert "却是 99.5" in message


def test_a_glossary_term_missing_from_its_part_is_reported(model, site):
    doc = document(model, WANGCHENG)
    use = next(u for part in doc.parts for u in part.glossary if u.term == "基本支出")
    page = site / WANGCHENG / "part4" / "index.html"
    html = page.read_text(encoding="utf-8")
    heading = re.search(r'<h2 id="term-基本支出">基本支出<a class="headerlink"[^>]*>¶</a></h2>', html).group(0)
    page.write_text(html.replace(heading, ""), encoding="utf-8")
    (line,) = audited(model, site, WANGCHENG)
    path_, row, column, message = CLERK_LINE.match(line).groups()
    assert (path_, int(row), int(column)) == tuple(use.mark)
    assert "基本支出" in message and f"{WANGCHENG}/part4/index.html" in message


def test_a_table_missing_from_its_page_is_reported(model, site):
    page = site / WANGCHENG / "part2" / "index.html"
    html = page.read_text(encoding="utf-8")
    start = html.index('<div class="gk-table-meta">', html.index('id="gk09"'))
    end = html.index("</p>", html.index('<p class="gk-downloads">', start)) + len("</p>")
    page.write_text(html[:start] + html[end:], encoding="utf-8")
    (line,) = audited(model, site, WANGCHENG)
    assert CLERK_LINE.match(line) and "part2/index.html 应有 9 张表，却有 8 张" in line


def test_a_missing_csv_is_reported(model, site):
    (site / WANGCHENG / "xiazai" / "gk05.csv").unlink()
    (line,) = audited(model, site, WANGCHENG)
    assert CLERK_LINE.match(line) and "gk05.csv 不存在" in line


# ---- the build ----


def test_a_build_whose_audit_fails_exits_1_and_leaves_the_previous_site(data_dir, tmp_path, monkeypatch, capsys):
    site = tmp_path / "site"
    assert build(data_dir, site) == 0
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    capsys.readouterr()

    written = downloads.write_documents

    def write_then_lose_a_row(bureaus, root):  # a writer's bug: the CSV's last row is lost
        written(bureaus, root)
        for csv_file in root.glob("*/*/*/xiazai/gk02.csv"):
            text = csv_file.read_bytes().decode("utf-8")
            csv_file.write_bytes(text[: text.rindex("\r\n", 0, len(text) - 2) + 2].encode("utf-8"))

    monkeypatch.setattr(downloads, "write_documents", write_then_lose_a_row)
    assert build(data_dir, site, jobs=1) == 1  # in this process, where the writer is patched
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if "gk02.csv" in line]
    assert len(lines) == 1
    path, row, column, message = re.match(r"^(.+\.yaml):(\d+):(\d+): 错误：(.+)$", lines[0]).groups()
    assert path.endswith("ceshi-ybj/2020/juesuan.yaml") and "缺少 208" in message
    assert "没有发布，原来的 site/ 未改动" in err
    after = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
