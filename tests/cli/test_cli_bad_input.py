"""Bad input gets a clear error on stderr, the documented exit code, and changes nothing at all."""

from __future__ import annotations

import json

import pytest

import purpose_app.domain.entry as entry_module

CANARY = "zebra-canary-7731"


@pytest.fixture
def seeded(add):
    """A vault holding one entry whose every text field carries the canary."""
    return add(
        "--title", f"title {CANARY}", "--body", f"body {CANARY}", "--tag", f"tag-{CANARY}",
        "--drain", f"drain {CANARY}", "--fuel", f"fuel {CANARY}", "--energy", "4",
        "--at", "2026-01-01T09:00",
    )  # fmt: skip


def assert_clean_error(result, code, *mentions):
    """The exit code, a short plain message that mentions the problem, no traceback, no journal text."""
    assert result.code == code, (result.code, result.err)
    assert result.out == ""
    assert result.err.strip(), "an error must say something"
    assert "Traceback" not in result.err
    assert CANARY not in result.err
    for word in mentions:
        assert word.lower() in result.err.lower(), (word, result.err)


BAD_ADDS = [
    pytest.param(("--energy", "11"), ["energy", "11"], id="energy-11"),
    pytest.param(("--energy", "-1"), ["energy", "-1"], id="energy-negative"),
    pytest.param(("--energy", "high"), ["energy", "high"], id="energy-word"),
    pytest.param(("--energy", "4.5"), ["energy", "whole number"], id="energy-fraction"),
    pytest.param(("--energy", ""), ["energy"], id="energy-empty"),
    pytest.param(("--shift", "graveyard"), ["shift", "graveyard", "on-call"], id="unknown-shift"),
    pytest.param(("--at", "yesterday evening"), ["yesterday evening", "YYYY-MM-DD"], id="at-words"),
    pytest.param(("--at", "2026-13-45"), ["2026-13-45"], id="at-impossible-date"),
    pytest.param(("--prompt", "just-a-prompt"), ["PACK/PROMPT"], id="prompt-without-pack"),
    pytest.param(("--prompt", "a/b/c"), ["PACK/PROMPT"], id="prompt-too-deep"),
    pytest.param((), ["needs something"], id="nothing-at-all"),
    pytest.param(("--body", "  \n\t  "), ["needs something"], id="whitespace-body"),
    pytest.param(("--title", "   ", "--body", " "), ["needs something"], id="whitespace-title-and-body"),
    pytest.param(("--tag", "#", "--drain", "  ", "--fuel", ""), ["needs something"], id="blank-labels"),
    pytest.param(("--prompt", "origins/first-patient"), ["needs something"], id="prompt-only"),
]


@pytest.mark.parametrize("args,mentions", BAD_ADDS)
def test_bad_add_is_refused_with_exit_5_and_changes_nothing(run_cli, seeded, state, args, mentions):
    """Each invalid `add` exits 5 with a message naming the problem, and the vault is unchanged."""
    before = state()
    result = run_cli("add", "--body", f"new {CANARY}", *args) if args[:1] == ("--energy",) else None
    if result is not None:  # the bad value next to real text: still refused, and the text not echoed
        assert_clean_error(result, 5, *mentions)
        assert state() == before
    result = run_cli("add", *args)
    assert_clean_error(result, 5, *mentions)
    assert state() == before


@pytest.mark.parametrize("args,mentions", BAD_ADDS[:10])
def test_bad_edit_is_refused_with_exit_5_and_changes_nothing(run_cli, seeded, state, args, mentions):
    """The same invalid values on `edit` exit 5 and leave the entry at its old revision."""
    before = state()
    assert_clean_error(run_cli("edit", seeded, *args), 5, *mentions)
    assert state() == before
    assert json.loads(run_cli("show", seeded, "--json").out)["revision"] == 1


def test_body_from_stdin_that_is_not_utf8_is_refused(run_cli, seeded, state):
    """A body piped in that is not valid UTF-8 exits 5, says so, and nothing is saved."""
    before = state()
    bad = b"Notes from the night \xff\xfe\xc3\x28 end"
    assert_clean_error(run_cli("add", "--energy", "3", stdin=bad), 5, "UTF-8")
    assert_clean_error(run_cli("add", "--body", "-", stdin=bad), 5, "UTF-8")
    assert_clean_error(run_cli("edit", seeded, "--body", "-", stdin=bad), 5, "UTF-8")
    assert state() == before


def test_a_body_with_a_null_character_is_refused(run_cli, seeded, state):
    """A NUL in the body cannot be stored faithfully everywhere: exit 5, nothing saved."""
    before = state()
    assert_clean_error(run_cli("add", "--body", "-", stdin=b"a\x00b"), 5, "null")
    assert state() == before


@pytest.mark.parametrize("bad", ["2026-02-30", "last week", "01/02/2026", "2026-1-2"])
def test_since_or_until_that_does_not_parse_is_refused(run_cli, seeded, bad):
    """A date that does not parse exits 5 and shows the expected format."""
    assert_clean_error(run_cli("list", "--since", bad, "--json"), 5, bad, "YYYY-MM-DD")
    assert_clean_error(run_cli("list", "--until", bad), 5, bad, "YYYY-MM-DD")
    assert_clean_error(run_cli("search", "x", "--since", bad), 5, bad)


def test_list_by_unknown_shift_is_refused(run_cli, seeded):
    """Filtering by a shift that does not exist is an error, not a silent empty list."""
    assert_clean_error(run_cli("list", "--shift", "graveyard", "--json"), 5, "graveyard")


@pytest.mark.parametrize("command", ["show", "edit", "delete"])
def test_an_id_that_does_not_exist_exits_5(run_cli, seeded, state, command):
    """show, edit and delete of an unknown id exit 5, say the id is unknown, and change nothing."""
    before = state()
    missing = "00000000-0000-4000-8000-000000000000"
    extra = {"edit": ("--energy", "5"), "delete": ("--yes",)}.get(command, ())
    assert_clean_error(run_cli(command, missing, *extra), 5, "no entry", missing)
    assert_clean_error(run_cli(command, "zzzz", *extra), 5, "no entry")
    assert state() == before


def test_a_prefix_too_short_to_be_sure_is_not_found(run_cli, seeded):
    """A one-character prefix does not pick an entry, even when only one entry starts with it."""
    assert_clean_error(run_cli("show", seeded[:1]), 5, "no entry")


def test_an_ambiguous_prefix_is_refused(run_cli, cli_vault, state, monkeypatch):
    """A prefix shared by two entries exits 5, asks for more of the id, and deletes nothing."""
    for n in (1, 2):
        fixed_id = f"abcd{n}{n}{n}{n}-0000-4000-8000-00000000000{n}"
        monkeypatch.setattr(entry_module, "new_id", lambda fixed_id=fixed_id: fixed_id)
        assert run_cli("add", "--title", f"entry {n} {CANARY}").code == 0
    before = state()
    for args in (("show", "abcd"), ("edit", "abcd", "--energy", "2"), ("delete", "abcd", "--yes")):
        assert_clean_error(run_cli(*args), 5, "abcd", "2 entries")
    assert state() == before
    assert run_cli("show", "abcd2").code == 0  # one more character makes it unique


def test_bad_usage_exits_2_without_a_traceback(run_cli, seeded):
    """Unknown commands and options, missing arguments and non-numbers are usage errors (exit 2)."""
    for args in (
        ("frobnicate",),
        ("add", "--mood", "ok"),
        ("show",),
        ("list", "--limit", "many"),
        ("recovery-key",),
    ):
        result = run_cli(*args)
        assert result.code == 2, (args, result)
        assert "Traceback" not in result.err and "usage" in result.err.lower()


def test_errors_about_an_existing_entry_never_quote_it(run_cli, seeded):
    """Wrong passphrase, impossible edits and clears: none of the messages repeats the entry's text."""
    results = [
        run_cli("show", seeded, env={"PURPOSE_PASSPHRASE": "not the passphrase"}),
        run_cli("list", "--json", env={"PURPOSE_PASSPHRASE": "not the passphrase"}),
        run_cli("edit", seeded, *(a for f in entry_module.CLEARABLE for a in ("--clear", f))),
        run_cli("edit", seeded, "--energy", "12"),
        run_cli("edit", seeded, "--shift", "nope"),
        run_cli("delete", seeded),
    ]
    assert [r.code for r in results] == [3, 3, 5, 5, 5, 2]
    for result in results:
        assert "Traceback" not in result.err and CANARY not in result.err and CANARY not in result.out
