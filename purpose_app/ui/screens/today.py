"""Today: the quick check-in first, then the prompt card, then the editor. Drafts are kept sealed."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import flet as ft

from purpose_app.domain.entry import SHIFTS, Entry
from purpose_app.errors import PurposeError
from purpose_app.services import today_facts
from purpose_app.ui import theme, widgets
from purpose_app.ui.debounce import Debounce
from purpose_app.ui.screens import links
from purpose_app.ui.shell import Shell
from purpose_app.ui.today_model import WHY_INTRO, WHY_OUTRO, TodayModel

DRAFT_DELAY_SECONDS = 1.5


class TodayScreen:
    def __init__(self, app: Shell) -> None:
        self.app = app
        self.model = TodayModel(app.session)
        self.model.load()
        self._draft = Debounce(self._keep_draft, lambda: DRAFT_DELAY_SECONDS)
        self._created: list[str] = []  # entries saved here: added to Today's kept facts at lock
        self.message = widgets.notice()
        editor = self.model.editor
        self.checkin_area = ft.Column(spacing=10, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
        self.checkin_open = False  # "Change" tapped on the collapsed card (phone, after a check-in)
        self.banner: ft.Control | None = None
        self.energy_label = ft.Text("")  # replaced each time the card is drawn
        self.title = ft.TextField(label="Title (optional)", value=editor.title, on_change=self._on_text)
        self.body = ft.TextField(
            label="Write your reflection",
            value=editor.body,
            multiline=True,
            min_lines=6,
            max_lines=18,
            on_change=self._on_text,
        )
        self.tags = ft.TextField(
            label="Tags (separate with commas)", value=", ".join(editor.tags), on_change=self._on_text
        )
        self.prompt_area = ft.Column(spacing=8)

    # -- layout

    def build(self) -> ft.Control:
        page = self.app.page
        self._fill_prompt()
        parts: list[ft.Control] = []
        self.banner = self._draft_banner() if self.model.pending_draft else None
        if self.banner is not None:
            parts.append(self.banner)
        parts += [self._checkin_card(), self.prompt_area, self._editor_card()]
        width = None if theme.is_phone(page) else 760
        return ft.Container(
            ft.ListView([ft.Container(ft.Column(parts, spacing=14), width=width)], padding=16, expand=True),
            expand=True,
            alignment=ft.Alignment.TOP_CENTER,
        )

    def _checkin_card(self) -> ft.Control:
        self._fill_checkin()
        return widgets.card(self.checkin_area)

    def _fill_checkin(self) -> None:
        """The card drawn from the model alone, so after a save it shows the fresh, unset state."""
        page = self.app.page
        model = self.model
        if model.last_checkin is not None and theme.is_phone(page) and not self.checkin_open:
            # One line once it is done, so the day's prompt is in the first screen of a phone.
            line = widgets.body(model.checkin_saved_text(), page, muted=True)
            saved = widgets.tagged("checkin-saved", line)
            saved.expand = True
            self.checkin_area.controls = [ft.Row([saved, widgets.secondary("Change", self._open_checkin)])]
            return
        parts: list[ft.Control] = [widgets.heading("Quick check-in", page, 18)]
        if model.last_checkin is not None:
            parts.append(
                widgets.tagged("checkin-saved", widgets.body(model.checkin_saved_text(), page, muted=True))
            )
        parts += [
            *self._energy_controls(),
            widgets.body("What drained you?", page, muted=True),
            self._chips("drains"),
            widgets.body("What fueled you?", page, muted=True),
            self._chips("fuels"),
            ft.Row(
                [
                    widgets.named_dropdown(
                        ft.Dropdown(
                            label="Shift",
                            value=model.editor.shift,
                            options=[ft.DropdownOption(key=s, text=s) for s in SHIFTS],
                            on_select=self._on_shift,
                            width=200,
                        ),
                        identifier="checkin-shift",
                    ),
                    widgets.primary("Save check-in", self._save_checkin),
                ],
                wrap=True,
                spacing=12,
            ),
        ]
        self.checkin_area.controls = parts

    def _energy_controls(self) -> list[ft.Control]:
        # A slider always rests somewhere; an unset energy shows no slider at all, only the way to set it.
        energy = self.model.editor.energy
        label = ft.Text(self.model.energy_text())
        if energy is None:
            set_energy = widgets.secondary("Set energy", self._set_energy, icon=ft.Icons.BOLT)
            return [ft.Row([label, set_energy], wrap=True, spacing=12)]
        self.energy_label = label
        named = widgets.energy_slider(energy, self._on_energy, identifier="energy")
        named.expand = True  # the slider takes the row's width; "Clear energy" keeps its own
        return [label, ft.Row([named, widgets.secondary("Clear energy", self._clear_energy)])]

    def _chips(self, kind: str) -> ft.Control:
        chosen: list[str] = getattr(self.model.editor, kind)
        labels = self.model.suggestions(kind)
        labels += [label for label in chosen if label not in labels]
        chips = [
            widgets.choice_chip(label, label in chosen, self._chip_handler(kind, label)) for label in labels
        ]
        add = ft.TextField(label=f"Add a {kind[:-1]}", dense=True, width=200, on_submit=self._add_label(kind))
        return ft.Row([*chips, add], wrap=True, spacing=8, run_spacing=8)

    def _fill_prompt(self) -> None:
        page = self.app.page
        model = self.model
        controls: list[ft.Control] = []
        offer = model.offer
        if model.my_why:
            controls.append(
                widgets.tagged(
                    "my-why",
                    widgets.card(
                        widgets.body(WHY_INTRO, page, muted=True),
                        widgets.body(model.my_why, page),
                        widgets.body(WHY_OUTRO, page, muted=True),
                        links.why_button(self.app),
                        ft.Row([widgets.secondary("Don't show my why here", self._hide_why)], wrap=True),
                    ),
                )
            )
        if model.good_day is not None:
            controls.append(
                widgets.tagged(
                    "good-day",
                    widgets.card(
                        widgets.body("A good day from before", page, muted=True),
                        widgets.body(model.good_day.sentence, page),
                        ft.Row([widgets.secondary("Don't show good days", self._hide_good_days)], wrap=True),
                    ),
                )
            )
        for progress in model.programmes:
            if progress.today is not None:
                controls.append(
                    widgets.card(
                        widgets.body(
                            f"{progress.pack.name} · {progress.label}",
                            page,
                            muted=True,
                        ),
                        widgets.body(progress.today.text, page),
                        widgets.secondary("Write about this", self._answer_handler(progress.today.ref)),
                        links.programmes_button(self.app),
                    )
                )
        if offer is not None and not model.blank:
            prompt_parts: list[ft.Control] = [
                widgets.body(offer.why, page, muted=True),
                widgets.tagged("daily-prompt", ft.Text(offer.prompt.text, size=theme.size(page, 19))),
            ]
            if offer.prompt.follow_up:
                prompt_parts.append(widgets.body(offer.prompt.follow_up, page, muted=True))
            prompt_parts.append(
                ft.Row(
                    [
                        widgets.secondary("Another prompt", self._another, icon=ft.Icons.REFRESH),
                        widgets.secondary("Blank page", self._blank, icon=ft.Icons.EDIT_NOTE),
                    ],
                    wrap=True,
                )
            )
            controls.append(widgets.card(*prompt_parts))
        elif model.blank:
            controls.append(
                widgets.secondary("Show today's prompt", self._unblank, icon=ft.Icons.LIGHTBULB_OUTLINE)
            )
        self.prompt_area.controls = controls

    def _editor_card(self) -> ft.Control:
        return widgets.card(
            self.title,
            self.body,
            self.tags,
            self.message,
            ft.Row([widgets.primary("Save entry", self.save_entry, icon=ft.Icons.CHECK)]),
        )

    def _draft_banner(self) -> ft.Control:
        draft = self.model.pending_draft or {}
        kept = str(draft.get("kept", ""))[:16].replace("T", " ")
        return widgets.card(
            widgets.body(f"You have words you had not saved yet (kept {kept}).", self.app.page),
            ft.Row(
                [widgets.primary("Restore draft", self._restore), widgets.secondary("Discard", self._discard)]
            ),
        )

    # -- handlers

    def _on_energy(self, event: ft.Event[ft.Slider]) -> None:
        value = event.control.value
        assert value is not None  # a shown slider always rests on a value
        self.model.editor.energy = round(float(value))
        self.energy_label.value = self.model.energy_text()
        self.energy_label.update()

    def _set_energy(self, _event: object) -> None:
        self.model.set_energy()
        self._refresh_checkin()

    def _clear_energy(self, _event: object) -> None:
        self.model.editor.energy = None
        self._refresh_checkin()

    def _refresh_checkin(self) -> None:
        self._fill_checkin()
        self.checkin_area.update()

    def _on_shift(self, event: ft.Event[ft.Dropdown]) -> None:
        self.model.editor.shift = event.control.value or None

    def _chip_handler(self, kind: str, label: str) -> Callable[[ft.Event[ft.Chip]], None]:
        def handler(event: ft.Event[ft.Chip]) -> None:
            widgets.mark_chip(event.control, self.model.toggle(kind, label))

        return handler

    def _add_label(self, kind: str) -> Callable[[ft.Event[ft.TextField]], None]:
        def handler(event: ft.Event[ft.TextField]) -> None:
            label = (event.control.value or "").strip()
            if label and label not in getattr(self.model.editor, kind):
                getattr(self.model.editor, kind).append(label)
            self._redraw()

        return handler

    def _answer_handler(self, ref: str) -> Callable[[object], None]:
        def handler(_event: object) -> None:
            self.model.answer(ref)
            self.app.toast("Your entry will answer that prompt.")

        return handler

    def _on_text(self, event: object) -> None:
        if isinstance(event, ft.Event):
            # Nothing on screen changes while typing: without this Flet redraws the whole page after
            # every keystroke (a third of the server's time on a large journal). Only a real event is
            # followed by that redraw; direct calls (save_entry) keep their own updates.
            ft.context.disable_auto_update()
        self._sync_editor()
        self.app.session.touch()
        self._draft.poke()

    def _sync_editor(self) -> None:
        editor = self.model.editor
        editor.title = self.title.value or ""
        editor.body = self.body.value or ""
        editor.tags = [t.strip() for t in (self.tags.value or "").split(",") if t.strip()]

    def _keep_draft(self) -> None:
        with contextlib.suppress(PurposeError):  # locked meanwhile: before_lock already kept it
            self.model.keep_draft()

    def before_lock(self) -> None:
        self._draft.cancel()
        self.model.keep_draft()
        if self._created:  # a few rows read now spare the next unlock reading every entry
            today_facts.add_new(self.app.session.require(), self._created)

    def _save_checkin(self, _event: object) -> None:
        self.checkin_open = False
        self.app.guarded(lambda: self._after_save(self.model.quick_checkin(), "Check-in saved."))

    def _open_checkin(self, _event: object) -> None:
        self.checkin_open = True
        self._refresh_checkin()

    def save_entry(self, _event: object) -> None:
        self._draft.cancel()
        self._sync_editor()
        self.app.session.touch()
        try:
            entry = self.model.save()
        except PurposeError as exc:
            widgets.show(self.message, exc.message, error=True)
            self.message.update()
            return
        self._created.append(entry.id)
        self.title.value = self.body.value = self.tags.value = ""
        self.app.toast("Saved. It is in your journal, encrypted.")
        self._refresh_in_place(entry)

    def _refresh_in_place(self, _entry: object) -> None:
        """After "Save entry": the cards and the editor refreshed where they stand. Drawing the page
        afresh would put the person back at its top, away from what they just wrote."""
        if self.banner is not None:
            self.banner.visible = bool(self.model.pending_draft)
        self._fill_checkin()
        self._fill_prompt()
        self.app.page.update()

    def _after_save(self, entry: Entry, text: str) -> None:
        self._created.append(entry.id)
        self.app.toast(text)
        self._redraw()

    def _another(self, _event: object) -> None:
        self.app.guarded(self.model.another)
        self._redraw()

    def _hide_why(self, _event: object) -> None:
        self.app.guarded(self.model.hide_why)
        self.app.toast("Your why will not be shown here. Settings can bring it back.")
        self._redraw()

    def _hide_good_days(self, _event: object) -> None:
        self.app.guarded(self.model.hide_good_days)
        self.app.toast("Good days from before are off. Settings can bring them back.")
        self._redraw()

    def _blank(self, _event: object) -> None:
        self.model.skip_to_blank()
        self._redraw()

    def _unblank(self, _event: object) -> None:
        self.model.blank = False
        if self.model.offer is not None:
            self.model.answer(self.model.offer.prompt.ref)
        self._redraw()

    def _restore(self, _event: object) -> None:
        self.model.restore_draft()
        editor = self.model.editor
        self.title.value, self.body.value, self.tags.value = editor.title, editor.body, ", ".join(editor.tags)
        self._redraw()

    def _discard(self, _event: object) -> None:
        self.app.guarded(self.model.discard_draft)
        self._redraw()

    def _redraw(self) -> None:
        self.app.render()

    def focus_editor(self) -> None:
        """Ctrl+N: the editor, ready for typing, even when an entry was open in a dialog."""
        closed = widgets.close_dialogs(self.app.page)
        self.app.page.run_task(widgets.focus_after_dialogs, self.body, closed)
