"""Sync, in the app: this device's folder, "Sync now", the automatic sync and its status line. No flet.

One SyncModel per page (the App owns it), so the status outlives the Sync page being shown. The sync
itself runs on a worker thread (asyncio.to_thread): a long first sync never freezes the screen, and a
failure only changes the status line, never what the person is writing.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from purpose_app.domain import clock
from purpose_app.errors import InvalidInput, PurposeError
from purpose_app.services import sync, sync_join, sync_setting
from purpose_app.services.session import Session
from purpose_app.services.sync_schedule import Reason, SyncSchedule
from purpose_app.ui.data_model import merge_words
from purpose_app.ui.words import plural

STOPPED_BY_LOCK = "Sync stopped when the journal locked. It goes on after you unlock."


def folder_unreachable(detail: str) -> str:
    return (
        f"Purpose could not reach the sync folder ({detail[:80]}). Your journal here is safe. Check that "
        "the folder is still there (a drive unplugged? the sync app stopped?), then tap Sync now."
    )


def unexpected(detail: str) -> str:
    return (
        f"Sync did not finish ({detail[:80]}). Your journal here is safe and nothing was lost; it will "
        "try again in a few minutes."
    )


def ago(then: datetime, now: datetime) -> str:
    """ "just now", "2 minutes ago", "3 hours ago", "yesterday", "4 days ago"."""
    seconds = max(0, int((now - then).total_seconds()))
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return plural(seconds // 60, "minute") + " ago"
    if seconds < 86400:
        return plural(seconds // 3600, "hour") + " ago"
    days = seconds // 86400
    return "yesterday" if days == 1 else f"{days:,} days ago"


@dataclass
class SyncStatus:
    """What the last sync did, as the status line tells it."""

    finished: datetime | None = None  # the last sync that ran to its end
    report: sync.SyncReport | None = None
    devices: int = 0  # other devices with change files in the folder
    error: str | None = None  # the last try's problem, in plain words (None: it went well)
    running: bool = False
    reason: Reason | None = None


def report_words(report: sync.SyncReport) -> list[str]:
    """What one sync sent, received and skipped, in plain words."""
    if report.sent:
        sent = f"Sent {plural(report.sent_entries, 'entry', 'entries')}"
        if report.sent_deletions:
            sent += f" and {plural(report.sent_deletions, 'deletion')}"
    else:
        sent = "Nothing new to send"
    if report.received:
        received = f"received {merge_words(report.outcome)}"
    else:
        received = "nothing new from your other devices"
    lines = [f"{sent}; {received}."]
    lines += [f"Skipped {s.file}: {s.reason}. It will be tried again next time." for s in report.skipped]
    return lines


@dataclass
class SyncModel:
    """This device's sync: the folder, the schedule, the last result."""

    session: Session
    monotonic: Callable[[], float] = time.monotonic
    wall: Callable[[], datetime] = clock.now
    schedule: SyncSchedule = field(default_factory=SyncSchedule)
    status: SyncStatus = field(default_factory=SyncStatus)
    listeners: list[Callable[[], None]] = field(default_factory=list)  # the Sync page, when shown
    _marker: tuple[int, ...] = ()

    # -- the folder

    def folder(self) -> Path | None:
        return sync_setting.chosen_folder(self.session.require())

    def choose(self, text: str) -> Path:
        """Check and keep this device's folder. Raises InvalidInput with the reason, keeping the old one."""
        chosen = sync_setting.choose_folder(self.session.require(), text)
        self.schedule.enabled = True
        self.status = SyncStatus()  # the last status was about another folder
        return chosen

    def turn_off(self) -> None:
        sync_setting.turn_off(self.session.require())
        self.schedule.enabled = False
        self.status = SyncStatus()

    # -- the app's events

    def on_unlock(self) -> None:
        self.schedule.enabled = self.folder() is not None
        self.schedule.on_unlock(self.monotonic())
        self._marker = sync_setting.changes_marker(self.session.folder)

    def on_lock(self) -> None:
        self.schedule.on_lock()

    def notice_saves(self) -> None:
        """A write to the journal's file since the last look counts as a save (the sync's own writes
        are not looked at: the mark is taken again after each sync)."""
        if self.schedule.running or not self.session.unlocked:
            return
        marker = sync_setting.changes_marker(self.session.folder)
        if marker != self._marker:
            self._marker = marker
            self.schedule.on_save(self.monotonic())

    def poll(self) -> Reason | None:
        """Called every few seconds by the app: claims the one sync slot if a sync is due (the caller
        then runs `run(reason)`), else None."""
        self.notice_saves()
        return self.schedule.start(self.monotonic())

    async def sync_now(self) -> bool:
        """ "Sync now": False if one is running already (or sync is off, or locked)."""
        reason = self.schedule.start(self.monotonic(), asked=True)
        if reason is None:
            return False
        await self.run(reason)
        return True

    # -- one sync

    async def run(self, reason: Reason) -> None:
        """One sync, on a worker thread, for a slot claimed by poll() or sync_now()."""
        self.status.running, self.status.reason = True, reason
        self._tell()
        try:
            await asyncio.to_thread(self._sync)
        finally:
            self.status.running = False
            if self.session.unlocked:
                self._marker = sync_setting.changes_marker(self.session.folder)
            self.schedule.finish()
            self._tell()

    def _sync(self) -> None:
        try:
            opened = self.session.require()
            folder = sync_setting.chosen_folder(opened)
            if folder is None:
                return
            report = sync.sync(opened, folder)
        except PurposeError as exc:
            self.status.error = exc.message if self.session.unlocked else STOPPED_BY_LOCK
        except OSError as exc:
            self.status.error = folder_unreachable(exc.strerror or str(exc))
        except Exception as exc:  # a background sync must never take the app down
            self.status.error = unexpected(type(exc).__name__)
        else:
            self.status.report, self.status.error = report, None
            self.status.finished = self.wall()
            self.status.devices = sync_setting.devices_seen(folder, report.device)

    def _tell(self) -> None:
        for listener in list(self.listeners):
            listener()

    # -- the status line

    def status_lines(self, now: datetime | None = None) -> list[str]:
        status, now = self.status, now or self.wall()
        lines: list[str] = []
        if status.running:
            lines.append("Syncing… your journal stays open for writing meanwhile.")
        if status.finished is None:
            lines.append("Not synced yet on this device.")
        else:
            seen = plural(status.devices, "other device")
            lines.append(f"Last sync {ago(status.finished, now)} · {seen} seen in the folder.")
        if status.report is not None:
            lines += report_words(status.report)
        return lines


def join_here(session: Session, folder_text: str, passphrase: str) -> str:
    """A new device joins the journal in the sync folder with its passphrase: the vault is made here,
    synced, unlocked in `session`, and this folder becomes this device's sync folder. The new vault's
    recovery key, to show once. Raises PurposeError, leaving no vault behind (sync_join.py)."""
    if not folder_text.strip():
        raise InvalidInput(sync_setting.no_folder_typed())
    if not passphrase:
        raise InvalidInput("Type the passphrase you use on your other device.")
    folder = Path(folder_text.strip()).expanduser().absolute()
    joined = sync_join.join(
        folder, passphrase, session.folder, allow_synced=session.allow_synced, throttle=session.throttle
    )
    with contextlib.suppress(PurposeError):  # joined all the same: the folder can be chosen later
        sync_setting.choose_folder(joined.vault, str(folder))
    session.vault = joined.vault
    session.touch()
    return joined.recovery_key
