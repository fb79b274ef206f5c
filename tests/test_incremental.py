"""Incremental builds (build/build_cache.py): a build that takes the unchanged batches from the one
before writes the very bytes a cold build of the same inputs writes, whatever changed; and a cache
that cannot be trusted is not used, with one line saying so."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from generator.build import batches, build_cache
from generator.build.search import INDEX_DIR
from generator.build.spill import SpilledIndex
from generator.core import urls

from helpers import (
    BUREAUS,
    DATA,
    ROOT,
    SITE_URL,
    assert_same_as_cold,
    built,
    commit_all,
    git,
    incremental_corpus,
    site_files,
    write,
)
from helpers import (
    edit_text as edit,
)

corpus = pytest.fixture(incremental_corpus, name="corpus")


def inodes(site: Path, bureau: str) -> dict[str, int]:
    """The files of a bureau's folder by inode: a recalled file is a link to the cache's."""
    return {p.relative_to(site).as_posix(): p.stat().st_ino for p in (site / bureau).rglob("*") if p.is_file()}


def test_unchanged_bureaus_are_recalled_and_the_site_is_the_cold_builds(corpus, tmp_path, capsys):
    site = built(corpus, tmp_path / "site")
    assert "构建缓存：没有上次构建的缓存，全部重新生成" in capsys.readouterr().out
    before = {b: inodes(site, b) for b in ("bench-00000", "bench-00001")}
    # a figure of the prose (a change on the year before, which no other document states) corrected
    edit(corpus / "bench-00001" / "2019" / "juesuan.yaml", "增加3143.94万元", "增加3143.95万元")
    built(corpus, site)
    assert "构建缓存" not in capsys.readouterr().out  # a cache in order is used without a word
    assert inodes(site, "bench-00000") == before["bench-00000"]  # recalled: the very files kept
    assert not set(inodes(site, "bench-00001").items()) & set(before["bench-00001"].items())
    assert_same_as_cold(corpus, site, tmp_path)


def commit(repo: Path, when: int) -> None:
    """Everything in *repo*'s data/ committed at *when* (a clerk's commit, dated as it was made)."""
    date = f"@{when} +0000"
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_CONFIG_GLOBAL": os.devnull}
    for args in (
        ["add", "data"],
        ["-c", "user.name=办事员", "-c", "user.email=clerk@example.gov.cn", "commit", "-qm", "改"],
    ):
        subprocess.run(["git", "-C", str(repo), *args], check=True, env=env, capture_output=True)


def workbook_time(site: Path, bureau: str) -> tuple:
    """The time one of *bureau*'s workbooks says it was made (创建时间), and the times of its
    entries in the site's zip, as a citizen's zip listing shows them."""
    with zipfile.ZipFile(next((site / bureau).rglob("*.xlsx"))) as book:
        core = book.read("docProps/core.xml").decode("utf-8")
    created = core.split("<dcterms:created")[1].split(">")[1].split("<")[0]
    with zipfile.ZipFile(site / urls.BULK) as bulk:
        listed = {i.date_time for i in bulk.infolist() if i.filename.startswith(bureau + "/")}
    return created, listed


def test_a_commit_to_one_bureau_leaves_every_other_batch_as_the_commit_before_built_it(corpus, tmp_path, monkeypatch):
    """Downloads carry their bureau's date (bureau_dates.py), not the commit's that the Makefile gives the
    build: a clerk's commit to one bureau builds that bureau's batch alone, as a cold build would."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, capture_output=True)
    first, second = 1_600_000_000, 1_700_000_000
    commit(tmp_path, first)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(first))  # as `make site` dates a build
    site = built(corpus, tmp_path / "site")
    others = ("bench-00000", "bench-00002", "bench-00003")
    before = {b: inodes(site, b) for b in (*others, "bench-00001")}
    edit(corpus / "bench-00001" / "2019" / "juesuan.yaml", "增加3143.94万元", "增加3143.95万元")
    commit(tmp_path, second)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(second))
    built(corpus, site)
    for bureau in others:
        assert inodes(site, bureau) == before[bureau], bureau  # recalled: the very files kept
    assert not set(inodes(site, "bench-00001").items()) & set(before["bench-00001"].items())
    assert_same_as_cold(corpus, site, tmp_path)
    # each bureau's downloads carry the day of its own last commit (bureau_dates.py)
    dated = {when: datetime.fromtimestamp(when, UTC).replace(hour=0, minute=0, second=0) for when in (first, second)}
    for bureau, when in (("bench-00000", dated[first]), ("bench-00001", dated[second])):
        created, listed = workbook_time(site, bureau)
        assert created == when.strftime("%Y-%m-%dT%H:%M:%SZ")
        assert listed == {when.timetuple()[:6]}


@pytest.mark.parametrize(
    "change",
    [
        "glossary",
        "form set",
        "site.yaml",
        "quality criteria",
        "bureau added",
        "bureau renamed",
        "bureau removed",
        "document withdrawn",
    ],
)
def test_an_incremental_build_is_a_cold_build(corpus, tmp_path, change):
    site = built(corpus, tmp_path / "site", site_url=SITE_URL)  # with a sitemap of every page
    withdrawn = corpus / "bench-00002" / "2019" / "yusuan.yaml"
    if change == "glossary":
        edit(corpus / "glossary.yaml", "指财政当年拨付的资金。", "指财政当年拨付给本部门的资金。")
    elif change == "form set":
        edit(corpus / "forms" / "hunan-juesuan-2020.yaml", "title: 收入构成（按来源）", "title: 收入构成（按资金来源）")
    elif change == "site.yaml":
        (corpus / "site.yaml").write_text("name: 某省部门预决算公开\n", encoding="utf-8")
    elif change == "quality criteria":  # a weight: every bureau page's score
        edit(corpus / "quality.yaml", "weight: 20", "weight: 25")
    elif change == "bureau added":
        shutil.copytree(corpus / "bench-00001", corpus / "bench-00001a")
        edit(corpus / "bench-00001a" / "bureau.yaml", "医疗保障局", "医疗保障局分局")
    elif change == "bureau renamed":
        (corpus / "bench-00001").rename(corpus / "bench-00001b")
    elif change == "bureau removed":
        shutil.rmtree(corpus / "bench-00001")
    elif change == "document withdrawn":
        withdrawn.unlink()
    built(corpus, site, site_url=SITE_URL)
    if change == "document withdrawn":  # its pages and downloads are gone
        assert not (site / "bench-00002" / "2019").exists()
        assert "bench-00002/2019" not in (site / "search" / "data" / "meta.json").read_text(encoding="utf-8")
    if change in ("bureau renamed", "bureau removed"):
        assert not (site / "bench-00001").exists()
    assert_same_as_cold(corpus, site, tmp_path, site_url=SITE_URL)


def test_a_commit_that_changes_no_byte_of_data_rebuilds_the_pages_of_its_record(corpus, tmp_path):
    """A document's 更正记录 is made of data/'s history: a commit message reworded (the files as
    they were) is a new input of the pages of the commit's document, and of theirs alone."""
    git(tmp_path, "init", "-q")
    commit_all(tmp_path, "Publish", "2021-03-01T10:00:00+08:00")
    edit(corpus / "bench-00001" / "2019" / "juesuan.yaml", "增加3143.94万元", "增加3143.95万元")
    commit_all(tmp_path, "Correct a figure", "2021-04-02T09:00:00+08:00")
    site = built(corpus, tmp_path / "site")
    overview = site / "bench-00001" / "2019" / "juesuan" / "index.html"
    assert "2021-04-02 Correct a figure" in overview.read_text(encoding="utf-8")
    before = {b: inodes(site, b) for b in ("bench-00000", "bench-00001")}
    git(
        tmp_path,
        "commit",
        "-q",
        "--amend",
        "-m",
        "Correct 与上年相比 as the original prints it",
        date="2021-04-02T09:00:00+08:00",
    )
    built(corpus, site)
    assert "2021-04-02 Correct 与上年相比 as the original prints it" in overview.read_text(encoding="utf-8")
    assert inodes(site, "bench-00000") == before["bench-00000"]  # its files, and commits, as they were
    assert not set(inodes(site, "bench-00001").items()) & set(before["bench-00001"].items())
    assert_same_as_cold(corpus, site, tmp_path)


def test_a_changed_theme_or_configuration_rebuilds_every_bureau(corpus, tmp_path):
    """site_overrides/ and mkdocs.yml (here copies, so that the project's are left alone)."""
    overrides = shutil.copytree(ROOT / "site_overrides", tmp_path / "overrides")
    config = tmp_path / "mkdocs.yml"
    text = (
        (ROOT / "mkdocs.yml")
        .read_text(encoding="utf-8")
        .replace("custom_dir: site_overrides", f"custom_dir: {overrides}")
    )
    for relative in ("generator/", "data\n", "content\n"):  # paths in mkdocs.yml are relative to it
        text = text.replace(f"  - {relative}", f"  - {ROOT}/{relative}")
    config.write_text(text, encoding="utf-8")
    site = built(corpus, tmp_path / "site", config_file=config)
    before = inodes(site, "bench-00000")
    edit(overrides / "main.html", "{{ super() }}", '{{ super() }}\n  <meta name="gk-changed" content="1">')
    built(corpus, site, config_file=config)
    assert not set(inodes(site, "bench-00000").items()) & set(before.items())
    assert_same_as_cold(corpus, site, tmp_path, config_file=config)
    before = inodes(site, "bench-00000")
    edit(config, "site_description: ", "site_description: 改过：")
    built(corpus, site, config_file=config)
    assert not set(inodes(site, "bench-00000").items()) & set(before.items())
    assert_same_as_cold(corpus, site, tmp_path, config_file=config)


def test_a_change_to_the_generator_or_its_dependencies_changes_the_environment(tmp_path, monkeypatch):
    """A template (or any file of the generator) changed: every batch's key changes with it."""
    package = shutil.copytree(ROOT / "generator", tmp_path / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(build_cache, "GENERATOR", package)
    build_cache._code_and_dependencies.cache_clear()
    try:
        first = build_cache.environment(ROOT / "mkdocs.yml", ROOT / "site_overrides", {})
        template = next((package / "render" / "templates").glob("*.j2"))
        template.write_text(template.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        build_cache._code_and_dependencies.cache_clear()
        assert build_cache.environment(ROOT / "mkdocs.yml", ROOT / "site_overrides", {}) != first
        build_cache._code_and_dependencies.cache_clear()
        monkeypatch.setattr(build_cache.importlib.metadata, "distributions", lambda: [])
        changed = build_cache.environment(ROOT / "mkdocs.yml", ROOT / "site_overrides", {})
        build_cache._code_and_dependencies.cache_clear()
        monkeypatch.undo()
        assert changed != build_cache.environment(ROOT / "mkdocs.yml", ROOT / "site_overrides", {})
    finally:
        build_cache._code_and_dependencies.cache_clear()


def damage(cache: Path, how: str) -> None:
    entries = sorted(p for p in cache.iterdir() if (p / "files" / "batch").is_dir())  # batches', not the index's
    if how == "meta.json unreadable":
        (cache / build_cache.META).write_bytes(b"\xff{")
    elif how == "another version":
        (cache / build_cache.META).write_text(json.dumps({"format": 1, "environment": "other"}), encoding="utf-8")
    elif how == "half-written":
        entries[0].rename(cache / f"{entries[0].name}.{os.getpid()}.part")
    elif how == "outcome cut short":
        outcome = entries[0] / build_cache.OUTCOME
        outcome.write_bytes(outcome.read_bytes()[:100])
    elif how == "a file changed":
        page = next(p for p in (entries[0] / "files").rglob("*.html"))
        page.write_bytes(page.read_bytes().replace(b"<", b"[", 1))
    elif how == "a file missing":
        next(p for p in (entries[0] / "files").rglob("*.html")).unlink()
    elif how == "a shard of the search index changed":
        shard = next(p for p in sorted(cache.glob("*/files/t/*.bin")))
        shard.write_bytes(b"x" + shard.read_bytes()[1:])


@pytest.mark.parametrize(
    ("how", "line"),
    [
        ("meta.json unreadable", "构建缓存：缓存已损坏（meta.json 读不出），不用，全部重新生成"),
        ("another version", "构建缓存：缓存来自另一版本的生成器、依赖、主题或配置，不用，全部重新生成"),
        ("half-written", "构建缓存：有上次构建没写完的部分，不用"),
        ("outcome cut short", "构建缓存：1 批的缓存已损坏，不用，已重新生成"),
        ("a file changed", "构建缓存：1 批的缓存已损坏，不用，已重新生成"),
        ("a file missing", "构建缓存：1 批的缓存已损坏，不用，已重新生成"),
        ("a shard of the search index changed", "构建缓存：1 组搜索索引分片的缓存已损坏，不用，已重新生成"),
    ],
)
def test_a_cache_not_to_be_trusted_is_not_used(corpus, tmp_path, capsys, how, line):
    site = built(corpus, tmp_path / "site")
    capsys.readouterr()
    damage(build_cache.folder_for(site), how)
    built(corpus, site)
    said = [text for text in capsys.readouterr().out.splitlines() if text.startswith("构建缓存")]
    assert said == [line]
    assert_same_as_cold(corpus, site, tmp_path)
    built(corpus, site)  # and the cache is whole again
    assert [text for text in capsys.readouterr().out.splitlines() if text.startswith("构建缓存")] == []


def kept_page(site: Path) -> Path:
    """A page as a batch's entry keeps it."""
    cache = build_cache.folder_for(site)
    return next(
        p for entry in sorted(p for p in cache.iterdir() if p.is_dir()) for p in (entry / "files").rglob("*.html")
    )


def digests(monkeypatch) -> list[Path]:
    """The kept files the next recall reads, in order (the build runs its batches in this process)."""
    read: list[Path] = []
    real = build_cache._digest
    monkeypatch.setattr(build_cache, "_digest", lambda path: read.append(Path(path)) or real(path))
    return read


def test_a_rebuild_with_nothing_changed_reads_no_kept_file(corpus, tmp_path, capsys, monkeypatch):
    """A kept file with the inode, size and time it had when kept is linked unread: reading every
    file made an unchanged rebuild read the whole site again."""
    site = built(corpus, tmp_path / "site")
    first = site_files(site)
    read = digests(monkeypatch)
    capsys.readouterr()
    built(corpus, site)
    assert [line for line in capsys.readouterr().out.splitlines() if line.startswith("构建缓存")] == []
    assert read == []
    assert site_files(site) == first


def test_a_kept_file_touched_is_read_and_taken_when_its_bytes_are_as_kept(corpus, tmp_path, capsys, monkeypatch):
    site = built(corpus, tmp_path / "site")
    page = kept_page(site)
    was = page.stat()
    os.utime(page, ns=(was.st_atime_ns, was.st_mtime_ns + 10**9))
    read = digests(monkeypatch)
    capsys.readouterr()
    built(corpus, site)
    assert [line for line in capsys.readouterr().out.splitlines() if line.startswith("构建缓存")] == []
    assert read == [page]
    assert_same_as_cold(corpus, site, tmp_path)


def test_a_kept_file_replaced_with_its_size_and_time_is_read_and_refused(corpus, tmp_path, capsys):
    """Another file under the kept name, of the same size and time (as a copy that keeps times makes),
    is another inode: it is read, and the batch is built."""
    site = built(corpus, tmp_path / "site")
    page = kept_page(site)
    was = page.stat()
    changed = page.read_bytes().replace(b"<", b"[", 1)
    page.unlink()  # the published site keeps the old inode, so the new file cannot take its number
    page.write_bytes(changed)
    os.utime(page, ns=(was.st_atime_ns, was.st_mtime_ns))
    assert page.stat().st_size == was.st_size and page.stat().st_ino != was.st_ino
    capsys.readouterr()
    built(corpus, site)
    said = [line for line in capsys.readouterr().out.splitlines() if line.startswith("构建缓存")]
    assert said == ["构建缓存：1 批的缓存已损坏，不用，已重新生成"]
    assert_same_as_cold(corpus, site, tmp_path)


def test_the_search_index_joins_again_only_the_shards_an_edit_touched(corpus, tmp_path, monkeypatch):
    """Nothing changed: every class of shards is linked from the cache, none joined (the batches
    run in this process here, so its caches differ from the first build's: the slices' digests
    must not follow them). A word added to one document: some classes, not all."""
    site = built(corpus, tmp_path / "site")
    joined: list[list[int]] = []
    real = SpilledIndex._joined
    monkeypatch.setattr(SpilledIndex, "_joined", lambda self, buckets: joined.append(buckets) or real(self, buckets))
    built(corpus, site)
    assert joined == []
    text = next(p for p in sorted((corpus / "bench-00001").rglob("*.yaml")) if "办公费、印刷费" in p.read_text("utf-8"))
    edit(text, "办公费、印刷费", "办公费、印刷费、鸽舍修缮费")  # words no record of the batch had
    built(corpus, site)
    classes = len({p.name for p in (site / INDEX_DIR / "t").iterdir()})  # as many as shards, at most 64
    assert 0 < len(joined) < min(classes, 64) // 2
    assert_same_as_cold(corpus, site, tmp_path)


def test_the_cache_is_outside_the_site_and_no_build_leaves_a_part(corpus, tmp_path):
    site = built(corpus, tmp_path / "site")
    cache = build_cache.folder_for(site)
    assert cache.is_dir() and not cache.resolve().is_relative_to(site.resolve())
    assert [p.name for p in cache.iterdir() if p.name.endswith(".part")] == []
    entries = [p for p in cache.iterdir() if p.is_dir()]
    assert len([p for p in entries if (p / "files" / "batch").is_dir()]) == BUREAUS  # a batch a bureau here
    shards = {p.name for p in entries for p in (p / "files" / "t").glob("*.bin")}
    assert shards == {p.name for p in (site / INDEX_DIR / "t").iterdir()}  # and the search index's shards


def test_the_environment_follows_the_theme_and_the_configuration_beyond_the_shells(tmp_path):
    """An override no shell shows (a menu's partial, a stylesheet) or a line of mkdocs.yml, with
    the same shells: every batch's key changes all the same."""
    overrides = shutil.copytree(ROOT / "site_overrides", tmp_path / "overrides")
    config = shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    first = build_cache.environment(config, overrides, {})
    (overrides / "assets" / "gongkai.css").write_text("/* 改过 */", encoding="utf-8")
    second = build_cache.environment(config, overrides, {})
    edit(config, "plugins: []", "plugins: []  # 改过")
    assert len({first, second, build_cache.environment(config, overrides, {})}) == 3


def test_site_yaml_is_in_every_batch_s_key(corpus):
    folders = [corpus / "bench-00000"]
    first = build_cache.batch_key("environment", corpus, folders, False)
    (corpus / "site.yaml").write_text("name: 某省部门预决算公开\n", encoding="utf-8")
    assert build_cache.batch_key("environment", corpus, folders, False) != first


def test_a_bureau_added_moves_no_cut_after_the_next_one(tmp_path):
    """Batches are cut by the bureaus' own names, not only by size: a bureau added in front leaves
    every batch after the first cut as it was, and so does one removed."""
    data = tmp_path / "data"
    for n in range(60):
        write(data / f"b{n:03d}" / "bureau.yaml", "name: x\n")
        write(data / f"b{n:03d}" / "2020" / "yusuan.yaml", "year: 2020\n")

    def planned() -> list[tuple[str, ...]]:
        return [tuple(folder.name for folder in batch.folders) for batch in batches.plan(data)[0]]

    before = planned()
    assert 3 < len(before) < 30  # batches of a few bureaus each
    write(data / "a000" / "bureau.yaml", "name: x\n")
    write(data / "a000" / "2020" / "yusuan.yaml", "year: 2020\n")
    assert planned()[-(len(before) - 1) :] == before[1:]
    shutil.rmtree(data / "a000")
    shutil.rmtree(data / before[2][0])  # the first bureau of the third batch
    after = planned()
    assert after[:2] == before[:2] and after[-(len(before) - 3) :] == before[3:]


def test_pages_written_after_the_batches_leave_what_was_kept_as_it_was(tmp_path, monkeypatch, capsys):
    """A document's link to its city's comparison is written once every batch is in: into a file of
    its own, never into the recalled page, which is the cache's file (and the published site's).
    Two bureaus' 决算 of one city are compared: 望城's and a twin's."""
    monkeypatch.setenv("GONGKAI_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(batches, "BATCH_DOCUMENTS", 1)  # a batch a bureau
    data = shutil.copytree(DATA, tmp_path / "data")
    twin = shutil.copytree(data / "changsha-wangcheng-ybj", data / "changsha-wangchengb-ybj")
    edit(twin / "bureau.yaml", "name: 长沙市望城区医疗保障局", "name: 长沙市望城区医疗保障局二")
    edit(twin / "bureau.yaml", "short_name: 望城区医保局", "short_name: 望城区医保局二")
    site = built(data, tmp_path / "site")
    compared = [p for p in site.rglob("index.html") if 'class="gk-region-link"' in p.read_text(encoding="utf-8")]
    assert len(compared) == 2  # the two 决算 of 长沙 are set side by side
    first = site_files(site)
    capsys.readouterr()
    built(data, site)
    built(data, site)
    assert [line for line in capsys.readouterr().out.splitlines() if line.startswith("构建缓存")] == []
    assert site_files(site) == first
    assert_same_as_cold(data, site, tmp_path)
