"""Build stage, what the commands say: problem lines, their JSON form, the closing line, the seconds
each stage took, and Stop, the one exception that ends a check or a build.

Every step that finds something wrong raises Stop carrying what to print; `check` and `build` catch
it in one place each, print it and exit 1, so that each failure reads alike wherever it came from:

    data/…/juesuan.yaml:16:34: 错误：…        (one line a problem, `path:line:col: 严重程度：message`)
    1 个错误：没有发布，原来的 site/ 未改动     (the closing line: why, then what became of the site)
"""

from __future__ import annotations

import errno
import json
import sys
import time
from collections.abc import Iterable
from contextlib import contextmanager

from ..core.problems import Mark, Problem

SEVERITY_WORDS = {
    "error": "错误",
    "warning": "警告",
    "notice": "提示",
    "unchecked": "未核对",
}  # as the clerk reads them; json keeps the codes


# What a failed file operation means, said in Chinese (the system's words are English).
ERRNO_WORDS = {
    errno.ENOSPC: "磁盘已满",
    errno.EDQUOT: "超出了磁盘配额",
    errno.EROFS: "文件系统是只读的",
    errno.EACCES: "没有权限",
    errno.EPERM: "不允许这样做（没有权限，或文件、文件夹被设为不可更改）",
    errno.EBUSY: "文件夹正被占用（如是挂载点）",
    errno.EXDEV: "不在同一个文件系统上",
    errno.ENOENT: "文件或文件夹不见了",
    errno.EIO: "读写出错（磁盘故障？）",
    errno.EMFILE: "同时打开的文件太多",
    errno.ENAMETOOLONG: "路径太长",
}


class Stop(Exception):
    """What stops a check or a build, and what to say about it.

    *problems*: the lines to print first (problems in data/, or the findings of the checks).
    *reason*: the closing line's start, completed by the command with what became of the site: a
    count ("2 个错误") is followed by "：", a failure labelled with its origin ("主题：…") by "；".
    None when the problems say it all (a check whose files do not load).
    """

    def __init__(self, reason: str | None, problems: Iterable[Problem] = (), labelled: bool = False):
        problems = list(problems)
        super().__init__(reason, problems, labelled)
        self.reason, self.problems, self.labelled = reason, problems, labelled

    @classmethod
    def at(cls, origin: str, message: str) -> Stop:
        """A failure that is not a problem in data/, labelled with where it comes from (主题, mkdocs.yml, mkdocs)."""
        return cls(f"{origin}：{message}", labelled=True)

    @classmethod
    def file_system(cls, exc: OSError, where: str) -> Stop:
        """A file operation that failed (a full disk, a read-only or unchangeable folder), labelled
        with its file when the system names one, else with *where* it was working."""
        words = ERRNO_WORDS.get(exc.errno) or f"系统错误 {errno.errorcode.get(exc.errno, exc.errno)}"
        return cls.at(str(exc.filename) if exc.filename else where, f"无法读写：{words}")

    def __str__(self) -> str:
        return self.reason or "\n".join(map(str, self.problems))

    def closing(self, outcome: str) -> str | None:
        if self.reason is None:
            return None
        return f"{self.reason}{'；' if self.labelled else '：'}{outcome}"


def placed(mark: Mark) -> Mark:
    """*mark*, or the first line and column of its file when the problem is with the file or folder
    as a whole (a stray file, a name that cannot be a URL): every line printed is `path:line:col`,
    which editors and CI's problem matchers take as a place to go to."""
    return mark if mark.line else Mark(mark.path, 1, 1)


def print_problems(problems: Iterable[Problem], form: str = "text") -> None:
    """One line each on stderr, `path:line:col: 错误：message`; or, for CI, a JSON list on stdout."""
    if form == "json":
        rows = [
            {
                "path": p.mark.path,
                "line": placed(p.mark).line,
                "column": placed(p.mark).column,
                "severity": p.severity,
                "message": p.message,
            }
            for p in problems
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    for problem in problems:
        print(
            f"{placed(problem.mark)}: {SEVERITY_WORDS.get(problem.severity, problem.severity)}：{problem.message}",
            file=sys.stderr,
        )


def print_stop(stop: Stop, outcome: str, form: str = "text") -> None:
    print_problems(stop.problems, form)
    if (line := stop.closing(outcome)) is not None:
        print(line, file=sys.stderr)


class Timings(dict):
    """Seconds spent in each stage of one check or build (`--timings FILE`, read by bench). The
    stages run in the workers are summed over the workers, "load (workers)" and so on, so they can
    add up to more than the wall time."""

    def add(self, stage: str, seconds: float) -> None:
        self[stage] = self.get(stage, 0.0) + seconds

    @contextmanager
    def timed(self, stage: str):
        start = time.perf_counter()
        try:
            yield
        finally:
            self.add(stage, time.perf_counter() - start)
