"""The unlocked journal's documents: small sealed JSON records keyed by (kind, name), for everything
that is not an entry (my why, settings, drafts, self-check results), read once and kept until lock."""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from contextlib import nullcontext

from sqlalchemy import Connection

from purpose_app import messages
from purpose_app.domain.json_value import JsonValue
from purpose_app.errors import PurposeError, VaultLocked
from purpose_app.services.journal_cache import LOCKED
from purpose_app.storage import database
from purpose_app.storage.documents import Document, DocumentRepository
from purpose_app.storage.repository import Damage

DocumentKey = tuple[str, str]  # (kind, name)


def copy_json(value: JsonValue) -> JsonValue:
    """A deep copy of JSON-shaped data, a few times faster than copy.deepcopy (no memo: JSON has no
    shared or cyclic parts); the sync state of a 50,000-entry journal is copied on every sync."""
    if isinstance(value, dict):
        return {k: v if isinstance(v, str) else copy_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [v if isinstance(v, str) else copy_json(v) for v in value]
    return copy.deepcopy(value) if isinstance(value, tuple) else value


class DocumentStore:
    """The documents as last read or written. Not thread-safe on its own: the Vault holds its lock
    around every call, and opens the write transactions the `store`/`remove` calls run in."""

    def __init__(self, conn: Connection, repo: DocumentRepository) -> None:
        self._conn: Connection | None = conn
        self._repo: DocumentRepository | None = repo
        self._loaded: dict[DocumentKey, Document] | None = None  # read on first use
        self.damaged = 0

    @property
    def _live(self) -> DocumentRepository:
        if self._repo is None:
            raise VaultLocked(LOCKED)
        return self._repo

    def clear(self) -> None:
        """Forget what was read; read again on first use."""
        self._loaded = None

    def close(self) -> None:
        """Forget everything and let go of the repository (and so of its key)."""
        self._loaded = None
        self._conn = self._repo = None

    def _docs(self) -> dict[DocumentKey, Document]:
        if self._loaded is None:
            repo, conn = self._live, self._conn
            assert conn is not None
            loaded: dict[DocumentKey, Document] = {}
            self.damaged = 0
            # Inside a write transaction (a first store), read within it: it is as consistent.
            with nullcontext() if conn.in_transaction() else database.reading(conn):
                for doc in repo.all():
                    if isinstance(doc, Damage):
                        self.damaged += 1  # left out; the rest keep working
                    else:
                        loaded[(doc.kind, doc.name)] = doc
            self._loaded = loaded
        return self._loaded

    # -- reading: copies, so changing them changes nothing

    def get(self, kind: str, name: str, default: JsonValue = None) -> JsonValue:
        doc = self._docs().get((kind, name))
        return copy_json(doc.data) if doc is not None else default

    def of_kind(self, kind: str) -> dict[str, JsonValue]:
        return {name: copy_json(d.data) for (k, name), d in self._docs().items() if k == kind}

    def all(self) -> dict[DocumentKey, JsonValue]:
        return {key: copy_json(d.data) for key, d in self._docs().items()}

    def has(self, kind: str, name: str) -> bool:
        return (kind, name) in self._docs()

    def load(self) -> None:
        """Read the documents now (before a write transaction that stores some)."""
        self._docs()

    # -- writing: inside the caller's write transaction; `applied` after its commit

    def store(self, kind: str, name: str, data: JsonValue) -> Document:
        """Insert or replace one document. The cache changes only through `applied`."""
        previous = self._docs().get((kind, name))
        if previous is None:
            return self._live.insert(kind, name, data)
        replaced = self._live.replace(previous, data)
        if replaced is None:
            raise PurposeError(messages.record_changed_elsewhere())
        return replaced

    def remove(self, kind: str, name: str) -> bool:
        """Delete one document; False when there is none. The cache changes only through `applied`."""
        previous = self._docs().get((kind, name))
        if previous is None:
            return False
        self._live.delete(previous)
        return True

    def applied(self, stored: Sequence[Document], removed: Sequence[DocumentKey] = ()) -> None:
        """After the commit: the cache as the file now is (if not read yet, it is read with them)."""
        docs = self._loaded
        if docs is None:
            return
        for doc in stored:
            docs[(doc.kind, doc.name)] = doc
        for key in removed:
            docs.pop(key, None)

    def stored_all(self, documents: Mapping[DocumentKey, JsonValue]) -> list[Document]:
        """Store several documents (inside the caller's write transaction)."""
        return [self.store(kind, name, data) for (kind, name), data in documents.items()]
