"""Auditor's check 57 (docs/auditor-rules.md): a figure written in 元 where the table prints the same
digits in 万元 (or the other way) is a wrong unit, and the warning says so."""

from __future__ import annotations

from generator.core.results import OK, WARNING

from helpers import DATA, DONGXIHU, WANGCHENG, checked, mutated, place

STATED = "本年收入合计29527.51万元，其中"
SAYS = "“二、收入决算情况说明”中的 本年收入合计29527.51{unit} 与表中“本年收入合计”"


def income_claims(data):
    return [r for r in checked(data, WANGCHENG) if r.says.startswith(SAYS.split("{")[0])]


def test_the_unchanged_sentence_agrees_with_the_table():
    found = income_claims(DATA)
    assert found and {(r.status, r.says) for r in found} == {(OK, SAYS.format(unit="万元"))}


def test_wan_yuan_written_as_yuan_is_a_warning_naming_the_unit(tmp_path):
    data, text = mutated(tmp_path, WANGCHENG, STATED, STATED.replace("万元", "元"))
    title_line = place(text, '- title: "二、收入决算情况说明"')[0]
    found = income_claims(data)
    assert [(r.status, r.mark.line, r.says) for r in found] == [
        (WARNING, title_line, SAYS.format(unit="元") + "：数与表中相同，单位却写作“元”（表的单位是万元）")
    ]


def test_a_declared_figure_no_table_prints_written_in_yuan_below_one_wan_is_a_warning(tmp_path):
    # 东西湖's tables print no 机关运行经费: its 81.25万元 is compared with nothing, but written 81.25元
    # it would be less than 1 万元 in a document counted in 万元 (the original checker's R001)
    stated = "机关运行经费81.25万元"
    assert [r for r in checked(DATA, DONGXIHU, "不足 1 万元")] == []
    data, text = mutated(tmp_path, DONGXIHU, stated, stated.replace("万元", "元"))
    found = [(r.status, r.mark.line, r.says) for r in checked(data, DONGXIHU, "不足 1 万元")]
    assert found == [
        (
            WARNING,
            place(text, "- title: (一) 机关运行经费情况")[0],
            "“(一) 机关运行经费情况”中的 机关运行经费81.25元：不足 1 万元，本文件以万元为单位，是不是把“万元”写成了“元”？请照原件核对",
        )
    ]
    data, _ = mutated(tmp_path / "large", DONGXIHU, stated, "机关运行经费812500元")
    assert checked(data, DONGXIHU, "不足 1 万元") == []
