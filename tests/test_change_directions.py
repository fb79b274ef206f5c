"""Auditor's checks 50 and 51 (docs/auditor-rules.md): the direction of a change against what else
the text says (check/changes.py). A figure increased by more than it is (拨款支出0万元，比上年增加5万元),
增加持平, and 收入支出均增加 where the paragraph's 收入 or 支出 change goes the other way, are warnings
at their section; the words are the form set's `wording:`.
"""

from __future__ import annotations

import pytest

from generator.core.results import OK, WARNING

from helpers import DATA, WANGCHENG, found, mutated, place

TOTALS = '- title: "一、收入支出决算总体情况说明"'
SAN_GONG = '- title: "（一）“三公”经费财政拨款支出决算总体情况说明"'
SPENT = "本年支出合计29525.64万元，与2019年相比，增加1574.36万元，增长5.63%。"
RECEPTION = "与上年相比增加1.85万元"
WORDS = ("均增加", "均减少", "及支出", "比较的数便是负数", "既说增减又说持平")
BOTH = "“{says}”，本段写收入增加 1,571.97 万元、支出{spent} 1,574.36 万元"


def directions(data):
    return found(data, WANGCHENG, *WORDS)


def test_the_reference_prose_states_no_contradictory_direction():
    assert directions(DATA) == []


@pytest.mark.parametrize(
    "old, new, needle, status, says",
    [
        (SPENT, SPENT + "收入支出均增加。", TOTALS, OK, BOTH.format(says="收入支出均增加", spent="增加")),
        (SPENT, SPENT + "收入支出均减少。", TOTALS, WARNING,
         BOTH.format(says="收入支出均减少", spent="增加") + "：收入、支出的增减与“收入支出均减少”不符"),
        (SPENT, SPENT.replace("增加", "减少") + "收入支出均增加。", TOTALS, WARNING,
         BOTH.format(says="收入支出均增加", spent="减少") + "：支出的增减与“收入支出均增加”不符"),
        (RECEPTION, "与上年相比增加3.85万元", SAN_GONG, WARNING,
         "2.29 万元 却增加 3.85 万元，比较的数便是负数：请照原件核对增减的方向和金额"),
        (RECEPTION, "与上年相比增加持平", SAN_GONG, WARNING, "“增加持平”既说增减又说持平：请照原件核对，是否模板残留"),
    ],
)  # fmt: skip
def test_a_contradictory_direction_is_a_warning_at_its_section(tmp_path, old, new, needle, status, says):
    data, text = mutated(tmp_path, WANGCHENG, old, new)
    where = "“" + needle.split('"')[1] + "”："
    assert directions(data) == [(status, place(text, needle)[0], where + says)]


def test_a_form_set_names_income_and_spending_together_in_its_own_words(tmp_path):
    data, text = mutated(tmp_path, WANGCHENG, SPENT, SPENT + "收入及支出均减少。")
    assert directions(data) == []
    forms = data / "forms" / "hunan-juesuan-2020.yaml"
    forms.write_text(forms.read_text(encoding="utf-8") + "wording:\n  income_and_spending: [收入及支出]\n", "utf-8")
    assert [(status, line) for status, line, _ in directions(data)] == [(WARNING, place(text, TOTALS)[0])]
