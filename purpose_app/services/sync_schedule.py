"""When the app syncs by itself: a pure policy over a clock the caller passes in (no I/O, no threads).

Once a folder is chosen and while the journal is unlocked, a sync is due: at unlock; SAVE_DELAY
seconds after the last save (a burst of saves is one sync, not one each); and every PERIOD seconds.
Never while locked, never with no folder, and never two at once: start() claims the one slot, under a
lock, so "Sync now" and the automatic sync cannot both run; finish() frees it.
"""

from __future__ import annotations

import threading
from typing import Literal

SAVE_DELAY = 8.0  # seconds after the last save: long enough for a burst of edits to settle
PERIOD = 300.0  # seconds between syncs while the app is open: another device's changes arrive
Reason = Literal["unlock", "save", "periodic", "now"]


class SyncSchedule:
    def __init__(self, save_delay: float = SAVE_DELAY, period: float = PERIOD) -> None:
        self.save_delay = save_delay
        self.period = period
        self.enabled = False  # a folder is chosen on this device
        self.unlocked = False
        self.running = False
        self._unlock_due = False
        self._saved_at: float | None = None  # the last save not yet synced
        self._last: float | None = None  # when the last sync started
        self._slot = threading.Lock()

    # -- what happened

    def on_unlock(self, now: float) -> None:
        self.unlocked = True
        self._unlock_due = True
        self._last = now  # the periodic count starts here

    def on_lock(self) -> None:
        self.unlocked = False
        self._unlock_due = False
        self._saved_at = None

    def on_save(self, now: float) -> None:
        if self.unlocked:
            self._saved_at = now  # each save moves the moment on: debounced

    # -- deciding

    def due(self, now: float) -> Reason | None:
        """Why a sync should start now, or None."""
        if not (self.enabled and self.unlocked) or self.running:
            return None
        if self._unlock_due:
            return "unlock"
        if self._saved_at is not None and now - self._saved_at >= self.save_delay:
            return "save"
        if self._last is not None and now - self._last >= self.period:
            return "periodic"
        return None

    def start(self, now: float, *, asked: bool = False) -> Reason | None:
        """Claim the slot if a sync is due (or `asked`: "Sync now"); the reason, or None when one is
        running already, the journal is locked, or nothing is due."""
        with self._slot:
            if asked and self.enabled and self.unlocked and not self.running:
                reason: Reason | None = "now"
            else:
                reason = self.due(now)
            if reason is None:
                return None
            self.running = True
            self._unlock_due = False
            # A save after this moment is not in this sync: its own sync stays due.
            if self._saved_at is not None and self._saved_at <= now:
                self._saved_at = None
            self._last = now
            return reason

    def finish(self) -> None:
        with self._slot:
            self.running = False
