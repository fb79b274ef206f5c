"""数据核对: each rule kind, rounding tolerance, located findings, and malformed rules."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from generator.check.document import check_document
from generator.core.results import ERROR, NOTICE, OK, UNCHECKED, WARNING
from generator.load.loader import load_site

from helpers import DATA, MINIMAL_BUREAU, MINIMAL_DOCUMENT, copy_fragment_forms, write, write_document

COLUMNS = ["财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"]
# The title names the bureau: a cover naming none is a warning (check/text_quality.py).
HEAD = """\
title: 2020年度测试区医疗保障局部门决算
kind: 决算
year: 2020
form_set: hunan-juesuan-2020
parts:
  - title: 第二部分 决算表
    sections:
"""


def row_yaml(code: str | None, name: str, values: dict[str, Decimal]) -> str:
    cells = ", ".join(f"{k}: {v}" for k, v in values.items())
    code_part = f'科目编码: "{code}", ' if code else ""
    return f"            - {{{code_part}科目名称: {name}, {cells}}}\n"


def table_yaml(form: str, rows: list[str]) -> str:
    return f"      - title: 表\n        table:\n          form: {form}\n          rows:\n" + "".join(rows)


def site_of(text: str):
    """A site of one document with the real forms, loaded without problems."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "data"
        copy_fragment_forms(root / "forms")
        write(root / "ce" / "bureau.yaml", MINIMAL_BUREAU)
        write(root / "ce" / "2020" / "juesuan.yaml", text)
        site, problems = load_site(root)
        assert not problems.items, [str(p) for p in problems.items]
        return site


def results_for(text: str):
    return check_document(site_of(text).documents[0])


amounts = st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def consistent_table(draw):
    """A 公开02表 whose every row adds up across and whose 类/款/项 add up down."""
    tree = []
    for _ in range(draw(st.integers(1, 3))):
        kuan = []
        for _ in range(draw(st.integers(1, 3))):
            xiang = [{c: draw(amounts) for c in COLUMNS} for _ in range(draw(st.integers(1, 3)))]
            kuan.append(xiang)
        tree.append(kuan)

    def with_total(values):
        return {"本年收入合计": sum(values.values(), Decimal(0)), **values}

    def add(rows):
        return {c: sum((r[c] for r in rows), Decimal(0)) for c in COLUMNS}

    lines = []
    lei_sums = []
    for i, kuan in enumerate(tree):
        lei = f"2{i + 1:02d}"
        kuan_sums = [add(xiang) for xiang in kuan]
        lei_sum = add(kuan_sums)
        lei_sums.append(lei_sum)
        lines.append((lei, f"类{i}", with_total(lei_sum)))
        for j, xiang in enumerate(kuan):
            k = f"{lei}{j + 1:02d}"
            lines.append((k, f"款{i}{j}", with_total(kuan_sums[j])))
            for n, leaf in enumerate(xiang):
                lines.append((f"{k}{n + 1:02d}", f"项{i}{j}{n}", with_total(leaf)))
    lines.insert(0, (None, "合计", with_total(add(lei_sums))))
    return lines


def document_of(lines) -> str:
    return HEAD + table_yaml("公开02表", [row_yaml(code, name, values) for code, name, values in lines])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent_table())
def test_a_consistent_table_passes(lines):
    # a table of zeros only is an empty table, which must say so (test_completeness.py)
    assume(any(value != 0 for _, _, values in lines for value in values.values()))
    results = results_for(document_of(lines))
    assert results and all(r.status == OK for r in results)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent_table(), st.data())
def test_changing_any_cell_beyond_tolerance_is_caught_at_its_line(lines, data):
    index = data.draw(st.integers(0, len(lines) - 1))
    column = data.draw(st.sampled_from(["本年收入合计", *COLUMNS]))
    delta = data.draw(st.decimals(min_value=Decimal("0.07"), max_value=10**6, places=2)) * data.draw(
        st.sampled_from([1, -1])
    )
    code, name, values = lines[index]
    changed = dict(values, **{column: values[column] + delta})
    lines = lines[:index] + [(code, name, changed)] + lines[index + 1 :]
    results = results_for(document_of(lines))
    row_line = HEAD.count("\n") + 5 + index  # the rows start after the table's four header lines
    errors = [r for r in results if r.status == ERROR]
    assert errors, "a change of more than 0.06 must be an error for a row with six addends"
    assert row_line in {r.mark.line for r in errors}


def test_a_rounding_residue_is_a_notice_and_a_larger_miss_an_error():
    # the sum rule of the 合计 row (its bound, 本年收入合计 ≥ 0, holds whatever the rounding)
    def with_total(total):
        return HEAD + table_yaml(
            "公开02表",
            [
                row_yaml(
                    None,
                    "合计",
                    {
                        "本年收入合计": Decimal(total),
                        "财政拨款收入": Decimal("1.00"),
                        "其他收入": Decimal("2.00"),
                        "事业收入": Decimal("3.00"),
                    },
                ),
            ],
        )

    assert [r.status for r in results_for(with_total("6.00")) if not r.says.endswith("≥ 0")] == [OK]
    assert [r.status for r in results_for(with_total("6.01")) if not r.says.endswith("≥ 0")] == [NOTICE]
    # three printed addends and their total, each rounded to half a cent: 0.005 × 4 = 0.02 (the
    # other three columns are blank, no figure and no rounding)
    assert [r.status for r in results_for(with_total("6.02")) if not r.says.endswith("≥ 0")] == [NOTICE]
    assert [r.status for r in results_for(with_total("6.03")) if not r.says.endswith("≥ 0")] == [ERROR]
    assert [r.status for r in results_for(with_total("1006.00")) if not r.says.endswith("≥ 0")] == [ERROR]


def test_three_row_total_off_by_five_hundredths_is_an_error():
    text = (
        HEAD
        + """\
      - title: 三公
        table:
          form: 公开07表
          rows:
            - {预算合计: 3.05, 预算因公出国境费: 1.00, 预算公务用车小计: 1.00, 预算公务接待费: 1.00}
"""
    )
    results = results_for(text)
    assert [(r.status, r.mark.line) for r in results if r.status != UNCHECKED] == [(ERROR, 12)]
    assert "应为 3.00，表中为 3.05，相差 0.05" in results[0].explain()


def test_two_sided_tables_must_balance_and_cross_table_figures_agree():
    text = (
        HEAD
        + """\
      - title: 总表
        table:
          form: 公开01表
          values:
            收入:
              一般公共预算财政拨款收入: 100.00
              本年收入合计: 100.00
              总计: 100.00
            支出:
              卫生健康支出: 90.00
              本年支出合计: 90.00
              年末结转和结余: 10.00
              总计: 100.50
"""
        + table_yaml(
            "公开02表", [row_yaml(None, "合计", {"本年收入合计": Decimal("99.00"), "财政拨款收入": Decimal("99.00")})]
        )
        + table_yaml(
            "公开03表",
            [
                row_yaml(None, "合计", {"本年支出合计": Decimal("90.00"), "基本支出": Decimal("90.00")}),
                row_yaml("210", "卫生健康支出", {"本年支出合计": Decimal("80.00"), "基本支出": Decimal("80.00")}),
            ],
        )
    )
    results = results_for(text)
    failed = {r.says: r for r in results if r.status == ERROR}
    assert "公开01表 收入·总计 = 支出·总计" in failed and failed["公开01表 收入·总计 = 支出·总计"].mark.line == 15
    assert "公开01表 支出·总计 = 支出·本年支出合计 + 支出·结余分配 + 支出·年末结转和结余" in failed
    assert "公开01表 收入·本年收入合计 = 公开02表 合计·本年收入合计" in failed
    by_name = [r for r in results if r.says.startswith("公开01表 支出·卫生健康支出 = 公开03表 210")]
    assert [(r.status, r.expected, r.found) for r in by_name] == [(ERROR, Decimal("80.00"), Decimal("90.00"))]
    assert not [r for r in results if r.says.startswith("公开04表")]  # no 公开04表 in the document: nothing to check


def test_a_malformed_rule_is_reported_at_its_line_in_the_form_file(data_dir):
    forms = data_dir / "forms" / "hunan-juesuan-2020.yaml"
    text = forms.read_text(encoding="utf-8")
    broken = text.replace(
        "      - columns: 合计 = 基本支出 + 项目支出\n", "      - columns: 合计 = 基本支出 + 项目支岀\n", 1
    )
    broken = broken.replace(
        "  - cells: 公开01表:收入.本年收入合计 = 公开02表:合计.本年收入合计\n",
        "  - cells: 公开01表:收入.本年收入合计 = 公开02表:合计.本年收入合计 = 1\n",
        1,
    )
    assert broken.count("\n") == text.count("\n") and broken != text
    forms.write_text(broken, encoding="utf-8")
    _, problems = load_site(data_dir)
    lines = broken.splitlines()
    first = lines.index("      - columns: 合计 = 基本支出 + 项目支岀") + 1
    second = lines.index("  - cells: 公开01表:收入.本年收入合计 = 公开02表:合计.本年收入合计 = 1") + 1
    found = {(p.mark.line, p.mark.column): p.message for p in problems.items}
    assert found[(first, 9)] == "columns 规则：'项目支岀' 不是 公开05表 的金额列"
    assert found[(second, 5)].startswith("cells 规则：规则要写成“合计 = 项 + 项 …”（或 <=、>=），只能有一个 '='")


PROSE_DOC = (
    HEAD.replace("  - title: 第二部分 决算表\n    sections:\n", "")
    + """\
  - title: 第二部分 决算表
    sections:
      - title: 二、收入决算表
        table:
          form: 公开02表
          rows:
            - {科目名称: 合计, 本年收入合计: 55.11, 财政拨款收入: 50.00, 其他收入: 5.11}
  - title: 第三部分 情况说明
    sections:
      - title: 二、收入决算情况说明
        body: |
          本年收入合计BODY
"""
)


def prose_results(body: str):
    return [r for r in results_for(PROSE_DOC.replace("本年收入合计BODY", body)) if r.says.startswith("“")]


def test_figures_retyped_in_prose_are_compared_with_the_tables():
    agree = prose_results("本年收入合计55.11万元，其中：财政拨款收入50.00万元，占90.73%；其他收入5.11万元，占9.27%。")
    assert [r.status for r in agree] == [OK, OK, OK, OK, OK]
    wrong_share = prose_results("本年收入合计55.11万元，其中：财政拨款收入50.00万元，占91.00%。")
    assert sorted(r.status for r in wrong_share) == [OK, OK, WARNING]
    assert "应为 90.73，文中为 91.00" in next(r for r in wrong_share if r.status == WARNING).explain()
    wrong_amount = prose_results("本年收入合计56.11万元。")
    assert [(r.status, r.expected, r.found) for r in wrong_amount] == [(WARNING, Decimal("55.11"), Decimal("56.11"))]
    growth = prose_results("与上年相比，增加1.00万元，增长5.00%。")
    # changes against the prior year are not shares of this year's tables (its missing reason is
    # another rule's: tests/test_prose_meaning.py)
    assert [r for r in growth if "原因" not in r.says] == []


def test_a_share_is_of_the_figure_it_names_at_the_precision_printed():
    named = prose_results(
        "本年收入合计 55.11 万元，其中：财政拨款收入 50.00 万元，其他收入 5.11 万元，占本年收入合计的 9.3 %。"
    )
    share = next(r for r in named if "占" in r.says)
    assert (share.status, share.expected) == (OK, Decimal("9.3"))  # 5.11 ÷ 55.11 = 9.27…% prints as 9.3%
    wrong = prose_results(
        "本年收入合计55.11万元，其中：财政拨款收入50.00万元，其他收入5.11万元，占本年收入合计的9.5%。"
    )
    assert [r.status for r in wrong if "占" in r.says] == [WARNING]
    # 预算 then 决算: an unnamed share may be of either earlier figure, but of one of them
    two = prose_results("本年收入合计60.00万元，实际收入55.11万元，其中：财政拨款收入50.00万元，占90.73%。")
    assert [r.status for r in two if "占" in r.says] == [OK]
    unknown = prose_results("本年收入合计55.11万元，其中：财政拨款收入50.00万元，占总支出的50%。")
    assert [r for r in unknown if "占" in r.says] == []  # a base the sentence does not give is not guessed


def test_a_figure_reference_renders_the_table_figure_and_a_bad_one_is_an_error(tmp_path):
    from generator.render.pages import all_pages

    text = PROSE_DOC.replace("本年收入合计BODY", "本年收入合计{{公开02表:合计.本年收入合计}}万元，{{ 7*7 }}。")
    page = next(p for p in all_pages(site_of(text), tmp_path) if p.src.endswith("part2.md"))
    assert "本年收入合计55.11万元，{{ 7*7 }}。" in page.whole
    bad = results_for(PROSE_DOC.replace("本年收入合计BODY", "本年收入合计{{公开02表:合计.本年收入合记}}万元"))
    errors = [r for r in bad if r.status == ERROR]
    assert len(errors) == 1 and "公开02表 没有金额列 '本年收入合记'" in errors[0].explain()


def test_each_code_in_two_tables_must_agree_and_a_code_in_one_only_is_flagged(data_dir):
    forms = data_dir / "forms" / "hunan-juesuan-2020.yaml"
    declared = forms.read_text(encoding="utf-8")
    assert declared.count("\nrules:\n") == 1  # the form set's own rules, across its forms
    forms.write_text(
        declared.replace("\nrules:\n", "\nrules:\n  - codes: 公开02表:本年收入合计 = 公开03表:本年支出合计\n"),
        encoding="utf-8",
    )
    text = (
        HEAD
        + table_yaml(
            "公开02表",
            [
                row_yaml("2101501", "行政运行", {"本年收入合计": Decimal("569.36")}),
                row_yaml("2101502", "一般行政管理事务", {"本年收入合计": Decimal("10.00")}),
            ],
        )
        + table_yaml(
            "公开03表",
            [
                row_yaml("2101601", "行政运行", {"本年支出合计": Decimal("505.36")}),
                row_yaml("2101502", "一般行政管理事务", {"本年支出合计": Decimal("10.00")}),
            ],
        )
    )
    write_document(data_dir, text)
    site, problems = load_site(data_dir)
    assert not problems.items
    coded = [r for r in check_document(site.documents[0]) if r.says.startswith("公开02表 2") and "公开03表" in r.says]
    assert {(r.says.split()[1], r.status) for r in coded} == {
        ("2101501", WARNING),
        ("2101601", WARNING),
        ("2101502", OK),
    }


REAL_DOCUMENT = "changsha-wangcheng-ybj/2020/juesuan.yaml"


def test_the_real_discrepancies_of_the_wangcheng_juesuan_are_reported():
    """The original's own arithmetic (kept as printed) against its forms' rules."""
    site, problems = load_site(DATA)
    assert not problems
    document = next(d for d in site.documents if d.path.endswith(REAL_DOCUMENT))
    found = {
        (r.status, r.says, r.expected, r.found) for r in check_document(document) if r.status not in (OK, UNCHECKED)
    }
    assert (
        NOTICE,
        "公开01表 支出·总计 = 支出·本年支出合计 + 支出·结余分配 + 支出·年末结转和结余",
        Decimal("29531.76"),
        Decimal("29531.77"),
    ) in found
    assert (NOTICE, "公开06表 决算数：301 工资福利支出 = 其下各款之和", Decimal("827.80"), Decimal("827.82")) in found
    assert (NOTICE, "公开06表 决算数：302 商品和服务支出 = 其下各款之和", Decimal("116.03"), Decimal("116.06")) in found
    assert any(
        status == WARNING and "培训费0.03万元" in says and expected == Decimal("0.00")
        for status, says, expected, _ in found
    )
    assert not [f for f in found if f[0] == ERROR]


def test_a_code_of_the_wrong_length_or_printed_twice_is_pointed_out(data_dir):
    write_document(
        data_dir,
        MINIMAL_DOCUMENT.replace(
            '- {科目编码: "208", 科目名称: 社会保障和就业支出, 本年收入合计: 55.11}',
            '- {科目编码: "208", 科目名称: 社会保障和就业支出, 本年收入合计: 55.11}\n'
            '            - {科目编码: "208050", 科目名称: 机关事业单位基本养老保险缴费支出, 本年收入合计: 1}\n'
            '            - {科目编码: "208", 科目名称: 社会保障和就业支出, 本年收入合计: 0}',
        ),
    )
    site, problems = load_site(data_dir)
    assert not problems.items
    warnings = [r for r in check_document(site.documents[0]) if r.status == WARNING]
    assert sorted((r.mark.line, r.says) for r in warnings) == [
        (
            18,
            "公开02表 科目编码 208050（机关事业单位基本养老保险缴费支出）有 6 位：科目编码应为 3、5 或 7 位（类、款、项），无法确定其上级科目",
        ),
        (19, "公开02表 科目编码 208 出现两次（“社会保障和就业支出”与“社会保障和就业支出”）"),
    ]
