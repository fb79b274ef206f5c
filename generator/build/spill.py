"""Build stage, spill: what the batches send back for the end of the build, kept on disk meanwhile:
the search index's parts (joined a slice at a time) and the checks' findings (merged in order).

Joined in memory, the index of a province is all its postings at once: about 48 KB a document
(gap-coded arrays, before gzip), so close to a gigabyte in the build's own process at 20,000
documents, on top of the workers. Here each batch's part, as it comes back, is cut by token into
BUCKETS slices appended to a file per bucket in the build's work folder; this process keeps only
the tokens (the vocabulary, which grows far slower than the documents) and each record's facets.

A token's shard is its FNV hash modulo the shard count (search.shard_of), a power of two, and so
is BUCKETS: the tokens of shard s all lie in the buckets b with b ≡ s modulo min(BUCKETS, shards).
At the end the buckets of one such class are read back and joined (IndexPart.absorb, as before),
their shards written, and the slice dropped before the next: the same bytes as joining every part
in memory, with a sixty-fourth of the postings in memory at a time on a province.

The findings are printed sorted once the build has them all: a copy of the reference data's real
errors in every synthetic document makes some 24 a document, a quarter of a gigabyte of messages
at 20,000. Each batch's are sorted and written as they come, and merged back in order when printed.
"""

from __future__ import annotations

import heapq
import pickle
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..core.problems import Problem
from .search import Facets, IndexPart, postings_of, shard_count, shard_of, write_meta, write_shard

BUCKETS = 64  # a power of two, as shard counts are (search.shard_count)


class SpilledIndex:
    """The search index of the parts absorbed, in order, kept in *folder* until write()."""

    def __init__(self, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.count = 0
        self.postings = 0  # what the shard count depends on besides the tokens
        self.facets: list[Facets] = []
        self.bucket_of: dict[str, int] = {}  # every token seen: its bucket

    def absorb(self, part: IndexPart) -> None:
        """Append *part*'s records after those absorbed before; *part* is used up."""
        part.seal()
        slices: dict[int, IndexPart] = {}

        def slice_of(token: str) -> IndexPart:
            bucket = self.bucket_of.get(token)
            if bucket is None:
                bucket = self.bucket_of[token] = shard_of(token, BUCKETS)
            found = slices.get(bucket)
            if found is None:
                found = slices[bucket] = IndexPart()
            return found

        for token, gaps in part.body_gaps.items():
            mine = slice_of(token)
            mine.body_gaps[token], mine.body_flags[token] = gaps, part.body_flags[token]
            mine.body_last[token] = part.body_last[token]
        for token, gaps in part.title_gaps.items():
            mine = slice_of(token)
            mine.title_gaps[token], mine.title_details[token] = gaps, part.title_details[token]
            mine.title_last[token] = part.title_last[token]
        for token, ranges in part.ranges.items():
            slice_of(token).ranges[token] = ranges
        for bucket, piece in slices.items():  # opened for each part: no files left open by a build that stops
            with (self.folder / f"{bucket}.pickle").open("ab") as file:
                pickle.dump((self.count, piece), file, protocol=pickle.HIGHEST_PROTOCOL)
        self.count += part.count
        self.postings += postings_of(part)
        self.facets.extend(part.facets)

    def write(self, parts: list[tuple[str, int]], folder: Path) -> int:
        """Write the index into *folder* as search.write_index would have written the parts joined
        in memory; the spilled slices are removed. Returns the bytes written."""
        folder.mkdir(parents=True, exist_ok=True)
        shards = shard_count(len(self.bucket_of), self.postings)
        classes = min(BUCKETS, shards)
        members: list[list[str]] = [[] for _ in range(shards)]
        for token, bucket in self.bucket_of.items():
            members[bucket % shards if shards <= BUCKETS else shard_of(token, shards)].append(token)
        written = 0
        for residue in range(classes):
            joined = self._joined([b for b in range(BUCKETS) if b % classes == residue])
            for number in range(residue, shards, classes):
                written += write_shard(joined, members[number], folder, number)
        written += write_meta(set(self.bucket_of), shards, self.count, self.facets, parts, folder)
        shutil.rmtree(self.folder, ignore_errors=True)
        return written

    def _joined(self, buckets: list[int]) -> IndexPart:
        """The slices of *buckets* joined in the order their parts were absorbed."""
        pieces: list[tuple[int, int, IndexPart]] = []
        for bucket in buckets:
            if not (self.folder / f"{bucket}.pickle").exists():
                continue
            with (self.folder / f"{bucket}.pickle").open("rb") as file:
                while True:
                    try:
                        offset, piece = pickle.load(file)
                    except EOFError:
                        break
                    pieces.append((offset, bucket, piece))
        pieces.sort(key=lambda item: item[:2])
        joined = IndexPart()
        for offset, _, piece in pieces:
            joined.count = offset  # where its part's records start; slices of one part share it
            joined.absorb(piece)
        return joined


PROBLEMS_READ = 512  # findings a batch's file is read back by at a time


class SpilledFindings:
    """Findings added a batch at a time, kept in *folder*; sorted() gives them back."""

    def __init__(self, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.files = 0

    def add(self, findings: Iterable[Problem]) -> None:
        mine = sorted(set(findings))
        if not mine:
            return
        with (self.folder / f"{self.files}.pickle").open("wb") as file:
            for start in range(0, len(mine), PROBLEMS_READ):
                pickle.dump(mine[start : start + PROBLEMS_READ], file, protocol=pickle.HIGHEST_PROTOCOL)
        self.files += 1

    def sorted(self) -> Iterator[Problem]:
        """Every finding added, once, in order: sorted(set(all of them)), read a little of each file
        at a time."""
        previous = None
        for problem in heapq.merge(*map(self._read, range(self.files))):
            if problem != previous:
                yield problem
            previous = problem

    def _read(self, number: int) -> Iterator[Problem]:
        # Opened again for each piece: a province's batches are more files than may be open at once.
        at = 0
        while True:
            with (self.folder / f"{number}.pickle").open("rb") as file:
                file.seek(at)
                try:
                    piece = pickle.load(file)
                except EOFError:
                    return
                at = file.tell()
            yield from piece
