"""The passphrase slot's parameters read with the standard library alone, before the vault is opened
for real, so that a command can start deriving the key while the heavy modules load (a hint only: the
slot read when the vault is opened decides, and a hint that differs from it is thrown away)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from purpose_app.storage.location import vault_path

_PASSPHRASE = "passphrase"  # crypto.keyslots.PASSPHRASE, not imported: this module stays light


def passphrase_params(folder: Path) -> bytes | None:
    """The stored parameters of the passphrase slot, or None when they cannot be read this way.

    Read-only and immutable: SQLite takes no lock, reads no -wal file and creates no file beside
    the vault (so nothing is created before the vault's own checks run). A change still in the -wal
    file is not seen: the slot read at open then differs, and the key is derived again."""
    path = vault_path(folder)
    try:
        if not path.is_file():
            return None
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    except (sqlite3.Error, ValueError, OSError):
        return None
    try:
        row = conn.execute("SELECT params FROM key_slots WHERE name = ?", (_PASSPHRASE,)).fetchone()
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    return bytes(row[0]) if row is not None and isinstance(row[0], bytes) else None
