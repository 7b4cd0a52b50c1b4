"""The Trends view-model: four charts drawn once per state of the journal, a new range or a new entry
draws again, and the self-check line follows what is stored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from conftest import MadeVault

from purpose_app.domain.entry import EntryChanges
from purpose_app.services.session import Session
from purpose_app.ui.selfcheck_model import SelfCheckModel
from purpose_app.ui.support_model import FALLBACK_PRIVACY, resources
from purpose_app.ui.trends_model import KINDS, TrendsModel

NOW = datetime(2024, 4, 2, 12, tzinfo=UTC)


def test_charts_are_drawn_once_per_state(session: Session) -> None:
    """Four PNG charts with sentences; the same state reuses them, a new entry or range draws again."""
    model = TrendsModel(session, clock=lambda: NOW)
    first = model.rendered(dark=False, phone=False)
    assert len(first) == len(KINDS)
    assert all(c.png.startswith(b"\x89PNG") and c.summary for c in first)
    assert model.rendered(dark=False, phone=False) is first
    session.require().add(EntryChanges(energy=6))
    second = model.rendered(dark=False, phone=False)
    assert second is not first
    model.choose(None)
    assert model.days is None
    assert model.rendered(dark=False, phone=False) is not second


def test_selfcheck_line_follows_what_is_stored(session: Session) -> None:
    """Both checks open on a new journal; after both are stored, "You are up to date."."""
    model = TrendsModel(session, clock=lambda: NOW)
    assert model.selfcheck_line() == (
        "Whenever you like: a quick check is open this week and the Copenhagen check is open this month."
    )
    checks = SelfCheckModel(session, clock=lambda: NOW)
    checks.record_quick("2")
    assert model.selfcheck_line() == "Whenever you like: the Copenhagen check is open this month."
    checks.record_cbi(["50"] * 19)
    assert model.selfcheck_line() == "You are up to date."


def test_support_resources_read_without_unlocking(made_vault: MadeVault) -> None:
    """While locked the shipped list is shown: at least two resources and a privacy sentence."""
    items, privacy = resources(Session(made_vault.folder))
    assert len(items) >= 2 and privacy
    assert FALLBACK_PRIVACY


def test_a_long_range_is_drawn_in_weeks_with_daily_detail_one_tap_away(session: Session) -> None:
    """A year of check-ins under "A year": the energy chart is a week's means and says so; "Daily
    detail" draws it day by day; 30 days is never coarse."""
    vault = session.require()
    for i in range(0, 360, 2):
        vault.add(EntryChanges(energy=i % 11, created=NOW - timedelta(days=i)))
    model = TrendsModel(session, clock=lambda: NOW)
    model.choose(365)
    weekly = model.rendered(dark=False, phone=True, width=318, pixel_ratio=3.0)[0]
    assert model.coarse
    assert weekly.title == "Energy, week by week"
    assert weekly.summary.endswith("Each point is a week's mean energy.")
    assert weekly.width == 318 * 3  # drawn at the width it is shown, sharp at the device's ratio
    model.show_detail(True)
    daily = model.rendered(dark=False, phone=True, width=318, pixel_ratio=3.0)[0]
    assert daily.title == "Energy, day by day" and "Each point" not in daily.summary
    assert model.coarse  # the switch stays, so the way back is one tap too
    model.show_detail(False)
    model.choose(30)
    assert model.rendered(dark=False, phone=True, width=318, pixel_ratio=3.0)[0].title == "Energy, day by day"
    assert not model.coarse


def test_ready_draws_nothing(session: Session) -> None:
    """Before the first drawing there is nothing ready (so the screen shows its progress ring); after
    it, the same charts come back without drawing again."""
    model = TrendsModel(session, clock=lambda: NOW)
    size = model.size(phone=False, width=900, pixel_ratio=1.0)
    assert model.ready(dark=False, size=size) is None
    drawn = model.rendered(dark=False, phone=False, width=900, pixel_ratio=1.0)
    assert model.ready(dark=False, size=size) is drawn
