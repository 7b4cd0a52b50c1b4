"""Typing and saving in Today: one debounced draft save per pause, no whole-page redraw per keystroke,
and the facts Today keeps stay current after a save."""

from __future__ import annotations

import contextvars
import threading
import time
from collections.abc import Iterator

import flet as ft
import pytest
from conftest import MadeVault
from test_screens import Tab

from purpose_app.services import today_facts
from purpose_app.ui.debounce import Debounce
from purpose_app.ui.screens import today


def test_debounce_runs_once_after_the_last_poke() -> None:
    """Many quick pokes run the action once, after the pause, on a single worker thread."""
    ran: list[float] = []
    done = threading.Event()
    debounce = Debounce(lambda: (ran.append(time.monotonic()), done.set()), lambda: 0.15)
    before = threading.active_count()
    last = 0.0
    for _ in range(20):
        debounce.poke()
        last = time.monotonic()
        assert threading.active_count() <= before + 1
        time.sleep(0.005)
    assert done.wait(2)
    assert len(ran) == 1
    assert ran[0] - last >= 0.14
    time.sleep(0.05)
    assert not debounce.pending


def test_debounce_cancel_stops_the_pending_run() -> None:
    """A cancelled debounce does not run, and a later poke runs again."""
    ran: list[int] = []
    debounce = Debounce(lambda: ran.append(1), lambda: 0.05)
    debounce.poke()
    debounce.cancel()
    time.sleep(0.2)
    assert ran == []
    debounce.poke()
    time.sleep(0.3)
    assert ran == [1]


@pytest.fixture
def tab(made_vault: MadeVault, monkeypatch: pytest.MonkeyPatch) -> Iterator[Tab]:
    """One unlocked tab with a short draft delay, so the debounced draft save really fires."""
    monkeypatch.setattr(today, "DRAFT_DELAY_SECONDS", 0.1)
    opened = Tab(made_vault.folder)
    opened.unlock()
    yield opened
    opened.close()


def test_typing_keeps_a_draft_after_the_pause(tab: Tab) -> None:
    """Words typed in the editor reach the vault as a sealed draft once typing pauses."""
    for text in ("The", "The night", "The night was long"):
        tab.type_into("Write your reflection", text)
    deadline = time.monotonic() + 5
    draft = None
    while time.monotonic() < deadline:
        draft = tab.session.require().document("draft", "today")
        if draft and draft.get("body") == "The night was long":
            break
        time.sleep(0.05)
    assert draft is not None and draft.get("body") == "The night was long"


def test_a_keystroke_event_turns_off_the_whole_page_redraw(tab: Tab) -> None:
    """A real on_change event leaves auto-update off for that handler only; the editor still follows."""
    field = tab.field("Write your reflection")
    field.value = "Quiet words"
    assert field.on_change is not None
    handler = field.on_change

    def in_handler_context() -> bool:
        ft.context.reset_auto_update()  # what Flet does before each event handler
        handler(ft.Event(name="change", control=field))
        return ft.context.auto_update_enabled()

    assert contextvars.copy_context().run(in_handler_context) is False
    assert ft.context.auto_update_enabled()  # outside that handler, nothing changed
    screen = tab.app._typed("Today", today.TodayScreen)
    assert screen.model.editor.body == "Quiet words"


def test_an_entry_saved_in_today_keeps_the_facts_current_at_lock(made_vault: MadeVault) -> None:
    """Save entry, then Lock: Today's kept facts include the new entry, so the next unlock reads
    them without decrypting every entry's metadata."""
    tab = Tab(made_vault.folder)
    try:
        tab.unlock()
        tab.type_into("Write your reflection", "A calm handover.")
        tab.click("Save entry")
        saved = tab.session.require().entries()[0]
        tab.app.lock()
        assert not tab.session.unlocked
    finally:
        tab.close()
    vault = made_vault.open()
    try:
        stamps = vault.stamps()
        kept = today_facts._decode(vault.document(today_facts.KIND, today_facts.NAME))
        assert kept is not None
        assert kept.fingerprint == (len(stamps), sum(stamps.values()))
        assert saved.id in stamps
    finally:
        vault.lock()
