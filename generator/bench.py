"""`python -m generator bench --docs N`: build a synthetic province and print what it cost, as JSON.

The build runs as a child process (`python -m generator build`), so that its peak memory can be
read from the operating system and nothing of this process's own state is counted.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .corpus import make_corpus

ROOT = Path(__file__).resolve().parent.parent
QUERY = "医疗救助"


def tree_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def document_pages(site: Path) -> list[int]:
    """Sizes of the HTML pages of documents (index, parts, attachments, 数据核对): bureau/year/doc/…"""
    return [p.stat().st_size for p in site.glob("bench-*/[12][0-9][0-9][0-9]/*/**/index.html")]


def query_bytes(site: Path, query: str = QUERY) -> int | None:
    """Bytes a browser fetches from the search index for one query on the search page (None: no chromium)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not Path("/usr/bin/chromium").exists():
        return None
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    fetched: list[int] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            page = browser.new_page()

            def count(response):
                if "/pagefind/" in response.url and response.ok:
                    fetched.append(len(response.body()))

            page.on("response", count)
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/search/?q={query}", wait_until="networkidle")
            page.wait_for_selector(".pagefind-ui__result", timeout=30000)
            page.wait_for_load_state("networkidle")
            browser.close()
    finally:
        server.shutdown()
    return sum(fetched)


def build_once(data: Path, site: Path, timings: Path) -> tuple[float, float]:
    """(wall seconds, peak RSS MiB of the build and the processes it ran)."""
    if site.exists():
        shutil.rmtree(site)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "generator", "build", str(data), "--site-dir", str(site), "--timings", str(timings)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"the benchmark build failed: {done.stderr.strip().splitlines()[-1:]}")
    # ru_maxrss of waited-for children is the largest single process among them, in KiB on Linux.
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, peak


def bench(documents: int, runs: int = 1, keep: Path | None = None) -> dict:
    work = keep or Path(tempfile.mkdtemp(prefix="gongkai-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    data, site, timings_file = work / "data", work / "site", work / "timings.json"
    try:
        make_corpus(ROOT / "data", data, documents)
        walls, peaks, stages = [], [], []
        for _ in range(max(1, runs)):
            seconds, peak = build_once(data, site, timings_file)
            walls.append(seconds)
            peaks.append(peak)
            stages.append(json.loads(timings_file.read_text(encoding="utf-8")))
        pages = document_pages(site)
        html_pages = list(site.rglob("*.html"))
        median = statistics.median
        return {
            "documents": documents,
            "runs": len(walls),
            "pages": len(html_pages),
            "check_seconds": round(median(s.get("check", 0) for s in stages), 2),
            "load_seconds": round(median(s.get("load", 0) for s in stages), 2),
            "generate_seconds": round(median(s.get("generate", 0) for s in stages), 2),
            "mkdocs_seconds": round(median(s.get("mkdocs", 0) for s in stages), 2),
            "search_index_seconds": round(median(s.get("search index", 0) for s in stages), 2),
            "build_seconds": round(median(walls), 2),
            "peak_rss_mib": round(max(peaks), 1),
            "site_mib": round(tree_bytes(site) / 2**20, 1),
            "document_page_html_bytes_median": int(median(pages)) if pages else 0,
            "document_page_html_bytes_max": max(pages) if pages else 0,
            "search_index_bytes": tree_bytes(site / "pagefind") if (site / "pagefind").exists() else 0,
            "search_query_bytes": query_bytes(site),
            "search_query": QUERY,
        }
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)
