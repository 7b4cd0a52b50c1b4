"""Accessible names on the control tree, without a browser, for Trends, Packs, Settings, the
self-checks, Support, group mode and the data card: every icon button, dropdown, slider, switch and
selectable text has a name of its own, and each chart's numbers are one tap away."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import flet as ft
import pytest
from conftest import MadeVault
from test_screens import Tab, walk

from purpose_app.domain.entry import EntryChanges
from purpose_app.services.session import Session
from purpose_app.ui import a11y
from purpose_app.ui.screens import selfcheck, support, today
from purpose_app.ui.screens.facilitator import FacilitatorScreen
from purpose_app.ui.screens.programmes import open_programmes
from purpose_app.ui.screens.restore import RestoreNewScreen
from purpose_app.ui.screens.why import open_why
from purpose_app.ui.trends_model import TrendsModel

NOW = datetime(2024, 4, 2, 12, tzinfo=UTC)


@pytest.fixture
def unlocked_tab(made_vault: MadeVault, monkeypatch: pytest.MonkeyPatch) -> Iterator[Tab]:
    """One unlocked tab; the typing timer that keeps drafts does not fire mid-test."""
    monkeypatch.setattr(today, "DRAFT_DELAY_SECONDS", 3600)
    tab = Tab(made_vault.folder)
    tab.unlock()
    yield tab
    tab.close()


def unnamed(root: ft.BaseControl) -> list[str]:
    """What a screen reader would meet without a name under root, said for the assertion message."""
    found: list[str] = []
    wrappers: dict[int, ft.Semantics] = {}
    for control in walk(root):
        if isinstance(control, ft.Semantics) and control.content is not None:
            wrappers[id(control.content)] = control
    for control in walk(root):
        wrapper = wrappers.get(id(control))
        named_by_wrapper = wrapper is not None and bool(wrapper.label)
        if isinstance(control, ft.IconButton):
            icon = control.icon
            spoken = isinstance(icon, ft.Icon) and bool(icon.semantics_label)
            merged = isinstance(control.parent, ft.MergeSemantics)
            if not control.tooltip or not (spoken or merged):
                found.append(f"icon button {control.icon!r} (tooltip {control.tooltip!r})")
        elif isinstance(control, ft.Dropdown | ft.Slider) and not named_by_wrapper:
            found.append(f"{type(control).__name__} {control.label!r} has no named wrapper")
        elif isinstance(control, ft.Switch | ft.Checkbox) and not (control.label or control.tooltip):
            found.append(f"{type(control).__name__} with no label or tooltip")
        elif isinstance(control, ft.Text) and control.selectable and not named_by_wrapper:
            found.append(f"selectable text {control.value!r} has no name")
    return found


@pytest.mark.parametrize("screen", ["Trends", "Packs", "Settings"])
def test_every_control_on_the_screen_has_its_own_name(unlocked_tab: Tab, screen: str) -> None:
    """Trends, Packs (with a pack opened) and Settings: no icon button, dropdown, slider, switch or
    selectable text without a name."""
    tab = unlocked_tab
    tab.app.go(screen)
    if screen == "Packs":
        next(c for c in tab.controls() if isinstance(c, ft.ListTile) and c.on_click).on_click(None)
    assert unnamed(tab.page) == []


def test_pages_and_dialogs_name_every_control(unlocked_tab: Tab) -> None:
    """The support dialog, the Copenhagen form, packs for facilitators, group mode, Programs, My why and
    restoring into a new journal: nothing nameless."""
    tab = unlocked_tab
    tab.app.page.show_dialog(support.support_dialog(tab.app))
    assert unnamed(tab.page) == []
    tab.app.page.pop_dialog()
    selfcheck.open_cbi(tab.app)
    assert unnamed(tab.page) == []
    FacilitatorScreen(tab.app, "Packs").show()
    assert unnamed(tab.page) == []
    tab.app.go("Packs")
    tab.click("Group mode")
    assert unnamed(tab.page) == []
    open_programmes(tab.app, "Settings")
    assert unnamed(tab.page) == []
    open_why(tab.app, "Settings")
    assert unnamed(tab.page) == []
    RestoreNewScreen(tab.app, lambda _key: None).show()
    assert unnamed(tab.page) == []


def test_a_pack_row_keeps_its_switch_outside_its_tap_target(unlocked_tab: Tab) -> None:
    """A pack's row opens the pack and its switch turns it on or off, side by side: no button holds
    another control (axe's nested-interactive), and the switch is named after the pack."""
    tab = unlocked_tab
    tab.app.go("Packs")
    rows = [c for c in tab.controls() if isinstance(c, ft.ListTile) and c.on_click]
    assert rows
    for row in rows:
        assert not any(
            isinstance(c, ft.Switch | ft.Checkbox | ft.IconButton) for c in walk(row) if c is not row
        )
        beside = [c for c in row.parent.controls if isinstance(c, ft.Switch)]
        assert len(beside) == 1 and beside[0].tooltip == f"{row.title.value} on or off"


def test_the_copenhagen_answers_are_named_by_their_question(unlocked_tab: Tab) -> None:
    """Nineteen answers, each named "Answer to question N" (not nineteen times "Answer")."""
    tab = unlocked_tab
    selfcheck.open_cbi(tab.app)
    named = [
        c.label for c in tab.controls() if isinstance(c, ft.Semantics) and isinstance(c.content, ft.Dropdown)
    ]
    assert named == [f"Answer to question {n}" for n in range(1, 20)]


def test_settings_names_the_dropdowns_and_the_text_size_slider(unlocked_tab: Tab) -> None:
    """ "Lock after idle" and "Theme" carry their chosen option as value; the slider says "Text size,
    100%", and a new size is stored as the scale (1.2) and said as "Text size, 120%"."""
    tab = unlocked_tab
    tab.app.go("Settings")
    wrappers = {c.label: c for c in tab.controls() if isinstance(c, ft.Semantics) and c.label}
    assert wrappers["Lock after idle"].value == "5 minutes"
    assert wrappers["Theme"].value == "system"
    size = wrappers["Text size"]
    assert size.value == "Text size, 100%"
    slider = next(c for c in walk(size) if isinstance(c, ft.Slider))
    slider.value = 120
    slider.on_change(SimpleNamespace(control=slider))
    assert size.value == "Text size, 120%"
    slider.on_change_end(SimpleNamespace(control=slider))
    assert tab.session.settings()["text_scale"] == 1.2


def test_selectable_contacts_are_named_by_their_words(unlocked_tab: Tab) -> None:
    """Each selectable contact in the support dialog is named by its own words."""
    tab = unlocked_tab
    tab.app.page.show_dialog(support.support_dialog(tab.app))
    selectable = [
        c for c in tab.controls() if isinstance(c, ft.Semantics) and isinstance(c.content, ft.Text)
        and c.content.selectable
    ]  # fmt: skip
    assert selectable and all(c.label == c.content.value for c in selectable)


def test_group_mode_names_its_pack_dropdown(unlocked_tab: Tab) -> None:
    """Group mode's pack choice is named "Pack", its value the chosen pack's name."""
    tab = unlocked_tab
    tab.app.go("Packs")
    tab.click("Group mode")
    (wrapper,) = [c for c in tab.controls() if isinstance(c, ft.Semantics) and c.label == "Pack"]
    screen_pack = next(c for c in walk(wrapper) if isinstance(c, ft.Dropdown))
    chosen = {o.key: o.text for o in screen_pack.options}[screen_pack.value]
    assert wrapper.value == chosen


def test_each_chart_has_its_numbers_as_a_table(session: Session) -> None:
    """The energy table lists exactly the days with a check-in and their energy; every chart has a
    table with its title; a long range's table is in weeks."""
    vault = session.require()
    for i, energy in enumerate((4, 7, 9)):
        vault.add(EntryChanges(energy=energy, created=NOW - timedelta(days=2 * i)))
    model = TrendsModel(session, clock=lambda: NOW)
    drawn = model.rendered(dark=False, phone=True)
    assert [t.title for t in model.tables] == [c.title for c in drawn]
    energy = model.tables[0]
    assert energy.headers == ("Day", "Energy", "7-day mean")
    assert [(day, value) for day, value, _mean in energy.rows] == [
        ((NOW - timedelta(days=4)).date().isoformat(), "9"),
        ((NOW - timedelta(days=2)).date().isoformat(), "7"),
        (NOW.date().isoformat(), "4"),
    ]
    model.choose(365)
    model.rendered(dark=False, phone=True)
    assert model.tables[0].headers == ("Week of", "Mean energy")


def test_an_empty_journal_has_empty_tables_and_says_so(unlocked_tab: Tab) -> None:
    """With no check-ins, the numbers under a chart say there is nothing to show yet."""
    from purpose_app.ui.screens import trends

    tab = unlocked_tab
    model = TrendsModel(tab.session, clock=lambda: NOW)
    model.rendered(dark=False, phone=True)
    assert model.tables[0].rows == ()
    shown = trends.numbers(model.tables[0], tab.page)
    assert isinstance(shown, ft.Text) and shown.value == "Nothing to show in this period yet."


def test_show_the_numbers_opens_the_table_under_the_chart(unlocked_tab: Tab) -> None:
    """ "Show the numbers" under the energy chart shows its table in the page, one row per day with a
    check-in, each read as a sentence with its headers; "Hide the numbers" hides it again."""
    tab = unlocked_tab
    tab.session.require().add(EntryChanges(energy=6))
    tab.app.go("Trends")
    screen = tab.app.screens["Trends"]
    screen.rendered()  # drawn now, as the page's background task would
    tab.app.go("Trends")
    first = next(
        c for c in tab.controls() if c.__class__ is ft.TextButton and c.content == "Show the numbers"
    )
    first.on_click(None)
    day = tab.session.require().entries()[0].created.date().isoformat()
    rows = [c for c in tab.controls() if isinstance(c, ft.Semantics) and str(c.label).startswith("Day ")]
    assert [row.label for row in rows] == [f"Day {day}, Energy 6, 7-day mean 6.0"]
    assert tab.has_button("Hide the numbers")
    tab.click("Hide the numbers")
    assert not any(isinstance(c, ft.Semantics) and str(c.label).startswith("Day ") for c in tab.controls())


def test_the_name_check_catches_what_flutter_leaves_nameless() -> None:
    """The check above is not vacuous: a tooltip-only icon button, a bare dropdown, a bare slider and
    bare selectable text are each reported; the same controls named are not."""
    bare = ft.Column(
        [
            ft.IconButton(ft.Icons.LOCK, tooltip="Lock"),
            ft.Dropdown(label="Theme", options=[ft.DropdownOption(key="dark")]),
            ft.Slider(min=0, max=10),
            ft.Text("0800 123", selectable=True),
        ]
    )
    assert len(unnamed(bare)) == 4
    named = ft.Column(
        [
            ft.IconButton(ft.Icon(ft.Icons.LOCK, semantics_label="Lock"), tooltip="Lock"),
            ft.Semantics(label="Theme", content=ft.Dropdown(label="Theme")),
            ft.Semantics(label="Energy", content=ft.Slider(min=0, max=10)),
            a11y.selectable(ft.Text("0800 123", selectable=True)),
        ]
    )
    assert unnamed(named) == []


def test_text_size_reaches_twice_and_fields_and_buttons_grow_with_it(unlocked_tab: Tab) -> None:
    """WCAG 1.4.4: Settings' slider goes to 200%; stored as 2.0, it scales the theme's whole type scale
    (what fields, buttons and menus use), not only the headings drawn with an explicit size."""
    tab = unlocked_tab
    tab.app.go("Settings")
    size = next(c for c in tab.controls() if isinstance(c, ft.Semantics) and c.label == "Text size")
    slider = next(c for c in walk(size) if isinstance(c, ft.Slider))
    assert slider.max == 200
    slider.value = 200
    slider.on_change_end(SimpleNamespace(control=slider))
    assert tab.session.settings()["text_scale"] == 2.0
    for made in (tab.page.theme, tab.page.dark_theme):
        assert made.text_theme.body_large.size == 32  # a field's text: 16 at 100%
        assert made.text_theme.label_large.size == 28  # a button's label: 14 at 100%
