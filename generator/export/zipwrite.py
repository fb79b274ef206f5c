"""Zip archives written from bytes in memory: the XLSX workbooks and the site's zip of downloads.

The same bytes as zipfile.ZipFile.writestr writes for the same members (a test compares them),
without its per-member work that a build repeats some 60,000 times: a ZipInfo, a stream object,
and a local header written twice with a seek back between. A worker zips its batch's downloads
while they are still in memory (ZipArchive), and the main process joins the batches' archives
(Joined) by copying their members as they are and rewriting the offsets in their central
directories, rather than reading every file back and deflating it again on its own core.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

_LOCAL = struct.Struct("<4s2B4HL2L2H")  # zipfile's structFileHeader
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")  # zipfile's structCentralDir
_END = struct.Struct("<4s4H2LH")
_END64 = struct.Struct("<4sQ2H2L4Q")
_LOCATOR64 = struct.Struct("<4sLQL")
_OFFSET_IN_CENTRAL = 42  # where a central record keeps its local header's offset
STORED, DEFLATED = 0, 8
_UTF8_NAME = 0x800
_UNIX, _VERSION = 3, 20
_PERMISSIONS = 0o644 << 16
_LIMIT = 0xFFFFFFFF


class ZipTooLarge(Exception):
    """A member or offset past 4 GiB, which these archives never reach (it would need zip64 fields)."""


def deflated(data: bytes, level: int) -> bytes:
    """Raw deflate, as zipfile writes it (compressobj(level, DEFLATED, -15): no zlib header)."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


class ZipArchive:
    """Members added in order, with unix permissions 644 and the time last given (dated()), written
    out by finish()."""

    def __init__(self, date_time: tuple):
        self.dated(date_time)
        self.chunks: list[bytes] = []
        self.central: list[bytes] = []
        self.size = 0

    def dated(self, date_time: tuple) -> None:
        """The time of the members added from now on (a batch's archive holds several bureaus')."""
        y, mo, d, h, mi, s = date_time[:6]
        self.dos_time, self.dos_date = h << 11 | mi << 5 | s // 2, (y - 1980) << 9 | mo << 5 | d

    def add(self, name: str, data: bytes, level: int | None = None) -> None:
        """*data* deflated at *level*, or stored when *level* is None."""
        crc = zlib.crc32(data)
        if level is None:
            self.add_raw(name, data, STORED, crc, len(data))
        else:
            self.add_raw(name, deflated(data, level), DEFLATED, crc, len(data))

    def add_raw(self, name: str, raw: bytes, method: int, crc: int, size: int) -> None:
        """A member given as its bytes in the archive (deflated already, or stored) and its crc32."""
        if name.isascii():
            encoded, flags = name.encode("ascii"), 0
        else:
            encoded, flags = name.encode("utf-8"), _UTF8_NAME
        offset = self.size
        if size > _LIMIT or len(raw) > _LIMIT or offset > _LIMIT:
            raise ZipTooLarge(name)
        fields = (flags, method, self.dos_time, self.dos_date, crc, len(raw), size, len(encoded))
        header = _LOCAL.pack(b"PK\x03\x04", _VERSION, 0, *fields, 0) + encoded
        self.chunks += (header, raw)
        self.size += len(header) + len(raw)
        self.central.append(
            _CENTRAL.pack(b"PK\x01\x02", _VERSION, _UNIX, _VERSION, 0, *fields, 0, 0, 0, 0, _PERMISSIONS, offset)
            + encoded
        )

    def finish(self) -> bytes:
        """The archive: its members, then the central directory and the end record."""
        return b"".join([*self.chunks, *self.central, end_record(len(self.central), self.size, self.central)])


def end_record(count: int, directory_offset: int, central: list[bytes]) -> bytes:
    """The end of central directory record (with zip64's, as zipfile writes it, past 65,535 members)."""
    size = sum(map(len, central))
    if directory_offset > _LIMIT or size > _LIMIT:
        raise ZipTooLarge("central directory")
    end = b""
    if count > 0xFFFF:  # a province's downloads can be that many files
        end = _END64.pack(b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, size, directory_offset)
        end += _LOCATOR64.pack(b"PK\x06\x07", 0, directory_offset + size, 1)
    return end + _END.pack(b"PK\x05\x06", 0, 0, min(count, 0xFFFF), min(count, 0xFFFF), size, directory_offset, 0)


class Joined:
    """Archives (of ZipArchive, without zip64 records) joined into one file, member for member."""

    def __init__(self, path: Path):
        self.file = path.open("wb")
        self.size = 0
        self.central: list[bytes] = []
        self.count = 0

    def append(self, archive: bytes) -> None:
        count, directory_size, directory_offset = struct.unpack_from("<2xHLL", archive, len(archive) - _END.size + 8)
        if count == 0xFFFF:  # its true count is in zip64 records, which a batch never needs
            raise ZipTooLarge("a batch's archive")
        directory = bytearray(archive[directory_offset : directory_offset + directory_size])
        at = 0
        for _ in range(count):  # each record's offset moves by where the archive's members land
            (offset,) = struct.unpack_from("<L", directory, at + _OFFSET_IN_CENTRAL)
            if offset + self.size > _LIMIT:
                raise ZipTooLarge("offset")
            struct.pack_into("<L", directory, at + _OFFSET_IN_CENTRAL, offset + self.size)
            at += _CENTRAL.size + struct.unpack_from("<H", directory, at + 28)[0]
        self.file.write(memoryview(archive)[:directory_offset])
        self.size += directory_offset
        self.central.append(bytes(directory))
        self.count += count

    def close(self) -> None:
        self.file.write(b"".join(self.central))
        self.file.write(end_record(self.count, self.size, self.central))
        self.file.close()
