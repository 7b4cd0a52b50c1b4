"""Support resources: the shipped list and the person's own, read without ever failing. No flet here."""

from __future__ import annotations

from purpose_app.services.session import Session

# Shown if the resource file cannot be read for any reason: support is never one error away.
FALLBACK = (
    ("988 Suicide & Crisis Lifeline", "Call or text 988 (US); chat at 988lifeline.org.", ""),
    (
        "Physician Support Line",
        "1-888-409-0141, free and confidential, staffed by volunteer psychiatrists.",
        "",
    ),
)
FALLBACK_PRIVACY = "Nothing Purpose shows or records leaves this device."


def resources(session: Session) -> tuple[list[tuple[str, str, str]], str]:
    """(name, contact, note) for each resource, and the privacy sentence; the person's own come first."""
    try:
        from purpose_app.insight import support

        store = session.vault if session.unlocked else None
        found = support.combined(store)
        return [(r.name, r.contact, r.note) for r in found.resources], found.privacy
    except Exception:  # any failure falls back to the built-in list
        return list(FALLBACK), FALLBACK_PRIVACY
