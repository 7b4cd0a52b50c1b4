"""Support resources, one tap from every screen (locked or not). People to reach, not advice."""

from __future__ import annotations

import flet as ft

from purpose_app.ui.shell import Shell
from purpose_app.ui.support_model import resources


def support_dialog(app: Shell) -> ft.AlertDialog:
    items, privacy = resources(app.session)
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
