"""Accessible names on the core screens' control trees (issue 14), checked without a browser: every icon
button is named by its tooltip through MergeSemantics, every slider and dropdown has a named Semantics
around it, passphrase fields have a named Show button; sub-pages lock; the saved text size applies."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import flet as ft
import pytest
from conftest import MadeVault
from flet.controls.base_control import BaseControl
from test_screens import Tab, walk

from purpose_app.domain.entry import EntryChanges
from purpose_app.ui import theme, widgets
from purpose_app.ui.screens import subpage, today


@pytest.fixture(params=[390, 1280], ids=["phone", "desktop"])
def width(request: pytest.FixtureRequest) -> int:
    return int(request.param)


@pytest.fixture
def locked(made_vault: MadeVault, width: int, monkeypatch: pytest.MonkeyPatch) -> Iterator[Tab]:
    monkeypatch.setattr(today, "DRAFT_DELAY_SECONDS", 3600)
    opened = Tab(made_vault.folder, width)
    yield opened
    opened.close()


def _unnamed_controls(root: BaseControl) -> list[str]:
    """Every icon button not named through MergeSemantics, every slider or dropdown with no named
    Semantics around it, every passphrase field still using Flet's nameless reveal eye."""
    controls = list(walk(root))
    merged = {id(c.content) for c in controls if isinstance(c, ft.MergeSemantics)}
    named = {id(c.content): c for c in controls if isinstance(c, ft.Semantics) and c.label}
    problems = []
    for control in controls:
        if isinstance(control, ft.IconButton) and not (control.tooltip and id(control) in merged):
            problems.append(f"icon button {control.icon} ({control.tooltip!r})")
        elif isinstance(control, ft.Dropdown) and named.get(id(control)) is None:
            problems.append(f"dropdown {control.label!r}")
        elif isinstance(control, ft.Slider) and not _slider_named(control, controls):
            problems.append(f"slider at {control.value}")
        elif isinstance(control, ft.TextField) and control.can_reveal_password:
            problems.append(f"reveal eye on {control.label!r}")
    return problems


def _slider_named(slider: ft.Slider, controls: list[BaseControl]) -> bool:
    return any(isinstance(c, ft.Semantics) and c.content is slider and c.label and c.value for c in controls)


def _assert_named(tab: Tab, where: str) -> None:
    problems = _unnamed_controls(tab.page)
    for dialog in tab.dialogs():
        problems += _unnamed_controls(dialog)
    assert problems == [], f"{where}: {problems}"


def test_the_locked_screens_name_every_control(locked: Tab) -> None:
    """Unlock and its recovery form: Support and each passphrase's Show button are named."""
    _assert_named(locked, "unlock")
    assert locked.has_button("Support") and locked.has_button("Show passphrase")
    locked.click("Use recovery key")
    _assert_named(locked, "recovery form")
    assert locked.has_button("Show new passphrase") and locked.has_button("Show confirm passphrase")


def test_welcome_and_the_recovery_key_name_every_control(tmp_path: Any, width: int) -> None:
    """First run: welcome's fields and the recovery key screen have only named controls; the key's
    selectable text (a read-only field to a screen reader) is named "Recovery key"."""
    tab = Tab(tmp_path / "vault", width)
    try:
        _assert_named(tab, "welcome")
        tab.type_into("Passphrase", "correct horse battery staple lantern")
        tab.type_into("Confirm passphrase", "correct horse battery staple lantern")
        tab.click("Create journal")
        assert tab.shown("Your recovery key")
        _assert_named(tab, "recovery key")
        keys = [c for c in tab.controls() if isinstance(c, ft.Semantics) and c.identifier == "recovery-key"]
        assert [c.label for c in keys] == ["Recovery key"]
    finally:
        tab.close()


def test_the_shell_today_journal_and_the_entry_window_name_every_control(locked: Tab) -> None:
    """Unlocked: the app bar's Lock and Support, Today with energy set, Journal with its filters, and
    the entry window name every icon button, slider and dropdown."""
    tab = locked
    tab.unlock()
    tab.session.require().add(EntryChanges(title="Handover", body="Calm night.", energy=4))
    _assert_named(tab, "Today")
    assert tab.has_button("Lock") and tab.has_button("Support")
    tab.click("Set energy")
    _assert_named(tab, "Today, energy set")
    tab.app.go("Journal")
    tab.click("Filters")
    _assert_named(tab, "Journal")
    next(c for c in tab.controls() if isinstance(c, ft.ListTile)).on_click(None)
    assert tab.dialogs()
    _assert_named(tab, "entry window")


def test_the_check_in_shift_is_named_by_its_label_and_says_its_choice(locked: Tab) -> None:
    """Today's Shift dropdown is named "Shift" (not the card's words) and its spoken value follows the
    choice; the choice is what the check-in stores."""
    tab = locked
    tab.unlock()
    (named,) = [c for c in tab.controls() if isinstance(c, ft.Semantics) and c.identifier == "checkin-shift"]
    dropdown = named.content
    assert isinstance(dropdown, ft.Dropdown)
    assert (named.label, named.value) == ("Shift", "not set")
    dropdown.value = "night"
    dropdown.on_select(SimpleNamespace(control=dropdown))  # type: ignore[misc]
    assert named.value == "night"
    tab.click("Save check-in")
    (stored,) = tab.session.require().entries()
    assert stored.shift == "night"


def test_the_energy_slider_says_its_value_in_words(locked: Tab) -> None:
    """The slider's spoken value is "Energy, 7 of 10" after it moves to 7, and 7 is what is stored."""
    tab = locked
    tab.unlock()
    tab.click("Set energy")
    (slider,) = [c for c in tab.controls() if isinstance(c, ft.Slider)]
    (spoken,) = [c for c in tab.controls() if isinstance(c, ft.Semantics) and c.content is slider]
    assert (spoken.label, spoken.value) == ("Energy", "Energy, 5 of 10")
    slider.value = 7
    slider.on_change(SimpleNamespace(control=slider))  # type: ignore[misc]
    assert spoken.value == "Energy, 7 of 10" and tab.shown("Energy: 7 of 10")
    tab.click("Save check-in")
    (stored,) = tab.session.require().entries()
    assert stored.energy == 7


def test_the_show_button_reveals_and_hides_the_passphrase(locked: Tab) -> None:
    """ "Show passphrase" shows the words and becomes "Hide passphrase"; pressed again, hidden again."""
    field = locked.field("Passphrase")
    assert field.password
    locked.click("Show passphrase")
    assert not field.password and locked.has_button("Hide passphrase")
    locked.click("Hide passphrase")
    assert field.password and locked.has_button("Show passphrase")


def test_a_sub_page_has_lock_beside_support_and_it_locks(locked: Tab) -> None:
    """A sub-page (as Programs, My why... are drawn) has Support and Lock; Lock locks the journal and
    shows the unlock screen."""
    tab = locked
    tab.unlock()
    subpage.show(tab.app, "Programs", "Settings", ft.Column([ft.Text("A programme")]))
    assert tab.has_button("Support") and tab.has_button("Back to Settings")
    _assert_named(tab, "sub-page")
    tab.click("Lock")
    assert not tab.session.unlocked
    assert tab.shown("Welcome back")


def test_the_saved_text_size_applies_when_the_journal_is_unlocked(locked: Tab) -> None:
    """A text size saved in Settings (200%) is the one the app draws with after the next unlock."""
    tab = locked
    tab.unlock()
    assert theme.size(tab.page, 20) == 20
    tab.session.save_setting("text_scale", 2.0)
    tab.app.lock()
    tab.unlock()
    assert theme.size(tab.page, 20) == 40
    titles = [c for c in tab.controls() if isinstance(c, ft.Text) and c.value == "Purpose"]
    assert [c.size for c in titles] == [40]


def test_icon_button_keeps_its_tooltip_and_click() -> None:
    """widgets.icon_button: the tooltip is the name, the click is the one given."""
    pressed = []
    made = widgets.icon_button(ft.Icons.LOCK_OUTLINE, "Lock", lambda _e: pressed.append(True))
    inner = widgets.button_in(made)
    assert isinstance(made, ft.MergeSemantics) and inner.tooltip == "Lock"
    inner.on_click(None)  # type: ignore[misc]
    assert pressed == [True]


def test_the_entry_window_fields_take_its_whole_width(locked: Tab, width: int) -> None:
    """The window's fields stretch across it (a dialog otherwise sizes them to about 300 px): the phone's
    width less its margins, or the roomy desktop width."""
    tab = locked
    tab.unlock()
    tab.session.require().add(EntryChanges(title="Handover", body="Calm night."))
    tab.app.go("Journal")
    next(c for c in tab.controls() if isinstance(c, ft.ListTile)).on_click(None)
    (dialog,) = tab.dialogs()
    column = dialog.content
    assert isinstance(column, ft.Column)
    assert column.horizontal_alignment == ft.CrossAxisAlignment.STRETCH
    assert column.width == (width - 32 if width < theme.PHONE_MAX_WIDTH else 720)
