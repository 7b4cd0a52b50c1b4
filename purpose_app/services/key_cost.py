"""How costly deriving a key from a passphrase is: the KDF profile that new key slots are made with."""

from __future__ import annotations

from purpose_app.crypto import kdf

KeyCost = kdf.KdfParams


def from_env() -> KeyCost:
    """The profile PURPOSE_KDF_PROFILE names (default when unset). Raises ValueError for an unknown
    name, with a sentence that says which names are known."""
    return kdf.profile_from_env()


def is_test(cost: KeyCost) -> bool:
    """True for the cheap profile meant for tests only (a vault made with it warns when opened)."""
    return cost.profile == kdf.TEST.profile
