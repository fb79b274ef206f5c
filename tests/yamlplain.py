"""A data/ file as an editor's YAML 1.2 reader sees it: plain data for validating against the JSON Schema.

yaml-language-server reads YAML 1.2 with the core schema: `2020` is a number, `"2020"` a string,
`true` a boolean, an empty value null, and no dates. The tree is read by the project's own
parser (generator.yamlsource), so the line of every value is known; numbers become Decimals, as
amounts must never pass through floating point.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from generator.source.yamlsource import Mapping, Node, Scalar, Sequence

NULL = re.compile(r"~|null|Null|NULL|")
TRUE, FALSE = re.compile(r"true|True|TRUE"), re.compile(r"false|False|FALSE")
INT = re.compile(r"[-+]?[0-9]+")
OCT, HEX = re.compile(r"0o[0-7]+"), re.compile(r"0x[0-9a-fA-F]+")
FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
INF, NAN = re.compile(r"[-+]?\.(inf|Inf|INF)"), re.compile(r"\.nan|\.NaN|\.NAN")


def scalar(node: Scalar):
    text = node.text
    if not node.plain:
        return text
    if NULL.fullmatch(text):
        return None
    if TRUE.fullmatch(text):
        return True
    if FALSE.fullmatch(text):
        return False
    if INT.fullmatch(text):
        return int(text)
    if OCT.fullmatch(text):
        return int(text[2:], 8)
    if HEX.fullmatch(text):
        return int(text[2:], 16)
    if FLOAT.fullmatch(text):
        return Decimal(text)
    if INF.fullmatch(text):
        return Decimal("-Infinity") if text.startswith("-") else Decimal("Infinity")
    if NAN.fullmatch(text):
        return Decimal("NaN")
    return text


def plain(node: Node):
    if isinstance(node, Mapping):
        return {key.text: plain(value) for key, value in node.items}
    if isinstance(node, Sequence):
        return [plain(item) for item in node.items]
    return scalar(node)


def node_at(root: Node, path) -> Node:
    """The node at a JSON path (keys and list indexes), as jsonschema reports an error's place."""
    node = root
    for step in path:
        if isinstance(node, Mapping):
            node = next(value for key, value in node.items if key.text == step)
        else:
            node = node.items[step]
    return node


def scalar_values(node: Node, key: str | None = None) -> Iterator[tuple[str | None, Scalar]]:
    """Every scalar value under *node*, with the key it stands under (None for a list item or the root)."""
    if isinstance(node, Mapping):
        for k, value in node.items:
            yield from scalar_values(value, k.text)
    elif isinstance(node, Sequence):
        for item in node.items:
            yield from scalar_values(item)
    else:
        yield key, node
