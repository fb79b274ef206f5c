"""Check stage, 绩效 prose: the scores, grades, rates and amounts a 自评报告 states, against its table.

A report says "自评得分为98分", "综合自评结论为：优", "预算执行率100%", "满意度95%" or "预算数
5800万元" of the 自评表 printed with it; readers take the two to agree. The words that name each
figure are declared (`prose:` of an indicator form, added to core.model.DEFAULT_PROSE), never known
here: a province's synonyms are YAML.

Which table: the 自评表(s) of the report the sentence is printed in (core/reports.py). In a 绩效
document, prose outside every report with a 自评表 is read against the tables whose form scores the
department as a whole (`whole: true`); with none, what it states cannot be checked and is said so
(无法核对). Prose of other documents outside a report is not read: a 决算's own text quotes its
budgets, not the 绩效 funds block.

A stated 总分 or 等级 that contradicts the table is an error: it is the report's conclusion. A rate
or an amount that differs is a warning, as for figures in a 决算's prose: the words may name another
figure than the table's (a project's 执行率 quoted in the 部门整体 report). A figure that agrees once
the more precise of the two is rounded as the other is printed is a rounding notice. A figure with
以上/以下/左右 after it, or a bound word before it, states a bound, not the figure, and is not read.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

from ..core.model import DEFAULT_GRADES, DEFAULT_PROSE, Document, IndicatorTable, ProseFigure
from ..core.reports import Report, reports
from ..core.results import ERROR, NOTICE, OK, UNCHECKED, WARNING, Result
from ..core.scores import table_grade, table_score

SENTENCE_END = re.compile(r"[。；;\n]")
_NUMBER = r"(\d+(?:\.\d+)?)"
# Between a word and its figure: a few characters of the same clause (均为, 达到, ：), no figure.
_GAP = r"[^\d，,。；;、\n%％]{0,6}?"
_BOUND_AFTER = re.compile(r"\s*(?:以上|以下|左右|以内|多)")
_BOUND_BEFORE = ("超过", "不低于", "不少于", "高于", "低于", "不高于", "大于", "小于", "近")
_TAILS = {
    "total": re.compile(_GAP + _NUMBER + r"\s*分"),
    "rate": re.compile(_GAP + _NUMBER + r"\s*[%％]"),
    "indicator": re.compile(_GAP + _NUMBER + r"\s*[%％]"),
    "funds": re.compile(_GAP + _NUMBER + r"\s*万元"),
    # a grade follows 为/是/：or an opening quote: '等级差异' states none
    "grade": re.compile(r"\s*(?=[为是:“\"「『])(?:为|是)?\s*:?\s*[“\"「『]?\s*([\u4e00-\u9fff]{1,4})"),
}
_PERCENT = re.compile(_NUMBER + r"\s*%")
_WHAT = {"total": "总分", "rate": "执行率", "indicator": "完成值", "funds": "资金情况"}
_UNIT = {"total": "分", "rate": "%", "indicator": "%", "funds": "万元"}


def _vocabulary(tables) -> tuple[ProseFigure, ...]:
    """The words of the tables' forms (the defaults for tables on no form), a word once."""
    seen: set[str] = set()
    out = []
    for prose in [t.form.prose for t in tables if t.form is not None] or [DEFAULT_PROSE]:
        for figure in prose:
            words = tuple(w for w in figure.words if w not in seen)
            seen.update(words)
            if words:
                out.append((figure, words))
    return tuple(ProseFigure(words, f.figure, f.indicator, f.columns, f.mark) for f, words in out)


@functools.lru_cache(maxsize=64)
def _words_pattern(vocabulary: tuple[ProseFigure, ...]) -> tuple[re.Pattern, dict[str, ProseFigure]]:
    by_word = {word: figure for figure in vocabulary for word in figure.words}
    # the longest first: '年初预算数' is read as itself, not as its '预算数'
    alternation = "|".join(re.escape(w) for w in sorted(by_word, key=len, reverse=True))
    return re.compile(alternation), by_word


def _agrees(stated: Decimal, value: Decimal) -> str:
    """OK when equal; NOTICE when the more precise rounds to the other as printed; else ''."""
    if stated == value:
        return OK
    places = max(stated.as_tuple().exponent, value.as_tuple().exponent)
    quantum = Decimal(1).scaleb(places)
    if stated.quantize(quantum, ROUND_HALF_UP) == value.quantize(quantum, ROUND_HALF_UP):
        return NOTICE
    return ""


def _grade_of_word(token: str, bands) -> str | None:
    """The band a stated grade is: its name, or a word starting with it (优秀, 良好, 中等)."""
    for band in sorted(bands, key=lambda b: len(b.grade), reverse=True):
        if token.startswith(band.grade):
            return band.grade
    return None


def check_report_prose(document: Document, all_reports: list[Report] | None = None) -> list[Result]:
    """*all_reports* (core/reports.reports of the document) saves a walk of the document."""
    if all_reports is None:
        all_reports = reports(document)
    whole = tuple(t for r in all_reports for t in r.tables if t.stage == "自评" and t.form is not None and t.form.whole)
    results: list[Result] = []
    for report in all_reports:
        tables = tuple(t for t in report.tables if t.stage == "自评")
        if not tables:
            if document.kind != "绩效":
                continue
            tables = whole
        pattern, by_word = _words_pattern(_vocabulary(tables))
        for title, body, mark in report.prose:
            results += _check_body(document, pattern, by_word, title, body, mark, tables)
    return results


def _check_body(document: Document, pattern, by_word, title: str, body: str, mark, tables) -> list[Result]:
    results = []
    for sentence in SENTENCE_END.split(unicodedata.normalize("NFKC", body)):
        for found in pattern.finditer(sentence):
            word = found.group(0)
            figure = by_word[word]
            tail = _TAILS[figure.figure].match(sentence, found.end())
            if tail is None:
                continue
            if figure.figure == "grade":
                result = _grade(document, title, word, tail.group(1), mark, tables)
            else:
                before = sentence[max(0, found.start() - 3) : found.start()]
                if _BOUND_AFTER.match(sentence, tail.end()) or any(
                    b in sentence[found.end() : tail.start(1)] or before.endswith(b) for b in _BOUND_BEFORE
                ):
                    continue
                result = _figure(document, title, word, figure, Decimal(tail.group(1)), tail.group(1), mark, tables)
            if result is not None:
                results.append(result)
    return results


def _candidates(figure: ProseFigure, word: str, tables) -> list[tuple[IndicatorTable, Decimal, str]]:
    """(table, value, what it is) of every cell the figure may be."""
    out = []
    for table in tables:
        if figure.figure == "total":
            score = table_score(table)
            if score is not None:
                out.append((table, score[0], f"总分（{score[1]}）"))
        elif figure.figure == "rate":
            out += [(table, row.rate, f"资金情况“{row.source}”的执行率") for row in table.funds if row.rate is not None]
        elif figure.figure == "funds":
            for row in table.funds:
                for key in figure.columns:
                    value = getattr(row, key)
                    if value is not None:
                        label = dict(table.funds_columns).get(key, key)
                        out.append((table, value, f"资金情况“{row.source}”的{label}"))
        else:  # indicator: a percentage in the 完成值 of each indicator named so
            needle = figure.indicator or word
            for leaf in table.leaves():
                name = " ".join(filter(None, (leaf.name, leaf.content)))
                if (
                    needle in name
                    and leaf.actual
                    and (percent := _PERCENT.search(unicodedata.normalize("NFKC", leaf.actual)))
                ):
                    out.append((table, Decimal(percent.group(1)), f"指标“{name}”的完成值"))
    return out


def _figure(document, title, word, figure: ProseFigure, stated: Decimal, text: str, mark, tables) -> Result:
    unit = _UNIT[figure.figure]
    says = f"“{title}”中的 {word}{text}{unit} 与自评表中的{_WHAT[figure.figure]}"
    candidates = _candidates(figure, word, tables)
    if not candidates:
        return Result(UNCHECKED, document, None, mark, says)
    graded = [(_agrees(stated, value), table, value, what) for table, value, what in candidates]
    agreeing = [g for g in graded if g[0] == OK] or [g for g in graded if g[0] == NOTICE]
    status, table, value, what = agreeing[0] if agreeing else min(graded, key=lambda g: abs(g[2] - stated))
    says = f"“{title}”中的 {word}{text}{unit} 与{table.title}{what}"
    if not status:
        status = ERROR if figure.figure == "total" else WARNING
    return Result(status, document, None, mark, says, value, stated, "文中为")


def _grade(document, title, word, token: str, mark, tables) -> Result | None:
    bands = next((t.form.grades for t in tables if t.form is not None), DEFAULT_GRADES)
    stated = _grade_of_word(token, bands)
    if stated is None:
        return None  # '等级评定工作': no grade is stated
    says = f"“{title}”中写明的{word}“{token}”与自评表的等级"
    graded = [(t, table_grade(t)) for t in tables]
    graded = [(t, g) for t, g in graded if g is not None]
    if not graded:
        return Result(UNCHECKED, document, None, mark, says)
    table, (grade, printed) = next(((t, g) for t, g in graded if g[0] == stated), graded[0])
    if printed:
        source = "表中写明的等级"
    else:
        score = table_score(table)
        source = f"总分 {score[0] if score else ''} 分按表样所在的档次"  # as printed
    agrees = grade == stated
    says = f"“{title}”中写明的{word}“{token}”与{table.title}{source}“{grade}”" + ("相符" if agrees else "不符")
    return Result(OK if agrees else ERROR, document, None, mark, says)
