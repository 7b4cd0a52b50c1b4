"""Hostile import files: random bytes, random JSON shapes, random and damaged ZIPs, and the named attacks
(zip slip, absolute paths, symbolic links, zip bombs, deep nesting, giant values, wrong encodings).

Only the project's own InvalidInput may come out, each call within bounded time, and every entry that
does come out obeys the same rules as a typed one.
"""

from __future__ import annotations

import io
import json
import stat
import struct
import time
import tracemalloc
import warnings
import zipfile
import zlib
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from purpose_app.domain.entry import check_complete
from purpose_app.errors import InvalidInput
from purpose_app.interchange import archive, dayone, jrnl_json, jrnl_txt, limits
from purpose_app.interchange.errors import ImportFileError
from purpose_app.interchange.records import ImportBatch

FUZZ = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
TIME_LIMIT = 2.0  # seconds per call; a well-behaved importer takes milliseconds on these sizes
READERS: dict[str, Callable[[io.BytesIO], ImportBatch]] = {
    "jrnl-json": jrnl_json.read,
    "jrnl-txt": jrnl_txt.read,
    "dayone": dayone.read,
}


def bounded(name: str, raw: bytes) -> ImportBatch | InvalidInput:
    """Read raw with one importer: only InvalidInput may escape, within TIME_LIMIT; entries are valid."""
    started = time.perf_counter()
    try:
        result: ImportBatch | InvalidInput = READERS[name](io.BytesIO(raw))
    except InvalidInput as error:
        assert error.exit_code == 5
        assert error.message.strip() and len(error.message) < 1000
        result = error
    elapsed = time.perf_counter() - started
    assert elapsed < TIME_LIMIT, f"{name} took {elapsed:.2f}s"
    if isinstance(result, ImportBatch):
        for entry in result.entries:
            check_complete(entry)
        assert result.read == len(result.entries) + sum(1 for f in result.failures if f.position)
        assert all(len(f.describe()) < 1000 for f in result.failures)
    return result


def make_zip(members: list[tuple[str | zipfile.ZipInfo, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as writer:
        warnings.simplefilter("ignore")  # duplicate names are part of the fuzzing
        for name, data in members:
            writer.writestr(name, data)
    return buffer.getvalue()


def refused(name: str, raw: bytes, *words: str) -> str:
    result = bounded(name, raw)
    assert isinstance(result, ImportFileError), result
    for word in words:
        assert word.lower() in result.message.lower(), (word, result.message)
    return result.message


# -- property-based

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
KEYS = [
    "title", "body", "date", "time", "tags", "starred", "uuid", "purpose", "creationDate", "modifiedDate",
    "timeZone", "text", "photos", "audios", "created", "updated", "revision", "energy", "drains", "fuels",
    "shift", "prompt",
]  # fmt: skip
plausible = st.one_of(
    st.sampled_from(["2020-06-28", "18:22", "2018-12-10T16:56:18Z", "America/Denver", "../x", "9999-12-31",
                     "0001-01-01T00:00:00+14:00", "2024-02-30", "25:61", "@tag", "night", "a/b"]),
    json_values,
)  # fmt: skip
entry_like = st.dictionaries(st.sampled_from(KEYS), plausible, max_size=len(KEYS)) | json_values
documents = st.fixed_dictionaries({"entries": st.lists(entry_like, max_size=6)}) | json_values


@FUZZ
@given(raw=st.binary(max_size=2048), name=st.sampled_from(sorted(READERS)))
def test_random_bytes_give_only_invalid_input(raw, name):
    """Any bytes at all: a batch or InvalidInput, nothing else, quickly."""
    bounded(name, raw)


@FUZZ
@given(document=documents, name=st.sampled_from(["jrnl-json", "dayone"]))
def test_random_json_shapes_give_only_invalid_input(document, name):
    """Entries of every wrong type and value: each becomes an entry or a named failure."""
    bounded(name, json.dumps(document).encode())


date_lines = st.builds(
    lambda d, t, rest: f"[{d} {t}] {rest}",
    st.sampled_from(["2020-06-28", "1899-01-01", "2020-02-30", "2999-12-31", "20-1-1"]),
    st.sampled_from(["18:22", "7:05", "25:00", "06:07 PM"]),
    st.text(max_size=40),
)


@FUZZ
@given(lines=st.lists(date_lines | st.text(max_size=60), max_size=12))
def test_random_text_journals_give_only_invalid_input(lines):
    """Date lines, impossible dates and random text in any mix: entries or named failures."""
    bounded("jrnl-txt", "\n".join(lines).encode("utf-8", "surrogatepass"))


zip_names = st.one_of(
    st.sampled_from(["Journal.json", "photos/a.jpeg", "../evil.json", "/abs.json", "C:/x.json",
                     "a/../../b.json", "dir/", "__MACOSX/._Journal.json", "x\\..\\y.json"]),
    # zipfile cuts a name at its first NUL when writing; a name empty before it cannot be written at all
    # (zipfile itself fails while the test builds the archive), so such names are not generated.
    st.text(min_size=1, max_size=20).filter(lambda name: name.split("\x00", 1)[0] != ""),
)  # fmt: skip
zip_members = st.lists(
    st.tuples(zip_names, st.one_of(st.binary(max_size=200), documents.map(lambda d: json.dumps(d).encode()))),
    max_size=5,
)


@FUZZ
@given(members=zip_members)
def test_random_zips_give_only_invalid_input(members):
    """ZIPs with random names (traversal, absolute, odd) and random contents."""
    bounded("dayone", make_zip(members))


VALID_ZIP = make_zip(
    [
        ("Journal.json", json.dumps({"entries": [{"uuid": "A", "creationDate": "2020-01-01T10:00:00Z",
                                                  "text": "# T\n\nBody", "tags": ["x"]}]}).encode()),
        ("photos/abc.jpeg", b"\xff\xd8" * 50),
    ]
)  # fmt: skip


@FUZZ
@given(
    flips=st.lists(st.tuples(st.integers(0, len(VALID_ZIP) - 1), st.integers(1, 255)), min_size=1, max_size=6)
)
def test_damaged_zips_give_only_invalid_input(flips):
    """A real export with bytes flipped anywhere (headers, directory, compressed data)."""
    damaged = bytearray(VALID_ZIP)
    for at, mask in flips:
        damaged[at] ^= mask
    bounded("dayone", bytes(damaged))


# -- the named attacks, explicitly


@pytest.mark.parametrize(
    "name,words",
    [
        ("../../etc/cron.d/evil.json", ["zip slip", "../../etc"]),
        ("photos/../../outside.jpeg", ["zip slip"]),
        ("..\\windows\\evil.json", ["zip slip"]),
        ("/etc/passwd.json", ["absolute path"]),
        ("C:\\Users\\evil.json", ["absolute path"]),
    ],
)
def test_zip_slip_and_absolute_paths_are_refused_by_name(name, words):
    """A member path leaving the archive is refused (even a photo never read), naming the member."""
    raw = make_zip([("Journal.json", b'{"entries": []}'), (name, b"{}")])
    refused("dayone", raw, *words)


def test_symbolic_link_member_is_refused():
    """A member stored as a symbolic link is refused."""
    link = zipfile.ZipInfo("photos/link.jpeg")
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    raw = make_zip([("Journal.json", b'{"entries": []}'), (link, b"/etc/passwd")])
    refused("dayone", raw, "symbolic link")


def _deflated_zeros(size: int) -> tuple[bytes, int]:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = b"0" * (1024 * 1024)
    parts = [compressor.compress(block) for _ in range(size // len(block))]
    parts.append(compressor.flush())
    crc = 0
    for _ in range(size // len(block)):
        crc = zlib.crc32(block, crc)
    return b"".join(parts), crc


def _one_member_zip(name: str, compressed: bytes, crc: int, declared: int) -> bytes:
    """A hand-built ZIP whose header claims `declared` bytes, whatever the data expands to."""
    encoded = name.encode()
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(compressed), declared,
                        len(encoded), 0) + encoded  # fmt: skip
    central = struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(compressed),
                          declared, len(encoded), 0, 0, 0, 0, 0, 0) + encoded  # fmt: skip
    offset = len(local) + len(compressed)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, len(central), offset, 0)
    return local + compressed + central + end


def test_zip_bomb_by_declared_size_is_refused_unread_with_bounded_memory():
    """100 MB of JSON in a 100 KB ZIP: refused from its declared size, without inflating it."""
    compressed, crc = _deflated_zeros(100 * 1024 * 1024)
    raw = _one_member_zip("Journal.json", compressed, crc, 100 * 1024 * 1024)
    assert len(raw) < 200_000
    tracemalloc.start()
    try:
        refused("dayone", raw, "zip bomb")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024, f"peak {peak:,} bytes"


def test_zip_bomb_lying_about_its_size_stops_at_the_declared_size():
    """A header claiming 1 KB over 100 MB of data: reading stops early, the ZIP is called damaged."""
    compressed, crc = _deflated_zeros(100 * 1024 * 1024)
    raw = _one_member_zip("Journal.json", compressed, crc, 1024)
    tracemalloc.start()
    try:
        refused("dayone", raw, "damaged")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024, f"peak {peak:,} bytes"


def test_actual_decompressed_bytes_are_counted_against_the_cap():
    """Whatever the headers say, reading stops once the bytes actually produced pass the budget."""
    raw = make_zip([("Journal.json", b"[" + b" " * 5000 + b"]")])
    with zipfile.ZipFile(io.BytesIO(raw)) as opened, pytest.raises(ImportFileError, match=r"(?i)zip bomb"):
        archive._read_member(opened, opened.infolist()[0], budget=1000)


def test_too_many_members_are_refused_before_the_directory_is_parsed(monkeypatch):
    """A table of contents claiming more files than the cap is refused from the end record alone."""
    monkeypatch.setattr(archive, "MAX_ZIP_MEMBERS", 3)
    raw = make_zip([("Journal.json", b'{"entries": []}')] + [(f"photos/{i}.jpeg", b"x") for i in range(4)])
    refused("dayone", raw, "5 files")


def test_encrypted_member_is_refused():
    """A password-protected journal member is named, not guessed at."""
    raw = bytearray(make_zip([("Journal.json", b'{"entries": []}')]))
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = raw.find(signature)
        raw[at + flag_at] |= 0x1
    refused("dayone", bytes(raw), "encrypted")


def test_zip_without_a_journal_is_refused():
    """A ZIP of photos alone says there is no journal in it."""
    refused("dayone", make_zip([("photos/a.jpeg", b"x")]), "no journal")


@pytest.mark.parametrize(
    "raw,words",
    [
        pytest.param(b"[" * 200_000, ["nested"], id="deep-nesting"),
        pytest.param(b'{"entries": [' * 5000, ["nested"], id="deep-objects"),
        pytest.param(b'{"entries": [], "n": ' + b"9" * 100_000 + b"}", ["number"], id="giant-number"),
        pytest.param(b"\xff\xfe{\x00}\x00", ["UTF-16"], id="utf-16"),
        pytest.param(b'{"entries": ["caf\xe9"]}', ["not UTF-8", "position 17"], id="latin-1"),
        pytest.param(b"\x00\x01\x02binary", ["not valid JSON"], id="binary"),
        pytest.param(b"", ["not valid JSON"], id="empty"),
    ],
)
def test_malformed_json_files_are_refused_naming_the_problem(raw, words):
    """Each kind of malformed JSON file gets a message naming what is wrong."""
    refused("jrnl-json", raw, *words)
    refused("dayone", raw, *words)


def test_gigantic_values_fail_their_entry_not_the_reader():
    """A 5 MB title or a 2 MB tag fails that one entry, quickly, without quoting it."""
    giant = "x" * 5_000_000
    entries: list[Any] = [
        {"title": giant, "date": "2020-01-01", "time": "10:00"},
        {"body": "ok", "date": "2020-01-01", "time": "10:00", "tags": ["@" + "y" * 2_000_000]},
        {"body": "fine", "date": "2020-01-02", "time": "10:00", "tags": ["@t"] * 5000},
        {"body": "kept", "date": "2020-01-03", "time": "10:00"},
    ]
    result = bounded("jrnl-json", json.dumps({"entries": entries}).encode())
    assert isinstance(result, ImportBatch)
    assert [e.body for e in result.entries] == ["kept"]
    assert [f.position for f in result.failures] == [1, 2, 3]
    assert all("xxxx" not in f.reason and "yyyy" not in f.reason for f in result.failures)


def test_files_over_the_cap_are_refused_without_reading_them_whole(monkeypatch):
    """A file larger than the cap is refused after reading one byte past the cap, not all of it."""
    monkeypatch.setattr(limits, "MAX_TEXT_BYTES", 1000)
    for name in ("jrnl-json", "jrnl-txt", "dayone"):
        refused(name, b" " * 5000, "larger than")


def test_too_many_entries_are_refused(monkeypatch):
    """More entries than the cap is refused as a whole, before any is built."""
    monkeypatch.setattr(limits, "MAX_ENTRIES", 10)
    refused("jrnl-json", json.dumps({"entries": [{}] * 11}).encode(), "11 entries")
    lines = "\n".join(f"[2020-01-{day:02d} 10:00] x" for day in range(1, 12))
    refused("jrnl-txt", lines.encode(), "more than 10")
