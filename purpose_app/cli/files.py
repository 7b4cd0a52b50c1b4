"""Files the command line reads (packs) and writes (charts, reports, packs), with its own messages."""

from __future__ import annotations

import os
from pathlib import Path

from purpose_app.errors import InvalidInput

READ_LIMIT = 4 * 1024 * 1024  # far above any valid pack; the parser says "too big"


def read_file(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(READ_LIMIT)
    except OSError as exc:
        raise InvalidInput(f"Could not read {path}: {exc.strerror or exc}. Nothing was changed.") from None


def write_file(path: str, data: bytes) -> None:
    """Through the one private-file writer, naming the file as it was typed."""
    from purpose_app.services.private_file import write_private

    try:
        write_private(Path(path), data)
    except OSError as exc:
        raise _unwritable(path, exc) from None
    except InvalidInput as exc:
        # The writer names the normalised path ("x.png" for "./x.png"): say it as the person wrote it.
        cause = exc.__context__
        if not isinstance(cause, OSError):
            raise
        raise _unwritable(path, cause) from None


def _unwritable(path: str, exc: OSError) -> InvalidInput:
    return InvalidInput(f"Could not write {path}: {exc.strerror or exc}. Choose another place with --out.")


def check_out(path: str) -> None:
    """Refuse an output path that cannot be written, before any work (exit 5)."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise InvalidInput(f"{path} is a folder. Give a file name with --out, e.g. {target / 'chart.png'}.")
    if not folder.is_dir():
        raise InvalidInput(
            f"Could not write {path}: the folder {folder} does not exist. Nothing was written."
        )
    if not os.access(folder, os.W_OK | os.X_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise InvalidInput(f"Could not write {path}: permission denied. Choose another place with --out.")
