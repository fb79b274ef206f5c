"""Builds in batches of bureaus (batches.py): the site must not depend on how data/ was cut up or
on the number of worker processes, and every batch's problems must reach the report."""

from __future__ import annotations

import gzip
import json
import shutil

from generator.build import batches
from generator.build.check import check
from generator.build.site import build

from helpers import DATA, DOCUMENT_FILE, ROOT, previous_site, write


def search_records(site) -> list:
    index = site / "search" / "data"
    meta = json.loads((index / "meta.json").read_text(encoding="utf-8"))
    rows = []
    for name, _start in meta["parts"]:
        for chunk in sorted(index.glob(f"r/{name}-*.bin"), key=lambda p: int(p.stem.rsplit("-", 1)[1])):
            rows.extend(json.loads(gzip.decompress(chunk.read_bytes())))
    return rows


def test_the_site_is_the_same_whatever_the_batches_and_workers(tmp_path, monkeypatch):
    assert build(DATA, tmp_path / "one", jobs=1) == 0
    monkeypatch.setattr(batches, "BATCH_DOCUMENTS", 1)  # every bureau a batch of its own
    assert len(batches.plan(DATA)[0]) == 4
    assert build(DATA, tmp_path / "four", jobs=2) == 0
    one, four = tmp_path / "one", tmp_path / "four"
    pages = sorted(p.relative_to(one) for p in one.rglob("*.html"))
    assert pages == sorted(p.relative_to(four) for p in four.rglob("*.html")) and len(pages) > 30
    for page in pages:
        assert (one / page).read_bytes() == (four / page).read_bytes(), page
    # the index is cut into other files, but holds the same records in the same order
    assert search_records(one) == search_records(four) and len(search_records(one)) > 100


def test_problems_in_several_batches_are_all_reported(data_dir, monkeypatch, capsys):
    write(data_dir / "aaa-ybj" / "bureau.yaml", "name: 甲\nshort_name: 甲\nregion: 某省/某市/某区\n")  # no documents
    write(data_dir / "zzz-ybj" / "bureau.yaml", "name: [\n")
    write(data_dir / "zzz-ybj" / "2020" / "juesuan.yaml", "title: x\n")
    (data_dir / DOCUMENT_FILE).write_text("title: 1\ntitle: 2\n", encoding="utf-8")
    monkeypatch.setattr(batches, "BATCH_DOCUMENTS", 1)
    assert [len(b.folders) for b in batches.plan(data_dir)[0]] == [2, 1]  # aaa has no documents
    assert check(data_dir, jobs=2) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert any("zzz-ybj/bureau.yaml:2:1: 错误：这里缺少值" in line for line in lines), lines
    assert any("ceshi-ybj/2020/juesuan.yaml:2:1: 错误：键 'title' 重复了" in line for line in lines), lines


def test_a_theme_the_shells_do_not_fit_fails_in_one_line_and_keeps_the_site(tmp_path, monkeypatch, capsys):
    # A theme upgrade that moves the table of contents: the shells cannot be cut, the build stops
    # before any worker starts and says so in one line.
    overrides = tmp_path / "overrides"
    shutil.copytree(ROOT / "site_overrides", overrides)
    write(overrides / "partials" / "toc.html", "<nav>moved</nav>\n")
    config = tmp_path / "mkdocs.yml"
    text = (
        (ROOT / "mkdocs.yml")
        .read_text(encoding="utf-8")
        .replace("custom_dir: site_overrides", f"custom_dir: {overrides}")
    )
    for relative in ("generator/", "data\n", "content\n"):  # paths in mkdocs.yml are relative to it
        text = text.replace(f"  - {relative}", f"  - {ROOT}/{relative}")
    config.write_text(text, encoding="utf-8")
    site = tmp_path / "site"
    previous_site(site)
    monkeypatch.setattr(batches, "BATCH_DOCUMENTS", 1)
    assert build(DATA, site, jobs=2, config_file=config) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("主题：页面外壳 gk-shell/ 中没有目录的标题") and "Traceback" not in err
    assert (site / "index.html").read_text(encoding="utf-8") == "the site as it was\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []  # nothing half-built left
