"""Build stage: write the generated pages, run mkdocs into a temporary folder, then swap it in.

The previous site/ is replaced only once the new one is complete, so a failed build leaves what
was published before untouched.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from .fragments import FRAGMENTS
from .model import Site
from .pages import all_pages, navigation

ROOT = Path(__file__).resolve().parent.parent

# Seconds spent in each stage of the last build, for `python -m generator bench`.
TIMINGS: dict[str, float] = {}


@contextmanager
def timed(stage: str):
    start = time.perf_counter()
    try:
        yield
    finally:
        TIMINGS[stage] = TIMINGS.get(stage, 0.0) + time.perf_counter() - start


def write_if_changed(path: Path, text: str) -> bool:
    # mkdocs serve watches the docs folder: rewriting unchanged pages would trigger endless rebuilds.
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


def generate(site: Site, docs_dir: Path, content_dir: Path = ROOT / "content", results=None) -> list:
    """Write every page of *site* under *docs_dir*, remove stale ones; return the navigation."""
    wanted: dict[Path, str] = {}
    if content_dir.is_dir():
        for source in sorted(content_dir.rglob("*")):
            if source.is_file() and source.relative_to(content_dir).as_posix() != "index.md":
                wanted[docs_dir / source.relative_to(content_dir)] = source.read_text(encoding="utf-8")
    if results is None:
        from .checks import check_document

        results = [r for d in site.documents for r in check_document(d)]
    FRAGMENTS.clear()
    for page in all_pages(site, content_dir, results):
        wanted[docs_dir / page.src] = page.text
        FRAGMENTS[page.src] = page.fragments
    for path, text in wanted.items():
        write_if_changed(path, text)
    if docs_dir.is_dir():
        for path in sorted(docs_dir.rglob("*"), reverse=True):
            if path.is_file() and path not in wanted:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return navigation(site)


def run_mkdocs(docs_dir: Path, site_dir: Path, nav: list, config_file: Path = ROOT / "mkdocs.yml") -> None:
    # mkdocs is pinned below 2 on purpose (2.0 drops plugins and breaks Material): skip its banner.
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    # The hook that regenerates pages under `mkdocs serve` is not needed: the pages were just written.
    config = load_config(
        str(config_file),
        docs_dir=str(docs_dir),
        site_dir=str(site_dir),
        nav=nav,
        hooks=[str(Path(__file__).with_name("mkdocs_fragments.py"))],
        strict=True,
    )
    build(config)


PAGEFIND_OPTIONS = [
    # Pages are indexed by their article only (marked data-pagefind-body by mkdocs_fragments.py, not
    # the header, menu and footer), without the ¶ permalinks.
    "--exclude-selectors", ".headerlink",
    "--quiet",
]  # fmt: skip


class SearchIndexError(Exception):
    pass


def run_pagefind(site_dir: Path) -> None:
    """Index the built site with Pagefind: a static index in small chunks, fetched per query."""
    done = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(site_dir), *PAGEFIND_OPTIONS],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        raise SearchIndexError(lines[-1] if lines else f"exit status {done.returncode}")


def swap_in(new_site: Path, site_dir: Path) -> None:
    old = site_dir.with_name(f".{site_dir.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if site_dir.exists():
        site_dir.rename(old)
    new_site.rename(site_dir)
    if old.exists():
        shutil.rmtree(old)


def build_site(site: Site, site_dir: Path, results=None, config_file: Path = ROOT / "mkdocs.yml") -> int:
    from mkdocs.exceptions import MkDocsException

    logging.basicConfig(format="%(levelname)s: %(message)s", level=logging.WARNING)
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-build-", dir=site_dir.parent))
    try:
        with timed("generate"):
            nav = generate(site, work / "docs", results=results)
        with timed("mkdocs"):
            run_mkdocs(work / "docs", work / "site", nav, config_file)
        with timed("search index"):
            run_pagefind(work / "site")
        swap_in(work / "site", site_dir)
    except (MkDocsException, SystemExit) as exc:
        print(f"mkdocs: {exc}; the previous {site_dir.name}/ is unchanged", file=sys.stderr)
        return 1
    except SearchIndexError as exc:
        print(f"pagefind: {exc}; the previous {site_dir.name}/ is unchanged", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"built {site_dir}: {len(site.documents)} document(s)")
    return 0
