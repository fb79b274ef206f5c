"""Amounts: exact decimals in, the published two-decimal form out."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

PLAIN_AMOUNT = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]{1,2})?")


class AmountError(ValueError):
    pass


def parse_amount(text: str) -> Decimal:
    """Parse an amount as a clerk types it; anything ambiguous is refused with what to write instead."""
    raw = text.strip()
    if PLAIN_AMOUNT.fullmatch(raw):
        value = Decimal(raw)
        return value if value else Decimal("0.00") if "." in raw else Decimal(0)
    folded = unicodedata.normalize("NFKC", raw)
    if folded != raw and PLAIN_AMOUNT.fullmatch(folded.replace(",", "")):
        raise AmountError(f"'{text}' uses full-width characters: write {folded.replace(',', '')}")
    if re.fullmatch(r"-?[0-9]+\.[0-9]{3,}", raw):
        raise AmountError(f"'{text}' has more than two decimal places: amounts are published to 0.01")
    if re.fullmatch(r"-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?", raw):
        raise AmountError(f"'{text}' has thousands separators: write {raw.replace(',', '')}")
    if re.fullmatch(r"-?[0-9]{1,2}(,[0-9]{2})+,[0-9]{3}(\.[0-9]+)?", raw):  # 1,23,456.00 (lakh grouping)
        raise AmountError(f"'{text}' has digit-group separators: write {raw.replace(',', '')}")
    if re.fullmatch(r"-?[0-9]{1,3}(\.[0-9]{3})+,[0-9]+", raw):  # 12.345,67 (European)
        plain = raw.replace(".", "").replace(",", ".")
        raise AmountError(f"'{text}' uses '.' between thousands and ',' before decimals: write {plain}")
    if re.fullmatch(r"-?[0-9]+,[0-9]{1,2}", raw):  # 12,00: a decimal comma (a thousands group has 3 digits)
        raise AmountError(f"'{text}' has a decimal comma: write {raw.replace(',', '.')}")
    spaceless = re.sub(r"\s", "", raw)  # \s: NBSP and thin space too, which a page copied from may hold
    if spaceless != raw and PLAIN_AMOUNT.fullmatch(spaceless):
        space = next(f"U+{ord(c):04X}" for c in raw if c.isspace())
        raise AmountError(f"'{text}' has a space ({space}) inside: write {spaceless}")
    if raw.endswith("万元") or raw.endswith("元"):
        raise AmountError(f"'{text}' carries a unit: write the number only (the unit is the table's)")
    if raw in {"—", "-", "/", "无", "－", "——"}:
        raise AmountError(f"'{text}' is not an amount: write 0.00, or leave the cell out if it is blank")
    if re.fullmatch(r"\(.*\)|（.*）", raw):
        raise AmountError(f"'{text}': write a negative amount with a minus sign")
    if re.fullmatch(r"-?0[0-9]+(\.[0-9]+)?", raw):
        raise AmountError(f"'{text}' has a leading zero: write it without")
    raise AmountError(f"'{text}' is not an amount: write a plain decimal such as 2549.18")


PLAIN_PERCENT = re.compile(r"(-?(?:0|[1-9][0-9]*)(?:\.[0-9]{1,4})?)\s*%")


def parse_percent(text: str) -> Decimal:
    """'287.00%' → Decimal('287.00'): a share or a rate as printed, in per cent."""
    raw = unicodedata.normalize("NFKC", text.strip())
    if raw == "0":  # a nil share printed without its sign
        return Decimal(0)
    match = PLAIN_PERCENT.fullmatch(raw)
    if match is None:
        if PLAIN_AMOUNT.fullmatch(raw):
            raise AmountError(f"'{text}' has no '%': write a rate as printed, e.g. {raw}%")
        raise AmountError(f"'{text}' is not a percentage: write it as printed, e.g. 98.50%")
    return Decimal(match.group(1))


def format_percent(value: Decimal) -> str:
    return f"{value}%"


def format_amount(value: Decimal) -> str:
    """29455.67 → '29,455.67' (thousands separators, two decimals), exactly."""
    return f"{value:,.2f}"
