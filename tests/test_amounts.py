"""Amounts: exact decimals, two places at most, anything ambiguous refused with advice."""

from decimal import Decimal

import pytest

from generator.amounts import AmountError, format_amount, parse_amount


@pytest.mark.parametrize(
    "text, value",
    [
        ("2549.18", "2549.18"),
        ("2549.1", "2549.1"),
        ("2549", "2549"),
        ("0.00", "0.00"),
        ("-5", "-5"),
        ("-0", "0"),
        ("0", "0"),
        ("123456789012345.67", "123456789012345.67"),
        ("265", "265"),
        (" 12.50 ", "12.50"),
    ],
)
def test_plain_decimals_are_exact(text, value):
    parsed = parse_amount(text)
    assert isinstance(parsed, Decimal) and parsed == Decimal(value)


@pytest.mark.parametrize(
    "text, advice",
    [
        ("2,549.18", "thousands separators"),
        ("2549.185", "more than two decimal places"),
        ("２５４９．１８", "full-width"),
        ("２，５４９．１８", "full-width"),
        ("12.00万元", "carries a unit"),
        ("—", "leave the cell out"),
        ("无", "leave the cell out"),
        ("（12.00）", "minus sign"),
        ("010", "leading zero"),
        ("1e3", "not an amount"),
        ("1_000", "not an amount"),
        ("0x1F", "not an amount"),
        (".5", "not an amount"),
        ("+5", "not an amount"),
        (".nan", "not an amount"),
        (".inf", "not an amount"),
        ("12,00", "decimal comma: write 12.00"),
        ("1,23,456.00", "separators: write 123456.00"),
        ("12.345,67", "write 12345.67"),
        ("5%", "not an amount"),
        ("2\u00a0549.18", "space (U+00A0) inside: write 2549.18"),
        ("2.5e2", "not an amount"),
        ("0o10", "not an amount"),
    ],
)
def test_ambiguous_amounts_are_refused_with_advice(text, advice):
    with pytest.raises(AmountError) as info:
        parse_amount(text)
    assert advice in str(info.value)


@pytest.mark.parametrize(
    "value, shown",
    [
        ("29455.67", "29,455.67"),
        ("0", "0.00"),
        ("57.5", "57.50"),
        ("-1234.5", "-1,234.50"),
        ("123456789012345.67", "123,456,789,012,345.67"),
        ("2.67", "2.67"),
    ],
)
def test_published_form_has_two_decimals_and_separators(value, shown):
    assert format_amount(Decimal(value)) == shown
