"""Render stage, escaping: text from data/ made safe for HTML, the same way markupsafe does it.

A province's tables print the same labels in every document (form rows and columns, 科目 names,
indicator names); escaping them again each time, with a Markup object made for each, was a fifth
of rendering. Plain text is escaped once per distinct string; Markup (already HTML) and other
objects go to markupsafe as before.
"""

from __future__ import annotations

from functools import lru_cache

from markupsafe import Markup
from markupsafe import escape as markup_escape


@lru_cache(maxsize=65536)
def _escaped_text(text: str) -> Markup:
    return markup_escape(text)


def escape(value) -> Markup:
    if type(value) is str:  # exactly str: a Markup (a str subclass) is HTML already and stays as it is
        return _escaped_text(value)
    return markup_escape(value)


def escape_sentence(text: str) -> Markup:
    """Text that is seldom printed twice (a check's explanation, with its figures): escaped
    without the cache, which it would fill with strings never asked for again."""
    return markup_escape(text)
