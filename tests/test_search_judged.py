"""The search against its judged set (generator/bench/judged.yaml): queries a citizen types, with
the right answers written down from the pages before the ranking was tuned. Run in chromium on the
site built from data/, as `python -m generator bench` runs them (search_judged)."""

from __future__ import annotations

from generator.bench import relevance

from sitetools import open_page

JUDGED = relevance.load()


def test_the_judged_set_is_large_and_names_places_that_are_on_the_site(real_site):
    assert len(JUDGED) >= 30 and len({j.query for j in JUDGED}) == len(JUDGED)
    assert relevance.Site(real_site).missing(JUDGED) == []


def test_a_result_is_judged_by_where_it_lands(real_site):
    site = relevance.Site(real_site)
    part2 = "http://host/changsha-wangcheng-ybj/2020/juesuan/part2/"
    figure = next(j for j in JUDGED if j.query == "29527.51").answers  # a row of the 总表
    assert site.right(part2 + "#公开01表-r26", figure)
    assert not site.right(part2 + "#gk01", figure) and site.right(part2 + "#gk01", figure, section=True)
    assert not site.right(part2 + "#公开01表-r0", figure) and not site.right(part2 + "#gk03", figure, section=True)
    code = next(j for j in JUDGED if j.query == "2101301").answers
    assert site.right(part2 + "#%E5%85%AC%E5%BC%8003%E8%A1%A8-2101301", code)  # as the browser's a.href writes it
    sangong = next(j for j in JUDGED if j.query == "三公经费").answers  # sections, with their subsections and rows
    part3 = "http://host/changsha-wangcheng-ybj/2020/juesuan/part3/"
    assert site.right(part3 + "#s7-1", sangong) and not site.right(part3 + "#s8", sangong)
    assert site.right(part2 + "#公开07表-r0", sangong)
    bureau = next(j for j in JUDGED if j.query == "望城").answers  # a page's own top
    assert site.right("http://host/changsha-wangcheng-ybj/", bureau)
    assert not site.right("http://host/changsha-wangcheng-ybj/#duties", bureau)
    assert relevance.rank(site, ["http://host/glossary/", part2 + "#公开01表-r26"], figure) == 2


def test_the_best_answer_comes_first_for_nearly_every_judged_query(browser, server, real_site):
    """Issue 21's measure: the best answer first for at least 28 queries of the judged set (the
    search before it: 20 of these 40), and in the top three for nearly all."""
    site = relevance.Site(real_site)
    page, foreign, errors = open_page(browser, server + "search/", 375)
    ranks = {}
    for judged in JUDGED:
        page.evaluate("document.getElementById('gk-search').removeAttribute('data-ms')")
        page.locator('#gk-search input[name="q"]').fill(judged.query)  # searches once typing stops
        page.wait_for_selector("#gk-search[data-ms]", state="attached", timeout=10000)
        results = page.locator(".gk-result-link").evaluate_all("links => links.map(a => a.href)")
        ranks[judged.query] = relevance.rank(site, results, judged.answers)
    first = [query for query, rank in ranks.items() if rank == 1]
    top_three = [query for query, rank in ranks.items() if rank is not None and rank <= 3]
    assert len(first) >= 28, {query: rank for query, rank in ranks.items() if rank != 1}
    assert len(top_three) >= 36, {query: rank for query, rank in ranks.items() if rank is None or rank > 3}
    assert not foreign and not errors
    page.context.close()
