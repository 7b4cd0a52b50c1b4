"""Trusted signers, managed: the list the Library keeps, and taking trust back.

Taking trust back never removes a pack already imported; it means the next pack signed with that key
asks again, in a clear dialog, before anything is stored."""

from __future__ import annotations

from purpose_app.errors import InvalidInput
from purpose_app.services.library import TRUSTED, Library


def remove_trust(library: Library, fingerprint: str) -> str:
    """Forget one trusted signer; returns its name. Raises InvalidInput for one not trusted."""
    name = library.trusted().get(fingerprint)
    if name is None:
        raise InvalidInput("That signer is not among the ones you trust, so nothing was changed.")
    library.vault.delete_document(TRUSTED, fingerprint)
    return name
