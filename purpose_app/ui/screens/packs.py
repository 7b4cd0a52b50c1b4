"""Packs: built-in and imported packs, on and off, browse and favourite prompts, write your own,
import a file (validation errors shown), signer and "unsigned" marks, printable handouts, group mode."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import flet as ft

from purpose_app.errors import PurposeError
from purpose_app.ui import widgets
from purpose_app.ui.packs_model import WEIGHTS, PackInfo, PacksModel, UntrustedSigner, mark
from purpose_app.ui.screens import links
from purpose_app.ui.shell import Shell


class PacksScreen:
    def __init__(self, app: Shell) -> None:
        self.app = app
        self.model = PacksModel(app.session)
        self.message = widgets.notice()
        self.column = ft.Column(spacing=8)
        self.new_prompt = ft.TextField(label="Your own prompt", multiline=True, min_lines=2)
        self.weight = ft.Dropdown(
            label="Weight",
            value="medium",
            width=160,
            options=[ft.DropdownOption(key=w, text=w) for w in WEIGHTS],
        )

    def build(self) -> ft.Control:
        self._fill()
        return ft.Container(ft.ListView([self.column], padding=16, expand=True), expand=True)

    def _fill(self) -> None:
        page = self.app.page
        controls: list[ft.Control] = [
            widgets.heading("Prompt packs", page),
            ft.Row(
                [
                    widgets.primary("Import a pack", self._pick, icon=ft.Icons.FILE_OPEN),
                    widgets.secondary("Group mode", self._group, icon=ft.Icons.CO_PRESENT),
                    links.facilitator_button(self.app),
                ],
                wrap=True,
            ),
            self.message,
        ]
        for info in self.model.packs():
            controls.append(self._pack_tile(info))
            if self.model.opened == info.pack.id:
                controls.append(self._prompts(info))
        controls.append(
            widgets.card(
                widgets.heading("Write your own prompt", page, 17),
                self.new_prompt,
                ft.Row(
                    [widgets.named_dropdown(self.weight), widgets.primary("Add prompt", self._write)],
                    wrap=True,
                ),
            )
        )
        self.column.controls = controls

    def _pack_tile(self, info: PackInfo) -> ft.Control:
        pack = info.pack
        kind = "program, " if pack.programme else ""
        if pack.session_only:  # said plainly, so an "off" switch on a new import is no surprise
            kind += "for group sessions (in your daily prompt only if you turn it on), "
        # The switch sits beside the row's tap target, not inside it: a button holding another
        # control is one a screen reader cannot reach into (axe's nested-interactive).
        return ft.Row(
            [
                ft.ListTile(
                    title=ft.Text(pack.name, weight=ft.FontWeight.W_600),
                    subtitle=ft.Text(f"{widgets.plural(len(pack.prompts), 'prompt')}, {kind}{mark(info)}"),
                    on_click=self._open_handler(pack.id),
                    expand=True,
                ),
                ft.Switch(
                    value=info.enabled,
                    on_change=self._toggle_handler(pack.id),
                    tooltip=f"{pack.name} on or off",
                ),
            ],
            vertical_alignment=ft.CrossAxisAlignment.CENTER,
        )

    def _prompts(self, info: PackInfo) -> ft.Control:
        favourites = self.model.favourites()
        rows: list[ft.Control] = [
            widgets.body(info.pack.description, self.app.page, muted=True),
            ft.Row(
                [
                    widgets.secondary(
                        "Export this pack", self._export_handler(info.pack.id), icon=ft.Icons.IOS_SHARE
                    ),
                    widgets.secondary(
                        "Download a handout (PDF)", self._handout_handler(info.pack.id), icon=ft.Icons.PRINT
                    ),
                ],
                wrap=True,
            ),
        ]
        for prompt in info.pack.prompts:
            starred = prompt.ref in favourites
            rows.append(
                ft.ListTile(
                    title=ft.Text(prompt.text),
                    subtitle=ft.Text(f"{prompt.weight} · {prompt.theme}"),
                    trailing=widgets.icon_button(
                        ft.Icons.STAR if starred else ft.Icons.STAR_BORDER,
                        "Remove from favorites" if starred else "Add to favorites",
                        self._favourite_handler(prompt.ref, not starred),
                    ),
                )
            )
        return ft.Container(ft.Column(rows, spacing=0), padding=ft.Padding(16, 0, 0, 8))

    # -- handlers

    def _redraw(self) -> None:
        self._fill()
        self.app.page.update()

    def _open_handler(self, pack_id: str) -> Callable[[object], None]:
        def handler(_event: object) -> None:
            self.model.toggle_open(pack_id)
            self._redraw()

        return handler

    def _toggle_handler(self, pack_id: str) -> Callable[[ft.Event[ft.Switch]], None]:
        def handler(event: ft.Event[ft.Switch]) -> None:
            self.app.guarded(lambda: self._set_enabled(pack_id, bool(event.control.value)))

        return handler

    def _set_enabled(self, pack_id: str, enabled: bool) -> None:
        self.model.set_enabled(pack_id, enabled)

    def _favourite_handler(self, ref: str, favourite: bool) -> Callable[[object], None]:
        def handler(_event: object) -> None:
            self.app.guarded(lambda: self.model.set_favourite(ref, favourite))
            self._redraw()

        return handler

    def _export_handler(self, pack_id: str) -> Callable[[object], Awaitable[None]]:
        async def handler(_event: object) -> None:
            data = self.model.export_pack(pack_id)
            await ft.FilePicker().save_file(
                dialog_title="Save the pack file", file_name=f"{pack_id}.toml", src_bytes=data
            )

        return handler

    def _handout_handler(self, pack_id: str) -> Callable[[object], Awaitable[None]]:
        async def handler(_event: object) -> None:
            try:
                data = self.model.handout(pack_id)
            except PurposeError as exc:  # e.g. a support list the organisation's file cannot give
                widgets.show(self.message, exc.message, error=True)
                self._redraw()
                return
            await ft.FilePicker().save_file(
                dialog_title="Save the handout", file_name=f"{pack_id}-handout.pdf", src_bytes=data
            )

        return handler

    def _write(self, _event: object) -> None:
        def action() -> None:
            self.model.write_prompt(self.new_prompt.value or "", self.weight.value or "medium")
            self.new_prompt.value = ""
            self.app.toast("Added to your own prompts.")

        self.app.guarded(action)
        self._redraw()

    async def _pick(self, _event: object) -> None:
        picked = await widgets.pick_file("Choose a pack file", ["toml"])
        if picked is not None:
            self.import_bytes(picked[0])

    def import_bytes(self, raw: bytes, *, trust: bool = False) -> None:
        """Validate and import; a problem is shown as the pack's own error message."""
        try:
            info = self.model.import_pack(raw, trust=trust)
        except UntrustedSigner as exc:
            self._ask_trust(raw, exc)
            return
        except PurposeError as exc:
            widgets.show(self.message, exc.message, error=True)
            self._redraw()
            return
        widgets.show(
            self.message,
            f"Imported {info.pack.name} ({widgets.plural(len(info.pack.prompts), 'prompt')}), {mark(info)}.",
        )
        self._redraw()

    def _ask_trust(self, raw: bytes, exc: UntrustedSigner) -> None:
        page = self.app.page

        def trust(_event: object) -> None:
            page.pop_dialog()
            self.import_bytes(raw, trust=True)

        page.show_dialog(
            ft.AlertDialog(
                title=ft.Text("Trust this signer?"),
                content=ft.Text(
                    f"This pack is signed by {exc.signer.name}.\n\nFingerprint: {exc.signer.fingerprint}\n\n"
                    "Trust it only if it matches what they told you in person."
                ),
                actions=[
                    ft.TextButton(content="Not now", on_click=lambda _e: page.pop_dialog()),
                    ft.FilledButton(content="Trust and import", on_click=trust),
                ],
            )
        )

    def _group(self, _event: object) -> None:
        from purpose_app.ui.screens.group import GroupScreen

        chosen, packs = self.model.group_packs()
        GroupScreen(self.app, chosen, packs).show()
