"""Today's kept facts (prompts answered, energies, good-day candidates): reused while the entries are
unchanged, gathered again after any change made anywhere, extended cheaply after this session's own
new entries, and never synced or backed up."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from purpose_app.domain.document_merge import travels
from purpose_app.domain.entry import EntryChanges, parse_prompt_ref
from purpose_app.services import good_days, today_facts
from purpose_app.services.journal import Vault

NOW = datetime.now().astimezone()
REF = "mentors-and-peers/steady-colleague"


def _journal(vault: Vault) -> list[str]:
    """A year of entries: an answered prompt, high and low energy, fuels."""
    made = [
        vault.add(EntryChanges(energy=8, fuels=("teaching",), created=NOW - timedelta(days=364))),
        vault.add(EntryChanges(energy=2, created=NOW - timedelta(days=200))),
        vault.add(EntryChanges(body="words", prompt=parse_prompt_ref(REF), created=NOW - timedelta(days=40))),
        vault.add(EntryChanges(energy=5, fuels=("a walk",), created=NOW - timedelta(days=30))),
    ]
    return [e.id for e in made]


def _no_full_read(vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> object:
        raise AssertionError("every entry's metadata was read")

    monkeypatch.setattr(vault, "entries", refuse)


def test_facts_match_the_entries_and_are_reused_unchanged(
    unlocked: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Gathered once, kept in the vault, then read back without decrypting every entry."""
    ids = _journal(unlocked)
    first = today_facts.current(unlocked)
    assert first.answered == {REF: (NOW - timedelta(days=40)).date()}
    assert sorted(g.entry_id for g in first.good) == sorted([ids[0], ids[3]])
    assert first.energy_by_day()[(NOW - timedelta(days=200)).date()] == 2
    _no_full_read(unlocked, monkeypatch)
    again = today_facts.current(unlocked)
    assert again.answered == first.answered
    assert again.energy == first.energy
    assert [(g.entry_id, g.day, g.energy, g.fuels) for g in again.good] == [
        (g.entry_id, g.day, g.energy, g.fuels) for g in first.good
    ]


def test_any_change_to_the_entries_gathers_them_again(unlocked: Vault) -> None:
    """An edit, a deletion or an entry added without telling the facts: the next read sees it."""
    ids = _journal(unlocked)
    today_facts.current(unlocked)
    unlocked.edit(ids[0], EntryChanges(energy=3))  # no longer a good day
    assert ids[0] not in {g.entry_id for g in today_facts.current(unlocked).good}
    unlocked.delete(ids[2])
    assert today_facts.current(unlocked).answered == {}
    added = unlocked.add(EntryChanges(energy=9, created=NOW - timedelta(days=100)))
    assert added.id in {g.entry_id for g in today_facts.current(unlocked).good}


def test_new_entries_of_this_session_are_added_without_reading_everything(
    unlocked: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    """add_new extends the kept facts by just those rows; the next read trusts them as they are."""
    _journal(unlocked)
    today_facts.current(unlocked)
    new = unlocked.add(
        EntryChanges(energy=9, prompt=parse_prompt_ref("a/b"), created=NOW - timedelta(days=20))
    )
    assert today_facts.add_new(unlocked, [new.id])
    _no_full_read(unlocked, monkeypatch)
    found = today_facts.current(unlocked)
    assert found.answered["a/b"] == (NOW - timedelta(days=20)).date()
    assert new.id in {g.entry_id for g in found.good}


def test_add_new_refuses_when_something_else_changed_too(unlocked: Vault) -> None:
    """An edit elsewhere since the facts were gathered: add_new leaves them stale, to be gathered again."""
    ids = _journal(unlocked)
    today_facts.current(unlocked)
    unlocked.edit(ids[0], EntryChanges(energy=1))
    new = unlocked.add(EntryChanges(energy=9))
    assert not today_facts.add_new(unlocked, [new.id])
    assert ids[0] not in {g.entry_id for g in today_facts.current(unlocked).good}
    assert not today_facts.add_new(unlocked, [ids[1]])  # not a new row: refused too


def test_a_damaged_or_foreign_document_is_gathered_again(unlocked: Vault) -> None:
    """Whatever the kept document holds, a wrong one is replaced by facts gathered from the entries."""
    _journal(unlocked)
    kept = today_facts.current(unlocked)
    good = {**today_facts._encode(kept)}  # type: ignore[dict-item]

    def facts(recent: object) -> str:
        return json.dumps({"answered": {}, "energy": {}, "recent": recent})

    junks: list[object] = [
        {"format": 1, "rows": "x"}, [1, 2], {"format": 99}, {"format": 1, "rows": 4, "stamps": "1"},
        {**good, "facts": "not json"}, {**good, "facts": facts([[1.0, "id", ["x"]]])},
        {**good, "facts": facts("no")}, {**good, "facts": facts([["t", "i", [], []]])},
    ]  # fmt: skip
    for junk in junks:
        unlocked.put_document(today_facts.KIND, today_facts.NAME, junk)
        assert today_facts.current(unlocked).answered == {REF: (NOW - timedelta(days=40)).date()}


def _labels_of_newest(vault: Vault) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    newest = vault.entries(limit=today_facts.RECENT, with_titles=False)
    return [(e.id, tuple(e.drains), tuple(e.fuels)) for e in newest]


def _kept_labels(facts: today_facts.Facts) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    return [(r.key[1], r.drains, r.fuels) for r in facts.recent]


def test_the_newest_entries_labels_are_those_the_journal_lists_first(
    unlocked: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Today's chips come from the kept newest entries: the same entries, in the same order, as the
    journal's own newest RECENT, after a gather and after this session's entries are added (one of them
    written for an earlier day, so it does not simply go on top)."""
    monkeypatch.setattr(today_facts, "RECENT", 5)
    for day in range(8):
        unlocked.add(EntryChanges(drains=(f"d{day}",), fuels=("f",), created=NOW - timedelta(days=10 - day)))
    assert _kept_labels(today_facts.current(unlocked)) == _labels_of_newest(unlocked)
    late = unlocked.add(EntryChanges(drains=("late",), created=NOW - timedelta(hours=1)))
    early = unlocked.add(EntryChanges(drains=("backdated",), created=NOW - timedelta(days=5, hours=12)))
    old = unlocked.add(EntryChanges(drains=("too old",), created=NOW - timedelta(days=30)))
    assert today_facts.add_new(unlocked, [late.id, early.id, old.id])
    expected = _labels_of_newest(unlocked)
    assert [labels for _id, labels, _f in expected][:2] == [("late",), ("d7",)]
    assert ("backdated",) in [labels for _id, labels, _f in expected]
    _no_full_read(unlocked, monkeypatch)
    assert _kept_labels(today_facts.current(unlocked)) == expected


def test_the_facts_stay_on_this_device() -> None:
    """Kept as a device document: never sent through sync, never carried by a backup."""
    assert today_facts.KIND == "device"
    assert not travels(today_facts.KIND, today_facts.NAME)


def test_good_day_from_the_facts_matches_the_rule_on_the_entries(unlocked: Vault) -> None:
    """The card picked from the kept candidates is the one the rule picks from every entry."""
    _journal(unlocked)
    day = NOW.date()
    direct = good_days.pick(unlocked.entries(with_titles=False), day, None)
    kept = good_days.today(unlocked, NOW)
    assert direct is not None and kept == direct
    assert kept.sentence == "A year ago this week, teaching fueled you, and your energy was 8 of 10."


def test_stamp_total_is_the_count_and_exact_sum_of_the_stamps(unlocked: Vault) -> None:
    """Summed by SQLite in two halves, the total is exactly Python's sum of the 62-bit stamps, and it
    moves with an edit (a new stamp) and a deletion."""
    assert unlocked.stamp_total() == (0, 0)
    ids = _journal(unlocked)
    for _ in range(2):
        stamps = unlocked.stamps()
        assert max(stamps.values()) > 2**40  # wide enough that one SQL sum() would overflow at scale
        assert unlocked.stamp_total() == (len(stamps), sum(stamps.values()))
        before = unlocked.stamp_total()
        unlocked.edit(ids.pop(), EntryChanges(energy=4))
        assert unlocked.stamp_total() != before
    unlocked.delete(ids[0])
    assert unlocked.stamp_total()[0] == len(unlocked.stamps()) == 3


def test_one_candidate_is_found_by_id_without_parsing_the_others(unlocked: Vault) -> None:
    """good_one finds the first, a middle and the last kept candidate (and no other id, nor a prefix of
    one) exactly as the full list has them, leaving the full list unparsed."""
    for day in range(5):
        unlocked.add(EntryChanges(energy=8, fuels=(f"f{day}",), created=NOW - timedelta(days=30 + day)))
    today_facts.current(unlocked)
    kept = today_facts.current(unlocked)  # read back from the document: candidates still a string
    ids = [g.entry_id for g in today_facts.current(unlocked).good]
    for wanted in ids:
        fresh = today_facts.current(unlocked)
        one = fresh.good_one(wanted)
        assert "good" not in fresh.__dict__  # not parsed whole
        full = next(g for g in fresh.good if g.entry_id == wanted)
        assert one is not None and (one.entry_id, one.day, one.energy, one.fuels) == (
            full.entry_id, full.day, full.energy, full.fuels,
        )  # fmt: skip
    assert kept.good_one("no-such-entry") is None
    assert kept.good_one(ids[2][:8]) is None
    assert "good" not in kept.__dict__


def test_the_good_day_shown_today_comes_back_the_same(unlocked: Vault) -> None:
    """A second unlock on the same day shows the same card (found by id), and none once it is gone."""
    _journal(unlocked)
    first = good_days.today(unlocked, NOW)
    assert first is not None
    assert good_days.today(unlocked, NOW) == first
    unlocked.delete(first.entry_id)
    assert good_days.today(unlocked, NOW) is None
