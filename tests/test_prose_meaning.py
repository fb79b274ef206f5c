"""What the prose of a 预算/决算 means, checked against itself and the tables: the reason of a
change (check/changes.py), 机关运行经费 and 政府采购 (check/statements.py), a share of a base the
paragraph names elsewhere (check/prose.py).

Mutations of the reference data are reported at the title of their section; the unchanged data
gives only what the originals print.
"""

from __future__ import annotations

import shutil

import pytest

from generator.check.document import check_document
from generator.core.results import OK, WARNING
from generator.load.loader import load_site

from helpers import DATA, place

WANGCHENG = "changsha-wangcheng-ybj/2020/juesuan.yaml"
DONGXIHU = "wuhan-dongxihu-ybj/2020/yusuan.yaml"
TOTALS = '- title: "一、收入支出决算总体情况说明"'
RUNNING = '- title: "九、关于机关运行经费支出说明"'
TOTALS_REASON = "主要是因为我局为2019年3月新成立单位，2019年只有9个月数据；2020年增加2人，人员经费增加；城乡居民医保基金财政补助增加，医保基金支出增加。"


def results_of(data, relative):
    site, problems = load_site(data)
    assert not problems.errors, problems.errors
    return check_document(next(d for d in site.documents if d.path.endswith(relative)))


def mutated(tmp_path, relative, old, new):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    path = data / relative
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return text, results_of(data, relative)


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
    text, results = mutated(tmp_path, path, old, new)
    hits = [r for r in results if "没有写明原因" in r.says and "增减变化" in r.says]
    assert [r.says for r in hits] == found
    assert {r.status for r in hits} == {WARNING}
    assert {r.mark.line for r in hits} == {place(text, needle)[0]}


def test_a_change_of_nothing_needs_no_reason(tmp_path):
    _, results = mutated(tmp_path, WANGCHENG, "增加69.43万元，增长128.57%。主要原因是：", "增加0.00万元。")
    assert not any("增加0.00万元" in r.says for r in results)


def test_the_unchanged_reference_gives_every_change_its_reason():
    results = [r for d in (WANGCHENG, DONGXIHU) for r in results_of(DATA, d)]
    changes = [r for r in results if "”，写明了原因" in r.says or "增减变化的原因" in r.says]
    # 望城's five changes from 2019, the 三公 接待费's and the 机关运行经费's from its 预算
    assert len(changes) == 7 and {r.status for r in changes} == {OK}
