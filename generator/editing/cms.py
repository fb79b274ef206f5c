"""The form-based editor (Decap CMS at site/admin/): its config.yml, made from the JSON Schema.

The schema editors read (editing/schema_json.py, itself written from the loader's declarations
in source/schema.py) is translated field by field into Decap's widgets, so the form asks for
what the loader takes: the same keys, required flags, choices, patterns and Chinese messages.
Amounts, codes and whole numbers are text boxes with the loader's pattern, never Decap's number
widget, which turns 2549.10 into 2549.1; the admin page's own YAML format (cms/admin/gongkai-yaml.js)
writes back only what was edited. Parts the loader checks against a form later (a table's
`values`, `rows`…) are edited as YAML text, and a value that is one of several shapes (a table,
an indicator or its group, a term or its definition) is a `gk-variants` widget that shows the
fields of the shape the value has (cms/admin/gongkai-cms.js).

The build writes the admin page into site/admin/ (`write_admin`): the vendored Decap bundle as it
is, this config, a Content-Security-Policy that lets the page reach its git host's API, and
form-rules.json (editing/form_rules.py), with which the page refuses to save a table's values,
rows or totals the loader would refuse.

`python -m generator cms` (the local mode) serves that page, saves through decap-server into the
work tree, and answers the page's check before publishing (LocalHandler, editing/precheck.py).
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from io import StringIO
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from ..core.model import FormSet
from ..load.loader import Loader
from . import form_rules, precheck, schema_json

ROOT = Path(__file__).resolve().parents[2]
ADMIN = ROOT / "cms" / "admin"  # the page, our scripts and the vendored Decap and yaml (copied as they are)
BACKEND_FILE = ROOT / "cms" / "backend.yml"  # which git host saves go to: the maintainers' setting
LOCAL_URL = "http://127.0.0.1:8081/api/v1"  # decap-server, for `make cms`; used only on a localhost page
DECAP_SERVER = (
    ROOT / "cms" / "node_modules" / "decap-server" / "dist" / "index.js"
)  # installed by `make cms` (npm ci --prefix cms)

FORMAT = "gongkai-yaml"  # registered by cms/admin/gongkai-cms.js
KIND_KEY = "__gongkai_kind"  # what the format says a file is, to keep bureaus and documents apart
NESTING = {"section": 4, "indicator-group": 4}  # how deep recursive records are offered as forms

# A field's label is its doc up to the first of these; the doc itself is the hint under the field.
_LABEL_END = re.compile(r"[，：；（(]")


class CmsConfigError(TypeError):
    """The JSON Schema has a construct this translation does not know: a programmer's error."""


def label_of(doc: str, key: str = "") -> str:
    doc = re.sub(r"^true：", "", doc or "")
    short = _LABEL_END.split(doc, maxsplit=1)[0].strip()
    return short or key


class FieldsWriter:
    """Decap fields from one file kind's JSON Schema."""

    def __init__(self, root: dict):
        self.definitions = root.get("definitions", {})
        self.expanding: dict[str, int] = {}
        # A record expanded again at the same nesting is the same object: config.yml names it once
        # (a YAML anchor) and refers to it after, instead of repeating it.
        self.made: dict[tuple, dict] = {}

    def record_fields(self, record: dict) -> list[dict]:
        required = set(record.get("required", []))
        return [self.field(key, value, key in required) for key, value in record["properties"].items()]

    def field(self, name: str, value: dict, required: bool) -> dict:
        doc = value.get("description", "")
        value, optional = unwrap(value)
        out = {"name": name, "label": label_of(doc or value.get("description", ""), name)}
        hint = doc or value.get("description", "")
        if hint and hint != out["label"]:
            out["hint"] = hint
        out["required"] = bool(required and not optional)
        out.update(self.widget(value))
        return out

    def widget(self, value: dict) -> dict:
        """The widget (and its options) for a value of this schema, without name and label."""
        value, _ = unwrap(value)
        if "$ref" in value:
            return self.reference(value["$ref"])
        if "if" in value:
            return self.variants(value)
        if value.get("type") == "object":
            return self.object_widget(value)
        if value.get("type") == "array":
            return self.list_widget(value)
        if "enum" in value:
            return {"widget": "select", "options": [str(option) for option in value["enum"]]}
        if "anyOf" in value:
            return self.scalar_choice(value["anyOf"])
        if value == {}:
            return yaml_text()
        kinds = set(value["type"]) if isinstance(value.get("type"), list) else {value.get("type")}
        if kinds <= set(schema_json.TEXTUAL):
            pattern = value.get("pattern")
            if pattern is None:
                return {"widget": "text"}  # Markdown: a plain text box (Decap's Markdown editor rewrites it)
            if pattern == r"\S":
                return {"widget": "string"}
            return {"widget": "string", "pattern": [pattern, value.get("patternErrorMessage", "格式不对")]}
        raise CmsConfigError(f"no Decap widget for the schema {value}: add it to cms.FieldsWriter")

    def reference(self, ref: str) -> dict:
        name = ref.rsplit("/", 1)[-1]
        depth = self.expanding.get(name, 0)
        if depth >= NESTING.get(name, 1):
            return yaml_text()  # deeper than any document goes: still editable, as YAML text
        key = (name, *((n, self.expanding.get(n, 0)) for n in sorted(self.reachable(name)) if n in NESTING))
        if key in self.made:
            return self.made[key]
        self.expanding[name] = depth + 1
        try:
            record = self.definitions[name]
            made = self.variants(record) if "if" in record else self.object_widget(record)
        finally:
            self.expanding[name] = depth
        self.made[key] = made
        return made

    def reachable(self, name: str) -> set[str]:
        """The records a record's fields lead to (itself included when it nests)."""
        found, todo = set(), [self.definitions[name]]
        while todo:
            for ref in re.findall(r"#/definitions/([a-z-]+)", repr(todo.pop())):
                if ref not in found:
                    found.add(ref)
                    todo.append(self.definitions[ref])
        return found

    def object_widget(self, record: dict) -> dict:
        return {"widget": "object", "collapsed": False, "fields": self.record_fields(record)}

    def list_widget(self, value: dict) -> dict:
        items = value["items"]
        item = self.widget(items)
        if item["widget"] == "gk-yaml":
            # Decap's list hands an item that is a mapping to its one field as the mapping's "item"
            # key (absent): the box showed nothing and "required" refused every save. Items that are
            # YAML text anyway are the list's YAML text; the box refuses fewer items than minItems.
            return {**item, "min": value["minItems"]} if value.get("minItems") else item
        out: dict = {"widget": "list"}
        singular = label_of(items.get("description") or self.resolve(items).get("description", ""))
        if singular:
            out["label_singular"] = singular
        if item["widget"] == "object":
            out["fields"] = item["fields"]
            summary = next((key for key in SUMMARY_KEYS if key in {f["name"] for f in item["fields"]}), None)
            if summary:
                out["summary"] = f"{{{{fields.{summary}}}}}"
        else:
            out["field"] = {"name": "item", "label": singular or "项", **item}
        if value.get("minItems"):
            out["min"] = value["minItems"]
        return out

    def variants(self, value: dict) -> dict:
        """A value of several shapes: the loader's choice (schema_json.SchemaWriter.variants) as a list."""
        variants = []
        while "if" in value:
            test, label = value["if"], label_of(self.resolve(value["then"]).get("description", ""))
            if test == {"type": "object"}:  # a mapping, or else a scalar shorthand
                variants.append({"label": label, "type": "object", **self.shape(value["then"])})
            else:
                keys = test.get("required") or [alt["required"][0] for alt in test["anyOf"]]
                variants.append({"label": label, "keys": keys, **self.shape(value["then"])})
            value, _ = unwrap(value["else"])
        last = self.resolve(value)
        if last.get("type") == "object" or "$ref" in value:
            variants.append({"label": label_of(last.get("description", "")), **self.shape(value)})
        else:
            variants.append(
                {"label": "文字", "type": "scalar", "field": {"name": "value", "label": "文字", **self.widget(value)}}
            )
        return {"widget": "gk-variants", "variants": variants}

    def shape(self, value: dict) -> dict:
        widget = self.widget(value)
        return {"fields": widget["fields"]} if widget["widget"] == "object" else {"field": {"name": "value", **widget}}

    def scalar_choice(self, alternatives: list[dict]) -> dict:
        """Amounts, percentages, codes, whole numbers and flags: the text form the loader reads."""
        kinds = {alt.get("type") for alt in alternatives}
        if "boolean" in kinds:
            return {"widget": "boolean", "default": False}
        texts = [alt for alt in alternatives if alt.get("type") == "string"]
        if len(texts) != 1:
            raise CmsConfigError(f"no Decap widget for the alternatives {alternatives}")
        patterns = [texts[0]["pattern"]]
        for alt in alternatives:
            if "enum" in alt:
                patterns += [f"^{re.escape(str(option))}$" for option in alt["enum"] if isinstance(option, str)]
        message = texts[0].get("patternErrorMessage", "只写数字")
        return {"widget": "string", "pattern": ["|".join(patterns), message]}

    def resolve(self, value: dict) -> dict:
        value, _ = unwrap(value)
        if "$ref" in value:
            return self.definitions[value["$ref"].rsplit("/", 1)[-1]]
        return value


SUMMARY_KEYS = ("title", "name", "label", "term", "source", "number")


def yaml_text() -> dict:
    return {"widget": "gk-yaml"}


def unwrap(value: dict) -> tuple[dict, bool]:
    """The schema of a value without the null an optional field also takes; whether it took null."""
    value = {k: v for k, v in value.items() if k != "description"} if "description" in value else value
    if value.get("if") == {"type": "null"} and "then" not in value:
        return value["else"], True
    if isinstance(value.get("type"), list) and "null" in value["type"]:
        kinds = [kind for kind in value["type"] if kind != "null"]
        return {**value, "type": kinds if len(kinds) > 1 else kinds[0]}, True
    if "enum" in value and None in value["enum"]:
        return {**value, "enum": [option for option in value["enum"] if option is not None]}, True
    if "anyOf" in value and {"type": "null"} in value["anyOf"]:
        return {**value, "anyOf": [alt for alt in value["anyOf"] if alt != {"type": "null"}]}, True
    return value, False


def collections() -> list[dict]:
    schemas = schema_json.schemas()
    bureau = schemas[schema_json.FILES["bureau"][0]]
    document = schemas[schema_json.FILES["document"][0]]
    common = {
        "folder": "data",
        "extension": "yaml",
        "format": FORMAT,
        # New bureaus and documents are made by `python -m generator new-bureau` / `new`, which lay
        # out a document's tables from its form set; a deleted file is a withdrawn disclosure.
        "create": False,
        "delete": False,
    }
    return [
        {
            "name": "bureaus",
            "label": "部门",
            "label_singular": "部门",
            "description": bureau["description"],
            **common,
            "path": "{{slug}}/bureau",
            "filter": {"field": KIND_KEY, "value": "bureau"},
            "identifier_field": "name",
            "summary": "{{name}}（{{region}}）",
            "fields": FieldsWriter(bureau).record_fields(bureau),
        },
        {
            "name": "documents",
            "label": "公开文件",
            "label_singular": "公开文件",
            "description": document["description"],
            **common,
            "path": "{{bureau}}/{{year}}/{{slug}}",
            "filter": {"field": KIND_KEY, "value": "document"},
            "identifier_field": "title",
            "summary": "{{title}}",
            "fields": FieldsWriter(document).record_fields(document),
        },
    ]


def read_backend(path: Path = BACKEND_FILE) -> dict:
    try:
        settings = YAML(typ="safe").load(path.read_text(encoding="utf-8")) if path.exists() else None
    except YAMLError as exc:
        raise SystemExit(f"{path}: YAML 写法有错：{exc}") from None
    backend = (settings or {}).get("backend")
    if not isinstance(backend, dict) or not backend.get("name"):
        raise SystemExit(f"{path}: 没有 backend:（及其 name：github、gitlab、gitea……），见 docs/form-editor.md")
    return backend


def cms_config(backend: dict, local_url: str = LOCAL_URL) -> dict:
    return {
        "backend": backend,
        # Only a page opened on localhost looks for decap-server (`make cms`); a published page does not.
        "local_backend": {"url": local_url},
        "locale": "zh_Hans",
        "site_url": "../",
        "media_folder": "cms/uploads",  # required by Decap; no form has a file field (kept out of data/)
        "editor": {"preview": False},
        "collections": collections(),
    }


def config_text(config: dict) -> str:
    yaml = YAML()
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    out = StringIO()
    out.write("# Written by the build from the data model (python -m generator cms-config): do not edit.\n")
    yaml.dump(config, out)
    return out.getvalue()


def origins(backend: dict) -> list[str]:
    """The hosts the admin page talks to for *backend*: its API and, for the login, its base URL."""
    defaults = {
        "github": ["https://api.github.com"],
        "gitlab": ["https://gitlab.com"],
        "gitea": ["https://try.gitea.io"],
        "forgejo": [],  # Decap requires its api_root
    }
    urls = [backend[key] for key in ("api_root", "base_url", "auth_endpoint") if backend.get(key)]
    if not urls:
        urls = defaults.get(backend["name"], [])
    if backend["name"] == "github" and not backend.get("api_root"):
        urls.append("https://api.github.com")
    found = []
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.netloc:
            origin = f"{parts.scheme}://{parts.netloc}"
            if origin not in found:
                found.append(origin)
    return found


def content_security_policy(backend: dict, local_url: str = LOCAL_URL) -> str:
    """What the admin page may load: everything from the site itself, nothing from a CDN.

    Decap needs 'unsafe-eval' (its config is validated with ajv, which compiles validators with
    new Function) and inline styles (emotion writes its CSS into <style> elements); it fetches
    blob: URLs of its own making, talks to the git host's API and, on localhost, to decap-server.
    """
    local = urlsplit(local_url)
    connect = " ".join(["'self'", "blob:", *origins(backend), f"{local.scheme}://{local.netloc}"])
    return (
        "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
        f"img-src 'self' data: blob:; font-src 'self' data:; connect-src {connect}; "
        "worker-src 'self' blob:; object-src 'none'; frame-src 'none'; base-uri 'self'; form-action 'self'"
    )


def write_admin(
    folder: Path, form_sets: dict[str, FormSet], backend: dict | None = None, local_url: str = LOCAL_URL
) -> None:
    """The admin page into *folder* (site/admin/): the files of cms/admin/ as they are, the config,
    the page's Content-Security-Policy for its backend and what the loader takes in a table of each
    of *form_sets* (form-rules.json: the page refuses to save what the loader would refuse)."""
    backend = backend if backend is not None else read_backend()
    # Copied as bytes with the build's own file times, as mkdocs copies the theme's files.
    shutil.copytree(ADMIN, folder, dirs_exist_ok=True, copy_function=shutil.copyfile)
    page = (ADMIN / "index.html").read_text(encoding="utf-8")
    page = page.replace("CONTENT_SECURITY_POLICY", content_security_policy(backend, local_url))
    (folder / "index.html").write_text(page, encoding="utf-8")
    (folder / "config.yml").write_text(config_text(cms_config(backend, local_url)), encoding="utf-8")
    (folder / form_rules.FILE).write_text(form_rules.rules_text(form_sets), encoding="utf-8")


# ---- the local mode: `python -m generator cms` (make cms) ----


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".yml": "text/yaml"}

    def log_message(self, *args):
        pass


IMPORT_PATH = "/admin/import"  # the local page's import (gongkai-cms.js asks for it beside itself)
IMPORT_LIMIT = 20 * 1024 * 1024  # a workbook of a few sheets; the server is the clerk's own machine


class LocalHandler(QuietHandler):
    """The local server: the page's files; at precheck.URL_PATH the check before publishing of the
    files of *data* (editing/precheck.py); at IMPORT_PATH a table pasted or chosen in a grid mapped
    onto its form by *importer* (importing/for_editor.py, handed in by the command line: the editor
    does not import the importer). A published page has neither, and then says the check is the
    build's and offers no import."""

    data: Path
    form_sets: dict[str, FormSet] = {}
    importer = None

    def do_GET(self):
        if urlsplit(self.path).path == IMPORT_PATH:
            if self.importer is None:
                return self.reply(404, {"messages": ["没有这个地址"]})
            return self.reply(200, {"import": True})
        return super().do_GET()

    def do_POST(self):
        path = urlsplit(self.path).path
        if path == IMPORT_PATH and self.importer is not None:
            return self.import_table()
        if path != precheck.URL_PATH:
            return self.reply(404, {"error": "这里只有发布前的核对（admin/check）和导入（admin/import）"})
        # Only the page's own fetch sends JSON: a form on another site cannot post here unasked.
        if self.headers.get("Content-Type", "").split(";")[0].strip() != "application/json":
            return self.reply(415, {"error": "请以 JSON 发送（Content-Type: application/json）"})
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            return self.reply(411, {"error": "没有 Content-Length"})
        if not 0 < length <= 2 * precheck.MAX_BYTES:
            return self.reply(413, {"error": "发送的内容太大，不核对"})
        try:
            posted = json.loads(self.rfile.read(length).decode("utf-8"))
            if not isinstance(posted, dict):
                raise precheck.Refused("发送的内容应是 {path, text}")
            return self.reply(200, precheck.check_posted(self.data, posted.get("path"), posted.get("text")))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return self.reply(400, {"error": "发送的内容不是 UTF-8 的 JSON"})
        except precheck.Refused as exc:
            return self.reply(400, {"error": str(exc)})
        except OSError as exc:  # the temporary copy could not be made (a full disk…)
            return self.reply(500, {"error": f"无法核对：临时文件夹读写出错（{exc.strerror}）"})
        except Exception as exc:  # a bug here: the page must hear of it and not publish, as for any refusal
            return self.reply(500, {"error": f"核对时程序出错（{type(exc).__name__}）：请告诉管理员"})

    def import_table(self):
        query = {key: values[0] for key, values in parse_qs(urlsplit(self.path).query).items()}
        length = int(self.headers.get("Content-Length") or 0)
        if length > IMPORT_LIMIT:
            return self.reply(
                413, {"messages": [f"文件太大（超过 {IMPORT_LIMIT // 1024 // 1024} MB）：只导入要用的那张表"]}
            )
        data = self.rfile.read(length)
        form_set = self.form_sets.get(query.get("form_set", ""))
        if form_set is None:
            return self.reply(
                200, {"messages": [f"没有表样集 {query.get('form_set', '')}：请运行 python -m generator check"]}
            )
        return self.reply(200, self.importer(data, query.get("name", ""), form_set, query.get("form", "")))

    def reply(self, status: int, body: dict) -> None:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)


def local_handler(data: Path, form_sets: dict[str, FormSet] | None = None, importer=None) -> type[LocalHandler]:
    """LocalHandler checking the files of *data* (the work tree's data/, or a test's copy), and
    importing with *importer* into *form_sets* when given."""
    attributes = {"data": data, "form_sets": form_sets or {}, "importer": staticmethod(importer) if importer else None}
    return type("LocalHandler", (LocalHandler,), attributes)


def start_local_backend(repo: Path, port: int) -> subprocess.Popen:
    """decap-server on 127.0.0.1:*port*, writing saves into the files of *repo* (its work tree)."""
    if not DECAP_SERVER.exists():
        raise SystemExit("decap-server 未安装：运行 make cms（它先安装 decap-server），或 npm ci --prefix cms")
    env = {
        **os.environ,
        "PORT": str(port),
        "BIND_HOST": "127.0.0.1",
        "MODE": "fs",
        "GIT_REPO_DIRECTORY": str(repo),
        "LOG_LEVEL": "warn",
    }
    process = subprocess.Popen(["node", str(DECAP_SERVER)], env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"decap-server 没有启动（退出码 {process.returncode}）：端口 {port} 是否已被占用？")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit(f"decap-server 30 秒内没有在端口 {port} 上应答")


def serve_local(port: int, proxy_port: int, importer, repo: Path = ROOT) -> int:
    """The admin page on http://127.0.0.1:*port*/admin/, saving through decap-server into *repo*, with
    the import of a pasted or chosen table by *importer* (local_handler)."""
    folder = ROOT / "build" / "cms"
    data = repo / "data"
    form_sets = Loader(data).load_form_sets(data / "forms")  # their own problems are check's to report
    write_admin(folder / "admin", form_sets, local_url=f"http://127.0.0.1:{proxy_port}/api/v1")
    backend = start_local_backend(repo, proxy_port)
    handler = functools.partial(local_handler(data, form_sets, importer), directory=str(folder))
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # stopped either way, decap-server goes too
    try:
        with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as httpd:
            print(f"表单编辑器（本地）：打开 http://127.0.0.1:{port}/admin/ ，点“登录”。")
            print(f"发布前先核对这份文件，有错误的不保存；保存直接写入 {repo / 'data'}，提交（git commit）照常。")
            print("按 Ctrl-C 结束。")
            httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        backend.terminate()
        backend.wait()
    return 0


def add_commands(sub, importer) -> None:
    """The form editor's commands; *importer* maps a table onto a form for the local page's import."""
    config = sub.add_parser("cms-config", help="写出表单编辑器的 config.yml（构建时写到 site/admin/）")
    config.add_argument("--out", help="写到这个文件（默认打印出来）")
    config.set_defaults(run=cmd_cms_config)
    local = sub.add_parser("cms", help="在本机试用表单编辑器：保存直接写入 data/（make cms 会先装好 decap-server）")
    local.add_argument("--port", type=int, default=8000, help="页面的端口（默认 8000）")
    local.add_argument("--proxy-port", type=int, default=8081, help="decap-server 的端口（默认 8081）")
    local.set_defaults(run=lambda args: serve_local(args.port, args.proxy_port, importer))


def cmd_cms_config(args) -> int:
    text = config_text(cms_config(read_backend()))
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        print(text, end="")
    return 0
