"""The self-checks on a real Flet page (see test_screens): the quick check's five answers are whole and
wrap inside the dialog at phone and desktop sizes, 3 shows support, and "Always" to an urgent
Copenhagen item shows support at once. What a tap stores is read back from the vault."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import flet as ft
import pytest
from conftest import MadeVault
from test_screens import DESKTOP, PHONE, Tab, walk

from purpose_app.insight import scoring
from purpose_app.services.selfcheck import SelfChecks
from purpose_app.ui.screens import selfcheck, today
from purpose_app.ui.selfcheck_model import quick_options


@pytest.fixture
def open_tab(made_vault: MadeVault, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setattr(today, "DRAFT_DELAY_SECONDS", 3600)
    opened: list[Tab] = []

    def make(width: int = DESKTOP) -> Tab:
        tab = Tab(made_vault.folder, width)
        tab.unlock()
        opened.append(tab)
        return tab

    yield make
    for tab in opened:
        tab.close()


ANSWER = "Answer to question"  # each Copenhagen answer is named by its question's number


def stored_quick(made_vault: MadeVault) -> list[int | None]:
    opened = made_vault.open()
    try:
        return [check.quick for check in SelfChecks(opened).history()]
    finally:
        opened.lock()


def answer_texts(dialog: ft.AlertDialog) -> dict[str, ft.Text]:
    labels = {label for _key, label in quick_options()}
    return {c.value: c for c in walk(dialog) if isinstance(c, ft.Text) and c.value in labels}


def choose(dialog: ft.AlertDialog, key: str) -> None:
    """Tap the words of one answer (the whole tile chooses it)."""
    (tile,) = [
        c
        for c in walk(dialog)
        if isinstance(c, ft.Container) and c.on_click and any(isinstance(r, ft.Radio) and r.value == key
                                                              for r in walk(c))
    ]  # fmt: skip
    tile.on_click(None)


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_the_five_answers_are_whole_and_wrap(open_tab: Any, width: int) -> None:
    """Each answer's words are the instrument's, complete, in a Text free to wrap (no max_lines, no
    ellipsis, no no_wrap) that takes the row's remaining width; the dialog fits the page."""
    tab = open_tab(width)
    selfcheck.open_quick(tab.app)
    (dialog,) = tab.dialogs()
    texts = answer_texts(dialog)
    assert sorted(texts) == sorted(f"{i}. {t}" for i, t in enumerate(scoring.QUICK_OPTIONS, start=1))
    for text in texts.values():
        assert text.max_lines is None and not text.no_wrap
        assert text.overflow not in (ft.TextOverflow.ELLIPSIS, ft.TextOverflow.CLIP, ft.TextOverflow.FADE)
        assert text.expand
    radios = [c for c in walk(dialog) if isinstance(c, ft.Radio)]
    assert len(radios) == 5 and all(not r.label for r in radios)  # no label of their own to cut off
    # Each radio is named with its whole answer: merged with its words into one node (a label on a
    # wrapper would name the wrapper, and leave the radio nameless in the browser).
    merged = [c for c in walk(dialog) if isinstance(c, ft.MergeSemantics)]
    named = {
        text.value
        for m in merged
        for text in walk(m)
        if isinstance(text, ft.Text) and sum(isinstance(r, ft.Radio) for r in walk(m)) == 1
    }
    assert named >= set(texts)
    assert dialog.content.width <= min(560, width - 32) - 48


def test_quick_3_is_stored_and_shows_support(open_tab: Any, made_vault: MadeVault) -> None:
    """Choosing 3 ("definitely burning out") stores 3, says it is a signal worth attention, and shows
    the support lines with their one-tap buttons."""
    tab = open_tab(PHONE)
    selfcheck.open_quick(tab.app)
    (dialog,) = tab.dialogs()
    choose(dialog, "3")
    tab.click("Save")
    assert stored_quick(made_vault) == [3]
    assert tab.shown("a signal worth attention, not a diagnosis")
    assert tab.has_button("Call 988")


def test_quick_2_shows_no_support(open_tab: Any, made_vault: MadeVault) -> None:
    """Choosing 2 stores 2 and thanks the person; no support lines."""
    tab = open_tab()
    selfcheck.open_quick(tab.app)
    (dialog,) = tab.dialogs()
    choose(dialog, "2")
    tab.click("Save")
    assert stored_quick(made_vault) == [2]
    assert not tab.has_button("Call 988")


def test_always_to_cant_take_it_anymore_shows_support_at_once(open_tab: Any, made_vault: MadeVault) -> None:
    """Every scale low but "Always" to "I can't take it anymore": the words say so first, and the
    support lines are shown; the answers are stored as given."""
    tab = open_tab()
    selfcheck.open_cbi(tab.app)
    dropdowns = [c for c in tab.controls() if isinstance(c, ft.Dropdown) and str(c.label).startswith(ANSWER)]
    assert len(dropdowns) == len(scoring.ITEMS)
    for item, dropdown in zip(scoring.ITEMS, dropdowns, strict=True):
        dropdown.value = "100" if item.number in (4, scoring.REVERSED_ITEM) else "0"
    tab.click("Save answers")
    assert tab.shown('You answered "Always" to how often you think "I can\'t take it anymore".')
    assert tab.shown("a signal worth attention")
    assert tab.has_button("Call 988")
    opened = made_vault.open()
    try:
        (kept,) = SelfChecks(opened).history()
    finally:
        opened.lock()
    assert kept.answers is not None and kept.answers[3] == 100
    assert kept.cbi is not None and kept.cbi.high_scales() == []
