"""Characters that make text show something other than what it is: control codes and direction overrides.

A terminal obeys ESC sequences (colours, cursor moves, even rewriting earlier lines), a carriage return
sends the cursor back to overwrite a line, and bidirectional overrides make "signed by evil" read as
something else. Text from outside (an imported entry, a pack, a signer's name) may carry any of them.
Names that are shown as a statement of trust refuse them; anything printed shows them escaped.
"""

from __future__ import annotations

import unicodedata

# Bidirectional embeddings, overrides, isolates and marks: each can reorder what a reader sees.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
_KEPT_IN_PROSE = frozenset("\n\t")


def _unsafe(char: str, multiline: bool) -> bool:
    if char in BIDI_CONTROLS:
        return True
    if multiline and char in _KEPT_IN_PROSE:
        return False
    # Cc: C0 and C1 controls (ESC, CR, BEL, CSI...); Cs: lone surrogates, which no terminal can show.
    return unicodedata.category(char) in ("Cc", "Cs")


def unsafe_character(text: str, *, multiline: bool = False) -> str | None:
    """A sentence naming the first character that must not be in `text`, or None when it is clean."""
    for char in text:
        if _unsafe(char, multiline):
            if char in BIDI_CONTROLS:
                return "contains an invisible character that reverses text direction"
            return f"contains a control character (U+{ord(char):04X})"
    return None


def for_terminal(text: str) -> str:
    """`text` as it may be printed: line breaks and tabs kept, every other control and direction
    character spelled out (ESC as \\x1b, U+202E as \\u202e), so it is seen and never obeyed."""
    if text.isprintable() or not any(_unsafe(char, True) for char in text):
        return text
    return "".join(
        (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")
        if _unsafe(char, True)
        else char
        for char in text
    )
