"""Reads of entry rows that need no index of the journal (sync's change marker and a few whole entries),
mixed into the Vault, which holds the lock, the open file and the cache they read through."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

from purpose_app.domain.entry import Entry
from purpose_app.services.journal_cache import JournalCache
from purpose_app.storage import database
from purpose_app.storage.vault_file import OpenedFile


class RowReads:
    """Mixed into Vault (journal.py): the attributes below are the Vault's."""

    _guard: threading.RLock
    _cache: JournalCache

    def _live(self) -> OpenedFile:
        raise NotImplementedError  # the Vault's

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        """No other thread reads or writes this journal while the block runs, so a read, a change and
        its write are one step (a sync on the app's worker thread against a save in the app)."""
        with self._guard:
            yield

    def stamps(self) -> dict[str, int]:
        """Entry id -> its row's stamp, new at every write (nothing decrypted): sync's change marker."""
        with self._guard, database.reading(self._live().conn):
            return self._cache.repo.stamps()

    def stamp_total(self) -> tuple[int, int]:
        """The number of entry rows and the sum of their stamps: changes with any write of a row."""
        with self._guard, database.reading(self._live().conn):
            return self._cache.repo.stamp_total()

    def whole(self, ids: list[str]) -> list[Entry]:
        """These entries with every field, from their rows alone (no index read); damaged ones left out."""
        with self._guard, database.reading(self._live().conn):
            return [e for e in self._cache.repo.complete(ids) if isinstance(e, Entry)]
