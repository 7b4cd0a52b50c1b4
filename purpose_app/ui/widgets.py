"""Small building blocks shared by screens: cards, calm messages, stable test ids."""

from __future__ import annotations

import asyncio

import flet as ft

from purpose_app.ui import theme
from purpose_app.ui.words import plural as plural  # screens reach it as widgets.plural

DIALOG_EXIT_SECONDS = 0.3  # a little longer than a Material dialog's exit animation


def tagged(identifier: str, control: ft.Control, *, label: str | None = None) -> ft.Control:
    """A stable selector for tests that survives wording changes: [flt-semantics-identifier=...].
    With a label, also the name a screen reader gives the control."""
    return ft.Semantics(identifier=identifier, label=label, content=control)


async def pick_file(dialog_title: str, extensions: list[str] | None = None) -> tuple[bytes, str] | None:
    """The chosen file's bytes and name, or None if the person cancelled. The browser and phones hand
    over the bytes; a desktop window gives a path, read here."""
    files = await ft.FilePicker().pick_files(
        dialog_title=dialog_title, allowed_extensions=extensions, with_data=True
    )
    if not files:
        return None
    chosen = files[0]
    if chosen.bytes is not None:
        return chosen.bytes, chosen.name
    with open(chosen.path or "", "rb") as handle:
        return handle.read(), chosen.name


def heading(text: str, page: ft.Page, base: float = 22) -> ft.Text:
    return ft.Text(text, size=theme.size(page, base), weight=ft.FontWeight.W_600)


def body(text: str, page: ft.Page, *, muted: bool = False, selectable: bool = False) -> ft.Text:
    return ft.Text(
        text,
        size=theme.size(page, 15),
        color=ft.Colors.ON_SURFACE_VARIANT if muted else None,
        selectable=selectable,
    )


def card(*controls: ft.Control, padding: int = 16) -> ft.Card:
    column = ft.Column(list(controls), spacing=10, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
    return ft.Card(content=ft.Container(column, padding=padding))


def notice(text: str = "", *, error: bool = False) -> ft.Text:
    """A calm one-line message; errors in the theme's error colour but never shouting."""
    return ft.Text(text, color=ft.Colors.ERROR if error else ft.Colors.PRIMARY, visible=bool(text))


def show(message: ft.Text, text: str, *, error: bool = False) -> None:
    message.value = text
    message.color = ft.Colors.ERROR if error else ft.Colors.PRIMARY
    message.visible = bool(text)


def primary(label: str, on_click: object, *, icon: object = None) -> ft.FilledButton:
    return ft.FilledButton(content=label, icon=icon, on_click=on_click, height=theme.TOUCH)  # type: ignore[arg-type]


def secondary(label: str, on_click: object, *, icon: object = None) -> ft.TextButton:
    return ft.TextButton(content=label, icon=icon, on_click=on_click, height=theme.TOUCH)  # type: ignore[arg-type]


def choice_chip(label: str, selected: bool, on_select: object) -> ft.Chip:
    """A chip whose width does not change when chosen (so a row of chips never jumps lines): the
    check mark's place is always kept, drawn only when chosen."""
    chip = ft.Chip(
        label=ft.Text(label),
        selected=selected,
        show_checkmark=False,
        leading=ft.Icon(ft.Icons.CHECK, size=18),
        on_select=on_select,  # type: ignore[arg-type]
    )
    mark_chip(chip, selected, update=False)
    return chip


def mark_chip(chip: ft.Chip, selected: bool, *, update: bool = True) -> None:
    chip.selected = selected
    if isinstance(chip.leading, ft.Icon):
        chip.leading.color = None if selected else ft.Colors.TRANSPARENT
    if update:
        chip.update()


def close_dialogs(page: ft.Page) -> bool:
    """Close every open dialog; whether there was one. A shortcut that moves to another screen
    must not leave a dialog on top: it would keep the keyboard, and the screen below would be deaf."""
    closed = False
    while page.pop_dialog() is not None:
        closed = True
    return closed


async def focus_after_dialogs(field: ft.TextField, closed: bool) -> None:
    # A closing dialog hands focus back to what had it before it opened, as its exit ends: wait for
    # that, then take the focus, or the typing goes nowhere.
    if closed:
        await asyncio.sleep(DIALOG_EXIT_SECONDS)
    await field.focus()
