"""The criteria of the 公开质量 review (data/quality.yaml) as data: what each scores and its weight.

Each criterion is one of a few declared mechanisms (MEASURES), each a reading of the model or of
the check's results (check/quality.py applies them), so that a finance bureau changes what counts
and how much by editing YAML, and a region its own weights.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .model import Bureau, Document
from .problems import Mark

# What a criterion may score. Each name is a mechanism of check/quality.py:
MEASURES = (
    "document",  # the document was published (a mandated kind missing for a year the bureau is covered)
    "required_tables",  # every table its form set's 目录 requires (check/completeness.py's results)
    "empty_tables",  # an empty table says so (check/completeness.py's results)
    "table_detail",  # a table whose title holds `table:` names every label of `labels:` (三公: 购置费, 运行费)
    "outline_sections",  # the text sections the form set's 目录 names are in the document
    # the 科目编码 that begin with `codes:` (2: 功能分类, 3: 经济分类), in the tables whose title holds
    # `table:`, reach `digits:` digits (功能分类 项: 7, 经济分类 款: 5)
    "code_depth",
    "glossary",  # the document explains its terms (名词解释)
    "findings",  # no error or warning left by the checks
    "performance",  # 绩效 disclosed: a 绩效 document of the bureau and year, or 绩效 in the document
    "timeliness",  # published within the term after 批复 (check/timeliness.py's result)
)
MET, NOT_MET, NOT_APPLICABLE = "met", "not_met", "n/a"
VERDICT_NAMES = {MET: "符合", NOT_MET: "不符合", NOT_APPLICABLE: "不适用"}


@dataclass(frozen=True)
class Criterion:
    id: str
    name: str
    weight: Decimal
    measure: str  # one of MEASURES
    kinds: tuple[str, ...]  # the kinds of document it applies to; others: not applicable
    mark: Mark
    table: str | None = None  # table_detail, code_depth: words of the tables' titles
    labels: tuple[str, ...] = ()  # table_detail: the labels the table must name
    digits: int | None = None  # code_depth: the length of the codes it must reach
    codes: str | None = None  # code_depth: what the codes it measures begin with


@dataclass(frozen=True)
class Criteria:
    criteria: tuple[Criterion, ...]
    mandated: tuple[str, ...]  # the kinds every bureau publishes for every year it is covered
    # A region's own weights: region path prefix (湖北省, 湖南省/长沙市) → criterion id → weight.
    regions: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    path: str = ""

    def weights(self, region: list[str]) -> dict[str, Decimal]:
        """Each criterion's weight for a bureau of *region*: the most specific region's, else its own."""
        weights = {c.id: c.weight for c in self.criteria}
        for depth in range(1, len(region) + 1):
            weights.update(self.regions.get("/".join(region[:depth]), {}))
        return weights


@dataclass(frozen=True)
class Verdict:
    criterion: Criterion
    status: str  # MET, NOT_MET, NOT_APPLICABLE
    why: str
    where: Mark | None = None


@dataclass
class Row:
    """One bureau × year × kind: its document (None when a mandated one is missing) and verdicts."""

    bureau: Bureau
    year: int
    kind: str
    document: Document | None
    verdicts: list[Verdict]
    weights: dict[str, Decimal]

    @property
    def score(self) -> Decimal:
        return sum((self.weights[v.criterion.id] for v in self.verdicts if v.status == MET), Decimal(0))

    @property
    def full(self) -> Decimal:
        return sum((self.weights[v.criterion.id] for v in self.verdicts if v.status != NOT_APPLICABLE), Decimal(0))

    @property
    def percent(self) -> Decimal | None:
        if not self.full:
            return None
        return (self.score * 100 / self.full).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class Line:
    """A row of the review as the site shows it: plain data, sent back from a build's worker."""

    region: tuple[str, ...]
    bureau: str  # its slug
    name: str
    year: int
    kind: str
    document: str | None  # its slug; None: a mandated document not published
    score: Decimal
    full: Decimal
    timely: str  # the timeliness verdict (MET, NOT_MET, NOT_APPLICABLE: no dates), "" where it does not apply
    problems: int  # the errors and warnings its checks left
    unmet: tuple[str, ...]  # the names of the criteria it does not meet
    met: tuple[str, ...] = ()  # and of those it meets (a document's overview lists them)

    @property
    def percent(self) -> Decimal | None:
        return (self.score * 100 / self.full).quantize(Decimal("0.1")) if self.full else None


def line_of(row: Row, problems: int) -> Line:
    verdict = next((v for v in row.verdicts if v.criterion.measure == "timeliness"), None)
    # Not applicable because the kind is exempt, or the document is missing, is nothing to show;
    # because its dates are not written, it is (the page says 未载明日期).
    exempt = (
        verdict is None or row.document is None or (verdict.criterion.kinds and row.kind not in verdict.criterion.kinds)
    )
    timely = "" if exempt else verdict.status
    return Line(
        tuple(row.bureau.region),
        row.bureau.slug,
        row.bureau.name,
        row.year,
        row.kind,
        row.document.slug if row.document is not None else None,
        row.score,
        row.full,
        timely,
        problems,
        tuple(v.criterion.name for v in row.verdicts if v.status == NOT_MET),
        tuple(v.criterion.name for v in row.verdicts if v.status == MET),
    )
