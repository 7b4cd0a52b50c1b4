"""The frame of a screen that takes the whole page, outside the shell: Support stays one tap away."""

from __future__ import annotations

import flet as ft

from purpose_app.ui.screens import support
from purpose_app.ui.shell import Shell


def support_button(app: Shell) -> ft.IconButton:
    """Support, as in the shell's top bar and on the locked screens."""
    return ft.IconButton(
        ft.Icons.SUPPORT_OUTLINED,
        tooltip="Support",
        on_click=lambda _e: app.page.show_dialog(support.support_dialog(app)),
    )


def full_page(app: Shell, content: ft.Control) -> ft.Control:
    """A full-page screen (the Copenhagen form, group mode, the recovery key) with Support at its top
    right: the hardest questions are asked on these pages, away from the shell's own button."""
    top = ft.Row([support_button(app)], alignment=ft.MainAxisAlignment.END)
    column = ft.Column([top, ft.Container(content, expand=True)], spacing=0, expand=True)
    return ft.SafeArea(column, expand=True)
