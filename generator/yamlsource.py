"""Read one YAML file into a tree of nodes that remember where they came from.

The tree is built from ruamel.yaml's event stream rather than from a loader, for three reasons:
every value keeps its file:line:col so that a problem can point at it; scalars stay the text the
editor typed (the schema, not YAML 1.1 guessing, decides that ``010`` is a code and ``NO`` is
text); and hostile input (duplicate keys, aliases, tags, deep nesting) is refused with a message
instead of being expanded.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from ruamel.yaml.reader import ReaderError

try:
    from _ruamel_yaml import CParser  # libyaml's parser, from ruamel.yaml.clib
except ImportError:  # ruamel.yaml without its C extension reads with its pure-Python parser
    CParser = None

from .problems import Mark, Problem

MAX_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 40
NULL_WORDS = {"", "~", "null", "Null", "NULL"}
NODE_EVENTS = frozenset({ScalarEvent, MappingStartEvent, SequenceStartEvent})  # events that start a node


@dataclass(slots=True)
class Node:
    path: str  # the file, as the editor knows it
    start: Any  # the parser's mark of the node's first character (line and column count from 0)

    @property
    def mark(self) -> Mark:
        # Made when asked for (a problem, a value of the model): most nodes are keys and never need one.
        return Mark(self.path, self.start.line + 1, self.start.column + 1)


@dataclass(slots=True)
class Scalar(Node):
    text: str = ""
    plain: bool = True

    @property
    def is_null(self) -> bool:
        return self.plain and self.text in NULL_WORDS


@dataclass(slots=True)
class Mapping(Node):
    items: list[tuple[Scalar, Node]] = field(default_factory=list)

    def get(self, key: str) -> Node | None:
        for k, v in self.items:
            if k.text == key:
                return v
        return None


@dataclass(slots=True)
class Sequence(Node):
    items: list[Node] = field(default_factory=list)


class YamlProblem(Exception):
    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def describe(node: Node) -> str:
    if isinstance(node, Mapping):
        return "a mapping (key: value)"
    if isinstance(node, Sequence):
        return "a list"
    assert isinstance(node, Scalar)
    return "nothing" if node.is_null else f"'{node.text}'"


def decode(data: bytes, path: str) -> str:
    """Bytes to text, refusing the encodings Windows tools produce with a hint what to do."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise YamlProblem(Problem(Mark(path, 1, 1), "the file is UTF-16 encoded; save it as UTF-8"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        hint = "save it as UTF-8"
        try:
            data.decode("gb18030")
            hint = "it looks like GBK/GB18030 (as Excel or Notepad save it); save it as UTF-8"
        except UnicodeDecodeError:
            pass
        raise YamlProblem(Problem(Mark(path, line, column), f"the file is not valid UTF-8: {hint}")) from None
    return text.replace("\r\n", "\n")


def _event_reader(text: str) -> Callable[[], Event | None]:
    """A function that returns the next parsing event of *text*, or None after the last one.

    libyaml's parser (ruamel.yaml.clib) reads a document 20× faster than the pure-Python one, which is
    what a province's thousands of files need. It is called directly rather than through
    ``YAML(typ="safe").parse``, which builds a loader (constructor, resolver) per file and wraps every
    event in a generator; the events are the same. ruamel falls back to pure Python without the clib.
    """
    if CParser is None:
        return partial(next, iter(YAML(typ="safe", pure=True).parse(text)), None)
    return CParser(text).get_event


def _mark(path: str, event: Event) -> Mark:
    return Mark(path, event.start_mark.line + 1, event.start_mark.column + 1)


def _indented_with_tab(text: str, line: int) -> bool:
    """Whether line *line* (from 0) of *text* has a tab in its indentation: libyaml's message does
    not name the tab (the pure-Python parser's does), and a tab is the usual cause."""
    lines = text.split("\n")
    if line >= len(lines):
        return False
    indentation = lines[line][: len(lines[line]) - len(lines[line].lstrip(" \t"))]
    return "\t" in indentation


def parse_text(text: str, path: str) -> Node:
    """Build the node tree of a single-document YAML text."""
    # Every event of every file passes through this loop (400,000 at 200 documents), so it dispatches
    # on the event's class once and keeps the innermost open list or mapping in local variables.
    root: Node | None = None
    open_levels: list[tuple[list, dict[str, Scalar] | None]] = []  # (items, keys seen) of each open collection
    items: list | None = None  # the items of the innermost open collection (None at the top)
    keys_seen: dict[str, Scalar] | None = None  # its keys by text when it is a mapping, None for a list
    key: Scalar | None = None  # the key of that mapping whose value comes next
    documents = 0

    next_event = _event_reader(text)
    try:
        while (event := next_event()) is not None:
            kind = type(event)
            if kind in NODE_EVENTS:
                if event.anchor:
                    raise YamlProblem(
                        Problem(_mark(path, event), "anchors (&name) are not supported: write the value out")
                    )
                if event.ctag is not None:
                    raise YamlProblem(Problem(_mark(path, event), f"YAML tags ({event.tag}) are not accepted"))
                if kind is ScalarEvent:
                    # A plain scalar's style is '' from libyaml and None from the pure-Python parser.
                    node = Scalar(path, event.start_mark, event.value, not event.style)
                else:
                    if len(open_levels) >= MAX_DEPTH:
                        raise YamlProblem(Problem(_mark(path, event), f"nesting is deeper than {MAX_DEPTH} levels"))
                    node = (Mapping if kind is MappingStartEvent else Sequence)(path, event.start_mark)
                # Attach the node to the innermost open collection: a list item, a key, or a key's value.
                if items is None:
                    root = node
                elif keys_seen is None:
                    items.append(node)
                elif key is None:
                    if kind is not ScalarEvent:
                        raise YamlProblem(Problem(node.mark, "a key must be plain text, not a list or mapping"))
                    first = keys_seen.get(node.text)
                    if first is not None:
                        raise YamlProblem(
                            Problem(node.mark, f"duplicate key '{node.text}' (first given at line {first.mark.line})")
                        )
                    if node.text == "<<" and node.plain:
                        raise YamlProblem(Problem(node.mark, "merge keys (<<) are not supported: write the values out"))
                    keys_seen[node.text] = key = node
                else:
                    items.append((key, node))
                    key = None
                if kind is not ScalarEvent:
                    open_levels.append((items, keys_seen))
                    items, keys_seen = node.items, ({} if kind is MappingStartEvent else None)
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                items, keys_seen = open_levels.pop()
                key = None  # the enclosing mapping's key took this collection as its value
            elif kind is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise YamlProblem(
                        Problem(_mark(path, event), "more than one YAML document (---) in the file: keep one")
                    )
            elif kind is AliasEvent:
                raise YamlProblem(Problem(_mark(path, event), "aliases (*name) are not supported: write the value out"))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Mark(path, mark.line + 1, mark.column + 1) if mark else Mark(path, 1, 1)
        message = " ".join(" ".join(str(part).split()) for part in (exc.context, exc.problem) if part)
        if "'\\t'" in message or (mark and _indented_with_tab(text, mark.line)):
            message += " (tabs cannot indent YAML: use spaces)"
        raise YamlProblem(Problem(where, f"YAML syntax: {message}")) from None
    except ReaderError as exc:
        # The reader stops at the first character it refuses. Its position counts bytes of UTF-8 with
        # libyaml and characters without it, so the character is looked up instead.
        at = text.find(chr(exc.character)) if isinstance(exc.character, int) else -1
        before = text[: at if at >= 0 else exc.position]
        where = Mark(path, before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1)
        raise YamlProblem(
            Problem(
                where,
                f"YAML syntax: character U+{exc.character:04X} is not allowed here (a control character: delete it)",
            )
        ) from None
    except YAMLError as exc:
        raise YamlProblem(Problem(Mark(path, 1, 1), "YAML syntax: " + " ".join(str(exc).split()))) from None
    except RecursionError:
        raise YamlProblem(Problem(Mark(path, 1, 1), "nesting is too deep")) from None
    if root is None or (isinstance(root, Scalar) and root.is_null):
        raise YamlProblem(Problem(Mark(path, 1, 1), "the file is empty"))
    return root


def read_yaml(file: Path, shown_as: str) -> Node:
    """Read and parse *file*; problems are reported against *shown_as* (the path the editor knows)."""
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise YamlProblem(Problem(Mark(shown_as), f"cannot read the file: {exc.strerror}")) from None
    if len(data) > MAX_BYTES:
        raise YamlProblem(
            Problem(Mark(shown_as, 1, 1), f"the file is larger than {MAX_BYTES // 1024 // 1024} MiB: split it")
        )
    return parse_text(decode(data, shown_as), shown_as)


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while files are read into nodes and the model.

    Loading allocates millions of objects that stay alive and makes no garbage cycles (a node refers
    only to its children), so the collector's repeated passes over an ever larger heap find nothing:
    they took a third of the load time at 200 documents. Reference counting still frees whatever is
    let go, and the collector runs again as soon as the outermost pause ends. Also a decorator.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
