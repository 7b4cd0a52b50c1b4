"""Choosing the day's prompt: stable for the day, no early repeats, gentler when energy runs low.

Pure: the caller passes what has been shown and answered, the recent energy and a per-vault seed;
the same inputs always give the same pick, which is what makes "today's prompt" stable and testable.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from purpose_app.packs.model import PERSONAL_PACK_ID, RENEWING_THEMES, Prompt

NO_REPEAT_DAYS = 30
LOW_ENERGY = 4  # a day whose mean energy is at or below this counts as low (scale 0-10)
LOW_STREAK = 3  # this many low days in a row turns on the gentler choice
_ANSWERED_WEIGHT = 0.05  # answered prompts come back, but rarely
_FAVOURITE_WEIGHT = 3.0
_RENEWING_WEIGHT = 4.0
_NUMBERS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine"}


@dataclass(frozen=True, slots=True)
class Pick:
    prompt: Prompt
    why: str
    low_energy_days: int = 0


def low_energy_run(energy_by_day: Mapping[date, float], today: date) -> int:
    """Consecutive low days ending today or yesterday (a day with no check-in ends the run)."""
    day = today if today in energy_by_day else today - timedelta(days=1)
    run = 0
    while day in energy_by_day and energy_by_day[day] <= LOW_ENERGY:
        run += 1
        day -= timedelta(days=1)
    return run


def _rng(seed: bytes, today: date, attempt: int) -> random.Random:
    digest = hashlib.sha256(seed + today.isoformat().encode() + b"/%d" % attempt).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))  # noqa: S311 - a choice of prompt, not a secret


def choose(
    prompts: Sequence[Prompt],
    *,
    today: date,
    seed: bytes,
    shown: Mapping[date, Sequence[str]],
    answered: Mapping[str, date],
    favourites: Iterable[str] = (),
    energy_by_day: Mapping[date, float] | None = None,
    pack_names: Mapping[str, str] | None = None,
    exclude: Iterable[str] = (),
) -> Pick | None:
    """The prompt to offer today, with a sentence saying why; None when there is nothing to offer.

    shown: refs offered on each day; answered: ref -> the last day it was answered;
    exclude: refs already offered today (for "another one")."""
    excluded = set(exclude)
    available = [p for p in prompts if p.ref not in excluded]
    if not available:
        return None
    since = today - timedelta(days=NO_REPEAT_DAYS)
    recent = {ref for day, refs in shown.items() if since < day <= today for ref in refs}
    recent |= {ref for ref, day in answered.items() if day > since}
    fresh = [p for p in available if p.ref not in recent]
    pool = fresh or available  # everything seen lately: repeats are better than nothing

    run = low_energy_run(energy_by_day or {}, today)
    low = run >= LOW_STREAK
    if low:
        light = [p for p in pool if p.weight == "light"]
        pool = light or pool
    favourite_refs = set(favourites)

    def weight(prompt: Prompt) -> float:
        value = _ANSWERED_WEIGHT if prompt.ref in answered else 1.0
        if prompt.ref in favourite_refs:
            value *= _FAVOURITE_WEIGHT
        if low and prompt.theme in RENEWING_THEMES:
            value *= _RENEWING_WEIGHT
        return value

    rng = _rng(seed, today, len(excluded))
    chosen = rng.choices(pool, weights=[weight(p) for p in pool], k=1)[0]
    return Pick(
        chosen, _why(chosen, run, low, chosen.ref in answered, chosen.ref in favourite_refs, pack_names), run
    )


def _why(
    prompt: Prompt,
    run: int,
    low: bool,
    answered: bool,
    favourite: bool,
    pack_names: Mapping[str, str] | None,
) -> str:
    if low:
        days = _NUMBERS.get(run, str(run))
        return f"You've logged low energy {days} days running, so here is a lighter one."
    if favourite:
        return "One of your favorites."
    if answered:
        return "One you answered a while ago: your answer may have changed since."
    if prompt.pack == PERSONAL_PACK_ID:
        return "One of the prompts you wrote yourself."
    name = (pack_names or {}).get(prompt.pack, prompt.pack)
    return f"A new one from {name}."
