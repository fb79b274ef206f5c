"""Build stage, the theme's contract: everything that depends on the HTML mkdocs-material writes.

Two things read Material's pages instead of only writing through them, and both live here:

* The page shells. mkdocs renders each page through Python-Markdown and Material's templates: 61 s
  of the 224 s a 2,000-document province (15,700 pages) took to build, about 4 ms a page. The pages
  of bureaus and documents are HTML already (pages.html_page), and what the theme writes around one
  of them differs from what it writes around another only in the title, the menu of the page's
  headings (Material's table of contents, rendered here with Material's own partial), for a page
  of a document the document's menu at the top of Material's navigation (the drawer on a phone,
  the sidebar on a wide screen: partials/nav-item.html, rendered here as mkdocs would for a page in
  its nav) and the relative paths to the site's root, which depend on how deep the page's URL is.
  So Material renders one page per depth with placeholders (SHELL_MARKDOWN), Shell.parse cuts it
  where the placeholders are, and every page of a bureau or a document is poured into the shell
  of its depth. tests/test_shell.py checks that a page poured into its shell is the page mkdocs writes.
* The search index takes each page's text from its article (article(), for search.py).

A theme upgrade or an override in site_overrides/ that moves any of these raises ThemeError, which
names what is missing; it stops the build (the shells, article included, are checked before any
worker starts), so that a changed theme never yields pages without their menu or an empty index.
tests/test_theme.py holds this contract against the installed theme.
"""

from __future__ import annotations

import itertools
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from jinja2 import TemplateNotFound
from markupsafe import escape
from mkdocs.structure.toc import AnchorLink, get_toc

from ..core import urls
from ..render.pages import NavEntry
from .mkdocs_run import HEADING, NavPage, document_menu, load_mkdocs_config, toc_tokens
from .report import Stop

TITLE = "GKSHELLTITLE"
DESCRIPTION = "GKSHELLDESCRIPTION"  # the page's <meta name="description">, from its front matter
CONTENT = "GKSHELLCONTENT"
FIRST_HEADING = "gk-title"  # the id every HTML page gives its h1 (see templates/*.html.j2)
SHELL_MARKDOWN = f"---\ntitle: {TITLE}\ndescription: {DESCRIPTION}\n---\n\n# GKSHELLH1 {{#{FIRST_HEADING}}}\n\n{CONTENT}\n\n## GKSHELLTOC {{#gkshelltoc}}\n"
DEPTHS = range(1, 8)  # bureau/ … bureau/year/document/part/attachment/ is 5 deep
# Material's table of contents: its label, and the list its entries (partials/toc-item.html) go in.
TOC_LABEL = '<label class="md-nav__title" for="__toc">'
TOC_LIST = '<ul class="md-nav__list" data-md-component="toc" data-md-scrollfix>'
TOC_ITEM = "partials/toc-item.html"
# Material's navigation (the drawer on a phone, the left sidebar on a wide screen): its list, where a
# page of a document gets its document's menu, first, rendered with Material's partials/nav-item.html.
NAV_START = '<nav class="md-nav md-nav--primary"'
NAV_LIST = '<ul class="md-nav__list" data-md-scrollfix>'
NAV_ITEM = "partials/nav-item.html"
# A menu is rendered once per shape (Shells.nav_html): these stand for its titles, its links (a URL
# with a scheme, which mkdocs' url filter leaves as it is) and the page's headings.
NAV_TITLE = "GKNAVTITLE{}X"
NAV_URL = "gknav:{}"
_NAV_PLACEHOLDER = re.compile(r"GKNAVTITLE(\d+)X|gknav:(\d+)")
NAV_TOC = "gknavtoc"
# The document's menu is the first item of the navigation, as nav.html numbers its items.
_NAV = '{% import "partials/nav-item.html" as item with context %}{{ item.render(nav_item, "__nav_1", 1) }}'
# Material's article: the page's own content, without the header, menus and footer around it.
ARTICLE_START = '<article class="md-content__inner md-typeset">'
ARTICLE_END = "</article>"
_HINT = "mkdocs-material 或 site_overrides/ 的 HTML 变了？generator/build/theme.py 需随之更新"


class ThemeError(Stop):
    """The theme's HTML lacks a place this module cuts or reads (after a theme upgrade, or an override)."""

    def __init__(self, message: str):
        super().__init__(f"主题：{message}（{_HINT}）", labelled=True)
        self.message = message

    def __reduce__(self):  # raised in a worker, it reaches the build as it was raised
        return ThemeError, (self.message,)


def shell_src(depth: int) -> str:
    """A page whose URL is *depth* folders deep: gk-shell/, gk-shell/x/, …"""
    return "gk-shell/" + "x/" * (depth - 1) + "index.md"


def _find(page: str, needle: str, start: int, what: str, where: str, end: int | None = None) -> int:
    at = page.find(needle, start, len(page) if end is None else end)
    if at < 0:
        raise ThemeError(f"{where}中没有{what} {needle}")
    return at


@dataclass(frozen=True)
class Shell:
    head: str  # up to the list of the navigation, opened, with the title placeholders
    nav_rest: str  # the navigation's own items (首页, 名词解释, 关于), up to the table of contents
    toc_open: str  # the contents' label and list, opened
    toc_close: str
    middle: str  # from the contents to the article's content
    tail: str

    @classmethod
    def parse(cls, page: str, where: str = "页面外壳") -> Shell:
        """Cut the theme's page of SHELL_MARKDOWN where its placeholders are; ThemeError if one is missing."""
        label = _find(page, TOC_LABEL, 0, "目录的标题", where)
        entry = _find(page, 'href="#gkshelltoc"', label, "目录中占位标题的条目", where)
        item = page.rfind("<li", label, entry)
        if item < 0:
            raise ThemeError(f"{where}的目录中占位标题的条目不是 <li>")
        if TOC_LIST not in page[label:item]:
            raise ThemeError(f"{where}的目录不在列表 {TOC_LIST} 中")
        item_end = _find(page, "</li>", item, "目录条目的结束", where) + len("</li>")
        toc_end = _find(page, "</ul>", item_end, "目录列表的结束", where) + len("</ul>")
        content = _find(page, f'<h1 id="{FIRST_HEADING}">', toc_end, "（目录之后的）正文标题", where)
        placeholder = _find(page, '<h2 id="gkshelltoc">', content, "正文中的占位标题", where)
        content_end = _find(page, "</h2>", placeholder, "占位标题的结束", where) + len("</h2>")
        nav = _find(page, NAV_START, 0, "导航栏", where, label)
        nav_list = _find(page, NAV_LIST, nav, "导航栏的列表", where, label) + len(NAV_LIST)
        head, nav_rest = page[:nav_list], page[nav_list:label]
        shell = cls(head, nav_rest, page[label:item], page[item_end:toc_end], page[toc_end:content], page[content_end:])
        if (head + nav_rest).count(TITLE) != 2 or TITLE in shell.middle + shell.tail:
            raise ThemeError(f"{where}把页面标题显示在 <title> 和页头以外的地方")
        if (head + nav_rest).count(DESCRIPTION) != 1 or DESCRIPTION in shell.middle + shell.tail:
            raise ThemeError(f'{where}没有把页面的说明写进 <meta name="description">，或写在了别处')
        if "gk-shell/" in shell.head + shell.middle + shell.tail:  # every page poured into it would carry it
            raise ThemeError(
                f"{where}带有外壳自己的网址（mkdocs.yml 写了 site_url 时的 canonical 链接）："
                "网址请用 build --site-url 给出，不要写进 mkdocs.yml"
            )
        # search reads the article of every page poured into this shell: it must hold the content
        if CONTENT not in article(page, where):
            raise ThemeError(f"{where}的正文 {ARTICLE_START} 不含页面的内容")
        return shell

    def fill(self, title: str, content: str, toc_items: str, description: str, nav_items: str = "") -> str:
        title, description = str(escape(title)), str(escape(description))
        head = self.head.replace(TITLE, title).replace(DESCRIPTION, description)
        nav_rest = self.nav_rest.replace(TITLE, title).replace(DESCRIPTION, description)
        toc = self.toc_open + toc_items + self.toc_close if toc_items else ""
        return head + nav_items + nav_rest + toc + self.middle + content + self.tail


def parse_shells(pages: dict[int, str]) -> dict[int, Shell]:
    """The shells of the theme's pages by depth (read_shells)."""
    return {
        depth: Shell.parse(page, f"页面外壳 {shell_src(depth).removesuffix('index.md')} ")
        for depth, page in pages.items()
    }


def toc_of(content: str) -> list[AnchorLink]:
    """The menu of a page's headings as Material shows it: below the h1, when the page has one."""
    toc = list(get_toc(toc_tokens(content)))
    if toc and toc[0].level == 1:
        toc = toc[0].children
    return toc


class Shells:
    """The shells of every depth, and Material's partials for an entry of the table of contents and
    of the navigation."""

    def __init__(self, by_depth: dict[int, Shell], theme_env, config=None):
        self.by_depth = by_depth
        try:
            self.toc_item = theme_env.get_template(TOC_ITEM)
            theme_env.get_template(NAV_ITEM)
        except TemplateNotFound as missing:
            raise ThemeError(f"主题中没有模板 {missing.name}") from None
        self.nav_item = theme_env.from_string(_NAV)
        config = config if config is not None else theme_config()
        # What Material's base.html gives the navigation it includes: the configuration, the
        # features, and its texts in the site's language (the menu of headings is titled with one).
        self.nav_context = {
            "config": config,
            "features": config.theme["features"] if "features" in config.theme else [],
            "lang": theme_env.get_template("partials/language.html").make_module({"config": config}),
            "base_url": "",
        }
        self._tocs: dict[tuple, str] = {}
        self._navs: dict[tuple, tuple[str, ...]] = {}  # menus by shape (nav_html)
        self._menu: tuple | None = None  # the last document's menu: its entries and their titles, escaped

    def render(self, url: str, title: str, content: str, description: str, nav=None) -> str:
        depth = url.rstrip("/").count("/") + 1
        toc_items = self.toc_html(content)
        nav_items = self.nav_html(nav, url, toc_items) if nav is not None else ""
        return self.by_depth[depth].fill(title, content, toc_items, description, nav_items)

    def nav_html(self, nav, url: str, toc_items: str) -> str:
        """The document's menu (pages.NavEntry) for the page at *url*, in Material's markup: the
        page marked, the sections above it open, and its headings below it (for the drawer of a
        phone, which shows no other menu of them).

        Material's partial costs 3 to 10 ms a menu, more than the rest of a page. What it writes
        depends on the titles and links, but its shape only on the menu's tree, on which entry is
        the page and on whether the page has headings: documents of one form set share it. So a
        shape is rendered once, with placeholders for its titles, its links and the page's
        headings (*toc_items*, toc_html's), and filled per page."""
        if self._menu is None or self._menu[0] is not nav:  # the pages of a document come one after another
            entries = _entries(nav)
            self._menu = (nav, entries, [str(escape(e.title)) for e in entries])
        _, entries, titles = self._menu
        here = next((i for i, e in enumerate(entries) if urls.page_url(e.src) == url), None)
        shape = tuple((e.src.endswith("index.md"), len(e.children)) for e in entries)
        key = (shape, here, bool(toc_items))
        cut = self._navs.get(key)
        if cut is None:
            if len(self._navs) > 10_000:
                self._navs.clear()
            cut = self._navs[key] = self._nav_shape(nav, here, bool(toc_items))
        src = entries[here].src if here is not None else url + "index.md"  # (a page outside its menu)
        links = [str(escape(urls.html_link(src, e.src))) for e in entries]

        def filled(piece: str) -> str:
            return _NAV_PLACEHOLDER.sub(lambda m: titles[int(m[1])] if m[1] else links[int(m[2])], piece)

        return filled(cut[0]) + toc_items + filled(cut[1]) if len(cut) == 2 else filled(cut[0])

    def _nav_shape(self, nav, here: int | None, headings: bool) -> tuple[str, ...]:
        """The menu rendered with placeholders for its titles and links, the entry numbered *here*
        being the page, cut where the page's headings go (when it has any)."""
        numbered = itertools.count()

        def placeholders(entry):
            title = NAV_TITLE.format(next(numbered))
            return NavEntry(title, entry.src, tuple(placeholders(child) for child in entry.children))

        placed = placeholders(nav)
        url_of = {e.src: NAV_URL.format(i) for i, e in enumerate(_entries(placed))}
        page = NavPage("", "", NAV_URL.format(here) if here is not None else "")
        page.toc = [AnchorLink(NAV_TOC, NAV_TOC, 2)] if headings else []
        menu = document_menu(placed, page.url, url_of.get)
        html = self.nav_item.render(self.nav_context, nav_item=menu, page=page)
        entry = html.find(f'href="#{NAV_TOC}"')
        if entry < 0:  # no headings, or a page Material lists none for (the index of a section)
            return (html,)
        item = html.rfind("<li", 0, entry)
        end = _find(html, "</li>", entry, "目录条目的结束", "导航栏") + len("</li>")
        if item < 0:
            raise ThemeError("导航栏中当前页面的目录条目不是 <li>")
        return html[:item], html[end:]

    def write(self, page, site_dir: Path) -> str:
        """Pour an HTML page (pages.html_page) into its shell and write it where its URL says; returns it."""
        url = urls.page_url(page.src)
        html = self.render(url, page.title, page.html, page.description, page.nav)
        target = site_dir / url / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
        return html

    def toc_html(self, content: str) -> str:
        # Documents of one form set have the same headings: their menus are rendered once.
        headings = tuple(HEADING.findall(content))
        html = self._tocs.get(headings)
        if html is None:
            html = "".join(self.toc_item.render(toc_item=item) for item in toc_of(content))
            if len(self._tocs) > 10_000:
                self._tocs.clear()
            self._tocs[headings] = html
        return html


def _entries(entry) -> list:
    """A menu's entries, depth first: the order its placeholders are numbered in."""
    found = [entry]
    for child in entry.children:
        found += _entries(child)
    return found


def article(page_html: str, where: str) -> str:
    """The content of a built page's article, which search indexes: *page_html* without Material's
    header, menus and footer. *where* names the page in the ThemeError raised when it has none."""
    start = _find(page_html, ARTICLE_START, 0, "正文", where)
    end = _find(page_html, ARTICLE_END, start, "正文的结束", where)
    return page_html[start + len(ARTICLE_START) : end]


def theme_config(config_file: Path | None = None):
    """mkdocs' configuration of the theme, as *config_file* (the project's mkdocs.yml unless told
    otherwise) gives it."""
    config_file = config_file or Path(__file__).resolve().parents[2] / "mkdocs.yml"
    # Only the theme is wanted: any existing folder will do for the pages, and no site is written.
    unused = Path(tempfile.gettempdir()) / "gongkai-theme-only"
    return load_mkdocs_config(config_file, docs_dir=str(Path(__file__).parent), site_dir=str(unused), hooks=[])


def theme_env(config_file: Path | None = None):
    """mkdocs-material's Jinja environment, with the site's overrides, as *config_file* configures it."""
    return theme_config(config_file).theme.get_env()


def read_shells(site_dir: Path) -> dict[int, str]:
    """The theme's page of SHELL_MARKDOWN at every depth, from the site mkdocs built of them."""
    return {d: (site_dir / urls.page_url(shell_src(d)) / "index.html").read_text(encoding="utf-8") for d in DEPTHS}
