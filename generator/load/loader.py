"""Load stage: data/ → a Site model, with every problem found on the way."""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

from ..core.model import (
    DEFAULT_WORDING,
    WORDING_LISTS,
    AmountTable,
    AsIs,
    Attachment,
    Bureau,
    ChartSpec,
    Column,
    ColumnGroup,
    Document,
    FixedRow,
    FooterCell,
    Form,
    FormSet,
    FreeTable,
    GridCell,
    HeadlineSpec,
    IndicatorForm,
    Omission,
    Panel,
    Part,
    Section,
    Site,
    SiteInfo,
    Term,
    TermUse,
    Topic,
    Wording,
)
from ..core.problems import Mark, Problems
from ..core.rules import RULE_KINDS, SEVERITIES, Rule, RuleError, parse_ref, parse_rule
from ..core.summary import SUMMARY_COLUMNS
from ..core.urls import DOCUMENT_OWN, WINDOWS_DEVICE_NAMES
from ..source import files, schema
from ..source.fields import RESERVED_ID, Context, check_record, label_text
from ..source.yamlsource import Mapping, Node, Scalar, YamlProblem, cycle_collection_paused, read_yaml
from .indicators import IndicatorBinder, build_indicator_form
from .tables import bind_form_table, grid_cell

SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")


def shown(path: Path) -> str:
    """The path as the editor knows it: relative to the working directory when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


class Loader:
    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.root = files.real_root(data_dir)  # nothing is read or walked outside it (files.py)
        self.problems = Problems()
        self.ctx = Context(self.problems)
        # The form sets of the document being loaded, whose 绩效 tables may name a form of any of them.
        self.form_sets: dict[str, FormSet] = {}

    def error(self, mark: Mark, message: str) -> None:
        self.problems.add(mark, message)

    def read(self, path: Path, record):
        node = self.read_node(path)
        return None if node is None else check_record(node, record, self.ctx)

    def read_node(self, path: Path) -> Node | None:
        try:
            return read_yaml(path, shown(path), self.root)
        except YamlProblem as exc:
            self.problems.items.append(exc.problem)
            return None

    # ---- the whole tree ----

    @cycle_collection_paused()
    def load(self) -> Site:
        if not self.data_dir.is_dir():
            self.error(Mark(shown(self.data_dir)), NO_DATA_DIRECTORY)
            return Site([], {}, {})
        glossary = self.load_glossary(self.data_dir / "glossary.yaml")
        form_sets = self.load_form_sets(self.data_dir / "forms")
        info = self.load_site_info(self.data_dir / SITE_FILE)
        bureaus = [self.load_bureau(folder, glossary, form_sets) for folder in self.bureau_folders()]
        return Site([b for b in bureaus if b is not None], glossary, form_sets, info)

    def entries(self, folder: Path, skip: Callable[[str], bool] = lambda name: False) -> list[tuple[Path, str]]:
        """The entries of *folder* that may be read or walked, sorted, each with its kind (files.FILE,
        files.FOLDER); a link out of data/, a FIFO or a device is reported at its path instead.
        Entries whose name *skip* accepts are left out unexamined."""
        usable, refused = files.entries(folder, self.root)
        for path, message in refused:
            if not skip(path.name):
                self.error(Mark(shown(path)), message)
        return [(path, kind) for path, kind in usable if not skip(path.name)]

    def bureau_folders(self) -> list[Path]:
        """The folders of data/ that hold a bureau each, in order; stray files are reported."""
        folders = []
        for entry, kind in self.entries(self.data_dir, skip=lambda name: name.startswith(".") or name == "forms"):
            if kind == files.FOLDER:
                folders.append(entry)
            elif entry.suffix in (".yaml", ".yml") and entry.name not in ("glossary.yaml", SITE_FILE, QUALITY_FILE):
                self.error(
                    Mark(shown(entry)),
                    f"这里不该有这个文件：data/ 中只放 glossary.yaml、{SITE_FILE}、{QUALITY_FILE}、forms/ 和每个部门一个文件夹",
                )
        return folders

    def load_glossary(self, path: Path) -> dict[str, Term]:
        if not os.path.lexists(path):  # a link that leads nowhere is not "no glossary": read_yaml says what it is
            return {}
        raw = self.read(path, schema.GLOSSARY_FILE)
        terms: dict[str, Term] = {}
        for t in raw.terms if raw else []:
            for name in [t.term, *t.aliases]:
                if name in terms:
                    self.error(t.mark, f"术语 '{name}' 解释了两次（第 {terms[name].mark.line} 行也有）：删掉一个")
            term = Term(t.term, t.definition, list(t.aliases), t.mark)
            for name in [t.term, *t.aliases]:
                terms.setdefault(name, term)
        return terms

    def load_site_info(self, path: Path) -> SiteInfo:
        """Whose site it is (data/site.yaml): nothing is said of what the file does not give, nor
        of anything when there is no file."""
        if not os.path.lexists(path):  # a link that leads nowhere is not "no file": read_yaml says what it is
            return SiteInfo()
        raw = self.read(path, schema.SITE_FILE)
        if raw is None:
            return SiteInfo()
        licence = raw.license
        return SiteInfo(
            raw.name,
            raw.publisher,
            raw.contact,
            raw.site_code,
            raw.icp,
            raw.public_security,
            licence.name if licence is not None else None,
            licence.url if licence is not None else None,
            raw.corrections_since,
        )

    # ---- forms ----

    def load_form_sets(self, folder: Path) -> dict[str, FormSet]:
        sets: dict[str, FormSet] = {}
        if not os.path.lexists(folder):
            return sets
        try:
            if files.kind_of(folder, self.root) != files.FOLDER:
                return sets
        except files.Refused as exc:
            self.error(Mark(shown(folder)), exc.message)
            return sets
        for path, _ in self.entries(folder, skip=lambda name: not name.endswith(".yaml")):
            if not SLUG.fullmatch(path.stem):
                self.error(
                    Mark(shown(path)), "表样文件名只能用小写英文字母、数字和 -，如 hunan-juesuan-2020.yaml：请改名"
                )
                continue
            if path.stem in WINDOWS_DEVICE_NAMES:
                self.error(Mark(shown(path)), f"'{path.stem}' {RESERVED_ID}")
                continue
            raw = self.read(path, schema.FORM_SET_FILE)
            if raw is None:
                continue
            if not raw.forms and not raw.indicator_forms:
                self.error(raw.mark, "表样文件中没有表样：请写 forms（公开表）或 indicator_forms（绩效表）")
            indicator_forms: dict[str, IndicatorForm] = {}
            for f in raw.indicator_forms:
                if f.name in indicator_forms:
                    self.error(f.mark, f"绩效表样 {f.name} 在这个文件中写了两次：删掉一个")
                    continue
                form = build_indicator_form(f, path.stem, self.ctx)
                if form is not None:
                    indicator_forms[form.name] = form
            forms: dict[str, Form] = {}
            slugs: set[str] = set()
            for f in raw.forms:
                form = self.build_form(f)
                if form is None:
                    continue
                if form.number in forms:
                    self.error(f.mark, f"表样 {form.number} 在这个文件中写了两次：删掉一个")
                if form.slug in slugs:
                    self.error(f.mark, f"两张表样用了同一个 slug '{form.slug}'：请换一个")
                slugs.add(form.slug)
                forms[form.number] = form
            for f in raw.forms:
                if f.number in forms:
                    forms[f.number].rules = self.build_rules(f.rules, forms[f.number], forms)
            sets[path.stem] = FormSet(
                path.stem,
                raw.name,
                forms,
                shown(path),
                self.build_rules(raw.rules, None, forms),
                self.build_measures(raw.measures, forms),
                self.checked_outline(raw.outline, forms),
                self.build_charts(raw.charts, forms),
                tuple(dict.fromkeys(raw.kinds)),
                self.build_headline(raw.headline, forms),
                indicator_forms,
                wording(raw.wording),
                raw.publish_within,
                tuple(
                    Topic(t.name, tuple(t.words or [t.name]), t.mark, tuple(t.elements or []), t.table)
                    for t in raw.topics or []
                ),
                raw.percent_places,
            )
        return sets

    def build_column_tree(self, raw_columns) -> tuple[list, list[Column]]:
        tree, leaves = [], []
        for c in raw_columns:
            if c.columns is not None:
                if c.key or c.type:
                    self.error(c.mark, "列组写了 'columns'，就不能再写 'key' 或 'type'：请删掉")
                sub_tree, sub_leaves = self.build_column_tree(c.columns)
                tree.append(ColumnGroup(c.label, sub_tree, c.mark))
                leaves += sub_leaves
            else:
                if not c.key or not c.type:
                    self.error(c.mark, "一列要写 'key' 和 'type'（列组则写 'columns'）：请补上")
                column = Column(c.key or c.label, c.label, c.type or "text", c.no, c.mark)
                tree.append(column)
                leaves.append(column)
        return tree, leaves

    def build_form(self, f) -> Form | None:
        tree, leaves = self.build_column_tree(f.columns)
        raw_panels = f.panels or [whole_form_panel(f, len(leaves))]
        if sum(p.width for p in raw_panels) != len(leaves):
            self.error(
                f.mark,
                f"表样 {f.number}：各栏的 width 加起来是 {sum(p.width for p in raw_panels)}，"
                f"但表样有 {len(leaves)} 列：请改正 width",
            )
            return None
        panels, start = [], 0
        for p in raw_panels:
            columns = leaves[start : start + p.width]
            start += p.width
            keys = [c.key for c in columns]
            for c in columns:
                if keys.count(c.key) > 1:
                    self.error(c.mark, f"同一栏中列的 key '{c.key}' 用了两次：请换一个")
            rows = None
            if p.rows is not None:
                rows = [FixedRow(r.key, r.label, r.line, r.indent, r.total, r.mark) for r in p.rows]
                seen: set[str] = set()
                for r in rows:
                    if r.key in seen:
                        self.error(r.mark, f"栏 {p.key} 中行的 key '{r.key}' 用了两次：请换一个")
                    if r.key:
                        seen.add(r.key)
            panels.append(Panel(p.key, columns, rows, p.mark))
        footer = [FooterCell(c.label, c.key, c.colspan, c.mark) for c in f.footer]
        if footer and sum(c.colspan for c in footer) != len(leaves):
            self.error(
                f.mark,
                f"表样 {f.number}：表尾占 {sum(c.colspan for c in footer)} 列，应为 {len(leaves)} 列：请改正 colspan",
            )
        return Form(f.number, f.slug, f.title, f.unit, f.note, tree, panels, footer, f.mark)

    def build_rules(self, raw_rules, form: Form | None, forms: dict[str, Form]) -> list[Rule]:
        rules = []
        for r in raw_rules or []:
            given = [kind for kind in RULE_KINDS if getattr(r, kind) is not None]
            if len(given) != 1:
                self.error(r.mark, f"一条核对规则只写 {'、'.join(RULE_KINDS)} 中的一个")
                continue
            kind = given[0]
            try:
                rules.append(
                    parse_rule(
                        kind,
                        getattr(r, kind),
                        r.mark,
                        form,
                        forms,
                        r.tolerance,
                        r.says,
                        SEVERITIES.get(r.severity) if r.severity else None,
                    )
                )
            except RuleError as exc:
                self.error(r.mark, f"{kind} 规则：{exc}")
        return rules

    def omissions(self, raw_list, form_set: FormSet | None) -> tuple[Omission, ...]:
        """`omitted:` tables, each a form of the document's form set, named once."""
        kept: dict[str, Omission] = {}
        for raw in raw_list:
            if form_set is None:
                self.error(raw.mark, "omitted：文件没有 form_set，无从知道必须公开哪些表；请先写 form_set")
                break
            if raw.form not in form_set.forms:
                self.error(
                    raw.mark, f"omitted：表样 {form_set.id} 中没有 '{raw.form}'{suggest(raw.form, form_set.forms)}"
                )
            elif raw.form in kept:
                self.error(raw.mark, f"omitted：{raw.form} 写了两次")
            else:
                kept[raw.form] = Omission(raw.form, raw.why, raw.mark)
        return tuple(kept.values())

    def checked_outline(self, parts, forms: dict[str, Form]) -> list:
        """The standard 目录, each section's form known to the form set."""

        def check(sections):
            for s in sections:
                if s.form is not None and s.form not in forms:
                    self.error(s.mark, f"outline：这套表样中没有 '{s.form}'{suggest(s.form, forms)}")
                    s.form = None
                if s.itemizes is not None and not self.itemized_column(s.itemizes, forms):
                    self.error(s.mark, f"outline：itemizes '{s.itemizes}' 应写成 表号:金额列，表要有科目编码列")
                    s.itemizes = None
                check(s.sections)

        for part in parts:
            check(part.sections)
        return parts

    @staticmethod
    def itemized_column(text: str, forms: dict[str, Form]) -> bool:
        """Whether `itemizes: 公开05表:合计` names an amount column of a table with a 科目编码 column."""
        number, _, column = text.partition(":")
        form = forms.get(number)
        return form is not None and any(
            p.rows is None and p.code_keys and column in [c.key for c in p.amount_columns] for p in form.panels
        )

    def build_measures(self, node, forms: dict[str, Form]) -> dict[str, tuple[str, str]]:
        """`一般公共预算财政拨款支出: 公开05表:合计`: an amount column of a table with a 科目编码 column."""
        if node is None:
            return {}
        if not isinstance(node, Mapping):
            self.error(node.mark, "'measures' 应写成一组“名称: 表号:列”")
            return {}
        measures = {}
        for key, value in node.items:
            if label_text(key, self.ctx) is None:
                continue
            text = value.text.strip() if hasattr(value, "text") and value.text else ""
            number, _, column = text.partition(":")
            form = forms.get(number)
            if form is None:
                self.error(value.mark, f"measure '{key.text}'：这套表样中没有 '{number}'{suggest(number, forms)}")
                continue
            panels = [p for p in form.panels if p.rows is None and any(c.type == "code" for c in p.columns)]
            if not any(column in [c.key for c in p.amount_columns] for p in panels):
                self.error(value.mark, f"measure '{key.text}'：{number} 按科目编码的行中没有金额列 '{column}'")
                continue
            measures[key.text] = (number, column)
        return measures

    def build_charts(self, raw_charts, forms: dict[str, Form]) -> list[ChartSpec]:
        """Each chart's cells resolved against the forms, as a rule's are: unknown names are errors here."""
        charts = []
        for raw in raw_charts:

            def ref(text: str, mark: Mark, title: str = raw.title):
                try:
                    return parse_ref(text.strip(), None, forms, None)
                except RuleError as exc:
                    self.error(mark, f"图表“{title}”：{exc}")
                    return None

            parts, total = [], None
            if (raw.rows is None) == (raw.cells is None):
                self.error(
                    raw.mark,
                    f"图表“{raw.title}”：rows（一个有固定行的栏）和 cells（名称: 格子）要写一个，且只写一个",
                )
                continue
            if raw.rows is not None:
                number, _, panel_key = raw.rows.partition(":")
                form = forms.get(number)
                panel = next((p for p in form.panels if p.key == panel_key), None) if form else None
                if panel is None or panel.rows is None:
                    self.error(
                        raw.mark,
                        f"图表“{raw.title}”：'{raw.rows}' 不是有固定行的栏：rows 写成 表号:栏，如 公开01表:收入",
                    )
                    continue
                for row in panel.rows:
                    if row.total:
                        total = ref(f"{number}:{panel_key}.{row.key}", raw.mark)
                        break
                    if row.key and row.label and row.indent == 0:
                        parts.append((row.label, ref(f"{number}:{panel_key}.{row.key}", raw.mark)))
            else:
                if not isinstance(raw.cells, Mapping):
                    self.error(
                        raw.cells.mark,
                        f"图表“{raw.title}”：cells 要写成一组“名称: 表号:格子”，如 基本支出: 公开03表:合计.基本支出",
                    )
                    continue
                for key, value in raw.cells.items:
                    label = label_text(key, self.ctx)
                    parts.append((label, ref(getattr(value, "text", None) or "", value.mark) if label else None))
                if raw.total is not None:
                    total = ref(raw.total, raw.mark)
            if any(cell is None for _, cell in parts) or (raw.total is not None and total is None):
                continue
            charts.append(ChartSpec(raw.title, parts, total, raw.trend, raw.mark))
        return charts

    def build_headline(self, raw_items, forms: dict[str, Form]) -> list[HeadlineSpec]:
        """Each figure's cells resolved against the forms, as a rule's are: an unknown name is an
        error at its line, and the figure is left out."""
        figures = []
        for raw in raw_items:
            try:
                cell = parse_ref(raw.cell.strip(), None, forms, None)
                budget = parse_ref(raw.budget.strip(), None, forms, None) if raw.budget is not None else None
            except RuleError as exc:
                self.error(raw.mark, f"主要数字 '{raw.label}'：{exc}")
                continue
            figures.append(HeadlineSpec(raw.label, cell, budget, self.build_headline(raw.items, forms), raw.mark))
        return figures

    # ---- bureaus and documents ----

    @cycle_collection_paused()
    def load_bureau(self, folder: Path, glossary, form_sets) -> Bureau | None:
        where = Mark(shown(folder))
        if not SLUG.fullmatch(folder.name):
            self.error(where, "部门文件夹名只能用小写英文字母、数字和 -（写拼音），如 changsha-wangcheng-ybj：请改名")
            return None
        if folder.name in WINDOWS_DEVICE_NAMES:
            self.error(where, f"'{folder.name}' {RESERVED_ID}")
            return None
        bureau_file = folder / "bureau.yaml"
        if not os.path.lexists(bureau_file):
            self.error(where, "部门文件夹中没有 bureau.yaml：请用 python -m generator new-bureau 新建，或补上这个文件")
            return None
        raw = self.read(bureau_file, schema.BUREAU_FILE)
        if raw is None:
            return None
        bureau = Bureau(
            folder.name,
            raw.name,
            raw.short_name,
            raw.region.split("/"),
            raw.duties,
            raw.organization,
            raw.units,
            shown(bureau_file),
        )
        for year_dir, kind in self.entries(folder, skip=lambda name: name == "bureau.yaml" or name.startswith(".")):
            if not (kind == files.FOLDER and re.fullmatch(r"(19|20)[0-9][0-9]", year_dir.name)):
                self.error(
                    Mark(shown(year_dir)),
                    "这里不该有这个文件：部门文件夹中只放 bureau.yaml 和每年一个文件夹（如 2020）",
                )
                continue
            stems: dict[str, Path] = {}
            for path, _ in self.entries(year_dir):
                if path.suffix not in (".yaml", ".yml") or not SLUG.fullmatch(path.stem):
                    self.error(
                        Mark(shown(path)),
                        "公开文件是 .yaml 文件，文件名只能用小写英文字母、数字和 -，如 juesuan.yaml：请改名",
                    )
                    continue
                if path.stem in WINDOWS_DEVICE_NAMES:
                    self.error(Mark(shown(path)), f"'{path.stem}' {RESERVED_ID}")
                    continue
                if path.stem in stems:  # juesuan.yaml and juesuan.yml would be one page, one download
                    self.error(
                        Mark(shown(path)),
                        f"与 {stems[path.stem].name} 只差扩展名，两份文件会用同一个网址：请删掉一个，或给这份改名",
                    )
                    continue
                stems[path.stem] = path
                document = self.load_document(path, bureau, int(year_dir.name), glossary, form_sets)
                if document is not None:
                    bureau.documents.append(document)
        return bureau

    def load_document(self, path: Path, bureau: Bureau, year: int, glossary, form_sets) -> Document | None:
        self.form_sets = form_sets
        node = self.read_node(path)  # kept: a problem found below points at its key's value
        raw = None if node is None else check_record(node, schema.DOCUMENT_FILE, self.ctx)
        if raw is None:
            return None
        doc_path = shown(path)

        def mark_of(key: str) -> Mark:
            """Where *key*'s value is written (the file's top when it is not)."""
            value = node.get(key) if isinstance(node, Mapping) else None
            return value.mark if value is not None else Mark(doc_path, 1, 1)

        if raw.year is not None and raw.year != year:
            self.error(
                mark_of("year"),
                f"文件写的年度是 {raw.year}，却放在 {year}/ 文件夹中：请改正年度，或把文件移到 {raw.year}/",
            )
        form_set = None
        if raw.form_set:
            form_set = form_sets.get(raw.form_set)
            if form_set is None:
                self.error(
                    mark_of("form_set"),
                    f"没有表样 '{raw.form_set}'{suggest(raw.form_set, form_sets)}：form_set 写 data/forms/ 中的文件名（不带 .yaml）",
                )
            elif raw.kind is not None and raw.kind not in form_set.kinds:
                fitting = [f.id for f in form_sets.values() if raw.kind in f.kinds]
                self.error(
                    mark_of("form_set"),
                    f"表样 '{form_set.id}' 用于{'、'.join(form_set.kinds)}文件，这份文件是{raw.kind}："
                    f"请换用{raw.kind}的表样" + (f"（现有 {'、'.join(fitting)}）" if fitting else "") + "，或改正 kind",
                )
        document = Document(
            path.stem,
            bureau,
            raw.year,
            raw.kind,
            raw.title,
            raw.unit,
            form_set,
            raw.published,
            [],
            doc_path,
            as_is=[AsIs(a.rule, a.difference, a.mark) for a in raw.published_as_is or []],
            as_is_note=raw.as_is_note,
            approved=raw.approved,
            issuer=raw.issuer,
            original_url=raw.original_url,
            source_note=raw.source,
            omitted=self.omissions(raw.omitted or [], form_set),
            form_set_mark=mark_of("form_set"),
            title_mark=mark_of("title"),
            published_mark=mark_of("published") if raw.published is not None else None,
        )
        if raw.approved is not None and raw.published is not None and raw.approved > raw.published:
            self.error(
                mark_of("approved"),
                f"批复日期 {raw.approved} 在公开日期 {raw.published} 之后：先批复、后公开，请对照原件改正 approved 或 published",
            )
        used_slugs: set[str] = set()
        for number, p in enumerate(raw.parts or [], 1):
            slug = p.id or f"part{number}"
            if slug in DOCUMENT_OWN:
                self.error(
                    p.mark,
                    f"部分的 id '{slug}' 是每份文件自己的页面（数据核对 checks、全文 quanwen、下载 xiazai）用的名字：请换一个",
                )
            if slug in used_slugs:
                self.error(p.mark, f"两个部分用了同一个 id '{slug}'：请换一个")
            used_slugs.add(slug)
            anchors: set[str] = set()
            sections = self.build_sections(p.sections or [], document, "s", anchors)
            if p.table is not None:
                own = self.own_table(p, document, anchors)
                if own is not None:
                    sections.insert(0, own)
            attachments = []
            for a in p.attachments or []:
                if a.id in used_slugs:
                    self.error(a.mark, f"id '{a.id}' 在这份文件中用了两次：请换一个")
                used_slugs.add(a.id)
                attachment_anchors: set[str] = set()
                attachment_sections = self.build_sections(a.sections or [], document, "s", attachment_anchors)
                if a.table is not None:
                    own = self.own_table(a, document, attachment_anchors)
                    if own is not None:
                        attachment_sections.insert(0, own)
                attachments.append(Attachment(a.id, a.title, attachment_sections, a.mark, a.body))
            terms = [self.term_use(entry, glossary) for entry in p.glossary or []]
            document.parts.append(Part(slug, p.title, p.body, sections, [t for t in terms if t], attachments, p.mark))
        return document

    def term_use(self, entry, glossary) -> TermUse | None:
        if entry.definition is not None:
            return TermUse(entry.term, entry.definition, True, entry.mark)
        term = glossary.get(entry.term)
        if term is None:
            self.error(
                entry.mark,
                f"data/glossary.yaml 中没有术语 '{entry.term}'{suggest(entry.term, glossary)}："
                "请在那里加上，或在这里写成 {term: …, definition: …}",
            )
            return None
        return TermUse(term.term, term.definition, False, entry.mark)

    def build_sections(self, raw_sections, document: Document, prefix: str, anchors: set[str]) -> list[Section]:
        sections = []
        for number, s in enumerate(raw_sections, 1):
            table = self.build_table(s.table, document) if s.table is not None else None
            anchor = s.id or (table.anchor if table is not None else f"{prefix}{number}")
            if anchor in anchors:
                self.error(s.mark, f"锚点 '{anchor}' 在同一页中用了两次：请给这个小节写一个 'id'")
            anchors.add(anchor)
            children = self.build_sections(s.sections or [], document, f"{anchor}-", anchors)
            sections.append(Section(s.title, anchor, s.body, table, children, s.mark))
        return sections

    def own_table(self, p, document: Document, anchors: set[str]) -> Section | None:
        """The table a part (or an attachment) holds directly, as a section of it with no heading of
        its own: whatever walks its sections (checks, downloads, search, the audit) finds it there."""
        table = self.build_table(p.table, document)
        if table is None:
            return None
        if table.anchor in anchors:
            self.error(table.mark, f"锚点 '{table.anchor}' 在同一页中用了两次：请给这张表换一个 'id'")
        anchors.add(table.anchor)
        return Section(p.title, table.anchor, None, table, [], table.mark, bare=True)

    def build_table(self, node, document: Document):
        kind = schema.TABLE.choose(node)
        if kind is schema.FORM_TABLE:
            raw = check_record(node, schema.FORM_TABLE, self.ctx)
            if raw is None:
                return None
            if document.form_set is None:
                self.error(raw.mark, "表格写了 form，但这份文件没有有效的 'form_set'：请先改正 form_set")
                return None
            form = document.form_set.forms.get(raw.form)
            if form is None:
                self.error(
                    node.get("form").mark,
                    f"表样文件 '{document.form_set.id}' 中没有 '{raw.form}'"
                    f"{suggest(raw.form, document.form_set.forms)}",
                )
                return None
            return bind_form_table(form, raw, self.ctx)
        if kind is schema.INDICATOR_TABLE:
            raw = check_record(node, schema.INDICATOR_TABLE, self.ctx)
            if raw is None:
                return None
            form = None
            if raw.form is not None:
                form = self.indicator_form(raw.form, node.get("form").mark, document)
                if form is None:
                    return None
            return IndicatorBinder(self.ctx).bind(raw, form, node)
        if kind is schema.AMOUNT_TABLE:
            raw = check_record(node, schema.AMOUNT_TABLE, self.ctx)
            if raw is None:
                return None
            block = IndicatorBinder(self.ctx).money_block(raw)
            block.head = raw.head
            table = AmountTable(raw.id, raw.title, raw.caption, raw.unit, block, raw.note, raw.statement, raw.mark)
            if raw.summary_of is not None:
                table.summary_of = self.summary_columns(raw.summary_of, block)
                table.summary_mark = raw.summary_of.mark
            return table
        raw = check_record(node, schema.FREE_TABLE, self.ctx)
        if raw is None:
            return None
        grid = [[grid_cell(c, self.problems) for c in row] for row in raw.grid]
        check_grid(grid, raw.mark, self.problems)
        return FreeTable(raw.id, raw.title, raw.caption, raw.unit, grid, raw.note, raw.statement, raw.mark)

    def summary_columns(self, node, block) -> dict[str, str]:
        """`summary_of:` of a printed 汇总表: each column of the generated 汇总 → the label of the
        table's column that prints it. What names no column of either is reported at its key."""
        if not isinstance(node, Mapping) or not node.items:
            example = "、".join(f"{c}: 列名" for c in SUMMARY_COLUMNS)
            self.error(node.mark, f"summary_of 写汇总的各项印在本表哪一列：{{{example}}}，至少写一项")
            return {}
        labels = [c.label for c in block.columns]
        found: dict[str, str] = {}
        for key, value in node.items:
            if key.text not in SUMMARY_COLUMNS:
                self.error(
                    key.mark,
                    f"汇总中没有 '{key.text}'{suggest(key.text, SUMMARY_COLUMNS)}：可写 {'、'.join(SUMMARY_COLUMNS)}",
                )
                continue
            label = value.text.strip() if isinstance(value, Scalar) and not value.is_null else ""
            if label not in labels:
                self.error(
                    value.mark,
                    f"本表没有列 '{label}'{suggest(label, labels)}：{key.text} 写本表 columns 中的列名（{'、'.join(labels)}）",
                )
                continue
            found[key.text] = label
        return found

    def indicator_form(self, name: str, mark: Mark, document: Document) -> IndicatorForm | None:
        """The 绩效 form a table names: 表样文件:表样名, or the name alone in the document's form set."""
        set_id, _, form_name = name.rpartition(":")
        sets = self.form_sets
        if set_id:
            form_set = sets.get(set_id)
            if form_set is None:
                jixiao = [s for s in sets.values() if s.indicator_forms]
                self.error(
                    mark,
                    f"没有表样文件 '{set_id}'{suggest(set_id, {s.id: s for s in jixiao})}：form 写 表样文件名:表样名，"
                    f"如 {example_form(jixiao)}",
                )
                return None
        else:
            form_set = document.form_set
            if form_set is None or form_name not in form_set.indicator_forms:
                self.error(
                    mark,
                    f"这份文件的表样中没有绩效表样 '{form_name}'：请写 表样文件名:表样名，如 "
                    f"{example_form([s for s in sets.values() if s.indicator_forms])}",
                )
                return None
        form = form_set.indicator_forms.get(form_name)
        if form is None:
            choices = "、".join(form_set.indicator_forms) or "（没有绩效表样）"
            self.error(
                mark,
                f"表样文件 '{form_set.id}' 中没有绩效表样 '{form_name}'"
                f"{suggest(form_name, form_set.indicator_forms)}：它的绩效表样有 {choices}",
            )
        return form


def example_form(form_sets) -> str:
    """A `form:` a clerk could write, from the 绩效 forms the site has (never a 决算 form set)."""
    for form_set in form_sets:
        for name in form_set.indicator_forms:
            return f"{form_set.id}:{name}"
    return "hunan-jixiao-2020:公共专项绩效自评表"


def whole_form_panel(form_raw, width: int):
    """A form without declared panels has one panel of all its columns and free rows."""
    return SimpleNamespace(key="", width=width, rows=None, mark=form_raw.mark)


NO_DATA_DIRECTORY = "没有这个数据文件夹：请检查文件夹名，或在项目根目录运行"
SITE_FILE = "site.yaml"  # whose site it is: data/site.yaml (schema.SITE_FILE)
QUALITY_FILE = "quality.yaml"  # the 公开质量 review's criteria (schema.QUALITY_FILE, load/quality.py)


def suggest(word: str, options) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.5)
    return f"（是不是要写 '{close[0]}'？）" if close else ""


def check_grid(grid: list[list[GridCell]], mark: Mark, problems: Problems) -> None:
    """Every row of a free table must fill the same width once spans are counted."""
    taken: set[tuple[int, int]] = set()
    for r, row in enumerate(grid):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            taken.update((r + dr, c + dc) for dr in range(cell.rowspan) for dc in range(cell.colspan))
            c += cell.colspan
    widths = [0] * len(grid)
    for row, _ in taken:  # one pass over the cells, rather than one per row
        if row < len(grid):
            widths[row] += 1
    for r, width in enumerate(widths[1:], 1):
        if width != widths[0]:
            where = grid[r][0].mark if grid[r] else mark
            problems.add(where, f"这一行有 {width} 格宽，第一行是 {widths[0]} 格：请检查 colspan、rowspan 和格数")


def load_site(data_dir: Path) -> tuple[Site, Problems]:
    loader = Loader(data_dir)
    site = loader.load()
    return site, loader.problems


def wording(raw) -> Wording:
    """DEFAULT_WORDING with the form set's own words added to each list (a word once)."""
    if raw is None:
        return DEFAULT_WORDING
    return replace(
        DEFAULT_WORDING,
        **{
            name: tuple(dict.fromkeys(getattr(DEFAULT_WORDING, name) + tuple(getattr(raw, name) or ())))
            for name in WORDING_LISTS
        },
    )
