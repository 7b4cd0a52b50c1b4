"""Ids for imported entries: keyed by the vault, so the id never reveals what the entry says.

An importer names each entry by its source's stable identity (a Day One UUID, jrnl's uuid, or a
digest of date, title and body). Stored as it was, that identity is in the clear in the database
and stays in `tombstones` after a deletion, so anyone holding the file could confirm a guessed short
entry. Stored instead: HMAC-SHA256 under a key derived from the vault's data key, shaped as a UUID.
The same file imported twice into one vault (or into its synced copies, which share the key) gets
the same ids, so a re-import still skips what is there; two vaults share no ids.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid

SUBKEY_PURPOSE = "import-ids"  # keys.subkey(data_key, SUBKEY_PURPOSE)


def keyed_id(key: bytes, source_identity: str) -> str:
    digest = hmac.new(key, b"purpose/import-id/v1\x00" + source_identity.encode("utf-8"), hashlib.sha256)
    return str(uuid.UUID(bytes=digest.digest()[:16], version=4))
