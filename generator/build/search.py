"""Build stage, search: a static index of the built pages, read a few small files at a time.

A reader's browser must not download an index that grows with the province (Material's lunr index
was 40 MB at 200 documents; Pagefind's indexer needed 4.7 GB of memory at 2,000). So:

* Every section of a page (the text under a heading with an id) is a *record*; its text is what
  the reader sees there, taken from the built HTML, so the index holds exactly what the pages say.
* Chinese is indexed by overlapping character pairs (三公经费 → 三公 公经 经费), the classic way to
  search CJK text without a dictionary: any query of two or more characters finds every text that
  contains it, glossary phrases included, and nothing is split wrongly. Numbers and 科目编码 are
  whole tokens (29,455.67 and 29455.67 are the same token).
* Postings (which records hold a token: in the text, and in the heading, with the heading's length)
  are gap-coded 32-bit integers, gzip-compressed, in shards chosen by a hash of the token: a query fetches one small
  shard per token. Record texts for the result list are in chunks of CHUNK records; the region,
  year and kind of every record (for the filters) in one small file fetched only when a filter is
  used. The browser side is site_overrides/assets/gongkai-search.js; both sides tokenize alike.

Records get their numbers batch by batch (see batches.py), so the index is built in parts, one
per batch of bureaus, each in its own process, and joined by offsetting the numbers.

Where a built page's text is, inside Material's frame, is theme.py's to know (article()): a page
without that article, or whose article gives no text, stops the build rather than leaving the
page out of the index unnoticed.
"""

from __future__ import annotations

import functools
import gzip
import html
import json
import re
import struct
import unicodedata
from array import array
from collections import defaultdict, deque
from dataclasses import dataclass, field
from itertools import chain, repeat
from itertools import compress as compress_items
from operator import itemgetter, sub
from pathlib import Path

from ..core import urls
from .theme import ARTICLE_START, ThemeError, article

INDEX_DIR = "search/data"  # under the site; no leading underscore: some static hosts hide those
CHUNK = 8  # records per text chunk: a result page fetches at most ten chunks
FORMAT_VERSION = 2
FACETS = ("地区", "年度", "类型")
NONE = 255  # facet value of a record that has none (the glossary has no region)


_QUOTE_MARKS = "\"'“”‘’「」『』《》〈〉＂＇"


def _role(text: str) -> str:
    """What characters do in tokens(): make tokens, group thousands, vanish (quotes) or separate."""
    if len(text) > 1 and text == "." * len(text):
        return "separator"  # … and ‥: a full stop joins numbers only between two digits
    roles = {
        "token"
        if re.match("[0-9a-z.\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]", c.lower())
        else "comma"
        if c in ",，"
        else "quote"
        if c in _QUOTE_MARKS
        else "separator"
        for c in text
    }
    return roles.pop() if len(roles) == 1 else "mixed"


def _same_without_nfkc(c: str) -> bool:
    """Whether NFKC may be skipped for *c*: it leaves *c* alone whatever surrounds it (no
    decomposition, not a mark that joins the character before), or turns a character that is not
    part of a token into others that play the same part (，→, ！→! — but not ．→. nor 〸→十)."""
    folded = unicodedata.normalize("NFKC", c)
    if folded == c:
        return not unicodedata.decomposition(c) and unicodedata.category(c)[0] not in "MC"
    return _role(c) != "token" and _role(folded) == _role(c)


def _ranges(chars: list[str]) -> str:
    out, i = [], 0
    while i < len(chars):
        j = i
        while j + 1 < len(chars) and ord(chars[j + 1]) == ord(chars[j]) + 1:
            j += 1
        out.append(re.escape(chars[i]) + ("-" + re.escape(chars[j]) if j > i else ""))
        i = j + 1
    return "".join(out)


# Characters NFKC leaves alone or turns into others that tokenize alike: ASCII, the Chinese of
# forms and prose (CJK ideographs are their own NFKC), and the punctuation and symbols of Latin,
# general, mathematical and Chinese and full-width blocks that pass _same_without_nfkc.
_NEEDS_NFKC = re.compile(
    "[^\x00-\x7f\u3400-\u4dbf\u4e00-\u9fff"
    + _ranges(
        [
            chr(code)
            for first, last in ((0x80, 0x24F), (0x2000, 0x2BFF), (0x3000, 0x303F), (0xFF00, 0xFFEF))
            for code in range(first, last + 1)
            if _same_without_nfkc(chr(code))
        ]
    )
    + "]"
)
_QUOTES = re.compile(f"[{_QUOTE_MARKS}]")
# The patterns below start with a character (class), never a repeat or a lookbehind: Python's re
# then skips ahead to where a match can begin instead of trying every position (`[,，](?<=\d[,，])`
# rather than `(?<=\d)[,，]`, `[0-9a-z][0-9a-z]*` rather than `[0-9a-z]+`: the same matches in 40 %
# (thousands), 70 % (words) and 90 % (Chinese runs) of the time).
_THOUSANDS = re.compile(r"[,，](?<=\d[,，])(?=\d{3}(?!\d))")
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RUN = re.compile(f"[{_CJK}][{_CJK}]*")
_WORD = re.compile(r"[0-9a-z][0-9a-z]*(?:\.[0-9]+)*")
# a|abbr|b|code|em|i|mark|small|span|strong|sub|sup, spelt as a tree: fewer tries at each tag
_INLINE_TAG = re.compile(r"</?(?:a(?:bbr)?|b|code|em|i|mark|s(?:mall|pan|trong|u[bp]))\b[^>]*>")
_TAGS = re.compile(r"<[^>]*>(?:\s*<[^>]*>)*")  # tags in a row, with the spaces between them
_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.S)
_HEADING = re.compile(r'<h([2-6])\b[^>]*\bid="([^"]+)"[^>]*>(.*?)</h\1>', re.S)
_NOT_TEXT = re.compile(
    r'<nav class="gk-crumbs".*?</nav>|<a class="(?:headerlink|gk-permalink)"[^>]*>.*?</a>|<script\b.*?</script>'
    r"|<style\b.*?</style>"
    # download links (render/download_links.py): under every table, the same words would match every table
    r'|<p class="gk-downloads">.*?</p>|<section class="gk-downloads">.*?</section>'
    # a chart's table of its figures (render/charts_html.py): the figures of the document's own
    # tables again, which made the 图表 section a hit for every figure, ahead of the tables
    r'|<table class="gk-form gk-chart-table">.*?</table>',
    re.S,
)


def searchable(src: str) -> bool:
    """Pages the search index takes in: not the directories of the home page and the cities, the
    数据核对 lists (every figure again, in check results, which crowded out the tables themselves),
    a document's one-page text (its parts again, each of which is indexed) nor the search page."""
    return not (
        src.endswith(("/checks.md", "/" + urls.FULL_TEXT))
        or src in ("index.md", "search.md")
        or src.startswith("diqu/")
    )


def _read_fold(path: Path) -> dict[int, str]:
    """opencc/TSCharacters.txt: a traditional character and its simplified one on each line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return {ord(line[0]): line[1] for line in lines if len(line) == 2 and not line.startswith("#")}


# Traditional characters → simplified (醫療 → 医疗), on both sides: the index's text and the
# query. Only texts that hold one pass through str.translate (most hold none).
FOLD = _read_fold(Path(__file__).with_name("opencc") / "TSCharacters.txt")
_TRADITIONAL = re.compile("[" + _ranges(sorted(map(chr, FOLD))) + "]")


def normalize(text: str) -> str:
    """What both sides index and search: full-width forms folded, lower case, no quote marks,
    traditional characters as simplified ones, no thousands separators (“三公”经费 reads 三公经费,
    醫療 reads 医疗, 29,455.67 reads 29455.67).

    The browser folds with NFKC. Here NFKC runs only on text with a character it might turn into
    part of a token (full-width digits and letters, m², compatibility ideographs): Chinese text is
    full of full-width punctuation, and folding it all took a third of the index's time for
    nothing, since punctuation separates tokens either way.
    """
    if _NEEDS_NFKC.search(text):
        text = unicodedata.normalize("NFKC", text)
    text = _QUOTES.sub("", text.lower())
    if _TRADITIONAL.search(text):
        text = text.translate(FOLD)
    return _THOUSANDS.sub("", text) if "," in text or "，" in text else text


# Runs remembered by _PAIRS and _PLACED before they start again. A run costs about 1.3 KB
# remembered (its pairs, each its own string); 200,000 made each memo up to a quarter of a gigabyte
# in every worker of a province's build, where the prose of each document is its own. The forms'
# labels, which repeat, are a few thousand runs: tokenizing 6,000 pages twice took 15.0 s with
# 20,000 and 15.5 s with 200,000 (no run was dropped in either), 26.4 s with 2,000.
RUNS_REMEMBERED = 20_000


class _PairsOfRuns(dict):
    """A run of Chinese characters → its character pairs, worked out once: forms repeat the same
    labels in every document. A dict subclass so that looking runs up stays in C (map, update)."""

    def __missing__(self, run: str) -> frozenset[str]:
        found = frozenset([run]) if len(run) == 1 else frozenset(run[i : i + 2] for i in range(len(run) - 1))
        if len(self) > RUNS_REMEMBERED:
            self.clear()
        self[run] = found
        return found


class _PlacedPairsOfRuns(dict):
    """A run of Chinese characters → its tokens with where each starts in the run, worked out once."""

    def __missing__(self, run: str) -> tuple[tuple[str, int], ...]:
        found = ((run, 0),) if len(run) == 1 else tuple((run[i : i + 2], i) for i in range(len(run) - 1))
        if len(self) > RUNS_REMEMBERED:
            self.clear()
        self[run] = found
        return found


_PAIRS = _PairsOfRuns()
_PLACED = _PlacedPairsOfRuns()


def tokens(text: str) -> set[str]:
    """The tokens of *text*: Chinese character pairs (a lone character stands for itself), words and numbers."""
    return _tokens_of_normalized(normalize(text))


def _tokens_of_normalized(text: str) -> set[str]:
    """tokens() of a text normalize() has already folded."""
    found: set[str] = set(_WORD.findall(text))
    found.update(*map(_PAIRS.__getitem__, set(_CJK_RUN.findall(text))))
    return found


def plain_text(fragment: str) -> str:
    # Inline markup (a glossary term's link) is part of the words around it; other tags separate words.
    # split() and join() put one space for each run of white space, and none at the ends, as
    # re.sub(r"\s+", " ", …).strip() did (both take white space to be what str.isspace() says) in
    # 40 % of the time.
    return " ".join(html.unescape(_TAGS.sub(" ", _INLINE_TAG.sub("", fragment))).split())


@dataclass(frozen=True)
class Facets:
    """Where a page belongs, for the result line and the filters; empty where it has none."""

    bureau: str = ""
    region: str = ""
    year: str = ""
    kind: str = ""


@dataclass
class Record:
    url: str  # from the site root, with the heading's (or the table row's) anchor
    page: str  # the page's title
    title: str  # the heading's text (the page's title for the text above the first heading; a
    # row's: its table's section)
    text: str = ""  # what the section says; a row: its figures and other values
    facets: Facets = Facets()
    label: str = ""  # a row: its names (科目编码 and 科目名称, or the printed label), panel by panel
    # a row: per panel, its label and its cells with the names of their columns, for the excerpt:
    # [[label, [[column, value], …]], …]
    cells: list = field(default_factory=list)


# A printed form's table (render/tables.py): its header, and its body's rows, each of which is a
# record of its own (a search hit on a figure, a code or a row's name opens the table at the row).
_FORM_TABLE = '<table class="gk-form" id="'
_ROW = re.compile(r'<tr(?: id="([^"]*)")?([^>]*)>(.*?)</tr>', re.S)
_CELL = re.compile(r"<(t[hd])\b([^>]*)>(.*?)</t[hd]>", re.S)
_SPAN = re.compile(r'\b(col|row)span="(\d+)"')


def column_names(thead: str) -> list[str]:
    """The name of each column of a table's body: its header with as many of the groups above it
    as tell it from the other columns (决算数·公务接待费 beside 预算数·公务接待费, but 基本支出)."""
    paths: defaultdict[int, list[str]] = defaultdict(list)
    covered: set[tuple[int, int]] = set()  # (header row, column) taken by a cell from a row above
    for number, row in enumerate(r for r in _ROW.finditer(thead) if "gk-colno" not in r.group(2)):
        column = 0
        for cell in _CELL.finditer(row.group(3)):
            while (number, column) in covered:
                column += 1
            spans = {kind: int(count) for kind, count in _SPAN.findall(cell.group(2))}
            label = plain_text(cell.group(3))
            for spanned in range(column, column + spans.get("col", 1)):
                paths[spanned].append(label)
                covered.update((below, spanned) for below in range(number + 1, number + spans.get("row", 1)))
            column += spans.get("col", 1)
    full = [paths[c] for c in range(max(paths) + 1)] if paths else []
    # the header alone, else with the one group (the outermost first) that tells it apart
    leaves = [tuple(path[-1:]) for path in full]
    names = []
    for path, leaf in zip(full, leaves, strict=True):
        choices = [leaf] + [(group, *leaf) for group in path[:-1]]
        named = [
            n
            for n in choices
            if sum(n[-1:] == other[-1:] and set(n) <= set(o) for other, o in zip(leaves, full, strict=True)) == 1
        ]
        names.append("·".join(named[0] if named else path))
    return names


# A form's header is the same in every document that prints it: its columns' names are worked out once.
_column_names = functools.lru_cache(maxsize=1024)(column_names)


def _cell_text(inner: str) -> str:
    # Most cells are a figure, with no markup or entity to read: plain_text only for the others.
    return inner.strip() if "<" not in inner and "&" not in inner else plain_text(inner)


def _between(text: str, start: str, end: str, at: int = 0) -> tuple[int, int]:
    """Where the text between *start* and the next *end* lies ((-1, -1): not there). The tables
    are written by render/tables.py, so plain find() is enough, and much quicker than a lazy
    pattern that tries every character of a long table."""
    begin = text.find(start, at)
    if begin < 0:
        return -1, -1
    begin += len(start)
    return begin, text.find(end, begin)


def table_rows(head: str, body: str) -> list[tuple[str, str, str, list]]:
    """The rows of a printed form's table (its thead's and tbody's HTML): (id, names, figures,
    panels) for each row that holds anything; panels as Record.cells. 行次 are left out: a
    number of the form, not of the row."""
    names = _column_names(head)
    rows = []
    for row_id, _, content in _ROW.findall(body):
        panels: list[list] = []
        code_open = False  # a 科目编码 was read; its 科目名称 follows in the next cell
        column = 0
        for tag, attributes, inner in _CELL.findall(content):
            if tag == "th":
                text = _cell_text(inner)
                if code_open:
                    panels[-1][0] = f"{panels[-1][0]} {text}".strip()
                else:
                    panels.append([text, []])
                code_open = False
            elif 'class="gk-code"' in attributes:
                panels.append([_cell_text(inner), []])
                code_open = True
            elif inner and 'class="gk-line"' not in attributes:
                if not panels:
                    panels.append(["", []])
                panels[-1][1].append([names[column] if column < len(names) else "", _cell_text(inner)])
                code_open = False
            spanned = _SPAN.search(attributes) if "colspan" in attributes else None
            column += int(spanned.group(2)) if spanned and spanned.group(1) == "col" else 1
        panels = [p for p in panels if p[0] or p[1]]
        if panels:
            label = " ".join(p[0] for p in panels if p[0])
            figures = " ".join(value for p in panels for _, value in p[1])
            rows.append((row_id, label, figures, panels))
    return rows


def page_records(page_html: str, url: str, facets: Facets) -> list[Record]:
    """The sections of a built page: the text under each heading with an id, up to the next one,
    and after a section each row of its printed forms' tables (the section keeps the tables'
    captions, headers and notes).

    The text above the page's first section belongs to the page itself (its title, no anchor).
    A ThemeError names the page when its article (theme.article) is missing or gives no text.
    """
    content = _NOT_TEXT.sub(" ", article(page_html, f"页面 {url} "))
    h1 = _H1.search(content)
    page_title = plain_text(h1.group(1)) if h1 else ""
    sections: list[tuple[Record, list[Record]]] = []

    def section(anchor: str, title: str, fragment: str) -> None:
        rows = []
        start = fragment.find(_FORM_TABLE)
        while start >= 0:
            table_id = fragment[start + len(_FORM_TABLE) : fragment.find('"', start + len(_FORM_TABLE))]
            head_start, head_end = _between(fragment, "<thead>", "</thead>", start)
            body_start, body_end = _between(fragment, "<tbody>", "</tbody>", head_end)
            if min(head_end, body_end) < 0:
                break
            for row_id, label, figures, panels in table_rows(
                fragment[head_start:head_end], fragment[body_start:body_end]
            ):
                rows.append(Record(f"{url}#{row_id or table_id}", page_title, title, figures, facets, label, panels))
            # the section keeps the rest of the table (caption, header, notes), not its rows
            fragment = fragment[:body_start] + fragment[body_end:]
            start = fragment.find(_FORM_TABLE, body_start)
        record = Record(url + (f"#{anchor}" if anchor else ""), page_title, title, plain_text(fragment), facets)
        sections.append((record, rows))

    anchor, title, position = "", page_title, h1.end() if h1 else 0
    for heading in _HEADING.finditer(content, position):
        section(anchor, title, content[position : heading.start()])
        anchor, title, position = heading.group(2), plain_text(heading.group(3)), heading.end()
    section(anchor, title, content[position:])
    # The page's own record stays even without text of its own: its title is what it is about.
    kept = []
    for number, (record, rows) in enumerate(sections):
        if record.text or (record.title if number == 0 else record.title != page_title):
            kept.append(record)
        kept += rows
    if not kept:
        raise ThemeError(f"页面 {url} 的正文 {ARTICLE_START} 中没有搜索能取出的文字")
    return kept


# What a posting says besides its record: where in the record the token is (any of the first
# three: the title is a section's heading or a row's names), and what the record is (the rest).
IN_HEADING, IN_LABEL, IN_BODY = 1, 2, 4
DEFINITION, ROW, PAGE = 8, 16, 32  # a term's definition (#term-…), a table's row, a page's own top
MAX_TITLE = 255  # a heading or a row's names are indexed up to this length: a place fits a byte
CONTEXTS = 3  # what each record lies within: its bureau, its page, its table's section (a row)


def _title_places(title: str) -> tuple[tuple[str, bytes], ...]:
    """A title's tokens, each with its places in the title (a byte each): how the query's words
    stand in it (三公 at 7 and 公经 at 8: 三公经 is there)."""
    found: defaultdict[str, bytearray] = defaultdict(bytearray)
    for word in _WORD.finditer(title):
        found[word.group()].append(word.start())
    for run in _CJK_RUN.finditer(title):
        start = run.start()
        for token, offset in _PLACED[run.group()]:
            found[token].append(start + offset)
    return tuple((token, bytes(places)) for token, places in found.items())


class _TitlesPlaced(dict):
    """A title → its tokens and their places, worked out once: forms print the same headings and
    row names in every document."""

    def __missing__(self, title: str) -> tuple[tuple[str, bytes], ...]:
        found = _title_places(title)
        if len(self) > 100_000:
            self.clear()
        self[title] = found
        return found


_TITLES = _TitlesPlaced()


_NONZERO = re.compile(b"[^\x00]")
_FF = re.compile(b"\xff")


def escaped(numbers) -> tuple[bytes, array]:
    """Numbers as a byte each, 255 standing for one too large for a byte, which goes in the list
    of escapes instead (in order): most gaps between records and all places are small. This runs
    over every posting of the province, so without a Python step a number: the numbers' bytes
    (four each) are read in slices, and only the large ones are looked at one by one."""
    numbers = numbers if isinstance(numbers, array) else array("I", numbers)
    if len(numbers) < 256:  # most tokens: a few postings, for which the slices cost more
        return bytes(map(min, numbers, repeat(255))), array("I", compress_items(numbers, map((255).__le__, numbers)))
    if max(numbers) < 255:
        return array("B", numbers).tobytes(), array("I")
    raw = _little_endian(numbers)
    low = bytearray(raw[0::4])
    high = (
        int.from_bytes(raw[1::4], "little") | int.from_bytes(raw[2::4], "little") | int.from_bytes(raw[3::4], "little")
    )
    large = {m.start() for m in _NONZERO.finditer(high.to_bytes(len(numbers), "little"))}
    large.update(m.start() for m in _FF.finditer(low))
    at = sorted(large)
    for position in at:
        low[position] = 255
    return bytes(low), array("I", map(numbers.__getitem__, at))


@dataclass
class IndexPart:
    """The index of some records, numbered from 0; parts are joined with absorb().

    For each token, two lists of postings, each a record holding it and what the record is
    (flags): *body* where the token is only in the record's body (most postings: no more is
    kept), *title* where it is in the section's heading or the row's names, with that title's
    length and the token's places in it (the query's words as a phrase, or the title that is the
    query and little else). How close together the query's words stand in a body is read from the
    texts of the best candidates in the browser (the chunks it fetches to show them), so the index
    keeps no places in bodies: they cost the build more than all else of the index. And the
    token's context: the ranges of records that lie within a bureau, a page or a table whose name
    holds it (望城 for every record of 望城's documents, 三公经费 for the rows of the 三公 table).
    seal() packs what add() collected into arrays, record numbers as gaps (small numbers that
    compress well); that is what parts are sent as.
    """

    count: int = 0
    # token → its body postings: gaps between record numbers (the first from 0), flags; the last number
    body_gaps: dict[str, array] = field(default_factory=dict)
    body_flags: dict[str, bytearray] = field(default_factory=dict)
    body_last: dict[str, int] = field(default_factory=dict)
    # token → its title postings: gaps, flags, title lengths, numbers of places, places; the last number
    title_gaps: dict[str, array] = field(default_factory=dict)
    title_details: dict[str, list[bytearray]] = field(default_factory=dict)
    title_last: dict[str, int] = field(default_factory=dict)
    # token → starts and ends (one past) of the record ranges it names, in pairs
    ranges: dict[str, array] = field(default_factory=dict)
    facets: list[Facets] = field(default_factory=list)
    _kinds: bytearray = field(default_factory=bytearray, repr=False)  # flags of each record (body postings)
    _in_body: defaultdict[str, list[int]] = field(default_factory=lambda: defaultdict(list), repr=False)
    _in_title: defaultdict[str, list[tuple]] = field(default_factory=lambda: defaultdict(list), repr=False)
    _contexts: list[list] = field(default_factory=lambda: [["", 0] for _ in range(CONTEXTS)], repr=False)
    _closed: defaultdict[str, list[int]] = field(default_factory=lambda: defaultdict(list), repr=False)

    def add(self, record: Record) -> int:
        # Millions of postings pass here at province scale: a body posting is one number appended
        # by C iterators (deque(map(…), 0) runs the appends without a Python step each), as the
        # index of sections alone did; only the few tokens of a title take a Python step.
        number = self.count
        self.count += 1
        row = bool(record.cells)
        anchor = record.url.partition("#")[2]
        kind = (DEFINITION if anchor.startswith("term-") else 0) | (ROW if row else 0) | (PAGE if not anchor else 0)
        title = normalize(record.label if row else record.title)[:MAX_TITLE]
        body = _tokens_of_normalized(normalize(record.text))
        placed = _TITLES[title] if title else ()
        if placed:
            in_title = self._in_title
            where = IN_LABEL if row else IN_HEADING
            for token, places in placed:
                flags = kind | where | (IN_BODY if token in body else 0)
                in_title[token].append((number, flags, len(title), len(places), places))
            body = body.difference(token for token, _ in placed)
        deque(map(list.append, map(self._in_body.__getitem__, body), repeat(number)), 0)
        self._kinds.append(kind | IN_BODY)
        self._enter(number, (record.facets.bureau, record.page if anchor else "", record.title if row else ""))
        self.facets.append(record.facets)
        return number

    def _enter(self, number: int, names: tuple[str, ...]) -> None:
        """Record *number* lies within these names (bureau, page, section); a name's range ends
        where the next record lies within another."""
        for context, name in zip(self._contexts, names, strict=True):
            if name != context[0]:
                self._close(context, number)
                context[0], context[1] = name, number

    def _close(self, context: list, end: int) -> None:
        name, start = context
        if name and end > start:
            for token in tokens(name):
                self._closed[token] += (start, end)
        context[0] = ""

    def seal(self) -> None:
        for context in self._contexts:
            self._close(context, self.count)
        kinds = self._kinds
        for token, numbers in self._in_body.items():
            gaps = array("I", map(sub, numbers, chain((0,), numbers)))  # each number less the one before
            flags = bytearray(map(kinds.__getitem__, numbers))
            mine = self.body_gaps.get(token)
            if mine is None:
                self.body_gaps[token], self.body_flags[token] = gaps, flags
            else:
                gaps[0] -= self.body_last[token]
                mine.extend(gaps)
                self.body_flags[token] += flags
            self.body_last[token] = numbers[-1]
        self._in_body.clear()
        for token, found in self._in_title.items():
            numbers = list(map(itemgetter(0), found))
            gaps = array("I", map(sub, numbers, chain((0,), numbers)))
            details = [bytearray(map(itemgetter(i), found)) for i in (1, 2, 3)]
            details.append(bytearray(b"".join(map(itemgetter(4), found))))
            mine = self.title_gaps.get(token)
            if mine is None:
                self.title_gaps[token], self.title_details[token] = gaps, details
            else:
                gaps[0] -= self.title_last[token]
                mine.extend(gaps)
                for column, more in zip(self.title_details[token], details, strict=True):
                    column += more
            self.title_last[token] = numbers[-1]
        self._in_title.clear()
        for token, pairs in self._closed.items():
            self.ranges.setdefault(token, array("I")).extend(pairs)
        self._closed.clear()

    def pad_to(self, multiple: int) -> None:
        """Round the count up to a whole number of chunks, so that every part starts a new chunk."""
        for context in self._contexts:
            self._close(context, self.count)
        while self.count % multiple:
            self.count += 1
            self._kinds.append(IN_BODY)
            self.facets.append(Facets())

    def absorb(self, other: IndexPart) -> None:
        """Append *other*'s records after these; *other* is used up (its arrays become this part's)."""
        self.seal()
        other.seal()
        offset = self.count
        flags, their_flags = self.body_flags, other.body_flags

        def join_flags(token: str, new: bool) -> None:
            if new:
                flags[token] = their_flags[token]
            else:
                flags[token] += their_flags[token]

        details, their_details = self.title_details, other.title_details

        def join_details(token: str, new: bool) -> None:
            if new:
                details[token] = their_details[token]
            else:
                for column, more in zip(details[token], their_details[token], strict=True):
                    column += more

        _append_postings(self.body_gaps, self.body_last, other.body_gaps, other.body_last, offset, join_flags)
        _append_postings(self.title_gaps, self.title_last, other.title_gaps, other.title_last, offset, join_details)
        for token, theirs in other.ranges.items():
            self.ranges.setdefault(token, array("I")).extend(map(offset.__add__, theirs))
        self.count += other.count
        self.facets.extend(other.facets)


def _append_postings(gaps, last, their_gaps, their_last, offset: int, join) -> None:
    """Append another part's gap-coded postings after ours: a token new to us keeps its gaps with
    the first moved by *offset*; a token we have continues from our last record for it. *join*
    merges whatever the index keeps beside the postings (told whether the token was new)."""
    for token, theirs in their_gaps.items():
        mine = gaps.get(token)
        if mine is None:
            theirs[0] += offset
            gaps[token] = theirs
            join(token, True)
        else:
            theirs[0] += offset - last[token]
            mine.extend(theirs)
            join(token, False)
    last.update(zip(their_last, map(offset.__add__, their_last.values()), strict=True))


def shard_of(token: str, shards: int) -> int:
    """FNV-1a of the token's UTF-8 bytes: the browser computes the same to find a token's shard."""
    value = 0x811C9DC5
    for byte in token.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value % shards


# Postings a shard holds at most, about (a power of two permitting): a token's postings grow with
# the documents while the tokens barely do, so a shard count set by tokens alone makes every
# shard, and every query, grow with the province. At 200,000 the 20,000-document bench (160 million
# postings, 1,024 shards) fetched 517 KB for the judged set's longest query, about 190 KB of it
# other tokens' postings sharing its 15 shards (python -m generator bench --docs 20000, 2026-12-07).
POSTINGS_PER_SHARD = 100_000


def shard_count(distinct_tokens: int, postings: int = 0) -> int:
    """About a hundred tokens a shard and at most about POSTINGS_PER_SHARD postings (body and
    title), a power of two between 16 and 8192."""
    count = 16
    while count < 8192 and (count * 100 < distinct_tokens or count * POSTINGS_PER_SHARD < postings):
        count *= 2
    return count


def postings_of(index: IndexPart) -> int:
    """The body and title postings of a sealed *index*, what shard_count weighs."""
    return sum(map(len, index.body_gaps.values())) + sum(map(len, index.title_gaps.values()))


def compress(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=6, mtime=0)  # mtime=0: the same index gives the same bytes


def _little_endian(numbers: array) -> bytes:
    if array("I", [1]).tobytes()[0] != 1:
        numbers = array(numbers.typecode, numbers)
        numbers.byteswap()
    return numbers.tobytes()


def merged(ranges: array) -> array:
    """Ranges (start, end pairs) sorted, those that overlap or touch made one."""
    out = array("I")
    for start, end in sorted(zip(ranges[::2], ranges[1::2], strict=True)):
        if out and start <= out[-1]:
            out[-1] = max(out[-1], end)
        else:
            out += array("I", (start, end))
    return out


def write_chunks(records: list[Record], folder: Path, name: str) -> None:
    """Records' texts in files of CHUNK records: what a result shows (title, where, excerpt); a
    row's names take the text's place and its panels follow (the excerpt names each figure's column)."""
    folder.mkdir(parents=True, exist_ok=True)
    for start in range(0, len(records), CHUNK):
        rows = [
            [r.url, r.page, r.title, r.label if r.cells else r.text, *_facet_values(r.facets)]
            + ([r.cells] if r.cells else [])
            for r in records[start : start + CHUNK]
        ]
        data = json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        (folder / f"{name}-{start // CHUNK}.bin").write_bytes(compress(data))


def _facet_values(facets: Facets) -> list[str]:
    return [facets.bureau, facets.region, facets.year, facets.kind]


def fold_table(known: set[str]) -> bytes:
    """The pairs of FOLD whose simplified character is in the index (a query's traditional one
    that folds to a character no page has finds nothing either way): their traditional characters'
    code points as increasing gaps (LEB128), then each simplified one's less U+4E00 (2 bytes)."""
    indexed = {c for token in known for c in token}
    pairs = sorted((source, target) for source, target in FOLD.items() if target in indexed)
    out, previous = bytearray(struct.pack("<I", len(pairs))), 0
    for source, _ in pairs:
        gap, previous = source - previous, source
        while gap >= 0x80:
            out.append(gap & 0x7F | 0x80)
            gap >>= 7
        out.append(gap)
    out += _little_endian(array("H", (ord(target) - 0x4E00 for _, target in pairs)))
    return bytes(out)


def write_index(index: IndexPart, parts: list[tuple[str, int]], folder: Path) -> int:
    """Write the postings shards, the facets, the folding table and meta.json into *folder*;
    returns the bytes written.

    *parts* names each part's chunk files and says how many records (padded) it holds, in order.
    A shard holds, for each of its tokens (sorted): the name's length (2 bytes) and UTF-8 bytes;
    then five counts (4 bytes each): body postings, title postings, places, ranges, escapes; then
    a byte each: the body postings' gaps and flags; the title postings' gaps, flags, title lengths
    and numbers of places; the places; the ranges (the gap from the end of the one before, the
    length); and the escapes (4 bytes each): the numbers too large for a byte (escaped()), in the
    order they stand. Little-endian, gzip'd.
    """
    folder.mkdir(parents=True, exist_ok=True)
    index.seal()
    known = set(index.body_gaps) | set(index.title_gaps) | set(index.ranges)
    shards = shard_count(len(known), postings_of(index))
    grouped: list[list[str]] = [[] for _ in range(shards)]
    for token in known:
        grouped[shard_of(token, shards)].append(token)
    written = sum(write_shard(index, members, folder, number) for number, members in enumerate(grouped))
    return written + write_meta(known, shards, index.count, index.facets, parts, folder)


def write_shard(index: IndexPart, members: list[str], folder: Path, number: int) -> int:
    """Shard *number*: the postings of *members* (its tokens, all of them) as *index* holds them
    (write_index says how); returns the bytes written."""
    (folder / "t").mkdir(parents=True, exist_ok=True)
    none, no_details = array("I"), [b""] * 4
    out = bytearray()
    for token in sorted(members):
        body_gaps, body_escapes = escaped(index.body_gaps.get(token, none))
        title_gaps, title_escapes = escaped(index.title_gaps.get(token, none))
        flags, lengths, counts, places = index.title_details.get(token, no_details)
        ranges = merged(index.ranges.get(token, none))
        steps, range_escapes = escaped(map(sub, ranges, chain((0,), ranges)))
        escapes = body_escapes + title_escapes + range_escapes
        name = token.encode("utf-8")
        out += struct.pack("<H", len(name)) + name
        out += struct.pack("<5I", len(body_gaps), len(title_gaps), len(places), len(ranges) // 2, len(escapes))
        out += body_gaps + index.body_flags.get(token, b"") + title_gaps + flags + lengths + counts + places
        out += steps + _little_endian(escapes)
    data = compress(bytes(out))
    (folder / "t" / f"{number}.bin").write_bytes(data)
    return len(data)


def write_meta(
    known: set[str], shards: int, records: int, facets_of: list[Facets], parts: list[tuple[str, int]], folder: Path
) -> int:
    """The facets of the *records* records, the folding table of the *known* tokens and meta.json
    (write_index); returns the bytes written."""
    values: dict[str, list[str]] = {}
    columns = []
    for position, facet in enumerate(FACETS):
        seen = sorted({_facet_values(f)[position + 1] for f in facets_of} - {""})
        values[facet] = seen
        numbers = {value: n for n, value in enumerate(seen)}
        columns.append(bytes(numbers.get(_facet_values(f)[position + 1], NONE) for f in facets_of))
    facets = compress(b"".join(columns))
    (folder / "facets.bin").write_bytes(facets)
    fold = compress(fold_table(known))
    (folder / "fold.bin").write_bytes(fold)
    starts, start = [], 0
    for name, count in parts:
        starts.append([name, start])
        start += count
    meta = {
        "version": FORMAT_VERSION,
        "records": records,
        "chunk": CHUNK,
        "shards": shards,
        "parts": starts,
        "facets": values,
    }
    text = json.dumps(meta, ensure_ascii=False, separators=(",", ":"))
    (folder / "meta.json").write_text(text, encoding="utf-8")
    return len(facets) + len(fold) + len(text.encode("utf-8"))
