"""Build stage, spill: what the batches send back for the end of the build, kept on disk meanwhile:
the search index's parts (joined a slice at a time, and a slice that did not change not joined
again) and the checks' findings (merged in order).

Joined in memory, the index of a province is all its postings at once: about 48 KB a document
(gap-coded arrays, before gzip), so close to a gigabyte in the build's own process at 20,000
documents, on top of the workers. So a batch's part is cut by token into BUCKETS slices where it
is made, in the worker (spill_part), and written to one file of the batch's folder (SLICES), which
build_cache keeps with the batch's other files; the batch sends back only what this process needs
of it (IndexSlices): the tokens of each bucket (the vocabulary, which grows far slower than the
documents), each record's facets, and where each slice lies in the file with its digest.

A token's shard is its FNV hash modulo the shard count (search.shard_of), a power of two, and so
is BUCKETS: the tokens of shard s all lie in the buckets b with b ≡ s modulo min(BUCKETS, shards).
At the end the slices of one such class are read back and joined (IndexPart.absorb, as before),
their shards written, and the slice dropped before the next: the same bytes as joining every part
in memory, with a sixty-fourth of the postings in memory at a time on a province.

A class's shards depend on nothing but the shard count, where each of its slices starts (the
records before it) and what the slices hold (_digest): that is their key in build_cache, and a class whose key
a build kept is linked from there instead of joined. An unchanged rebuild of 2,000 documents spent
21 of its 49 s sending every batch's postings to this process, spilling and joining them again
(cProfile of `build --jobs 1`); an edit of one document changes the slices of its own batch only,
and of those only the buckets of the tokens the edit touched.

The findings are printed sorted once the build has them all: a copy of the reference data's real
errors in every synthetic document makes some 24 a document, a quarter of a gigabyte of messages
at 20,000. Each batch's are sorted and written as they come, and merged back in order when printed.
"""

from __future__ import annotations

import hashlib
import heapq
import itertools
import pickle
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..core.problems import Problem
from . import build_cache
from .search import Facets, IndexPart, postings_of, shard_count, shard_of, write_meta, write_shard

BUCKETS = 64  # a power of two, as shard counts are (search.shard_count)
SLICES = "index.slices"  # a batch's slices, in its folder


@dataclass
class IndexSlices:
    """A part of the index cut into slices by bucket in a file (spill_part), and what the build's
    process needs of it without reading them: its records (count, facets), postings, the tokens of
    each bucket, and each slice's place in the file and digest."""

    count: int
    postings: int
    facets: list[Facets]
    tokens: dict[int, list[str]]
    places: dict[int, tuple[int, int, str]]  # bucket → start and length in the file, digest


_BUCKET_OF: dict[str, int] = {}  # a process's vocabulary, by bucket: hashed once a token


def _bucket(token: str) -> int:
    bucket = _BUCKET_OF.get(token)
    if bucket is None:
        bucket = _BUCKET_OF[token] = shard_of(token, BUCKETS)
    return bucket


def spill_part(part: IndexPart, file: Path) -> IndexSlices:
    """Cut *part* (used up) into its buckets' slices, written one after another into *file*."""
    part.seal()
    slices: dict[int, IndexPart] = {}

    def slice_of(token: str) -> IndexPart:
        bucket = _bucket(token)
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
    places, tokens = {}, {}
    with file.open("wb") as out:
        for bucket in sorted(slices):
            piece = slices[bucket]
            data = pickle.dumps(piece, protocol=pickle.HIGHEST_PROTOCOL)
            held = sorted({*piece.body_gaps, *piece.title_gaps, *piece.ranges})
            places[bucket] = (out.tell(), len(data), _digest(piece, held))
            out.write(data)
            tokens[bucket] = held
    return IndexSlices(part.count, postings_of(part), part.facets, tokens, places)


def _digest(piece: IndexPart, tokens: list[str]) -> str:
    """What a slice holds, token by token (*tokens*: its own, sorted); not its pickle, whose bytes
    also follow which equal strings happen to be one object (pickle's memo), and so the caches of
    the process that made it."""
    digest = hashlib.blake2b(digest_size=16)
    for token in tokens:
        digest.update(b"\0" + token.encode())
        for numbers in (piece.body_gaps, piece.title_gaps, piece.ranges):
            found = numbers.get(token)
            digest.update(b"\1-" if found is None else b"\1%d:" % len(found) + found.tobytes())
        digest.update(b"\2%d %d" % (piece.body_last.get(token, -1), piece.title_last.get(token, -1)))
        digest.update(b"\3" + bytes(piece.body_flags.get(token, b"")))
        for column in piece.title_details.get(token, ()):
            digest.update(b"\4%d:" % len(column) + bytes(column))
    return digest.hexdigest()


class SpilledIndex:
    """The search index of the parts absorbed, in order, their slices left in their files until
    write(); *folder*: where this process spills a part of its own (absorb_part)."""

    def __init__(self, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.own = 0  # parts spilled by this process
        self.damaged = 0  # classes of shards whose kept files could not be used (write)
        self.count = 0
        self.postings = 0  # what the shard count depends on besides the tokens
        self.facets: list[Facets] = []
        self.bucket_of: dict[str, int] = {}  # every token seen: its bucket
        # bucket → its slices in the order absorbed: (first record, file, start, length, digest)
        self.slices: dict[int, list[tuple[int, Path, int, int, str]]] = {}

    def absorb(self, part: IndexSlices, file: Path) -> None:
        """Append *part*'s records (its slices in *file*) after those absorbed before."""
        for bucket, (start, length, digest) in part.places.items():
            self.slices.setdefault(bucket, []).append((self.count, file, start, length, digest))
        for bucket, tokens in part.tokens.items():
            self.bucket_of.update(dict.fromkeys(tokens, bucket))
        self.count += part.count
        self.postings += part.postings
        self.facets.extend(part.facets)

    def absorb_part(self, part: IndexPart) -> None:
        """Append a part made in this process (the site-wide pages')."""
        file = self.folder / f"{self.own}-{SLICES}"
        self.own += 1
        self.absorb(spill_part(part, file), file)

    def write(self, parts: list[tuple[str, int]], folder: Path, store: build_cache.Store | None = None) -> set[str]:
        """Write the index into *folder* as search.write_index would have written the parts joined
        in memory, each class of shards linked from *store* when kept there, else joined and kept;
        the slices this process spilled are removed. Returns the keys of the classes in *store*."""
        folder.mkdir(parents=True, exist_ok=True)
        shards = shard_count(len(self.bucket_of), self.postings)
        classes = min(BUCKETS, shards)
        members: list[list[str]] = [[] for _ in range(shards)]
        for token, bucket in self.bucket_of.items():
            members[bucket % shards if shards <= BUCKETS else shard_of(token, shards)].append(token)
        keys = set()
        for residue in range(classes):
            buckets = [b for b in range(BUCKETS) if b % classes == residue]
            numbers = range(residue, shards, classes)
            files = {f"t/{number}.bin": folder / "t" / f"{number}.bin" for number in numbers}
            key = self._class_key(shards, residue, buckets)
            found = build_cache.recall_files(store, key, files.__getitem__) if store is not None else None
            if found is True:
                keys.add(key)
                continue
            self.damaged += found is build_cache.DAMAGED
            joined = self._joined(buckets)
            for number in numbers:
                write_shard(joined, members[number], folder, number)
            if store is not None and not store.recall_only:
                build_cache.keep_files(store, key, list(files.items()))
                keys.add(key)
        write_meta(set(self.bucket_of), shards, self.count, self.facets, parts, folder)
        shutil.rmtree(self.folder, ignore_errors=True)
        return keys

    def _class_key(self, shards: int, residue: int, buckets: list[int]) -> str:
        """What the shards of the class of *residue* are made of: the shard count, and each of its
        slices' first record and digest, in order."""
        digest = hashlib.blake2b(f"index {shards} {residue}".encode())
        for first, bucket, _, _, _, piece in self._pieces(buckets):
            digest.update(f" {first}:{bucket}:{piece}".encode())
        return digest.hexdigest()[:32]

    def _pieces(self, buckets: list[int]) -> list[tuple[int, int, Path, int, int, str]]:
        pieces = [(first, bucket, *rest) for bucket in buckets for first, *rest in self.slices.get(bucket, ())]
        pieces.sort(key=lambda item: item[:2])
        return pieces

    def _joined(self, buckets: list[int]) -> IndexPart:
        """The slices of *buckets* joined in the order their parts were absorbed: a part's slices
        are next to each other in that order, and in the order of its file, opened once for them."""
        joined = IndexPart()
        for file, pieces in itertools.groupby(self._pieces(buckets), key=lambda piece: piece[2]):
            with file.open("rb") as opened:
                for first, _, _, start, length, _ in pieces:
                    opened.seek(start)
                    piece = pickle.loads(opened.read(length))
                    joined.count = first  # where its part's records start; slices of one part share it
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
