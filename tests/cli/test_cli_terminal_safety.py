"""Nothing from outside reaches the terminal raw: entry text, file names and messages are shown escaped."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from purpose_app.cli.context import as_json
from purpose_app.domain.text_safety import BIDI_CONTROLS, UNSAFE_IN_PROSE, for_terminal

# ESC sequences that clear the screen and retitle the window, a carriage return that would overwrite
# the line, BEL, DEL, a C1 CSI, and a right-to-left override that would reverse what follows.
HOSTILE_TITLE = "Night\x1b[2J\x1b]0;owned\x07 shift \u202etxt.exe"
HOSTILE_BODY = "Fine.\r\x1b[1A\x1b[2KSigned: Trusted Circle\x7f\x9b31m\nSecond line\tkept \u2067end"
HOSTILE_TAG = "icu\x1b[31m"
RAW = ("\x1b", "\r", "\x07", "\x7f", "\x9b", *BIDI_CONTROLS)


def _raw_in(text: str) -> list[str]:
    return [char for char in RAW if char in text]


def _import_hostile(run_cli, tmp_path: Path, name: str = "journal.json") -> str:
    path = tmp_path / name
    entry = {"title": HOSTILE_TITLE, "body": HOSTILE_BODY, "date": "2021-02-03", "time": "07:30",
             "tags": [HOSTILE_TAG], "starred": False}  # fmt: skip
    path.write_text(json.dumps({"tags": {}, "entries": [entry]}), encoding="utf-8")
    result = run_cli("import", "jrnl-json", str(path), "--json")
    assert result.code == 0, result.err
    listed = json.loads(run_cli("list", "--json").out)
    assert len(listed) == 1
    return str(listed[0]["id"])


def test_list_show_and_search_show_control_and_direction_characters_escaped(run_cli, cli_vault, tmp_path):
    """An imported entry's ESC, CR, BEL, DEL, C1 and U+202E come out spelled out, its words all there."""
    entry_id = _import_hostile(run_cli, tmp_path)
    listing = run_cli("list")
    found = run_cli("search", "owned")
    shown = run_cli("show", entry_id[:8])
    for result in (listing, found, shown):
        assert result.code == 0, result.err
        assert _raw_in(result.out + result.err) == []
    for result in (listing, found):
        assert "Night\\x1b[2J\\x1b]0;owned\\x07 shift \\u202etxt.exe" in result.out
        assert "#icu\\x1b[31m" in result.out
    assert "Fine.\\x0d\\x1b[1A\\x1b[2KSigned: Trusted Circle\\x7f\\x9b31m\nSecond line\tkept \\u2067end" in (
        shown.out
    )


def test_json_output_holds_no_raw_control_or_direction_character_and_loses_nothing(
    run_cli, cli_vault, tmp_path
):
    """`--json` escapes DEL, C1 and bidi characters too (json.dumps does not); a reader gets them back."""
    entry_id = _import_hostile(run_cli, tmp_path)
    for args in (("list", "--json"), ("search", "owned", "--json"), ("show", entry_id, "--json")):
        result = run_cli(*args)
        assert result.code == 0, result.err
        assert _raw_in(result.out) == []
        assert "\\u202e" in result.out and "\\u009b" in result.out
        data = json.loads(result.out)
        entry = data[0] if isinstance(data, list) else data
        assert (entry["title"], entry["body"], entry["tags"]) == (HOSTILE_TITLE, HOSTILE_BODY, [HOSTILE_TAG])


def test_json_keeps_accents_and_emoji_readable():
    """Only what could drive a terminal is escaped: a French title and an emoji stay as written."""
    text = as_json({"title": "Première garde 🙂", "note": "a\u202eb\x85"})
    assert "Première garde 🙂" in text
    assert '"a\\u202eb\\u0085"' in text
    assert json.loads(text) == {"title": "Première garde 🙂", "note": "a\u202eb\x85"}


def test_a_file_name_with_control_characters_is_shown_escaped(run_cli, cli_vault, tmp_path):
    """The import summary names the file; a name holding ESC and U+202E is spelled out, not obeyed."""
    name = "week\x1b[2J\u202egpj.json"
    _import_hostile(run_cli, tmp_path, name)
    again = run_cli("import", "jrnl-json", str(tmp_path / name))
    assert again.code == 0, again.err
    assert "from " + str(tmp_path) + "/week\\x1b[2J\\u202egpj.json." in again.out
    assert _raw_in(again.out + again.err) == []


def test_an_error_naming_a_hostile_file_is_escaped_too(run_cli, cli_vault, tmp_path, state):
    """The error printer escapes as well: a missing file whose name holds ESC and CR, and nothing changes."""
    before = state()
    missing = run_cli("import", "jrnl-json", str(tmp_path / "gone\x1b]0;x\x07\r.json"))
    assert missing.code != 0
    assert "gone\\x1b]0;x\\x07\\x0d.json" in missing.err
    assert _raw_in(missing.out + missing.err) == []
    assert state() == before


def test_a_support_contact_with_control_characters_is_refused_and_nothing_is_saved(run_cli, cli_vault):
    """Contacts refuse such characters at the door (exit 5, nothing saved), echoing nothing raw."""
    refused = run_cli("support", "add", "--name", "Dr\x1b[2J \u202eHelp", "--contact", "555-0101")
    assert refused.code == 5
    assert "contains control characters" in refused.err
    assert _raw_in(refused.out + refused.err) == []
    mine = json.loads(run_cli("support", "--mine", "--json").out)["resources"]
    assert not any(r["own"] for r in mine)


def test_the_pattern_finds_exactly_the_characters_for_terminal_escapes():
    """Every code point: the pattern matches just C0/C1 controls but \\n and \\t, surrogates and bidi."""
    for code in range(0x110000):
        char = chr(code)
        unsafe = char in BIDI_CONTROLS or (char not in "\n\t" and unicodedata.category(char) in ("Cc", "Cs"))
        assert bool(UNSAFE_IN_PROSE.match(char)) is unsafe, hex(code)
        assert (for_terminal(char) != char) is unsafe, hex(code)
