"""The one way Purpose writes a file out: exports, backups, change files, charts, reports, packs.

Readable by its owner only whatever the umask, written under an exclusive temporary name beside the
target, synced, then renamed over the target (and the folder synced), so a crash or an error leaves
the old file or the new one, never half of one, and no temporary file behind.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from purpose_app.errors import InvalidInput, PurposeError

MODE = 0o600
_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)  # O_BINARY: Windows only
Writer = Callable[[BinaryIO], object]
Failure = Callable[[str], PurposeError]  # the reason (e.g. "Permission denied") -> what to raise


def _cannot_write(target: Path) -> Failure:
    return lambda reason: InvalidInput(
        f"Could not write {target}: {reason}. Choose another place with --out."
    )


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable where the platform can (a folder cannot be opened on Windows,
    and some file systems refuse to sync one: the file is in place either way)."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def write_private(target: Path, data: bytes | Writer, *, failure: Failure | None = None) -> None:
    """Atomically: a temporary file only the owner can read, synced, then renamed over the target.

    `data` is the bytes, or a function that writes them to the open file. An OSError becomes
    `failure(reason)` (by default InvalidInput "Could not write ..."); anything else the function
    raises propagates. Either way the target is left as it was and nothing else is left behind."""
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.partial")
    try:
        descriptor = os.open(temporary, _FLAGS, MODE)
        try:
            if hasattr(os, "fchmod"):  # the umask can only take bits from MODE: put them back exactly
                os.fchmod(descriptor, MODE)
            handle = os.fdopen(descriptor, "wb", buffering=1 << 20)
        except BaseException:
            os.close(descriptor)
            raise
        with handle:
            if callable(data):
                data(handle)
            else:
                handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise (failure or _cannot_write(target))(str(exc.strerror or exc)) from None
    except BaseException:
        with contextlib.suppress(OSError):  # e.g. the vault locked half-way: leave no partial file
            temporary.unlink(missing_ok=True)
        raise
    _sync_folder(target.parent)
