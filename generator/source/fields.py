"""Declared, typed fields that turn YAML nodes into values or precise problems.

Each field knows what it accepts and says what is wrong in the editor's terms; a record reports
unknown keys with a did-you-mean suggestion and every missing required key, then goes on, so that
one run shows every problem of a file.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..core.amounts import AmountError, parse_amount, parse_percent
from ..core.problems import Problems, quoted
from ..core.text import refused_message
from ..core.urls import WINDOWS_DEVICE_NAMES
from .yamlsource import Mapping, Node, Scalar, Sequence, describe


class Invalid(Exception):
    def __init__(self, node: Node, message: str):
        super().__init__(message)
        self.node = node
        self.message = message


@dataclass
class Context:
    problems: Problems

    def report(self, exc: Invalid) -> None:
        if exc.message:  # an empty message means the details were reported already
            self.problems.add(exc.node.mark, exc.message)


class Field:
    required = True

    def __init__(self, *, required: bool = True, default: Any = None, doc: str = ""):
        self.required = required
        self.default = default
        self.doc = doc

    def convert(self, node: Node, ctx: Context) -> Any:
        raise NotImplementedError


def scalar_text(node: Node, what: str) -> str:
    if not isinstance(node, Scalar):
        raise Invalid(node, f"这里应写{what}，却是{describe(node)}")
    if node.is_null:
        raise Invalid(node, f"这里应写{what}，却是空的")
    text = node.text
    # Most values are one printable line, which refused_message returns from at once (a value is
    # converted 10⁵ times a batch).
    if not text.isprintable() and (why := refused_message(text)) is not None:
        raise Invalid(node, why)
    return text


def label_text(key: Scalar, ctx: Context) -> str | None:
    """A mapping's key that is printed as a label (a 项目 of a 申报表's facts, a chart's part): its
    text, or None when the text rule refuses it (reported at the key)."""
    why = refused_message(key.text)
    if why is not None:
        ctx.problems.add(key.mark, why)
        return None
    return key.text


class Text(Field):
    """One line or more of text; surrounding white space is not significant."""

    def __init__(self, *, pattern: str | None = None, hint: str = "", **kw):
        super().__init__(**kw)
        self.pattern = re.compile(pattern) if pattern else None
        self.hint = hint

    def convert(self, node, ctx):
        text = scalar_text(node, "文字").strip()
        if not text:
            raise Invalid(node, "这里应写文字，却是空的")
        if self.pattern and not self.pattern.fullmatch(text):
            raise Invalid(node, f"{quoted(text)} {self.hint}")
        return text


# A folder or file named as a Windows device cannot be made there (ids become folders).
RESERVED_ID = "是 Windows 保留的设备名，不能用作文件夹名或文件名：请换一个 id"


class Slug(Text):
    def __init__(self, **kw):
        super().__init__(
            pattern=r"[a-z0-9][a-z0-9-]{0,63}",
            hint="不能用作 id：只能用小写英文字母、数字和 -（写拼音）",
            **kw,
        )

    def convert(self, node, ctx):
        text = super().convert(node, ctx)
        if text in WINDOWS_DEVICE_NAMES:
            raise Invalid(node, f"{quoted(text)} {RESERVED_ID}")
        return text


class Markdown(Field):
    def convert(self, node, ctx):
        return scalar_text(node, "文字（Markdown）").strip("\n")


# Compiled once: a code or a line number is read in every row of a table (re.fullmatch(str, …) looks
# its pattern up in re's cache each time).
_DIGITS = re.compile(r"[0-9]+")
_CODE = re.compile(r"[0-9]{1,12}")


class Integer(Field):
    def __init__(self, *, low: int, high: int, **kw):
        super().__init__(**kw)
        self.low, self.high = low, high

    def convert(self, node, ctx):
        text = scalar_text(node, "整数").strip()
        if not _DIGITS.fullmatch(text) or not self.low <= int(text) <= self.high:
            raise Invalid(node, f"这里应写 {self.low} 到 {self.high} 之间的整数，却是 {quoted(text)}")
        return int(text)


class Flag(Field):
    def convert(self, node, ctx):
        text = scalar_text(node, "true 或 false").strip()
        if text not in ("true", "false"):
            raise Invalid(node, f"这里应写 true 或 false，却是 {quoted(text)}")
        return text == "true"


class Date(Field):
    def convert(self, node, ctx):
        text = scalar_text(node, "日期（如 2021-06-01）").strip()
        if re.fullmatch(r"\d{4}-\d\d-\d\d", text):
            try:
                return datetime.date.fromisoformat(text)
            except ValueError:
                pass
        raise Invalid(node, f"这里应写日期，格式为 年-月-日（如 2021-06-01），却是 {quoted(text)}")


_URL = re.compile(r"https?://[^\s/?#]+(?:[/?#]\S*)?")
URL_HINT = "网址写完整，以 http:// 或 https:// 开头，如 https://www.example.gov.cn/xxgk/2021/123.html"


class Url(Text):
    """A web address a page links to (the official original): http or https only, so that a link
    typed into data/ can never be a script (javascript:) or a file of the reader's computer."""

    def __init__(self, **kw):
        super().__init__(pattern=_URL.pattern, hint=URL_HINT, **kw)

    def convert(self, node, ctx):
        text = scalar_text(node, "网址").strip()
        if not text:
            raise Invalid(node, "这里应写网址，却是空的")
        if re.search(r"\s", text):
            raise Invalid(node, f"{quoted(text)} 中有空格或换行：网址中间不能断开，请照浏览器地址栏复制完整的一行")
        if _URL.fullmatch(text):
            return text
        if re.match(r"https?[:：]?[/／]*[：／]", text):
            raise Invalid(node, f"{quoted(text)} 的冒号或斜杠是全角的：网址开头写半角的 ://，{URL_HINT}")
        raise Invalid(node, f"{quoted(text)} 不是 http 或 https 网址：{URL_HINT}")


class Choice(Field):
    def __init__(self, options: tuple[str, ...], **kw):
        super().__init__(**kw)
        self.options = options

    def convert(self, node, ctx):
        text = scalar_text(node, "、".join(self.options) + " 之一").strip()
        if not text:
            raise Invalid(node, f"这里应写 {'、'.join(self.options)} 之一，却是空的")
        if text not in self.options:
            raise Invalid(node, f"{quoted(text)} 不是可写的值：请写 {'、'.join(self.options)} 之一")
        return text


class Amount(Field):
    """An exact Decimal, parsed strictly; the parser's advice is the editor's message."""

    what, parse = "金额", staticmethod(parse_amount)

    def convert(self, node, ctx) -> Decimal:
        text = scalar_text(node, self.what)
        try:
            return self.parse(text)
        except AmountError as exc:
            raise Invalid(node, str(exc)) from None


class Score(Amount):
    """分值, 得分 or a tolerance: an amount that cannot be below zero."""

    def convert(self, node, ctx) -> Decimal:
        value = super().convert(node, ctx)
        if value < 0:
            raise Invalid(node, f"{quoted(node.text.strip())} 是负数：分值、得分和误差只能是零或正数")
        return value


class Percent(Amount):
    what, parse = "百分比", staticmethod(parse_percent)


class Code(Field):
    """科目编码: digits, kept as text so that leading zeros survive."""

    def convert(self, node, ctx):
        text = scalar_text(node, "科目编码（数字）").strip()
        if not _CODE.fullmatch(text):
            raise Invalid(node, f"{quoted(text)} 不是科目编码：只写数字")
        return text


class Raw(Field):
    """Passed through as a node, for parts that are checked against a form later."""

    def convert(self, node, ctx):
        return node


class Variants(Raw):
    """A node passed through like Raw (it is bound later, with its document's context) that is one
    of several records: the first whose key is present, or else the last. The choice is declared
    here once, for the loader and for the JSON Schema editors read."""

    def __init__(self, variants: list[tuple[tuple[str, ...], Record]], **kw):
        super().__init__(**kw)
        self.variants = variants

    def choose(self, node: Node) -> Record:
        return self.choose_keys([key.text for key, _ in node.items] if isinstance(node, Mapping) else [])

    def choose_keys(self, keys) -> Record:
        """The record of a mapping with these *keys*."""
        given = set(keys)
        for wanted, record in self.variants[:-1]:
            if given.intersection(wanted):
                return record
        return self.variants[-1][1]


class ListOf(Field):
    def __init__(self, item: Field, *, allow_empty: bool = True, **kw):
        super().__init__(**kw)
        self.item = item
        self.allow_empty = allow_empty

    def convert(self, node, ctx):
        if isinstance(node, Scalar) and node.is_null and self.allow_empty:
            return []
        if not isinstance(node, Sequence):
            raise Invalid(node, f"这里应写列表（每项一行，以 '- ' 开头），却是{describe(node)}")
        if not node.items and not self.allow_empty:
            raise Invalid(node, "列表是空的：至少写一项")
        out = []
        for child in node.items:
            try:
                out.append(self.item.convert(child, ctx))
            except Invalid as exc:
                ctx.report(exc)
        return out


class OneOrMore(ListOf):
    """One value, or a list of them (`scores_at: level1` or `[level1, leaf]`): a list either way."""

    def convert(self, node, ctx):
        if isinstance(node, Scalar) and not node.is_null:
            return [self.item.convert(node, ctx)]
        return super().convert(node, ctx)


class Either(Field):
    """A scalar shorthand or a full mapping, e.g. a glossary term by name or with a definition."""

    def __init__(self, scalar: Field, mapping: Field, **kw):
        super().__init__(**kw)
        self.scalar, self.mapping = scalar, mapping

    def convert(self, node, ctx):
        return (self.mapping if isinstance(node, Mapping) else self.scalar).convert(node, ctx)


class Record(Field):
    """A mapping with declared keys, built into an object by *build(mark, **values)*."""

    def __init__(self, fields: dict[str, Field], build: Callable[..., Any], what: str, partial: bool = False, **kw):
        super().__init__(**kw)
        self.fields = fields
        self.build = build
        self.what = what
        # A partial record is built even when some fields failed (they are None), so that the rest
        # of the file, its tables above all, is still checked and every problem reported in one run.
        self.partial = partial
        self._plan: tuple[dict[str, Any], list[str], dict[str, str]] | None = None

    def convert(self, node, ctx):
        if not isinstance(node, Mapping):
            raise Invalid(node, f"这里应写{self.what}（一组“键: 值”），却是{describe(node)}")
        fields = self.fields
        values: dict[str, Any] = {}
        failed = False
        for key, child in node.items:
            spec = fields.get(key.text)
            if spec is None:
                if (hidden := refused_message(key.text)) is not None:  # a key spelt right, but for it
                    ctx.problems.add(key.mark, hidden)
                    failed = True
                    continue
                close = difflib.get_close_matches(key.text, list(fields), n=1, cutoff=0.6)
                hint = f"：是不是要写 '{close[0]}'？" if close else f"：可写的键有 {'、'.join(fields)}"
                ctx.problems.add(key.mark, f"{self.what}中没有键 {quoted(key.text)}{hint}")
                failed = True
                continue
            if isinstance(child, Scalar) and child.is_null and not isinstance(spec, (Raw, ListOf)):
                if spec.required:
                    ctx.problems.add(child.mark, f"{quoted(key.text)} 必须填写，现在是空的：请在冒号后写上值")
                    failed = True
                continue
            try:
                values[key.text] = spec.convert(child, ctx)
            except Invalid as exc:
                ctx.report(exc)
                failed = True
        defaults, required, renamed = self._plan or self._make_plan()
        if len(values) < len(defaults):  # most records leave out some optional keys
            for name in required:
                if name not in values and node.get(name) is None:
                    ctx.problems.add(node.mark, f"{self.what}缺少必填的键 '{name}'：请补上")
                    failed = True
            values = {**defaults, **values}
        if failed and not self.partial:
            raise Invalid(node, "")  # already reported; the caller skips this record
        if renamed:  # a key-with-dashes is the attribute key_with_dashes
            values = {renamed.get(name, name): v for name, v in values.items()}
        return self.build(mark=node.mark, **values)

    def _make_plan(self) -> tuple[dict[str, Any], list[str], dict[str, str]]:
        """What every conversion needs of the fields: their defaults, the required names, the names
        with dashes. Worked out at the first conversion rather than in __init__, because schema.py
        completes its recursive records (a section's sections) after making them; a record converts
        13,000 mappings per 100 documents, and doing this for each was a tenth of the load stage."""
        fields = self.fields
        self._plan = (
            {name: spec.default for name, spec in fields.items()},
            [name for name, spec in fields.items() if spec.required],
            {name: name.replace("-", "_") for name in fields if "-" in name},
        )
        return self._plan


def check_record(node: Node, field: Record, ctx: Context) -> Any | None:
    try:
        return field.convert(node, ctx)
    except Invalid as exc:
        ctx.report(exc)
        return None
