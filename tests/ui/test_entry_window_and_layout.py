"""The entry window (everything an entry holds, shown and edited; what is STORED after editing and
clearing; a refused change keeps the window), Journal's filters behind a button with their count, the
check-in collapsing on a phone, "Save entry" without a jump to the top, and Trends' progress ring."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import flet as ft
import pytest
from conftest import MadeVault
from test_screens import Tab, walk

from purpose_app.domain.entry import EntryChanges, PromptRef
from purpose_app.errors import InvalidInput
from purpose_app.services.library import Library
from purpose_app.services.session import Session
from purpose_app.ui.journal_model import EntryForm, JournalModel
from purpose_app.ui.screens import today


def test_editing_tags_and_energy_stores_them(session: Session) -> None:
    """Tags typed with commas and an energy set in the window are what the vault holds afterwards."""
    vault = session.require()
    entry = vault.add(EntryChanges(title="Rounds", body="Long day."))
    model = JournalModel(session)
    _, before = model.form(entry.id)
    assert (before.tags, before.energy, before.shift) == ("", None, "")
    after = EntryForm(**{**before.__dict__, "tags": "icu, #teaching", "energy": 6, "shift": "night"})
    model.save_form(entry.id, before, after)
    stored = vault.get(entry.id)
    assert (stored.tags, stored.energy, stored.shift) == (("icu", "teaching"), 6, "night")
    assert (stored.title, stored.body) == ("Rounds", "Long day.")


def test_clearing_tags_energy_drains_fuels_and_shift_stores_nothing_there(session: Session) -> None:
    """Emptied fields are cleared in the vault (not left as they were); the text stays."""
    vault = session.require()
    entry = vault.add(
        EntryChanges(
            body="Still here.", tags=("icu",), energy=3, drains=("pager",), fuels=("tea",), shift="day"
        )
    )
    model = JournalModel(session)
    _, before = model.form(entry.id)
    assert (before.tags, before.energy, before.drains, before.fuels) == ("icu", 3, "pager", "tea")
    cleared = EntryForm(
        **{**before.__dict__, "tags": " ", "energy": None, "drains": "", "fuels": "", "shift": ""}
    )
    model.save_form(entry.id, before, cleared)
    stored = vault.get(entry.id)
    assert (stored.tags, stored.energy, stored.drains, stored.fuels, stored.shift) == ((), None, (), (), None)
    assert stored.body == "Still here."


def test_a_label_with_a_comma_left_as_shown_is_kept(session: Session) -> None:
    """A drain holding a comma is not split when the window saves something else."""
    vault = session.require()
    entry = vault.add(EntryChanges(drains=("pages, at night",), energy=4))
    model = JournalModel(session)
    _, before = model.form(entry.id)
    model.save_form(entry.id, before, EntryForm(**{**before.__dict__, "energy": 5}))
    assert vault.get(entry.id).drains == ("pages, at night",)
    assert vault.get(entry.id).energy == 5


def test_emptying_everything_is_refused_and_nothing_is_lost(session: Session) -> None:
    """Clearing the only thing an entry holds is refused with the entry's rule; the entry is unchanged."""
    vault = session.require()
    entry = vault.add(EntryChanges(energy=4))
    model = JournalModel(session)
    _, before = model.form(entry.id)
    with pytest.raises(InvalidInput, match="An entry needs something in it"):
        model.save_form(entry.id, before, EntryForm(**{**before.__dict__, "energy": None}))
    assert vault.get(entry.id).energy == 4 and vault.get(entry.id).revision == entry.revision


def test_the_prompt_it_answered_is_shown_in_words(session: Session) -> None:
    """A known prompt shows its text; one whose pack is not here shows its reference."""
    vault = session.require()
    prompt = Library(vault).enabled_prompts()[0]
    known = vault.add(EntryChanges(body="An answer.", prompt=PromptRef(prompt.pack, prompt.id)))
    unknown = vault.add(EntryChanges(body="Another.", prompt=PromptRef("gone-pack", "lost")))
    model = JournalModel(session)
    assert model.form(known.id)[1].prompt == prompt.text
    assert model.form(unknown.id)[1].prompt == "gone-pack/lost"


def test_the_filters_button_counts_filters_in_use(session: Session) -> None:
    """ "Filters" alone; "Filters (2)" with a tag and a shift chosen; search words do not count."""
    model = JournalModel(session)
    assert model.filters_label() == "Filters"
    model.set_filters(text="night", tag="icu", shift="day")
    assert model.filters_label() == "Filters (2)"


# -- on a real page


@pytest.fixture
def tab(made_vault: MadeVault, monkeypatch: pytest.MonkeyPatch) -> Iterator[Tab]:
    monkeypatch.setattr(today, "DRAFT_DELAY_SECONDS", 3600)
    opened = Tab(made_vault.folder, 390)
    opened.unlock()
    yield opened
    opened.close()


def _open_first(tab: Tab) -> ft.AlertDialog:
    tab.app.go("Journal")
    next(c for c in tab.controls() if isinstance(c, ft.ListTile)).on_click(None)
    (dialog,) = tab.dialogs()
    return dialog


def test_the_window_edits_tags_and_energy_on_a_phone(tab: Tab) -> None:
    """On a phone the window is full width; "Set energy", a tag typed, "Save changes": both stored,
    and the window's Delete sits apart from Save (first action on the left)."""
    entry = tab.session.require().add(EntryChanges(title="Handover", body="Calm night.", drains=("pager",)))
    dialog = _open_first(tab)
    assert dialog.inset_padding == 0 and dialog.content.width == 390 - 32
    assert tab.field("Drains (separate with commas)").value == "pager"
    assert dialog.actions_alignment == ft.MainAxisAlignment.SPACE_BETWEEN
    assert dialog.actions[0].content == "Delete"
    tab.click("Set energy")
    slider = next(c for c in walk(dialog) if isinstance(c, ft.Slider))
    slider.value = 8
    slider.on_change(SimpleNamespace(control=slider))
    assert tab.shown("Energy: 8 of 10")
    tab.field("Tags (separate with commas)").value = "handover, calm"
    tab.click("Save changes")
    stored = tab.session.require().get(entry.id)
    assert (stored.energy, stored.tags, stored.drains) == (8, ("handover", "calm"), ("pager",))
    assert not [d for d in tab.dialogs() if isinstance(d, ft.AlertDialog)]


def test_a_refused_save_keeps_the_window_and_the_words(tab: Tab) -> None:
    """Clearing the energy of an energy-only entry: the reason is shown in the window, which stays open."""
    entry = tab.session.require().add(EntryChanges(energy=4))
    _open_first(tab)
    tab.click("Clear energy")
    tab.field("Title (optional)").value = ""
    tab.click("Save changes")
    assert len([d for d in tab.dialogs() if isinstance(d, ft.AlertDialog)]) == 1
    assert tab.shown("An entry needs something in it")
    assert tab.session.require().get(entry.id).energy == 4


def test_filters_sit_behind_a_button_with_their_count(tab: Tab) -> None:
    """The filter fields are hidden until "Filters" is tapped; choosing a tag makes it "Filters (1)"."""
    tab.session.require().add(EntryChanges(body="One.", tags=("icu",)))
    tab.app.go("Journal")
    assert tab.has_field("Search")

    def inner(control: Any) -> Any:  # a dropdown sits in the Semantics that names it
        return control.content if isinstance(control, ft.Semantics) else control

    row = next(c for c in tab.controls() if isinstance(c, ft.Row) and any(
        isinstance(inner(d), ft.Dropdown) and inner(d).label == "Tag" for d in c.controls))  # fmt: skip
    assert not row.visible
    tab.click("Filters")
    assert row.visible
    (named,) = [c for c in row.controls if isinstance(inner(c), ft.Dropdown) and inner(c).label == "Tag"]
    tag = inner(named)
    assert (named.label, named.value) == ("Tag", "not set")
    tag.value = "icu"
    tag.on_select(SimpleNamespace(control=tag))
    assert tab.has_button("Filters (1)")
    assert named.value == "icu"  # what a screen reader hears changes with the choice


# -- Today on a phone


def test_a_saved_check_in_collapses_to_one_line_on_a_phone(tab: Tab) -> None:
    """After "Save check-in" on a phone the card is one line with "Change"; "Change" opens it again;
    what was stored is the check-in."""
    tab.click("Set energy")
    tab.click("Save check-in")
    (saved,) = tab.session.require().entries()
    assert saved.energy == 5
    assert tab.shown(f"Check-in saved at {saved.created:%H:%M}: energy 5 of 10.")
    assert not tab.has_button("Save check-in") and not tab.has_button("Set energy")
    tab.click("Change")
    assert tab.has_button("Save check-in") and tab.shown("Energy: not set")


def test_save_entry_keeps_the_page_where_it_is(tab: Tab) -> None:
    """ "Save entry" stores the words and refreshes the cards in place: the page is not drawn afresh
    (which would scroll it back to the top), and the editor is empty again."""
    shown = list(tab.page.controls)
    tab.type_into("Write your reflection", "The family said thank you.")
    tab.click("Save entry")
    (entry,) = tab.session.require().entries(with_bodies=True)
    assert entry.body == "The family said thank you."
    assert tab.page.controls == shown and all(a is b for a, b in zip(tab.page.controls, shown, strict=True))
    assert tab.field("Write your reflection").value == ""


# -- Trends' first open


def test_trends_shows_progress_then_its_charts(tab: Tab) -> None:
    """The first open shows "Drawing your charts…" at once; when the drawing is done, four charts
    drawn at the width they are shown (the phone's card), and the ring is gone."""
    from own_loop import run_to_end

    from purpose_app.ui.screens import trends

    tab.session.require().add(EntryChanges(energy=6))
    tab.app.go("Trends")
    assert tab.shown(trends.DRAWING)
    screen = tab.app.screens["Trends"]
    assert isinstance(screen, trends.TrendsScreen)
    draw = next(t for t in tab.tasks if getattr(t, "__self__", None) is screen)
    run_to_end(draw(screen._drawing_for))
    assert not tab.shown(trends.DRAWING)
    images = [c for c in tab.controls() if isinstance(c, ft.Image)]
    assert len(images) == 4 and all(i.width == screen._chart_width() for i in images)
    assert screen._chart_width() == 390 - 76
    tab.app.go("Today")
    tab.app.go("Trends")  # drawn once: shown at once the second time
    assert not tab.shown(trends.DRAWING)
