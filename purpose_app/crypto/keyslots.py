"""Key slots: the data key wrapped once per way of unlocking (passphrase, recovery key).

A slot is stored as two values: `params`, canonical JSON in the clear (slot format, KDF cost and salt
for a passphrase slot), and `wrapped`, an envelope holding the data key. The envelope's associated data
is the vault header plus the slot name plus `params`, so lowering the KDF cost, swapping salts or moving
a slot to another vault is detected as a failed unwrap.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass

from purpose_app.crypto import kdf, keys
from purpose_app.crypto.envelope import Sealer, SealError, associated_data

SLOT_FORMAT = 1
PASSPHRASE = "passphrase"
RECOVERY = "recovery"


class UnwrapError(Exception):
    """The secret did not open this slot."""


class SlotFormatError(Exception):
    """The slot's parameters are unreadable or out of bounds (a damaged or hostile file)."""


@dataclass(frozen=True)
class KeySlot:
    name: str
    params: bytes
    wrapped: bytes


def _canonical(data: dict[str, object]) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _ad(header: bytes, name: str, params: bytes) -> bytes:
    return associated_data("key-slot", header, name, params)


def wrap_with_passphrase(data_key: bytes, passphrase: str, header: bytes, params: kdf.KdfParams) -> KeySlot:
    salt = kdf.new_salt()
    raw = _canonical(
        {
            "format": SLOT_FORMAT,
            "kdf": "argon2id-v19",
            **params.as_dict(),
            "salt": base64.b64encode(salt).decode("ascii"),
        }
    )
    kek = kdf.derive_key(passphrase, salt, params)
    return KeySlot(PASSPHRASE, raw, Sealer(kek).seal(data_key, _ad(header, PASSPHRASE, raw)))


def passphrase_params(slot: KeySlot) -> tuple[kdf.KdfParams, bytes]:
    """The KDF parameters and salt recorded in a passphrase slot."""
    try:
        data = json.loads(slot.params)
        if data.get("format") != SLOT_FORMAT or data.get("kdf") != "argon2id-v19":
            raise SlotFormatError("unknown key slot format")
        salt = base64.b64decode(data["salt"], validate=True)
        if len(salt) != kdf.SALT_LENGTH:
            raise SlotFormatError("salt has the wrong length")
        return kdf.KdfParams.from_dict(data), salt
    except (ValueError, KeyError, TypeError) as exc:
        raise SlotFormatError(str(exc)) from None


def passphrase_kek(params_raw: bytes, passphrase: str) -> bytes:
    """The key-encryption key a passphrase slot with these stored parameters asks for (the slow part
    of unlocking, on its own so that it can start before the vault is open)."""
    params, salt = passphrase_params(KeySlot(PASSPHRASE, params_raw, b""))
    return kdf.derive_key(passphrase, salt, params)


def unwrap_with_passphrase(slot: KeySlot, passphrase: str, header: bytes, kek: bytes | None = None) -> bytes:
    """The data key. `kek`: passphrase_kek of exactly this slot's params, derived already."""
    params, salt = passphrase_params(slot)
    if kek is None:
        kek = kdf.derive_key(passphrase, salt, params)
    return _unwrap(kek, slot, header)


def wrap_with_recovery(data_key: bytes, secret: bytes, header: bytes) -> KeySlot:
    raw = _canonical({"format": SLOT_FORMAT, "kdf": "hkdf-sha256"})
    kek = keys.recovery_kek(secret)
    return KeySlot(RECOVERY, raw, Sealer(kek).seal(data_key, _ad(header, RECOVERY, raw)))


def unwrap_with_recovery(slot: KeySlot, secret: bytes, header: bytes) -> bytes:
    return _unwrap(keys.recovery_kek(secret), slot, header)


def _unwrap(kek: bytes, slot: KeySlot, header: bytes) -> bytes:
    try:
        data_key = Sealer(kek).open(slot.wrapped, _ad(header, slot.name, slot.params))
    except SealError:
        raise UnwrapError(slot.name) from None
    if len(data_key) != keys.DATA_KEY_LENGTH:
        raise UnwrapError(slot.name)
    return data_key
