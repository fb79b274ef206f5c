"""Build stage, the site's own stylesheets and scripts written minified into the built site.

They are written for the people who keep them: comments say why, and take a third of each file. A
phone fetches them on every first visit, uncompressed where a host does not compress: the 决算
landing page's 350 KB budget (issue 21) is met with room only once they are minified. rcssmin and
rjsmin (well-kept, C-accelerated) do it; measured on 2026-12-07, gongkai.css 29,445 → 21,100 bytes,
gongkai-tables.js 19,198 → 12,808, gongkai-search.js 34,478 → 21,835, gongkai.js 3,973 → 2,938.
The sources in site_overrides/assets/ stay as written, and so does the preview (mkdocs serve).
"""

from __future__ import annotations

from pathlib import Path

import rcssmin
import rjsmin

OWN = "gongkai*"  # the project's assets; Material's and the form editor's come minified or are left alone


def minify_assets(assets: Path) -> None:
    """Minify the project's own .css and .js files under *assets* (a built site's assets/) in place."""
    for path in sorted(assets.glob(OWN + ".css")):
        path.write_text(rcssmin.cssmin(path.read_text(encoding="utf-8")), encoding="utf-8")
    for path in sorted(assets.glob(OWN + ".js")):
        path.write_text(rjsmin.jsmin(path.read_text(encoding="utf-8")), encoding="utf-8")
