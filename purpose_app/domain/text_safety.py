"""Characters that make text show something other than what it is: control codes and direction overrides.

A terminal obeys ESC sequences (colours, cursor moves, even rewriting earlier lines), a carriage return
sends the cursor back to overwrite a line, and bidirectional overrides make "signed by evil" read as
something else. Text from outside (an imported entry, a pack, a signer's name) may carry any of them.
Names that are shown as a statement of trust refuse them; anything printed shows them escaped.
"""

from __future__ import annotations

import re
import unicodedata

# Bidirectional embeddings, overrides, isolates and marks: each can reorder what a reader sees.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
_KEPT_IN_PROSE = frozenset("\n\t")
# What _unsafe(char, multiline=True) finds, as one pattern (Cc is U+0000-001F and U+007F-009F, Cs is
# U+D800-DFFF): it scans a 50,000-line listing in milliseconds, where a loop in Python took most of a second.
UNSAFE_IN_PROSE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff" + "".join(sorted(BIDI_CONTROLS)) + "]"
)


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
    return UNSAFE_IN_PROSE.sub(_spelled, text)


def _spelled(found: re.Match[str]) -> str:
    code = ord(found.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
