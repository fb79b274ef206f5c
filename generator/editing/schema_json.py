"""JSON Schema for editors, written from the loader's own declarations (source/schema.py).

Editors (VS Code with the YAML extension, and others using yaml-language-server) read the schema
named on a file's first line, `# yaml-language-server: $schema=…`, to complete keys and flag
mistakes while the clerk types. The schema is derived from the same typed fields the loader
converts with, so the two cannot disagree on which keys exist, which are required and what they
hold; `python -m generator schema` writes the files into schemas/, and a test checks that the
committed files are what it writes.

An editor reads YAML 1.2 (`2020` is a number, `"2020"` a string) while the loader reads every
value as the text that was typed; a field that takes text therefore also takes numbers and
true/false here, as the loader does. What only the loader can know (a form's row keys, sums,
the year matching the folder) is left to `python -m generator check`.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..core.amounts import PLAIN_AMOUNT
from ..source import schema
from ..source.fields import (
    URL_HINT,
    Amount,
    Choice,
    Code,
    Date,
    Either,
    Field,
    Flag,
    Integer,
    ListOf,
    Markdown,
    OneOrMore,
    Percent,
    Raw,
    Record,
    Slug,
    Text,
    Url,
    Variants,
)

DRAFT = "http://json-schema.org/draft-07/schema#"
TEXTUAL = ["string", "number", "boolean"]  # what the loader reads as text: any scalar but null

# The kinds of file in data/: their schema file, their record and where they sit under data/.
FILES = {
    "bureau": ("bureau.schema.json", schema.BUREAU_FILE),
    "document": ("document.schema.json", schema.DOCUMENT_FILE),
    "form-set": ("form-set.schema.json", schema.FORM_SET_FILE),
    "glossary": ("glossary.schema.json", schema.GLOSSARY_FILE),
    "site": ("site.schema.json", schema.SITE_FILE),
    "quality": ("quality.schema.json", schema.QUALITY_FILE),
}
# The folders between each kind of file and the repo.
DEPTH = {"glossary": 1, "site": 1, "quality": 1, "bureau": 2, "form-set": 2, "document": 3}
MODELINE = "# yaml-language-server: $schema="

AMOUNT_HINT = "金额写成普通小数，最多两位小数，如 2549.18：不用千分位逗号、全角数字或单位"
SLUG_HINT = "用小写英文字母、数字和 -（拼音），如 changsha-wangcheng-ybj"


def kind_of(path: Path) -> str | None:
    """Which kind of data/ file *path* is, by where it sits: glossary.yaml, site.yaml, forms/X.yaml,
    <bureau>/bureau.yaml, <bureau>/<year>/X.yaml."""
    if path.suffix not in (".yaml", ".yml"):
        return None
    if path.name == "glossary.yaml":
        return "glossary"
    if path.parent.name == "forms":
        return "form-set"
    if path.name == "bureau.yaml":
        return "bureau"
    if path.parent.name.isdigit() and len(path.parent.name) == 4:
        return "document"
    if path.name == "site.yaml":
        return "site"
    if path.name == "quality.yaml":
        return "quality"
    return None


def modeline(kind: str) -> str:
    """The first line of a file of *kind*: its schema, relative to the file (schemas/ sits beside data/)."""
    return f"{MODELINE}{'../' * DEPTH[kind]}schemas/{FILES[kind][0]}"


class SchemaWriter:
    """Turns declared fields into JSON Schema; every named record of schema.py becomes a definition."""

    def __init__(self) -> None:
        self.names = {id(v): k.lower().replace("_", "-") for k, v in vars(schema).items() if isinstance(v, Record)}
        self.definitions: dict[str, dict] = {}

    def document(self, title: str, root: Record) -> dict:
        out = {"$schema": DRAFT, "title": title, **self.record(root)}
        if self.definitions:
            out["definitions"] = dict(sorted(self.definitions.items()))
        return out

    def ref(self, record: Record) -> dict:
        name = self.names.get(id(record))
        if name is None:
            return self.record(record)
        if name not in self.definitions:
            self.definitions[name] = {}  # placeholder: a record may contain itself
            self.definitions[name] = self.record(record)
        return {"$ref": f"#/definitions/{name}"}

    def record(self, record: Record) -> dict:
        properties = {}
        for key, spec in record.fields.items():
            value = self.field(spec)
            # Only a required key refuses an empty value; lists and pass-through parts take it too.
            if not spec.required or (isinstance(spec, ListOf) and spec.allow_empty):
                value = nullable(value)
            properties[key] = described(value, spec)
        out = {"type": "object", "description": record.doc, "properties": properties}
        required = [key for key, spec in record.fields.items() if spec.required]
        if required:
            out["required"] = required
        out["additionalProperties"] = False
        return out

    def field(self, spec: Field) -> dict:
        """The schema of one field's value (null is added by the record where the loader takes it)."""
        if isinstance(spec, Record):
            return self.ref(spec)
        if isinstance(spec, Variants):
            return self.variants(spec)
        if isinstance(spec, Raw):
            return {}
        if isinstance(spec, OneOrMore):  # a value alone, or a list of them
            item = described(self.field(spec.item), spec.item)
            return {"anyOf": [item, {"type": "array", "items": item, "minItems": 1}]}
        if isinstance(spec, ListOf):
            out = {"type": "array", "items": described(self.field(spec.item), spec.item)}
            if not spec.allow_empty:
                out["minItems"] = 1
            return out
        if isinstance(spec, Either):
            return {"if": {"type": "object"}, "then": self.field(spec.mapping), "else": self.field(spec.scalar)}
        if isinstance(spec, Choice):
            return {"enum": list(spec.options)}
        if isinstance(spec, Text):
            if spec.pattern is None:
                return {"type": TEXTUAL, "pattern": r"\S"}
            hint = SLUG_HINT if isinstance(spec, Slug) else URL_HINT if isinstance(spec, Url) else spec.doc
            return {"type": TEXTUAL, "pattern": f"^(?:{spec.pattern.pattern})$", "patternErrorMessage": hint}
        if isinstance(spec, Markdown):
            return {"type": TEXTUAL}
        if isinstance(spec, Integer):
            return {
                "anyOf": [
                    {"type": "integer", "minimum": spec.low, "maximum": spec.high},
                    {"type": "string", "pattern": "^[0-9]+$"},
                ]
            }
        if isinstance(spec, Flag):
            return {"anyOf": [{"type": "boolean"}, {"enum": ["true", "false"]}]}
        if isinstance(spec, Date):
            return {"type": "string", "pattern": r"^\d{4}-\d\d-\d\d$", "patternErrorMessage": "日期写成 YYYY-MM-DD"}
        if isinstance(spec, Percent):
            return {
                "anyOf": [
                    {"enum": [0, "0"]},
                    {
                        "type": "string",
                        "pattern": r"^\s*-?(0|[1-9][0-9]*)(\.[0-9]{1,4})?\s*[%％]\s*$",
                        "patternErrorMessage": "照印写百分数，带 %，如 98.50%",
                    },
                ]
            }
        if isinstance(spec, Amount):
            return {
                "anyOf": [
                    {"type": "number"},
                    {"type": "string", "pattern": f"^{PLAIN_AMOUNT.pattern}$", "patternErrorMessage": AMOUNT_HINT},
                ]
            }
        if isinstance(spec, Code):
            return {"anyOf": [{"type": "integer", "minimum": 0}, {"type": "string", "pattern": "^[0-9]{1,12}$"}]}
        if isinstance(spec, schema.GridCellField):
            return {"if": {"type": "object"}, "then": self.ref(spec.MAPPING), "else": {"type": [*TEXTUAL, "null"]}}
        if isinstance(spec, schema.IndicatorNode):
            return {
                "if": {"type": "object", "required": ["items"]},
                "then": self.ref(schema.INDICATOR_GROUP),
                "else": self.ref(schema.INDICATOR),
            }
        raise TypeError(f"no JSON Schema for the field {type(spec).__name__}: add it to schema_json.SchemaWriter")

    def variants(self, spec: Variants) -> dict:
        """The loader's choice of record (the first whose key is present) as nested if/then/else."""
        *chosen, (_, last) = spec.variants
        out = self.field(last)
        for keys, record in reversed(chosen):
            present = {"anyOf": [{"required": [key]} for key in keys]} if len(keys) > 1 else {"required": list(keys)}
            out = {"if": {"type": "object", **present}, "then": self.field(record), "else": out}
        return out


def nullable(value: dict) -> dict:
    """*value* or nothing (a key written with no value), as the loader takes an optional field."""
    if not value:
        return value
    if "type" in value and not {"anyOf", "if", "$ref", "enum"} & set(value):
        kinds = value["type"] if isinstance(value["type"], list) else [value["type"]]
        return {**value, "type": [*kinds, "null"]}
    if set(value) == {"enum"}:
        return {"enum": [*value["enum"], None]}
    if set(value) == {"anyOf"}:
        return {"anyOf": [*value["anyOf"], {"type": "null"}]}
    # Records and choices of records: an 'anyOf' with null would hide their own errors (an editor
    # would flag the whole table instead of the key that is wrong), so null is tested first.
    return {"if": {"type": "null"}, "else": value}


def described(value: dict, spec: Field) -> dict:
    if not spec.doc or value.get("description") == spec.doc:
        return value
    return {"description": spec.doc, **value}


def schemas() -> dict[str, dict]:
    """Each kind of file's JSON Schema, by file name."""
    titles = {
        "bureau": "部门文件 bureau.yaml",
        "document": "公开文件（预算、决算、绩效）",
        "form-set": "表样文件 data/forms/*.yaml",
        "glossary": "名词解释 data/glossary.yaml",
        "site": "网站信息 data/site.yaml",
        "quality": "公开质量标准 data/quality.yaml",
    }
    return {name: SchemaWriter().document(titles[kind], record) for kind, (name, record) in FILES.items()}


def schema_text(value: dict) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def write_schemas(folder: Path, check: bool = False) -> list[Path]:
    """Write the schemas into *folder*; with *check*, write nothing and return the files that differ."""
    changed = []
    for name, value in schemas().items():
        path = folder / name
        text = schema_text(value)
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        changed.append(path)
        if not check:
            folder.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    return changed
