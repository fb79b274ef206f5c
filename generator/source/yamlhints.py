"""Where a YAML mistake really is, when the parser notices it only later.

libyaml stops where the text stops making sense, often one to three lines after the clerk's slip: a
full-width `：` after a key makes the line a plain value, and the parser complains at the next key;
an unpaired quote swallows the lines after it; a key two spaces short is read as a sibling, and the
next line is "too deep". Given the parser's complaint, `look_back` reads the lines up to it for the
usual slips of someone typing Chinese, nearest first, and says which character of which line is at
fault. It only ever names a place at or before the parser's: a guess that finds nothing leaves the
parser's mark and message as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# How far back a slip is looked for: the parser notices one within a few lines.
WINDOW = 8

# A key followed by a full-width colon, on a line with no real `: ` before it: `title： 一、…`. A
# Chinese sentence has full-width colons too (a 名词解释 item `- 术语：解释` is a good value): the
# key must be one of the format's (latin letters), or the colon followed by a space, the end of
# the line or an amount, as a row's `收入：29455.67`.
_FULL_WIDTH_COLON = re.compile(
    r"^(\s*(?:-\s+)?)(?:[A-Za-z_][A-Za-z0-9_]*\s*(：)|[^\s\"'{\[#:：][^:#]*?(：)(?=\s|$|[-+]?\d))"
)
# A full-width comma between two entries of a flow mapping: `{科目编码: 201， 科目名称: …}`.
_FULL_WIDTH_COMMA = re.compile(r"(，)\s*[^\s,，{}\[\]:\"']+:\s")
# A value opened with a full-width quote that holds what only a real quote protects (`: `, `, `, `#`).
_FULL_WIDTH_QUOTE = re.compile(r"(?:^\s*(?:-\s+)?|:\s+|[{\[,]\s*)([“‘])[^”’]*?(?::\s|,|\s#)")
# A value that opens a quote it does not close on its line: `title: "第一部分`.
_OPEN_QUOTE = re.compile(r"(?:^\s*-\s+|:\s+)([\"'])")
_BLOCK_SCALAR = re.compile(r"(?:^|:\s|-\s)\s*[|>][-+0-9]*\s*(?:#.*)?$")
_COMMENT = re.compile(r"\s+#.*$")


@dataclass(frozen=True)
class Hint:
    line: int  # from 0, as the parser counts
    column: int
    says: str


def _at(line: int, column: int) -> str:
    return f"第 {line + 1} 行第 {column + 1} 列"


def _significant(lines: list[str]) -> list[bool]:
    """Which lines are YAML structure: not blank, not a comment, not the text of a | or > block."""
    out = []
    block_indent: int | None = None
    for text in lines:
        stripped = text.lstrip(" ")
        indent = len(text) - len(stripped)
        if block_indent is not None:
            if not stripped or indent > block_indent:
                out.append(False)
                continue
            block_indent = None
        out.append(bool(stripped) and not stripped.startswith("#"))
        if out[-1] and _BLOCK_SCALAR.search(text):
            block_indent = indent
    return out


def _quote_closed(text: str, start: int) -> bool:
    quote = text[start]
    rest = text[start + 1 :]
    if quote == "'":
        return "'" in rest.replace("''", "")
    return re.search(r'(?<!\\)(?:\\\\)*"', rest) is not None


def _character_slip(text: str, number: int, flow_problem: bool) -> Hint | None:
    code = _COMMENT.sub("", text)
    found = _FULL_WIDTH_COLON.match(code)
    colon = found and (found.start(2) if found.group(2) else found.start(3))
    if found and ": " not in code[:colon]:
        column = colon
        return Hint(number, column, f"{_at(number, column)}的全角冒号“：”应为半角“:”后加空格")
    found = _FULL_WIDTH_QUOTE.search(code)
    if found:
        column = found.start(1)
        quote = found.group(1)
        return Hint(
            number,
            column,
            f'{_at(number, column)}的全角引号 {quote} 不起引号的作用：值里有冒号、逗号或 # 时，请用半角引号 " 把整个值括起来',
        )
    if flow_problem and ("{" in code or "[" in code):
        found = _FULL_WIDTH_COMMA.search(code)
        if found:
            column = found.start(1)
            return Hint(
                number, column, f"{_at(number, column)}的全角逗号“，”应为半角逗号“,”：花括号里各项之间用半角逗号分隔"
            )
    found = _OPEN_QUOTE.search(code)
    if found and not _quote_closed(code, found.start(1)):
        column = found.start(1)
        quote = found.group(1)
        return Hint(
            number,
            column,
            f"引号没有配对：{_at(number, column)}的引号“{quote}”在这一行没有结尾的引号，请在值的末尾补上 {quote}"
            "（值里要用引号时，外面换用另一种引号）",
        )
    return None


def _indentation_slip(lines: list[str], significant: list[bool], last: int) -> Hint | None:
    """The line whose indentation fits no level open above it, up to line *last*, nearest first.

    A key's level is where its text starts (`- title:` opens the level of `title`); a line may go
    deeper only after one that ends with `:` or `-`. A line as deep as the key that opened just above
    it, followed by a deeper one, is the usual slip of a key two spaces short (`table:` then `form:`
    under it at the same depth): that line is named, not the deeper one the parser trips on.
    """
    levels = [0]
    opened = False
    previous: tuple[int, int, bool] | None = None  # (line, indent, came right after an opener at its depth)
    found: Hint | None = None
    for number in range(last + 1):
        if not significant[number]:
            continue
        text = _COMMENT.sub("", lines[number]).rstrip()
        indent = len(text) - len(text.lstrip(" "))
        after_opener_same_depth = opened and indent == levels[-1]
        if opened and indent > levels[-1]:
            levels.append(indent)
        elif indent > levels[-1]:
            if previous is not None and previous[2] and previous[1] < indent:
                short = indent - previous[1]
                found = Hint(
                    previous[0],
                    previous[1],
                    f"缩进不一致：{_at(previous[0], previous[1])}的缩进少了 {short} 个空格，上一行的键下面的内容要比它多缩进",
                )
            else:
                extra = indent - levels[-1]
                found = Hint(
                    number, indent, f"缩进不一致：{_at(number, indent)}的缩进多了 {extra} 个空格，同一层的键要对齐"
                )
            levels.append(indent)
        else:
            closed = None  # the nearest level given up: the line may be short of it
            while levels[-1] > indent:
                closed = levels.pop()
            if levels[-1] != indent:
                extra = indent - levels[-1]
                short = None if closed is None else closed - indent
                says = f"多了 {extra} 个空格" if short is None or extra < short else f"少了 {short} 个空格"
                found = Hint(number, indent, f"缩进不一致：{_at(number, indent)}的缩进{says}，同一层的键要对齐")
                levels.append(indent)
        stripped = text.lstrip(" ")
        item = re.match(r"-(\s+)", stripped)
        if item and not stripped.endswith("-"):
            levels.append(indent + 1 + len(item.group(1)))  # the keys of the item start after `- `
        opened = text.endswith(":") or text.endswith("-")
        previous = (number, indent, after_opener_same_depth)
    if found is not None and found.line >= last - WINDOW:
        return found
    return None


def look_back(
    text: str, line: int, context: str, problem: str, context_line: int | None, context_column: int | None
) -> Hint | None:
    """The slip that made the parser stop at *line* (from 0) with *context* ('while parsing a flow
    mapping', 'while scanning a quoted scalar'; the context's start at *context_line*, *context_column*)
    and *problem* (libyaml's words)."""
    lines = text.split("\n")
    line = min(line, len(lines) - 1)
    if (
        "quoted scalar" in context
        and "escape" not in problem
        and context_line is not None
        and context_column is not None
    ):
        quote = lines[context_line][context_column : context_column + 1] or '"'
        return Hint(
            context_line,
            context_column,
            f"引号没有配对：{_at(context_line, context_column)}的引号“{quote}”没有结尾的引号，请在值的末尾补上 {quote}"
            "（值里要用引号时，外面换用另一种引号）",
        )
    significant = _significant(lines)
    flow_problem = "flow" in context
    for number in range(line, max(-1, line - WINDOW - 1), -1):
        if significant[number] and (hint := _character_slip(lines[number], number, flow_problem)):
            return hint
    if flow_problem and context_line is not None and context_line < line:
        bracket = lines[context_line][context_column : context_column + 1]
        closing, name = {"{": ("}", "花括号"), "[": ("]", "方括号")}.get(bracket, (None, None))
        if closing:
            return Hint(
                context_line,
                context_column,
                f"{name}没有配对：{_at(context_line, context_column)}的 {bracket} 没有对应的 {closing}，请在这一项的末尾补上 {closing}",
            )
    return _indentation_slip(lines, significant, line)
