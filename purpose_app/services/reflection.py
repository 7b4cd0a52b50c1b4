"""The daily prompt in one place: what the Today screen offers, why, and what it remembers.

The use case, step by step (`today`, `another`, `running_programmes`):

1. The pool: every prompt of the packs that are on (`Library.enabled_prompts`: built-in, imported and
   the person's own). Programme packs are left out: a running programme offers its own day's prompt
   beside the daily one (`running_programmes`, progress derived by packs.programme).
2. What was served: the prompts offered on each of the last HISTORY_DAYS days, and a random seed
   per vault (document kind STATE). A day's offer is remembered, so it stays the same all day,
   through lock and unlock; "another one" goes round the pool without repeating today's.
3. What the entries say, read as metadata only (no entry body is decrypted): the last day each
   prompt was answered, and the mean energy of each day (today_facts: kept between unlocks, so an
   unlock does not decrypt every entry's metadata again).
4. The rule: packs.daily.choose, pure and deterministic (no repeat within 30 days, answered ones
   rarely, favourites more often).
5. Low-energy days: after daily.LOW_STREAK low days in a row the pick is a light prompt leaning
   towards renewing themes, says so, and shows the person's "my why" back to them.

Day boundaries are the person's local days. Programmes (start, pause, status) and "my why" (set,
history) are kept here too, since the daily offer reads both.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from purpose_app.domain.json_value import JsonObject, JsonValue
from purpose_app.errors import InvalidInput
from purpose_app.packs import daily, programme
from purpose_app.packs.model import Prompt
from purpose_app.services import today_facts
from purpose_app.services.library import Library

STATE = "prompt-state"  # "history" -> {"YYYY-MM-DD": [{"ref", "why"}]}; "seed" -> hex
PROGRAMME = "programme"  # name: pack id -> {"status", "started", and "since" after a restart}
WHY = "why"  # "statement" -> [{"text", "written"}], oldest first
HISTORY_DAYS = 60
MAX_WHY = 2000


@dataclass(frozen=True)
class Offer:
    """Today's prompt as offered: the prompt, the sentence saying why, and the low-energy context."""

    prompt: Prompt
    why: str
    low_energy_days: int
    my_why: str | None  # shown back gently when energy has been low


@dataclass(frozen=True, slots=True)
class _Served:
    """One offer as remembered in the history: which prompt, and the sentence said with it."""

    ref: str
    why: str


_History = dict[str, list[_Served]]  # ISO day -> what was offered that day, in order


def _strings(value: JsonValue) -> dict[str, str]:
    """The text fields of a stored object (anything else reads as empty)."""
    if not isinstance(value, dict):
        return {}
    return {key: item for key, item in value.items() if isinstance(item, str)}


def _served(value: JsonValue) -> list[_Served]:
    items = value if isinstance(value, list) else []
    return [_Served(fields["ref"], fields["why"]) for fields in map(_strings, items)]


def _history_document(history: _History) -> JsonObject:
    return {day: [{"ref": s.ref, "why": s.why} for s in items] for day, items in history.items()}


class Reflection:
    """The daily prompt, programmes and "my why" of one vault, read through its library."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.vault = library.vault

    # -- what the entries say (metadata only)

    def _energy_by_day(self) -> dict[date, float]:
        return today_facts.current(self.vault).energy_by_day()

    # -- what was served

    def _seed(self) -> bytes:
        seed: JsonValue = self.vault.document(STATE, "seed")
        if not isinstance(seed, str):
            seed = os.urandom(16).hex()  # per vault: two people never share a sequence of prompts
            self.vault.put_document(STATE, "seed", seed)
        return bytes.fromhex(seed)

    def _history(self) -> _History:
        stored: JsonValue = self.vault.document(STATE, "history", {})
        days = stored if isinstance(stored, dict) else {}
        return {day: _served(items) for day, items in days.items()}

    # -- the daily prompt

    def today(self, now: datetime) -> Offer | None:
        """Today's prompt: the one already offered today if it is still available, else a new pick."""
        day = now.astimezone().date()
        history = self._history()
        offered = history.get(day.isoformat(), [])
        if offered:
            last = offered[-1]
            prompt = self._available(last.ref)
            if prompt is not None:
                return self._offer(prompt, last.why, day)
        return self._pick(day, history, exclude=[])

    def another(self, now: datetime) -> Offer | None:
        """A different prompt for today; cycles through the available ones without repeating today's."""
        day = now.astimezone().date()
        history = self._history()
        offered = [served.ref for served in history.get(day.isoformat(), [])]
        this_round: list[str] = []
        for ref in offered:  # a repeat marks where a new round began, after everything had been seen
            this_round = [ref] if ref in this_round else [*this_round, ref]
        offer = self._pick(day, history, exclude=this_round)
        if offer is None and offered:
            offer = self._pick(day, history, exclude=offered[-1:])  # everything seen today: start over
        return offer

    def _pool(self) -> list[Prompt]:
        return self.library.enabled_prompts(programmes=False)

    def _available(self, ref: str) -> Prompt | None:
        return next((p for p in self._pool() if p.ref == ref), None)

    def _pick(self, day: date, history: _History, exclude: list[str]) -> Offer | None:
        shown = {date.fromisoformat(d): [served.ref for served in items] for d, items in history.items()}
        facts = today_facts.current(self.vault)  # once: both below come from it
        pick = daily.choose(
            self._pool(),
            today=day,
            seed=self._seed(),
            shown=shown,
            answered=facts.answered,
            favourites=self.library.favourites(),
            energy_by_day=facts.energy_by_day(),
            pack_names={info.pack.id: info.pack.name for info in self.library.packs()},
            exclude=exclude,
        )
        if pick is None:
            return None
        cutoff = (day - timedelta(days=HISTORY_DAYS)).isoformat()
        kept = {d: items for d, items in history.items() if d > cutoff}
        kept[day.isoformat()] = [*kept.get(day.isoformat(), []), _Served(pick.prompt.ref, pick.why)]
        self.vault.put_document(STATE, "history", _history_document(kept))
        return self._offer(pick.prompt, pick.why, day, pick.low_energy_days)

    def _offer(self, prompt: Prompt, why: str, day: date, run: int | None = None) -> Offer:
        if run is None:
            run = daily.low_energy_run(self._energy_by_day(), day)
        my_why = self.my_why() if run >= daily.LOW_STREAK else None
        return Offer(prompt, why, run, my_why)

    # -- programmes

    def _programme_state(self, pack_id: str) -> dict[str, str] | None:
        stored: JsonValue = self.vault.document(PROGRAMME, pack_id)
        return None if stored is None else _strings(stored)

    def programme_status(self, pack_id: str, now: datetime) -> programme.Progress:
        info = self.library.pack(pack_id)
        if not info.pack.programme:
            raise InvalidInput(f'"{pack_id}" is a pack of prompts, not a program.')
        state = self._programme_state(pack_id)
        # Started over after finishing: only what was written since that moment counts, so a
        # gratitude letter finished this morning does not finish the new one begun this evening.
        since = datetime.fromisoformat(state["since"]) if state and "since" in state else None
        answers = [
            (e.created.date(), e.prompt.prompt)
            for e in self.vault.entries(with_titles=False)
            if e.prompt is not None and e.prompt.pack == pack_id and (since is None or e.created >= since)
        ]
        return programme.progress(info.pack, state, answers, now.astimezone().date())

    def start_programme(self, pack_id: str, now: datetime) -> programme.Progress:
        """Start, or resume after a pause (progress is kept). A finished one starts over."""
        current = self.programme_status(pack_id, now)
        state: JsonObject = {**(self._programme_state(pack_id) or {})}
        if current.status in ("not started", "finished"):
            state = {"started": now.astimezone().date().isoformat()}
        if current.status == "finished":
            state["since"] = now.astimezone().isoformat()
        state["status"] = "running"
        self.vault.put_document(PROGRAMME, pack_id, state)
        return self.programme_status(pack_id, now)

    def pause_programme(self, pack_id: str, now: datetime) -> programme.Progress:
        current = self.programme_status(pack_id, now)
        if current.status != "running":
            raise InvalidInput(f'The program "{pack_id}" is {current.status}, so there is nothing to pause.')
        state: JsonObject = {**(self._programme_state(pack_id) or {}), "status": "paused"}
        self.vault.put_document(PROGRAMME, pack_id, state)
        return self.programme_status(pack_id, now)

    def running_programmes(self, now: datetime) -> list[programme.Progress]:
        """The programmes to show on Today beside the daily prompt, each with its own day's prompt."""
        return [
            p
            for pack_id in self.vault.documents(PROGRAMME)
            if (p := self.programme_status(pack_id, now)).status == "running"
        ]

    # -- my why

    def set_why(self, text: str, now: datetime) -> None:
        text = unicodedata.normalize("NFC", text).strip()
        if not text:
            raise InvalidInput("Your why is empty. A sentence or two is plenty.")
        if len(text) > MAX_WHY:
            raise InvalidInput(f"Your why is {len(text):,} characters; keep it under {MAX_WHY:,}.")
        with self.vault.exclusive():  # read and written as one step: a sync may run meanwhile
            versions: list[JsonValue] = [{**version} for version in self.why_history()]
            versions.append({"text": text, "written": now.astimezone().isoformat()})
            self.vault.put_document(WHY, "statement", versions)

    def my_why(self) -> str | None:
        versions = self.why_history()
        return versions[-1]["text"] if versions else None

    def why_history(self) -> list[dict[str, str]]:
        """Every version of "my why", oldest first: {"text", "written"}."""
        stored: JsonValue = self.vault.document(WHY, "statement", [])
        return [_strings(version) for version in stored] if isinstance(stored, list) else []
