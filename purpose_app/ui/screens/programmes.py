"""Programmes: each one with where you are ("Day 6 of 15"), and start, pause, resume or stop."""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from purpose_app.errors import PurposeError
from purpose_app.ui import widgets
from purpose_app.ui.programmes_model import ProgrammeRow, ProgrammesModel
from purpose_app.ui.screens import subpage
from purpose_app.ui.shell import Shell

BUTTONS = {
    "start": "Start",
    "start again": "Start again",
    "resume": "Resume",
    "pause": "Pause",
    "stop": "Stop",
}


def open_programmes(app: Shell, back_to: str = "Today") -> None:
    ProgrammesScreen(app, back_to).show()


class ProgrammesScreen:
    def __init__(self, app: Shell, back_to: str = "Today") -> None:
        self.app = app
        self.back_to = back_to
        self.model = ProgrammesModel(app.session)
        self.column = ft.Column(spacing=12)

    def show(self) -> None:
        self._fill()
        subpage.show(self.app, "Programs", self.back_to, self.column)

    def _fill(self) -> None:
        page = self.app.page
        intro = widgets.body(
            "A program is a short series of prompts, one step at a time. A missed day changes "
            "nothing: it waits for you. Its prompt appears on Today beside the daily one.",
            page,
            muted=True,
        )
        self.column.controls = [intro, *(self._card(r) for r in self.model.rows())]

    def _card(self, row: ProgrammeRow) -> ft.Control:
        page = self.app.page
        parts: list[ft.Control] = [
            widgets.heading(row.name, page, 17),
            widgets.body(row.description, page, muted=True),
            widgets.tagged(f"programme-{row.pack_id}", widgets.body(row.where, page)),
        ]
        if row.today:
            parts.append(widgets.body(f"Now: {row.today}", page))
        buttons: list[ft.Control] = []
        for action in row.actions:
            handler = self._handler(row, action)
            if action in ("start", "start again", "resume"):
                buttons.append(widgets.primary(BUTTONS[action], handler))
            else:
                buttons.append(widgets.secondary(BUTTONS[action], handler))
        parts.append(ft.Row(buttons, wrap=True))
        return widgets.card(*parts)

    def _handler(self, row: ProgrammeRow, action: str) -> Callable[[object], None]:
        if action == "stop":
            return lambda _e: self._confirm_stop(row)
        return lambda _e: self.act(row, action)

    def act(self, row: ProgrammeRow, action: str) -> None:
        """Do the action, then redraw the list and say what happened."""
        try:
            self.model.act(row.pack_id, action)
        except PurposeError as exc:
            self.app.toast(exc.message, error=True)
            return
        self.app.session.touch()
        self._fill()
        self.app.page.update()
        self.app.toast(self.model.done_words(action, row.name))

    def _confirm_stop(self, row: ProgrammeRow) -> None:
        page = self.app.page

        def stop(_event: object) -> None:
            page.pop_dialog()
            self.act(row, "stop")

        page.show_dialog(
            ft.AlertDialog(
                title=ft.Text(f"Stop {row.name}?"),
                content=ft.Text(
                    "It leaves Today, and if you start it again it begins at the first step. "
                    "Everything you wrote for it stays in your journal. To keep your place, pause instead."
                ),
                actions=[
                    ft.TextButton(content="Keep it", on_click=lambda _e: page.pop_dialog()),
                    ft.FilledButton(content="Stop program", on_click=stop),
                ],
            )
        )
