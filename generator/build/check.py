"""`python -m generator check`: every file of data/ loaded and every figure checked, nothing built.

Batches run as for a build (batches.py), but a batch whose files have not changed since the last
check is recalled instead of checked again (check_cache.py).
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from ..core.results import ERROR, NOTICE, UNREADABLE, WARNING
from . import check_cache, processes
from .batches import check_batches
from .report import Stop, Timings, print_problems, print_stop


def check(
    data_dir: Path,
    strict: bool = False,
    form: str = "text",
    jobs: int | None = None,
    use_cache: bool = True,
    timings: Timings | None = None,
) -> int:
    """Check *data_dir*; return the exit status, 1 when it does not load or a check blocks publication.

    Every problem and finding is printed as `path:line:col: 错误：message` (警告, 提示), or as JSON
    when *form* is "json"; a check that passes ends with a summary line. *timings* is filled with
    the seconds of each stage. *use_cache*: recall the results of batches whose files have not changed.
    """
    logging.basicConfig(format="%(levelname)s: %(message)s", level=logging.WARNING)
    timings = Timings() if timings is None else timings
    try:
        with processes.sigterm_as_interrupt(), timings.timed("batches"):  # load and check, in the workers
            cache = check_cache.folder_for(data_dir) if use_cache else None
            checked = check_batches(data_dir, strict, jobs, timings, cache=cache)
        if checked.errors:
            raise Stop(None, sorted(set(checked.problems)))  # each file that does not load says why
        if checked.blocking:
            raise Stop(f"{checked.blocking} 个错误", checked.findings)
    except Stop as stop:
        print_stop(stop, "不能发布", form)
        return 1
    except KeyboardInterrupt:  # Ctrl-C, or SIGTERM: the workers are stopped (batches.run_batches)
        print("已中断：没有核对完", file=sys.stderr)
        return 1
    print_problems(checked.findings, form)
    if form == "text":
        bureaus = checked.bureaus
        counts = checked.counts
        marked = counts[UNREADABLE]  # cells, not checks: said apart
        print(
            f"通过：{len(bureaus)} 个部门，{sum(len(b.documents) for b in bureaus)} 份公开文件；"
            f"核对 {sum(counts.values()) - marked} 项：{counts['ok']} 项相符，{counts[NOTICE]} 个提示，"
            f"{counts[WARNING]} 个警告，{counts[ERROR]} 个错误照原件公开"
            + (f"；{marked} 格标为原件无法辨认，不参与核对" if marked else "")
        )
    return 0
