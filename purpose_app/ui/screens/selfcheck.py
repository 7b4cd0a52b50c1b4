"""Self-checks in the app: the ten-second quick check and the Copenhagen Burnout Inventory.
Results are a signal worth attention, never a diagnosis; with a high one, support appears gently."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import flet as ft

from purpose_app.errors import PurposeError
from purpose_app.insight import scoring
from purpose_app.services.selfcheck import SelfChecks
from purpose_app.ui import widgets
from purpose_app.ui.screens.support import resources

SKIP = "skip"


def _now() -> datetime:
    return datetime.now(UTC).astimezone()


def _support_rows(app: Any) -> list[ft.Control]:
    items, privacy = resources(app)
    rows: list[ft.Control] = [
        ft.Text("If it would help to talk to someone, these are confidential:", weight=ft.FontWeight.W_600)
    ]
    rows += [ft.Text(f"{name}: {contact}", selectable=True) for name, contact, _note in items]
    rows.append(ft.Text(privacy, italic=True))
    return rows


def quick_result_text(score: int) -> str:
    if scoring.quick_has_symptoms(score):
        return (
            f"You chose {score} of 5. In research with this question, 3 or more is read as burnout "
            "symptoms being present: a signal worth attention, not a diagnosis."
        )
    return f"You chose {score} of 5. Thank you for checking in with yourself."


def open_quick(app: Any) -> None:
    page = app.page
    group = ft.RadioGroup(
        content=ft.Column(
            [
                ft.Radio(value=str(i), label=f"{i}. {text}")
                for i, text in enumerate(scoring.QUICK_OPTIONS, start=1)
            ]
        )
    )
    body = ft.Column(
        [ft.Text(scoring.QUICK_QUESTION), group], tight=True, scroll=ft.ScrollMode.AUTO, width=520
    )

    def save(_event: object) -> None:
        if not group.value:
            return
        try:
            result = SelfChecks(app.session.require()).record_quick(group.value, _now())
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
        actions=[
            ft.TextButton(content="Not now", on_click=lambda _e: page.pop_dialog()),
            ft.FilledButton(content="Save", on_click=save),
        ],
    )
    page.show_dialog(dialog)


def _close(app: Any) -> None:
    app.page.pop_dialog()
    app.render()  # Trends shows the new point


def open_cbi(app: Any) -> None:
    CbiScreen(app).show()


class CbiScreen:
    """All 19 questions on one scrolling page; any can be skipped (the published rules allow it)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.answers: list[ft.Dropdown] = []
        self.column = ft.Column(spacing=12)

    def show(self) -> None:
        page = self.app.page
        page.controls.clear()
        page.add(ft.SafeArea(ft.Container(ft.ListView([self.column], padding=16), expand=True), expand=True))
        self._questions()
        page.update()

    def _questions(self) -> None:
        page = self.app.page
        self.answers = []
        rows: list[ft.Control] = [
            widgets.heading("Copenhagen Burnout Inventory", page),
            widgets.body(
                "19 questions about the last weeks. Answer what fits; skip any you prefer not to. "
                "The result is a signal worth attention, never a diagnosis.",
                page,
                muted=True,
            ),
        ]
        for item in scoring.ITEMS:
            options = [
                ft.DropdownOption(key=str(value), text=word)
                for value, word in zip(scoring.VALUES, scoring.ANSWER_WORDS[item.answers], strict=True)
            ]
            choice = ft.Dropdown(label="Answer", options=[*options, ft.DropdownOption(key=SKIP, text="Skip")],
                                 width=280)  # fmt: skip
            self.answers.append(choice)
            rows.append(widgets.card(ft.Text(f"{item.number}. {item.text}"), choice))
        rows.append(
            ft.Row(
                [widgets.primary("Save answers", self._save), widgets.secondary("Cancel", self._back)],
                wrap=True,
            )
        )
        self.column.controls = rows

    def _save(self, _event: object) -> None:
        values = tuple(None if (c.value in (None, "", SKIP)) else int(str(c.value)) for c in self.answers)
        try:
            result = SelfChecks(self.app.session.require()).record_cbi(values, _now())
        except PurposeError as exc:
            self.app.toast(exc.message, error=True)
            return
        assert result.cbi is not None
        page = self.app.page
        lines: list[ft.Control] = [widgets.heading("Your Copenhagen check", page)]
        for scale in scoring.SCALES:
            score = result.cbi.score(scale)
            name = scoring.SCALE_NAMES[scale]
            text = (
                f"{name}: {score:.0f} of 100"
                if score is not None
                else f"{name}: not scored (too few answers for this scale)"
            )
            lines.append(widgets.body(text, page))
        lines.append(
            widgets.body(
                f"50 or more is {scoring.THRESHOLD_LABEL}: a signal worth attention, not a diagnosis.",
                page,
                muted=True,
            )
        )
        if result.wants_support:
            lines += _support_rows(self.app)
        lines.append(widgets.primary("Back to Trends", self._back))
        self.column.controls = lines
        page.update()

    def _back(self, _event: object) -> None:
        self.app.go("Trends")
