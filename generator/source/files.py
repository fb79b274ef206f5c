"""Source stage, the files of data/: which entries may be walked or read, and reading one within a limit.

data/ is written by clerks, the form editor and pull requests, and git keeps symbolic links and
named pipes as they are. Followed blindly, a bureau folder linked to another directory is published,
a bureau.yaml linked to /etc/passwd or a credentials file is read (and was printed in a message), a
document linked to /dev/zero is read until the kernel kills the process, and a FIFO is waited on
forever. So only folders and regular files whose real path is inside the data folder are walked or
read; anything else is refused at its own path, with one line saying what it is.

A file is read through a descriptor opened on its real path without following a link there, and
without waiting (a FIFO put in its place since it was looked at), checked to be a regular file
again, and read only up to the limit and one byte more: however large it says it is, or grows.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

FILE, FOLDER = "file", "folder"

LINK_OUTSIDE = "这是指向数据文件夹以外的链接，不会读取：请把链接换成文件或文件夹本身"
BROKEN_LINK = "这是失效的链接（指向的文件不存在）：请删掉它，或换成文件本身"
NOT_A_FILE = "这不是普通的文件或文件夹（是管道、设备或套接字），不会读取：请删掉它"
A_FOLDER = "这是文件夹，不是文件：请检查名字"
_CHUNK = 1 << 20


class Refused(Exception):
    """Why an entry is not walked or read: a message for the clerk, said at the entry's path."""

    def __init__(self, message: str, too_large: bool = False):
        super().__init__(message)
        self.message, self.too_large = message, too_large


def unreadable(exc: OSError) -> str:
    return f"无法读取文件（{exc.strerror}）：请检查文件是否存在、能否打开"


def real_root(folder: Path | str) -> str:
    """The real path of the data folder, which every entry read must be inside."""
    return os.path.realpath(folder)


def inside(real: str, root: str) -> bool:
    return os.path.commonpath([real, root]) == root


def kind_of(path: Path, root: str | None) -> str:
    """FILE or FOLDER for an entry that may be read or walked; Refused for anything else.

    *root*: the real path of the data folder (real_root), or None for a file named on the command
    line, which may be anywhere but must still be a regular file.
    """
    try:
        is_link = stat.S_ISLNK(os.lstat(path).st_mode)
    except OSError as exc:
        raise Refused(unreadable(exc)) from None
    real = os.path.realpath(path)
    if root is not None and not inside(real, root):
        raise Refused(LINK_OUTSIDE)  # the entry, or a folder above it, leads out of data/
    try:
        mode = os.stat(real).st_mode
    except OSError as exc:
        raise Refused(BROKEN_LINK if is_link else unreadable(exc)) from None
    if stat.S_ISDIR(mode):
        return FOLDER
    if stat.S_ISREG(mode):
        return FILE
    raise Refused(NOT_A_FILE)


def entries(folder: Path, root: str) -> tuple[list[tuple[Path, str]], list[tuple[Path, str]]]:
    """The entries of *folder*, sorted: those that may be read or walked, with their kind (FILE,
    FOLDER), and those refused, with why. Nothing is followed out of *root*."""
    usable, refused = [], []
    for entry in sorted(folder.iterdir()):
        try:
            usable.append((entry, kind_of(entry, root)))
        except Refused as exc:
            refused.append((entry, exc.message))
    return usable, refused


def read_limited(path: Path, root: str | None, limit: int) -> bytes:
    """The bytes of the regular file *path* (inside *root*, see kind_of), at most *limit* of them:
    Refused when it is not such a file, or holds more (Refused.too_large)."""
    if kind_of(path, root) == FOLDER:
        raise Refused(A_FOLDER)
    try:
        descriptor = os.open(
            os.path.realpath(path), os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
        )
    except OSError as exc:
        raise Refused(unreadable(exc)) from None
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):  # replaced since kind_of looked
            raise Refused(NOT_A_FILE)
        chunks, size = [], 0
        while size <= limit:  # never trusting the size fstat gives: the file may grow meanwhile
            chunk = os.read(descriptor, min(_CHUNK, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise Refused(unreadable(exc)) from None
    finally:
        os.close(descriptor)
    if size > limit:
        raise Refused(f"文件超过 {limit // 1024 // 1024} MiB：请拆成几个文件", too_large=True)
    return b"".join(chunks)
