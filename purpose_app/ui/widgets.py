"""Small building blocks shared by screens: cards, calm messages, stable test ids."""

from __future__ import annotations

import flet as ft

from purpose_app.ui import theme


def tagged(identifier: str, control: ft.Control) -> ft.Control:
    """A stable selector for tests that survives wording changes: [flt-semantics-identifier=...]."""
    return ft.Semantics(identifier=identifier, content=control)


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
