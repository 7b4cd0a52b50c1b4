"""What Today offers beside the prompt, each of which can be turned off and stays off: "your why",
offered gently after tired days, and now and then a good day from before (never a low day, once a
day). What a tap stores is read back from the vault."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from types import SimpleNamespace

import flet as ft
import pytest
from conftest import MadeVault
from test_screens import Tab

from purpose_app.domain.entry import EntryChanges
from purpose_app.domain.json_value import JsonValue
from purpose_app.services import good_days
from purpose_app.services.journal import Vault
from purpose_app.services.library import Library
from purpose_app.services.reflection import Reflection
from purpose_app.services.session import SETTINGS, Session
from purpose_app.ui.screens import today
from purpose_app.ui.settings_model import SettingsModel
from purpose_app.ui.today_model import SHOW_GOOD_DAYS, SHOW_WHY, WHY_INTRO, TodayModel

NOW = datetime.now().astimezone()
YEAR_AGO = "A year ago this week"
WHY = "Because a frightened family once left calmer than they came."


def read(made_vault: MadeVault, kind: str, name: str) -> JsonValue:
    opened = made_vault.open()
    try:
        return opened.document(kind, name)
    finally:
        opened.lock()


def tired_days(vault: Vault) -> None:
    """Three low-energy days ending today, and a why written before them."""
    for back in range(3):
        vault.add(EntryChanges(energy=2, created=NOW - timedelta(days=back)))
    Reflection(Library(vault)).set_why(WHY, NOW - timedelta(days=30))


def a_year_ago(vault: Vault, energy: int = 8, fuels: tuple[str, ...] = ("teaching",)) -> str:
    created = NOW - timedelta(days=364)
    return vault.add(EntryChanges(energy=energy, fuels=fuels, created=created)).id


@pytest.fixture
def open_tab(made_vault: MadeVault, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Tab]]:
    """A tab unlocked after `prepare` wrote to the vault, as a person would find it the next time."""
    monkeypatch.setattr(today, "DRAFT_DELAY_SECONDS", 3600)
    opened: list[Tab] = []

    def make(prepare: Callable[[Vault], object] | None = None) -> Tab:
        if prepare is not None:
            vault = made_vault.open()
            try:
                prepare(vault)
            finally:
                vault.lock()
        tab = Tab(made_vault.folder)
        tab.unlock()
        opened.append(tab)
        return tab

    yield make
    for tab in opened:
        tab.close()


# -- your why


def test_why_is_offered_after_tired_days_and_stays_off(session: Session, made_vault: MadeVault) -> None:
    """After three low days the why is offered; turned off, the setting is stored and it is not offered
    again, and Settings shows it off and can turn it back on."""
    tired_days(session.require())
    model = TodayModel(session)
    model.load(NOW)
    assert model.my_why == WHY
    model.hide_why()
    settings = read(made_vault, SETTINGS, "ui")
    assert isinstance(settings, dict) and settings[SHOW_WHY] is False
    again = TodayModel(session)
    again.load(NOW)
    assert again.my_why is None
    assert SettingsModel(session).today_offers() == (False, True)
    SettingsModel(session).set_show_why(True)
    back = TodayModel(session)
    back.load(NOW)
    assert back.my_why == WHY


def test_the_why_card_is_gentle_and_turns_off_with_one_tap(
    open_tab: Callable[..., Tab], made_vault: MadeVault
) -> None:
    """The card offers the why ("only if it helps"), never as a reproach; its button stores the choice."""
    tab = open_tab(tired_days)
    assert tab.shown(WHY_INTRO) and tab.shown(WHY)
    assert "Only if it helps" in WHY_INTRO
    tab.click("Don't show my why here")
    settings = read(made_vault, SETTINGS, "ui")
    assert isinstance(settings, dict) and settings[SHOW_WHY] is False
    assert not tab.shown(WHY)


# -- a good day from before


def test_a_good_day_is_shown_once_a_day_and_remembered(session: Session, made_vault: MadeVault) -> None:
    """A fuelled, high-energy day a year ago is recalled in words; the day and entry are stored, and a
    second load the same day shows the same one."""
    entry_id = a_year_ago(session.require())
    model = TodayModel(session)
    model.load(NOW)
    assert model.good_day is not None
    assert (
        model.good_day.sentence == "A year ago this week, teaching fueled you, and your energy was 8 of 10."
    )
    stored = {"day": NOW.date().isoformat(), "entry": entry_id}
    assert read(made_vault, good_days.KIND, good_days.NAME) == stored
    again = TodayModel(session)
    again.load(NOW)
    assert again.good_day == model.good_day
    assert read(made_vault, good_days.KIND, good_days.NAME) == stored


def test_never_a_low_day(session: Session, made_vault: MadeVault) -> None:
    """A fuel named on a low day a year ago is never recalled, and nothing is stored as shown."""
    a_year_ago(session.require(), energy=2)
    model = TodayModel(session)
    model.load(NOW)
    assert model.good_day is None
    assert read(made_vault, good_days.KIND, good_days.NAME) is None


def test_good_days_off_stays_off(session: Session, made_vault: MadeVault) -> None:
    """Turned off: the setting is stored and no good day is shown again, even on a later day."""
    a_year_ago(session.require())
    model = TodayModel(session)
    model.load(NOW)
    assert model.good_day is not None
    model.hide_good_days()
    settings = read(made_vault, SETTINGS, "ui")
    assert isinstance(settings, dict) and settings[SHOW_GOOD_DAYS] is False
    for later in (NOW, NOW + timedelta(days=good_days.EVERY_DAYS * 2)):
        again = TodayModel(session)
        again.load(later)
        assert again.good_day is None
    assert SettingsModel(session).today_offers() == (True, False)


def test_the_good_day_card_turns_off_with_one_tap(
    open_tab: Callable[..., Tab], made_vault: MadeVault
) -> None:
    """Today shows the card; "Don't show good days" stores the choice and the card goes."""
    tab = open_tab(a_year_ago)
    assert tab.shown("A year ago this week, teaching fueled you")
    tab.click("Don't show good days")
    settings = read(made_vault, SETTINGS, "ui")
    assert isinstance(settings, dict) and settings[SHOW_GOOD_DAYS] is False
    assert not tab.shown("A year ago this week")


def test_settings_switches_store_the_choices(open_tab: Callable[..., Tab], made_vault: MadeVault) -> None:
    """The two switches on Settings are named, start on, and store what they are set to."""
    tab = open_tab()
    tab.app.go("Settings")
    switches = {c.label: c for c in tab.controls() if isinstance(c, ft.Switch)}
    why = switches['Offer "your why" after a few tired days']
    good = switches["Now and then, a good day from before"]
    assert why.value and good.value
    why.value = False
    why.on_change(SimpleNamespace(control=why))
    good.value = False
    good.on_change(SimpleNamespace(control=good))
    settings = read(made_vault, SETTINGS, "ui")
    assert isinstance(settings, dict)
    assert (settings[SHOW_WHY], settings[SHOW_GOOD_DAYS]) == (False, False)
