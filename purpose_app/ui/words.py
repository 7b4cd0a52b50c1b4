"""Small wording helpers for screens and view-models alike (no flet here)."""

from __future__ import annotations


def plural(count: int, one: str, many: str | None = None) -> str:
    """ "1 minute", "2 minutes", "1,000 entries": a count with its noun in the right number."""
    noun = one if count == 1 else (many or one + "s")
    return f"{count:,} {noun}"
