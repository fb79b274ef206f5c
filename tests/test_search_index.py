"""The search index (generator/build/search.py), read back as gongkai-search.js reads it: table rows
as records with their columns' names, the two posting lists and the context ranges of each token,
the escaped numbers, and the traditional → simplified fold that both sides apply."""

from __future__ import annotations

import gzip
import json
import re
import struct
import unicodedata
from array import array
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from generator.build import search
from generator.build.search import (
    DEFINITION,
    IN_BODY,
    IN_HEADING,
    IN_LABEL,
    PAGE,
    ROW,
    Facets,
    IndexPart,
    Record,
    column_names,
    escaped,
    page_records,
    shard_of,
    table_rows,
    write_index,
)

from helpers import ROOT
from sitetools import WANGCHENG, page_html

# ---- a reader of the index, written from write_index's docstring as the browser's is ----


def unescaped(data: bytes, escapes: list[int]) -> list[int]:
    return [escapes.pop(0) if byte == 255 else byte for byte in data]


def read_token(folder: Path, token: str) -> dict | None:
    """A token's postings as gongkai-search.js decodes them: {record: (flags, title length,
    places)} and the context ranges [(start, end), …]; None when the index does not know it."""
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    data = gzip.decompress((folder / "t" / f"{shard_of(token, meta['shards'])}.bin").read_bytes())
    at = 0
    while at < len(data):
        (length,) = struct.unpack_from("<H", data, at)
        name = data[at + 2 : at + 2 + length].decode("utf-8")
        body, titled, places, ranges, escapes = struct.unpack_from("<5I", data, at + 2 + length)
        at += 22 + length
        size = 2 * body + 4 * titled + places + 2 * ranges + 4 * escapes
        if name != token:
            at += size
            continue
        parts, start = [], at
        for width in (body, body, titled, titled, titled, titled, places, 2 * ranges):
            parts.append(data[start : start + width])
            start += width
        escaped_numbers = list(struct.unpack_from(f"<{escapes}I", data, start))
        body_gaps, body_flags, title_gaps, title_flags, lengths, counts, place_bytes, steps = parts
        found, record = {}, 0
        for gap, flags in zip(unescaped(body_gaps, escaped_numbers), body_flags, strict=True):
            record += gap
            found[record] = (flags, 0, ())
        record, offset = 0, 0
        for gap, flags, title_length, count in zip(
            unescaped(title_gaps, escaped_numbers), title_flags, lengths, counts, strict=True
        ):
            record += gap
            found[record] = (flags, title_length, tuple(place_bytes[offset : offset + count]))
            offset += count
        bounds, value = [], 0
        for step in unescaped(steps, escaped_numbers):
            value += step
            bounds.append(value)
        assert not escaped_numbers  # every escape was taken, in order
        return {"postings": found, "ranges": list(zip(bounds[::2], bounds[1::2], strict=True))}
    return None


def read_fold(folder: Path) -> dict[str, str]:
    """fold.bin as the browser decodes it."""
    data = gzip.decompress((folder / "fold.bin").read_bytes())
    (count,) = struct.unpack_from("<I", data)
    at, code, sources = 4, 0, []
    for _ in range(count):
        gap, shift = 0, 0
        while True:
            byte = data[at]
            at += 1
            gap |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        code += gap
        sources.append(chr(code))
    targets = struct.unpack_from(f"<{count}H", data, at)
    return {source: chr(0x4E00 + target) for source, target in zip(sources, targets, strict=True)}


# ---- tables: rows as records ----

THEAD = (
    '<tr><th scope="colgroup" colspan="2">项目</th><th scope="colgroup" colspan="2">预算数</th>'
    '<th scope="colgroup" colspan="2">决算数</th></tr>'
    '<tr><th scope="col">科目编码</th><th scope="col">科目名称</th>'
    '<th scope="col">合计</th><th scope="col"><a class="gk-term" href="#t">公务接待费</a></th>'
    '<th scope="col">合计</th><th scope="col">公务接待费</th></tr>'
    '<tr class="gk-colno"><td>栏次</td><td></td><td>1</td><td>2</td><td>3</td><td>4</td></tr>'
)
TBODY = (
    '<tr id="表-r0"><th scope="row" colspan="2" class="gk-total">合计</th>\n'
    '<td class="gk-num">3.00</td>\n<td class="gk-num">1.00</td>\n<td class="gk-num">2.50</td>\n'
    '<td class="gk-num">0.50</td></tr>\n'
    '<tr id="表-2101301"><td class="gk-code">2101301</td>\n<th scope="row" class="gk-item">城乡医疗救助</th>\n'
    '<td class="gk-num">2,930.72</td>\n<td class="gk-num"></td>\n<td class="gk-line">7</td>\n'
    '<td class="gk-num">1.00</td></tr>\n<tr id="表-r2"><td></td><td></td></tr>\n'
)


def test_a_column_is_named_by_its_header_and_the_group_that_tells_it_apart():
    assert column_names(THEAD) == [
        "科目编码",
        "科目名称",
        "预算数·合计",
        "预算数·公务接待费",
        "决算数·合计",
        "决算数·公务接待费",
    ]


def test_a_row_is_its_names_and_its_figures_each_with_its_column():
    rows = table_rows(THEAD, TBODY)
    assert rows == [
        (
            "表-r0",
            "合计",
            "3.00 1.00 2.50 0.50",
            [
                [
                    "合计",
                    [
                        ["预算数·合计", "3.00"],
                        ["预算数·公务接待费", "1.00"],
                        ["决算数·合计", "2.50"],
                        ["决算数·公务接待费", "0.50"],
                    ],
                ]
            ],
        ),
        # the code and the name are the row's names; an empty cell and the 行次 are no figures
        (
            "表-2101301",
            "2101301 城乡医疗救助",
            "2,930.72 1.00",
            [["2101301 城乡医疗救助", [["预算数·合计", "2,930.72"], ["决算数·公务接待费", "1.00"]]]],
        ),
    ]


def test_each_row_of_a_printed_form_is_a_record_that_opens_the_row(real_site):
    url = f"{WANGCHENG}/part2/"
    records = {r.url: r for r in page_records(page_html(real_site, url), url, Facets("望城"))}
    section, total = records[f"{url}#gk01"], records[f"{url}#公开01表-r26"]
    assert "收入支出决算总表" in section.text and "29,527.51" not in section.text  # the rows have the figures
    assert total.title == section.title and total.label == "本年收入合计 本年支出合计"
    assert total.cells == [
        ["本年收入合计", [["收入·金额", "29,527.51"]]],
        ["本年支出合计", [["支出·金额", "29,525.64"]]],
    ]
    code = records[f"{url}#公开03表-2101301"]
    assert code.label == "2101301 城乡医疗救助" and ["本年支出合计", "2,930.72"] in code.cells[0][1]
    ids = set(re.findall(r'<tr id="([^"]+)"', page_html(real_site, url)))
    rows = [r for r in records.values() if r.cells]
    assert len(rows) > 150 and {r.url.split("#")[1] for r in rows} <= ids  # every row record opens a row


def test_a_chart_s_table_of_figures_is_not_searched_the_document_s_tables_are(real_site):
    url = f"{WANGCHENG}/"
    charts = next(r for r in page_records(page_html(real_site, url), url, Facets()) if r.url.endswith("#tubiao"))
    assert "本年收入合计29,527.51万元" in charts.text  # the chart's sentence stays
    assert "占本年收入合计" not in charts.text  # the column of its table of figures does not


# ---- the index, written and read back ----


def records_of_a_bureau(bureau: str, count: int) -> list[Record]:
    facets = Facets(bureau, "湖南省", "2020", "部门决算")
    out = [Record("b/d/", "部门决算", "部门决算", "部门概况", facets)]
    for n in range(count):
        out.append(
            Record(f"b/d/p/#s{n}", "第三部分 情况说明", f"{n}、三公经费支出情况", "公务接待费 12.00 万元", facets)
        )
    out.append(Record("b/d/p/#term-三公经费", "第三部分 情况说明", "三公经费", "指因公出国（境）费……", facets))
    out.append(
        Record(
            "b/d/t/#表-r0", "第二部分", "公开07表", "2.29", facets, "公务接待费", [["公务接待费", [["决算数", "2.29"]]]]
        )
    )
    return out


def test_postings_say_where_a_token_is_and_what_the_record_is_across_joined_parts(tmp_path):
    first, second = IndexPart(), IndexPart()
    for record in records_of_a_bureau("长沙市望城区医疗保障局", 300):  # gaps past 255 escape
        first.add(record)
    first.pad_to(8)
    for record in records_of_a_bureau("武汉市东西湖区医疗保障局", 2):
        second.add(record)
    joined = IndexPart()
    joined.absorb(first)
    joined.absorb(second)
    write_index(joined, [("a", 304), ("b", 5)], tmp_path)
    assert json.loads((tmp_path / "meta.json").read_text(encoding="utf-8"))["version"] == search.FORMAT_VERSION
    second_start = 304  # the second part's records come after the first's, padded to a chunk

    gongwu = read_token(tmp_path, "公务")["postings"]
    assert gongwu[1] == (IN_BODY, 0, ())  # in a section's body only
    assert gongwu[302] == (ROW | IN_LABEL, 5, (0,))  # a row's names: 公务接待费, 公务 at 0
    assert gongwu[second_start + 4] == (ROW | IN_LABEL, 5, (0,))
    sangong = read_token(tmp_path, "三公")["postings"]
    assert sangong[1] == (IN_HEADING, 10, (2,))  # 0、三公经费支出情况: the heading, 三公 at 2
    assert sangong[250] == (IN_HEADING, 12, (4,))  # 249、三公经费支出情况
    assert sangong[301] == (DEFINITION | IN_HEADING, 4, (0,))
    assert read_token(tmp_path, "部门")["postings"][0] == (PAGE | IN_HEADING | IN_BODY, 4, (0,))  # 部门概况 too
    assert 303 not in sangong and second_start + 3 in sangong  # padding; the second bureau's definition
    # contexts: a bureau's name names its records, a page's title those below its top, a table's its rows
    assert read_token(tmp_path, "望城")["ranges"] == [(0, 303)]
    assert read_token(tmp_path, "西湖")["ranges"] == [(second_start, second_start + 5)]
    assert read_token(tmp_path, "情况")["ranges"] == [(1, 302), (second_start + 1, second_start + 4)]
    assert read_token(tmp_path, "07")["ranges"] == [(302, 303), (second_start + 4, second_start + 5)]
    assert read_token(tmp_path, "没有的词") is None


@given(st.lists(st.one_of(st.integers(0, 300), st.integers(0, 2**32 - 1)), max_size=600))
def test_escaped_numbers_read_back_as_they_were(numbers):
    data, escapes = escaped(array("I", numbers))
    assert unescaped(data, list(escapes)) == numbers


# ---- traditional characters ----

FOLDING = ROOT / "generator" / "build" / "opencc" / "TSCharacters.txt"


def test_the_folding_table_is_opencc_s_for_the_unified_ideographs():
    pairs = [line for line in FOLDING.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    assert len(pairs) == len(search.FOLD) == 2853
    assert all(len(p) == 2 and p[0] != p[1] and all("\u4e00" <= c <= "\u9fff" for c in p) for p in pairs)
    assert "OpenCC" in FOLDING.read_text(encoding="utf-8")[:400]
    assert "Apache License" in (FOLDING.parent / "LICENSE").read_text(encoding="utf-8")


def test_traditional_characters_are_indexed_and_searched_as_simplified_ones():
    assert search.tokens("醫療救助") == search.tokens("医疗救助") == {"医疗", "疗救", "救助"}
    assert search.normalize("機關運行經費 29,455.67") == "机关运行经费 29455.67"
    # a compatibility ideograph is a traditional one after NFKC, then simplified
    assert search.normalize("\uf900") == search.FOLD[ord(unicodedata.normalize("NFKC", "\uf900"))]


def test_the_browser_gets_the_pairs_whose_simplified_character_the_index_has(real_site):
    fold = read_fold(real_site / "search" / "data")
    assert fold["醫"] == "医" and fold["療"] == "疗" and fold["經"] == "经"
    assert all(search.FOLD[ord(source)] == target for source, target in fold.items())
    assert 200 < len(fold) < len(search.FOLD)  # only what can find something
    assert (real_site / "search" / "data" / "fold.bin").stat().st_size < 4000
