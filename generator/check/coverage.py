"""Check stage, coverage: the mandated documents a bureau lacks for a year the site covers it.

A bureau covered for a year (any of its documents is of that year) publishes there every kind
the review's criteria mandate (data/quality.yaml `mandated:`, 预算 and 决算 by 预算法 第十四条): a
决算 without its 预算 is a gap a reviewer must see. A cross-document fact, so it is worked out
per bureau, not per document.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.model import Bureau
from ..core.problems import Mark


@dataclass(frozen=True)
class Gap:
    bureau: Bureau
    year: int
    kind: str
    mark: Mark  # the bureau's file: where the bureau is, since the document is not
    says: str


def missing_documents(bureau: Bureau, mandated: tuple[str, ...]) -> list[Gap]:
    kinds_by_year: dict[int, list[str]] = {}
    for document in bureau.documents:
        kinds_by_year.setdefault(document.year, []).append(document.kind)
    gaps = []
    for year in sorted(kinds_by_year):
        present = kinds_by_year[year]
        for kind in mandated:
            if kind not in present:
                says = (
                    f"{bureau.name} {year} 年已公开{'、'.join(dict.fromkeys(present))}，没有{kind}："
                    f"每年都要公开{'、'.join(mandated)}；原件已公开的照原件补录"
                )
                gaps.append(Gap(bureau, year, kind, Mark(bureau.path, 1, 1), says))
    return gaps
