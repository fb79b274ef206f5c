"""`check` run again recalls what it found in files that have not changed, and only those."""

import re

import pytest

from generator.build import check_cache
from generator.build.check import check as run_check
from generator.build.report import Timings

from helpers import MINIMAL_DOCUMENT, write

# 55.10 in the second row makes the total's check fail: a finding that must come back every time.
OFF_BY_ONE_CENT = MINIMAL_DOCUMENT.replace(
    "社会保障和就业支出, 本年收入合计: 55.11}", "社会保障和就业支出, 本年收入合计: 55.10}"
)


TIMINGS = Timings()  # the stages of the last check() below


def check(data_dir, capsys, **options):
    TIMINGS.clear()
    status = run_check(data_dir, jobs=1, timings=TIMINGS, **options)
    out = capsys.readouterr()
    return status, out.out + out.err


@pytest.fixture
def second_bureau(data_dir):
    write(
        data_dir / "qita-ybj" / "bureau.yaml",
        "name: 其他区医疗保障局\nshort_name: 其他区医保局\nregion: 测试省/测试市/其他区\n",
    )
    write(data_dir / "qita-ybj" / "2020" / "juesuan.yaml", OFF_BY_ONE_CENT)
    return data_dir


def test_a_second_check_recalls_every_batch_and_says_the_same(second_bureau, capsys):
    first = check(second_bureau, capsys)
    assert "load (workers)" in TIMINGS and "recalled (workers)" not in TIMINGS
    assert "相差 0.01" in first[1]
    second = check(second_bureau, capsys)
    assert second == first
    assert "recalled (workers)" in TIMINGS and "load (workers)" not in TIMINGS


def test_an_edited_file_is_checked_again(second_bureau, capsys):
    check(second_bureau, capsys)
    write(second_bureau / "qita-ybj" / "2020" / "juesuan.yaml", OFF_BY_ONE_CENT.replace("55.11}", "55,11}", 1))
    status, said = check(second_bureau, capsys)
    assert status == 1
    assert "qita-ybj/2020/juesuan.yaml:16:37: 错误：'11' 像是被逗号截断的数字的一部分" in said


def test_a_changed_glossary_or_form_is_checked_again(second_bureau, capsys):
    first = check(second_bureau, capsys)
    glossary = second_bureau / "glossary.yaml"
    glossary.write_text(glossary.read_text(encoding="utf-8") + "  - term: 项目支出\n", encoding="utf-8")
    status, said = check(second_bureau, capsys)
    assert "load (workers)" in TIMINGS
    assert status == 1 and "definition" in said and said != first[1]


def test_a_changed_generator_is_checked_again(second_bureau, capsys, monkeypatch):
    check(second_bureau, capsys)
    monkeypatch.setattr(check_cache, "code_version", lambda: "another version of the checks")
    check(second_bureau, capsys)
    assert "load (workers)" in TIMINGS and "recalled (workers)" not in TIMINGS


def test_a_damaged_result_is_worked_out_again(second_bureau, capsys):
    first = check(second_bureau, capsys)
    kept = list(check_cache.folder_for(second_bureau).glob("*.pickle"))
    assert kept
    for path in kept:
        path.write_bytes(path.read_bytes()[:20])
    assert check(second_bureau, capsys) == first
    assert "load (workers)" in TIMINGS


def test_results_of_files_as_they_no_longer_are_are_dropped(second_bureau, capsys):
    check(second_bureau, capsys)
    folder = check_cache.folder_for(second_bureau)
    before = {p.name for p in folder.glob("*.pickle")}
    (second_bureau / "qita-ybj" / "2020" / "juesuan.yaml").write_text(MINIMAL_DOCUMENT, encoding="utf-8")
    check(second_bureau, capsys)
    after = {p.name for p in folder.glob("*.pickle")}
    assert len(after) == len(before) and after != before


def test_no_cache_checks_everything_and_keeps_nothing(second_bureau, capsys):
    status, said = check(second_bureau, capsys, use_cache=False)
    assert status == 0 and "相差 0.01" in said
    assert not check_cache.folder_for(second_bureau).exists()


def test_checking_one_bureau_says_its_problems_only_and_keeps_the_others_remembered(second_bureau, capsys):
    write(second_bureau / "ceshi-ybj" / "2020" / "juesuan.yaml", OFF_BY_ONE_CENT)
    everything = check(second_bureau, capsys)[1]
    assert "ceshi-ybj/2020/juesuan.yaml" in everything and "qita-ybj/2020/juesuan.yaml" in everything
    status, said = check(second_bureau, capsys, target=second_bureau / "qita-ybj")
    assert status == 0
    summary, *lines = said.splitlines()  # the summary is on stdout, said first here
    assert summary.startswith("通过：1 个部门，1 份公开文件；")
    assert [line for line in lines if "qita-ybj/2020/juesuan.yaml" not in line] == []
    assert any("相差 0.01" in line for line in lines)
    check(second_bureau, capsys)  # the whole of data/ again: recalled, not pruned by the bureau's check
    assert "recalled (workers)" in TIMINGS and "load (workers)" not in TIMINGS


def test_checking_one_file_says_its_problems_only_and_counts_its_checks(second_bureau, capsys):
    write(second_bureau / "qita-ybj" / "2021" / "juesuan.yaml", OFF_BY_ONE_CENT.replace("year: 2020", "year: 2021"))
    both = check(second_bureau, capsys, target=second_bureau / "qita-ybj")[1]
    assert "qita-ybj/2021/juesuan.yaml" in both and "qita-ybj/2020/juesuan.yaml" in both
    assert "1 个部门，2 份公开文件；" in both and "2 个提示" in both  # the cent off in each file
    bureau_checks = int(re.search(r"核对 (\d+) 项", both).group(1))
    status, said = check(second_bureau, capsys, target=second_bureau / "qita-ybj" / "2021" / "juesuan.yaml")
    summary, *lines = said.splitlines()
    assert status == 0
    assert lines and [line for line in lines if "qita-ybj/2021/juesuan.yaml" not in line] == []
    assert summary.startswith("通过：1 个部门，1 份公开文件；") and "1 个提示" in summary
    assert 0 < int(re.search(r"核对 (\d+) 项", summary).group(1)) < bureau_checks
