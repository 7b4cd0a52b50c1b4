"""axe `aria-dialog-name` (serious) on every Flutter dialog, however it is named: the smallest Flet app.

Run: .venv/bin/python tests/e2e/repro/aria_dialog_name.py, open the printed address in Chromium, turn
on accessibility, run axe: one `aria-dialog-name` violation on the `role="alertdialog"` element,
although the dialog has a title and a semantics_label.

Why: the `role="alertdialog"` element is the dialog's route, made by Flutter's showDialog, which no
app property reaches. AlertDialog's semantics_label (and, without it, its title or "Alert") lands on
a node inside the route (Semantics(scopesRoute, namesRoute, label) in material/dialog.dart), which the
web engine makes a route of its own and names with aria-label; the outer alertdialog element is left
with no aria-label and no aria-labelledby (engine/src/flutter/lib/web_ui/lib/src/engine/semantics/
route.dart: a route names itself only if its own node namesRoute). A screen reader still reads the
title first, as the dialog's first node. tests/e2e/axe.py allows this one rule on this one node, the
dialog's `role="alertdialog"` element.
"""

import flet as ft  # noqa: TID251 (a repro is a Flet app by nature)


def main(page: ft.Page) -> None:
    page.title = "aria-dialog-name: a titled Flutter dialog"
    page.show_dialog(
        ft.AlertDialog(
            title=ft.Text("Merge a backup"),
            semantics_label="Merge a backup",
            content=ft.Text("Entries you do not have are added."),
            actions=[ft.TextButton(content="Cancel", on_click=lambda _e: page.pop_dialog())],
        )
    )


if __name__ == "__main__":
    ft.run(main, view=ft.AppView.WEB_BROWSER, port=8562)
