"""Helpers for tests that look at a built site: its pages, links and text, the site served over HTTP
as a static host serves it, and its pages opened in chromium (the `browser` fixture of conftest.py).
"""

from __future__ import annotations

import functools
import hashlib
import http.server
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

from helpers import ROOT

# 望城区医保局's 2020 决算 (seed 000), the document of the real data most tests look at: its folder in the built site.
WANGCHENG = "changsha-wangcheng-ybj/2020/juesuan"
# Screenshots and PDFs the browser tests take, for a person to look at (ignored by git).
ARTIFACTS = ROOT / "test-artifacts"


class Page(HTMLParser):
    """Links, resource URLs, element ids and visible text of one HTML page."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.resources: list[str] = []
        self.ids: set[str] = set()
        self.text_parts: list[str] = []
        self._skip = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        for name in ("src", "href"):
            if attrs.get(name) and (tag != "a"):
                self.resources.append(attrs[name])
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text_parts.append(data)

    @property
    def text(self) -> str:
        return " ".join(self.text_parts)


def contents(site: Path) -> dict[str, str]:
    """Every folder and file under *site*, files by the hash of their bytes."""
    return {
        path.relative_to(site).as_posix(): "folder" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site.rglob("*"))
    }


def untouched(site: Path) -> dict:
    """What must not change when a build fails: the folder itself, and each file's bytes and times."""
    return {
        "folder": site.stat().st_ino,
        "files": contents(site),
        "times": {p.relative_to(site).as_posix(): p.stat().st_mtime_ns for p in sorted(site.rglob("*"))},
    }


def page_file(site: Path, url_path: str) -> Path:
    """The file a static host serves for *url_path* ("" for the home page, "glossary/", "404.html")."""
    path = site / url_path
    if path.is_dir() or url_path.endswith("/") or url_path == "":
        path = path / "index.html"
    return path


def page_html(site: Path, url_path: str) -> str:
    """The HTML of the page at *url_path* of a built site."""
    return page_file(site, url_path).read_text(encoding="utf-8")


def read_page(site: Path, url_path: str) -> Page:
    """The page at *url_path* of a built site, parsed: its links, ids and text."""
    return Page(page_html(site, url_path))


def resolve(site: Path, page_file: Path, href: str) -> tuple[Path, str] | None:
    """The file and fragment an internal link points to, or None for other hosts and mailto."""
    parsed = urlparse(href)
    if parsed.scheme or parsed.netloc:
        return None
    base = "/" + page_file.relative_to(site).as_posix()
    target = urlparse(urljoin(base, href))
    path = site / unquote(target.path).lstrip("/")
    if target.path.endswith("/") or path.is_dir():
        path = path / "index.html"
    return path, unquote(target.fragment)


AMOUNT = re.compile(r"-?\d{1,3}(?:,\d{3})*\.\d\d")


def amounts_on(text: str) -> list[str]:
    """Amounts as shown (29,455.67) turned back into plain decimals (29455.67)."""
    return [a.replace(",", "") for a in AMOUNT.findall(text)]


# ---- the site served, as a static host would ----


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def serving(site: Path, handler_class: type[http.server.BaseHTTPRequestHandler] = QuietHandler) -> Iterator[str]:
    """A built site served on a free local port, as a static host would; yields its address.
    *handler_class* is a SimpleHTTPRequestHandler that answers differently (other headers or types)."""
    handler = functools.partial(handler_class, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()


# ---- in chromium ----

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


# An init script: what the page's Content-Security-Policy refuses is listed in window.__violations,
# whether or not the console shows it.
WATCH_POLICY = """
window.__violations = [];
document.addEventListener('securitypolicyviolation',
  e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
"""


def open_page(browser, url, width, touch=False, init_script=None, dialogs=None):
    """*url* opened in a fresh context *width* px wide (a phone's, with touch, if *touch*) and loaded
    until the network is idle; returns the page, the requests that left the site and the errors of
    its console and scripts. *init_script* runs before the page's own scripts (WATCH_POLICY, say).
    Dialogs are dismissed, as Playwright does anyway; when *dialogs* is a list, their messages are
    added to it. The caller closes page.context."""
    context = browser.new_context(viewport={"width": width, "height": 800}, has_touch=touch, is_mobile=touch)
    if init_script is not None:
        context.add_init_script(init_script)
    page = context.new_page()
    origin = "/".join(url.split("/")[:3]) + "/"
    foreign, errors = [], []
    page.on("request", lambda r: None if r.url.startswith((origin, "data:", "blob:")) else foreign.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    if dialogs is not None:
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(url, wait_until="networkidle")
    return page, foreign, errors
