"""`python -m generator build`: check data/ and build the site, published only once it is complete.

The steps, in order:

1. The theme's page shells (theme.py): one mkdocs run over a page per URL depth, cut and checked
   here, so that a theme that no longer fits stops the build before any worker starts.
2. The batches (batches.py), in worker processes given the shells: each bureau loaded and checked,
   its pages poured into the shells, its downloads written and read back (audit.py), the links
   between its pages checked and its pages indexed for search. Each batch's index and downloads
   are joined here as it comes back, while the others run.
3. The site-wide pages (home, glossary, cities, 关于) through mkdocs (mkdocs_run.py), the form
   editor, and the batches' folders moved in.
4. The links that leave a batch checked against the finished site; the search index written.
5. The new site swapped in for the previous one.

A step that finds something wrong raises Stop (report.py): build() prints it, one line a problem
and a closing line, and returns 1. The new site is built in a folder of its own beside site_dir,
so the previous site is replaced only once the new one is complete and is otherwise left untouched.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

from ..core import urls
from ..core.model import Site
from ..core.problems import Problem
from ..editing.cms import write_admin
from ..export import downloads
from ..render.pages import Page, site_pages
from . import links
from .batches import check_batches, move_built
from .mkdocs_run import run_mkdocs, write_pages
from .report import Stop, Timings, print_problems, print_stop
from .search import CHUNK, INDEX_DIR, Facets, IndexPart, page_records, searchable, write_chunks, write_index
from .theme import DEPTHS, SHELL_MARKDOWN, Shells, parse_shells, read_shells, shell_src, theme_config

ROOT = Path(__file__).resolve().parents[2]


def build(
    data_dir: Path,
    site_dir: Path,
    strict: bool = False,
    jobs: int | None = None,
    config_file: Path = ROOT / "mkdocs.yml",
    content_dir: Path = ROOT / "content",
    timings: Timings | None = None,
) -> int:
    """Check *data_dir* and build the site into *site_dir*; return the exit status.

    Every problem and finding is printed as `path:line:col: 错误：message` (警告, 提示). The status
    is 1, and the previous site untouched, when data/ does not load, a check blocks publication
    (--strict: a warning too), a link leads nowhere, or the theme, mkdocs.yml or mkdocs fail.
    *timings* is filled with the seconds of each stage.
    """
    logging.basicConfig(format="%(levelname)s: %(message)s", level=logging.WARNING)
    timings = Timings() if timings is None else timings
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    remove_abandoned_builds(site_dir)
    work = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-build-{os.getpid()}-", dir=site_dir.parent))
    try:
        documents = build_site(work, data_dir, strict, jobs, config_file, content_dir, timings)
        swap_in(work / "site", site_dir)
    except Stop as stop:
        print_stop(stop, f"没有发布，原来的 {site_dir.name}/ 未改动")
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"已生成 {site_dir}：{documents} 份公开文件")
    return 0


def build_site(
    work: Path, data_dir: Path, strict: bool, jobs: int | None, config_file: Path, content_dir: Path, timings: Timings
) -> int:
    """Build the site into work/site (steps 1 to 4 above); return how many documents it publishes."""
    with timings.timed("shells"):
        shells = make_shells(work, config_file)  # before any worker: a theme that does not fit stops here
    index, parts = IndexPart(), []  # the search index, joined batch by batch while the others run
    bulk = downloads.BulkZip(work / "bulk.zip")  # the zip of every download, likewise

    def join(outcome) -> None:
        if outcome.built is not None:
            with timings.timed("downloads zip"):
                bulk.add(outcome.outlines, outcome.built)
        if outcome.index is not None:
            parts.append((outcome.batch.name, outcome.index.count))
            index.absorb(outcome.index)
            outcome.index = None

    with timings.timed("batches"):  # load, check, render, audit and search index, in the workers
        checked = check_batches(
            data_dir, strict, jobs, timings, work=work, shells=shells.by_depth, config_file=config_file, each=join
        )
    if checked.errors:
        raise Stop(f"{checked.errors} 个错误", sorted(set(checked.problems)))
    if checked.blocking:
        raise Stop(f"{checked.blocking} 个错误", checked.findings)
    print_problems(checked.findings)
    bureaus = checked.bureaus
    site = Site(bureaus, checked.glossary, checked.form_sets)
    with timings.timed("site pages"):
        pages = site_pages(site, content_dir)
        fragments = write_pages([p for p in pages if p.html is None], work / "docs", content_dir)
        run_mkdocs(work / "docs", work / "site", fragments, config_file)
        write_admin(work / "site" / "admin")  # the form editor, a page of its own (cms.py)
        poured = [p for p in pages if p.html is not None]  # the cities' pages, poured like the bureaus'
        for page in poured:
            shells.write(page, work / "site")
        for outcome in checked.outcomes:
            move_built(outcome, work / "site")
        bulk.finish(work / "site")
    with timings.timed("links"):
        broken = check_links(poured, checked.outcomes, work / "site")
    if broken:
        raise Stop(f"{len(broken)} 个链接有误", broken)
    with timings.timed("search index"):
        write_search_index(pages, index, parts, work)
    return sum(len(b.documents) for b in bureaus)


def make_shells(work: Path, config_file: Path) -> Shells:
    """The theme's page at every depth cut into shells, with Material's partial for the menus; a
    ThemeError (theme.py) when the theme's HTML no longer has the places the shells are cut at."""
    config = theme_config(config_file)
    return Shells(parse_shells(shell_pages(work, config_file)), config.theme.get_env(), config)


def shell_pages(work: Path, config_file: Path) -> dict[int, str]:
    """The theme's page of SHELL_MARKDOWN at every depth, from one mkdocs run in *work*."""
    docs = work / "shell-docs"
    fragments = write_pages([Page(shell_src(depth), SHELL_MARKDOWN) for depth in DEPTHS], docs, stubs=True)
    run_mkdocs(docs, work / "shell-site", fragments, config_file)
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
