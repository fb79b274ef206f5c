"""Auditor's check 56 (docs/auditor-rules.md): the use a sentence gives a 科目 (…主要用于…, the words
of `wording.purpose`) names no other 科目 of the document's tables than it, those above it and those
below it (check/subjects.py). The reference prose gives no 科目 a wrong use."""

from __future__ import annotations

from generator.core.results import WARNING

from helpers import DATA, DONGXIHU, WANGCHENG, found, mutated, place

DETAIL = '- title: "（三）财政拨款支出决算具体情况"'
HOUSING = "支出决算为58.30万元，"  # item 16: 住房保障支出（类）住房改革支出（款）住房公积金（项）
WORDS = ("是另一科目",)


def test_the_reference_prose_gives_no_subject_another_use():
    assert found(DATA, WANGCHENG, *WORDS) == []
    assert found(DATA, DONGXIHU, *WORDS) == []


def test_a_use_naming_another_subject_is_a_warning_at_its_section(tmp_path):
    data, text = mutated(tmp_path, WANGCHENG, HOUSING, HOUSING + "主要用于行政单位医疗，")
    assert found(data, WANGCHENG, *WORDS) == [
        (
            WARNING,
            place(text, DETAIL)[0],
            "“（三）财政拨款支出决算具体情况”：住房公积金“用于”行政单位医疗：行政单位医疗是另一科目，请照原件核对这一科目的用途",
        )
    ]


def test_a_use_naming_the_subject_or_its_parents_is_not(tmp_path):
    data, _ = mutated(tmp_path, WANGCHENG, HOUSING, HOUSING + "主要用于住房改革支出中的住房公积金，")
    assert found(data, WANGCHENG, *WORDS) == []


def test_a_form_set_adds_its_words_of_use(tmp_path):
    data, _ = mutated(tmp_path, WANGCHENG, HOUSING, HOUSING + "主要花在行政单位医疗，")
    assert found(data, WANGCHENG, *WORDS) == []
    forms = data / "forms" / "hunan-juesuan-2020.yaml"
    forms.write_text(forms.read_text(encoding="utf-8") + "wording:\n  purpose: [花在]\n", encoding="utf-8")
    assert [says.split("：")[1] for _, _, says in found(data, WANGCHENG, *WORDS)] == ["住房公积金“花在”行政单位医疗"]
