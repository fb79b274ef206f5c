"""End to end: build the real data/ into a temporary site and read it as a citizen's browser would."""

from __future__ import annotations

import json
import re
from collections import Counter

from generator.load.loader import load_site

from helpers import DATA, SEEDS
from sitetools import WANGCHENG, Page, amounts_on, page_html, read_page, resolve


def seed_table_lines() -> list[str]:
    text = (SEEDS / "000_de124dc610659ddd.txt").read_text(encoding="utf-8")
    start = text.index("## 第二部分 2020年度部门决算表")
    end = text.index("## 第三部分 2020年度部门决算情况说明")
    return text[start:end].splitlines()


def test_every_amount_of_the_nine_tables_is_on_the_tables_page(real_site):
    """The oracle is the seed text itself: each amount it prints (x.xx) is on the page at least as often."""
    printed = Counter(
        token for line in seed_table_lines() for token in re.findall(r"(?<![\d.])-?\d+\.\d\d(?![\d.])", line)
    )
    assert sum(printed.values()) > 600
    shown = Counter(amounts_on(read_page(real_site, f"{WANGCHENG}/part2/").text))
    missing = {amount: n - shown[amount] for amount, n in printed.items() if shown[amount] < n}
    assert not missing


def test_every_code_of_the_nine_tables_is_on_the_tables_page(real_site):
    codes = set()
    for line in seed_table_lines():
        cells = [c.strip() for c in line.split("\t")]
        for cell, following in zip(cells, cells[1:] + [""], strict=True):
            if re.fullmatch(r"\d{3}|\d{5}|\d{7}", cell) and re.match(r"[\u4e00-\u9fff]", following):
                codes.add(cell)
    assert {"208", "2101301", "30101", "39999", "2296013"} <= codes
    text = read_page(real_site, f"{WANGCHENG}/part2/").text
    assert not {code for code in codes if not re.search(rf"(?<!\d){code}(?!\d)", text)}


def test_every_amount_in_the_yaml_is_on_its_page(real_site):
    site, _ = load_site(DATA)
    for doc in site.documents:
        for part in doc.parts:
            page = f"{doc.bureau.slug}/{doc.year}/{doc.slug}/{part.slug}/"
            if not part.sections:
                continue
            shown = Counter(amounts_on(read_page(real_site, page).text))
            wanted = Counter()
            for _section, table in doc.tables():
                if table in [s.table for s in part.sections]:
                    for panel in getattr(table, "panels", []):
                        for row in panel.rows:
                            wanted.update(f"{v.amount:.2f}" for v in row.cells.values() if v.amount is not None)
                        for cells in panel.fixed.values():
                            wanted.update(f"{v.amount:.2f}" for v in cells.values() if v.amount is not None)
                    wanted.update(f"{v.amount:.2f}" for v in getattr(table, "totals", {}).values())
            assert not {a: n for a, n in wanted.items() if shown[a] < n}, page


def test_every_table_has_its_form_number_title_and_unit(real_site):
    page = page_html(real_site, f"{WANGCHENG}/part2/")
    for n in range(1, 10):
        assert f"<caption>公开0{n}表" in page
    assert page.count("金额单位：万元") == 9
    assert "此表数据为空" in page


def test_every_link_of_the_directory_resolves(real_site):
    index = real_site / WANGCHENG / "index.html"
    html = index.read_text(encoding="utf-8")
    directory = html[html.index('id="mulu"') : html.index("</article>")]
    links = [href for href in Page(directory).links if not href.startswith("#")]
    assert len(links) > 30
    for href in links:
        target = resolve(real_site, index, href)
        assert target is not None, href
        path, fragment = target
        assert path.exists(), href
        if fragment:
            assert fragment in Page(path.read_text(encoding="utf-8")).ids, href


def test_every_internal_link_on_every_page_resolves(real_site):
    broken = []
    for page_file in real_site.rglob("*.html"):
        for href in Page(page_file.read_text(encoding="utf-8")).links:
            target = resolve(real_site, page_file, href)
            if target is None:
                continue
            path, fragment = target
            if not path.exists() or (fragment and fragment not in Page(path.read_text(encoding="utf-8")).ids):
                broken.append((page_file.relative_to(real_site).as_posix(), href))
    assert not broken


def test_no_page_loads_anything_from_another_host(real_site):
    offenders = set()
    for page_file in real_site.rglob("*.html"):
        html = page_file.read_text(encoding="utf-8")
        page = Page(html)
        offenders |= {r for r in page.resources if re.match(r"(https?:)?//", r)}
        offenders |= set(re.findall(r"(?:src|href)=\"(https?://[^\"]+)\"", html))
    for asset in real_site.rglob("*.css"):
        offenders |= set(re.findall(r"url\((?:['\"])?(https?://[^)'\"]+)", asset.read_text(encoding="utf-8")))
    assert not offenders


def test_pages_are_chinese_and_navigable(real_site):
    home = page_html(real_site, "")
    assert '<html lang="zh' in home
    assert 'href="diqu/湖南省/长沙市/"' in home  # home → city → bureau → document
    city = page_html(real_site, "diqu/湖南省/长沙市/")
    assert "长沙市望城区医疗保障局" in city and f"{WANGCHENG}/" in city
    part = page_html(real_site, f"{WANGCHENG}/part1/")
    crumbs = part[part.index('class="gk-crumbs"') : part.index("</nav>", part.index('class="gk-crumbs"'))]
    assert all(label in crumbs for label in ("首页", "湖南省", "长沙市", "望城区医保局", "2020年部门决算"))


def test_glossary_terms_in_prose_link_to_their_entries_with_definitions(real_site):
    page_file = real_site / WANGCHENG / "part3" / "index.html"
    html = page_file.read_text(encoding="utf-8")
    terms = re.findall(r'<a class="gk-term" href="([^"]+)" title="([^"]+)"[^>]*>([^<]+)</a>', html)
    assert {"财政拨款收入", "基本支出", "项目支出"} <= {t[2] for t in terms}
    glossary = read_page(real_site, f"{WANGCHENG}/part4/")
    for href, definition, _term in terms:
        path, fragment = resolve(real_site, page_file, href)
        assert path == real_site / WANGCHENG / "part4" / "index.html" and fragment in glossary.ids
        assert definition.startswith("指") or definition.startswith("按照")


def test_search_is_a_chunked_index_of_chinese_pages_served_by_the_site(real_site):
    index = real_site / "search" / "data"
    meta = json.loads((index / "meta.json").read_text(encoding="utf-8"))
    assert meta["records"] > 100 and meta["facets"]["类型"] == ["绩效评价", "部门决算", "部门预算"]
    assert meta["facets"]["地区"] == ["湖北省", "湖南省"] and meta["facets"]["年度"] == ["2020"]
    files = [p for p in index.rglob("*.bin")]
    assert len(files) > 50 and max(f.stat().st_size for f in files) < 100_000  # fetched a few at a time
    assert not (real_site / "search" / "search_index.json").exists()  # no one-piece index to download
    header = page_html(real_site, "")
    assert 'href="search/"' in header and 'title="搜索"' in header


def test_the_search_index_holds_what_the_pages_say_section_by_section(real_site):
    import gzip

    from generator.build.search import shard_of, tokens

    index = real_site / "search" / "data"
    meta = json.loads((index / "meta.json").read_text(encoding="utf-8"))
    rows = []
    for name, _start in meta["parts"]:
        chunks = sorted(index.glob(f"r/{name}-*.bin"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        for chunk in chunks:
            rows.extend(json.loads(gzip.decompress(chunk.read_bytes())))
    by_url = {row[0]: row for row in rows}
    table = by_url[f"{WANGCHENG}/part2/#gk07"]
    assert table[2] == "七、一般公共预算财政拨款“三公”经费支出决算表"
    assert table[4:] == ["长沙市望城区医疗保障局", "湖南省", "2020", "部门决算"]
    assert "公务接待费" in table[3] and "2.29" not in table[3]  # the table's header is the section's
    row = by_url[f"{WANGCHENG}/part2/#公开07表-r0"]  # its figures are its rows', each a record
    assert row[2] == table[2] and row[4:8] == table[4:]
    assert ["决算数·公务接待费", "2.29"] in row[8][0][1]  # each figure with its column's name
    assert not any("/checks/" in url for url in by_url)  # the 数据核对 lists are not searched
    # the pair 三公 of 三公经费 (printed “三公”经费) is in that record's shard
    shard = gzip.decompress((index / "t" / f"{shard_of('三公', meta['shards'])}.bin").read_bytes())
    assert "三公".encode() in shard and {"三公", "公经", "经费"} <= tokens("“三公”经费")
    assert tokens("29,455.67") == {"29455.67"} and tokens("２１０１３０１") == {"2101301"}


def test_each_table_shows_its_check_status_and_the_document_its_check_page(real_site):
    page = page_html(real_site, f"{WANGCHENG}/part2/")
    assert page.count('class="gk-check ') == 9
    assert "301 工资福利支出 = 其下各款之和：应为 827.80，表中为 827.82，相差 0.02" in page
    checks = read_page(real_site, f"{WANGCHENG}/checks/").text
    assert "尾数差异" in checks and "培训费0.03万元" in checks and "相符" in checks
    index = read_page(real_site, f"{WANGCHENG}/").text
    assert "数据核对" in index


def test_the_not_found_page_is_chinese_and_leads_home_and_to_search(real_site):
    page = page_html(real_site, "404.html")
    assert "找不到这个页面" in page and "Not found" not in page
    # a host shows it at any address, so its links start from the site's root, as mkdocs writes its assets'
    assert '<a href="/">首页</a>' in page and '<a href="/search/">搜索</a>' in page
