"""The passphrase's key derivation started early, in a thread, while the command's heavy modules load:
Argon2id runs in C without Python's lock, so the two overlap instead of adding up."""

from __future__ import annotations

import threading
from pathlib import Path

from purpose_app.crypto import keyslots
from purpose_app.storage import slot_peek


class EarlyKey:
    """The key for one passphrase and one slot's stored parameters, being derived."""

    def __init__(self, params: bytes, passphrase: str) -> None:
        self._params = params
        self._kek: bytes | None = None
        # A daemon: a command that fails before it needs the key exits without waiting for it.
        self._thread = threading.Thread(target=self._derive, args=(passphrase,), daemon=True)
        self._thread.start()

    def _derive(self, passphrase: str) -> None:
        try:
            self._kek = keyslots.passphrase_kek(self._params, passphrase)
        except Exception:
            self._kek = None

    def kek_for(self, params: bytes) -> bytes | None:
        """The derived key if it was derived for exactly these stored parameters, else None."""
        if params != self._params:
            return None
        self._thread.join()
        return self._kek


def start(folder: Path, passphrase: str) -> EarlyKey | None:
    """Start deriving the key of the vault in `folder`, if its passphrase slot can be read already."""
    params = slot_peek.passphrase_params(folder)
    return EarlyKey(params, passphrase) if params is not None else None
