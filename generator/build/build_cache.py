"""Build stage, the batches remembered: what building a batch of bureaus made (its bureaus' pages
and downloads, its part of the site's zip, its search records and index part, its findings) kept
after a build, and taken again by the next build of the same site instead of building the batch.

A clerk's commit changes one bureau; every other batch would be built into the same bytes. A
batch's entry is kept under a key made of everything its output depends on:

* the bytes of its bureaus' files, the glossary, every form set, site.yaml and quality.yaml
  (check_cache's key of the batch, where the files are shown from and --strict, plus site.yaml,
  which the pages and the downloads name, and the review's criteria, which score a bureau's page). The glossary counts whole: a page that uses a term embeds its definition
  (render/prose.py's title and data-definition), and a term added links text in pages that never
  named it, so any change to it builds every batch again;
* the commits of data/'s history that touched its bureaus' files (their 更正记录, and the date
  their downloads carry: bureau_dates.py);
* the environment (environment()): the generator's own files, Python and every installed
  distribution's version, mkdocs.yml, the theme's custom_dir (site_overrides/), the page shells
  mkdocs made of them for this build. Not the build's SOURCE_DATE_EPOCH, which every commit
  changes: a commit to one bureau would build every batch again.

The search index's shards are kept the same way, a class of them an entry (keep_files,
recall_files), under a key of what they are joined from (spill.py): the batches' slices.

The batch's number is not in the key: a batch's records are renamed to its place when recalled, so
an entry serves whatever batch holds the same bureaus, and a bureau added or removed changes only
the batches up to the next cut chosen by a bureau's name (batches.plan).

An entry is written under a name of its own (.part) and renamed when complete; its files are hard
links to the built files (a copy where links are refused), listed with their digests and with the
inode, size and modification time each had when kept. A recalled file that still has all three is
linked as it is: a write to it since (through any of its names, the published site's included)
would have moved its modification time. Only a file whose stat differs (an entry copied, as a
shard's part is, or a file touched) is read and checked against its digest. Reading every file
made an unchanged rebuild of 2,000 documents read the whole 1.2 GB site again: 43 s of the
workers' 83 s (docs/performance.md). What the stat cannot see is a write that sets the time back
(os.utime): the cache is the build's own folder, not a boundary against its owner. An entry that
is half-written, unreadable, or whose files do not match is not used: the batch is built, and one
line says so. A cache of another environment is emptied.
Nothing outside the cache's own folder is ever removed, and only names it writes itself.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import os
import pickle
import re
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..load.loader import QUALITY_FILE, SITE_FILE
from ..source import files
from . import check_cache

FORMAT = 3  # bumped when what an entry holds changes shape
META = "meta.json"
SITE = "site"  # in a batch's folder, its bureaus' folders (batches._build_batch)
OUTCOME = "outcome.pickle"
MANIFEST = "manifest.json"
_ENTRY = re.compile(r"[0-9a-f]{32}")
_PART = re.compile(r"[0-9a-f]{32}\.[0-9]+\.part")
GENERATOR = Path(__file__).resolve().parents[1]


def folder_for(site_dir: Path) -> Path:
    """The entries of one site folder: under check_cache's root (.cache/, or $GONGKAI_CACHE),
    never inside the site, which the build replaces whole."""
    name = hashlib.blake2b(str(site_dir.resolve()).encode(), digest_size=8).hexdigest()
    return check_cache.cache_root() / "build" / name


@functools.cache
def _code_and_dependencies() -> str:
    digest = hashlib.blake2b(f"{FORMAT} {sys.version}".encode())
    for path in sorted(GENERATOR.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(GENERATOR).as_posix().encode() + b"\0" + path.read_bytes())
    versions = sorted(f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions())
    digest.update("\n".join(versions).encode())
    return digest.hexdigest()


def _tree(digest, folder: Path) -> None:
    if not folder.is_dir():
        digest.update(b"\3none")
        return
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(b"\1" + path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())


def environment(config_file: Path, custom_dir: Path | None, shells: object) -> str:
    """What every batch's output depends on besides data/: a change to any rebuilds every batch."""
    digest = hashlib.blake2b(_code_and_dependencies().encode())
    digest.update(b"\2" + config_file.read_bytes())
    _tree(digest, custom_dir) if custom_dir is not None else digest.update(b"\3none")
    digest.update(pickle.dumps(shells, protocol=4))
    return digest.hexdigest()


def batch_key(environment: str, data_dir: Path, folders: list[Path], strict: bool, touched: list = ()) -> str:
    """*touched*: the commits that touched the batch's files (history.touching), which its pages'
    更正记录 are made of: a commit that changes no byte of data/ (an amended message) changes them."""
    digest = hashlib.blake2b(environment.encode())
    digest.update(json.dumps(list(touched), ensure_ascii=False).encode())
    digest.update(check_cache.batch_key(data_dir, folders, strict).encode())
    for name in (SITE_FILE, QUALITY_FILE):  # the pages name the site; a bureau's page has its review
        path = data_dir / name
        digest.update(b"\0" + name.encode())
        if os.path.lexists(path):
            digest.update(check_cache.file_digest(path, files.real_root(data_dir)))
    return digest.hexdigest()[:32]


@dataclass(frozen=True)
class Store:
    """The entries of one site's builds, all of one environment. *recall_only*: a merge's entries,
    taken from the parts of a build split across machines (shards.py), never built nor removed."""

    folder: Path
    environment: str
    recall_only: bool = False


def open_store(site_dir: Path, environment: str) -> tuple[Store, str | None]:
    """The site's store, emptied when it is of another environment or unreadable; with the line to
    print when what was there is not used (None when it is)."""
    return open_folder(folder_for(site_dir), environment)


def open_folder(folder: Path, environment: str) -> tuple[Store, str | None]:
    """open_store's work on a store's own *folder* (a site's, or a shard's part)."""
    meta = {"format": FORMAT, "environment": environment}
    note = None
    if not (folder / META).is_file():
        note = "构建缓存：没有上次构建的缓存，全部重新生成"
    else:
        try:
            found = json.loads((folder / META).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            found = None
            note = "构建缓存：缓存已损坏（meta.json 读不出），不用，全部重新生成"
        if found is not None and found != meta:
            note = "构建缓存：缓存来自另一版本的生成器、依赖、主题或配置，不用，全部重新生成"
    if note is not None:
        _empty(folder)
    elif _remove_parts(folder):
        note = "构建缓存：有上次构建没写完的部分，不用"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f"{META}.{os.getpid()}.part"
        partial.write_text(json.dumps(meta), encoding="utf-8")
        partial.replace(folder / META)
    except OSError:  # a read-only or full disk: the build is slower, not wrong
        pass
    return Store(folder, environment), note


def _empty(folder: Path) -> None:
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        if _ENTRY.fullmatch(path.name) or _PART.fullmatch(path.name):
            shutil.rmtree(path, ignore_errors=True)
        elif path.name == META or path.name.startswith(META + "."):
            path.unlink(missing_ok=True)


def _remove_parts(folder: Path) -> bool:
    found = False
    if folder.is_dir():
        for path in folder.iterdir():
            if _PART.fullmatch(path.name):
                shutil.rmtree(path, ignore_errors=True)
                found = True
    return found


def prune(store: Store, used: set[str]) -> None:
    """Drop the entries this build did not use: they are of inputs as they no longer are."""
    if store.folder.is_dir():
        for path in store.folder.iterdir():
            if _ENTRY.fullmatch(path.name) and path.name not in used:
                shutil.rmtree(path, ignore_errors=True)


DAMAGED = "damaged"
KEPT = "kept"  # what a batch's outcome says when its entry was used (batches.Outcome.recalled)


def link_or_copy(source: Path | str, target: Path | str) -> None:
    """*target* as another name of *source*'s file; its copy where links are refused (another file
    system), which fails as the link did where the folder refuses any new file."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _place(source: Path | str, target: Path, made: set[Path]) -> None:
    """link_or_copy, with *target*'s folder made; *made*: the folders made so far, each made once (a
    batch has a thousand files in a few hundred folders)."""
    if target.parent not in made:
        target.parent.mkdir(parents=True, exist_ok=True)
        made.add(target.parent)
    link_or_copy(source, target)


def _stat(path: Path | str) -> list[int]:
    """What tells a kept file unchanged without reading it (a list: it is compared with JSON's)."""
    found = os.stat(path)
    return [found.st_ino, found.st_size, found.st_mtime_ns]


def _digest(path: Path | str) -> str:
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "blake2b").hexdigest()


def _outputs(batch_dir: Path, records: Path, name: str) -> list[tuple[str, Path]]:
    """The files a built batch left: its folder (bureaus' pages and downloads, its zip) and its
    records, each with the name it has in an entry (records without the batch's name)."""
    found = [(f"batch/{p.relative_to(batch_dir).as_posix()}", p) for p in sorted(batch_dir.rglob("*")) if p.is_file()]
    if records.is_dir():
        prefix = name + "-"
        found += [(f"records/{p.name[len(prefix) :]}", p) for p in sorted(records.glob(prefix + "*.bin"))]
    return found


def remember(store: Store, key: str, outcome, batch_dir: Path, records: Path, name: str) -> None:
    """Keep a batch's outcome and the files it built (in *batch_dir*, and its records in *records*)."""
    kept = {**outcome.__dict__, "built": None, "seconds": None, "batch": None}
    keep_files(store, key, _outputs(batch_dir, records, name), pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL))


def keep_files(store: Store, key: str, files: list[tuple[str, Path]], outcome: bytes = b"") -> None:
    """Keep *files* (each with its name in the entry) under *key*, with *outcome* (pickled)."""
    partial = store.folder / f"{key}.{os.getpid()}.part"
    try:
        shutil.rmtree(partial, ignore_errors=True)
        listed, made = [], set()
        for inside, path in files:
            kept_file = partial / "files" / inside
            _place(path, kept_file, made)
            listed.append([inside, _digest(path), *_stat(kept_file)])
        partial.mkdir(parents=True, exist_ok=True)  # a batch with errors built no file: its outcome is kept too
        (partial / MANIFEST).write_text(json.dumps(listed, ensure_ascii=False), encoding="utf-8")
        (partial / OUTCOME).write_bytes(outcome)
        partial.rename(store.folder / key)
    except OSError:  # another build kept it first, or the disk refuses: the next build builds it
        shutil.rmtree(partial, ignore_errors=True)


def kept_site(store: Store, key: str) -> Path:
    """The folder of the entry under *key* that holds its batch's site (its bureaus' folders)."""
    return store.folder / key / "files" / "batch" / SITE


def kept_records(store: Store, key: str) -> Path:
    """The folder of the entry under *key* that holds its batch's search records, without the
    batch's name (the files are {name}-{rest} in the site)."""
    return store.folder / key / "files" / "records"


def recall(store: Store, key: str, batch_dir: Path, records: Path, name: str, place: bool = True):
    """The outcome kept under *key* (a dict of its fields) with its files placed in *batch_dir* and
    *records*; None when there is none, DAMAGED when it cannot be used (nothing is left placed).
    *place*: False to leave the batch's site and records where the entry keeps them (kept_site,
    kept_records), checked like the rest: the build publishes them from there (layers.py)."""

    def target(inside: str) -> Path | None:
        kind, _, rest = inside.partition("/")
        if kind == "batch":
            return None if not place and rest.startswith(SITE + "/") else batch_dir / rest
        return records / f"{name}-{rest}" if place else None

    def kept_outcome(entry: Path) -> dict:
        kept = pickle.loads((entry / OUTCOME).read_bytes())
        if not isinstance(kept, dict):
            raise ValueError(OUTCOME)
        return kept

    found = _recalled(store, key, target, kept_outcome)
    if found is DAMAGED:
        shutil.rmtree(batch_dir, ignore_errors=True)
        for path in records.glob(f"{name}-*.bin") if records.is_dir() else ():
            path.unlink(missing_ok=True)
    return found


def recall_files(store: Store, key: str, target: Callable[[str], Path]):
    """The files kept under *key* placed where *target* says (by their names in the entry): True;
    None when there is no such entry, DAMAGED when it cannot be used (what was placed is removed)."""
    placed: list[Path] = []

    def placing(inside: str) -> Path | None:
        placed.append(target(inside))
        return placed[-1]

    found = _recalled(store, key, placing, lambda entry: True)
    if found is DAMAGED:
        for path in placed:  # removed, never written over: each is another name of a kept file
            path.unlink(missing_ok=True)
    return found


def _recalled(store: Store, key: str, target: Callable[[str], Path | None], kept: Callable[[Path], object]):
    entry = store.folder / key
    if not entry.is_dir():
        return None
    try:
        listed = json.loads((entry / MANIFEST).read_text(encoding="utf-8"))
        found = kept(entry)
        made: set[Path] = set()
        inside_entry = os.path.join(entry, "files", "")  # strings: pathlib was a third of a recall
        for inside, digest, *stat in listed:
            kept_file = inside_entry + inside
            if _stat(kept_file) != stat and _digest(kept_file) != digest:
                raise ValueError(inside)
            placed = target(inside)
            if placed is not None:  # None: left where it is kept
                _place(kept_file, placed, made)
        return found
    except Exception:  # cut short, of another version, or changed since: never trusted
        if not store.recall_only:  # a merge's part is the shard's, reported and left as it is
            shutil.rmtree(entry, ignore_errors=True)
        return DAMAGED
