"""A build split across machines (build/shards.py): the shards' parts merged are the site one machine
builds, byte for byte; parts that do not make one build are refused, one line each; a shard whose
data has errors fails, and so does the merge of its part."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator.bench.corpus import make_corpus
from generator.bench.measure import differing_files
from generator.build import batches, build_cache
from generator.build.shards import PART_FILE, build_part, merge
from generator.build.site import build

from helpers import DATA, previous_site, run_generator

BUREAUS = 6  # of three documents each, a batch each (BATCH_DOCUMENTS below)
SITE_URL = "https://czj.example.gov.cn/gongkai/"


def site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """A corpus of six batches, the site one machine builds of it, and the parts of its two shards."""
    root = tmp_path_factory.mktemp("shards")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(batches, "BATCH_DOCUMENTS", 3)
        patch.setenv("GONGKAI_CACHE", str(root / "cache"))
        data = root / "data"
        make_corpus(DATA, data, 3 * BUREAUS)
        assert build(data, root / "whole", jobs=1, reuse=False, site_url=SITE_URL) == 0
        parts = [root / "parts" / f"{k}-of-2" for k in (1, 2)]
        for k, part in enumerate(parts, 1):
            assert build_part(data, part, (k, 2), jobs=1) == 0
        yield data, root / "whole", parts, patch


def test_every_batch_is_on_exactly_one_shard_by_its_own_bureaus(small, tmp_path):
    data, _, parts, _ = small
    planned, _ = batches.plan(data)
    said = [json.loads((part / PART_FILE).read_text(encoding="utf-8")) for part in parts]
    built = sorted(batch["name"] for part in said for batch in part["batches"])
    assert built == sorted(batch.name for batch in planned)
    assert all(part["batches"] for part in said)  # both shards have work on this corpus
    # a bureau added leaves every batch whose bureaus did not change on its shard
    copy = tmp_path / "data"
    shutil.copytree(data, copy)
    shutil.copytree(copy / "bench-00002", copy / "bench-00002a")
    before = {tuple(f.name for f in b.folders): batches.shard_of(b, 3) for b in batches.plan(data)[0]}
    after = {tuple(f.name for f in b.folders): batches.shard_of(b, 3) for b in batches.plan(copy)[0]}
    kept = set(before) & set(after)
    assert len(kept) >= BUREAUS - 1
    assert {names: after[names] for names in kept} == {names: before[names] for names in kept}


@pytest.mark.parametrize("shards", [2, 3])
def test_the_merged_parts_are_the_site_one_machine_builds(small, tmp_path, shards):
    data, whole, parts, _ = small
    if shards != 2:
        parts = [tmp_path / "parts" / f"{k}-of-{shards}" for k in range(1, shards + 1)]
        for k, part in enumerate(parts, 1):
            assert build_part(data, part, (k, shards), jobs=1) == 0
    site = tmp_path / "site"
    assert merge(parts, site, data, jobs=1, site_url=SITE_URL) == 0
    mine, theirs = site_files(site), site_files(whole)
    assert sorted(mine) == sorted(theirs)
    assert [name for name in mine if mine[name] != theirs[name]] == []
    for part in parts:  # the merge only reads the parts
        assert json.loads((part / PART_FILE).read_text(encoding="utf-8"))["shards"] == shards


def test_a_merge_over_a_site_built_here_updates_it_in_place(small, tmp_path):
    data, whole, parts, _ = small
    site = tmp_path / "site"
    assert merge(parts, site, data, jobs=1, site_url=SITE_URL) == 0
    folder = site.stat().st_ino
    shutil.rmtree(site / "bench-00001")
    (site / "stray.html").write_text("left by hand", encoding="utf-8")
    assert merge(parts, site, data, jobs=1, site_url=SITE_URL) == 0
    assert site.stat().st_ino == folder  # updated, not swapped
    assert site_files(site) == site_files(whole)


def refused(parts: list[Path], data: Path, site: Path, capsys) -> str:
    """The merge of *parts* refused: exit 1, the previous site as it was, one line said."""
    previous_site(site, 10)
    assert merge(parts, site, data, jobs=1) == 1
    assert (site / "index.html").read_text(encoding="utf-8") == "the site as it was\n"
    assert not list(site.parent.glob(".site-build-*"))
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert err.endswith("没有发布，原来的 site/ 未改动")
    return err


def copied(parts: list[Path], tmp_path: Path) -> list[Path]:
    out = []
    for part in parts:
        shutil.copytree(part, tmp_path / part.name)
        out.append(tmp_path / part.name)
    return out


def rewrite(part: Path, **changes) -> None:
    said = json.loads((part / PART_FILE).read_text(encoding="utf-8"))
    (part / PART_FILE).write_text(json.dumps({**said, **changes}), encoding="utf-8")


def test_a_missing_or_a_doubled_shard_is_refused(small, tmp_path, capsys):
    data, _, parts, _ = small
    assert "缺少第 2 片（共 2 片）的部件" in refused(parts[:1], data, tmp_path / "site", capsys)
    assert "第 1/2 片的部件给了两次" in refused([parts[0], *parts], data, tmp_path / "site", capsys)
    three = copied(parts, tmp_path)
    rewrite(three[1], shards=3, shard=2)
    assert "部件分属不同的分片构建" in refused(three, data, tmp_path / "site", capsys)


def test_parts_of_another_environment_or_commit_are_refused(small, tmp_path, capsys):
    data, _, parts, _ = small
    mine = copied(parts, tmp_path)
    rewrite(mine[1], commit="0123456789abcdef0123456789abcdef01234567")
    assert "部件来自不同的提交" in refused(mine, data, tmp_path / "site", capsys)
    rewrite(mine[1], commit=None, environment="0" * 128)
    assert "部件来自另一版本的生成器、依赖、主题或配置" in refused(mine, data, tmp_path / "site", capsys)
    rewrite(mine[1], environment=json.loads((parts[1] / PART_FILE).read_text())["environment"], strict=True)
    assert "有的部件加了 --strict，有的没有" in refused(mine, data, tmp_path / "site", capsys)


def test_a_corrupt_part_is_refused(small, tmp_path, capsys):
    data, _, parts, _ = small
    mine = copied(parts, tmp_path)
    (mine[0] / PART_FILE).write_text("{", encoding="utf-8")
    assert "不是分片构建的部件，或部件已损坏" in refused(mine, data, tmp_path / "site", capsys)
    (mine[0] / PART_FILE).unlink()  # a shard build cut short writes none
    assert "不是分片构建的部件，或部件已损坏" in refused(mine, data, tmp_path / "site", capsys)
    shutil.copy(parts[0] / PART_FILE, mine[0] / PART_FILE)
    key = json.loads((mine[1] / PART_FILE).read_text())["batches"][0]["key"]
    shutil.rmtree(mine[1] / key)
    assert "部件已损坏：缺少第" in refused(mine, data, tmp_path / "site", capsys)


def test_a_part_whose_files_changed_is_refused_and_left_as_it_is(small, tmp_path, capsys):
    data, _, parts, _ = small
    mine = copied(parts, tmp_path)
    key = json.loads((mine[0] / PART_FILE).read_text())["batches"][0]["key"]
    page = next((mine[0] / key / "files").rglob("index.html"))
    page.write_bytes(page.read_bytes().replace(b"<html", b"<html data-x", 1))  # a new file, not the shared inode's
    site = previous_site(tmp_path / "site", 10)
    assert merge(mine, site, data, jobs=1) == 1
    err = capsys.readouterr().err.splitlines()
    assert [line for line in err if "部件已损坏：其中这一批的文件与部件的清单不符" in line] == [
        f"{(mine[0] / key).resolve()}:1:1: 错误：部件已损坏：其中这一批的文件与部件的清单不符，请重新分片构建这一片"
    ]
    assert err[-1] == "1 个错误：没有发布，原来的 site/ 未改动"
    assert (mine[0] / key / build_cache.MANIFEST).is_file()  # the merge does not remove what it refuses


def test_a_shard_with_errors_fails_and_so_does_its_merge(small, tmp_path, capsys):
    data, _, _, _ = small
    broken = tmp_path / "data"
    shutil.copytree(data, broken)
    document = next((broken / "bench-00001").rglob("*.yaml"))
    document = document if document.name != "bureau.yaml" else sorted((broken / "bench-00001").rglob("*/*.yaml"))[0]
    document.write_text(document.read_text(encoding="utf-8") + "\n: [\n", encoding="utf-8")
    parts = [tmp_path / "parts" / f"{k}-of-2" for k in (1, 2)]
    statuses = [build_part(broken, part, (k, 2), jobs=1) for k, part in enumerate(parts, 1)]
    err = capsys.readouterr().err
    assert sorted(statuses) == [0, 1]
    problem = [line for line in err.splitlines() if line.startswith(str(document))]
    assert len(problem) == 1 and "错误：" in problem[0], err
    assert "片没有构建成功（部件记下了这些问题，合并时同样报告）" in err
    site = previous_site(tmp_path / "site", 10)
    assert merge(parts, site, broken, jobs=1) == 1
    err = capsys.readouterr().err
    assert problem[0] in err.splitlines()
    assert err.splitlines()[-1].endswith("没有发布，原来的 site/ 未改动")


def test_the_command_line_builds_a_shard_and_refuses_what_is_no_part(tmp_path):
    listed = run_generator("build", "--help", cwd=tmp_path)
    assert "--shard K/N" in listed.stdout and "默认 parts/K-of-N" in listed.stdout
    wrong = run_generator("build", "--shard", "3/2", cwd=tmp_path)
    assert wrong.returncode == 2 and "参数 --shard：3/2 不是分片" in wrong.stderr
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.txt").write_text("x", encoding="utf-8")
    taken = run_generator("build", str(DATA), "--shard", "1/2", "--part-dir", "notes", cwd=tmp_path)
    assert taken.returncode == 1 and "Traceback" not in taken.stderr
    assert taken.stderr.strip().splitlines() == [
        "notes：这个文件夹已有内容，却不是分片构建的部件（其中没有 part.json）：请换一个文件夹；第 1/2 片没有构建成功"
    ]
    merged = run_generator("merge", "notes", "--data-dir", str(DATA), "--site-dir", "site", cwd=tmp_path)
    assert merged.returncode == 1 and "Traceback" not in merged.stderr
    assert merged.stderr.strip().splitlines() == [
        "notes：不是分片构建的部件，或部件已损坏（part.json 读不出）：请用同一提交重新分片构建这一片；没有发布"
    ]


def test_the_bench_counts_the_files_a_merged_site_lacks_adds_or_changes(tmp_path):
    for site in ("one", "other"):
        for name in ("index.html", "a/b.csv"):
            (tmp_path / site / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / site / name).write_bytes(b"same")
    assert differing_files(tmp_path / "one", tmp_path / "other") == 0
    (tmp_path / "other" / "a" / "b.csv").write_bytes(b"other")
    (tmp_path / "other" / "extra.html").write_bytes(b"")
    (tmp_path / "one" / "index.html").unlink()
    assert differing_files(tmp_path / "one", tmp_path / "other") == 3
