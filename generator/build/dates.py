"""Build stage, the date a bureau's downloads carry: the time of the latest commit that touched a
file of its folder in data/, read from data/'s git history once per build (one `git log` over
data/, not one per file).

A citizen sees this date in a zip's listing (the site's zip of every download) and in a
workbook's properties (创建时间, 修改时间): "when these figures last changed" is what it can truthfully
say. The build's own date (SOURCE_DATE_EPOCH, the last commit's) would only say the site was
built, and it changes with every commit: every bureau's downloads would change with one clerk's
edit, and so would every batch's key (build_cache.py). With this date a commit to one bureau
changes that bureau's bytes alone, and the same commit still builds the same bytes.

The shared inputs (form sets, site.yaml, the glossary) do not date a bureau: a correction to a
form's title is not a change of any bureau's figures, and dating every bureau by it would say so.
What they change in the downloads is still rebuilt, since their bytes are in every batch's key.

Without a history (no git, data/ outside a repository, a folder never committed) a bureau is
dated FIXED_EPOCH. A shallow clone (a CI checkout of depth 1) sees every file in its one commit:
its downloads carry that commit's time, the same bytes on every run of that clone, not those of a
full clone; the CI workflows fetch the whole history.
"""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

FIXED_EPOCH = 315532800  # 1980-01-01 00:00 UTC, the earliest time a zip holds
_COMMIT = "\0"  # starts the line of a commit's time, which no path does


def commit_times(data_dir: Path) -> dict[str, int]:
    """Each name directly under *data_dir* (a bureau's folder, forms, site.yaml) → the time of the
    latest commit that touched a file under it; empty without git or a history."""
    try:
        done = subprocess.run(
            ["git", "-c", "core.quotepath=off", "log", "--format=%x00%ct", "--name-only", "--relative", "--", "."],
            cwd=data_dir,
            capture_output=True,
            text=True,
            encoding="utf-8",
            stdin=subprocess.DEVNULL,
            timeout=300,
        )
    except (OSError, subprocess.SubprocessError, UnicodeDecodeError):
        return {}
    if done.returncode != 0:
        return {}
    times: dict[str, int] = {}
    when = 0
    for line in done.stdout.splitlines():
        if line.startswith(_COMMIT):
            when = int(line[1:]) if line[1:].isdigit() else 0
        elif line:
            top = line.split("/", 1)[0]
            times[top] = max(times.get(top, 0), when)
    return times


def bureau_time(times: dict[str, int], folder: str) -> int:
    """The epoch the downloads of the bureau in *folder* are dated by, of commit_times' *times*."""
    return max(times.get(folder, 0), FIXED_EPOCH)


def as_datetime(epoch: int) -> datetime:
    """*epoch* as the naive UTC time that zips and workbooks are given."""
    return datetime.fromtimestamp(max(epoch, FIXED_EPOCH), UTC).replace(tzinfo=None)
