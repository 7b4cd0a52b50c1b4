"""Unlock with the passphrase (progress while the key is derived), or with the recovery key."""

from __future__ import annotations

import flet as ft

from purpose_app.errors import PurposeError
from purpose_app.ui import widgets
from purpose_app.ui.screens.welcome import centred_form
from purpose_app.ui.shell import Shell


class UnlockScreen:
    def __init__(self, app: Shell) -> None:
        self.app = app
        self.recovering = False
        self.passphrase = widgets.passphrase_field("Passphrase", on_submit=self._unlock, autofocus=True)
        self.recovery_key = ft.TextField(label="Recovery key", on_submit=self._recover)
        self.new_passphrase = widgets.passphrase_field("New passphrase")
        self.confirm = widgets.passphrase_field("Confirm passphrase", on_submit=self._recover)
        self.message = widgets.notice()
        self.progress = ft.ProgressRing(visible=False, width=24, height=24)
        self.column = ft.Column(spacing=16, tight=True, scroll=ft.ScrollMode.AUTO)

    def build(self) -> ft.Control:
        self._fill()
        return centred_form(self.column)

    def _fill(self) -> None:
        page = self.app.page
        if self.recovering:
            controls: list[ft.Control] = [
                widgets.heading("Use your recovery key", page, 26),
                widgets.body(
                    "Type the key you saved when you created your journal, then choose a new "
                    "passphrase. Your entries are all still there.",
                    page,
                ),
                self.recovery_key,
                self.new_passphrase,
                self.confirm,
                self.message,
                ft.Row([widgets.primary("Set new passphrase", self._recover), self.progress]),
                widgets.secondary("Back to passphrase", self._toggle),
            ]
        else:
            controls = [
                widgets.heading("Welcome back", page, 28),
                widgets.body(
                    "Your journal is locked. Nothing in it can be read until you unlock it.", page, muted=True
                ),
                self.passphrase,
                self.message,
                ft.Row([widgets.primary("Unlock", self._unlock), self.progress]),
                widgets.secondary("Use recovery key", self._toggle),
            ]
        self.column.controls = controls

    def _toggle(self, _event: object) -> None:
        self.recovering = not self.recovering
        widgets.show(self.message, "")
        self._fill()
        self.app.page.update()

    def _busy(self, text: str) -> None:
        widgets.show(self.message, text)
        self.progress.visible = True
        self.app.page.update()

    def _failed(self, exc: PurposeError) -> None:
        widgets.show(self.message, exc.message, error=True)
        self.progress.visible = False
        self.app.page.update()

    def _unlock(self, _event: object) -> None:
        self._busy("Unlocking… (this takes a moment, on purpose: it is what keeps guessing slow)")
        try:
            self.app.session.unlock(self.passphrase.value or "")
        except PurposeError as exc:
            self.passphrase.value = ""
            self._failed(exc)
            return
        self.passphrase.value = ""
        self.app.go("Today")

    def _recover(self, _event: object) -> None:
        self._busy("Checking your recovery key…")
        try:
            self.app.session.recover(
                self.recovery_key.value or "", self.new_passphrase.value or "", self.confirm.value or ""
            )
        except PurposeError as exc:
            self._failed(exc)
            return
        self.app.toast("Your new passphrase is set. Your recovery key still works.")
        self.app.go("Today")
