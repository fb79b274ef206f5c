"""Build stage, search: teach the Chinese word segmenter the site's own terms.

The search index is segmented by jieba at build time. Its general dictionary splits 三公经费 into
三公 + 经费 and 公务接待费 into 公务 + 接待费; adding the glossary's terms and the forms' labels
keeps them whole, so that a citizen's query for the term finds it, and prefixes (三公, 公务接待)
still match.
"""

from __future__ import annotations

import re

from .model import FormTable, Site


def site_terms(site: Site) -> set[str]:
    terms: set[str] = set(site.glossary)
    for bureau in site.bureaus:
        terms.update(bureau.region)
        terms.update({bureau.name, bureau.short_name})
    for form_set in site.form_sets.values():
        for form in form_set.forms.values():
            for panel in form.panels:
                terms.update(c.label for c in panel.columns)
                terms.update(r.label for r in panel.rows or [] if r.label)
    for document in site.documents:
        for _, table in document.tables():
            if isinstance(table, FormTable):
                for data in table.panels:
                    for row in data.rows:
                        terms.update(v.text for v in row.cells.values() if v.text and not v.text.isdigit())
    cleaned = {re.sub(r"^[一二三四五六七八九十]+、", "", t).strip() for t in terms}
    return {t for t in cleaned if 2 <= len(t) <= 20 and re.fullmatch(r"[\u4e00-\u9fff（）()“”]+", t)}


def teach_segmenter(site: Site) -> None:
    try:
        import jieba
    except ImportError:  # the search still works, only with coarser words
        return
    for term in sorted(site_terms(site)):
        jieba.add_word(term)
