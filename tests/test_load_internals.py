"""What the load stage's speed-ups must keep: marks that behave as before, the collector restored."""

import gc

import pytest

from generator.core.problems import Mark, Problem, Problems
from generator.source.yamlsource import Mapping, Scalar, Sequence, cycle_collection_paused, parse_text


def test_marks_compare_sort_hash_and_print_as_places():
    assert str(Mark("f.yaml", 3, 7)) == "f.yaml:3:7"
    assert str(Mark("data/x")) == "data/x"
    assert repr(Mark("f.yaml", 3, 7)) == "Mark(path='f.yaml', line=3, column=7)"
    assert Mark("f.yaml", 3, 7) == Mark("f.yaml", 3, 7)
    assert len({Mark("f.yaml", 3, 7), Mark("f.yaml", 3, 7), Mark("f.yaml", 3, 8)}) == 2
    assert sorted([Mark("b", 1, 1), Mark("a", 2, 1), Mark("a", 1, 9), Mark("a", 1, 2)]) == [
        Mark("a", 1, 2),
        Mark("a", 1, 9),
        Mark("a", 2, 1),
        Mark("b", 1, 1),
    ]
    with pytest.raises(AttributeError):
        Mark("f.yaml", 1, 1).line = 2  # type: ignore[misc]


def test_problems_sort_and_deduplicate_by_place_then_message():
    problems = Problems()
    problems.add(Mark("f.yaml", 2, 1), "b")
    problems.add(Mark("f.yaml", 1, 5), "z")
    problems.add(Mark("f.yaml", 2, 1), "a")
    problems.add(Mark("f.yaml", 2, 1), "b")
    assert problems.sorted() == [
        Problem(Mark("f.yaml", 1, 5), "z"),
        Problem(Mark("f.yaml", 2, 1), "a"),
        Problem(Mark("f.yaml", 2, 1), "b"),
    ]


def test_every_node_knows_its_place():
    root = parse_text("a:\n  - x\n  - {b: 'y'}\n", "f.yaml")
    assert isinstance(root, Mapping) and root.mark == Mark("f.yaml", 1, 1)
    key, items = root.items[0]
    assert key.mark == Mark("f.yaml", 1, 1) and isinstance(items, Sequence) and items.mark == Mark("f.yaml", 2, 3)
    first, second = items.items
    assert isinstance(first, Scalar) and first.mark == Mark("f.yaml", 2, 5) and first.plain
    assert isinstance(second, Mapping) and second.mark == Mark("f.yaml", 3, 5)
    value = second.get("b")
    assert isinstance(value, Scalar) and value.text == "y" and not value.plain and value.mark == Mark("f.yaml", 3, 9)


def test_the_collector_is_paused_and_restored():
    assert gc.isenabled()
    with cycle_collection_paused():
        assert not gc.isenabled()
        with cycle_collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # only the outermost pause ends it
    assert gc.isenabled()
    with pytest.raises(ValueError), cycle_collection_paused():
        raise ValueError
    assert gc.isenabled()


def test_a_collector_disabled_by_the_caller_stays_disabled():
    gc.disable()
    try:
        with cycle_collection_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
