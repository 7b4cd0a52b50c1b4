"""Locks that always lock: after the browser's connection drops and comes back, any number of times."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import MadeVault
from own_loop import run_to_end
from test_screens import RecordingConnection, Tab

from purpose_app.ui.screens import today


@pytest.fixture
def tab(made_vault: MadeVault, monkeypatch: pytest.MonkeyPatch) -> Iterator[Tab]:
    monkeypatch.setattr(today, "DRAFT_DELAY_SECONDS", 3600)
    opened = Tab(made_vault.folder)
    yield opened
    opened.close()


def _disconnect(tab: Tab) -> None:
    run_to_end(tab.flet.disconnect(session_timeout_seconds=3600))


def _reconnect(tab: Tab) -> None:
    tab.conn = RecordingConnection()
    run_to_end(tab.flet.connect(tab.conn))


def _drop_and_reconnect(tab: Tab) -> None:
    """What Flet's server does when the client's socket closes, then when the client registers again."""
    _disconnect(tab)
    _reconnect(tab)


def _journal_on_screen(tab: Tab) -> bool:
    return tab.has_button("Save entry")


def test_lock_and_ctrl_l_still_lock_after_reconnects(tab: Tab) -> None:
    """Unlock, drop and reconnect three times, unlock again: Lock, then Ctrl+L, put the unlock screen back."""
    for _round in range(3):
        tab.unlock()
        assert tab.session.unlocked and _journal_on_screen(tab)
        _drop_and_reconnect(tab)
        assert tab.session.unlocked and _journal_on_screen(tab)  # a blip is not a lock
        tab.click("Lock")
        assert not tab.session.unlocked
        assert tab.has_button("Unlock") and not _journal_on_screen(tab)
    tab.unlock()
    _drop_and_reconnect(tab)
    tab.app._on_key(type("Key", (), {"ctrl": True, "meta": False, "key": "l"})())
    assert not tab.session.unlocked and tab.has_button("Unlock") and not _journal_on_screen(tab)


def test_auto_lock_while_disconnected_shows_locked_on_return(tab: Tab) -> None:
    """Idle time runs out while the laptop sleeps: the watch locks, and the returning page shows it."""
    tab.unlock()
    _disconnect(tab)
    tab.session.last_activity -= 60 * 60  # an hour idle
    assert tab.session.idle_expired()
    tab.app.lock()  # what the idle watch does when it sees the time is up
    assert not tab.session.unlocked
    _reconnect(tab)
    assert tab.has_button("Unlock") and not _journal_on_screen(tab)
    assert tab.conn.sent  # the returning client was sent the locked page


def test_the_idle_watch_keeps_running_through_a_disconnect(tab: Tab) -> None:
    """The watch loop stops only when Flet closes the session for good, not on a dropped connection."""
    tab.unlock()
    _disconnect(tab)
    assert not tab.app._closed
    tab.app._on_close(None)
    assert tab.app._closed and not tab.session.unlocked
