"""Passphrase -> key-encryption key with Argon2id (argon2-cffi, which Flet's mobile index also ships).

Parameters travel with the vault (in its passphrase key slot), so a vault always opens with the cost it
was made with, and a later release can raise the default without breaking old vaults.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import asdict, dataclass

from argon2.low_level import Type, hash_secret_raw

KEY_LENGTH = 32
SALT_LENGTH = 16

# Bounds for parameters read from any file (a key slot, a backup's or a change file's header): a
# tampered or hostile file must not make a phone allocate gigabytes or spin for minutes. Eight times
# the default memory and three times its passes leave room for a later, stronger default.
MAX_MEMORY_KIB = 1024 * 1024  # 1 GiB
MAX_TIME_COST = 10
_MAX_PARALLELISM = 16


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost. memory_kib is in KiB, as Argon2 counts it."""

    profile: str
    memory_kib: int
    time_cost: int
    parallelism: int

    def as_dict(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> KdfParams:
        params = cls(
            profile=str(data["profile"]),
            memory_kib=int(data["memory_kib"]),  # type: ignore[call-overload]
            time_cost=int(data["time_cost"]),  # type: ignore[call-overload]
            parallelism=int(data["parallelism"]),  # type: ignore[call-overload]
        )
        params.check_bounds()
        return params

    def check_bounds(self) -> None:
        if not (
            8 * self.parallelism <= self.memory_kib <= MAX_MEMORY_KIB
            and 1 <= self.time_cost <= MAX_TIME_COST
            and 1 <= self.parallelism <= _MAX_PARALLELISM
        ):
            raise ValueError("key-derivation parameters out of bounds")


# 128 MiB, t=3: 0.45 s with one lane on this project's 2-core machines (64 MiB/t=3: 0.19 s, below the
# 0.3 s floor; 256 MiB: 1.1 s, too slow for a phone between patients). Two lanes (p=2) do the same
# total work over the same memory, so a guess costs an attacker exactly as much, but use a second core:
# 0.20 s here, and every phone sold in years has more than one. RFC 9106 recommends lanes = cores.
# A single-core device runs the lanes one after the other, at the one-lane time.
# OWASP's server minimum is 19 MiB/t=2: a stolen journal is attacked offline.
DEFAULT = KdfParams(profile="default", memory_kib=128 * 1024, time_cost=3, parallelism=2)

# Cheap profile for tests only; a vault made with it says so every time it is opened.
TEST = KdfParams(profile="test", memory_kib=1024, time_cost=1, parallelism=1)

PROFILES = {"default": DEFAULT, "test": TEST}


def at_least(proposed: KdfParams, current: KdfParams) -> KdfParams:
    """The cost of a new wrap of an existing key: never cheaper than the one it replaces.

    A cost is cheaper when it asks for less memory or fewer passes (more lanes do not make a guess
    cheaper for an attacker: they split the same work). So a leftover PURPOSE_KDF_PROFILE=test, or an
    older default, can never rewrite a 128 MiB slot as a 1 MiB one."""
    if proposed.memory_kib >= current.memory_kib and proposed.time_cost >= current.time_cost:
        return proposed
    return current


def rewrap_cost(current: KdfParams | None, proposed: KdfParams | None = None) -> KdfParams:
    """The cost of a new wrap of an existing vault's key (a new passphrase, a backup of it): at least
    the default and at least what the vault has now (None: unknown, its slot unreadable). The test
    profile is for creating vaults only, so a leftover PURPOSE_KDF_PROFILE=test never cheapens one."""
    floor = at_least(DEFAULT, current) if current else DEFAULT
    return at_least(proposed, floor) if proposed else floor


def profile_from_env() -> KdfParams:
    """The profile named by PURPOSE_KDF_PROFILE (default when unset). For a NEW vault only: a key that
    already exists is re-wrapped at_least(DEFAULT, its current cost), whatever the environment says."""
    name = os.environ.get("PURPOSE_KDF_PROFILE", "default").strip().lower() or "default"
    try:
        return PROFILES[name]
    except KeyError:
        known = ", ".join(sorted(PROFILES))
        raise ValueError(f"PURPOSE_KDF_PROFILE must be one of: {known}") from None


def new_salt() -> bytes:
    return os.urandom(SALT_LENGTH)


def derive_key(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    """The 32-byte key-encryption key for this passphrase.

    The passphrase is normalised to Unicode NFC first: the same visible "é" typed on two keyboards
    can arrive as one code point or two, and must open the same vault."""
    return hash_secret_raw(
        secret=unicodedata.normalize("NFC", passphrase).encode("utf-8"),
        salt=salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_kib,
        parallelism=params.parallelism,
        hash_len=KEY_LENGTH,
        type=Type.ID,
        version=19,
    )
