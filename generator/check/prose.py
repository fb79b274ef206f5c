"""Check stage, prose: figures quoted in 情况说明 against the tables, and figure references.

A clerk may write `{{公开01表:收入.本年收入合计}}` in a body instead of retyping a figure: the
page shows the table's figure, so the two can never drift. Figures that are retyped anyway
(本年收入合计29527.51万元，…占99.95%) are found by the label before them and compared with
every table cell of that label; a share (占…%) is compared with the figure over the sentence's
first figure. A share that names its base (占本年支出合计的99.78%) when the sentence does not
give it is of that figure in the paragraph's earlier sentences, else of the tables' figure of that
label.
"""

from __future__ import annotations

import functools
import re
from decimal import ROUND_HALF_UP, Decimal

from ..core.amounts import format_amount
from ..core.cells import headline_specs, tables_by_form
from ..core.model import DEFAULT_WORDING, AmountTable, Document, FormTable, Section
from ..core.references import REFERENCE, resolve_reference
from ..core.results import ERROR, NOTICE, OK, WARNING, Result

# The label run is possessive ({2,40}+): it can only end where the run of Chinese ends (a space,
# '-' or digit must follow, none of which it may contain), so giving characters back never makes a
# match; possessive finds the same matches without trying every shorter run first.
CLAIM = re.compile(
    r"([\u4e00-\u9fff（）“”\"]{2,40}+) ?(-?\d+(?:\.\d+)?) ?(万元|元)(?:，占([\u4e00-\u9fff]{0,12}?) ?(\d+(?:\.\d+)?) ?%)?"
)
CLAIM_UNIT = "元"  # in every claim: a sentence without it has none
# The units a figure may be stated in, as powers of ten of 元: a figure is compared with a table's
# in the table's unit, at the precision the coarser of the two prints.
SCALE = {"元": 0, "万元": 4}
ORDINAL = re.compile(r"^[一二三四五六七八九十]+、")
FILLER = re.compile(r"(?:支出决算|支出预算|决算数|预算数|决算|预算|合计数)?(?:为|是|共计|达)?$")
CHANGE_WORDS = ("增加", "减少", "增长", "下降", "节约", "超支")
CHANGE_WORD = re.compile("|".join(CHANGE_WORDS))  # a claim about a change, not a figure of the tables


@functools.cache
def label_names(label: str) -> tuple[str, ...]:
    """The names a sentence may call a labelled figure by: without its ordinal (一、), with and
    without 合计. Labels repeat from document to document (the forms' rows and columns, 科目 names)."""
    label = ORDINAL.sub("", label)
    return tuple(name for name in {label, label.removesuffix("合计")} if len(name) >= 2)


def labelled_figures(document: Document, tables: list | None = None) -> dict[str, list[tuple[FormTable, Decimal]]]:
    """Every amount of the document's tables under the labels a sentence would use for it;
    *tables* (the document's tables, in order) saves a walk of the document."""
    if tables is None:
        tables = [table for _, table in document.tables()]
    figures: dict[str, list[tuple[FormTable, Decimal]]] = {}

    def add(label: str | None, table: FormTable, amount: Decimal | None) -> None:
        if not label or amount is None:
            return
        for name in label_names(label):
            figures.setdefault(name, []).append((table, amount))

    for table in tables_by_form(document, tables).values():
        for data in table.panels:
            amount_columns = data.panel.amount_columns
            for row in data.panel.rows or []:
                cells = data.fixed.get(row.key or "", {})
                for column in amount_columns:
                    value = cells.get(column.key)
                    if value is not None:
                        add(row.label or row.key, table, value.amount)
                        if column.key != "金额" and len(amount_columns) > 1:
                            add(column.label, table, value.amount)
            first_amount = data.panel.first_amount
            for (code, name), row in data.labelled:
                for column, is_first in zip(amount_columns, first_amount, strict=True):
                    value = row.cells.get(column.key)
                    if value is None:
                        continue
                    if is_first:  # a row's name stands for its first amount
                        add(name, table, value.amount)
                    if code is None:  # a summary row: its columns are what prose calls by the column's name
                        add(column.label, table, value.amount)
        for key, value in table.totals.items():
            add(key, table, value.amount)
    for table in tables:
        if isinstance(table, AmountTable):
            amounts = [c.label for c in table.block.columns if c.type == "amount"]
            for row in table.block.rows:
                value = row.cells.get(amounts[0]) if amounts else None
                if value is not None:  # a row's label stands for its first amount, as in form tables
                    add(row.label if not row.total else table.title.removesuffix("明细"), table, value.amount)
    return figures


CONTEXT = re.compile(r"^(?:本年度|年度|全年|其中|本部门|本单位|我单位|我局|年)")


def known_label(run: str, figures: dict) -> str | None:
    """The table label a run of text names, exactly: '财政拨款基本支出' is not '基本支出'.

    Words of context before the label are dropped one at a time ('年我单位…' after '2020'),
    but a label that itself starts with one (年初结转和结余) is found first.
    """
    return next((label for label in label_candidates(run) if label in figures), None)


@functools.lru_cache(maxsize=8192)
def label_candidates(run: str) -> tuple[str, ...]:
    """The labels a run may name, the longest first: what known_label looks up, in order. Runs
    repeat from document to document, so they are worked out once."""
    candidates = []
    label = FILLER.sub("", run)
    while label:
        candidates.append(label)
        shorter = CONTEXT.sub("", label, count=1)
        if shorter == label:
            break
        label = shorter
    return tuple(candidates)


def check_prose(document: Document, figures: dict | None = None, sections: list[Section] | None = None) -> list[Result]:
    """*sections* (the document's sections, in order) saves a walk of the document."""
    if sections is None:
        sections = list(document.sections())
    document_tables = [section.table for section in sections if section.table is not None]
    tables = tables_by_form(document, document_tables)
    figures = labelled_figures(document, document_tables) if figures is None else figures
    results: list[Result] = []
    declared = declared_names(document)
    for section in sections:
        if section.body:
            results.extend(check_body(section, document, tables, figures, declared))
    return results


def declared_names(document: Document) -> tuple[str, ...]:
    """The figures a form set names that a 部门 counts in 万元 (机关运行经费, the headline's 三公经费,
    项目支出): written in 元 below 1 万元 where no table prints them, the unit is most likely wrong."""
    form_set = document.form_set
    wording = form_set.wording if form_set is not None else DEFAULT_WORDING
    headline = [spec.label for spec in headline_specs(form_set.headline)] if form_set is not None else []
    return tuple(dict.fromkeys([*wording.running_costs, *wording.project_spending, *headline]))


def share_bases(words: str | None, earlier: list[tuple[str, Decimal]]) -> list[Decimal]:
    """What a share may be of: the figure the sentence names (占基本支出的…), else any earlier
    figure of the sentence, the first one first (本年收入合计…，其中：…占99.95%)."""
    named = (words or "").removesuffix("的")
    if not named:
        return [amount for _, amount in earlier if amount]
    return [amount for run, amount in reversed(earlier) if run.endswith(named) and amount][:1]


def check_body(section: Section, document: Document, tables, figures, declared: tuple[str, ...] = ()) -> list[Result]:
    results = []
    for match in REFERENCE.finditer(section.body):
        amount, why = resolve_reference(match.group(1), document, tables)
        if amount is None:
            results.append(
                Result(ERROR, document, None, section.mark, f"“{section.title}”中的引用 {match.group(0)}：{why}")
            )
    paragraph: list[tuple[str, Decimal]] = []  # the figures of the paragraph's earlier sentences
    for sentence in sentences(section.body):
        if sentence is None:
            paragraph = []
            continue
        if CLAIM_UNIT not in sentence:
            continue
        base = None
        seen: list[tuple[str, Decimal]] = []
        for match in CLAIM.finditer(sentence):
            run, amount_text, unit, base_words, share_text = match.groups()
            stated_amount = Decimal(amount_text)
            amount = stated_amount.scaleb(SCALE[unit] - SCALE["万元"])  # shares are worked out in 万元
            if CHANGE_WORD.search(run):
                continue
            label = known_label(run, figures)
            seen.append((run, amount))
            first = base is None
            if first:
                base = amount
            # the first figure's share is of a base it names (占本年支出合计的…), the others' may be of the first
            if share_text is not None and base and (not first or base_words):
                stated = Decimal(share_text)
                # compared at the precision printed: 48.8% is right for 48.79…%
                places = Decimal(1).scaleb(stated.as_tuple().exponent)
                bases = share_bases(base_words, seen[:-1]) or named_base(base_words, paragraph, figures, document)
                shares = [((amount / of * 100).quantize(places, ROUND_HALF_UP), of) for of in bases]
                if not shares:
                    continue  # 占总支出的…: a base the sentence does not give
                share, of = next(((x, of) for x, of in shares if x == stated), shares[0])
                says = f"“{section.title}”：{label or run}占 {stated}%（{format_amount(amount)} ÷ {format_amount(of)}）"
                status = OK if share == stated else NOTICE if abs(share - stated) <= Decimal("0.01") else WARNING
                results.append(Result(status, document, None, section.mark, says, share, stated, "文中为"))
            if label is None:
                results += small_in_yuan(section, document, declared, run, amount_text, unit)
                continue
            # the tables' figures in the unit of the sentence
            candidates = [
                (table, value.scaleb(SCALE[table_unit(table, document)] - SCALE[unit]))
                for table, value in figures[label]
                if table_unit(table, document) in SCALE
            ]
            if not candidates:
                continue
            says = f"“{section.title}”中的 {label}{amount_text}{unit} 与表中“{label}”"
            graded = [(agrees(stated_amount, value), table, value) for table, value in candidates]
            # an agreeing cell first, then one agreeing at the coarser precision, else the closest
            status, table, value = min(
                graded, key=lambda g: ({OK: 0, NOTICE: 1}.get(g[0], 2), abs(g[2] - stated_amount))
            )
            if status == NOTICE and table_unit(table, document) != unit:
                status = OK  # the table cannot print the figure more precisely than its unit
            if not status and (other := misnamed_unit(stated_amount, unit, figures[label], document)):
                says += f"：数与表中相同，单位却写作“{unit}”（表的单位是{other}）"
            results.append(
                Result(status or WARNING, document, table, section.mark, says, value, stated_amount, "文中为")
            )
        paragraph += seen
    return results


def small_in_yuan(section: Section, document: Document, declared, run: str, text: str, unit: str) -> list[Result]:
    """A declared figure no table prints, written in 元 and under 1 万元 in a document counted in 万元
    (机关运行经费81.25元): the 万元 was most likely written 元 (auditor's check 57)."""
    stated = Decimal(text)
    if unit != "元" or (document.unit or "万元").strip() != "万元" or not 0 < stated < 10000:
        return []
    name = next((n for n in declared if n in run), None)
    if name is None:
        return []
    says = (
        f"“{section.title}”中的 {name}{text}元：不足 1 万元，本文件以万元为单位，是不是把“万元”写成了“元”？请照原件核对"
    )
    return [Result(WARNING, document, None, section.mark, says)]


def sentences(body: str):
    """The sentences of *body*, with None before each paragraph."""
    for paragraph in body.split("\n"):
        yield None
        yield from paragraph.split("。")


def table_unit(table, document: Document) -> str:
    """The unit a table's amounts are printed in: its form's, its own, else the document's."""
    form = getattr(table, "form", None)
    return ((form.unit if form is not None else getattr(table, "unit", None)) or document.unit or "万元").strip()


def misnamed_unit(stated: Decimal, unit: str, labelled, document: Document) -> str | None:
    """The unit of a table whose figure the sentence gives digit for digit under another unit
    (2549.18元 for a table's 2549.18 万元): the unit, not the figure, is wrong."""
    for table, value in labelled:
        printed_unit = table_unit(table, document)
        if printed_unit != unit and printed_unit in SCALE and agrees(stated, value):
            return printed_unit
    return None


def agrees(stated: Decimal, value: Decimal) -> str:
    """OK when equal; NOTICE when equal at the coarser of the two precisions printed; else ''."""
    if stated == value:
        return OK
    quantum = Decimal(1).scaleb(max(stated.as_tuple().exponent, value.as_tuple().exponent))
    if stated.quantize(quantum, ROUND_HALF_UP) == value.quantize(quantum, ROUND_HALF_UP):
        return NOTICE
    return ""


def named_base(words: str | None, paragraph: list[tuple[str, Decimal]], figures, document: Document) -> list[Decimal]:
    """What a share names as its base (占本年支出合计的…) when its sentence does not give it: a
    figure of the paragraph's earlier sentences of that name, else the tables' figures of that
    label, each once."""
    named = (words or "").removesuffix("的")
    if not named:
        return []
    earlier = [amount for run, amount in reversed(paragraph) if run.endswith(named) and amount][:1]
    if earlier:
        return earlier
    label = known_label(named, figures)
    if label is None:
        return []
    in_wan = [
        amount.scaleb(SCALE[table_unit(table, document)] - SCALE["万元"])
        for table, amount in figures[label]
        if amount and table_unit(table, document) in SCALE
    ]
    return list(dict.fromkeys(in_wan))
