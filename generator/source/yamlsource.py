"""Read one YAML file into a tree of nodes that remember where they came from.

The tree is built from ruamel.yaml's event stream rather than from a loader, for three reasons:
every value keeps its file:line:col so that a problem can point at it; scalars stay the text the
editor typed (the schema, not YAML 1.1 guessing, decides that ``010`` is a code and ``NO`` is
text); and hostile input (duplicate keys, aliases, tags, deep nesting) is refused with a message
instead of being expanded.
"""

from __future__ import annotations

import gc
import re
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

from ..core.problems import Mark, Problem, quoted
from ..core.text import describe_character
from .files import Refused, read_limited
from .yamlhints import look_back

MAX_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 40
NULL_WORDS = {"", "~", "null", "Null", "NULL"}


@dataclass(slots=True)
class Node:
    path: str  # the file, as the editor knows it
    start: Any  # the parser's mark of the node's first character (line and column count from 0)

    @property
    def mark(self) -> Mark:
        # Made when asked for (a problem, a value of the model): most nodes are keys and never need one.
        # Made as the tuple it is: Mark(…) goes through NamedTuple's __new__, a Python function, and
        # the model asks for a mark of every value (60,000 per 100 documents).
        start = self.start
        return _new_named_tuple(Mark, (self.path, start.line + 1, start.column + 1))


_new_named_tuple = tuple.__new__  # makes a NamedTuple (a Mark) without its Python-level __new__


@dataclass(slots=True)
class Scalar(Node):
    text: str = ""
    plain: bool = True
    # Decided once, when read: every field and cell asks whether its value was left blank.
    is_null: bool = False


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
        return "一组“键: 值”"
    if isinstance(node, Sequence):
        return "一个列表"
    assert isinstance(node, Scalar)
    return "空值" if node.is_null else quoted(node.text)


def decode(data: bytes, path: str) -> str:
    """Bytes to text, refusing the encodings Windows tools produce with a hint what to do."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise YamlProblem(Problem(Mark(path, 1, 1), "文件是 UTF-16 编码：请另存为 UTF-8 编码"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        hint = "请另存为 UTF-8 编码"
        try:
            data.decode("gb18030")
            hint = "看来是 GBK/GB18030 编码（Excel 或记事本常这样保存），请另存为 UTF-8 编码"
        except UnicodeDecodeError:
            pass
        raise YamlProblem(Problem(Mark(path, line, column), f"文件不是有效的 UTF-8 编码：{hint}")) from None
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


SYNTAX_FALLBACK = "YAML 格式错误："
TAB_INDENT = "不能用 Tab 缩进：请把行首的 Tab 换成空格"
# libyaml's problems (in English) → what a clerk should do, matched by a phrase of the message in
# this order; a problem not listed is shown as SYNTAX_FALLBACK + libyaml's words.
SYNTAX_PROBLEMS = (
    ("unknown escape character", "双引号里的 \\ 后面的字符不认识：把 \\ 写成 \\\\，或把双引号换成单引号"),
    (
        "invalid Unicode character escape code",
        "双引号里的 \\u 或 \\U 转义不是有效的字符（如 \\uD800 这样的代理项，或超出 Unicode 的范围）："
        "请删掉这个转义，或直接写出要写的字",
    ),
    ("quoted scalar", "引号没有配对：请在值的末尾补上引号（值里要用引号时，外面换用另一种引号）"),
    (
        "mapping values are not allowed",
        "这里不能有冒号：键后面写“: ”（冒号后要有空格）；值本身带冒号时，给整个值加引号；也请检查缩进",
    ),
    ("could not find expected ':'", "缺少冒号：键后面要写“: ”（冒号后要有空格）；这一行若是上一行的续写，请加缩进"),
    ("did not find expected '-' indicator", "缩进不一致：同一列表的各项（- ）要对齐，项内各个键也要对齐"),
    ("block sequence entries are not allowed", "列表项的位置不对：- 要另起一行，与同一列表的其他项对齐，- 后要有空格"),
    (
        "did not find expected key",
        "缩进不一致：同一层的键要用同样多的空格对齐（也可能是引号后面多写了字，或上面某行的引号没有配对）",
    ),
    ("did not find expected ',' or ']'", "方括号没有配对：[ 要有对应的 ]，各项之间用逗号分隔"),
    ("did not find expected ',' or '}'", "花括号没有配对：{ 要有对应的 }，各项之间用逗号分隔"),
    ("did not find expected node content", "这里缺少值：请检查 [ ] 或 { } 是否配对，两个逗号之间是否漏了值"),
    ("cannot start any token", "值不能以这个字符开头（如 @、`、%）：请给整个值加引号"),
    ("block scalar", "| 或 > 后面要直接换行：文字从下一行起，缩进后再写"),
    ("directive", "行首的 % 有特殊含义：以 % 开头的文字请加引号"),
    ("scanning an alias", "以 * 开头的值有特殊含义：请给整个值加引号"),
    ("expected <document start>", "这一行多出了内容（如多余的括号或 ...）：请删掉，或检查上一行"),
)


def explain_syntax_error(message: str, tab: bool) -> str:
    """libyaml's *message* as what to do; *tab*: a tab in the indentation, the usual cause."""
    if tab:
        return TAB_INDENT
    for phrase, explanation in SYNTAX_PROBLEMS:
        if phrase in message:
            return explanation
    return SYNTAX_FALLBACK + message


def _refuse_anchor_or_tag(event: Event, path: str) -> None:
    if event.anchor:
        raise YamlProblem(Problem(_mark(path, event), "不支持锚点（&名称）：请把值完整写出来"))
    raise YamlProblem(Problem(_mark(path, event), f"不支持 YAML 标签（{event.tag}）：请删掉它，直接写值"))


def _refuse_half_quoted(event: Event, path: str, value: str) -> None:
    """`title: 一、…说明"`: a closing quote with no opening one, which YAML keeps as text and the site
    would publish; refused where the quote is. A value ending with a quoted word (简称"三公") has
    its quotes in pairs and is kept."""
    end = event.end_mark
    where = Mark(path, end.line + 1, end.column) if end is not None else _mark(path, event)
    quote = value[-1]
    raise YamlProblem(
        Problem(
            where,
            f"值 {quoted(value[-20:])} 以引号 {quote} 结尾却不以它开头：要加引号就把整个值括起来（开头也写 {quote}），"
            "否则删掉末尾的引号",
        )
    )


# Line breaks to YAML that an editor does not show as such: a lone carriage return (CRLF is made LF
# when the file is read), NEL, and the Unicode line and paragraph separators. Left in, every line
# number after one would be one off from what the editor shows; they are refused before parsing,
# at the place the editor shows them.
_HIDDEN_LINE_BREAK = re.compile("[\r\x85\u2028\u2029]")


def _hidden_line_break(text: str, path: str) -> Problem | None:
    found = _HIDDEN_LINE_BREAK.search(text)
    if found is None:
        return None
    before = text[: found.start()]
    where = Mark(path, before.count("\n") + 1, found.start() - (before.rfind("\n") + 1) + 1)
    return Problem(
        where,
        f"这里有一个看不见的换行符 {describe_character(found.group(0))}：YAML 把它当作换行，编辑器却不，"
        "之后的行号都会错开：请删掉它",
    )


def parse_text(text: str, path: str) -> Node:
    """Build the node tree of a single-document YAML text."""
    if (line_break := _hidden_line_break(text, path)) is not None:
        raise YamlProblem(line_break)
    # Every event of every file passes through this loop (230,000 per 100 documents), so it dispatches
    # on the event's class once, scalars (most events) first, and keeps the innermost open list or
    # mapping in local variables.
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
            if kind is ScalarEvent:
                if event.anchor or event.ctag is not None:
                    _refuse_anchor_or_tag(event, path)
                value = event.value
                plain = not event.style  # a plain scalar's style is '' from libyaml, None from pure Python
                if plain and value and value[-1] in "\"'" and value[0] not in "\"'" and value.count(value[-1]) % 2:
                    _refuse_half_quoted(event, path, value)
                node = Scalar(path, event.start_mark, value, plain, plain and value in NULL_WORDS)
                if keys_seen is None:  # a list item, or the whole document
                    if items is None:
                        root = node
                    else:
                        items.append(node)
                elif key is None:  # a key of the innermost mapping
                    first = keys_seen.get(value)
                    if first is not None:
                        raise YamlProblem(
                            Problem(
                                node.mark,
                                f"键 {quoted(value)} 重复了（第 {first.mark.line} 行已写过）：删掉一个，或合并成一个",
                            )
                        )
                    if plain and value == "<<":
                        raise YamlProblem(Problem(node.mark, "不支持合并键（<<）：请把各个值完整写出来"))
                    keys_seen[value] = key = node
                else:  # the value of that key
                    items.append((key, node))
                    key = None
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                if event.anchor or event.ctag is not None:
                    _refuse_anchor_or_tag(event, path)
                if len(open_levels) >= MAX_DEPTH:
                    raise YamlProblem(Problem(_mark(path, event), f"嵌套超过 {MAX_DEPTH} 层：请检查缩进"))
                node = (Mapping if kind is MappingStartEvent else Sequence)(path, event.start_mark)
                if keys_seen is None:
                    if items is None:
                        root = node
                    else:
                        items.append(node)
                elif key is None:
                    raise YamlProblem(Problem(node.mark, "键只能是文字，不能是列表或“键: 值”：请检查缩进"))
                else:
                    items.append((key, node))
                    key = None
                open_levels.append((items, keys_seen))
                items, keys_seen = node.items, ({} if kind is MappingStartEvent else None)
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                items, keys_seen = open_levels.pop()
            elif kind is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise YamlProblem(Problem(_mark(path, event), "文件中有不止一个 YAML 文档（---）：只保留一个"))
            elif kind is AliasEvent:
                raise YamlProblem(Problem(_mark(path, event), "不支持别名（*名称）：请把值完整写出来"))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Mark(path, mark.line + 1, mark.column + 1) if mark else Mark(path, 1, 1)
        message = " ".join(" ".join(str(part).split()) for part in (exc.context, exc.problem) if part)
        tab = "'\\t'" in message or bool(mark and _indented_with_tab(text, mark.line))
        # libyaml notices a slip where the text stops making sense, often lines after it: the slip
        # itself is looked for (yamlhints.py) and named where it is
        started = exc.context_mark
        hint = None
        if mark and not tab:
            context_line, context_column = (started.line, started.column) if started else (None, None)
            hint = look_back(
                text, mark.line, str(exc.context or ""), str(exc.problem or ""), context_line, context_column
            )
        if hint is not None:
            raise YamlProblem(Problem(Mark(path, hint.line + 1, hint.column + 1), hint.says)) from None
        raise YamlProblem(Problem(where, explain_syntax_error(message, tab))) from None
    except ReaderError as exc:
        # The reader stops at the first character it refuses. Its position counts bytes of UTF-8 with
        # libyaml and characters without it, so the character is looked up instead.
        at = text.find(chr(exc.character)) if isinstance(exc.character, int) else -1
        before = text[: at if at >= 0 else exc.position]
        where = Mark(path, before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1)
        raise YamlProblem(
            Problem(
                where,
                f"这里有不允许的控制字符 U+{exc.character:04X}（看不见的字符）：请删掉它",
            )
        ) from None
    except YAMLError as exc:
        raise YamlProblem(Problem(Mark(path, 1, 1), SYNTAX_FALLBACK + " ".join(str(exc).split()))) from None
    except RecursionError:
        raise YamlProblem(Problem(Mark(path, 1, 1), "嵌套层数太多：请检查缩进")) from None
    if root is None or (isinstance(root, Scalar) and root.is_null):
        raise YamlProblem(Problem(Mark(path, 1, 1), "文件是空的：请写上内容，或删掉这个文件"))
    return root


def read_yaml(file: Path, shown_as: str, root: str | None = None) -> Node:
    """Read and parse *file*; problems are reported against *shown_as* (the path the editor knows).

    *root*: the real path of the data folder the file must be inside (files.py: a link out of it, a
    FIFO or a device is refused, and no more than MAX_BYTES is read).
    """
    try:
        data = read_limited(file, root, MAX_BYTES)
    except Refused as exc:
        raise YamlProblem(Problem(Mark(shown_as, 1, 1) if exc.too_large else Mark(shown_as), exc.message)) from None
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
