"""Build stage, the date a bureau's downloads carry: the day of the latest commit that touched a
file of its folder in data/, from data/'s history as history.py reads it (one `git log` per build,
the same that dates the 更正记录).

A citizen sees this date in a zip's listing (the site's zip of every download) and in a
workbook's properties (创建时间, 修改时间): "when these figures last changed" is what it can truthfully
say, and it is the day the pages' 更正记录 give. The build's own date (SOURCE_DATE_EPOCH, the last
commit's) would only say the site was built, and it changes with every commit: every bureau's
downloads would change with one clerk's edit, and so would every batch's key (build_cache.py).
With this date a commit to one bureau changes that bureau's bytes alone, and the same commit
still builds the same bytes. The commits are already in the batch's key (history.touching), so
the date needs no key of its own.

The shared inputs (form sets, site.yaml, the glossary) do not date a bureau: a correction to a
form's title is not a change of any bureau's figures, and dating every bureau by it would say so.
What they change in the downloads is still rebuilt, since their bytes are in every batch's key.

Without a history (no git, data/ outside a repository, a folder never committed) a bureau is
dated 1980-01-01, the earliest time a zip holds. A shallow clone (a CI checkout of depth 1) sees
every file in its one commit: its downloads carry that commit's day, the same bytes on every run
of that clone, not those of a full clone; the CI workflows fetch the whole history.
"""

from __future__ import annotations

from datetime import datetime

EPOCH = datetime(1980, 1, 1)


def bureau_dates(touched: list[tuple[str, str, str, str]]) -> dict[str, datetime]:
    """Each bureau folder's name → the day its downloads are dated by (midnight), of the commits
    history.touching found for a batch: (path under data/, commit, YYYY-MM-DD, message)."""
    days: dict[str, str] = {}
    for path, _, day, _ in touched:
        folder = path.split("/", 1)[0]
        days[folder] = max(days.get(folder, ""), day)
    return {folder: max(datetime.fromisoformat(day), EPOCH) for folder, day in days.items()}
