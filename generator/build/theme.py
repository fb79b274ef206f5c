"""Build stage, the theme's contract: everything that depends on the HTML mkdocs-material writes.

Two things read Material's pages instead of only writing through them, and both live here:

* The page shells. mkdocs renders each page through Python-Markdown and Material's templates: 61 s
  of the 224 s a 2,000-document province (15,700 pages) took to build, about 4 ms a page. The pages
  of bureaus and documents are HTML already (pages.html_page), and what the theme writes around one
  of them differs from what it writes around another only in the title, the menu of the page's
  headings (Material's table of contents, rendered here with Material's own partial) and the
  relative paths to the site's root, which depend on how deep the page's URL is. So Material
  renders one page per depth with placeholders (SHELL_MARKDOWN), Shell.parse cuts it where the
  placeholders are, and every page of a bureau or a document is poured into the shell of its
  depth. tests/test_shell.py checks that a page poured into its shell is the page mkdocs writes.
* The search index takes each page's text from its article (article(), for search.py).

A theme upgrade or an override in site_overrides/ that moves any of these raises ThemeError, which
names what is missing; it stops the build (the shells, article included, are checked before any
worker starts), so that a changed theme never yields pages without their menu or an empty index.
tests/test_theme.py holds this contract against the installed theme.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from jinja2 import TemplateNotFound
from markupsafe import escape
from mkdocs.structure.toc import AnchorLink, get_toc

from ..core import urls
from .mkdocs_run import HEADING, load_mkdocs_config, toc_tokens
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
    head: str  # up to the table of contents, with the title placeholders
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
        shell = cls(page[:label], page[label:item], page[item_end:toc_end], page[toc_end:content], page[content_end:])
        if shell.head.count(TITLE) != 2 or TITLE in shell.middle + shell.tail:
            raise ThemeError(f"{where}把页面标题显示在 <title> 和页头以外的地方")
        if shell.head.count(DESCRIPTION) != 1 or DESCRIPTION in shell.middle + shell.tail:
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

    def fill(self, title: str, content: str, toc_items: str, description: str) -> str:
        head = self.head.replace(TITLE, str(escape(title))).replace(DESCRIPTION, str(escape(description)))
        toc = self.toc_open + toc_items + self.toc_close if toc_items else ""
        return head + toc + self.middle + content + self.tail


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
    """The shells of every depth, and Material's partial for an entry of the table of contents."""

    def __init__(self, by_depth: dict[int, Shell], theme_env):
        self.by_depth = by_depth
        try:
            self.toc_item = theme_env.get_template(TOC_ITEM)
        except TemplateNotFound:
            raise ThemeError(f"主题中没有目录条目的模板 {TOC_ITEM}") from None
        self._tocs: dict[tuple, str] = {}

    def render(self, url: str, title: str, content: str, description: str) -> str:
        depth = url.rstrip("/").count("/") + 1
        return self.by_depth[depth].fill(title, content, self.toc_html(content), description)

    def write(self, page, site_dir: Path) -> str:
        """Pour an HTML page (pages.html_page) into its shell and write it where its URL says; returns it."""
        url = urls.page_url(page.src)
        html = self.render(url, page.title, page.html, page.description)
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


def article(page_html: str, where: str) -> str:
    """The content of a built page's article, which search indexes: *page_html* without Material's
    header, menus and footer. *where* names the page in the ThemeError raised when it has none."""
    start = _find(page_html, ARTICLE_START, 0, "正文", where)
    end = _find(page_html, ARTICLE_END, start, "正文的结束", where)
    return page_html[start + len(ARTICLE_START) : end]


def theme_env(config_file: Path | None = None):
    """mkdocs-material's Jinja environment, with the site's overrides, as *config_file* (the
    project's mkdocs.yml unless told otherwise) configures it."""
    config_file = config_file or Path(__file__).resolve().parents[2] / "mkdocs.yml"
    # Only the theme is wanted: any existing folder will do for the pages, and no site is written.
    unused = Path(tempfile.gettempdir()) / "gongkai-theme-only"
    config = load_mkdocs_config(config_file, docs_dir=str(Path(__file__).parent), site_dir=str(unused), hooks=[])
    return config.theme.get_env()


def read_shells(site_dir: Path) -> dict[int, str]:
    """The theme's page of SHELL_MARKDOWN at every depth, from the site mkdocs built of them."""
    return {d: (site_dir / urls.page_url(shell_src(d)) / "index.html").read_text(encoding="utf-8") for d in DEPTHS}
