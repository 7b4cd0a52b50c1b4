"""The chunked encrypted file format, for backups and sync change files: bytes in, bytes out.

    offset   size  field
    0        8     magic "PRPSCHNK"
    8        1     format version (0x01)
    9        2     header length H (big-endian u16, at most 4096)
    11       H     header: canonical JSON (sorted keys, no spaces)
                     {"chunk_size": 65536, "file_id": 32 hex (16 random bytes),
                      "kdf": null | {Argon2id profile, memory_kib, time_cost, parallelism, "salt": b64},
                      "purpose": "backup" | "sync"}
    11+H     61    key check: a sealed empty value            AD = ("key-check", P)
    then, for i = 0, 1, 2, ... until a chunk with the last flag:
             1     last flag: 0x00 more chunks follow, 0x01 this is the last one
             4     sealed length L (big-endian u32, at most chunk_size + 61)
             L     chunk i: a sealed value (crypto/envelope.py: 0x01 | 12-byte nonce | AES-256-GCM)
                                                            AD = ("chunk", P, i, flag)

    P = SHA-256 of bytes 0 .. 11+H (magic, version and header). Nothing may follow the last chunk.

The file key is HKDF-SHA256(base key, salt = file id, info = "purpose/chunked/v1/" + purpose), where
the base key is Argon2id(passphrase, salt, params) when the header has "kdf", else a 32-byte key the
caller holds (the vault's sync subkey). Every file thus has its own key, and random 96-bit nonces
never repeat in practice. Binding the header digest, the chunk's index and the last flag into each
chunk's associated data (the STREAM construction) detects every change: an edited header (the key
check fails), a changed, reordered or duplicated chunk (authentication fails), a file cut short or
missing its final chunk (no chunk carries the last flag), and bytes appended after it. The key check
tells a wrong passphrase from a damaged chunk before any content is read. Chunks are padded to 32
bytes like every sealed value; only the total size (to within 32 bytes per chunk) shows.

A reader yields each chunk as soon as it authenticates, so callers must act only after the iteration
ends without an error: only then is the file known to be complete.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from purpose_app.crypto import kdf
from purpose_app.crypto.envelope import NONCE_LENGTH, PAD_TO, TAG_LENGTH, Sealer, SealError, associated_data

MAGIC = b"PRPSCHNK"
VERSION = 1
CHUNK_SIZE = 64 * 1024
MAX_HEADER = 4096
PURPOSES = ("backup", "sync")
FILE_ID_LENGTH = 16
SEAL_OVERHEAD = 1 + NONCE_LENGTH + TAG_LENGTH + PAD_TO  # format byte, nonce, tag, length + padding
KEY_CHECK_LENGTH = SEAL_OVERHEAD  # an empty value pads to one 32-byte block
_PREFIX = struct.Struct(">8sBH")
_FRAME = struct.Struct(">BI")
MORE, LAST = 0, 1


class ChunkedError(Exception):
    """A chunked file could not be read. The subclasses say why:

    ChunkedError
    ├── NotChunkedFile   not this format, an unknown version, or an unreadable header
    ├── WrongKey         the passphrase or key does not open it (or its header was changed)
    ├── Truncated        it ends before its last chunk (cut short, or still being copied)
    └── Tampered         a chunk failed authentication, is out of place or repeated, or bytes follow
                         the last chunk
    """


class NotChunkedFile(ChunkedError):
    pass


class WrongKey(ChunkedError):
    pass


class Truncated(ChunkedError):
    pass


class Tampered(ChunkedError):
    pass


@dataclass(frozen=True)
class FileHeader:
    prefix: bytes  # magic, version, length and header JSON, exactly as in the file
    purpose: str
    file_id: bytes
    chunk_size: int
    params: kdf.KdfParams | None  # set when a passphrase protects the file
    salt: bytes | None
    key_check: bytes

    @property
    def needs_passphrase(self) -> bool:
        return self.params is not None

    @property
    def digest(self) -> bytes:
        return hashlib.sha256(self.prefix).digest()


def _canonical(data: dict[str, object]) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _file_sealer(base_key: bytes, file_id: bytes, purpose: str) -> Sealer:
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=file_id, info=f"purpose/chunked/v1/{purpose}".encode()
    ).derive(base_key)
    return Sealer(key)


def _key_check_ad(header: FileHeader | bytes) -> bytes:
    digest = header.digest if isinstance(header, FileHeader) else header
    return associated_data("key-check", digest)


def _chunk_ad(digest: bytes, index: int, flag: int) -> bytes:
    return associated_data("chunk", digest, index, flag)


# -- writing -----------------------------------------------------------------------------------------


class ChunkWriter:
    """Writes one chunked file to a binary handle: write() any number of times, then finish().

    Protect it with a passphrase (and Argon2id params) or with a 32-byte key, not both."""

    def __init__(
        self,
        handle: BinaryIO,
        *,
        purpose: str,
        key: bytes | None = None,
        passphrase: str | None = None,
        params: kdf.KdfParams | None = None,
        chunk_size: int = CHUNK_SIZE,
    ) -> None:
        if purpose not in PURPOSES:
            raise ValueError(f"unknown purpose {purpose!r}")
        if (key is None) == (passphrase is None) or (passphrase is not None and params is None):
            raise ValueError("give either a key, or a passphrase with its parameters")
        if not 1 <= chunk_size <= 16 * 1024 * 1024:
            raise ValueError("chunk size out of range")
        file_id = os.urandom(FILE_ID_LENGTH)
        fields: dict[str, object] = {
            "chunk_size": chunk_size,
            "file_id": file_id.hex(),
            "kdf": None,
            "purpose": purpose,
        }
        if passphrase is not None and params is not None:
            salt = kdf.new_salt()
            fields["kdf"] = {**params.as_dict(), "salt": base64.b64encode(salt).decode("ascii")}
            base_key = kdf.derive_key(passphrase, salt, params)
        else:
            assert key is not None
            if len(key) != 32:
                raise ValueError("a file key is 32 bytes")
            base_key = key
        header = _canonical(fields)
        prefix = _PREFIX.pack(MAGIC, VERSION, len(header)) + header
        self._digest = hashlib.sha256(prefix).digest()
        self._sealer = _file_sealer(base_key, file_id, purpose)
        self._handle = handle
        self._chunk_size = chunk_size
        self._buffer = bytearray()
        self._index = 0
        self._finished = False
        self.file_id = file_id
        handle.write(prefix + self._sealer.seal(b"", _key_check_ad(self._digest)))

    def write(self, data: bytes) -> None:
        if self._finished:
            raise ValueError("the file is already finished")
        self._buffer += data
        # Keep at least one byte back: the last chunk must carry the last flag, and is never empty
        # unless the whole payload is.
        while len(self._buffer) > self._chunk_size:
            self._emit(bytes(self._buffer[: self._chunk_size]), MORE)
            del self._buffer[: self._chunk_size]

    def finish(self) -> None:
        if not self._finished:
            self._emit(bytes(self._buffer), LAST)
            self._buffer.clear()
            self._finished = True

    def _emit(self, data: bytes, flag: int) -> None:
        sealed = self._sealer.seal(data, _chunk_ad(self._digest, self._index, flag))
        self._handle.write(_FRAME.pack(flag, len(sealed)) + sealed)
        self._index += 1


# -- reading -----------------------------------------------------------------------------------------


def _read_exactly(handle: BinaryIO, size: int, what: str) -> bytes:
    data = handle.read(size)
    if len(data) != size:
        raise Truncated(f"the file ends inside its {what}")
    return data


def read_header(handle: BinaryIO) -> FileHeader:
    """The header, checked for shape (not yet authenticated: the key check does that)."""
    start = handle.read(_PREFIX.size)
    if len(start) < len(MAGIC) or start[: len(MAGIC)] != MAGIC:
        if MAGIC.startswith(start):
            raise Truncated("the file ends inside its header")
        raise NotChunkedFile("not an encrypted Purpose file")
    if len(start) < _PREFIX.size:
        raise Truncated("the file ends inside its header")
    _magic, version, length = _PREFIX.unpack(start)
    if version != VERSION:
        raise NotChunkedFile(f"format version {version} is not one this release reads")
    if not 2 <= length <= MAX_HEADER:
        raise NotChunkedFile("the header has an impossible length")
    raw = _read_exactly(handle, length, "header")
    key_check = _read_exactly(handle, KEY_CHECK_LENGTH, "header")
    try:
        data = json.loads(raw.decode("utf-8"))
        if not isinstance(data, dict) or set(data) != {"chunk_size", "file_id", "kdf", "purpose"}:
            raise ValueError("unexpected header fields")
        purpose, chunk_size, kdf_data = data["purpose"], data["chunk_size"], data["kdf"]
        file_id = bytes.fromhex(data["file_id"])
        if purpose not in PURPOSES or len(file_id) != FILE_ID_LENGTH:
            raise ValueError("unknown purpose or file id")
        if not isinstance(chunk_size, int) or not 1 <= chunk_size <= 16 * 1024 * 1024:
            raise ValueError("chunk size out of range")
        params = salt = None
        if kdf_data is not None:
            if not isinstance(kdf_data, dict):
                raise ValueError("kdf is not an object")
            params = kdf.KdfParams.from_dict(kdf_data)  # bounds-checked: a hostile file sets no cost
            salt = base64.b64decode(kdf_data["salt"], validate=True)
            if len(salt) != kdf.SALT_LENGTH or set(kdf_data) != {*params.as_dict(), "salt"}:
                raise ValueError("bad salt or unknown kdf fields")
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise NotChunkedFile(f"the header is unreadable ({str(exc)[:80]})") from None
    if raw != _canonical(data):
        raise NotChunkedFile("the header is not in canonical form")
    return FileHeader(start + raw, purpose, file_id, chunk_size, params, salt, key_check)


def open_file(header: FileHeader, *, passphrase: str | None = None, key: bytes | None = None) -> Sealer:
    """The file's sealer, after the key check: raises WrongKey for a wrong passphrase or key."""
    if header.params is not None and header.salt is not None:
        if passphrase is None:
            raise WrongKey("this file needs a passphrase")
        base_key = kdf.derive_key(passphrase, header.salt, header.params)
    else:
        if key is None:
            raise WrongKey("this file needs a key, not a passphrase")
        base_key = key
    sealer = _file_sealer(base_key, header.file_id, header.purpose)
    try:
        sealer.open(header.key_check, _key_check_ad(header))
    except SealError:
        raise WrongKey("the passphrase or key does not open this file") from None
    return sealer


def read_chunks(handle: BinaryIO, header: FileHeader, sealer: Sealer) -> Iterator[bytes]:
    """Each chunk's plaintext, in order. Completeness is known only when the iteration ends."""
    digest = header.digest
    limit = header.chunk_size + SEAL_OVERHEAD
    index = 0
    while True:
        frame = handle.read(_FRAME.size)
        if len(frame) < _FRAME.size:
            raise Truncated("the file ends before its last chunk")
        flag, length = _FRAME.unpack(frame)
        if flag not in (MORE, LAST) or not SEAL_OVERHEAD <= length <= limit:
            raise Tampered(f"chunk {index} has an impossible frame")
        sealed = _read_exactly(handle, length, f"chunk {index}")
        try:
            data = sealer.open(sealed, _chunk_ad(digest, index, flag))
        except SealError:
            raise Tampered(f"chunk {index} failed authentication (changed, moved or repeated)") from None
        if len(data) > header.chunk_size or (flag == MORE and len(data) != header.chunk_size):
            raise Tampered(f"chunk {index} has the wrong size")
        yield data
        if flag == LAST:
            break
        index += 1
    if handle.read(1):
        raise Tampered("data follows the last chunk")


# -- whole payloads in memory (tests, small files) ---------------------------------------------------


def seal(
    payload: bytes,
    *,
    purpose: str,
    key: bytes | None = None,
    passphrase: str | None = None,
    params: kdf.KdfParams | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> bytes:
    out = io.BytesIO()
    writer = ChunkWriter(
        out, purpose=purpose, key=key, passphrase=passphrase, params=params, chunk_size=chunk_size
    )
    writer.write(payload)
    writer.finish()
    return out.getvalue()


def unseal(data: bytes, *, purpose: str, key: bytes | None = None, passphrase: str | None = None) -> bytes:
    """The whole payload, or a ChunkedError. `purpose` must match the file's."""
    handle = io.BytesIO(data)
    header = read_header(handle)
    if header.purpose != purpose:
        raise NotChunkedFile(f"this is a {header.purpose} file, not a {purpose} file")
    sealer = open_file(header, passphrase=passphrase, key=key)
    return b"".join(read_chunks(handle, header, sealer))
