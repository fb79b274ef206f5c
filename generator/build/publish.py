"""Build stage, publishing: which folder a site may replace, what a site says of itself, and the new
site put in place of the old one in one step.

A build replaces the whole of its site folder. So before touching anything it refuses a folder that
would take the sources with it (the data folder, or one inside it or holding it; the project's
checkout, the home directory, the folder the command runs in, `/`), and a folder that holds
something other than a site this program built (an empty one is fine), unless `--force` says to
replace it.

Every site holds MARKER, `{"documents": N, "generator": "gongkai"}`: that it is a site built here,
and how many documents it publishes. A static host may serve it; it says nothing the site does not.
A build that would publish fewer than half of them, or none, stops unless `--allow-shrink`: the
upload that follows (`rsync --delete-after`, `ossutil sync --delete`) would take every missing
document offline, and an emptied or half checked-out data/ is a mistake far more often than a
withdrawal.

A site is published in one of two ways. When the build cache gave back bureaus whose files the
site folder already holds (an incremental build over a site built here), the site folder is updated
by difference (update): each new or changed file takes its place in one rename, and only then is
what the new site no longer has removed, so that a page both sites have is never missing. A file the
site already has as the very file the new site has (the same inode: both are names of one kept
file, build_cache.py) is left alone, so the update costs what changed, where building the whole
site beside the old one and removing the old one cost what the site holds (layers.py). A build
stopped by bad data or a failed step never gets that far; a disk that fails in the middle leaves
some files new and the rest old, which the next build updates the same way.

Otherwise (a cold build, a folder replaced with --force) the new site is swapped in whole. The swap is one system call: renameat2(RENAME_EXCHANGE) exchanges the new site's folder and the old
one, so that the site folder is at every moment one complete site, a real folder (uploads and CI
artifacts copy it as it is), and the old site is left in the build's work folder, removed with it.
Where the exchange is not available (not Linux, a file system without it) the swap is two renames,
the old site first set aside in the work folder: a build killed between them leaves it there, and
the next build puts it back (recover). A build killed at any other moment leaves the site folder as
it was or as the new site, and its work folder, which the next build removes.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import shutil
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..core.problems import Mark, Problem
from ..load.loader import shown
from ..source.files import Refused, read_limited
from .build_cache import link_or_copy
from .layers import NewSite, listing
from .report import Stop, print_problems

MARKER = ".gongkai-site.json"
SET_ASIDE = "previous"  # the old site, in the work folder, while the fallback's two renames run
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
try:
    _renameat2 = ctypes.CDLL(None, use_errno=True).renameat2  # glibc 2.28+
    _renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    _renameat2.restype = ctypes.c_int
except (OSError, AttributeError, TypeError):  # another C library, another system
    _renameat2 = None

PUT_BACK = "上次生成在换上新网站的两步之间被中断，网站文件夹不在了：已放回原来的网站"
REPLACES_ALL = "生成网站会替换这个文件夹的全部内容：请换一个文件夹（如 site）"


@dataclass
class Previous:
    """What the site folder holds before the build: nothing, a site built here (with how many
    documents it publishes), or, with --force, something else."""

    exists: bool = False
    documents: int | None = None  # from the site's MARKER; None when it has none
    holds_anything: bool = False


def guarded_folders(project: Path, others: list[tuple[str, Path]]) -> list[tuple[str, Path]]:
    """The folders a site folder may neither be nor hold, besides the data folder (refusal), each
    with what to call it: the project's checkout, the home directory, the working directory, and
    *others*. (A checkout holding data/ is guarded as its data folder's container.)"""
    guarded = [(f"项目文件夹 {project}", project)]
    try:
        guarded.append((f"主目录 {Path.home()}", Path.home().resolve()))
    except (KeyError, RuntimeError):  # no home directory known: nothing to guard
        pass
    guarded.append((f"当前所在的文件夹 {Path.cwd()}", Path.cwd().resolve()))
    return guarded + [(name, folder.resolve()) for name, folder in others]


def refusal(site_dir: Path, data_dir: Path, guarded: list[tuple[str, Path]]) -> str | None:
    """Why *site_dir* (resolved) may not be replaced by a site, whatever it holds; None if it may."""
    if site_dir.parent == site_dir:
        return f"网站文件夹是根目录 {site_dir}：{REPLACES_ALL}"
    data = data_dir.resolve()
    if site_dir == data:
        return f"网站文件夹就是数据文件夹 {shown(data_dir)}：{REPLACES_ALL}"
    if site_dir.is_relative_to(data):
        return f"网站文件夹在数据文件夹 {shown(data_dir)} 里面：{REPLACES_ALL}"
    if data.is_relative_to(site_dir):
        return f"网站文件夹包含数据文件夹 {shown(data_dir)}：{REPLACES_ALL}"
    for name, folder in guarded:
        if site_dir == folder:
            return f"网站文件夹就是{name}：{REPLACES_ALL}"
        if folder.is_relative_to(site_dir):
            return f"网站文件夹包含{name}：{REPLACES_ALL}"
    return None


def documents_of(site_dir: Path) -> int | None:
    """How many documents the site in *site_dir* publishes, as its MARKER says; None without one."""
    marker = site_dir / MARKER
    try:
        if not stat.S_ISREG(os.lstat(marker).st_mode):
            return None
        said = json.loads(read_limited(marker, None, 4096))
    except (OSError, Refused, ValueError):
        return None
    documents = said.get("documents") if isinstance(said, dict) and said.get("generator") == "gongkai" else None
    return documents if type(documents) is int and documents >= 0 else None


def write_marker(site: Path, documents: int) -> None:
    text = json.dumps({"documents": documents, "generator": "gongkai"}, sort_keys=True)
    (site / MARKER).write_text(text + "\n", encoding="utf-8")


def previous_site(site_dir: Path, force: bool) -> Previous:
    """What *site_dir* holds; Stop when it is not a folder, or holds something other than a site
    built here and not *force*."""
    if not os.path.lexists(site_dir):
        return Previous()
    where = Mark(shown(site_dir))
    if not site_dir.is_dir():
        raise Stop(None, [Problem(where, "这是一个文件，不是文件夹：请换一个网站文件夹")])
    documents = documents_of(site_dir)
    holds_anything = any(site_dir.iterdir())
    if documents is None and holds_anything and not force:
        raise Stop(
            None,
            [
                Problem(
                    where,
                    f"这个文件夹已有内容，却不是以前生成的网站（其中没有 {MARKER}），生成网站会删掉其中的全部内容："
                    "请换一个文件夹（如 site），或确要替换它时加 --force",
                )
            ],
        )
    return Previous(True, documents, holds_anything)


def prepare(site_dir: Path, data_dir: Path, force: bool, guarded: list[tuple[str, Path]]) -> Previous:
    """Check that a site may be built into *site_dir* (resolved) and clear what killed builds left
    beside it (recover); return what it holds. Stop, before anything is touched, when it may not."""
    reason = refusal(site_dir, data_dir, guarded)
    if reason is not None:
        raise Stop(None, [Problem(Mark(shown(site_dir)), reason)])
    previous = previous_site(site_dir, force)
    if recover(site_dir):
        previous = previous_site(site_dir, force)
    return previous


def shrinking(previous: Previous, documents: int) -> str | None:
    """Why a new site of *documents* may not replace *previous* without --allow-shrink; None if it may."""
    if previous.documents is None:
        if previous.holds_anything and documents == 0:  # a folder replaced with --force
            return "新网站一份公开文件也没有"
        return None
    if documents == 0 < previous.documents:
        return f"新网站一份公开文件也没有（原来有 {previous.documents} 份）"
    if documents * 2 < previous.documents:
        return f"新网站只有 {documents} 份公开文件，不到原来 {previous.documents} 份的一半"
    return None


def work_prefix(site_dir: Path) -> str:
    return f".{site_dir.name}-build-"


def work_folder(site_dir: Path) -> Path:
    """A folder of this build's own beside *site_dir* (on its file system, so that the swap is a
    rename), named with the process id so that the next build knows when it was abandoned."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f"{work_prefix(site_dir)}{os.getpid()}-", dir=site_dir.parent))


def recover(site_dir: Path) -> bool:
    """Remove the work folders of builds that were killed (their process is gone), first putting back
    the site a killed swap had set aside when *site_dir* is missing. True when a site was put back,
    which is said on stderr."""
    put_back = False
    for folder in sorted(site_dir.parent.glob(work_prefix(site_dir) + "*")):
        pid = folder.name[len(work_prefix(site_dir)) :].split("-")[0]
        if not pid.isdigit() or _running(int(pid)):
            continue
        aside = folder / SET_ASIDE
        if not os.path.lexists(site_dir) and aside.is_dir():
            os.rename(aside, site_dir)
            put_back = True
            print_problems([Problem(Mark(shown(site_dir)), PUT_BACK, "notice")])
        shutil.rmtree(folder, ignore_errors=True)
    return put_back


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: not ours to judge
        return True
    return True


class ExchangeUnavailable(Exception):
    pass


def exchange(a: Path, b: Path) -> None:
    """Exchange the folders *a* and *b* in one step (renameat2 with RENAME_EXCHANGE)."""
    if _renameat2 is None:
        raise ExchangeUnavailable
    if _renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) != 0:
        code = ctypes.get_errno()
        if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):  # the file system or kernel lacks it
            raise ExchangeUnavailable
        raise OSError(code, os.strerror(code), str(b))


def swap_in(new_site: Path, site_dir: Path, aside: Path) -> None:
    """Put *new_site* in place of *site_dir*; the old site ends in *new_site*'s place (the
    exchange) or at *aside* (two renames, where there is no exchange), in the build's work folder."""
    if not os.path.lexists(site_dir):
        os.rename(new_site, site_dir)
        return
    try:
        exchange(new_site, site_dir)
    except ExchangeUnavailable:
        os.rename(site_dir, aside)
        try:
            os.rename(new_site, site_dir)
        except BaseException:
            os.rename(aside, site_dir)
            raise


def update(new: NewSite, site_dir: Path, changing: Callable[[], None] = lambda: None) -> None:
    """Make *site_dir*, a site built here, the *new* site by difference (see above); *changing*()
    is called once, before the first change (a failure before it left the site as it was)."""
    first = [changing]

    def change() -> None:
        if first:
            first.pop()()

    wanted = new.names()
    for name in sorted(set(os.listdir(site_dir)) - set(wanted)):
        change()
        _remove_path(os.path.join(site_dir, name))
    for name in wanted:
        files, folders = new.files(name)
        old_files, old_folders = listing(site_dir, name)
        for folder in sorted(folders):  # a folder before what it holds
            if folder not in old_folders:
                change()
                target = os.path.join(site_dir, folder)
                if os.path.lexists(target):  # a file, or a symlink, where the folder goes
                    os.unlink(target)
                os.mkdir(target)
        for file, (where, inside, inode) in files.items():
            was = old_files.get(file)
            if inode is None or was != inode:
                source, target = os.path.join(where, inside), os.path.join(site_dir, file)
                if was is not None and _same_bytes(source, target):
                    continue
                if file in old_folders:
                    change()
                    shutil.rmtree(target)
                _put(source, target, change)
        for file in old_files.keys() - files.keys() - folders:
            change()
            try:
                os.unlink(os.path.join(site_dir, file))
            except (FileNotFoundError, NotADirectoryError):  # gone with a folder a file took the place of
                pass
        for folder in sorted(old_folders - folders, reverse=True):  # what a folder holds before it
            if folder not in files:
                change()
                _remove_path(os.path.join(site_dir, folder))


COMPARED = 1 << 20  # files up to this size are compared before being put in place


def _same_bytes(source: str, target: str) -> bool:
    """Whether the regular file *target* holds the bytes of *source*, a file of at most COMPARED
    bytes that no build cache entry keeps (one name: written anew by this build, as the site-wide
    pages are, mostly the same). Left as they are, an upload that goes by size and time (rsync)
    sees them unchanged, and reading two small files costs less than putting one in place (a link
    and a rename: 0.46 ms a file in an unchanged rebuild of 2,000 documents, 1,664 of them). A kept
    file is put in place even when its bytes are the site's, so that the site comes to share its
    inode and the next build passes it by without reading it; a larger file (the site's zip) too."""
    try:
        found = os.stat(source)
        if found.st_nlink > 1 or found.st_size > COMPARED or os.lstat(target).st_size != found.st_size:
            return False
        with open(source, "rb") as new, open(target, "rb") as old:
            return new.read() == old.read()
    except OSError:
        return False


def _put(source: str, target: str, change: Callable[[], None] = lambda: None) -> None:
    """*target* as another name of *source*'s file (its copy where links are refused), in one
    rename; an error names *target*, not the name the file has on its way."""
    fresh = os.path.join(os.path.dirname(target), f".{os.path.basename(target)}.gongkai-new")
    try:
        if os.path.lexists(fresh):  # left by a build killed here
            os.unlink(fresh)
        link_or_copy(source, fresh)
        change()
        os.replace(fresh, target)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, target) from exc


def _remove_path(path: str) -> None:
    """Remove the file, symlink (never what it points to) or folder at *path*, if it is there."""
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    elif os.path.lexists(path):
        os.unlink(path)


def remove(folder: Path) -> str | None:
    """Remove *folder*; the first path that could not be removed, None when all was."""
    failed: list[str] = []
    shutil.rmtree(folder, onerror=lambda function, path, exc_info: failed.append(path))
    return failed[0] if failed else None
