"""The built site as a deployment serves it: static files from a plain HTTP server (Python's
http.server, which knows nothing of the site), at the root of a host and under a sub-path, opened
in a real browser (Debian's chromium).

`make deploy-check` runs this module on the site about to be published (SITE_DIR=site); in the
suite it runs on the real data/ built by the session (conftest.real_site). Nothing here knows the
data: the pages to open and the words to search for are read from the site itself.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, unquote

import pytest

from helpers import ROOT
from sitetools import QuietHandler, read_page, serving

SUB_PATH = "gongkai/"  # as a GitHub project page or a folder of a department's own site is served
SITE_WIDE = ("about", "glossary", "search")


@pytest.fixture(scope="module")
def site(request) -> Path:
    given = os.environ.get("SITE_DIR")
    if not given:
        return request.getfixturevalue("real_site")
    path = (ROOT / given) if not Path(given).is_absolute() else Path(given)
    assert (path / "index.html").is_file(), f"SITE_DIR={given}: no built site there (make site builds one)"
    return path


@pytest.fixture(scope="module", params=["root", "sub-path"])
def base(request, site, tmp_path_factory):
    """The address of the site, served from the root of a host or under SUB_PATH."""
    served = site
    if request.param == "sub-path":
        served = tmp_path_factory.mktemp("www")
        (served / SUB_PATH.rstrip("/")).symlink_to(site.resolve(), target_is_directory=True)
    log = tmp_path_factory.mktemp("server") / "stderr"
    with log.open("w") as errors:
        server = subprocess.Popen(
            [sys.executable, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", str(served)],
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
    started = re.search(r"port (\d+)", server.stdout.readline())
    assert started, f"http.server did not start: {log.read_text()}"
    yield f"http://127.0.0.1:{started[1]}/" + (SUB_PATH if request.param == "sub-path" else "")
    server.terminate()
    server.wait(timeout=10)


class Visit:
    """A page opened in a fresh context, and every problem seen while it loaded."""

    def __init__(self, browser, base: str, path: str, on_response=None):
        self.context = browser.new_context(viewport={"width": 1280, "height": 800})
        self.problems: list[str] = []
        origin = "/".join(base.split("/")[:3]) + "/"
        # A request to another host is refused before it leaves the machine, and reported.
        self.context.route(
            lambda url: not url.startswith((origin, "data:", "blob:")),
            lambda route: (self.problems.append(f"request to another host: {route.request.url}"), route.abort()),
        )
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.problems.append(f"script error: {e}"))
        self.page.on("response", lambda r: r.status >= 400 and self.problems.append(f"{r.status}: {r.url}"))
        if on_response is not None:
            self.page.on("response", on_response)
        response = self.page.goto(base + path, wait_until="networkidle")
        if response is None or response.status != 200:
            self.problems.append(f"the page answered {response and response.status}")

    def close(self):
        self.context.close()


def kind_of(parts: tuple[str, ...]) -> str:
    """A page's kind, by the shape of its address."""
    if not parts:
        return "home"
    if parts[0] in SITE_WIDE:
        return parts[0]
    if parts[0] == "diqu":
        return "city"
    names = {1: "bureau", 2: "bureau year", 3: "document", 4: "part", 5: "attachment"}
    if len(parts) == 4 and parts[-1] == "checks":
        return "checks"
    return names.get(len(parts), f"depth {len(parts)}")


def pages_to_open(site: Path) -> dict[str, str]:
    """One page of each kind: the largest (the most tables, terms and scripts at work), by URL path."""
    largest: dict[str, tuple[int, str]] = {}
    for index in sorted(site.rglob("index.html")):
        parts = index.parent.relative_to(site).parts
        path = "/".join(parts) + "/" if parts else ""
        size = index.stat().st_size
        kind = kind_of(parts)
        if kind not in largest or size > largest[kind][0]:
            largest[kind] = (size, path)
    return {kind: path for kind, (_, path) in sorted(largest.items())}


def test_every_kind_of_page_loads_whole_with_no_error_and_nothing_from_another_host(browser, site, base):
    pages = pages_to_open(site)
    assert set(pages) >= {"home", *SITE_WIDE, "city", "bureau", "document", "part", "checks"}
    if not base.endswith(SUB_PATH):
        # mkdocs writes links from the host's root into the 404 page (a host shows it at any
        # missing address), so it is whole only at the root of a host: see docs/deploying.md.
        pages["404"] = "404.html"
    failures = {}
    for kind, path in pages.items():
        visit = Visit(browser, base, path)
        problems = visit.problems
        if not visit.page.locator("h1").count():
            problems.append("no heading: the page is empty")
        # the site's own stylesheet applied (a sub-path breaks links that start at the host's root)
        if visit.page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") != "sticky":
            problems.append("the theme's stylesheet did not apply")
        if problems:
            failures[f"{kind}: /{path}"] = problems
        visit.close()
    assert not failures, failures


def first_term(site: Path) -> str:
    terms = sorted(i[len("term-") :] for i in read_page(site, "glossary/").ids if i.startswith("term-"))
    assert terms, "the glossary lists no term"
    return terms[0]


def first_bureau(site: Path) -> tuple[str, str]:
    """The folder and full name of the first bureau the site has."""
    for index in sorted(site.glob("*/index.html")):
        folder = index.parent.name
        if kind_of((folder,)) == "bureau":
            heading = re.search(r'<h1 id="gk-title">([^<]+)', index.read_text(encoding="utf-8"))
            if heading:
                return folder, heading[1].strip()
    raise AssertionError("the site has no bureau page")


def search(browser, base: str, query: str, on_response=None) -> tuple[Visit, list[str]]:
    visit = Visit(browser, base, "search/?q=" + quote(query), on_response)
    visit.page.wait_for_selector("#gk-search[data-ms]", state="attached", timeout=10000)
    links = visit.page.locator(".gk-result-link").evaluate_all("links => links.map(a => a.href)")
    return visit, [unquote(link) for link in links]


def test_search_finds_a_glossary_term_and_its_result_opens(browser, site, base):
    term = first_term(site)
    # asked for as a definition: a term that names a table's item finds the figures first
    visit, links = search(browser, base, f"{term} 名词解释")
    assert base + f"glossary/#term-{term}" in links, links
    visit.page.locator(".gk-result-link").first.click()
    visit.page.wait_for_load_state("networkidle")
    assert visit.page.url.startswith(base)
    anchor = unquote(visit.page.url).partition("#")[2]
    assert anchor and visit.page.locator(f"[id='{anchor}']").count() == 1
    assert not visit.problems, visit.problems
    visit.close()


def test_search_finds_a_bureau_by_its_name(browser, site, base):
    folder, name = first_bureau(site)
    visit, links = search(browser, base, name)
    assert "找到" in visit.page.locator(".gk-search-status").inner_text()
    assert any(link.startswith(base + folder + "/") for link in links[:10]), links
    assert visit.page.locator(".gk-result mark").count() > 0  # the words found are marked
    assert not visit.problems, visit.problems
    visit.close()


class CompressingHost(QuietHandler):
    """A host set to send the index's gzip'd files with `Content-Encoding: gzip` (as some object
    stores do when told the files are gzip'd): the browser unpacks them before the script sees them."""

    def end_headers(self):
        if self.path.endswith(".bin"):
            self.send_header("Content-Encoding", "gzip")
        super().end_headers()


def test_search_works_also_from_a_host_that_sends_the_index_as_content_encoding_gzip(browser, site):
    with serving(site, CompressingHost) as base:
        encoded = []
        term = first_term(site)
        visit, links = search(
            browser, base, f"{term} 名词解释", lambda r: encoded.append(r.headers.get("content-encoding"))
        )
        assert base + f"glossary/#term-{term}" in links, links
        assert "gzip" in encoded  # the host did send them so
        assert not visit.problems, visit.problems
        visit.close()
