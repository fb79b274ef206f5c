"""`python -m generator bench --docs N`: build a synthetic province and print what it cost, as JSON.

The build runs as a child process (`python -m generator build`), so that its peak memory can be
read from the operating system and nothing of this process's own state is counted.

Search is measured with the judged set (judged.yaml) in headless chromium: on the synthetic
province, what each query costs (bytes of index fetched, milliseconds to results); on the site
built from data/, where the right answers were written down, how many queries have one first and
in the top three (search_judged).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

from ..build.search import INDEX_DIR
from ..core import urls
from . import relevance
from .corpus import make_corpus
from .rebuilds import REBUILDS

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"  # Debian's: Playwright's own download does not work here
# What a citizen types: the judged set (judged.yaml), whose answers are on the site built from
# data/; on the synthetic province the same queries measure what a query costs (its bureaus are
# renamed 东东0区 …: a query naming 望城 finds less there, and costs what a miss costs).
QUERIES = tuple(j.query for j in relevance.load())


def tree_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def document_pages(site: Path) -> list[int]:
    """Sizes of the HTML pages of documents (index, parts, attachments, 数据核对): bureau/year/doc/…,
    but the one-page text, which is the whole document by design (one_page_texts)."""
    full = Path(urls.FULL_TEXT).stem
    return [p.stat().st_size for p in site.glob("bench-*/[12][0-9][0-9][0-9]/*/**/index.html") if p.parent.name != full]


def one_page_texts(site: Path) -> list[int]:
    """Sizes of the documents' one-page texts (全文, for reading through and printing)."""
    return [
        p.stat().st_size for p in site.glob(f"bench-*/[12][0-9][0-9][0-9]/*/{Path(urls.FULL_TEXT).stem}/index.html")
    ]


@contextlib.contextmanager
def served_in_chromium(site: Path):
    """*site* served over HTTP on a free port and a headless chromium: yields (browser, base URL),
    or None when this machine has no chromium or no Playwright to drive it."""
    try:
        from playwright.sync_api import sync_playwright  # optional: bench runs without a browser too
    except ImportError:
        yield None
        return
    if not Path(CHROMIUM).exists():
        yield None
        return

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            try:
                yield browser, f"http://127.0.0.1:{server.server_address[1]}/"
            finally:
                browser.close()
    finally:
        server.shutdown()


def query_figures(site: Path, queries=QUERIES, repeats: int = 1) -> dict | None:
    """What each query on the search page costs a browser with an empty cache: the bytes of index it
    fetches and the milliseconds from the query to its results shown, as the page measures them,
    the median of *repeats* tries (one try swings by a hundred ms on this shared machine), and the
    addresses of the results shown (None: no chromium to run it in)."""
    figures = {}
    with served_in_chromium(site) as served:
        if served is None:
            return None
        browser, base = served
        for query in queries:
            tries = [_query_once(browser, base, query) for _ in range(max(1, repeats))]
            figures[query] = {
                "bytes": max(t["bytes"] for t in tries),
                "milliseconds": int(statistics.median(t["milliseconds"] for t in tries)),
                "results_shown": min(t["results_shown"] for t in tries),
                "results": tries[0]["results"],
            }
    return figures


def judged_figures(work: Path, repeats: int = 1) -> dict | None:
    """The judged set on the site built from data/ (where its answers are): how many queries have
    a right answer first and in the top three, and what they cost (relevance.summary)."""
    site = work / "judged-site"
    if site.exists():
        shutil.rmtree(site)
    run_measured([sys.executable, "-m", "generator", "build", str(ROOT / "data"), "--site-dir", str(site)])
    judged = relevance.load()
    runs = query_figures(site, tuple(j.query for j in judged), repeats)
    return None if runs is None else relevance.summary(relevance.Site(site), judged, runs)


def page_weight(browser, url: str) -> dict:
    """What a phone's browser with an empty cache fetches to show *url*, until the network is idle:
    the bytes of every response's body as served (Python's http.server compresses nothing, so these
    are what a host without compression transfers, headers aside) and the number of requests, the
    page's own included."""
    context = browser.new_context(viewport={"width": 375, "height": 800}, is_mobile=True, has_touch=True)
    page = context.new_page()
    bodies: list[int] = []
    page.on("response", lambda response: bodies.append(len(response.body()) if response.ok else 0))
    page.goto(url, wait_until="networkidle")
    context.close()
    return {"bytes": sum(bodies), "requests": len(bodies)}


def landing_page(site: Path) -> Path | None:
    """The first 部门决算's landing page of the site (bureau/year/document/index.html, its 目录 and
    charts): the page a reader most often opens first, and the heaviest kind."""
    pages = sorted(site.glob("*/[12][0-9][0-9][0-9]/*/index.html"))
    return next((p for p in pages if "<dt>文件类型</dt><dd>部门决算</dd>" in p.read_text(encoding="utf-8")), None)


def landing_figures(site: Path) -> dict | None:
    """page_weight of landing_page, served over HTTP (None: no such page, or no chromium to run it in)."""
    landing = landing_page(site)
    if landing is None:
        return None
    path = landing.parent.relative_to(site).as_posix()
    with served_in_chromium(site) as served:
        if served is None:
            return None
        browser, base = served
        figures = page_weight(browser, f"{base}{path}/")
    return {"page": f"{path}/", **figures}


def tree_rss_mib(root: int) -> float:
    """Resident memory of a process and all its descendants (the build's workers), in MiB.

    The tree is walked through /proc/PID/task/TID/children, a few small files, so that sampling
    takes little from the two cores the build is using.
    """
    total, todo, seen = 0, [root], set()
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            for task in Path(f"/proc/{pid}/task").iterdir():
                todo.extend(int(child) for child in (task / "children").read_text().split())
        except OSError:  # the process ended while we looked
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def run_measured(command: list[str], env: dict | None = None) -> tuple[float, float]:
    """(wall seconds, peak MiB of the process tree, sampled every 100 ms) of one run of *command*."""
    start = time.perf_counter()
    # The build reports every finding on stderr: to a file, as a pipe nobody reads would fill and block it.
    with tempfile.TemporaryFile("w+", encoding="utf-8") as errors:
        child = subprocess.Popen(
            command,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        )
        peak = 0.0
        while child.poll() is None:
            peak = max(peak, tree_rss_mib(child.pid))
            time.sleep(0.1)
        seconds = time.perf_counter() - start
        if child.returncode != 0:
            errors.seek(0)
            raise RuntimeError(f"the benchmark run failed: {errors.read().strip().splitlines()[-1:]}")
    return seconds, peak


def check_after_one_edit(command: list[str], edited: Path, env: dict) -> float:
    """Seconds of a check after *edited* changed, the check before it having kept its results."""
    run_measured(command, env)
    original = edited.read_bytes()
    try:
        edited.write_bytes(original + "\n# 更正后再核对\n".encode())
        return run_measured(command, env)[0]
    finally:
        edited.write_bytes(original)


def rebuild(build: list[str], env: dict, timings_file: Path, edited: Path | None = None) -> tuple[float, float, dict]:
    """(wall seconds, peak MiB, seconds per stage) of *build* run again over the site it built,
    after *edited* changed (a line added, as a clerk's correction would; put back afterwards)."""
    original = edited.read_bytes() if edited is not None else None
    try:
        if edited is not None:
            edited.write_bytes(original + "\n# 更正后再构建\n".encode())
        seconds, peak = run_measured(build, env)
    finally:
        if edited is not None:
            edited.write_bytes(original)
    return seconds, peak, json.loads(timings_file.read_text(encoding="utf-8"))


def differing_files(one: Path, other: Path) -> int:
    """How many files are in one site and not the other, or in both with other bytes."""
    mine = {p.relative_to(one).as_posix(): p for p in one.rglob("*") if p.is_file()}
    theirs = {p.relative_to(other).as_posix(): p for p in other.rglob("*") if p.is_file()}
    return len(mine.keys() ^ theirs.keys()) + sum(
        mine[name].read_bytes() != theirs[name].read_bytes() for name in mine.keys() & theirs.keys()
    )


def sharded(generator: list[str], data: Path, site: Path, work: Path, shards: int, env: dict) -> dict:
    """The build split into *shards* (build --shard K/N, one after another on this machine, as CI
    runs them on machines of their own) and merged: (wall seconds, peak MiB) of each shard build and
    of the merge, and how many files of the merged site differ from *site*, one machine's build."""
    parts, merged = work / "parts", work / "merged-site"
    shutil.rmtree(parts, ignore_errors=True)
    shutil.rmtree(merged, ignore_errors=True)
    built = [
        run_measured(
            [*generator, "build", str(data), "--shard", f"{k}/{shards}", "--part-dir", str(parts / str(k))], env
        )
        for k in range(1, shards + 1)
    ]
    folders = [str(parts / str(k)) for k in range(1, shards + 1)]
    merging = run_measured([*generator, "merge", *folders, "--data-dir", str(data), "--site-dir", str(merged)], env)
    return {"shards": built, "merge": merging, "differing_files": differing_files(merged, site)}


def _query_once(browser, base: str, query: str) -> dict:
    context = browser.new_context()  # an empty cache for every try
    page = context.new_page()
    fetched: list[int] = []

    def count(response):
        if f"/{INDEX_DIR}/" in response.url and response.ok:
            fetched.append(len(response.body()))

    page.on("response", count)
    page.goto(f"{base}search/?q={quote(query)}", wait_until="networkidle")
    page.wait_for_selector("#gk-search[data-ms]", state="attached", timeout=30000)
    page.wait_for_load_state("networkidle")
    figures = {
        "bytes": sum(fetched),
        "milliseconds": int(page.get_attribute("#gk-search", "data-ms")),
        "results_shown": page.locator(".gk-result").count(),
        "results": page.locator(".gk-result-link").evaluate_all("links => links.map(a => a.href)"),
    }
    context.close()
    return figures


def sharded_figures(splits: list[dict]) -> dict:
    """The medians of sharded()'s runs: each shard's build and the merge, and the files that differed."""
    median = statistics.median
    count = len(splits[0]["shards"])
    return {
        "shards": count,
        "shard_build_seconds": [round(median(s["shards"][k][0] for s in splits), 2) for k in range(count)],
        "shard_peak_memory_mib": [round(max(s["shards"][k][1] for s in splits), 1) for k in range(count)],
        "merge_seconds": round(median(s["merge"][0] for s in splits), 2),
        "merge_peak_memory_mib": round(max(s["merge"][1] for s in splits), 1),
        # files of the merged site not byte for byte those of the one-machine build (0: identical)
        "differing_files": max(s["differing_files"] for s in splits),
    }


# what changed before the build runs again over the site it built (rebuilds.py): the key its figures
# are reported under, and the file changed (None: nothing)
CHANGED = dict(REBUILDS.values())


def tree_files(folder: Path) -> int:
    return sum(1 for p in folder.rglob("*") if p.is_file())


def bench(
    documents: int,
    runs: int = 1,
    keep: Path | None = None,
    shards: int | None = None,
    rebuilds: tuple[str, ...] = tuple(CHANGED),
) -> dict:
    work = keep or Path(tempfile.mkdtemp(prefix="gongkai-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    data, site, timings_file = work / "data", work / "site", work / "timings.json"
    generator = [sys.executable, "-m", "generator"]
    try:
        make_corpus(ROOT / "data", data, documents)
        walls, peaks, checks, rechecks, stages = [], [], [], [], []
        rebuilt: dict[str, list] = {change: [] for change in rebuilds}
        splits: list[dict] = []
        cache = {"GONGKAI_CACHE": str(work / "cache")}
        edited = {"document": min(data.glob("*/*/*.yaml")), "glossary": data / "glossary.yaml"}
        build = [*generator, "build", str(data), "--site-dir", str(site), "--timings", str(timings_file)]
        for _ in range(max(1, runs)):
            checks.append(run_measured([*generator, "check", "--no-cache", str(data)])[0])
            rechecks.append(check_after_one_edit([*generator, "check", str(data)], edited["document"], cache))
            if site.exists():
                shutil.rmtree(site)
            shutil.rmtree(work / "cache" / "build", ignore_errors=True)  # cold: nothing kept of a build before
            seconds, peak = run_measured(build, cache)
            walls.append(seconds)
            peaks.append(peak)
            stages.append(json.loads(timings_file.read_text(encoding="utf-8")))
            if shards:  # before the rebuilds, which leave the site of an edited document
                splits.append(sharded(generator, data, site, work, shards, cache))
            for change in rebuilds:
                rebuilt[change].append(rebuild(build, cache, timings_file, edited.get(CHANGED[change])))
        pages = document_pages(site)
        html_pages = list(site.rglob("*.html"))
        median = statistics.median
        queries = query_figures(site, repeats=len(walls)) or {}
        for figures in queries.values():
            del figures["results"]
        judged = judged_figures(work, repeats=len(walls))
        landing = landing_figures(site) or {}
        return {
            "documents": documents,
            "runs": len(walls),
            "pages": len(html_pages),
            "check_seconds": round(median(checks), 2),
            # a clerk's check again after correcting one file: the other files' results are recalled
            "check_seconds_after_one_edit": round(median(rechecks), 2),
            "build_seconds": round(median(walls), 2),
            "build_seconds_per_document": round(median(walls) / documents, 4),
            "peak_memory_mib": round(max(peaks), 1),
            # the same build again, the batches whose inputs did not change taken from the one before
            # (build/build_cache.py): with nothing changed, after one document was edited, after the
            # glossary was; each also as a share of the cold build
            "rebuild": {
                change: {
                    "build_seconds": round(median(r[0] for r in runs_of), 2),
                    "share_of_cold_build": round(median(r[0] for r in runs_of) / median(walls), 3),
                    "peak_memory_mib": round(max(r[1] for r in runs_of), 1),
                    "stage_seconds": {
                        k: round(median(r[2].get(k, 0) for r in runs_of), 2) for k in sorted(runs_of[0][2])
                    },
                }
                for change, runs_of in rebuilt.items()
            },
            # seconds per stage; those run in the workers are summed over the workers
            "stage_seconds": {k: round(median(s.get(k, 0) for s in stages), 2) for k in sorted(stages[0])},
            "site_mib": round(tree_bytes(site) / 2**20, 1),
            "site_files": tree_files(site),
            "document_page_html_bytes_median": int(median(pages)) if pages else 0,
            "document_page_html_bytes_max": max(pages) if pages else 0,
            "one_page_text_html_bytes_max": max(one_page_texts(site), default=0),
            "home_page_html_bytes": (site / "index.html").stat().st_size,
            # a 部门决算's landing page in a phone's browser with an empty cache: every file it fetches
            "landing_page": landing.get("page"),
            "landing_page_bytes": landing.get("bytes"),
            "landing_page_requests": landing.get("requests"),
            "search_index_bytes": tree_bytes(site / INDEX_DIR),
            "search_query_bytes_median": int(median(q["bytes"] for q in queries.values())) if queries else None,
            "search_query_bytes_max": max((q["bytes"] for q in queries.values()), default=None),
            "search_query_milliseconds_median": int(median(q["milliseconds"] for q in queries.values()))
            if queries
            else None,
            "search_query_milliseconds_max": max((q["milliseconds"] for q in queries.values()), default=None),
            "search_queries": queries,
            # the judged set on the site of data/ itself: right answers first, and what they cost there
            "search_judged": judged,
            **({"sharded": sharded_figures(splits)} if splits else {}),
        }
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)
