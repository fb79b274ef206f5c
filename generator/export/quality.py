"""Downloads, the 公开质量 review of a city as CSV: the rows its page shows (core/quality.Line)."""

from __future__ import annotations

import csv
import io

from ..core.quality import MET, NOT_APPLICABLE, NOT_MET, Line

TIMELY = {MET: "按时", NOT_MET: "逾期", NOT_APPLICABLE: "未载明日期"}  # as the city's page says it
HEADER = [
    "地区",
    "部门",
    "年度",
    "类别",
    "公开",
    "按时公开",
    "得分",
    "满分",
    "得分率（%）",
    "核对留下的问题",
    "不符合的标准",
]


def lines_csv(lines: list[Line]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for line in lines:
        writer.writerow(
            [
                "/".join(line.region),
                line.name,
                line.year,
                line.kind,
                "已公开" if line.document else "未公开",
                TIMELY.get(line.timely, ""),
                format(line.score.normalize(), "f"),
                format(line.full.normalize(), "f"),
                "" if line.percent is None else line.percent,
                line.problems if line.document else "",
                "、".join(line.unmet),
            ]
        )
    return out.getvalue()
