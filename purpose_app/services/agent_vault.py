"""Whether anyone but the unlock agent touched its vault since its last command.

The agent serves only a vault exactly as it left it: if another program wrote to it (the app, a backup
restore, a new passphrase, a newer Purpose), or the file was replaced or made read-only, the agent ends
and the command unlocks by itself, which checks the vault at open as it always has.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from purpose_app.storage.location import DATABASE_NAME

Fingerprint = tuple[int, int, int, int, int]


class VaultWatch:
    """A read-only look at the vault file: its identity, permissions and SQLite's data_version."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._db = folder / DATABASE_NAME
        self._conn: sqlite3.Connection | None = None
        with contextlib.suppress(sqlite3.Error):
            # data_version moves when another connection commits or checkpoints; our own vault's writes
            # move it here too, so settle() records it after each of the agent's commands. Opened
            # read-write so that SQLite may use the WAL's shared memory; nothing is written through it.
            self._conn = sqlite3.connect(f"{self._db.as_uri()}?mode=rw", uri=True, check_same_thread=False)
        self._seen = self._fingerprint()

    def _fingerprint(self) -> Fingerprint | None:
        try:
            file, folder = os.stat(self._db), os.stat(self._folder)
            version = -1
            if self._conn is not None:
                version = int(self._conn.execute("PRAGMA data_version").fetchone()[0])
        except (OSError, sqlite3.Error):
            return None
        # Modes, not os.access: an agent running as root could write where its caller cannot.
        return (file.st_dev, file.st_ino, file.st_mode, folder.st_mode, version)

    def changed_elsewhere(self) -> bool:
        """True when the vault is no longer exactly as the agent left it."""
        now = self._fingerprint()
        return now is None or now != self._seen

    def settle(self) -> None:
        """After the agent's own command (and its checkpoint): note that these writes were ours."""
        self._seen = self._fingerprint()

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
