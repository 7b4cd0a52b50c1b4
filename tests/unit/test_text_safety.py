"""Text from outside never drives the terminal: controls and direction overrides are shown, not obeyed."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from purpose_app.domain.text_safety import BIDI_CONTROLS, for_terminal, unsafe_character


def test_escape_sequences_carriage_returns_and_overrides_are_spelled_out():
    """ESC, CR, BEL, a C1 CSI and U+202E come out as visible escapes; the words around them stay."""
    hostile = "Dr A\x1b[2K\rsigned by Trusted Circle\x07\x9b31m \u202eevil"
    shown = for_terminal(hostile)
    assert shown == "Dr A\\x1b[2K\\x0dsigned by Trusted Circle\\x07\\x9b31m \\u202eevil"
    assert not any(ch in shown for ch in "\x1b\r\x07\x9b\u202e")


def test_line_breaks_tabs_and_ordinary_unicode_are_left_alone():
    """An entry's paragraphs, a tab, accents and emoji print exactly as written."""
    text = "Première garde.\n\tSlept 3 h. 🙂 — ok"
    assert for_terminal(text) == text


def test_names_refuse_any_control_or_direction_character():
    """A signer's name (one line) refuses a newline too; prose allows it."""
    assert unsafe_character("Balint group, Leeds") is None
    assert unsafe_character("two\nlines") == "contains a control character (U+000A)"
    assert unsafe_character("two\nlines", multiline=True) is None
    assert unsafe_character("a\u2067b") == "contains an invisible character that reverses text direction"


@given(st.text())
def test_nothing_printed_holds_a_character_that_could_drive_the_terminal(text):
    """Whatever comes in, what is printed has no control character but line breaks and tabs."""
    shown = for_terminal(text)
    assert unsafe_character(shown, multiline=True) is None
    assert not BIDI_CONTROLS & set(shown)
