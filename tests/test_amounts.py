"""Amounts: exact decimals, two places at most, anything ambiguous refused with advice."""

from decimal import Decimal

import pytest

from generator.core.amounts import AmountError, format_amount, parse_amount


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
        ("1234567890123.45", "1234567890123.45"),  # 15 significant digits: what the downloads carry exactly
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
        ("2,549.18", "带千分位逗号：请写成 2549.18"),
        ("2549.185", "超过两位小数"),
        ("２５４９．１８", "用了全角字符：请写成 2549.18"),
        ("２，５４９．１８", "用了全角字符：请写成 2549.18"),
        ("12.00万元", "带了单位：只写数字"),
        ("—", "原件是零就写 0.00，原件是空白就不写这一格"),
        ("无", "原件是零就写 0.00，原件是空白就不写这一格"),
        ("（12.00）", "请用负号，如 -12.00"),
        ("010", "开头多了 0"),
        ("1e3", "不是金额"),
        ("1_000", "不是金额"),
        ("0x1F", "不是金额"),
        (".5", "不是金额"),
        ("+5", "不是金额"),
        (".nan", "不是金额"),
        (".inf", "不是金额"),
        ("12,00", "用逗号作小数点：请写成 12.00"),
        ("1,23,456.00", "带分组逗号：请写成 123456.00"),
        ("12.345,67", "请写成 12345.67"),
        ("5%", "不是金额"),
        ("2\u00a0549.18", "中间有空格（U+00A0）：请写成 2549.18"),
        ("2.5e2", "不是金额"),
        ("0o10", "不是金额"),
        ("123456789012345.67", "有 17 位有效数字：下载的 Excel、JSON 只能精确保存 15 位"),
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
