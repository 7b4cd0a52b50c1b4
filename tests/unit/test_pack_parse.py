"""The pack format: the built-in packs, the stability of their prompt ids, and the errors a facilitator
sees for every kind of mistake (which prompt, which key, what was expected; the line for syntax)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from purpose_app.errors import InvalidInput
from purpose_app.packs.builtin import builtin_files, builtin_packs, builtin_raw
from purpose_app.packs.model import KNOWN_THEMES, RENEWING_THEMES, WEIGHTS
from purpose_app.packs.parse import MAX_FILE_BYTES, PackError, parse_pack

SNAPSHOT = Path(__file__).resolve().parent.parent / "fixtures" / "builtin-prompt-ids.txt"

ISSUE_THEMES = (
    "origins", "drains", "fuels", "purpose-now", "legacy", "being-heard", "hard-conversations",
    "partnership-and-trust", "mentors-and-peers", "small-renewals",
)  # fmt: skip
PRACTICE_PACKS = ("three-good-things", "three-questions", "gratitude-letter", "looking-forward")
PROGRAMME_PACES = {"three-good-things": "daily", "gratitude-letter": "sitting", "three-questions": "evening"}
HEAVY_REFS = (
    "hard-conversations/the-night-phone-call", "hard-conversations/before-the-door",
    "hard-conversations/still-carrying", "hard-conversations/one-sentence-that-helped",
    "hard-conversations/the-next-five-minutes",
)  # fmt: skip
# UK spellings and words that once crept into the US-English packs.
UK_WORDS = (
    "practis", "realis", "judgement", "fuelled", "favour", "colour", "behaviour", "programme", "holiday",
    "handover", "corridor", "porter", "ward round", "operating list", "appraisal", "by post", "grey",
)  # fmt: skip

VALID = """\
format = 1
id = "courage-circle"
name = "Courage"
version = 1
description = "Prompts for our November circle on courage."
author = "St Mary's circle"
language = "en"
licence = "CC-BY-4.0"

[[prompts]]
id = "small-courage"
text = "When did you do the brave thing in a small way this month?"
theme = "hard-conversations"
weight = "light"

[[prompts]]
id = "patient-courage"
text = "Which patient has shown you what courage looks like?"
theme = "being-heard"
follow_up = "Is there something you would like to say to them?"
weight = "deep"
"""


def variant(old: str, new: str, base: str = VALID) -> str:
    """VALID with exactly one occurrence of old replaced (so a typo in a test cannot go unnoticed)."""
    assert base.count(old) == 1, old
    return base.replace(old, new)


def rejected(raw: str | bytes, *words: str) -> str:
    """parse_pack refuses the file with a PackError (exit code 5) whose message has every word."""
    data = raw.encode("utf-8") if isinstance(raw, str) else raw
    with pytest.raises(PackError) as caught:
        parse_pack(data)
    error = caught.value
    assert isinstance(error, InvalidInput)
    assert error.exit_code == 5
    for word in words:
        assert word in error.message, (word, error.message)
    assert len(error.message) < 600, "a facilitator's error should be short"
    return error.message


def prompt_block(number: int) -> str:
    return f'\n[[prompts]]\nid = "p-{number}"\ntext = "Prompt {number}?"\ntheme = "fuels"\nweight = "light"\n'


# -- the built-in packs


def test_valid_example_parses_to_the_values_written():
    """The reference file in this module is valid, so every refusal below is caused by its one change."""
    pack = parse_pack(VALID.encode())
    assert pack.id == "courage-circle" and pack.version == 1 and not pack.programme
    assert [p.ref for p in pack.prompts] == ["courage-circle/small-courage", "courage-circle/patient-courage"]
    assert pack.prompts[1].follow_up == "Is there something you would like to say to them?"
    assert pack.prompts[0].follow_up is None


def test_builtin_packs_meet_the_floor():
    """At least 8 packs and 160 prompts ship, with unique pack ids and prompt ids unique per pack."""
    packs = builtin_packs()
    assert len(packs) >= 8
    assert sum(len(p.prompts) for p in packs) >= 160
    assert len({p.id for p in packs}) == len(packs)
    for pack in packs:
        ids = [p.id for p in pack.prompts]
        assert len(ids) == len(set(ids)), pack.id
    assert len(builtin_files()) == len(packs)


def test_every_builtin_prompt_is_complete():
    """Every built-in prompt has a known theme, a weight, a non-trivial text and the pack it sits in."""
    for pack in builtin_packs():
        assert pack.description and pack.author and pack.licence
        for prompt in pack.prompts:
            assert prompt.pack == pack.id
            assert prompt.theme in KNOWN_THEMES, prompt.ref
            assert prompt.weight in WEIGHTS, prompt.ref
            assert len(prompt.text) >= 20, prompt.ref
            assert prompt.text == unicodedata.normalize("NFC", prompt.text)


def test_builtin_packs_cover_every_theme_of_the_issue():
    """Each required theme has prompts, light and deep prompts both exist, and renewing light ones too."""
    prompts = [p for pack in builtin_packs() for p in pack.prompts]
    themes = {p.theme for p in prompts}
    missing = [t for t in ISSUE_THEMES if t not in themes]
    assert not missing
    for theme in ISSUE_THEMES:
        assert sum(p.theme == theme for p in prompts) >= 5, theme
    assert {p.weight for p in prompts} == set(WEIGHTS)
    renewing_light = [p for p in prompts if p.theme in RENEWING_THEMES and p.weight == "light"]
    assert len(renewing_light) >= 10, "low-energy days need light, renewing prompts"


def test_practice_packs_are_present_with_sources():
    """Three Good Things, the three questions, the gratitude letter and looking forward ship, each
    naming the evidence it comes from."""
    by_id = {p.id: p for p in builtin_packs()}
    for pack_id in PRACTICE_PACKS:
        assert pack_id in by_id, pack_id
        assert by_id[pack_id].sources, f"{pack_id} must cite its sources"


def test_three_good_things_is_a_fifteen_day_programme():
    """Three Good Things is a programme of exactly 15 prompts, in day order."""
    pack = {p.id: p for p in builtin_packs()}["three-good-things"]
    assert pack.programme
    assert len(pack.prompts) == 15
    assert [p.id for p in pack.prompts] == sorted(p.id for p in pack.prompts)
    assert {p.theme for p in pack.prompts} == {"gratitude"}


def test_only_programmes_are_programmes():
    """The thematic packs are not programmes (they feed the daily prompt)."""
    for pack in builtin_packs():
        if pack.id in ISSUE_THEMES or pack.id == "drains-and-fuels":
            assert not pack.programme, pack.id


def test_sequences_run_as_programmes_of_their_pace():
    """Three Good Things one evening at a time, the gratitude letter as one sitting, the three
    questions all three each evening: none of their steps is drawn at random as a daily prompt."""
    by_id = {p.id: p for p in builtin_packs()}
    paces = {pack_id: (by_id[pack_id].programme, by_id[pack_id].pace) for pack_id in PROGRAMME_PACES}
    assert paces == {pack_id: (True, pace) for pack_id, pace in PROGRAMME_PACES.items()}
    letter = [p.id for p in by_id["gratitude-letter"].prompts]
    assert letter.index("writing-the-letter") < letter.index("after-writing")
    questions = [p.id for p in by_id["three-questions"].prompts]
    assert questions == ["what-surprised-me", "what-moved-me", "what-inspired-me"]


def test_three_good_things_asks_the_same_thing_every_evening():
    """Every evening asks for three things that went well and your role in them (no drift)."""
    pack = {p.id: p for p in builtin_packs()}["three-good-things"]
    for prompt in pack.prompts:
        text = prompt.text.lower()
        assert "three" in text, prompt.id
        assert "went well" in text or "good things" in text, prompt.id
        assert any(word in text for word in ("role", "part", "hand in", "contributed", "helped")), prompt.id


def test_short_heavy_prompts_are_not_light():
    """Light means emotionally light: bad news, a night call, errors, deaths and dread are never light."""
    by_ref = {p.ref: p for pack in builtin_packs() for p in pack.prompts}
    for ref in HEAVY_REFS:
        assert by_ref[ref].weight != "light", ref
    heavy_pack = {p.id: p for p in builtin_packs()}["when-it-weighs"]
    assert len(heavy_pack.prompts) >= 20
    assert {p.weight for p in heavy_pack.prompts} <= {"medium", "deep"}


def test_builtin_packs_speak_one_locale():
    """The built-in packs are US English throughout, as the support defaults are, and say so."""
    for pack in builtin_packs():
        assert pack.language == "en-US", pack.id
        texts = [pack.name, pack.description, *(t for p in pack.prompts for t in (p.text, p.follow_up or ""))]
        for text in texts:
            found = [word for word in UK_WORDS if re.search(rf"\b{word}", text.lower())]
            assert not found, (pack.id, found, text[:80])


def test_the_docs_name_the_same_themes_as_the_code():
    """docs/pack-format.md lists exactly the known themes, and the renewing ones the picker favors."""
    doc = (SNAPSHOT.parents[2] / "docs" / "pack-format.md").read_text("utf-8")
    known = doc.split("Themes Purpose knows:")[1].split(".")[0]
    assert sorted(re.findall(r"`([a-z-]+)`", known)) == sorted(KNOWN_THEMES)
    renewing = doc.split("renewing themes (")[1].split(")")[0]
    assert set(re.findall(r"`([a-z-]+)`", renewing)) == set(RENEWING_THEMES)
    assert {"being-heard", "partnership-and-trust"} <= RENEWING_THEMES


def test_builtin_raw_is_the_exact_file():
    """Export of a built-in pack is the shipped file, byte for byte, and it parses to the same pack."""
    files = set(builtin_files().values())
    for pack in builtin_packs():
        raw = builtin_raw()[pack.id]
        assert raw in files
        assert parse_pack(raw) == pack


def _snapshot() -> tuple[list[str], list[str]]:
    """(shipped ids still offered, retired ids) from the snapshot; lines starting # are notes."""
    lines = [line.strip() for line in SNAPSHOT.read_text("utf-8").splitlines()]
    refs = [line for line in lines if line and not line.startswith("#")]
    retired = [line.removeprefix("retired ") for line in refs if line.startswith("retired ")]
    return [line for line in refs if not line.startswith("retired ")], retired


def test_builtin_prompt_ids_are_stable():
    """Prompt ids are a promise: entries remember which prompt they answered, and favourites, programme
    progress and daily-prompt history store "pack/prompt" refs. The committed snapshot lists every id
    that has ever shipped; ids may be ADDED (append them to the snapshot), never renamed. If this fails,
    restore the id (edit the text under the same id instead). Removing a prompt is a deliberate act:
    its line becomes "retired pack/prompt" (old entries keep showing the ref as written)."""
    shipped, retired = _snapshot()
    assert len(shipped) >= 160
    current = {p.ref for pack in builtin_packs() for p in pack.prompts}
    vanished = [ref for ref in shipped if ref not in current]
    assert not vanished, f"built-in prompt ids removed or renamed: {vanished}"
    unlisted = sorted(current - set(shipped))
    assert not unlisted, f"new built-in prompt ids: append them to the snapshot: {unlisted}"
    assert len(retired) <= 10, "retiring is for merging duplicates, not for rewriting packs"


def test_retired_ids_are_never_reused():
    """A retired id is gone for good: no built-in prompt carries it again, for a different question."""
    _, retired = _snapshot()
    current = {p.ref for pack in builtin_packs() for p in pack.prompts}
    assert retired, "the snapshot records the prompts merged in issue 17"
    assert not [ref for ref in retired if ref in current]


def test_snapshot_has_no_duplicates():
    """The snapshot itself is a clean list (a duplicated line would hide a rename)."""
    shipped, retired = _snapshot()
    lines = shipped + retired
    assert len(lines) == len(set(lines))
    assert all(line.count("/") == 1 for line in lines)


# -- errors a facilitator can act on


def test_unknown_pack_key_is_named():
    """A typo such as `titel` is refused and named, with the allowed keys listed."""
    message = rejected(variant('name = "Courage"\n', 'name = "Courage"\ntitel = "x"\n'), "'titel'", "unknown")
    assert "licence" in message  # the allowed keys


def test_unknown_prompt_key_names_prompt_and_key():
    """An unknown key inside a prompt names the prompt (number and id) and the key."""
    rejected(
        variant('weight = "light"\n', 'weight = "light"\ncolour = "red"\n'),
        "prompt 1",
        "'small-courage'",
        "'colour'",
    )


def test_missing_pack_key_is_named():
    """A pack without its licence is refused, naming the missing key."""
    rejected(variant('licence = "CC-BY-4.0"\n', ""), "'licence'", "missing")


def test_missing_prompt_key_names_prompt():
    """A prompt without a theme is refused with its number, id and the missing key."""
    rejected(variant('theme = "being-heard"\n', ""), "prompt 2", "'patient-courage'", "'theme'", "missing")


def test_version_as_text_is_a_wrong_type():
    """version = "2" (in quotes) is refused: version expects a whole number."""
    rejected(variant("version = 1\n", 'version = "2"\n'), "version", "whole number", "'2'")


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("version = 1\n", "version = 0\n", ["version", "whole number"]),
        ("version = 1\n", "version = 1.5\n", ["version", "1.5"]),
        ("version = 1\n", "version = true\n", ["version"]),
        ("format = 1\n", "format = 2\n", ["format", "2"]),
        ("format = 1\n", "format = true\n", ["format"]),
        ('id = "courage-circle"\n', 'id = "Courage Circle"\n', ["id", "lowercase"]),
        ('language = "en"\n', "language = 7\n", ["language"]),
        ('name = "Courage"\n', "name = [1, 2]\n", ["name", "expected text", "a list"]),
        (
            'text = "Which patient has shown you what courage looks like?"\n',
            "text = 42\n",
            ["prompt 2", "'patient-courage'", "text", "whole number"],
        ),
        (
            'follow_up = "Is there something you would like to say to them?"\n',
            "follow_up = { a = 1 }\n",
            ["prompt 2", "follow_up", "a table"],
        ),
        ('theme = "hard-conversations"\n', 'theme = "Fuels!"\n', ["prompt 1", "theme"]),
    ],
)
def test_wrong_types_and_values_say_what_was_expected(old, new, words):
    """Each wrong type or malformed value is refused with the key and what was expected."""
    rejected(variant(old, new), *words)


def test_duplicate_prompt_id_names_number_and_id():
    """Two prompts with one id: the second is named by number and the id, so it can be found."""
    doc = variant('id = "patient-courage"\n', 'id = "small-courage"\n')
    rejected(doc, "prompt 2", "'small-courage'", "twice")


def test_bad_weight_lists_the_choices():
    """weight = "heavy" is refused with the three weights that are allowed."""
    rejected(variant('weight = "light"\n', 'weight = "heavy"\n'), "prompt 1", "weight", "light, medium, deep")


def test_escaped_control_character_is_refused():
    """A control character (here BEL, written as a TOML escape) is refused with its code point."""
    doc = variant("small way this month?", "small way\\u0007 this month?")
    rejected(doc, "prompt 1", "text", "control character", "U+0007")


def test_raw_control_character_is_refused():
    """A raw control byte in a string is refused too (by the TOML reader), still as a PackError."""
    rejected(variant("small way this month?", "small way\x01 this month?"), "not valid TOML")


def test_line_breaks_and_tabs_are_allowed_in_texts():
    """Tabs and line breaks are not control characters for this purpose."""
    pack = parse_pack(variant("small way this month?", "small way\\n\\tthis month?").encode())
    assert "\n\t" in pack.prompts[0].text


@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\u200f"])
def test_bidi_override_is_refused(char):
    """Invisible direction-changing characters (U+202E and friends) are refused in any text."""
    rejected(variant("small way this month?", f"small way {char}this month?"), "prompt 1", "direction")


def test_bidi_override_in_pack_name_is_refused():
    """The pack's own fields are checked too, not only the prompts."""
    rejected(variant('name = "Courage"', 'name = "Cour\u202eage"'), "name", "direction")


def test_text_over_2000_characters_is_refused():
    """A 2,001-character text is refused with its length and the limit; 2,000 is accepted."""
    first_text = "When did you do the brave thing in a small way this month?"
    rejected(variant(first_text, "x" * 2001), "prompt 1", "2,001", "2,000")
    longest = variant(first_text, "W" + "x" * 1999)
    assert len(parse_pack(longest.encode()).prompts[0].text) == 2000


def test_more_than_500_prompts_is_refused():
    """501 prompts are refused, with the count and the limit; 500 are accepted."""
    head = VALID.split("[[prompts]]")[0]
    assert len(parse_pack((head + "".join(prompt_block(i) for i in range(500))).encode()).prompts) == 500
    rejected(head + "".join(prompt_block(i) for i in range(501)), "501", "500")


def test_file_over_one_mebibyte_is_refused_before_parsing():
    """A file over 1 MiB is refused by size, even if the excess is only a comment."""
    padding = "# " + "x" * MAX_FILE_BYTES + "\n"
    rejected(VALID + padding, "1 MiB", "bytes")


def test_invalid_utf8_is_refused():
    """Bytes that are not UTF-8 (a Latin-1 é) are refused with the byte position."""
    raw = variant("Courage", "Courage\udce9", VALID).encode("utf-8", "surrogateescape")
    position = raw.index(b"\xe9")
    assert f"byte {position}" in rejected(raw, "UTF-8")


def test_toml_syntax_error_gives_the_line():
    """A syntax error says which line it is on, so a facilitator can find it."""
    lines = VALID.splitlines(keepends=True)
    lines[6] = 'language = "en\n'  # line 7: unterminated string
    message = rejected("".join(lines), "not valid TOML")
    assert "line 7" in message


def test_toml_syntax_error_in_a_later_line():
    """The line number is the real one, not always line 1."""
    doc = variant('weight = "deep"\n', "weight = deep\n")
    line = doc.splitlines().index("weight = deep") + 1
    assert f"line {line}" in rejected(doc, "not valid TOML")


def test_empty_prompts_list_is_refused():
    """A pack with no prompts at all is refused."""
    head = VALID.split("[[prompts]]")[0]
    rejected(head.replace("format = 1\n", "format = 1\nprompts = []\n"), "prompts", "one or more")


def test_pack_without_prompts_key_is_refused():
    """Leaving out every [[prompts]] block names the missing key."""
    rejected(VALID.split("[[prompts]]")[0], "'prompts'", "missing")


def test_prompts_that_are_not_tables_are_refused():
    """prompts = ["text"] (a list of texts, not blocks) says a [[prompts]] block was expected."""
    head = VALID.split("[[prompts]]")[0]
    rejected(head.replace("format = 1\n", 'format = 1\nprompts = ["Why?"]\n'), "prompt 1", "[[prompts]]")


def test_programme_table_accepts_only_the_known_paces():
    """[programme] pace = "daily", "sitting" or "evening" makes a programme of that pace; any other key
    or pace is refused, naming the paces allowed."""
    head, _, rest = VALID.partition("[[prompts]]")
    good = head + '[programme]\npace = "daily"\n\n[[prompts]]' + rest
    assert parse_pack(good.encode()).programme
    assert parse_pack(good.encode()).pace == "daily"
    for pace in ("sitting", "evening"):
        pack = parse_pack(good.replace('pace = "daily"', f'pace = "{pace}"').encode())
        assert pack.programme and pack.pace == pace
    rejected(head + '[programme]\npace = "daily"\ndays = 15\n\n[[prompts]]' + rest, "programme", "pace")
    rejected(head + '[programme]\npace = "weekly"\n\n[[prompts]]' + rest, "programme", "daily", "sitting")
    rejected(head + "[programme]\npace = [1]\n\n[[prompts]]" + rest, "programme", "evening")
    rejected(variant("format = 1\n", 'format = 1\nprogramme = "daily"\n'), "programme")


def test_a_programme_pace_survives_writing_and_reading_back():
    """A sitting written out by packs.writer reads back as a sitting, not as a daily programme."""
    from purpose_app.packs.writer import to_toml

    letter = {p.id: p for p in builtin_packs()}["gratitude-letter"]
    assert parse_pack(to_toml(letter)).pace == "sitting"


def test_sources_must_be_short_texts():
    """sources must be a list of texts; a number inside is refused naming the item."""
    rejected(variant("format = 1\n", 'format = 1\nsources = ["a book", 3]\n'), "sources item 2")
    rejected(variant("format = 1\n", 'format = 1\nsources = "a book"\n'), "sources")


def test_empty_text_is_refused():
    """A text of only spaces is refused as empty."""
    rejected(
        variant("When did you do the brave thing in a small way this month?", "   "), "prompt 1", "empty"
    )


def test_text_is_normalised_to_nfc():
    """A decomposed é (e + combining accent) parses to the same text as a composed one."""
    composed = variant("small way", "small caf\u00e9 way")
    decomposed = variant("small way", "small cafe\u0301 way")
    assert composed != decomposed
    a, b = parse_pack(composed.encode()), parse_pack(decomposed.encode())
    assert a.prompts[0].text == b.prompts[0].text
    assert "caf\u00e9" in b.prompts[0].text
    assert a == b


def test_byte_order_mark_is_accepted():
    """A file saved by Notepad with a UTF-8 byte order mark still parses."""
    assert parse_pack(b"\xef\xbb\xbf" + VALID.encode()).id == "courage-circle"


# -- hostile values found by fuzzing (regressions)


@pytest.mark.parametrize("key", ["version", "format", "id", "language"])
def test_huge_hex_number_is_a_pack_error(key):
    """A hexadecimal number with thousands of digits (which Python cannot print) is reported as a
    PackError, not a crash while writing the message."""
    doc = "\n".join(
        f"{key} = 0x{'f' * 5000}" if line.startswith(f"{key} = ") else line for line in VALID.splitlines()
    )
    rejected(doc, key, "a very long number")


def test_huge_decimal_number_is_a_pack_error():
    """A decimal number longer than Python's digit limit is a PackError, not a ValueError."""
    rejected(variant("version = 1\n", f"version = {'9' * 5000}\n"), "number", "too long")


@pytest.mark.parametrize("key", ["version", "id", "language", "format"])
def test_deep_inline_table_is_a_pack_error(key):
    """A value that is a table nested 3,000 deep (via dotted keys) is a PackError, not a
    RecursionError while describing it."""
    deep = "{" + ".".join(["a"] * 3000) + " = 1}"
    doc = "\n".join(
        f"{key} = {deep}" if line.startswith(f"{key} = ") else line for line in VALID.splitlines()
    )
    rejected(doc, key, "a table")


def test_deep_inline_table_as_weight_is_a_pack_error():
    """The same deep table in a prompt's weight names the prompt."""
    deep = "{" + ".".join(["a"] * 3000) + " = 1}"
    rejected(variant('weight = "light"', f"weight = {deep}"), "prompt 1", "weight", "a table")


def test_deep_array_is_a_pack_error():
    """Arrays nested thousands deep are refused as nested too deeply."""
    rejected(variant("format = 1\n", "format = 1\nsources = " + "[" * 5000 + "]" * 5000 + "\n"), "deep")


def test_very_long_unknown_key_gives_a_short_message():
    """An unknown key 100,000 characters long is reported, but the message stays short."""
    message = rejected(variant("format = 1\n", f'format = 1\n"{"k" * 100_000}" = 1\n'), "unknown key")
    assert len(message) < 600
