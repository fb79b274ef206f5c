"""Work that depends on one object only (a form), done once per object for a worker's life."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

Result = TypeVar("Result")
MAX_KEPT = 4096


def per_object(function: Callable[..., Result]) -> Callable[..., Result]:
    """Memoise *function*(obj, *args) by the identity of *obj* and the other arguments.

    For objects that are not hashable (the model's dataclasses) and shared by every document of a
    worker (its form sets). The object is kept with its result, so that its id is not reused by
    another object while the entry lives."""
    kept: dict[tuple, tuple[object, Result]] = {}

    @wraps(function)
    def memoised(obj, *args):
        key = (id(obj), *args)
        found = kept.get(key)
        if found is not None and found[0] is obj:
            return found[1]
        if len(kept) > MAX_KEPT:
            kept.clear()
        result = function(obj, *args)
        kept[key] = (obj, result)
        return result

    return memoised
