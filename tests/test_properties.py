"""Property-based: generated YAML and text through the loader, the checks and the renderer.

Whatever is typed, loading gives a model or problems placed in the file (never an exception), the
checks and the pages of what loaded are made without one, and every value that goes in comes out
on the page unchanged: text escaped and identical once unescaped, amounts formatted exactly.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import tempfile
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.check.document import check_document
from generator.core.results import ERROR, NOTICE, OK, UNCHECKED, WARNING
from generator.load.loader import load_site
from generator.render.pages import bureau_pages
from generator.render.prose import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, markdown_sanitised, plain_paragraphs, prose
from generator.render.tables import render_form_table, render_free_table
from generator.source.yamlsource import YamlProblem, decode, parse_text, read_yaml

from helpers import DATA, MINIMAL_BUREAU, copy_fragment_forms, write
from yamlplain import scalar_values

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Characters that mean something to YAML, HTML, Markdown or Jinja, with Chinese, full-width forms,
# emoji, rare CJK and the characters the loader refuses (controls, zero-width, direction overrides).
SPECIAL = "<>&\"'|*_#`[](){}%$\\!-.:,?@~=+/;\t "
CJK = "公开预算决算医保局经费支出收入合计“”（）《》、。，：；％－"
OTHER = "０１２３ＡＢ😀𠀀é"
HIDDEN = "\x00\x07\x1b\x7f\u200b\u202e\u2066\ufeff"
any_text = st.text(alphabet=SPECIAL + CJK + OTHER + HIDDEN + "\n\r0123456789abcNOyes", max_size=60)
# Text a clerk could publish: no character the loader refuses, no line break.
shown_text = st.text(alphabet=SPECIAL.replace("\t", "") + CJK + OTHER + "0123456789abcNO", min_size=1, max_size=40)


def visible(text: str) -> str:
    """What a Text field keeps: surrounding white space is not significant."""
    return text.strip()


def quoted(text: str) -> str:
    """A YAML double-quoted scalar for *text* (JSON's string syntax is YAML's)."""
    return json.dumps(text, ensure_ascii=False)


class Workspace:
    """A data tree with the real forms and one bureau, rewritten for each generated example.

    Hypothesis runs many examples per test, so the tree is made once per test, not per example.
    """

    def __init__(self):
        self.root = Path(tempfile.mkdtemp()) / "data"
        copy_fragment_forms(self.root / "forms")
        write(self.root / "ce" / "bureau.yaml", MINIMAL_BUREAU)

    def load(self, document: str | bytes, bureau: str | None = None):
        path = self.root / "ce" / "2020" / "juesuan.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(document, bytes):
            path.write_bytes(document)
        else:
            path.write_text(document, encoding="utf-8")
        if bureau is not None:
            (self.root / "ce" / "bureau.yaml").write_text(bureau, encoding="utf-8")
        return load_site(self.root)

    def close(self):
        shutil.rmtree(self.root.parent, ignore_errors=True)


# ---- loading anything ----


@SETTINGS
@given(st.binary(max_size=300))
def test_any_bytes_decode_or_are_one_placed_problem(data):
    try:
        decode(data, "f.yaml")
    except YamlProblem as exc:
        assert exc.problem.mark.line >= 1 and exc.problem.mark.column >= 1


@SETTINGS
@given(any_text)
def test_any_text_parses_or_is_one_placed_problem(text):
    try:
        parse_text(text, "f.yaml")
    except YamlProblem as exc:
        assert exc.problem.mark.path == "f.yaml" and exc.problem.mark.line >= 1 and exc.problem.mark.column >= 1


# Documents made of the schema's own keys, so that generated files get past the first level.
KEYS = [
    *("title", "kind", "year", "unit", "form_set", "published", "published_as_is", "as_is_note", "parts"),
    *("id", "body", "sections", "glossary", "attachments", "table", "form", "rows", "values", "totals", "note"),
    *("statement", "grid", "text", "colspan", "rowspan", "header", "term", "definition", "caption", "columns"),
    *("label", "total", "stage", "indicators", "items", "name", "score", "scored", "target", "facts", "funds"),
    *("科目编码", "科目名称", "本年收入合计", "财政拨款收入", "合计", "收入", "支出", "ammount", "2024", "true"),
]
SCALARS = [
    *("2020", "决算", "绩效", "预算", "hunan-juesuan-2020", "公开01表", "公开02表", "公开07表", "自评", "true"),
    *("2549.18", "2,549.18", "010", "NO", "~", "", "1e3", "-0", ".nan", "２５４９", "12.00万元", "208", "2021-02-30"),
    *("<script>alert(1)</script>", "{{ 7*7 }}", "[x](javascript:alert(1))", "- 1. |*_#", "a: b", "'q'", '"dq"'),
]
scalars = st.one_of(st.sampled_from(SCALARS), any_text.map(quoted))
yaml_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.sampled_from(KEYS), children, max_size=5),
    ),
    max_leaves=25,
)


def emit(value, indent: int = 0) -> str:
    """Block-style YAML for *value*; scalars are written as generated (plain or double-quoted)."""
    pad = "  " * indent
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "".join(f"\n{pad}{key}: {emit(child, indent + 1)}" for key, child in value.items())
    if isinstance(value, list):
        if not value:
            return "[]"
        return "".join(f"\n{pad}- {emit(child, indent + 1).lstrip()}" for child in value)
    return value


documents = st.dictionaries(st.sampled_from(KEYS), yaml_values, min_size=1, max_size=8).map(
    lambda top: {"title": "t", "kind": "决算", "year": "2020", "form_set": "hunan-juesuan-2020", **top}
)


@SETTINGS
@given(documents)
def test_any_document_loads_checks_and_renders_or_says_where_it_is_wrong(document):
    space = Workspace()
    try:
        site, problems = space.load(emit(document).lstrip("\n") + "\n")
        for problem in problems.items:
            assert problem.mark.path.endswith(".yaml") or problem.mark.line == 0
            assert problem.message and "Traceback" not in problem.message
        if problems.errors:  # as in the build: what does not load is not checked nor rendered
            return
        results = [r for doc in site.documents for r in check_document(doc)]
        for page in bureau_pages(site, site.bureaus, results):
            assert page.html is None or "<script>alert" not in page.html
    finally:
        space.close()


VALID = {
    "title": "2020年度测试区医疗保障局部门决算",
    "kind": "决算",
    "year": "2020",
    "form_set": "hunan-juesuan-2020",
    "parts": [
        {"title": "第一部分 概况", "sections": [{"title": "一、部门职责", "body": "负责医疗保障。"}]},
        {
            "title": "第二部分 决算表",
            "sections": [
                {
                    "title": "二、收入决算表",
                    "table": {
                        "form": "公开02表",
                        "rows": [
                            {"科目名称": "合计", "本年收入合计": "55.11", "财政拨款收入": "55.11"},
                            {"科目编码": '"208"', "科目名称": "社会保障和就业支出", "本年收入合计": "55.11"},
                        ],
                    },
                },
                {"title": "附表", "table": {"id": "fb", "title": "附表", "grid": [["项目", "金额"], ["合计", "1.00"]]}},
            ],
        },
        {"title": "第三部分 名词解释", "glossary": ["基本支出", {"term": "某术语", "definition": "解释。"}]},
    ],
}


def places(value, path=()):
    """Every position in a document: each key's value and each list item."""
    yield path
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in children:
        yield from places(child, (*path, key))


def replaced(value, path, new):
    if not path:
        return new
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[path[0]] = replaced(value[path[0]], path[1:], new)
    return copy


@SETTINGS
@given(st.sampled_from(list(places(VALID))[1:]), st.one_of(shown_text.map(quoted), scalars, yaml_values))
def test_a_valid_document_with_anything_in_one_place_loads_checks_and_renders(place, value):
    space = Workspace()
    try:
        write(space.root / "glossary.yaml", "terms:\n  - {term: 基本支出, definition: 人员支出和公用支出。}\n")
        site, problems = space.load(emit(replaced(VALID, place, value)).lstrip("\n") + "\n")
    finally:
        space.close()
    for problem in problems.items:
        assert problem.mark.path.endswith("juesuan.yaml") and problem.mark.line >= 1 and problem.message
    if problems.errors:
        return
    results = [r for doc in site.documents for r in check_document(doc)]
    for page in bureau_pages(site, site.bureaus, results):
        assert not Markup(page.html).found


class Markup(HTMLParser):
    """Elements and attributes that could run something: none may come from data/."""

    def __init__(self, markup: str):
        super().__init__()
        self.found = []
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "img", "style", "svg", "object", "embed"):
            self.found.append(tag)
        self.found += [name for name, _ in attrs if name.startswith("on")]


# ---- what goes in comes out ----

FREE_TABLE_DOCUMENT = """\
title: {title}
kind: 决算
year: 2020
form_set: hunan-juesuan-2020
parts:
  - title: 附件
    sections:
      - title: {section}
        table:
          id: fb
          title: {table}
          grid:
{rows}
      - title: 表
        table:
          form: 公开02表
          rows:
{amount_rows}
"""


class Cells(HTMLParser):
    """The inner HTML of each <td>/<th> of a table body, and each heading's text."""

    def __init__(self, markup: str):
        super().__init__(convert_charrefs=False)
        self.cells: list[str] = []
        self.open = False
        self.raw = markup
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        if tag in ("td", "th"):
            self.open, self.start = True, self.getpos()
            self.cells.append("")
        elif tag == "br" and self.open:
            self.cells[-1] += "\n"

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.open = False

    def handle_data(self, data):
        if self.open:
            self.cells[-1] += data

    def handle_entityref(self, name):
        if self.open:
            self.cells[-1] += html.unescape(f"&{name};")

    def handle_charref(self, name):
        if self.open:
            self.cells[-1] += html.unescape(f"&#{name};")


cell_text = st.lists(shown_text, min_size=1, max_size=3).map("\n".join)  # a cell may have line breaks
amounts = st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False, allow_infinity=False)


@SETTINGS
@given(
    titles=st.tuples(shown_text, shown_text, shown_text),
    grid=st.lists(st.lists(cell_text, min_size=2, max_size=2), min_size=1, max_size=3),
    rows=st.lists(st.tuples(shown_text, amounts), min_size=1, max_size=3),
)
def test_text_and_amounts_come_out_as_they_went_in(titles, grid, rows):
    names, values = [name for name, _ in rows], [value for _, value in rows]
    grid_rows = "".join(f"            - [{', '.join(quoted(cell) for cell in row)}]\n" for row in grid)
    amount_rows = "".join(
        f'            - {{科目编码: "2{i:02d}", 科目名称: {quoted(name)}, 本年收入合计: {value:f}}}\n'
        for i, (name, value) in enumerate(rows)
    )
    text = FREE_TABLE_DOCUMENT.format(
        title=quoted(titles[0]),
        section=quoted(titles[1]),
        table=quoted(titles[2]),
        rows=grid_rows,
        amount_rows=amount_rows,
    )
    space = Workspace()
    try:
        site, problems = space.load(text)
    finally:
        space.close()
    texts = [titles[0], titles[1], titles[2], *names]
    if any(not visible(t) for t in texts):  # a title of spaces only is an error, at its place
        assert problems.errors
        return
    assert not problems.items, [str(p) for p in problems.items]
    doc = site.documents[0]
    free, form = doc.parts[0].sections[0].table, doc.parts[0].sections[1].table

    assert Cells(str(render_free_table(free))).cells == [cell for row in grid for cell in row]
    html_of_form = str(render_form_table(form, "局")).split("<tbody>")[1]
    shown = Cells(html_of_form).cells
    width = len(shown) // len(names)
    for number, (name, value) in enumerate(rows):
        row = shown[number * width : (number + 1) * width]
        assert row[1] == visible(name)  # 科目名称, after the code
        printed = row[2]  # 本年收入合计, as published
        assert re.fullmatch(r"-?\d{1,3}(,\d{3})*\.\d\d", printed), printed
        assert Decimal(printed.replace(",", "")) == value
    assert form.panels[0].rows[0].cells["本年收入合计"].amount == values[0]

    caption = re.search(r"<caption>(.*?)</caption>", str(render_free_table(free)), re.S).group(1)
    assert html.unescape(caption) == visible(titles[2])
    pages = {page.src: page.html for page in bureau_pages(site, site.bureaus)}
    part = next(page for src, page in pages.items() if src.endswith("part1.md"))
    section_titles = [html.unescape(t) for t in re.findall(r'<h2 id="[^"]*">(.*?)<a class="headerlink"', part)]
    assert section_titles[0] == " ".join(visible(titles[1]).split())
    index = next(page for src, page in pages.items() if src.endswith("juesuan/index.md"))
    title = re.search(r'<h1 id="gk-title">(.*?)<a class="headerlink"', index).group(1)
    assert html.unescape(title) == " ".join(visible(titles[0]).split())
    # the checks run on whatever amounts were typed, and every page of the bureau is made
    results = check_document(doc)
    assert all(r.status in (OK, NOTICE, WARNING, ERROR, UNCHECKED) and r.says for r in results)
    assert all(not Markup(page.html).found for page in bureau_pages(site, site.bureaus, results))


class Tags(HTMLParser):
    def __init__(self, markup: str):
        super().__init__()
        self.tags: list[tuple[str, list]] = []
        self.text = ""
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_data(self, data):
        self.text += data


# Prose is Markdown: its syntax (a '>' or '1.' starting a line, '*', character references such as
# &amp;) is interpreted. Text without it, HTML's special characters included, reads as typed.
plain_prose = st.text(alphabet=CJK + "<>&\"'=/:0123456789abcxyz ", max_size=80).map(lambda text: "说" + text)
markdown_prose = st.text(alphabet=SPECIAL + CJK + "\n0123456789abcjavscript", max_size=120)


@SETTINGS
@given(plain_prose)
def test_prose_without_markdown_syntax_reads_as_typed(text):
    rendered = Tags(str(prose(text)))
    assert " ".join(rendered.text.split()) == " ".join(text.split())
    assert {tag for tag, _ in rendered.tags} <= {"div", "p"}


# Paragraphs of plain text with the characters near the edge of what plain_paragraphs takes inside
# a line (white space of every kind, "1." and "1. ", quotes); and now and then a line with one of
# Markdown's signs, a tab or U+00A0, or a line break after spaces or two blank lines.
plain_line = st.text(alphabet=CJK + OTHER + "0123456789abc.,;:?!%()/'\" \u3000\u2003", min_size=1, max_size=30)
odd_line = st.text(alphabet=CJK + "0123456789.#*-_<&[\t\u00a0 ", max_size=12)
paragraph_text = st.lists(
    st.tuples(
        st.one_of(plain_line, plain_line, plain_line, odd_line),
        st.sampled_from(["\n", "\n", "\n\n", "\n\n", "\n\n\n", " \n"]),
    ),
    min_size=1,
    max_size=6,
).map(lambda lines: "".join(line + end for line, end in lines))


@settings(SETTINGS, max_examples=1000)
@given(paragraph_text)
def test_plain_paragraphs_are_what_markdown_and_nh3_make_of_them(text):
    html = plain_paragraphs(text)
    if html is not None:
        assert html == markdown_sanitised(text)


def test_the_prose_of_data_reads_the_same_whether_or_not_it_goes_through_markdown():
    texts = {value.text for file in DATA.rglob("*.yaml") for _, value in scalar_values(read_yaml(file, str(file)))}
    plain = [text for text in texts if plain_paragraphs(text) is not None]
    assert len(plain) > 300  # the seeds' paragraphs: the path most prose takes
    assert any("\n\n" in text for text in plain)  # texts of several paragraphs among them
    for text in plain:
        assert plain_paragraphs(text) == markdown_sanitised(text), text


@SETTINGS
@given(markdown_prose)
def test_any_prose_gives_only_the_allowed_tags_and_attributes(text):
    for tag, attrs in Tags(str(prose(text))).tags:
        assert tag in ALLOWED_TAGS or (tag == "div" and attrs == [("class", "gk-prose")]), tag
        for name, value in attrs:
            if tag == "div":
                continue
            assert name in ALLOWED_ATTRIBUTES.get(tag, set()) | {"rel"}, (tag, name)
            if name == "href":
                assert not re.sub(r"[\s\x00-\x1f]", "", value).lower().startswith(("javascript:", "data:", "vbscript:"))
