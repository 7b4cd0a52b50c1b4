"""Programme progress, derived from the entries that answer the programme's prompts.

Progress is never stored as a counter, so it cannot drift from what was written. A programme counts
days, not entries, and how depends on its pace (packs.model.PACES):

- "daily" (Three Good Things): one step a day, in order. Step N is done by the first answer to it on
  a day after step N-1's day; three entries in one evening are one day.
- "sitting" (the gratitude letter): every step in order, in one go; the next step is offered as soon
  as one is written. A step is never offered before the one it follows.
- "evening" (the three questions): every step, each day; an evening counts once all are written.

A missed day changes nothing; the programme waits.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from purpose_app.packs.model import Pack, Prompt


@dataclass(frozen=True, slots=True)
class Progress:
    pack: Pack
    status: str  # "not started", "running", "paused", "finished"
    days_done: int  # days for "daily", steps for "sitting", full evenings for "evening"
    total_days: int  # steps in the programme; 0 for "evening", which has no end
    today: Prompt | None  # the prompt to offer now, if any
    done_today: bool

    @property
    def label(self) -> str:
        """Where the offered step sits, for a heading: "day 3 of 15", "step 2 of 6", "question 1 of 3"."""
        if self.pack.pace == "evening":
            step = self.pack.prompts.index(self.today) + 1 if self.today in self.pack.prompts else 1
            return f"question {step} of {len(self.pack.prompts)} tonight"
        unit = "step" if self.pack.pace == "sitting" else "day"
        return f"{unit} {self.days_done + 1} of {self.total_days}"

    @property
    def summary(self) -> str:
        """How far along, in a sentence: "4 of 15 days done.", "2 of 6 steps done.", "5 evenings written."""
        if self.pack.pace == "evening":
            evenings = "evening" if self.days_done == 1 else "evenings"
            return f"{self.days_done} {evenings} written in full."
        unit = "steps" if self.pack.pace == "sitting" else "days"
        return f"{self.days_done} of {self.total_days} {unit} done."


def progress(
    pack: Pack, state: Mapping[str, str] | None, answers: Iterable[tuple[date, str]], today: date
) -> Progress:
    """state: {"status": "running"|"paused", "started": ISO date} or None; answers: (day, prompt id)
    for entries answering this pack's prompts."""
    total = len(pack.prompts)
    if not state:
        return Progress(pack, "not started", 0, 0 if pack.pace == "evening" else total, None, False)
    started = date.fromisoformat(state["started"])
    order = [p.id for p in pack.prompts]
    by_day: dict[date, set[str]] = defaultdict(set)  # which steps were written on each day
    for day, prompt_id in answers:
        if day >= started and prompt_id in order:
            by_day[day].add(prompt_id)
    paused = state.get("status") == "paused"
    if pack.pace == "evening":
        return _evening(pack, by_day, today, paused)
    days_done = 0
    last_day: date | None = None
    for day in sorted(by_day):
        # Only the next prompt in order advances the programme, never one written out of turn; a
        # daily programme advances at most one step a day, a sitting as far as that day's answers go.
        while days_done < total and order[days_done] in by_day[day]:
            days_done += 1
            last_day = day
            if pack.pace == "daily":
                break
    done_today = last_day == today
    if days_done >= total:
        return Progress(pack, "finished", total, total, None, done_today)
    if paused:
        return Progress(pack, "paused", days_done, total, None, done_today)
    waits = pack.pace == "daily" and done_today  # a sitting goes straight on to its next step
    offer = None if waits else pack.prompts[days_done]
    return Progress(pack, "running", days_done, total, offer, done_today)


def _evening(pack: Pack, by_day: Mapping[date, set[str]], today: date, paused: bool) -> Progress:
    """Every step each day, offered in order; an evening counts once every step was written on it."""
    every = {p.id for p in pack.prompts}
    evenings = sum(1 for ids in by_day.values() if ids >= every)
    written = by_day.get(today, set())
    done_today = written >= every
    if paused:
        return Progress(pack, "paused", evenings, 0, None, done_today)
    offer = next((p for p in pack.prompts if p.id not in written), None)
    return Progress(pack, "running", evenings, 0, offer, done_today)
