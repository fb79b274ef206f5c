"""mkdocs hook for `make serve` (plain `mkdocs serve`, which reads mkdocs.yml's hooks): every build
of the preview regenerates the pages from data/, so that the preview follows edits.

Each build loads the configuration anew, and on_config writes every page through mkdocs (no page
shells: the preview must follow edits to the theme too) and registers the PageFragments hook of
that build on its configuration (mkdocs_run.py). `python -m generator build` does not use this file.
"""

from __future__ import annotations

import re
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# mkdocs loads this file by path, not as part of the package: make the package importable.
sys.path.insert(0, str(ROOT))

from generator.build.mkdocs_run import PageFragments, apply_site_info, write_pages  # noqa: E402
from generator.check.document import check_document  # noqa: E402
from generator.core.model import Site  # noqa: E402
from generator.load.loader import load_site  # noqa: E402
from generator.render.escaping import escape  # noqa: E402
from generator.render.pages import all_pages, navigation  # noqa: E402


def on_config(config, **kwargs):
    # A file that does not load is shown on the preview's pages rather than stopping `mkdocs serve`:
    # the clerk fixes it, saves, and the pages come back.
    root = Path(config.config_file_path).parent
    site, problems = load_site(root / "data")
    errors = sorted(set(problems.errors))
    fragments = generate(without_files_in_error(site, errors), Path(config.docs_dir), root / "content", problems=errors)
    fragments.register(config)
    apply_site_info(config, site.info)  # the footer and the title, as a build's pages have them
    config.nav = navigation()
    return config


def generate(
    site: Site, docs_dir: Path, content_dir: Path = ROOT / "content", results=None, problems=()
) -> PageFragments:
    """Write every page of *site* under *docs_dir*, as Markdown for mkdocs; return the hook that
    completes them in the mkdocs run that renders them (run_mkdocs, or `mkdocs serve`'s).

    *problems*: what kept files of data/ from loading. The preview still shows what did load, with
    the problems at the top of every page, so that a clerk sees them where they are looking.
    """
    if results is None:
        results = [r for d in site.documents for r in check_document(d)]
    pages = all_pages(site, content_dir, results)
    if problems:
        notice = problems_notice(problems)
        pages = [replace(page, text=with_notice(page.text, notice)) for page in pages]
    return write_pages(pages, docs_dir, content_dir)


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
