"""Render stage, pages: the model and its check results → every page of the site, and the navigation.

The pages of bureaus, documents, comparisons and cities are written as HTML (html_page): the build
pours each into the theme's page shell of its depth (build/theme.py). The home page and the
glossary are Markdown with their HTML kept aside as fragments (fragments.py), built by mkdocs with
the hand-written pages of content/. Nothing here knows the theme's HTML.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from ..core import urls
from ..core.cells import cell_marks
from ..core.model import KIND_NAMES, KINDS, AmountTable, Bureau, Document, FormTable, IndicatorTable, Site
from ..core.quality import Line
from ..core.references import substitute_references
from ..core.summary import report_rows
from ..export.tabular import stems
from .charts import bureau_trends, document_charts, headline_comparisons, region_comparisons
from .charts_html import render_chart, render_compare, render_comparison_chart, render_trend
from .check_results import results_table, summary, table_status
from .comparison import Comparison, compare_bureau
from .comparison_html import render_comparison
from .download_links import bulk_link, document_downloads, table_links
from .fragments import MARKER, fill
from .headline import headline, stated_figures
from .headline_html import render_headline
from .indicators import render_amount_table, render_indicator_table
from .prose import TermLink, prose
from .reports_html import render_summary
from .site_info import about_text
from .tables import render_form_table, render_free_table

DIRECTORY_MARKER = "<!-- gongkai:directory -->"
# The glossary lists this many documents under a term and links to a search for the rest: at
# province scale every term is used by thousands of documents (a 1 MB page at 2,000).
GLOSSARY_USES_SHOWN = 12
_BLANK_LINES = re.compile(r"\n\n\n+")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def md_escape(text) -> Markup:
    """Text for a Markdown heading or link: HTML-escaped, Markdown syntax made literal."""
    return Markup(_MD_SPECIAL.sub(r"\\\1", str(escape(" ".join(str(text).split())))))


def region_anchor(name: str) -> str:
    return "region-" + re.sub(r"[\s\"'<>&#{}]+", "-", name)


_env = jinja2.Environment(
    loader=jinja2.PackageLoader("generator.render", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=False,
    keep_trailing_newline=True,
    # Markdown heading ids are written {#id}; keep Jinja comments out of their way.
    comment_start_string="{##",
    comment_end_string="##}",
)
_env.filters["md"] = md_escape
_env.filters["number"] = lambda value: format(value.normalize(), "f")  # a Decimal as written: 55, 7.5
_env.filters["oneline"] = lambda text: " ".join(str(text).split())
_env.filters["yamlstr"] = lambda text: Markup(json.dumps(" ".join(str(text).split()), ensure_ascii=False))


def heading(level: int, title, anchor: str, permalink: bool = True) -> Markup:
    """A heading with its id and ¶ link, as Python-Markdown's toc extension writes one. Without
    its ¶ (*permalink* false) it is written so that the theme's menus of headings (made of those
    build/mkdocs_run.py's HEADING finds, each with its ¶) leave it out."""
    anchor = escape(anchor)
    title = escape(" ".join(str(title).split()))
    if not permalink:
        return Markup(f'<h{level} class="gk-plain" id="{anchor}">{title}</h{level}>')
    return Markup(
        f'<h{level} id="{anchor}">{title}<a class="headerlink" href="#{anchor}" title="本节链接">¶</a></h{level}>'
    )


def crumbs(items) -> Markup:
    """The breadcrumbs: (label, link) from the home page to this page, which has no link."""
    steps = [
        f'<a href="{escape(href)}">{escape(label)}</a>' if href else f'<span aria-current="page">{escape(label)}</span>'
        for label, href in items
    ]
    return Markup(
        '<nav class="gk-crumbs" aria-label="当前位置">' + '<span aria-hidden="true"> › </span>'.join(steps) + "</nav>"
    )


def toc_list(sections, href: str) -> Markup:
    """A list of *sections* and their subsections, linked to their anchors on the page *href*."""
    if not sections:
        return Markup("")
    items = []
    for section in sections:
        if section.bare:  # the part's own table: the part's link leads to it
            continue
        table = section.table
        number = f' <span class="gk-formno">{escape(table.number)}</span>' if table and table.number else ""
        items.append(
            f'<li><a href="{escape(href)}#{escape(section.anchor)}">{escape(" ".join(str(section.title).split()))}</a>'
            f"{number}{toc_list(section.sections, href)}</li>\n"
        )
    return Markup("\n<ul>\n" + "".join(items) + "</ul>")


# The pages of bureaus and documents are written as HTML, not Markdown: they are poured into a page
# shell (build/theme.py) without passing through mkdocs page by page. Their headings, breadcrumbs and
# lists of sections are written in Python: as Jinja macros they were a fifth of the render stage.
_env.globals.update(heading=heading, crumbs=crumbs, toc_list=toc_list)


@dataclass(frozen=True)
class NavEntry:
    """An entry of a document's menu: a title, the page it leads to (its source path) and the
    entries below it. The build shows the menu in the theme's own navigation (build/theme.py):
    the drawer on a phone, the sidebar on a wide screen."""

    title: str
    src: str
    children: tuple[NavEntry, ...] = ()


@dataclass
class Page:
    src: str
    text: str  # Markdown, with markers where HTML fragments go back in after Markdown has run
    fragments: dict[str, str] = field(default_factory=dict)
    title: str = ""
    html: str | None = None  # a page written as HTML: its article's content (see html_page)
    description: str = ""  # the page's meta description: what it holds, in a sentence
    nav: NavEntry | None = None  # the menu of the page's document (document_nav), for the theme's drawer

    @property
    def whole(self) -> str:
        """The text with its fragments in place: what the page says."""
        return fill(self.text, self.fragments)


class PageContext:
    """What templates call back into for one page: prose and tables rendered for that page's place."""

    def __init__(
        self,
        src: str,
        department: str = "",
        links: dict[str, TermLink] | None = None,
        document: Document | None = None,
        results=(),
        inline: bool = True,
        marks: dict | None = None,
        bare: bool = False,
        rendered: dict | None = None,
    ):
        self.inline = inline  # HTML pages take the HTML itself; Markdown pages a marker standing for it
        self.src = src
        self.department = department
        self.links = links or {}
        self.document = document
        self.results = list(results)
        self.fragments: dict[str, str] = {}
        self._checks_href: str | None = None
        self._stems: dict[object, str] | None = None  # the document's tables' file names, once per page
        self._downloads_href = ""
        self.marks = marks or {}  # per table, the ids of the cells headline figures link to
        # The one-page text, read through or printed, leaves to each part's own page its tables'
        # downloads and check results, and its sections' ¶ links, which would put every section
        # of the document in the page's menus: they list its parts (and cost ~10 ms a page).
        self.bare = bare
        # Tables rendered already, by table, shared by the pages their HTML is the same for: the
        # parts' pages and the one-page text, which are as deep (their links to terms are alike).
        self.rendered = rendered

    def keep(self, html) -> Markup:
        """A marker for Markdown to pass over, standing for *html* (see fragments.py)."""
        if not html:
            return Markup("")
        if self.inline:
            return Markup(html)
        marker = MARKER.format(len(self.fragments))
        self.fragments[marker] = str(html)
        return Markup(f"\n{marker}\n")

    def sections(self, sections, level: int, prefix: str = "") -> Markup:
        """Sections and their subsections: heading, prose, table, in document order. *prefix* goes
        before each anchor (the one-page text holds every part, whose sections are numbered alike)."""
        out = []
        for section in sections:
            if section.bare:
                out.append(self.part_table(section, prefix))
                continue
            out.append(heading(min(level, 6), section.title, prefix + section.anchor, not self.bare))
            out.append(self.prose(section.body))
            if section.table is not None:
                out.append(self.table(section.table))
            if section.sections:
                out.append(self.sections(section.sections, level + 1, prefix))
        return Markup("\n".join(part for part in out if part))

    def part_table(self, section, prefix: str = "") -> Markup:
        """The table a part holds directly, under the part's heading: its anchor on a box around
        it, and its caption kept for screen readers only when the heading says it already."""
        said = " ".join(section.table.title.split()) in " ".join(str(section.title).split())
        css = "gk-part-table gk-part-titled" if said else "gk-part-table"
        return Markup(
            f'<div class="{css}" id="{escape(prefix + section.anchor)}">\n{self.table(section.table)}\n</div>'
        )

    def prose(self, text, link=True) -> Markup:
        if text and self.document is not None:
            text = substitute_references(text, self.document)
        return self.keep(prose(text, self.links if link else None))

    def table_html(self, table) -> str:
        """The table itself, as printed (what table() adds its downloads and check results to)."""
        if isinstance(table, FormTable):
            return render_form_table(table, self.department, self.links, self.marks.get(table))
        if isinstance(table, IndicatorTable):
            return render_indicator_table(table)
        if isinstance(table, AmountTable):
            return render_amount_table(table)
        return render_free_table(table)

    def table(self, table) -> Markup:
        if self.rendered is None:
            html = self.table_html(table)
        else:
            html = self.rendered.get(table)
            if html is None:
                html = self.rendered[table] = self.table_html(table)
        if self.bare:
            return self.keep(html)
        mine = [r for r in self.results if r.table is table]
        if not mine and not isinstance(table, (FormTable, IndicatorTable, AmountTable)):
            # a free table has no rules: its status only says which of its cells cannot be read
            return self.keep(html + self.downloads(table))
        if self._checks_href is None:  # the same for every table of the page: worked out once
            self._checks_href = urls.html_link(self.src, urls.checks_src(self.document))
        status = table_status(mine, self._checks_href, self.document.published_as_is)
        return self.keep(html + self.downloads(table) + status)

    def downloads(self, table) -> Markup:
        """The links to the table's files (export/downloads.py writes them)."""
        if self.document is None:
            return Markup("")
        if self._stems is None:
            self._stems = stems(self.document)
            self._downloads_href = urls.folder_link(self.src, urls.downloads_dir(self.document))
        return table_links(table, self._stems[table], self.document, self._downloads_href)


def html_page(src: str, title: str, html: str, description: str, nav: NavEntry | None = None) -> Page:
    """A page whose content is HTML already (bureaus and documents).

    The build pours it into a page shell of the theme (build/theme.py); for `mkdocs serve` it is a
    Markdown page of one marker that the hook fills, with the menu of its headings.
    """
    marker = MARKER.format(0)
    title = " ".join(title.split())
    description = " ".join(description.split())
    # mkdocs' templates do not escape: title and description go into the front matter as HTML
    # (the shell's fill escapes them too).
    front = (
        f"---\ntitle: {json.dumps(str(escape(title)), ensure_ascii=False)}\n"
        f"description: {json.dumps(str(escape(description)), ensure_ascii=False)}\n---\n\n"
    )
    return Page(src, front + marker + "\n", {marker: html}, title=title, html=html, description=description, nav=nav)


DESCRIPTION_LENGTH = 120  # characters: what search engines show of a description, about two lines


def description(*pieces: str) -> str:
    """A page's meta description from what it holds: *pieces* joined, cut at DESCRIPTION_LENGTH."""
    text = "".join(" ".join(str(piece).split()) for piece in pieces if piece)
    return text if len(text) <= DESCRIPTION_LENGTH else text[: DESCRIPTION_LENGTH - 1] + "…"


def document_label(doc: Document) -> str:
    """The document in a few words, as a title names it: 2020年部门决算."""
    return f"{doc.year}年{doc.kind_name}"


def page_title(here: str, doc: Document) -> str:
    """A page of a document titled so that a tab, a bookmark or a printout says whose and which:
    部分 · 文件 · 部门."""
    return f"{here} · {document_label(doc)} · {doc.bureau.short_name}"


def titles(sections) -> str:
    """The titles of *sections* (or parts) that have a heading: a part's own table has its part's."""
    return "、".join(" ".join(str(s.title).split()) for s in sections if not getattr(s, "bare", False))


def headed(sections) -> list:
    """The sections that have a heading: all but a part's own table, which its part's title names."""
    return [s for s in sections if not s.bare]


def assets_link(src: str) -> str:
    """The site's assets/ folder, relative to the page (the site works under any sub-path)."""
    return urls.html_link(src, urls.HOME) + "assets/"


def render(template: str, **values) -> str:
    text = _env.get_template(template).render(**values)
    # Blank lines left by template tags, collapsed in one pass: _BLANK_LINES begins with a literal,
    # which re searches for as a string (\n{3,} tries every character: 8× slower; a loop of
    # str.replace until none is left, 3×).
    return _BLANK_LINES.sub("\n\n", text)


def home_trail(src: str) -> list[tuple[str, str]]:
    return [("首页", urls.html_link(src, urls.HOME))]


def bureau_trail(src: str, bureau) -> list[tuple[str, str]]:
    """首页 › province (its part of the home page) › city (its page)."""
    province = bureau.region[0]
    city = bureau.region[1] if len(bureau.region) > 1 else province
    return home_trail(src) + [
        (province, urls.html_link(src, urls.HOME, region_anchor(province))),
        (city, urls.html_link(src, urls.region_src(province, city))),
    ]


def document_trail(src: str, doc: Document, here: str | None = None):
    trail = bureau_trail(src, doc.bureau) + [(doc.bureau.short_name, urls.html_link(src, urls.bureau_src(doc.bureau)))]
    label = f"{doc.year}年{doc.kind_name}"
    if here is None:
        return trail + [(label, "")]
    return trail + [(label, urls.html_link(src, urls.document_src(doc))), (here, "")]


class TermLinks:
    """Each term (and alias) → where its definition is, for the pages of one run of the render
    stage: the document's own 名词解释, else the site glossary."""

    def __init__(self, glossary: dict) -> None:
        self.glossary = glossary
        self._glossary_at: dict[str, dict[str, TermLink]] = {}

    def _site(self, href: str) -> dict[str, TermLink]:
        """The site glossary's terms linked to the glossary page at *href*: the same for every page
        as deep as another (a handful of depths), so made once per depth, not once per page."""
        links = self._glossary_at.get(href)
        if links is None:
            links = self._glossary_at[href] = {
                name: TermLink(term.term, term.definition, f"{href}#{urls.term_anchor(term.term)}")
                for name, term in self.glossary.items()
            }
        return links

    def of(self, doc: Document | None, src: str) -> dict[str, TermLink]:
        # A link to a term is the link to its page plus '#' and the term's anchor: the relative path
        # is worked out once per page linked to, not once per term (it was most of this function).
        links = dict(self._site(urls.html_link(src, urls.GLOSSARY)))
        if doc is not None:
            for part in doc.parts:
                if not part.glossary:
                    continue
                part_href = urls.html_link(src, urls.part_src(doc, part))
                for use in part.glossary:
                    link = TermLink(use.term, use.definition, f"{part_href}#{urls.term_anchor(use.term)}")
                    names = [use.term] + (self.glossary[use.term].aliases if use.term in self.glossary else [])
                    for name in names:
                        links[name] = link
        return links


# A document of this many 自评表 or more opens with their 汇总 (one alone is its own headline).
SUMMARY_FROM = 2
# A part of this many sections or more lists them at its top: on a phone, whose screen has no room
# for the theme's menu of the page's headings beside the text, such a part is several screens long.
CONTENTS_FROM = 4


def document_nav(doc: Document) -> NavEntry:
    """The document's menu: its overview, each part (its attachments below it), 数据核对 and the
    one-page text. Every page of the document carries it, so it grows with the document only."""
    children = [
        NavEntry(
            oneline(part.title),
            urls.part_src(doc, part),
            tuple(NavEntry(oneline(a.title), urls.attachment_src(doc, part, a)) for a in part.attachments),
        )
        for part in doc.parts
    ]
    children.append(NavEntry("数据核对", urls.checks_src(doc)))
    children.append(NavEntry("全文（一页，可打印）", urls.full_text_src(doc)))
    return NavEntry(document_label(doc), urls.document_src(doc), tuple(children))


def reading_order(doc: Document) -> list[tuple[str, str]]:
    """(title, source path) of the overview, then each part followed by its attachments."""
    order = [("文件概览", urls.document_src(doc))]
    for part in doc.parts:
        order.append((oneline(part.title), urls.part_src(doc, part)))
        order += [(oneline(a.title), urls.attachment_src(doc, part, a)) for a in part.attachments]
    return order


def pager(src: str, order: list[tuple[str, str]], full_src: str) -> Markup:
    """上一部分 and 下一部分 of the page *src* in the document's reading order, and its one-page text."""
    at = next(i for i, (_, where) in enumerate(order) if where == src)
    links = []
    if at > 0:
        title, where = order[at - 1]
        links.append(
            f'<a class="gk-pager-prev" rel="prev" href="{escape(urls.html_link(src, where))}">'
            f'<span class="gk-pager-what">‹ 上一部分</span>{escape(title)}</a>'
        )
    if at + 1 < len(order):
        title, where = order[at + 1]
        links.append(
            f'<a class="gk-pager-next" rel="next" href="{escape(urls.html_link(src, where))}">'
            f'<span class="gk-pager-what">下一部分 ›</span>{escape(title)}</a>'
        )
    full = (
        f'<p class="gk-full-link"><a href="{escape(urls.html_link(src, full_src))}">在一页中阅读全文（可打印）</a></p>'
    )
    return Markup(f'<nav class="gk-pager" aria-label="上一部分与下一部分">{"".join(links)}</nav>{full}')


def oneline(text) -> str:
    return " ".join(str(text).split())


def _shown_figure(value) -> str:
    if value is None:
        return "（无）"
    return f"{value:f}" if isinstance(value, Decimal) else str(value)


def corrections_view(corrections) -> list[dict]:
    """The 更正记录 as the overview prints it: each correction with its figures' values as written."""
    return [
        {
            "date": c.commit.date,
            "message": c.commit.message,
            "figures": [
                {
                    "where": f"{f.table}：{f.row}，{f.column}",
                    "before": _shown_figure(f.before),
                    "after": _shown_figure(f.after),
                }
                for f in c.figures
            ],
            "texts": c.texts,
        }
        for c in corrections
    ]


def document_pages(
    site: Site,
    doc: Document,
    results=(),
    terms: TermLinks | None = None,
    comparisons: list | None = None,
    corrections=(),
    quality: Line | None = None,
) -> list[Page]:
    """A document's pages: its overview (with its *corrections*, core/corrections.py, and the
    criteria of the 公开质量 review it meets, its *quality* line), a page per part and per
    attachment, its 数据核对 and the whole document on one page.

    *terms* and *comparisons* (the bureau's, from compare_bureau) are shared by the pages of a
    render run; they are made here when not given."""
    terms = terms or TermLinks(site.glossary)
    comparisons = compare_bureau(doc.bureau) if comparisons is None else comparisons
    nav = document_nav(doc)
    order = reading_order(doc)
    marks = cell_marks(doc)  # the cells the overview's figures link to get an id on their page
    full_src = urls.full_text_src(doc)
    pages = []
    index_src = urls.document_src(doc)
    parts = []
    rendered: dict = {}  # the parts' tables, printed again by the one-page text
    full_ctx = PageContext(full_src, doc.bureau.name, terms.of(doc, full_src), doc, bare=True, rendered=rendered)
    full_parts = []
    for part in doc.parts:
        src = urls.part_src(doc, part)
        attachments = [
            {
                "attachment": a,
                "src": urls.attachment_src(doc, part, a),
                "link": urls.html_link(index_src, urls.attachment_src(doc, part, a)),
            }
            for a in part.attachments
        ]
        parts.append({"part": part, "link": urls.html_link(index_src, src), "attachments": attachments})
        glossary = [
            {"term": u.term, "definition": u.definition, "anchor": urls.term_anchor(u.term)} for u in part.glossary
        ]
        # (a part with attachments has a folder of its own: its page is as deep as the one-page text too)
        ctx = PageContext(src, doc.bureau.name, terms.of(doc, src), doc, results, marks=marks, rendered=rendered)
        pages.append(
            html_page(
                src,
                page_title(part.title, doc),
                render(
                    "part.html.j2",
                    doc=doc,
                    title=part.title,
                    trail=document_trail(src, doc, part.title),
                    ctx=ctx,
                    body=part.body,
                    section_list=part.sections,
                    contents=headed(part.sections) if len(headed(part.sections)) >= CONTENTS_FROM else [],
                    glossary=glossary,
                    attachments=[dict(a, link=urls.html_link(src, a["src"])) for a in attachments],
                    pager=pager(src, order, full_src),
                ),
                description(f"{doc.bureau.name}{document_label(doc)}，{part.title}：", titles(part.sections)),
                nav,
            )
        )
        full_parts.append(
            {
                "title": part.title,
                "anchor": part.slug,
                "prefix": f"{part.slug}-",
                "ctx": full_ctx,
                "body": part.body,
                "glossary": glossary,
                "sections": part.sections,
                "attachments": [
                    {
                        "title": a.title,
                        "anchor": a.slug,
                        "prefix": f"{a.slug}-",
                        "body": a.body,
                        "sections": a.sections,
                    }
                    for a in part.attachments
                ],
            }
        )
        for a in attachments:
            attachment = a["attachment"]
            a_ctx = PageContext(a["src"], doc.bureau.name, terms.of(doc, a["src"]), doc, results, marks=marks)
            pages.append(
                html_page(
                    a["src"],
                    page_title(attachment.title, doc),
                    render(
                        "part.html.j2",
                        doc=doc,
                        title=attachment.title,
                        ctx=a_ctx,
                        body=attachment.body,
                        section_list=attachment.sections,
                        contents=headed(attachment.sections)
                        if len(headed(attachment.sections)) >= CONTENTS_FROM
                        else [],
                        trail=document_trail(a["src"], doc, attachment.title),
                        glossary=[],
                        attachments=[],
                        pager=pager(a["src"], order, full_src),
                    ),
                    description(
                        f"{doc.bureau.name}{document_label(doc)}，{attachment.title}：", titles(attachment.sections)
                    ),
                    nav,
                )
            )
    results = list(results)
    checks_src = urls.checks_src(doc)
    checks_ctx = PageContext(checks_src)
    checks_page = render(
        "checks.html.j2",
        doc=doc,
        trail=document_trail(checks_src, doc, "数据核对"),
        summary=summary(results)[1],
        table=checks_ctx.keep(results_table(results)),
        as_is=doc.published_as_is,
        note=checks_ctx.prose(doc.as_is_note),
    )
    before, after = neighbours(doc)
    compared = any(c.year == doc.year for c in comparisons)
    shares = document_charts(doc)
    # A share chart of one part is a single bar at 100 %: its sentence says as much.
    drawn = [chart for chart in shares if len(chart.largest(2)) > 1]
    reports = report_rows(doc)
    summary_html = render_summary(reports, index_src, doc.unit) if len(reports) >= SUMMARY_FROM else Markup("")
    index_page = render(
        "document.html.j2",
        doc=doc,
        parts=parts,
        trail=document_trail(index_src, doc),
        headline=render_headline(headline(doc, index_src)) if declared_headline(doc) or not summary_html else "",
        summary=summary_html,
        reports=len(reports),
        bureau_href=urls.html_link(index_src, urls.bureau_src(doc.bureau)),
        checks_link=urls.html_link(index_src, checks_src),
        check_summary=summary(results)[1],
        before=(before, urls.html_link(index_src, urls.document_src(before))) if before else None,
        after=(after, urls.html_link(index_src, urls.document_src(after))) if after else None,
        comparison_link=urls.html_link(index_src, urls.comparison_src(doc.bureau, doc.year)) if compared else None,
        full_link=urls.html_link(index_src, full_src),
        downloads=document_downloads(
            doc, stems(doc), urls.folder_link(index_src, urls.downloads_dir(doc)), bulk_link(index_src)
        ),
        charts=[render_compare(chart) for chart in headline_comparisons(doc)]
        + [render_chart(chart) for chart in drawn],
        said=[chart.summary() for chart in shares if chart not in drawn],
        assets=assets_link(index_src),
        corrections=corrections_view(corrections),
        quality=quality,
        quality_link=urls.html_link(index_src, urls.region_src(*urls.city_of(doc.bureau.region)), "zhiliang"),
    )
    full_page = render(
        "full.html.j2",
        doc=doc,
        trail=document_trail(full_src, doc, "全文"),
        parts=full_parts,
    )
    return [
        html_page(
            index_src,
            doc.title
            if doc.bureau.short_name in doc.title or doc.bureau.name in doc.title
            else page_title(doc.title, doc),
            index_page,
            description(f"{doc.bureau.name}{document_label(doc)}：", titles(doc.parts)),
            nav,
        ),
        *pages,
        html_page(
            checks_src,
            page_title("数据核对", doc),
            checks_page,
            description(f"{doc.bureau.name}{document_label(doc)}的数据核对：", summary(results)[1]),
            nav,
        ),
        html_page(
            full_src,
            page_title("全文", doc),
            full_page,
            description(f"{doc.bureau.name}{document_label(doc)}全文：", titles(doc.parts)),
            nav,
        ),
    ]


def declared_headline(doc: Document) -> bool:
    return doc.form_set is not None and bool(doc.form_set.headline)


def opening(doc: Document, src: str, items: bool = True) -> Markup:
    """What a page about *doc* opens with: its headline figures, or, for a document of many 自评表
    and no declared figures, their 汇总 (a card per table's score and 执行率 would say it twice)."""
    if not declared_headline(doc):
        reports = report_rows(doc)
        if len(reports) >= SUMMARY_FROM:
            return render_summary(reports, src, doc.unit)
    return render_headline(headline(doc, src), items=items)


def neighbours(doc: Document) -> tuple[Document | None, Document | None]:
    """The same bureau's document of the same kind in the nearest year before and after."""
    same = sorted((d for d in doc.bureau.documents if d.kind == doc.kind and d is not doc), key=lambda d: d.year)
    before = [d for d in same if d.year < doc.year]
    after = [d for d in same if d.year > doc.year]
    return (before[-1] if before else None), (after[0] if after else None)


def bureau_page(
    site: Site,
    bureau,
    results_of: dict | None = None,
    terms: TermLinks | None = None,
    comparisons: list | None = None,
    quality: Sequence[Line] = (),
) -> Page:
    src = urls.bureau_src(bureau)
    years: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for doc in bureau.documents:
        mine = (results_of or {}).get(doc, [])
        years[doc.year][doc.kind].append((doc, urls.html_link(src, urls.document_src(doc)), summary(mine)))
    comparisons = compare_bureau(bureau) if comparisons is None else comparisons
    compared = {c.year for c in comparisons}
    ctx = PageContext(src, bureau.name, (terms or TermLinks(site.glossary)).of(None, src))
    # The page opens with the main figures of the latest document of each kind (the 三公's items
    # are on the document's overview).
    latest = []
    for kind in KINDS:
        docs = sorted((d for d in bureau.documents if d.kind == kind), key=lambda d: d.year)
        if docs:
            shown = opening(docs[-1], src, items=False)
            if shown:
                latest.append((docs[-1], urls.html_link(src, urls.document_src(docs[-1])), shown))
    return html_page(
        src,
        bureau.name,
        render(
            "bureau.html.j2",
            bureau=bureau,
            trail=bureau_trail(src, bureau) + [(bureau.short_name, "")],
            kinds=KINDS,
            kind_names=KIND_NAMES,
            years=sorted(years.items(), reverse=True),
            comparisons={y: urls.html_link(src, urls.comparison_src(bureau, y)) for y in compared},
            latest=latest,
            ctx=ctx,
            charts=[render_trend(trend) for trend in bureau_trends(bureau)],
            charts_title="历年主要数字",
            charts_anchor="lishi",
            charts_intro="各年的数字取自该年公开文件的表格，每张图下的表格列出同样的数字。",
            assets=assets_link(src),
            quality=[(line, _quality_link(src, bureau, line)) for line in quality if line.bureau == bureau.slug],
            quality_csv=urls.html_link(src, urls.region_src(*urls.city_of(bureau.region))) + "zhiliang.csv",
        ),
        description(
            f"{bureau.name}公开的",
            "、".join(
                f"{year}年{'、'.join(KIND_NAMES[k] for k in KINDS if k in kinds)}"
                for year, kinds in sorted(years.items(), reverse=True)
            ),
        ),
    )


def comparison_pages(bureau, comparisons: list | None = None) -> list[Page]:
    by_year: dict[int, list[Comparison]] = defaultdict(list)
    for comparison in compare_bureau(bureau) if comparisons is None else comparisons:
        by_year[comparison.year].append(comparison)
    pages = []
    for year, comparisons in sorted(by_year.items()):
        src = urls.comparison_src(bureau, year)
        first = comparisons[0]
        title = f"{bureau.short_name}{year}年预算与决算对比"
        pages.append(
            html_page(
                src,
                title,
                render(
                    "comparison.html.j2",
                    title=title,
                    bureau=bureau,
                    trail=bureau_trail(src, bureau)
                    + [
                        (bureau.short_name, urls.html_link(src, urls.bureau_src(bureau))),
                        (f"{year}年预算与决算对比", ""),
                    ],
                    budget_doc=first.budget_doc,
                    actual_doc=first.actual_doc,
                    budget_link=urls.html_link(src, urls.document_src(first.budget_doc)),
                    actual_link=urls.html_link(src, urls.document_src(first.actual_doc)),
                    tables=[
                        {"measure": c.measure, "anchor": f"m{i}", "html": render_comparison(c)}
                        for i, c in enumerate(comparisons, 1)
                    ],
                    charts=[
                        chart
                        for i, c in enumerate(comparisons, 1)
                        if (chart := render_comparison_chart(c, f"tu-m{i}")) is not None
                    ],
                    charts_intro="预算数与决算数按功能分类科目的类并列；逐科目的数字见上面的表格。",
                    assets=assets_link(src),
                ),
                description(
                    f"{bureau.name}{year}年预算数与决算数逐科目对比：", "、".join(c.measure for c in comparisons)
                ),
            )
        )
    return pages


def regions(site: Site):
    """Bureaus grouped province → city, in a stable order."""
    grouped: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for bureau in site.bureaus:
        province = bureau.region[0]
        city = bureau.region[1] if len(bureau.region) > 1 else bureau.region[0]
        grouped[province][city].append(bureau)
    return [(p, sorted(cities.items())) for p, cities in sorted(grouped.items())]


# The home page lists this many of the latest documents: a fixed number, so that it does not grow
# with the site.
LATEST_DOCUMENTS = 8


def latest_documents(site: Site, count: int = LATEST_DOCUMENTS) -> list[Document]:
    """The documents of the latest years, those published last first (a date the original does not
    give counts as the year's start), then by bureau and kind: the same list at every build."""
    return sorted(
        site.documents,
        key=lambda d: (-d.year, -(d.published.toordinal() if d.published else 0), d.bureau.slug, d.kind),
    )[:count]


def home_page(site: Site, intro: str) -> Page:
    """The home page: a search box, the latest documents, and every province with its cities and
    how many bureaus and documents each has.

    It lists cities, not bureaus: at province scale a list of every bureau and document made the
    home page grow with the site (370 KB at 2,000 documents). Each city has a page of its own, which
    lists its bureaus and their documents; the latest documents are a fixed number.
    """
    src = urls.HOME
    listing = [
        (
            province,
            [
                (
                    city,
                    urls.html_link(src, urls.region_src(province, city)),
                    len(bureaus),
                    sum(len(b.documents) for b in bureaus),
                )
                for city, bureaus in cities
            ],
        )
        for province, cities in regions(site)
    ]
    directory = render(
        "regions.md.j2",
        regions=listing,
        region_anchor=region_anchor,
        search_href=urls.html_link(src, urls.SEARCH),
        latest=[
            (d, urls.html_link(src, urls.document_src(d)), urls.html_link(src, urls.bureau_src(d.bureau)))
            for d in latest_documents(site)
        ],
    )
    ctx = PageContext(src, inline=False)
    kept = ctx.keep(directory)
    text = intro.replace(DIRECTORY_MARKER, kept) if DIRECTORY_MARKER in intro else intro + "\n\n" + kept
    return Page(src, text, ctx.fragments)


def region_pages(site: Site, quality: Sequence[Line] = ()) -> list[Page]:
    """A page per city: its bureaus and their documents, filtered by district, year and kind, and
    the 公开质量 review of them (*quality*) when there is one."""
    pages = []
    lines_of = defaultdict(list)
    for line in quality:
        lines_of[urls.city_of(line.region)].append(line)
    for province, cities in regions(site):
        for city, bureaus in cities:
            src = urls.region_src(province, city)
            listing = [
                (
                    province,
                    [
                        (
                            city,
                            [
                                (
                                    b,
                                    urls.html_link(src, urls.bureau_src(b)),
                                    [
                                        (d, urls.html_link(src, urls.document_src(d)))
                                        for d in sorted(b.documents, key=lambda d: (-d.year, d.kind))
                                    ],
                                )
                                for b in bureaus
                            ],
                        )
                    ],
                )
            ]
            directory = render(
                "directory.md.j2",
                regions=listing,
                region_anchor=region_anchor,
                districts=sorted({"/".join(b.region[:3]) for b in bureaus}),
                years=sorted({d.year for b in bureaus for d in b.documents}, reverse=True),
                kinds=KINDS,
                kind_names=KIND_NAMES,
            )
            trail = home_trail(src) + [(province, urls.html_link(src, urls.HOME, region_anchor(province))), (city, "")]
            title = f"{province} · {city}"
            charts = [render_compare(chart) for chart in region_comparisons(bureaus)]
            by_slug = {b.slug: b for b in bureaus}
            reviewed = [
                (line, _quality_link(src, by_slug[line.bureau], line)) for line in lines_of.get((province, city), [])
            ]
            html = render(
                "region.html.j2",
                title=title,
                trail=trail,
                directory=Markup(directory),
                charts=charts,
                quality=reviewed,
                quality_csv=urls.html_link(src, urls.region_src(province, city)) + "zhiliang.csv",
            )
            pages.append(
                html_page(
                    src,
                    title,
                    html,
                    description(
                        f"{province}{city}各部门公开的预算、决算和绩效评价：", "、".join(b.name for b in bureaus)
                    ),
                )
            )
    return pages


def glossary_page(site: Site) -> Page:
    src = urls.GLOSSARY
    uses = defaultdict(list)
    for doc in site.documents:
        for part in doc.parts:
            for use in part.glossary:
                uses[use.term].append((doc, urls.html_link(src, urls.part_src(doc, part), urls.term_anchor(use.term))))
    terms = []
    seen = set()
    for term in site.glossary.values():
        if term.term not in seen:
            seen.add(term.term)
            terms.append((term, uses.get(term.term, [])))
    for _, found in terms:  # the most recent first
        found.sort(key=lambda use: (-use[0].year, use[0].bureau.slug, use[0].kind))
    ctx = PageContext(src, inline=False)
    return Page(
        src,
        render(
            "glossary.md.j2",
            terms=terms,
            anchor=urls.term_anchor,
            ctx=ctx,
            shown=GLOSSARY_USES_SHOWN,
            search_href=urls.html_link(src, urls.SEARCH),
        ),
        ctx.fragments,
    )


def site_pages(site: Site, content_dir: Path, quality: Sequence[Line] = ()) -> list[Page]:
    """The pages about the whole site: the home page's directory and the glossary.

    They need only an outline of each bureau (see outline()), so that a build in batches can make
    them without holding every document.
    """
    intro_file = content_dir / "index.md"
    intro = intro_file.read_text(encoding="utf-8") if intro_file.exists() else "# 公开\n"
    about = content_dir / urls.ABOUT  # 关于, with whose site it is (site_info.py)
    kept = [Page(urls.ABOUT, *about_text(site.info, about.read_text(encoding="utf-8")))] if about.is_file() else []
    return [home_page(site, intro), glossary_page(site), *region_pages(site, quality), *kept]


def _quality_link(src: str, bureau: Bureau, line: Line) -> str | None:
    """The link to a reviewed document from page *src*; None for one not published."""
    document = next((d for d in bureau.documents if d.slug == line.document and d.year == line.year), None)
    return urls.html_link(src, urls.document_src(document)) if document is not None else None


def bureau_pages(site: Site, bureaus, results=(), quality: Sequence[Line] = (), corrections=None) -> list[Page]:
    """Every page of these bureaus: bureau page, 预算/决算 comparisons, and each document's pages
    (*corrections*: each corrected document's, core/corrections.py)."""
    pages = []
    results_of: dict[Document, list] = defaultdict(list)  # by document, grouped once: a site has 10⁵ results
    for result in results:
        results_of[result.document].append(result)
    terms = TermLinks(site.glossary)
    line_of = {(line.bureau, line.year, line.document): line for line in quality if line.document is not None}
    for bureau in bureaus:
        comparisons = compare_bureau(bureau)  # its 预算 and 决算 side by side: once per bureau
        pages.append(bureau_page(site, bureau, results_of, terms, comparisons, quality))
        pages.extend(comparison_pages(bureau, comparisons))
        for doc in bureau.documents:
            pages.extend(
                document_pages(
                    site,
                    doc,
                    results_of.get(doc, []),
                    terms,
                    comparisons,
                    (corrections or {}).get(doc, ()),
                    line_of.get((bureau.slug, doc.year, doc.slug)),
                )
            )
    return pages


def all_pages(site: Site, content_dir: Path, results=(), quality: Sequence[Line] = ()) -> list[Page]:
    return site_pages(site, content_dir, quality) + bureau_pages(site, site.bureaus, results, quality)


def outline(bureau: Bureau) -> Bureau:
    """A bureau with only what the site-wide pages show of it: names, region, and per document its
    year, kind, title, parts, the terms each part explains and its headline figures (no tables, no
    prose)."""
    copy = replace(bureau, documents=[])
    for doc in bureau.documents:
        parts = [
            replace(p, body=None, sections=[], attachments=[replace(a, sections=[], body=None) for a in p.attachments])
            for p in doc.parts
        ]
        copy.documents.append(
            replace(doc, bureau=copy, form_set=None, parts=parts, as_is_note=None, headline_figures=stated_figures(doc))
        )
    return copy


def navigation() -> list:
    """The site-wide menu: the home page (bureaus by region), the glossary and 关于.

    It is written into every page, so it must not grow with the site: at province scale a menu of
    every bureau and document made each page megabytes. A reader finds documents from the home
    page's search box, latest documents and directory, the cities' and bureaus' pages and search;
    within a document, from its own menu (document_nav), which every page of the document puts
    above these three, its 上一部分/下一部分 and the breadcrumbs.
    """
    return [{"首页": urls.HOME}, {"名词解释": urls.GLOSSARY}, {"关于": urls.ABOUT}]
