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


_AD_MAGIC = b"purpose-ad-v1"


def ad_parts(*parts: str | bytes | int) -> bytes:
    """Unambiguous encoding of the parts: each is length-prefixed, so ("ab","c") != ("a","bc").

    Encodings concatenate: associated_data(a, b) + ad_parts(c) == associated_data(a, b, c), which
    lets hot loops encode a fixed prefix once."""
    out = bytearray()
    for part in parts:
        raw = part if isinstance(part, bytes) else str(part).encode("utf-8")
        out += _LENGTH.pack(len(raw)) + raw
    return bytes(out)


def associated_data(*parts: str | bytes | int) -> bytes:
    return _AD_MAGIC + ad_parts(*parts)


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
