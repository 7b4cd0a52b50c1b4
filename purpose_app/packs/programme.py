"""Programme progress, derived from the entries that answer the programme's prompts.

Progress is never stored as a counter, so it cannot drift from what was written: day N is the N-th
distinct programme prompt answered since the start. A missed day changes nothing; the programme waits.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from purpose_app.packs.model import Pack, Prompt


@dataclass(frozen=True, slots=True)
class Progress:
    pack: Pack
    status: str  # "not started", "running", "paused", "finished"
    days_done: int
    total_days: int
    today: Prompt | None  # the prompt to offer today, if any
    done_today: bool


def progress(
    pack: Pack, state: Mapping[str, str] | None, answers: Iterable[tuple[date, str]], today: date
) -> Progress:
    """state: {"status": "running"|"paused", "started": ISO date} or None; answers: (day, prompt id)
    for entries answering this pack's prompts."""
    total = len(pack.prompts)
    if not state:
        return Progress(pack, "not started", 0, total, None, False)
    started = date.fromisoformat(state["started"])
    order = [p.id for p in pack.prompts]
    done: list[str] = []
    last_day: date | None = None
    for day, prompt_id in sorted(answers):
        if day < started or prompt_id in done or prompt_id not in order:
            continue
        # Only the next prompt in order advances the programme; answering a later one early counts
        # when its turn comes, never out of order.
        if order.index(prompt_id) == len(done):
            done.append(prompt_id)
            last_day = day
    days_done = len(done)
    if days_done >= total:
        return Progress(pack, "finished", total, total, None, last_day == today)
    done_today = last_day == today
    if state.get("status") == "paused":
        return Progress(pack, "paused", days_done, total, None, done_today)
    offer = None if done_today else pack.prompts[days_done]
    return Progress(pack, "running", days_done, total, offer, done_today)
