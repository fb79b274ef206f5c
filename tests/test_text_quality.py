"""Plausibility of the text (check/text_quality.py): placeholders, years, the bureau's name,
repeated words and punctuation.

Mutations of the reference data are reported at the title of the section they are made in; the
unchanged data gives only what the originals print.
"""

from __future__ import annotations

import pytest

from generator.check.text_quality import check_text_quality, core
from generator.core.model import DEFAULT_WORDING, WORDING_LISTS
from generator.core.results import OK, WARNING
from generator.load.loader import load_site

from helpers import DATA, DONGXIHU, ROOT, WANGCHENG, checked, mutated, place

PROCUREMENT = '- title: "十一、关于政府采购支出说明"'
RUNNING = '- title: "九、关于机关运行经费支出说明"'
DX_RUNNING = "- title: (一) 机关运行经费情况"
WC_TITLE = "title: 2020年度长沙市望城区医疗保障局部门决算\n"
DX_TITLE = "title: 东西湖区医疗保障局2020年部门预算\n"


def text_results(data, relative: str):
    return checked(data, relative, check=check_text_quality)


def warnings(results):
    return [r for r in results if r.status == WARNING]


@pytest.mark.parametrize(
    "path, old, new, needle, words",
    [
        (WANGCHENG, "本部门2020年度政府采购支出总额", "本部门2020年度XX政府采购支出总额", PROCUREMENT, "占位词“XX”"),
        (WANGCHENG, "本部门2020年度政府采购支出总额", "本部门2020年度政府采购支出总额待填写", PROCUREMENT, "占位词“待填写”"),
        (DONGXIHU, "机关运行经费81.25万元", "{单位}机关运行经费81.25万元", DX_RUNNING, "占位词“{单位}”"),
        (WANGCHENG, "本部门2020年度机关运行经费", "本部门2018年度机关运行经费", RUNNING, "写的是 2018 年"),
        (DONGXIHU, "2020年部门机关及下属", "2017年部门机关及下属", DX_RUNNING, "写的是 2017 年"),
        (WANGCHENG, "本部门2020年度政府采购", "长沙市雨花区医疗保障局2020年度政府采购", PROCUREMENT, "写作“雨花区医疗保障局”"),
        (WANGCHENG, "本部门2020年度政府采购", "雨花区医保局2020年度政府采购", PROCUREMENT, "写作“雨花区医保局”"),
        (DONGXIHU, "2020年部门机关及下属", "2020年江岸区医疗保障局机关及下属", DX_RUNNING, "写作“江岸区医疗保障局”"),
        (WANGCHENG, "政府采购货物支出18.88万元", "政府采购的的货物支出18.88万元", PROCUREMENT, "“的的”重复"),
        (WANGCHENG, "政府采购货物支出18.88万元", "政府采购货物货物支出18.88万元", PROCUREMENT, "“货物货物”重复"),
        (WANGCHENG, "服务支出0.00万元。", "服务支出0.00万元。。", PROCUREMENT, "0.00万元。。"),
        (WANGCHENG, "服务支出0.00万元。", "服务支出0.00万元；。", PROCUREMENT, "“；。”重复"),
        # the cover (auditor's check 63): a higher place's bureau, or no bureau at all
        (WANGCHENG, WC_TITLE, WC_TITLE.replace("望城区", ""), WC_TITLE, "标题（封面）写作“长沙市医疗保障局”，本部门是“长沙市望城区医疗保障局”"),
        (DONGXIHU, DX_TITLE, DX_TITLE.replace("东西湖区医疗保障局", ""), DX_TITLE, "标题（封面）没有写部门名称"),
    ],
)  # fmt: skip
def test_the_reference_text_mutated_is_reported_at_its_section(tmp_path, path, old, new, needle, words):
    data, text = mutated(tmp_path, path, old, new)
    hits = [r for r in warnings(text_results(data, path)) if words in r.says]
    assert len(hits) == 1, [r.says for r in warnings(text_results(data, path))]
    assert hits[0].mark.line == place(text, needle)[0]


@pytest.mark.parametrize(
    "new",
    [
        "本部门（长沙市望城区医疗保障局）2020年度政府采购",  # its own name
        "望城区医保局2020年度政府采购",  # its own short name
        "望城医保局2020年度政府采购",  # its place without its level
        "区医保局2020年度政府采购",  # its level alone
        "长沙市医疗保障局、市医保局与本部门2020年度政府采购",  # the city's bureau: another body
        "根据《2016年预算公开办法》和财预〔2016〕143号，本部门2020年度政府采购",  # a document's name and number
        "资金由区医保局管理，本部门2020年度政府采购",  # 由 is no part of a place's name
        "本部门2019年和2021年度政府采购",  # the years next to the document's
    ],
)
def test_what_is_the_bureaus_own_or_another_bodys_name_or_a_documents_year_is_not_reported(tmp_path, new):
    data, _ = mutated(tmp_path, WANGCHENG, "本部门2020年度政府采购支出总额", new + "支出总额")
    found = [r.says for r in warnings(text_results(data, WANGCHENG)) if "。。" not in r.says]
    assert [says for says in found if not mixed_punctuation(says)] == []


def test_the_core_of_a_name_is_what_follows_its_places():
    assert core("长沙市望城区医疗保障局", ["湖南省", "长沙市", "望城区"]) == "医疗保障局"
    assert core("望城区医保局", ["湖南省", "长沙市", "望城区"]) == "医保局"
    assert core("东西湖区医疗保障局", ["湖北省", "武汉市", "东西湖区"]) == "医疗保障局"


def test_a_form_set_adds_its_own_placeholders(tmp_path):
    tail = "percent_places: 2\nwording:\n  placeholders: [政府采购货物]\n"
    data, _ = mutated(tmp_path, "forms/hunan-juesuan-2020.yaml", "percent_places: 2\n", tail)
    hits = [r for r in warnings(text_results(data, WANGCHENG)) if "占位词“政府采购货物”" in r.says]
    assert len(hits) == 1


def mixed_punctuation(says: str) -> bool:
    """A warning of 混用标点: the originals print many, test_mixed_punctuation.py's."""
    return "中文句中有半角标点" in says or "括号一半全角" in says


def test_the_unchanged_reference_text_finds_only_what_the_originals_print():
    site, _ = load_site(DATA)
    found = sorted(
        (r.mark.path.split("/")[1], r.mark.line, r.says)
        for d in site.documents
        for r in check_text_quality(d)
        if r.status != OK and not mixed_punctuation(r.says)
    )
    assert found == [
        # seed 000 prints "保障基金安全。。全年 33 家" in the 部门整体自评表's 目标完成情况
        (
            "changsha-wangcheng-ybj",
            537,
            "部门整体自评表“目标完成情况”中“。。”重复（“抓基金监管，保障基金安全。。全年 33 家定点医药机”）：请照原件核对，删去多余的字或标点",
        ),
    ]


def test_the_form_set_guide_lists_every_default_word():
    text = (ROOT / "docs" / "form-sets.md").read_text(encoding="utf-8")
    section = text[text.index("## 正文的用词（wording）") : text.index("## 图表（charts）")]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    for name in WORDING_LISTS:
        row = next((r for r in rows if f"`{name}`" in r), "")
        assert row, name
        assert [w for w in getattr(DEFAULT_WORDING, name) if w not in row] == [], name
