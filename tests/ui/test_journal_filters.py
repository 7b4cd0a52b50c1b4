"""Journal's Tag, Drain and Fuel filters: their choices are counted when the filters are first shown
(not each time Journal opens), and follow entries added, edited or deleted afterwards. And the search
field readies the text search when it gets focus."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime

import flet as ft
import pytest
from conftest import PASSPHRASE, MadeVault
from test_screens import Tab

from purpose_app.domain.entry import EntryChanges
from purpose_app.errors import VaultDamaged
from purpose_app.services.session import Session
from purpose_app.ui.journal_model import JournalModel
from purpose_app.ui.screens import today
from purpose_app.ui.screens.journal import JournalScreen


@pytest.fixture
def tab(made_vault: MadeVault, monkeypatch: pytest.MonkeyPatch) -> Iterator[Tab]:
    monkeypatch.setattr(today, "DRAFT_DELAY_SECONDS", 3600)
    opened = Tab(made_vault.folder)
    opened.unlock()
    yield opened
    opened.close()


def journal(tab: Tab) -> JournalScreen:
    screen = tab.app.screens["Journal"]
    assert isinstance(screen, JournalScreen)
    return screen


def choices(dropdown: ft.Dropdown) -> list[str]:
    return [option.key or "" for option in dropdown.options or []]


def test_label_choices_are_counted_when_the_filters_are_shown(tab: Tab) -> None:
    """Opening Journal leaves the label lists empty; "Filters" fills them, most used first."""
    vault = tab.session.require()
    vault.add(EntryChanges(body="One.", tags=("icu",), drains=("pager",)))
    vault.add(EntryChanges(body="Two.", tags=("family", "icu"), fuels=("tea",)))
    tab.app.go("Journal")
    screen = journal(tab)
    assert [choices(d) for d in (screen.tag, screen.drain, screen.fuel)] == [[""], [""], [""]]
    tab.click("Filters")
    assert choices(screen.tag) == ["", "icu", "family"]
    assert choices(screen.drain) == ["", "pager"]
    assert choices(screen.fuel) == ["", "tea"]


def test_label_choices_follow_new_and_edited_entries(tab: Tab) -> None:
    """An entry written on Today, or edited in the entry window, is in the lists the next time they
    are in sight; a label chosen earlier stays offered and spoken after no entry holds it."""
    vault = tab.session.require()
    first = vault.add(EntryChanges(body="First.", tags=("icu",)))
    tab.app.go("Journal")
    tab.click("Filters")
    assert choices(journal(tab).tag) == ["", "icu"]
    tab.app.go("Today")
    vault.add(EntryChanges(body="Second.", drains=("charting",)))
    tab.app.go("Journal")
    screen = journal(tab)
    assert choices(screen.drain) == ["", "charting"]
    screen.tag.value = "icu"
    screen.tag.on_select(None)  # type: ignore[misc]  # the named wrapper's handler ignores the event
    assert tab.has_button("Filters (1)")
    next(c for c in tab.controls() if isinstance(c, ft.ListTile)).on_click(None)  # "First.": icu
    tab.field("Tags (separate with commas)").value = "handover"
    tab.click("Save changes")
    assert vault.get(first.id).tags == ("handover",)
    assert choices(screen.tag) == ["", "icu", "handover"]  # icu kept: it is still the chosen filter
    (named,) = [n for n in screen.named_filters if n.content is screen.tag]
    assert named.value == "icu"


def test_focusing_search_readies_it_and_the_search_still_finds(tab: Tab) -> None:
    """Focus on Search reads every entry's text before the first key; typing then finds and counts."""
    vault = tab.session.require()
    vault.add(EntryChanges(title="Handover", body="The lighthouse at dusk."))
    vault.add(EntryChanges(body="Quiet night."))
    tab.app.go("Journal")
    field = tab.field("Search")
    assert field.on_focus is not None
    field.on_focus(None)  # type: ignore[arg-type]
    assert vault._cache.texts_complete
    tab.type_into("Search", "LIGHTHOUSE")
    assert tab.shown("1 entry matches.")
    assert tab.shown("Handover") and not tab.shown("Quiet night.")


def test_focusing_search_after_lock_is_quiet(tab: Tab) -> None:
    """Locked between opening Journal and tapping Search (the idle timer): no error reaches the page."""
    tab.app.go("Journal")
    field = tab.field("Search")
    tab.session.lock()
    field.on_focus(None)  # type: ignore[arg-type, misc]
    assert not tab.session.unlocked


def test_keys_typed_while_a_search_runs_are_searched_once_with_the_newest_words(
    tab: Tab, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two keys arriving during a search add one search, of the words as they are at its start."""
    vault = tab.session.require()
    vault.add(EntryChanges(title="Harbour", body="Boats."))
    vault.add(EntryChanges(title="Lighthouse", body="Beam."))
    tab.app.go("Journal")
    screen = journal(tab)
    field = tab.field("Search")
    searched: list[str] = []
    search = screen.model.set_filters

    def slow_search(**values: str) -> object:
        searched.append(values["text"])
        if len(searched) == 1:  # keys typed meanwhile (another thread in the served app)
            for words in ("harb", "harbour"):
                field.value = words
                screen._on_search(None)
        return search(**values)

    monkeypatch.setattr(screen.model, "set_filters", slow_search)
    field.value = "light"
    screen._on_search(None)
    assert searched == ["light", "harbour"]
    assert tab.shown("1 entry matches.") and tab.shown("Harbour") and not tab.shown("Lighthouse")
    field.value = ""
    screen._on_search(None)  # the next key, after it all ended, searches at once
    assert searched[-1] == "" and tab.shown("Lighthouse")


def test_an_untitled_entry_whose_body_is_damaged_is_left_out_of_the_list(made_vault: MadeVault) -> None:
    """Its first line cannot be read: the list shows the others (whose text is all there) without it,
    and opening it says which entry is damaged."""
    opened = made_vault.open()
    keep = opened.add(EntryChanges(title="Handover", body="Calm."), now=datetime(2024, 1, 1, tzinfo=UTC))
    broken = opened.add(EntryChanges(body="First line."), now=datetime(2024, 1, 2, tzinfo=UTC))
    opened.lock()
    with sqlite3.connect(made_vault.db) as conn:
        (blob,) = conn.execute("SELECT body FROM entries WHERE id = ?", (broken.id,)).fetchone()
        conn.execute(
            "UPDATE entries SET body = ? WHERE id = ?", (blob[:-1] + bytes([blob[-1] ^ 1]), broken.id)
        )
    conn.close()
    session = Session(made_vault.folder)
    session.unlock(PASSPHRASE)
    try:
        model = JournalModel(session)
        model.set_filters()
        assert [(row.entry_id, row.headline) for row in model.rows()] == [(keep.id, "Handover")]
        assert session.require().get(keep.id).body == "Calm."
        with pytest.raises(VaultDamaged, match=broken.id[:8]):
            model.open(broken.id)
    finally:
        session.lock()


@pytest.mark.parametrize(("height", "scrolls"), [(256, True), (844, False)])
def test_on_a_short_page_the_search_scrolls_with_the_entries(
    made_vault: MadeVault, monkeypatch: pytest.MonkeyPatch, height: int, scrolls: bool
) -> None:
    """At 400% browser zoom (256 px tall) the search, filters and count are the list's first items, so
    they scroll away and the entries get the room; on a phone at 100% the search stays in place. A
    search keeps them there, above its result."""
    monkeypatch.setattr(today, "DRAFT_DELAY_SECONDS", 3600)
    with made_vault.open() as vault:
        vault.add(EntryChanges(title="A good moment"))
    tab = Tab(made_vault.folder, 320)
    try:
        tab.flet.apply_page_patch({"height": height})
        tab.unlock()
        tab.app.go("Journal")
        screen = journal(tab)
        in_list = screen.list.controls
        assert any(screen.search in getattr(c, "controls", []) for c in in_list) is scrolls
        tab.type_into("Search", "good")
        assert tab.shown("A good moment") and tab.shown("1 entry matches.")
        assert (screen.count_line in screen.list.controls) is scrolls
    finally:
        tab.close()
