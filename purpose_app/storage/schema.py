"""Tables of a vault. Every column that holds something a person wrote or rated is a sealed blob.

In the clear, and why: entry ids (random UUIDs, needed to find a row), revisions (needed to bind each
ciphertext to its version and to merge between devices), the vault header and key slot parameters
(needed before anything can be decrypted), and the ids and last revisions of deleted entries
(tombstones, so a deletion reaches other devices). See SECURITY.md.
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, Index, Integer, LargeBinary, MetaData, Table, Text

metadata = MetaData()

# key/value: "header" holds the vault's identity and format version as canonical JSON.
meta = Table(
    "meta",
    metadata,
    Column("key", Text, primary_key=True),
    Column("value", LargeBinary, nullable=False),
)

key_slots = Table(
    "key_slots",
    metadata,
    Column("name", Text, primary_key=True),
    Column("params", LargeBinary, nullable=False),
    Column("wrapped", LargeBinary, nullable=False),
)

entries = Table(
    "entries",
    metadata,
    Column("id", Text, primary_key=True),
    Column("revision", Integer, nullable=False),
    # Compact sealed JSON: created, updated, tags, energy, drains, fuels, shift, prompt. Decrypted for
    # every entry at unlock, so listing and filtering never touch the (larger) bodies.
    Column("meta", LargeBinary, nullable=False),
    Column("title", LargeBinary, nullable=False),
    Column("body", LargeBinary, nullable=False),
    # Random, renewed on every write of the row: a page's copy of the entry is current only while
    # the stamps match. `page` names the page holding that copy (NULL: none). See storage/pages.py.
    Column("stamp", Integer, nullable=False, server_default="0"),
    Column("page", Integer, nullable=True),
    CheckConstraint("revision >= 1", name="revision_positive"),
    Index("entries_paging", "page", "id", "stamp"),  # a page's rows, read from the index alone
    Index("entries_state", "id", "revision"),  # the state digest, summed from the index alone
)

# Sealed pages: the current versions of up to 1,000 entries per blob (a cache of `entries`, never
# the only copy). What the page holds is sealed; the table shows only how many pages there are.
entry_pages = Table(
    "entry_pages",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("value", LargeBinary, nullable=False),
    # Random, renewed on every write of the page and bound into its seal: the state digest
    # (storage/state_digest.py) covers (id, stamp), so an older copy of a page put back is noticed.
    Column("stamp", Integer, nullable=False, server_default="0"),
    Index("entry_pages_state", "id", "stamp"),  # the state digest, summed without reading the pages
    sqlite_autoincrement=True,  # a page id is never reused: "the page that failed" stays that page
)

# Small records that are not entries. What a record is (its kind and name) is sealed inside `value`
# with its data, so the table shows only how many there are. id is random.
documents = Table(
    "documents",
    metadata,
    Column("id", Text, primary_key=True),
    Column("revision", Integer, nullable=False),
    Column("value", LargeBinary, nullable=False),
    CheckConstraint("revision >= 1", name="document_revision_positive"),
)

# Deleted entries: id and the revision it had when deleted. Nothing a person wrote: the row itself is
# gone (secure_delete zeroes it). Lets a deletion travel to other devices and keeps a merge from
# bringing back an old copy.
tombstones = Table(
    "tombstones",
    metadata,
    Column("id", Text, primary_key=True),
    Column("revision", Integer, nullable=False),
    CheckConstraint("revision >= 1", name="tombstone_revision_positive"),
)
