"""What a screen may ask of the app that hosts it: the page, the session, navigation and messages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import flet as ft

from purpose_app.services.session import Session


class Shell(Protocol):
    """The App as screens see it; a test can pass anything with these members."""

    @property
    def page(self) -> ft.Page: ...

    @property
    def session(self) -> Session: ...

    def render(self) -> None: ...

    def go(self, name: str) -> None: ...

    def toast(self, text: str, *, error: bool = False) -> None: ...

    def guarded(self, action: Callable[[], None]) -> None: ...

    def lock(self) -> None: ...


class Screen(Protocol):
    """A destination in the shell: it draws itself when shown."""

    def build(self) -> ft.Control: ...
