"""Build stage, the batch runner that `check` and `build` share: bureaus are loaded, checked and
(for a build) rendered into their pages, audited and indexed for search a batch at a time in worker
processes; check_batches gathers what they found, in the order of the batches.

A bureau's documents refer only to each other (prior-year checks, 预算 against 决算), so batches
need nothing from each other. This bounds memory by a batch instead of the province (the one
process that built 2,000 documents was seen at 1.8 GB) and puts every core to work. Batches are
planned from the sorted folder list alone (and their documents' count), so the site is the same
whatever the number of workers.
"""

from __future__ import annotations

import fnmatch
import gc
import hashlib
import os
import shutil
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..check.as_is import accept
from ..check.document import check_document
from ..check.prose_links import check_prose_links
from ..check.quality import quality_lines
from ..core import urls
from ..core.model import Bureau, Site, SiteInfo
from ..core.problems import Mark, Problem
from ..core.quality import Line
from ..core.results import ERROR, NOTICE, UNREADABLE, WARNING, Result
from ..export import downloads
from ..load.loader import NO_DATA_DIRECTORY, SITE_FILE, Loader, shown
from ..load.quality import load_criteria
from ..render.pages import bureau_pages, outline
from ..source import files
from ..source.yamlsource import cycle_collection_paused
from . import audit, build_cache, bureau_dates, check_cache, links, processes
from .history import History, corrections, touching
from .layers import NewSite
from .report import Timings
from .search import CHUNK, INDEX_DIR, Facets, IndexPart, page_records, searchable, write_chunks
from .spill import SLICES, IndexSlices, spill_part
from .theme import Shell, Shells, theme_config

BATCH_DOCUMENTS = 20  # documents a batch holds at most (one bureau with more makes a batch alone)
BOUNDARY = 4  # a batch ends after about one bureau in BOUNDARY (ends_batch), or when it is full
REPORTED = (ERROR, WARNING, NOTICE)


@dataclass
class Batch:
    number: int
    folders: list[Path]

    @property
    def name(self) -> str:
        return f"b{self.number:04d}"


@dataclass
class Outcome:
    """What a batch sends back: problems and findings, and (when built) what the site pages need."""

    batch: Batch
    problems: list[Problem] = field(default_factory=list)
    findings: list[Problem] = field(default_factory=list)
    blocking: int = 0
    counts: Counter = field(default_factory=Counter)  # check results by status
    # The same, and what stops publication, for each file: `check FILE` says one file's
    files: dict[str, tuple[Counter, int]] = field(default_factory=dict)
    outlines: list[Bureau] = field(default_factory=list)
    built: Path | None = None  # the batch's pages, a folder per bureau
    index: IndexSlices | None = None  # the batch's part of the search index, its slices in SLICES
    seconds: Counter = field(default_factory=Counter)  # per stage, in the worker
    cache_key: str | None = None  # under which check_cache keeps it (check), or build_cache (build)
    recalled: str | None = None  # a build's: KEPT when build_cache's entry was used, DAMAGED when refused
    links_elsewhere: links.Targets = field(default_factory=dict)  # links out of the batch, checked at the end
    quality: list[Line] = field(default_factory=list)  # the 公开质量 review of its bureaus, for the cities' pages


def plan(data_dir: Path, only: Path | None = None) -> tuple[list[Batch], list[Problem]]:
    """Bureau folders in order, grouped into batches of at most BATCH_DOCUMENTS documents (or one
    bureau), a batch also ending after a bureau with documents whose folder's name ends_batch();
    *only*: that bureau's folder alone.

    Cut by size alone, a bureau added or removed would move every cut after it, and an incremental
    build (build_cache.py) would build every batch after it anew: a cut chosen by a bureau's own
    name stays where it is whatever comes before, so the batches meet the old ones at the next one.
    """
    loader = Loader(data_dir)
    if not data_dir.is_dir():
        return [], [Problem(Mark(shown(data_dir)), NO_DATA_DIRECTORY)]
    batches: list[Batch] = []
    size, ended = 0, False
    folders = loader.bureau_folders()
    if only is not None:
        folders = [folder for folder in folders if folder.resolve() == only.resolve()]
    for folder in folders:
        documents = count_documents(folder, loader.root)
        if not batches or ended or size + documents > BATCH_DOCUMENTS:
            batches.append(Batch(len(batches), []))
            size = 0
        batches[-1].folders.append(folder)
        size += documents
        ended = documents > 0 and ends_batch(folder.name)
    return batches, loader.problems.items


def ends_batch(name: str) -> bool:
    """One bureau in BOUNDARY, by a hash of its folder's name: the same on every machine and run."""
    return hashlib.blake2b(name.encode("utf-8"), digest_size=4).digest()[0] % BOUNDARY == 0


def shard_of(batch: Batch, shards: int) -> int:
    """The shard, 1 to *shards*, that builds *batch* when a build is split across machines
    (`build --shard K/N`, shards.py): by a hash of its last bureau's folder name, so that it depends
    on the batch's own bureaus alone. A batch whose bureaus did not change stays on its shard
    whatever is added or removed elsewhere; a bureau changes shard only with a batch it is in that
    changed, which is built again anyway (its key changed). Hashed apart from ends_batch, which
    picks the same names as the ends of batches."""
    digest = hashlib.blake2b(batch.folders[-1].name.encode("utf-8"), digest_size=8, person=b"gongkai-shard")
    return int.from_bytes(digest.digest(), "big") % shards + 1


def count_documents(folder: Path, root: str) -> int:
    """The files named like documents in *folder*'s subfolders (what the batches are cut by), with
    nothing followed out of data/ (files.py): the loader reports what is refused."""
    return sum(
        1
        for year, kind in files.entries(folder, root)[0]
        if kind == files.FOLDER
        for path, _ in files.entries(year, root)[0]
        if fnmatch.fnmatchcase(path.name, "*.y*ml")
    )


def load_shared(data_dir: Path) -> tuple[dict, dict, SiteInfo, list[Problem]]:
    """The glossary, the form sets and whose site it is (site.yaml), which every batch reads."""
    loader = Loader(data_dir)
    glossary = loader.load_glossary(data_dir / "glossary.yaml")
    form_sets = loader.load_form_sets(data_dir / "forms")
    info = loader.load_site_info(data_dir / SITE_FILE)
    return glossary, form_sets, info, loader.problems.items


# ---- in the worker ----

_WORKER: dict = {}  # this worker process's build: what _start_worker was given, and what it made of it


def _start_worker(
    data_dir: Path,
    work: Path | None,
    strict: bool,
    config_file: Path | None,
    cache: Path | None = None,
    shells: dict[int, Shell] | None = None,
    store: build_cache.Store | None = None,
    history: History | None = None,
) -> None:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    glossary, form_sets, info, _ = load_shared(data_dir)  # their problems are reported once, by the parent
    _WORKER.clear()  # nothing of an earlier build (a forked worker inherits its parent's) is used again
    _WORKER.update(data_dir=data_dir, work=work, strict=strict, glossary=glossary, form_sets=form_sets, info=info)
    _WORKER.update(config_file=config_file, cache=cache, store=store, criteria=load_criteria(data_dir)[0])
    _WORKER.update(history=history)
    # The page shells the parent made and checked, with Material's partial for the menus: a Jinja
    # template, which does not cross processes, so each worker loads its own.
    if shells is None:
        _WORKER["shells"] = None
    else:
        config = theme_config(config_file)
        _WORKER["shells"] = Shells(shells, config.theme.get_env(), config)
    gc.freeze()  # what every batch shares (modules, forms) is never looked at by the collector again


def _start_pool_worker(*initargs) -> None:
    processes.end_with_parent()  # never in the build's own process (jobs=1 runs the batches there)
    _start_worker(*initargs)


def findings(results) -> list[Problem]:
    out = []
    for result in results:
        if result.status not in REPORTED:
            if result.status == UNREADABLE:  # a cell marked unreadable: said, so that it is looked at again
                out.append(Problem(result.mark, result.explain(), NOTICE))
            continue
        message = result.explain()
        if result.accepted:
            message += "（原件如此，照原样公开）"
        out.append(Problem(result.mark, message, result.status))
    return out


def blocking(results, strict: bool, problems: list[Problem] = ()) -> int:
    """Errors stop publication unless their document accepts them (published_as_is); --strict adds
    warnings. *problems*: what the checks found in data/ besides results (check_bureaus)."""
    errors = sum(1 for r in results if (r.status == ERROR and not r.accepted) or (strict and r.status == WARNING))
    return errors + sum(1 for p in problems if p.severity == ERROR or (strict and p.severity == WARNING))


def by_file(results, strict: bool, problems: list[Problem]) -> dict[str, tuple[Counter, int]]:
    """For each file: its results by status, and how many of them and of *problems* block it."""
    grouped: dict[str, tuple[list, list]] = {}
    for result in results:
        grouped.setdefault(result.document.path, ([], []))[0].append(result)
    for problem in problems:
        grouped.setdefault(problem.mark.path, ([], []))[1].append(problem)
    return {
        path: (Counter(r.status for r in mine), blocking(mine, strict, found))
        for path, (mine, found) in grouped.items()
    }


def check_bureaus(bureaus: list[Bureau], glossary: dict) -> tuple[list[Result], list[Problem]]:
    """Every check of every document of *bureaus*, with the errors each accepts marked; and what
    the checks find in data/ that is no figure's result: a warning for each acceptance that matches
    no error, an error for each link in prose that leads nowhere."""
    results: list[Result] = []
    problems: list[Problem] = []
    for bureau in bureaus:
        for document in bureau.documents:
            mine = check_document(document)
            problems += accept(document, mine)
            results += mine
        problems += check_prose_links(bureau, glossary)
    return results, problems


def run_batch(batch: Batch) -> Outcome:
    if _WORKER["store"] is not None:
        return _build_batch_or_recall(batch)
    cache = _WORKER["cache"]
    if cache is None:
        return _run_batch_collected(batch)
    start = time.perf_counter()
    key = check_cache.batch_key(_WORKER["data_dir"], batch.folders, _WORKER["strict"])
    outcome = check_cache.recall(cache, key)
    if isinstance(outcome, Outcome):
        outcome.batch, outcome.seconds = batch, Counter(recalled=time.perf_counter() - start)
    else:
        outcome = _run_batch_collected(batch)
        check_cache.remember(cache, key, outcome)
    outcome.cache_key = key
    return outcome


def _build_batch_or_recall(batch: Batch) -> Outcome:
    """A build's batch: its outputs as the last build kept them when nothing they depend on changed
    (build_cache.py), else built and kept."""
    start = time.perf_counter()
    store: build_cache.Store = _WORKER["store"]
    touched = touching(_WORKER["history"], _WORKER["data_dir"], batch.folders)
    key = build_cache.batch_key(store.environment, _WORKER["data_dir"], batch.folders, _WORKER["strict"], touched)
    batch_dir, records = _WORKER["work"] / batch.name, _WORKER["work"] / "search-records"
    kept = build_cache.recall(store, key, batch_dir, records, batch.name, place=False)
    if isinstance(kept, dict):
        outcome = Outcome(**{**kept, "batch": batch, "seconds": Counter(recalled=time.perf_counter() - start)})
        if kept["index"] is not None:
            outcome.built = batch_dir / build_cache.SITE  # its zip beside it; its pages left in the entry
        outcome.cache_key, outcome.recalled = key, build_cache.KEPT
        return outcome
    if store.recall_only:  # a merge builds nothing: a batch its parts lack is an error of the parts
        outcome = Outcome(batch, problems=[_not_in_parts(store, key, batch, kept)])
        outcome.cache_key, outcome.recalled = key, kept
        return outcome
    outcome = _run_batch_collected(batch)
    build_cache.remember(store, key, outcome, batch_dir, records, batch.name)
    outcome.cache_key, outcome.recalled = key, kept
    return outcome


def _not_in_parts(store: build_cache.Store, key: str, batch: Batch, kept) -> Problem:
    if kept == build_cache.DAMAGED:
        return Problem(
            Mark(shown((store.folder / key).resolve())),
            "部件已损坏：其中这一批的文件与部件的清单不符，请重新分片构建这一片",
        )
    names = "、".join(folder.name for folder in batch.folders)
    return Problem(
        Mark(shown(batch.folders[0])),
        f"部件中没有这一批（{names}）按本机 data/ 生成的结果：部件不是用同一提交的 data/ 生成的？请用同一提交重新分片构建",
    )


def _run_batch_collected(batch: Batch) -> Outcome:
    # A batch makes millions of objects and little garbage: the cyclic collector's passes over them
    # found nothing and cost a third of the time. It runs once at the end, for the batch's model
    # (bureaus and documents refer to each other) before the next batch is loaded.
    with cycle_collection_paused():
        outcome = _run_batch(batch)
    gc.collect()
    return outcome


def _run_batch(batch: Batch) -> Outcome:
    outcome = Outcome(batch)
    glossary, form_sets = _WORKER["glossary"], _WORKER["form_sets"]
    start = time.perf_counter()
    loader = Loader(_WORKER["data_dir"])
    bureaus = [loader.load_bureau(folder, glossary, form_sets) for folder in batch.folders]
    bureaus = [b for b in bureaus if b is not None]
    outcome.seconds["load"] = time.perf_counter() - start
    outcome.problems = loader.problems.items
    if loader.problems:
        return outcome
    start = time.perf_counter()
    results, found = check_bureaus(bureaus, glossary)
    outcome.seconds["check"] = time.perf_counter() - start
    outcome.findings = findings(results) + found
    outcome.blocking = blocking(results, _WORKER["strict"], found)
    outcome.counts = Counter(r.status for r in results)
    outcome.files = by_file(results, _WORKER["strict"], found)
    outcome.outlines = [outline(b) for b in bureaus]
    if _WORKER["criteria"] is not None:
        outcome.quality = quality_lines(bureaus, results, _WORKER["criteria"])
    if _WORKER["work"] is not None and not outcome.blocking:
        _build_batch(batch, Site(bureaus, glossary, form_sets, _WORKER["info"]), results, outcome)
    return outcome


def _build_batch(batch: Batch, site: Site, results, outcome: Outcome) -> None:
    work: Path = _WORKER["work"] / batch.name
    start = time.perf_counter()
    corrected = {
        document: found
        for bureau in site.bureaus
        for document in bureau.documents
        if (
            found := corrections(
                _WORKER["data_dir"],
                document,
                _WORKER["history"],
                site.glossary,
                site.form_sets,
                site.info.corrections_since,
            )
        )
    }
    outcome.seconds["corrections"] = time.perf_counter() - start
    pages = bureau_pages(site, site.bureaus, results, outcome.quality, corrected)
    outcome.seconds["generate"] = time.perf_counter() - start
    start = time.perf_counter()
    shells: Shells = _WORKER["shells"]
    built = {page.src: shells.write(page, work / "site") for page in pages}
    outcome.seconds["pages"] = time.perf_counter() - start
    start = time.perf_counter()
    touched = touching(_WORKER["history"], _WORKER["data_dir"], batch.folders)
    downloads.write_documents(site.bureaus, work / "site", site.info, corrected, bureau_dates.bureau_dates(touched))
    outcome.seconds["downloads"] = time.perf_counter() - start
    start = time.perf_counter()
    slugs = {bureau.slug for bureau in site.bureaus}
    broken, outcome.links_elsewhere = links.links_of(
        {links.page_file(page.src): page.html for page in pages},
        work / "site",
        lambda file: file.partition("/")[0] in slugs,
    )
    outcome.problems += broken
    outcome.seconds["links"] = time.perf_counter() - start
    start = time.perf_counter()
    outcome.problems += audit.audit(site.bureaus, work / "site")  # the pages and downloads, read back
    outcome.seconds["audit"] = time.perf_counter() - start
    start = time.perf_counter()
    facets_of = _facets_by_folder(site)
    index, records = IndexPart(), []
    for page in pages:
        if not searchable(page.src):
            continue
        # a document's pages are under its folder (bureau/year/document/…), a bureau's under its own
        facets = facets_of.get("/".join(page.src.split("/")[:3])) or facets_of[page.src.split("/")[0]]
        for record in page_records(built[page.src], urls.page_url(page.src), facets):
            index.add(record)
            records.append(record)
    index.pad_to(CHUNK)
    write_chunks(records, _WORKER["work"] / "search-records", batch.name)
    outcome.index = spill_part(index, work / SLICES)  # kept with the batch's files (spill.py)
    outcome.seconds["search index"] = time.perf_counter() - start
    outcome.built = work / "site"


def _facets_by_folder(site: Site) -> dict[str, Facets]:
    """The bureau, region, year and kind of each bureau's and document's folder, for search results and filters."""
    facets: dict[str, Facets] = {}
    for bureau in site.bureaus:
        facets[bureau.slug] = Facets(bureau.name, bureau.region[0])
        for doc in bureau.documents:
            facets[urls.document_dir(doc)] = Facets(bureau.name, bureau.region[0], str(doc.year), doc.kind_name)
    return facets


def run_batches(
    data_dir: Path,
    batches: list[Batch],
    work: Path | None,
    strict: bool,
    jobs: int | None = None,
    config_file: Path | None = None,
    cache: Path | None = None,
    shells: dict[int, Shell] | None = None,
    store: build_cache.Store | None = None,
    history: History | None = None,
):
    """Run every batch, in worker processes when there is more than one batch and more than one core.

    *work*: where a build's batches write their pages, poured into *shells* (theme.Shell by depth);
    None to check only.
    *cache*: the folder of check_cache's results, when checking only.
    *store*: build_cache's entries, when building.
    *history*: data/'s commits (history.py), for the documents' 更正记录 when building.
    """
    jobs = jobs or min(len(batches), os.cpu_count() or 1)
    initargs = (data_dir, work, strict, config_file, cache, shells, store, history)
    if jobs <= 1:
        _start_worker(*initargs)
        yield from map(run_batch, batches)
        return
    with ProcessPoolExecutor(jobs, initializer=_start_pool_worker, initargs=initargs) as pool:
        try:
            yield from pool.map(run_batch, batches)
        except BaseException:
            # A batch that failed, Ctrl-C, SIGTERM or no one reading on: the batches still running
            # are of no use, and leaving the pool would wait for every one of them.
            processes.stop_workers()
            raise


@dataclass
class Checked:
    """What check_batches found: the problems of data/ (and whether they keep it from loading), each
    check's findings, and an outline of every bureau for the site-wide pages."""

    problems: list[Problem]
    outcomes: list[Outcome]
    glossary: dict
    form_sets: dict
    info: SiteInfo = field(default_factory=SiteInfo)

    @property
    def errors(self) -> int:
        """Problems that kept files of data/ from loading."""
        return sum(p.severity == "error" for p in self.problems)

    @property
    def findings(self) -> list[Problem]:
        return sorted({f for o in self.outcomes for f in o.findings})

    @property
    def blocking(self) -> int:
        """Check results that stop publication (see blocking())."""
        return sum(o.blocking for o in self.outcomes)

    @property
    def bureaus(self) -> list[Bureau]:
        return [b for o in self.outcomes for b in o.outlines]

    @property
    def counts(self) -> Counter:
        return sum((o.counts for o in self.outcomes), Counter())

    def file_counts(self, path: Path) -> tuple[Counter, int]:
        """The check results of one file by status, and how many stop its publication."""
        for outcome in self.outcomes:
            for shown_path, (counts, blocked) in outcome.files.items():
                if Path(shown_path).resolve() == path:
                    return counts, blocked
        return Counter(), 0


def check_batches(
    data_dir: Path,
    strict: bool,
    jobs: int | None,
    timings: Timings,
    *,
    work: Path | None = None,
    shells: dict[int, Shell] | None = None,
    config_file: Path | None = None,
    cache: Path | None = None,
    store: build_cache.Store | None = None,
    each: Callable[[Outcome], None] | None = None,
    only: Path | None = None,
    history: History | None = None,
    shard: tuple[int, int] | None = None,
) -> Checked:
    """Plan the batches of *data_dir*, run them (run_batches) and gather what they found.

    *each*(outcome) runs in this process as each batch comes back, in the batches' order, while the
    others run (the build joins the batch's search index and downloads then). *only*: one bureau's
    folder, checked alone (the results kept for the whole of *data_dir* are left as they are).
    *shard*: (K, N), only the batches of shard K of N (shard_of), numbered as in the whole plan.
    """
    batches, problems = plan(data_dir, only)
    if shard is not None:
        batches = [batch for batch in batches if shard_of(batch, shard[1]) == shard[0]]
    glossary, form_sets, info, shared_problems = (
        load_shared(data_dir) if data_dir.is_dir() else ({}, {}, SiteInfo(), [])
    )
    problems += shared_problems
    if data_dir.is_dir():  # the quality review's criteria are data/'s too: a mistake is reported with the rest
        problems += load_criteria(data_dir)[1].items
    outcomes = []
    for outcome in run_batches(data_dir, batches, work, strict, jobs, config_file, cache, shells, store, history):
        outcomes.append(outcome)
        problems += outcome.problems
        for stage, seconds in outcome.seconds.items():
            timings.add(f"{stage} (workers)", seconds)
        if each is not None:
            each(outcome)
    if cache is not None and only is None:
        check_cache.prune(cache, {o.cache_key for o in outcomes})
    return Checked(problems, outcomes, glossary, form_sets, info)


def move_built(outcome: Outcome, new: NewSite, store: build_cache.Store | None) -> None:
    """Move a batch's bureau folders into the new site (the theme's assets come from the site
    build); a batch recalled from *store* has its folders and search records laid under it where
    its entry keeps them."""
    if outcome.recalled == build_cache.KEPT:
        for bureau in outcome.outlines:
            new.kept[bureau.slug] = build_cache.kept_site(store, outcome.cache_key)
        new.named.append(
            (f"{INDEX_DIR}/r", f"{outcome.batch.name}-", build_cache.kept_records(store, outcome.cache_key))
        )
        return
    for bureau in outcome.outlines:
        shutil.move(str(outcome.built / bureau.slug), str(new.root / bureau.slug))
