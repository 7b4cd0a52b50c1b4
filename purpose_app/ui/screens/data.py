"""Your data, in Settings: bring a journal in (jrnl, Day One) and take it out (Markdown, JSON), an
encrypted backup and its restore (merged into this journal), and the reflection report as a PDF.

Files are read from memory (the file picker hands over bytes), never copied to a temporary file. A
plaintext export asks first, plainly, because it leaves the encryption behind."""

from __future__ import annotations

import flet as ft

from purpose_app.errors import PurposeError
from purpose_app.services import memory
from purpose_app.ui import downloads, widgets
from purpose_app.ui.data_model import (
    DEFAULT_EXPORT,
    DEFAULT_IMPORT,
    DEFAULT_REPORT_DAYS,
    DataModel,
    import_report,
)
from purpose_app.ui.screens.restore import ask_merge, busy
from purpose_app.ui.shell import Shell

PLAINTEXT_WARNING = (
    "This file will not be encrypted: anyone who gets it, or any app or cloud it passes through, can "
    "read every entry in it. Keep it somewhere private, and delete it when you no longer need it."
)


class DataCard:
    def __init__(self, app: Shell) -> None:
        self.app = app
        self.model = DataModel(app.session)
        self.message = widgets.notice()
        self.message.expand = True  # beside the ring, long words wrap instead of running off
        self.source = ft.Dropdown(
            label="Import from",
            value=DEFAULT_IMPORT,
            width=320,
            options=[ft.DropdownOption(key=k, text=label) for k, label in self.model.import_choices()],
        )
        self.target = ft.Dropdown(
            label="Export as",
            value=DEFAULT_EXPORT,
            width=320,
            options=[ft.DropdownOption(key=k, text=label) for k, label in self.model.export_choices()],
        )
        self.period = ft.Dropdown(
            label="Report period",
            value=str(DEFAULT_REPORT_DAYS),
            width=320,
            options=[ft.DropdownOption(key=k, text=label) for k, label in self.model.report_periods()],
        )
        self.excerpts = ft.Checkbox(label="Include excerpts of what I wrote", value=False)
        self.progress = ft.ProgressRing(visible=False, width=24, height=24)

    def build(self) -> ft.Control:
        page = self.app.page
        return widgets.card(
            widgets.heading("Your journal's data", page, 17),
            widgets.body(
                "Bring entries from jrnl or Day One (photos are counted, not imported). Importing "
                "the same file twice never duplicates.",
                page,
                muted=True,
            ),
            widgets.named_dropdown(self.source),
            ft.Row([widgets.secondary("Choose a file to import", self._pick, icon=ft.Icons.UPLOAD_FILE)]),
            widgets.named_dropdown(self.target),
            ft.Row([widgets.secondary("Export…", self._confirm_export, icon=ft.Icons.DOWNLOAD)]),
            widgets.body(
                "An encrypted backup holds everything, for a new device or a safe copy. Restoring one "
                "here merges it into this journal: nothing is replaced by an older version.",
                page,
                muted=True,
            ),
            ft.Row(
                [
                    widgets.secondary("Make an encrypted backup…", self._ask_backup, icon=ft.Icons.LOCK),
                    widgets.secondary("Restore from a backup…", self._pick_backup, icon=ft.Icons.RESTORE),
                ],
                wrap=True,
            ),
            widgets.body(
                "The reflection report: your energy, self-checks, drains and fuels and patterns over a "
                "period, as a PDF. Excerpts are left out unless you ask for them.",
                page,
                muted=True,
            ),
            widgets.named_dropdown(self.period),
            self.excerpts,
            ft.Row(
                [widgets.secondary("Download the report (PDF)", self._report, icon=ft.Icons.PICTURE_AS_PDF)]
            ),
            ft.Row([self.progress, self.message], wrap=True),
        )

    # -- import

    async def _pick(self, _event: object) -> None:
        picked = await widgets.pick_file("Choose the file to import")
        if picked is not None:
            self.import_bytes(self.source.value or DEFAULT_IMPORT, picked[0])

    def import_bytes(self, name: str, raw: bytes) -> None:
        """Check the whole file, then store it in one transaction; say what happened either way."""
        busy(self.progress, self.message, "Reading the file…")
        self.app.page.update()
        try:
            summary = self.model.import_bytes(name, raw, progress=self._progress)
        except PurposeError as exc:
            widgets.show(self.message, exc.message, error=True)
        else:
            widgets.show(self.message, import_report(summary))
        self.progress.visible = False
        self.app.page.update()

    def _progress(self, count: int) -> None:
        widgets.show(self.message, f"Saving… {widgets.plural(count, 'entry', 'entries')} so far")
        self.message.update()

    # -- encrypted backup

    def backup_bytes(self, passphrase: str, confirm: str) -> tuple[bytes, int]:
        """The encrypted backup file's bytes, protected by `passphrase` (Argon2id, the vault's cost)."""
        return self.model.backup_bytes(passphrase, confirm)

    def _ask_backup(self, _event: object) -> None:
        page = self.app.page
        first = widgets.passphrase_field("Backup passphrase")
        again = widgets.passphrase_field("Confirm backup passphrase")
        problem = widgets.notice()

        async def make(_event: object) -> None:
            busy(self.progress, self.message, "Making the backup… this takes a few seconds.")
            page.update()
            try:
                data, count = self.backup_bytes(first.value or "", again.value or "")
            except PurposeError as exc:
                self.progress.visible = False
                widgets.show(self.message, "")
                widgets.show(problem, exc.message, error=True)
                page.update()
                return
            page.pop_dialog()
            widgets.show(self.message, "Saving the backup file…")
            page.update()
            await ft.FilePicker().save_file(
                dialog_title="Save the backup", src_bytes=data, file_name=self.model.backup_file_name()
            )
            widgets.show(
                self.message,
                f"Backup of {widgets.plural(count, 'entry', 'entries')} made. Keep its passphrase safe: "
                "without it the backup cannot be opened.",
            )
            self.progress.visible = False
            page.update()

        page.show_dialog(
            ft.AlertDialog(
                title=ft.Text("Encrypted backup"),
                content=ft.Column(
                    [
                        ft.Text(
                            "Choose a passphrase for the backup: your journal's own, or a separate one. "
                            "Nobody can open the backup without it."
                        ),
                        first,
                        again,
                        problem,
                    ],
                    tight=True,
                    width=480,
                ),
                actions=[
                    ft.TextButton(content="Cancel", on_click=lambda _e: page.pop_dialog()),
                    ft.FilledButton(content="Make backup", on_click=make),
                ],
            )
        )

    # -- export

    def _confirm_export(self, _event: object) -> None:
        page = self.app.page
        page.show_dialog(
            ft.AlertDialog(
                title=ft.Text("Export a readable copy?"),
                content=ft.Text(PLAINTEXT_WARNING),
                actions=[
                    ft.TextButton(content="Cancel", on_click=lambda _e: page.pop_dialog()),
                    ft.FilledButton(content="Export readable file", on_click=self._export),
                ],
            )
        )

    async def _export(self, _event: object) -> None:
        page = self.app.page
        page.pop_dialog()
        busy(self.progress, self.message, "Preparing the export…")
        page.update()
        try:
            export = self.model.export(self.target.value or DEFAULT_EXPORT)
        except PurposeError as exc:
            self.progress.visible = False
            widgets.show(self.message, exc.message, error=True)
            page.update()
            return
        finally:
            memory.release()  # the decrypted batches, gone now: give their memory back
        widgets.show(self.message, "Saving the file…")
        page.update()
        session = self.app.session
        # Served: an ordinary download (tens of MB through the live socket took minutes); else the picker.
        if not await downloads.hand_over(page, export.parts, export.file_name, lambda: session.unlocked):
            await ft.FilePicker().save_file(
                dialog_title="Save the export", file_name=export.file_name, src_bytes=export.data
            )
        self.progress.visible = False
        widgets.show(
            self.message,
            f"Exported {widgets.plural(export.count, 'entry', 'entries')}. "
            "Remember: that file is not encrypted.",
        )
        page.update()

    # -- restore (merge) and the report

    async def _pick_backup(self, _event: object) -> None:
        picked = await widgets.pick_file("Choose the backup to restore")
        if picked is not None:
            ask_merge(self.app, self.model, *picked, self.message, self.progress)

    def report(self) -> tuple[bytes, str] | None:
        """The report's PDF and file name for the chosen period, or None after saying what went wrong."""
        busy(self.progress, self.message, "Drawing the report…")
        self.app.page.update()
        try:
            made = self.model.report(
                int(self.period.value or DEFAULT_REPORT_DAYS), with_excerpts=bool(self.excerpts.value)
            )
        except PurposeError as exc:
            self.progress.visible = False
            widgets.show(self.message, exc.message, error=True)
            self.app.page.update()
            return None
        widgets.show(self.message, "Saving the report…")
        self.app.page.update()
        return made.data, made.file_name

    async def _report(self, _event: object) -> None:
        made = self.report()
        if made is None:
            return
        data, name = made
        await ft.FilePicker().save_file(dialog_title="Save the report", file_name=name, src_bytes=data)
        self.progress.visible = False
        widgets.show(self.message, f"Report saved as {name}.")
        self.app.page.update()
