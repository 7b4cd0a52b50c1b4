"""The sealed-field format: what it hides, what it binds, and how it fails."""

import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from purpose_app.crypto.envelope import PAD_TO, Sealer, SealError, ad_prefix, associated_data

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


# -- the one associated-data builder -----------------------------------------------------------------

VAULT_ID = "0123456789abcdef0123456789abcdef"


def test_associated_data_known_answer():
    """The on-disk encoding, byte for byte: the domain label, then each part as a big-endian u32
    length and its bytes (text as UTF-8, integers as decimal digits). A change here breaks every
    vault ever written (tests/integration/test_golden_vault.py reads one)."""
    expected = (
        b"purpose-ad-v1"
        b"\x00\x00\x00\x04vvvv"
        b"\x00\x00\x00\x07entries"
        b"\x00\x00\x00\x04id-1"
        b"\x00\x00\x00\x04body"
        b"\x00\x00\x00\x017"
    )
    assert associated_data("vvvv", "entries", "id-1", "body", 7) == expected
    assert (
        associated_data(b"\xff", "é", 0)
        == b"purpose-ad-v1\x00\x00\x00\x01\xff\x00\x00\x00\x02\xc3\xa9\x00\x00\x00\x010"
    )


def test_a_prefix_builds_the_same_bytes_as_the_whole():
    """A reusable prefix, extended or built on, equals encoding every part at once; its record()
    fast paths equal build() for any id, field and revision."""
    prefix = ad_prefix(VAULT_ID, "entries")
    whole = associated_data(VAULT_ID, "entries", "id-é", "title", 12)
    assert prefix.build("id-é", "title", 12) == whole
    assert prefix.extend("id-é").build("title", 12) == whole
    assert prefix.record("id-é", "title", 12) == whole
    assert prefix.record_fields("id-é", 12, "title", "body") == (
        whole,
        associated_data(VAULT_ID, "entries", "id-é", "body", 12),
    )
    assert ad_prefix().build() == associated_data() == b"purpose-ad-v1"


@given(st.text(max_size=40), st.sampled_from(["meta", "title", "body", "value", ""]), st.integers(0, 2**40))
def test_the_fast_record_path_never_differs(record_id, field, revision):
    """record() is only a faster spelling of build(): equal on every input."""
    prefix = ad_prefix(VAULT_ID, "entries")
    assert prefix.record(record_id, field, revision) == associated_data(
        VAULT_ID, "entries", record_id, field, revision
    )


def test_every_path_yields_the_builders_bytes():
    """Entries (sealing and the search loop), documents, pages, key slots, chunked files and signed
    packs all build their associated data through the one builder, byte for byte."""
    from purpose_app.crypto import chunked, keyslots
    from purpose_app.packs import signing
    from purpose_app.storage.documents import DocumentRepository
    from purpose_app.storage.pages import PageStore
    from purpose_app.storage.repository import EntryRepository

    sealer = Sealer(KEY)
    pages = PageStore(None, sealer, VAULT_ID)
    entries = EntryRepository(None, sealer, VAULT_ID, pages)
    documents = DocumentRepository(None, sealer, VAULT_ID)
    for field in ("meta", "title", "body"):
        assert entries._ad("id-1", field, 3) == associated_data(VAULT_ID, "entries", "id-1", field, 3)
    assert entries._ad_prefix.record_fields("id-1", 3, "title", "body") == (
        associated_data(VAULT_ID, "entries", "id-1", "title", 3),
        associated_data(VAULT_ID, "entries", "id-1", "body", 3),
    )
    assert documents._ad("row-1", 4) == associated_data(VAULT_ID, "documents", "row-1", "value", 4)
    assert pages._ad(9) == associated_data(VAULT_ID, "entry_pages", 9)
    header, params = b"header bytes", b'{"format":1}'
    assert keyslots._ad(header, "passphrase", params) == associated_data(
        "key-slot", header, "passphrase", params
    )
    digest = bytes(range(32))
    assert chunked._key_check_ad(digest) == associated_data("key-check", digest)
    assert chunked._chunk_ad(digest, 5, chunked.LAST) == associated_data("chunk", digest, 5, 1)
    # A signed pack's message: the same encoding under its own label (known answer: packs signed
    # by earlier releases must keep verifying).
    assert signing._message("Dr A", b"\x01\x02", b"x") == ad_prefix(domain=b"purpose-signed-pack-v1").build(
        "Dr A", b"\x01\x02", b"x"
    )
    assert signing._message("Dr A", b"\x01\x02", b"x") == bytes.fromhex(
        "707572706f73652d7369676e65642d7061636b2d763100000004447220410000000201020000000178"
    )
