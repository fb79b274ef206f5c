"""Build stage, the new site before it is published: the build's own folder (work/site) over the
folders of the bureaus whose batch the build cache gave back (build_cache.py), which stay where the
cache keeps them until the site is published.

Placing a recalled bureau's files in the new site, and removing the old site's, is work that grows
with the site and not with the change: in an unchanged rebuild of 2,000 documents, 91,753 links
made in some 20,000 new folders (3.7 s) and the old site removed (4.9 s) of its 14.9 s
(docs/performance.md). So a recalled bureau's folder is looked up where it is kept (path), and
publishing (publish.update) leaves every file the site already has as that very file (the same
inode) where it is. Where the site is swapped whole instead, its kept folders are linked into
work/site first (materialize).

A batch's search records are laid the same way: kept without the batch's name, which is its place
in the plan and can change from one build to the next, they are a folder laid under the site's
records folder with the name as a prefix (named).

The build's own folder comes first: a page written there over a kept one (a document's link to its
city's comparison, region_links.py) is the page.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .build_cache import link_or_copy

# site-relative file → its inode, None for what is not a regular file (a symlink, a device)
Files = dict[str, int | None]
# a file of the new site → (a folder, the file's path under it: where it is) and its inode; joined
# only for the files an update puts in place, which an unchanged rebuild has few of
Sources = dict[str, tuple[str, str, int | None]]


@dataclass
class NewSite:
    """*root*: the build's own files; *kept*: a top-level folder of the site (a recalled bureau's
    slug) → the folder that holds it, under the build cache; *named*: (a folder of the site, a
    prefix, a folder under the build cache whose file F is the site's folder/prefixF);
    *documents*: how many it publishes."""

    root: Path
    kept: dict[str, Path] = field(default_factory=dict)
    named: list[tuple[str, str, Path]] = field(default_factory=list)
    documents: int = 0

    def path(self, file: str) -> str:
        """Where the site's *file* (site-relative, '/'-separated) is: the build's own, else a kept
        folder's (the build's own path when none has it)."""
        own = os.path.join(self.root, file)
        if os.path.lexists(own):
            return own
        base = self.kept.get(file.partition("/")[0])
        if base is not None:
            return os.path.join(base, file)
        folder, _, name = file.rpartition("/")
        for site_folder, prefix, source in self.named:
            if folder == site_folder and name.startswith(prefix):
                return os.path.join(source, name[len(prefix) :])
        return own

    def names(self) -> list[str]:
        """The site's top-level files and folders."""
        named = {folder.partition("/")[0] for folder, _, _ in self.named}
        return sorted(set(os.listdir(self.root)) | set(self.kept) | named)

    def files(self, name: str) -> tuple[Sources, set[str]]:
        """The files under the top-level *name*, each with where it is and its inode (the build's own
        over the kept ones); and its folders, *name*'s own included when it is one."""
        placed: Sources = {}
        folders: set[str] = set()
        base = self.kept.get(name)
        if base is not None:
            found, folders = listing(base, name)
            where = str(base)
            placed.update((file, (where, file, inode)) for file, inode in found.items())
        for site_folder, prefix, source in self.named:
            if site_folder.partition("/")[0] == name:
                found, dirs = listing(source.parent, source.name)
                cut, where = len(source.name) + 1, str(source.parent)
                for file, inode in found.items():
                    placed[f"{site_folder}/{prefix}{file[cut:]}"] = (where, file, inode)
                folders |= {f"{site_folder}/{prefix}{folder[cut:]}" for folder in dirs if folder != source.name}
                parts = site_folder.split("/")
                folders |= {"/".join(parts[: n + 1]) for n in range(len(parts))}
        found, dirs = listing(self.root, name)
        where = str(self.root)
        placed.update((file, (where, file, inode)) for file, inode in found.items())
        return placed, folders | dirs

    def pages(self, name: str = "index.html") -> Iterator[str]:
        """The site-relative path of every file called *name*, each once."""
        seen: set[str] = set()
        for base in [self.root, *sorted(set(self.kept.values()))]:
            for found in Path(base).rglob(name):
                file = found.relative_to(base).as_posix()
                if file not in seen and (base == self.root or file.partition("/")[0] in self.kept):
                    seen.add(file)
                    yield file

    def materialize(self) -> None:
        """Link every kept file into root (a copy where links are refused), leaving what root has."""
        for name in self.names():
            files, folders = self.files(name)
            for folder in sorted(folders):
                os.makedirs(os.path.join(self.root, folder), exist_ok=True)
            for file, (where, inside, _) in files.items():
                target = os.path.join(self.root, file)
                if not os.path.lexists(target):
                    link_or_copy(os.path.join(where, inside), target)
        self.kept, self.named = {}, []


def listing(base: Path | str, name: str) -> tuple[Files, set[str]]:
    """The files under *base*/*name* (or that one file), site-relative (*name*/…), with their
    inodes, and the folders; symlinks are listed as files and never followed. Nothing when it is not
    there."""
    files: Files = {}
    folders: set[str] = set()
    try:
        found = os.lstat(os.path.join(base, name))
    except FileNotFoundError:
        return files, folders
    if not stat.S_ISDIR(found.st_mode):
        files[name] = found.st_ino if stat.S_ISREG(found.st_mode) else None
        return files, folders
    pending = [name]
    while pending:
        folder = pending.pop()
        folders.add(folder)
        with os.scandir(os.path.join(base, folder)) as entries:
            for entry in entries:
                inside = f"{folder}/{entry.name}"
                if entry.is_dir(follow_symlinks=False):
                    pending.append(inside)
                else:
                    files[inside] = entry.inode() if entry.is_file(follow_symlinks=False) else None
    return files, folders
