"""Render stage, prose: Markdown from data/ → sanitised HTML, with glossary terms linked."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import nh3
from markupsafe import Markup, escape

from ..core.markdown import markdown_reader

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


_MD = markdown_reader()  # raw HTML typed into data/ is shown as text (core/markdown.py)


# A document's pages render the same text more than once (and a province repeats boilerplate
# such as "无"); Markdown and nh3 are most of the cost of prose, and their result depends on the
# text only. Bounded: at most this many texts and their HTML are kept.
_MARKDOWN_CACHE_SIZE = 2048

# Most prose is paragraphs of plain Chinese, which Markdown turns into <p>…</p> and nh3 leaves as
# they are. Such a text is recognised by what it lacks: Markdown's signs (emphasis, code, links,
# headings, lists, quotes, tables, rules, escapes, raw HTML and entities, and a few more for
# safety), control characters, U+00A0 (which nh3 writes as &nbsp;), white space at a line's ends
# (Markdown strips it, or reads indentation as code and two trailing spaces as a line break), more
# than one blank line, and a line opening with "1. " (an ordered list). tests/test_properties.py
# compares this with Markdown and nh3 on generated texts and on every text of data/.
_SIGNS = r"#$&*+<=>@\[\\\]^_`{|}~\-\x00-\x1f\x7f-\xa0\u2028\u2029"
_LINE = rf"[^\s{_SIGNS}](?:[^\n{_SIGNS}]*[^\s{_SIGNS}])?"
_PLAIN_PARAGRAPHS = re.compile(rf"{_LINE}(?:\n\n?{_LINE})*\n*")
_ORDERED_LIST_ITEM = re.compile(r"(?m)^\d+\. ")


def plain_paragraphs(text: str) -> str | None:
    """What Markdown and nh3 make of *text* when it is only paragraphs of plain text; else None."""
    if _PLAIN_PARAGRAPHS.fullmatch(text) is None or _ORDERED_LIST_ITEM.search(text):
        return None
    return "\n".join(f"<p>{paragraph}</p>" for paragraph in text.rstrip("\n").split("\n\n"))


@functools.lru_cache(maxsize=_MARKDOWN_CACHE_SIZE)
def render_markdown(text: str) -> str:
    # Python-Markdown tries each of its inline patterns on every piece of text: on 100 documents with
    # prose of their own, the render stage took 0.82 s of CPU with every text through it, 0.51 s with this.
    plain_html = plain_paragraphs(text)
    return plain_html if plain_html is not None else markdown_sanitised(text)


def markdown_sanitised(text: str) -> str:
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


_TAG = re.compile(r"(<[^>]+>)")
_LINK_OPEN = re.compile(r"<a[\s>]")


@functools.lru_cache(maxsize=256)
def _terms_pattern(terms: tuple[str, ...]) -> re.Pattern:
    """Any of *terms*, the longest first. Every page of a document links the same terms: compile once."""
    return re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)))


def terms_in(text: str, links: dict[str, TermLink]) -> set[str]:
    """The names of *links* that occur in *text*."""
    return set(_terms_pattern(tuple(links)).findall(text)) if links else set()


def link_terms(html: str, links: dict[str, TermLink]) -> str:
    """Link the first use of each term in *html* (text outside tags and links only)."""
    if not links:
        return html
    pattern = _terms_pattern(tuple(links))
    if pattern.search(html) is None:  # most texts name no term: one search instead of a walk of their tags
        return html
    done: set[str] = set()

    def replace(match: re.Match) -> str:
        link = links[match.group(0)]
        if link.term in done:
            return match.group(0)
        done.add(link.term)
        definition = escape(link.definition)
        # The matched text is already HTML (Markdown's output): it goes in as it is.
        return (
            f'<a class="gk-term" href="{escape(link.href)}" title="{definition}" data-definition="{definition}">'
            f"{match.group(0)}</a>"
        )

    out, inside_link = [], False
    for piece in _TAG.split(html):
        if piece.startswith("<"):
            if _LINK_OPEN.match(piece):
                inside_link = True
            elif piece.startswith("</a"):
                inside_link = False
            out.append(piece)
            continue
        if inside_link:
            out.append(piece)
            continue
        out.append(pattern.sub(replace, piece))
    return "".join(out)


def prose(text: str | None, links: dict[str, TermLink] | None = None) -> Markup:
    if not text:
        return Markup("")
    # Markdown's output, sanitised by nh3, with links whose every attribute is escaped: safe as it is.
    return Markup(f'<div class="gk-prose">\n{link_terms(render_markdown(text), links or {})}\n</div>')


def plain(text: str) -> Markup:
    return escape(text)
