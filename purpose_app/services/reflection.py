"""Reflection on top of the library: today's prompt (stable, explainable), programmes, "my why".

Day boundaries are the person's local days. Entries are read as metadata only (energy, prompt
answered, date), so none of this decrypts a single entry body.
"""

from __future__ import annotations

import os
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from purpose_app.errors import InvalidInput
from purpose_app.packs import daily, programme
from purpose_app.packs.model import Prompt
from purpose_app.services.library import Library

STATE = "prompt-state"  # "history" -> {"YYYY-MM-DD": [{"ref", "why"}]}; "seed" -> hex
PROGRAMME = "programme"  # name: pack id -> {"status", "started"}
WHY = "why"  # "statement" -> [{"text", "written"}], oldest first
HISTORY_DAYS = 60
MAX_WHY = 2000


@dataclass(frozen=True)
class Offer:
    prompt: Prompt
    why: str
    low_energy_days: int
    my_why: str | None  # shown back gently when energy has been low


class Reflection:
    def __init__(self, library: Library) -> None:
        self.library = library
        self.vault = library.vault

    # -- what the entries say

    def _energy_by_day(self) -> dict[date, float]:
        totals: dict[date, list[int]] = defaultdict(list)
        for entry in self.vault.entries(with_titles=False):
            if entry.energy is not None:
                totals[entry.created.date()].append(entry.energy)
        return {day: sum(values) / len(values) for day, values in totals.items()}

    def _answered(self) -> dict[str, date]:
        answered: dict[str, date] = {}
        for entry in self.vault.entries(with_titles=False):
            if entry.prompt is not None:
                ref, day = str(entry.prompt), entry.created.date()
                answered[ref] = max(day, answered.get(ref, day))
        return answered

    def _seed(self) -> bytes:
        seed = self.vault.document(STATE, "seed")
        if seed is None:
            seed = os.urandom(16).hex()  # per vault: two people never share a sequence of prompts
            self.vault.put_document(STATE, "seed", seed)
        return bytes.fromhex(seed)

    # -- the daily prompt

    def today(self, now: datetime) -> Offer | None:
        """Today's prompt: the one already offered today if it is still available, else a new pick."""
        day = now.astimezone().date()
        history = self._history()
        offered = history.get(day.isoformat(), [])
        if offered:
            last = offered[-1]
            prompt = self._available(last["ref"])
            if prompt is not None:
                return self._offer(prompt, last["why"], day)
        return self._pick(day, history, exclude=[])

    def another(self, now: datetime) -> Offer | None:
        """A different prompt for today; cycles through the available ones without repeating today's."""
        day = now.astimezone().date()
        history = self._history()
        offered = [item["ref"] for item in history.get(day.isoformat(), [])]
        this_round: list[str] = []
        for ref in offered:  # a repeat marks where a new round began, after everything had been seen
            this_round = [ref] if ref in this_round else [*this_round, ref]
        offer = self._pick(day, history, exclude=this_round)
        if offer is None and offered:
            offer = self._pick(day, history, exclude=offered[-1:])  # everything seen today: start over
        return offer

    def _available(self, ref: str) -> Prompt | None:
        return next((p for p in self.library.enabled_prompts() if p.ref == ref), None)

    def _history(self) -> dict[str, list[dict[str, str]]]:
        return dict(self.vault.document(STATE, "history", {}))

    def _pick(self, day: date, history: dict[str, list[dict[str, str]]], exclude: list[str]) -> Offer | None:
        shown = {date.fromisoformat(d): [i["ref"] for i in items] for d, items in history.items()}
        pick = daily.choose(
            self.library.enabled_prompts(),
            today=day,
            seed=self._seed(),
            shown=shown,
            answered=self._answered(),
            favourites=self.library.favourites(),
            energy_by_day=self._energy_by_day(),
            pack_names={info.pack.id: info.pack.name for info in self.library.packs()},
            exclude=exclude,
        )
        if pick is None:
            return None
        cutoff = (day - timedelta(days=HISTORY_DAYS)).isoformat()
        kept = {d: items for d, items in history.items() if d > cutoff}
        kept[day.isoformat()] = [*kept.get(day.isoformat(), []), {"ref": pick.prompt.ref, "why": pick.why}]
        self.vault.put_document(STATE, "history", kept)
        return self._offer(pick.prompt, pick.why, day, pick.low_energy_days)

    def _offer(self, prompt: Prompt, why: str, day: date, run: int | None = None) -> Offer:
        if run is None:
            run = daily.low_energy_run(self._energy_by_day(), day)
        my_why = self.my_why() if run >= daily.LOW_STREAK else None
        return Offer(prompt, why, run, my_why)

    # -- programmes

    def programme_status(self, pack_id: str, now: datetime) -> programme.Progress:
        info = self.library.pack(pack_id)
        if not info.pack.programme:
            raise InvalidInput(f'"{pack_id}" is a pack of prompts, not a programme.')
        answers = [
            (e.created.date(), e.prompt.prompt)
            for e in self.vault.entries(with_titles=False)
            if e.prompt is not None and e.prompt.pack == pack_id
        ]
        state = self.vault.document(PROGRAMME, pack_id)
        return programme.progress(info.pack, state, answers, now.astimezone().date())

    def start_programme(self, pack_id: str, now: datetime) -> programme.Progress:
        """Start, or resume after a pause (progress is kept). A finished one starts over."""
        current = self.programme_status(pack_id, now)
        state: dict[str, Any] = self.vault.document(PROGRAMME, pack_id) or {}
        if current.status in ("not started", "finished"):
            state = {"started": now.astimezone().date().isoformat()}
        state["status"] = "running"
        self.vault.put_document(PROGRAMME, pack_id, state)
        return self.programme_status(pack_id, now)

    def pause_programme(self, pack_id: str, now: datetime) -> programme.Progress:
        current = self.programme_status(pack_id, now)
        if current.status != "running":
            raise InvalidInput(
                f'The programme "{pack_id}" is {current.status}, so there is nothing to pause.'
            )
        state = self.vault.document(PROGRAMME, pack_id)
        self.vault.put_document(PROGRAMME, pack_id, {**state, "status": "paused"})
        return self.programme_status(pack_id, now)

    def running_programmes(self, now: datetime) -> list[programme.Progress]:
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
        versions = self.why_history()
        versions.append({"text": text, "written": now.astimezone().isoformat()})
        self.vault.put_document(WHY, "statement", versions)

    def my_why(self) -> str | None:
        versions = self.why_history()
        return versions[-1]["text"] if versions else None

    def why_history(self) -> list[dict[str, str]]:
        return list(self.vault.document(WHY, "statement", []))
