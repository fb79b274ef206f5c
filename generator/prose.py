"""Render stage, prose: Markdown from data/ → sanitised HTML, with glossary terms linked."""

from __future__ import annotations

import re
from dataclasses import dataclass

import markdown
import nh3
from markupsafe import Markup, escape

# Prose is what a clerk typed: formatting yes, script and foreign embeds no.
ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "h3",
    "h4",
    "h5",
    "h6",
    "a",
    "sup",
    "sub",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"colspan", "rowspan"}, "td": {"colspan", "rowspan"}}


def _markdown_without_raw_html() -> markdown.Markdown:
    # Raw HTML typed into data/ is shown as text, not interpreted: a '<' a clerk typed stays a '<'.
    md = markdown.Markdown(extensions=["sane_lists"], output_format="html")
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


_MD = _markdown_without_raw_html()


def render_markdown(text: str) -> str:
    html = _MD.reset().convert(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


@dataclass(frozen=True)
class TermLink:
    term: str
    definition: str
    href: str


def term_anchor(term: str) -> str:
    return "term-" + re.sub(r"[\s\"'<>&#]+", "-", term)


_TAG = re.compile(r"(<[^>]+>)")


def link_terms(html: str, links: dict[str, TermLink]) -> str:
    """Link the first use of each term in *html* (text outside tags and links only)."""
    if not links:
        return html
    pattern = re.compile("|".join(re.escape(t) for t in sorted(links, key=len, reverse=True)))
    done: set[str] = set()
    out, inside_link = [], False
    for piece in _TAG.split(html):
        if piece.startswith("<"):
            if re.match(r"<a[\s>]", piece):
                inside_link = True
            elif piece.startswith("</a"):
                inside_link = False
            out.append(piece)
            continue
        if inside_link:
            out.append(piece)
            continue

        def replace(match: re.Match) -> str:
            link = links[match.group(0)]
            if link.term in done:
                return match.group(0)
            done.add(link.term)
            return str(
                Markup('<a class="gk-term" href="{}" title="{}" data-definition="{}">{}</a>').format(
                    link.href, link.definition, link.definition, Markup(match.group(0))
                )
            )

        out.append(pattern.sub(replace, piece))
    return "".join(out)


def prose(text: str | None, links: dict[str, TermLink] | None = None) -> Markup:
    if not text:
        return Markup("")
    return Markup('<div class="gk-prose">\n{}\n</div>').format(Markup(link_terms(render_markdown(text), links or {})))


def plain(text: str) -> Markup:
    return escape(text)
