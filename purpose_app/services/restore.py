"""Restoring an encrypted backup that arrives as bytes (the app's file picker), into a new vault or
merged into the open one. The rules are services/backup.py's; this only carries the bytes there.

The backup is read from a private temporary folder (0700, removed at once): the file is encrypted,
so nothing readable ever touches the disk, and backup.read_backup stays the one reader of the format."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from pathlib import Path

from purpose_app.errors import InvalidInput, WrongSecret
from purpose_app.services import backup
from purpose_app.services.backup import Backup

_SAFE_NAME = re.compile(r"[^A-Za-z0-9._ -]+")


def read_backup_bytes(
    raw: bytes, passphrase: str, file_name: str, *, progress: Callable[[int, int], None] | None = None
) -> Backup:
    """Decrypt and check a whole backup from its bytes. Raises WrongSecret or InvalidInput (naming
    the file as the person chose it, never the temporary copy); touches no vault."""
    if not passphrase:
        raise InvalidInput("Type the backup's passphrase: the one it was made with.")
    name = _SAFE_NAME.sub("", Path(file_name).name)[:80] or "backup"
    with tempfile.TemporaryDirectory(prefix="purpose-restore-") as folder:
        path = Path(folder) / name
        path.write_bytes(raw)
        try:
            return backup.read_backup(path, passphrase, progress=progress)
        except (InvalidInput, WrongSecret) as exc:
            raise type(exc)(exc.message.replace(str(path), f'"{name}"')) from None
