"""The sealed-field format: one self-describing blob per encrypted value.

    byte 0     1                      13                                        end
         +------+----------------------+-----------------------------------------+
         | 0x01 | nonce (12 random B)  | AES-256-GCM ciphertext || 16-byte tag   |
         +------+----------------------+-----------------------------------------+

    plaintext inside the ciphertext:
         +----------------------+-----------+--------------------------------+
         | length (u32, big-e.) | data      | zero padding to a multiple of 32 |
         +----------------------+-----------+--------------------------------+

The associated data (not stored; rebuilt by the reader) names exactly where the blob belongs: the
vault, the table, the record, the field and the revision. A blob copied to another row, another field
or an older revision fails authentication. Padding hides exact lengths (a three-word entry and a
ten-word one look alike on disk).

Associated data, built here and nowhere else (AdPrefix; every path in storage/, crypto/ and packs/):

         +-----------------+----------------------+--------+----------------------+--------+---
         | domain label    | length (u32, big-e.) | part 1 | length (u32, big-e.) | part 2 | ...
         +-----------------+----------------------+--------+----------------------+--------+---

    domain label: b"purpose-ad-v1" (a signed pack's message uses b"purpose-signed-pack-v1")
    a part: bytes as they are, text as UTF-8, an integer as its decimal digits
    an entry's field: ("purpose-ad-v1", vault id, "entries", entry id, "meta" | "title" | "body", revision)

The length prefixes make the encoding unambiguous (("ab", "c") != ("a", "bc")), and encodings
concatenate, so a fixed leading part is encoded once and reused (an AdPrefix).
"""

from __future__ import annotations

import os
import struct

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

FORMAT_V1 = 0x01
NONCE_LENGTH = 12
TAG_LENGTH = 16
PAD_TO = 32
_LENGTH = struct.Struct(">I")


class SealError(Exception):
    """A blob did not authenticate (wrong key, wrong place, or changed bytes)."""


AD_DOMAIN = b"purpose-ad-v1"
AdPart = str | bytes | int
_U32 = _LENGTH.pack


def _encode(parts: tuple[AdPart, ...]) -> bytes:
    out = bytearray()
    for part in parts:
        raw = part if isinstance(part, bytes) else str(part).encode("utf-8")
        out += _U32(len(raw)) + raw
    return bytes(out)


class _Encoded(dict[str, bytes]):
    """Each field name's encoding, made on first use: a plain lookup after that."""

    def __missing__(self, name: str) -> bytes:
        encoded = self[name] = _encode((name,))
        return encoded


class AdPrefix:
    """The leading parts of some associated data, encoded once; build() appends the rest.

    record() and record_fields() are the hot paths (unlocking or searching a 50,000-entry journal
    builds 100,000 of them): the same bytes as build(record_id, field, revision), with each
    field's encoding kept instead of redone."""

    __slots__ = ("_fields", "encoded")

    def __init__(self, encoded: bytes) -> None:
        self.encoded = encoded
        self._fields = _Encoded()

    def extend(self, *parts: AdPart) -> AdPrefix:
        return AdPrefix(self.encoded + _encode(parts))

    def build(self, *parts: AdPart) -> bytes:
        return self.encoded + _encode(parts)

    def record(self, record_id: str, field: str, revision: int) -> bytes:
        raw_id, raw_rev = record_id.encode("utf-8"), b"%d" % revision
        return b"".join(
            (self.encoded, _U32(len(raw_id)), raw_id, self._fields[field], _U32(len(raw_rev)), raw_rev)
        )

    def record_fields(self, record_id: str, revision: int, first: str, second: str) -> tuple[bytes, bytes]:
        """record() for two fields of the same record at once (one row, two sealed values)."""
        raw_id, raw_rev = record_id.encode("utf-8"), b"%d" % revision
        head, tail = self.encoded + _U32(len(raw_id)) + raw_id, _U32(len(raw_rev)) + raw_rev
        return head + self._fields[first] + tail, head + self._fields[second] + tail


def ad_prefix(*parts: AdPart, domain: bytes = AD_DOMAIN) -> AdPrefix:
    """A reusable prefix: ad_prefix(a, b).build(c) == associated_data(a, b, c)."""
    return AdPrefix(domain + _encode(parts))


def associated_data(*parts: AdPart) -> bytes:
    """THE associated data of the on-disk format (the layout above)."""
    return AD_DOMAIN + _encode(parts)


def _pad(data: bytes) -> bytes:
    framed = _LENGTH.pack(len(data)) + data
    return framed + b"\x00" * (-len(framed) % PAD_TO)


def _unpad(padded: bytes) -> bytes:
    if len(padded) < _LENGTH.size:
        raise SealError("sealed value is too short")
    (length,) = _LENGTH.unpack_from(padded)
    end = _LENGTH.size + length
    if end > len(padded):
        raise SealError("sealed value has an impossible length")
    return padded[_LENGTH.size : end]


class Sealer:
    """Seals and opens values with one 256-bit key. Keeps one AESGCM object: it is reused per call."""

    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise ValueError("a sealing key is 32 bytes")
        self._aead = AESGCM(key)

    def seal(self, data: bytes, ad: bytes) -> bytes:
        nonce = os.urandom(NONCE_LENGTH)
        return bytes([FORMAT_V1]) + nonce + self._aead.encrypt(nonce, _pad(data), ad)

    def open(self, blob: bytes, ad: bytes) -> bytes:
        if len(blob) < 1 + NONCE_LENGTH + TAG_LENGTH or blob[0] != FORMAT_V1:
            raise SealError("not a sealed value of a known format")
        nonce = blob[1 : 1 + NONCE_LENGTH]
        try:
            padded = self._aead.decrypt(nonce, blob[1 + NONCE_LENGTH :], ad)
        except InvalidTag:
            raise SealError("sealed value failed authentication") from None
        return _unpad(padded)
