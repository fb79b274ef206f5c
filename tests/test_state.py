"""State that cannot go stale: checking, rendering and exporting a site write nothing onto its model.

What is worked out from a form (a panel's columns by type, a rule in words) is made when the form is
loaded, and what one render run shares (the glossary's links) belongs to that run. A cache written
onto a shared model object would outlive a change to it, as in the preview that reloads data/.
"""

import dataclasses

import pytest

from generator.check.document import check_document
from generator.core.model import Form, Panel
from generator.export.tabular import document_tables
from generator.load.loader import load_site
from generator.render.pages import all_pages

from helpers import DATA, ROOT


def undeclared_attributes(root) -> list[str]:
    """Every attribute of a dataclass reachable from *root* that is not one of its fields."""
    found, seen, todo = [], set(), [root]
    while todo:
        obj = todo.pop()
        if id(obj) in seen or isinstance(obj, (str, bytes, int, float)) or obj is None:
            continue
        seen.add(id(obj))
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            declared = {f.name for f in dataclasses.fields(obj)}
            extra = set(getattr(obj, "__dict__", {})) - declared
            found += [f"{type(obj).__name__}.{name}" for name in sorted(extra)]
            todo += [getattr(obj, name) for name in declared]
        elif isinstance(obj, dict):
            todo += list(obj.keys()) + list(obj.values())
        elif isinstance(obj, (list, tuple, set, frozenset)):
            todo += list(obj)
    return sorted(set(found))


def test_checking_rendering_and_exporting_write_nothing_onto_the_model():
    site, problems = load_site(DATA)
    assert not problems.errors
    assert undeclared_attributes(site) == []
    results = [r for d in site.documents for r in check_document(d)]
    all_pages(site, ROOT / "content", results)
    for document in site.documents:
        document_tables(document)
    assert undeclared_attributes(site) == []


def test_the_walk_finds_a_value_stashed_on_a_model_object():
    site, _ = load_site(DATA)
    form = next(iter(site.form_sets["hunan-juesuan-2020"].forms.values()))
    form.__dict__["_cached_plan"] = "stale"  # what a cache kept on a shared form would look like
    assert undeclared_attributes(site) == ["Form._cached_plan"]


def test_a_loaded_form_panel_cannot_be_changed_under_what_was_worked_out_from_it():
    site, _ = load_site(DATA)
    form: Form = next(iter(site.form_sets["hunan-juesuan-2020"].forms.values()))
    panel: Panel = form.panels[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        panel.columns = []
    assert panel.amount_columns == [c for c in panel.columns if c.type == "amount"]


def test_forms_documents_and_tables_hash_by_identity():
    """Two loads of the same files give equal-looking but separate objects: what is kept for one
    (a table's file name, a form's printed header) is never found for the other."""
    first, _ = load_site(DATA)
    second, _ = load_site(DATA)
    a, b = first.documents[0], second.documents[0]
    assert a.path == b.path and a != b and len({a, b}) == 2
    table_a, table_b = next(t for _, t in a.tables()), next(t for _, t in b.tables())
    assert table_a != table_b and {table_a: 1}.get(table_b) is None
