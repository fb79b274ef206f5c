"""What each kind of file in data/ may contain, declared once as typed fields.

The loader converts with these declarations, and `python -m generator schema` writes the JSON
Schema editors read from them (editing/schema_json.py), so the `doc` strings, in Chinese, are
what a clerk sees when hovering over a key in the editor.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

from ..core.model import (
    ABOVE_FULL,
    COLUMN_TYPES,
    FUNDS_FIELDS,
    INDICATOR_RULES,
    KINDS,
    PROSE_FIGURES,
    RATE_FORMULAS,
    SCORE_LEVELS,
    STAGES,
)
from ..core.quality import MEASURES
from ..core.rules import SEVERITIES
from ..core.summary import SUMMARY_COLUMNS
from .fields import (
    Amount,
    Choice,
    Date,
    Either,
    Field,
    Flag,
    Integer,
    Invalid,
    ListOf,
    Markdown,
    OneOrMore,
    Percent,
    Raw,
    Record,
    Score,
    Slug,
    Text,
    Url,
    Variants,
    scalar_text,
)
from .yamlsource import Mapping, Scalar, describe


def record(what: str, doc: str, partial: bool = False, **fields: Field) -> Record:
    """*what* names the record in the loader's messages; *doc* describes it to the editor."""
    return Record(fields, SimpleNamespace, what, partial=partial, doc=doc)


def optional(field: Field, default=None) -> Field:
    field.required = False
    field.default = default
    return field


# ---- data/glossary.yaml ----

TERM = record(
    "术语",
    "一个术语及其解释",
    term=Text(doc="术语"),
    aliases=optional(ListOf(Text(doc="别名"), doc="别名：文件中用其他写法提到同一术语时列出"), []),
    definition=Markdown(doc="解释（Markdown）"),
)
GLOSSARY_FILE = record(
    "名词解释文件",
    "全站名词解释（data/glossary.yaml）：每个术语只写一次",
    terms=ListOf(TERM, allow_empty=False, doc="术语，按显示顺序"),
)

# ---- data/forms/*.yaml ----

COLUMN_TYPE_DOC = (
    "列的类型：item 项目，line 行次，code 科目编码，name 科目名称，amount 金额，percent 占比/增长率，text 文字"
)
COLUMN = record(
    "列",
    "表头的一列；有 columns 时是列组（合并的表头），其下是列或列组",
    key=optional(Text(doc="列的键：文件中按此键填数（列组不写）")),
    label=Text(doc="表头上印的文字"),
    type=optional(Choice(COLUMN_TYPES, doc=COLUMN_TYPE_DOC)),
    no=optional(Text(doc='栏次，如 "1"')),
    columns=optional(ListOf(Raw()), None),
)
COLUMN.fields["columns"] = optional(ListOf(COLUMN, doc="列组下的列或列组"), None)  # a group holds columns or groups
FIXED_ROW = record(
    "表样的行",
    "表样印好的一行（固定行）",
    key=optional(Text(doc="行键：文件的 values 中按此键填数；空行不写")),
    label=optional(Text(doc="表上印的项目名称")),
    line=optional(Integer(low=1, high=999, doc="行次")),
    indent=optional(Integer(low=0, high=5, doc="缩进级数（项目名称前空几格）"), 0),
    total=optional(Flag(doc="true：合计、总计行（加粗）"), False),
)
PANEL = record(
    "表样的栏",
    "并排的一栏（如 收入 | 支出）",
    key=Text(doc="栏的键，如 收入"),
    width=Integer(low=1, high=60, doc="本栏占几列（表头的末级列，从左数）"),
    rows=optional(ListOf(FIXED_ROW, doc="本栏的固定行；不写则由文件逐行填写（科目表）"), None),
)
FOOTER_CELL = record(
    "表尾单元格",
    "表末一行的一格",
    label=optional(Text(doc="印的文字")),
    key=optional(Text(doc="填数的格的键：文件的 totals 中按此键填数")),
    colspan=optional(Integer(low=1, high=60, doc="占几列"), 1),
)
RULE = record(
    "核对规则",
    "一条核对规则：columns、tree、cells、classes、codes 五者写一个",
    columns=optional(Text(doc="每行都成立的列关系，如 本年收入合计 = 财政拨款收入 + 其他收入")),
    tree=optional(Text(doc="按科目编码逐级相加：合计 = Σ类，类 = Σ款，款 = Σ项；写科目编码列的键")),
    cells=optional(
        Text(
            doc="指定格子之间的关系，如 收入.总计 = 收入.本年收入合计 + 收入.年初结转和结余；"
            "也可以写不等式，如 决算合计 <= 预算合计"
        )
    ),
    classes=optional(Text(doc="两表按类名逐类相等，如 公开01表:支出 = 公开03表:本年支出合计")),
    codes=optional(Text(doc="两表按科目编码逐项相等，如 公开02表:本年收入合计 = 公开03表:本年支出合计")),
    tolerance=optional(Score(doc="允许的差额（默认 0.005 ×（加数个数 + 1），即每个印出的数半分的尾数误差）")),
    says=optional(Text(doc="数据核对页上显示的规则说明")),
    severity=optional(
        Choice(tuple(SEVERITIES), doc="不相符时报什么：错误、警告或提示（默认：等式为错误，不等式 <=、>= 为警告）")
    ),
)
FORM = record(
    "表样",
    "一张表样：表号、标题、表头、固定行、注和核对规则",
    number=Text(doc="表号，如 公开01表：文件中的表按表号引用表样"),
    slug=Slug(doc="网页锚点：小写英文字母、数字和 -，如 gk01"),
    title=Text(doc="表的标题"),
    unit=optional(Text(doc="金额单位（默认 万元）"), "万元"),
    note=optional(Text(doc="表下印的注")),
    columns=ListOf(COLUMN, allow_empty=False, doc="表头：列和列组，从左到右"),
    panels=optional(ListOf(PANEL, doc="并排的栏（如 收入 | 支出），宽度之和等于列数；不写则全表一栏"), []),
    footer=optional(ListOf(FOOTER_CELL, doc="表末一行（如 人员经费合计），各格所占列数之和等于列数"), []),
    rules=optional(ListOf(RULE, doc="本表的核对规则"), []),
)
OUTLINE_SECTION = record(
    "标准目录的小节",
    "标准目录中的一节",
    title=Text(doc="标题；{部门}、{简称}、{年度} 换成部门全称、简称和年度"),
    form=optional(Text(doc="本节的表：本套表样的表号，如 公开01表；new 命令按表样列出行和列")),
    required=optional(
        Flag(doc="本节的表是否必须公开（默认 true）：文件缺了必须公开的表而未在 omitted 中说明原因，check 报错"), True
    ),
    itemizes=optional(
        Text(
            doc="本节逐项说明的表和金额列，如 公开05表:合计：说明要以“X（类）Y（款）Z（项）”写到表中每个有数的项，"
            "每项写的数中要有表中的数"
        )
    ),
    sections=optional(ListOf(Raw()), []),
)
OUTLINE_SECTION.fields["sections"] = optional(ListOf(OUTLINE_SECTION, doc="下一级小节"), [])
OUTLINE_PART = record(
    "标准目录的部分",
    "标准目录中的一部分",
    title=Text(doc="标题；{部门}、{简称}、{年度} 换成部门全称、简称和年度"),
    sections=optional(ListOf(OUTLINE_SECTION, doc="本部分的小节"), []),
    glossary=optional(Flag(doc="true：本部分是名词解释"), False),
    attachments=optional(Flag(doc="true：本部分是附件"), False),
)
CHART = record(
    "图表",
    "一张图：各部分取自文件表中的格子（写法同核对规则：表号:面板.行.列）",
    title=Text(doc="图名，如 收入构成"),
    rows=optional(
        Text(doc="一个有固定行的面板，如 公开01表:收入：其第一个合计行以上的各一级行为各部分，该合计行为总数")
    ),
    cells=optional(Raw(doc="各部分：名称: 格子，如 基本支出: 公开03表:合计.基本支出")),
    total=optional(Text(doc="总数的格子（用 cells 时）；不写则为各部分之和")),
    trend=optional(Text(doc="部门页“历年主要数字”中此图总数的名称，如 本年收入合计")),
)
HEADLINE_ITEM = record(
    "主要数字的一项",
    "文件概览页开头的一个数字：取自文件表中的一个格子（写法同核对规则：表号:面板.行.列）",
    label=Text(doc="名称，如 本年支出合计；同名的项在上年的文件中找到时，显示与上年相比的增减"),
    cell=Text(doc="数字所在的格子，如 公开01表:支出.本年支出合计"),
    budget=optional(Text(doc="同一张表中与之对比的预算数的格子，如 公开07表:预算合计（决算表同时印了预算数时）")),
    items=optional(ListOf(Raw()), []),
)
HEADLINE_ITEM.fields["items"] = optional(
    ListOf(HEADLINE_ITEM, doc="其下的明细，如“三公”经费的各项：在概览页列成一张小表"), []
)
# A 绩效 form (申报表, 自评表, 评分表): what it prints, where its scores go, its weights and grades.

FACT_ROLES = ("text", "date", "total", "grade", "choice")
FACT_SPEC = record(
    "表头项目",
    "绩效表表头（基本情况）的一项：印的名称，及它是什么",
    label=Text(doc="印的名称，如 项目名称、填报日期、总分"),
    role=optional(
        Choice(
            FACT_ROLES,
            doc="text 文字（默认），date 日期（如 填报日期），total 表头的总分，grade 等级，choice 勾选项（如 项目类别 □/☑）",
        ),
        "text",
    ),
    choices=optional(ListOf(Text(doc="一个可勾选的项"), doc="choice：印出的各个勾选项，按原件顺序"), []),
)
FUNDS_COLUMN = record(
    "资金情况的列",
    "资金情况印的一列：字段及印出的列名",
    key=Choice(
        FUNDS_FIELDS,
        doc="source 资金来源，initial 年初预算数，budget 全年预算数 A，executed 全年执行数 B，transfer 上级移动支付 C，"
        "score 分值，rate 执行率，scored 得分",
    ),
    label=Text(doc="照原件印出的列名，如 执行率（B/A）、得分（20 分*执行率）"),
)
FUNDS_SPEC = record(
    "资金情况",
    "表样的资金情况：印哪些列、执行率怎样算、预算执行的分值",
    columns=ListOf(FUNDS_COLUMN, allow_empty=False, doc="各列，从左到右"),
    rate=optional(Choice(RATE_FORMULAS, doc="执行率的算法：(B-C)/A 或 B/A")),
    score=optional(Score(doc="预算执行（年度资金总额一行）的分值，如 10")),
    total=optional(Text(doc="合计的那一行的资金来源，如 年度资金总额（资金合计规则核对它等于各部分之和）")),
    parts=optional(
        ListOf(
            ListOf(Text(doc="一行的资金来源，如 当年财政拨款（印作“其中：当年财政拨款”的也算）"), allow_empty=False),
            doc="加起来等于合计的几行，每组一个列表，如 [[当年财政拨款, 上年结转资金, 其他资金], [基本支出, 项目支出]]",
        ),
        [],
    ),
    scoring=optional(
        record(
            "预算执行的计分",
            "预算执行得分 = 分值 × 执行率，不超过分值",
            rounding=optional(Score(doc="得分印到的精度，如 0.01（不写则照印的位数）")),
            above_full=optional(
                Choice(ABOVE_FULL, doc="执行率超过 100% 时：cap 得满分（默认），zero 得 0 分"),
            ),
        )
    ),
)
GRADE_BAND = record(
    "等级",
    "一个等级及其最低分（含）",
    grade=Text(doc="等级，如 优"),
    low=Score(doc="最低分（含），如 90"),
)
INDICATOR_RULE = record(
    "绩效核对规则",
    "一条绩效表的核对规则",
    check=Choice(
        INDICATOR_RULES,
        doc="得分不超过分值（各级）；分组合计（分组印的分值、得分等于其下各项之和）；权重（一级指标的分值等于表样所定）；"
        "总分（总分行、表头总分等于各项之和）；等级（写明的等级与总分所在档次相符）；执行率（按表样的算法）",
    ),
    tolerance=optional(Score(doc="允许的差额（默认 0.005 ×（加数个数 + 1），即每个印出的数半分的尾数误差）")),
    says=optional(Text(doc="数据核对页上显示的规则说明")),
    severity=optional(
        Choice(tuple(SEVERITIES), doc="不相符时报什么：错误、警告或提示（默认：等式为错误，不等式 <=、>= 为警告）")
    ),
)
PROSE_FIGURE = record(
    "正文中的数字",
    "报告正文中说到本表数字的词，及它说的是哪个数字",
    words=ListOf(Text(doc="正文中的词，如 自评得分"), allow_empty=False, doc="正文中说到这个数字的词"),
    figure=Choice(
        PROSE_FIGURES,
        doc="total 总分（N 分），grade 等级，rate 资金情况的执行率（N%），indicator 指标的完成值（N%），"
        "funds 资金情况的金额（N 万元）",
    ),
    indicator=optional(Text(doc="indicator：指标名称中含有的字，如 满意（默认即这个词）")),
    columns=optional(
        ListOf(
            Choice(("initial", "budget", "executed", "transfer"), doc="资金情况的一列"),
            allow_empty=False,
            doc="funds：可能是资金情况的哪几列：initial 年初预算数，budget 全年预算数，executed 全年执行数，transfer 上级移动支付",
        ),
        [],
    ),
)
INDICATOR_FORM = record(
    "绩效表样",
    "一张绩效表样（申报表、自评表、评分表）：印的栏目和列名、分值写在哪一级、权重、等级和核对规则",
    partial=True,  # a key written wrong is reported and left out; the form is still declared for its tables
    name=Text(doc="表样名：文件中绩效表的 form 写它，如 项目支出绩效自评表"),
    title=Text(doc="表的标题（文件中的表不写 title 时用它）"),
    stage=Choice(STAGES, doc="申报：绩效目标申报表；自评：绩效自评表、评分表"),
    facts=optional(ListOf(FACT_SPEC, doc="表头（基本情况）的各项，按原件顺序"), []),
    funds=optional(FUNDS_SPEC),
    columns=optional(Raw(doc="指标表印哪些列及列名，如 [{level1: 一级指标}, {name: 三级指标}, score]")),
    scores_at=optional(
        OneOrMore(
            Choice(SCORE_LEVELS, doc="leaf 每个指标，level2 二级指标，level1 一级指标"),
            allow_empty=False,
            doc="分值、得分写在哪一级：leaf 每个指标（默认），level2 二级指标，level1 一级指标（合并印出的一格）；"
            "分组和指标都印的写成列表，如 [level1, leaf]（一级指标旁印小计，各指标印分值）",
        ),
        ["leaf"],
    ),
    weights=optional(Raw(doc="一级指标的分值，照表样或文件所定，如 {产出指标: 50, 效益指标: 30, 满意度指标: 10}")),
    total=optional(
        record(
            "总分行",
            "表样的总分行",
            label=optional(Text(doc="印的名称（默认 总分）"), "总分"),
            score=optional(Score(doc="满分，如 100")),
        )
    ),
    grades=optional(ListOf(GRADE_BAND, doc="等级，从高到低；不写则为 优 ≥ 90、良 ≥ 80、中 ≥ 60、差 < 60"), []),
    blocks=optional(
        ListOf(
            Choice(("facts", "funds", "money", "goals", "indicators"), doc="一块"),
            doc="各块的顺序（默认 facts, funds, money, goals, indicators）",
        ),
        [],
    ),
    rules=optional(ListOf(INDICATOR_RULE, doc="本表样的核对规则"), []),
    prose=optional(
        ListOf(
            PROSE_FIGURE,
            doc="报告正文说到本表数字所用的词，补充默认的词（自评得分、等级、执行率、到位率、满意度、预算数、执行数 等）",
        ),
        [],
    ),
    whole=optional(
        Flag(doc="true：本表评价部门整体，文件中不属于任何一份报告的正文按它核对"),
        False,
    ),
)
WORDING = record(
    "正文用词",
    "核对正文所读的词：每一项补充默认的词（见 docs/form-sets.md）",
    **{
        name: optional(ListOf(Text(doc="一个词"), doc=doc), [])
        for name, doc in (
            ("placeholders", "未填完的占位词，如 XX、待填写"),
            ("reasons", "说明原因的词，如 主要原因是"),
            ("above", "决算大于预算的词，如 大于、超过"),
            ("below", "决算小于预算的词，如 小于、低于"),
            ("equal", "决算与预算相同的词，如 一致、持平"),
            ("share_of_budget", "决算为预算的百分之几：完成年初预算的 N% 中的 完成"),
            ("excess_of_budget", "决算超出预算的百分之几：超出年初预算的 N% 中的 超出"),
            ("increase", "增加的词，如 增加、增长"),
            ("decrease", "减少的词，如 减少、下降"),
            ("income", "说的是收入的词"),
            ("spending", "说的是支出的词"),
            ("income_and_spending", "一并说收入和支出的词，如 收入支出（收入支出均增加）"),
            ("purpose", "说科目用途的词，如 用于"),
            ("doubled_characters", "重复的单字，如 的的"),
            ("doubled_punctuation", "重复的标点，如 。。"),
            ("halfwidth_punctuation", "中文句中不应有的半角标点，如 ,（全角为 ，）"),
            ("mixed_brackets", "一半全角、一半半角的括号对，写成左右两个字符，如 （)"),
            ("not_in_place_names", "不会是地名一部分的字，如 由、的（“资金由区医保局”不是别的区）"),
            ("running_costs", "机关运行经费的名称"),
            ("procurement", "政府采购段落的词"),
            ("procurement_total", "政府采购总额的词，如 总额、合计"),
            ("procurement_parts", "政府采购的各类，如 货物、工程、服务"),
            ("procurement_sme", "授予中小企业的词"),
            ("procurement_small", "授予小微企业的词"),
            ("performance", "绩效段落的词"),
            ("performance_funds", "绩效所涉资金的词，如 涉及"),
            ("performance_projects", "说的是项目的词，如 项目、专项"),
            ("project_spending", "表中项目支出的名称"),
        )
    },
)
FORM_SET_FILE = record(
    "表样文件",
    "一套表样（data/forms/*.yaml）：每张公开表只声明一次",
    name=Text(doc="表样名称，以省份开头，如 湖南省部门决算公开表（2020）"),
    kinds=ListOf(
        Choice(KINDS, doc="文件类别：预算、决算或绩效"),
        allow_empty=False,
        doc="这套表样用于哪类文件，如 [决算]：kind 不在其中的文件不能用它",
    ),
    # name → '表号:column', for comparing documents of other form sets
    measures=optional(
        Raw(doc="可与其他表样的文件比较的表：名称: 表号:金额列，如 一般公共预算财政拨款支出: 公开05表:合计")
    ),
    charts=optional(ListOf(CHART, doc="文件概览页“图表”一节的各张图"), []),
    headline=optional(ListOf(HEADLINE_ITEM, doc="文件概览页开头的主要数字，按显示顺序"), []),
    outline=optional(ListOf(OUTLINE_PART, doc="标准目录：python -m generator new 按此生成新文件的骨架"), []),
    forms=optional(ListOf(FORM, doc="各张表样，按原件顺序"), []),
    indicator_forms=optional(ListOf(INDICATOR_FORM, doc="绩效表样（申报表、自评表、评分表），按原件顺序"), []),
    rules=optional(ListOf(RULE, doc="跨表核对规则（表号:格子）"), []),
    wording=optional(WORDING),
    topics=optional(
        ListOf(
            record(
                "必须说明的事项",
                "每份文件都要说明的一件事，如 机关运行经费：文件中哪一节或哪一段说到它，由 words 找",
                name=Text(doc="事项的名称，如 机关运行经费"),
                words=optional(ListOf(Text(), doc="说到它的词，任一个出现在节的标题或正文中即可；不写则用名称"), []),
                elements=optional(
                    ListOf(
                        Text(),
                        doc="说明要写到的要素，如 三公 的 因公出国、公务用车、公务接待：说到此事的各节都没有写到的，警告",
                    ),
                    [],
                ),
                table=optional(
                    Flag(
                        doc="true：此事还要以表公开（如 绩效目标表）：文件中没有一张表的标题、所在节的标题或表样名称有它的词的，警告"
                    ),
                    False,
                ),
            ),
            doc="每份文件都要说明的事项（如 机关运行经费、政府采购、国有资产占用）：文件没有一处说到时 check 警告",
        ),
        [],
    ),
    percent_places=optional(Integer(low=0, high=4, doc="正文中的百分比最多写几位小数（如 2）：多写的，check 警告")),
    publish_within=optional(
        Integer(
            low=1,
            high=366,
            doc="批复后几日内公开（默认 20，预算法、财预〔2016〕143号）：公开日期晚于批复日期这么多天以上，check 警告",
        )
    ),
)

# ---- data/quality.yaml ----

QUALITY_CRITERION = record(
    "公开质量标准",
    "公开质量评查的一项标准：评什么（measure）和分值（weight）",
    id=Slug(doc="标准的 id：小写英文字母、数字和 -，如 timeliness；地区改权重时用它"),
    name=Text(doc="标准的名称，如 按时公开"),
    weight=Score(doc="分值（权重），如 10"),
    measure=Choice(
        MEASURES,
        doc="评什么：document 文件已公开；required_tables 目录要求的表齐全；empty_tables 空表有说明；"
        "table_detail 某表列出了某些项目（如三公经费的购置费、运行费）；outline_sections 目录中的说明各节齐全；"
        "code_depth 科目编码细到几位（功能分类到项 7 位，经济分类到款 5 位）；glossary 有名词解释；"
        "findings 核对没有留下错误和警告；performance 公开了绩效；timeliness 批复后按时公开",
    ),
    kinds=optional(ListOf(Choice(KINDS), doc="适用于哪类文件，如 [预算, 决算]；不写则适用于各类"), []),
    table=optional(Text(doc="table_detail、code_depth：表名中的文字，如 三公、功能分类")),
    labels=optional(ListOf(Text(), doc="table_detail：表中要列出的项目，如 [购置费, 运行费]"), []),
    digits=optional(Integer(low=1, high=12, doc="code_depth：科目编码要细到几位，如 7（项）")),
    codes=optional(
        Text(
            pattern=r"[0-9]{1,6}",
            hint="只写数字",
            doc="code_depth：只看以这些数字开头的科目编码，如 2（支出功能分类）、3（经济分类）",
        )
    ),
)
QUALITY_REGION = record(
    "地区的权重",
    "一个地区自己的权重",
    weights=Raw(doc="标准的 id: 分值，如 timeliness: 20；没写的标准用通用分值"),
)
QUALITY_FILE = record(
    "公开质量标准文件",
    "公开质量评查的标准和权重（data/quality.yaml）：python -m generator quality 按此评分",
    mandated=ListOf(
        Choice(KINDS), doc="每个部门每年必须公开的文件类别，如 [预算, 决算]：一年有其中一份而缺另一份时报告"
    ),
    criteria=ListOf(QUALITY_CRITERION, allow_empty=False, doc="各项标准"),
    regions=optional(
        Raw(doc="地区自己的权重：地区（如 湖北省 或 湖南省/长沙市）: {weights: {标准的 id: 分值}}；细的地区优先")
    ),
)

# ---- data/<bureau>/bureau.yaml ----

# Each place of a region is a name: no slash of any kind inside it (a full-width ／ would make one
# bogus province of 湖南省／长沙市／望城区), no white space, and not '.', '..' or a name starting with
# '.', which a path would read as a folder (the region's page is diqu/省/市/).
SLASHES = r"/\\／＼∕⁄"  # as a regular expression: the backslash escaped
PLACE = f"[^{SLASHES}\\s.][^{SLASHES}\\s]*"


class Region(Text):
    """省/市/区县: one to four places, each a name."""

    def __init__(self, **kw):
        super().__init__(
            pattern=f"{PLACE}(/{PLACE}){{0,3}}", hint="不是地区：请按 省/市/区县 写，如 湖南省/长沙市/望城区", **kw
        )

    def convert(self, node, ctx):
        text = scalar_text(node, "地区").strip()
        if self.pattern.fullmatch(text) is None and re.search("[／＼∕⁄]", text):
            plain = re.sub("[／∕⁄]", "/", text)
            raise Invalid(node, f"'{text}' 用了全角或特殊的斜杠：地区的各级之间写半角 /，如 {plain}")
        return super().convert(node, ctx)


BUREAU_FILE = record(
    "部门文件",
    "部门（data/<部门>/bureau.yaml）",
    name=Text(doc="全称，如 长沙市望城区医疗保障局"),
    short_name=Text(doc="简称，如 望城区医保局"),
    region=Region(doc="地区：省/市/区县，如 湖南省/长沙市/望城区"),
    duties=optional(Markdown(doc="部门职责（Markdown）")),
    organization=optional(Markdown(doc="机构设置（Markdown）")),
    units=optional(Markdown(doc="决算单位构成（Markdown）")),
)

# ---- data/site.yaml ----

LICENSE = record(
    "数据许可",
    "本站数据的许可协议：名称和全文的网址（写进每份文件的 datapackage.json）",
    name=Text(doc="许可协议的名称，如 知识共享署名 4.0 国际许可协议（CC BY 4.0）"),
    url=Url(doc="许可协议全文的网址，以 http:// 或 https:// 开头"),
)
SITE_FILE = record(
    "网站信息",
    "网站信息（data/site.yaml）：主办单位、联系方式、网站标识码和备案号，显示在每页页脚和“关于”页；只写有的，没有的不写",
    name=optional(
        Text(
            doc="网站名称，显示在每页页头和浏览器标签上，如 长沙市医疗保障局预决算公开；不写则为 公开 · 部门预决算公开"
        )
    ),
    publisher=optional(Text(doc="主办单位：本网站的主办单位全称，如 长沙市医疗保障局")),
    contact=optional(Text(doc="联系方式：电话、电子邮箱或地址，如 0731-88888888")),
    site_code=optional(
        Text(
            pattern=r"[0-9A-Za-z]{10}",
            hint="不是网站标识码：网站标识码是 10 位字母和数字，照政府网站标识码证书抄写，如 4301000001",
            doc="网站标识码：10 位字母和数字，照政府网站标识码证书抄写",
        )
    ),
    icp=optional(
        Text(
            pattern=r"\S{1,10}ICP备[0-9]{4,12}号(-[0-9]{1,3})?",
            hint="不是 ICP 备案号：照工业和信息化部的备案信息抄写，如 湘ICP备12345678号 或 湘ICP备12345678号-1",
            doc="ICP 备案号，如 湘ICP备12345678号：页脚链接到工业和信息化部的备案查询网站",
        )
    ),
    public_security=optional(
        Text(
            pattern=r"\S{1,10}公网安备 ?[0-9]{8,16}号",
            hint="不是公安机关备案号：照备案信息抄写，如 湘公网安备 43010202000123号",
            doc="公安机关备案号，如 湘公网安备 43010202000123号：页脚链接到公安机关的备案查询网站",
        )
    ),
    license=optional(LICENSE),
    corrections_since=optional(
        Date(
            doc="更正记录从哪天算起，写成 YYYY-MM-DD：这天以前的提交是录入原件，不是更正，文件页上不列；"
            "不写则除第一次提交外每次改动都列为更正"
        )
    ),
)

# ---- data/<bureau>/<year>/<document>.yaml ----


UNREADABLE_DOC = (
    "原件此格印的文字读不成一个数（如两个数字连在一起：48.5044.05）时，照抄原件的文字写在这里（不写 text）："
    "网站照原样列出并标明“无法辨认”，这一格不参与核对。读得出的数不要标"
)
GRID_CELL = record(
    "表格单元格",
    "一格：文字及合并的行列数",
    text=optional(Markdown(doc="格中的文字"), ""),
    unreadable=optional(Text(doc=UNREADABLE_DOC)),
    note=optional(Text(doc="无法辨认的格的说明，如 似为 48.50 与 44.05 两个数连在一起（只和 unreadable 一起写）")),
    header=optional(Flag(doc="true：表头格"), False),
    colspan=optional(Integer(low=1, high=60, doc="向右合并几列"), 1),
    rowspan=optional(Integer(low=1, high=500, doc="向下合并几行"), 1),
)


class GridCellField(Field):
    """A free-table cell: a value as printed, or a mapping with text and spans."""

    MAPPING = GRID_CELL

    def convert(self, node, ctx):
        if isinstance(node, Mapping):
            return self.MAPPING.convert(node, ctx)
        if not isinstance(node, Scalar):
            raise Invalid(node, f"这里应写表格单元格（值，或含 text 的“键: 值”），却是{describe(node)}")
        text = "" if node.is_null else node.text
        return SimpleNamespace(
            text=text, colspan=1, rowspan=1, header=False, mark=node.mark, unreadable=None, note=None
        )


FORM_TABLE = record(
    "表格",
    "按表样填写的表：form 写表号",
    form=Text(doc="表样的表号，如 公开01表（见文件的 form_set）"),
    id=optional(Slug(doc="网页锚点（默认用表样的 slug）")),
    values=optional(
        Raw(
            doc="按表样固定行逐行填写：表样列出了各行时用，写 行键: 数值；有几栏时按栏分组（收入: {…}, 支出: {…}）；一行有几个金额列时写 {列键: 数值}；"
            "原件印的数读不出时写 {unreadable: 原件印的文字}"
        )
    ),
    rows=optional(
        Raw(
            doc="按原件逐行抄写科目：表样没有列出各行时用，逐行照抄，每行 {列键: 值}，按原件顺序；不带科目编码的是合计行；"
            "原件印的数读不出时写 列键: {unreadable: 原件印的文字}"
        )
    ),
    totals=optional(Raw(doc="表末合计格的数值：键: 数值（读不出时写 {unreadable: 原件印的文字}）")),
    note=optional(Markdown(doc="原件所印的注与表样不同时，写原件的注")),
    statement=optional(Markdown(doc="表下的说明，如 此表数据为空")),
)
FREE_TABLE = record(
    "自由表格",
    "自由表：逐格照抄的一次性表格",
    id=Slug(doc="网页锚点（必填）：小写英文字母、数字和 -"),
    title=Text(doc="表的标题"),
    caption=optional(Text(doc="标题下的一行，如 (2020 年)")),
    unit=optional(Text(doc="金额单位")),
    grid=ListOf(
        ListOf(
            GridCellField(doc="一格：照印的值，或 {text: …, colspan: 2, rowspan: 1, header: true}"), allow_empty=False
        ),
        allow_empty=False,
        doc="逐行的格子，照原件",
    ),
    note=optional(Markdown(doc="表下的注")),
    statement=optional(Markdown(doc="表下的说明")),
)
# A performance table (绩效目标申报表 / 绩效自评表): facts, 资金情况, goals and the indicator tree.

INDICATOR = record(
    "绩效指标",
    "一个指标（三级指标，或评分表的一行）",
    name=optional(Text(doc="三级指标（申报表：指标内容）")),
    content=optional(Markdown(doc="目标内容")),
    target=optional(Text(doc="目标值 / 指标值，照印，如 ≥95%、80%-90%、按时拨付到位")),
    actual=optional(Text(doc="完成值")),
    completion=optional(Text(doc="完成率，照印，如 98.50%（表样印完成率一列时）")),
    standard=optional(Markdown(doc="绩效标准 / 计分标准")),
    score=optional(Score(doc="分值")),
    scored=optional(Score(doc="得分")),
    reason=optional(Markdown(doc="未完成原因")),
    measure=optional(Markdown(doc="改进措施")),
)
INDICATOR_GROUP = record(
    "指标分组",
    "指标组（一级或二级指标）：name 和下级的 items",
    name=optional(Text(doc="一级/二级指标的名称")),
    score=optional(Score(doc="本组的分值（表样按一级或二级指标合并印分值时）")),
    scored=optional(Score(doc="本组的得分（表样按一级或二级指标合并印得分时）")),
    items=ListOf(Raw(), allow_empty=False),
)


class IndicatorNode(Field):
    """A group (it has `items`) or an indicator (a leaf)."""

    def convert(self, node, ctx):
        if isinstance(node, Mapping) and node.get("items") is not None:
            return INDICATOR_GROUP.convert(node, ctx)  # its items are IndicatorNodes too
        return INDICATOR.convert(node, ctx)


INDICATOR_GROUP.fields["items"] = ListOf(IndicatorNode(doc="下级指标组或指标"), allow_empty=False, doc="下级")
INDICATOR_SET = record(
    "指标组",
    "一组绩效指标（如 长期绩效指标、年度绩效指标）",
    label=Text(doc="年度绩效指标、长期绩效指标……"),
    goal=optional(Markdown(doc="本组的目标")),
    indicators=ListOf(IndicatorNode(doc="指标组或指标"), allow_empty=False, doc="指标树：一级 → 二级 → 指标"),
)
FUNDS_ROW = record(
    "资金情况的行",
    "资金情况的一行",
    source=Text(doc="资金来源，如 年度资金总额"),
    initial=optional(Amount(doc="年初预算数")),
    budget=optional(Amount(doc="全年预算数（A）")),
    executed=optional(Amount(doc="全年执行数（B）")),
    transfer=optional(Amount(doc="上级移动支付（C）")),
    score=optional(Score(doc="分值")),
    rate=optional(Percent(doc="执行率，照印，带 %：按表样的算法，如 (B − C) ÷ A")),
    scored=optional(Score(doc="得分")),
)
MONEY_COLUMN = record(
    "列",
    "一列：印的列名及类型",
    label=Text(doc="列名"),
    type=optional(Choice(("amount", "percent", "text"), doc="amount 金额（默认），percent 占比，text 文字"), "amount"),
)
MONEY_COLUMN_DOC = "一列：列名（金额列），或 {label: 列名, type: percent}"
MONEY_BLOCK = record(
    "金额块",
    "一块金额表（如 项目资金来源、支出明细）",
    title=Text(doc="标题"),
    columns=ListOf(Either(Text(), MONEY_COLUMN, doc=MONEY_COLUMN_DOC), allow_empty=False, doc="列"),
    rows=ListOf(Raw(doc="一行：{label: 项目, 列名: 数值}；合计行加 total: true"), allow_empty=False, doc="各行，照印"),
)
SCORE_TOTAL = record(
    "总分行",
    "总分行",
    label=optional(Text(doc="印的名称（默认 总分）"), "总分"),
    score=optional(Score(doc="分值合计")),
    scored=optional(Score(doc="得分合计")),
    grade=optional(Text(doc="表中写明的等级（自评等级），如 优")),
)
INDICATOR_TABLE = record(
    "绩效表",
    "绩效表（绩效目标申报表、绩效自评表、考核评分表）",
    id=Slug(doc="网页锚点（必填）：小写英文字母、数字和 -"),
    form=optional(
        Text(
            doc="绩效表样：表样文件名:表样名，如 hunan-jixiao-2020:公共专项绩效自评表（文件的 form_set 就是这套表样时只写表样名）"
        )
    ),
    title=optional(Text(doc="表的标题（按表样时默认用表样的标题）")),
    caption=optional(Text(doc="标题下的一行，如 (2020年)")),
    unit=optional(Text(doc="金额单位")),
    stage=optional(Choice(STAGES, doc="申报：绩效目标申报表；自评：绩效自评表（按表样时不写）")),
    facts=optional(Raw(doc="表头信息：印的名称: 文字，按原件顺序（如 项目名称: …）；空白的写名称不写值")),
    funds=optional(ListOf(FUNDS_ROW, doc="资金情况：A、B、C、执行率、分值、得分"), []),
    money=optional(ListOf(MONEY_BLOCK, doc="申报表的金额块（项目资金来源、支出明细）"), []),
    goals=optional(Raw(doc="较长的文字：名称: 文字，如 年初设定目标、目标完成情况、绩效总目标")),
    columns=optional(Raw(doc="指标表印哪些列及列名，如 [level1, level2, name, target, score]")),
    indicators_label=optional(Text(doc="指标部分的名称（默认 绩效指标 / 年度绩效指标）")),
    indicators=optional(ListOf(IndicatorNode(doc="指标组或指标"), doc="指标树：一级 → 二级 → 指标"), None),
    indicator_sets=optional(ListOf(INDICATOR_SET, doc="有几组指标（长期、年度）时代替 indicators"), None),
    total=optional(SCORE_TOTAL),
    note=optional(Markdown(doc="表下的注")),
)
INDICATOR_TABLE_KEYS = ("stage", "indicators", "indicator_sets")
AMOUNT_TABLE = record(
    "金额表",
    "金额表：不按表样、但合计与占比要核对的表",
    id=Slug(doc="网页锚点（必填）：小写英文字母、数字和 -"),
    title=Text(doc="表的标题"),
    caption=optional(Text(doc="标题下的一行")),
    unit=optional(Text(doc="金额单位")),
    head=optional(Text(doc="项目列的列名（默认 项目）"), "项目"),
    columns=ListOf(Either(Text(), MONEY_COLUMN, doc=MONEY_COLUMN_DOC), allow_empty=False, doc="金额列"),
    summary_of=optional(
        Raw(
            doc="本表是本文件各份自评报告的汇总表时写：汇总的各项印在哪一列，如 {预算数: 全年预算数, 执行数: 全年执行数, "
            "执行率: 执行率, 自评得分: 自评得分, 等级: 自评等级}（可写 " + "、".join(SUMMARY_COLUMNS) + "）；"
            "每行的 label 是项目名称。check 逐行与各报告自评表的数字核对"
        )
    ),
    rows=ListOf(Raw(doc="一行：{label: 项目, 列名: 数值}；合计行加 total: true"), allow_empty=False, doc="各行，照印"),
    note=optional(Markdown(doc="表下的注")),
    statement=optional(Markdown(doc="表下的说明")),
)
# Which record a section's table is: the loader binds it by the first variant whose key it has. A
# 绩效 table names its form with `form:` too, so it is told apart first, by its indicators.
TABLE = Variants(
    [
        (INDICATOR_TABLE_KEYS, INDICATOR_TABLE),
        (("form",), FORM_TABLE),
        (("columns",), AMOUNT_TABLE),
        ((), FREE_TABLE),
    ],
    doc="本节的表：有 stage 或 indicators 的是绩效表；有 form 的按表样填写；有 columns 的是金额表；否则是自由表（grid）",
)

SECTION = record(
    "小节",
    "一节：标题，及正文、表或下一级小节",
    partial=True,
    title=Text(doc="标题，照原件目录"),
    id=optional(Slug(doc="网页锚点（默认按顺序编号）")),
    body=optional(Markdown(doc="正文（Markdown）；较长时用 | 块写法")),
    table=optional(TABLE),
    sections=optional(ListOf(Raw()), []),
)
SECTION.fields["sections"] = optional(ListOf(SECTION, doc="下一级小节"), [])  # sections nest
ATTACHMENT = record(
    "附件",
    "一个附件（单独成页）",
    partial=True,
    id=Slug(doc="附件的网址名（必填）：小写英文字母、数字和 -"),
    title=Text(doc="附件标题"),
    body=optional(Markdown(doc="正文（Markdown）")),
    table=optional(
        Variants(
            TABLE.variants,
            doc="本附件直接印的一张表（如 一个项目的自评表），写法同小节的表：印在附件标题下，不另起一节，"
            "表名已在附件标题中的不再重复显示",
        )
    ),
    sections=optional(ListOf(SECTION, doc="附件的各节"), []),
)


class TermName(Text):
    """A glossary entry by name only: the definition comes from data/glossary.yaml."""

    def convert(self, node, ctx):
        return SimpleNamespace(term=super().convert(node, ctx), definition=None, mark=node.mark)


OWN_TERM = record(
    "本文件的术语", "本文件自己的术语解释", term=Text(doc="术语"), definition=Markdown(doc="解释（Markdown）")
)
PART = record(
    "部分",
    "目录的一部分（如 第一部分 概况）",
    partial=True,
    title=Text(doc="标题，照原件目录"),
    id=optional(Slug(doc="网页锚点（默认 part1、part2……）")),
    body=optional(Markdown(doc="本部分开头的正文（Markdown）")),
    table=optional(
        Variants(
            TABLE.variants,
            doc="本部分直接印的一张表（如 项目支出绩效自评汇总表），写法同小节的表：印在本部分的标题下，不另起一节，"
            "表名已在本部分标题中的不再重复显示",
        )
    ),
    sections=optional(ListOf(SECTION, doc="本部分的各节"), []),
    glossary=optional(
        ListOf(
            Either(TermName(), OWN_TERM, doc="术语名（用 data/glossary.yaml 的解释），或 {term: …, definition: …}"),
            doc="名词解释：本文件使用的术语",
        ),
        [],
    ),
    attachments=optional(ListOf(ATTACHMENT, doc="附件，每个一页"), []),
)
AS_IS = record(
    "照原件公开的错误",
    "原件本身加不平、照原件公开的一处错误：照 check 报告那一行写 rule 和 difference",
    rule=Text(
        doc="核对规则：照 check 报告中“错误：”之后、“：应为”之前的文字，"
        "如 表3 2101501 行政运行：总计 = 基本支出小计 + 部门项目小计 + 公共项目小计"
    ),
    difference=Amount(doc="相差：照报告中“相差”后的数，如 -64.00（不写千分位逗号）"),
)

OMITTED = record(
    "未公开的表",
    "原件没有公开的一张必须公开的表，及原件所说的原因",
    form=Text(doc="表号，如 公开09表"),
    why=Text(doc="原件所说的原因，照原件写；原件没有说明时写 原件未说明"),
)


class AsIsList(ListOf):
    """published_as_is: the errors the original prints, one by one. `true` alone once let every
    error through, later typos too: it is refused with what to write instead."""

    def convert(self, node, ctx):
        if isinstance(node, Scalar) and not node.is_null and node.text.strip() in ("true", "false"):
            if node.text.strip() == "false":
                return []
            raise Invalid(
                node,
                "published_as_is 不能只写 true：请逐条列出原件本身加不平、照原件公开的错误，每条写 rule（check 报告中"
                "“错误：”之后、“：应为”之前的文字）和 difference（报告的“相差”），其他错误照样不能发布",
            )
        return super().convert(node, ctx)


DOCUMENT_FILE = record(
    "公开文件",
    "一份公开文件（data/<部门>/<年度>/<文件>.yaml）：部门预算、部门决算或绩效评价",
    partial=True,
    title=Text(doc="标题，照原件"),
    kind=Choice(KINDS, doc="文件类别：预算、决算或绩效"),
    year=Integer(low=1990, high=2100, doc="年度，与所在文件夹相同"),
    unit=optional(Text(doc="金额单位（默认 万元）"), "万元"),
    form_set=optional(Slug(doc="表样：data/forms/ 下的文件名（不带 .yaml），如 hunan-juesuan-2020")),
    published=optional(Date(doc="公开日期，写成 YYYY-MM-DD；原件未载明时不写")),
    approved=optional(
        Date(doc="批复日期：本预算、决算经批复的日期，写成 YYYY-MM-DD，在公开日期之前；原件未载明时不写")
    ),
    issuer=optional(Text(doc="发布单位：公开原件的单位，如 长沙市望城区医疗保障局；原件未载明时不写")),
    original_url=optional(
        Url(doc="原件的网址：发布单位公开原件的网页，以 http:// 或 https:// 开头；网站上链接到它，数据包中列为来源")
    ),
    source=optional(Markdown(doc="来源说明：据什么录入，如 据……公开的《……》原件录入；显示在文件首页")),
    published_as_is=optional(
        AsIsList(
            AS_IS,
            doc="原件本身加不平、照原件公开的错误，逐条照 check 报告写 rule 和 difference；"
            "只有这些错误照原件公开，其他错误照样不能发布（在 as_is_note 中说明）",
        ),
        [],
    ),
    as_is_note=optional(Markdown(doc="照原件公开的说明")),
    omitted=optional(
        ListOf(OMITTED, doc="原件没有公开的必须公开的表（表样目录中的表），逐张写表号和原因"),
        [],
    ),
    parts=ListOf(PART, allow_empty=False, doc="原件目录的各部分，按原件顺序；这就是网站上的目录"),
)
