"""The index's tokens are the browser's: gongkai-search.js folds every query with NFKC, the index
skips NFKC where it changes nothing that matters, so the two must always agree."""

import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from generator import search


def tokens_always_folded(text: str) -> set[str]:
    """tokens() as the browser computes them: NFKC on every text, no shortcut."""
    text = search._QUOTES.sub("", unicodedata.normalize("NFKC", text).lower())
    text = search._THOUSANDS.sub("", text)
    found = set(search._WORD.findall(text))
    for run in search._CJK_RUN.findall(text):
        found |= {run} if len(run) == 1 else {run[i : i + 2] for i in range(len(run) - 1)}
    return found


def test_every_character_let_through_without_nfkc_tokenizes_as_with_it():
    skipped = [chr(c) for c in range(0x10000) if not 0xD800 <= c < 0xE000 and not search._NEEDS_NFKC.search(chr(c))]
    assert "≥" in skipped and "，" in skipped and "２" not in skipped and "㎡" not in skipped
    for c in skipped:
        text = f"三公{c}经费12{c}34,567.8{c}a"
        assert search.tokens(text) == tokens_always_folded(text), repr(c)


@given(st.text(alphabet=st.sampled_from("三公经费医疗救助0123456789,.，．２㎡≥·÷−ＡaＢ“”'‥…․〸 \u0301e")))
def test_tokens_agree_with_nfkc_on_mixed_text(text):
    assert search.tokens(text) == tokens_always_folded(text)


def test_numbers_keep_their_grouping_rule():
    assert search.tokens("29,455.67 与 １２，３４５") == {"29455.67", "12345", "与"}
    assert re.fullmatch(r"\d+", min(search.tokens("2,1")))  # not a thousands group: two numbers
    assert search.tokens("2,1") == {"2", "1"}
