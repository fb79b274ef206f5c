"""Amounts: exact decimals in, the published two-decimal form out."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

PLAIN_AMOUNT = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]{1,2})?")
# The significant digits a figure may have: what the downloads carry exactly. Excel keeps 15 (it
# shows 12345678901234567 as 12345678901234500), and a double, which every spreadsheet and
# JavaScript (the JSON read in a browser, the charts) reads a number into, gives back any decimal
# of 15 digits as written, not always one of 16 or more. In 万元 that is up to 9,999,999,999,999.99,
# ten thousand times any budget there is; a longer figure is a typo or a wrong unit.
SIGNIFICANT_DIGITS = 15


class AmountError(ValueError):
    pass


def _exact_in_downloads(value: Decimal, text: str) -> Decimal:
    """*value*, or AmountError when it has more significant digits than the downloads carry exactly
    (trailing zeros of the decimals do not count: 12.50 is 12.5 in any spreadsheet)."""
    digits = len(value.normalize().as_tuple().digits) if value else 1
    if digits > SIGNIFICANT_DIGITS:
        raise AmountError(
            f"'{text.strip()}' 有 {digits} 位有效数字：下载的 Excel、JSON 只能精确保存 {SIGNIFICANT_DIGITS} 位，"
            "多出的数字会变：请核对原件的数字和单位（金额以万元为单位）"
        )
    return value


def parse_amount(text: str) -> Decimal:
    """Parse an amount as a clerk types it; anything ambiguous is refused with what to write instead."""
    raw = text.strip()
    if PLAIN_AMOUNT.fullmatch(raw):
        value = _exact_in_downloads(Decimal(raw), raw)
        return value if value else Decimal("0.00") if "." in raw else Decimal(0)
    folded = unicodedata.normalize("NFKC", raw)
    if folded != raw and PLAIN_AMOUNT.fullmatch(folded.replace(",", "")):
        raise AmountError(f"'{text}' 用了全角字符：请写成 {folded.replace(',', '')}")
    if re.fullmatch(r"-?[0-9]+\.[0-9]{3,}", raw):
        raise AmountError(f"'{text}' 超过两位小数：金额只公开到 0.01，请照原件写两位小数")
    if re.fullmatch(r"-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?", raw):
        raise AmountError(f"'{text}' 带千分位逗号：请写成 {raw.replace(',', '')}")
    if re.fullmatch(r"-?[0-9]{1,2}(,[0-9]{2})+,[0-9]{3}(\.[0-9]+)?", raw):  # 1,23,456.00 (lakh grouping)
        raise AmountError(f"'{text}' 带分组逗号：请写成 {raw.replace(',', '')}")
    if re.fullmatch(r"-?[0-9]{1,3}(\.[0-9]{3})+,[0-9]+", raw):  # 12.345,67 (European)
        plain = raw.replace(".", "").replace(",", ".")
        raise AmountError(f"'{text}' 用 '.' 分千位、用 ',' 作小数点：请写成 {plain}")
    if re.fullmatch(r"-?[0-9]+,[0-9]{1,2}", raw):  # 12,00: a decimal comma (a thousands group has 3 digits)
        raise AmountError(f"'{text}' 用逗号作小数点：请写成 {raw.replace(',', '.')}")
    spaceless = re.sub(r"\s", "", raw)  # \s: NBSP and thin space too, which a page copied from may hold
    if spaceless != raw and PLAIN_AMOUNT.fullmatch(spaceless):
        space = next(f"U+{ord(c):04X}" for c in raw if c.isspace())
        raise AmountError(f"'{text}' 中间有空格（{space}）：请写成 {spaceless}")
    if raw.endswith("万元") or raw.endswith("元"):
        raise AmountError(f"'{text}' 带了单位：只写数字（单位由表格注明）")
    if raw in {"—", "-", "/", "无", "－", "——"}:
        raise AmountError(f"'{text}' 不是金额：原件是零就写 0.00，原件是空白就不写这一格")
    if re.fullmatch(r"\(.*\)|（.*）", raw):
        raise AmountError(f"'{text}' 用括号表示负数：请用负号，如 -{raw.strip('()（）')}")
    if re.fullmatch(r"-?0[0-9]+(\.[0-9]+)?", raw):
        raise AmountError(f"'{text}' 开头多了 0：请去掉开头的 0")
    raise AmountError(f"'{text}' 不是金额：请写成普通小数，如 2549.18")


PLAIN_PERCENT = re.compile(r"(-?(?:0|[1-9][0-9]*)(?:\.[0-9]{1,4})?)\s*%")


def parse_percent(text: str) -> Decimal:
    """'287.00%' → Decimal('287.00'): a share or a rate as printed, in per cent."""
    raw = unicodedata.normalize("NFKC", text.strip())
    if raw == "0":  # a nil share printed without its sign
        return Decimal(0)
    match = PLAIN_PERCENT.fullmatch(raw)
    if match is None:
        if PLAIN_AMOUNT.fullmatch(raw):
            raise AmountError(f"'{text}' 少了 '%'：请照原件写百分比，如 {raw}%")
        raise AmountError(f"'{text}' 不是百分比：请照原件写，如 98.50%")
    return _exact_in_downloads(Decimal(match.group(1)), text)


def format_percent(value: Decimal) -> str:
    return f"{value}%"


def format_amount(value: Decimal) -> str:
    """29455.67 → '29,455.67' (thousands separators, two decimals), exactly."""
    return f"{value:,.2f}"
