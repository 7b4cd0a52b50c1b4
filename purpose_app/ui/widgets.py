"""Small building blocks shared by screens: cards, calm messages, stable test ids, and controls that
carry their own accessible name (icon buttons, sliders, dropdowns, passphrase fields)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import flet as ft

from purpose_app.ui import theme
from purpose_app.ui.words import plural as plural  # screens reach it as widgets.plural

DIALOG_EXIT_SECONDS = 0.3  # a little longer than a Material dialog's exit animation


def tagged(identifier: str, control: ft.Control, *, label: str | None = None) -> ft.Control:
    """A stable selector for tests that survives wording changes: [flt-semantics-identifier=...].
    With a label, also the name a screen reader gives the control."""
    return ft.Semantics(identifier=identifier, label=label, content=control)


def icon_button(icon: ft.IconData, name: str, on_click: object) -> ft.MergeSemantics:
    """An icon button a screen reader calls by its name. Flutter puts an IconButton's tooltip on a
    node of its own beside an unnamed button; merged, the button is named by it (one node, no tooltip
    node). The tooltip still shows on hover and long press."""
    return ft.MergeSemantics(content=ft.IconButton(icon, tooltip=name, on_click=on_click))  # type: ignore[arg-type]


def button_in(control: ft.Control) -> ft.IconButton:
    """The IconButton inside what icon_button returned (to change its icon or tooltip)."""
    inner = control.content if isinstance(control, ft.MergeSemantics) else control
    assert isinstance(inner, ft.IconButton)
    return inner


def passphrase_field(
    label: str, *, on_submit: object = None, on_change: object = None, autofocus: bool = False
) -> ft.TextField:
    """A hidden passphrase with a named Show/Hide button. Flet's own reveal eye is a bare gesture
    with no name (a nameless button to a screen reader, and out of reach of the keyboard)."""
    field = ft.TextField(
        label=label,
        password=True,
        on_submit=on_submit,  # type: ignore[arg-type]
        on_change=on_change,  # type: ignore[arg-type]
        autofocus=autofocus,
    )

    def toggle(_event: object) -> None:
        field.password = not field.password
        button = button_in(reveal)
        button.icon = ft.Icons.VISIBILITY if field.password else ft.Icons.VISIBILITY_OFF
        button.tooltip = f"Show {label.lower()}" if field.password else f"Hide {label.lower()}"
        field.update()

    reveal = icon_button(ft.Icons.VISIBILITY, f"Show {label.lower()}", toggle)
    field.suffix_icon = reveal
    return field


def named_dropdown(dropdown: ft.Dropdown, *, identifier: str | None = None) -> ft.Semantics:
    """A dropdown named by its label, with its chosen option as its value ("Shift, night"). Left to
    itself, Flutter names it with whatever text sits above it in the same card, or with nothing."""
    label = dropdown.label if isinstance(dropdown.label, str) else ""
    named = ft.Semantics(
        identifier=identifier, label=label, value=_shown(dropdown), container=True, content=dropdown
    )
    chosen = dropdown.on_select

    def on_select(event: ft.Event[ft.Dropdown]) -> None:
        named.value = _shown(dropdown)
        named.update()
        if callable(chosen):
            chosen(event)  # type: ignore[call-arg]  # a handler that takes the event

    dropdown.on_select = on_select
    return named


def _shown(dropdown: ft.Dropdown) -> str:
    for option in dropdown.options or []:
        if option.key == dropdown.value and dropdown.value:
            return option.text or option.key or ""
    return "not set"


def named_slider(
    slider: ft.Slider, name: str, value_text: Callable[[int], str], *, identifier: str
) -> ft.Semantics:
    """A slider named `name` whose value a screen reader hears as words ("Energy, 7 of 10") rather
    than Flutter's percentage. Merged, so the name and the value land on the slider's own node."""
    inner = ft.Semantics(label=name, value=value_text(round(slider.value or 0)), content=slider)
    changed = slider.on_change

    def on_change(event: ft.Event[ft.Slider]) -> None:
        inner.value = value_text(round(event.control.value or 0))
        inner.update()
        if callable(changed):
            changed(event)  # type: ignore[call-arg]  # a handler that takes the event

    slider.on_change = on_change
    return ft.Semantics(identifier=identifier, content=ft.MergeSemantics(content=inner))


def energy_words(energy: int) -> str:
    """What a screen reader hears for the energy slider."""
    return f"Energy, {energy} of 10"


def energy_slider(energy: int, on_change: object, *, identifier: str) -> ft.Semantics:
    """The 0-10 energy slider (Today and the entry window), named "Energy", its value in words. No
    value bubble: the line above it already says "Energy: 7 of 10", and the bubble's number would be
    merged into the slider's spoken name."""
    slider = ft.Slider(min=0, max=10, divisions=10, value=energy, on_change=on_change)  # type: ignore[arg-type]
    return named_slider(slider, "Energy", energy_words, identifier=identifier)


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
