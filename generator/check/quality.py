"""Check stage, the 公开质量 review: each document scored on the criteria of data/quality.yaml.

The review reads what the checks found (their results, by the name check/document.py gives each
check) and what the model holds; it does not check again. Each criterion's mechanism
(core/quality.py MEASURES) is one function below, returning met, not met or not applicable, with
why and where. A mandated document a bureau lacks (check/coverage.py) is a row of its own.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from ..core.model import Bureau, Document, FormTable, FreeTable, IndicatorTable, Site
from ..core.quality import MET, NOT_APPLICABLE, NOT_MET, Criteria, Criterion, Line, Row, Verdict, line_of
from ..core.results import ERROR, OK, WARNING, Result
from .completeness import required_forms
from .coverage import Gap, missing_documents
from .filled import plain_title, title_pattern

SHOWN = 3  # problems named in a verdict's why; the rest counted


def _named(results: list[Result], check: str) -> list[Result]:
    return [r for r in results if r.check == check]


def _failed(criterion: Criterion, results: list[Result], met: str) -> Verdict:
    bad = [r for r in results if r.status in (ERROR, WARNING)]
    if not bad:
        return Verdict(criterion, MET, met)
    named = "；".join(f"{r.mark}: {r.explain()}" for r in bad[:SHOWN])
    more = f"；另有 {len(bad) - SHOWN} 处" if len(bad) > SHOWN else ""
    return Verdict(criterion, NOT_MET, named + more, bad[0].mark)


def required_tables(c: Criterion, document: Document, results: list[Result]) -> Verdict:
    if document.form_set is None:
        return Verdict(c, NOT_APPLICABLE, "没有表样，没有要求公开的表的目录")
    return _failed(c, _named(results, "required_tables"), f"表样 {document.form_set.id} 目录要求的表都已公开")


def empty_tables(c: Criterion, document: Document, results: list[Result]) -> Verdict:
    found = _named(results, "empty_tables")
    if not found:
        return Verdict(c, NOT_APPLICABLE, "没有空表")
    return _failed(c, found, f"{len(found)} 张空表都附有说明")


def _titled(document: Document, words: str | None) -> list:
    tables = []
    for _, table in document.tables():
        title = table.form.title if isinstance(table, FormTable) else getattr(table, "title", "")
        if words is None or words in title:
            tables.append(table)
    return tables


def _labels(table) -> set[str]:
    found: set[str] = set()
    if isinstance(table, FormTable):

        def walk(columns):
            for column in columns:
                found.add(column.label)
                walk(getattr(column, "columns", []))

        walk(table.form.columns)
        for data in table.panels:
            found.update(row.label for row in data.panel.rows or [] if row.label)
            for row in data.rows:
                found.update(value.text for value in row.cells.values() if value.text)
    elif isinstance(table, FreeTable):
        found.update(cell.text for line in table.grid for cell in line)
    return found


def table_detail(c: Criterion, document: Document, results: list[Result]) -> Verdict:
    tables = _titled(document, c.table)
    if not tables:
        return Verdict(c, NOT_MET, f"没有表名含“{c.table}”的表")
    labels = set().union(*(_labels(t) for t in tables))
    missing = [word for word in c.labels if not any(word in label for label in labels)]
    if missing:
        return Verdict(c, NOT_MET, f"“{c.table}”表没有列出 {'、'.join(missing)}", tables[0].mark)
    return Verdict(c, MET, f"“{c.table}”表列出了 {'、'.join(c.labels)}", tables[0].mark)


def outline_sections(c: Criterion, document: Document, results: list[Result]) -> Verdict:
    if document.form_set is None or not document.form_set.outline:
        return Verdict(c, NOT_APPLICABLE, "表样没有目录")
    tabled = {number for number, _ in required_forms(document.form_set)}
    wanted: list[str] = []

    def walk(sections):
        for section in sections:
            if section.form is None or section.form not in tabled:
                wanted.append(section.title)
            walk(section.sections)

    for part in document.form_set.outline:
        wanted.append(part.title)
        walk(part.sections)
    # Titles read as the check of empty sections reads them (check/filled.py), but a 目录 title is
    # found anywhere in the document and inside a longer title: 东西湖's （一）基本支出659.4万元。其中：
    # is the 目录's （一）基本支出, and a section moved under another part is there, if out of place.
    have = [plain_title(p.title) for p in document.parts] + [plain_title(s.title) for s in document.sections()]
    missing = [t for t in wanted if not any(title_pattern(t).search(h) for h in have)]
    if missing:
        more = f" 等 {len(missing)} 节" if len(missing) > SHOWN else ""
        return Verdict(c, NOT_MET, f"缺少目录中的 {'、'.join(missing[:SHOWN])}{more}", document.form_set_mark)
    return Verdict(c, MET, f"表样 {document.form_set.id} 目录中的 {len(wanted)} 节都有")


def _codes(table: FormTable, prefix: str | None) -> list[str]:
    return [
        code
        for data in table.panels
        for (code, _), _ in data.labelled
        if code and code.isdigit() and (prefix is None or code.startswith(prefix))
    ]


def code_depth(c: Criterion, document: Document, results: list[Result]) -> Verdict:
    """How deep the document details: its deepest code in scope. A summary table (收入 by 款) lists
    fewer digits by design, so one table reaching the depth is what the criterion asks."""
    what = "".join(
        [f"表名含“{c.table}”的表中" if c.table else "", f"以 {c.codes} 开头的" if c.codes else "", "科目编码"]
    )
    measured = [
        (max(len(code) for code in codes), t)
        for t in _titled(document, c.table)
        if isinstance(t, FormTable)
        if (codes := _codes(t, c.codes))
    ]
    if not measured:
        return Verdict(c, NOT_APPLICABLE, f"没有{what}")
    longest, table = max(measured, key=lambda pair: pair[0])
    label = f"{table.form.number} {table.form.title}"
    if longest < c.digits:
        return Verdict(c, NOT_MET, f"{what}最细到 {longest} 位（{label}），应细到 {c.digits} 位", table.mark)
    return Verdict(c, MET, f"{what}细到 {longest} 位（{label}）", table.mark)


def glossary(c: Criterion, document: Document, results: list[Result]) -> Verdict:
    for part in document.parts:
        if part.glossary or "名词解释" in part.title:
            return Verdict(c, MET, f"有名词解释（{part.title}）", part.mark)
    for section in document.sections():
        if "名词解释" in section.title:
            return Verdict(c, MET, f"有名词解释（{section.title}）", section.mark)
    return Verdict(c, NOT_MET, "没有名词解释")


def findings(c: Criterion, document: Document, results: list[Result]) -> Verdict:
    return _failed(c, results, "核对没有留下错误和警告")


def performance(c: Criterion, document: Document, results: list[Result]) -> Verdict:
    same_year = [d for d in document.bureau.documents if d.year == document.year and d.kind == "绩效"]
    if same_year:
        return Verdict(c, MET, f"同年公开了绩效：{same_year[0].path}")
    for section in document.sections():
        if isinstance(section.table, IndicatorTable) or "绩效" in section.title:
            return Verdict(c, MET, f"公开了绩效（{section.title}）", section.mark)
    return Verdict(c, NOT_MET, f"{document.year} 年没有公开绩效：既没有绩效文件，文件中也没有绩效一节")


def timeliness(c: Criterion, document: Document, results: list[Result]) -> Verdict:
    found = _named(results, "timeliness")
    if not found:
        return Verdict(c, NOT_APPLICABLE, "没有写公开日期和批复日期（published、approved），无法衡量")
    if all(r.status == OK for r in found):
        return Verdict(c, MET, found[0].says, found[0].mark)
    return _failed(c, found, "")


def document_present(c: Criterion, document: Document, results: list[Result]) -> Verdict:
    return Verdict(c, MET, f"已公开：{document.path}")


MECHANISMS = {
    "document": document_present,
    "required_tables": required_tables,
    "empty_tables": empty_tables,
    "table_detail": table_detail,
    "outline_sections": outline_sections,
    "code_depth": code_depth,
    "glossary": glossary,
    "findings": findings,
    "performance": performance,
    "timeliness": timeliness,
}


def review_document(document: Document, results: list[Result], criteria: Criteria) -> Row:
    verdicts = []
    for c in criteria.criteria:
        if c.kinds and document.kind not in c.kinds:
            verdicts.append(Verdict(c, NOT_APPLICABLE, f"不适用于{document.kind}"))
        else:
            verdicts.append(MECHANISMS[c.measure](c, document, results))
    return Row(
        document.bureau, document.year, document.kind, document, verdicts, criteria.weights(document.bureau.region)
    )


def review_gap(gap: Gap, criteria: Criteria) -> Row:
    verdicts = []
    for c in criteria.criteria:
        if c.measure == "document" and (not c.kinds or gap.kind in c.kinds):
            verdicts.append(Verdict(c, NOT_MET, gap.says, gap.mark))
        else:
            verdicts.append(Verdict(c, NOT_APPLICABLE, "文件未公开"))
    return Row(gap.bureau, gap.year, gap.kind, None, verdicts, criteria.weights(gap.bureau.region))


def review(site: Site, results: dict[Document, list[Result]], criteria: Criteria, year: int | None = None) -> list[Row]:
    """One row per bureau × year × kind, in the site's order: each document, then each mandated
    kind the bureau lacks that year."""
    rows = []
    for bureau in site.bureaus:
        rows += review_bureau(bureau, results, criteria, year)
    return rows


def review_bureau(
    bureau: Bureau, results: dict[Document, list[Result]], criteria: Criteria, year: int | None
) -> list[Row]:
    rows = [
        review_document(d, results.get(d, []), criteria) for d in bureau.documents if year is None or d.year == year
    ]
    rows += [
        review_gap(g, criteria) for g in missing_documents(bureau, criteria.mandated) if year is None or g.year == year
    ]
    return sorted(rows, key=lambda row: (row.year, row.kind))


def region_totals(rows: list[Row]) -> list[tuple[str, int, int, Decimal, Decimal]]:
    """Per region and each region above it: (region, rows, documents missing, score, full)."""
    totals: dict[str, list] = {}
    for row in rows:
        region = row.bureau.region
        for depth in range(1, len(region) + 1):
            entry = totals.setdefault("/".join(region[:depth]), [0, 0, Decimal(0), Decimal(0)])
            entry[0] += 1
            entry[1] += row.document is None
            entry[2] += row.score
            entry[3] += row.full
    return [(name, *values) for name, values in sorted(totals.items())]


def quality_lines(bureaus: list[Bureau], results: list[Result], criteria: Criteria) -> list[Line]:
    """The review's rows of *bureaus* as the pages show them, each with its count of errors and
    warnings left: what the build's workers and the preview both put on bureau and city pages."""
    of: dict[Document, list[Result]] = defaultdict(list)
    for result in results:
        of[result.document].append(result)
    return [
        line_of(row, sum(1 for r in of.get(row.document, []) if r.status in (ERROR, WARNING)))
        for bureau in bureaus
        for row in review_bureau(bureau, of, criteria, None)
    ]
