"""The chunked file format: round trips, and every kind of damage detected with a typed error."""

from __future__ import annotations

import json
import os
import struct

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from purpose_app.crypto import chunked, kdf
from purpose_app.crypto.chunked import ChunkedError, NotChunkedFile, Tampered, Truncated, WrongKey

KEY = bytes(range(32))
SMALL = 64  # a small chunk size, so a few hundred bytes make several chunks


def _split(data: bytes) -> tuple[bytes, list[bytes]]:
    """(magic + header + key check, [frame, ...]) of a chunked file."""
    (length,) = struct.unpack(">H", data[9:11])
    start = 11 + length + chunked.KEY_CHECK_LENGTH
    prefix, rest, frames = data[:start], data[start:], []
    while rest:
        (size,) = struct.unpack(">I", rest[1:5])
        frames.append(rest[: 5 + size])
        rest = rest[5 + size :]
    return prefix, frames


def _sealed(payload: bytes = bytes(range(256)) * 2, **kwargs: object) -> bytes:
    options: dict[str, object] = {"purpose": "sync", "key": KEY, "chunk_size": SMALL, **kwargs}
    return chunked.seal(payload, **options)  # type: ignore[arg-type]


def _open(data: bytes) -> bytes:
    return chunked.unseal(data, purpose="sync", key=KEY)


@pytest.mark.parametrize("size", [0, 1, SMALL - 1, SMALL, SMALL + 1, 3 * SMALL, 3 * SMALL + 7])
def test_round_trip_at_chunk_boundaries(size):
    """Payloads of every size around the chunk size come back byte for byte."""
    payload = os.urandom(size)
    data = _sealed(payload)
    assert _open(data) == payload
    _prefix, frames = _split(data)
    assert len(frames) == max(1, -(-size // SMALL))  # full chunks, the last one never empty unless all is


def test_round_trip_with_a_passphrase():
    """A passphrase-protected file records its Argon2id cost and salt and opens with the passphrase."""
    data = chunked.seal(b"payload " * 100, purpose="backup", passphrase="a long passphrase", params=kdf.TEST)
    assert chunked.unseal(data, purpose="backup", passphrase="a long passphrase") == b"payload " * 100
    header = json.loads(data[11 : 11 + struct.unpack(">H", data[9:11])[0]])
    assert header["kdf"]["memory_kib"] == kdf.TEST.memory_kib and len(header["kdf"]["salt"]) == 24


def test_every_file_has_its_own_id_and_ciphertext():
    """Sealing the same payload twice gives unrelated files (random file id, per-file key)."""
    first, second = _sealed(), _sealed()
    assert first[:8] == second[:8] == chunked.MAGIC
    assert _split(first)[1][0] != _split(second)[1][0]


def test_wrong_key_or_passphrase_is_told_apart_from_damage():
    """A wrong key or passphrase fails the key check (WrongKey) before any chunk is read."""
    with pytest.raises(WrongKey):
        chunked.unseal(_sealed(), purpose="sync", key=bytes(32))
    data = chunked.seal(b"x", purpose="backup", passphrase="a long passphrase", params=kdf.TEST)
    with pytest.raises(WrongKey):
        chunked.unseal(data, purpose="backup", passphrase="not the passphrase")
    with pytest.raises(WrongKey):
        chunked.unseal(data, purpose="backup", key=KEY)  # a passphrase file never opens with a key


def test_a_file_of_another_purpose_is_refused():
    """A sync change file is not accepted where a backup is expected, and the reverse."""
    with pytest.raises(NotChunkedFile):
        chunked.unseal(_sealed(), purpose="backup", key=KEY)


def test_every_truncation_is_detected():
    """Cutting the file at any byte (inside the header, the key check, a frame, or between frames)
    raises Truncated: a half-copied file never passes for a whole one."""
    data = _sealed(b"z" * (2 * SMALL + 10))
    for length in range(len(data)):
        with pytest.raises(Truncated):
            _open(data[:length])


def test_a_dropped_last_chunk_is_detected():
    """Without its final chunk (the one with the last flag) the file is incomplete."""
    prefix, frames = _split(_sealed())
    assert len(frames) >= 3
    with pytest.raises(Truncated):
        _open(prefix + b"".join(frames[:-1]))


def test_reordered_chunks_are_detected():
    """Swapping two chunks fails authentication (each chunk's index is in its associated data)."""
    prefix, frames = _split(_sealed())
    frames[0], frames[1] = frames[1], frames[0]
    with pytest.raises(Tampered):
        _open(prefix + b"".join(frames))


def test_duplicated_and_dropped_middle_chunks_are_detected():
    """A repeated chunk, or one missing from the middle, puts a chunk at the wrong index."""
    prefix, frames = _split(_sealed())
    with pytest.raises(Tampered):
        _open(prefix + b"".join([frames[0], frames[1], frames[1], *frames[2:]]))
    with pytest.raises(Tampered):
        _open(prefix + b"".join([frames[0], *frames[2:]]))


def test_data_after_the_last_chunk_is_detected():
    """Bytes appended after the final chunk (even a whole valid chunk) are refused."""
    data = _sealed()
    _prefix, frames = _split(data)
    for extra in (b"\x00", frames[0]):
        with pytest.raises(Tampered):
            _open(data + extra)


def test_a_chunk_from_another_file_is_detected():
    """A chunk moved from another file sealed with the same key fails (per-file key and header digest)."""
    prefix, frames = _split(_sealed())
    _other_prefix, other_frames = _split(_sealed())
    with pytest.raises(Tampered):
        _open(prefix + b"".join([other_frames[0], *frames[1:]]))


def test_an_edited_header_fails_the_key_check():
    """Changing the header (here: a lower Argon2 cost, re-encoded canonically) makes the file not open."""
    data = chunked.seal(b"x", purpose="backup", passphrase="a long passphrase", params=kdf.TEST)
    length = struct.unpack(">H", data[9:11])[0]
    header = json.loads(data[11 : 11 + length])
    header["kdf"]["time_cost"] = 2
    raw = json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
    forged = data[:9] + struct.pack(">H", len(raw)) + raw + data[11 + length :]
    with pytest.raises(WrongKey):
        chunked.unseal(forged, purpose="backup", passphrase="a long passphrase")


def test_hostile_header_values_are_refused_before_any_work():
    """A header asking for 64 GiB of Argon2 memory, or that is not JSON, is NotChunkedFile."""
    data = chunked.seal(b"x", purpose="backup", passphrase="a long passphrase", params=kdf.TEST)
    length = struct.unpack(">H", data[9:11])[0]
    header = json.loads(data[11 : 11 + length])
    header["kdf"]["memory_kib"] = 64 * 1024 * 1024
    raw = json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
    for bad in (raw, b"{not json" + b" " * 10):
        forged = data[:9] + struct.pack(">H", len(bad)) + bad + data[11 + length :]
        with pytest.raises(NotChunkedFile):
            chunked.unseal(forged, purpose="backup", passphrase="a long passphrase")
    with pytest.raises(NotChunkedFile):
        _open(b"SQLite format 3\x00" + bytes(100))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(position=st.integers(min_value=0), bit=st.integers(min_value=0, max_value=7))
def test_any_bit_flip_is_detected(position, bit):
    """Flipping any one bit anywhere in a file raises a ChunkedError; never a wrong payload, never
    another exception."""
    data = bytearray(_sealed(b"journal " * 40))
    where = position % len(data)
    data[where] ^= 1 << bit
    with pytest.raises(ChunkedError):
        _open(bytes(data))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(position=st.integers(min_value=0), bit=st.integers(min_value=0, max_value=7))
def test_any_bit_flip_in_a_passphrase_file_is_detected(position, bit):
    """The same for a passphrase-protected file, whose header holds the key-derivation settings."""
    data = bytearray(
        chunked.seal(b"journal " * 40, purpose="backup", passphrase="a long passphrase", params=kdf.TEST)
    )
    data[position % len(data)] ^= 1 << bit
    with pytest.raises(ChunkedError):
        chunked.unseal(bytes(data), purpose="backup", passphrase="a long passphrase")
