"""The facilitator and self-check history view-models: what they store, and what they read back."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from conftest import MadeVault

from purpose_app.errors import InvalidInput, PurposeError
from purpose_app.packs.parse import parse_pack
from purpose_app.packs.signing import open_signed
from purpose_app.services.library import TRUSTED, Library
from purpose_app.services.selfcheck import SelfChecks
from purpose_app.services.session import Session
from purpose_app.ui.facilitator_model import FacilitatorModel, pack_id_for
from purpose_app.ui.selfcheck_history_model import SelfCheckHistoryModel

TAKEN = datetime(2024, 3, 3, 21, 40, tzinfo=UTC)


def stored_trusted(made_vault: MadeVault) -> dict[str, object]:
    """Trusted signers as a fresh unlock reads them."""
    opened = made_vault.open()
    try:
        return dict(opened.documents(TRUSTED))
    finally:
        opened.lock()


def test_a_pack_is_made_from_the_chosen_prompts(session: Session) -> None:
    """Two chosen prompts become a valid pack file named after the pack, holding exactly them."""
    model = FacilitatorModel(session)
    first, second = model.choices()[:2]
    model.toggle(first.ref, True)
    model.toggle(second.ref, True)
    made = model.make_pack("Tuesday group", "For our Tuesday evenings.")
    pack = parse_pack(made.data)
    assert made.file_name == "tuesday-group.toml" and not made.signed and made.count == 2
    assert [p.text for p in pack.prompts] == [first.text, second.text]
    assert pack.name == "Tuesday group" and pack.description == "For our Tuesday evenings."


def test_a_pack_needs_a_name_and_a_prompt(session: Session) -> None:
    """No prompt chosen, or no usable name: a kind message each, and no file."""
    model = FacilitatorModel(session)
    with pytest.raises(InvalidInput) as caught:
        model.make_pack("Tuesday group")
    assert caught.value.message == "Choose at least one prompt for the pack."
    model.toggle(model.choices()[0].ref, True)
    with pytest.raises(InvalidInput) as caught:
        model.make_pack("   ")
    assert "Give the pack a name" in caught.value.message
    assert pack_id_for("2024: Ward 7 — nights!") == "ward-7-nights"


def test_signing_needs_an_identity_then_signs_with_it(session: Session, made_vault: MadeVault) -> None:
    """Without an identity signing is refused; once made, the pack is signed by it and it is trusted."""
    model = FacilitatorModel(session)
    model.toggle(model.choices()[0].ref, True)
    with pytest.raises(PurposeError) as caught:
        model.make_pack("Tuesday group", sign=True)
    assert "no signing identity" in caught.value.message
    signer = model.create_identity("Dr Ada, Tuesday group")
    assert model.identity() == signer
    made = model.make_pack("Tuesday group", sign=True)
    found, _body = open_signed(made.data)
    assert made.signed and found is not None and found.fingerprint == signer.fingerprint
    assert signer.fingerprint in stored_trusted(made_vault)


def test_signing_a_picked_file(session: Session) -> None:
    """A picked unsigned pack file comes back signed, under a name that says so."""
    model = FacilitatorModel(session)
    model.create_identity("Dr Ada")
    raw = Library(session.require()).export_pack("legacy")
    signed, name = model.sign_file(raw, "legacy.toml")
    assert name == "legacy.signed.toml" and open_signed(signed)[0] is not None
    with pytest.raises(PurposeError) as caught:
        model.sign_file(signed, "legacy.signed.toml")
    assert "already signed" in caught.value.message


def test_removing_trust_is_stored(session: Session, made_vault: MadeVault) -> None:
    """Removing a trusted signer takes it out of the vault; removing it twice says nothing was changed."""
    model = FacilitatorModel(session)
    signer = model.create_identity("Dr Ada")
    assert model.trusted() == [(signer.fingerprint, "Dr Ada")]
    assert model.remove_trust(signer.fingerprint) == "Dr Ada"
    assert stored_trusted(made_vault) == {}
    with pytest.raises(InvalidInput) as caught:
        model.remove_trust(signer.fingerprint)
    assert "nothing was changed" in caught.value.message


def test_history_lists_every_result_newest_first(session: Session) -> None:
    """A quick check and a Copenhagen check are listed newest first with their scores."""
    checks = SelfChecks(session.require())
    checks.record_quick(3, TAKEN)
    checks.record_cbi(tuple([50] * 19), TAKEN.replace(day=20))
    rows = SelfCheckHistoryModel(session).rows()
    assert [(r.title, r.when) for r in rows] == [
        ("Copenhagen check", "Mar 20, 2024, 21:40"),
        ("Quick check", "Mar 3, 2024, 21:40"),
    ]
    assert rows[1].summary == "3 of 5"
    assert rows[0].summary.startswith("Personal 50")


def test_one_result_in_full(session: Session) -> None:
    """A single result shows its answer in the check's own words and the not-a-diagnosis note."""
    quick = SelfChecks(session.require()).record_quick(4, TAKEN)
    model = SelfCheckHistoryModel(session)
    heading, lines = model.detail(quick.id)
    assert heading == "Quick check, Mar 3, 2024, 21:40"
    assert lines[0].startswith("You chose 4 of 5.") and "won't go away" in lines[1]
    assert model.wants_support(quick.id)
    cbi = SelfChecks(session.require()).record_cbi(tuple([25] * 19), TAKEN)
    _heading, lines = model.detail(cbi.id)
    assert "not a diagnosis" in " ".join(lines) and "19 of 19 questions answered." in lines
    assert model.detail("gone")[1] == ["This result is no longer in your journal."]
