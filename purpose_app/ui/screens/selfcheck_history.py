"""Self-check history: every result over time, newest first; tap one to read it in full."""

from __future__ import annotations

import flet as ft

from purpose_app.ui import widgets
from purpose_app.ui.screens import subpage
from purpose_app.ui.screens.support import resource_rows
from purpose_app.ui.selfcheck_history_model import HistoryRow, SelfCheckHistoryModel
from purpose_app.ui.shell import Shell
from purpose_app.ui.support_model import rows as support_rows


def open_history(app: Shell, back_to: str = "Trends") -> None:
    SelfCheckHistoryScreen(app, back_to).show()


class SelfCheckHistoryScreen:
    def __init__(self, app: Shell, back_to: str = "Trends") -> None:
        self.app = app
        self.back_to = back_to
        self.model = SelfCheckHistoryModel(app.session)
        self.column = ft.Column(spacing=8)

    def show(self) -> None:
        self.list_all()
        subpage.show(self.app, "Self-check history", self.back_to, self.column)

    def list_all(self) -> None:
        page = self.app.page
        rows = self.model.rows()
        if not rows:
            self.column.controls = [
                widgets.body("No self-checks yet. They are in Trends, whenever you like.", page, muted=True)
            ]
            return
        self.column.controls = [
            widgets.body(
                "Each result is a signal worth attention, never a diagnosis. Tap one to read it in full.",
                page,
                muted=True,
            ),
            *(self._row(r) for r in rows),
        ]

    def _row(self, row: HistoryRow) -> ft.Control:
        return ft.ListTile(
            title=ft.Text(f"{row.title} · {row.when}"),
            subtitle=ft.Text(row.summary),
            trailing=ft.Icon(ft.Icons.CHEVRON_RIGHT),
            on_click=lambda _e: self.open_result(row.id),
        )

    def open_result(self, result_id: str) -> None:
        """One result in full, with a way back to the list."""
        self.app.session.touch()
        page = self.app.page
        heading, lines = self.model.detail(result_id)
        controls: list[ft.Control] = [widgets.heading(heading, page, 17)]
        controls += [widgets.body(line, page) for line in lines]
        if self.model.wants_support(result_id):
            items, privacy = support_rows(self.app.session)
            controls.append(ft.Text("If it would help to talk to someone, these are confidential:"))
            controls += [*resource_rows(items), ft.Text(privacy, italic=True)]
        controls.append(ft.Row([widgets.secondary("All results", self._back_to_list, icon=ft.Icons.LIST)]))
        self.column.controls = [widgets.card(*controls)]
        page.update()

    def _back_to_list(self, _event: object) -> None:
        self.list_all()
        self.app.page.update()
