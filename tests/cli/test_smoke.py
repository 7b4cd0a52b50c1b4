"""The command line's happy path, end to end in-process."""

import json


def test_init_add_list_show_round_trip(run_cli):
    """An entry written through the CLI comes back intact, as JSON, newest first."""
    init = run_cli("init", "--json")
    assert init.code == 0, init.err
    assert json.loads(init.out)["recovery_key"].count("-") == 13
    first = run_cli(
        "add", "--title", "Night one", "--energy", "3", "--tag", "icu", "--at", "2026-01-01T22:00"
    )
    second = run_cli("add", "--body", "-", "--fuel", "a grateful patient", stdin="Held a hand tonight.")
    assert first.code == 0 and second.code == 0
    listed = json.loads(run_cli("list", "--json").out)
    assert [e["id"] for e in listed] == [second.out.strip(), first.out.strip()]
    shown = json.loads(run_cli("show", first.out.strip(), "--json").out)
    assert shown["title"] == "Night one" and shown["energy"] == 3 and shown["tags"] == ["icu"]
    assert shown["created"].startswith("2026-01-01T22:00")
    assert listed[0]["body"] == "Held a hand tonight."
