"""Support links: every shipped number and address opens with one tap (tel:, sms:, https:), the
person's own contacts get theirs from their words, and editing one stores exactly what was typed."""

from __future__ import annotations

from typing import cast

import pytest

from purpose_app.domain.json_value import JsonValue
from purpose_app.errors import InvalidInput
from purpose_app.insight import support


class Store:
    """A fake of the vault's sealed documents: a dict per kind."""

    def __init__(self) -> None:
        self.docs: dict[str, dict[str, JsonValue]] = {}

    def documents(self, kind: str) -> dict[str, JsonValue]:
        return dict(self.docs.get(kind, {}))

    def put_document(self, kind: str, name: str, data: JsonValue) -> None:
        self.docs.setdefault(kind, {})[name] = data

    def delete_document(self, kind: str, name: str) -> bool:
        return self.docs.get(kind, {}).pop(name, None) is not None


def by_name() -> dict[str, support.Resource]:
    return {r.name: r for r in support.shipped("en-US").resources}


def urls(resource: support.Resource) -> list[tuple[str, str]]:
    return [(link.label, link.url) for link in resource.links]


def test_every_shipped_resource_opens_with_one_tap() -> None:
    """Each shipped resource has at least one link, and each link is tel:, sms: or https:."""
    resources = support.shipped("en-US").resources
    assert resources
    for resource in resources:
        assert resource.links, resource.name
        assert all(link.url.split(":")[0] in ("tel", "sms", "https") for link in resource.links)


def test_shipped_links_have_the_right_schemes_and_names() -> None:
    """988: call, text and its website; the Physician Support Line: a call; Crisis Text Line: a text
    that starts with HOME; FSPHP: its website."""
    found = by_name()
    assert urls(found["988 Suicide & Crisis Lifeline"]) == [
        ("Call 988", "tel:988"),
        ("Text 988", "sms:988"),
        ("Open 988lifeline.org website", "https://988lifeline.org"),
    ]
    assert urls(found["Physician Support Line"]) == [("Call 1-888-409-0141", "tel:18884090141")]
    assert urls(found["Crisis Text Line"]) == [("Text HOME to 741741", "sms:741741?body=HOME")]
    assert urls(found["State Physician Health Programs"]) == [("Open fsphp.org website", "https://fsphp.org")]


def test_the_note_is_kept_with_its_resource() -> None:
    """The Physician Support Line's note ("not reportable to medical boards") is read with it."""
    assert "not reportable to medical boards" in by_name()["Physician Support Line"].note


def test_the_privacy_line_tells_the_truth() -> None:
    """The shipped privacy sentence names the three ways anything leaves: export, backup, sync."""
    assert "unless you export, back up or sync it" in support.shipped("en-US").privacy


@pytest.mark.parametrize(
    ("contact", "expected"),
    [
        ("555-0100", [("Call 555-0100", "tel:5550100")]),
        ("Call or text +44 20 7946 0958", [("Call +44 20 7946 0958", "tel:+442079460958"),
                                           ("Text +44 20 7946 0958", "sms:+442079460958")]),
        ("Dr Lee, lee@example.org", [("Email lee@example.org", "mailto:lee@example.org")]),
        ("https://php.example.org/help", [("Open php.example.org/help website", "https://php.example.org/help")]),
        ("my mentor, since 2024", []),
    ],
)  # fmt: skip
def test_own_contacts_get_links_from_their_words(contact: str, expected: list[tuple[str, str]]) -> None:
    """A number is called (and texted when the words say "text"); an address is opened or emailed; a
    year is not a number to call."""
    assert [(link.label, link.url) for link in support.links_in(contact)] == expected


def test_an_edited_contact_is_stored_under_the_same_id() -> None:
    """update_own replaces the name, contact and note of that one record, and nothing else."""
    store = Store()
    first = support.add_own(store, "Dr Lee", "555-0100", "mentor")
    other = support.add_own(store, "PHP", "555-0199")
    assert first.id is not None and other.id is not None
    changed = support.update_own(store, first.id, "Dr Lee", "Call or text 555-0111", "mentor, evenings")
    assert changed.id == first.id
    assert store.docs[support.KIND][first.id] == {
        "name": "Dr Lee",
        "contact": "Call or text 555-0111",
        "note": "mentor, evenings",
    }
    assert cast(dict[str, str], store.docs[support.KIND][other.id])["contact"] == "555-0199"
    assert [link.url for link in changed.links] == ["tel:5550111", "sms:5550111"]


def test_editing_a_removed_contact_changes_nothing() -> None:
    """A contact removed meanwhile: a calm message, and no record is made under its old id."""
    store = Store()
    with pytest.raises(InvalidInput, match="no longer in your list"):
        support.update_own(store, "gone", "Dr Lee", "555-0100")
    assert store.docs == {}


def test_an_edit_without_a_contact_keeps_the_old_one() -> None:
    """An empty contact is refused with the usual message; the stored record is unchanged."""
    store = Store()
    first = support.add_own(store, "Dr Lee", "555-0100")
    assert first.id is not None
    with pytest.raises(InvalidInput, match="needs a name and a way to reach it"):
        support.update_own(store, first.id, "Dr Lee", "  ")
    assert store.docs[support.KIND][first.id] == {"name": "Dr Lee", "contact": "555-0100", "note": ""}
