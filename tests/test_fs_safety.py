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

import os
import resource
import shutil
import subprocess
import sys
from collections.abc import Callable

import pytest

from generator.build.batches import plan
from generator.build.check_cache import batch_key
from generator.source.yamlsource import MAX_BYTES, YamlProblem, read_yaml

from helpers import DOCUMENT_FILE, MINIMAL_BUREAU, MINIMAL_DOCUMENT, generator_env, write
from helpers import run_generator as run


def one_line(stderr: str) -> str:
    """The one line a refused or stopped command says; never a traceback."""
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    return lines[0]


# ---- 2. links and special files in data/ ----


def test_a_bureau_folder_linked_out_of_data_is_refused_at_its_path_and_not_published(data_dir, tmp_path):
    elsewhere = tmp_path / "elsewhere" / "qita-ybj"
    write(elsewhere / "bureau.yaml", MINIMAL_BUREAU.replace("测试区", "其他区"))
    write(elsewhere / "2020" / "juesuan.yaml", MINIMAL_DOCUMENT.replace("测试区", "其他区"))
    (data_dir / "qita-ybj").symlink_to(elsewhere, target_is_directory=True)
    checked = run("check", "data", cwd=data_dir.parent)
    assert checked.returncode == 1
    assert one_line(checked.stderr).startswith("data/qita-ybj: 错误：这是指向数据文件夹以外的链接，不会读取")
    built = run("build", "data", "--site-dir", "site", cwd=data_dir.parent)
    assert built.returncode == 1 and not (data_dir.parent / "site").exists()


def test_bureau_yaml_linked_to_a_credentials_file_is_refused_and_never_printed(data_dir, tmp_path):
    credentials = write(tmp_path / "credentials", "deploy:x:0:0:token-8f2c1e:/root:/bin/bash\nbackup:hunter2\n")
    bureau = data_dir / "ceshi-ybj" / "bureau.yaml"
    bureau.unlink()
    bureau.symlink_to(credentials)
    result = run("check", "data", cwd=data_dir.parent)
    assert result.returncode == 1
    assert one_line(result.stderr).startswith("data/ceshi-ybj/bureau.yaml: 错误：这是指向数据文件夹以外的链接")
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
        ("linked to /dev/zero", ": 错误：这是指向数据文件夹以外的链接，不会读取"),
        ("a FIFO", ": 错误：这不是普通的文件或文件夹（是管道、设备或套接字），不会读取"),
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


# ---- 4. two files of one name ----


def test_two_documents_of_one_name_are_refused_at_the_second(data_dir):
    document = data_dir / DOCUMENT_FILE
    shutil.copy(document, document.with_suffix(".yml"))
    checked = run("check", "data", cwd=data_dir.parent)
    assert checked.returncode == 1
    assert one_line(checked.stderr) == (
        "data/ceshi-ybj/2020/juesuan.yml: 错误：与 juesuan.yaml 只差扩展名，两份文件会用同一个网址：请删掉一个，或给这份改名"
    )
    built = run("build", "data", "--site-dir", "site", cwd=data_dir.parent)
    assert built.returncode == 1 and not (data_dir.parent / "site").exists()
