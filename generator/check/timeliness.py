"""Check stage, timeliness: a document is published within so many days of its 批复.

预算法 第十四条 and 财预〔2016〕143号 require a department's 预算 and 决算 to be published within 20
days of their approval. The term is the form set's `publish_within:` when it declares one (a
province may set another), else 20. Only what the document states is checked: without both
dates there is nothing to measure, and the quality review says so.
"""

from __future__ import annotations

from ..core.model import Document
from ..core.results import OK, WARNING, Result

# 预算法 第十四条, 财预〔2016〕143号: 批复后 20 日内公开.
DEFAULT_DAYS = 20


def allowed_days(document: Document) -> int:
    form_set = document.form_set
    if form_set is not None and form_set.publish_within is not None:
        return form_set.publish_within
    return DEFAULT_DAYS


def check_timeliness(document: Document) -> list[Result]:
    if document.published is None or document.approved is None:
        return []
    days = (document.published - document.approved).days
    limit = allowed_days(document)
    where = document.published_mark or document.form_set_mark
    if where is None:
        return []
    if days > limit:
        says = (
            f"公开日期 {document.published} 在批复日期 {document.approved} 之后 {days} 天，"
            f"超过了批复后 {limit} 日内公开的要求：照原件核对日期，属实则如实公开"
        )
        return [Result(WARNING, document, None, where, says, check="timeliness")]
    says = f"批复后第 {days} 天公开，在 {limit} 日内"
    return [Result(OK, document, None, where, says, check="timeliness")]
