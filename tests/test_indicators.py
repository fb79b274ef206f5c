"""Performance tables (绩效目标申报表, 绩效自评表): the indicator tree, its checks and its rendering."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from generator.check.document import check_document
from generator.core.model import IndicatorTable
from generator.core.results import ERROR, OK, UNCHECKED, WARNING
from generator.load.indicators import convert, parse_target, read_actual
from generator.load.loader import load_site
from generator.render.indicators import render_indicator_table

from helpers import DATA, SELF_EVALUATION, place, write_document


def loaded(data_dir: Path, text: str = SELF_EVALUATION):
    write_document(data_dir, text)
    site, problems = load_site(data_dir)
    root = str(data_dir) + "/"
    return site, [str(p).replace(root, "") for p in problems.sorted()]


def the_table(site) -> IndicatorTable:
    return next(t for _, t in site.documents[0].tables() if isinstance(t, IndicatorTable))


@pytest.mark.parametrize(
    "text, comparator, low, high, unit",
    [
        ("≥95%", "≥", "95", None, "%"),
        (">=3 万人", "≥", "3", None, "万人"),
        ("≤120%", "≤", "120", None, "%"),
        ("±20%以内", "±", "20", None, "%"),  # the 以内 says the ± again
        # a number with no comparator is what the year was to reach: 达到 (≥)
        ("550元/人/年", "≥", "550", None, "元/人/年"),
        ("426000人", "≥", "426000", None, "人"),
        ("100%", "≥", "100", None, "%"),
        ("100%发放到位", "≥", "100", None, "%"),  # a per cent, the words after it say of what
        ("80%-90%", "区间", "80", "90", "%"),
        ("3～5 个工作日", "区间", "3", "5", "个工作日"),
        ("＞２次", ">", "2", None, "次"),
        ("＜ 3 天", "<", "3", None, "天"),
        ("=100%", "=", "100", None, "%"),
        ("不低于95%", "≥", "95", None, "%"),
        ("不少于 20 家", "≥", "20", None, "家"),
        ("达到 98%", "≥", "98", None, "%"),
        ("不高于 5 万元", "≤", "5", None, "万元"),
        ("不超过10次", "≤", "10", None, "次"),  # not 超过 (>)
        ("超过3家", ">", "3", None, "家"),
        ("低于 2%", "<", "2", None, "%"),
        ("95%以上", "≥", "95", None, "%"),
        ("≥95%以上", "≥", "95", None, "%"),
        ("15 个工作日以内", "≤", "15", None, "个工作日"),
        ("5%以下", "≤", "5", None, "%"),
    ],
)
def test_targets_with_a_comparator_are_read(text, comparator, low, high, unit):
    target = parse_target(text)
    assert (target.comparator, target.low, target.high, target.unit) == (
        comparator,
        Decimal(low),
        Decimal(high) if high else None,
        unit,
    )
    assert target.text == text  # shown as printed


@pytest.mark.parametrize(
    "text",
    [
        "》 98%",
        "实现困难群众参保100%",
        "按时拨付到位",
        "2018年预算安排1200万元",
        "稳定在95%以上",
        "≥95%以内",  # two comparators that disagree: not read
        "支付 1-12 月精神病人住院救助",
    ],
)
def test_targets_in_words_are_never_guessed_at(text):
    assert parse_target(text).comparator is None


@pytest.mark.parametrize(
    "text, read",
    [
        ("42.37 万人", ("=", "42.37", "万人")),
        ("424047", ("=", "424047", "")),
        ("100%到位", ("=", "100", "%")),
        (">95%", (">", "95", "%")),
        ("≥100%", ("≥", "100", "%")),
        ("6 个月", ("=", "6", "个月")),
        ("去年0.8，今年2.2", None),
        ("年末结余6万", None),
        ("发放及时", None),
        ("", None),
    ],
)
def test_actuals_are_read_as_a_number_with_a_unit_or_not_at_all(text, read):
    expected = (read[0], Decimal(read[1]), read[2]) if read else None
    assert read_actual(text) == expected


@pytest.mark.parametrize(
    "value, unit, to, expected",
    [
        ("42.37", "万人", "人", "423700"),
        ("426000", "人", "万人", "42.6"),
        ("3", "亿元", "万元", "30000"),
        ("5", "次", "次", "5"),
        ("390", "次", "次/周", None),  # a count and a rate: no conversion
        ("580", "元/人", "元/人/年", None),
        ("3", "万人", "人次", None),
    ],
)
def test_units_convert_only_by_a_scale_word(value, unit, to, expected):
    converted = convert(Decimal(value), unit, to)
    assert converted == (Decimal(expected) if expected else None)


def test_the_tree_loads_with_groups_and_leaves(data_dir):
    site, problems = loaded(data_dir)
    assert problems == []
    table = the_table(site)
    assert [g.name for g in table.sets[0].groups] == ["产出指标", "满意度指标"]
    assert [g.name for g in table.sets[0].groups[0].children] == ["数量指标", "质量指标"]
    assert [leaf.name for leaf in table.leaves()] == ["救助人次", "发放率", "准确率", "满意度"]
    assert table.facts == [("项目名称", "城乡医疗救助"), ("填表人及电话", "")]
    assert table.funds[0].rate == Decimal("95.00")


def test_a_clean_table_checks_out(data_dir):
    site, _ = loaded(data_dir)
    results = check_document(site.documents[0])
    # what the table gives a reader to ask about: a target missed with full marks, and the
    # 满意度 point deducted with its 未完成原因 left blank
    asked = ("救助人次", "满意度”扣了分")
    statuses = {r.says: r.status for r in results}
    assert all(status == OK for says, status in statuses.items() if not any(a in says for a in asked)), statuses
    # (1950 − 50) ÷ 2000 = 95.00%
    rate = next(r for r in results if "执行率" in r.says)
    assert (rate.status, rate.expected) == (OK, Decimal("95.00"))


def test_missed_target_with_full_marks_is_pointed_out(data_dir):
    site, _ = loaded(data_dir)
    results = [r for r in check_document(site.documents[0]) if r.status == WARNING and "未达到" in r.says]
    assert len(results) == 1
    assert "救助人次" in results[0].says and "2800人次" in results[0].says
    assert results[0].mark.line == place(SELF_EVALUATION.lstrip("\n"), "{name: 救助人次")[0]


@pytest.mark.parametrize(
    "old, new, warned",
    [
        ("score: 20, scored: 19}", "score: 20, scored: 19}", True),
        ("score: 20, scored: 19}", "score: 20, scored: 19, reason: 个别投诉未及时回复}", False),
        ("score: 20, scored: 19}", "score: 20, scored: 19, reason: ' '}", True),
        # a table that prints no reason column is not asked for one
        ("          indicators:\n", "          columns: [level1, level2, name, target, actual, score, scored]\n"
         "          indicators:\n", False),
    ],
)  # fmt: skip
def test_a_deduction_with_no_reason_written_is_pointed_out(data_dir, old, new, warned):
    text = SELF_EVALUATION.replace(old, new, 1)
    site, problems = loaded(data_dir, text)
    assert problems == []
    found = [r for r in check_document(site.documents[0]) if "扣了分" in r.says]
    assert [r.status for r in found] == ([WARNING] if warned else [])
    if warned:
        assert "满意度" in found[0].says and found[0].mark.line == place(text.lstrip("\n"), "{name: 满意度")[0]


@pytest.mark.parametrize(
    "old, new, status, words",
    [
        ("score: 20, scored: 19}", "score: 20, scored: 21}", ERROR, "得分不应超过分值"),
        ("total: {score: 100, scored: 98.5}", "total: {score: 100, scored: 97.5}", ERROR, "总分 = 各项指标得分之和"),
        ("total: {score: 100, scored: 98.5}", "total: {score: 90, scored: 98.5}", ERROR, "总分的分值"),
        ("rate: 95.00%", "rate: 97.50%", WARNING, "执行率"),
    ],
)
def test_each_check_can_fail(data_dir, old, new, status, words):
    assert old in SELF_EVALUATION
    site, problems = loaded(data_dir, SELF_EVALUATION.replace(old, new))
    assert problems == []
    failing = [r for r in check_document(site.documents[0]) if r.status == status and words in r.says]
    assert len(failing) == 1, [r.explain() for r in check_document(site.documents[0])]
    assert failing[0].mark.path.endswith("juesuan.yaml") and failing[0].mark.line > 0


def test_a_rate_without_its_figures_is_unchecked(data_dir):
    site, _ = loaded(data_dir, SELF_EVALUATION.replace("budget: 2000, ", ""))
    rate = next(r for r in check_document(site.documents[0]) if "执行率" in r.says)
    assert rate.status == UNCHECKED


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("rate: 95.00%", "rate: 95.00", "'95.00' 少了 '%'：请照原件写百分比，如 95.00%"),
        ("scored: 19}", "scored: 十九}", "'十九' 不是金额"),
        (
            "- {name: 准确率",
            "- {nmae: 准确率",
            "绩效指标中没有键 'nmae'：是不是要写 'name'？",
        ),
        ("stage: 自评", "stage: 评价", "'评价' 不是可写的值：请写 申报、自评 之一"),
        (
            "                - name: 质量指标\n                  items:\n                    - {name: 准确率",
            "                - {name: 准确率",
            "这个分组的各项还要再分 1 层",
        ),
    ],
)
def test_mistakes_are_reported_where_they_are(data_dir, old, new, expected):
    assert old in SELF_EVALUATION
    _, problems = loaded(data_dir, SELF_EVALUATION.replace(old, new))
    assert problems and any(expected in p for p in problems), problems
    assert all(re.match(r"ceshi-ybj/2020/juesuan\.yaml:\d+:\d+: ", p) for p in problems), problems


def test_unknown_columns_are_reported(data_dir):
    text = SELF_EVALUATION.replace(
        "          indicators:\n", "          columns: [level1, level2, name, taget]\n          indicators:\n", 1
    )
    _, problems = loaded(data_dir, text)
    assert any("没有 'taget' 这一列" in p for p in problems), problems


def test_rendering_merges_the_group_cells_over_their_rows(data_dir):
    site, _ = loaded(data_dir)
    html = str(render_indicator_table(the_table(site)))
    # 产出指标 heads three rows, 数量指标 two; single-row groups need no span
    assert re.search(r'<th scope="rowgroup" class="gk-level" rowspan="3">产出指标</th>', html)
    assert re.search(r'<th scope="rowgroup" class="gk-level" rowspan="2">数量指标</th>', html)
    assert '<th scope="rowgroup" class="gk-level">质量指标</th>' in html
    assert html.count('<tr><th scope="rowgroup"') == 3  # rows that open a group: 救助人次, 准确率, 满意度
    for leaf in the_table(site).leaves():
        assert f'<td class="gk-num gk-score" data-label="分值">{leaf.score}</td>' in html
        assert f'<td class="gk-num gk-scored" data-label="得分">{leaf.scored}</td>' in html
    assert 'data-comparator="≥" data-value="3000" data-unit="人次"' in html
    assert ">总分</th>" in html and ">98.5</td>" in html


def test_amounts_are_shown_with_the_digits_printed_and_thousands_separators():
    """Seed 000 prints 10276 beside 29525.64, seed 003 43.2 and 1200: so the page shows them
    (10,276, not 10,276.00), right-aligned as every figure (gk-num); scores as typed (0.00)."""
    site, problems = load_site(DATA)
    assert not problems.items
    tables = {
        (document.bureau.slug, table.anchor): table
        for document in site.documents
        for _, table in document.tables()
        if isinstance(table, IndicatorTable)
    }
    overall = str(render_indicator_table(tables["changsha-wangcheng-ybj", "zpb-zhengti"]))
    funds = re.findall(r'<td class="gk-num">([^<]*)</td>', overall.split("资金情况", 1)[1].split("</table>", 1)[0])
    # 资金来源, A, B, C, 分值, 执行率, 得分: the first row prints no 分值 or 得分
    assert funds == ["10,276", "29,525.64", "0", "", "287.00%", ""] + [
        "10,276",
        "29,525.64",
        "0",
        "10",
        "287.00%",
        "0.00",
    ]
    declaration = str(render_indicator_table(tables["wuhan-dongxihu-ybj", "sbb-xingzheng-kaiban"]))
    assert '<td class="gk-num">43.2</td>' in declaration and '<td class="gk-num">9.42</td>' in declaration
    assert "43.20" not in declaration


DECLARATION = """
title: 2020年测试区医疗保障局部门预算
kind: 预算
year: 2020
parts:
  - title: 第四部分 绩效目标申报表
    sections:
      - title: 项目绩效目标申报表
        table:
          id: sbb-test
          title: 项目绩效目标申报表
          stage: 申报
          money:
            - title: 项目资金来源
              columns: [金额]
              rows:
                - {label: 合计, total: true, 金额: 200}
                - {label: 公共预算财政拨款, 金额: 150}
                - {label: 其他资金, 金额: 40}
            - title: 收入构成
              columns: [当年金额, {label: 占比, type: percent}]
              rows:
                - {label: 财政拨款, 当年金额: 75, 占比: 75%}
                - {label: 其他资金, 当年金额: 25, 占比: 20%}
                - {label: 合计, total: true, 当年金额: 100, 占比: 100%}
          indicator_sets:
            - label: 长期绩效指标
              goal: 长期目标 1：建立更加公平持续的社会保障制度
              indicators:
                - name: 产出指标
                  items:
                    - name: 数量指标
                      items:
                        - {name: 社会保险扩面, target: 21 万}
            - label: 年度绩效指标
              indicators:
                - name: 产出指标
                  items:
                    - name: 质量指标
                      items:
                        - {name: 完成业务工作目标, target: ≥95%, standard: 按年度考核}
"""


def test_a_declaration_carries_targets_and_its_money_adds_up_or_not(data_dir):
    site, problems = loaded(data_dir, DECLARATION)
    assert problems == []
    table = the_table(site)
    assert [s.label for s in table.sets] == ["长期绩效指标", "年度绩效指标"]
    results = check_document(site.documents[0])
    money = {(r.says.split("：", 1)[1], r.status) for r in results}
    assert ("项目资金来源“合计”金额 = 各项之和", ERROR) in money  # 150 + 40 ≠ 200
    assert ("收入构成“合计”当年金额 = 各项之和", OK) in money
    shares = {r.says: (r.status, r.expected) for r in results if "占比" in r.says}
    assert shares["项目绩效目标申报表：收入构成“其他资金”的占比（%）= 25.00 ÷ 100.00"] == (WARNING, Decimal(25))
    html = str(render_indicator_table(table))
    assert "指标值" in html and "绩效标准" in html and "完成值" not in html  # a 申报表 prints targets only
    assert "长期目标 1：建立更加公平持续的社会保障制度" in html
