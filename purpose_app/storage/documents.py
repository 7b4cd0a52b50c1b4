"""Documents in and out of SQLite, sealed at this boundary: small JSON records keyed by (kind, name).

The kind and name are sealed with the data, so a reader of the file cannot tell a pack from a "why".
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from purpose_app.crypto.envelope import Sealer, SealError, ad_prefix
from purpose_app.storage.repository import Damage
from purpose_app.storage.schema import documents

TABLE = "documents"


@dataclass(frozen=True, slots=True)
class Document:
    row_id: str
    revision: int
    kind: str
    name: str
    data: Any


class DocumentRepository:
    def __init__(self, conn: Connection, sealer: Sealer, vault_id: str) -> None:
        self._conn = conn
        self._sealer = sealer
        self._ad_prefix = ad_prefix(vault_id, TABLE)

    def _ad(self, row_id: str, revision: int) -> bytes:
        return self._ad_prefix.record(row_id, "value", revision)

    def _seal(self, doc: Document) -> bytes:
        plain = json.dumps(
            {"k": doc.kind, "n": doc.name, "d": doc.data}, ensure_ascii=False, separators=(",", ":")
        )
        return self._sealer.seal(plain.encode("utf-8"), self._ad(doc.row_id, doc.revision))

    def all(self) -> Iterator[Document | Damage]:
        rows = self._conn.execute(select(documents.c.id, documents.c.revision, documents.c.value)).all()
        for row_id, revision, blob in rows:
            try:
                raw = json.loads(self._sealer.open(blob, self._ad(row_id, revision)).decode("utf-8"))
                yield Document(row_id, revision, str(raw["k"]), str(raw["n"]), raw["d"])
            except (SealError, ValueError, KeyError, TypeError):
                yield Damage(row_id, "document")

    def insert(self, kind: str, name: str, data: Any) -> Document:
        doc = Document(str(uuid.uuid4()), 1, kind, name, data)
        self._conn.execute(insert(documents).values(id=doc.row_id, revision=1, value=self._seal(doc)))
        return doc

    def replace(self, previous: Document, data: Any) -> Document | None:
        doc = Document(previous.row_id, previous.revision + 1, previous.kind, previous.name, data)
        result = self._conn.execute(
            update(documents)
            .where(documents.c.id == doc.row_id, documents.c.revision == previous.revision)
            .values(revision=doc.revision, value=self._seal(doc))
        )
        return doc if result.rowcount == 1 else None

    def delete(self, doc: Document) -> None:
        self._conn.execute(delete(documents).where(documents.c.id == doc.row_id))
