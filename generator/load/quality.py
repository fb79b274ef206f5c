"""Load stage, the 公开质量 review's criteria: data/quality.yaml → core.quality.Criteria.

Read and refused as every file of data/ is (schema.QUALITY_FILE): a mistake is a Chinese message
at its path:line:col. A region's weight must name a declared criterion, and each criterion what
its mechanism needs (a table's words, the digits of a code).
"""

from __future__ import annotations

import os
from pathlib import Path

from ..core.problems import Problems
from ..core.quality import Criteria, Criterion
from ..source import schema
from ..source.fields import Invalid, Score, check_record
from ..source.yamlsource import Mapping
from .loader import QUALITY_FILE, Loader, shown, suggest

# What each mechanism needs besides its weight: the key and what to write in it.
NEEDS = {
    "table_detail": (("table", "表名中的文字，如 三公"), ("labels", "要列出的项目，如 [购置费, 运行费]")),
    "code_depth": (("digits", "科目编码的位数，如 7"),),
}


def load_criteria(data_dir: Path) -> tuple[Criteria | None, Problems]:
    """The criteria of data/quality.yaml, or None when there is no such file or it does not load."""
    loader = Loader(data_dir)
    path = data_dir / QUALITY_FILE
    if not os.path.lexists(path):
        return None, loader.problems
    raw = loader.read(path, schema.QUALITY_FILE)
    if raw is None:
        return None, loader.problems
    problems = loader.problems
    criteria: list[Criterion] = []
    for c in raw.criteria:
        if any(c.id == other.id for other in criteria):
            problems.add(c.mark, f"标准的 id '{c.id}' 写了两次：每项标准的 id 不同")
            continue
        missing = [f"{key}（{what}）" for key, what in NEEDS.get(c.measure, ()) if not getattr(c, key)]
        if missing:
            problems.add(c.mark, f"measure: {c.measure} 要写 {'、'.join(missing)}")
            continue
        criteria.append(
            Criterion(
                c.id, c.name, c.weight, c.measure, tuple(c.kinds), c.mark, c.table, tuple(c.labels), c.digits, c.codes
            )
        )
    ids = {c.id for c in criteria}
    regions = {}
    if raw.regions is not None:
        if not isinstance(raw.regions, Mapping):
            problems.add(raw.regions.mark, "regions 应写 地区: {weights: {标准的 id: 分值}}")
        else:
            for key, node in raw.regions.items:
                region = check_record(node, schema.QUALITY_REGION, loader.ctx)
                if region is None:
                    continue
                if not isinstance(region.weights, Mapping):
                    problems.add(region.weights.mark, "weights 应写 标准的 id: 分值，如 timeliness: 20")
                    continue
                weights = {}
                for name, value in region.weights.items:
                    if name.text not in ids:
                        problems.add(name.mark, f"没有 id 为 '{name.text}' 的标准{suggest(name.text, ids)}")
                        continue
                    try:
                        weights[name.text] = Score().convert(value, loader.ctx)
                    except Invalid as exc:
                        loader.ctx.report(exc)
                regions[key.text.strip("/")] = weights
    return Criteria(tuple(criteria), tuple(dict.fromkeys(raw.mandated)), regions, shown(path)), problems
