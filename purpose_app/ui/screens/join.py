"""On the welcome screen: a new device joins a journal from the sync folder with its passphrase."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import flet as ft

from purpose_app.errors import PurposeError
from purpose_app.ui import widgets
from purpose_app.ui.screens.sync import can_pick_folder, helper_text
from purpose_app.ui.shell import Shell
from purpose_app.ui.sync_model import join_here

EXPLAINER = (
    "Already keep Purpose on another device? Once your sync app has copied its sync folder here, "
    "choose that folder and type the passphrase you use there. This device gets the whole journal, "
    "and a recovery key of its own."
)


def join_button(app: Shell, show_key: Callable[[str], None]) -> ft.Control:
    """For the welcome screen; `show_key` shows the new journal's recovery key once, as creating does."""
    return widgets.secondary(
        "Join a journal from your sync folder",
        lambda _e: JoinDialog(app, show_key).open(),
        icon=ft.Icons.SYNC,
    )


class JoinDialog:
    def __init__(self, app: Shell, show_key: Callable[[str], None]) -> None:
        self.app = app
        self.show_key = show_key
        picker = can_pick_folder(app.page)
        self.folder = ft.TextField(label="Sync folder", helper=helper_text(app.page), helper_max_lines=3)
        self.passphrase = widgets.passphrase_field("Passphrase on your other device", on_submit=self.join)
        self.message = widgets.notice()
        self.ring = ft.ProgressRing(visible=False, width=24, height=24)
        self.button = ft.FilledButton(content="Join", on_click=self.join)
        actions: list[ft.Control] = [
            ft.TextButton(content="Cancel", on_click=lambda _e: app.page.pop_dialog()),
            self.button,
        ]
        if picker:
            actions.insert(0, ft.TextButton(content="Choose folder", on_click=self._pick))
        self.dialog = ft.AlertDialog(
            title=ft.Text("Join a journal from your sync folder"),
            content=ft.Column(
                [ft.Text(EXPLAINER), self.folder, self.passphrase, ft.Row([self.ring, self.message])],
                tight=True,
                width=480,
                scroll=ft.ScrollMode.AUTO,
            ),
            actions=actions,
        )

    def open(self) -> None:
        self.app.page.show_dialog(self.dialog)

    async def _pick(self, _event: object) -> None:
        chosen = await ft.FilePicker().get_directory_path(dialog_title="Choose the sync folder")
        if chosen:
            self.folder.value = chosen
            self.folder.update()

    async def join(self, _event: object) -> None:
        """Key derivation and the first sync take seconds: done off the screen's thread, with a ring."""
        page = self.app.page
        self.button.disabled, self.ring.visible = True, True
        widgets.show(self.message, "Joining… this takes a few seconds, longer for a large journal.")
        page.update()
        try:
            key = await asyncio.to_thread(
                join_here, self.app.session, self.folder.value or "", self.passphrase.value or ""
            )
        except PurposeError as exc:
            self.button.disabled, self.ring.visible = False, False
            widgets.show(self.message, exc.message, error=True)
            page.update()
            return
        self.passphrase.value = ""
        page.pop_dialog()
        self.show_key(key)
