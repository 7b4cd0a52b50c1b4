"""Today's view-model: the prompt offer, the quick check-in, saving, chip suggestions and drafts."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from conftest import PASSPHRASE, MadeVault

from purpose_app.domain.entry import EntryChanges, PromptRef
from purpose_app.errors import InvalidInput
from purpose_app.services.library import Library
from purpose_app.services.reflection import Reflection
from purpose_app.services.session import Session
from purpose_app.storage.location import DATABASE_NAME
from purpose_app.ui.today_model import (
    CHECKIN_ALREADY_SAVED,
    CHECKIN_EMPTY,
    DEFAULT_DRAINS,
    DEFAULT_FUELS,
    DRAFT,
    MIDDLE_ENERGY,
    TodayModel,
)

NOW = datetime(2026, 3, 10, 12).astimezone()
PROGRAMME = "three-good-things"


def vault_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.iterdir()) if p.name.startswith(DATABASE_NAME))


@pytest.fixture
def model(session: Session) -> TodayModel:
    today = TodayModel(session)
    today.load(NOW)
    return today


# -- the prompt card


def test_load_offers_a_prompt_with_a_reason(model: TodayModel) -> None:
    """load() gives today's prompt with a why, and the editor will answer it."""
    assert model.offer is not None
    assert model.offer.why.strip()
    assert model.offer.prompt.text.strip()
    assert model.editor.answering == model.offer.prompt.ref
    assert model.pending_draft is None


def test_another_changes_the_prompt_and_what_is_answered(model: TodayModel) -> None:
    """another() offers a different prompt, and an empty editor follows it."""
    assert model.offer is not None
    first = model.offer.prompt.ref
    model.another(NOW)
    assert model.offer is not None
    assert model.offer.prompt.ref != first
    assert model.editor.answering == model.offer.prompt.ref


def test_skip_to_blank_clears_what_is_answered(model: TodayModel) -> None:
    """The blank page answers no prompt, and reloading does not sneak the prompt back in."""
    model.skip_to_blank()
    assert model.blank
    assert model.editor.answering is None
    model.load(NOW)
    assert model.editor.answering is None


def test_a_blank_page_entry_records_no_prompt(model: TodayModel) -> None:
    """Words written on the blank page are saved without a prompt reference."""
    model.skip_to_blank()
    model.editor.body = "Just a note."
    assert model.save().prompt is None


# -- quick check-in


def test_quick_checkin_saves_ratings_without_text_and_keeps_the_words(
    model: TodayModel, session: Session
) -> None:
    """Energy, drains, fuels and shift are saved with no text; the words in the editor stay there."""
    model.editor.title = "Half a thought"
    model.editor.body = "I was in the middle of writing this."
    model.editor.energy = 3
    model.editor.drains = ["pager", "charting"]
    model.editor.fuels = ["teaching"]
    model.editor.shift = "night"

    entry = model.quick_checkin()

    stored = session.require().get(entry.id)
    assert (stored.energy, stored.drains, stored.fuels, stored.shift) == (
        3,
        ("pager", "charting"),
        ("teaching",),
        "night",
    )
    assert stored.title == "" and stored.body == "" and stored.tags == ()
    assert stored.prompt is None
    assert model.editor.title == "Half a thought"
    assert model.editor.body == "I was in the middle of writing this."
    assert model.editor.energy is None and model.editor.drains == [] and model.editor.fuels == []
    assert model.editor.shift is None
    assert model.last_saved == entry


def test_an_empty_quick_checkin_is_refused(model: TodayModel, session: Session) -> None:
    """Nothing chosen: a calm InvalidInput and nothing saved."""
    with pytest.raises(InvalidInput) as refused:
        model.quick_checkin()
    assert refused.value.message == CHECKIN_EMPTY
    assert session.require().count() == 0


def test_a_second_tap_stores_nothing_and_nothing_leaks_into_the_next_entry(
    model: TodayModel, session: Session
) -> None:
    """Save check-in twice: one entry stored; the entry written next carries none of the check-in."""
    model.editor.energy = 7
    model.editor.shift = "night"
    model.editor.drains = ["pager"]
    first = model.quick_checkin()

    with pytest.raises(InvalidInput) as again:
        model.quick_checkin()
    assert again.value.message == CHECKIN_ALREADY_SAVED
    (stored,) = session.require().entries(with_bodies=True)
    assert (stored.id, stored.energy, stored.shift, stored.drains) == (first.id, 7, "night", ("pager",))

    model.editor.body = "After the shift."
    written = session.require().get(model.save().id)
    assert (written.energy, written.shift, written.drains, written.fuels) == (None, None, (), ())
    assert written.body == "After the shift."
    assert session.require().count() == 2


def test_the_card_says_what_was_saved_and_starts_unset(model: TodayModel) -> None:
    """After a save the energy reads "not set" again, and a line says what the saved check-in held."""
    assert model.energy_text() == "Energy: not set" and model.checkin_saved_text() == ""
    model.set_energy()
    assert model.editor.energy == MIDDLE_ENERGY
    assert model.energy_text() == f"Energy: {MIDDLE_ENERGY} of 10"
    model.editor.shift = "night"
    model.editor.fuels = ["teaching"]
    entry = model.quick_checkin()
    assert model.energy_text() == "Energy: not set"
    assert model.checkin_saved_text() == (
        f"Check-in saved at {entry.created:%H:%M}: energy {MIDDLE_ENERGY} of 10, night shift, teaching."
    )


# -- saving


def test_save_records_the_prompt_answered_and_clears_editor_and_draft(
    model: TodayModel, session: Session
) -> None:
    """A saved entry with text answers the offered prompt; the editor and the sealed draft are cleared."""
    assert model.offer is not None
    ref = model.offer.prompt.ref
    model.editor.title = "Why I stayed"
    model.editor.body = "Because of Mrs. K."
    model.editor.tags = ["ward"]
    model.keep_draft()
    assert session.require().document(DRAFT, "today") is not None

    entry = model.save()

    pack, _, prompt_id = ref.partition("/")
    assert entry.prompt == PromptRef(pack, prompt_id)
    stored = session.require().get(entry.id)
    assert (stored.title, stored.body, stored.tags) == ("Why I stayed", "Because of Mrs. K.", ("ward",))
    assert not model.editor.has_text() and model.editor.answering is None
    assert session.require().document(DRAFT, "today") is None
    assert model.pending_draft is None


def test_save_without_text_records_no_prompt(model: TodayModel) -> None:
    """A rating alone does not count as answering the prompt."""
    assert model.editor.answering is not None
    model.editor.energy = 6
    entry = model.save()
    assert entry.prompt is None
    assert entry.energy == 6


def test_an_answered_prompt_from_a_programme_is_recorded(model: TodayModel, session: Session) -> None:
    """answer(ref) makes the next saved entry answer that prompt."""
    model.answer(f"{PROGRAMME}/day-01")
    model.editor.body = "Three good things."
    assert model.save().prompt == PromptRef(PROGRAMME, "day-01")


# -- chips


def add_labels(session: Session, kind: str, *groups: tuple[str, ...]) -> None:
    for labels in groups:
        session.require().add(EntryChanges(**{kind: labels}))  # type: ignore[arg-type]


def test_suggestions_put_the_persons_own_labels_first(model: TodayModel, session: Session) -> None:
    """Own drains come first, most frequent first, then the defaults not already there."""
    add_labels(
        session,
        "drains",
        ("pager",),
        ("pager", "night admin"),
        ("pager", "night admin", "Charting"),
    )
    suggested = model.suggestions("drains", limit=10)
    assert suggested[:3] == ["pager", "night admin", "Charting"]
    rest = [d for d in DEFAULT_DRAINS if d.casefold() not in {"pager", "charting"}]
    assert suggested[3:] == rest
    assert len({s.casefold() for s in suggested}) == len(suggested)


def test_suggestions_without_history_are_the_defaults(model: TodayModel) -> None:
    """A new journal suggests the gentle defaults, capped at the limit."""
    assert model.suggestions("fuels") == list(DEFAULT_FUELS)
    assert model.suggestions("drains", limit=2) == list(DEFAULT_DRAINS[:2])


def test_suggestions_do_not_repeat_a_label_in_another_case(model: TodayModel, session: Session) -> None:
    """ "Teaching" in one entry and "teaching" in another are one suggestion, not two chips."""
    add_labels(session, "fuels", ("Teaching",), ("teaching",), ("teaching", "coffee"))
    suggested = model.suggestions("fuels", limit=10)
    folded = [s.casefold() for s in suggested]
    assert len(set(folded)) == len(folded)
    assert folded[0] == "teaching"
    assert "coffee" in folded


def test_suggestions_follow_this_cards_saves_without_reading_the_journal_again(
    model: TodayModel, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A drain saved twice from the card comes first at once; no entry's metadata is read for it, and
    the chips are those the journal's own newest entries give."""
    add_labels(session, "drains", ("pager",))
    assert model.suggestions("drains", limit=3)[0] == "pager"

    def refuse(*_args: object, **_kwargs: object) -> object:
        raise AssertionError("the journal was read again")

    for _ in range(2):
        model.toggle("drains", "night admin")
        monkeypatch.setattr(session.require(), "entries", refuse)
        model.quick_checkin()
        monkeypatch.undo()
    suggested = model.suggestions("drains", limit=3)
    assert suggested[:2] == ["night admin", "pager"]
    fresh = TodayModel(session)
    fresh.load()
    assert fresh.suggestions("drains", limit=3) == suggested


def test_toggle_adds_and_removes_a_chip(model: TodayModel) -> None:
    """toggle() reports the new state and changes the editor's list."""
    assert model.toggle("fuels", "teaching") is True
    assert model.editor.fuels == ["teaching"]
    assert model.toggle("fuels", "teaching") is False
    assert model.editor.fuels == []


# -- drafts


def test_a_draft_survives_a_lock_and_a_new_session(made_vault: MadeVault, session: Session) -> None:
    """Typed words kept as a draft are offered back to a new Session after lock, and restore exactly."""
    model = TodayModel(session)
    model.load(NOW)
    model.editor.title = "Night thoughts"
    model.editor.body = "The family in bay four thanked us."
    model.editor.tags = ["nights", "family"]
    model.answer(f"{PROGRAMME}/day-01")
    model.keep_draft()
    session.lock()

    fresh = Session(made_vault.folder)
    fresh.unlock(PASSPHRASE)
    try:
        again = TodayModel(fresh)
        again.load(NOW)
        assert again.pending_draft is not None
        assert again.pending_draft["body"] == "The family in bay four thanked us."
        assert again.pending_draft.get("kept")

        again.restore_draft()
        assert again.pending_draft is None
        assert again.editor.title == "Night thoughts"
        assert again.editor.body == "The family in bay four thanked us."
        assert again.editor.tags == ["nights", "family"]
        assert again.editor.answering == f"{PROGRAMME}/day-01"
    finally:
        fresh.lock()


def test_discard_draft_removes_it(model: TodayModel, session: Session) -> None:
    """A discarded draft is gone from the vault and is not offered again."""
    model.editor.body = "Not worth keeping."
    model.keep_draft()
    model.load(NOW)
    assert model.pending_draft is not None
    model.discard_draft()
    assert model.pending_draft is None
    assert session.require().document(DRAFT, "today") is None
    again = TodayModel(session)
    again.load(NOW)
    assert again.pending_draft is None


def test_an_empty_editor_keeps_no_draft(model: TodayModel, session: Session) -> None:
    """Only words make a draft: ratings alone are not kept."""
    model.editor.energy = 4
    model.keep_draft()
    assert session.require().document(DRAFT, "today") is None


def test_the_draft_is_sealed_on_disk(made_vault: MadeVault, model: TodayModel, session: Session) -> None:
    """The draft's words never appear in the database files, before or after lock."""
    secret = "Zanzibar-ventilator-draft-4417"
    model.editor.body = f"I keep thinking about {secret}."
    model.keep_draft()
    assert secret.encode() not in vault_bytes(made_vault.folder)
    session.lock()
    assert secret.encode() not in vault_bytes(made_vault.folder)


# -- programmes


def test_running_programmes_appear_on_today(session: Session) -> None:
    """A started programme shows up in model.programmes with its prompt of the day."""
    model = TodayModel(session)
    model.load(NOW)
    assert model.programmes == []
    Reflection(Library(session.require())).start_programme(PROGRAMME, NOW)
    model.load(NOW)
    assert [p.pack.id for p in model.programmes] == [PROGRAMME]
    progress = model.programmes[0]
    assert progress.status == "running"
    assert progress.today is not None
    assert progress.today.ref.startswith(f"{PROGRAMME}/")
