"""axe `label` (critical) on every Flutter slider, however it is named: the smallest Flet app.

Run it (`.venv/bin/python tests/e2e/repro/label.py`), open the printed address in Chromium, turn on
accessibility (Flutter's "Enable accessibility" placeholder) and run axe: one `label` violation on
the `input[type=range]`, although the slider's node is named "Energy" and its value is "Energy, 7 of
10" (the app's energy slider; Settings' text-size slider is made the same way).

Why: Flutter's web engine draws a slider as a <flt-semantics> element, which gets the name
(aria-label), holding a hidden <input type="range" role="slider"> that takes the focus and the arrow
keys and gets only the value (aria-valuetext), never a name: engine/src/flutter/lib/web_ui/lib/src/
engine/semantics/incrementable.dart passes the label through addLabelAndValue() to the semantics
element, not to the input. No Flet or Flutter property reaches that input: Semantics(label=...),
MergeSemantics and the Slider's own `label` all land on the outer element. So the app names the node
and puts the name in the value too (widgets.named_slider), and tests/e2e/axe.py allows `label` on
those inputs only, each recognised by its slider's identifier.

The same page shows the second `label` node Flutter makes and the app cannot name: a focused text field
(here "Name", autofocused). While a field has the keyboard, the engine adds a hidden editing element of
its own (`input.flt-text-editing`, tabindex -1, engine text_editing.dart) beside the field's named
semantics input ("Name" is there, as aria-label); that editing element never gets a name. At most one
exists at a time, for the field being typed in; tests/e2e/axe.py allows `label` on it alone.
"""

import flet as ft  # noqa: TID251 (a repro is a Flet app by nature)


def main(page: ft.Page) -> None:
    page.title = "label: a named Flutter slider"
    slider = ft.Slider(min=0, max=10, divisions=10, value=7)
    named = ft.Semantics(label="Energy", value="Energy, 7 of 10", content=slider)
    page.add(ft.MergeSemantics(named), ft.TextField(label="Name", autofocus=True))


if __name__ == "__main__":
    ft.run(main, view=ft.AppView.WEB_BROWSER, port=8561)
