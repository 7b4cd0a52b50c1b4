"""The automatic sync's timing policy, on a fake clock: when a sync is due, and when it never is."""

from __future__ import annotations

import threading

from purpose_app.services.sync_schedule import SyncSchedule

DELAY, PERIOD = 8.0, 300.0


def _ready(now: float = 0.0) -> SyncSchedule:
    """A folder chosen and the journal unlocked at `now`, the unlock's sync already run."""
    schedule = SyncSchedule(save_delay=DELAY, period=PERIOD)
    schedule.enabled = True
    schedule.on_unlock(now)
    assert schedule.start(now) == "unlock"
    schedule.finish()
    return schedule


def test_a_sync_is_due_at_unlock_once() -> None:
    """Unlocking makes a sync due at once; after it ran, nothing is due until something happens."""
    schedule = SyncSchedule(save_delay=DELAY, period=PERIOD)
    schedule.enabled = True
    schedule.on_unlock(100.0)
    assert schedule.due(100.0) == "unlock"
    assert schedule.start(100.0) == "unlock"
    schedule.finish()
    assert schedule.due(101.0) is None


def test_a_save_is_synced_after_the_delay_and_a_burst_is_one_sync() -> None:
    """Saves at 10, 14 and 17 s: nothing due until 8 s after the last one, then one sync, then none."""
    schedule = _ready()
    for moment in (10.0, 14.0, 17.0):
        schedule.on_save(moment)
        assert schedule.due(moment + DELAY - 0.5) is None
    assert schedule.due(24.9) is None
    assert schedule.start(25.0) == "save"
    schedule.finish()
    assert schedule.due(40.0) is None


def test_a_sync_comes_every_few_minutes_while_unlocked() -> None:
    """With nothing saved, the next sync is due PERIOD seconds after the last one started."""
    schedule = _ready(0.0)
    assert schedule.due(PERIOD - 1) is None
    assert schedule.start(PERIOD) == "periodic"
    schedule.finish()
    assert schedule.due(PERIOD + 1) is None
    assert schedule.due(2 * PERIOD) == "periodic"


def test_nothing_is_due_while_locked_even_sync_now() -> None:
    """Locked: saves, time passing and "Sync now" start nothing; unlocking again makes one due."""
    schedule = _ready()
    schedule.on_save(5.0)
    schedule.on_lock()
    schedule.on_save(6.0)  # e.g. another tab, seen while this one is locked
    for moment in (20.0, PERIOD * 3):
        assert schedule.due(moment) is None
        assert schedule.start(moment) is None
    assert schedule.start(PERIOD * 3, asked=True) is None
    schedule.on_unlock(PERIOD * 4)
    assert schedule.start(PERIOD * 4) == "unlock"


def test_nothing_is_due_without_a_folder() -> None:
    """Sync off on this device: neither unlock, saves, time nor "Sync now" start one."""
    schedule = SyncSchedule(save_delay=DELAY, period=PERIOD)
    schedule.on_unlock(0.0)
    schedule.on_save(1.0)
    assert schedule.due(PERIOD * 2) is None
    assert schedule.start(PERIOD * 2, asked=True) is None


def test_never_two_at_once() -> None:
    """While one runs, nothing else starts (not even "Sync now"); a save made meanwhile is due after."""
    schedule = _ready()
    schedule.on_save(1.0)
    assert schedule.start(10.0) == "save"
    schedule.on_save(12.0)  # written during the sync: not in it
    assert schedule.due(30.0) is None
    assert schedule.start(30.0, asked=True) is None
    assert schedule.start(PERIOD * 2) is None
    schedule.finish()
    assert schedule.start(30.0) == "save"


def test_sync_now_starts_at_once_when_free() -> None:
    """ "Sync now" needs nothing due; it resets the periodic count."""
    schedule = _ready()
    assert schedule.start(50.0, asked=True) == "now"
    schedule.finish()
    assert schedule.due(50.0 + PERIOD - 1) is None
    assert schedule.due(50.0 + PERIOD) == "periodic"


def test_many_threads_claim_the_slot_once() -> None:
    """Eight threads asking at the same moment: exactly one gets to sync."""
    schedule = _ready()
    won: list[str] = []
    barrier = threading.Barrier(8)

    def claim() -> None:
        barrier.wait()
        reason = schedule.start(60.0, asked=True)
        if reason is not None:
            won.append(reason)

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert won == ["now"]
