"""A page reached from a screen (programmes, my why, self-check history, packs for facilitators):
the whole page, a way back to where it was opened from, and Support and Lock at its top right."""

from __future__ import annotations

import flet as ft

from purpose_app.ui import theme, widgets
from purpose_app.ui.screens.full_page import full_page
from purpose_app.ui.shell import Shell

DESKTOP_WIDTH = 760  # a roomy reading width; a phone uses its whole width


def show(app: Shell, title: str, back_to: str, column: ft.Column) -> None:
    """Draw `column` as the whole page under `title`, with "Back to <back_to>" above it."""
    page = app.page
    back = ft.TextButton(
        content=f"Back to {back_to}", icon=ft.Icons.ARROW_BACK, on_click=lambda _e: app.go(back_to)
    )
    # In a Row: a ListView stretches its children, which would centre the button's words.
    items = ft.ListView([ft.Row([back]), widgets.heading(title, page), column], spacing=12, padding=16)
    phone = theme.is_phone(page)
    body = ft.Container(items, width=None if phone else DESKTOP_WIDTH, expand=phone)
    row = ft.Row(
        [body],
        alignment=ft.MainAxisAlignment.CENTER,
        vertical_alignment=ft.CrossAxisAlignment.STRETCH,
        expand=True,
    )
    page.controls.clear()
    page.add(full_page(app, row, lockable=True))
    page.update()
