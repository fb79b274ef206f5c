"""Build stage, in batches: bureaus are loaded, checked, rendered into their pages and indexed for
search a batch at a time in worker processes; the site-wide pages and the index are put together
at the end.

A bureau's documents refer only to each other (prior-year checks, 预算 against 决算), so batches
need nothing from each other. This bounds memory by a batch instead of the province (the one
process that built 2,000 documents was seen at 1.8 GB) and puts every core to work. Batches are
planned from the sorted folder list alone, so the site is the same whatever the number of workers.
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..check.document import check_document
from ..core import urls
from ..core.model import Bureau, Site
from ..core.problems import Mark, Problem
from ..core.results import ERROR, NOTICE, WARNING
from ..export import downloads
from ..load.loader import NO_DATA_DIRECTORY, Loader, shown
from ..render.fragments import searchable
from ..render.pages import bureau_pages, outline
from ..source.yamlsource import cycle_collection_paused
from . import audit, check_cache, links
from .search import CHUNK, Facets, IndexPart, page_records, write_chunks
from .shells import ShellError, Shells, theme_env

BATCH_DOCUMENTS = 20  # documents a batch holds at most (one bureau with more makes a batch alone)
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
    outlines: list[Bureau] = field(default_factory=list)
    built: Path | None = None  # the batch's pages, a folder per bureau
    index: IndexPart | None = None
    seconds: Counter = field(default_factory=Counter)  # per stage, in the worker
    cache_key: str | None = None  # under which check_cache keeps it (check only)
    links_elsewhere: links.Targets = field(default_factory=dict)  # links out of the batch, checked at the end


def plan(data_dir: Path) -> tuple[list[Batch], list[Problem]]:
    """Bureau folders in order, grouped into batches of about BATCH_DOCUMENTS documents."""
    loader = Loader(data_dir)
    if not data_dir.is_dir():
        return [], [Problem(Mark(shown(data_dir)), NO_DATA_DIRECTORY)]
    batches: list[Batch] = []
    size = 0
    for folder in loader.bureau_folders():
        documents = sum(1 for _ in folder.glob("*/*.y*ml"))
        if not batches or size + documents > BATCH_DOCUMENTS:
            batches.append(Batch(len(batches), []))
            size = 0
        batches[-1].folders.append(folder)
        size += documents
    return batches, loader.problems.items


def load_shared(data_dir: Path) -> tuple[dict, dict, list[Problem]]:
    """The glossary and the form sets, which every batch reads."""
    loader = Loader(data_dir)
    glossary = loader.load_glossary(data_dir / "glossary.yaml")
    form_sets = loader.load_form_sets(data_dir / "forms")
    return glossary, form_sets, loader.problems.items


# ---- in the worker ----

_WORKER: dict = {}


def _start_worker(
    data_dir: Path, work: Path | None, strict: bool, config_file: Path | None, cache: Path | None = None
) -> None:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    glossary, form_sets, _ = load_shared(data_dir)  # their problems are reported once, by the parent
    _WORKER.clear()  # nothing of an earlier build (a forked worker inherits its parent's) is used again
    _WORKER.update(data_dir=data_dir, work=work, strict=strict, glossary=glossary, form_sets=form_sets)
    _WORKER.update(config_file=config_file, cache=cache)
    gc.freeze()  # what every batch shares (modules, forms) is never looked at by the collector again


SHELLS_FILE = "shells.json"


def _shells():
    """The theme's page shells (shell.py), which the parent makes while the first batches load."""
    if "shells" not in _WORKER:
        ready = _WORKER["work"] / SHELLS_FILE
        waited = 0.0
        while not ready.exists():
            if waited > 600:
                raise ShellError("the page shells were not made")
            time.sleep(0.02)
            waited += 0.02
        pages = json.loads(ready.read_text(encoding="utf-8"))
        if "error" in pages:
            raise ShellError(pages["error"])
        shells = {int(depth): page for depth, page in pages.items()}
        _WORKER["shells"] = Shells(shells, theme_env(_WORKER["config_file"]))
    return _WORKER["shells"]


def publish_shells(work: Path, make) -> dict[int, str]:
    """Make the shells (*make*() → pages by depth) and hand them to the workers through a file;
    a failure is handed on too, so that no worker waits for shells that will never come."""
    ready, partial = work / SHELLS_FILE, work / (SHELLS_FILE + ".part")
    try:
        pages = {str(depth): page for depth, page in make().items()}
    except BaseException as exc:
        partial.write_text(json.dumps({"error": str(exc)}), encoding="utf-8")
        partial.rename(ready)
        raise
    partial.write_text(json.dumps(pages, ensure_ascii=False), encoding="utf-8")
    partial.rename(ready)
    return {int(depth): page for depth, page in pages.items()}


def findings(results) -> list[Problem]:
    out = []
    for result in results:
        if result.status not in REPORTED:
            continue
        message = result.explain()
        if result.status == ERROR and result.document.published_as_is:
            message += "（原件如此，照原样公开）"
        out.append(Problem(result.mark, message, result.status))
    return out


def blocking(results, strict: bool) -> int:
    """Errors stop publication unless the document is marked as published as-is; --strict adds warnings."""
    return sum(
        1 for r in results if (r.status == ERROR and not r.document.published_as_is) or (strict and r.status == WARNING)
    )


def run_batch(batch: Batch) -> Outcome:
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
    results = [r for b in bureaus for d in b.documents for r in check_document(d)]
    outcome.seconds["check"] = time.perf_counter() - start
    outcome.findings = findings(results)
    outcome.blocking = blocking(results, _WORKER["strict"])
    outcome.counts = Counter(r.status for r in results)
    outcome.outlines = [outline(b) for b in bureaus]
    if _WORKER["work"] is not None and not outcome.blocking:
        _build_batch(batch, Site(bureaus, glossary, form_sets), results, outcome)
    return outcome


def _build_batch(batch: Batch, site: Site, results, outcome: Outcome) -> None:
    work: Path = _WORKER["work"] / batch.name
    start = time.perf_counter()
    pages = bureau_pages(site, site.bureaus, results)
    outcome.seconds["generate"] = time.perf_counter() - start
    start = time.perf_counter()
    shells = _shells()
    built = {page.src: shells.write(page, work / "site") for page in pages}
    outcome.seconds["pages"] = time.perf_counter() - start
    start = time.perf_counter()
    downloads.write_documents(site.bureaus, work / "site")
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
    index.seal()
    write_chunks(records, _WORKER["work"] / "search-records", batch.name)
    outcome.seconds["search index"] = time.perf_counter() - start
    outcome.built, outcome.index = work / "site", index


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
    meanwhile=None,
    jobs: int | None = None,
    config_file: Path | None = None,
    cache: Path | None = None,
):
    """Run every batch, in worker processes when there is more than one batch and more than one core.

    *meanwhile* runs in this process once the batches are under way (the page shells are made then).
    *cache*: the folder of check_cache's results, when checking only.
    """
    jobs = jobs or min(len(batches), os.cpu_count() or 1)
    if jobs <= 1:
        _start_worker(data_dir, work, strict, config_file, cache)
        if meanwhile is not None:
            meanwhile()
        yield from map(run_batch, batches)
        return
    with ProcessPoolExecutor(
        jobs, initializer=_start_worker, initargs=(data_dir, work, strict, config_file, cache)
    ) as pool:
        outcomes = pool.map(run_batch, batches)
        if meanwhile is not None:
            meanwhile()
        yield from outcomes


def move_built(outcome: Outcome, site_dir: Path) -> None:
    """Move a batch's bureau folders into the site (the theme's assets come from the site build)."""
    for bureau in outcome.outlines:
        shutil.move(str(outcome.built / bureau.slug), str(site_dir / bureau.slug))
