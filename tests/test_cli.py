"""The commands editors and CI run: one line per problem, exit 1, and site/ untouched on failure."""

import os
import subprocess
import sys

from conftest import MINIMAL_DOCUMENT, ROOT, write


def run(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "GONGKAI_CACHE": os.environ["GONGKAI_CACHE"]},
    )


def test_check_reports_each_problem_on_one_line_and_exits_1(data_dir):
    write(
        data_dir / "ceshi-ybj" / "2020" / "juesuan.yaml",
        MINIMAL_DOCUMENT.replace("kind: 决算", "kind: 结算").replace(
            "本年收入合计: 55.11}", "本年收入合计: 55.111}", 1
        ),
    )
    result = run("check", "data", cwd=data_dir.parent)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[:2] == [
        "data/ceshi-ybj/2020/juesuan.yaml:2:7: error: '结算' is not one of: 预算, 决算, 绩效",
        "data/ceshi-ybj/2020/juesuan.yaml:16:34: error: '55.111' has more than two decimal places: amounts are published to 0.01",
    ]
    assert "Traceback" not in result.stderr


def test_check_passes_a_valid_tree(data_dir):
    result = run("check", "data", cwd=data_dir.parent)
    assert result.returncode == 0, result.stderr
    assert "1 document(s)" in result.stdout


def test_missing_data_directory_is_a_clean_error(tmp_path):
    result = run("check", "nowhere", cwd=tmp_path)
    assert result.returncode == 1 and result.stderr.startswith("nowhere: error: no such data directory")


def test_failed_build_leaves_the_previous_site_whole(data_dir):
    site = data_dir.parent / "site"
    first = run("build", "data", "--site-dir", str(site), cwd=data_dir.parent)
    assert first.returncode == 0, first.stderr
    before = sorted(p.relative_to(site) for p in site.rglob("*"))
    page = site / "ceshi-ybj" / "2020" / "juesuan" / "part2" / "index.html"
    assert "55.11" in page.read_text(encoding="utf-8")

    write(data_dir / "ceshi-ybj" / "2020" / "juesuan.yaml", MINIMAL_DOCUMENT.replace("55.11}", "55,11}", 1))
    second = run("build", "data", "--site-dir", str(site), cwd=data_dir.parent)
    assert second.returncode == 1
    assert "the previous site/ is unchanged" in second.stderr and "Traceback" not in second.stderr
    assert sorted(p.relative_to(site) for p in site.rglob("*")) == before
    assert "55.11" in page.read_text(encoding="utf-8")
    assert not [p for p in data_dir.parent.iterdir() if p.name.startswith(".site")]


def test_check_formats_findings_as_json_and_strict_fails_on_warnings(data_dir):
    import json

    write(
        data_dir / "ceshi-ybj" / "2020" / "juesuan.yaml",
        MINIMAL_DOCUMENT
        + "  - title: 第三部分 说明\n    sections:\n      - title: 二\n        body: 本年收入合计56.11万元。\n",
    )
    result = run("check", "data", "--format", "json", cwd=data_dir.parent)
    assert result.returncode == 0, result.stderr
    findings = json.loads(result.stdout)
    assert [(f["path"], f["line"], f["severity"]) for f in findings] == [
        ("data/ceshi-ybj/2020/juesuan.yaml", 20, "warning")
    ]
    assert "应为 55.11，文中为 56.11" in findings[0]["message"]
    strict = run("check", "data", "--strict", cwd=data_dir.parent)
    assert strict.returncode == 1


def test_a_document_with_errors_is_not_published_unless_marked_as_published_as_is(data_dir):
    document = MINIMAL_DOCUMENT.replace(
        "{科目名称: 合计, 本年收入合计: 55.11}", "{科目名称: 合计, 本年收入合计: 99.11}"
    )
    write(data_dir / "ceshi-ybj" / "2020" / "juesuan.yaml", document)
    site = data_dir.parent / "site"
    refused = run("build", "data", "--site-dir", str(site), cwd=data_dir.parent)
    assert refused.returncode == 1 and not site.exists()
    assert (
        "data/ceshi-ybj/2020/juesuan.yaml:16:34: error: 公开02表 本年收入合计：合计 = 各类之和：应为 55.11，表中为 99.11"
        in refused.stderr
    )

    write(
        data_dir / "ceshi-ybj" / "2020" / "juesuan.yaml",
        document.replace("year: 2020\n", "year: 2020\npublished_as_is: true\nas_is_note: 原件合计如此。\n"),
    )
    built = run("build", "data", "--site-dir", str(site), cwd=data_dir.parent)
    assert built.returncode == 0, built.stderr
    page = (site / "ceshi-ybj" / "2020" / "juesuan" / "part2" / "index.html").read_text(encoding="utf-8")
    assert "原件如此" in page and "应为 55.11，表中为 99.11" in page
    checks = (site / "ceshi-ybj" / "2020" / "juesuan" / "checks" / "index.html").read_text(encoding="utf-8")
    assert "原件合计如此。" in checks and "不符" in checks


def test_two_builds_of_the_same_data_are_byte_identical(data_dir):
    import filecmp
    import os

    env_epoch = {"SOURCE_DATE_EPOCH": "1609459200"}
    sites = []
    for name in ("one", "two"):
        site = data_dir.parent / name
        result = subprocess.run(
            [sys.executable, "-m", "generator", "build", "data", "--site-dir", str(site)],
            cwd=data_dir.parent,
            capture_output=True,
            text=True,
            env={"PYTHONPATH": str(ROOT), "PATH": os.environ["PATH"], **env_epoch},
        )
        assert result.returncode == 0, result.stderr
        sites.append(site)

    def files(site):
        return sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file())

    listed = files(sites[0])
    assert listed == files(sites[1])
    assert sum(1 for f in listed if f.parts[:2] == ("search", "data")) > 10  # the search index is compared too
    _, mismatch, errors = filecmp.cmpfiles(sites[0], sites[1], [str(f) for f in listed], shallow=False)
    assert not mismatch and not errors
