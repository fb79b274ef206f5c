"""zipwrite.py: the archives it writes are the bytes zipfile writes for the same members, and
archives joined member for member open as one zip holding every member of each, in order."""

from __future__ import annotations

import io
import subprocess
import zipfile

from generator.export.zipwrite import Joined, ZipArchive

STAMP = (2021, 3, 4, 5, 6, 7)
MEMBERS = [
    ("a.csv", b"x" * 10, None),
    ("北京/2020/yusuan/xiazai/表一.csv", "一,二\r\n".encode() * 500, 1),
    ("b/data.json", b'{"rows": [1, 2, 3]}\n' * 300, 6),
    ("empty.txt", b"", None),
]


def zipfile_bytes(members) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data, level in members:
            entry = zipfile.ZipInfo(name, STAMP)
            entry.external_attr = 0o644 << 16
            entry.create_system = 3
            if level is None:
                archive.writestr(entry, data, zipfile.ZIP_STORED)
            else:
                archive.writestr(entry, data, zipfile.ZIP_DEFLATED, compresslevel=level)
    return out.getvalue()


def ziparchive_bytes(members) -> bytes:
    archive = ZipArchive(STAMP)
    for name, data, level in members:
        archive.add(name, data, level)
    return archive.finish()


def test_same_bytes_as_zipfile():
    assert ziparchive_bytes(MEMBERS) == zipfile_bytes(MEMBERS)


def test_zip64_end_record_past_65535_members_as_zipfile_writes_it():
    members = [(f"{i}.txt", b"", None) for i in range(65536)]
    written = ziparchive_bytes(members)
    assert written == zipfile_bytes(members)
    assert len(zipfile.ZipFile(io.BytesIO(written)).infolist()) == 65536


def test_joined_archives_hold_every_member_in_order(tmp_path):
    path = tmp_path / "all.zip"
    joined = Joined(path)
    joined.append(ziparchive_bytes(MEMBERS[:2]))
    joined.append(ziparchive_bytes([]))  # a batch without downloads
    joined.append(ziparchive_bytes(MEMBERS[2:]))
    joined.close()
    assert path.read_bytes() == zipfile_bytes(MEMBERS)  # offsets rewritten as if written at once
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        assert [(i.filename, archive.read(i)) for i in archive.infolist()] == [(n, d) for n, d, _ in MEMBERS]
    assert subprocess.run(["unzip", "-tq", str(path)], capture_output=True).returncode == 0
