"""Shared fixtures: small data trees written per test, the real site built once per session, a local
server for a built site and Debian's chromium for the browser tests.

Plain functions and constants are in helpers.py and sitetools.py, which test files import."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# The helper modules assert too (a load that must succeed): pytest explains their failures as it
# does a test's only if it rewrites them, which it must be told before they are first imported.
pytest.register_assert_rewrite("helpers", "sitetools")

from helpers import (  # noqa: E402
    DATA,
    DOCUMENT_FILE,
    MINIMAL_BUREAU,
    MINIMAL_DOCUMENT,
    build_site,
    copy_fragment_forms,
    write,
)
from sitetools import CHROMIUM_ARGS, serving  # noqa: E402


@pytest.hookimpl(tryfirst=True)  # before -m deselects by marker
def pytest_collection_modifyitems(items):
    """Every test that starts chromium does it through the `browser` fixture below (directly or
    through another fixture): it is marked `browser` here, so that `pytest -m "not browser"` leaves
    out exactly those tests and no test file has to remember the marker."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True, scope="session")
def check_cache_outside_the_repository(tmp_path_factory):
    """`check` keeps its results under .cache/ of the project: the tests' go to a folder of their own."""
    os.environ["GONGKAI_CACHE"] = str(tmp_path_factory.mktemp("check-cache"))


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    """The real data/ built once into a temporary site."""
    return build_site(DATA, tmp_path_factory.mktemp("built") / "site")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A small valid data tree using the real forms; tests overwrite files in it to break it."""
    root = tmp_path / "data"
    copy_fragment_forms(root / "forms")
    write(
        root / "glossary.yaml",
        """
        terms:
          - term: 基本支出
            definition: 指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。
        """,
    )
    write(root / "ceshi-ybj" / "bureau.yaml", MINIMAL_BUREAU)
    write(root / DOCUMENT_FILE, MINIMAL_DOCUMENT)
    return root


@pytest.fixture(scope="module")
def server(real_site):
    with serving(real_site) as address:
        yield address


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium (Playwright's own download does not work here), one per module; tests open
    pages in contexts of their own (sitetools.open_page) and close them."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()
