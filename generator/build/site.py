"""`python -m generator build`: check data/ and build the site, published only once it is complete.

The steps, in order:

1. The theme's page shells (theme.py): one mkdocs run over a page per URL depth, cut and checked
   here, so that a theme that no longer fits stops the build before any worker starts.
2. The batches (batches.py), in worker processes given the shells: each bureau loaded and checked,
   its pages poured into the shells, its downloads written and read back (audit.py), the links
   between its pages checked and its pages indexed for search. Each batch's downloads are joined
   here as it comes back, while the others run; its index part and findings are put on disk
   (spill.py) and joined at step 4.
3. The site-wide pages (home, glossary, cities, 关于) through mkdocs (mkdocs_run.py), the form
   editor, and the batches' folders moved in; the documents a city's page compares get their link
   to it (region_links.py).
4. The links that leave a batch checked against the finished site; the search index written.
5. The new site published (publish.py): the previous site updated by difference when the build
   cache gave bureaus back (their files stay where the cache keeps them until then: layers.py),
   else the new site swapped in for it in one step.

Before step 1, the site folder is checked (publish.py: never the sources, never a folder that is not
a site unless --force) and what killed builds left is cleared; before step 5, a site that would
shrink to fewer than half the documents stops unless --allow-shrink.

A step that finds something wrong raises Stop (report.py): build() prints it, one line a problem
and a closing line, and returns 1; so do a file-system error (OSError), a worker killed from outside
and an interruption (Ctrl-C, or SIGTERM taken as one: processes.py). The new site is built in a
folder of its own beside site_dir, so the previous site is changed only once the new one is
complete and is otherwise left untouched.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..core import urls
from ..core.model import Site, SiteInfo
from ..core.problems import Mark, Problem
from ..core.quality import Line
from ..editing.cms import write_admin
from ..export import downloads
from ..export.quality import lines_csv
from ..load.loader import SITE_FILE, Loader, shown
from ..render.pages import Page, site_pages
from . import build_cache, links, processes, publish, sitemap
from .assets import minify_assets
from .batches import check_batches, move_built
from .history import NO_HISTORY, read_history
from .layers import NewSite
from .mkdocs_run import run_mkdocs, write_pages
from .region_links import link_compared
from .report import Stop, Timings, print_problems, print_stop
from .search import CHUNK, INDEX_DIR, Facets, IndexPart, page_records, searchable, write_chunks
from .spill import SLICES, SpilledFindings, SpilledIndex
from .theme import DEPTHS, SHELL_MARKDOWN, Shells, parse_shells, read_shells, shell_src, theme_config

ROOT = Path(__file__).resolve().parents[2]


def write_quality(lines: list[Line], site: Path) -> None:
    """Each city's 公开质量 rows as CSV, beside its page (which links to it)."""
    by_city = defaultdict(list)
    for line in lines:
        by_city[urls.city_of(line.region)].append(line)
    for (province, city), mine in by_city.items():
        (site / urls.region_quality_csv(province, city)).write_text(lines_csv(mine), encoding="utf-8")


def build(
    data_dir: Path,
    site_dir: Path,
    strict: bool = False,
    jobs: int | None = None,
    config_file: Path = ROOT / "mkdocs.yml",
    content_dir: Path = ROOT / "content",
    timings: Timings | None = None,
    force: bool = False,
    allow_shrink: bool = False,
    site_url: str | None = None,
    reuse: bool = True,
) -> int:
    """Check *data_dir* and build the site into *site_dir*; return the exit status.

    Every problem and finding is printed as `path:line:col: 错误：message` (警告, 提示). The status
    is 1, and the previous site untouched, when data/ does not load, a check blocks publication
    (--strict: a warning too), a link leads nowhere, the theme, mkdocs.yml or mkdocs fail, a file
    cannot be written, or the build is interrupted (Ctrl-C, SIGTERM); and before anything is
    touched when *site_dir* may not be replaced (publish.py: the sources, or a folder that is not a
    site unless *force*). A site of fewer than half the documents of the one it replaces is not
    published unless *allow_shrink*. *site_url*: the site's address, for a sitemap of every page
    (sitemap.py). *timings* is filled with the seconds of each stage. *reuse*: take the batches
    whose inputs did not change from the previous build of *site_dir* (build_cache.py).
    """
    logging.basicConfig(format="%(levelname)s: %(message)s", level=logging.WARNING)
    timings = Timings() if timings is None else timings
    site_dir = site_dir.resolve()

    def make(work: Path, site_url: str | None, notes: list[str]) -> int:
        cached_for = site_dir if reuse else None
        return build_site(work, data_dir, strict, jobs, config_file, content_dir, timings, site_url, cached_for, notes)

    return publish_new_site(make, site_dir, data_dir, config_file, content_dir, force, allow_shrink, site_url, timings)


def publish_new_site(
    make: Callable[[Path, str | None, list[str]], NewSite],
    site_dir: Path,
    data_dir: Path,
    config_file: Path,
    content_dir: Path,
    force: bool,
    allow_shrink: bool,
    site_url: str | None,
    timings: Timings | None = None,
) -> int:
    """build()'s sequence around the making of the site, which `build` and `merge` (shards.py)
    share: *site_dir* (resolved) checked, *make*(work, site_url, notes) building the site into
    work/site (and what the build cache gave back: layers.py), the new site published; every
    failure printed in one place, → the exit status."""
    guarded = publish.guarded_folders(
        ROOT, [("内容文件夹", content_dir), ("mkdocs.yml 所在的文件夹", config_file.parent)]
    )
    unchanged = "没有发布"
    notes: list[str] = []  # said once the site is published: a failed build's problems come alone
    with processes.sigterm_as_interrupt():  # SIGTERM ends the build as Ctrl-C does
        try:
            site_url = sitemap.check_site_url(site_url) if site_url else None
            previous = publish.prepare(site_dir, data_dir, force, guarded)
            if previous.exists:
                unchanged = f"没有发布，原来的 {site_dir.name}/ 未改动"
            work = publish.work_folder(site_dir)
            try:
                with dated_by_last_commit():
                    new = make(work, site_url, notes)
                documents = new.documents
                shrunk = publish.shrinking(previous, documents)
                if shrunk is not None and not allow_shrink:
                    raise Stop.at(shrunk, "确要撤下这些文件，请加 --allow-shrink")
                publish.write_marker(new.root, documents)
                in_place = bool(new.kept) and previous.documents is not None  # a site built here, bureaus kept

                def changing() -> None:
                    nonlocal unchanged
                    unchanged = f"{site_dir.name}/ 只更新了一部分：请再生成一次"

                timings = Timings() if timings is None else timings
                if not in_place:
                    with timings.timed("publish"):
                        new.materialize()
                with processes.signals_held():  # never left halfway by Ctrl-C or SIGTERM
                    with timings.timed("publish"):
                        if in_place:
                            publish.update(new, site_dir, changing)
                        else:
                            publish.swap_in(new.root, site_dir, work / publish.SET_ASIDE)
                    with timings.timed("work folder removed"):
                        left = publish.remove(work)  # with the old site in it, when it was swapped
            except BaseException:
                shutil.rmtree(work, ignore_errors=True)
                raise
        except Stop as stop:
            print_stop(stop, unchanged)
            return 1
        except OSError as exc:
            print_stop(Stop.file_system(exc, shown(site_dir.parent)), unchanged)
            return 1
        except BrokenProcessPool:  # a worker killed from outside (the OOM killer)
            print_stop(Stop.at("工作进程", "意外退出（可能是内存不够）"), unchanged)
            return 1
        except KeyboardInterrupt:
            print(f"已中断：{unchanged}", file=sys.stderr)
            return 1
    if left is not None:
        print_problems(
            [
                Problem(
                    Mark(shown(work)),
                    f"新网站已发布，但构建用的文件夹有文件删不掉（{shown(Path(left))}），留在这里：请手动删除",
                    "warning",
                )
            ]
        )
    for note in notes:
        print(note)
    print(f"已生成 {site_dir}：{documents} 份公开文件")
    return 0


FIXED_EPOCH = "315532800"  # 1980-01-01 00:00 UTC, the earliest time a zip holds (downloads.build_time's too)


def last_commit_time() -> str | None:
    """The time of the project's last commit (as `git log -1 --format=%ct`, the Makefile's), or None
    without git or a checkout. The project's own history, not data/'s: it is the code being run."""
    try:
        done = subprocess.run(
            ["git", "-C", str(ROOT), "log", "-1", "--format=%ct"],
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    epoch = done.stdout.strip()
    return epoch if done.returncode == 0 and epoch.isdigit() else None


@contextmanager
def dated_by_last_commit() -> Iterator[None]:
    """SOURCE_DATE_EPOCH, the time written into the site-wide files that carry one (mkdocs'
    sitemap.xml.gz, the site zip's 目录), for the build: as given, else the last commit's as `make
    site` gives it, else FIXED_EPOCH, so that one commit builds the same bytes however the build is
    run. A bureau's downloads carry their own date (bureau_dates.py), which a commit elsewhere leaves as is."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = last_commit_time() or FIXED_EPOCH  # the workers inherit it
    try:
        yield
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


def build_site(
    work: Path,
    data_dir: Path,
    strict: bool,
    jobs: int | None,
    config_file: Path,
    content_dir: Path,
    timings: Timings,
    site_url: str | None = None,
    cached_for: Path | None = None,
    notes: list[str] | None = None,
) -> NewSite:
    """Build the site into work/site (steps 1 to 4 above), with the folders the build cache gave
    back left where it keeps them; return it.
    *cached_for*: the site folder whose build_cache entries are used and kept, None for none;
    what was not used of them is said in *notes*."""
    notes = [] if notes is None else notes
    shells = site_shells(work, data_dir, config_file, timings)
    store = None
    if cached_for is not None:
        with timings.timed("cache"):
            store, note = build_cache.open_store(cached_for, shells_environment(shells, config_file))
        if note is not None:
            notes.append(note)
    history = data_history(data_dir, timings, notes)
    checked, joined = run_joined(work, data_dir, strict, jobs, config_file, timings, shells, store, history)
    damaged = sum(o.recalled == build_cache.DAMAGED for o in checked.outcomes)
    if damaged:
        notes.append(f"构建缓存：{damaged} 批的缓存已损坏，不用，已重新生成")
    stop_on_errors(checked, joined.found)
    new = finish_site(work, checked, joined, content_dir, config_file, shells, timings, site_url)
    if joined.index.damaged:
        notes.append(f"构建缓存：{joined.index.damaged} 组搜索索引分片的缓存已损坏，不用，已重新生成")
    if store is not None:
        build_cache.prune(store, {o.cache_key for o in checked.outcomes} | joined.kept)
    return new


def site_shells(work: Path, data_dir: Path, config_file: Path, timings: Timings) -> Shells:
    """The page shells (make_shells), made with whose site it is: it goes into every page through
    mkdocs' configuration (the footer, the title). A site.yaml that does not load is reported with
    data/'s problems."""
    info = Loader(data_dir).load_site_info(data_dir / SITE_FILE) if data_dir.is_dir() else SiteInfo()
    with timings.timed("shells"):
        return make_shells(work, config_file, info)  # before any worker: a theme that does not fit stops here


def shells_environment(shells: Shells, config_file: Path) -> str:
    """build_cache's environment of a build with these shells."""
    custom_dir = shells.nav_context["config"].theme.custom_dir
    return build_cache.environment(config_file, custom_dir and Path(custom_dir), shells.by_depth)


def data_history(data_dir: Path, timings: Timings, notes: list[str]):
    """data/'s history (history.py), *notes* saying when there is none."""
    with timings.timed("history"):
        history = read_history(data_dir) if data_dir.is_dir() else None
    if history is None:
        notes.append(NO_HISTORY)
    return history


@dataclass
class JoinedBatches:
    """What the batches' outcomes are joined into as they come back: the search index (its parts
    spilled to disk, spill.py), the list of its parts, the zip of every download, and the checks'
    findings (on disk too)."""

    index: SpilledIndex
    parts: list
    bulk: downloads.BulkZip
    found: SpilledFindings
    store: build_cache.Store | None = None  # where the index's shards are kept and taken from
    kept: set[str] = field(default_factory=set)  # the keys of those the index took or kept there


def run_joined(work: Path, data_dir: Path, strict, jobs, config_file, timings, shells, store, history):
    """Every batch built, or recalled from *store*, each joined as it comes back while the others run."""
    joined = JoinedBatches(
        SpilledIndex(work / "index-spill"),
        [],
        downloads.BulkZip(work / "bulk.zip"),
        SpilledFindings(work / "findings-spill"),
        store,
    )

    def join(outcome) -> None:
        joined.found.add(outcome.findings)
        outcome.findings = []
        if outcome.built is not None:
            with timings.timed("downloads zip"):
                joined.bulk.add(outcome.outlines, outcome.built)
        if outcome.index is not None:
            joined.parts.append((outcome.batch.name, outcome.index.count))
            joined.index.absorb(outcome.index, work / outcome.batch.name / SLICES)
            outcome.index = None

    with timings.timed("batches"):  # load, check, render, audit and search index, in the workers
        checked = check_batches(
            data_dir,
            strict,
            jobs,
            timings,
            work=work,
            shells=shells.by_depth,
            config_file=config_file,
            store=store,
            each=join,
            history=history,
        )
    return checked, joined


def stop_on_errors(checked, found: SpilledFindings | None = None) -> None:
    """Stop when data/ did not load or a check blocks publication; else print the findings (those
    *found* spilled to disk as the batches came back, or the batches' own)."""
    if checked.errors:
        raise Stop(f"{checked.errors} 个错误", sorted(set(checked.problems)))
    findings = found.sorted() if found is not None else checked.findings
    if checked.blocking:
        raise Stop(f"{checked.blocking} 个错误", findings)
    print_problems(findings)


def finish_site(
    work: Path, checked, joined: JoinedBatches, content_dir, config_file, shells, timings, site_url
) -> NewSite:
    """The site-wide pages, the batches moved in, links, search index and sitemap (steps 3 and 4
    above) → the new site."""
    bureaus = checked.bureaus
    site = Site(bureaus, checked.glossary, checked.form_sets, checked.info)
    new = NewSite(work / "site", documents=sum(len(b.documents) for b in bureaus))
    with timings.timed("site pages"):
        quality = [line for outcome in checked.outcomes for line in outcome.quality]
        pages = site_pages(site, content_dir, quality)
        fragments = write_pages([p for p in pages if p.html is None], work / "docs", content_dir)
        run_mkdocs(work / "docs", work / "site", fragments, config_file, checked.info)
        minify_assets(work / "site" / "assets")
        write_admin(work / "site" / "admin", checked.form_sets)  # the form editor, a page of its own (cms.py)
        poured = [p for p in pages if p.html is not None]  # the cities' pages, poured like the bureaus'
        for page in poured:
            shells.write(page, work / "site")
        write_quality(quality, work / "site")
        for outcome in checked.outcomes:
            move_built(outcome, new, joined.store)
        compared = link_compared(site, new.root, new.path)  # now that every city's comparison is known
        joined.bulk.finish(work / "site")
    with timings.timed("links"):
        broken = check_links(poured, checked.outcomes, new) + links.links_into(new.root, compared, new.path)
    if broken:
        raise Stop(f"{len(broken)} 个链接有误", broken)
    with timings.timed("search index"):
        # 关于 is hand-written (content/), as it was before it said whose site it is: not indexed
        joined.kept = write_search_index(
            [p for p in pages if p.src != urls.ABOUT], joined.index, joined.parts, work, joined.store
        )
    if site_url is not None:
        sitemap.write_sitemap(new.root, site_url, downloads.build_time(), new.pages())
    return new


def make_shells(work: Path, config_file: Path, info: SiteInfo | None = None) -> Shells:
    """The theme's page at every depth cut into shells, with Material's partial for the menus; a
    ThemeError (theme.py) when the theme's HTML no longer has the places the shells are cut at.
    *info*: whose site it is, which the shells' header, drawer and footer say (mkdocs_run.py); the
    menus drawn into a shell later (partials/nav-item.html) do not name the site."""
    config = theme_config(config_file)
    return Shells(parse_shells(shell_pages(work, config_file, info)), config.theme.get_env(), config)


def shell_pages(work: Path, config_file: Path, info: SiteInfo | None = None) -> dict[int, str]:
    """The theme's page of SHELL_MARKDOWN at every depth, from one mkdocs run in *work*."""
    docs = work / "shell-docs"
    fragments = write_pages([Page(shell_src(depth), SHELL_MARKDOWN) for depth in DEPTHS], docs, stubs=True)
    run_mkdocs(docs, work / "shell-site", fragments, config_file, info)
    return read_shells(work / "shell-site")


def check_links(poured, outcomes, new: NewSite) -> list[Problem]:
    """The links of the cities' pages, and those that left their batch, against the finished site
    (each batch checked the links between its own pages: links.py)."""
    contents = {links.page_file(page.src): page.html for page in poured}
    broken, elsewhere = links.links_of(contents, new.root, contents.__contains__)
    for outcome in outcomes:
        for where, first in outcome.links_elsewhere.items():
            elsewhere.setdefault(where, first)
    return broken + links.links_into(new.root, elsewhere, new.path)


def write_search_index(site_wide_pages, index: SpilledIndex, parts: list, work: Path, store=None) -> set[str]:
    """The batches' records (absorbed into *index* as they came), then the site-wide pages' (the
    glossary); the shards that did not change taken from *store* → the keys used there."""
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
    index.absorb_part(site_part)
    folder = work / "site" / INDEX_DIR
    kept = index.write(parts, folder, store)
    shutil.move(str(work / "search-records"), str(folder / "r"))
    return kept
