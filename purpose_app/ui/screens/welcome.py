"""First run: create the journal, then show the recovery key once."""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from purpose_app.errors import PurposeError
from purpose_app.services.passphrase_strength import passphrase_strength
from purpose_app.ui import widgets
from purpose_app.ui.screens import join, links
from purpose_app.ui.screens.full_page import full_page
from purpose_app.ui.shell import Shell

FORM_WIDTH = 480  # a form a person reads, not a banner: about sixty characters a line


def centred_form(column: ft.Column) -> ft.Control:
    """A form at most FORM_WIDTH wide, centred on the page (a desktop's 1280 px or a phone's 390),
    instead of hugging the top-left corner; it still scrolls when taller than the page."""
    return ft.Container(
        ft.Container(column, padding=24, width=FORM_WIDTH),
        alignment=ft.Alignment.CENTER,
        expand=True,
    )


class WelcomeScreen:
    def __init__(self, app: Shell) -> None:
        self.app = app
        self.passphrase = widgets.passphrase_field("Passphrase", on_change=self._on_typing)
        self.confirm = widgets.passphrase_field("Confirm passphrase", on_submit=self._create)
        self.hint = ft.Text("Several ordinary words make a strong passphrase that is easy to remember.")
        self.message = widgets.notice()
        self.progress = ft.ProgressRing(visible=False, width=24, height=24)
        self.button = widgets.primary("Create journal", self._create)

    def build(self) -> ft.Control:
        page = self.app.page
        return centred_form(
            ft.Column(
                [
                    widgets.heading("Welcome to Purpose", page, 28),
                    widgets.body(
                        "A private place to reflect on why you do this work. Everything you write stays on "
                        "this device, encrypted with your passphrase, unless you export, back up or sync "
                        "it. Nobody else can read it, and nobody, "
                        "including us, can recover it without your passphrase or recovery key.",
                        page,
                    ),
                    self.passphrase,
                    self.confirm,
                    self.hint,
                    self.message,
                    ft.Row([self.button, self.progress]),
                    links.restore_button(self.app, lambda key: RecoveryKeyScreen(self.app, key).show()),
                    join.join_button(self.app, lambda key: RecoveryKeyScreen(self.app, key).show()),
                ],
                spacing=16,
                tight=True,
                scroll=ft.ScrollMode.AUTO,
            )
        )

    def _on_typing(self, _event: object) -> None:
        _score, words = passphrase_strength(self.passphrase.value or "")
        self.hint.value = words if self.passphrase.value else self.hint.value
        self.hint.update()

    def _create(self, _event: object) -> None:
        self.button.disabled = True
        self.progress.visible = True
        widgets.show(self.message, "Creating your journal…")
        self.app.page.update()
        try:
            key = self.app.session.create(self.passphrase.value or "", self.confirm.value or "")
        except PurposeError as exc:
            widgets.show(self.message, exc.message, error=True)
            self.button.disabled = False
            self.progress.visible = False
            self.app.page.update()
            return
        RecoveryKeyScreen(self.app, key).show()


class RecoveryKeyScreen:
    """The recovery key, once. Continue only after "I have saved it"."""

    def __init__(self, app: Shell, recovery_key: str, *, then: Callable[[], None] | None = None) -> None:
        self.app = app
        self.key = recovery_key
        self.then = then
        self.saved = ft.Checkbox(label="I have saved it", on_change=self._on_saved)
        self.go_on = widgets.primary("Continue", self._continue)
        self.go_on.disabled = True

    def show(self) -> None:
        page = self.app.page
        page.controls.clear()
        page.add(full_page(self.app, self.build()))
        page.update()

    def build(self) -> ft.Control:
        page = self.app.page
        groups = self.key.split("-")
        lines = ["-".join(groups[i : i + 4]) for i in range(0, len(groups), 4)]
        return centred_form(
            ft.Column(
                [
                    widgets.heading("Your recovery key", page, 26),
                    widgets.body(
                        "If you ever forget your passphrase, this key is the only way back in. It is shown "
                        "only now. Write it down or print it, and keep it somewhere safe, away from this "
                        "device.",
                        page,
                    ),
                    widgets.tagged(
                        "recovery-key",
                        ft.Container(
                            ft.Text(
                                "\n".join(lines),
                                font_family="DejaVu Sans",
                                size=18,
                                selectable=True,
                                weight=ft.FontWeight.W_500,
                            ),
                            padding=16,
                            border_radius=12,
                            bgcolor=ft.Colors.SURFACE_CONTAINER_HIGH,
                        ),
                        # Selectable text is a read-only text field to a screen reader: it needs a name.
                        label="Recovery key",
                    ),
                    widgets.secondary("Copy to clipboard", self._copy, icon=ft.Icons.COPY),
                    self.saved,
                    self.go_on,
                ],
                spacing=16,
                tight=True,
                scroll=ft.ScrollMode.AUTO,
            )
        )

    async def _copy(self, _event: object) -> None:
        await ft.Clipboard().set(self.key)  # only because the person asked
        self.app.toast("Copied. Paste it somewhere safe, then clear your clipboard.")

    def _on_saved(self, _event: object) -> None:
        self.go_on.disabled = not self.saved.value
        self.go_on.update()

    def _continue(self, _event: object) -> None:
        self.key = ""
        if self.then is not None:
            self.then()
        else:
            self.app.go("Today")
