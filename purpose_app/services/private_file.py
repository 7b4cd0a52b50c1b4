"""The one way Purpose writes a file out: exports, backups, change files, charts, reports, packs.

Readable by its owner only whatever the umask, written under an exclusive temporary name, synced,
then renamed over the target, so a crash leaves the old file or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from purpose_app.errors import InvalidInput


def write_private(target: Path, data: bytes | Callable[[BinaryIO], object]) -> None:
    """Atomically: a temporary file only the owner can read, synced, then renamed over the target.
    `data` is the bytes, or a function that writes them to the open file."""
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.partial")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb", buffering=1 << 20) as handle:
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
        raise InvalidInput(
            f"Could not write {target}: {exc.strerror or exc}. Choose another place with --out."
        ) from None
    except BaseException:
        with contextlib.suppress(OSError):  # e.g. the vault locked half-way: leave no partial file
            temporary.unlink(missing_ok=True)
        raise
