"""Support resources, one tap from every screen (locked or not). People to reach, not advice: each
number and address opens with one tap, its note beside it; the person's own contacts can be added,
changed and removed here while the journal is unlocked."""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from purpose_app.errors import PurposeError
from purpose_app.insight import support as kinds
from purpose_app.ui import a11y, widgets
from purpose_app.ui.shell import Shell
from purpose_app.ui.support_model import Link, Row, SupportModel, rows

ICONS = {
    kinds.CALL: ft.Icons.PHONE,
    kinds.TEXT: ft.Icons.SMS_OUTLINED,
    kinds.WEB: ft.Icons.OPEN_IN_NEW,
    kinds.EMAIL: ft.Icons.MAIL_OUTLINE,
}
EMERGENCY = "In an emergency, call your local emergency number."
HINT = "Someone you trust, your physician health program, a colleague: kept encrypted in your journal."
INTRO = "If the work is weighing on you, you do not have to carry it alone. These are confidential."


CONTENT_PADDING = 24  # Flutter's AlertDialog pads its content by this on each side
INSET = ft.Padding.symmetric(horizontal=16, vertical=24)  # the dialog's margin to the page's edges


def dialog_width(page: ft.Page) -> float:
    """The dialog's width: roomy on a desktop, the phone's width less a margin (INSET) on a phone."""
    return min(560, (page.width or 1280) - 32)


def content_width(page: ft.Page) -> float:
    """The width of what a dialog holds, inside its padding: lines wrap to this, never past it."""
    return dialog_width(page) - 2 * CONTENT_PADDING


def link_button(link: Link) -> ft.TextButton:
    """One tap opens the call, the text or the website: the client's URL launcher follows `url`."""
    return ft.TextButton(content=link.label, icon=ICONS.get(link.kind), url=link.url)


def resource_rows(items: list[Row], *, on_edit: Callable[[Row], None] | None = None) -> list[ft.Control]:
    """Each resource: its name, its contact and the note beside it, then its one-tap buttons."""
    out: list[ft.Control] = []
    for row in items:
        buttons: list[ft.Control] = [link_button(link) for link in row.links]
        if row.id is not None and on_edit is not None:
            buttons.append(
                ft.TextButton(
                    content=f"Edit {row.name}",
                    icon=ft.Icons.EDIT_OUTLINED,
                    on_click=lambda _e, r=row, edit=on_edit: edit(r),
                )
            )
        parts: list[ft.Control] = [a11y.selectable(ft.Text(row.contact, selectable=True))]
        if row.note:
            parts.append(a11y.selectable(ft.Text(row.note, italic=True, selectable=True)))
        parts.append(ft.Row(buttons, wrap=True, spacing=4, run_spacing=0))
        out.append(
            ft.ListTile(
                title=ft.Text(row.name + (" (yours)" if row.id else ""), weight=ft.FontWeight.W_600),
                subtitle=ft.Column(parts, spacing=2, tight=True),
                content_padding=ft.Padding.symmetric(horizontal=0),
            )
        )
    return out


class SupportDialog:
    """The dialog, which shows the list or the form for one of the person's own contacts."""

    def __init__(self, app: Shell) -> None:
        self.app = app
        self.model = SupportModel(app.session)
        self.body = ft.Column(tight=True, scroll=ft.ScrollMode.AUTO, width=content_width(app.page))
        self.dialog = ft.AlertDialog(title=ft.Text("Support"), content=self.body, inset_padding=INSET)
        self.show_list()

    def _close(self, _event: object) -> None:
        self.app.page.pop_dialog()

    def show_list(self) -> None:
        items, privacy = rows(self.app.session)
        controls: list[ft.Control] = [ft.Text(INTRO)]
        controls += resource_rows(items, on_edit=self.show_form if self.model.can_edit else None)
        controls += [
            ft.Text(privacy, italic=True),
            ft.Text("In an emergency, call your local emergency number."),
        ]
        self.body.controls = controls
        actions: list[ft.Control] = []
        if self.model.can_edit:
            actions.append(ft.TextButton(content="Add a contact", icon=ft.Icons.PERSON_ADD_OUTLINED,
                                         on_click=lambda _e: self.show_form(None)))  # fmt: skip
        actions.append(ft.TextButton(content="Close", on_click=self._close))
        self.dialog.actions = actions

    def show_form(self, row: Row | None) -> None:
        """Add a contact (row None) or change one; a problem is said in the form and nothing is stored."""
        name = ft.TextField(label="Name", value=row.name if row else "", autofocus=True)
        contact = ft.TextField(label="Phone number or address", value=row.contact if row else "")
        note = ft.TextField(label="Note (optional)", value=row.note if row else "", multiline=True)
        message = widgets.notice()

        def save(_event: object) -> None:
            values = (name.value or "", contact.value or "", note.value or "")
            try:
                if row is None or row.id is None:
                    self.model.add(*values)
                else:
                    self.model.edit(row.id, *values)
            except PurposeError as exc:
                widgets.show(message, exc.message, error=True)
                self.app.page.update()
                return
            self._back()

        def remove(_event: object) -> None:
            assert row is not None and row.id is not None
            try:
                self.model.remove(row.id)
            except PurposeError as exc:
                widgets.show(message, exc.message, error=True)
                self.app.page.update()
                return
            self._back()

        hint = (
            "Someone you trust, your physician health program, a colleague: kept encrypted in your journal."
        )
        self.body.controls = [ft.Text(hint), name, contact, note, message]
        actions: list[ft.Control] = []
        if row is not None:
            actions.append(ft.TextButton(content="Remove this contact", icon=ft.Icons.DELETE_OUTLINE,
                                         on_click=remove))  # fmt: skip
        actions += [
            ft.TextButton(content="Cancel", on_click=lambda _e: self._back()),
            ft.FilledButton(content="Save contact", on_click=save),
        ]
        self.dialog.actions = actions
        self.app.page.update()

    def _back(self) -> None:
        self.show_list()
        self.app.page.update()


def support_dialog(app: Shell) -> ft.AlertDialog:
    return SupportDialog(app).dialog
