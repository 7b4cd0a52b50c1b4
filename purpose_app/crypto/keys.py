"""The key hierarchy: a random data key, wrapped by the passphrase and by a recovery key.

    passphrase --Argon2id(salt, params)--> KEK --wraps--> data key (32 random bytes)
    recovery key (32 random bytes) --HKDF--> KEK' --wraps--> the same data key
    data key --HKDF(info=purpose)--> one subkey per purpose (entries, ...)

A wrap is an AES-256-GCM seal of the data key whose associated data is the vault header and the slot's
own parameters (format version, KDF cost, salt), so editing either makes the unwrap fail. A wrong
passphrase is simply a failed unwrap: no password hash is stored anywhere.
"""

from __future__ import annotations

import base64
import hashlib
import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

DATA_KEY_LENGTH = 32
RECOVERY_SECRET_LENGTH = 32
_RECOVERY_CHECK_LENGTH = 3  # 32 + 3 bytes = 280 bits = 56 base32 characters, 14 groups of 4


class RecoveryKeyFormatError(ValueError):
    """The text is not a well-formed recovery key (a typo, most likely)."""


def new_data_key() -> bytes:
    return os.urandom(DATA_KEY_LENGTH)


def subkey(data_key: bytes, purpose: str) -> bytes:
    """An independent 256-bit key for one purpose ("entries", "backup", "sync", ...)."""
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=f"purpose/v1/{purpose}".encode()
    ).derive(data_key)


def new_recovery_secret() -> bytes:
    return os.urandom(RECOVERY_SECRET_LENGTH)


def recovery_kek(secret: bytes) -> bytes:
    # The secret is 256 random bits: no slow KDF is needed, only domain separation.
    return subkey(secret, "recovery-kek")


def format_recovery_key(secret: bytes) -> str:
    """Printable form: base32 in dash-separated groups of four, with a short checksum at the end."""
    check = hashlib.sha256(secret).digest()[:_RECOVERY_CHECK_LENGTH]
    text = base64.b32encode(secret + check).decode("ascii").rstrip("=")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def parse_recovery_key(text: str) -> bytes:
    """Accepts the printed form with any spacing, dashes or case; rejects typos via the checksum."""
    compact = "".join(ch for ch in text.upper() if ch.isalnum())
    # People read a printed key: 0/O and 1/I/L are easy to mix up, and base32 has no 0, 1 or 8.
    compact = compact.replace("0", "O").replace("1", "I").replace("8", "B")
    expected = len(format_recovery_key(bytes(RECOVERY_SECRET_LENGTH)).replace("-", ""))
    if len(compact) != expected:
        raise RecoveryKeyFormatError("a recovery key has 56 letters and digits")
    try:
        raw = base64.b32decode(compact + "=" * (-len(compact) % 8))
    except ValueError:
        raise RecoveryKeyFormatError("a recovery key uses only A-Z and 2-7") from None
    secret, check = raw[:RECOVERY_SECRET_LENGTH], raw[RECOVERY_SECRET_LENGTH:]
    if hashlib.sha256(secret).digest()[:_RECOVERY_CHECK_LENGTH] != check:
        raise RecoveryKeyFormatError("the recovery key's checksum does not match")
    return secret
