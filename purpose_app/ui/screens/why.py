"""My why: the reason you went into medicine, in your own words; rewrite it any time, every version kept."""

from __future__ import annotations

import flet as ft

from purpose_app.errors import PurposeError
from purpose_app.ui import a11y, widgets
from purpose_app.ui.screens import subpage
from purpose_app.ui.shell import Shell
from purpose_app.ui.why_model import MAX_WHY, WhyModel


def open_why(app: Shell, back_to: str = "Today") -> None:
    WhyScreen(app, back_to).show()


class WhyScreen:
    def __init__(self, app: Shell, back_to: str = "Today") -> None:
        self.app = app
        self.back_to = back_to
        self.model = WhyModel(app.session)
        self.editor = ft.TextField(
            label="My why",
            hint_text="Why did you go into medicine? What still matters to you in it?",
            multiline=True,
            min_lines=4,
            max_lines=12,
            max_length=MAX_WHY,
            value=self.model.current() or "",
        )
        self.message = widgets.notice()
        self.column = ft.Column(spacing=12)

    def show(self) -> None:
        self._fill()
        subpage.show(self.app, "My why", self.back_to, self.column)

    def _fill(self) -> None:
        page = self.app.page
        versions = self.model.versions()
        earlier: list[ft.Control] = [
            widgets.card(
                widgets.body(v.written, page, muted=True),
                a11y.selectable(widgets.body(v.text, page, selectable=True)),
            )
            for v in versions[1:]
        ]
        self.column.controls = [
            widgets.body(
                "A sentence or two, in your words. On heavy days Purpose shows it back to you, gently. "
                "Rewrite it whenever it changes: earlier versions are kept.",
                page,
                muted=True,
            ),
            self.editor,
            self.message,
            ft.Row([widgets.primary("Save my why", self.save)]),
            widgets.heading("Earlier versions", page, 17) if earlier else ft.Container(),
            *earlier,
        ]

    def save(self, _event: object) -> None:
        """Store the text as a new version; say so, or say what is wrong (the old one stays)."""
        try:
            saved = self.model.save(self.editor.value or "")
        except PurposeError as exc:
            widgets.show(self.message, exc.message, error=True)
            self.app.page.update()
            return
        self.app.session.touch()
        widgets.show(
            self.message, "Saved. Earlier versions are always kept." if saved else "No change to save."
        )
        self._fill()
        self.app.page.update()
