"""Journal: entries by date, search, filters; open, edit, delete with confirmation. Paged."""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from purpose_app.domain.entry import SHIFTS
from purpose_app.errors import PurposeError
from purpose_app.ui import theme, widgets
from purpose_app.ui.journal_model import JournalModel, Row, Snippet
from purpose_app.ui.screens.entry_window import EntryWindow
from purpose_app.ui.shell import Shell


def _snippet(found: Snippet) -> ft.Text:
    """The words around the match, the match in bold: what the search found, in context."""
    return ft.Text(
        spans=[
            ft.TextSpan(found.before),
            ft.TextSpan(found.match, style=ft.TextStyle(weight=ft.FontWeight.W_700)),
            ft.TextSpan(found.after),
        ],
        max_lines=2,
        overflow=ft.TextOverflow.ELLIPSIS,
        color=ft.Colors.ON_SURFACE_VARIANT,
    )


def _row(item: Row, on_click: Callable[[object], None]) -> ft.Control:
    lines: list[ft.Control] = [ft.Text(item.when + (f"  ·  {item.details}" if item.details else ""))]
    if item.snippet is not None:
        lines.append(_snippet(item.snippet))
    return ft.ListTile(
        title=ft.Text(item.headline, max_lines=1, overflow=ft.TextOverflow.ELLIPSIS),
        subtitle=ft.Column(lines, spacing=2, tight=True),
        on_click=on_click,
        min_height=theme.TOUCH,
    )


class JournalScreen:
    def __init__(self, app: Shell) -> None:
        self.app = app
        self.model = JournalModel(app.session)
        self.search = ft.TextField(
            label="Search",
            prefix_icon=ft.Icons.SEARCH,
            on_submit=self._on_search,
            on_change=self._on_search,
            dense=True,
            expand=True,
        )
        self.shift = ft.Dropdown(
            label="Shift",
            options=[
                ft.DropdownOption(key="", text="any"),
                *[ft.DropdownOption(key=s, text=s) for s in SHIFTS],
            ],
            width=150,
            dense=True,
            on_select=self._on_filter,
        )
        self.tag = self._label_filter("Tag", "tags")
        self.drain = self._label_filter("Drain", "drains")
        self.fuel = self._label_filter("Fuel", "fuels")
        self.since = ft.TextField(
            label="From", hint_text="YYYY-MM-DD", width=170, dense=True, on_submit=self._on_filter
        )
        self.until = ft.TextField(
            label="To", hint_text="YYYY-MM-DD", width=170, dense=True, on_submit=self._on_filter
        )
        # Named once: each wraps its dropdown's handler to keep the spoken value current.
        self.named_filters = [
            widgets.named_dropdown(d) for d in (self.tag, self.drain, self.fuel, self.shift)
        ]
        self.message = widgets.notice()
        self.count_text = ft.Text("")  # "3 entries match."
        # Hidden as a whole: Flutter refuses a Semantics node whose content is invisible.
        self.count_line = widgets.tagged("journal-count", self.count_text)
        self.count_line.visible = False
        self.list = ft.ListView(expand=True, spacing=4, padding=ft.Padding(0, 8, 0, 24))
        # Behind a button, so the first entries are in the first screen; the search stays in sight.
        self.filters = ft.Row(wrap=True, spacing=8, run_spacing=8, visible=False)
        self.filters_button = ft.OutlinedButton(
            content="Filters", icon=ft.Icons.FILTER_LIST, on_click=self._toggle_filters, height=theme.TOUCH
        )

    def _label_filter(self, label: str, kind: str) -> ft.Dropdown:
        options = [
            ft.DropdownOption(key="", text="any"),
            *[ft.DropdownOption(key=v, text=v) for v in self.model.labels(kind)],
        ]
        return ft.Dropdown(label=label, options=options, width=170, dense=True, on_select=self._on_filter)

    def build(self) -> ft.Control:
        self._search()
        self.filters.controls = [*self.named_filters, self.since, self.until]
        self._label_filters_button()
        return ft.Container(
            ft.Column(
                [
                    ft.Row([self.search, self.filters_button]),
                    self.filters,
                    self.message,
                    self.count_line,
                    self.list,
                ],
                expand=True,
                spacing=8,
            ),
            padding=16,
            expand=True,
        )

    def focus_search(self) -> None:
        closed = widgets.close_dialogs(self.app.page)
        self.app.page.run_task(widgets.focus_after_dialogs, self.search, closed)

    # -- results

    def _search(self) -> None:
        try:
            self.model.set_filters(
                text=self.search.value or "",
                tag=self.tag.value or "",
                drain=self.drain.value or "",
                fuel=self.fuel.value or "",
                shift=self.shift.value or "",
                since=self.since.value or "",
                until=self.until.value or "",
            )
        except PurposeError as exc:
            widgets.show(self.message, exc.message, error=True)
            return
        widgets.show(self.message, "")
        self._fill()

    def _fill(self) -> None:
        page = self.app.page
        model = self.model
        count = model.count_text()
        self.count_text.value, self.count_line.visible = count, bool(count and model.results)
        if not model.results:
            empty = (
                "Nothing matches."
                if model.filtered
                else ("No entries yet. Today is a good place to start, even with a two-tap check-in.")
            )
            self.list.controls = [widgets.body(empty, page, muted=True)]
            return
        rows: list[ft.Control] = [_row(item, self._open_handler(item.entry_id)) for item in model.rows()]
        if model.has_more:
            rows.append(widgets.secondary("Show more", self._more))
        self.list.controls = rows

    def _on_search(self, _event: object) -> None:
        self.app.session.touch()
        self._search()
        self.list.update()
        self.message.update()
        self.count_line.update()

    def _on_filter(self, event: object) -> None:
        self._on_search(event)
        self._label_filters_button()
        self.filters_button.update()

    def _label_filters_button(self) -> None:
        self.filters_button.content = self.model.filters_label()

    def _toggle_filters(self, _event: object) -> None:
        self.filters.visible = not self.filters.visible
        self.filters.update()

    def _more(self, _event: object) -> None:
        self.model.more()
        self._fill()
        self.count_line.update()
        self.list.update()

    # -- one entry

    def _open_handler(self, entry_id: str) -> Callable[[object], None]:
        def handler(_event: object) -> None:
            self.app.guarded(lambda: self._open(entry_id))

        return handler

    def _open(self, entry_id: str) -> None:
        entry, form = self.model.form(entry_id)
        self.window = EntryWindow(
            self.app, self.model, entry, form, on_saved=self.saved, on_delete=self.confirm_delete
        )
        self.app.page.show_dialog(self.window.dialog())

    def saved(self) -> None:
        """After "Save changes": the list redrawn where it was (only its rows change, no new page)."""
        self.app.page.pop_dialog()
        self._fill()
        self.count_line.update()
        self.list.update()
        self.app.toast("Saved.")

    def confirm_delete(self, entry_id: str) -> None:
        page = self.app.page
        page.pop_dialog()

        def delete(_event: object) -> None:
            page.pop_dialog()
            self.app.guarded(lambda: self.model.delete(entry_id))
            self._fill()
            self.app.toast("Deleted.")
            page.update()

        page.show_dialog(
            ft.AlertDialog(
                title=ft.Text("Delete this entry?"),
                content=ft.Text("It will be gone for good. This cannot be undone."),
                actions=[
                    ft.TextButton(content="Keep it", on_click=lambda _e: page.pop_dialog()),
                    ft.FilledButton(content="Delete for good", on_click=delete),
                ],
            )
        )
