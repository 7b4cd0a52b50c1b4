"""Where a vault lives, and the folders it must not live in.

A live SQLite database in WAL mode needs its -wal and -shm files to change together on one machine.
Sync tools (Dropbox, iCloud Drive, OneDrive, Google Drive, Syncthing, Nextcloud) copy them separately,
which is a known way to corrupt a database. So the vault refuses such folders; sync between devices
goes through encrypted change files instead (a later feature).
"""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path

import platformdirs

DATABASE_NAME = "purpose.db"
APP_NAME = "Purpose"

# Folder names (compared without regard to case) that sync clients create.
_SYNCED_NAMES = {
    "dropbox": "Dropbox",
    "onedrive": "OneDrive",
    "icloud drive": "iCloud Drive",
    "iclouddrive": "iCloud Drive",
    "mobile documents": "iCloud Drive",
    "com~apple~clouddocs": "iCloud Drive",
    "google drive": "Google Drive",
    "googledrive": "Google Drive",
    "my drive": "Google Drive",
    "nextcloud": "Nextcloud",
    "owncloud": "ownCloud",
    "syncthing": "Syncthing",
}
_SYNCED_PREFIXES = {
    "dropbox (": "Dropbox",  # "Dropbox (Personal)", "Dropbox (Team)"
    "onedrive - ": "OneDrive",  # "OneDrive - Hospital Name"
    "onedrive-": "OneDrive",  # macOS CloudStorage: "OneDrive-Personal"
    "googledrive-": "Google Drive",  # macOS CloudStorage: "GoogleDrive-name@example.org"
    "dropbox-": "Dropbox",
}
# Files or folders that a sync client keeps at the top of (or inside) a synced folder.
_MARKERS = {
    ".stfolder": "Syncthing",
    ".dropbox": "Dropbox",
    ".dropbox.cache": "Dropbox",
    ".tmp.drivedownload": "Google Drive",
    ".tmp.driveupload": "Google Drive",
    ".nextcloudsync.log": "Nextcloud",
    ".owncloudsync.log": "ownCloud",
    "._sync_*.db": "Nextcloud or ownCloud",
    ".sync_*.db": "Nextcloud or ownCloud",
}


def vault_path(folder: Path) -> Path:
    """Where the vault file of `folder` is (whether or not it exists)."""
    return folder / DATABASE_NAME


def vault_exists(folder: Path) -> bool:
    """Whether `folder` holds a vault file (readable or not): the check before offering to create one.
    Here rather than in vault_file.py, so that asking costs no import of SQLAlchemy."""
    return vault_path(folder).is_file()


def default_vault_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False))


def resolve_vault_dir(option: str | None) -> Path:
    """--vault wins, then PURPOSE_VAULT, then the platform's user data folder."""
    chosen = option or os.environ.get("PURPOSE_VAULT") or None
    path = Path(chosen).expanduser() if chosen else default_vault_dir()
    return path.absolute()


def _name_says_synced(name: str) -> str | None:
    key = name.casefold()
    if key in _SYNCED_NAMES:
        return _SYNCED_NAMES[key]
    for prefix, service in _SYNCED_PREFIXES.items():
        if key.startswith(prefix):
            return service
    return None


def _markers_in(folder: Path) -> str | None:
    try:
        names = os.listdir(folder)
    except OSError:
        return None
    for name in names:
        for pattern, service in _MARKERS.items():
            if fnmatch.fnmatchcase(name.lower(), pattern):
                return service
    return None


def synced_service(folder: Path) -> str | None:
    """The sync service that appears to manage this folder (by its name or a parent's, or by marker
    files in it or a parent), or None."""
    folder = folder.absolute()
    for candidate in (folder, *folder.parents):
        service = _name_says_synced(candidate.name) or _markers_in(candidate)
        if service:
            return service
    return None
