"""Build stage, a build split across machines: `build --shard K/N` builds the batches of shard K of
N into a *part*; `merge PART… --site-dir site` joins the parts into the site, byte for byte the site
a build on one machine writes.

A part is a build_cache store (build_cache.py) and nothing else to learn: an entry per batch of the
shard (its pages, downloads, part of the site's zip, search records, and its outcome: problems,
findings, outline, index part, the links that leave it), and PART_FILE, written last, saying what
the part is: the generator's environment key, the commit of data/, --strict, K and N, the whole
plan's digest, and each batch of the shard with its key. A part whose PART_FILE is missing (a shard
build cut short) is not a part. A part folder built again reuses the entries whose key still holds.

The merge is a build whose every batch is recalled from the parts (a store of their entries,
recall_only: a batch is never built there), then finished as a build finishes (site.py, the same
functions): the site-wide pages, the links between batches, the search index, the zip, the sitemap,
and the swap (publish.py: the previous site untouched unless the new one is complete). It runs in a
checkout of the same commit, which holds what the site-wide pages are made of besides the batches
(data/'s glossary, form sets and site.yaml, content/, mkdocs.yml). Before anything is recalled it
refuses parts that do not make one build: another environment or commit, another N or --strict, a
shard missing or given twice, a part unreadable or missing an entry it lists; a batch whose files
do not match their digests is refused as it is recalled. A shard whose data had errors exits 1 with
its problems and still writes its part, marked failed: merged, the part's problems are printed
again and the merge exits 1, as a one-machine build of the same data would.

Which shard builds a batch is batches.shard_of: by a hash of its bureaus' names, so a batch whose
bureaus did not change stays on its shard.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from ..load.loader import shown
from . import build_cache, processes, publish
from .batches import check_batches, plan
from .report import Stop, Timings, print_stop
from .site import (
    ROOT,
    data_history,
    dated_by_last_commit,
    finish_site,
    publish_new_site,
    run_joined,
    shells_environment,
    site_shells,
    stop_on_errors,
)

PART_FILE = "part.json"
FORMAT = 1  # bumped when what a part says changes shape
ENTRIES = "entries"  # in a merge's work folder: each part's entries, as one store
REBUILD = "请用同一提交重新分片构建"
_KEY = re.compile(r"[0-9a-f]{32}")  # an entry's name (build_cache.batch_key)


def parse_shard(text: str) -> tuple[int, int]:
    """`K/N` → (K, N), 1 ≤ K ≤ N; ValueError (its message in Chinese) otherwise."""
    k, slash, n = text.partition("/")
    if not (slash and k.isdigit() and n.isdigit() and 1 <= int(k) <= int(n)):
        raise ValueError(f"{text} 不是分片：写成 K/N，K 从 1 到 N，如 2/4（共 4 片中的第 2 片）")
    return int(k), int(n)


def default_part_dir(shard: tuple[int, int]) -> Path:
    return Path("parts") / f"{shard[0]}-of-{shard[1]}"


def data_commit(data_dir: Path) -> str | None:
    """The commit checked out where data/ is (None without git or a repository)."""
    try:
        done = subprocess.run(
            ["git", "-C", str(data_dir), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def plan_digest(data_dir: Path) -> str:
    """The whole build's batches, each with its bureaus: the same on every shard of one commit."""
    batches, _ = plan(data_dir)
    listed = [[batch.name, [folder.name for folder in batch.folders]] for batch in batches]
    return hashlib.blake2b(json.dumps(listed, ensure_ascii=False).encode("utf-8"), digest_size=16).hexdigest()


def check_part_dir(part_dir: Path, data_dir: Path) -> None:
    """Stop when *part_dir* (resolved) may not hold a part: inside data/ or holding it, a file, or
    a folder holding something other than a part (or a part's store, cut short)."""
    where = shown(part_dir)
    data = data_dir.resolve()
    if part_dir == data or part_dir.is_relative_to(data) or data.is_relative_to(part_dir):
        raise Stop.at(where, "部件文件夹不能是、在或包含数据文件夹：请换一个文件夹（如 parts/1-of-4）")
    if not os.path.lexists(part_dir):
        return
    if not part_dir.is_dir():
        raise Stop.at(where, "这是一个文件，不是文件夹：请换一个部件文件夹")
    ours = (part_dir / PART_FILE).is_file() or (part_dir / build_cache.META).is_file()
    if not ours and any(part_dir.iterdir()):
        raise Stop.at(where, f"这个文件夹已有内容，却不是分片构建的部件（其中没有 {PART_FILE}）：请换一个文件夹")


def build_part(
    data_dir: Path,
    part_dir: Path,
    shard: tuple[int, int],
    strict: bool = False,
    jobs: int | None = None,
    config_file: Path = ROOT / "mkdocs.yml",
    timings: Timings | None = None,
) -> int:
    """Build the batches of *shard* (K, N) of *data_dir* into *part_dir*; → the exit status: 1, with
    every problem printed, when data/ has errors (the part is written, marked failed), the folder
    may not hold a part, a file cannot be written or the build is interrupted."""
    logging.basicConfig(format="%(levelname)s: %(message)s", level=logging.WARNING)
    timings = Timings() if timings is None else timings
    part_dir = part_dir.resolve()
    k, n = shard
    failed = f"第 {k}/{n} 片没有构建成功"
    notes: list[str] = []
    with processes.sigterm_as_interrupt():
        try:
            check_part_dir(part_dir, data_dir)
            publish.recover(part_dir)  # the work folders of shard builds that were killed
            part_dir.mkdir(parents=True, exist_ok=True)
            (part_dir / PART_FILE).unlink(missing_ok=True)  # a part again only once it is whole
            work = publish.work_folder(part_dir)
            try:
                with dated_by_last_commit():
                    _build_part(work, data_dir, part_dir, shard, strict, jobs, config_file, timings, notes)
            finally:
                shutil.rmtree(work, ignore_errors=True)
        except Stop as stop:
            print_stop(stop, f"{failed}（部件记下了这些问题，合并时同样报告）" if stop.problems else failed)
            return 1
        except OSError as exc:
            print_stop(Stop.file_system(exc, shown(part_dir)), failed)
            return 1
        except BrokenProcessPool:
            print_stop(Stop.at("工作进程", "意外退出（可能是内存不够）"), failed)
            return 1
        except KeyboardInterrupt:
            print(f"已中断：{failed}", file=sys.stderr)
            return 1
    for note in notes:
        print(note)
    print(f"已生成部件 {part_dir}：第 {k}/{n} 片")
    return 0


def _build_part(work, data_dir, part_dir, shard, strict, jobs, config_file, timings, notes) -> None:
    shells = site_shells(work, data_dir, config_file, timings)
    environment = shells_environment(shells, config_file)
    store, _ = build_cache.open_folder(part_dir, environment)  # what a part built before left, when it still holds
    history = data_history(data_dir, timings, notes)
    with timings.timed("batches"):
        checked = check_batches(
            data_dir,
            strict,
            jobs,
            timings,
            work=work,
            shells=shells.by_depth,
            config_file=config_file,
            store=store,
            history=history,
            shard=shard,
        )
    build_cache.prune(store, {o.cache_key for o in checked.outcomes})
    said = {
        "generator": "gongkai",
        "format": FORMAT,
        "environment": environment,
        "commit": data_commit(data_dir),
        "strict": strict,
        "shard": shard[0],
        "shards": shard[1],
        "plan": plan_digest(data_dir),
        "batches": [
            {"name": o.batch.name, "key": o.cache_key, "bureaus": [f.name for f in o.batch.folders]}
            for o in checked.outcomes
        ],
        "failed": bool(checked.errors or checked.blocking),
    }
    partial = part_dir / f"{PART_FILE}.{os.getpid()}.part"
    partial.write_text(json.dumps(said, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    partial.replace(part_dir / PART_FILE)
    stop_on_errors(checked)


def read_part(folder: Path) -> dict:
    """What *folder*'s PART_FILE says, its entries there; Stop when it is not a whole part."""
    where = shown(folder)
    try:
        said = json.loads((folder / PART_FILE).read_text(encoding="utf-8"))
        if not (isinstance(said, dict) and said.get("generator") == "gongkai" and said.get("format") == FORMAT):
            raise ValueError
        k, n, batches = said["shard"], said["shards"], said["batches"]
        if not (type(k) is int and type(n) is int and 1 <= k <= n and isinstance(batches, list)):
            raise ValueError
        for batch in batches:
            if not (isinstance(batch, dict) and _KEY.fullmatch(str(batch.get("key")))):
                raise ValueError
    except (OSError, ValueError, KeyError, TypeError):
        raise Stop.at(where, f"不是分片构建的部件，或部件已损坏（{PART_FILE} 读不出）：{REBUILD}这一片") from None
    for batch in batches:
        entry = folder / batch["key"]
        if not ((entry / build_cache.MANIFEST).is_file() and (entry / build_cache.OUTCOME).is_file()):
            raise Stop.at(where, f"部件已损坏：缺少第 {batch['name']} 批的文件，{REBUILD}这一片")
    return said


def read_parts(folders: list[Path], data_dir: Path) -> list[tuple[Path, dict]]:
    """The parts, checked to make one build of *data_dir*; Stop, one line, when not. (Their
    environment is checked once the shells it is made of are: same_environment.)"""
    parts = [(folder, read_part(folder)) for folder in folders]
    first_folder, first = parts[0]
    for folder, said in parts:
        if said["shards"] != first["shards"]:
            raise Stop.at(
                shown(folder),
                f"部件分属不同的分片构建（这一个共 {said['shards']} 片，{shown(first_folder)} 共 {first['shards']} 片）：{REBUILD}",
            )
    n, seen = first["shards"], {}
    for folder, said in parts:
        if said["shard"] in seen:
            raise Stop.at(
                shown(folder),
                f"第 {said['shard']}/{n} 片的部件给了两次（还有 {shown(seen[said['shard']])}）：每片只给一个",
            )
        seen[said["shard"]] = folder
    missing = [str(k) for k in range(1, n + 1) if k not in seen]
    if missing:
        raise Stop.at("合并", f"缺少第 {'、'.join(missing)} 片（共 {n} 片）的部件：每一片的部件都要给出")
    commit = data_commit(data_dir)
    for folder, said in parts:
        if said["commit"] != first["commit"]:
            raise Stop.at(shown(folder), f"部件来自不同的提交（{said['commit']} 与 {first['commit']}）：{REBUILD}")
        if said["commit"] != commit:
            raise Stop.at(shown(folder), f"部件来自提交 {said['commit']}，本机 data/ 是提交 {commit}：{REBUILD}")
        if said["strict"] != first["strict"]:
            raise Stop.at(shown(folder), f"有的部件加了 --strict，有的没有：{REBUILD}，选项相同")
        if said["plan"] != plan_digest(data_dir):
            raise Stop.at(shown(folder), f"部件里的部门与本机 data/ 的不一致：{REBUILD}")
    return parts


def same_environment(parts: list[tuple[Path, dict]], environment: str) -> None:
    for folder, said in parts:
        if said["environment"] != environment:
            raise Stop.at(shown(folder), f"部件来自另一版本的生成器、依赖、主题或配置：{REBUILD}，在同样的环境中合并")


def gather(parts: list[tuple[Path, dict]], folder: Path, environment: str) -> build_cache.Store:
    """The parts' entries as one store in *folder* (links to them, which the merge only reads)."""
    folder.mkdir()
    for part, said in parts:
        for batch in said["batches"]:
            (folder / batch["key"]).symlink_to(part / batch["key"], target_is_directory=True)
    return build_cache.Store(folder, environment, recall_only=True)


def merge(
    part_dirs: list[Path],
    site_dir: Path,
    data_dir: Path = Path("data"),
    jobs: int | None = None,
    config_file: Path = ROOT / "mkdocs.yml",
    content_dir: Path = ROOT / "content",
    timings: Timings | None = None,
    force: bool = False,
    allow_shrink: bool = False,
    site_url: str | None = None,
) -> int:
    """Join the parts in *part_dirs* into the site in *site_dir*, as build() publishes one (the same
    checks of the site folder, published the same way); → the exit status."""
    logging.basicConfig(format="%(levelname)s: %(message)s", level=logging.WARNING)
    timings = Timings() if timings is None else timings
    folders = [folder.resolve() for folder in part_dirs]

    def make(work: Path, site_url: str | None, notes: list[str]) -> int:
        for folder in folders:
            if folder.is_relative_to(site_dir.resolve()):  # publishing would remove it with the old site
                raise Stop.at(shown(folder), "部件在网站文件夹里面，换上新网站时会被删掉：请把部件放在网站文件夹之外")
        parts = read_parts(folders, data_dir)
        shells = site_shells(work, data_dir, config_file, timings)
        environment = shells_environment(shells, config_file)
        same_environment(parts, environment)
        store = gather(parts, work / ENTRIES, environment)
        strict = parts[0][1]["strict"]  # in every batch's key: the shards' own
        history = data_history(data_dir, timings, notes)
        checked, joined = run_joined(work, data_dir, strict, jobs, config_file, timings, shells, store, history)
        stop_on_errors(checked, joined.found)
        return finish_site(work, checked, joined, content_dir, config_file, shells, timings, site_url)

    return publish_new_site(
        make, site_dir.resolve(), data_dir, config_file, content_dir, force, allow_shrink, site_url, timings
    )
