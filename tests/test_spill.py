"""The search index joined from parts spilled to disk (build/spill.py): the bytes of the index joined
in memory, and a build's own process holding no postings however many parts it has absorbed."""

from __future__ import annotations

import pickle
from collections import Counter
from pathlib import Path

import pytest

from generator.build import build_cache, search
from generator.build.search import Facets, IndexPart, Record, write_index
from generator.build.spill import BUCKETS, PROBLEMS_READ, SpilledFindings, SpilledIndex, spill_part
from generator.core.problems import Mark, Problem


def part_of(bureau: str, documents: int, numbers: range, extra: tuple[Record, ...] = ()) -> IndexPart:
    """A batch's part: a bureau's pages, with a token of their own for each of *numbers* (the
    vocabulary's size decides the shard count) and titles, rows and definitions as real pages have."""
    part = IndexPart()
    for document in range(documents):
        facets = Facets(bureau, "湖南省", str(2019 + document % 3), "部门决算")
        part.add(Record(f"{bureau}/{document}/", "部门决算", "部门决算", "部门概况 三公经费", facets))
        for n in numbers:
            text = f"公务接待费 {n}.{document:02d} 万元"
            part.add(Record(f"{bureau}/{document}/p/#s{n}", "情况说明", f"{n}、三公经费支出情况", text, facets))
        part.add(Record(f"{bureau}/{document}/p/#term-三公经费", "情况说明", "三公经费", "指因公出国……", facets))
        cells = [["公务接待费", [["决算数", "2.29"]]]]
        part.add(Record(f"{bureau}/{document}/t/#表-r0", "表", "公开07表", "2.29", facets, "公务接待费", cells))
    for record in extra:
        part.add(record)
    part.pad_to(search.CHUNK)
    part.seal()
    return part


def written(folder) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def parts_for(vocabulary: int) -> list[tuple[str, IndexPart]]:
    return [
        (f"b{n:04d}", part_of(bureau, 2 if vocabulary < 100 else 1, range(n * 7, n * 7 + vocabulary)))
        for n, bureau in enumerate(["长沙市望城区医疗保障局", "武汉市东西湖区医疗保障局", "南昌市东湖区财政局"])
    ]


# 16 shards take several buckets each; 128 shards (over 6,400 tokens, or few tokens with many
# postings) several shards a bucket
@pytest.mark.parametrize(("vocabulary", "postings_per_shard"), [(40, None), (4000, None), (40, 2)])
def test_the_index_joined_from_disk_is_the_index_joined_in_memory(
    tmp_path, monkeypatch, vocabulary, postings_per_shard
):
    if postings_per_shard is not None:
        monkeypatch.setattr(search, "POSTINGS_PER_SHARD", postings_per_shard)
    joined, spilled = IndexPart(), SpilledIndex(tmp_path / "spill")
    for _, part in parts_for(vocabulary):
        joined.absorb(part)
    for _, part in parts_for(vocabulary):
        spilled.absorb_part(part)
    names = [(name, part.count) for name, part in parts_for(vocabulary)]
    tokens = set(joined.body_gaps) | set(joined.title_gaps) | set(joined.ranges)
    shards = search.shard_count(len(tokens), search.postings_of(joined))
    # both ways of reading the buckets back are taken
    assert (shards < BUCKETS) == (vocabulary == 40 and postings_per_shard is None)
    write_index(joined, names, tmp_path / "memory")
    assert spilled.write(names, tmp_path / "disk") == set()  # no store: nothing kept
    assert written(tmp_path / "disk") == written(tmp_path / "memory")
    assert not (tmp_path / "spill").exists()  # the slices are gone once the index is written


def test_each_part_s_file_is_opened_once_a_class_of_shards(tmp_path, monkeypatch):
    # 16 shards: a class of shards takes 4 buckets, so 4 slices of each part's file
    names = [(name, part.count) for name, part in parts_for(40)]
    spilled = spilled_parts(tmp_path, [part for _, part in parts_for(40)], "spill")
    files = Counter(file.name for places in spilled.slices.values() for _, file, *_ in places)
    assert len(files) == 3 and min(files.values()) > 16
    opened = Counter()
    open_file = Path.open

    def counted(path, mode="r", *args, **kwargs):
        if path.suffix == ".slices":
            opened[path.name] += 1
        return open_file(path, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "open", counted)
    spilled.write(names, tmp_path / "disk")
    assert opened == dict.fromkeys(files, 16)


def retained(spilled: SpilledIndex) -> int:
    """What the spilled index keeps in this process but the records' facets (a few bytes a record)
    and where each part's slices lie (a few references a bucket a part)."""
    return len(pickle.dumps({k: v for k, v in vars(spilled).items() if k not in ("facets", "slices")}))


def test_the_build_process_keeps_no_postings_of_the_parts_it_has_absorbed(tmp_path):
    spilled = SpilledIndex(tmp_path / "spill")
    sizes, places = [], []
    for n in range(20):  # the same vocabulary in every part: what grows is postings, kept on disk
        file = tmp_path / f"{n}.slices"
        spilled.absorb(spill_part(part_of(f"局{n}", 2, range(100)), file), file)  # as a worker does
        sizes.append(retained(spilled))
        places.append(len(pickle.dumps(spilled.slices)))
    assert sizes[-1] - sizes[1] < 8  # the count's bytes, not the parts'
    assert max(b - a for a, b in zip(places[1:], places[2:], strict=False)) < 60 * BUCKETS
    assert sum(path.stat().st_size for path in tmp_path.glob("*.slices")) > 20 * sizes[0]
    assert len(spilled.facets) == spilled.count


def build_store(tmp_path) -> build_cache.Store:
    return build_cache.open_folder(tmp_path / "store", "environment")[0]


def spilled_parts(tmp_path, parts: list[IndexPart], name: str) -> SpilledIndex:
    spilled = SpilledIndex(tmp_path / name / "spill")
    for number, part in enumerate(parts):
        file = tmp_path / name / f"{number}.slices"
        spilled.absorb(spill_part(part, file), file)
    return spilled


def test_a_class_of_shards_whose_slices_did_not_change_is_taken_from_the_store(tmp_path):
    """The shards are linked from the store when every slice of their class is as it was; an edit
    to one part joins again only the classes of the tokens it touched, and the bytes are a join's."""
    store = build_store(tmp_path)
    names = [(name, part.count) for name, part in parts_for(4000)]
    first = spilled_parts(tmp_path, [part for _, part in parts_for(4000)], "first")
    kept = first.write(names, tmp_path / "first-index", store)
    assert len(kept) == BUCKETS  # 128 shards: a class a bucket, each kept
    again = spilled_parts(tmp_path, [part for _, part in parts_for(4000)], "again")
    assert again.write(names, tmp_path / "again-index", store) == kept
    assert written(tmp_path / "again-index") == written(tmp_path / "first-index")
    shard = next((tmp_path / "again-index" / "t").iterdir())
    assert shard.stat().st_ino == (tmp_path / "first-index" / "t" / shard.name).stat().st_ino  # linked, not joined

    edited_names = [names[0], (names[1][0], edited_parts()[1].count), names[2]]
    write_index(spilled_joined(enumerate(edited_parts())), edited_names, tmp_path / "memory")
    after = spilled_parts(tmp_path, edited_parts(), "after").write(edited_names, tmp_path / "after-index", store)
    assert written(tmp_path / "after-index") == written(tmp_path / "memory")
    assert 0 < len(after - kept) < BUCKETS // 2  # the classes of the new words' tokens alone


def test_a_kept_shard_that_changed_is_not_taken(tmp_path):
    store = build_store(tmp_path)
    names = [(name, part.count) for name, part in parts_for(40)]
    spilled_parts(tmp_path, [p for _, p in parts_for(40)], "first").write(names, tmp_path / "first-index", store)
    shard = tmp_path / "first-index" / "t" / "3.bin"
    shard.write_bytes(b"x" + shard.read_bytes()[1:])  # the published site's file, the store's too
    again = spilled_parts(tmp_path, [p for _, p in parts_for(40)], "again")
    again.write(names, tmp_path / "again-index", store)
    write_index(spilled_joined(parts_for(40)), names, tmp_path / "memory")
    assert written(tmp_path / "again-index") == written(tmp_path / "memory")


def edited_parts() -> list[IndexPart]:
    """parts_for(4000) with a sentence added to the second part (fresh parts: a join uses them up)."""
    parts = [part for _, part in parts_for(4000)]
    facets = Facets("武汉市东西湖区医疗保障局", "湖南省", "2019", "部门决算")
    added = Record("武汉市东西湖区医疗保障局/0/p/#s9", "情况说明", "补充说明", "公务用车运行维护费 1.23 万元", facets)
    parts[1] = part_of("武汉市东西湖区医疗保障局", 1, range(7, 4007), (added,))
    assert parts[1].count == parts_for(4000)[1][1].count  # within its last chunk: no part after it moves
    return parts


def spilled_joined(parts) -> IndexPart:
    joined = IndexPart()
    for _, part in parts:
        joined.absorb(part)
    return joined


def test_findings_come_back_once_each_and_in_order_from_the_batches_files(tmp_path):
    def finding(path: str, line: int, severity: str = "warning") -> Problem:
        return Problem(Mark(path, line, 1), f"第 {line} 行有半角标点", severity)

    # a bureau's folder sorted before another's can sort after it as a path ("a/" > "a-b/")
    batches = [
        [finding("data/a/2020/juesuan.yaml", n) for n in range(PROBLEMS_READ * 2 + 3, 0, -1)],
        [finding("data/a-b/2020/juesuan.yaml", 7), finding("data/a-b/2020/juesuan.yaml", 7, "notice")],
        [],
        [finding("data/a/2020/juesuan.yaml", 5), finding("data/b/2019/yusuan.yaml", 2)],  # one seen before
    ]
    spilled = SpilledFindings(tmp_path)
    for findings in batches:
        spilled.add(findings)
    assert list(spilled.sorted()) == sorted({f for findings in batches for f in findings})


def test_shards_multiply_with_the_postings_not_only_with_the_tokens():
    # a province's tokens are mostly the bench's, their postings ten times as many: so are the shards
    assert search.shard_count(9_000, 1_000_000) == 128  # by its tokens
    assert search.shard_count(9_000, 16_000_000) == 256  # the 2,000-document bench: by its postings
    assert search.shard_count(9_000, 160_000_000) == 2048  # the 20,000-document bench
    assert search.shard_count(100, 10**12) == 8192


def test_a_slice_s_digest_is_what_it_holds_not_which_of_its_strings_are_one_object(tmp_path):
    """Made by another process, whose caches shared other strings, a slice holding the same
    postings is the same slice: its class of shards is not joined again for that."""
    one, other = part_of("局", 2, range(50)), part_of("局", 2, range(50))
    other.seal()
    same = {token: token for token in other.body_gaps}
    for mapping in (other.title_gaps, other.title_details, other.title_last, other.ranges):
        items = list(mapping.items())
        mapping.clear()
        mapping.update((same.get(token, token), value) for token, value in items)  # one object where two were
    mine, theirs = spill_part(one, tmp_path / "one"), spill_part(other, tmp_path / "other")
    assert (tmp_path / "one").read_bytes() != (tmp_path / "other").read_bytes()  # pickled apart
    assert {b: d for b, (_, _, d) in mine.places.items()} == {b: d for b, (_, _, d) in theirs.places.items()}
    different = spill_part(part_of("局", 2, range(1, 51)), tmp_path / "different")  # other postings
    changed = {b for b, (_, _, d) in different.places.items() if mine.places.get(b, (0, 0, ""))[2] != d}
    assert changed
