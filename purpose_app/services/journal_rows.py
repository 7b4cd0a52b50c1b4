"""Reads of entry rows that need no index of the journal (sync's change marker and a few whole entries),
the search's warm-up and the WAL's checkpoint: mixed into the Vault, which holds the lock, the open
file and the cache they work through."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

from sqlalchemy.exc import DBAPIError

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

    def _refresh(self) -> None:
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

    def stamp_groups(self, width: int) -> dict[str, tuple[int, int]]:
        """Per group of entry ids (their first `width` characters): the rows' count and stamps' sum."""
        with self._guard, database.reading(self._live().conn):
            return self._cache.repo.stamp_groups(width)

    def ids_in_groups(self, groups: set[str], width: int) -> set[str]:
        """The ids of the entries in these groups (nothing decrypted)."""
        with self._guard, database.reading(self._live().conn):
            return self._cache.repo.ids_in_groups(groups, width)

    def present(self, ids: set[str]) -> set[str]:
        """Which of these entry ids have a row here (nothing decrypted)."""
        with self._guard, database.reading(self._live().conn):
            return self._cache.repo.present(ids)

    def whole(self, ids: list[str]) -> list[Entry]:
        """These entries with every field, from their rows alone (no index read); damaged ones left out."""
        with self._guard, database.reading(self._live().conn):
            return [e for e in self._cache.repo.complete(ids) if isinstance(e, Entry)]

    def prepare_search(self) -> None:
        """Read and fold what a text search looks in now (as a search field gets focus), so the first
        words typed are searched at once; what a first text search would otherwise do, no more."""
        with self._guard:
            self._refresh()
            self._cache.load_texts()

    def checkpoint(self) -> None:
        """Fold the WAL into the vault file through our own connection, so the file alone holds every
        entry. Done through another connection it would count as someone else's change and throw away
        everything decrypted (a full re-read of a 50,000-entry journal, about 0.4 s)."""
        with self._guard:
            conn = self._live().conn
            with contextlib.suppress(DBAPIError):  # best effort: the next one, or lock, folds it in
                database.checkpoint(conn)
