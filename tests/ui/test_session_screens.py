"""Session packs on screen: group mode's plan (ground rules, timers that pause and extend, support
throughout, resources at the end) with notes only in the facilitator's view; the Today and Packs
screens never show facilitator notes; the Packs screen's handout is a PDF without them."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

import flet as ft
import pytest
from conftest import MadeVault
from pdf_text import words
from test_screens import Tab

from purpose_app.domain.entry import EntryChanges
from purpose_app.services.library import Library
from purpose_app.ui.packs_model import PacksModel
from purpose_app.ui.screens import group, today

NOTES = ("LEADER-PACK-NOTE", "LEADER-PROMPT-NOTE")
PACK = f"""format = 1
id = "grief-circle"
name = "Grief circle"
version = 1
description = "For our circle."
author = "St Mary's"
language = "en"
licence = "CC-BY-4.0"
facilitator_notes = "{NOTES[0]}: open with quiet"

[[prompts]]
id = "loss"
text = "Which loss from your work are you still carrying?"
theme = "grief"
weight = "light"
follow_up = "What did you not get to say?"
facilitator_notes = "{NOTES[1]}: anyone may pass"
""".encode()


@pytest.fixture
def notes_tab(made_vault: MadeVault, monkeypatch: pytest.MonkeyPatch) -> Iterator[Tab]:
    """An unlocked tab whose only pack that is on is one with facilitator notes, and a private entry."""
    monkeypatch.setattr(today, "DRAFT_DELAY_SECONDS", 3600)
    opened = made_vault.open()
    library = Library(opened)
    library.import_pack(PACK)
    for info in library.packs():
        if info.pack.id != "grief-circle":
            library.set_enabled(info.pack.id, False)
    opened.add(EntryChanges(title="Private title", body="Private words nobody in the room sees"))
    opened.lock()
    tab = Tab(made_vault.folder)
    tab.unlock()
    yield tab
    tab.close()


def no_notes(tab: Tab) -> bool:
    on_screen = " ".join(tab.texts())
    return not any(note in on_screen for note in NOTES)


def open_group(tab: Tab) -> None:
    packs = [i.pack for i in Library(tab.session.require()).packs() if not i.pack.programme]
    chosen = next(p for p in packs if p.id == "grief-circle")
    group.GroupScreen(tab.app, chosen, packs).show()


def facilitator_switch(tab: Tab) -> ft.Switch:
    (found,) = [c for c in tab.controls() if isinstance(c, ft.Switch) and "Facilitator view" in str(c.label)]
    return found


def test_today_shows_the_prompt_but_never_its_notes(notes_tab: Tab) -> None:
    """The daily prompt from a pack with notes shows its words, not the facilitator's notes."""
    assert notes_tab.shown("Which loss from your work are you still carrying?")
    assert no_notes(notes_tab)


def test_the_packs_screen_never_shows_notes(notes_tab: Tab) -> None:
    """Opening the pack on the Packs screen lists its prompt, and no note of the facilitator's."""
    notes_tab.app.go("Packs")
    tile = next(
        c for c in notes_tab.controls() if isinstance(c, ft.ListTile) and c.title.value == "Grief circle"
    )
    tile.on_click(None)
    assert notes_tab.shown("Which loss from your work are you still carrying?")
    assert notes_tab.has_button("Download a handout (PDF)")
    assert no_notes(notes_tab)


def test_session_packs_are_marked_on_the_packs_screen(notes_tab: Tab) -> None:
    """A session-only pack says it is for group sessions and off in the daily prompt until turned on."""
    notes_tab.app.go("Packs")
    assert notes_tab.shown("for group sessions (in your daily prompt only if you turn it on)")


def test_the_handout_download_is_a_pdf_without_notes(notes_tab: Tab) -> None:
    """The bytes the Packs screen hands the file picker are a PDF with the prompt and none of the notes."""
    raw = PacksModel(notes_tab.session).handout("grief-circle")
    text = words(raw)
    assert raw.startswith(b"%PDF") and "Which loss from your work are you still carrying?" in text
    assert not any(note in text for note in NOTES) and b"LEADER" not in raw


def test_group_mode_runs_the_plan_with_support_throughout(notes_tab: Tab) -> None:
    """Opening with the ground rules, then the prompt with its timer (pause, resume, +1 min), the
    follow-up on request, the closing and the support slide; Support is on screen at every step, and
    nothing from the journal ever is."""
    tab = notes_tab
    open_group(tab)
    assert tab.shown("Our ground rules") and tab.shown("What is said here stays here.")
    assert tab.has_button("Support") and no_notes(tab)
    tab.click("Next")
    assert tab.shown("Which loss from your work are you still carrying?") and tab.shown("5:00")
    tab.click("5 min")
    assert tab.tasks, "the timer ticks in a task"
    tab.click("Pause")
    assert tab.has_button("Resume") and not tab.has_button("Pause")
    tab.click("+1 min")
    assert tab.shown("6:00")
    tab.click("Resume")
    assert tab.has_button("Pause")
    tab.click("Show the follow-up")
    assert tab.shown("What did you not get to say?")
    for _ in range(2):
        tab.click("Next")
        assert tab.has_button("Support")
    assert tab.shown("Thank you for what you brought today")
    tab.click("Next")
    assert tab.shown("If today stirred something up") and tab.shown("988")
    on_screen = " ".join(tab.texts())
    assert "Private words" not in on_screen and "Private title" not in on_screen and no_notes(tab)


def test_notes_appear_only_in_the_facilitator_view(notes_tab: Tab) -> None:
    """The facilitator view shows the pack's notes on the opening and the prompt's on the prompt; turned
    off, they are gone again."""
    tab = notes_tab
    open_group(tab)
    switch = facilitator_switch(tab)
    switch.value = True
    switch.on_change(SimpleNamespace(control=switch))
    assert tab.shown(NOTES[0]) and tab.shown("only on your screen")
    tab.click("Next")
    assert tab.shown(NOTES[1]) and not tab.shown(NOTES[0])
    switch.value = False
    switch.on_change(SimpleNamespace(control=switch))
    assert no_notes(tab)
