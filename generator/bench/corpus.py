"""A synthetic province for the benchmark: N documents made from the real transcriptions in data/.

Each document is a real one with its bureau renamed and every amount multiplied by 1, 2 or 3, so
that every table still adds up exactly as the original did (its rounding residues grow, but stay
within the 0.01-per-addend tolerance), prose figures stay in step with the tables, and the text
stays real Chinese. Each text of more than a line's boilerplate is made the document's own (own_prose).
"""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

from ..load.loader import load_site

PROVINCES = ["湖南省", "湖北省", "江西省", "安徽省", "河南省", "广东省", "四川省", "贵州省"]
CITY_NAMES = "东西南北中新安平和顺兴华阳江河山城宁远清泉石桥林溪湾"
DOCS_PER_BUREAU = 3
# An amount in a YAML value position (`key: 12.34` in block or flow style), not a code, year or rate.
AMOUNT_VALUE = re.compile(r"(?m)([^\s{},:]+): (-?\d+(?:\.\d+)?)(?=\s*(?:[,}]|$))")
AMOUNT_IN_PROSE = re.compile(r"(\d+(?:\.\d+)?)(\s?万元)")
# Scores are points out of a form's full marks (分值, 得分), not amounts: scaled, they would exceed them.
NOT_SCALED = {"year", "line", "indent", "colspan", "rowspan", "score", "scored"}
BODY_KEY = re.compile(r" *(?:- )?body: [|>]")


# The most a document scaled by SCALES[-1] may miss by rounding: each printed figure of the original
# carries half a cent, and scaling multiplies that too (a 0.01 miss of three addends, 0.02 allowed,
# is 0.03 at three times the figures).
SCALES = (1, 2, 3)
SCALED_TOLERANCE = "0.15"
_RULE_LINE = re.compile(r"(?m)^(\s*)- (columns|tree|cells|classes|codes): .*$")


def copy_forms_for_scaled(source: Path, target: Path) -> None:
    """The form sets, each arithmetic rule allowing the rounding of a scaled document: a corpus
    document is its original with every amount multiplied, so its printed rounding is multiplied
    too, and the rules' half a cent per figure would turn it into errors the original does not
    have. Only the corpus's copy changes; its rules and messages are otherwise the real ones."""
    target.mkdir(parents=True)
    for path in sorted(source.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        text = _RULE_LINE.sub(lambda m: f"{m.group(0)}\n{m.group(1)}  tolerance: {SCALED_TOLERANCE}", text)
        (target / path.name).write_text(text, encoding="utf-8")


def shift_years(text: str, was: int, now: int) -> str:
    """Years written before 年 moved with the document's year, the years around it too (a 2020
    自评 filled in 2021, a 2020 申报表 in 2019), so that a corpus document's dates say what the
    reference document's do and the date checks find in it what they find there."""

    def moved(match: re.Match) -> str:
        written = int(match.group(0))
        return str(written + now - was) if abs(written - was) <= 1 else match.group(0)

    return re.sub(r"(?<!\d)(?:19|20)\d\d(?=\s?年)", moved, text)


def _indentation(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def own_prose(text: str, sentence: str) -> str:
    """*text* with *sentence* after the first paragraph of each body whose paragraph is a sentence or more.

    A real province's documents each have prose of their own; copies of four documents would let
    whatever the build keeps per distinct text (Markdown, pairs of characters) find every text again,
    and flatter it: with those caches bypassed, 100 documents of the copies took a third more CPU.
    Boilerplate (a body that is just "无") stays shared, as it is in real documents. *sentence* holds
    no 万元, so the checks find no figure in it.
    """
    lines = text.split("\n")
    for number, line in enumerate(lines):
        if not BODY_KEY.match(line):
            continue
        first = next((n for n in range(number + 1, len(lines)) if lines[n].strip()), None)
        if first is not None and _indentation(lines[first]) > _indentation(line) and lines[first].endswith("。"):
            lines[first] += sentence
    return "\n".join(lines)


def place(n: int) -> tuple[str, str, str]:
    province = PROVINCES[n % len(PROVINCES)]
    city = CITY_NAMES[(n // len(PROVINCES)) % len(CITY_NAMES)] + "州市"
    district = CITY_NAMES[(n * 7 + 3) % len(CITY_NAMES)] + CITY_NAMES[n % len(CITY_NAMES)] + f"{n}区"
    return province, city, district


def scale(text: str, factor: int) -> str:
    def value(match: re.Match) -> str:
        key, number = match.groups()
        return match.group(0) if key in NOT_SCALED else f"{key}: {Decimal(number) * factor}"

    text = AMOUNT_VALUE.sub(value, text)
    return AMOUNT_IN_PROSE.sub(lambda m: f"{Decimal(m.group(1)) * factor}{m.group(2)}", text)


def make_corpus(source: Path, target: Path, documents: int) -> int:
    """Write a data/ tree of *documents* documents under *target*; returns the number written."""
    site, problems = load_site(source)
    if problems.errors:
        raise ValueError(f"{source} does not load: {problems.errors[0]}")
    templates = [
        (doc, Path(doc.path).read_text(encoding="utf-8"), Path(doc.bureau.path).read_text(encoding="utf-8"))
        for doc in sorted(site.documents, key=lambda d: d.path)
    ]
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    shutil.copy(source / "glossary.yaml", target / "glossary.yaml")
    if (source / "quality.yaml").exists():  # the review's criteria: bureau and city pages show it
        shutil.copy(source / "quality.yaml", target / "quality.yaml")
    copy_forms_for_scaled(source / "forms", target / "forms")
    for n in range(documents):
        doc, text, bureau_text = templates[n % len(templates)]
        number = n // DOCS_PER_BUREAU
        province, city, district = place(number)
        name, short = f"{city}{district}医疗保障局", f"{district}医保局"
        year = 2018 + n % DOCS_PER_BUREAU
        folder = target / f"bench-{number:05d}"
        if not (folder / "bureau.yaml").exists():
            folder.mkdir()
            renamed = bureau_text.replace(doc.bureau.name, name).replace(doc.bureau.short_name, short)
            renamed = re.sub(r"(?m)^name: .*$", f"name: {name}", renamed)
            renamed = re.sub(r"(?m)^short_name: .*$", f"short_name: {short}", renamed)
            renamed = re.sub(r"(?m)^region: .*$", f"region: {province}/{city}/{district}", renamed)
            (folder / "bureau.yaml").write_text(renamed, encoding="utf-8")
        body = scale(text, SCALES[n % len(SCALES)]).replace(doc.bureau.name, name).replace(doc.bureau.short_name, short)
        body = re.sub(r"(?m)^year: .*$", f"year: {year}", body)
        body = shift_years(body, doc.year, year)
        body = own_prose(body, f"以上由{name}填写。")
        (folder / str(year)).mkdir(exist_ok=True)
        (folder / str(year) / f"{doc.slug}.yaml").write_text(body, encoding="utf-8")
    return documents
