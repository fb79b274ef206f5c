"""The form editor's check before publishing, in the local mode (`python -m generator cms`).

The page POSTs the file as it would save it (`{"path": "data/…/juesuan.yaml", "text": …}`) to
`admin/check`; it is checked in a temporary copy of data/ with that one file replaced, by
`python -m generator check FILE --format json --no-cache` itself, run in that copy: the rules, the
marks and the refusal are the build's, and nothing of the check is written a second time here.
(editing/ stands before build/ in the layers, so the command is run rather than imported; run
apart, whatever it does to its process leaves the editor's server standing.) The answer is the
results of that one file, errors first, and whether the build would refuse it.

The posted name must be a file that data/ already has, reached without a link (the editor neither
creates files nor follows links); the server reads nothing outside data/ and writes nothing but
the temporary copy, removed after each check. A refusal is one Chinese line, never a traceback.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path, PurePosixPath

from ..source import files
from ..source.yamlsource import MAX_BYTES

ROOT = Path(__file__).resolve().parents[2]
URL_PATH = "/admin/check"  # beside the page (cms/admin/gongkai-checks.js posts to `check`)
TIMEOUT = 300  # seconds: a bureau's batch is checked in a few
# Errors first, as `check` lists what blocks publication before what does not.
ORDER = {"error": 0, "warning": 1, "unchecked": 2, "notice": 3}


class Refused(ValueError):
    """Why a posted file is not checked: one line for the clerk (HTTP 400)."""


def posted_file(data: Path, name: object) -> PurePosixPath:
    """The posted *name* (`data/<bureau>/<year>/<file>.yaml` or `data/<bureau>/bureau.yaml`, as the
    editor names its entries) as a path under data/; Refused unless it is a file data/ has."""
    if not isinstance(name, str) or not name:
        raise Refused("没有说要核对哪个文件（path）")
    path = PurePosixPath(name)
    parts = path.parts[1:] if path.parts[:1] == ("data",) else ()
    if not parts or path.is_absolute() or ".." in parts or path.suffix != ".yaml" or len(parts) not in (2, 3):
        raise Refused(f"{name}：不是 data/ 里部门或公开文件的名字，不核对")
    if len(parts) == 2 and parts[1] != "bureau.yaml":
        raise Refused(f"{name}：不是 data/ 里部门或公开文件的名字，不核对")
    relative = PurePosixPath(*parts)
    root = files.real_root(data)
    try:
        kind = files.kind_of(data / relative, root)
    except files.Refused as exc:
        raise Refused(f"{name}：{exc.message}") from None
    # a link on the way, even one that stays inside data/, would lead the copy's write elsewhere
    if kind != files.FILE or os.path.realpath(data / relative) != os.path.join(root, *parts):
        raise Refused(f"{name}：不是 data/ 里的普通文件，不核对")
    return relative


def other_bureaus(data: Path, bureau: str):
    """copytree's *ignore*: the folders of data/ that are bureaus (they hold a bureau.yaml) other than
    *bureau*; everything else is copied."""

    def ignore(folder: str, names: list[str]) -> set[str]:
        if Path(folder) != data:
            return set()
        return {n for n in names if n != bureau and (data / n / "bureau.yaml").is_file()}

    return ignore


def check_posted(data: Path, name: object, text: object) -> dict:
    """The check of *text* as the file *name* of *data*: {"path", "refused", "results", "closing"}.

    *results* are those of that file (its problems and the checks' findings, errors first); when
    the build would refuse it for another file's errors (a bureau.yaml that a document's check reads),
    those errors are added, so that a refusal always shows why.
    """
    relative = posted_file(data, name)
    if not isinstance(text, str):
        raise Refused("没有收到文件的内容（text）")
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise Refused(f"文件超过 {MAX_BYTES // (1 << 20)} MB，不核对")
    with tempfile.TemporaryDirectory(prefix="gongkai-check-") as work:
        copy = Path(work) / "data"
        # Only what `check` of this bureau reads: the site's own files (forms/, glossary…) and this
        # bureau's folder, not every bureau of a province, which a clerk's every 发布 would copy.
        bureau = relative.parts[0]
        shutil.copytree(data, copy, symlinks=True, ignore=other_bureaus(data, bureau))  # a link stays a link
        target = copy / relative
        target.unlink()
        target.write_text(text, encoding="utf-8")
        # check FILE checks the file's bureau; a bureau.yaml is its bureau's folder
        scope = Path("data", *relative.parts[:-1]) if relative.name == "bureau.yaml" else Path("data", relative)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        try:
            done = subprocess.run(
                [sys.executable, "-m", "generator", "check", str(scope), "--format", "json", "--no-cache"],
                cwd=work,
                env=env,
                capture_output=True,
                text=True,
                timeout=TIMEOUT,
            )
        except subprocess.TimeoutExpired:
            raise Refused(f"核对 {TIMEOUT} 秒内没有完成：请稍后再试，仍不行请告诉管理员") from None
    try:
        rows = json.loads(done.stdout) if done.returncode in (0, 1) else None
    except json.JSONDecodeError:
        rows = None
    if not isinstance(rows, list):
        raise Refused(
            f"核对没有完成（退出码 {done.returncode}）：请告诉管理员，在命令行运行 python -m generator check {name}"
        )
    wanted = f"data/{relative}"
    results = [row for row in rows if row["path"] == wanted]
    refused = done.returncode == 1
    if refused and not any(row["severity"] == "error" for row in results):
        results += [row for row in rows if row["severity"] == "error" and row["path"] != wanted]
    results.sort(key=lambda row: (ORDER.get(row["severity"], 9), row["path"] != wanted, row["line"], row["column"]))
    closing = [line for line in done.stderr.splitlines() if line and not line.startswith(("data/", "WARNING"))]
    return {"path": wanted, "refused": refused, "results": results, "closing": closing[-1] if closing else ""}
