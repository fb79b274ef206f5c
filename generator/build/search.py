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

import gzip
import html
import json
import re
import struct
import unicodedata
from array import array
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import chain
from operator import sub
from pathlib import Path

from ..core import urls
from .theme import ARTICLE_START, ThemeError, article

INDEX_DIR = "search/data"  # under the site; no leading underscore: some static hosts hide those
CHUNK = 8  # records per text chunk: a result page fetches at most ten chunks
FORMAT_VERSION = 1
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
    r'<nav class="gk-crumbs".*?</nav>|<a class="headerlink"[^>]*>.*?</a>|<script\b.*?</script>|<style\b.*?</style>'
    # download links (render/download_links.py): under every table, the same words would match every table
    r'|<p class="gk-downloads">.*?</p>|<section class="gk-downloads">.*?</section>',
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


def normalize(text: str) -> str:
    """What both sides index and search: full-width forms folded, lower case, no quote marks, no
    thousands separators (“三公”经费 reads 三公经费, 29,455.67 reads 29455.67).

    The browser folds with NFKC. Here NFKC runs only on text with a character it might turn into
    part of a token (full-width digits and letters, m², compatibility ideographs): Chinese text is
    full of full-width punctuation, and folding it all took a third of the index's time for
    nothing, since punctuation separates tokens either way.
    """
    if _NEEDS_NFKC.search(text):
        text = unicodedata.normalize("NFKC", text)
    text = _QUOTES.sub("", text.lower())
    return _THOUSANDS.sub("", text) if "," in text or "，" in text else text


class _PairsOfRuns(dict):
    """A run of Chinese characters → its character pairs, worked out once: forms repeat the same
    labels in every document. A dict subclass so that looking runs up stays in C (map, update)."""

    def __missing__(self, run: str) -> frozenset[str]:
        found = frozenset([run]) if len(run) == 1 else frozenset(run[i : i + 2] for i in range(len(run) - 1))
        if len(self) > 200_000:
            self.clear()
        self[run] = found
        return found


_PAIRS = _PairsOfRuns()


def tokens(text: str) -> set[str]:
    """The tokens of *text*: Chinese character pairs (a lone character stands for itself), words and numbers."""
    return _tokens_of_normalized(normalize(text))


def _tokens_of_normalized(text: str) -> set[str]:
    """tokens() of a text normalize() has already folded (a title's is needed for its length too)."""
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
    url: str  # from the site root, with the heading's anchor
    page: str  # the page's title
    title: str  # the heading's text (the page's title for the text above the first heading)
    text: str = ""
    facets: Facets = Facets()


def page_records(page_html: str, url: str, facets: Facets) -> list[Record]:
    """The sections of a built page: the text under each heading with an id, up to the next one.

    The text above the page's first section belongs to the page itself (its title, no anchor).
    A ThemeError names the page when its article (theme.article) is missing or gives no text.
    """
    content = _NOT_TEXT.sub(" ", article(page_html, f"页面 {url} "))
    h1 = _H1.search(content)
    page_title = plain_text(h1.group(1)) if h1 else ""
    records: list[Record] = []
    anchor, title, position = "", page_title, h1.end() if h1 else 0
    for heading in _HEADING.finditer(content, position):
        text = plain_text(content[position : heading.start()])
        records.append(Record(url + (f"#{anchor}" if anchor else ""), page_title, title, text, facets))
        anchor, title, position = heading.group(2), plain_text(heading.group(3)), heading.end()
    records.append(
        Record(url + (f"#{anchor}" if anchor else ""), page_title, title, plain_text(content[position:]), facets)
    )
    # The page's own record stays even without text of its own: its title is what it is about.
    kept = [r for r in records[:1] if r.text or r.title] + [r for r in records[1:] if r.text or r.title != page_title]
    if not kept:
        raise ThemeError(f"页面 {url} 的正文 {ARTICLE_START} 中没有搜索能取出的文字")
    return kept


def _title_lengths() -> array:
    return array("B")


@dataclass
class IndexPart:
    """The index of some records, numbered from 0; parts are joined with absorb().

    While records are added, each token collects the numbers of the records holding it; seal()
    turns them into gaps (small numbers that compress well), which is what parts are sent as.
    """

    count: int = 0
    # token → gaps between the numbers of the records holding it (the first one from 0), and the last number
    text_gaps: dict[str, array] = field(default_factory=dict)
    text_last: dict[str, int] = field(default_factory=dict)
    title_gaps: dict[str, array] = field(default_factory=dict)
    title_last: dict[str, int] = field(default_factory=dict)
    # token → the length of each of those titles (capped at 255): a title that is mostly the query ranks first
    title_lengths: dict[str, array] = field(default_factory=dict)
    facets: list[Facets] = field(default_factory=list)
    _in_text: defaultdict[str, list[int]] = field(default_factory=lambda: defaultdict(list), repr=False)
    _in_title: defaultdict[str, list[int]] = field(default_factory=lambda: defaultdict(list), repr=False)
    _lengths: defaultdict[str, array] = field(default_factory=lambda: defaultdict(_title_lengths), repr=False)

    def add(self, record: Record) -> int:
        # Millions of postings pass here at province scale. A plain loop appending to each token's
        # list is the fastest form on CPython 3.11 (its specialised bytecode beat map() with a
        # methodcaller by half); the record's text tokens are reused as the set of all its tokens.
        number = self.count
        self.count += 1
        title = normalize(record.title)
        title_tokens = _tokens_of_normalized(title)
        found = tokens(record.text)
        found |= title_tokens
        in_text = self._in_text
        for token in found:
            in_text[token].append(number)
        if title_tokens:
            in_title, lengths, length = self._in_title, self._lengths, min(255, len(title))
            for token in title_tokens:
                in_title[token].append(number)
                lengths[token].append(length)
        self.facets.append(record.facets)
        return number

    def seal(self) -> None:
        for numbers, gaps, last in (
            (self._in_text, self.text_gaps, self.text_last),
            (self._in_title, self.title_gaps, self.title_last),
        ):
            for token, found in numbers.items():
                gaps[token] = array("I", map(sub, found, chain((0,), found)))  # each number less the one before
                last[token] = found[-1]
            numbers.clear()
        for token, lengths in self._lengths.items():
            self.title_lengths.setdefault(token, array("B")).extend(lengths)
        self._lengths.clear()

    def pad_to(self, multiple: int) -> None:
        """Round the count up to a whole number of chunks, so that every part starts a new chunk."""
        while self.count % multiple:
            self.count += 1
            self.facets.append(Facets())

    def absorb(self, other: IndexPart) -> None:
        """Append *other*'s records after these; *other* is used up (its arrays become this part's)."""
        self.seal()
        other.seal()
        offset = self.count
        for gaps, last, other_gaps, other_last in (
            (self.text_gaps, self.text_last, other.text_gaps, other.text_last),
            (self.title_gaps, self.title_last, other.title_gaps, other.title_last),
        ):
            for token, theirs in other_gaps.items():
                mine = gaps.get(token)
                if mine is None:
                    theirs[0] += offset
                    gaps[token] = theirs
                else:
                    theirs[0] += offset - last[token]
                    mine.extend(theirs)
            last.update(zip(other_last, map(offset.__add__, other_last.values()), strict=True))
        lengths = self.title_lengths
        for token, theirs in other.title_lengths.items():
            mine = lengths.get(token)
            if mine is None:
                lengths[token] = theirs
            else:
                mine.extend(theirs)
        self.count += other.count
        self.facets.extend(other.facets)


def shard_of(token: str, shards: int) -> int:
    """FNV-1a of the token's UTF-8 bytes: the browser computes the same to find a token's shard."""
    value = 0x811C9DC5
    for byte in token.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value % shards


def shard_count(distinct_tokens: int) -> int:
    """About a hundred tokens a shard, a power of two between 16 and 8192."""
    count = 16
    while count < 8192 and count * 100 < distinct_tokens:
        count *= 2
    return count


def compress(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=6, mtime=0)  # mtime=0: the same index gives the same bytes


def _little_endian(gaps: array) -> bytes:
    if array("I", [1]).tobytes()[0] != 1:
        gaps = array("I", gaps)
        gaps.byteswap()
    return gaps.tobytes()


def write_chunks(records: list[Record], folder: Path, name: str) -> None:
    """Records' texts in files of CHUNK records: what a result shows (title, where, excerpt)."""
    folder.mkdir(parents=True, exist_ok=True)
    for start in range(0, len(records), CHUNK):
        rows = [[r.url, r.page, r.title, r.text, *_facet_values(r.facets)] for r in records[start : start + CHUNK]]
        data = json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        (folder / f"{name}-{start // CHUNK}.bin").write_bytes(compress(data))


def _facet_values(facets: Facets) -> list[str]:
    return [facets.bureau, facets.region, facets.year, facets.kind]


def write_index(index: IndexPart, parts: list[tuple[str, int]], folder: Path) -> int:
    """Write the postings shards, the facets and meta.json into *folder*; returns the bytes written.

    *parts* names each part's chunk files and says how many records (padded) it holds, in order.
    """
    folder.mkdir(parents=True, exist_ok=True)
    index.seal()
    shards = shard_count(len(index.text_gaps))
    grouped: list[list[str]] = [[] for _ in range(shards)]
    for token in index.text_gaps:
        grouped[shard_of(token, shards)].append(token)
    (folder / "t").mkdir(exist_ok=True)
    written = 0
    for number, members in enumerate(grouped):
        out = bytearray()
        for token in sorted(members):
            text_gaps = index.text_gaps[token]
            title_gaps = index.title_gaps.get(token, array("I"))
            name = token.encode("utf-8")
            out += struct.pack("<HII", len(name), len(text_gaps), len(title_gaps)) + name
            out += _little_endian(text_gaps) + _little_endian(title_gaps)
            out += index.title_lengths.get(token, array("B")).tobytes()
        data = compress(bytes(out))
        (folder / "t" / f"{number}.bin").write_bytes(data)
        written += len(data)
    values: dict[str, list[str]] = {}
    columns = []
    for position, facet in enumerate(FACETS):
        seen = sorted({_facet_values(f)[position + 1] for f in index.facets} - {""})
        values[facet] = seen
        numbers = {value: n for n, value in enumerate(seen)}
        columns.append(bytes(numbers.get(_facet_values(f)[position + 1], NONE) for f in index.facets))
    facets = compress(b"".join(columns))
    (folder / "facets.bin").write_bytes(facets)
    starts, start = [], 0
    for name, count in parts:
        starts.append([name, start])
        start += count
    meta = {
        "version": FORMAT_VERSION,
        "records": index.count,
        "chunk": CHUNK,
        "shards": shards,
        "parts": starts,
        "facets": values,
    }
    text = json.dumps(meta, ensure_ascii=False, separators=(",", ":"))
    (folder / "meta.json").write_text(text, encoding="utf-8")
    return written + len(facets) + len(text.encode("utf-8"))
