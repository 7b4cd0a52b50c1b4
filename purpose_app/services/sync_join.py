"""A new device joins a journal through the sync folder with the passphrase (the record: join_record.py).

join() reads the join record the first device left in DIR/purpose-sync/, opens it with the passphrase,
makes a new vault here with the same vault id, data key and passphrase slot (so it reads the change
files, and the record stays the same for every device), with a recovery key of its own and, at its
first sync, a device id of its own; then syncs, so the new device has the whole journal.

Every refusal comes before anything is written: a vault already here, no record, a damaged one, a
wrong passphrase (counted by the unlock throttle, like unlocking). If the first sync fails, the new
vault is removed again, so a second try starts from the same place.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

from purpose_app import messages
from purpose_app.crypto import keys, keyslots
from purpose_app.errors import InvalidInput, VaultDamaged, VaultUnavailable, WrongSecret
from purpose_app.services import sync, vault_folder
from purpose_app.services.join_record import (
    JOIN_DOC,
    SUBFOLDER,
    JoinRecord,
    ensure_join_record,
    read_record,
    records_in,
)
from purpose_app.services.unlock_throttle import PROCESS_THROTTLE, UnlockThrottle
from purpose_app.services.vault import Vault
from purpose_app.storage import vault_file

__all__ = ["Joined", "ensure_join_record", "join", "read_records"]


@dataclass
class Joined:
    """The new device's vault (unlocked), its recovery key (to show once) and its first sync."""

    vault: Vault
    recovery_key: str
    report: sync.SyncReport


def read_records(folder: Path) -> list[JoinRecord]:
    """The readable join records in `folder` (the folder given to sync). Raises InvalidInput when there
    is none, and the first one's damage when every one found is damaged."""
    folder = folder.expanduser().absolute()
    if not folder.is_dir():
        raise InvalidInput(messages.sync_folder_missing(folder))
    paths = records_in(folder / SUBFOLDER)
    if not paths:
        raise InvalidInput(messages.join_no_record(folder))
    found: list[JoinRecord] = []
    problems: list[VaultDamaged | VaultUnavailable] = []
    for path in paths:
        try:
            found.append(read_record(path))
        except (VaultDamaged, VaultUnavailable) as exc:
            problems.append(exc)
    if not found:
        raise problems[0]
    return found


def _open(records: list[JoinRecord], passphrase: str) -> tuple[JoinRecord, bytes]:
    """The record the passphrase opens, and the data key (several journals may share one folder)."""
    for record in records:
        try:
            return record, keyslots.unwrap_with_passphrase(record.slot, passphrase, record.header.raw)
        except keyslots.UnwrapError:
            continue
    raise WrongSecret(messages.WRONG_JOIN_PASSPHRASE)


def join(
    folder_to_sync: Path,
    passphrase: str,
    vault_folder_path: Path,
    *,
    allow_synced: bool = False,
    throttle: UnlockThrottle = PROCESS_THROTTLE,
) -> Joined:
    """A new vault in `vault_folder_path` for the journal whose record is in `folder_to_sync`, synced."""
    vault_folder.refuse_existing(vault_folder_path)
    vault_file.check_location(vault_folder_path, allow_synced)
    records = read_records(folder_to_sync)
    with throttle.attempt(folder_to_sync.expanduser().absolute() / SUBFOLDER):
        record, data_key = _open(records, passphrase)
    params, _salt = keyslots.passphrase_params(record.slot)
    created_folder = not vault_folder_path.exists()
    vault_file.prepare_folder(vault_folder_path, allow_synced)
    secret = keys.new_recovery_secret()
    recovery = keyslots.wrap_with_recovery(data_key, secret, record.header.raw)
    try:
        vault_file.build(vault_folder_path, record.header, (record.slot, recovery))
        vault = Vault(vault_file.open_file(vault_folder_path, allow_synced=True), data_key, key_cost=params)
    except BaseException:
        _remove(vault_folder_path, created_folder)
        raise
    try:
        vault.put_document(*JOIN_DOC, {"slot": record.digest})  # adopted: this device leaves it be
        report = sync.sync(vault, folder_to_sync)
    except BaseException:
        vault.lock()
        _remove(vault_folder_path, created_folder)
        raise
    return Joined(vault, keys.format_recovery_key(secret), report)


def _remove(folder: Path, created_folder: bool) -> None:
    """Take away the vault this join made (and its folder, if the join made it and it is empty)."""
    for name in vault_file.OWN_NAMES:
        with contextlib.suppress(OSError):
            (folder / name).unlink(missing_ok=True)
    if created_folder:
        with contextlib.suppress(OSError):
            folder.rmdir()
