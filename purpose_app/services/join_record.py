"""The join record: what a new device needs to join a journal through the sync folder, with its passphrase.

    DIR/purpose-sync/join-<vault id>.record      JSON, readable by anyone who has the folder:
    {"purpose": "join", "format": 1, "header": the vault's header (its id and format, as stored),
     "params": the passphrase key slot's parameters (Argon2id cost and salt), "wrapped": the data key
     sealed under the passphrase, "check": SHA-256 of the rest}

"params" and "wrapped" are the vault's own passphrase key slot, copied as it is (crypto/keyslots.py):
the data key wrapped under the passphrase at exactly the vault's key-derivation cost, with the header,
the slot name and the cost bound in as associated data (envelope.associated_data), so a record made
cheaper, moved to another vault or altered does not open. A copy, not a new wrap, because a sync holds
the data key but never the passphrase; and a new device adopts the very same slot, so every device of
one journal agrees on the record and none rewrites the others' (a sync tool would make conflict copies).
"check" only tells accidental damage (a file cut short) from a wrong passphrase.

Who writes: a device whose passphrase slot is not the one it last wrote or adopted (its passphrase
changed, or it has never written one), or when the record is missing or damaged. A device whose slot
is unchanged leaves a different record alone: another device changed the passphrase more recently.
Which slot a device last wrote is its own document ("sync", "join"), never merged into another vault.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from purpose_app import messages
from purpose_app.crypto import keyslots
from purpose_app.errors import InvalidInput, VaultDamaged, VaultUnavailable
from purpose_app.services.private_file import write_private
from purpose_app.services.vault import Vault
from purpose_app.storage import database
from purpose_app.storage.schema import key_slots
from purpose_app.storage.vault_file import FORMAT_VERSION, Header, read_header, vault_path

SUBFOLDER = "purpose-sync"  # sync.SUBFOLDER (sync.py imports this module, so it cannot import sync)
FORMAT = 1
SUFFIX = ".record"
JOIN_DOC = ("sync", "join")  # {"slot": digest of the passphrase slot this device last wrote or adopted}
_MAX_RECORD = 64 * 1024
_FIELDS = frozenset({"purpose", "format", "header", "params", "wrapped", "check"})

Outcome = Literal["current", "written", "left for a newer one", "not written"]


@dataclass(frozen=True)
class JoinRecord:
    """One join record, read and checked for damage (not yet opened: that takes the passphrase)."""

    path: Path
    header: Header
    slot: keyslots.KeySlot

    @property
    def digest(self) -> str:
        return slot_digest(self.slot)


def slot_digest(slot: keyslots.KeySlot) -> str:
    return hashlib.sha256(slot.params + b"\x00" + slot.wrapped).hexdigest()


def record_name(vault_id: str) -> str:
    return f"join-{vault_id}{SUFFIX}"


def _check(fields: dict[str, object]) -> str:
    rest = {k: v for k, v in fields.items() if k != "check"}
    return hashlib.sha256(json.dumps(rest, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def encode(header: Header, slot: keyslots.KeySlot) -> bytes:
    fields: dict[str, object] = {
        "purpose": "join",
        "format": FORMAT,
        "header": header.raw.decode("utf-8"),
        "params": slot.params.decode("utf-8"),
        "wrapped": base64.b64encode(slot.wrapped).decode("ascii"),
    }
    fields["check"] = _check(fields)
    return json.dumps(fields, sort_keys=True, indent=1).encode("utf-8") + b"\n"


def read_record(path: Path) -> JoinRecord:
    """The record at `path`. Raises VaultDamaged (damaged) or VaultUnavailable (a newer format)."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(_MAX_RECORD + 1)
    except OSError as exc:
        raise VaultDamaged(messages.join_record_damaged(path.parent, str(exc.strerror or exc))) from None
    try:
        if len(raw) > _MAX_RECORD:
            raise ValueError("too large")
        fields = json.loads(raw)
        if not isinstance(fields, dict) or set(fields) != _FIELDS or fields["purpose"] != "join":
            raise ValueError("unexpected fields")
        if fields["check"] != _check(fields):
            raise ValueError("its checksum does not match: cut short or changed")
        if fields["format"] != FORMAT:
            raise OverflowError
        header = Header.parse(str(fields["header"]).encode("utf-8"))
        if header.format > FORMAT_VERSION:
            raise OverflowError
        slot = keyslots.KeySlot(
            keyslots.PASSPHRASE,
            str(fields["params"]).encode("utf-8"),
            base64.b64decode(str(fields["wrapped"]), validate=True),
        )
        keyslots.passphrase_params(slot)  # a cost out of bounds is damage, found before any derivation
    except OverflowError:
        raise VaultUnavailable(messages.join_record_too_new(path.parent)) from None
    except (ValueError, KeyError, TypeError, binascii.Error, keyslots.SlotFormatError) as exc:
        detail = "not a join record" if isinstance(exc, json.JSONDecodeError | UnicodeError) else str(exc)
        raise VaultDamaged(messages.join_record_damaged(path.parent, detail)) from None
    return JoinRecord(path, header, slot)


def records_in(target: Path) -> list[Path]:
    """The join records in DIR/purpose-sync/, by name (a sync tool's conflict copies are not one)."""
    try:
        return sorted(p for p in target.glob(f"join-*{SUFFIX}") if p.is_file() and not p.name.startswith("."))
    except OSError:
        return []


def _vault_slot(vault: Vault) -> tuple[Header, keyslots.KeySlot] | None:
    """The vault's header and passphrase slot as stored, read through a connection of its own (the
    Vault keeps its connection to itself); None when the slot is unreadable (a recovery replaces it)."""
    engine = database.make_engine(vault_path(vault.folder))
    try:
        with engine.connect() as conn:
            header = read_header(conn)
            with database.reading(conn):
                row = conn.execute(
                    select(key_slots.c.params, key_slots.c.wrapped).where(
                        key_slots.c.name == keyslots.PASSPHRASE
                    )
                ).one_or_none()
    except DBAPIError:
        return None
    finally:
        engine.dispose()
    if header is None or row is None:
        return None
    slot = keyslots.KeySlot(keyslots.PASSPHRASE, bytes(row.params), bytes(row.wrapped))
    try:
        keyslots.passphrase_params(slot)
    except keyslots.SlotFormatError:
        return None
    return header, slot


def ensure_join_record(vault: Vault, folder: Path) -> Outcome:
    """Write or refresh this journal's join record in `folder`/purpose-sync/ (the folder given to sync).

    Cheap when the record is current: one small file read and one row. Never raises for the folder or
    the vault's slot (a sync that has done its work must not fail over the record): says what it did."""
    found = _vault_slot(vault)
    target = folder.expanduser().absolute() / SUBFOLDER
    if found is None or not target.is_dir():
        return "not written"
    header, slot = found
    mine = slot_digest(slot)
    path = target / record_name(header.vault_id)
    remembered = vault.document(*JOIN_DOC)
    last = remembered.get("slot") if isinstance(remembered, dict) else None
    try:
        there: str | None = read_record(path).digest if path.exists() else None
    except VaultDamaged:
        there = None  # repaired below
    except VaultUnavailable:
        return "left for a newer one"  # written by a newer release: this one must not downgrade it
    if there == mine:
        if last != mine:
            vault.put_document(*JOIN_DOC, {"slot": mine})
        return "current"
    if there is not None and last == mine:
        return "left for a newer one"  # this device's passphrase did not change: another's did, later
    try:
        write_private(path, encode(header, slot), failure=lambda reason: InvalidInput(reason))
    except InvalidInput:
        return "not written"
    vault.put_document(*JOIN_DOC, {"slot": mine})
    return "written"
