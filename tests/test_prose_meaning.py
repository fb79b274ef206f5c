"""What the prose of a 预算/决算 means, checked against itself and the tables: the reason of a
change (check/changes.py), 机关运行经费 and 政府采购 (check/statements.py), a share of a base the
paragraph names elsewhere (check/prose.py).

Mutations of the reference data are reported at the title of their section; the unchanged data
gives only what the originals print.
"""

from __future__ import annotations

import pytest

from generator.check.document import check_document
from generator.core.results import NOTICE, OK, UNCHECKED, WARNING

from helpers import AMOUNT_TABLE_DOCUMENT, DATA, DONGXIHU, WANGCHENG, checked, load_document, mutated, place

TOTALS = '- title: "一、收入支出决算总体情况说明"'
RUNNING = '- title: "九、关于机关运行经费支出说明"'
TOTALS_REASON = "主要是因为我局为2019年3月新成立单位，2019年只有9个月数据；2020年增加2人，人员经费增加；城乡居民医保基金财政补助增加，医保基金支出增加。"


def results_of(data, relative):
    return checked(data, relative)


def edited(tmp_path, relative, old, new):
    data, text = mutated(tmp_path, relative, old, new)
    return text.replace(old, new), results_of(data, relative)


@pytest.mark.parametrize(
    "path, old, new, needle, found",
    [
        (WANGCHENG, TOTALS_REASON, "", TOTALS, [
            "“一、收入支出决算总体情况说明”：“2020年度本年收入合计29527.51万元，与2019年相比，增加1571.97万元”，却没有写明原因：请照原件核对，说明增减变化的原因",
            "“一、收入支出决算总体情况说明”：“本年支出合计29525.64万元，与2019年相比，增加1574.36万元”，却没有写明原因：请照原件核对，说明增减变化的原因",
        ]),
        (WANGCHENG, "增长128.57%。主要原因是：", "增长128.57%。", RUNNING, [
            "“九、关于机关运行经费支出说明”：“本部门2020年度机关运行经费支出123.43万元，比年初预算数增加69.43万元”，却没有写明原因：请照原件核对，说明增减变化的原因",
        ]),
    ],
)  # fmt: skip
def test_a_change_without_its_reason_is_a_warning_at_its_section(tmp_path, path, old, new, needle, found):
    text, results = edited(tmp_path, path, old, new)
    hits = [r for r in results if "没有写明原因" in r.says and "增减变化" in r.says]
    assert [r.says for r in hits] == found
    assert {r.status for r in hits} == {WARNING}
    assert {r.mark.line for r in hits} == {place(text, needle)[0]}


def test_a_change_of_nothing_needs_no_reason(tmp_path):
    _, results = edited(tmp_path, WANGCHENG, "增加69.43万元，增长128.57%。主要原因是：", "增加0.00万元。")
    assert not any("增加0.00万元" in r.says for r in results)


def test_the_unchanged_reference_gives_every_change_its_reason():
    results = [r for d in (WANGCHENG, DONGXIHU) for r in results_of(DATA, d)]
    changes = [r for r in results if "”，写明了原因" in r.says or "增减变化的原因" in r.says]
    # 望城's five changes from 2019, the 三公 接待费's and the 机关运行经费's from its 预算
    assert len(changes) == 7 and {r.status for r in changes} == {OK}


# ---- 机关运行经费, 政府采购 (check/statements.py) and a share's named base (check/prose.py) ----

PROCUREMENT = '- title: "十一、关于政府采购支出说明"'
DX_PROCUREMENT = "- title: (二) 政府采购预算情况"
SPENDING = '- title: "（一）财政拨款支出决算总体情况"'


@pytest.mark.parametrize(
    "path, old, new, needle, words",
    [
        (WANGCHENG, "政府采购货物支出18.88万元", "政府采购货物支出18.80万元", PROCUREMENT,
         "政府采购支出总额 = 货物 18.80 + 工程 0.00 + 服务 0.00（万元）：应为 18.80，文中为 18.88，相差 0.08"),
        (WANGCHENG, "授予中小企业合同金额18.88万元", "授予中小企业合同金额19.88万元", PROCUREMENT,
         "授予中小企业合同金额 ≤ 政府采购支出总额：应不超过 18.88，文中为 19.88，超出 1.00"),
        (WANGCHENG, "授予小微企业合同金额18.88万元", "授予小微企业合同金额18.98万元", PROCUREMENT,
         "授予小微企业合同金额 ≤ 授予中小企业合同金额：应不超过 18.88，文中为 18.98，超出 0.10"),
        (WANGCHENG, "授予中小企业合同金额18.88万元，占政府采购支出总额的100.00%", "授予中小企业合同金额18.88万元，占政府采购支出总额的10.00%", PROCUREMENT,
         "授予中小企业合同金额占 10.00%（18.88 ÷ 18.88）：应为 100.00，文中为 10.00"),
        (DONGXIHU, "货物类64万元", "货物类60万元", DX_PROCUREMENT,
         "政府采购预算支出合计 = 货物 60.00 + 工程 0.00 + 服务 0.00（万元）：应为 60.00，文中为 64.00"),
        (WANGCHENG, "占本年支出合计的99.78%", "占本年支出合计的99.87%", SPENDING,
         "年度财政拨款支出占 99.87%（29,459.93 ÷ 29,525.64）：应为 99.78，文中为 99.87"),
    ],
)  # fmt: skip
def test_a_statement_that_does_not_add_up_is_a_warning_at_its_section(tmp_path, path, old, new, needle, words):
    text, results = edited(tmp_path, path, old, new)
    hits = [r for r in results if words in r.explain()]
    assert [r.status for r in hits] == [WARNING], [r.explain() for r in results if r.status != OK]
    assert hits[0].mark.line == place(text, needle)[0]


def test_the_unchanged_reference_statements_add_up_and_running_costs_are_unchecked():
    results = {d: results_of(DATA, d) for d in (WANGCHENG, DONGXIHU)}
    lines = {WANGCHENG: 440, DONGXIHU: 161}  # their sections of 政府采购
    procurement = [
        r.explain()
        for d in results
        for r in results[d]
        if r.mark.line == lines[d] and not r.says.startswith("说明了")  # not the topic found there
    ]
    # 望城: 总额 = 货物 + 工程 + 服务, 中小企业 ≤ 总额, 小微企业 ≤ 中小企业, the two shares; 东西湖: 合计 = its parts
    assert len(procurement) == 6 and all(says.endswith("相符") for says in procurement), procurement
    running = [
        (r.mark.line, r.status, r.explain()) for d in results for r in results[d] if "与表中“机关运行经费”" in r.says
    ]
    assert running == [
        (
            434,
            UNCHECKED,
            "“九、关于机关运行经费支出说明”中的 机关运行经费123.43万元 与表中“机关运行经费”：无法核对（本文件没有一张表印出“机关运行经费”）",
        ),
        (
            158,
            UNCHECKED,
            "“(一) 机关运行经费情况”中的 机关运行经费81.25万元 与表中“机关运行经费”：无法核对（本文件没有一张表印出“机关运行经费”）",
        ),
    ]
    base = [r for r in results[WANGCHENG] if "占 99.78%" in r.says]
    assert [r.status for r in base] == [OK]


RUNNING_TABLE = AMOUNT_TABLE_DOCUMENT.replace("{label: 办公费,", "{label: 机关运行经费,")


@pytest.mark.parametrize("stated, status", [("20.00", OK), ("21.00", WARNING)])
def test_running_costs_stated_are_compared_with_the_table_that_prints_them(data_dir, stated, status):
    text = RUNNING_TABLE.replace("其中办公费20.00万元。", f"机关运行经费支出{stated}万元。")
    results = check_document(load_document(data_dir, text))
    assert [r.status for r in results if "与表中“机关运行经费”" in r.says] == [status]


# ---- figures stated in 元 against tables in 万元 (check/prose.py) ----

INCOME = '- title: "二、收入决算情况说明"'


@pytest.mark.parametrize(
    "new, status, words",
    [
        ("本年收入合计295275100.00元", OK, "本年收入合计295275100.00元 与表中“本年收入合计”：295,275,100.00，相符"),
        ("本年收入合计295275123元", OK, "本年收入合计295275123元 与表中“本年收入合计”：295,275,123.00，相符"),
        ("本年收入合计295285100元", WARNING, "本年收入合计295285100元 与表中“本年收入合计”：应为 295,275,100.00，文中为 295,285,100.00"),
        ("本年收入合计29527.5万元", NOTICE, "本年收入合计29527.5万元 与表中“本年收入合计”：应为 29,527.51，文中为 29,527.50，相差 -0.01，在尾数误差范围内"),
    ],
)  # fmt: skip
def test_a_figure_in_yuan_is_compared_after_conversion_at_the_precision_printed(tmp_path, new, status, words):
    text, results = edited(tmp_path, WANGCHENG, "本年收入合计29527.51万元，其中", new + "，其中")
    hits = [r for r in results if words in r.explain()]
    assert [r.status for r in hits] == [status], [r.explain() for r in results if "本年收入合计" in r.says]
    assert hits[0].mark.line == place(text, INCOME)[0]
    # the shares of the sentence are of the figure converted: 财政拨款收入 29513.15 万元 is 99.95 % of it
    assert [r.status for r in results if "财政拨款收入占 99.95%" in r.says] == [OK]
