"""The daily flow on a real Flet page (see test_screens): the check-in card after a save, an unset
energy, chips that keep their width, Ctrl+N over an open entry, the journal's rows and search count,
and Support on every full-page screen. What a tap stores is read back from the vault."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

import flet as ft
import pytest
from conftest import PASSPHRASE, MadeVault
from test_screens import Tab, walk

from purpose_app.domain.entry import EntryChanges
from purpose_app.services.library import Library
from purpose_app.ui.screens import group, selfcheck, today
from purpose_app.ui.today_model import CHECKIN_ALREADY_SAVED


@pytest.fixture
def unlocked_tab(made_vault: MadeVault, monkeypatch: pytest.MonkeyPatch) -> Iterator[Tab]:
    """One unlocked tab; the typing timer that keeps drafts does not fire mid-test."""
    monkeypatch.setattr(today, "DRAFT_DELAY_SECONDS", 3600)
    tab = Tab(made_vault.folder)
    tab.unlock()
    assert tab.session.unlocked
    yield tab
    tab.close()


def sliders(tab: Tab) -> list[ft.Slider]:
    return [c for c in tab.controls() if isinstance(c, ft.Slider)]


def shift_choice(tab: Tab) -> ft.Dropdown:
    (found,) = [c for c in tab.controls() if isinstance(c, ft.Dropdown) and c.label == "Shift"]
    return found


def chip(tab: Tab, label: str) -> ft.Chip:
    return next(c for c in tab.controls() if isinstance(c, ft.Chip) and c.label.value == label)


def toasts(tab: Tab) -> list[str]:
    return [d.content.value for d in tab.dialogs() if isinstance(d, ft.SnackBar)]


# -- the check-in card


def test_after_save_check_in_the_card_is_fresh_and_a_second_tap_stores_nothing(unlocked_tab: Tab) -> None:
    """Save check-in, then again: one entry stored; the card shows unset energy, no shift, no chips;
    the entry written next carries nothing of the check-in."""
    tab = unlocked_tab
    tab.click("Set energy")
    slider = sliders(tab)[0]
    slider.value = 7
    slider.on_change(SimpleNamespace(control=slider))
    shift = shift_choice(tab)
    shift.value = "night"
    shift.on_select(SimpleNamespace(control=shift))
    pager = chip(tab, "pager")
    pager.on_select(SimpleNamespace(control=pager))
    tab.click("Save check-in")

    (saved,) = tab.session.require().entries(with_bodies=True)
    assert (saved.energy, saved.shift, saved.drains, saved.body) == (7, "night", ("pager",), "")
    assert tab.shown("Energy: not set") and not tab.shown("Energy: 7 of 10")
    assert sliders(tab) == [] and shift_choice(tab).value is None
    assert not chip(tab, "pager").selected
    assert tab.shown(f"Check-in saved at {saved.created:%H:%M}: energy 7 of 10, night shift, pager.")

    tab.click("Save check-in")
    assert tab.session.require().count() == 1
    assert CHECKIN_ALREADY_SAVED in toasts(tab)

    tab.type_into("Write your reflection", "Home at last.")
    tab.click("Save entry")
    written = next(e for e in tab.session.require().entries(with_bodies=True) if e.body)
    assert (written.energy, written.shift, written.drains) == (None, None, ())
    assert tab.session.require().count() == 2


def test_an_unset_energy_shows_no_slider_until_the_person_sets_it(unlocked_tab: Tab) -> None:
    """ "Energy: not set" has no slider resting anywhere; "Set energy" shows one (named), "Clear" unsets."""
    tab = unlocked_tab
    assert tab.shown("Energy: not set") and sliders(tab) == []
    tab.click("Set energy")
    (slider,) = sliders(tab)
    assert tab.shown("Energy: 5 of 10") and slider.value == 5
    named = [c for c in tab.controls() if isinstance(c, ft.Semantics) and c.content is slider]
    assert [(c.label, c.value) for c in named] == [("Energy", "Energy, 5 of 10")]
    tab.click("Clear energy")
    assert tab.shown("Energy: not set") and sliders(tab) == []
    assert tab.app.screens["Today"].model.editor.energy is None


def test_a_chip_keeps_its_width_when_chosen(unlocked_tab: Tab) -> None:
    """The check mark's place is kept in both states (no built-in check mark that widens the chip)."""
    tab = unlocked_tab
    before = chip(tab, "charting")
    assert not before.show_checkmark and isinstance(before.leading, ft.Icon)
    assert before.leading.color == ft.Colors.TRANSPARENT
    before.on_select(SimpleNamespace(control=before))
    after = chip(tab, "charting")
    assert after.selected and isinstance(after.leading, ft.Icon) and after.leading.color is None
    assert tab.app.screens["Today"].model.editor.drains == ["charting"]


# -- Ctrl+N


def test_ctrl_n_over_an_open_entry_closes_it_and_readies_the_editor(unlocked_tab: Tab) -> None:
    """An entry open in Journal, Ctrl+N: the dialog closes (it held the keyboard), Today's editor is
    focused after the dialog has gone, and typing there is saved."""
    tab = unlocked_tab
    tab.session.require().add(EntryChanges(title="Open me", body="An old note."))
    tab.app.go("Journal")
    next(c for c in tab.controls() if isinstance(c, ft.ListTile)).on_click(None)
    assert tab.dialogs()
    tab.tasks.clear()

    tab.app._on_key(SimpleNamespace(ctrl=True, meta=False, key="n"))  # type: ignore[arg-type]

    assert tab.app.current == "Today" and tab.dialogs() == []
    assert tab.tasks == [today.widgets.focus_after_dialogs]
    tab.type_into("Write your reflection", "A new thought.")
    tab.click("Save entry")
    assert "A new thought." in [e.body for e in tab.session.require().entries(with_bodies=True)]


# -- Journal rows


def test_journal_rows_show_the_first_line_and_search_counts_with_context(unlocked_tab: Tab) -> None:
    """An untitled entry's row is its first line with date, energy and tags; a search says how many
    match and shows the matching words in bold in their context."""
    tab = unlocked_tab
    written = datetime(2026, 2, 28, 19, 30, tzinfo=timezone(timedelta(hours=-5)))
    tab.session.require().add(
        EntryChanges(body="Bay four again.\nThe family stayed.", energy=4, tags=("icu",)), now=written
    )
    tab.app.go("Journal")
    assert tab.shown("Bay four again.") and not tab.shown("Untitled entry")
    assert tab.shown("Sat, Feb 28, 2026, 19:30  ·  energy 4 of 10  ·  #icu")
    tab.type_into("Search", "FAMILY")
    assert tab.shown("1 entry matches.")
    (context,) = [c for c in tab.controls() if isinstance(c, ft.Text) and c.spans]
    assert [span.text for span in context.spans] == ["The ", "family", " stayed."]
    assert context.spans[1].style.weight == ft.FontWeight.W_700


# -- Support on every full-page screen


def support_opens(tab: Tab) -> None:
    tab.click("Support")
    dialog = tab.dialogs()[-1]
    assert dialog.title.value == "Support"
    assert len([c for c in walk(dialog) if isinstance(c, ft.ListTile)]) >= 2


def test_support_on_the_copenhagen_form(unlocked_tab: Tab) -> None:
    """The Copenhagen form (where "I can't take it anymore" is asked) has Support at the top."""
    tab = unlocked_tab
    selfcheck.open_cbi(tab.app)
    assert tab.shown("Copenhagen Burnout Inventory")
    support_opens(tab)


def test_support_in_group_mode(unlocked_tab: Tab) -> None:
    """Group mode has Support too."""
    tab = unlocked_tab
    packs = [i.pack for i in Library(tab.session.require()).packs() if not i.pack.programme]
    group.GroupScreen(tab.app, packs[0], packs).show()
    assert tab.shown(packs[0].name) and tab.shown("Our ground rules")  # the plan opens on the rules
    support_opens(tab)


def test_support_on_the_recovery_key_screen(vault_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The recovery-key screen, shown once after creating a journal, has Support, and it opens."""
    monkeypatch.setattr(today, "DRAFT_DELAY_SECONDS", 3600)
    tab = Tab(vault_dir)
    try:
        tab.type_into("Passphrase", PASSPHRASE)
        tab.type_into("Confirm passphrase", PASSPHRASE)
        tab.click("Create journal")
        assert tab.shown("Your recovery key")
        support_opens(tab)
    finally:
        tab.close()
