"""The frame of a screen that takes the whole page, outside the shell: Support stays one tap away."""

from __future__ import annotations

import flet as ft

from purpose_app.ui import widgets
from purpose_app.ui.screens import support
from purpose_app.ui.shell import Shell


def support_button(app: Shell) -> ft.Control:
    """Support, as in the shell's top bar and on the locked screens."""
    return widgets.icon_button(
        ft.Icons.SUPPORT_OUTLINED,
        "Support",
        lambda _e: app.page.show_dialog(support.support_dialog(app)),
    )


def lock_button(app: Shell) -> ft.Control:
    """Lock, as in the shell's top bar: a page opened from the shell locks the same way."""
    return widgets.icon_button(ft.Icons.LOCK_OUTLINE, "Lock", lambda _e: app.lock())


def full_page(app: Shell, content: ft.Control, *, lockable: bool = False) -> ft.Control:
    """A full-page screen (the Copenhagen form, group mode, the recovery key) with Support at its top
    right: the hardest questions are asked on these pages, away from the shell's own button. A page
    reached from the unlocked shell (`lockable`) has Lock beside it, as the shell has."""
    actions = [support_button(app), lock_button(app)] if lockable else [support_button(app)]
    top = ft.Row(actions, alignment=ft.MainAxisAlignment.END, spacing=0)
    column = ft.Column([top, ft.Container(content, expand=True)], spacing=0, expand=True)
    return ft.SafeArea(column, expand=True)
