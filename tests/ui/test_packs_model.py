"""The Packs view-model: packs on and off, favourites, your own prompts and imported pack files, each
read back from the vault through a fresh unlock and the library service."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from conftest import MadeVault

from purpose_app.errors import PurposeError
from purpose_app.services import vault
from purpose_app.services.library import Library
from purpose_app.services.session import Session
from purpose_app.ui.packs_model import PacksModel, mark


def pack_file(pack_id: str = "courage-circle") -> bytes:
    """A small valid unsigned pack file."""
    return (
        f'format = 1\nid = "{pack_id}"\nname = "Courage"\nversion = 1\n'
        'description = "For our circle."\nauthor = "St Mary\'s"\nlanguage = "en"\nlicence = "CC-BY-4.0"\n'
        '\n[[prompts]]\nid = "q-1"\ntext = "What took courage this week?"\n'
        'theme = "fuels"\nweight = "light"\n'
    ).encode()


@pytest.fixture
def stored(made_vault: MadeVault) -> Iterator[Callable[[], Library]]:
    """The library as a second unlock of the same folder sees it: what is stored, not what is drawn."""
    opened: list[vault.Vault] = []

    def fresh() -> Library:
        opened.append(made_vault.open())
        return Library(opened[-1])

    yield fresh
    for one in opened:
        one.lock()


def test_a_pack_switched_off_is_stored(session: Session, stored: Callable[[], Library]) -> None:
    """Switching a built-in pack off is stored; switching it on again is stored too."""
    model = PacksModel(session)
    daily = [i for i in model.packs() if not i.pack.session_only]  # session packs start off
    first = daily[0].pack.id
    assert daily[0].enabled
    model.set_enabled(first, False)
    assert not stored().pack(first).enabled
    model.set_enabled(first, True)
    assert stored().pack(first).enabled


def test_favourites_are_stored(session: Session, stored: Callable[[], Library]) -> None:
    """A starred prompt is in the stored favourites; unstarring removes it."""
    model = PacksModel(session)
    ref = model.packs()[0].pack.prompts[0].ref
    model.set_favourite(ref, True)
    assert stored().favourites() == [ref]
    assert model.favourites() == {ref}
    model.set_favourite(ref, False)
    assert stored().favourites() == []


def test_your_own_prompt_is_stored(session: Session, stored: Callable[[], Library]) -> None:
    """A prompt written in Packs is stored in the personal pack with the chosen weight."""
    PacksModel(session).write_prompt("What did I notice today?", "deep")
    personal = stored().personal_pack()
    assert personal is not None
    assert [(p.text, p.weight) for p in personal.prompts] == [("What did I notice today?", "deep")]


def test_an_empty_prompt_stores_nothing(session: Session, stored: Callable[[], Library]) -> None:
    """An empty prompt is refused with a message, and no personal pack appears."""
    with pytest.raises(PurposeError):
        PacksModel(session).write_prompt("   ", "medium")
    assert stored().personal_pack() is None


def test_an_imported_pack_is_stored_and_exports_the_same_bytes(
    session: Session, stored: Callable[[], Library]
) -> None:
    """An unsigned pack file imports as "unsigned", is in the vault, and exports byte for byte."""
    raw = pack_file()
    info = PacksModel(session).import_pack(raw)
    assert mark(info) == "unsigned"
    kept = stored().pack("courage-circle")
    assert kept.source == "imported" and kept.enabled
    assert [p.text for p in kept.pack.prompts] == ["What took courage this week?"]
    assert PacksModel(session).export_pack("courage-circle") == raw


def test_a_broken_pack_file_stores_nothing(session: Session, stored: Callable[[], Library]) -> None:
    """A file that is not a pack is refused with its own message; the vault has no new pack."""
    before = [i.pack.id for i in stored().packs()]
    with pytest.raises(PurposeError):
        PacksModel(session).import_pack(b"format = 1\nid = ")
    assert [i.pack.id for i in stored().packs()] == before


def test_group_mode_starts_with_the_opened_pack(session: Session) -> None:
    """Group mode offers no programmes and nothing personal, and starts on the opened pack if offered."""
    model = PacksModel(session)
    model.write_prompt("Mine alone", "light")
    chosen, packs = model.group_packs()
    assert chosen == packs[0]
    assert all(not p.programme and p.id != "personal" for p in packs)
    second = packs[1].id
    model.toggle_open(second)
    assert model.opened == second
    assert model.group_packs()[0].id == second
    model.toggle_open(second)
    assert model.opened is None


def test_marks_say_where_a_pack_comes_from(session: Session) -> None:
    """Built-in packs are marked "built in"; your own prompts "your own"."""
    model = PacksModel(session)
    model.write_prompt("Mine alone", "light")
    marks = {i.source: mark(i) for i in model.packs()}
    assert marks["built-in"] == "built in"
    assert marks["personal"] == "your own"
