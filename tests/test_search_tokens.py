"""The index's tokens are the browser's: gongkai-search.js folds every query with NFKC and the
traditional → simplified table, the index skips both where they change nothing that matters, so
the two must always agree."""

import html
import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from generator.build import search


def tokens_always_folded(text: str) -> set[str]:
    """tokens() as the browser computes them: NFKC and the traditional → simplified fold on every
    text, no shortcut, the plainest patterns."""
    text = search._QUOTES.sub("", unicodedata.normalize("NFKC", text).lower()).translate(search.FOLD)
    text = re.sub(r"(?<=\d)[,，](?=\d{3}(?!\d))", "", text)
    found = set(re.findall(r"[0-9a-z]+(?:\.[0-9]+)*", text))
    for run in re.findall("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+", text):
        found |= {run} if len(run) == 1 else {run[i : i + 2] for i in range(len(run) - 1)}
    return found


def test_every_character_let_through_without_nfkc_tokenizes_as_with_it():
    skipped = [chr(c) for c in range(0x10000) if not 0xD800 <= c < 0xE000 and not search._NEEDS_NFKC.search(chr(c))]
    assert "≥" in skipped and "，" in skipped and "２" not in skipped and "㎡" not in skipped
    for c in skipped:
        text = f"三公{c}经费12{c}34,567.8{c}a"
        assert search.tokens(text) == tokens_always_folded(text), repr(c)


@given(st.text(alphabet=st.sampled_from("三公经费医疗救助醫療經費0123456789,.，．２㎡≥·÷−ＡaＢ“”'‥…․〸 \u0301e\uf900")))
def test_tokens_agree_with_nfkc_on_mixed_text(text):
    assert search.tokens(text) == tokens_always_folded(text)


def test_numbers_keep_their_grouping_rule():
    assert search.tokens("29,455.67 与 １２，３４５") == {"29455.67", "12345", "与"}
    assert re.fullmatch(r"\d+", min(search.tokens("2,1")))  # not a thousands group: two numbers
    assert search.tokens("2,1") == {"2", "1"}
    assert search.tokens("1.,234 与 x,234") == {"1", "234", "与", "x"}  # only a digit before the comma groups


def plain_text_plainly(fragment: str) -> str:
    """plain_text() spelt the plainest way: inline tags vanish, other tags become a space, entities
    are read, white space runs become one space, none at the ends."""
    fragment = re.sub(r"</?(?:a|abbr|b|code|em|i|mark|small|span|strong|sub|sup)\b[^>]*>", "", fragment)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]*>", " ", fragment))).strip()


_MARKUP = ["<td>", "</td>", "<a href=x>", "</a>", "<abbr>", "<span class=y>", "</sub>", "<br/>", "<", ">", "<p\n>"]
_TEXT = [
    "三公",
    "经费",
    "1",
    ".",
    " ",
    "\n",
    "\t",
    "\u3000",
    "\xa0",
    "\x1c",
    "\u2028",
    "&amp;",
    "&nbsp;",
    "&#32;",
    "&#10;",
    "&gt;",
    "&lt;b&gt;",
    "&",
    "&amp",
    "#",
]


@given(st.lists(st.sampled_from(_MARKUP + _TEXT)).map("".join))
def test_plain_text_reads_markup_as_the_plain_rules_say(fragment):
    assert search.plain_text(fragment) == plain_text_plainly(fragment)


def test_plain_text_of_a_table_row():
    row = '<tr><th id="r0" scope="row">一、<a href="#g">一般公共</a>预算</th>\n<td class="gk-num">29,455.67</td></tr>'
    assert search.plain_text(row) == "一、一般公共预算 29,455.67"


def test_the_memos_of_runs_stay_bounded_and_give_the_same_tokens(monkeypatch):
    """A province's prose is runs never seen before: the memos of runs (search._PAIRS, _PLACED)
    start again past RUNS_REMEMBERED, and what they give does not change."""
    runs = [
        f"第{'一二三四五六七八九'[n % 9]}{'甲乙丙丁戊己庚辛壬癸'[n // 9 % 10]}{'东南西北'[n // 90 % 4]}条款"
        for n in range(300)
    ]
    expected = [search.tokens(run) for run in runs]
    monkeypatch.setattr(search, "RUNS_REMEMBERED", 10)
    search._PAIRS.clear()
    search._PLACED.clear()
    assert [search.tokens(run) for run in runs] == expected
    for run in runs:
        search._PLACED[run]
    assert 0 < len(search._PAIRS) <= 11 and 0 < len(search._PLACED) <= 11
