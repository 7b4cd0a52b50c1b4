"""Journal: entries by date, search, filters; open, edit, delete with confirmation. Paged."""

from __future__ import annotations

import contextlib
import threading
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
    subtitle: ft.Control = ft.Text(item.when + (f"  ·  {item.details}" if item.details else ""))
    if item.snippet is not None:  # a column only when there are two lines: fewer controls to send
        subtitle = ft.Column([subtitle, _snippet(item.snippet)], spacing=2, tight=True)
    return ft.ListTile(
        title=ft.Text(item.headline, max_lines=1, overflow=ft.TextOverflow.ELLIPSIS),
        subtitle=subtitle,
        on_click=on_click,
        min_height=theme.TOUCH,
    )


# Below this height (logical pixels: a phone turned sideways, a browser zoomed to 400%) the search, the
# filters and the count scroll with the entries: held in place they would leave the list a sliver.
SHORT_HEIGHT = 500


class JournalScreen:
    def __init__(self, app: Shell) -> None:
        self.app = app
        self.model = JournalModel(app.session)
        self.search = ft.TextField(
            label="Search",
            prefix_icon=ft.Icons.SEARCH,
            on_submit=self._on_search,
            on_change=self._on_search,
            on_focus=self._on_search_focus,
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
        # Their choices count every entry's labels: filled when the filters are shown, not on opening.
        self.tag = self._label_filter("Tag")
        self.drain = self._label_filter("Drain")
        self.fuel = self._label_filter("Fuel")
        self.labels_current = False  # the choices as of the entries now; False: filled on next show
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
        self._header: list[ft.Control] = []  # the search row, filters, notice and count (see build)
        self._header_scrolls = False
        # Behind a button, so the first entries are in the first screen; the search stays in sight.
        self.filters = ft.Row(wrap=True, spacing=8, run_spacing=8, visible=False)
        # One search at a time: keys typed while one runs are searched once, with the newest words.
        self._search_lock = threading.Lock()
        self._search_due = False
        self._searching = False
        self.filters_button = ft.OutlinedButton(
            content="Filters", icon=ft.Icons.FILTER_LIST, on_click=self._toggle_filters, height=theme.TOUCH
        )

    def _label_filter(self, label: str) -> ft.Dropdown:
        options = [ft.DropdownOption(key="", text="any")]
        return ft.Dropdown(label=label, options=options, width=170, dense=True, on_select=self._on_filter)

    def _fill_labels(self) -> None:
        """The Tag, Drain and Fuel choices as the entries are now; a label chosen earlier stays offered
        (and shown) even when no entry holds it any more."""
        choices = self.model.label_choices()
        for dropdown, kind in ((self.tag, "tags"), (self.drain, "drains"), (self.fuel, "fuels")):
            labels = choices[kind]
            if dropdown.value and dropdown.value not in labels:
                labels = [dropdown.value, *labels]
            dropdown.options = [
                ft.DropdownOption(key="", text="any"),
                *[ft.DropdownOption(key=v, text=v) for v in labels],
            ]
        self.labels_current = True

    def _labels_changed(self) -> None:
        """Entries may have changed (opened again, saved, deleted): refill now if the filters are in
        sight, else when they are next shown."""
        self.labels_current = False
        if self.filters.visible:
            self._fill_labels()

    def build(self) -> ft.Control:
        self._labels_changed()  # entries may have been written on another screen meanwhile
        self._header = [
            ft.Row([self.search, self.filters_button]),
            self.filters,
            self.message,
            self.count_line,
        ]
        self._header_scrolls = (self.app.page.height or 800) < SHORT_HEIGHT
        self._search()
        self.filters.controls = [*self.named_filters, self.since, self.until]
        self._label_filters_button()
        body = (
            self.list
            if self._header_scrolls
            else ft.Column([*self._header, self.list], expand=True, spacing=8)
        )
        return ft.Container(
            body,
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
            self.list.controls = [*self._top(), widgets.body(empty, page, muted=True)]
            return
        rows: list[ft.Control] = [_row(item, self._open_handler(item.entry_id)) for item in model.rows()]
        if model.has_more:
            rows.append(widgets.secondary("Show more", self._more))
        self.list.controls = [*self._top(), *rows]

    def _top(self) -> list[ft.Control]:
        """What comes before the entries inside the list: the search and the rest on a short page."""
        return self._header if self._header_scrolls else []

    def _on_search(self, event: object) -> None:
        """Each key searches at once when no search runs (no wait added); keys typed while one runs
        leave one more search, of the newest words, for when it ends, rather than one search each."""
        if isinstance(event, ft.Event):
            # Only the list, the notice and the count change, updated below: without this Flet would
            # also diff the whole page after every key.
            ft.context.disable_auto_update()
        self.app.session.touch()
        with self._search_lock:
            self._search_due = True
            if self._searching:
                return
            self._searching = True
        try:
            while self._next_search():
                self._search()
                self.list.update()
                self.message.update()
                self.count_line.update()
        except BaseException:
            with self._search_lock:
                self._searching = False
            raise

    def _on_search_focus(self, event: object) -> None:
        if isinstance(event, ft.Event):
            ft.context.disable_auto_update()  # nothing on screen changes
        # The first search of a session reads every entry's text (50,000: ~50 ms): done now, while the
        # person starts to type, rather than after the first key. Locked meanwhile: nothing to ready.
        with contextlib.suppress(PurposeError):
            self.model.prepare_search()

    def _next_search(self) -> bool:
        """Whether another search is due; when none is, the searching ends (in the same breath, so a
        key arriving now starts its own search instead of waiting on one that is ending)."""
        with self._search_lock:
            due, self._search_due = self._search_due, False
            self._searching = due
            return due

    def _on_filter(self, event: object) -> None:
        self._on_search(event)
        self._label_filters_button()
        self.filters_button.update()

    def _label_filters_button(self) -> None:
        self.filters_button.content = self.model.filters_label()

    def _toggle_filters(self, event: object) -> None:
        if isinstance(event, ft.Event):
            ft.context.disable_auto_update()  # only the filters change, updated below
        self.filters.visible = not self.filters.visible
        if self.filters.visible and not self.labels_current:
            self.app.guarded(self._fill_labels)  # locked meanwhile: a calm message, not a traceback
        self.filters.update()

    def _more(self, event: object) -> None:
        if isinstance(event, ft.Event):
            ft.context.disable_auto_update()  # only the list and the count change, updated below
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
        self._labels_changed()
        self.count_line.update()
        self.list.update()
        if self.filters.visible:
            self.filters.update()
        self.app.toast("Saved.")

    def confirm_delete(self, entry_id: str) -> None:
        page = self.app.page
        page.pop_dialog()

        def delete(_event: object) -> None:
            page.pop_dialog()
            self.app.guarded(lambda: self.model.delete(entry_id))
            self._fill()
            self._labels_changed()
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
