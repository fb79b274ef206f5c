"""Build stage, data/'s history: the commits that touched each file of data/, read with one
`git log` per build, and a document's corrections worked out from the versions its commits
published (`git show COMMIT:path`, only for a document some commit changed after adding it).

The dates are the commits', so a build of the same commits writes the same pages. Without git, or
with data/ outside a repository, there is no history: the pages say nothing of corrections, and the
build says so in one line.
"""

from __future__ import annotations

import subprocess
import tempfile
from datetime import date
from pathlib import Path

from ..core.corrections import Commit, Correction
from ..core.model import Document
from ..export.corrections import compare
from ..load.loader import Loader

History = dict[str, list[Commit]]  # a file's path under data/ → the commits that touched it, oldest first
NO_HISTORY = "更正记录：data/ 没有 git 历史（不在 git 仓库中，或没有安装 git），文件页上不列更正记录"
_FORMAT = "%x00%H%x1f%cI%x1f%s"


def _git(data_dir: Path, *args: str) -> subprocess.CompletedProcess | None:
    try:
        done = subprocess.run(
            ["git", "-c", "core.quotePath=false", "-C", str(data_dir), *args],
            capture_output=True,
            stdin=subprocess.DEVNULL,
            timeout=600,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done if done.returncode == 0 else None


def read_history(data_dir: Path) -> History | None:
    """Every file of *data_dir* that a commit touched, with those commits; None without a history."""
    done = _git(data_dir, "log", "--relative", "--no-renames", f"--format={_FORMAT}", "--name-only", "--", ".")
    if done is None:
        return None
    history: History = {}
    for record in done.stdout.decode("utf-8", "replace").split("\0")[1:]:
        head, _, names = record.partition("\n")
        commit, date, message = head.split("\x1f", 2)
        for name in names.splitlines():
            if name.strip():
                history.setdefault(name, []).append(Commit(commit, date[:10], message))
    for commits in history.values():
        commits.reverse()
    return history


def relative(data_dir: Path, path: str) -> str | None:
    """A document's path (as the loader shows it) as the history names it: under *data_dir*."""
    try:
        return Path(path).resolve().relative_to(data_dir.resolve()).as_posix()
    except ValueError:
        return None


def touching(history: History | None, data_dir: Path, folders: list[Path]) -> list[tuple[str, str, str, str]]:
    """The (path, commit, date, message) of the commits that touched the files of *folders*: what
    their pages' 更正记录 depend on (build_cache.py keys a batch on it)."""
    if history is None:
        return []
    prefixes = tuple(f"{relative(data_dir, str(folder))}/" for folder in folders)
    return [
        (path, c.commit, c.date, c.message)
        for path in sorted(history)
        if path.startswith(prefixes)
        for c in history[path]
    ]


def corrections(
    data_dir: Path, document: Document, history: History | None, glossary, form_sets, since: date | None = None
) -> list[Correction]:
    """The versions after the first that the commits touching *document* published, each with what it
    changed of the version before; a version that no longer loads (or was removed) is passed over.
    With *since* (site.yaml's corrections_since), the commits before that day transcribed the original:
    only the last of them is a version, the one the first correction is compared with."""
    path = relative(data_dir, document.path)
    commits = (history or {}).get(path or "", [])
    if since is not None:
        day = since.isoformat()
        before = [c for c in commits if c.date < day]
        commits = before[-1:] + [c for c in commits if c.date >= day]
    if len(commits) < 2:
        return []
    out: list[Correction] = []
    previous = None
    with tempfile.TemporaryDirectory(prefix="gongkai-history-") as folder:
        for number, commit in enumerate(commits):
            version = _version(data_dir, commit.commit, path, Path(folder) / str(number), document, glossary, form_sets)
            if version is None:
                continue
            if previous is not None:
                figures, texts = compare(previous, version)
                if figures or texts:
                    out.append(Correction(commit, figures, texts))
            previous = version
    return out


def _version(data_dir: Path, commit: str, path: str, folder: Path, document: Document, glossary, form_sets):
    done = _git(data_dir, "show", f"{commit}:./{path}")
    if done is None:
        return None
    file = folder / path
    file.parent.mkdir(parents=True)
    file.write_bytes(done.stdout)
    loader = Loader(folder)
    version = loader.load_document(file, document.bureau, document.year, glossary, form_sets)
    return None if any(p.severity == "error" for p in loader.problems.items) else version
