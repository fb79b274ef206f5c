"""Check stage, plausibility of the text: what a proof-reader would mark before a document is published.

Five rules, each a warning at the title or section it is found in (the figures are not wrong; the
text is not finished or not this document's):

* **Placeholders** left in by a template (XX, 待填写, {单位}: `wording.placeholders`).
* **Years** written in a title or a sentence (N年, N年度) other than the document's year, the year
  before it (与上年相比, 上年结转) or the year after (a 决算 is written, a 自评 carried out, then):
  most often last year's text left standing. A year inside 《…》 names a document (《2018年…办法》),
  and one inside 〔…〕 numbers a 文件 (财预〔2016〕143号): neither is read.
* **The bureau's name.** Its name (长沙市望城区医疗保障局) is its places (湖南省/长沙市/望城区 of its
  region) before a core (医疗保障局); its short name (望城区医保局) likewise before its own core
  (医保局). A core written after a place is the bureau's name as long as that place is one of its
  own (长沙市望城区医疗保障局, 望城区医保局, 区医保局, 望城医保局). Before a place of a higher level
  than the bureau's (长沙市医疗保障局, 市医保局) it names another body, which a text may rightly
  mention. What is reported is a core after a *different* place of the bureau's own level (雨花区
  医保局 in 望城区's text): another bureau of the same kind, most often a neighbour's text copied.
  Text has no spaces between words, so that place is read as the three or two characters before
  the level character (区), none of them one that is no part of a place's name
  (`wording.not_in_place_names`: 资金由区医保局, 年度区医保局 and 完成区医保局 name the bureau itself).
  The title is the cover, which must name the bureau itself: its name, its short name, or its core
  after its own place; a title naming none, or the core after a higher place only (长沙市医疗保障局
  on 望城区's cover), is a warning too (auditor's check 63).
* **Percentages with more decimals** than the form set's `percent_places:` (12.345% where the
  rules of 预决算公开 print two): a share worked out and pasted unrounded.
* **Repeated words and doubled punctuation**: a character the list `wording.doubled_characters`
  names twice (的的; 常常 is a word), the same word of two to eight characters twice in a row
  (部门部门), and doubled punctuation (。。, ；。: `wording.doubled_punctuation`).
* **Mixed punctuation**: half-width punctuation between two Chinese characters
  (`wording.halfwidth_punctuation`: 文件,拟订) and a bracket pair of one half-width and one
  full-width half (`wording.mixed_brackets`: （经济分类款级)). One warning per text and kind, with
  the first place and the count: a text pasted from elsewhere has them throughout.

A rule that finds nothing gives no result: one per sentence read would bury the few that matter.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from ..core.model import DEFAULT_WORDING, Document, IndicatorTable, Wording
from ..core.problems import Mark
from ..core.results import WARNING, Result

_YEAR = re.compile(r"(?<!\d)(\d{4})\s*年")
# What a year is not read in: a document's name, a 文件's number
_QUOTED = re.compile(r"《[^《》]*》|〔[^〔〕]*〕|\[[^\[\]]*\]|［[^［］]*］|\d{4}\s*年\s*第?\s*\d+\s*号")
_REPEATED_WORD = re.compile(r"([\u4e00-\u9fff]{2,8})\1")
_LEVEL = "省市州盟县区旗"  # the last character of a place's name: its level
_EXCERPT = 12  # characters each side of a hit shown in the message
_PERCENT = re.compile(r"(?<![\d.])\d+\.(\d+)\s*[%％]")


def texts(document: Document):
    """(where, text, mark) of every title and body of prose the document prints."""
    yield "标题", document.title, document.title_mark or Mark(document.path, 1, 1)
    for part in document.parts:
        yield f"“{part.title}”", part.title, part.mark
        if part.body:
            yield f"“{part.title}”", part.body, part.mark
        for attachment in part.attachments:
            yield f"“{attachment.title}”", attachment.title, attachment.mark
            if attachment.body:
                yield f"“{attachment.title}”", attachment.body, attachment.mark
    for section in document.sections():
        where = f"“{section.title}”"
        yield where, section.title, section.mark
        if section.body:
            yield where, section.body, section.mark
        table = section.table
        if isinstance(table, IndicatorTable):
            yield from indicator_texts(table)
            continue
        for text in (getattr(table, "caption", None), getattr(table, "statement", None), getattr(table, "note", None)):
            if isinstance(text, str) and text:
                yield where, text, getattr(table, "mark", section.mark)


def indicator_texts(table: IndicatorTable):
    """The text a 绩效 table prints: its goals (目标完成情况) and each indicator's words."""
    where = f"{table.title}"
    for label, text in table.goals:
        yield f"{where}“{label}”", text, table.mark
    for leaf in table.leaves():
        for text in (leaf.name, leaf.content, leaf.actual, leaf.reason, leaf.measure):
            if text:
                yield f"{where}指标“{leaf.name or leaf.content}”", text, leaf.mark


def excerpt(text: str, start: int, end: int) -> str:
    before = text[max(0, start - _EXCERPT) : start].rsplit("\n", 1)[-1]
    after = text[end : end + _EXCERPT].split("\n", 1)[0]
    return f"{before}{text[start:end]}{after}"


def check_text_quality(document: Document) -> list[Result]:
    wording = document.form_set.wording if document.form_set is not None else DEFAULT_WORDING
    found = {rule: [] for rule in ("placeholders", "years", "names", "repeats", "percentages", "punctuation")}
    places = document.form_set.percent_places if document.form_set is not None else None
    names = NameRule(document, wording)
    found["names"] += names.in_title(document.title, document.title_mark or Mark(document.path, 1, 1))
    for where, raw, mark in texts(document):
        text = unicodedata.normalize("NFC", raw)
        found["placeholders"] += placeholders(document, wording, where, text, mark)
        found["years"] += years(document, where, text, mark)
        found["names"] += names.check(where, text, mark)
        found["repeats"] += repeats(document, wording, where, text, mark)
        found["punctuation"] += mixed_punctuation(document, wording, where, text, mark)
        if places is not None:
            found["percentages"] += percentages(document, places, where, text, mark)
    return [result for hits in found.values() for result in hits]


def percentages(document, places: int, where, text, mark) -> list[Result]:
    results = []
    for match in _PERCENT.finditer(text):
        if len(match.group(1)) > places:
            says = (
                f"{where}中的百分比“{match.group(0)}”有 {len(match.group(1))} 位小数（“{excerpt(text, *match.span())}”）："
                f"最多写 {places} 位"
            )
            results.append(Result(WARNING, document, None, mark, says))
    return results


@functools.lru_cache(maxsize=64)
def any_of(words: tuple[str, ...], flags: int = 0) -> re.Pattern | None:
    """One pattern for a declared list of words, the longest first, compiled once: every text is
    read with it once instead of once per word (`check --no-cache --jobs 1` of the 200-document
    bench corpus: 4.96 → 4.55 s of CPU, medians of two runs on a shared machine)."""
    if not words:
        return None
    return re.compile("|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)), flags)


def placeholders(document, wording: Wording, where, text, mark) -> list[Result]:
    pattern = any_of(tuple(wording.placeholders), re.IGNORECASE)
    results = []
    for match in pattern.finditer(text) if pattern is not None else ():
        says = f"{where}中有占位词“{match.group(0)}”（“{excerpt(text, *match.span())}”）：请按原件填写"
        results.append(Result(WARNING, document, None, mark, says))
    return results


def years(document: Document, where, text, mark) -> list[Result]:
    read = _QUOTED.sub(lambda m: " " * len(m.group(0)), text)
    allowed = {document.year - 1, document.year, document.year + 1}
    results = []
    for match in _YEAR.finditer(read):
        named = int(match.group(1))
        if named not in allowed:
            says = (
                f"{where}中写的是 {named} 年（“{excerpt(text, *match.span())}”），本文件是 {document.year} 年度："
                "是不是别的年度的文字没有改？请照原件核对"
            )
            results.append(Result(WARNING, document, None, mark, says))
    return results


class NameRule:
    """The bureau's name written after a place of its own level that is not its own (see the module)."""

    def __init__(self, document: Document, wording: Wording) -> None:
        bureau = document.bureau
        self.document = document
        places = [p for p in bureau.region if p]
        self.own = places[-1] if places else ""
        self.level = self.own[-1:] if self.own and self.own[-1] in _LEVEL else ""
        self.cores = tuple(c for c in {core(bureau.name, places), core(bureau.short_name, places)} if len(c) >= 2)
        stem = self.own[:-1] if self.level else self.own
        # the bureau's own place, with or without its level (望城区, 望城)
        self.own_forms = tuple(f for f in {self.own, stem} if f)
        self.higher = tuple(places[:-1])
        self.not_place = set("".join(wording.not_in_place_names))

    def check(self, where, text, mark) -> list[Result]:
        if not self.cores or not self.level:
            return []
        results = []
        for match in any_of(self.cores).finditer(text):
            before = text[max(0, match.start() - 8) : match.start()]
            if any(before.endswith(f) for f in self.own_forms):
                continue
            place = self.other_place(before)
            if place is None:
                continue
            written = place + match.group(0)
            says = (
                f"{where}中写作“{written}”（“{excerpt(text, *match.span())}”），"
                f"本部门是“{self.document.bureau.name}”（简称“{self.document.bureau.short_name}”）："
                f"是不是别的{self.level}的文字没有改？请照原件核对"
            )
            results.append(Result(WARNING, self.document, None, mark, says))
        return results

    def in_title(self, title: str, mark) -> list[Result]:
        """The title is the cover: it names the bureau itself, by its name, its short name or its
        core after its own place (望城区医疗保障局). A core after a higher place only (长沙市医疗
        保障局), or none, is another body's cover or none's. A core after another place of the
        bureau's level is check()'s."""
        bureau = self.document.bureau
        # the name and short name from the bureau's own place on (望城区医疗保障局, 望城医保局)
        tails = {n[n.find(f) :] for n in (bureau.name, bureau.short_name) for f in self.own_forms if f in n}
        if not self.cores or any(t in title for t in tails | {bureau.name, bureau.short_name}):
            return []
        written = []
        for match in any_of(self.cores).finditer(title):
            before = title[max(0, match.start() - 8) : match.start()]
            if any(before.endswith(f) for f in self.own_forms):
                return []
            if self.other_place(before) is not None:
                return []
            run = re.search(r"[\u4e00-\u9fff]*$", before).group(0)
            starts = [run.find(place) for place in self.higher if place in run]
            written.append((run[min(starts) :] if starts else "") + match.group(0))
        says = (
            f"标题（封面）{'写作“' + written[0] + '”' if written else '没有写部门名称'}，"
            f"本部门是“{bureau.name}”（简称“{bureau.short_name}”）：封面、表头和正文的单位名称应一致，请照原件核对"
        )
        return [Result(WARNING, self.document, None, mark, says)]

    def other_place(self, before: str) -> str | None:
        """The place of the bureau's level *before* ends with, when it names one: the last three or
        two characters of Chinese before the level (after the bureau's higher places), none of them
        a character that is no part of a place's name (完成区医保局, 年度区医保局, 资金由区医保局)."""
        if not before.endswith(self.level):
            return None
        run = re.search(r"[\u4e00-\u9fff]*$", before[:-1]).group(0)
        for place in self.higher:
            run = run.removeprefix(place)
        for size in (3, 2):
            name = run[-size:]
            if len(name) == size and not any(c in self.not_place for c in name):
                return name + self.level
        return None


def core(name: str, places: list[str]) -> str:
    """*name* without the places it starts with (长沙市望城区医疗保障局 → 医疗保障局)."""
    for place in places:
        stem = place[:-1] if place[-1:] in _LEVEL else place
        for form in (place, stem):
            if form and name.startswith(form):
                name = name[len(form) :]
                break
    return name


def mixed_punctuation(document, wording: Wording, where, text, mark) -> list[Result]:
    results = []
    if wording.halfwidth_punctuation:
        marks = "".join(re.escape(p) for p in wording.halfwidth_punctuation)
        hits = list(re.finditer(f"(?<=[\u4e00-\u9fff])[{marks}](?=[\u4e00-\u9fff])", text))
        if hits:
            first = hits[0]
            says = (
                f"{where}中文句中有半角标点“{first.group(0)}”（“{excerpt(text, *first.span())}”，共 {len(hits)} 处）："
                "请照原件核对，中文用全角标点"
            )
            results.append(Result(WARNING, document, None, mark, says))
    for pair in wording.mixed_brackets:
        if len(pair) != 2:
            continue
        hits = list(re.finditer(f"{re.escape(pair[0])}[^（）()\n]{{0,40}}{re.escape(pair[1])}", text))
        if hits:
            first = hits[0]
            says = (
                f"{where}中括号一半全角、一半半角（“{excerpt(text, *first.span())}”，共 {len(hits)} 处）：请照原件核对"
            )
            results.append(Result(WARNING, document, None, mark, says))
    return results


def repeats(document, wording: Wording, where, text, mark) -> list[Result]:
    results = []
    pattern = any_of((*wording.doubled_characters, *wording.doubled_punctuation))
    hits = [(m.start(), m.end(), m.group(0)) for m in pattern.finditer(text)] if pattern is not None else []
    hits += [(m.start(), m.end(), m.group(0)) for m in _REPEATED_WORD.finditer(text)]
    for start, end, word in sorted(set(hits)):
        says = f"{where}中“{word}”重复（“{excerpt(text, start, end)}”）：请照原件核对，删去多余的字或标点"
        results.append(Result(WARNING, document, None, mark, says))
    return results
