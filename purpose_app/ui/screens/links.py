"""The buttons that open the pages reached from other screens, one call each, so a screen that
links to them needs a single line: programmes, my why, self-check history, packs for facilitators,
and restoring a backup on the welcome screen."""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from purpose_app.ui import widgets
from purpose_app.ui.shell import Shell


def programmes_button(app: Shell, back_to: str = "Today") -> ft.Control:
    from purpose_app.ui.screens.programmes import open_programmes

    return widgets.secondary(
        "Programs", lambda _e: open_programmes(app, back_to), icon=ft.Icons.FLAG_OUTLINED
    )


def why_button(app: Shell, back_to: str = "Today") -> ft.Control:
    from purpose_app.ui.screens.why import open_why

    return widgets.secondary("My why", lambda _e: open_why(app, back_to), icon=ft.Icons.FAVORITE_BORDER)


def history_button(app: Shell, back_to: str = "Trends") -> ft.Control:
    from purpose_app.ui.screens.selfcheck_history import open_history

    return widgets.secondary(
        "Self-check history", lambda _e: open_history(app, back_to), icon=ft.Icons.HISTORY
    )


def facilitator_button(app: Shell, back_to: str = "Packs") -> ft.Control:
    from purpose_app.ui.screens.facilitator import open_facilitator

    return widgets.secondary(
        "Packs for facilitators", lambda _e: open_facilitator(app, back_to), icon=ft.Icons.DRAW_OUTLINED
    )


def restore_button(app: Shell, show_key: Callable[[str], None]) -> ft.Control:
    """For the welcome screen; `show_key` shows the new journal's recovery key once, as creating does."""
    from purpose_app.ui.screens.restore import RestoreNewScreen

    return widgets.secondary(
        "Restore from a backup", lambda _e: RestoreNewScreen(app, show_key).show(), icon=ft.Icons.RESTORE
    )


def settings_card(app: Shell) -> ft.Control:
    """Settings' way to what is not a daily screen of its own."""
    return widgets.card(
        widgets.heading("Reflection", app.page, 17),
        ft.Row(
            [
                why_button(app, "Settings"),
                programmes_button(app, "Settings"),
                facilitator_button(app, "Settings"),
            ],
            wrap=True,
        ),
    )
