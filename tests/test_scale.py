"""Province scale: what a page weighs must not depend on how many documents the site holds.

Timings are not asserted here (the machines are shared and noisy); `python -m generator bench`
prints them, and docs/performance.md quotes its medians.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator.bench.corpus import make_corpus
from generator.load.loader import load_site
from generator.render.pages import LATEST_DOCUMENTS
from generator.source.yamlsource import read_yaml

from helpers import DATA, ROOT, build_site, run_generator
from sitetools import page_html
from yamlplain import scalar_values


@pytest.fixture(scope="module")
def two_sizes(tmp_path_factory):
    """The same synthetic corpus at 6 and at 30 documents, each built."""
    built = {}
    for documents in (6, 30):
        root = tmp_path_factory.mktemp(f"n{documents}")
        make_corpus(DATA, root / "data", documents)
        built[documents] = build_site(root / "data", root / "site")
    return built


def test_the_corpus_is_real_documents_that_still_add_up(tmp_path):
    make_corpus(DATA, tmp_path / "data", 8)
    site, problems = load_site(tmp_path / "data")
    assert not problems.errors
    assert len(site.documents) == 8 and len(site.bureaus) == 3
    assert {d.kind for d in site.documents} == {"预算", "决算", "绩效"}
    real, _ = load_site(DATA)
    original = next(d for d in real.documents if d.kind == "决算")
    doubled = next(d for d in site.documents if d.kind == "决算" and d.year == 2019)  # the 5th: amounts × 2
    assert original.bureau.name not in doubled.title
    first = next(t for _, t in original.tables()).panels[0].fixed["一般公共预算财政拨款收入"]["金额"].amount
    again = next(t for _, t in doubled.tables()).panels[0].fixed["一般公共预算财政拨款收入"]["金额"].amount
    assert again == 2 * first


def test_the_corpus_gives_each_document_prose_of_its_own(tmp_path):
    # Copies of one text would let the build's per-text caches find every text again, which a real
    # province's documents never allow: the benchmark would flatter the render stage.
    make_corpus(DATA, tmp_path / "data", 8)
    files = sorted((tmp_path / "data").glob("bench-*/*/*.yaml"))
    first, again = files[0], files[4]  # the same real 决算, for two bureaus
    assert first.name == again.name == "juesuan.yaml"
    bodies = [
        [value.text for key, value in scalar_values(read_yaml(f, str(f))) if key == "body"] for f in (first, again)
    ]
    assert len(bodies[0]) == len(bodies[1]) > 20
    shared = set(bodies[0]) & set(bodies[1])
    assert len(shared) <= len(bodies[0]) // 10, shared
    assert all(text.strip() == "无" or not text.split("\n")[0].endswith("。") for text in shared)


def test_a_document_page_weighs_the_same_whatever_the_size_of_the_site(two_sizes):
    small, large = two_sizes[6], two_sizes[30]
    pages = sorted(p.relative_to(small) for p in small.glob("bench-00000/**/index.html"))
    assert len(pages) > 10
    for page in pages:
        assert (small / page).stat().st_size == (large / page).stat().st_size, page


def test_no_page_carries_a_menu_of_the_whole_site(two_sizes):
    large = two_sizes[30]
    page = (large / "bench-00000" / "2018").glob("*/index.html")
    html = next(page).read_text(encoding="utf-8")
    assert html.count("bench-0") < 40  # links to its own bureau, not to all ten bureaus' documents


def test_the_benchmark_runs_and_reports_every_figure():
    done = run_generator("bench", "--docs", "4", cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert figures["documents"] == 4 and figures["pages"] > 30
    for key in ("check_seconds", "check_seconds_after_one_edit", "build_seconds", "peak_memory_mib", "site_mib"):
        assert figures[key] > 0, key
    assert figures["build_seconds_per_document"] == pytest.approx(figures["build_seconds"] / 4, abs=0.01)
    assert figures["site_files"] > figures["pages"]  # the pages, their downloads, the search index, the assets
    assert sorted(figures["rebuild"]) == ["glossary changed", "one document edited", "unchanged"]
    for change, rebuilt in figures["rebuild"].items():
        assert rebuilt["build_seconds"] > 0 and rebuilt["peak_memory_mib"] > 0, change
        assert rebuilt["share_of_cold_build"] == pytest.approx(
            rebuilt["build_seconds"] / figures["build_seconds"], abs=0.01
        )
    # the glossary is in every batch's key: every batch is built again, none recalled
    assert figures["rebuild"]["glossary changed"]["stage_seconds"].get("recalled (workers)", 0) == 0
    assert figures["rebuild"]["unchanged"]["stage_seconds"]["recalled (workers)"] > 0
    assert {"load (workers)", "check (workers)", "generate (workers)", "pages (workers)"} <= set(
        figures["stage_seconds"]
    )
    assert 0 < figures["document_page_html_bytes_median"] <= figures["document_page_html_bytes_max"]
    assert figures["search_index_bytes"] > 0
    assert 0 < figures["search_query_bytes_max"] < figures["search_index_bytes"]
    assert figures["search_query_milliseconds_max"] >= 0
    assert figures["search_queries"]["三公经费"]["results_shown"] > 0  # the query really ran


def test_the_benchmark_names_the_rebuilds_it_knows():
    done = run_generator("bench", "--docs", "4", "--rebuilds", "unchanged,typo", cwd=ROOT, timeout=600)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.strip() == "--rebuilds：不认识“typo”，可选 unchanged,edited,glossary"


def test_the_benchmark_keeps_its_files_when_asked(tmp_path: Path):
    from generator.bench.measure import bench

    figures = bench(3, keep=tmp_path / "kept")
    assert (tmp_path / "kept" / "data" / "glossary.yaml").exists() and (tmp_path / "kept" / "site").is_dir()
    assert figures["documents"] == 3


def test_the_glossary_lists_a_few_documents_per_term_and_searches_for_the_rest(tmp_path):
    from generator.render.pages import GLOSSARY_USES_SHOWN, glossary_page

    make_corpus(DATA, tmp_path / "data", 60)  # 15 决算, each with its 名词解释
    site, problems = load_site(tmp_path / "data")
    assert not problems.errors
    page = glossary_page(site).whole
    used_by = [p for p in page.split("\n") if 'class="gk-used-by"' in p]
    assert used_by and all(p.count('href="../bench-') <= GLOSSARY_USES_SHOWN for p in used_by)
    assert "（共 15 份，列出最近的 12 份）" in page
    assert (
        '<a href="../search/?q=%E7%BB%8F%E8%90%A5%E6%94%AF%E5%87%BA">搜索全部使用本术语的文件</a>' in page
    )  # 经营支出
    years = [int(y) for y in re.findall(r'href="\.\./bench-\d+/(\d{4})/', used_by[0])]
    assert years == sorted(years, reverse=True)  # the most recent first


def test_the_home_page_lists_cities_and_the_latest_few_documents_not_every_bureau(two_sizes):
    home = page_html(two_sizes[30], "")
    # a fixed number of the latest documents, with their bureaus; each city's page lists the rest
    documents = re.findall(r'<a href="(bench-\d+/\d{4}/[^"/]+/)">', home)
    assert len(documents) == LATEST_DOCUMENTS < 30
    assert {d.split("/")[0] for d in documents} == set(re.findall(r'<a href="(bench-\d+)/">', home))
    years = [int(d.split("/")[1]) for d in documents]
    latest = max(int(p.name) for p in two_sizes[30].glob("bench-*/[0-9][0-9][0-9][0-9]"))
    assert years == sorted(years, reverse=True) and years[0] == latest  # the latest first
    cities = re.findall(r'<a href="(diqu/[^"]+)">', home)
    assert len(cities) >= 8 and all((two_sizes[30] / city / "index.html").exists() for city in cities)
