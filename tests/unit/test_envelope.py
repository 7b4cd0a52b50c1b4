"""The sealed-field format: what it hides, what it binds, and how it fails."""

import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from purpose_app.crypto.envelope import PAD_TO, Sealer, SealError, associated_data

KEY = bytes(range(32))


@given(st.binary(max_size=3000))
def test_seal_then_open_returns_the_same_bytes(data):
    """Any value survives a round trip under the same key and associated data."""
    sealer = Sealer(KEY)
    assert sealer.open(sealer.seal(data, b"ad"), b"ad") == data


def test_lengths_are_padded_to_buckets():
    """Values of nearby lengths produce blobs of the same length (exact lengths are hidden)."""
    sealer = Sealer(KEY)
    lengths = {len(sealer.seal(b"x" * n, b"")) for n in range(PAD_TO - 4)}
    assert len(lengths) == 1


def test_each_seal_uses_a_fresh_nonce():
    """Sealing the same value twice gives different blobs (no nonce reuse, no equality leak)."""
    sealer = Sealer(KEY)
    assert sealer.seal(b"same", b"") != sealer.seal(b"same", b"")


@pytest.mark.parametrize(
    "other_ad",
    [associated_data("v", "entries", "id-2", "body", 1), associated_data("v", "entries", "id-1", "title", 1),
     associated_data("v", "entries", "id-1", "body", 2), associated_data("w", "entries", "id-1", "body", 1)],
)  # fmt: skip
def test_a_blob_only_opens_where_it_was_sealed(other_ad):
    """Another record, field, revision or vault in the associated data fails authentication."""
    sealer = Sealer(KEY)
    blob = sealer.seal(b"private", associated_data("v", "entries", "id-1", "body", 1))
    with pytest.raises(SealError):
        sealer.open(blob, other_ad)


def test_associated_data_parts_are_unambiguous():
    """("ab", "c") and ("a", "bc") must not encode to the same bytes."""
    assert associated_data("ab", "c") != associated_data("a", "bc")


def test_wrong_key_and_unknown_format_fail():
    """A blob does not open under another key, and an unknown format byte is refused."""
    blob = Sealer(KEY).seal(b"private", b"")
    with pytest.raises(SealError):
        Sealer(os.urandom(32)).open(blob, b"")
    with pytest.raises(SealError):
        Sealer(KEY).open(b"\x02" + blob[1:], b"")
    with pytest.raises(SealError):
        Sealer(KEY).open(blob[:10], b"")
