"""mkdocs hook: regenerate the pages from data/ whenever mkdocs builds (so `mkdocs serve` follows edits).

Only plain `mkdocs` runs it (`make serve`); `python -m generator build` runs mkdocs without it.
"""

from __future__ import annotations

import re
import sys
from dataclasses import replace
from pathlib import Path

# mkdocs loads this file by path, not as part of the package: make the package importable.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from generator.build.site import generate  # noqa: E402
from generator.load.loader import load_site  # noqa: E402


def on_config(config, **kwargs):
    # A file that does not load is shown on the preview's pages rather than stopping `mkdocs serve`:
    # the clerk fixes it, saves, and the pages come back.
    root = Path(config.config_file_path).parent
    site, problems = load_site(root / "data")
    errors = sorted(set(problems.errors))
    config.nav = generate(
        without_files_in_error(site, errors), Path(config.docs_dir), root / "content", problems=errors
    )
    return config


def without_files_in_error(site, errors):
    """The bureaus and documents of *site* whose files loaded without an error (the others may be half made)."""
    broken = {problem.mark.path for problem in errors}
    bureaus = [
        replace(b, documents=[d for d in b.documents if d.path not in broken])
        for b in site.bureaus
        if b.path not in broken
    ]
    for bureau in bureaus:
        for document in bureau.documents:
            document.bureau = bureau
    return replace(site, bureaus=bureaus)


# `mkdocs serve` reloads a page on changes with an inline script it adds to each page it serves,
# which the site's Content-Security-Policy (site_overrides/main.html) refuses: the preview goes
# without the policy. Built sites keep it.
_POLICY = re.compile(r'\s*<meta http-equiv="Content-Security-Policy"[^>]*>')
_serving = False


def on_startup(command, **kwargs):
    global _serving
    _serving = command == "serve"


def on_post_page(output, **kwargs):
    return _POLICY.sub("", output, count=1) if _serving else output
