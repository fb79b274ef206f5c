"""The commands editors and CI run: one line per problem, exit 1, and site/ untouched on failure."""

from helpers import MINIMAL_DOCUMENT, write, write_document
from helpers import run_generator as run
from sitetools import page_html


def test_check_reports_each_problem_on_one_line_and_exits_1(data_dir):
    write_document(
        data_dir,
        MINIMAL_DOCUMENT.replace("kind: 决算", "kind: 结算").replace(
            "本年收入合计: 55.11}", "本年收入合计: 55.111}", 1
        ),
    )
    result = run("check", "data", cwd=data_dir.parent)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[:2] == [
        "data/ceshi-ybj/2020/juesuan.yaml:2:7: 错误：'结算' 不是可写的值：请写 预算、决算、绩效 之一",
        "data/ceshi-ybj/2020/juesuan.yaml:16:34: 错误：'55.111' 超过两位小数：金额只公开到 0.01，请照原件写两位小数",
    ]
    assert "Traceback" not in result.stderr


def test_check_passes_a_valid_tree(data_dir):
    result = run("check", "data", cwd=data_dir.parent)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("通过：1 个部门，1 份公开文件；")


def test_check_takes_a_bureau_by_its_folder_name_or_a_file(data_dir):
    write_document(data_dir, MINIMAL_DOCUMENT.replace("本年收入合计: 55.11}", "本年收入合计: 55.10}", 1))
    for target in ("ceshi-ybj", "data/ceshi-ybj", "data/ceshi-ybj/2020/juesuan.yaml"):
        result = run("check", target, cwd=data_dir.parent)
        assert result.returncode == 0, (target, result.stderr)
        assert result.stdout.startswith("通过：1 个部门，1 份公开文件；"), target
        assert result.stderr.startswith("data/ceshi-ybj/2020/juesuan.yaml:"), target


def test_missing_data_directory_is_a_clean_error(tmp_path):
    result = run("check", "nowhere", cwd=tmp_path)
    assert result.returncode == 1 and result.stderr.startswith("nowhere:1:1: 错误：没有这个数据文件夹")


def test_failed_build_leaves_the_previous_site_whole(data_dir):
    site = data_dir.parent / "site"
    first = run("build", "data", "--site-dir", str(site), cwd=data_dir.parent)
    assert first.returncode == 0, first.stderr
    before = sorted(p.relative_to(site) for p in site.rglob("*"))
    page = site / "ceshi-ybj" / "2020" / "juesuan" / "part2" / "index.html"
    assert "55.11" in page.read_text(encoding="utf-8")

    write_document(data_dir, MINIMAL_DOCUMENT.replace("55.11}", "55,11}", 1))
    second = run("build", "data", "--site-dir", str(site), cwd=data_dir.parent)
    assert second.returncode == 1
    assert "1 个错误：没有发布，原来的 site/ 未改动" in second.stderr and "Traceback" not in second.stderr
    assert sorted(p.relative_to(site) for p in site.rglob("*")) == before
    assert "55.11" in page.read_text(encoding="utf-8")
    assert not [p for p in data_dir.parent.iterdir() if p.name.startswith(".site")]


def test_check_formats_findings_as_json_and_strict_fails_on_warnings(data_dir):
    import json

    write_document(
        data_dir,
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
    write_document(data_dir, document)
    site = data_dir.parent / "site"
    refused = run("build", "data", "--site-dir", str(site), cwd=data_dir.parent)
    assert refused.returncode == 1 and not site.exists()
    assert (
        "data/ceshi-ybj/2020/juesuan.yaml:16:34: 错误：公开02表 本年收入合计：合计 = 各类之和：应为 55.11，表中为 99.11"
        in refused.stderr
    )

    write_document(
        data_dir,
        document.replace(
            "year: 2020\n",
            "year: 2020\npublished_as_is:\n  - {rule: 公开02表 本年收入合计：合计 = 各类之和, difference: 44.00}\n"
            "as_is_note: 原件合计如此。\n",
        ),
    )
    built = run("build", "data", "--site-dir", str(site), cwd=data_dir.parent)
    assert built.returncode == 0, built.stderr
    page = page_html(site, "ceshi-ybj/2020/juesuan/part2/")
    assert "原件如此" in page and "应为 55.11，表中为 99.11" in page
    checks = page_html(site, "ceshi-ybj/2020/juesuan/checks/")
    assert "原件合计如此。" in checks and "不符" in checks


def test_two_builds_of_the_same_data_are_byte_identical(data_dir):
    import filecmp

    env_epoch = {"SOURCE_DATE_EPOCH": "1609459200"}
    sites = []
    for name in ("one", "two"):
        site = data_dir.parent / name
        result = run("build", "data", "--site-dir", str(site), cwd=data_dir.parent, env=env_epoch)
        assert result.returncode == 0, result.stderr
        sites.append(site)

    def files(site):
        return sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file())

    listed = files(sites[0])
    assert listed == files(sites[1])
    assert sum(1 for f in listed if f.parts[:2] == ("search", "data")) > 10  # the search index is compared too
    _, mismatch, errors = filecmp.cmpfiles(sites[0], sites[1], [str(f) for f in listed], shallow=False)
    assert not mismatch and not errors


def test_every_line_check_prints_for_a_spread_of_mistakes_is_chinese_and_says_where(data_dir):
    """What a clerk reads: after `path:line:col: ` a severity word and a message in Chinese; a run of three
    English words would be a message nobody translated (libyaml's own words are explained by a table)."""
    import re

    from helpers import MINIMAL_BUREAU

    def place(text: str, needle: str) -> str:
        at = text.index(needle)
        return f"{text.count(chr(10), 0, at) + 1}:{at - (text.rfind(chr(10), 0, at) + 1) + 1}"

    document = MINIMAL_DOCUMENT.lstrip("\n")
    mistakes = document.replace("kind: 决算", "kind: 结算").replace("year: 2020\n", "year: 2020\ntitel: 说明\n")
    mistakes = mistakes.replace("本年收入合计: 55.11}", "本年收入合计: 55.111}", 1)
    files = {
        "ceshi-ybj/2020/juesuan.yaml": mistakes,
        "dup-ybj/2020/juesuan.yaml": document.replace("year: 2020\n", "year: 2020\nyear: 2021\n"),
        "tab-ybj/2020/juesuan.yaml": document.replace(
            "    sections:\n      - title: 一", "    sections:\n\t  - title: 一"
        ),
        "colon-ybj/2020/juesuan.yaml": document.replace("title: 第一部分 概况", "title: 第一部分: 概况"),
        "quote-ybj/2020/juesuan.yaml": document + 'unit: "万元\n',
        "noshort-ybj/bureau.yaml": MINIMAL_BUREAU.lstrip("\n").replace("short_name: 测试区医保局\n", ""),
    }
    for name, text in files.items():
        if not name.endswith("bureau.yaml"):
            write(data_dir / name.split("/")[0] / "bureau.yaml", MINIMAL_BUREAU)
        write(data_dir / name, text)
    utf16 = data_dir / "utf-ybj" / "2020" / "juesuan.yaml"
    write(data_dir / "utf-ybj" / "bureau.yaml", MINIMAL_BUREAU)
    utf16.parent.mkdir(parents=True)
    utf16.write_bytes(document.encode("utf-16"))
    write(data_dir / "notes.yaml", "备忘: 1\n")

    result = run("check", "data", cwd=data_dir.parent)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    expected = {
        f"data/ceshi-ybj/2020/juesuan.yaml:{place(mistakes, '结算')}",
        f"data/ceshi-ybj/2020/juesuan.yaml:{place(mistakes, 'titel')}",
        f"data/ceshi-ybj/2020/juesuan.yaml:{place(mistakes, '55.111')}",
        f"data/dup-ybj/2020/juesuan.yaml:{place(files['dup-ybj/2020/juesuan.yaml'], 'year: 2021')}",
        f"data/tab-ybj/2020/juesuan.yaml:{place(files['tab-ybj/2020/juesuan.yaml'], chr(9))}",
        f"data/colon-ybj/2020/juesuan.yaml:{place(files['colon-ybj/2020/juesuan.yaml'], ': 概况')}",
        "data/noshort-ybj/bureau.yaml:1:1",
        "data/utf-ybj/2020/juesuan.yaml:1:1",
        "data/notes.yaml:1:1",
    }
    where = [re.match(r"(data/[^:]+(?::\d+:\d+)?): ", line) for line in lines]
    assert all(where), lines
    quote = [line for line in lines if line.startswith("data/quote-ybj/2020/juesuan.yaml:")]
    assert len(quote) == 1 and "引号没有配对" in quote[0], lines
    assert {m.group(1) for m in where if not m.group(1).startswith("data/quote-ybj/")} == expected, lines
    assert len(lines) == len(expected) + 1, lines
    english = re.compile(r"[A-Za-z]{2,}(?:[\s,;:]+[A-Za-z]{2,}){2,}")
    for line, found in zip(lines, where, strict=True):
        said = line[found.end() :]
        assert re.match(r"(错误|警告|提示)：", said), line
        assert re.search(r"[\u4e00-\u9fff]", said[3:]), line
        assert not english.search(said), line
    by_place = dict(zip((m.group(1) for m in where), lines, strict=True))
    assert (
        "'结算' 不是可写的值：请写 预算、决算、绩效 之一"
        in by_place[f"data/ceshi-ybj/2020/juesuan.yaml:{place(mistakes, '结算')}"]
    )
    assert "是不是要写 'title'？" in by_place[f"data/ceshi-ybj/2020/juesuan.yaml:{place(mistakes, 'titel')}"]
    assert "部门文件缺少必填的键 'short_name'" in by_place["data/noshort-ybj/bureau.yaml:1:1"]
    assert (
        "不能用 Tab 缩进"
        in by_place[f"data/tab-ybj/2020/juesuan.yaml:{place(files['tab-ybj/2020/juesuan.yaml'], chr(9))}"]
    )
    assert "UTF-16" in by_place["data/utf-ybj/2020/juesuan.yaml:1:1"]


def test_help_and_argument_mistakes_are_in_chinese(tmp_path):
    shown = run("check", "--help", cwd=tmp_path)
    assert shown.returncode == 0
    assert shown.stdout.startswith("用法：python -m generator check ")
    assert "  --strict              有警告也算失败（退出码为 1）" in shown.stdout
    assert "显示这段说明并退出" in shown.stdout and "show this help" not in shown.stdout
    for command in ("build", "bench"):
        assert "positional arguments" not in run(command, "--help", cwd=tmp_path).stdout
    wrong = run("check", "--jobs", "x", cwd=tmp_path)
    assert wrong.returncode == 2
    assert wrong.stderr.splitlines()[-1] == "python -m generator check: 错误：参数 --jobs：'x' 不是整数"
    missing = run("new", "ceshi-ybj", cwd=tmp_path)
    assert missing.stderr.splitlines()[-1] == "python -m generator new: 错误：缺少参数：year, kind"
