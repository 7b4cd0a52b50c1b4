"""A keyed multiset hash: what a set of rows adds up to, updated in O(1) as rows come and go.

    element e (bytes) --BLAKE2b-256, keyed--> h(e), read as a 256-bit big-endian integer
    digest of a multiset M = sum of h(e) for e in M, modulo 2**256

Adding an element adds h(e), removing one subtracts it, so a write changes the digest by the rows it
touched alone. A sum, not an XOR: with XOR, two copies of an element cancel out, so a multiset and the
same one with a pair of duplicates added would look alike. The key keeps anyone without it from
computing h(e): without it nobody can pick rows to add (e.g. free-form rows with no sealed value) that
bring a changed multiset back to the same sum. Keyed BLAKE2b is a MAC in its own right (RFC 7693),
used here rather than HMAC-SHA-256 because it is twice as fast per short element: a vault of 50,000
entries is summed at every unlock.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

DIGEST_SIZE = 32
MODULUS = 1 << (8 * DIGEST_SIZE)
_as_int = int.from_bytes  # big-endian, the default


class MultisetHash:
    """The keyed element hash and the sums built from it."""

    __slots__ = ("_keyed",)

    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise ValueError("a multiset hash key is 32 bytes")
        self._keyed = hashlib.blake2b(key=key, digest_size=DIGEST_SIZE)

    def element(self, data: bytes) -> int:
        """h(data): the same as hashlib.blake2b(data, key=key, digest_size=32), as an integer."""
        state = self._keyed.copy()
        state.update(data)
        return _as_int(state.digest())

    def total(self, elements: Iterable[bytes]) -> int:
        """The digest of these elements (in any order), modulo 2**256. This is the loop an unlock runs
        once per row: copying the keyed state (its key block already absorbed) is a third faster than
        a new keyed hash per element."""
        fresh, total = self._keyed.copy, 0
        for data in elements:
            state = fresh()
            state.update(data)
            total += _as_int(state.digest())
        return total % MODULUS

    def change(self, added: Iterable[bytes], removed: Iterable[bytes]) -> int:
        """What adding `added` and removing `removed` does to a digest (to add to it, modulo 2**256)."""
        return (self.total(added) - self.total(removed)) % MODULUS


def to_bytes(digest: int) -> bytes:
    return (digest % MODULUS).to_bytes(DIGEST_SIZE, "big")


def from_bytes(raw: bytes) -> int:
    if len(raw) != DIGEST_SIZE:
        raise ValueError("a multiset digest is 32 bytes")
    return int.from_bytes(raw, "big")
