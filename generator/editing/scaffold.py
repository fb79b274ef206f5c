"""`python -m generator new` and `new-bureau`: a new file laid out ready to fill, never over an old one.

A new document follows its form set: the standard 目录 the form set declares (`outline:`), and in
every section that prints a form, that form's table with each fixed row and each amount column
written out and left blank. A table whose rows are 科目 (free rows) starts from the 科目编码 and
names of the bureau's nearest document of the same form set, amounts blank, or else from its
合计 row. Blank amounts load as blank cells; `check` reports each table still without a figure,
so that a half-made file is not published by accident.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from ..core.model import KIND_NAMES, KINDS, Bureau, Document, Form, FormSet, FormTable, IndicatorForm, Panel
from ..core.problems import Problems
from ..load.indicators import LEVELS
from ..load.loader import SLUG, Loader, shown
from ..source import schema
from .fmt import dump_text

FILE_NAMES = {"预算": "yusuan", "决算": "juesuan", "绩效": "jixiao"}  # the kind's file, as the existing ones
YEAR_FIELD = schema.DOCUMENT_FILE.fields["year"]
REGION = schema.BUREAU_FILE.fields["region"].pattern
LABEL_TYPES = ("code", "name", "item", "text")  # what a row of 科目 keeps from an earlier year
FIGURE_TYPES = ("amount", "percent")
MAX_PROJECTS = 99  # a department's 项目支出绩效自评 run to a dozen or two; more is a slip of the keyboard
BLOCK_WORDS = {"facts": "表头", "funds": "资金情况", "indicators": "指标", "total": "总分"}  # what new says it laid out
ANCHORS = {"自评": "zpb", "申报": "sbb"}  # a table's id: 自评表, 申报表
PROJECT_NAME = "项目名称"  # the header line of a form for one project's report
# the funds row every 自评表 prints (财预〔2020〕10号), whose 分值 is the form's funds.score
FUNDS_TOTAL = "年度资金总额"
CHINESE_NUMBERS = "一二三四五六七八九十"


def fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 1


def flow(mapping: dict) -> CommentedMap:
    out = CommentedMap(mapping)
    out.fa.set_flow_style()
    return out


def numbered(index: int) -> str:
    """1 → 一, 12 → 十二: the numbering of a 目录's sections."""
    if index <= 10:
        return CHINESE_NUMBERS[index - 1]
    tens, ones = divmod(index, 10)
    return (CHINESE_NUMBERS[tens - 1] if tens > 1 else "") + "十" + (CHINESE_NUMBERS[ones - 1] if ones else "")


# ---- new-bureau ----


def new_bureau(data_dir: Path, slug: str, name: str, short_name: str | None, region: str) -> int:
    if not SLUG.fullmatch(slug):
        return fail(f"'{slug}' 不能作部门文件夹名：用小写拼音、数字和 -，如 changsha-wangcheng-ybj")
    name, region = name.strip(), region.strip()
    if not name:
        return fail("--name 不能为空：写部门全称，如 长沙市望城区医疗保障局")
    if not REGION.fullmatch(region):
        return fail(f"地区 '{region}' 写法不对：写 省/市/区县，用 / 分开，如 湖南省/长沙市/望城区")
    folder = data_dir / slug
    path = folder / "bureau.yaml"
    if path.exists():
        return fail(f"{shown(path)} 已存在，未改动（new-bureau 不覆盖已有文件）")
    bureau = CommentedMap()
    bureau["name"] = name
    bureau["short_name"] = (short_name or name).strip()
    bureau["region"] = region
    for key in ("duties", "organization", "units"):
        bureau[key] = None
    bureau.yaml_set_comment_before_after_key(
        "duties", before="以下三项是 Markdown 文字，可省略：部门职责、机构设置、决算单位构成（较长时用 | 块写法）"
    )
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(dump_text(bureau, "bureau"), encoding="utf-8")
    print(f"已新建 {shown(path)}")
    if not short_name:
        print("简称暂用全称：在 short_name 写上简称（如 望城区医保局）")
    print(f"下一步：python -m generator new {slug} 年度 预算|决算|绩效")
    return 0


# ---- new ----


def new_document(
    data_dir: Path,
    slug: str,
    year_text: str,
    kind_text: str,
    form_set_id: str | None,
    report: str | None = None,
    projects: int | None = None,
) -> int:
    kind = next((k for k, file in FILE_NAMES.items() if kind_text in (k, file)), None)
    if kind is None:
        return fail(f"类别 '{kind_text}' 不认识：写 {'、'.join(KINDS)}（或 {'、'.join(FILE_NAMES.values())}）")
    if kind != "绩效" and (report is not None or projects is not None):
        return fail(f"--report 和 --projects 只用于绩效文件：{kind}文件的表由表样的目录定，请删掉这两项")
    if projects is not None and not 1 <= projects <= MAX_PROJECTS:
        return fail(f"--projects 写项目自评表的张数，1 到 {MAX_PROJECTS}，却是 {projects}")
    if not (re.fullmatch(r"[0-9]{4}", year_text) and YEAR_FIELD.low <= int(year_text) <= YEAR_FIELD.high):
        return fail(f"年度 '{year_text}' 写法不对：写四位数字，如 2021")
    year = int(year_text)
    folder = data_dir / slug
    if not SLUG.fullmatch(slug) or not (folder / "bureau.yaml").exists():
        return fail(
            f"{shown(folder)} 不是已有的部门：先运行 python -m generator new-bureau {slug} --name 全称 --region 省/市/区县"
        )
    path = folder / str(year) / f"{FILE_NAMES[kind]}.yaml"
    if path.exists():
        return fail(f"{shown(path)} 已存在，未改动（new 不覆盖已有文件）")

    loader = Loader(data_dir)
    form_sets = loader.load_form_sets(data_dir / "forms")
    form_problems = Problems()
    form_problems.items = list(loader.problems.items)
    bureau = loader.load_bureau(folder, loader.load_glossary(data_dir / "glossary.yaml"), form_sets)
    if bureau is None:
        bureau_file = shown(folder / "bureau.yaml")
        for problem in loader.problems.sorted():
            if problem.mark.path == bureau_file:
                print(f"{problem.mark}: {problem.message}", file=sys.stderr)
        return fail(f"{bureau_file} 有错误，先改正后再新建文件")

    form_set, how = choose_form_set(form_sets, bureau, kind, year, form_set_id)
    if form_set is None and how:
        return fail(how)
    if form_set is not None:
        broken = [p for p in form_problems.errors if p.mark.path == form_set.path]
        if broken:
            for problem in broken:
                print(f"{problem.mark}: {problem.message}", file=sys.stderr)
            return fail(f"表样 {form_set.id} 有错误，先改正后再新建文件")

    indicator_form = None
    if form_set is not None and kind == "绩效" and form_set.indicator_forms:
        indicator_form, why = choose_indicator_form(form_set, report, projects is not None)
        if indicator_form is None:
            return fail(why)
    elif report is not None or projects is not None:
        which = f"表样 {form_set.id} 没有绩效表样（indicator_forms）" if form_set else "没有选定绩效表样"
        having = "、".join(sorted(n for n, f in form_sets.items() if kind in f.kinds and f.indicator_forms))
        return fail(f"{which}：--report、--projects 无从列出，请用 --form 指定一套（现有 {having or '无'}）")

    earlier = nearest_document(bureau, form_set, year) if form_set is not None else None
    if indicator_form is not None:
        document = scaffold_reports(bureau, year, form_set, indicator_form, projects)
    else:
        document = scaffold(bureau, kind, year, form_set, earlier)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump_text(document, "document"), encoding="utf-8")
    print(f"已新建 {shown(path)}")
    if indicator_form is not None:
        tables = list(form_tables(document))
        ids = "、".join(str(t["id"]) for t in tables)
        laid = "、".join(word for key, word in BLOCK_WORDS.items() if key in tables[0])
        print(
            f"表样 {form_set.id}（{form_set.name}，{how}）：列出了 {len(tables)} 张{indicator_form.name}"
            f"（id {ids}）的{laid}，内容空着"
        )
        print(
            f"可把原件的表复制成 .tsv 后导入：python -m generator import 表.tsv {shown(path)} --table {tables[0]['id']}"
        )
    elif form_set is not None:
        tables = sum(1 for _ in form_tables(document))
        print(f"表样 {form_set.id}（{form_set.name}，{how}）：列出了 {tables} 张表的行和列，金额空着")
        if earlier is not None:
            print(f"科目行取自 {earlier.path}：照原件增删，再填金额")
    print("照原件填写后运行 python -m generator check：还没有数字的表会列出来")
    return 0


def choose_form_set(
    form_sets: dict[str, FormSet], bureau: Bureau, kind: str, year: int, wanted: str | None
) -> tuple[FormSet | None, str]:
    """(the form set, why it was chosen), or (None, a message) when none fits; (None, '') for a
    kind that has no form set (绩效)."""
    # the sets of this kind of document, never one of another kind (a 绩效 set for a 决算)
    serving = [name for name, f in form_sets.items() if kind in f.kinds]
    available = "、".join(sorted(serving or form_sets)) or "（data/forms/ 中没有表样）"
    if wanted:
        if wanted not in form_sets:
            return None, f"没有表样 '{wanted}'：现有 {available}"
        if kind not in form_sets[wanted].kinds:
            return (
                None,
                f"表样 '{wanted}' 用于{'、'.join(form_sets[wanted].kinds)}文件，不能用于{kind}：请换一套（现有 {available}）",
            )
        return form_sets[wanted], "按 --form-set 指定"
    used = [d for d in bureau.documents if d.kind == kind and d.form_set is not None]
    if used:
        nearest = min(used, key=lambda d: (d.year > year, abs(d.year - year)))
        return nearest.form_set, f"与 {nearest.year} 年的{KIND_NAMES[kind]}相同"
    province = bureau.region[0]
    fitting = [f for f in form_sets.values() if f.name.startswith(province) and kind in f.kinds]
    if not fitting:
        if kind == "绩效":
            return None, ""
        return (
            None,
            f"没有{province}的{kind}表样：用 --form-set 指定一套（现有 {available}），或先在 data/forms/ 声明表样",
        )
    chosen = min(fitting, key=lambda f: (form_set_year(f) > year, abs(form_set_year(f) - year)))
    return chosen, f"按地区 {province} 和类别 {kind} 选定"


def form_set_year(form_set: FormSet) -> int:
    match = re.search(r"(19|20)[0-9]{2}", form_set.id) or re.search(r"(19|20)[0-9]{2}", form_set.name)
    return int(match.group(0)) if match else 0


def nearest_document(bureau: Bureau, form_set: FormSet, year: int) -> Document | None:
    """The bureau's document of this form set nearest in time, earlier years first."""
    same = [d for d in bureau.documents if d.form_set is form_set and d.year != year]
    return min(same, key=lambda d: (d.year > year, abs(d.year - year))) if same else None


def scaffold(bureau: Bureau, kind: str, year: int, form_set: FormSet | None, earlier: Document | None) -> CommentedMap:
    names = {"{部门}": bureau.name, "{简称}": bureau.short_name, "{年度}": str(year)}

    def fill(title: str) -> str:
        for placeholder, value in names.items():
            title = title.replace(placeholder, value)
        return title

    document = CommentedMap()
    document["title"] = f"{year}年度{bureau.name}{KIND_NAMES[kind]}"
    document["kind"] = kind
    document["year"] = str(year)
    document["unit"] = "万元"
    if form_set is not None:
        document["form_set"] = form_set.id
    document["parts"] = CommentedSeq()
    if form_set is not None and form_set.forms:
        tables = (
            "表的行和列已按表样列出，金额空着。\n"
            "金额写普通小数（如 2549.18），空白的格不写；原件此表为空时写 statement（如 此表数据为空）。\n"
        )
    elif form_set is not None:  # 绩效 forms only: each table names its form
        listed = "、".join(form_set.indicator_forms)
        tables = f"绩效表写 form: 表样名（{listed}），写法见 EDITING.md 的绩效表。\n"
    else:
        tables = "本类文件没有表样：表格照 EDITING.md 的写法录入。\n"
    document.yaml_set_start_comment(
        f"新建的文件：照原件填写标题、目录和正文。{tables}填好后运行 python -m generator check。写法见 EDITING.md。"
    )
    document.yaml_set_comment_before_after_key(
        "parts", before="原件载明公开日期时，在此行上面加一行 published: YYYY-MM-DD"
    )

    def sections(outline_sections) -> CommentedSeq:
        out = CommentedSeq()
        for s in outline_sections:
            section = CommentedMap()
            section["title"] = fill(s.title)
            if s.form is not None:
                section["table"] = table(form_set.forms[s.form], earlier)
            if s.sections:
                section["sections"] = sections(s.sections)
            out.append(section)
        return out

    outline = form_set.outline if form_set is not None else []
    for p in outline or default_outline(form_set):
        part = CommentedMap()
        part["title"] = fill(p.title)
        if p.sections:
            part["sections"] = sections(p.sections)
        if p.glossary:
            part["glossary"] = CommentedSeq()
            part["glossary"].fa.set_flow_style()
        if p.attachments:
            part["attachments"] = CommentedSeq()
            part["attachments"].fa.set_flow_style()
        document["parts"].append(part)
    return document


def default_outline(form_set: FormSet | None) -> list:
    """Without a declared 目录: one part of the form set's tables, or a single part to fill in."""
    from types import SimpleNamespace as Entry

    if form_set is None or not form_set.forms:  # no form set, or one of 绩效 forms only (laid out by hand)
        return [Entry(title="第一部分 {部门}概况", sections=[], glossary=False, attachments=False)]
    tables = [
        Entry(title=f"{numbered(i)}、{form.title}", form=number, sections=[])
        for i, (number, form) in enumerate(form_set.forms.items(), 1)
    ]
    return [Entry(title="{年度}年度公开表", sections=tables, glossary=False, attachments=False)]


def table(form: Form, earlier: Document | None) -> CommentedMap:
    out = CommentedMap()
    out["form"] = form.number
    known = earlier_table(earlier, form.number)
    values, rows = CommentedMap(), CommentedMap()
    for panel in form.panels:
        if panel.rows is not None:
            values[panel.key] = fixed_values(panel)
        else:
            rows[panel.key] = free_rows(panel, known, summary=form.single_panel)
    if values:
        out["values"] = values[form.panels[0].key] if form.single_panel else values
    if rows:
        out["rows"] = rows[form.panels[0].key] if form.single_panel else rows
    totals = [cell.key for cell in form.footer if cell.key]
    if totals:
        out["totals"] = flow(dict.fromkeys(totals))
    return out


def fixed_values(panel: Panel) -> CommentedMap:
    """Each printed row (a key and a label; the blank rows of the form are left out), blank."""
    figures = list(dict.fromkeys(c.key for c in panel.columns if c.type in FIGURE_TYPES))
    values = CommentedMap()
    for row in panel.rows or []:
        if row.key and row.label:
            values[row.key] = None if len(figures) == 1 else flow(dict.fromkeys(figures))
    return values


def free_rows(panel: Panel, known: FormTable | None, summary: bool) -> CommentedSeq:
    """Rows of 科目: those of the earlier table (codes and names, amounts blank); else the 合计 row
    of a table by 科目编码 (*summary*: a table of one panel), the one row of a table of amounts only
    (三公经费), or none (the side-by-side panels of 公开06表 print no 合计 row)."""
    columns = list(dict.fromkeys(c.key for c in panel.columns))
    types = {c.key: c.type for c in panel.columns}
    figures = [key for key in columns if types[key] in FIGURE_TYPES]
    rows = CommentedSeq()
    earlier = next((data for data in known.panels if data.panel.key == panel.key), None) if known else None
    if earlier is not None and earlier.rows:
        for row in earlier.rows:
            cells = {}
            for key in columns:
                value = row.cells.get(key)
                if types[key] in LABEL_TYPES and value is not None and value.text:
                    cells[key] = DoubleQuotedScalarString(value.text) if types[key] == "code" else value.text
                elif types[key] in FIGURE_TYPES:
                    cells[key] = None
            rows.append(flow(cells))
        return rows
    names = [key for key in columns if types[key] == "name"]
    if not summary:
        return rows
    if any(types[key] == "code" for key in columns) and names:
        rows.append(flow({names[0]: "合计", **dict.fromkeys(figures)}))
    elif len(panel.columns) == len(figures):  # a table of amounts only (三公经费): its one row
        rows.append(flow(dict.fromkeys(figures)))
    return rows


def earlier_table(document: Document | None, number: str) -> FormTable | None:
    if document is None:
        return None
    return next((t for _, t in document.tables() if isinstance(t, FormTable) and t.form.number == number), None)


def form_tables(document: CommentedMap):
    def walk(sections):
        for section in sections or []:
            if "table" in section:
                yield section["table"]
            yield from walk(section.get("sections"))

    for part in document["parts"]:
        yield from walk(part.get("sections"))


# ---- 绩效: reports on a declared 绩效 form ----


def choose_indicator_form(form_set: FormSet, wanted: str | None, projects: bool) -> tuple[IndicatorForm | None, str]:
    """The 绩效 form to lay out: the one asked for, else the first 自评表 the set declares (with
    --projects, the first whose header has a 项目名称: a form for one project's report)."""
    forms = form_set.indicator_forms
    if wanted is not None:
        if wanted in forms:
            return forms[wanted], ""
        return None, f"表样 {form_set.id} 中没有绩效表样“{wanted}”：--report 可写 {'、'.join(forms)}"
    self_evaluations = [f for f in forms.values() if f.stage == "自评"] or list(forms.values())
    if projects:
        for_projects = [f for f in self_evaluations if f.fact(PROJECT_NAME) is not None]
        self_evaluations = for_projects or self_evaluations
    return self_evaluations[0], ""


def scaffold_reports(
    bureau: Bureau, year: int, form_set: FormSet, form: IndicatorForm, projects: int | None
) -> CommentedMap:
    """A 绩效 document of one report on *form*, or of *projects* reports, each its own part (page)."""
    document = CommentedMap()
    document["title"] = f"{year}年度{bureau.name}{KIND_NAMES['绩效']}"
    document["kind"] = "绩效"
    document["year"] = str(year)
    document["unit"] = "万元"
    document["form_set"] = form_set.id
    document.yaml_set_start_comment(
        f"新建的绩效文件：{form.name}的表头、资金情况、指标和总分已按表样 {form_set.id} 列出，内容空着。\n"
        "照原件填写，或把原件的表复制成 .tsv（或 .xlsx）后用 python -m generator import 导入；"
        "填好后运行 python -m generator check。写法见 EDITING.md 的“按绩效表样填写”。"
    )
    document.yaml_set_comment_before_after_key(
        "parts",
        before="原件载明公开日期时，在此行上面加一行 published: YYYY-MM-DD"
        + ("\n每个项目一部分（一页）：把“项目一”等改成原件的项目名称，再填表" if projects else ""),
    )
    parts = CommentedSeq()
    for index in range(1, (projects or 1) + 1):
        part = CommentedMap()
        part["title"] = f"项目{numbered(index)}" if projects else form.title
        if projects:
            part["id"] = f"xiangmu-{index}"
        section = CommentedMap()
        section["title"] = form.title
        anchor = ANCHORS[form.stage]
        section["table"] = indicator_table(form, f"{anchor}-{index}" if projects else anchor)
        part["sections"] = CommentedSeq([section])
        parts.append(part)
    document["parts"] = parts
    return document


def indicator_table(form: IndicatorForm, anchor: str) -> CommentedMap:
    """Every block *form* prints, in its order, blank: its header lines, the funds' rows the form
    declares (年度资金总额 and its parts) under each printed column, a 一级指标 group for each weight the form states (or one unnamed)
    with one blank row at each level below, and the 总分 row where the form scores."""
    out = CommentedMap()
    out["id"] = anchor
    out["form"] = form.name
    levels = [key for key, _ in form.columns if key in LEVELS]
    scored = any(key in ("score", "scored") for key, _ in form.columns)
    for block in form.blocks:
        if block == "facts" and form.facts:
            out["facts"] = CommentedMap((fact.label, None) for fact in form.facts)
        elif block == "funds" and form.funds_columns:
            out["funds"] = CommentedSeq(
                flow({key: source if key == "source" else None for key, _ in form.funds_columns})
                for source in funds_rows(form)
            )
            out.yaml_set_comment_before_after_key(
                "funds", before="资金情况照原件逐行写（如 其中：当年财政拨款），空白的格不写", indent=10
            )
        elif block == "indicators":
            names = list(form.weights) or [None]
            out["indicators"] = CommentedSeq(indicator_group(form, name, 1, len(levels)) for name in names)
            weights = "、".join(f"{name} {weight} 分" for name, weight in form.weights.items())
            out.yaml_set_comment_before_after_key(
                "indicators",
                before=(f"一级指标照表样（{weights}）；" if weights else "一级指标照原件写名称；")
                + "每组下照原件逐行添加二级指标和指标",
                indent=10,
            )
            if scored:
                out["total"] = flow({"score": None, "scored": None})
    return out


def funds_rows(form: IndicatorForm) -> list[str]:
    """The funds rows the form declares, as printed: its total, then each group of parts that adds
    up to it, the first of a group under 其中： (年度资金总额; 其中：当年财政拨款, 上年结转资金, 其他资金)."""
    rows = [form.funds_total or FUNDS_TOTAL]
    for group in form.funds_parts:
        rows += [f"其中：{name}" if i == 0 else name for i, name in enumerate(group) if name not in rows]
    return rows


def indicator_group(form: IndicatorForm, name: str | None, level: int, depth: int) -> CommentedMap:
    group = CommentedMap()
    group["name"] = name
    if f"level{level}" in form.scores_at:
        group["score"] = None
        group["scored"] = None
    if level < depth:
        group["items"] = CommentedSeq([indicator_group(form, None, level + 1, depth)])
    else:
        leaf = {
            key: None
            for key, _ in form.columns
            if key not in LEVELS and (key not in ("score", "scored") or "leaf" in form.scores_at)
        }
        group["items"] = CommentedSeq([flow(leaf)])
    return group
