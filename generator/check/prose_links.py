"""Check stage, links typed into prose: each relative link leads to a page of the site, and to an
anchor on it, as far as the model knows the site.

A clerk may link from a 情况说明 to a table (`[收入决算表](../part2/#gk02)`), another part, the
document's 数据核对 or a term of the glossary. A link that leads nowhere is found here, before
anything is built, and reported where the prose is in data/ (the section, part, attachment, term
or bureau it belongs to, at its line and column) by `check` as well as `build`. The links are read
from the prose as the pages will have them: Markdown's own reading (core/markdown.py), resolved
from the page the prose is printed on as a browser resolves them (core/urls.py).

What the model knows: the pages of the bureau the prose is in (its page, each document's index,
parts, attachments and 数据核对), with the anchors of part and attachment pages (the title, each
section, each table and each of its rows, the cells headline figures link to, each term), the
site-wide pages (home, glossary with the anchor of each term, 关于, search) and the bureau's own
city page. Links elsewhere (another bureau, a download, the comparison of 预算 and 决算, another
city) are left to the build, which checks every link of the pages it has written (build/links.py).
"""

from __future__ import annotations

import re

from ..core import urls
from ..core.cells import cell_marks, row_ids
from ..core.markdown import markdown_reader
from ..core.model import Bureau, FormTable, IndicatorTable, Section
from ..core.problems import Mark, Problem

# Markdown makes a link of [text](href) or of [text][name] with its [name]: href: prose without
# "](" or "]:" has none but autolinks (<https://…>), which lead to other hosts. Most prose has none,
# and is not converted.
_LINK_SYNTAX = ("](", "]:")
_HREF = re.compile(r'<a\s[^>]*?href="([^"]*)"')
_MD = markdown_reader()

# Ids the renderer gives a form table's header cells, row headers and footer (for `headers`), after
# the table's anchor: gk04h7, gk04r3, gk04r3c3, gk04f, gk04fc2.
_TABLE_PARTS = r"(?:h\d+|r\d+(?:c\d+)?|f(?:c\d+)?)"

UNKNOWN = None  # a page that exists, whose anchors the model does not know


def links_in_prose(text: str | None) -> list[str]:
    """The href of every link Markdown makes of *text*, as written in the page (HTML-escaped)."""
    if not text or not any(syntax in text for syntax in _LINK_SYNTAX):
        return []
    return _HREF.findall(_MD.reset().convert(text))


class KnownPages:
    """The pages a bureau's prose may link to that the model knows: page file → its anchors
    (a set of ids and patterns), or UNKNOWN when the page exists but its anchors are not known."""

    def __init__(self, bureau: Bureau, glossary: dict | None):
        self.bureau = bureau
        self.pages: dict[str, tuple[set[str], re.Pattern | None] | None] = {}
        for src in (urls.HOME, urls.ABOUT, urls.SEARCH, urls.bureau_src(bureau)):
            self.pages[urls.page_file(src)] = UNKNOWN
        if bureau.region:
            city = bureau.region[1] if len(bureau.region) > 1 else bureau.region[0]
            self.pages[urls.page_file(urls.region_src(bureau.region[0], city))] = UNKNOWN
        glossary_anchors = {urls.term_anchor(term.term) for term in glossary.values()} if glossary else None
        self.pages[urls.page_file(urls.GLOSSARY)] = (glossary_anchors, None) if glossary_anchors else UNKNOWN
        for document in bureau.documents:
            self.pages[urls.page_file(urls.document_src(document))] = UNKNOWN
            self.pages[urls.page_file(urls.checks_src(document))] = UNKNOWN
            marked = {table: set(ids.values()) for table, ids in cell_marks(document).items()}
            for part in document.parts:
                anchors, patterns = page_anchors(part.sections, marked)
                anchors |= {urls.term_anchor(use.term) for use in part.glossary}
                self.pages[urls.page_file(urls.part_src(document, part))] = (anchors, patterns)
                for attachment in part.attachments:
                    src = urls.attachment_src(document, part, attachment)
                    self.pages[urls.page_file(src)] = page_anchors(attachment.sections, marked)
        # Under the bureau's folder, what the model does not lay out: downloads, 预算 against 决算.
        self.unknown_below = re.compile(
            rf"{re.escape(bureau.slug)}/(?:[0-9]+/[^/]+/{urls.DOWNLOADS}/.*|[0-9]+/duibi/index\.html)"
        )

    def broken(self, file: str, fragment: str, href: str) -> str | None:
        """What is wrong with a link to *file*#*fragment*, or None (also when the model cannot tell)."""
        if file in self.pages:
            known = self.pages[file]
            if not fragment or known is UNKNOWN:
                return None
            anchors, patterns = known
            if fragment in anchors or (patterns is not None and patterns.fullmatch(fragment)):
                return None
            return f"链接 {href} 指向的位置 #{fragment} 在那个页面上没有：请改正 # 后面的锚点，或删掉它"
        if file.startswith(f"{self.bureau.slug}/") and not self.unknown_below.fullmatch(file):
            return f"链接 {href} 指向的页面不存在：请改正链接，或删掉它"
        return None


def page_anchors(
    sections: list[Section], marked: dict[FormTable, set[str]] | None = None
) -> tuple[set[str], re.Pattern | None]:
    """The ids of a part's or an attachment's page: its title, each section, each table and each of
    its rows (by code or by place), the cells a headline figure links to (*marked*,
    core/cells.cell_marks) and (as a pattern) the ids of a form table's cells."""
    anchors = {"gk-title"}
    prefixes = []

    def walk(sections: list[Section]) -> None:
        for section in sections:
            anchors.add(section.anchor)
            table = section.table
            if isinstance(table, FormTable):
                anchors.add(table.form.number)
                anchors.update((marked or {}).get(table, ()))
                prefixes.append(re.escape(table.anchor))
                anchors.update(row_ids(table))
            elif isinstance(table, IndicatorTable):
                anchors.add(f"{table.anchor}-form")
            walk(section.sections)

    walk(sections)
    patterns = re.compile(f"(?:{'|'.join(prefixes)}){_TABLE_PARTS}") if prefixes else None
    return anchors, patterns


def _prose_of(bureau: Bureau):
    """(page file, text, where to report, what it is) of every prose text of *bureau*: its own and
    its documents', on the page each is printed on."""
    page = urls.page_file(urls.bureau_src(bureau))
    where = Mark(bureau.path)
    for name, text in (("部门职责", bureau.duties), ("机构设置", bureau.organization), ("决算单位构成", bureau.units)):
        yield page, text, where, name
    for document in bureau.documents:
        for part in document.parts:
            page = urls.page_file(urls.part_src(document, part))
            yield page, part.body, part.mark, part.title
            yield from _sections(page, part.sections)
            for use in part.glossary:
                yield page, use.definition, use.mark, f"名词解释“{use.term}”"
            for attachment in part.attachments:
                page = urls.page_file(urls.attachment_src(document, part, attachment))
                yield page, attachment.body, attachment.mark, attachment.title
                yield from _sections(page, attachment.sections)


def _sections(page: str, sections: list[Section]):
    for section in sections:
        yield page, section.body, section.mark, section.title
        yield from _sections(page, section.sections)


def check_prose_links(bureau: Bureau, glossary: dict | None = None) -> list[Problem]:
    """An error for each link in *bureau*'s prose (its own and its documents') that leads to no page
    of the site, or to no anchor on it, as far as the model knows (*glossary*: the site's, for the
    anchors of the glossary page)."""
    known: KnownPages | None = None
    problems = []
    for page, text, mark, title in _prose_of(bureau):
        for href in dict.fromkeys(links_in_prose(text)):
            found = urls.target(page, href)
            if found is None:
                continue
            known = known or KnownPages(bureau, glossary)
            if (why := known.broken(*found, href)) is not None:
                problems.append(Problem(mark, f"“{' '.join(title.split())}”中的{why}"))
    return problems
