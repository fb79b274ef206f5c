"""mkdocs hook for `make serve` (plain `mkdocs serve`, which reads mkdocs.yml's hooks): every build
of the preview regenerates the pages from data/, so that the preview follows edits.

Each build loads the configuration anew, and on_config writes every page through mkdocs (no page
shells: the preview must follow edits to the theme too) and registers the PageFragments hook of
that build on its configuration (mkdocs_run.py). `python -m generator build` does not use this file.

A clerk who saves a file with a mistake is looking at that file's page: it stays, as last shown
without the mistake, with the mistake at its top (file:line:col and the message) and the document
marked 不能发布, rather than becoming a 404 while the home page alone lists the problem. A file
that has never loaded since `make serve` started gets a page of its problems at its address.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import replace
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parents[2]
# mkdocs loads this file by path, not as part of the package: make the package importable.
sys.path.insert(0, str(ROOT))

from generator.build.mkdocs_run import PageFragments, apply_site_info, write_pages  # noqa: E402
from generator.check.document import check_document  # noqa: E402
from generator.check.quality import quality_lines  # noqa: E402
from generator.core.model import Site  # noqa: E402
from generator.core.urls import document_dir  # noqa: E402
from generator.load.loader import load_site  # noqa: E402
from generator.load.quality import load_criteria  # noqa: E402
from generator.render.escaping import escape  # noqa: E402
from generator.render.pages import Page, all_pages, navigation  # noqa: E402

# The pages of each document as last shown without an error, by its file. A module global: mkdocs
# loads this module once for all the builds of one `mkdocs serve`.
_last_shown: dict[str, list[Page]] = {}


def on_config(config, **kwargs):
    # A file that does not load is shown on the preview's pages rather than stopping `mkdocs serve`:
    # the clerk fixes it, saves, and the pages come back.
    root = Path(config.config_file_path).parent
    site, problems = load_site(root / "data")
    errors = sorted(set(problems.errors))
    criteria = load_criteria(root / "data")[0]
    fragments = generate(
        without_files_in_error(site, errors),
        Path(config.docs_dir),
        root / "content",
        problems=errors,
        criteria=criteria,
    )
    fragments.register(config)
    apply_site_info(config, site.info)  # the footer and the title, as a build's pages have them
    config.nav = navigation()
    return config


def generate(
    site: Site, docs_dir: Path, content_dir: Path = ROOT / "content", results=None, problems=(), criteria=None
) -> PageFragments:
    """Write every page of *site* under *docs_dir*, as Markdown for mkdocs; return the hook that
    completes them in the mkdocs run that renders them (run_mkdocs, or `mkdocs serve`'s).

    *criteria*: the 公开质量 review's (data/quality.yaml), scored on bureau and city pages as the
    build scores them. *problems*: what kept files of data/ from loading. The preview still shows what did load, with
    the problems at the top of every page, so that a clerk sees them where they are looking.
    """
    if results is None:
        results = [r for d in site.documents for r in check_document(d)]
    quality = quality_lines(site.bureaus, results, criteria) if criteria is not None else []
    pages = all_pages(site, content_dir, results, quality)
    for document in site.documents:
        folder = document_dir(document) + "/"
        _last_shown[document.path] = [page for page in pages if page.src.startswith(folder)]
    if problems:
        notice = problems_notice(problems)
        pages = [replace(page, text=with_notice(page.text, notice)) for page in pages]
        pages += unpublishable_pages(site, problems, {page.src for page in pages})
    return write_pages(pages, docs_dir, content_dir)


def unpublishable_pages(site: Site, problems, taken: set[str]) -> list[Page]:
    """The pages of each document file that did not load: as last shown, or a page of its problems
    at its address, each with the file's problems at its top, marked 不能发布."""
    shown = {document.path for document in site.documents}
    broken = {problem.mark.path for problem in problems}
    out = []
    for path in sorted(broken | set(_last_shown)):
        if path in shown or not os.path.isfile(path) or _document_folder(path) is None:
            continue  # loaded, deleted, or not a document's file (a bureau's, a form set)
        bureau_file = str(PurePosixPath(path).parent.parent / "bureau.yaml")
        own = [p for p in problems if p.mark.path in (path, bureau_file)] or list(problems)
        notice = unpublishable_notice(own, path in _last_shown)
        kept = _last_shown.get(path) or [Page(f"{_document_folder(path)}/index.md", f"# {path}\n", title=path)]
        out += [replace(page, text=with_notice(page.text, notice)) for page in kept if page.src not in taken]
    return out


def _document_folder(path: str) -> str | None:
    """bureau/year/name of a document's file data/<bureau>/<year>/<name>.yaml, as its pages are."""
    parts = PurePosixPath(path).parts
    if len(parts) < 3 or not parts[-2].isdigit() or PurePosixPath(path).suffix not in (".yaml", ".yml"):
        return None
    return f"{parts[-3]}/{parts[-2]}/{PurePosixPath(path).stem}"


def unpublishable_notice(problems, last_shown: bool) -> str:
    """Material's red admonition over a document that did not load: 不能发布, and why. The message is
    in the text's font: in a monospace one a full-width ： looks like the : it should be."""
    items = "".join(f"<li><code>{escape(str(p.mark))}:</code> {escape(p.message)}</li>" for p in problems)
    shows = "下面是它上次没有错误时的内容" if last_shown else "改正之前，这里没有它的内容"
    return (
        f'<div class="admonition danger gk-unpublishable"><p class="admonition-title">不能发布：这份文件有 '
        f"{len(problems)} 处错误，{shows}；改正并保存后，本页自动更新</p><ul>{items}</ul></div>\n\n"
    )


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


def without_files_in_error(site: Site, errors) -> Site:
    """A copy of *site* with only the bureaus and documents whose files loaded without an error (the
    others may be half made). The loaded model is left as it is: bureaus and documents are copied,
    each copied document pointing to its copied bureau."""
    broken = {problem.mark.path for problem in errors}
    bureaus = []
    for bureau in site.bureaus:
        if bureau.path in broken:
            continue
        copy = replace(bureau, documents=[])
        copy.documents = [replace(d, bureau=copy) for d in bureau.documents if d.path not in broken]
        bureaus.append(copy)
    return replace(site, bureaus=bureaus)


# `mkdocs serve` reloads a page on changes with an inline script it adds to each page it serves,
# which the site's Content-Security-Policy (site_overrides/main.html) refuses: the preview goes
# without the policy. Built sites keep it. A module global: mkdocs calls on_startup once per
# command, on the first configuration's hooks, and loads this module once for all the builds.
_POLICY = re.compile(r'\s*<meta http-equiv="Content-Security-Policy"[^>]*>')
_serving = False


def on_startup(command, **kwargs):
    global _serving
    _serving = command == "serve"


def on_post_page(output, **kwargs):
    return _POLICY.sub("", output, count=1) if _serving else output
