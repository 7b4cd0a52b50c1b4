"""Reading the JSON inside a ZIP from elsewhere (a Day One export) without trusting it.

Nothing is ever extracted to disk: the JSON members are read into memory and everything else (the
photos) is only counted. Before zipfile parses anything, the end-of-archive record is read by hand so a
table of contents claiming millions of members is refused unread. Then every member name is checked
(a `../` or absolute path, a symbolic link, a NUL byte: refused, though nothing is extracted, because
no real export has one), the JSON members' declared sizes are summed against the cap, and their actual
decompressed bytes are counted as they stream, stopping at the cap whatever the headers claimed.
"""

from __future__ import annotations

import lzma
import re
import stat
import struct
import zipfile
import zlib
from typing import BinaryIO

from purpose_app.interchange.errors import cannot_import, show_name
from purpose_app.interchange.limits import (
    CHUNK,
    MAX_TEXT_BYTES,
    MAX_ZIP_DIRECTORY,
    MAX_ZIP_MEMBERS,
)

WHAT = "ZIP file"
_END = struct.Struct("<4s4H2LH")  # end of central directory: signature ... entries, size, offset, comment
_END64_LOCATOR = struct.Struct("<4sLQL")
_END64 = struct.Struct("<4sQ2H2L4Q")
_DRIVE = re.compile(r"^[A-Za-z]:")
_BROKEN = (
    zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, ValueError,
    RuntimeError, zlib.error, lzma.LZMAError, struct.error,
)  # fmt: skip


def is_zip(head: bytes) -> bool:
    return head[:4] in (b"PK\x03\x04", b"PK\x05\x06")


def _directory_size(source: BinaryIO) -> tuple[int, int]:
    """(member count, table-of-contents bytes) from the end record, ZIP64 included."""
    size = source.seek(0, 2)
    tail_length = min(size, _END.size + 65535)
    source.seek(size - tail_length)
    tail = source.read(tail_length)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + _END.size > len(tail):
        raise cannot_import(WHAT, "it is not a ZIP archive, or it is cut short")
    _, _, _, _, members, directory, offset, _ = _END.unpack_from(tail, at)
    if members == 0xFFFF or directory == 0xFFFFFFFF or offset == 0xFFFFFFFF:
        locator_at = size - tail_length + at - _END64_LOCATOR.size
        if locator_at < 0:
            raise cannot_import(WHAT, "its ZIP64 table of contents is missing")
        source.seek(locator_at)
        signature, _, end64_at, _ = _END64_LOCATOR.unpack(source.read(_END64_LOCATOR.size))
        if signature != b"PK\x06\x07" or end64_at > size:
            raise cannot_import(WHAT, "its ZIP64 table of contents is damaged")
        source.seek(end64_at)
        record = _END64.unpack(source.read(_END64.size))
        if record[0] != b"PK\x06\x06":
            raise cannot_import(WHAT, "its ZIP64 table of contents is damaged")
        members, directory = record[7], record[8]
    return members, directory


def _check_member(info: zipfile.ZipInfo) -> None:
    name = info.filename
    parts = re.split(r"[/\\]", name)
    if "\x00" in name:
        raise cannot_import(WHAT, f"the member {show_name(name)} has a NUL byte in its name")
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        raise cannot_import(WHAT, f"the member {show_name(name)} has an absolute path")
    if ".." in parts:
        raise cannot_import(
            WHAT, f'the member {show_name(name)} points outside the archive with ".." (a "zip slip" path)'
        )
    if info.create_system == 3 and stat.S_ISLNK(info.external_attr >> 16):
        raise cannot_import(WHAT, f"the member {show_name(name)} is a symbolic link")


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> bytes:
    if info.flag_bits & 0x1:
        raise cannot_import(WHAT, f"the member {show_name(info.filename)} is encrypted")
    chunks: list[bytes] = []
    total = 0
    with archive.open(info) as member:
        while chunk := member.read(CHUNK):
            total += len(chunk)
            if total > budget:
                raise cannot_import(
                    WHAT,
                    f"{show_name(info.filename)} expands to more than "
                    f"{MAX_TEXT_BYTES // (1024 * 1024)} MiB (a ZIP bomb, or not a journal)",
                )
            chunks.append(chunk)
    return b"".join(chunks)


def json_members(source: BinaryIO) -> tuple[list[tuple[str, bytes]], list[str]]:
    """The JSON members' names and bytes, and the names of every other file (photos and such)."""
    try:
        members, directory = _directory_size(source)
        if members > MAX_ZIP_MEMBERS:
            raise cannot_import(
                WHAT, f"it claims {members:,} files; at most {MAX_ZIP_MEMBERS:,} are accepted"
            )
        if directory > MAX_ZIP_DIRECTORY:
            raise cannot_import(WHAT, "its table of contents is far too large for a journal export")
        source.seek(0)
        with zipfile.ZipFile(source) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_MEMBERS:
                raise cannot_import(WHAT, f"it holds more than {MAX_ZIP_MEMBERS:,} files")
            for info in infos:
                _check_member(info)
            files = [i for i in infos if not i.is_dir() and not i.filename.startswith("__MACOSX/")]
            wanted = [i for i in files if i.filename.lower().endswith(".json")]
            if not wanted:
                raise cannot_import(WHAT, "it holds no journal (no .json file)")
            declared = sum(i.file_size for i in wanted)
            if declared > MAX_TEXT_BYTES:
                raise cannot_import(
                    WHAT,
                    f"its JSON would expand to {declared:,} bytes; at most "
                    f"{MAX_TEXT_BYTES // (1024 * 1024)} MiB are accepted (a ZIP bomb, or not a journal)",
                )
            found: list[tuple[str, bytes]] = []
            budget = MAX_TEXT_BYTES
            for info in wanted:
                data = _read_member(archive, info, budget)
                budget -= len(data)
                found.append((info.filename, data))
            others = [i.filename for i in files if i not in wanted]
            return found, others
    except _BROKEN as exc:
        raise cannot_import(WHAT, f"it is damaged or not a ZIP archive ({type(exc).__name__})") from None
