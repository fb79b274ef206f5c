"""Check stage: every check of one document, in one call. The build and the editors' tools call this."""

from __future__ import annotations

from ..core.model import AmountTable, Document, IndicatorTable
from ..core.reports import reports
from ..core.results import Result
from .arithmetic import check_form_tables
from .blanks import check_blanks
from .budget_actual import check_budget_actual
from .changes import check_changes
from .completeness import check_empty, check_required, check_topics
from .dates import check_dates
from .filled import check_filled
from .indicators import check_indicator_table, check_money_block
from .prose import check_prose, labelled_figures
from .report_prose import check_report_prose
from .statements import check_statements
from .subjects import check_itemized, check_uses
from .summary import check_summaries
from .text_quality import check_text_quality
from .timeliness import check_timeliness
from .unreadable import check_unreadable


def named(check: str, results: list[Result]) -> list[Result]:
    """*results*, each marked as *check*'s: the quality review scores them by that name."""
    for result in results:
        result.check = check
    return results


def check_document(document: Document) -> list[Result]:
    # The document is walked once: every check below reads its sections or tables from here.
    sections = list(document.sections())
    tables = [section.table for section in sections if section.table is not None]
    results: list[Result] = check_unreadable(document, tables)
    if document.form_set is not None:
        results += check_form_tables(document, tables)
        results += named("required_tables", check_required(document, tables))
        results += named("empty_tables", check_empty(document, tables))
        results += named("filled_sections", check_filled(document))
        results += check_itemized(document, tables)
        results += named("topics", check_topics(document))
    results += check_timeliness(document)
    for table in tables:
        if isinstance(table, IndicatorTable):
            results += check_indicator_table(document, table)
        elif isinstance(table, AmountTable):
            results += check_money_block(document, table, table.block)
    results += check_summaries(document, tables)
    figures = labelled_figures(document, tables)  # the tables' figures by label, for both prose checks
    results += check_prose(document, figures, sections) + check_changes(document, figures, sections)
    results += check_statements(document, figures, sections) + check_blanks(document, figures, sections)
    results += check_uses(document, tables, sections)
    if document.kind == "绩效" or any(isinstance(table, IndicatorTable) for table in tables):
        its_reports = reports(document)  # what the 绩效 prose and dates are read in
        results += check_report_prose(document, its_reports) + check_dates(document, its_reports)
    results += check_budget_actual(document, sections) + check_text_quality(document)
    return results
