"""The command line for prompts, programmes and "my why": JSON shapes, stability, and refusals."""

from __future__ import annotations

import json
from typing import Any

import pytest

PROMPT_KEYS = {"id", "pack", "text", "theme", "why"}


@pytest.fixture
def ok(run_cli, cli_vault):
    """`purpose ARGS --json` that must succeed, parsed."""

    def run(*args: str) -> Any:
        result = run_cli(*args, "--json")
        assert result.code == 0, result.err
        return json.loads(result.out)

    return run


def test_prompt_today_json_has_the_documented_keys(ok):
    """`prompt today --json` carries id, pack, text, theme and why, all filled in."""
    data = ok("prompt", "today")
    assert set(data) >= PROMPT_KEYS
    assert all(isinstance(data[key], str) and data[key] for key in PROMPT_KEYS)


def test_prompt_today_is_the_same_twice(ok):
    """Two `prompt today` runs on the same day give the same prompt."""
    first, second = ok("prompt", "today"), ok("prompt", "today")
    assert (first["pack"], first["id"]) == (second["pack"], second["id"])


def test_prompt_today_human_output_names_the_prompt(run_cli, ok):
    """Without --json, the text and the PACK/PROMPT reference are printed."""
    data = ok("prompt", "today")
    result = run_cli("prompt", "today")
    assert result.code == 0, result.err
    assert data["text"] in result.out
    assert f"{data['pack']}/{data['id']}" in result.out


def test_prompt_another_gives_a_different_one_that_sticks(ok):
    """`prompt another` differs from today's, and `prompt today` then shows that one."""
    first = ok("prompt", "today")
    other = ok("prompt", "another")
    assert set(other) >= PROMPT_KEYS
    assert (other["pack"], other["id"]) != (first["pack"], first["id"])
    after = ok("prompt", "today")
    assert (after["pack"], after["id"]) == (other["pack"], other["id"])


def test_favourite_and_unfavourite(ok):
    """`prompt favourite` then `prompt unfavourite` report the ref and the new state."""
    today = ok("prompt", "today")
    ref = f"{today['pack']}/{today['id']}"
    assert ok("prompt", "favourite", ref) == {"ref": ref, "favourite": True}
    assert ok("prompt", "unfavourite", ref) == {"ref": ref, "favourite": False}


def test_favorite_and_unfavorite_are_the_us_names(ok):
    """`prompt favorite` / `unfavorite` (US names) do what the UK aliases `favourite` / `unfavourite` do."""
    today = ok("prompt", "today")
    ref = f"{today['pack']}/{today['id']}"
    assert ok("prompt", "favorite", ref) == {"ref": ref, "favourite": True}
    assert ok("prompt", "unfavorite", ref) == {"ref": ref, "favourite": False}
    assert ok("prompt", "favourite", ref) == {"ref": ref, "favourite": True}  # the UK alias still stars it
    assert ok("prompt", "unfavorite", ref) == {"ref": ref, "favourite": False}


def test_favorite_human_output_is_us_english(run_cli, ok):
    """Without --json, starring a prompt says "Added to your favorites"."""
    today = ok("prompt", "today")
    ref = f"{today['pack']}/{today['id']}"
    result = run_cli("prompt", "favorite", ref)
    assert result.code == 0, result.err
    assert result.out.strip() == f"Added to your favorites: {ref}"
    removed = run_cli("prompt", "unfavourite", ref)
    assert removed.code == 0 and removed.out.strip() == f"Removed from your favorites: {ref}"


def test_a_favourite_offer_says_it_is_one(ok):
    """With only one pack on and all its prompts favourites, today's `why` says "One of your favorites"."""
    for pack in ok("packs", "list"):
        if pack["id"] != "looking-forward":
            ok("packs", "disable", pack["id"])
    for prompt in ok("packs", "show", "looking-forward")["prompts"]:
        ok("prompt", "favourite", f"looking-forward/{prompt['id']}")
    today = ok("prompt", "today")
    assert today["pack"] == "looking-forward"
    assert today["why"] == "One of your favorites."


def test_prompt_write_goes_to_the_personal_pack(ok):
    """`prompt write` saves an encrypted prompt of one's own, in the pack "personal"."""
    data = ok("prompt", "write", "Who made you laugh this week?", "--theme", "fuels", "--weight", "light")
    assert data["pack"] == "personal"
    assert data["text"] == "Who made you laugh this week?"
    assert data["theme"] == "fuels"
    shown = ok("prompt", "show", f"personal/{data['id']}")
    assert shown["text"] == data["text"]


def test_programme_start_and_status(ok):
    """`programme start` offers day 1; `programme status` says the same."""
    started = ok("programme", "start", "three-good-things")
    assert started["status"] == "running"
    assert started["days_done"] == 0 and started["total_days"] == 15
    assert started["today"]["id"] == "day-01"
    status = ok("programme", "status", "three-good-things")
    assert status == started


def test_programme_answered_today_is_done_for_today(run_cli, ok):
    """Writing the day's programme prompt with `add --prompt` marks today done."""
    ok("programme", "start", "three-good-things")
    added = run_cli("add", "--body", "Three things.", "--prompt", "three-good-things/day-01")
    assert added.code == 0, added.err
    status = ok("programme", "status", "three-good-things")
    assert status["done_today"] is True and status["days_done"] == 1 and status["today"] is None


def test_program_is_the_us_name_and_programme_still_works(ok):
    """`program start` and `programme status` are the same command: one program, seen by both names."""
    started = ok("program", "start", "three-good-things")
    assert started["status"] == "running" and started["today"]["id"] == "day-01"
    assert ok("programme", "status", "three-good-things") == started
    paused = ok("program", "pause", "three-good-things")
    assert paused["status"] == "paused"
    assert ok("programme", "status", "three-good-things")["status"] == "paused"


def test_help_shows_the_us_names_with_the_uk_aliases(run_cli):
    """`purpose --help` lists `program` and `prompt --help` lists `favorite`, each with its UK alias."""
    top = run_cli("--help")
    assert top.code == 0
    assert "program (programme)" in top.out
    assert "programs such as Three Good Things" in top.out
    prompt = run_cli("prompt", "--help")
    assert prompt.code == 0
    assert "favorite (favourite)" in prompt.out and "unfavorite (unfavourite)" in prompt.out
    assert "favourites" not in prompt.out


def test_programme_pause(ok):
    """`programme pause` keeps the programme, paused, with nothing offered."""
    ok("programme", "start", "three-good-things")
    paused = ok("programme", "pause", "three-good-things")
    assert paused["status"] == "paused" and paused["today"] is None


def test_why_set_show_and_history(run_cli, ok):
    """`why set` twice, `why show` gives the latest, `why history` both versions (oldest first)."""
    assert run_cli("why", "set", "To be the doctor I needed.").code == 0
    assert run_cli("why", "set", "To stay curious.").code == 0
    shown = ok("why", "show")
    assert shown["text"] == "To stay curious."
    assert "written" in shown
    history = ok("why", "history")
    assert [v["text"] for v in history] == ["To be the doctor I needed.", "To stay curious."]


def test_why_set_reads_standard_input(run_cli, ok):
    """`why set` with no TEXT reads it from standard input."""
    result = run_cli("why", "set", stdin="Because of the ward at night.\n")
    assert result.code == 0, result.err
    assert ok("why", "show")["text"] == "Because of the ward at night."


def test_why_show_before_any_why(run_cli, ok):
    """No why yet: JSON null, and a gentle hint for people."""
    assert ok("why", "show") is None
    assert ok("why", "history") == []
    result = run_cli("why", "show")
    assert result.code == 0 and "why set" in result.out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("prompt", "favourite", "no-such-pack/anything"), 'no pack "no-such-pack"'),
        (("prompt", "favourite", "origins/no-such-prompt"), 'no prompt "no-such-prompt"'),
        (("prompt", "unfavourite", "not-a-ref"), 'no pack "not-a-ref"'),
        (("prompt", "show", "origins/no-such-prompt"), 'no prompt "no-such-prompt"'),
        (("programme", "start", "no-such-pack"), 'no pack "no-such-pack"'),
        (("programme", "status", "origins"), "not a program."),
        (("program", "status", "origins"), "not a program."),
        (("prompt", "favorite", "no-such-pack/anything"), 'no pack "no-such-pack"'),
        (("programme", "pause", "three-good-things"), "nothing to pause"),
        (("why", "set", "   "), "empty"),
        (("packs", "disable", "no-such-pack"), 'no pack "no-such-pack"'),
    ],
)
def test_bad_references_exit_5_with_a_clear_message(run_cli, cli_vault, args, message):
    """Unknown packs or prompts, non-programmes, nothing to pause, an empty why: exit 5, said plainly."""
    result = run_cli(*args, "--json")
    assert result.code == 5
    assert message in result.err
    assert result.out == ""
    assert "Traceback" not in result.err
