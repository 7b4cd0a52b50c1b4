"""The Programmes and My why view-models: what the buttons store in the vault, read back fresh."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from conftest import MadeVault

from purpose_app.domain.entry import EntryChanges, PromptRef
from purpose_app.errors import InvalidInput
from purpose_app.services.library import Library
from purpose_app.services.reflection import PROGRAMME, Reflection
from purpose_app.services.session import Session
from purpose_app.ui.programmes_model import ProgrammesModel
from purpose_app.ui.why_model import WhyModel

ZONE = timezone(timedelta(hours=1))
MORNING = datetime(2024, 3, 10, 8, 0, tzinfo=ZONE)


def stored_programmes(made_vault: MadeVault) -> dict[str, object]:
    """The programme documents as a fresh unlock reads them."""
    opened = made_vault.open()
    try:
        return dict(opened.documents(PROGRAMME))
    finally:
        opened.lock()


def test_every_programme_is_listed_not_started(session: Session) -> None:
    """The three built-in programmes are offered, each with a Start button and "Not started."."""
    rows = ProgrammesModel(session, clock=lambda: MORNING).rows()
    assert {r.pack_id for r in rows} == {"three-good-things", "gratitude-letter", "three-questions"}
    assert all(r.actions == ("start",) and r.where == "Not started." for r in rows)


def test_starting_stores_the_programme_and_shows_the_day(session: Session, made_vault: MadeVault) -> None:
    """Start stores a running programme; the row says "Day 1 of 15" and offers pause and stop."""
    model = ProgrammesModel(session, clock=lambda: MORNING)
    after = model.act("three-good-things", "start")
    assert after.status == "running" and after.actions == ("pause", "stop")
    assert after.where.startswith("Day 1 of 15.") and after.today
    assert stored_programmes(made_vault)["three-good-things"] == {
        "status": "running",
        "started": "2024-03-10",
    }


def test_progress_counts_the_days_written(session: Session) -> None:
    """Five days answered: the row says "Day 6 of 15" and "5 of 15 days done"."""
    clock = {"now": MORNING}
    model = ProgrammesModel(session, clock=lambda: clock["now"])
    model.act("three-good-things", "start")
    opened = session.require()
    pack = Library(opened).pack("three-good-things").pack
    for day in range(5):
        when = MORNING + timedelta(days=day, hours=12)
        opened.add(EntryChanges(body=f"good {day}", prompt=PromptRef(pack.id, pack.prompts[day].id)), when)
    clock["now"] = MORNING + timedelta(days=5)
    row = next(r for r in model.rows() if r.pack_id == "three-good-things")
    assert row.where == "Day 6 of 15. 5 of 15 days done."


def test_pause_resume_and_stop_are_stored(session: Session, made_vault: MadeVault) -> None:
    """Pause keeps the state as paused, resume runs it again, stop removes it (entries stay)."""
    model = ProgrammesModel(session, clock=lambda: MORNING)
    model.act("gratitude-letter", "start")
    session.require().add(EntryChanges(body="a letter begun"), MORNING)
    assert model.act("gratitude-letter", "pause").actions == ("resume", "stop")
    assert stored_programmes(made_vault)["gratitude-letter"]["status"] == "paused"  # type: ignore[index]
    assert model.act("gratitude-letter", "resume").status == "running"
    assert model.act("gratitude-letter", "stop").status == "not started"
    assert "gratitude-letter" not in stored_programmes(made_vault)
    assert session.require().count() == 1


def test_stopping_one_not_started_says_so_and_changes_nothing(
    session: Session, made_vault: MadeVault
) -> None:
    """Stop on a programme never started is refused in words; nothing is stored."""
    with pytest.raises(InvalidInput) as caught:
        ProgrammesModel(session, clock=lambda: MORNING).act("three-questions", "stop")
    assert "nothing to stop" in caught.value.message
    assert stored_programmes(made_vault) == {}


def test_a_started_programme_reaches_today(session: Session) -> None:
    """After Start, the daily flow's running programmes include it (what Today's card reads)."""
    ProgrammesModel(session, clock=lambda: MORNING).act("three-good-things", "start")
    running = Reflection(Library(session.require())).running_programmes(MORNING)
    assert [p.pack.id for p in running] == ["three-good-things"]


def test_my_why_is_stored_and_every_version_kept(session: Session, made_vault: MadeVault) -> None:
    """Writing then rewriting keeps both versions, newest first, each with its day."""
    clock = {"now": MORNING}
    model = WhyModel(session, clock=lambda: clock["now"])
    assert model.current() is None and model.versions() == []
    assert model.save("To be there for people on their worst day.")
    clock["now"] = MORNING + timedelta(days=30)
    assert model.save("To be there, and to come home whole.")
    assert [(v.text, v.written) for v in model.versions()] == [
        ("To be there, and to come home whole.", "April 9, 2024"),
        ("To be there for people on their worst day.", "March 10, 2024"),
    ]
    opened = made_vault.open()
    try:
        assert Reflection(Library(opened)).my_why() == "To be there, and to come home whole."
    finally:
        opened.lock()


def test_saving_the_same_why_again_stores_no_new_version(session: Session) -> None:
    """An unchanged text is not a new version."""
    model = WhyModel(session, clock=lambda: MORNING)
    model.save("Curiosity.")
    assert model.save("  Curiosity. ") is False
    assert len(model.versions()) == 1


def test_an_empty_why_is_refused_and_the_old_one_kept(session: Session) -> None:
    """An empty text is refused with a kind message; the saved why stays."""
    model = WhyModel(session, clock=lambda: MORNING)
    model.save("Curiosity.")
    with pytest.raises(InvalidInput) as caught:
        model.save("   ")
    assert caught.value.message == "Your why is empty. A sentence or two is plenty."
    assert model.current() == "Curiosity."
