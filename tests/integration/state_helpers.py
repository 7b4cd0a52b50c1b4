"""For tests that change a vault's file on purpose, below the service (e.g. removing a page to see the
journal read from its rows): record the rows as they now are as the vault's state, as Purpose would
have had it written them itself, so the change is not taken for tampering at the next open."""

from __future__ import annotations

from pathlib import Path

from purpose_app.crypto import keyslots
from purpose_app.storage import database, vault_file
from purpose_app.storage.state_digest import StateDigest


def accept_changes(folder: Path, passphrase: str) -> None:
    """Re-record the state digest of the vault in `folder` from its rows as they are."""
    opened = vault_file.open_file(folder, allow_synced=True)
    try:
        slot = opened.slot(keyslots.PASSPHRASE)
        data_key = keyslots.unwrap_with_passphrase(slot, passphrase, opened.header.raw)
        state = StateDigest.of(opened, data_key)
        with database.writing(opened.conn):
            state.record_as_is()
        database.checkpoint(opened.conn)
    finally:
        opened.close()
