"""`python -m generator check`: every file of data/ loaded and every figure checked, nothing built.

Batches run as for a build (batches.py), but a batch whose files have not changed since the last
check is recalled instead of checked again (check_cache.py).

A clerk who corrects one bureau's file wants that file's problems, not the ~60 lines of every
other bureau: `check BUREAU` (its folder name or path) checks that bureau alone, and `check FILE`
that bureau too (a file's checks compare it with the bureau's other years) but says only the file's.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from ..core.problems import Problem
from ..core.results import ERROR, NOTICE, UNCHECKED, UNREADABLE, WARNING
from . import check_cache, processes
from .batches import check_batches
from .report import Stop, Timings, print_problems, print_stop


def scope(target: Path) -> tuple[Path, Path | None, Path | None]:
    """What `check TARGET` checks: (the data folder, the bureau's folder or None, the file or None).

    TARGET is the data folder, a bureau's folder (or its name, in ./data), or a file of a bureau
    (data/<bureau>/<year>/<file>.yaml).
    """
    if target.is_file():
        return target.parents[2], target.parents[1], target
    if (target / "bureau.yaml").is_file():
        return target.parent, target, None
    if not target.exists() and len(target.parts) == 1 and (Path("data") / target / "bureau.yaml").is_file():
        return Path("data"), Path("data") / target, None
    return target, None, None


def _in(problem: Problem, place: Path) -> bool:
    path = Path(problem.mark.path).resolve()
    return path == place or place in path.parents


def check(
    data_dir: Path,
    strict: bool = False,
    form: str = "text",
    jobs: int | None = None,
    use_cache: bool = True,
    timings: Timings | None = None,
    target: Path | None = None,
) -> int:
    """Check *data_dir*, or only *target* of it (scope()); return the exit status, 1 when it does not load or a check blocks publication.

    Every problem and finding is printed as `path:line:col: 错误：message` (警告, 提示), or as JSON
    when *form* is "json"; a check that passes ends with a summary line. *timings* is filled with
    the seconds of each stage. *use_cache*: recall the results of batches whose files have not changed.
    """
    logging.basicConfig(format="%(levelname)s: %(message)s", level=logging.WARNING)
    timings = Timings() if timings is None else timings
    bureau = file = None
    if target is not None:
        data_dir, bureau, file = scope(target)
    place = (file or bureau or data_dir).resolve()
    try:
        with processes.sigterm_as_interrupt(), timings.timed("batches"):  # load and check, in the workers
            cache = check_cache.folder_for(data_dir) if use_cache else None
            checked = check_batches(data_dir, strict, jobs, timings, cache=cache, only=bureau)
        findings = [f for f in checked.findings if file is None or _in(f, place)]
        if checked.errors:
            # each file that does not load says why; the shared forms and glossary whatever is asked
            shared = [p for p in checked.problems if not _in(p, bureau.resolve())] if bureau else []
            problems = [p for p in checked.problems if _in(p, place)] + shared
            raise Stop(None, sorted(set(problems or checked.problems)))
        counts, blocked = checked.counts, checked.blocking
        if file is not None:
            counts, blocked = checked.file_counts(place)
        if blocked:
            raise Stop(f"{blocked} 个错误", findings)
    except Stop as stop:
        print_stop(stop, "不能发布", form)
        return 1
    except KeyboardInterrupt:  # Ctrl-C, or SIGTERM: the workers are stopped (batches.run_batches)
        print("已中断：没有核对完", file=sys.stderr)
        return 1
    print_problems(findings, form)
    if form == "text":
        bureaus = checked.bureaus
        documents = 1 if file is not None else sum(len(b.documents) for b in bureaus)
        marked = counts[UNREADABLE]  # cells, not checks: said apart
        print(
            f"通过：{len(bureaus)} 个部门，{documents} 份公开文件；"
            f"核对 {sum(counts.values()) - marked} 项：{counts['ok']} 项相符，{counts[NOTICE]} 个提示，"
            f"{counts[WARNING]} 个警告，{counts[UNCHECKED]} 项无法核对，{counts[ERROR]} 个错误照原件公开"
            + (f"；{marked} 格标为原件无法辨认，不参与核对" if marked else "")
        )
    return 0
