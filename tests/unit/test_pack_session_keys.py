"""The pack format's session keys: facilitator notes (pack and prompt), session_date, session_only and
[[readings]] with their own attribution and licence; each valid, refused when wrong, and bounded."""

from __future__ import annotations

from datetime import date

import pytest

from purpose_app.packs.builtin import builtin_packs
from purpose_app.packs.parse import MAX_READING_TEXT, MAX_READINGS, MAX_TEXT, PackError, parse_pack
from purpose_app.packs.writer import to_toml

HEAD = """\
format = 1
id = "grief-circle"
name = "Grief"
version = 1
description = "For our November circle."
author = "St Mary's circle"
language = "en"
licence = "CC-BY-4.0"
"""
PROMPT = """
[[prompts]]
id = "loss-you-carry"
text = "Which loss from your work are you still carrying?"
theme = "grief"
weight = "deep"
"""
SESSION = """\
session_only = true
session_date = 2026-11-12
facilitator_notes = "Open with a minute of quiet."
"""
READING = """
[[readings]]
title = "Before we begin"
attribution = "Dr Ana Ruiz, written for our circle"
licence = "Used with permission of the author"
text = "For this hour, listen for what is true."
"""


def parsed(text: str):
    return parse_pack(text.encode("utf-8"))


def rejected(text: str, *words: str) -> str:
    """parse_pack refuses the file with a PackError whose message has every word."""
    with pytest.raises(PackError) as caught:
        parsed(text)
    for word in words:
        assert word in caught.value.message, (word, caught.value.message)
    return caught.value.message


def test_all_session_keys_parse_to_the_values_written():
    """Every new key, at pack, prompt and reading level, arrives as written."""
    pack = parsed(
        HEAD
        + SESSION
        + READING
        + PROMPT.replace('weight = "deep"', 'weight = "deep"\nfacilitator_notes = "Pass is fine."')
    )
    assert pack.session_only is True
    assert pack.session_date == date(2026, 11, 12)
    assert pack.facilitator_notes == "Open with a minute of quiet."
    assert pack.prompts[0].facilitator_notes == "Pass is fine."
    (reading,) = pack.readings
    assert reading.title == "Before we begin"
    assert reading.attribution == "Dr Ana Ruiz, written for our circle"
    assert reading.licence == "Used with permission of the author"
    assert reading.text == "For this hour, listen for what is true."


def test_the_session_keys_are_optional_with_quiet_defaults():
    """A pack without them is an ordinary pack in the daily rotation, with no notes, date or readings."""
    pack = parsed(HEAD + PROMPT)
    assert pack.session_only is False and pack.session_date is None
    assert pack.facilitator_notes is None and pack.prompts[0].facilitator_notes is None
    assert pack.readings == ()


def test_a_reading_may_be_named_without_its_text():
    """A reading people bring themselves needs only its title, attribution and licence."""
    pack = parsed(HEAD + READING.replace('text = "For this hour, listen for what is true."\n', "") + PROMPT)
    assert pack.readings[0].text is None


def test_writing_and_reading_back_keeps_every_session_key():
    """to_toml writes notes, date, session_only and readings so that parsing gives the same pack."""
    pack = parsed(
        HEAD + SESSION + READING + PROMPT.replace("weight", 'facilitator_notes = "A note."\nweight')
    )
    assert parse_pack(to_toml(pack)) == pack
    for builtin in builtin_packs():
        assert parse_pack(to_toml(builtin)) == builtin


def test_a_typo_in_a_session_key_is_refused():
    """Unknown keys are still refused, at every level, naming the key."""
    rejected(HEAD + 'facilitator_note = "x"\n' + PROMPT, "unknown key", "facilitator_note")
    rejected(HEAD + READING.replace("licence =", "license =") + PROMPT, "reading 1", "license")
    rejected(HEAD + PROMPT + 'notes = "x"\n', "prompt 1", "notes")


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ('session_only = "yes"', ("session_only", "true or false")),
        ("session_only = 1", ("session_only", "true or false")),
        ('session_date = "2026-11-12"', ("session_date", "without quotes")),
        ("session_date = 2026-11-12T18:00:00", ("session_date", "date and time")),
        ("session_date = 20261112", ("session_date", "a date such as")),
        ("facilitator_notes = 3", ("facilitator_notes", "expected text")),
        ('facilitator_notes = ""', ("facilitator_notes", "empty")),
        ('facilitator_notes = "bell \\u0007"', ("facilitator_notes", "control character")),
        ("readings = 3", ("readings", "[[readings]]")),
        ("readings = [1]", ("reading 1", "[[readings]]")),
    ],
)
def test_wrong_session_values_say_what_was_expected(line, words):
    """A wrong type or value names the key and what was expected."""
    rejected(HEAD + line + "\n" + PROMPT, *words)


@pytest.mark.parametrize("missing", ["title", "attribution", "licence"])
def test_a_reading_needs_its_title_attribution_and_licence(missing):
    """A reading without one of its required keys is refused, naming the reading and the key."""
    lines = [line for line in READING.splitlines() if not line.startswith(f"{missing} =")]
    rejected(HEAD + "\n".join(lines) + "\n" + PROMPT, "reading 1", missing)


def test_notes_are_bounded_like_other_texts():
    """Facilitator notes may be 2,000 characters, at pack and prompt level, and no more."""
    ok = "n" * MAX_TEXT
    assert parsed(HEAD + f'facilitator_notes = "{ok}"\n' + PROMPT).facilitator_notes == ok
    rejected(HEAD + f'facilitator_notes = "{ok}n"\n' + PROMPT, "facilitator_notes", "2,001")
    long_prompt = PROMPT.replace("weight", f'facilitator_notes = "{ok}n"\nweight')
    rejected(HEAD + long_prompt, "prompt 1", "facilitator_notes", "2,001")


def test_readings_are_bounded():
    """At most 20 readings, texts of at most 10,000 characters, titles of at most 200."""
    assert len(parsed(HEAD + READING * MAX_READINGS + PROMPT).readings) == MAX_READINGS
    rejected(HEAD + READING * (MAX_READINGS + 1) + PROMPT, "readings", "at most 20")
    text = "r" * MAX_READING_TEXT
    long_text = READING.replace("For this hour, listen for what is true.", text)
    assert parsed(HEAD + long_text + PROMPT).readings[0].text == text
    rejected(HEAD + long_text.replace(text, text + "r") + PROMPT, "reading 1, text", "10,000")
    long_title = READING.replace("Before we begin", "t" * 201)
    rejected(HEAD + long_title + PROMPT, "reading 1, title", "at most 200")


def test_the_builtin_session_packs_are_session_only_with_notes():
    """The Balint-style and Finding Meaning packs ship session-only, with notes for the facilitator, and
    the Finding Meaning pack covers grief, grace, mystery and courage."""
    by_id = {p.id: p for p in builtin_packs()}
    for pack_id in ("balint-case-reflection", "finding-meaning"):
        pack = by_id[pack_id]
        assert pack.session_only and pack.facilitator_notes
        assert any(p.facilitator_notes for p in pack.prompts)
    assert {"grief", "grace", "mystery", "courage"} <= {p.theme for p in by_id["finding-meaning"].prompts}
    balint = " ".join(p.text.lower() for p in by_id["balint-case-reflection"].prompts)
    assert "patient has been on your mind" in balint and "stir in you" in balint
    assert sum(p.session_only for p in builtin_packs()) == 2
