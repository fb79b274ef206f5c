"""The same commit builds the same bytes, and a build that fails, wherever it fails, leaves the
published site/ exactly as it was."""

from __future__ import annotations

import difflib
import gzip
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import DATA, ROOT, generator_env
from sitetools import contents, untouched

EPOCH = 1609459200  # 2021-01-01 00:00 UTC


def build(data: Path, site: Path, *options: str, **env: str) -> subprocess.Popen:
    """`python -m generator build` in a process of its own, as `make site` runs it."""
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "build", str(data), "--site-dir", str(site), *options],
        cwd=site.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=generator_env(SOURCE_DATE_EPOCH=str(EPOCH), **env),
    )


def finished(process: subprocess.Popen) -> tuple[int, str]:
    _, stderr = process.communicate(timeout=300)
    return process.returncode, stderr


def test_two_builds_of_the_real_data_are_the_same_bytes(tmp_path):
    # As different as two machines building one commit can be: another checkout path, folder
    # name, number of workers, hash seed, time zone and locale; only the commit is shared (its date,
    # and data/'s history, which the documents' 更正记录 are made of: a clone, not a copy).
    first, second = tmp_path / "one", tmp_path / "two"
    first.mkdir()
    subprocess.run(["git", "clone", "-q", str(ROOT), str(second / "checkout")], check=True, capture_output=True)
    # One after the other: a time taken from the clock would differ between them.
    for start in (
        lambda: build(DATA, first / "site", "--jobs", "1", PYTHONHASHSEED="1", TZ="UTC"),
        lambda: build(
            second / "checkout" / "data",
            second / "public",
            "--jobs",
            "2",
            PYTHONHASHSEED="2",
            TZ="Asia/Shanghai",
            LANG="C.UTF-8",
        ),
    ):
        status, stderr = finished(start())
        assert status == 0, stderr
        time.sleep(1)

    sites = first / "site", second / "public"
    listed = [contents(site) for site in sites]
    assert listed[0].keys() == listed[1].keys()
    differing = sorted(name for name, digest in listed[0].items() if listed[1][name] != digest)
    if differing:
        a, b = ((site / differing[0]).read_bytes().decode("utf-8", "replace").splitlines() for site in sites)
        diff = "\n".join(list(difflib.unified_diff(a, b, lineterm=""))[:40])
        pytest.fail(f"{len(differing)} file(s) differ: {differing[:10]}\n{differing[0]}:\n{diff}")

    assert sum(name.startswith("search/data/") and name.endswith(".bin") for name in listed[0]) > 10
    assert len([name for name in listed[0] if name.endswith("index.html")]) > 30
    # The timestamps written into files are the commit's, not the clock's: gzip keeps one in its header.
    sitemap = (sites[0] / "sitemap.xml.gz").read_bytes()
    assert int.from_bytes(sitemap[4:8], "little") == EPOCH
    gzipped = [site / name for site in sites[:1] for name in listed[0] if name.endswith(".bin")]
    assert all(path.read_bytes()[:2] != b"\x1f\x8b" or path.read_bytes()[4:8] == bytes(4) for path in gzipped)
    assert gzip.decompress(sitemap).startswith(b"<?xml")


def test_make_dates_the_build_by_the_last_commit():
    """What the test above takes as given: `make site` passes the last commit's time to the build."""
    environment = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    commit = subprocess.run(
        ["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True, env=environment
    )
    assert commit.returncode == 0 and commit.stdout.strip().isdigit(), commit.stderr
    shown = subprocess.run(
        ["make", "-s", "--eval", "show-epoch: ; @echo $$SOURCE_DATE_EPOCH", "show-epoch"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=environment,
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip() == commit.stdout.strip()


@pytest.fixture
def published(tmp_path) -> Path:
    """A copy of data/ and content/, and the site built from them: what is online now."""
    shutil.copytree(DATA, tmp_path / "data")
    shutil.copytree(ROOT / "content", tmp_path / "content")
    site = tmp_path / "site"
    status, stderr = finished(build(tmp_path / "data", site))
    assert status == 0, stderr
    return site


def test_a_build_stopped_by_a_data_error_leaves_the_previous_site_as_it_was(published):
    root = published.parent
    before = untouched(published)
    # A figure typed wrong in the last bureau's document (the last to be built).
    document = sorted((root / "data").glob("*/*/*.yaml"))[-1]
    text = document.read_text(encoding="utf-8")
    figure = re.search(r"(?m)^ +\S+: (\d+)\.(\d\d)$", text)
    document.write_text(text[: figure.start(1)] + f"{figure[1]},{figure[2]}" + text[figure.end(2) :], encoding="utf-8")
    line = text.count("\n", 0, figure.start()) + 1

    status, stderr = finished(build(root / "data", published))
    assert status == 1
    assert f"{document.relative_to(root).as_posix()}:{line}:" in stderr and "Traceback" not in stderr
    assert "个错误：没有发布，原来的 site/ 未改动" in stderr
    assert untouched(published) == before
    assert sorted(p.name for p in root.iterdir()) == ["content", "data", "site"]  # no half-built folder left


def test_a_build_stopped_by_mkdocs_after_every_bureau_is_built_leaves_the_previous_site_as_it_was(
    published, capsys, caplog
):
    from generator.build.site import build as build_here  # content/ is read from the copy only in-process

    root = published.parent
    before = untouched(published)
    # A hand-written page links to one that does not exist: mkdocs refuses it (strict mode) once
    # every bureau's pages are already built.
    about = root / "content" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n[旧页面](nowhere.md)\n", encoding="utf-8")

    assert build_here(root / "data", published, content_dir=root / "content") == 1
    assert "'nowhere.md'" in caplog.text
    said = capsys.readouterr().err
    assert "mkdocs：Aborted" in said and "原来的 site/ 未改动" in said
    assert untouched(published) == before
    assert sorted(p.name for p in root.iterdir()) == ["content", "data", "site"]


def test_a_build_killed_halfway_leaves_the_previous_site_as_it_was(published):
    # A CI job timed out or a machine stopped: no handler runs, the swap never comes.
    root = published.parent
    before = untouched(published)
    process = build(root / "data", published)
    deadline = time.monotonic() + 120
    # docs/ holds the site-wide pages, written once every bureau's pages are built
    while not any((work / "docs").exists() for work in root.glob(".site-build-*")):
        assert process.poll() is None, "the build finished before it could be stopped halfway"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert untouched(published) == before
    # what the killed build left is removed by the next one, which publishes as usual
    assert list(root.glob(".site-build-*"))
    status, stderr = finished(build(root / "data", published))
    assert status == 0, stderr
    assert not list(root.glob(".site-build-*"))
