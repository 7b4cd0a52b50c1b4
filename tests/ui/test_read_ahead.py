"""After unlock, Today is drawn without reading every entry; the journal's index is read right after,
in the background, so Journal and Trends do not wait for it."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from conftest import MadeVault
from own_loop import run_to_end
from test_screens import PHONE, Tab

from purpose_app.domain.entry import EntryChanges
from purpose_app.ui.screens import today


@pytest.fixture
def open_tab(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[MadeVault], Tab]]:
    """Phone-sized tabs on a vault, closed after the test; the draft timer does not fire mid-test."""
    monkeypatch.setattr(today, "DRAFT_DELAY_SECONDS", 3600)
    opened: list[Tab] = []

    def make(made: MadeVault) -> Tab:
        opened.append(Tab(made.folder, PHONE))
        return opened[-1]

    yield make
    for tab in opened:
        tab.close()


def _read_ahead(tab: Tab) -> Callable[[], object]:
    found = [task for task in tab.tasks if getattr(task, "__name__", "") == "_read_ahead"]
    assert len(found) == 1, [getattr(t, "__name__", t) for t in tab.tasks]
    return found[0]


def test_today_is_drawn_without_the_index_which_is_read_right_after(
    made_vault: MadeVault, open_tab: Callable[[MadeVault], Tab]
) -> None:
    """Unlocking draws Today from its kept facts (the index unread: the facts were kept by the unlock
    before), and queues the read of the index; once it ran, Journal lists the entries."""
    with made_vault.open() as vault:
        for day in range(3):
            vault.add(EntryChanges(title=f"entry {day}", energy=5))
    tab = open_tab(made_vault)
    tab.unlock()
    tab.app.lock()
    tab.tasks.clear()
    tab.unlock()
    assert tab.shown("Quick check-in")
    cache = tab.session.require()._cache
    assert not cache.loaded
    run_to_end(_read_ahead(tab)())  # type: ignore[arg-type]
    assert cache.loaded and len(cache.entries) == 3
    tab.app.go("Journal")
    assert tab.shown("entry 2")


def test_a_lock_before_the_read_ahead_leaves_nothing_read(
    made_vault: MadeVault, open_tab: Callable[[MadeVault], Tab]
) -> None:
    """Locked before the background read ran: it does nothing, says nothing, and the vault stays locked."""
    tab = open_tab(made_vault)
    tab.unlock()
    read_ahead = _read_ahead(tab)
    tab.app.lock()
    run_to_end(read_ahead())  # type: ignore[arg-type]
    assert not tab.session.unlocked
    assert tab.shown("Welcome back")
