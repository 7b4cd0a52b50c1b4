"""One write transaction over the unlocked journal's entries and documents: all of it or none."""

from __future__ import annotations

from datetime import datetime

from purpose_app.domain import clock
from purpose_app.domain.entry import Entry, EntryChanges, new_entry
from purpose_app.domain.json_value import JsonValue
from purpose_app.services.journal_documents import DocumentKey, DocumentStore
from purpose_app.storage.documents import Document
from purpose_app.storage.repository import EntryRepository


class Transaction:
    """What one `Vault.transaction()` writes: committed together when the block ends, or not at all."""

    def __init__(self, repo: EntryRepository, docs: DocumentStore) -> None:
        self._repo: EntryRepository | None = repo
        self._docs: DocumentStore | None = docs
        self.added: list[Entry] = []
        self.stored: list[Document] = []
        self.removed: list[DocumentKey] = []

    def end(self) -> None:
        """The block is over: a Transaction kept beyond it must not write outside a transaction (nor
        keep the sealers alive after lock)."""
        self._repo = self._docs = None

    def _live(self) -> tuple[EntryRepository, DocumentStore]:
        if self._repo is None or self._docs is None:
            raise RuntimeError("this transaction has ended")
        return self._repo, self._docs

    def insert(self, entry: Entry) -> None:
        """Store an entry made already (by new_entry: checked before the transaction began)."""
        self._live()[0].insert(entry)
        self.added.append(entry)

    def add(self, changes: EntryChanges, now: datetime | None = None) -> Entry:
        entry = new_entry(changes, now or clock.now())
        self.insert(entry)
        return entry

    def put_document(self, kind: str, name: str, data: JsonValue) -> None:
        self.stored.append(self._live()[1].store(kind, name, data))

    def delete_document(self, kind: str, name: str) -> bool:
        if not self._live()[1].remove(kind, name):
            return False
        self.removed.append((kind, name))
        return True
