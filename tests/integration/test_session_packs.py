"""Session-only packs on a real vault: out of the daily rotation until the member turns them on (and
that choice is kept), still available to group mode; facilitator notes never in the daily offer."""

from __future__ import annotations

from datetime import UTC, datetime

from conftest import MadeVault

from purpose_app.packs.builtin import builtin_packs
from purpose_app.services import vault
from purpose_app.services.library import Library
from purpose_app.services.reflection import Reflection

NOW = datetime(2026, 11, 12, 19, 0, tzinfo=UTC)


def pack_file(*, session_only: bool) -> bytes:
    flag = "session_only = true\n" if session_only else ""
    return (
        'format = 1\nid = "grief-circle"\nname = "Grief"\nversion = 1\ndescription = "For our circle."\n'
        'author = "St Mary\'s"\nlanguage = "en"\nlicence = "CC-BY-4.0"\n' + flag
        + 'facilitator_notes = "PACK-NOTE for the leader"\n'
        '\n[[prompts]]\nid = "q-1"\ntext = "Which loss are you still carrying?"\ntheme = "grief"\n'
        'weight = "light"\nfacilitator_notes = "PROMPT-NOTE for the leader"\n'
    ).encode()  # fmt: skip


def only(library: Library, pack_id: str) -> None:
    """Every pack off but one, so the daily offer can only come from it (or from nothing)."""
    for info in library.packs():
        if info.pack.id != pack_id:
            library.set_enabled(info.pack.id, False)


def test_builtin_session_packs_start_off_and_out_of_the_pool(unlocked: vault.Vault) -> None:
    """The built-in session packs are listed but off, and none of their prompts is in the daily pool."""
    library = Library(unlocked)
    session_ids = {p.id for p in builtin_packs() if p.session_only}
    assert session_ids == {"balint-case-reflection", "finding-meaning"}
    assert all(not library.pack(pack_id).enabled for pack_id in session_ids)
    assert not [p for p in library.enabled_prompts() if p.pack in session_ids]
    other = next(p.id for p in builtin_packs() if not p.session_only and not p.programme)
    assert library.pack(other).enabled


def test_an_imported_session_pack_is_never_the_daily_prompt(unlocked: vault.Vault) -> None:
    """With every other pack off, an imported session-only pack still offers nothing daily."""
    library = Library(unlocked)
    info = library.import_pack(pack_file(session_only=True))
    assert not info.enabled and info.pack.session_only
    only(library, "grief-circle")
    assert Reflection(library).today(NOW) is None


def test_a_member_can_switch_a_session_pack_into_rotation(made_vault: MadeVault) -> None:
    """Turned on, the session pack's prompt is offered; the choice is stored and outlives a lock."""
    opened = made_vault.open()
    library = Library(opened)
    library.import_pack(pack_file(session_only=True))
    only(library, "grief-circle")
    library.set_enabled("grief-circle", True)
    opened.lock()
    again = made_vault.open()
    try:
        library = Library(again)
        assert library.pack("grief-circle").enabled
        offer = Reflection(library).today(NOW)
        assert offer is not None and offer.prompt.ref == "grief-circle/q-1"
        library.set_enabled("grief-circle", False)
        assert "grief-circle/q-1" not in {p.ref for p in library.enabled_prompts()}
    finally:
        again.lock()


def test_an_ordinary_pack_with_notes_is_on_and_its_offer_shows_no_notes(unlocked: vault.Vault) -> None:
    """A pack without session_only is on at import, as before; its daily offer carries the prompt's
    words and follow-up, and the notes reach no text the Today screen or the command line shows."""
    from purpose_app.cli.prompt_view import prompt_human, prompt_json

    library = Library(unlocked)
    assert library.import_pack(pack_file(session_only=False)).enabled
    only(library, "grief-circle")
    offer = Reflection(library).today(NOW)
    assert offer is not None and offer.prompt.text == "Which loss are you still carrying?"
    shown = prompt_human(offer.prompt, offer.why) + repr(prompt_json(offer.prompt, offer.why)) + offer.why
    assert "NOTE" not in shown
