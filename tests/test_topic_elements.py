"""Auditor's check 54 (docs/auditor-rules.md): a required subject's explanation names what the form
set's `topics:` lists as its `elements` (三公: 因公出国, 公务用车, 公务接待), somewhere in the text of
the parts and sections that speak of it (check/completeness.py)."""

from __future__ import annotations

import shutil

from generator.core.results import OK, WARNING

from helpers import DATA, DONGXIHU, WANGCHENG, checked, found, mutated, place


def san_gong(data, relative: str):
    return [x for x in found(data, relative, "“三公”经费") if x[2].startswith(("“三公”经费的说明", "说明了“三公”经费"))]


def test_both_reference_documents_name_the_three_items():
    for relative in (WANGCHENG, DONGXIHU):
        assert [(status, says) for status, _, says in san_gong(DATA, relative)][1:] == [
            (OK, "“三公”经费的说明写到了因公出国、公务用车、公务接待")
        ]


def test_an_explanation_leaving_out_one_item_is_a_warning(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    path = data / WANGCHENG
    lines = path.read_text(encoding="utf-8").split("\n")
    start = lines.index('      - title: "七、一般公共预算财政拨款三公经费支出决算情况说明"')
    end = lines.index('      - title: "八、政府性基金预算收入支出决算情况"')
    changed = [line.replace("公务用车", "车辆") for line in lines[start:end]]
    assert changed != lines[start:end]
    path.write_text("\n".join(lines[:start] + changed + lines[end:]), encoding="utf-8")
    (mentioned, line, _), *elements = san_gong(data, WANGCHENG)
    assert mentioned == OK
    assert elements == [(WARNING, line, "“三公”经费的说明没有写到公务用车：表样要求写到因公出国、公务用车、公务接待")]


def test_a_budget_that_never_states_its_units_is_warned_at_its_form_set(tmp_path):
    # Auditor's check 5: 部门预算 states which units it covers (东西湖: (二) 部门预算单位构成情况).
    says = "没有说明预算单位构成：表样 hubei-yusuan-2020 要求每份文件说明（正文中没有“单位构成”）；照原件补上这一节，原件没有时照录"
    assert [r.status for r in checked(DATA, DONGXIHU) if r.says.startswith("说明了预算单位构成")] == [OK]
    data, text = mutated(tmp_path, DONGXIHU, "(二) 部门预算单位构成情况", "(二) 部门机构情况")
    assert text.count("单位构成") == 1
    assert [(r.status, r.mark.line) for r in checked(data, DONGXIHU) if r.says == says] == [(WARNING, 12)]  # form_set:


def test_a_budget_without_its_performance_targets_table_is_warned_at_its_form_set(tmp_path):
    # Auditor's check 4: the 绩效目标表 are published with the 预算 (`table: true` of the topic).
    assert [x[0] for x in found(DATA, DONGXIHU, "公开了绩效目标表")] == [OK]
    text = (DATA / DONGXIHU).read_text(encoding="utf-8")
    data, _ = mutated(tmp_path, DONGXIHU, text[text.index("  - title: 第四部分：") :], "")
    says = (
        "没有公开绩效目标表：表样 hubei-yusuan-2020 要求以表公开（没有一张表的标题中有“绩效目标”）；"
        "照原件补上这张表，原件没有公开时照录"
    )
    assert found(data, DONGXIHU, "绩效目标表") == [
        (OK, place(text, "- title: (四) 绩效目标设置情况")[0], "说明了绩效目标表（(四) 绩效目标设置情况）"),
        (WARNING, 12, says),
    ]
