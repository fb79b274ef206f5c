"""Rendering: printed forms as HTML tables, prose as safe HTML, headings and links that stay literal."""

import re
from html.parser import HTMLParser

from generator.core.headers import header_rows
from generator.load.loader import load_site
from generator.render.pages import md_escape
from generator.render.prose import TermLink, prose
from generator.render.tables import render_form_table, render_free_table

from helpers import MINIMAL_DOCUMENT, load_document, write_document


class Grid(HTMLParser):
    """Parse a rendered table into rows of (tag, text, colspan, rowspan)."""

    def __init__(self):
        super().__init__()
        self.rows, self.cell = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = [tag, "", int(attrs.get("colspan", 1)), int(attrs.get("rowspan", 1))]

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(tuple(self.cell))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[1] += data


def grid_of(html) -> list[list[tuple]]:
    parser = Grid()
    parser.feed(str(html))
    return parser.rows


def width(row) -> int:
    return sum(cell[2] for cell in row)


def test_sangong_header_nests_three_levels(data_dir):
    site, _ = load_site(data_dir)
    form = site.form_sets["hunan-juesuan-2020"].forms["公开07表"]
    rows = header_rows(form.columns)
    assert [(label, colspan, rowspan) for label, colspan, rowspan, _ in rows[0]] == [("预算数", 6, 1), ("决算数", 6, 1)]
    assert [(label, colspan, rowspan) for label, colspan, rowspan, _ in rows[1][:4]] == [
        ("合计", 1, 2),
        ("因公出国(境)费", 1, 2),
        ("公务用车购置及运行费", 3, 1),
        ("公务接待费", 1, 2),
    ]
    assert [label for label, *_ in rows[2]] == ["小计", "公务用车购置费", "公务用车运行费"] * 2


def test_two_sided_table_pairs_income_and_expense_rows(data_dir):
    doc = load_document(
        data_dir,
        MINIMAL_DOCUMENT
        + """\
      - title: 一、收入支出决算总表
        table:
          form: 公开01表
          values:
            收入:
              一般公共预算财政拨款收入: 29455.67
              总计: 29531.77
            支出:
              卫生健康支出: 29354.30
              总计: 29531.77
""",
    )
    html = render_form_table(doc.parts[1].sections[1].table, "测试局")
    rows = grid_of(html)
    header, body = rows[:3], rows[3:]
    assert [c[1] for c in header[0]] == ["收入", "支出"]
    assert [c[1] for c in header[2]] == ["栏次", "", "1", "栏次", "", "2"]
    assert len(body) == 31 and all(width(r) == 6 for r in body)
    assert [c[1] for c in body[0]] == [
        "一、一般公共预算财政拨款收入",
        "1",
        "29,455.67",
        "一、一般公共服务支出",
        "32",
        "",
    ]
    assert [c[1] for c in body[8]] == ["", "9", "", "九、卫生健康支出", "40", "29,354.30"]
    assert [c[1] for c in body[-1]] == ["总计", "31", "29,531.77", "总计", "62", "29,531.77"]
    assert "部门：测试局" in html and "金额单位：万元" in html


def test_summary_row_spans_code_and_name_and_levels_indent(data_dir):
    doc = load_document(
        data_dir,
        MINIMAL_DOCUMENT.replace(
            '            - {科目编码: "208"',
            '            - {科目编码: "20805", 科目名称: 行政事业单位养老支出, 本年收入合计: 54.40}\n'
            '            - {科目编码: "2080505", 科目名称: 机关事业单位基本养老保险缴费支出, 本年收入合计: 40.18}\n'
            '            - {科目编码: "208"',
        ),
    )
    html = str(render_form_table(doc.parts[1].sections[0].table, "测试局"))
    body = grid_of(html)[3:]
    assert body[0][0] == ("th", "合计", 2, 1)
    assert all(width(r) == 9 for r in body)
    assert 'class="gk-item gk-indent1">行政事业单位养老支出' in html
    assert 'class="gk-item gk-indent2">机关事业单位基本养老保险缴费支出' in html


class Heads(HTMLParser):
    """Each body row of a rendered table as (its row header's id, the headers= of each td right of it)."""

    def __init__(self):
        super().__init__()
        self.ids, self.rows, self.body = set(), [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "tbody":
            self.body = True
        elif tag == "tr" and self.body:
            self.rows.append([None, []])
        elif tag == "th" and self.body and attrs.get("scope") == "row":
            self.rows[-1][0] = attrs.get("id")
        elif tag == "td" and self.body and self.rows[-1][0]:
            self.rows[-1][1].append(attrs.get("headers"))


def test_cells_of_a_form_with_groups_of_columns_name_their_headers_and_row(data_dir):
    rows = """\
          form: 公开05表
          rows:
            - {科目名称: 合计, 合计: 55.11, 基本支出: 50.00, 项目支出: 5.11}
            - {科目编码: "208", 科目名称: 社会保障和就业支出, 合计: 55.11, 基本支出: 50.00}
"""
    text = MINIMAL_DOCUMENT[: MINIMAL_DOCUMENT.index("          form: 公开02表")] + rows
    table = load_document(data_dir, text).parts[1].sections[0].table
    parser = Heads()
    parser.feed(str(render_form_table(table, "测试局")))
    rows = [(head, [h.split() for h in heads if h]) for head, heads in parser.rows if head]
    total, normal = rows[0], rows[1]  # 合计 spans 科目编码 and 科目名称; the next row has both
    assert total[0] == f"{table.anchor}r0" and normal[0] == f"{table.anchor}r1c1"
    for head, named in rows:
        assert named and all(ids[-1] == head and len(ids) > 2 for ids in named)
        assert all(i in parser.ids for ids in named for i in ids)
    # the same columns as the next row's: a cell right of the spanning 合计 is not shifted by one
    assert [ids[:-1] for ids in total[1]] == [ids[:-1] for ids in normal[1]]


def test_cells_and_titles_are_escaped(data_dir):
    doc = load_document(
        data_dir,
        MINIMAL_DOCUMENT.replace("科目名称: 社会保障和就业支出", "科目名称: '<script>alert(1)</script> | a * b'"),
    )
    html = str(render_form_table(doc.parts[1].sections[0].table, "<b>局</b>"))
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; | a * b" in html
    assert "部门：&lt;b&gt;局&lt;/b&gt;" in html


def test_free_table_keeps_spans_and_line_breaks(data_dir):
    doc = load_document(
        data_dir,
        MINIMAL_DOCUMENT
        + """\
  - title: 第五部分 附件
    attachments:
      - id: bg
        title: 报告
        sections:
          - title: 自评表
            table:
              id: zpb
              title: 自评表
              grid:
                - [{text: 一级指标, header: true}, {text: "产出\\n指标", rowspan: 2}, "10"]
                - ["<i>x</i>", "89.00"]
""",
    )
    html = str(render_free_table(doc.parts[2].attachments[0].sections[0].table))
    rows = grid_of(html)
    assert rows[0][0] == ("th", "一级指标", 1, 1) and rows[0][1] == ("td", "产出指标", 1, 2)
    assert "产出<br>指标" in html and "&lt;i&gt;x&lt;/i&gt;" in html and ">89.00<" in html


def test_prose_shows_typed_html_as_text_and_drops_script_links():
    html = str(prose("说明 <img src=x onerror=alert(1)> [链接](javascript:alert(1)) {{ 7*7 }}"))
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "javascript:" not in html and "{{ 7*7 }}" in html


def test_first_use_of_a_term_is_linked_with_its_definition():
    links = {"基本支出": TermLink("基本支出", '人员支出和"公用"支出', "../part4/#term-基本支出")}
    html = str(prose("基本支出1006.78万元，其中基本支出……", links))
    assert html.count('class="gk-term"') == 1
    assert 'href="../part4/#term-基本支出"' in html and 'title="人员支出和&#34;公用&#34;支出"' in html


def test_markdown_metacharacters_in_titles_stay_literal():
    escaped = str(md_escape("一、[附件] *重要* <b> #1 | {#x}"))
    assert "<b>" not in escaped
    assert re.sub(r"\\(.)", r"\1", escaped) == "一、[附件] *重要* &lt;b&gt; #1 | {#x}"


def test_template_syntax_in_data_is_never_evaluated(data_dir, tmp_path):
    from generator.render.pages import all_pages

    doc = MINIMAL_DOCUMENT.replace("title: 一、部门职责", "title: '一、{{ 7*7 }} {% raw %} ${x}'").replace(
        "body: 负责医疗保障。", "body: '{{ 7*7 }} <script>alert(1)</script>'"
    )
    write_document(data_dir, doc)
    site, problems = load_site(data_dir)
    assert not problems.items
    page = next(p for p in all_pages(site, tmp_path) if p.src.endswith("part1.md")).whole
    assert "49" not in page
    assert '一、{{ 7*7 }} {% raw %} ${x}<a class="headerlink"' in page  # the heading, as typed
    assert "<p>{{ 7*7 }} &lt;script&gt;alert(1)&lt;/script&gt;</p>" in page


def test_escaping_text_once_per_string_keeps_markup_and_escapes_everything_else():
    from markupsafe import Markup

    from generator.render.escaping import escape

    assert escape("<b>&\"'") == "&lt;b&gt;&amp;&#34;&#39;" and escape("<b>&\"'") == escape("<b>&\"'")
    assert escape(Markup("<b>ok</b>")) == "<b>ok</b>"  # HTML already: not escaped again
    assert escape(Markup("<b>")) != escape("<b>")  # equal strings, but one is HTML: not confused by the cache
    assert escape(42) == "42" and isinstance(escape("x"), Markup)


def test_a_region_name_is_a_safe_folder_name():
    from generator.core.urls import path_part, region_src

    assert region_src("湖南省", "长沙市") == "diqu/湖南省/长沙市/index.md"
    assert path_part("..") == "-" and path_part(".hidden") == "-hidden" and path_part("a/b c#d") == "a-b-c-d"
    assert path_part("  ") == "-"
