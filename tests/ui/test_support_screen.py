"""Support that reaches people, on a real Flet page (see test_screens): one-tap buttons with their
names and schemes, the note beside each resource, and the person's own contacts added, changed and
removed in the app, read back from the vault."""

from __future__ import annotations

from collections.abc import Iterator

import flet as ft
import pytest
from conftest import MadeVault
from test_screens import PHONE, Tab, walk

from purpose_app.errors import InvalidInput
from purpose_app.insight import support
from purpose_app.services.session import Session
from purpose_app.ui.screens import today
from purpose_app.ui.support_model import SupportModel, rows


@pytest.fixture
def unlocked_tab(made_vault: MadeVault, monkeypatch: pytest.MonkeyPatch) -> Iterator[Tab]:
    monkeypatch.setattr(today, "DRAFT_DELAY_SECONDS", 3600)
    tab = Tab(made_vault.folder)
    tab.unlock()
    yield tab
    tab.close()


CHANGED = {"name": "Dr Lee", "contact": "Call or text 555-0111"}


def stored(made_vault: MadeVault) -> dict[str, object]:
    opened = made_vault.open()
    try:
        return dict(opened.documents(support.KIND))
    finally:
        opened.lock()


def link_buttons(tab: Tab) -> dict[str, str]:
    (dialog,) = tab.dialogs()
    return {c.content: c.url for c in walk(dialog) if isinstance(c, ft.TextButton) and c.url}


# -- the view-model


def test_each_resource_has_its_links(made_vault: MadeVault) -> None:
    """Locked or not, every resource comes with its links: tel: for calls, sms: for texts, https: for
    websites, and the Physician Support Line keeps its note."""
    found, privacy = rows(Session(made_vault.folder))
    named = {row.name: row for row in found}
    assert [link.url for link in named["988 Suicide & Crisis Lifeline"].links] == [
        "tel:988",
        "sms:988",
        "https://988lifeline.org",
    ]
    assert [link.url for link in named["Crisis Text Line"].links] == ["sms:741741?body=HOME"]
    assert "not reportable to medical boards" in named["Physician Support Line"].note
    assert "unless you export, back up or sync it" in privacy


def test_the_model_adds_edits_and_removes_own_contacts(session: Session, made_vault: MadeVault) -> None:
    """Add, edit, remove: each is what the vault holds afterwards, and own contacts come first."""
    model = SupportModel(session)
    added = model.add("Dr Lee", "555-0100", "my mentor")
    assert added.id is not None
    assert stored(made_vault) == {added.id: {"name": "Dr Lee", "contact": "555-0100", "note": "my mentor"}}
    first, _ = rows(session)
    assert (first[0].name, first[0].id) == ("Dr Lee", added.id)
    model.edit(added.id, "Dr Lee", "Call or text 555-0111", "")
    assert stored(made_vault) == {
        added.id: {"name": "Dr Lee", "contact": "Call or text 555-0111", "note": ""}
    }
    model.remove(added.id)
    assert stored(made_vault) == {}


def test_a_contact_without_a_way_to_reach_it_is_not_stored(session: Session, made_vault: MadeVault) -> None:
    """No contact: the calm message, and nothing stored."""
    with pytest.raises(InvalidInput, match="needs a name and a way to reach it"):
        SupportModel(session).add("Dr Lee", "")
    assert stored(made_vault) == {}


# -- the screen


@pytest.mark.parametrize("width", [PHONE, 1280])
def test_every_number_opens_with_one_tap(made_vault: MadeVault, width: int) -> None:
    """Support (even locked) has named buttons for each way to reach a line, with the right links,
    the note beside the resource, and a dialog no wider than the page less its margins."""
    tab = Tab(made_vault.folder, width)
    try:
        tab.click("Support")
        buttons = link_buttons(tab)
        assert buttons["Call 988"] == "tel:988"
        assert buttons["Text 988"] == "sms:988"
        assert buttons["Open 988lifeline.org website"] == "https://988lifeline.org"
        assert buttons["Call 1-888-409-0141"] == "tel:18884090141"
        assert buttons["Text HOME to 741741"] == "sms:741741?body=HOME"
        assert buttons["Open fsphp.org website"] == "https://fsphp.org"
        assert tab.shown("not reportable to medical boards")
        (dialog,) = tab.dialogs()
        assert dialog.content.width <= min(560, width - 32)
        assert not tab.has_button("Add a contact")  # locked: own contacts need the passphrase
    finally:
        tab.close()


def test_own_contact_added_in_the_dialog_is_stored(unlocked_tab: Tab, made_vault: MadeVault) -> None:
    """Add a contact: the form, "Save contact", then the list shows it with its Call button."""
    tab = unlocked_tab
    tab.click("Support")
    tab.click("Add a contact")
    tab.type_into("Name", "Dr Lee")
    tab.type_into("Phone number or address", "555-0100")
    tab.type_into("Note (optional)", "my mentor")
    tab.click("Save contact")
    ((rid, record),) = stored(made_vault).items()
    assert record == {"name": "Dr Lee", "contact": "555-0100", "note": "my mentor"}
    assert link_buttons(tab)["Call 555-0100"] == "tel:5550100"
    assert tab.has_button("Edit Dr Lee")
    assert rid


def test_a_problem_in_the_form_is_said_and_nothing_stored(unlocked_tab: Tab, made_vault: MadeVault) -> None:
    """Saving without a number or address: the message in the form, the words kept, nothing stored."""
    tab = unlocked_tab
    tab.click("Support")
    tab.click("Add a contact")
    tab.type_into("Name", "Dr Lee")
    tab.click("Save contact")
    assert tab.shown("needs a name and a way to reach it")
    assert tab.field("Name").value == "Dr Lee"
    assert stored(made_vault) == {}


def test_own_contact_edited_then_removed_in_the_dialog(unlocked_tab: Tab, made_vault: MadeVault) -> None:
    """Edit changes the stored record in place; "Remove this contact" deletes it."""
    tab = unlocked_tab
    added = SupportModel(tab.session).add("Dr Lee", "555-0100")
    tab.click("Support")
    tab.click("Edit Dr Lee")
    assert tab.field("Phone number or address").value == "555-0100"
    tab.type_into("Phone number or address", "Call or text 555-0111")
    tab.click("Save contact")
    assert stored(made_vault) == {
        added.id: {"name": "Dr Lee", "contact": "Call or text 555-0111", "note": ""}
    }
    assert link_buttons(tab)["Text 555-0111"] == "sms:5550111"
    tab.click("Edit Dr Lee")
    tab.click("Remove this contact")
    assert stored(made_vault) == {}
    assert not tab.has_button("Edit Dr Lee")
