"""The strength hint for a new passphrase: zxcvbn's estimate of guessability, said in plain words."""

from __future__ import annotations

from zxcvbn import zxcvbn  # type: ignore[import-untyped]  # pure Python, ships no type hints

from purpose_app.services import vault

# zxcvbn refuses longer input; the first 72 characters of a longer passphrase are more than enough.
_ZXCVBN_MAX = 72
# Words a guesser would try first against this app's journals.
_CONTEXT = ("purpose", "journal", "doctor", "physician", "hospital", "nurse", "shift")
_SUGGESTION = "Add a few ordinary words, like a short sentence only you would think of."

# zxcvbn's warnings (its own English) rewritten for a tired person, by what they start with.
_PLAIN = (
    ("This is a top-10", "Many people use this one, so it is among the first guessed."),
    ("This is a top-100", "Many people use this one, so it is among the first guessed."),
    ("This is a very common", "Many people use this one, so it is easy to guess."),
    ("This is similar to a commonly", "It is close to one many people use, so it is easy to guess."),
    ("A word by itself", "A single word is easy to guess."),
    ("Names and surnames", "A name on its own is easy to guess."),
    ("Common names", "Common names are easy to guess."),
    ("Straight rows of keys", "Rows of keys, like qwerty, are easy to guess."),
    ("Short keyboard patterns", "Keyboard patterns are easy to guess."),
    ("Repeats like", "Repeated letters or words are easy to guess."),
    ("Sequences like", "Runs like abc or 6543 are easy to guess."),
    ("Recent years", "Years are easy to guess."),
    ("Dates are often", "Dates are easy to guess."),
)


def _plain(warning: str) -> str:
    for start, words in _PLAIN:
        if warning.startswith(start):
            return words + " "
    return f"{warning} " if warning else ""  # one this table does not know yet: zxcvbn's own words


def passphrase_strength(passphrase: str) -> tuple[int, str]:
    """A gentle hint (0-3 and words), not a gate beyond the minimum length.

    0: too short, or easy to guess (with why); 1: fair; 2: good; 3: strong ("Strong.").
    """
    if len(passphrase) < vault.MIN_PASSPHRASE_LENGTH:
        return 0, f"Too short: at least {vault.MIN_PASSPHRASE_LENGTH} characters."
    estimate = zxcvbn(passphrase[:_ZXCVBN_MAX], user_inputs=list(_CONTEXT))
    score = int(estimate["score"])  # 0-4: how many guesses it would take, in orders of magnitude
    if score <= 1:
        warning = str(estimate["feedback"]["warning"] or "")
        return 0, f"Easy to guess. {_plain(warning)}{_SUGGESTION}"
    if score == 2:
        return 1, f"Fair. {_SUGGESTION}"
    if score == 3:
        return 2, "Good."
    return 3, "Strong."
