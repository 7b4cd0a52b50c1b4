"""Restoring an encrypted backup: into a new journal (from the welcome screen, when there is none
here) or merged into this one (Settings > Your data). The backup's passphrase is asked each time."""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from purpose_app.errors import PurposeError
from purpose_app.ui import widgets
from purpose_app.ui.data_model import DataModel
from purpose_app.ui.screens.full_page import full_page
from purpose_app.ui.shell import Shell


def busy(ring: ft.ProgressRing, message: ft.Text, words: str) -> None:
    """Show the ring and what is happening, at once (long work must never look like nothing)."""
    ring.visible = True
    widgets.show(message, words)


class RestoreNewScreen:
    """From the welcome screen: a new journal on this device from a backup, with a new passphrase."""

    def __init__(self, app: Shell, show_key: Callable[[str], None]) -> None:
        self.app = app
        self.show_key = show_key  # the welcome screen's recovery-key page, shown once
        self.model = DataModel(app.session)
        self.file: tuple[bytes, str] | None = None
        self.chosen = ft.Text("No file chosen yet.")
        self.backup_pass = widgets.passphrase_field("Backup passphrase")
        self.new = widgets.passphrase_field("New passphrase for this journal")
        self.confirm = widgets.passphrase_field("Confirm new passphrase")
        self.ring = ft.ProgressRing(visible=False, width=24, height=24)
        self.message = widgets.notice()
        self.button = widgets.primary("Restore", self._restore)

    def show(self) -> None:
        page = self.app.page
        page.controls.clear()
        page.add(full_page(self.app, ft.Row([self.build()], alignment=ft.MainAxisAlignment.CENTER)))
        page.update()

    def build(self) -> ft.Control:
        page = self.app.page
        return ft.Container(
            ft.Column(
                [
                    widgets.heading("Restore from a backup", page, 26),
                    widgets.body(
                        "Choose a Purpose backup file and type the passphrase it was made with. Then choose "
                        "a new passphrase for the journal on this device.",
                        page,
                    ),
                    ft.Row(
                        [widgets.secondary("Choose the backup file", self._pick, icon=ft.Icons.UPLOAD_FILE)]
                    ),
                    self.chosen,
                    self.backup_pass,
                    self.new,
                    self.confirm,
                    self.message,
                    ft.Row([self.button, self.ring, widgets.secondary("Back", self._back)], wrap=True),
                ],
                spacing=16,
                tight=True,
                scroll=ft.ScrollMode.AUTO,
            ),
            padding=24,
            width=560,
        )

    async def _pick(self, _event: object) -> None:
        picked = await widgets.pick_file("Choose the backup file")
        if picked is not None:
            self.choose(*picked)

    def choose(self, raw: bytes, name: str) -> None:
        self.file = (raw, name)
        self.chosen.value = f"Chosen: {name}"
        self.app.page.update()

    def restore(self) -> str | None:
        """Restore into a new journal; the recovery key to show, or None after saying what went wrong."""
        if self.file is None:
            widgets.show(self.message, "Choose the backup file first.", error=True)
            self.app.page.update()
            return None
        self.button.disabled = True
        busy(self.ring, self.message, "Opening the backup… this takes a few seconds.")
        self.app.page.update()
        try:
            restored = self.model.restore_new(
                *self.file,
                self.backup_pass.value or "",
                self.new.value or "",
                self.confirm.value or "",
                progress=self._progress,
            )
        except PurposeError as exc:
            widgets.show(self.message, exc.message, error=True)
            return None
        finally:
            self.button.disabled = False
            self.ring.visible = False
            self.app.page.update()
        return restored.recovery_key

    def _progress(self, count: int) -> None:
        widgets.show(self.message, f"Restoring… {widgets.plural(count, 'entry', 'entries')} so far")
        self.message.update()

    def _restore(self, _event: object) -> None:
        key = self.restore()
        if key is not None:
            self.backup_pass.value = self.new.value = self.confirm.value = ""
            self.show_key(key)

    def _back(self, _event: object) -> None:
        self.app.render()


def ask_merge(
    app: Shell, model: DataModel, raw: bytes, name: str, message: ft.Text, ring: ft.ProgressRing
) -> None:
    """Ask for the backup's passphrase, then merge it into this journal; say what changed."""
    page = app.page
    secret = widgets.passphrase_field("Backup passphrase")
    problem = widgets.notice()

    def merge(_event: object) -> None:
        busy(ring, message, "Opening the backup… this takes a few seconds.")
        page.update()
        try:
            restored = model.restore_merge(raw, name, secret.value or "")
        except PurposeError as exc:
            ring.visible = False
            widgets.show(message, "")
            widgets.show(problem, exc.message, error=True)
            page.update()
            return
        page.pop_dialog()
        ring.visible = False
        widgets.show(message, restored.words)
        app.session.touch()
        page.update()

    page.show_dialog(
        ft.AlertDialog(
            title=ft.Text("Merge a backup into this journal"),
            content=ft.Column(
                [
                    ft.Text(
                        f"{name}: entries you do not have are added and newer versions kept. Nothing here "
                        "is replaced by an older version."
                    ),
                    secret,
                    problem,
                ],
                tight=True,
                width=480,
            ),
            actions=[
                ft.TextButton(content="Cancel", on_click=lambda _e: page.pop_dialog()),
                ft.FilledButton(content="Merge", on_click=merge),
            ],
        )
    )
