"""No injection: text from data/ reaches every page as text, and nothing it says runs in a browser.

A copy of the real data/ has the checklist's payloads appended to every text field of every file
(each field tagged GK<n>, so that the test knows which fields reached a page), names with Markdown
characters, emoji and rare CJK, a glossary term with brackets, hostile region names and a very long
title; it is built with the real build, read back as HTML, and opened in Debian's chromium. The
real site is checked for its Content-Security-Policy and opened under it.
"""

from __future__ import annotations

import gzip
import itertools
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from generator.check.document import check_document
from generator.core.results import ERROR
from generator.core.urls import term_anchor
from generator.load.loader import load_site

from helpers import DATA, build_site
from sitetools import ARTIFACTS, WANGCHENG, WATCH_POLICY, Page, open_page, page_html, read_page, resolve, serving

SCRIPT = "<script>window.pwned=1;alert(1)</script>"
PAYLOADS = [
    SCRIPT,
    '<img src=x onerror="window.pwned=1;alert(1)">',
    '<a href="javascript:window.pwned=1">点此</a>',
    "[点此](javascript:window.pwned=1)",
    '<iframe src="javascript:window.pwned=1"></iframe>',
    "<style>body{display:none}</style>",
    '<svg onload="window.pwned=1">',
    "{{ 7*7 }} {% raw %} ${7*7}",
]
HOSTILE = " ".join(PAYLOADS)
# What a payload would be, had it become markup: none of these may be in any page.
AS_MARKUP = [
    "<script>window",
    "<img src=x",
    "<iframe",
    "<style>body",
    "<svg onload",
    '<a href="javascript:',
    "<i>&amp;",
]

# Text fields: what documents, bureaus and forms say in words (not ids, keys, numbers or choices).
DOCUMENT_TEXT = {
    *("title", "body", "caption", "note", "statement", "name", "short_name", "content", "standard", "reason"),
    *("measure", "actual", "target", "definition", "as_is_note", "source", "text", "unit", "head", "label"),
    *("duties", "organization", "units", "科目名称", "unreadable"),
}
FORM_TEXT = {"title", "note", "label", "says", "name"}
# Loaded but shown on no page: the form sets' own names and the
# standard 目录 a form set gives `python -m generator new` to start a document from.
NOT_ON_ANY_PAGE = {
    *(
        f"forms/{name}.yaml: {field}"
        for name in ("hubei-yusuan-2020", "hunan-juesuan-2020")
        for field in ("name", "outline: title")
    ),
    *(f"forms/{name}.yaml: name" for name in ("hubei-jixiao-2020", "hunan-jixiao-2020", "national-jixiao-2020")),
    # a criterion of the 公开质量 review is named on a page only where a document does not meet it
    "quality.yaml: name",
    # no document of data/ is on the national 绩效 forms (财预〔2020〕10号): they are for new documents
    *(
        f"forms/national-jixiao-2020.yaml: indicator_forms: {form}: {field}"
        for form in ("项目支出绩效自评表", "部门整体支出绩效自评表")
        for field in ("title", "label")
    ),
    # the tables on these forms write their own title (and 雨花's 评分表 its own total's label)
    "forms/hubei-jixiao-2020.yaml: indicator_forms: 项目绩效目标申报表: title",
    "forms/hunan-jixiao-2020.yaml: indicator_forms: 部门整体支出绩效自评工作考核评分表: title",
    "forms/hunan-jixiao-2020.yaml: indicator_forms: 部门整体支出绩效自评工作考核评分表: label",
    # the chart of 基本支出 and 项目支出 reads 公开03表's 合计 row, whose label the hostile copy
    # changes: the chart finds no figures and is left out, with its title; so are the headline
    # figures of 基本支出 and 项目支出, with their labels
    "forms/hunan-juesuan-2020.yaml: charts: title",
    "forms/hunan-juesuan-2020.yaml: headline: label",
    # 东西湖's 表8 leaves three of the 三公's rows blank: those headline items are left out
    "forms/hubei-yusuan-2020.yaml: headline: label",
}

MARKDOWN_NAME = "- 1. 望城|区*医*_保_ #1 `局` [链](接) <i>&amp; a\\b {#x}"
RARE_NAME = "望城区😀𠀀医保局"
TERM = "术语]*[甲"
TERM_WITH_BRACES = "增长率{=}50%?"  # '}' or '=' would end the {#id} of its heading on the glossary page
LONG_TITLE = "北塔区医疗保障局" + "部门整体支出绩效评价报告" * 20 + "A" * 160


class Injector:
    """Appends `GK<n>: HOSTILE` to every text field of a data tree, remembering which field got n."""

    def __init__(self):
        self.yaml = YAML()
        self.yaml.width = 4096
        self.fields: dict[int, str] = {}
        self.numbers = itertools.count(1)
        # Header items whose value is one of a form's choices (项目类型: 常年性项目): a value, not
        # text, so left as it is (a payload there is refused when loaded, as it should be).
        self.choices: set[str] = set()

    def tag(self, value: str, where: str) -> str:
        n = next(self.numbers)
        self.fields[n] = where
        return f"{value} GK{n}: {HOSTILE}"

    def walk(self, node, keys: set[str], where: str, in_columns: bool = False) -> None:
        if isinstance(node, CommentedSeq):
            for item in node:
                self.walk(item, keys, where, in_columns)
        if not isinstance(node, CommentedMap):
            return
        for key, value in node.items():
            if isinstance(value, str) and key in keys and not in_columns:
                node[key] = self.tag(value, f"{where}: {key}")
            elif key in ("facts", "goals") and isinstance(value, CommentedMap):
                for label, text in value.items():
                    if isinstance(text, str) and label not in self.choices:
                        value[label] = self.tag(text, f"{where}: {key}")
            elif key == "grid":
                for row in value:
                    for i, cell in enumerate(row):
                        if isinstance(cell, str):
                            row[i] = self.tag(cell, f"{where}: grid")
                        elif isinstance(cell, CommentedMap) and isinstance(cell.get("text"), str):
                            cell["text"] = self.tag(cell["text"], f"{where}: grid")
            else:  # the labels of a block's columns are the keys of its rows: left as they are
                self.walk(value, keys, where, in_columns or (key == "columns" and keys is DOCUMENT_TEXT))

    def load(self, path: Path):
        return self.yaml.load(path.read_text(encoding="utf-8"))

    def dump(self, root, path: Path) -> None:
        with path.open("w", encoding="utf-8") as out:
            self.yaml.dump(root, out)


def first_with(node, key: str):
    """The first mapping under *node* (depth first) that has *key*."""
    if isinstance(node, CommentedMap):
        if key in node:
            return node
        children = node.values()
    elif isinstance(node, CommentedSeq):
        children = node
    else:
        return None
    return next((found for child in children if (found := first_with(child, key)) is not None), None)


def hostile_copy(target: Path) -> dict[int, str]:
    shutil.copytree(DATA, target)
    injector = Injector()

    def edit(relative: str, change) -> None:
        root = injector.load(target / relative)
        change(root)
        injector.dump(root, target / relative)

    # Names, cells, a term, regions and a title to try, before every text field gets the payloads.
    def glossary(terms):
        terms["terms"].append(CommentedMap(term=TERM, definition="含<b>HTML</b>的解释"))
        terms["terms"].append(CommentedMap(term=TERM_WITH_BRACES, definition="一个百分比。"))

    edit("glossary.yaml", glossary)

    def wangcheng(bureau):
        bureau["name"], bureau["short_name"] = MARKDOWN_NAME, RARE_NAME
        bureau["duties"] = f"{TERM}是一个术语，{TERM_WITH_BRACES}也是。\n\n" + bureau["duties"]

    edit("changsha-wangcheng-ybj/bureau.yaml", wangcheng)
    edit("changsha-yuhua-ybj/bureau.yaml", lambda b: b.update(region="湖南省/CON/雨花区<iframe>"))
    # ('..' and slashes in a region are refused when loaded: the city here is only markup)
    edit("shaoyang-beita-ybj/bureau.yaml", lambda b: b.update(region="湖南省/<script>window.pwned=1/北塔区"))

    def juesuan(document):
        first_with(document, "glossary")["glossary"].append(TERM)
        first_with(document["parts"][1], "科目名称")["科目名称"] = MARKDOWN_NAME

    edit(WANGCHENG + ".yaml", juesuan)

    def first_cell(document):  # its text, keeping its spans
        row = first_with(document, "grid")["grid"][0]
        if isinstance(row[0], CommentedMap):
            row[0]["text"] = f"第一行\n{MARKDOWN_NAME}"
        else:
            row[0] = f"第一行\n{MARKDOWN_NAME}"

    edit("changsha-yuhua-ybj/2020/jixiao.yaml", first_cell)
    edit("shaoyang-beita-ybj/2020/jixiao.yaml", lambda d: d.update(title=LONG_TITLE))

    for path in sorted((target / "forms").glob("*.yaml")):
        for form in injector.load(path).get("indicator_forms") or []:
            injector.choices.update(f["label"] for f in form.get("facts") or [] if f.get("role") == "choice")
    for path in sorted(target.rglob("*.yaml")):
        where = path.relative_to(target).as_posix()
        document = where.count("/") == 2

        def inject(root, where=where, document=document):
            if where.startswith("forms/"):
                outline, charts = root.pop("outline", None), root.pop("charts", None)
                headline = root.pop("headline", None)
                indicator_forms = root.pop("indicator_forms", None)
                injector.walk(root, FORM_TEXT, where)
                # A 绩效 form's name is what its tables write in `form:`, and its header items
                # (facts) are what their facts must be called: words every table matches, not text.
                for form in indicator_forms or []:
                    facts = form.pop("facts", None)
                    injector.walk(form, {"title", "label"}, f"{where}: indicator_forms: {form['name']}")
                    if facts is not None:
                        form["facts"] = facts
                if indicator_forms is not None:
                    root["indicator_forms"] = indicator_forms
                if outline is not None:
                    injector.walk(outline, FORM_TEXT, f"{where}: outline")
                    root["outline"] = outline
                if charts is not None:
                    injector.walk(charts, FORM_TEXT, f"{where}: charts")
                    root["charts"] = charts
                if headline is not None:
                    injector.walk(headline, FORM_TEXT, f"{where}: headline")
                    root["headline"] = headline
            elif where == "quality.yaml":  # the review's criteria: their names are shown; measures are choices
                injector.walk(root, {"name"}, where)
            else:
                injector.walk(root, DOCUMENT_TEXT, "document" if document else where)

        edit(where, inject)
    accept_every_error(target, edit)
    return injector.fields


def accept_every_error(target: Path, edit) -> None:
    """Each document of the hostile copy publishes its check errors as the original prints them: its
    rules read in words its payloads changed, so its published_as_is is written again from them."""
    site, problems = load_site(target)
    assert not problems.items, [str(p) for p in problems.items]
    for document in site.documents:
        errors = dict.fromkeys((r.says, r.difference) for r in check_document(document) if r.status == ERROR)

        def accept(root, errors=errors):
            root.pop("published_as_is", None)
            if errors:
                accepted = [CommentedMap(rule=says, difference=str(difference)) for says, difference in errors]
                root.insert(1, "published_as_is", CommentedSeq(accepted))

        edit(Path(document.path).resolve().relative_to(target.resolve()).as_posix(), accept)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[Path, dict[int, str]]:
    root = tmp_path_factory.mktemp("hostile")
    fields = hostile_copy(root / "data")
    return build_site(root / "data", root / "site"), fields


def pages_of(site: Path) -> dict[str, str]:
    """The site's pages. Not the form editor (admin/): an application of its own with its own
    policy (tests/test_cms.py), made from the schema; text from data/ reaches it only in the
    editor's browser, through the git host."""
    return {
        p.relative_to(site).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(site.rglob("*.html"))
        if not p.relative_to(site).as_posix().startswith("admin/")
    }


SITE_SCRIPTS = re.compile(
    r"(/|(\.\./)*)assets/(javascripts/bundle\.[0-9a-f]+\.min|gongkai|gongkai-search|gongkai-tables|gongkai-theme)\.js"
)


class Markup(HTMLParser):
    """What in a page could run or load something: handlers, scripts, frames, styles, javascript: URLs."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.found: list = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append((tag, name, value))
            url = re.sub(r"[\s\x00-\x1f]", "", value or "").lower()
            if name in ("href", "src", "action", "formaction", "data", "xlink:href") and url.startswith(
                ("javascript:", "vbscript:", "data:text")
            ):
                self.found.append((tag, name, value))
        if tag in ("iframe", "frame", "object", "embed", "style", "base", "img", "link") and not (
            tag == "link" and values.get("rel") in ("stylesheet", "icon", "next", "prev")
        ):
            self.found.append((tag, attrs))
        if tag == "script" and not (
            SITE_SCRIPTS.fullmatch(values.get("src", "")) or values.get("type") == "application/json"
        ):
            self.found.append((tag, attrs))


def test_no_text_from_data_becomes_markup(hostile):
    site, _ = hostile
    pages = pages_of(site)
    assert len(pages) > 40
    for name, html in pages.items():
        assert not Markup(html).found, (name, Markup(html).found[:3])
        assert not [m for m in AS_MARKUP if m in html], name
    # the <title> and the header show a hostile title as text
    part = pages[f"{WANGCHENG}/part1/index.html"]
    title = part[part.index("<title>") : part.index("</title>")]
    assert "GK" in title and "&lt;script&gt;window.pwned=1;alert(1)&lt;/script&gt;" in title


def test_the_preview_escapes_as_the_build_does(hostile, tmp_path):
    """`make serve` renders every page through mkdocs (whose templates do not escape), titles included."""
    from generator.build.mkdocs_preview import generate
    from generator.build.mkdocs_run import run_mkdocs
    from generator.load.loader import load_site

    site, problems = load_site(hostile[0].parent / "data")
    assert not problems
    fragments = generate(site, tmp_path / "docs")
    run_mkdocs(tmp_path / "docs", tmp_path / "site", fragments)
    pages = pages_of(tmp_path / "site")
    assert len(pages) > 40
    for name, html in pages.items():
        assert not Markup(html).found, (name, Markup(html).found[:3])
        assert not [m for m in AS_MARKUP if m in html], name
    part = pages[f"{WANGCHENG}/part1/index.html"]
    assert (
        "&lt;script&gt;window.pwned=1;alert(1)&lt;/script&gt;" in part[part.index("<title>") : part.index("</title>")]
    )


def test_every_text_field_reaches_the_page_as_text(hostile):
    site, fields = hostile
    shown = set()
    for html in pages_of(site).values():
        shown |= {int(n) for n in re.findall(r"GK(\d+): " + re.escape(SCRIPT), Page(html).text)}
    assert len(fields) > 1000
    assert {fields[n] for n in set(fields) - shown} == NOT_ON_ANY_PAGE


def test_template_syntax_is_shown_as_typed(hostile):
    site, _ = hostile
    text = read_page(site, f"{WANGCHENG}/part2/").text  # table cells: shown exactly as typed
    assert text.count("{{ 7*7 }} {% raw %} ${7*7}") > 50


def test_names_and_cells_with_markdown_characters_read_as_typed(hostile):
    site, _ = hostile
    for url in ("changsha-wangcheng-ybj/", "diqu/湖南省/长沙市/", f"{WANGCHENG}/", f"{WANGCHENG}/part2/"):
        assert MARKDOWN_NAME in read_page(site, url).text, url
    glossary = read_page(site, "glossary/").text  # a Markdown page: the short name in its lists of uses
    assert RARE_NAME in glossary
    tables = (site / "changsha-yuhua-ybj" / "2020" / "jixiao").rglob("index.html")
    cells = [html for html in (p.read_text(encoding="utf-8") for p in tables) if "第一行<br>" in html]
    assert cells and "第一行<br>- 1. 望城|区*医*_保_ #1 `局` [链](接) &lt;i&gt;&amp;amp; a\\b {#x}" in cells[0]


def test_a_glossary_term_with_brackets_is_linked_and_listed(hostile):
    site, _ = hostile
    glossary_file = site / "glossary" / "index.html"
    glossary = Page(glossary_file.read_text(encoding="utf-8"))
    assert {term_anchor(TERM), term_anchor(TERM_WITH_BRACES)} <= glossary.ids
    assert TERM in glossary.text and TERM_WITH_BRACES in glossary.text
    assert "含<b>HTML</b>的解释" in glossary.text  # the definition's HTML, as text
    bureau_file = site / "changsha-wangcheng-ybj" / "index.html"
    for term in (TERM, TERM_WITH_BRACES):
        links = [href for href in Page(bureau_file.read_text(encoding="utf-8")).links if term_anchor(term) in href]
        assert links, term  # the term in the bureau's duties links to its entry
        path, fragment = resolve(site, bureau_file, links[0])
        assert path == glossary_file and fragment in glossary.ids
    part = site / WANGCHENG / "part4" / "index.html"
    assert term_anchor(TERM) in Page(part.read_text(encoding="utf-8")).ids
    broken = []
    for page_file in site.rglob("*.html"):
        for href in Page(page_file.read_text(encoding="utf-8")).links:
            target = resolve(site, page_file, href)
            if target and (not target[0].exists() or (target[1] and target[1] not in Page(target[0].read_text()).ids)):
                broken.append((page_file.relative_to(site).as_posix(), href))
    assert not broken


def test_hostile_region_names_make_safe_folders(hostile):
    site, _ = hostile
    cities = sorted(p.relative_to(site / "diqu").as_posix() for p in (site / "diqu").rglob("index.html"))
    assert cities == [
        "湖北省/武汉市/index.html",
        "湖南省/-script-window.pwned=1/index.html",
        "湖南省/CON-/index.html",
        "湖南省/长沙市/index.html",
    ]
    home = read_page(site, "")
    assert "CON" in home.text and "<script>window.pwned=1" in home.text


def test_the_search_index_holds_text_not_markup(hostile):
    site, _ = hostile
    index = site / "search" / "data"
    texts = []
    for chunk in (index / "r").glob("*.bin"):
        texts += [" ".join(str(v) for v in row) for row in json.loads(gzip.decompress(chunk.read_bytes()))]
    assert sum(SCRIPT in text for text in texts) > 100  # as text, to be shown with textContent
    assert any(MARKDOWN_NAME in text for text in texts)


# ---- the Content-Security-Policy, on the real site ----

POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')


def test_every_page_declares_the_policy_and_its_language(real_site):
    for name, html in pages_of(real_site).items():
        head = html[: html.index("</head>")]
        policy = POLICY.search(head)
        assert policy, name
        directives = dict(d.strip().split(" ", 1) for d in policy.group(1).split(";"))
        assert directives["default-src"] == directives["script-src"] == directives["style-src"] == "'self'", name
        assert directives["object-src"] == "'none'" and directives["base-uri"] == "'self'"
        assert "unsafe" not in policy.group(1) and "http" not in policy.group(1)
        assert policy.start() < head.find("<script") or "<script" not in head, name  # before any script
        assert '<html lang="zh-CN"' in html, name
        # nothing the policy would refuse: inline scripts, <style>, style="…", event handlers
        inline = [s for s in re.findall(r"<script([^>]*)>", html) if "src=" not in s and "application/json" not in s]
        assert not inline and "<style" not in html and " style=" not in html, name
        assert not re.search(r"\son[a-z]+=", html), name


def test_the_preview_goes_without_the_policy_that_would_refuse_its_reload_script(real_site):
    """`mkdocs serve` adds an inline script that reloads the page; only the preview drops the policy."""
    from generator.build import mkdocs_preview

    page = page_html(real_site, "")
    assert POLICY.search(page)
    try:
        mkdocs_preview.on_startup(command="serve", dirty=False)
        assert not POLICY.search(mkdocs_preview.on_post_page(page)) and "<title>" in mkdocs_preview.on_post_page(page)
        mkdocs_preview.on_startup(command="build", dirty=False)
        assert mkdocs_preview.on_post_page(page) == page
    finally:
        mkdocs_preview.on_startup(command="build", dirty=False)


def test_every_table_has_a_caption_and_scoped_headers(real_site):
    tables = 0
    for name, html in pages_of(real_site).items():
        for table in re.findall(r"<table.*?</table>", html, re.S):
            tables += 1
            assert "<caption>" in table, (name, table[:120])
            assert all("scope=" in th for th in re.findall(r"<th(?:\s[^>]*)?>", table)), (name, table[:200])
    assert tables > 60


# ---- in the browser ----


@pytest.fixture(scope="module")
def hostile_server(hostile):
    with serving(hostile[0]) as address:
        yield address


class Visit:
    """A page in a fresh browser context, with what it reported: dialogs, errors, policy violations."""

    def __init__(self, browser, url: str, width: int = 1280):
        self.dialogs = []
        self.page, _, self.errors = open_page(browser, url, width, init_script=WATCH_POLICY, dialogs=self.dialogs)

    def trouble(self) -> dict:
        found = {
            "pwned": self.page.evaluate("typeof window.pwned"),
            "dialogs": self.dialogs,
            "errors": self.errors,
            "violations": self.page.evaluate("window.__violations"),
        }
        return {k: v for k, v in found.items() if v and v != "undefined"}

    def close(self):
        self.page.context.close()


HOSTILE_PAGES = [  # a page and a text of data/ it shows
    ("", "CON"),
    ("diqu/湖南省/长沙市/", "window.pwned=1"),
    ("diqu/湖南省/CON-/", "window.pwned=1"),
    ("changsha-wangcheng-ybj/", "window.pwned=1"),
    (f"{WANGCHENG}/", "window.pwned=1"),
    (f"{WANGCHENG}/part1/", "window.pwned=1"),
    (f"{WANGCHENG}/part2/", "window.pwned=1"),
    (f"{WANGCHENG}/part3/", "window.pwned=1"),
    (f"{WANGCHENG}/part4/", "window.pwned=1"),
    (f"{WANGCHENG}/checks/", "window.pwned=1"),
    ("glossary/", "window.pwned=1"),
    ("changsha-yuhua-ybj/2020/jixiao/part1/fujian1/", "window.pwned=1"),
    ("shaoyang-beita-ybj/2020/jixiao/", "window.pwned=1"),
    ("wuhan-dongxihu-ybj/2020/yusuan/part4/", "window.pwned=1"),
]


@pytest.mark.parametrize("url, text", HOSTILE_PAGES)
def test_nothing_runs_in_the_browser(browser, hostile_server, url, text):
    visit = Visit(browser, hostile_server + url)
    assert visit.page.get_by_text(text, exact=False).count() > 0  # the payloads are there, as text
    assert not visit.trouble()
    visit.close()


def test_nothing_runs_in_search_results(browser, hostile_server):
    visit = Visit(browser, hostile_server + "search/?q=pwned")
    visit.page.wait_for_selector("#gk-search[data-ms]", state="attached", timeout=10000)
    results = visit.page.locator(".gk-result").all_inner_texts()
    assert results and any(SCRIPT in text for text in results)
    assert not visit.trouble()
    visit.close()


def test_a_very_long_title_fits_a_phone(browser, hostile_server):
    visit = Visit(browser, hostile_server + "shaoyang-beita-ybj/2020/jixiao/", width=375)
    assert LONG_TITLE in visit.page.locator("h1").inner_text()
    overflow = visit.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    visit.page.screenshot(path=str(ARTIFACTS / "long-title-375.png"))
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"
    # nor is any of it cut off: the title (160 letters without a space among them) wraps inside the screen
    right = visit.page.evaluate(
        "Math.max(...[...document.querySelectorAll('.md-content h1, .gk-crumbs')].map(e => e.getBoundingClientRect().right))"
    )
    assert right <= 375
    assert not visit.trouble()
    visit.close()


@pytest.mark.parametrize(
    "url",
    ["", f"{WANGCHENG}/part3/", "glossary/", "diqu/湖南省/长沙市/?kind=决算", "search/?q=三公经费"],
)
def test_the_site_works_under_its_policy(browser, server, url):
    visit = Visit(browser, server + url)
    # Material's script ran (it needs the globals of gongkai-theme.js): the page is marked as scripted
    assert "no-js" not in visit.page.evaluate("document.documentElement.className")
    assert visit.page.evaluate("typeof __md_get") == "function"
    if url.startswith("search/"):
        visit.page.wait_for_selector("#gk-search[data-ms]", state="attached", timeout=10000)
        assert visit.page.locator(".gk-result").count() > 0
    if url.startswith("diqu/"):
        assert visit.page.locator(".gk-docs > li:visible").count() == 1  # the filter ran
    if url.endswith("part3/"):
        with visit.page.expect_navigation():
            visit.page.locator("a.gk-term").first.click()  # a term links to its entry
    assert not visit.trouble()
    visit.close()


def test_a_term_tap_shows_its_definition_under_the_policy(browser, server):
    page, _, _ = open_page(browser, server + f"{WANGCHENG}/part3/", 375, touch=True, init_script=WATCH_POLICY)
    page.locator("a.gk-term").first.tap()
    popover = page.locator(".gk-popover")
    popover.wait_for(state="visible", timeout=3000)
    assert popover.evaluate("box => box.style.left").endswith("px")  # placed by script, which the policy allows
    assert page.evaluate("window.__violations") == []
    page.context.close()


@pytest.mark.parametrize(
    "query, says",
    [
        ("，。！？、；：…“”", "请输入至少两个汉字"),
        ("!!!???***", "请输入至少两个汉字"),
        ("三公" * 1000, ""),
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
        ('"><img src=x onerror=alert(1)>', "<img src=x onerror=alert(1)>"),
    ],
)
def test_odd_queries_return_safely(browser, server, query, says):
    from urllib.parse import quote

    visit = Visit(browser, server + "search/?q=" + quote(query))
    status = "document.querySelector('.gk-search-status').textContent"
    visit.page.wait_for_function(f"{status}.length > 0 && !{status}.startsWith('正在搜索')", timeout=10000)
    shown = visit.page.evaluate(status)
    assert says in shown and "出错" not in shown and "无法载入" not in shown
    assert visit.page.locator(".gk-results img, .gk-results script").count() == 0
    assert not visit.trouble()
    visit.close()
