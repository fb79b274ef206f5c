"""Nothing outside data/ is read, nothing outside site/ is deleted, nothing is published by accident
(issue 17): the folder a build may replace, links and special files in data/, a site that shrinks,
two files of one name, a build killed or stopped, the swap, file-system errors, the date a build
writes.

The cases about a process (what it prints, how it ends, what a signal does to it and its workers)
run `python -m generator` as an editor or CI does. The file-system errors are made for real where
the machine allows it (`chattr +i`, a tmpfs of a few MB; root in a sandbox) and by failing the one
call that would fail where it does not (a container without CAP_LINUX_IMMUTABLE or CAP_SYS_ADMIN):
those builds run in this process, so that the call can be patched.
"""

from __future__ import annotations

import errno
import gzip
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from generator.bench.corpus import make_corpus
from generator.build import publish
from generator.build.batches import plan
from generator.build.check_cache import batch_key
from generator.build.publish import MARKER
from generator.build.site import FIXED_EPOCH, build
from generator.export import downloads
from generator.source.yamlsource import MAX_BYTES, YamlProblem, read_yaml

from helpers import DATA, DOCUMENT_FILE, MINIMAL_BUREAU, MINIMAL_DOCUMENT, ROOT, build_site, generator_env, write
from helpers import run_generator as run
from sitetools import contents, untouched

UNCHANGED = "没有发布，原来的 site/ 未改动"


def one_line(stderr: str) -> str:
    """The one line a refused or stopped command says; never a traceback."""
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    return lines[0]


def closing(stderr: str) -> str:
    """The closing line of a build that stopped after printing the checks' findings; never a traceback."""
    assert "Traceback" not in stderr, stderr
    return stderr.strip().splitlines()[-1]


def marker_of(site: Path) -> dict:
    return json.loads((site / MARKER).read_text(encoding="utf-8"))


# ---- 1. the site folder: never the sources, never a folder that is not a site unless --force ----


@pytest.mark.parametrize(
    "site_dir, refused_as",
    [
        ("data", "网站文件夹就是数据文件夹 data："),
        ("data/site", "网站文件夹在数据文件夹 data 里面："),
        (".", "网站文件夹包含数据文件夹 data："),  # `build --site-dir .` in a checkout
    ],
)
def test_a_site_folder_that_is_holds_or_is_inside_the_data_folder_is_refused_and_nothing_touched(
    data_dir, site_dir, refused_as
):
    project = data_dir.parent
    subprocess.run(["git", "init", "-q", str(project)], check=True)  # a checkout, .git and all
    before = contents(project)
    result = run("build", "data", "--site-dir", site_dir, cwd=project)
    assert result.returncode == 1
    assert one_line(result.stderr).startswith(f"{site_dir}:1:1: 错误：{refused_as}")
    assert contents(project) == before


@pytest.mark.parametrize(
    "site_dir, refused_as",
    [
        (str(ROOT), f"网站文件夹就是项目文件夹 {ROOT}："),
        (str(ROOT.parent), f"网站文件夹包含项目文件夹 {ROOT}："),
        ("/", "网站文件夹是根目录 /："),
    ],
)
def test_the_project_s_checkout_and_the_root_are_refused_before_anything_is_read(tmp_path, site_dir, refused_as):
    # A data folder that does not exist: were the refusal missed, the build would stop there, before any swap.
    # Outside every folder tried here (a checkout cloned into /tmp/x has /tmp as its parent, which
    # would hold a data folder under tmp_path and be refused for that first).
    result = run("build", "/no-such-gongkai-data", "--site-dir", site_dir, cwd=tmp_path)
    assert result.returncode == 1
    assert one_line(result.stderr).startswith(f"{site_dir}:1:1: 错误：{refused_as}")


@pytest.mark.parametrize("which", ["home", "working directory"])
def test_the_home_directory_and_the_working_directory_are_refused(data_dir, tmp_path, which):
    home, here = tmp_path / "home", tmp_path / "here"
    write(home / ".ssh" / "config", "Host *\n")
    write(here / "notes.txt", "mine\n")
    before = contents(tmp_path)
    site_dir = home if which == "home" else here
    result = run("build", str(data_dir), "--site-dir", str(site_dir), cwd=here, env={"HOME": str(home)})
    assert result.returncode == 1
    expected = f"主目录 {home}" if which == "home" else f"当前所在的文件夹 {here}"
    assert f"错误：网站文件夹就是{expected}：" in one_line(result.stderr)
    assert contents(tmp_path) == before


def test_a_folder_that_is_not_a_site_is_replaced_only_with_force(data_dir):
    project = data_dir.parent
    write(project / "public" / "notes.txt", "not a site\n")
    refused = run("build", "data", "--site-dir", "public", cwd=project)
    assert refused.returncode == 1
    line = one_line(refused.stderr)
    assert line.startswith(f"public:1:1: 错误：这个文件夹已有内容，却不是以前生成的网站（其中没有 {MARKER}）")
    assert line.endswith("或确要替换它时加 --force")
    assert (project / "public" / "notes.txt").read_text(encoding="utf-8") == "not a site\n"

    forced = run("build", "data", "--site-dir", "public", "--force", cwd=project)
    assert forced.returncode == 0, forced.stderr
    assert not (project / "public" / "notes.txt").exists()
    assert marker_of(project / "public") == {"documents": 1, "generator": "gongkai"}
    again = run("build", "data", "--site-dir", "public", cwd=project)  # a site built here now: no --force
    assert again.returncode == 0, again.stderr

    (project / "empty").mkdir()  # nothing to lose
    assert run("build", "data", "--site-dir", "empty", cwd=project).returncode == 0
    write(project / "a-file", "text\n")
    not_a_folder = run("build", "data", "--site-dir", "a-file", cwd=project)
    assert not_a_folder.returncode == 1
    assert one_line(not_a_folder.stderr) == "a-file:1:1: 错误：这是一个文件，不是文件夹：请换一个网站文件夹"


# ---- 2. links and special files in data/ ----


def test_a_bureau_folder_linked_out_of_data_is_refused_at_its_path_and_not_published(data_dir, tmp_path):
    elsewhere = tmp_path / "elsewhere" / "qita-ybj"
    write(elsewhere / "bureau.yaml", MINIMAL_BUREAU.replace("测试区", "其他区"))
    write(elsewhere / "2020" / "juesuan.yaml", MINIMAL_DOCUMENT.replace("测试区", "其他区"))
    (data_dir / "qita-ybj").symlink_to(elsewhere, target_is_directory=True)
    checked = run("check", "data", cwd=data_dir.parent)
    assert checked.returncode == 1
    assert one_line(checked.stderr).startswith("data/qita-ybj:1:1: 错误：这是指向数据文件夹以外的链接，不会读取")
    built = run("build", "data", "--site-dir", "site", cwd=data_dir.parent)
    assert built.returncode == 1 and not (data_dir.parent / "site").exists()


def test_bureau_yaml_linked_to_a_credentials_file_is_refused_and_never_printed(data_dir, tmp_path):
    credentials = write(tmp_path / "credentials", "deploy:x:0:0:token-8f2c1e:/root:/bin/bash\nbackup:hunter2\n")
    bureau = data_dir / "ceshi-ybj" / "bureau.yaml"
    bureau.unlink()
    bureau.symlink_to(credentials)
    result = run("check", "data", cwd=data_dir.parent)
    assert result.returncode == 1
    assert one_line(result.stderr).startswith("data/ceshi-ybj/bureau.yaml:1:1: 错误：这是指向数据文件夹以外的链接")
    assert "token-8f2c1e" not in result.stderr + result.stdout and "hunter2" not in result.stderr + result.stdout


def test_a_message_quotes_no_more_than_a_short_excerpt_of_a_file(data_dir):
    # A file of data/ that is not what it should be (here a long line where a mapping belongs) is
    # quoted, as every wrong value is, but only in part, and on the one line of its message.
    write(
        data_dir / "ceshi-ybj" / "bureau.yaml",
        "token 0123456789abcdef0123456789abcdef TAIL-SECRET\n  second line SECOND-SECRET\n",
    )
    result = run("check", "data", cwd=data_dir.parent)
    assert result.returncode == 1
    line = one_line(result.stderr)
    assert line.startswith("data/ceshi-ybj/bureau.yaml:1:1: 错误：这里应写") and "'token 0123456789" in line
    assert "…'" in line and "TAIL-SECRET" not in line and "SECOND-SECRET" not in line


def bounded(memory: int) -> Callable[[], None]:
    """A child process's address space limited to *memory* bytes: a regression reading /dev/zero
    fails with MemoryError instead of taking the machine's memory."""
    return lambda: resource.setrlimit(resource.RLIMIT_AS, (memory, memory))


@pytest.mark.parametrize(
    "kind, said",
    [
        ("linked to /dev/zero", ":1:1: 错误：这是指向数据文件夹以外的链接，不会读取"),
        ("a FIFO", ":1:1: 错误：这不是普通的文件或文件夹（是管道、设备或套接字），不会读取"),
        ("a sparse file of a terabyte", ":1:1: 错误：文件超过 4 MiB：请拆成几个文件"),
    ],
)
def test_a_document_that_cannot_be_read_safely_is_refused_without_reading_it(data_dir, kind, said):
    document = data_dir / DOCUMENT_FILE
    document.unlink()
    if kind == "linked to /dev/zero":
        document.symlink_to("/dev/zero")
    elif kind == "a FIFO":
        os.mkfifo(document)
    else:
        with open(document, "wb") as file:
            file.truncate(1 << 40)
    result = subprocess.run(
        [sys.executable, "-m", "generator", "check", "data"],
        cwd=data_dir.parent,
        capture_output=True,
        text=True,
        env=generator_env(),
        timeout=120,  # a FIFO read would wait for ever
        preexec_fn=bounded(2 << 30),
    )
    assert result.returncode == 1
    assert one_line(result.stderr).startswith(f"data/{DOCUMENT_FILE}{said}")


def test_a_file_that_grows_while_it_is_read_is_read_no_further_than_the_limit(tmp_path, monkeypatch):
    path = write(tmp_path / "data" / "glossary.yaml", "terms: []\n")
    asked = []

    def endless(descriptor: int, size: int) -> bytes:  # as if another process kept appending to it
        asked.append(size)
        return b"#" * size

    monkeypatch.setattr(os, "read", endless)
    with pytest.raises(YamlProblem) as refused:
        read_yaml(path, "data/glossary.yaml")
    assert str(refused.value.problem) == "data/glossary.yaml:1:1: 文件超过 4 MiB：请拆成几个文件"
    assert sum(asked) == MAX_BYTES + 1


def test_the_batch_plan_walks_no_folder_linked_out_of_data(data_dir, tmp_path):
    outside = tmp_path / "outside" / "waibu-ybj"
    write(outside / "bureau.yaml", MINIMAL_BUREAU)
    write(outside / "2020" / "juesuan.yaml", MINIMAL_DOCUMENT)
    (data_dir / "waibu-ybj").symlink_to(outside, target_is_directory=True)
    batches, problems = plan(data_dir)
    assert [folder.name for batch in batches for folder in batch.folders] == ["ceshi-ybj"]
    assert [problem.mark.path for problem in problems] == [str(data_dir / "waibu-ybj")]


def test_what_check_remembers_depends_on_nothing_outside_data(data_dir, tmp_path):
    outside = write(tmp_path / "outside.yaml", "title: 一\n")
    (data_dir / "ceshi-ybj" / "2020" / "yusuan.yaml").symlink_to(outside)
    key = batch_key(data_dir, [data_dir / "ceshi-ybj"], False)
    outside.write_text("title: 二\n", encoding="utf-8")  # never read: the link is refused
    assert batch_key(data_dir, [data_dir / "ceshi-ybj"], False) == key


def test_fmt_rewrites_no_file_through_a_link_and_waits_on_no_fifo(data_dir, tmp_path):
    outside = write(tmp_path / "outside.yaml", "name:   其他\n")  # fmt would lay it out anew
    bureau = data_dir / "ceshi-ybj" / "bureau.yaml"
    bureau.unlink()
    bureau.symlink_to(outside)
    os.mkfifo(data_dir / "ceshi-ybj" / "2020" / "yusuan.yaml")
    result = run("fmt", "data", cwd=data_dir.parent, timeout=60)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "data/ceshi-ybj/2020/yusuan.yaml: 未整理：这不是普通的文件或文件夹（是管道、设备或套接字），不会读取：请删掉它",
        "data/ceshi-ybj/bureau.yaml: 未整理：这是链接：fmt 只整理文件本身，不改链接指向的文件",
    ]
    assert outside.read_text(encoding="utf-8") == "name:   其他\n"


# ---- 3. a site that would shrink ----


def test_a_build_that_would_publish_fewer_than_half_of_the_documents_or_none_stops(tmp_path):
    data, site = tmp_path / "data", tmp_path / "site"
    shutil.copytree(DATA, data)
    first = run("build", "data", "--site-dir", "site", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    before = untouched(site)
    bureaus = sorted(p for p in data.iterdir() if p.is_dir() and p.name != "forms")

    for bureau in bureaus[1:]:  # a checkout half done: one bureau of four
        shutil.rmtree(bureau)
    shrunk = run("build", "data", "--site-dir", "site", cwd=tmp_path)
    assert shrunk.returncode == 1
    assert (
        closing(shrunk.stderr)
        == f"新网站只有 1 份公开文件，不到原来 4 份的一半：确要撤下这些文件，请加 --allow-shrink；{UNCHANGED}"
    )
    assert untouched(site) == before

    for entry in data.iterdir():  # data/ emptied
        shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    emptied = run("build", "data", "--site-dir", "site", cwd=tmp_path)
    assert emptied.returncode == 1
    assert one_line(emptied.stderr).startswith("新网站一份公开文件也没有（原来有 4 份）：")
    assert untouched(site) == before

    allowed = run("build", "data", "--site-dir", "site", "--allow-shrink", cwd=tmp_path)
    assert allowed.returncode == 0, allowed.stderr
    assert marker_of(site) == {"documents": 0, "generator": "gongkai"}  # what the next build compares with
    assert before["files"][MARKER] != untouched(site)["files"][MARKER]  # it said 4


def test_half_of_the_documents_is_not_a_shrink(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    assert run("build", "data", "--site-dir", "site", cwd=tmp_path).returncode == 0
    for bureau in sorted(p for p in data.iterdir() if p.is_dir() and p.name != "forms")[2:]:
        shutil.rmtree(bureau)
    halved = run("build", "data", "--site-dir", "site", cwd=tmp_path)
    assert halved.returncode == 0, halved.stderr
    assert marker_of(tmp_path / "site")["documents"] == 2


# ---- 4. two files of one name ----


def test_two_documents_of_one_name_are_refused_at_the_second(data_dir):
    document = data_dir / DOCUMENT_FILE
    shutil.copy(document, document.with_suffix(".yml"))
    checked = run("check", "data", cwd=data_dir.parent)
    assert checked.returncode == 1
    assert one_line(checked.stderr) == (
        "data/ceshi-ybj/2020/juesuan.yml:1:1: 错误：与 juesuan.yaml 只差扩展名，两份文件会用同一个网址：请删掉一个，或给这份改名"
    )
    built = run("build", "data", "--site-dir", "site", cwd=data_dir.parent)
    assert built.returncode == 1 and not (data_dir.parent / "site").exists()


# ---- 8. a build killed or stopped ----


def parent_of(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


def workers_of(pid: int) -> list[int]:
    return [int(entry) for entry in os.listdir("/proc") if entry.isdigit() and parent_of(int(entry)) == pid]


def running(pid: int) -> bool:
    """Whether *pid* is a live process (a zombie no one reaped has ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def ended(pids: list[int], within: float = 30) -> bool:
    deadline = time.monotonic() + within
    while any(map(running, pids)):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@pytest.fixture
def province(tmp_path) -> Path:
    """A data folder of 120 documents: six batches, built by two workers for several seconds."""
    make_corpus(DATA, tmp_path / "province", 120)
    return tmp_path / "province"


@contextmanager
def building(data: Path, site: Path) -> Iterator[tuple[subprocess.Popen, list[int], Path]]:
    """`build --jobs 2` started in a session of its own, and its two workers once they are building;
    its output goes to a file (workers left alive would hold a pipe open). Workers still running at
    the end are killed, so that a failing test leaves none behind."""
    log = site.parent / "build.log"
    with open(log, "w") as output:
        process = subprocess.Popen(
            # --no-cache: a build recalled from the build cache of an earlier test ends in a moment, and
            # a signal that lands during its site's swap is dropped by design (processes.signals_held)
            [
                sys.executable,
                "-m",
                "generator",
                "build",
                str(data),
                "--site-dir",
                str(site),
                "--jobs",
                "2",
                "--no-cache",
            ],
            cwd=site.parent,
            stdout=output,
            stderr=output,
            env=generator_env(),
            start_new_session=True,
        )
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 120
        while len(workers) < 2 or not list(site.parent.glob(f".{site.name}-build-*/b0000")):
            assert process.poll() is None, "the build ended before it could be stopped"
            assert time.monotonic() < deadline
            time.sleep(0.01)
            workers = workers_of(process.pid)
        yield process, workers, log
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for pid in workers:
            if running(pid):
                os.kill(pid, signal.SIGKILL)


def test_the_workers_end_when_the_build_is_killed(province, tmp_path):
    site = tmp_path / "site"
    with building(province, site) as (process, workers, _):
        process.send_signal(signal.SIGKILL)  # no handler runs: the kernel tells the workers
        process.wait(timeout=60)
        assert ended(workers), [pid for pid in workers if running(pid)]
    assert not site.exists()


@pytest.mark.parametrize("how", ["SIGTERM", "Ctrl-C"])
def test_a_build_stopped_by_sigterm_or_ctrl_c_stops_its_workers_and_removes_its_work(province, tmp_path, data_dir, how):
    site = build_site(data_dir, tmp_path / "site")
    before = untouched(site)
    with building(province, site) as (process, workers, log):
        if how == "SIGTERM":
            process.send_signal(signal.SIGTERM)  # a cancelled CI job, systemd: the build's process only
        else:
            os.killpg(process.pid, signal.SIGINT)  # Ctrl-C reaches the whole process group
        assert process.wait(timeout=60) == 1
        assert ended(workers)
    assert one_line(log.read_text(encoding="utf-8")) == f"已中断：{UNCHANGED}"
    assert not list(tmp_path.glob(".site-build-*"))
    assert untouched(site) == before


# ---- 9. the swap, and what a killed build left ----


def test_the_site_folder_is_replaced_in_one_step(data_dir, tmp_path, monkeypatch):
    site = build_site(data_dir, tmp_path / "site")
    folder = site.stat().st_ino
    renamed = []
    rename = os.rename

    def recorded(source, target, *args, **kwargs):
        renamed.append((Path(source), Path(target)))
        return rename(source, target, *args, **kwargs)

    monkeypatch.setattr(os, "rename", recorded)
    write(data_dir / DOCUMENT_FILE, MINIMAL_DOCUMENT.replace("负责医疗保障。", "负责医疗保障工作。"))
    build_site(data_dir, site)
    assert [source for source, _ in renamed if source == site] == []  # never moved aside: never missing
    assert site.stat().st_ino != folder  # replaced by the new site's folder, not rewritten in place
    assert "负责医疗保障工作。" in (site / "ceshi-ybj/2020/juesuan/part1/index.html").read_text(encoding="utf-8")
    assert not list(tmp_path.glob(".site-build-*"))


def test_without_the_exchange_the_swap_is_two_renames_and_still_complete(data_dir, tmp_path, monkeypatch):
    site = build_site(data_dir, tmp_path / "site")
    monkeypatch.setattr(publish, "_renameat2", None)  # another system, or a file system without it
    write(data_dir / DOCUMENT_FILE, MINIMAL_DOCUMENT.replace("负责医疗保障。", "负责医疗保障工作。"))
    build_site(data_dir, site)
    assert "负责医疗保障工作。" in (site / "ceshi-ybj/2020/juesuan/part1/index.html").read_text(encoding="utf-8")
    assert not list(tmp_path.glob(".site-build-*"))


def dead_pid() -> int:
    finished = subprocess.Popen(["true"])
    finished.wait()
    return finished.pid


@pytest.mark.parametrize("killed", ["while building", "between the two renames", "after the exchange"])
def test_what_a_killed_build_left_is_put_right_by_the_next_build(data_dir, tmp_path, killed):
    site = build_site(data_dir, tmp_path / "site")
    published = contents(site)
    work = tmp_path / f".site-build-{dead_pid()}-killed"
    if killed == "while building":  # a new site half written
        write(work / "site" / "index.html", "half\n")
    elif killed == "between the two renames":  # no exchange: the old site set aside, the new one not yet in place
        work.mkdir()
        os.rename(site, work / publish.SET_ASIDE)
        shutil.copytree(work / publish.SET_ASIDE, work / "site")
    else:  # the exchange made: the new site in place (here the same), the old one in the work folder
        shutil.copytree(site, work / "site")
    # The next build stops on a data error: what it says of the site must be true.
    write(data_dir / DOCUMENT_FILE, MINIMAL_DOCUMENT.replace("55.11}", "55,11}", 1))
    result = run("build", "data", "--site-dir", "site", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[-1] == f"1 个错误：{UNCHANGED}"
    put_back = "site:1:1: 提示：上次生成在换上新网站的两步之间被中断，网站文件夹不在了：已放回原来的网站"
    assert (put_back in lines) == (killed == "between the two renames")
    assert contents(site) == published
    assert not list(tmp_path.glob(".site-build-*"))


# ---- 10. file-system errors ----


@contextmanager
def unchangeable(path: Path, otherwise: Callable[[], None]) -> Iterator[Callable[[Path], None]]:
    """*path* made immutable (`chattr +i`: not even root may change, rename or delete it), and made
    changeable again at the end; where the machine does not allow it, *otherwise*() makes the call
    that would fail fail as it would. Gives moved(to), to say where the build moved *path* to."""
    made = subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode == 0
    if not made:
        otherwise()
    where = [path]
    try:
        yield lambda to: where.__setitem__(0, to)
    finally:
        if made:
            subprocess.run(["chattr", "-i", str(where[0])], check=True)


def failing(error: int, filename: str) -> Callable:
    def fail(*args, **kwargs):
        raise OSError(error, os.strerror(error), filename)

    return fail


def stopped_in_one_line(capsys, status: int, *said: str) -> str:
    assert status == 1
    line = one_line(capsys.readouterr().err)
    assert line.endswith(f"；{UNCHANGED}") and all(words in line for words in said), line
    return line


def test_a_parent_folder_that_cannot_be_written_stops_the_build_in_one_line(data_dir, tmp_path, monkeypatch, capsys):
    site = build_site(data_dir, tmp_path / "www" / "site")
    before = untouched(site)
    capsys.readouterr()
    with unchangeable(site.parent, lambda: monkeypatch.setattr(tempfile, "mkdtemp", failing(errno.EPERM, "www"))):
        status = build(data_dir, site, jobs=1)
    stopped_in_one_line(capsys, status, "无法读写：不允许这样做")
    assert untouched(site) == before
    assert sorted(p.name for p in site.parent.iterdir()) == ["site"]


def test_a_site_folder_that_cannot_be_renamed_stops_the_build_in_one_line(data_dir, tmp_path, monkeypatch, capsys):
    site = build_site(data_dir, tmp_path / "site")
    before = untouched(site)
    capsys.readouterr()
    with unchangeable(site, lambda: monkeypatch.setattr(publish, "exchange", failing(errno.EPERM, str(site)))):
        status = build(data_dir, site, jobs=1, reuse=False)  # nothing from the cache: the site is swapped whole
    stopped_in_one_line(capsys, status, f"{site}：无法读写：不允许这样做")
    assert untouched(site) == before
    assert not list(tmp_path.glob(".site-build-*"))


def test_a_site_folder_that_cannot_be_updated_stops_the_build_in_one_line(data_dir, tmp_path, monkeypatch, capsys):
    """Updated by difference (publish.update), the site refuses its first new file: nothing was
    changed, and the line says so, naming the file as the site has it."""
    site = build_site(data_dir, tmp_path / "site")
    (site / "404.html").unlink()  # a file the update must put back: the rest it leaves as it is
    before = untouched(site)
    capsys.readouterr()
    refuse = failing(errno.EPERM, str(site / "404.html"))

    def refuse_new_files() -> None:  # as an unchangeable folder does, a link or a copy
        monkeypatch.setattr(publish.os, "link", refuse)
        monkeypatch.setattr(shutil, "copyfile", refuse)

    with unchangeable(site, refuse_new_files):
        status = build(data_dir, site, jobs=1)
    stopped_in_one_line(capsys, status, f"{site / '404.html'}：无法读写：不允许这样做")
    assert untouched(site) == before
    assert not list(tmp_path.glob(".site-build-*"))


@pytest.fixture
def small_disk(tmp_path, monkeypatch) -> Iterator[Callable[[int], Path]]:
    """small_disk(size): a tmpfs of *size* bytes (or, where mounting is not allowed, a folder where
    the first download written fails with ENOSPC), unmounted at the end."""
    mounted = []

    def make(size: int) -> Path:
        disk = tmp_path / "disk"
        disk.mkdir()
        made = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(disk)], capture_output=True)
        if made.returncode == 0:
            mounted.append(disk)
        else:
            monkeypatch.setattr(downloads, "write_documents", failing(errno.ENOSPC, str(disk / "xiazai")))
        return disk

    yield make
    for disk in mounted:
        subprocess.run(["umount", str(disk)], check=True)


def test_a_full_disk_stops_the_build_in_one_line(data_dir, tmp_path, small_disk, capsys):
    built = build_site(data_dir, tmp_path / "built")
    size = sum(p.stat().st_size for p in built.rglob("*") if p.is_file())
    disk = small_disk(size + (1 << 20))  # the site fits, with 1 MB to spare, not a second one
    site = disk / "site"
    shutil.copytree(built, site)
    before = untouched(site)
    capsys.readouterr()
    status = build(data_dir, site, jobs=1)
    stopped_in_one_line(capsys, status, "无法读写：磁盘已满")
    assert untouched(site) == before
    assert sorted(p.name for p in disk.iterdir()) == ["site"]


def test_a_file_of_the_old_site_that_cannot_be_deleted_is_left_with_a_warning(data_dir, tmp_path, monkeypatch, capsys):
    site = build_site(data_dir, tmp_path / "site")
    folder = site.stat().st_ino
    stuck = site / "404.html"
    stuck_file = stuck.stat().st_ino
    unlink = os.unlink

    def refuse_the_stuck_file(path, *args, **kwargs):
        if os.stat(path, **kwargs).st_ino == stuck_file:
            raise PermissionError(errno.EPERM, os.strerror(errno.EPERM), path)
        return unlink(path, *args, **kwargs)

    capsys.readouterr()
    with unchangeable(stuck, lambda: monkeypatch.setattr(os, "unlink", refuse_the_stuck_file)) as moved:
        status = build(data_dir, site, jobs=1, reuse=False)  # swapped whole: the old site goes to the work folder
        (left,) = tmp_path.glob(".site-build-*")
        moved(left / "site" / "404.html")
    assert status == 0  # the new site is published
    assert site.stat().st_ino != folder
    lines = capsys.readouterr().err.strip().splitlines()
    assert "Traceback" not in "".join(lines)
    assert lines == [
        f"{left}:1:1: 警告：新网站已发布，但构建用的文件夹有文件删不掉（{left}/site/404.html），留在这里：请手动删除"
    ]
    monkeypatch.undo()
    shutil.rmtree(left)


# ---- 15. the date a build writes ----


def test_a_build_without_source_date_epoch_is_dated_by_the_last_commit_as_make_site_is(data_dir):
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "log", "-1", "--format=%ct"], capture_output=True, text=True, check=True
    ).stdout.strip()
    project = data_dir.parent
    plain = run("build", "data", "--site-dir", "plain", cwd=project)  # as the README says, no make
    made = run("build", "data", "--site-dir", "made", cwd=project, env={"SOURCE_DATE_EPOCH": commit})
    assert plain.returncode == 0 and made.returncode == 0, plain.stderr + made.stderr
    sitemap = (project / "plain" / "sitemap.xml.gz").read_bytes()
    # gzip's header keeps a time: mkdocs gives the sitemap its pages' date, the day of SOURCE_DATE_EPOCH
    assert int.from_bytes(sitemap[4:8], "little") == int(commit) // 86400 * 86400
    assert gzip.decompress(sitemap).startswith(b"<?xml")
    assert contents(project / "plain") == contents(project / "made")


def test_a_build_without_git_is_dated_by_a_fixed_epoch(data_dir):
    project = data_dir.parent
    result = run("build", "data", "--site-dir", "site", cwd=project, env={"GIT_DIR": str(project / "no-git")})
    assert result.returncode == 0, result.stderr
    sitemap = (project / "site" / "sitemap.xml.gz").read_bytes()
    assert int.from_bytes(sitemap[4:8], "little") == int(FIXED_EPOCH)  # 1980-01-01
