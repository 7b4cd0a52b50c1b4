"""Packs for facilitators: make a pack from chosen prompts, your signing identity, sign a pack file,
and the signers you trust (taking trust back is a clear question, answered by you)."""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby

import flet as ft

from purpose_app.errors import PurposeError
from purpose_app.ui import a11y, widgets
from purpose_app.ui.facilitator_model import FacilitatorModel, MadePack
from purpose_app.ui.screens import subpage
from purpose_app.ui.shell import Shell


def open_facilitator(app: Shell, back_to: str = "Packs") -> None:
    FacilitatorScreen(app, back_to).show()


class FacilitatorScreen:
    def __init__(self, app: Shell, back_to: str = "Packs") -> None:
        self.app = app
        self.back_to = back_to
        self.model = FacilitatorModel(app.session)
        self.name = ft.TextField(label="Pack name", hint_text="e.g. Tuesday group")
        self.description = ft.TextField(label="Description (optional)", multiline=True, max_lines=3)
        self.sign = ft.Checkbox(label="Sign it with my identity")
        self.chosen = ft.Text("")
        self.signer_name = ft.TextField(label="Signing name", hint_text="Your name and your group")
        self.message = widgets.notice()
        self.column = ft.Column(spacing=12)

    def show(self) -> None:
        self._fill()
        subpage.show(self.app, "Packs for facilitators", self.back_to, self.column)

    def _fill(self) -> None:
        self.column.controls = [self.message, self._make_card(), self._identity_card(), self._trust_card()]

    def _redraw(self) -> None:
        self._fill()
        self.app.page.update()

    # -- make a pack

    def _make_card(self) -> ft.Control:
        page = self.app.page
        groups: list[ft.Control] = []
        for pack_name, items in groupby(self.model.choices(), key=lambda c: c.pack_name):
            boxes: list[ft.Control] = [
                ft.Checkbox(label=c.text, value=c.ref in self.model.chosen, on_change=self._chooser(c.ref))
                for c in items
            ]
            groups.append(ft.ExpansionTile(title=ft.Text(pack_name), controls=boxes))
        has_identity = self.model.identity() is not None
        self.sign.disabled = not has_identity
        self.sign.value = bool(self.sign.value) and has_identity
        self._count()
        return widgets.card(
            widgets.heading("Make a pack", page, 17),
            widgets.body(
                "Choose prompts for your group. The file holds the prompts only, never anything you wrote.",
                page,
                muted=True,
            ),
            self.name,
            self.description,
            *groups,
            self.chosen,
            self.sign,
            ft.Row([widgets.primary("Make the pack file", self._make, icon=ft.Icons.DOWNLOAD)]),
        )

    def _chooser(self, ref: str) -> Callable[[ft.Event[ft.Checkbox]], None]:
        def choose(event: ft.Event[ft.Checkbox]) -> None:
            self.model.toggle(ref, bool(event.control.value))
            self._count()
            self.chosen.update()

        return choose

    def _count(self) -> None:
        self.chosen.value = f"{widgets.plural(len(self.model.chosen), 'prompt')} chosen."

    def make_pack(self) -> MadePack | None:
        """The pack file, or None after saying what is missing."""
        try:
            made = self.model.make_pack(
                self.name.value or "", self.description.value or "", sign=bool(self.sign.value)
            )
        except PurposeError as exc:
            widgets.show(self.message, exc.message, error=True)
            self.app.page.update()
            return None
        return made

    async def _make(self, _event: object) -> None:
        made = self.make_pack()
        if made is None:
            return
        await ft.FilePicker().save_file(
            dialog_title="Save the pack file", file_name=made.file_name, src_bytes=made.data
        )
        signed = "signed, " if made.signed else ""
        widgets.show(self.message, f"Made {made.file_name} ({signed}{widgets.plural(made.count, 'prompt')}).")
        self.app.page.update()

    # -- signing identity

    def _identity_card(self) -> ft.Control:
        page = self.app.page
        signer = self.model.identity()
        parts: list[ft.Control] = [widgets.heading("Your signing identity", page, 17)]
        if signer is None:
            parts += [
                widgets.body(
                    "A signature tells your group a pack really comes from you and was not changed.",
                    page,
                    muted=True,
                ),
                self.signer_name,
                ft.Row([widgets.primary("Create signing identity", self._keygen)]),
            ]
        else:
            parts += [
                widgets.body(f"{signer.name}", page),
                a11y.selectable(widgets.body(f"Fingerprint: {signer.fingerprint}", page, selectable=True)),
                widgets.body(
                    "Tell your group this fingerprint in person, so they can check it when they import.",
                    page,
                    muted=True,
                ),
                ft.Row([widgets.secondary("Sign a pack file…", self._pick_and_sign, icon=ft.Icons.VERIFIED)]),
            ]
        return widgets.card(*parts)

    def create_identity(self) -> None:
        try:
            signer = self.model.create_identity(self.signer_name.value or "")
        except PurposeError as exc:
            widgets.show(self.message, exc.message, error=True)
            self.app.page.update()
            return
        widgets.show(self.message, f"Your signing identity is made. Fingerprint: {signer.fingerprint}")
        self._redraw()

    def _keygen(self, _event: object) -> None:
        self.create_identity()

    async def _pick_and_sign(self, _event: object) -> None:
        picked = await widgets.pick_file("Choose a pack file to sign", ["toml"])
        if picked is None:
            return
        raw, file_name = picked
        try:
            signed, name = self.model.sign_file(raw, file_name)
        except PurposeError as exc:
            widgets.show(self.message, exc.message, error=True)
            self.app.page.update()
            return
        await ft.FilePicker().save_file(dialog_title="Save the signed pack", file_name=name, src_bytes=signed)
        widgets.show(self.message, f"Signed. Share {name} with your group.")
        self.app.page.update()

    # -- trusted signers

    def _trust_card(self) -> ft.Control:
        page = self.app.page
        trusted = self.model.trusted()
        parts: list[ft.Control] = [
            widgets.heading("Signers you trust", page, 17),
            widgets.body(
                "Packs signed by these people import without a question. Taking trust back keeps the "
                "packs you have; their next pack asks you again.",
                page,
                muted=True,
            ),
        ]
        if not trusted:
            parts.append(widgets.body("None yet.", page, muted=True))
        for fingerprint, name in trusted:
            parts.append(
                ft.ListTile(
                    title=ft.Text(name),
                    subtitle=ft.Text(fingerprint),
                    trailing=widgets.icon_button(
                        ft.Icons.REMOVE_MODERATOR_OUTLINED,
                        f"Stop trusting {name}",
                        lambda _e, f=fingerprint, n=name: self._confirm_untrust(f, n),
                    ),
                )
            )
        return widgets.card(*parts)

    def _confirm_untrust(self, fingerprint: str, name: str) -> None:
        page = self.app.page

        def remove(_event: object) -> None:
            page.pop_dialog()
            self.remove_trust(fingerprint)

        page.show_dialog(
            ft.AlertDialog(
                title=ft.Text(f"Stop trusting {name}?"),
                content=ft.Text(
                    f"Fingerprint {fingerprint}. Packs you already have from them stay. A new pack signed "
                    "with this key will ask you again before anything is imported."
                ),
                actions=[
                    ft.TextButton(content="Keep trusting", on_click=lambda _e: page.pop_dialog()),
                    ft.FilledButton(content="Stop trusting", on_click=remove),
                ],
            )
        )

    def remove_trust(self, fingerprint: str) -> None:
        try:
            name = self.model.remove_trust(fingerprint)
        except PurposeError as exc:
            widgets.show(self.message, exc.message, error=True)
            self.app.page.update()
            return
        widgets.show(self.message, f"You no longer trust {name}.")
        self._redraw()
