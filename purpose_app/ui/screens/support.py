"""Support resources, one tap from every screen (locked or not). People to reach, not advice."""

from __future__ import annotations

from typing import Any

import flet as ft

# Shown if the resource file cannot be read for any reason: support is never one error away.
FALLBACK = (
    ("988 Suicide & Crisis Lifeline", "Call or text 988 (US); chat at 988lifeline.org.", ""),
    (
        "Physician Support Line",
        "1-888-409-0141, free and confidential, staffed by volunteer psychiatrists.",
        "",
    ),
)


def resources(app: Any) -> tuple[list[tuple[str, str, str]], str]:
    try:
        from purpose_app.insight import support

        store = app.session.vault if app.session.unlocked else None
        found = support.combined(store)
        return [(r.name, r.contact, r.note) for r in found.resources], found.privacy
    except Exception:  # any failure falls back to the built-in list
        return list(FALLBACK), "Nothing Purpose shows or records leaves this device."


def support_dialog(app: Any) -> ft.AlertDialog:
    items, privacy = resources(app)
    rows: list[ft.Control] = [
        ft.Text("If the work is weighing on you, you do not have to carry it alone. These are confidential.")
    ]
    for name, contact, note in items:
        rows.append(
            ft.ListTile(
                title=ft.Text(name, weight=ft.FontWeight.W_600),
                subtitle=ft.Text(contact + (f"\n{note}" if note else ""), selectable=True),
            )
        )
    rows += [ft.Text(privacy, italic=True), ft.Text("In an emergency, call your local emergency number.")]
    return ft.AlertDialog(
        title=ft.Text("Support"),
        content=ft.Column(rows, tight=True, scroll=ft.ScrollMode.AUTO, width=520),
        actions=[ft.TextButton(content="Close", on_click=lambda _e: app.page.pop_dialog())],
    )
