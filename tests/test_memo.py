"""memo.per_object: one result per object (by identity) and arguments."""

from dataclasses import dataclass

from generator.core.memo import per_object


@dataclass
class Thing:  # a dataclass with eq and no hash, like the model's forms
    name: str


def test_a_result_is_worked_out_once_per_object_and_arguments():
    calls = []

    @per_object
    def describe(thing, width):
        calls.append((thing.name, width))
        return f"{thing.name}:{width}"

    first, equal = Thing("a"), Thing("a")
    assert describe(first, 1) == describe(first, 1) == "a:1"
    assert describe(first, 2) == "a:2"
    assert describe(equal, 1) == "a:1"  # an equal but other object is worked out on its own
    assert calls == [("a", 1), ("a", 2), ("a", 1)]
