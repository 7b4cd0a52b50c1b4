"""Accessible names Flutter does not give by itself, for controls engineer A's widgets.py does not make."""

from __future__ import annotations

import flet as ft


def selectable(text: ft.Text) -> ft.Semantics:
    """Selectable text (a number to copy, a folder's path) named by its own words. Flutter draws it as a
    read-only text field with no name at all (axe: `label`, critical); this names it, and it stays
    selectable."""
    assert text.selectable, "only selectable text needs this: plain text is read as it is"
    return ft.Semantics(label=str(text.value or ""), content=text)
