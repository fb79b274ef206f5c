"""Which characters a text read from data/ may hold: one rule, by Unicode category, for every text.

A clerk copies names and prose from web pages and PDFs, and brings along characters no reader
sees but that change what a page says or does: a zero-width space or a soft hyphen splits a word
(a search for it, and the prose check that finds a figure by its label, miss it), a direction
override shows text reversed, a private-use character is a font's own glyph (another computer
shows something else, or nothing), a control character is not allowed in HTML at all, and a line
or paragraph separator is a line break to YAML but not to an editor (every later line number
would be off). They are refused by category, wherever they stand in the text:

    Cc control, Cf format, Co private use, Cs surrogate, Zl line separator, Zp paragraph separator,
    and the noncharacters (U+FDD0–U+FDEF, U+xFFFE and U+xFFFF of every plane)

but for what Chinese documents need: tab and line feed (Cc), and the zero-width joiner (Cf) and
tag characters (Cf) inside an emoji sequence (👨‍👩‍👧, 🏴 and its tags). Spaces (Zs: U+3000,
U+00A0) are letters' business and stay, as do emoji, their variation selectors and modifiers,
and every CJK extension. Characters Python's Unicode database does not know yet (Cn, newer than
it) are accepted rather than refused: a newly encoded CJK character is no reason to refuse a file.

REFUSED is the categories' code points as ranges for a regular expression, worked out from
REFUSED_CATEGORIES by refused_ranges() (a scan of every code point takes a fifth of a second,
too long for each worker to repeat); tests/test_check_hardening.py holds the two to each other
under the running Python's Unicode database.
"""

from __future__ import annotations

import re
import unicodedata

REFUSED_CATEGORIES = {
    "Cc": "控制字符",
    "Cf": "格式字符",
    "Co": "私用区字符，别的电脑上显示不出来或显示成别的字",
    "Cs": "代理项",
    "Zl": "行分隔符",
    "Zp": "段落分隔符",
}
NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane << 16 | 0xFFFE)}-{chr(plane << 16 | 0xFFFF)}" for plane in range(17)
)
ALLOWED = "\t\n"

# The code points of REFUSED_CATEGORIES (Unicode 14.0, Python 3.11), from refused_ranges().
REFUSED = (
    "\u0000-\u001f\u007f-\u009f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f"
    "\u2028-\u202e\u2060-\u2064\u2066-\u206f\ud800-\uf8ff\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
    "\U000f0000-\U000ffffd\U00100000-\U0010fffd"
)
_REFUSED = re.compile(f"[{REFUSED}{NONCHARACTERS}]")

ZERO_WIDTH_JOINER = "\u200d"
BLACK_FLAG = "\U0001f3f4"  # 🏴: tag characters after it spell a flag (🏴 England), ended by CANCEL_TAG
CANCEL_TAG = "\U000e007f"
_TAGS = re.compile("[\U000e0020-\U000e007e]*\U000e007f")
_EMOJI_TAIL = "\ufe0f\U0001f3fb\U0001f3fc\U0001f3fd\U0001f3fe\U0001f3ff"  # variation selector, skin tones

# Characters named for the clerk; the others by their category.
NAMES = {
    "\t": "制表符",
    "\r": "回车符",
    "\u0085": "下一行符 NEL",
    "\u00ad": "软连字符",
    "\u200b": "零宽空格",
    "\u200c": "零宽不连字",
    "\u200d": "零宽连接符",
    "\u200e": "从左到右标记",
    "\u200f": "从右到左标记",
    "\u2028": "行分隔符",
    "\u2029": "段落分隔符",
    "\u2060": "零宽不换行符",
    "\ufeff": "字节顺序标记 BOM",
    "\u202e": "从右到左覆盖符，会让文字倒着显示",
}


def refused_ranges(categories=REFUSED_CATEGORIES) -> list[tuple[int, int]]:
    """The code points of *categories* under the running Python's Unicode database, as ranges."""
    ranges, start = [], None
    for point in range(0x110001):
        refused = point <= 0x10FFFF and unicodedata.category(chr(point)) in categories
        if refused and start is None:
            start = point
        elif not refused and start is not None:
            ranges.append((start, point - 1))
            start = None
    return ranges


def _emoji(char: str) -> bool:
    return unicodedata.category(char) == "So"


def _joins_emoji(text: str, at: int) -> bool:
    """Whether the zero-width joiner at *at* is part of an emoji sequence (👨‍👩‍👧): an emoji, with its
    variation selector or skin tone, before it, and an emoji after it."""
    before = at - 1
    while before >= 0 and text[before] in _EMOJI_TAIL:
        before -= 1
    return before >= 0 and at + 1 < len(text) and _emoji(text[before]) and _emoji(text[at + 1])


def _flag_tags(text: str, at: int) -> int:
    """The end of a flag's tag characters that start at *at* right after 🏴, or *at* if they do not."""
    if at == 0 or text[at - 1] != BLACK_FLAG:
        return at
    found = _TAGS.match(text, at)
    return found.end() if found else at


def refused_character(text: str) -> tuple[int, str] | None:
    """The first character of *text* the rule refuses, as (its index, what to tell the clerk), or None."""
    # Most texts are one printable line: isprintable() is false for every refused character (and for
    # tab, line feed and the spaces), so they skip the search.
    if text.isprintable():
        return None
    at = 0
    while (found := _REFUSED.search(text, at)) is not None:
        index, char = found.start(), found.group(0)
        if char in ALLOWED or (char == ZERO_WIDTH_JOINER and _joins_emoji(text, index)):
            at = index + 1
            continue
        end = _flag_tags(text, index)
        if end > index:
            at = end
            continue
        return index, describe_character(char)
    return None


def describe_character(char: str) -> str:
    """'U+200B（零宽空格）': a refused character as a clerk is told about it."""
    category = unicodedata.category(char)
    name = NAMES.get(char) or REFUSED_CATEGORIES.get(category, "非字符")
    if "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069":
        name = NAMES.get(char, "文字方向控制符")
    return f"U+{ord(char):04X}（{name}）"


def refused_message(text: str) -> str | None:
    """Why *text* cannot be published as typed, and what to do, when it holds a refused character."""
    found = refused_character(text)
    if found is None:
        return None
    index, what = found
    before = text[:index].rsplit("\n", 1)[-1][-12:]
    where = f"在 '{before}' 后面" if before else "在行首"
    if unicodedata.category(text[index]) == "Co":
        return f"{where}有一个私用区字符 {what}：请删掉它，或换成标准的字"
    return f"{where}有一个看不见的字符 {what}：请删掉它"
