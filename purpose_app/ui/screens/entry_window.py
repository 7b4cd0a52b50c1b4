"""The entry window: one entry and everything it holds, shown and editable (title, text, tags, energy,
drains, fuels, shift) with the prompt it answered; Delete kept apart from Save."""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from purpose_app.domain import calendar_words
from purpose_app.domain.entry import SHIFTS, Entry
from purpose_app.errors import PurposeError
from purpose_app.ui import theme, widgets
from purpose_app.ui.journal_model import EntryForm, JournalModel
from purpose_app.ui.shell import Shell

MIDDLE_ENERGY = 5  # "Set energy" starts in the middle, as on Today
DESKTOP_WIDTH = 720


def energy_words(energy: int | None) -> str:
    return "Energy: not set" if energy is None else f"Energy: {energy} of 10"


class EntryWindow:
    """One entry, everything it holds, editable: title, text, tags, energy (or none), drains, fuels,
    shift, and the prompt it answered. Full width on a phone, roomy on a desktop; Delete on the left,
    apart from Save."""

    def __init__(
        self,
        app: Shell,
        model: JournalModel,
        entry: Entry,
        form: EntryForm,
        *,
        on_saved: Callable[[], None],
        on_delete: Callable[[str], None],
    ) -> None:
        self.app = app
        self.model = model
        self.on_saved = on_saved
        self.on_delete = on_delete
        self.entry = entry
        self.before = form
        self.energy = form.energy
        self.title = ft.TextField(label="Title (optional)", value=form.title)
        self.body = ft.TextField(
            label="Write your reflection", value=form.body, multiline=True, min_lines=4, max_lines=14
        )
        self.tags = ft.TextField(label="Tags (separate with commas)", value=form.tags)
        self.drains = ft.TextField(label="Drains (separate with commas)", value=form.drains)
        self.fuels = ft.TextField(label="Fuels (separate with commas)", value=form.fuels)
        self.shift = ft.Dropdown(
            label="Shift",
            value=form.shift,
            options=[ft.DropdownOption(key="", text="not set"), *[ft.DropdownOption(key=s) for s in SHIFTS]],
            width=200,
        )
        self.named_shift = widgets.named_dropdown(self.shift, identifier="entry-shift")
        self.energy_area = ft.Column(spacing=4)
        self.message = widgets.notice()

    def dialog(self) -> ft.AlertDialog:
        page = self.app.page
        phone = theme.is_phone(page)
        self._fill_energy()
        parts: list[ft.Control] = []
        if self.before.prompt:
            parts.append(
                widgets.tagged(
                    "entry-prompt", widgets.body(f"Answering: {self.before.prompt}", page, muted=True)
                )
            )
        parts += [
            self.title,
            self.body,
            self.tags,
            self.energy_area,
            self.drains,
            self.fuels,
            self.named_shift,
            self.message,
        ]
        # A phone gets the whole screen (no inset, no rounded corners); a desktop a roomy 720 px.
        width = (page.width or 390) - 32 if phone else DESKTOP_WIDTH
        return ft.AlertDialog(
            title=ft.Text(calendar_words.moment_words(self.entry.created), size=theme.size(page, 18)),
            # STRETCH: a dialog sizes its fields to their own (about 300 px) width otherwise.
            content=ft.Column(
                parts,
                tight=True,
                width=width,
                spacing=12,
                scroll=ft.ScrollMode.AUTO,
                horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
            ),
            inset_padding=0 if phone else None,
            content_padding=ft.Padding(16, 8, 16, 8) if phone else None,
            shape=ft.RoundedRectangleBorder(radius=0) if phone else None,
            actions_alignment=ft.MainAxisAlignment.SPACE_BETWEEN,
            actions=[
                ft.TextButton(
                    content="Delete",
                    icon=ft.Icons.DELETE_OUTLINE,
                    on_click=lambda _e: self.on_delete(self.entry.id),
                ),
                ft.Row(
                    [
                        ft.TextButton(content="Close", on_click=lambda _e: page.pop_dialog()),
                        ft.FilledButton(content="Save changes", on_click=self._save),
                    ],
                    tight=True,
                ),
            ],
        )

    def _fill_energy(self) -> None:
        # As on Today: an unset energy shows no slider (a slider always rests somewhere), only "Set energy".
        label = ft.Text(energy_words(self.energy))
        if self.energy is None:
            self.energy_area.controls = [
                ft.Row(
                    [label, widgets.secondary("Set energy", self._set_energy, icon=ft.Icons.BOLT)], wrap=True
                )
            ]
            return
        named = widgets.energy_slider(self.energy, self._on_energy, identifier="entry-energy")
        named.expand = True
        self.energy_label = label
        self.energy_area.controls = [
            label,
            ft.Row([named, widgets.secondary("Clear energy", self._clear_energy)]),
        ]

    def _redraw_energy(self) -> None:
        self._fill_energy()
        self.energy_area.update()

    def _set_energy(self, _event: object) -> None:
        self.energy = MIDDLE_ENERGY
        self._redraw_energy()

    def _clear_energy(self, _event: object) -> None:
        self.energy = None
        self._redraw_energy()

    def _on_energy(self, event: ft.Event[ft.Slider]) -> None:
        value = event.control.value
        self.energy = None if value is None else round(float(value))
        self.energy_label.value = energy_words(self.energy)
        self.energy_label.update()

    def form(self) -> EntryForm:
        """What the window shows now."""
        return EntryForm(
            title=self.title.value or "",
            body=self.body.value or "",
            tags=self.tags.value or "",
            energy=self.energy,
            drains=self.drains.value or "",
            fuels=self.fuels.value or "",
            shift=self.shift.value or "",
            prompt=self.before.prompt,
        )

    def _save(self, _event: object) -> None:
        self.app.session.touch()
        try:
            self.model.save_form(self.entry.id, self.before, self.form())
        except PurposeError as exc:  # the window stays open with every word in it
            widgets.show(self.message, exc.message, error=True)
            self.message.update()
            return
        self.on_saved()
