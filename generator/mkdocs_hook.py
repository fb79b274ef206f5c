"""mkdocs hook: regenerate the pages from data/ whenever mkdocs builds (so `mkdocs serve` follows edits).

Only plain `mkdocs` runs it (`make serve`); `python -m generator build` runs mkdocs without it.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

# mkdocs loads this file by path, not as part of the package: make the package importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.build import generate  # noqa: E402
from generator.load import load_site  # noqa: E402


def on_config(config, **kwargs):
    root = Path(config.config_file_path).parent
    site, problems = load_site(root / "data")
    if problems:
        raise PluginError("data/ has problems:\n" + "\n".join(str(p) for p in problems.sorted()))
    config.nav = generate(site, Path(config.docs_dir), root / "content")
    return config


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
