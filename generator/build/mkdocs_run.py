"""Build stage, mkdocs: the pages mkdocs renders written into its docs folder, and one mkdocs run over them.

mkdocs renders the site-wide pages (home, glossary, cities, 关于), the theme's page shells
(theme.py) and, under `mkdocs serve`, every page (mkdocs_preview.py). The tables and prose of those
pages are HTML that Markdown never sees: a page's Markdown holds markers in their place
(render/fragments.py), and PageFragments, the hook of the run that renders the page, puts the HTML
back. PageFragments is made by write_pages for the pages it wrote and registered on that run's
config only, so a run never sees the pages of another. A page written as HTML gets its menu from
its headings (toc_tokens), as the page shells do (theme.py).

mkdocs' own failures become a Stop labelled with their origin: mkdocs.yml (a configuration mkdocs
does not accept), 主题 (a template that fails) or mkdocs (a page it refuses in strict mode; its
warnings, logged above, say which).
"""

from __future__ import annotations

import copy
import os
import re
from pathlib import Path

from markupsafe import escape
from mkdocs.structure.nav import Section
from mkdocs.structure.toc import get_toc

from ..core import urls
from ..core.model import SiteInfo
from ..load.loader import shown
from ..render.fragments import fill
from ..render.pages import NavEntry, navigation
from ..render.site_info import theme_values
from .report import Stop

ROOT = Path(__file__).resolve().parents[2]
HOOK = "gongkai/fragments"  # the name PageFragments is registered under among the run's plugins
# A heading of a page written as HTML (pages.html_page), with the permalink Markdown's toc gives one.
HEADING = re.compile(r'<h([1-6]) id="([^"]+)">(.*?)<a class="headerlink"', re.S)


def toc_tokens(content: str) -> list[dict]:
    """The headings of an HTML page's content as Python-Markdown's toc extension lists them (what
    mkdocs makes a page's menu of: mkdocs.structure.toc.get_toc)."""
    tokens: list[dict] = []
    stack: list[dict] = []
    for level, anchor, title in HEADING.findall(content):
        token = {"level": int(level), "id": anchor, "name": title.strip(), "children": []}
        while stack and stack[-1]["level"] >= token["level"]:
            stack.pop()
        (stack[-1]["children"] if stack else tokens).append(token)
        stack.append(token)
    return tokens


class NavPage:
    """A page of a document's menu as Material's partials/nav-item.html reads one: mkdocs' Page,
    without a file. It is the page being rendered when their URLs are the same, as Material asks
    (`nav_item == page`) to mark the current entry and list the page's headings below it."""

    is_page = True
    is_section = False
    is_link = False
    children = None
    parent = None

    def __init__(self, title: str, src: str, url: str | None = None, active: bool = False):
        self.title = title  # HTML: mkdocs' templates do not escape
        self.url = urls.page_url(src) if url is None else url
        self.active = active
        self.is_index = src.rpartition("/")[2] == "index.md"  # as mkdocs' Page: a folder's index.md
        self.meta: dict = {}
        self.toc = None  # the page's headings, when it is the page being rendered (theme.py)

    def __eq__(self, other) -> bool:
        return getattr(other, "url", None) == self.url

    def __hash__(self) -> int:
        return hash(self.url)


def document_menu(entry: NavEntry, current: str, url_of=None) -> Section:
    """A document's menu (render/pages.py's NavEntry) as mkdocs' navigation: a section whose index
    is the entry's own page, the entry of the page at URL *current* and the sections above it
    active (Material opens those in the drawer and marks the page). *url_of* gives an entry's URL
    from its source path (by default, where the page lives)."""

    def made(entry: NavEntry):
        page = NavPage(str(escape(entry.title)), entry.src, url_of(entry.src) if url_of else None)
        page.active = page.url == current
        if not entry.children:
            return page
        children = [page, *(made(child) for child in entry.children)]
        section = Section(str(escape(entry.title)), children)
        section.active = any(child.active for child in children)
        return section

    return made(entry)


class PageFragments:
    """The mkdocs hook of one run: puts the HTML fragments kept out of Markdown back into each page,
    and gives a page written as HTML (bureaus and documents, see pages.html_page) the menu of its
    headings, which mkdocs would otherwise take from Markdown's."""

    def __init__(self, pages=()):
        self.fragments: dict[str, dict[str, str]] = {page.src: page.fragments for page in pages if page.fragments}
        self.html_pages: set[str] = {page.src for page in pages if page.html is not None}
        self.navs: dict[str, NavEntry] = {page.src: page.nav for page in pages if page.nav is not None}

    def on_page_content(self, html, page, **kwargs):
        src = page.file.src_uri
        html = fill(html, self.fragments.get(src, {}))
        if src in self.html_pages:
            page.toc = get_toc(toc_tokens(html))
        return html

    def on_page_context(self, context, page, config, nav, **kwargs):
        """A page of a document lists the document's menu first in the site's navigation (the
        build's page shells do the same: theme.py)."""
        entry = self.navs.get(page.file.src_uri)
        if entry is not None:
            menu = copy.copy(nav)
            menu.items = [document_menu(entry, page.url), *nav.items]
            context["nav"] = menu
        return context

    def register(self, config) -> None:
        """Make this the hook of the run of *config* (mkdocs calls the on_* methods of its plugins)."""
        if HOOK in config.plugins:  # a second object would leave the first one's method registered too
            raise RuntimeError(f"{HOOK} is already registered on this mkdocs config")
        config.plugins[HOOK] = self


def write_if_changed(path: Path, text: str) -> bool:
    # mkdocs serve watches the docs folder: rewriting unchanged pages would trigger endless rebuilds.
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


def write_pages(pages, docs_dir: Path, content_dir: Path | None = None, stubs: bool = False) -> PageFragments:
    """Write *pages* (and the hand-written ones of *content_dir*) under *docs_dir*, remove stale
    ones; return the hook that puts their fragments back when mkdocs renders them.

    *stubs*: write placeholders for the menu's pages, which mkdocs wants to exist (for the build of
    the page shells, whose copies of them are not used).
    """
    wanted: dict[Path, str] = {}
    if content_dir is not None and content_dir.is_dir():
        for source in sorted(content_dir.rglob("*")):
            if source.is_file() and source.relative_to(content_dir).as_posix() != "index.md":
                wanted[docs_dir / source.relative_to(content_dir)] = source.read_text(encoding="utf-8")
    if stubs:
        for item in navigation():
            for title, src in item.items():
                wanted[docs_dir / src] = f"# {title}\n"
    for page in pages:
        wanted[docs_dir / page.src] = page.text
    for path, text in wanted.items():
        write_if_changed(path, text)
    if docs_dir.is_dir():
        for path in sorted(docs_dir.rglob("*"), reverse=True):
            if path.is_file() and path not in wanted:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return PageFragments(pages)


def load_mkdocs_config(config_file: Path, **options):
    """mkdocs' configuration from *config_file*, *options* overriding it; a Stop labelled with the
    file when mkdocs does not accept it (mkdocs logs each reason above, as ERROR lines)."""
    # mkdocs is pinned below 2 on purpose (2.0 drops plugins and breaks Material): skip its banner.
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    try:
        return load_config(str(config_file), **options)
    except MkDocsException as exc:
        raise Stop.at(shown(config_file), f"mkdocs 不接受这份配置：{exc}") from None


# The key of mkdocs' `extra` the footer partial reads (site_overrides/partials/copyright.html).
SITE_INFO = "gongkai_site"


def apply_site_info(config, info: SiteInfo | None) -> None:
    """Whose site it is (data/site.yaml) into a run's configuration: its name as the site's, and
    what the footer says (render/site_info.py). mkdocs.yml's name stays when site.yaml gives none."""
    info = info or SiteInfo()
    if info.name:
        config.site_name = info.name
    config.extra[SITE_INFO] = theme_values(info)


def run_mkdocs(
    docs_dir: Path,
    site_dir: Path,
    fragments: PageFragments,
    config_file: Path = ROOT / "mkdocs.yml",
    info: SiteInfo | None = None,
) -> None:
    """Build the pages under *docs_dir* (written by write_pages, which gave *fragments*) into
    *site_dir*; *info*: whose site it is, which every page's header and footer say."""
    from jinja2 import TemplateError
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.exceptions import MkDocsException

    # mkdocs.yml's hooks are for `mkdocs serve` (mkdocs_preview.py regenerates every page): the
    # pages were just written, and *fragments* is the only hook this run needs.
    config = load_mkdocs_config(
        config_file, docs_dir=str(docs_dir), site_dir=str(site_dir), nav=navigation(), hooks=[], strict=True
    )
    fragments.register(config)
    apply_site_info(config, info)
    try:
        mkdocs_build(config)
    except TemplateError as exc:  # a template of Material's, or an override of site_overrides/
        name = getattr(exc, "filename", None) or getattr(exc, "name", None)
        line = getattr(exc, "lineno", None)
        where = f"模板 {shown(Path(name))}{f':{line}' if line else ''} " if name else "模板"
        raise Stop.at("主题", f"{where}出错：{exc.message}") from None
    except MkDocsException as exc:
        raise Stop.at("mkdocs", f"{exc}（见上面 mkdocs 报告的问题）") from None
