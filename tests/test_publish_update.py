"""Publishing by difference (build/publish.update, build/layers.py): an incremental build over a site
built here leaves in place every file and folder the new site has as they are, so that it costs what
changed; and it still ends with the bytes of a cold build, whatever was done to the site folder,
without ever writing through a symlink or leaving the site half-updated without saying so."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest

from generator.build import batches, build_cache, publish
from generator.build.layers import NewSite, listing
from generator.build.search import INDEX_DIR
from generator.build.site import build

from helpers import (
    BUREAUS,
    DOCUMENT_FILE,
    SITE_URL,
    assert_same_as_cold,
    built,
    incremental_corpus,
    san_gong,
    site_files,
    write,
)
from helpers import edit_text as edit

corpus = pytest.fixture(incremental_corpus, name="corpus")


def snapshot(site: Path) -> dict[str, tuple[int, bytes]]:
    """Every file and folder of *site* with its inode (and a file's bytes)."""
    found = {".": (site.stat().st_ino, b"")}
    for path in sorted(site.rglob("*")):
        found[path.relative_to(site).as_posix()] = (path.stat().st_ino, path.read_bytes() if path.is_file() else b"")
    return found


def test_a_rebuild_leaves_the_unchanged_bureaus_folders_and_files_where_they_are(corpus, tmp_path, monkeypatch):
    site = built(corpus, tmp_path / "site", site_url=SITE_URL)
    before = snapshot(site)
    put: list[str] = []
    real = publish._put
    monkeypatch.setattr(
        publish, "_put", lambda source, target, *rest: put.append(target) or real(source, target, *rest)
    )
    edit(corpus / "bench-00001" / "2019" / "juesuan.yaml", "增加3143.94万元", "增加3143.95万元")
    built(corpus, site, site_url=SITE_URL)
    after = snapshot(site)
    tops = {Path(target).relative_to(site).parts[0] for target in put}
    assert {top for top in tops if top.startswith("bench-")} == {"bench-00001"}  # the edited bureau's files alone
    unchanged = ("bench-00000", f"{INDEX_DIR}/r/b0000-")  # a bureau's folder, its batch's search records
    untouched = {name: was for name, was in before.items() if name == "." or name.startswith(unchanged)}
    assert len(untouched) > 10 and {name: after[name] for name in untouched} == untouched  # folders too
    assert any(name.startswith(unchanged[1]) for name in untouched)
    records = {Path(target).name.partition("-")[0] for target in put if f"/{INDEX_DIR}/r/" in target}
    assert "b0001" in records <= {"b0001", "site"}  # the edited batch's (the site-wide pages' if they changed)
    # A site-wide page written anew with the same bytes is left as it was (an upload sees it unchanged)
    assert after["index.html"] == before["index.html"] and after["admin/index.html"] == before["admin/index.html"]
    assert_same_as_cold(corpus, site, tmp_path, site_url=SITE_URL)


def test_whatever_was_done_to_the_site_folder_the_update_ends_as_a_cold_build(corpus, tmp_path):
    site = built(corpus, tmp_path / "site", site_url=SITE_URL)
    outside = tmp_path / "outside"
    (outside / "folder").mkdir(parents=True)
    (outside / "folder" / "index.html").write_text("not the site's", encoding="utf-8")
    (outside / "file.html").write_text("not the site's either", encoding="utf-8")
    (site / "extra.txt").write_text("left by hand", encoding="utf-8")
    (site / "bench-00000" / "stray.html").write_text("left by hand", encoding="utf-8")
    (site / "bench-00000" / "junk").mkdir()
    (site / "bench-00000" / "junk" / "x.html").write_text("x", encoding="utf-8")
    page_folder = next(
        p for p in sorted((site / "bench-00001").rglob("index.html")) if p.parent != site / "bench-00001"
    )
    shutil.rmtree(page_folder.parent)
    page_folder.parent.symlink_to(outside / "folder", target_is_directory=True)  # a folder become a symlink
    year = next(p for p in sorted((site / "bench-00002").iterdir()) if p.is_dir())
    shutil.rmtree(year)
    year.write_text("a file where a folder was", encoding="utf-8")
    page = next(p for p in sorted((site / "bench-00003").rglob("index.html")))
    page.unlink()
    page.mkdir()  # a folder where a page was
    (page / "inside.html").write_text("y", encoding="utf-8")
    another = next(p for p in sorted((site / "bench-00000").rglob("*")) if p.is_file() and p.suffix != ".html")
    another.unlink()
    another.symlink_to(outside / "file.html")  # a page become a symlink
    built(corpus, site, site_url=SITE_URL)
    assert_same_as_cold(corpus, site, tmp_path, site_url=SITE_URL)
    assert (outside / "folder" / "index.html").read_text(encoding="utf-8") == "not the site's"
    assert (outside / "file.html").read_text(encoding="utf-8") == "not the site's either"
    assert [p for p in site.rglob("*") if p.is_symlink() or ".gongkai-new" in p.name] == []


def test_bad_data_leaves_the_site_and_every_inode_as_they_were(corpus, tmp_path):
    site = built(corpus, tmp_path / "site")
    before = snapshot(site)
    edit(corpus / "bench-00001" / "2019" / "juesuan.yaml", "增加3143.94万元", "增加3143.94万元\n  : [")
    assert build(corpus, site, jobs=1, allow_shrink=True) == 1
    assert snapshot(site) == before


def test_a_disk_that_fails_in_the_middle_is_said_and_the_next_build_mends_the_site(
    corpus, tmp_path, monkeypatch, capsys
):
    site = built(corpus, tmp_path / "site")
    edit(corpus / "bench-00001" / "2019" / "juesuan.yaml", "增加3143.94万元", "增加3143.95万元")
    put: list[str] = []
    real = publish._put

    def failing(source: str, target: str, *rest) -> None:
        put.append(target)
        if len(put) > 5:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), target)
        real(source, target, *rest)

    monkeypatch.setattr(publish, "_put", failing)
    capsys.readouterr()
    assert build(corpus, site, jobs=1, allow_shrink=True) == 1
    said = capsys.readouterr().err
    assert "site/ 只更新了一部分：请再生成一次" in said and "未改动" not in said
    monkeypatch.setattr(publish, "_put", real)
    built(corpus, site)
    assert_same_as_cold(corpus, site, tmp_path)


def test_a_site_folder_removed_is_built_again_from_the_cache(corpus, tmp_path):
    site = built(corpus, tmp_path / "site")
    shutil.rmtree(site)
    built(corpus, site)
    cache = build_cache.folder_for(site)
    kept = {p.stat().st_ino for p in cache.rglob("*") if p.is_file()}
    pages = [p for p in (site / "bench-00002").rglob("*") if p.is_file()]
    assert pages and all(p.stat().st_ino in kept for p in pages)  # linked from the cache, not built again
    assert_same_as_cold(corpus, site, tmp_path)


def test_update_puts_files_and_folders_in_each_others_places_and_never_writes_through_a_symlink(tmp_path):
    root, kept, site, outside = (tmp_path / name for name in ("root", "kept", "site", "outside"))
    for path, text in {
        root / "index.html": "home",
        root / "a" / "b" / "index.html": "a/b",
        kept / "k" / "p" / "index.html": "k/p",
        kept / "k" / "q.txt": "k/q",
        site / "index.html": "old home",
        site / "k" / "p": "a file where a folder goes",
        site / "k" / "q.txt" / "x": "a folder where a file goes",
        site / "gone" / "deep" / "x.html": "gone",
        site / "old.txt": "gone",
        site / "k" / "stray.html": "gone",
        outside / "b" / "index.html": "outside",
    }.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (site / "a").mkdir()
    (site / "a" / "b").symlink_to(outside / "b", target_is_directory=True)
    publish.update(NewSite(root, {"k": kept}), site)
    assert site_files(site) == {
        "a/b/index.html": b"a/b",
        "index.html": b"home",
        "k/p/index.html": b"k/p",
        "k/q.txt": b"k/q",
    }
    assert sorted(listing(site, "k")[1]) == ["k", "k/p"] and not (site / "a" / "b").is_symlink()
    assert (outside / "b" / "index.html").read_text(encoding="utf-8") == "outside"
    assert (site / "k" / "q.txt").stat().st_ino == (kept / "k" / "q.txt").stat().st_ino  # a link, not a copy


def test_batches_recalled_in_worker_processes_are_published_by_difference(corpus, tmp_path):
    site = tmp_path / "site"
    assert build(corpus, site, jobs=2, allow_shrink=True) == 0
    top = site.stat().st_ino
    assert build(corpus, site, jobs=2, allow_shrink=True) == 0
    assert site.stat().st_ino == top and len([p for p in site.iterdir() if p.name.startswith("bench-")]) == BUREAUS
    assert_same_as_cold(corpus, site, tmp_path)


def test_the_link_to_a_city_s_comparison_is_written_over_a_kept_page(data_dir, tmp_path, monkeypatch):
    """Two bureaus of one city with a 2020 决算: each one's page links to the city's comparison, a
    link written once every batch is in (region_links.py). The build's own page comes before the
    one the cache gave back (layers.py), and a page no longer compared loses its link."""
    monkeypatch.setattr(batches, "BATCH_DOCUMENTS", 1)
    monkeypatch.setenv("GONGKAI_CACHE", str(tmp_path / "cache"))
    (data_dir / DOCUMENT_FILE).unlink()
    write(data_dir / "ceshi-ybj" / "2020" / "juesuan.yaml", san_gong(2020, "3.00", "2.50"))
    for slug, district, actual in (("dier-ybj", "第二区", "4.10"), ("disan-ybj", "第三区", "0.75")):
        region = f"region: 测试省/测试市/{district}\n"
        write(
            data_dir / slug / "bureau.yaml", f"name: 测试市{district}医疗保障局\nshort_name: {district}医保局\n{region}"
        )
        write(data_dir / slug / "2020" / "juesuan.yaml", san_gong(2020, "5.00", actual))
    site = built(data_dir, tmp_path / "site")
    page = site / "ceshi-ybj" / "2020" / "juesuan" / "index.html"
    assert 'class="gk-region-link"' in page.read_text("utf-8")
    write(data_dir / "disan-ybj" / "2020" / "juesuan.yaml", san_gong(2020, "5.00", "0.76"))  # its batch alone
    built(data_dir, site)
    assert 'class="gk-region-link"' in page.read_text("utf-8")
    assert_same_as_cold(data_dir, site, tmp_path)
    shutil.rmtree(data_dir / "dier-ybj")
    shutil.rmtree(data_dir / "disan-ybj")  # 测试市 has one bureau left: nothing to compare it with
    built(data_dir, site)
    assert "gk-region-link" not in page.read_text("utf-8").replace("<!--gk-region-link-->", "")
    assert_same_as_cold(data_dir, site, tmp_path)
