"""The keyed multiset hash behind the state digest: order-free, incremental, counting duplicates."""

import hashlib

import pytest

from purpose_app.crypto import multiset

KEY = bytes(range(32))


def test_an_element_is_keyed_blake2b_256_read_big_endian():
    """h(e) is exactly BLAKE2b-256 keyed with the key (RFC 7693), as a big-endian integer."""
    expected = int.from_bytes(hashlib.blake2b(b"row", key=KEY, digest_size=32).digest(), "big")
    assert multiset.MultisetHash(KEY).element(b"row") == expected


def test_the_total_ignores_order_and_follows_adds_and_removes():
    """Any order gives the same total; adding and removing elements changes it by exactly that."""
    h = multiset.MultisetHash(KEY)
    items = [b"a", b"b", b"c"]
    assert h.total(items) == h.total(reversed(items))
    changed = (h.total(items) + h.change([b"d"], [b"b"])) % multiset.MODULUS
    assert changed == h.total([b"a", b"c", b"d"])


def test_duplicates_count_unlike_xor():
    """A pair of duplicates added changes the total (an XOR would cancel them out)."""
    h = multiset.MultisetHash(KEY)
    assert h.total([b"a", b"x", b"x"]) != h.total([b"a"])


def test_another_key_gives_another_total():
    """Without the key, nobody can compute the total of a set of rows."""
    assert multiset.MultisetHash(KEY).total([b"a"]) != multiset.MultisetHash(bytes(32)).total([b"a"])


def test_digests_round_trip_as_32_bytes_and_bad_sizes_are_refused():
    """A digest is stored as 32 bytes; anything else is refused, as is a key of the wrong size."""
    value = multiset.MultisetHash(KEY).total([b"a", b"b"])
    assert multiset.from_bytes(multiset.to_bytes(value)) == value
    with pytest.raises(ValueError, match="32 bytes"):
        multiset.from_bytes(b"short")
    with pytest.raises(ValueError, match="32 bytes"):
        multiset.MultisetHash(b"short")
