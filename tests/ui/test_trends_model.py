"""The Trends view-model: four charts drawn once per state of the journal, a new range or a new entry
draws again, and the self-check line follows what is stored."""

from __future__ import annotations

from datetime import UTC, datetime

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
