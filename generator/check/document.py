"""Check stage: every check of one document, in one call. The build and the editors' tools call this."""

from __future__ import annotations

from ..core.model import AmountTable, Document, IndicatorTable
from ..core.reports import reports
from ..core.results import Result
from .arithmetic import check_form_tables
from .budget_actual import check_budget_actual
from .changes import check_changes
from .completeness import check_completeness
from .dates import check_dates
from .indicators import check_indicator_table, check_money_block
from .prose import check_prose, labelled_figures
from .report_prose import check_report_prose
from .statements import check_statements
from .summary import check_summaries
from .text_quality import check_text_quality
from .unreadable import check_unreadable


def check_document(document: Document) -> list[Result]:
    # The document is walked once: every check below reads its sections or tables from here.
    sections = list(document.sections())
    tables = [section.table for section in sections if section.table is not None]
    results: list[Result] = check_unreadable(document, tables)
    if document.form_set is not None:
        results += check_form_tables(document, tables) + check_completeness(document, tables)
    for table in tables:
        if isinstance(table, IndicatorTable):
            results += check_indicator_table(document, table)
        elif isinstance(table, AmountTable):
            results += check_money_block(document, table, table.block)
    results += check_summaries(document, tables)
    figures = labelled_figures(document, tables)  # the tables' figures by label, for both prose checks
    results += check_prose(document, figures, sections) + check_changes(document, figures, sections)
    results += check_statements(document, figures, sections)
    if document.kind == "绩效" or any(isinstance(table, IndicatorTable) for table in tables):
        its_reports = reports(document)  # what the 绩效 prose and dates are read in
        results += check_report_prose(document, its_reports) + check_dates(document, its_reports)
    results += check_budget_actual(document, sections) + check_text_quality(document)
    return results
