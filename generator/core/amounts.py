"""Amounts: exact decimals in, the published two-decimal form out."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from .problems import excerpt, quoted

PLAIN_AMOUNT = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]{1,2})?")
# The significant digits a figure may have: what the downloads carry exactly. Excel keeps 15 (it
# shows 12345678901234567 as 12345678901234500), and a double, which every spreadsheet and
# JavaScript (the JSON read in a browser, the charts) reads a number into, gives back any decimal
# of 15 digits as written, not always one of 16 or more. In 万元 that is up to 9,999,999,999,999.99,
# ten thousand times any budget there is; a longer figure is a typo or a wrong unit.
SIGNIFICANT_DIGITS = 15

# The white space str.strip() and Python's \s take (str.isspace), spelled out: JavaScript's \s
# differs (it takes U+FEFF, not U+001C–U+001F or U+0085), and the form editor reads these patterns.
SPACE = "[\t-\r\x1c- \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"


class AmountError(ValueError):
    pass


@dataclass(frozen=True)
class Refusal:
    """One way of writing a number that is refused, with what to write instead.

    Declared as data, not code, so that the form editor refuses the same texts with the same words:
    editing/form_rules.py writes these into the admin page and cms/admin/gongkai-tables.js applies
    them as refused() below does. *shape* is a regular expression the whole text (stripped, folded
    for percentages) matches, written so that Python and JavaScript read it alike. *fix* rewrites
    the text into what to write: ("nfkc",) folds full-width forms, (pattern, replacement) replaces
    every match; with *fix_is_plain* the refusal applies only when its fix is a plain amount. The
    message has {text} (as given, as an excerpt: problems.excerpt), {fix} and {space} (the first white space, as U+00A0).
    """

    shape: str
    message: str
    fix: tuple[tuple[str, ...], ...] = ()
    fix_is_plain: bool = False


@dataclass(frozen=True)
class NumberRules:
    """What a kind of number accepts (patterns of the whole text) and refuses, in order."""

    accept: tuple[str, ...]
    refusals: tuple[Refusal, ...]
    fallback: str  # the message when no refusal fits
    fold: bool = False  # full-width forms folded (NFKC) before anything is matched


ANY = "[\\s\\S]*"  # any text, line breaks too (a . stops at them, differently in Python and JavaScript)

AMOUNT_RULES = NumberRules(
    accept=(PLAIN_AMOUNT.pattern,),
    refusals=(
        Refusal(f"{ANY}[^\\x00-\\x7f]{ANY}", "'{text}' 用了全角字符：请写成 {fix}", (("nfkc",), (",", "")), True),
        Refusal(r"-?[0-9]+\.[0-9]{3,}", "'{text}' 超过两位小数：金额只公开到 0.01，请照原件写两位小数"),
        Refusal(r"-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?", "'{text}' 带千分位逗号：请写成 {fix}", ((",", ""),)),
        # 1,23,456.00 (lakh grouping)
        Refusal(r"-?[0-9]{1,2}(,[0-9]{2})+,[0-9]{3}(\.[0-9]+)?", "'{text}' 带分组逗号：请写成 {fix}", ((",", ""),)),
        # 12.345,67 (European)
        Refusal(
            r"-?[0-9]{1,3}(\.[0-9]{3})+,[0-9]+",
            "'{text}' 用 '.' 分千位、用 ',' 作小数点：请写成 {fix}",
            ((r"\.", ""), (",", ".")),
        ),
        # 12,00: a decimal comma (a thousands group has 3 digits)
        Refusal(r"-?[0-9]+,[0-9]{1,2}", "'{text}' 用逗号作小数点：请写成 {fix}", ((",", "."),)),
        # NBSP and thin space too, which a page copied from may hold
        Refusal(f"{ANY}{SPACE}{ANY}", "'{text}' 中间有空格（{space}）：请写成 {fix}", ((SPACE, ""),), True),
        Refusal(f"{ANY}元", "'{text}' 带了单位：只写数字（单位由表格注明）"),
        Refusal("—|-|/|无|－|——", "'{text}' 不是金额：原件是零就写 0.00，原件是空白就不写这一格"),
        Refusal(
            r"\([^\n]*\)|（[^\n]*）", "'{text}' 用括号表示负数：请用负号，如 -{fix}", (("^[()（）]+|[()（）]+$", ""),)
        ),
        Refusal(r"-?0[0-9]+(\.[0-9]+)?", "'{text}' 开头多了 0：请去掉开头的 0"),
    ),
    fallback="'{text}' 不是金额：请写成普通小数，如 2549.18",
)


def refused(rules: NumberRules, text: str) -> str | None:
    """Why *text* is not a number of *rules* (the first refusal that fits), or None when it is one."""
    subject = text.strip()
    if rules.fold:
        subject = unicodedata.normalize("NFKC", subject)
    if any(_compiled(pattern).fullmatch(subject) for pattern in rules.accept):
        return None
    for refusal in rules.refusals:
        if not _compiled(refusal.shape).fullmatch(subject):
            continue
        fix = subject
        for step in refusal.fix:
            fix = unicodedata.normalize("NFKC", fix) if step == ("nfkc",) else _compiled(step[0]).sub(step[1], fix)
        if refusal.fix_is_plain and not PLAIN_AMOUNT.fullmatch(fix):
            continue
        space = _compiled(SPACE).search(subject)
        space_code = f"U+{ord(space.group(0)):04X}" if space else ""
        # what was typed is quoted as a message quotes a file: an excerpt, never a whole pasted page
        return refusal.message.format(text=excerpt(text), fix=excerpt(fix), space=space_code)
    return rules.fallback.format(text=excerpt(text))


@functools.cache
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def _exact_in_downloads(value: Decimal, text: str) -> Decimal:
    """*value*, or AmountError when it has more significant digits than the downloads carry exactly
    (trailing zeros of the decimals do not count: 12.50 is 12.5 in any spreadsheet)."""
    digits = len(value.normalize().as_tuple().digits) if value else 1
    if digits > SIGNIFICANT_DIGITS:
        raise AmountError(
            f"{quoted(text.strip())} 有 {digits} 位有效数字：下载的 Excel、JSON 只能精确保存 {SIGNIFICANT_DIGITS} 位，"
            "多出的数字会变：请核对原件的数字和单位（金额以万元为单位）"
        )
    return value


def parse_amount(text: str) -> Decimal:
    """Parse an amount as a clerk types it; anything ambiguous is refused with what to write instead."""
    raw = text.strip()
    if PLAIN_AMOUNT.fullmatch(raw):
        value = _exact_in_downloads(Decimal(raw), raw)
        return value if value else Decimal("0.00") if "." in raw else Decimal(0)
    raise AmountError(refused(AMOUNT_RULES, text))


PLAIN_PERCENT = re.compile(f"(-?(?:0|[1-9][0-9]*)(?:\\.[0-9]{{1,4}})?){SPACE}*%")

PERCENT_RULES = NumberRules(
    accept=("0", PLAIN_PERCENT.pattern),  # 0: a nil share printed without its sign
    refusals=(Refusal(PLAIN_AMOUNT.pattern, "'{text}' 少了 '%'：请照原件写百分比，如 {fix}%"),),
    fallback="'{text}' 不是百分比：请照原件写，如 98.50%",
    fold=True,
)


def parse_percent(text: str) -> Decimal:
    """'287.00%' → Decimal('287.00'): a share or a rate as printed, in per cent."""
    raw = unicodedata.normalize("NFKC", text.strip())
    if raw == "0":
        return Decimal(0)
    match = PLAIN_PERCENT.fullmatch(raw)
    if match is None:
        raise AmountError(refused(PERCENT_RULES, text))
    return _exact_in_downloads(Decimal(match.group(1)), text)


def format_percent(value: Decimal) -> str:
    return f"{value}%"


def format_amount(value: Decimal) -> str:
    """29455.67 → '29,455.67' (thousands separators, two decimals), exactly."""
    return f"{value:,.2f}"


def format_as_typed(value: Decimal) -> str:
    """10276 → '10,276', 43.2 → '43.2', 29525.64 → '29,525.64': thousands separators and the
    decimals as typed. A 绩效 table's amounts are printed so (seed 000 prints 10276 beside
    29525.64): two decimals would show digits its original does not print."""
    return f"{value:,f}"
