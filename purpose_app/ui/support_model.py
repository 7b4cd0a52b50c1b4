"""Support resources: the shipped list and the person's own, read without ever failing, each with its
one-tap links; and the person's own contacts added, changed and removed. No flet here."""

from __future__ import annotations

from dataclasses import dataclass

from purpose_app import messages
from purpose_app.insight import support
from purpose_app.insight.support import Link
from purpose_app.services.session import Session

__all__ = ["FALLBACK", "FALLBACK_PRIVACY", "Link", "Row", "SupportModel", "resources", "rows"]

# Shown if the resource file cannot be read for any reason: support is never one error away.
FALLBACK = (
    ("988 Suicide & Crisis Lifeline", "Call or text 988 (US); chat at 988lifeline.org.", ""),
    (
        "Physician Support Line",
        "1-888-409-0141, free and confidential, staffed by volunteer psychiatrists.",
        "Calls are not reportable to medical boards.",
    ),
)
FALLBACK_PRIVACY = messages.PRIVACY_LINE


@dataclass(frozen=True)
class Row:
    """One resource as the Support screen draws it: words, the note beside them, and its buttons."""

    name: str
    contact: str
    note: str
    links: tuple[Link, ...]
    id: str | None = None  # the person's own: they can change or remove it


def rows(session: Session) -> tuple[list[Row], str]:
    """Every resource (the person's own first) with its links, and the privacy sentence; never fails."""
    try:
        store = session.vault if session.unlocked else None
        found = support.combined(store)
        return [Row(r.name, r.contact, r.note, r.links, r.id) for r in found.resources], found.privacy
    except Exception:  # any failure falls back to the built-in list: support is never one error away
        fallback = [Row(n, c, note, support.links_in(c)) for n, c, note in FALLBACK]
        return fallback, FALLBACK_PRIVACY


def resources(session: Session) -> tuple[list[tuple[str, str, str]], str]:
    """(name, contact, note) for each resource, and the privacy sentence; the person's own come first."""
    found, privacy = rows(session)
    return [(r.name, r.contact, r.note) for r in found], privacy


class SupportModel:
    """The person's own contacts, kept encrypted in the vault beside the built-in lines."""

    def __init__(self, session: Session) -> None:
        self.session = session

    @property
    def can_edit(self) -> bool:
        return self.session.unlocked

    def add(self, name: str, contact: str, note: str = "") -> Row:
        """Store a new contact of the person's own; raises InvalidInput (nothing stored) if unusable."""
        added = support.add_own(self.session.require(), name, contact, note)
        return Row(added.name, added.contact, added.note, added.links, added.id)

    def edit(self, resource_id: str, name: str, contact: str, note: str = "") -> Row:
        """Change one of the person's contacts in place; raises InvalidInput (nothing changed) if unusable."""
        changed = support.update_own(self.session.require(), resource_id, name, contact, note)
        return Row(changed.name, changed.contact, changed.note, changed.links, changed.id)

    def remove(self, resource_id: str) -> None:
        support.remove_own(self.session.require(), resource_id)
