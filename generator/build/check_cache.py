"""Build stage, the check remembered: what checking a batch of bureaus found, kept until one of its files changes.

A clerk corrects one figure and checks again; at province scale reading and checking every file
takes seconds of work that gives the same answer for every bureau but the one corrected. A batch's
result (its problems, findings and counts) is kept under a key made of everything it depends on:
the bytes of its bureaus' files and of the shared glossary and forms, where the files are shown
from, --strict, and the generator's own code. Anything else changed makes a new key, so a stale
result is never used; a cached result that cannot be read is simply worked out again.

Only `check` uses it: a build renders every page anyway and so reads every file.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import shutil
import sys
import time
from pathlib import Path

from ..load.loader import shown
from ..source import files
from ..source.yamlsource import MAX_BYTES

ROOT = Path(__file__).resolve().parents[2]
FORMAT = 2  # bumped when what is kept changes shape
SUFFIX = ".pickle"


def cache_root() -> Path:
    """Where results are kept: $GONGKAI_CACHE, else .cache/ in the project (ignored by git)."""
    return Path(os.environ.get("GONGKAI_CACHE") or ROOT / ".cache")


def folder_for(data_dir: Path) -> Path:
    """The results of one data folder, kept apart so that pruning one leaves the others'."""
    name = hashlib.blake2b(str(data_dir.resolve()).encode(), digest_size=8).hexdigest()
    return cache_root() / "check" / name


@functools.cache
def code_version() -> str:
    """The generator's source and the Python that runs it: a change to either may change a finding."""
    digest = hashlib.blake2b(f"{FORMAT} {sys.version}".encode())
    source = Path(__file__).resolve().parents[1]  # the whole generator package
    for path in sorted(source.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".j2"):
            digest.update(path.relative_to(source).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def file_digest(path: Path, root: str) -> bytes:
    """What the loader would make of the file: its bytes, or why it is refused (a link out of data/
    is never read, a file over the limit never read whole: files.py)."""
    try:
        return hashlib.blake2b(files.read_limited(path, root, MAX_BYTES)).digest()
    except files.Refused as exc:
        return b"refused\0" + exc.message.encode()


def _add_files(digest, folder: Path, root: str, depth: int) -> None:
    """Every entry the loader looks at in *folder*, *depth* levels down: names, kinds and contents."""
    digest.update(b"\1" + shown(folder).encode())
    usable, refused = files.entries(folder, root)
    for path, message in refused:
        digest.update(b"\2" + path.name.encode() + b"\0" + message.encode())
    for path, kind in usable:
        digest.update(b"\0" + path.name.encode() + b"\0" + kind.encode())
        if kind == files.FILE:
            digest.update(file_digest(path, root))
        elif depth > 1:
            _add_files(digest, path, root, depth - 1)


def batch_key(data_dir: Path, folders: list[Path], strict: bool) -> str:
    digest = hashlib.blake2b(f"{code_version()} strict={strict}".encode())
    root = files.real_root(data_dir)
    glossary = data_dir / "glossary.yaml"
    digest.update(file_digest(glossary, root) if os.path.lexists(glossary) else b"")
    if os.path.lexists(data_dir / "forms"):
        forms = data_dir / "forms"
        try:
            if files.kind_of(forms, root) == files.FOLDER:
                _add_files(digest, forms, root, 1)
        except files.Refused as exc:
            digest.update(b"\2forms\0" + exc.message.encode())
    for folder in folders:  # bureau.yaml, the year folders and their documents
        _add_files(digest, folder, root, 2)
    return digest.hexdigest()[:32]


def recall(folder: Path, key: str):
    try:
        with open(folder / (key + SUFFIX), "rb") as file:
            return pickle.load(file)
    except FileNotFoundError:
        return None
    except Exception:  # a result cut short or written by another version: work it out again
        return None


def remember(folder: Path, key: str, result) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f"{key}.{os.getpid()}.part"
        with open(partial, "wb") as file:
            pickle.dump(result, file, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(folder / (key + SUFFIX))
    except OSError:  # a read-only checkout or a full disk makes checking slower, not wrong
        pass


STALE_DAYS = 30


def prune(folder: Path, used: set[str]) -> None:
    """Drop the results this run did not use: they belong to files as they no longer are. The
    results of data folders not checked for STALE_DAYS go too (a test's or a moved checkout's)."""
    if not folder.is_dir():
        return
    for other in folder.parent.iterdir():
        if other != folder and other.is_dir() and time.time() - other.stat().st_mtime > STALE_DAYS * 86400:
            shutil.rmtree(other, ignore_errors=True)
    for path in folder.iterdir():
        if path.suffix == SUFFIX and path.stem not in used:
            path.unlink(missing_ok=True)
        elif path.suffix == ".part":
            path.unlink(missing_ok=True)
