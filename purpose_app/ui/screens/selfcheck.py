"""Self-checks in the app: the ten-second quick check and the Copenhagen Burnout Inventory.
Results are a signal worth attention, never a diagnosis; with a high one, support appears gently."""

from __future__ import annotations

import flet as ft

from purpose_app.errors import PurposeError
from purpose_app.ui import widgets
from purpose_app.ui.screens.full_page import full_page
from purpose_app.ui.screens.support import INSET, content_width, resource_rows
from purpose_app.ui.selfcheck_model import (
    QUICK_QUESTION,
    SKIP,
    THRESHOLD_NOTE,
    SelfCheckModel,
    cbi_lines,
    questions,
    quick_options,
    quick_result_text,
    urgent_text,
)
from purpose_app.ui.shell import Shell
from purpose_app.ui.support_model import rows as support_rows


def _support_rows(app: Shell) -> list[ft.Control]:
    items, privacy = support_rows(app.session)
    rows: list[ft.Control] = [
        ft.Text("If it would help to talk to someone, these are confidential:", weight=ft.FontWeight.W_600)
    ]
    rows += resource_rows(items)
    rows.append(ft.Text(privacy, italic=True))
    return rows


def quick_tile(group: ft.RadioGroup, key: str, label: str) -> ft.Control:
    """One answer: the radio, and its words in full beside it, wrapping (the words are the instrument,
    so nothing is cut off or ellipsed); a tap on the words chooses it too."""

    def choose(_event: object) -> None:
        group.value = key
        group.update()

    # No max_lines and nothing clipped: the whole answer wraps inside the dialog and is read in full.
    words = ft.Text(label, expand=True, overflow=ft.TextOverflow.VISIBLE)
    row = ft.Row([ft.Radio(value=key), words], vertical_alignment=ft.CrossAxisAlignment.START, spacing=4)
    # Merged, the radio is named by its words (a label on a wrapper would name the wrapper, not the radio).
    return ft.Container(
        ft.MergeSemantics(widgets.tagged(f"quick-answer-{key}", row)),
        on_click=choose,
        padding=ft.Padding.symmetric(vertical=4),
    )


def open_quick(app: Shell) -> None:
    page = app.page
    model = SelfCheckModel(app.session)
    answers = ft.Column(spacing=2)
    group = ft.RadioGroup(content=answers)
    answers.controls = [quick_tile(group, key, label) for key, label in quick_options()]
    width = content_width(page)
    body = ft.Column([ft.Text(QUICK_QUESTION), group], tight=True, scroll=ft.ScrollMode.AUTO, width=width)

    def save(_event: object) -> None:
        if not group.value:
            return
        try:
            result = model.record_quick(group.value)
        except PurposeError as exc:
            app.toast(exc.message, error=True)
            return
        assert result.quick is not None
        body.controls = [ft.Text(quick_result_text(result.quick))]
        if result.wants_support:
            body.controls += _support_rows(app)
        dialog.actions = [ft.TextButton(content="Close", on_click=lambda _e: _close(app))]
        page.update()

    dialog = ft.AlertDialog(
        title=ft.Text("Quick check"),
        content=body,
        inset_padding=INSET,
        actions=[
            ft.TextButton(content="Not now", on_click=lambda _e: page.pop_dialog()),
            ft.FilledButton(content="Save", on_click=save),
        ],
    )
    page.show_dialog(dialog)


def _close(app: Shell) -> None:
    app.page.pop_dialog()
    app.render()  # Trends shows the new point


def open_cbi(app: Shell) -> None:
    CbiScreen(app).show()


class CbiScreen:
    """All 19 questions on one scrolling page; any can be skipped (the published rules allow it)."""

    def __init__(self, app: Shell) -> None:
        self.app = app
        self.model = SelfCheckModel(app.session)
        self.answers: list[ft.Dropdown] = []
        self.column = ft.Column(spacing=12)

    def show(self) -> None:
        page = self.app.page
        page.controls.clear()
        # Support is at the top of this page: "I can't take it anymore" is asked here.
        page.add(full_page(self.app, ft.ListView([self.column], padding=16)))
        self._questions()
        page.update()

    def _questions(self) -> None:
        page = self.app.page
        self.answers = []
        rows: list[ft.Control] = [
            widgets.heading("Copenhagen Burnout Inventory", page),
            widgets.body(
                "19 questions about how you feel, at work and with patients. Answer what fits; "
                "skip any you prefer not to. "
                "The result is a signal worth attention, never a diagnosis.",
                page,
                muted=True,
            ),
        ]
        for question in questions():
            options = [ft.DropdownOption(key=key, text=word) for key, word in question.options]
            # Named by its question's number: nineteen controls all called "Answer" say nothing.
            choice = ft.Dropdown(
                label=f"Answer to question {question.number}",
                options=[*options, ft.DropdownOption(key=SKIP, text="Skip")],
                width=280,
            )
            self.answers.append(choice)
            named = widgets.named_dropdown(choice, identifier=f"cbi-answer-{question.number}")
            rows.append(widgets.card(ft.Text(f"{question.number}. {question.text}"), named))
        rows.append(
            ft.Row(
                [widgets.primary("Save answers", self._save), widgets.secondary("Cancel", self._back)],
                wrap=True,
            )
        )
        self.column.controls = rows

    def _save(self, _event: object) -> None:
        try:
            result = self.model.record_cbi([c.value for c in self.answers])
        except PurposeError as exc:
            self.app.toast(exc.message, error=True)
            return
        page = self.app.page
        lines: list[ft.Control] = [widgets.heading("Your Copenhagen check", page)]
        lines += [widgets.body(text, page) for text in cbi_lines(result)]
        lines.append(widgets.body(THRESHOLD_NOTE, page, muted=True))
        urgent = urgent_text(result)
        if urgent:  # said first, before any score: it asks for support whatever the scales say
            lines.insert(1, widgets.body(urgent, page))
        if result.wants_support:
            lines += _support_rows(self.app)
        lines.append(widgets.primary("Back to Trends", self._back))
        self.column.controls = lines
        page.update()

    def _back(self, _event: object) -> None:
        self.app.go("Trends")
