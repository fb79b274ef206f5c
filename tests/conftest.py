"""Shared fixtures: small data trees written per test, the real site built once per session, a local
server for a built site and Debian's chromium for the browser tests."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


MINIMAL_BUREAU = """
name: 测试市测试区医疗保障局
short_name: 测试区医保局
region: 测试省/测试市/测试区
"""

MINIMAL_DOCUMENT = """
title: 2020年度测试区医疗保障局部门决算
kind: 决算
year: 2020
form_set: hunan-juesuan-2020
parts:
  - title: 第一部分 概况
    sections:
      - title: 一、部门职责
        body: 负责医疗保障。
  - title: 第二部分 决算表
    sections:
      - title: 二、收入决算表
        table:
          form: 公开02表
          rows:
            - {科目名称: 合计, 本年收入合计: 55.11}
            - {科目编码: "208", 科目名称: 社会保障和就业支出, 本年收入合计: 55.11}
"""


def run_generator(*args, cwd) -> subprocess.CompletedProcess:
    """`python -m generator ARGS` run as an editor runs it, in *cwd*, with a bare environment."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "GONGKAI_CACHE": os.environ["GONGKAI_CACHE"]},
    )


@pytest.fixture(autouse=True, scope="session")
def check_cache_outside_the_repository(tmp_path_factory):
    """`check` keeps its results under .cache/ of the project: the tests' go to a folder of their own."""
    os.environ["GONGKAI_CACHE"] = str(tmp_path_factory.mktemp("check-cache"))


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    """The real data/ built once into a temporary site."""
    from generator.build.site import build

    out = tmp_path_factory.mktemp("built") / "site"
    assert build(DATA, out) == 0
    return out


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A small valid data tree using the real forms; tests overwrite files in it to break it."""
    root = tmp_path / "data"
    shutil.copytree(DATA / "forms", root / "forms")
    write(
        root / "glossary.yaml",
        """
        terms:
          - term: 基本支出
            definition: 指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。
        """,
    )
    write(root / "ceshi-ybj" / "bureau.yaml", MINIMAL_BUREAU)
    write(root / "ceshi-ybj" / "2020" / "juesuan.yaml", MINIMAL_DOCUMENT)
    return root


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def serving(site: Path) -> Iterator[str]:
    """A built site served on a free local port, as a static host would; yields its address."""
    handler = functools.partial(QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()


@pytest.fixture(scope="module")
def server(real_site):
    with serving(real_site) as address:
        yield address


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()
