"""What Today reads from the whole journal, kept between unlocks so an unlock need not decrypt it all.

The prompts answered (and when), each day's energies, the entries that may come back as a good day and
the drains and fuels of the newest entries (Today's chips) are gathered once from every entry's
metadata (half a second and more at 50,000 entries) and kept sealed in a device-only vault document:
never synced, never in a backup. They are trusted only while the entries table is exactly as it was
when they were gathered: every write of a row draws it a new random stamp (in the clear, nothing
decrypted), so the number of rows and the sum of their stamps change with any entry added, changed or
deleted, here or by another device's sync.
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Iterable
from datetime import date
from functools import cached_property

from sqlalchemy.exc import DBAPIError

from purpose_app.domain.entry import Entry
from purpose_app.domain.json_value import JsonValue
from purpose_app.packs.daily import LOW_ENERGY
from purpose_app.services.journal import Vault
from purpose_app.services.journal_cache import order_key

KIND, NAME = "device", "today-facts"  # ("device", ...): this device's own (see document_merge.RULES)
FORMAT = 2  # 2: the newest entries' drains and fuels
HIGH_ENERGY = 7  # an entry at or above this is a good day to recall
RECENT = 400  # Today suggests as chips the drains and fuels most used in this many newest entries
# Separators that never occur inside a field: ids are UUIDs, numbers are digits and fuels are JSON
# text, which escapes every control character.
_RECORD, _FIELD = "\x1e", "\x1f"

Fingerprint = tuple[int, int]  # (rows, sum of their stamps)


class Recent:
    """One of the newest entries, as Today's chips need it: where it sorts, its drains and fuels."""

    __slots__ = ("drains", "fuels", "key")

    def __init__(self, key: tuple[float, str], drains: tuple[str, ...], fuels: tuple[str, ...]) -> None:
        self.key, self.drains, self.fuels = key, drains, fuels

    @classmethod
    def of(cls, entry: Entry) -> Recent:
        return cls(order_key(entry), tuple(entry.drains), tuple(entry.fuels))


def newest(records: Iterable[Recent]) -> list[Recent]:
    """The RECENT newest, newest first (as the journal lists them)."""
    return heapq.nlargest(RECENT, records, key=lambda r: r.key)


class Good:
    """An entry that may be recalled as a good day: high energy or a named fuel, and not a low entry."""

    __slots__ = ("day", "energy", "entry_id", "fuels_json")

    def __init__(self, entry_id: str, day: date, energy: int | None, fuels_json: str) -> None:
        self.entry_id, self.day, self.energy = entry_id, day, energy
        self.fuels_json = fuels_json  # parsed only for the one shown: tens of thousands are kept

    @property
    def fuels(self) -> tuple[str, ...]:
        return tuple(str(f) for f in json.loads(self.fuels_json))


def candidate(entry: Entry) -> Good | None:
    if entry.energy is not None and entry.energy <= LOW_ENERGY:
        return None
    if (entry.energy is not None and entry.energy >= HIGH_ENERGY) or entry.fuels:
        return Good(entry.id, entry.created.date(), entry.energy, json.dumps(list(entry.fuels)))
    return None


class Facts:
    """The facts of one state of the entries table. The good-day candidates are parsed on first use:
    the daily prompt needs only the answered prompts and the energies."""

    def __init__(
        self,
        fingerprint: Fingerprint,
        answered: dict[str, date],
        energy: dict[date, tuple[int, int]],
        good: list[Good] | str,
        recent: list[Recent],
    ) -> None:
        self.fingerprint = fingerprint
        self.answered = answered  # prompt ref -> the last day it was answered
        self.energy = energy  # day -> (sum, count) of the energies given that day
        self._good = good
        self.recent = recent  # the newest entries' drains and fuels, newest first

    def energy_by_day(self) -> dict[date, float]:
        return {day: total / count for day, (total, count) in self.energy.items()}

    @cached_property
    def good(self) -> list[Good]:
        if not isinstance(self._good, str):
            return self._good
        return [_good(record) for record in self._good.split(_RECORD)] if self._good else []

    def good_one(self, entry_id: str) -> Good | None:
        """One candidate by its entry's id: the good day already shown today, found without parsing
        the tens of thousands of others (each later unlock that day)."""
        if not isinstance(self._good, str) or "good" in self.__dict__:
            return next((g for g in self.good if g.entry_id == entry_id), None)
        wanted = entry_id + _FIELD
        at = 0 if self._good.startswith(wanted) else self._good.find(_RECORD + wanted) + 1
        if at == 0 and not self._good.startswith(wanted):
            return None
        end = self._good.find(_RECORD, at)
        return _good(self._good[at : end if end >= 0 else len(self._good)])


def _good(record: str) -> Good:
    entry_id, ordinal, energy, fuels = record.split(_FIELD)
    return Good(entry_id, date.fromordinal(int(ordinal)), int(energy) if energy else None, fuels)


def gather(entries: Iterable[Entry], fingerprint: Fingerprint, base: Facts | None = None) -> Facts:
    """The facts of these entries (added to `base`'s, when given)."""
    answered = dict(base.answered) if base else {}
    energy = dict(base.energy) if base else {}
    good = list(base.good) if base else []
    recent = list(base.recent) if base else []
    for entry in entries:
        recent.append(Recent.of(entry))
        day = entry.created.date()
        if entry.prompt is not None:
            ref = str(entry.prompt)
            answered[ref] = max(day, answered.get(ref, day))
        if entry.energy is not None:
            total, count = energy.get(day, (0, 0))
            energy[day] = (total + entry.energy, count + 1)
        found = candidate(entry)
        if found is not None:
            good.append(found)
    return Facts(fingerprint, answered, energy, good, newest(recent))


def _fingerprint(stamps: dict[str, int]) -> Fingerprint:
    return len(stamps), sum(stamps.values())


def _encode(facts: Facts) -> JsonValue:
    rows, total = facts.fingerprint
    good = _RECORD.join(
        _FIELD.join((g.entry_id, str(g.day.toordinal()), "" if g.energy is None else str(g.energy),
                     g.fuels_json))
        for g in facts.good
    )  # fmt: skip
    facts_json = json.dumps(
        {
            "answered": {ref: day.isoformat() for ref, day in facts.answered.items()},
            "energy": {str(day.toordinal()): [t, c] for day, (t, c) in facts.energy.items()},
            "recent": [[r.key[0], r.key[1], list(r.drains), list(r.fuels)] for r in facts.recent],
        },
        separators=(",", ":"),
    )
    # Strings, not nested JSON: the vault hands out a deep copy of a document on every read, and a
    # copy of thousands of small dicts and lists took longer than everything else Today reads.
    return {
        "format": FORMAT,
        "rows": rows,
        "stamps": str(total),  # a sum of 62-bit stamps: wider than some JSON readers' integers
        "facts": facts_json,
        "good": good,
    }


def _decode(value: JsonValue) -> Facts | None:
    """The kept facts, or None for anything unexpected (they are gathered again: nothing is lost)."""
    if not isinstance(value, dict) or value.get("format") != FORMAT:
        return None
    try:
        rows, total, facts_json, good = value["rows"], value["stamps"], value["facts"], value["good"]
        if not (isinstance(rows, int) and isinstance(total, str) and isinstance(facts_json, str)):
            return None
        facts = json.loads(facts_json)
        answered, energy, recent = facts["answered"], facts["energy"], facts["recent"]
        if not (isinstance(answered, dict) and isinstance(energy, dict) and isinstance(good, str)):
            return None
        if not isinstance(recent, list):
            return None
        days = {ref: date.fromisoformat(str(day)) for ref, day in answered.items()}
        sums: dict[date, tuple[int, int]] = {}
        for ordinal, pair in energy.items():
            if not (isinstance(pair, list) and len(pair) == 2):
                return None
            sums[date.fromordinal(int(ordinal))] = (int(str(pair[0])), int(str(pair[1])))
        return Facts((rows, int(total)), days, sums, good, [_recent(item) for item in recent])
    except (KeyError, ValueError, TypeError):
        return None


def _recent(item: JsonValue) -> Recent:
    """One kept record of the newest entries; TypeError or ValueError for anything unexpected."""
    if not isinstance(item, list) or len(item) != 4:
        raise ValueError(item)
    when, entry_id, drains, fuels = item
    if not (isinstance(when, int | float) and isinstance(entry_id, str)):
        raise ValueError(item)
    if not (isinstance(drains, list) and isinstance(fuels, list)):
        raise ValueError(item)
    return Recent((float(when), entry_id), tuple(map(str, drains)), tuple(map(str, fuels)))


def current(vault: Vault) -> Facts:
    """The facts of the journal as it is now: the kept ones if the entries table has not changed since
    they were gathered, else gathered afresh (every entry's metadata) and kept."""
    fingerprint = vault.stamp_total()  # before reading: what is read is at least this new
    kept = _decode(vault.document(KIND, NAME))
    if kept is not None and kept.fingerprint == fingerprint:
        return kept
    made = gather(vault.entries(with_titles=False), fingerprint)
    vault.put_document(KIND, NAME, _encode(made))
    return made


def add_new(vault: Vault, entry_ids: list[str]) -> bool:
    """After entries this session created: the kept facts with just those added, if the table is now
    exactly what they were gathered from plus these rows (else they are gathered again on next use).
    Cheap (a few rows decrypted), so the next unlock finds them current. True if they were kept."""
    try:
        return _add_new(vault, list(dict.fromkeys(entry_ids)))
    except DBAPIError:  # busy or read-only: the facts are gathered again on next use, nothing is lost
        return False


def _add_new(vault: Vault, wanted: list[str]) -> bool:
    kept = _decode(vault.document(KIND, NAME))
    if kept is None or not wanted:
        return False
    before = vault.stamps()
    rows = vault.whole(wanted)
    if vault.stamps() != before or len(rows) != len(wanted):
        return False  # written meanwhile, or one of them is gone or damaged
    count, total = kept.fingerprint
    if _fingerprint(before) != (count + len(rows), total + sum(before[e.id] for e in rows)):
        return False  # something else changed too: these facts no longer describe the journal
    vault.put_document(KIND, NAME, _encode(gather(rows, _fingerprint(before), kept)))
    return True
