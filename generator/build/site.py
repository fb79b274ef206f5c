"""Build stage: batches of bureaus built in worker processes (parallel.py), the site-wide pages and
the search index put together, the result swapped in.

The previous site/ is replaced only once the new one is complete, so a failed build leaves what
was published before untouched.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from ..check.document import check_document
from ..core import urls
from ..core.model import Site
from ..core.problems import Problem
from ..core.results import ERROR, NOTICE, WARNING
from ..editing.cms import write_admin
from ..export import downloads
from ..render.escaping import escape
from ..render.fragments import FRAGMENTS, HTML_PAGES, searchable
from ..render.pages import Page, all_pages, navigation, site_pages
from . import check_cache, links
from .batches import load_shared, move_built, plan, publish_shells, run_batches
from .search import CHUNK, INDEX_DIR, Facets, IndexPart, page_records, write_chunks, write_index
from .shells import DEPTHS, SHELL_MARKDOWN, ShellError, Shells, read_shells, shell_src, theme_env

ROOT = Path(__file__).resolve().parents[2]

# Seconds spent in each stage of the last build, for `python -m generator bench`. The stages run in
# the workers are summed over the workers (so they can add up to more than the build's wall time).
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


def write_pages(pages, docs_dir: Path, content_dir: Path | None = None, stubs: bool = False) -> None:
    """Write *pages* (and the hand-written ones of *content_dir*) under *docs_dir*, remove stale ones.

    *stubs*: write placeholders for the menu's pages, which mkdocs wants to exist (for the build of
    the page shells, whose copies of them are not used).
    """
    wanted: dict[Path, str] = {}
    if content_dir is not None and content_dir.is_dir():
        for source in sorted(content_dir.rglob("*")):
            if source.is_file() and source.relative_to(content_dir).as_posix() != "index.md":
                wanted[docs_dir / source.relative_to(content_dir)] = source.read_text(encoding="utf-8")
    if stubs:
        for item in navigation():
            for title, src in item.items():
                wanted[docs_dir / src] = f"# {title}\n"
    FRAGMENTS.clear()
    HTML_PAGES.clear()
    for page in pages:
        wanted[docs_dir / page.src] = page.text
        FRAGMENTS[page.src] = page.fragments
        if page.html is not None:
            HTML_PAGES.add(page.src)
    for path, text in wanted.items():
        write_if_changed(path, text)
    if docs_dir.is_dir():
        for path in sorted(docs_dir.rglob("*"), reverse=True):
            if path.is_file() and path not in wanted:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()


def generate(site: Site, docs_dir: Path, content_dir: Path = ROOT / "content", results=None, problems=()) -> list:
    """Write every page of *site* under *docs_dir* (for `mkdocs serve`); return the navigation.

    *problems*: what kept files of data/ from loading. The preview still shows what did load, with
    the problems at the top of every page, so that a clerk sees them where they are looking.
    """
    if results is None:
        results = [r for d in site.documents for r in check_document(d)]
    pages = all_pages(site, content_dir, results)
    if problems:
        notice = problems_notice(problems)
        pages = [replace(page, text=with_notice(page.text, notice)) for page in pages]
    write_pages(pages, docs_dir, content_dir)
    return navigation()


def problems_notice(problems) -> str:
    """Material's red admonition listing *problems*, one `path:line:col: message` each (raw HTML:
    Markdown leaves it alone, and every problem is escaped)."""
    items = "".join(f"<li><code>{escape(str(problem))}</code></li>" for problem in problems)
    return (
        f'<div class="admonition danger gk-problems"><p class="admonition-title">data/ 中有 {len(problems)} 处问题：'
        f"出问题的文件没有载入；改正并保存后，本页自动更新</p><ul>{items}</ul></div>\n\n"
    )


def with_notice(text: str, notice: str) -> str:
    """*notice* at the top of a page's Markdown, after its front matter if it has one."""
    text = str(text)  # not Markup, which would escape the notice it is added to
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end >= 0:
            return text[: end + 5] + "\n" + notice + text[end + 5 :]
    return notice + text


def run_mkdocs(docs_dir: Path, site_dir: Path, config_file: Path = ROOT / "mkdocs.yml") -> None:
    # mkdocs is pinned below 2 on purpose (2.0 drops plugins and breaks Material): skip its banner.
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    # The hook that regenerates pages under `mkdocs serve` is not needed: the pages were just written.
    config = load_config(
        str(config_file),
        docs_dir=str(docs_dir),
        site_dir=str(site_dir),
        nav=navigation(),
        hooks=[str(Path(__file__).with_name("mkdocs_fragments.py"))],
        strict=True,
    )
    mkdocs_build(config)


def make_shells(work: Path, config_file: Path) -> dict[int, str]:
    """The theme's page at every depth, with placeholders (see shell.py)."""
    docs = work / "shell-docs"
    write_pages([Page(shell_src(depth), SHELL_MARKDOWN) for depth in DEPTHS], docs, stubs=True)
    run_mkdocs(docs, work / "shell-site", config_file)
    return read_shells(work / "shell-site")


def remove_abandoned_builds(site_dir: Path) -> None:
    """Remove the work folders of builds that were killed (their process is gone): a build cleans
    up after itself, but not after SIGKILL or a power cut, and each such folder holds a site."""
    for folder in site_dir.parent.glob(f".{site_dir.name}-build-*"):
        pid = folder.name[len(f".{site_dir.name}-build-") :].split("-")[0]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except PermissionError:  # someone else's process: not ours to judge
            pass


def swap_in(new_site: Path, site_dir: Path) -> None:
    old = site_dir.with_name(f".{site_dir.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if site_dir.exists():
        site_dir.rename(old)
    new_site.rename(site_dir)
    if old.exists():
        shutil.rmtree(old)


SEVERITY_WORDS = {
    "error": "错误",
    "warning": "警告",
    "notice": "提示",
    "unchecked": "未核对",
}  # as the clerk reads them; json keeps the codes


def report(problems: list[Problem], form: str = "text") -> None:
    if form == "json":
        rows = [
            {
                "path": p.mark.path,
                "line": p.mark.line,
                "column": p.mark.column,
                "severity": p.severity,
                "message": p.message,
            }
            for p in problems
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    for problem in problems:
        print(
            f"{problem.mark}: {SEVERITY_WORDS.get(problem.severity, problem.severity)}：{problem.message}",
            file=sys.stderr,
        )


def build(
    data_dir: Path,
    site_dir: Path | None,
    strict: bool = False,
    form: str = "text",
    jobs: int | None = None,
    config_file: Path = ROOT / "mkdocs.yml",
    content_dir: Path = ROOT / "content",
    use_cache: bool = True,
) -> int:
    """Check data/ and, when *site_dir* is given and nothing blocks, build the site into it.

    A check alone recalls the results of batches whose files have not changed (check_cache.py)
    unless *use_cache* is false. Every problem is printed as `path:line:col: 错误：message` (警告, 提示); the exit status is 1 when data/
    does not load or a check blocks publication, and the previous site is then left untouched.
    """
    from mkdocs.exceptions import MkDocsException

    logging.basicConfig(format="%(levelname)s: %(message)s", level=logging.WARNING)
    TIMINGS.clear()
    work = None
    if site_dir is not None:
        site_dir = site_dir.resolve()
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        remove_abandoned_builds(site_dir)
        work = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-build-{os.getpid()}-", dir=site_dir.parent))
    try:
        with timed("batches"):  # load, check, render and search index, in the workers
            batches, problems = plan(data_dir)
            glossary, form_sets, shared_problems = load_shared(data_dir) if data_dir.is_dir() else ({}, {}, [])
            problems += shared_problems
            outcomes = []
            meanwhile, made = None, {}
            if work is not None:
                make = functools.partial(publish_shells, work, functools.partial(make_shells, work, config_file))
                meanwhile = lambda: made.update(shells=make())  # noqa: E731
            index, parts = IndexPart(), []  # the search index, joined batch by batch while the others run
            bulk = downloads.BulkZip(work / "bulk.zip") if work is not None else None  # the zip, likewise
            cache = check_cache.folder_for(data_dir) if site_dir is None and use_cache else None
            for outcome in run_batches(data_dir, batches, work, strict, meanwhile, jobs, config_file, cache):
                outcomes.append(outcome)
                if outcome.built is not None:
                    with timed("downloads zip"):
                        bulk.add(outcome.outlines, outcome.built)
                problems += outcome.problems
                if outcome.index is not None:
                    parts.append((outcome.batch.name, outcome.index.count))
                    index.absorb(outcome.index)
                    outcome.index = None
                for stage, seconds in outcome.seconds.items():
                    TIMINGS[f"{stage} (workers)"] = TIMINGS.get(f"{stage} (workers)", 0.0) + seconds
            if cache is not None:
                check_cache.prune(cache, {o.cache_key for o in outcomes})
        if any(p.severity == "error" for p in problems):
            report(sorted(set(problems)), form)
            if site_dir is not None:
                errors = sum(p.severity == "error" for p in problems)
                print(f"{errors} 个错误：没有发布，原来的 {site_dir.name}/ 未改动", file=sys.stderr)
            return 1
        report(sorted({f for o in outcomes for f in o.findings}), form)
        failures = sum(o.blocking for o in outcomes)
        if failures:
            where = f"没有发布，原来的 {site_dir.name}/ 未改动" if site_dir is not None else "不能发布"
            print(f"{failures} 个错误：{where}", file=sys.stderr)
            return 1
        bureaus = [b for o in outcomes for b in o.outlines]
        documents = sum(len(b.documents) for b in bureaus)
        if site_dir is None:
            if form == "text":
                counts = sum((o.counts for o in outcomes), Counter())
                print(
                    f"通过：{len(bureaus)} 个部门，{documents} 份公开文件；"
                    f"核对 {sum(counts.values())} 项：{counts['ok']} 项相符，{counts[NOTICE]} 个提示，"
                    f"{counts[WARNING]} 个警告，{counts[ERROR]} 个错误照原件公开"
                )
            return 0
        site = Site(bureaus, glossary, form_sets)
        with timed("site pages"):
            pages = site_pages(site, content_dir)
            write_pages([p for p in pages if p.html is None], work / "docs", content_dir)
            run_mkdocs(work / "docs", work / "site", config_file)
            write_admin(work / "site" / "admin")  # the form editor, a page of its own (cms.py)
            poured = [p for p in pages if p.html is not None]  # the cities' pages, poured like the bureaus'
            if poured:
                shells = Shells(made["shells"], theme_env(config_file))
                for page in poured:
                    shells.write(page, work / "site")
            for outcome in outcomes:
                move_built(outcome, work / "site")
            bulk.finish(work / "site")
        with timed("links"):
            broken = check_links(poured, outcomes, work / "site")
        if broken:
            report(broken, form)
            print(f"{len(broken)} 个链接有误：没有发布，原来的 {site_dir.name}/ 未改动", file=sys.stderr)
            return 1
        with timed("search index"):
            write_search_index(pages, index, parts, work)
        swap_in(work / "site", site_dir)
        print(f"已生成 {site_dir}：{documents} 份公开文件")
        return 0
    except (MkDocsException, ShellError, SystemExit) as exc:
        # The theme or mkdocs.yml, not data/: said in one line, like a problem in data/.
        print(f"mkdocs：{exc}；原来的 {site_dir.name if site_dir else 'site'}/ 未改动", file=sys.stderr)
        return 1
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)


def check_links(poured, outcomes, site: Path) -> list[Problem]:
    """The links of the cities' pages, and those that left their batch, against the finished site
    (each batch checked the links between its own pages: links.py)."""
    contents = {links.page_file(page.src): page.html for page in poured}
    broken, elsewhere = links.links_of(contents, site, contents.__contains__)
    for outcome in outcomes:
        for where, first in outcome.links_elsewhere.items():
            elsewhere.setdefault(where, first)
    return broken + links.links_into(site, elsewhere)


def write_search_index(site_wide_pages, index: IndexPart, parts: list, work: Path) -> None:
    """The batches' records (absorbed into *index* as they came), then the site-wide pages' (the glossary)."""
    site_part, records = IndexPart(), []
    for page in site_wide_pages:
        if searchable(page.src):
            url = urls.page_url(page.src)
            built = (work / "site" / url / "index.html").read_text(encoding="utf-8")
            for record in page_records(built, url, Facets()):
                site_part.add(record)
                records.append(record)
    site_part.pad_to(CHUNK)
    write_chunks(records, work / "search-records", "site")
    parts.append(("site", site_part.count))
    index.absorb(site_part)
    folder = work / "site" / INDEX_DIR
    write_index(index, parts, folder)
    shutil.move(str(work / "search-records"), str(folder / "r"))
