"""The screens that now talk to view-models, driven on a real Flet page (see test_screens): what a tap
stores reaches the vault, and what the screen says afterwards is unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

import flet as ft
import pytest
from conftest import MadeVault
from test_screens import Tab, walk

from purpose_app.insight import scoring
from purpose_app.services.library import Library
from purpose_app.services.selfcheck import SelfChecks
from purpose_app.ui.screens import selfcheck, today


@pytest.fixture
def unlocked_tab(made_vault: MadeVault, monkeypatch: pytest.MonkeyPatch) -> Iterator[Tab]:
    """One unlocked tab; the typing timer that keeps drafts does not fire mid-test."""
    monkeypatch.setattr(today, "DRAFT_DELAY_SECONDS", 3600)
    tab = Tab(made_vault.folder)
    tab.unlock()
    assert tab.session.unlocked
    yield tab
    tab.close()


ANSWER = "Answer to question"  # each Copenhagen answer is named by its question's number


def test_settings_auto_lock_choice_is_stored(unlocked_tab: Tab) -> None:
    """Choosing 15 minutes in "Lock after idle" stores 15; the dropdown shows it after a redraw."""
    tab = unlocked_tab
    tab.app.go("Settings")
    choice = next(c for c in tab.controls() if isinstance(c, ft.Dropdown) and c.label == "Lock after idle")
    choice.value = "15"
    choice.on_select(SimpleNamespace(control=choice))
    assert tab.session.settings()["autolock_minutes"] == 15
    tab.app.go("Settings")
    choice = next(c for c in tab.controls() if isinstance(c, ft.Dropdown) and c.label == "Lock after idle")
    assert choice.value == "15"


def test_settings_passphrase_mismatch_is_shown(unlocked_tab: Tab) -> None:
    """Two different new passphrases: the calm message on the Settings screen."""
    tab = unlocked_tab
    tab.app.go("Settings")
    tab.type_into("Current passphrase", "whatever it was")
    tab.type_into("New passphrase", "one new passphrase")
    tab.type_into("Confirm passphrase", "another new passphrase")
    tab.click("Change passphrase")
    assert tab.shown("The two new passphrases did not match. Nothing was changed.")


def test_packs_switch_off_is_stored(unlocked_tab: Tab) -> None:
    """Turning a pack's switch off on the Packs screen stores it off."""
    tab = unlocked_tab
    tab.app.go("Packs")
    switch = next(c for c in tab.controls() if isinstance(c, ft.Switch))
    pack_name = str(switch.tooltip).removesuffix(" on or off")
    switch.value = False
    switch.on_change(SimpleNamespace(control=switch))
    infos = {i.pack.name: i for i in Library(tab.session.require()).packs()}
    assert not infos[pack_name].enabled


def test_quick_check_dialog_stores_and_says_the_result(unlocked_tab: Tab) -> None:
    """The quick check from Trends: choose 2, "Save": one result scored 2, and its sentence shown."""
    tab = unlocked_tab
    tab.app.go("Trends")
    tab.click("Quick check (ten seconds)")
    (dialog,) = tab.dialogs()
    group = next(c for c in walk(dialog) if isinstance(c, ft.RadioGroup))
    group.value = "2"
    tab.click("Save")
    (kept,) = SelfChecks(tab.session.require()).history()
    assert kept.quick == 2
    assert tab.shown(selfcheck.quick_result_text(2))


def test_copenhagen_screen_stores_the_answers(unlocked_tab: Tab) -> None:
    """The Copenhagen check: answer every question "50", "Save answers": stored, one line per scale."""
    tab = unlocked_tab
    tab.app.go("Trends")
    tab.click("Copenhagen check (a few minutes)")
    answers = [c for c in tab.controls() if isinstance(c, ft.Dropdown) and str(c.label).startswith(ANSWER)]
    assert len(answers) == len(scoring.ITEMS)
    for answer in answers:
        answer.value = "50"
    tab.click("Save answers")
    (kept,) = SelfChecks(tab.session.require()).history()
    assert kept.answers == (50,) * len(scoring.ITEMS)
    assert tab.shown("Your Copenhagen check")
    assert tab.shown("Personal burnout: 50 of 100")
    tab.click("Back to Trends")
    assert tab.app.current == "Trends"
