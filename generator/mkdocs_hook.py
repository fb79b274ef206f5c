"""mkdocs hook: regenerate the pages from data/ whenever mkdocs builds (so `mkdocs serve` follows edits)."""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError

from generator.build import generate
from generator.load import load_site


def on_config(config, **kwargs):
    root = Path(config.config_file_path).parent
    site, problems = load_site(root / "data")
    if problems:
        raise PluginError("data/ has problems:\n" + "\n".join(str(p) for p in problems.sorted()))
    config.nav = generate(site, Path(config.docs_dir), root / "content")
    return config
