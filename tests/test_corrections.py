"""Corrections on the record (build/history.py): a document changed by a commit after the one that
published it shows each change on its overview's 更正记录 and in its JSON, with the commit's date
and message; a document never changed shows none; a data/ without git history builds, saying so."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from generator.build.history import NO_HISTORY
from generator.export.corrections import compare

from helpers import DOCUMENT_FILE, MINIMAL_DOCUMENT, build_site, commit_all, git, load_document, write

UNCHANGED = "ceshi-ybj/2019/juesuan.yaml"


def overview(site: Path, file: str) -> str:
    return (site / file.removesuffix(".yaml") / "index.html").read_text(encoding="utf-8")


def document_json(site: Path, file: str) -> dict:
    bureau, year, stem = file.removesuffix(".yaml").split("/")
    path = site / bureau / year / stem / "xiazai" / f"{bureau}-{year}-{stem}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def test_a_corrected_figure_and_sentence_are_on_the_record(data_dir, tmp_path, capsys):
    write(
        data_dir / UNCHANGED,
        MINIMAL_DOCUMENT.replace("year: 2020", "year: 2019").replace("2020年度", "2019年度"),
    )
    git(tmp_path, "init", "-q")
    commit_all(tmp_path, "Add 测试区医保局's 2020 决算", "2021-03-01T10:00:00+08:00")
    document = data_dir / DOCUMENT_FILE
    text = document.read_text(encoding="utf-8")
    text = text.replace("55.11", "55.21").replace("负责医疗保障。", "负责全区医疗保障。")
    document.write_text(text, encoding="utf-8")
    commit_all(
        tmp_path,
        "Correct 收入决算表 (55.21, as the original prints)\n\nThe body says more.",
        "2021-04-02T09:00:00+08:00",
    )

    site = build_site(data_dir, tmp_path / "site", jobs=1)
    assert NO_HISTORY not in capsys.readouterr().out
    page = overview(site, DOCUMENT_FILE)
    record = page[page.index('id="gengzheng"') :]
    assert "2021-04-02 Correct 收入决算表 (55.21, as the original prints)" in record
    assert "The body says more" not in record  # the message's first line only
    assert "<td>55.11</td><td>55.21</td>" in record
    assert "收入决算表：合计" in record and "社会保障和就业支出" in record
    assert "删去“负责医疗保障。”" in record and "写入“负责全区医疗保障。”" in record
    corrections = document_json(site, DOCUMENT_FILE)["corrections"]
    assert [(c["date"], c["message"]) for c in corrections] == [
        ("2021-04-02", "Correct 收入决算表 (55.21, as the original prints)")
    ]
    assert {(f["from"], f["to"]) for f in corrections[0]["figures"]} == {(55.11, 55.21)}
    assert len(corrections[0]["figures"]) == 2  # the 合计 and its one row
    assert corrections[0]["texts"] == [
        {"section": "第一部分 概况 / 一、部门职责", "removed": ["负责医疗保障。"], "added": ["负责全区医疗保障。"]}
    ]

    assert "更正记录" not in overview(site, UNCHANGED)  # published once, never changed
    assert "corrections" not in document_json(site, UNCHANGED)


def test_a_copy_without_history_builds_and_says_so(data_dir, tmp_path, capsys):
    copy = tmp_path / "copy" / "data"
    shutil.copytree(data_dir, copy)
    site = build_site(copy, tmp_path / "site", jobs=1)
    out = capsys.readouterr().out
    assert out.count(NO_HISTORY) == 1
    assert "更正记录" not in overview(site, DOCUMENT_FILE)


def test_a_comment_or_a_space_is_no_correction(data_dir):
    """Versions are compared as loaded: a comment added, or a space after a full stop, changes
    nothing said; a sentence added is a change of its section alone."""
    two = MINIMAL_DOCUMENT.replace("负责医疗保障。", "负责医疗保障。管理医保基金。")
    before = load_document(data_dir, two)
    spaced = two.replace("rows:", "rows:  # 照原件").replace("负责医疗保障。", "负责医疗保障。 ")
    assert compare(before, load_document(data_dir, spaced)) == ((), ())
    added = load_document(data_dir, two.replace("管理医保基金。", "管理医保基金。经办医保。"))
    figures, texts = compare(before, added)
    assert figures == ()
    assert [(t.section, t.removed, t.added) for t in texts] == [("第一部分 概况 / 一、部门职责", (), ("经办医保。",))]


def test_commits_before_the_site_s_corrections_since_are_transcription_not_corrections(data_dir, tmp_path):
    git(tmp_path, "init", "-q")
    commit_all(tmp_path, "Transcribe the 决算", "2021-03-01T10:00:00+08:00")
    document = data_dir / DOCUMENT_FILE
    document.write_text(document.read_text(encoding="utf-8").replace("55.11", "55.21"), encoding="utf-8")
    commit_all(tmp_path, "Transcribe the rest of the 决算", "2021-03-02T10:00:00+08:00")
    write(data_dir / "site.yaml", "corrections_since: 2021-04-01\n")
    commit_all(tmp_path, "The site goes live", "2021-04-01T09:00:00+08:00")
    site = build_site(data_dir, tmp_path / "site", jobs=1)
    assert "更正记录" not in overview(site, DOCUMENT_FILE)  # both commits before the day: transcription
    document.write_text(document.read_text(encoding="utf-8").replace("55.21", "55.31"), encoding="utf-8")
    commit_all(tmp_path, "Correct 收入决算表", "2021-05-01T09:00:00+08:00")
    site = build_site(data_dir, tmp_path / "site2", jobs=1)
    record = overview(site, DOCUMENT_FILE)
    record = record[record.index('id="gengzheng"') :]
    assert "2021-05-01 Correct 收入决算表" in record and "<td>55.21</td><td>55.31</td>" in record
    assert "Transcribe" not in record
