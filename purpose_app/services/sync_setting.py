"""Where this device syncs: the folder chosen in the app, checked, and kept on this device only.

The choice is the document ("device", "sync-folder") {"path": str}: a path means something only on the
device that chose it (a phone's sync folder is not a laptop's), so it is device-only, like
("sync", "device"): never sent through the folder, never carried by a backup.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from pathlib import Path

from purpose_app.errors import InvalidInput
from purpose_app.services.vault import Vault
from purpose_app.storage.location import DATABASE_NAME

FOLDER_DOC = ("device", "sync-folder")  # device-only: never synced, never in a backup
SUBFOLDER = "purpose-sync"  # sync.SUBFOLDER, where the change files are
_CHANGE_FILE = re.compile(r"^([0-9a-f]{32})-\d{6,}-[0-9a-f]{8}\.changes$")


def no_folder_typed() -> str:
    return (
        "Type the path of the folder your sync app keeps in step (Syncthing, Dropbox, iCloud Drive, "
        "Nextcloud). Nothing was changed."
    )


def folder_missing(folder: Path) -> str:
    return (
        f"There is no folder at {folder}. Nothing was changed. Check the path, or make the folder in "
        "your sync app first, then choose it here."
    )


def not_a_folder(folder: Path) -> str:
    return f"{folder} is a file, not a folder. Nothing was changed. Choose the folder that holds it."


def folder_unwritable(folder: Path, detail: str) -> str:
    return (
        f"Purpose cannot write in {folder} ({detail[:80]}). Nothing was changed. Choose a folder you "
        "can write to, or give Purpose permission to write there."
    )


def folder_holds_vault(folder: Path) -> str:
    return (
        f"{folder} is your journal's own folder, holds it, or lies inside it. Nothing was changed. The "
        "live journal must never sit in a synced folder: choose a separate folder for sync."
    )


def check_folder(text: str, vault_folder: Path) -> Path:
    """The folder `text` names, if sync may use it: it exists, is a folder, is writable and is apart
    from the journal's own folder. Raises InvalidInput saying which, and changes nothing."""
    if not text.strip():
        raise InvalidInput(no_folder_typed())
    folder = Path(text.strip()).expanduser().absolute()
    if not folder.exists():
        raise InvalidInput(folder_missing(folder))
    if not folder.is_dir():
        raise InvalidInput(not_a_folder(folder))
    real, live = folder.resolve(), vault_folder.expanduser().absolute().resolve()
    if real == live or live.is_relative_to(real) or real.is_relative_to(live):
        raise InvalidInput(folder_holds_vault(folder))
    probe_folder = folder / SUBFOLDER if (folder / SUBFOLDER).is_dir() else folder
    try:
        probe = _probe(probe_folder)
    except OSError as exc:
        raise InvalidInput(folder_unwritable(folder, exc.strerror or str(exc))) from None
    with contextlib.suppress(OSError):
        os.unlink(probe)
    return folder


def _probe(folder: Path) -> str:
    """Make (and leave for the caller to remove) a hidden empty file: the one sure test of writing."""
    handle, path = tempfile.mkstemp(prefix=".purpose-probe-", dir=folder)
    os.close(handle)
    return path


def chosen_folder(vault: Vault) -> Path | None:
    """The folder this device syncs with, or None when sync is off here."""
    found = vault.document(*FOLDER_DOC)
    path = found.get("path") if isinstance(found, dict) else None
    return Path(path) if isinstance(path, str) and path else None


def choose_folder(vault: Vault, text: str) -> Path:
    """Check the folder, then keep it as this device's choice (nothing is stored if the check fails)."""
    folder = check_folder(text, vault.folder)
    vault.put_document(*FOLDER_DOC, {"path": str(folder)})
    return folder


def turn_off(vault: Vault) -> None:
    """Forget this device's folder: sync stops here; the folder and the other devices are left alone."""
    vault.delete_document(*FOLDER_DOC)


def devices_seen(folder: Path, this_device: str) -> int:
    """How many other devices have change files in the folder now."""
    try:
        names = os.listdir(folder / SUBFOLDER)
    except OSError:
        return 0
    found = {m.group(1) for m in map(_CHANGE_FILE.match, names) if m is not None}
    return len(found - {this_device})


def changes_marker(vault_folder: Path) -> tuple[int, ...]:
    """Something that differs after any write to the journal's file (by this app, another tab or the
    command line): the database's and its write-ahead log's modification times and sizes. Cheap
    enough to look at every few seconds, so a save needs no hook into every screen."""
    marker: list[int] = []
    for name in (DATABASE_NAME, DATABASE_NAME + "-wal"):
        try:
            status = os.stat(vault_folder / name)
        except OSError:
            marker += [0, 0]
        else:
            marker += [status.st_mtime_ns, status.st_size]
    return tuple(marker)
