"""Opening the journal: create a vault, unlock it with the passphrase or the recovery key.

The public face of the journal services: the unlocked Vault itself is in journal.py (its cache, its
documents, imports and merges beside it), the file in storage/vault_file.py; the names callers use
are all importable from here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from purpose_app import messages
from purpose_app.crypto import kdf, keys, keyslots
from purpose_app.domain.passphrase import MIN_PASSPHRASE_LENGTH, check_new_passphrase
from purpose_app.errors import VaultDamaged, WrongSecret
from purpose_app.services.early_key import EarlyKey
from purpose_app.services.journal import Vault
from purpose_app.services.journal_imports import ImportOutcome
from purpose_app.services.journal_transaction import Transaction
from purpose_app.storage import vault_file
from purpose_app.storage.vault_file import FORMAT_VERSION, Header, OpenedFile, vault_exists

_T = TypeVar("_T")


def _unwrap_or_close(opened: OpenedFile, unwrap: Callable[[], _T], wrong: str) -> _T:
    try:
        return unwrap()
    except keyslots.UnwrapError:
        opened.close()
        raise WrongSecret(wrong) from None
    except keyslots.SlotFormatError:
        opened.close()
        raise VaultDamaged(messages.key_record_damaged()) from None
    except BaseException:
        opened.close()
        raise


def unlock(
    folder: Path, passphrase: str, *, allow_synced: bool = False, early: EarlyKey | None = None
) -> Vault:
    """Open the vault with its passphrase. Raises WrongSecret without changing a byte on disk.
    `early`: the key derivation started before (early_key.start), used if it was for this slot."""
    opened = vault_file.open_file(folder, allow_synced)
    slot = opened.slot(keyslots.PASSPHRASE)
    data_key = _unwrap_or_close(
        opened,
        lambda: keyslots.unwrap_with_passphrase(
            slot, passphrase, opened.header.raw, early.kek_for(slot.params) if early is not None else None
        ),
        messages.WRONG_PASSPHRASE,
    )
    params, _salt = keyslots.passphrase_params(slot)
    return Vault(opened, data_key, key_cost=params)


def unlock_with_recovery(folder: Path, recovery_key: str, *, allow_synced: bool = False) -> Vault:
    """Open the vault with its recovery key (to set a new passphrase)."""
    try:
        secret = keys.parse_recovery_key(recovery_key)
    except keys.RecoveryKeyFormatError as exc:
        raise WrongSecret(messages.recovery_key_typo(str(exc))) from None
    opened = vault_file.open_file(folder, allow_synced)
    slot = opened.slot(keyslots.RECOVERY)
    data_key = _unwrap_or_close(
        opened,
        lambda: keyslots.unwrap_with_recovery(slot, secret, opened.header.raw),
        messages.WRONG_RECOVERY_KEY,
    )
    cost: kdf.KdfParams | None
    try:
        cost = keyslots.passphrase_params(opened.slot(keyslots.PASSPHRASE))[0]
    except keyslots.SlotFormatError:
        # A damaged passphrase slot is exactly when the recovery key is needed: it opens the vault
        # so change_passphrase can write a fresh slot (at no less than the default cost).
        cost = None
    except BaseException:
        opened.close()
        raise
    return Vault(opened, data_key, key_cost=cost)


def create(
    folder: Path,
    passphrase: str,
    params: kdf.KdfParams,
    *,
    allow_synced: bool = False,
    identity: tuple[str, bytes] | None = None,
) -> tuple[Vault, str]:
    """A new vault in `folder`; returns it unlocked, with the recovery key to show once.

    Built under a temporary name and renamed into place, so a crash leaves either no vault or a
    complete one, never half of one. `identity` (vault id, data key) comes from a backup being
    restored: the copy keeps the key, so it can sync with the vault the backup was made from.
    """
    check_new_passphrase(passphrase)
    vault_file.prepare_folder(folder, allow_synced)
    header = Header.new(identity[0] if identity else None)
    data_key = identity[1] if identity else keys.new_data_key()
    recovery_secret = keys.new_recovery_secret()
    pass_slot = keyslots.wrap_with_passphrase(data_key, passphrase, header.raw, params)
    rec_slot = keyslots.wrap_with_recovery(data_key, recovery_secret, header.raw)
    vault_file.build(folder, header, (pass_slot, rec_slot))
    opened = vault_file.open_file(folder, allow_synced=True)
    vault = Vault(opened, data_key, key_cost=params)
    return vault, keys.format_recovery_key(recovery_secret)


__all__ = [
    "FORMAT_VERSION",
    "MIN_PASSPHRASE_LENGTH",
    "Header",
    "ImportOutcome",
    "Transaction",
    "Vault",
    "check_new_passphrase",
    "create",
    "unlock",
    "unlock_with_recovery",
    "vault_exists",
]
