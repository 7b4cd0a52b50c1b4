"""The command line's contract for entries: JSON shape, listing, filters, search, show, edit, delete."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta

import pytest

from cli.cli_contract import ENTRY_KEYS, file_hash

ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d$")


def test_init_json_gives_vault_and_recovery_key(run_cli, vault_dir):
    """`init --json` prints exactly {"vault", "recovery_key"}, naming the folder it created."""
    result = run_cli("init", "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert set(data) == {"vault", "recovery_key"}
    assert data["vault"] == str(vault_dir)
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){13}", data["recovery_key"])
    assert (vault_dir / "purpose.db").is_file()


def test_init_twice_is_refused_and_leaves_the_vault_alone(run_cli, cli_vault, add):
    """A second `init` in the same folder exits 6 and does not touch a byte of the existing vault."""
    add("--title", "keep me")
    before = file_hash(cli_vault / "purpose.db")
    again = run_cli("init", "--json")
    assert again.code == 6
    assert "already" in again.err and again.out == ""
    assert file_hash(cli_vault / "purpose.db") == before
    assert [e["title"] for e in json.loads(run_cli("list", "--json").out)] == ["keep me"]


def test_entry_json_has_exactly_the_documented_shape(run_cli, add):
    """An entry's JSON has exactly the contract's keys, with the types and values that were given."""
    entry_id = add(
        "--title", "Code blue", "--body", "Long night.\nSecond line.", "--energy", "4",
        "--tag", "icu", "--tag", "nights", "--drain", "charting", "--fuel", "a grateful patient",
        "--shift", "night", "--prompt", "origins/first-patient", "--at", "2026-03-01T08:15:00+05:30",
    )  # fmt: skip
    shown = run_cli("show", entry_id, "--json")
    assert shown.code == 0, shown.err
    entry = json.loads(shown.out)
    assert set(entry) == ENTRY_KEYS
    assert entry == {
        **entry,
        "id": entry_id,
        "revision": 1,
        "title": "Code blue",
        "body": "Long night.\nSecond line.",
        "tags": ["icu", "nights"],
        "energy": 4,
        "drains": ["charting"],
        "fuels": ["a grateful patient"],
        "shift": "night",
        "prompt": "origins/first-patient",
    }
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}", entry_id)
    for stamp in ("created", "updated"):
        assert ISO_WITH_OFFSET.match(entry[stamp]), entry[stamp]
    assert datetime.fromisoformat(entry["created"]) == datetime.fromisoformat("2026-03-01T08:15:00+05:30")


def test_add_json_prints_the_entry_and_plain_add_prints_the_id(run_cli, add):
    """`add` prints just the new id; `add --json` prints the new entry in the documented shape."""
    plain = add("--energy", "5")
    assert re.fullmatch(r"[0-9a-f-]{36}", plain)
    as_json = run_cli("add", "--title", "t", "--json")
    assert as_json.code == 0, as_json.err
    data = json.loads(as_json.out)
    assert set(data) == ENTRY_KEYS and data["title"] == "t" and data["revision"] == 1
    assert data["energy"] is None and data["shift"] is None and data["prompt"] is None
    assert data["tags"] == [] and data["body"] == ""


def test_empty_fields_are_null_or_empty_in_json(run_cli, add):
    """Fields nobody filled in are null (energy, shift, prompt), "" (title, body) or [] (labels)."""
    entry = json.loads(run_cli("show", add("--shift", "day"), "--json").out)
    assert entry["title"] == "" and entry["body"] == ""
    assert entry["tags"] == [] and entry["drains"] == [] and entry["fuels"] == []
    assert entry["energy"] is None and entry["prompt"] is None and entry["shift"] == "day"


@pytest.mark.parametrize(
    "args",
    [("--energy", "0"), ("--drain", "charting"), ("--fuel", "a good save"), ("--shift", "post-call")],
    ids=["energy-only", "drain-only", "fuel-only", "shift-only"],
)
def test_a_quick_check_in_without_text_is_a_valid_entry(run_cli, add, listed, args):
    """One tap's worth (an energy, a drain, a fuel or a shift) with no text at all is saved."""
    entry_id = add(*args)
    [entry] = listed()
    assert entry["id"] == entry_id and entry["title"] == "" and entry["body"] == ""


def test_default_created_time_is_now_with_an_offset(add, listed):
    """Without --at, created and updated are the current time, time-zone aware."""
    add("--energy", "6")
    [entry] = listed()
    created = datetime.fromisoformat(entry["created"])
    assert created.utcoffset() is not None
    assert abs(created - datetime.now().astimezone()) < timedelta(minutes=5)
    assert entry["updated"] == entry["created"]


def test_list_and_search_are_newest_first_by_when_it_happened(run_cli, add, listed):
    """Order follows --at (when it happened), not the order of writing."""
    middle = add("--title", "middle shift", "--at", "2026-02-10T12:00")
    oldest = add("--title", "oldest shift", "--at", "2026-01-05T12:00")
    newest = add("--title", "newest shift", "--at", "2026-03-20T12:00")
    assert [e["id"] for e in listed()] == [newest, middle, oldest]
    found = run_cli("search", "shift", "--json")
    assert found.code == 0, found.err
    assert [e["id"] for e in json.loads(found.out)] == [newest, middle, oldest]
    assert all(set(e) == ENTRY_KEYS for e in json.loads(found.out))


def test_list_limit_keeps_the_newest(add, listed, run_cli):
    """--limit N gives the N newest entries; --limit 0 is refused."""
    ids = [add("--energy", str(n), "--at", f"2026-01-0{n}T09:00") for n in range(1, 6)]
    assert [e["id"] for e in listed("--limit", "2")] == [ids[4], ids[3]]
    assert len(listed("--limit", "50")) == 5
    assert run_cli("list", "--limit", "0").code == 5
    assert run_cli("list", "--limit", "two").code == 2


def test_since_and_until_are_inclusive_dates(add, listed):
    """--since D and --until D include every entry on day D, from midnight to the last minute."""
    before = add("--title", "a", "--at", "2026-01-01T23:59")
    first = add("--title", "b", "--at", "2026-01-02T00:00")
    last = add("--title", "c", "--at", "2026-01-02T23:59:59")
    after = add("--title", "d", "--at", "2026-01-03T00:00")
    assert [e["id"] for e in listed("--since", "2026-01-02", "--until", "2026-01-02")] == [last, first]
    assert [e["id"] for e in listed("--since", "2026-01-02")] == [after, last, first]
    assert [e["id"] for e in listed("--until", "2026-01-02")] == [last, first, before]
    assert listed("--since", "2026-01-04") == []


@pytest.fixture
def machine_in_utc(monkeypatch):
    """The machine's clock in UTC, whatever zone the entries were written in."""
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.delenv("TZ")
    time.tzset()


def test_an_entry_belongs_to_the_date_where_it_was_written(add, listed, run_cli, machine_in_utc):
    """28 Feb 19:30 -05:00 is 28 Feb for --since/--until and the list, on a machine in UTC (1 Mar)."""
    evening = add("--title", "evening in Boston", "--at", "2023-02-28T19:30-05:00")
    morning = add("--title", "morning in London", "--at", "2023-03-01T08:00+00:00")
    assert [e["id"] for e in listed("--since", "2023-03-01")] == [morning]
    assert [e["id"] for e in listed("--until", "2023-02-28")] == [evening]
    assert [e["id"] for e in listed("--since", "2023-02-28", "--until", "2023-02-28")] == [evening]
    shown = run_cli("list")
    assert shown.code == 0, shown.err
    assert "2023-02-28 19:30" in shown.out and "2023-03-01 00:30" not in shown.out


def test_label_and_shift_filters(add, listed):
    """--tag, --drain, --fuel and --shift each keep only the entries that carry that value."""
    a = add("--tag", "icu", "--drain", "charting", "--shift", "night", "--at", "2026-01-01T09:00")
    b = add("--tag", "clinic", "--fuel", "a grateful patient", "--shift", "day", "--at", "2026-01-02T09:00")
    c = add("--tag", "ICU", "--drain", "pager", "--fuel", "team", "--at", "2026-01-03T09:00")
    assert [e["id"] for e in listed("--tag", "icu")] == [c, a]  # labels match without regard to case
    assert [e["id"] for e in listed("--drain", "charting")] == [a]
    assert [e["id"] for e in listed("--fuel", "a grateful patient")] == [b]
    assert [e["id"] for e in listed("--shift", "night")] == [a]
    assert [e["id"] for e in listed("--tag", "icu", "--drain", "pager")] == [c]
    assert listed("--tag", "nothing-has-this") == []


def test_search_is_case_insensitive_over_title_body_and_labels(run_cli, add):
    """Search finds text in the title, the body, tags, drains and fuels, whatever the case."""
    in_title = add("--title", "Night SHIFT blues", "--at", "2026-01-05T09:00")
    in_body = add("--body", "The pager went OFF at 3am", "--at", "2026-01-04T09:00")
    in_tag = add("--tag", "Residency", "--at", "2026-01-03T09:00")
    in_drain = add("--drain", "Prior Authorizations", "--at", "2026-01-02T09:00")
    in_fuel = add("--fuel", "Grateful Family", "--at", "2026-01-01T09:00")
    add("--title", "unrelated", "--at", "2026-01-06T09:00")

    def ids(text):
        result = run_cli("search", text, "--json")
        assert result.code == 0, result.err
        return [e["id"] for e in json.loads(result.out)]

    assert ids("night shift") == [in_title]
    assert ids("PAGER went") == [in_body]
    assert ids("residency") == [in_tag]
    assert ids("authorization") == [in_drain]
    assert ids("grateful") == [in_fuel]
    assert ids("no such words anywhere") == []
    found = json.loads(run_cli("search", "pager", "--json").out)
    assert found[0]["body"] == "The pager went OFF at 3am"


def test_search_accepts_the_filters(run_cli, add):
    """Search combines its text with --tag and dates."""
    add("--title", "call night", "--tag", "icu", "--at", "2026-01-01T09:00")
    keep = add("--title", "call night", "--tag", "ward", "--at", "2026-01-02T09:00")
    result = run_cli("search", "CALL", "--tag", "ward", "--since", "2026-01-02", "--json")
    assert result.code == 0, result.err
    assert [e["id"] for e in json.loads(result.out)] == [keep]


def test_show_by_full_id_and_by_unique_prefix(run_cli, add):
    """`show` finds an entry by its full id and by the first 8 characters that `list` prints."""
    entry_id = add("--title", "findable")
    by_id = run_cli("show", entry_id, "--json")
    by_prefix = run_cli("show", entry_id[:8], "--json")
    by_upper = run_cli("show", entry_id.upper(), "--json")
    assert by_id.code == by_prefix.code == by_upper.code == 0
    assert json.loads(by_id.out) == json.loads(by_prefix.out) == json.loads(by_upper.out)
    assert json.loads(by_id.out)["title"] == "findable"
    human = run_cli("show", entry_id[:8])
    assert human.code == 0 and "findable" in human.out and entry_id in human.out


def test_human_list_shows_short_ids_that_show_accepts(run_cli, add):
    """The human `list` names each entry by a short id that `show` accepts."""
    entry_id = add("--title", "round trip", "--energy", "3")
    result = run_cli("list")
    assert result.code == 0 and entry_id[:8] in result.out and "round trip" in result.out
    assert run_cli("show", entry_id[:8]).code == 0


def test_edit_changes_only_the_given_fields_and_bumps_the_revision(run_cli, add):
    """`edit --energy 7` changes energy, revision and updated time; everything else stays as it was."""
    entry_id = add(
        "--title", "before", "--body", "words", "--energy", "3", "--tag", "icu",
        "--drain", "pager", "--fuel", "team", "--shift", "night", "--prompt", "p/q",
        "--at", "2026-01-01T09:00",
    )  # fmt: skip
    original = json.loads(run_cli("show", entry_id, "--json").out)
    edited = run_cli("edit", entry_id[:8], "--energy", "7", "--json")
    assert edited.code == 0, edited.err
    now = json.loads(run_cli("show", entry_id, "--json").out)
    assert json.loads(edited.out) == now
    assert now["revision"] == 2 and now["energy"] == 7
    assert datetime.fromisoformat(now["updated"]) > datetime.fromisoformat(original["updated"])
    unchanged = ENTRY_KEYS - {"revision", "energy", "updated"}
    assert {k: now[k] for k in unchanged} == {k: original[k] for k in unchanged}

    again = run_cli("edit", entry_id, "--title", "after", "--tag", "ward")
    assert again.code == 0, again.err
    later = json.loads(run_cli("show", entry_id, "--json").out)
    assert later["revision"] == 3 and later["title"] == "after"
    assert later["tags"] == ["ward"]  # --tag on edit replaces the tags
    assert later["body"] == "words" and later["energy"] == 7 and later["drains"] == ["pager"]


def test_edit_body_from_stdin(run_cli, add):
    """`edit ID --body -` replaces the body with standard input."""
    entry_id = add("--title", "t", "--body", "first draft")
    result = run_cli("edit", entry_id, "--body", "-", stdin="second draft")
    assert result.code == 0, result.err
    assert json.loads(run_cli("show", entry_id, "--json").out)["body"] == "second draft"


def test_edit_clear_empties_the_named_fields(run_cli, add):
    """`--clear energy --clear tags` empties exactly those fields."""
    entry_id = add("--title", "keep", "--energy", "3", "--tag", "icu", "--shift", "day", "--prompt", "p/q")
    result = run_cli("edit", entry_id, "--clear", "energy", "--clear", "tags", "--clear", "prompt", "--json")
    assert result.code == 0, result.err
    entry = json.loads(run_cli("show", entry_id, "--json").out)
    assert entry["energy"] is None and entry["tags"] == [] and entry["prompt"] is None
    assert entry["title"] == "keep" and entry["shift"] == "day" and entry["revision"] == 2
    assert run_cli("edit", entry_id, "--clear", "mood").code == 2  # not a field


def test_edit_that_would_leave_nothing_is_refused(run_cli, add, state):
    """Clearing the last thing in an entry exits 5 and keeps the entry as it was."""
    entry_id = add("--energy", "3")
    before = state()
    result = run_cli("edit", entry_id, "--clear", "energy")
    assert result.code == 5 and "needs something" in result.err
    assert state() == before


def test_delete_with_yes_removes_the_entry(run_cli, add, listed):
    """`delete ID --yes` removes it for good: gone from list and show, the others kept."""
    gone = add("--title", "delete me")
    kept = add("--title", "keep me")
    result = run_cli("delete", gone[:8], "--yes", "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out) == {"deleted": gone}
    assert [e["id"] for e in listed()] == [kept]
    assert run_cli("show", gone).code == 5


def test_delete_without_yes_and_no_terminal_asks_for_yes(run_cli, add, listed, state):
    """Without --yes and with no terminal to ask on, delete exits 2, says how, and keeps the entry."""
    entry_id = add("--title", "still here")
    before = state()
    result = run_cli("delete", entry_id)
    assert result.code == 2 and "--yes" in result.err
    assert state() == before
    assert [e["id"] for e in listed()] == [entry_id]


def test_empty_vault_lists_an_empty_array(run_cli, cli_vault):
    """A new vault lists as [] in JSON, and as a friendly note (exit 0) for humans."""
    result = run_cli("list", "--json")
    assert result.code == 0 and json.loads(result.out) == []
    human = run_cli("list")
    assert human.code == 0 and human.out == "" and "No entries" in human.err


def test_edit_without_any_change_is_a_usage_error_and_keeps_the_revision(run_cli, add):
    """`edit ID` with nothing to change says what to do (exit 2) and does not bump the revision."""
    entry_id = add("--energy", "4")
    result = run_cli("edit", entry_id)
    assert result.code == 2 and "Say what to change" in result.err
    assert json.loads(run_cli("show", entry_id, "--json").out)["revision"] == 1
