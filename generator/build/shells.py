"""Build stage, page shells: the theme renders one page per URL depth with placeholders, and every
page of a bureau or a document is poured into the shell of its depth.

mkdocs renders each page through Python-Markdown and mkdocs-material's templates: 61 s of the
224 s a 2,000-document province (15,700 pages) took to build, about 4 ms a page. The pages of bureaus and documents are HTML
already (pages.html_page), and what the theme writes around one of them differs from what it
writes around another only in the title, the menu of the page's headings (Material's table of
contents, rendered here with Material's own partial) and the relative paths to the site's root,
which depend on how deep the page's URL is. So mkdocs-material still renders every page's frame,
once per depth, and tests/test_shell.py checks that a page poured into its shell is the page
mkdocs writes for it.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from markupsafe import escape
from mkdocs.structure.toc import AnchorLink, get_toc

from ..core import urls

TITLE = "GKSHELLTITLE"
FIRST_HEADING = "gk-title"  # the id every HTML page gives its h1 (see templates/*.html.j2)
SHELL_MARKDOWN = (
    f"---\ntitle: {TITLE}\n---\n\n# GKSHELLH1 {{#{FIRST_HEADING}}}\n\nGKSHELLCONTENT\n\n## GKSHELLTOC {{#gkshelltoc}}\n"
)
DEPTHS = range(1, 8)  # bureau/ … bureau/year/document/part/attachment/ is 5 deep
TOC_LABEL = '<label class="md-nav__title" for="__toc">'
TOC_LIST = '<ul class="md-nav__list" data-md-component="toc" data-md-scrollfix>'
_HEADING = re.compile(r'<h([1-6]) id="([^"]+)">(.*?)<a class="headerlink"', re.S)


class ShellError(Exception):
    """The theme's page no longer has the places this module fills in (after a theme upgrade)."""


def shell_src(depth: int) -> str:
    """A page whose URL is *depth* folders deep: gk-shell/, gk-shell/x/, …"""
    return "gk-shell/" + "x/" * (depth - 1) + "index.md"


@dataclass(frozen=True)
class Shell:
    head: str  # up to the table of contents, with the title placeholders
    toc_open: str  # the contents' label and list, opened
    toc_close: str
    middle: str  # from the contents to the article's content
    tail: str

    @classmethod
    def parse(cls, page: str) -> Shell:
        try:
            label = page.index(TOC_LABEL)
            item = page.rindex("<li", label, page.index('href="#gkshelltoc"', label))
            item_end = page.index("</li>", item) + len("</li>")
            toc_end = page.index("</ul>", item_end) + len("</ul>")
            content = page.index(f'<h1 id="{FIRST_HEADING}">', toc_end)
            content_end = page.index("</h2>", page.index('<h2 id="gkshelltoc">', content)) + len("</h2>")
        except ValueError:
            raise ShellError(
                "the theme's page has no table of contents or article where the shell expects them"
            ) from None
        if TOC_LIST not in page[label:item]:
            raise ShellError("the theme's table of contents is not the list the shell expects")
        shell = cls(page[:label], page[label:item], page[item_end:toc_end], page[toc_end:content], page[content_end:])
        if shell.head.count(TITLE) != 2 or TITLE in shell.middle + shell.tail:
            raise ShellError("the theme's page shows its title elsewhere than the <title> and the header")
        return shell

    def fill(self, title: str, content: str, toc_items: str) -> str:
        head = self.head.replace(TITLE, str(escape(title)))
        toc = self.toc_open + toc_items + self.toc_close if toc_items else ""
        return head + toc + self.middle + content + self.tail


def toc_tokens(content: str) -> list[dict]:
    """The headings of an HTML page's content as Python-Markdown's toc extension lists them."""
    tokens: list[dict] = []
    stack: list[dict] = []
    for level, anchor, title in _HEADING.findall(content):
        token = {"level": int(level), "id": anchor, "name": title.strip(), "children": []}
        while stack and stack[-1]["level"] >= token["level"]:
            stack.pop()
        (stack[-1]["children"] if stack else tokens).append(token)
        stack.append(token)
    return tokens


def toc_of(content: str) -> list[AnchorLink]:
    """The menu of a page's headings as Material shows it: below the h1, when the page has one."""
    toc = list(get_toc(toc_tokens(content)))
    if toc and toc[0].level == 1:
        toc = toc[0].children
    return toc


class Shells:
    """The shells of every depth, and Material's partial for an entry of the table of contents."""

    def __init__(self, pages: dict[int, str], theme_env):
        self.by_depth = {depth: Shell.parse(page) for depth, page in pages.items()}
        self.toc_item = theme_env.get_template("partials/toc-item.html")
        self._tocs: dict[tuple, str] = {}

    def render(self, url: str, title: str, content: str) -> str:
        depth = url.rstrip("/").count("/") + 1
        return self.by_depth[depth].fill(title, content, self.toc_html(content))

    def write(self, page, site_dir: Path) -> str:
        """Pour an HTML page (pages.html_page) into its shell and write it where its URL says; returns it."""
        url = urls.page_url(page.src)
        html = self.render(url, page.title, page.html)
        target = site_dir / url / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
        return html

    def toc_html(self, content: str) -> str:
        # Documents of one form set have the same headings: their menus are rendered once.
        headings = tuple(_HEADING.findall(content))
        html = self._tocs.get(headings)
        if html is None:
            html = "".join(self.toc_item.render(toc_item=item) for item in toc_of(content))
            if len(self._tocs) > 10_000:
                self._tocs.clear()
            self._tocs[headings] = html
        return html


def theme_env(config_file: Path | None = None):
    """mkdocs-material's Jinja environment, with the site's overrides, as *config_file* (the
    project's mkdocs.yml unless told otherwise) configures it."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.config import load_config

    config_file = config_file or Path(__file__).resolve().parents[2] / "mkdocs.yml"
    # Only the theme is wanted: any existing folder will do for the pages, and no site is written.
    unused = Path(tempfile.gettempdir()) / "gongkai-theme-only"
    return load_config(str(config_file), docs_dir=str(Path(__file__).parent), site_dir=str(unused)).theme.get_env()


def read_shells(site_dir: Path) -> dict[int, str]:
    return {d: (site_dir / urls.page_url(shell_src(d)) / "index.html").read_text(encoding="utf-8") for d in DEPTHS}
