"""`python -m generator quality`: the 公开质量 review of data/, one row per bureau × year × kind.

The site is loaded and every document checked (check/document.py), then scored on the criteria
of data/quality.yaml (load/quality.py, check/quality.py). The review reports; it does not gate:
exit 0 whatever the scores, 1 only when data/ or the criteria do not load (said at path:line:col).
"""

from __future__ import annotations

import csv
import io
import json
import sys
from decimal import Decimal
from pathlib import Path

from ..check.document import check_document
from ..check.quality import region_totals, review
from ..core.quality import NOT_APPLICABLE, VERDICT_NAMES, Criteria, Row
from ..export.downloads import build_time
from ..export.xlsx import list_workbook
from ..load.loader import QUALITY_FILE, load_site, shown
from ..load.quality import load_criteria
from .report import print_problems

FORMATS = ("text", "csv", "json", "xlsx")


def quality(data_dir: Path, year: int | None = None, form: str = "text", out: Path | None = None) -> int:
    """Print the review of *data_dir* (only *year*'s documents, if given) as *form*, or write it to *out*."""
    if form == "xlsx" and out is None:
        print("错误：xlsx 要写到文件：加 --out 文件名.xlsx", file=sys.stderr)
        return 2
    criteria, problems = load_criteria(data_dir)
    if criteria is None and not problems:
        print(
            f"{shown(data_dir / QUALITY_FILE)}:1:1: 错误：没有公开质量标准文件：照 docs/quality.md 写 {QUALITY_FILE}",
            file=sys.stderr,
        )
        return 1
    site, loaded = load_site(data_dir)
    trouble = problems.errors + loaded.errors
    if trouble or criteria is None:
        print_problems(sorted(set(trouble)))
        print("数据或标准有错误，不能评分：先改正上面的错误", file=sys.stderr)
        return 1
    results = {document: check_document(document) for document in site.documents}
    rows = review(site, results, criteria, year)
    if form == "xlsx":
        out.write_bytes(as_xlsx(rows, criteria))
    elif out is not None:
        out.write_text(render(rows, criteria, form), encoding="utf-8")
    else:
        print(render(rows, criteria, form), end="")
    return 0


def render(rows: list[Row], criteria: Criteria, form: str) -> str:
    if form == "json":
        return json.dumps(as_json(rows, criteria), ensure_ascii=False, indent=1) + "\n"
    if form == "csv":
        return as_csv(rows, criteria)
    return as_text(rows, criteria)


def _percent(score: Decimal, full: Decimal) -> str:
    return f"{(score * 100 / full).quantize(Decimal('0.1'))}%" if full else "—"


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f")


def as_text(rows: list[Row], criteria: Criteria) -> str:
    out = io.StringIO()
    for row in rows:
        what = row.document.path if row.document is not None else "未公开"
        out.write(
            f"{row.bureau.name} {row.year} 年{row.kind}（{what}）："
            f"{_number(row.score)} / {_number(row.full)} 分，{_percent(row.score, row.full)}\n"
        )
        for v in row.verdicts:
            if v.status == NOT_APPLICABLE and row.document is None:
                continue
            where = f"（{v.where}）" if v.where is not None and v.where.path not in v.why else ""
            weight = _number(row.weights[v.criterion.id])
            out.write(f"  {VERDICT_NAMES[v.status]}  {v.criterion.name}（{weight} 分）：{v.why}{where}\n")
    out.write("地区合计：\n")
    for region, count, missing, score, full in region_totals(rows):
        gaps = f"，缺 {missing} 份" if missing else ""
        out.write(f"  {region}：{count} 项{gaps}，{_number(score)} / {_number(full)} 分，{_percent(score, full)}\n")
    return out.getvalue()


def as_table(rows: list[Row], criteria: Criteria) -> tuple[list[str], list[list]]:
    """The review as one table, a row per bureau × year × kind: CSV and XLSX."""
    header = ["地区", "部门", "年度", "类别", "文件"]
    for c in criteria.criteria:
        header += [c.name, f"{c.name}：说明"]
    lines = []
    for row in rows:
        line = [
            "/".join(row.bureau.region),
            row.bureau.name,
            row.year,
            row.kind,
            row.document.path if row.document else "",
        ]
        for v in row.verdicts:
            line += [
                VERDICT_NAMES[v.status],
                f"{v.why}（{v.where}）" if v.where and v.where.path not in v.why else v.why,
            ]
        lines.append([*line, row.score, row.full, row.percent])
    return [*header, "得分", "满分", "得分率（%）"], lines


def as_csv(rows: list[Row], criteria: Criteria) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    header, lines = as_table(rows, criteria)
    writer.writerow(header)
    for line in lines:
        writer.writerow([_number(v) if isinstance(v, Decimal) else "" if v is None else v for v in line])
    return out.getvalue()


def as_xlsx(rows: list[Row], criteria: Criteria) -> bytes:
    header, lines = as_table(rows, criteria)
    return list_workbook("公开质量", "公开质量评查", header, lines, build_time())


def as_json(rows: list[Row], criteria: Criteria) -> dict:
    return {
        "criteria": [
            {"id": c.id, "name": c.name, "weight": _number(c.weight), "measure": c.measure, "kinds": list(c.kinds)}
            for c in criteria.criteria
        ],
        "rows": [
            {
                "region": "/".join(row.bureau.region),
                "bureau": row.bureau.slug,
                "name": row.bureau.name,
                "year": row.year,
                "kind": row.kind,
                "document": row.document.path if row.document is not None else None,
                "score": _number(row.score),
                "full": _number(row.full),
                "criteria": [
                    {
                        "id": v.criterion.id,
                        "weight": _number(row.weights[v.criterion.id]),
                        "status": v.status,
                        "why": v.why,
                        "where": str(v.where) if v.where is not None else None,
                    }
                    for v in row.verdicts
                ],
            }
            for row in rows
        ],
        "regions": [
            {"region": region, "rows": count, "missing": missing, "score": _number(score), "full": _number(full)}
            for region, count, missing, score, full in region_totals(rows)
        ],
    }
