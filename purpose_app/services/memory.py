"""Handing memory freed after a large read or an export back to the system, where the allocator keeps it."""

from __future__ import annotations

import ctypes
import sys


def release() -> None:
    """Give freed heap memory back to the system. glibc keeps freed blocks for reuse, so without this
    a server stays about 130 MB larger after exporting 50,000 entries (the decrypted batches and the
    file), and a locked journal's decrypted index stays resident. It costs a few milliseconds. Only
    glibc has malloc_trim: elsewhere (macOS, Windows, musl) there is nothing to do."""
    if not sys.platform.startswith("linux"):
        return
    try:
        trim = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc
        return
    trim(0)
