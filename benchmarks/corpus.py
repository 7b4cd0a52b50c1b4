"""Deterministic journals for the benchmarks: the same seed and size always give the same entries.

Each entry reads like a physician's reflection (500-1,500 characters of varied English), is dated
across several years up to a fixed END, and carries tags, an energy level, drains, fuels and a shift
in the proportions a real journal would. One word (SEARCH_WORD) appears in about 1% of entries and one
tag (TAG) in about 8%, so search and tag filter return a realistic handful, not everything.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

SEED = 20261124
END = datetime(2026, 6, 30, 22, 0, tzinfo=timezone(timedelta(hours=-5)))
YEARS = 6
SEARCH_WORD = "lighthouse"
TAG = "mentor"

TITLES = (
    "After the night shift", "A quiet moment", "Why I stayed", "Rounds", "The family meeting",
    "Teaching day", "Post-call", "Small wins", "A hard conversation", "Clinic notes to self",
    "What I want to remember", "Sunday reset", "Handover", "On the drive home", "Grateful",
    "The patient in bed twelve", "Too many pages", "Lunch I actually ate", "Back from leave",
    "Before the board exam", "A letter I will not send", "Morning coffee", "The code",
)  # fmt: skip
TAGS = (
    "gratitude", "patients", "team", "family", "teaching", TAG, "icu", "clinic", "residency",
    "why", "sleep", "boundaries", "learning", "grief", "humour", "leadership", "research",
)  # fmt: skip
DRAINS = (
    "charting", "pages at 3am", "inbox", "prior authorisations", "short staffing", "EHR clicks",
    "a difficult family", "missed lunch", "overtime", "conflict with a consultant", "no beds",
)  # fmt: skip
FUELS = (
    "a grateful patient", "teaching a student", "a good team", "a quiet moment", "exercise",
    "time with family", "a thank-you note", "solving a hard case", "sleep", "a walk outside",
)  # fmt: skip
SHIFTS = ("off", "day", "evening", "night", "on-call", "post-call")

_WHO = (
    "the new intern", "my attending", "a nurse I trust", "the charge nurse", "an elderly patient",
    "her daughter", "the medical student", "my co-resident", "the pharmacist", "a frightened father",
    "the patient in bed twelve", "our social worker", "the on-call surgeon", "my partner",
)  # fmt: skip
_FELT = (
    "tired but steady", "stretched thin", "surprisingly light", "angry, then ashamed of it",
    "useful for once", "numb", "proud of the team", "unsure of myself", "calm", "close to tears",
    "grateful", "restless", "hopeful about tomorrow", "heavier than I expected",
)  # fmt: skip
_DID = (
    "spent ten minutes with a dying man", "explained the scan results twice", "missed dinner again",
    "finally caught up on notes", "taught the students how to read a gas", "held a hand during the biopsy",
    "argued for a bed on the ward", "called a family at midnight", "walked home instead of driving",
    "led a code that went well", "wrote a discharge summary I was proud of", "said no to an extra shift",
)  # fmt: skip
_PLAN = (
    "leave on time", "eat lunch sitting down", "call my sister", "teach at the bedside",
    "finish my notes before handover", "take the stairs and breathe", "thank the night team",
)  # fmt: skip
_THOUGHT = (
    "medicine asks for everything and sometimes gives it back",
    "the system is not my fault, but my attention is my responsibility",
    "I became a doctor to be present, not to be fast",
    "rest is part of the work, not a reward for it",
    "the patients remember kindness more than efficiency",
    "I do not have to carry every outcome alone",
    "good teams are built in the small moments between emergencies",
    "I need to protect the mornings for myself",
)  # fmt: skip
_TEMPLATES = (
    "Today I {did}, and I felt {felt}.",
    "I keep thinking about {who}; {who2} said something that stayed with me.",
    "Somewhere around the fourth admission I noticed I was {felt}.",
    "What I want to remember: {thought}.",
    "It struck me again that {thought}.",
    "{who_cap} asked how I was doing and I told the truth: {felt}.",
    "Tomorrow I want to {plan} if the list allows it.",
    "The ward was loud, the coffee was cold, and {who} still found time to laugh.",
    "By the end of the shift I had {did}.",
    "Looking back over the week, I was mostly {felt}, which is honest at least.",
    "I wrote this down so that I do not forget that {thought}.",
    "There was a moment when {who} looked at me as if I could fix everything.",
)
_RARE = "Driving past the old {word} on the coast, I remembered why I started."


@dataclass(frozen=True)
class GenEntry:
    """One generated entry, in terms both tools can store."""

    created: datetime
    title: str
    body: str
    tags: tuple[str, ...]
    energy: int | None
    drains: tuple[str, ...]
    fuels: tuple[str, ...]
    shift: str | None

    def jrnl_text(self) -> str:
        """The same entry as jrnl text: a title sentence, the body, then tags and ratings in words
        (jrnl has no fields for them; its tags are @words in the text)."""
        facts = []
        if self.energy is not None:
            facts.append(f"Energy {self.energy}/10.")
        if self.drains:
            facts.append(f"Drains: {', '.join(self.drains)}.")
        if self.fuels:
            facts.append(f"Fuels: {', '.join(self.fuels)}.")
        if self.shift:
            facts.append(f"Shift: {self.shift}.")
        tags = " ".join(f"@{t}" for t in self.tags)
        tail = "\n".join(part for part in (" ".join(facts), tags) if part)
        return f"{self.title}.\n{self.body}\n\n{tail}".rstrip()


def _sentence(rng: random.Random) -> str:
    template = rng.choice(_TEMPLATES)
    who = rng.choice(_WHO)
    return template.format(
        did=rng.choice(_DID),
        plan=rng.choice(_PLAN),
        felt=rng.choice(_FELT),
        thought=rng.choice(_THOUGHT),
        who=who,
        who2=rng.choice(_WHO).capitalize(),
        who_cap=who[0].upper() + who[1:],
    )


def _body(rng: random.Random, rare: bool) -> str:
    target = rng.randint(500, 1500)
    paragraphs: list[str] = []
    length = 0
    rare_at = rng.randint(0, 3) if rare else -1
    while length < target:
        sentences = []
        for _ in range(rng.randint(2, 5)):
            if len(paragraphs) == rare_at and not sentences:
                sentences.append(_RARE.format(word=SEARCH_WORD))
            sentences.append(_sentence(rng))
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        length += len(paragraph) + 2
    body = "\n\n".join(paragraphs)
    if len(body) > 1500:
        cut = body.rfind(". ", 500, 1499)
        body = body[: cut + 1] if cut > 0 else body[:1500].rstrip()
    return body


def entries(size: int, seed: int = SEED, end: datetime = END, years: int = YEARS) -> Iterator[GenEntry]:
    """`size` entries, oldest first, spread over `years` years up to `end`."""
    rng = random.Random(f"{seed}:{size}")  # noqa: S311 (reproducible test data, not secrets)
    span = int(timedelta(days=365 * years).total_seconds())
    offsets = sorted(rng.randrange(span) for _ in range(size))
    start = end - timedelta(seconds=span)
    mood = 6.0
    for offset in offsets:
        mood = min(9.0, max(2.0, mood + rng.uniform(-0.6, 0.6)))
        tags = tuple(rng.sample([t for t in TAGS if t != TAG], rng.choice((0, 1, 1, 2, 2, 3))))
        if rng.random() < 0.08:
            tags = (TAG, *tags[:2])
        yield GenEntry(
            created=(start + timedelta(seconds=offset)).replace(second=0),
            title=rng.choice(TITLES),
            body=_body(rng, rare=rng.random() < 0.01),
            tags=tags,
            energy=None if rng.random() < 0.15 else max(0, min(10, round(rng.gauss(mood, 1.5)))),
            drains=tuple(rng.sample(DRAINS, rng.choice((0, 1, 1, 2)))),
            fuels=tuple(rng.sample(FUELS, rng.choice((0, 1, 1, 2)))),
            shift=rng.choice((*SHIFTS, None)),
        )


def new_entry_text(seed: int = SEED) -> GenEntry:
    """The entry each tool adds in the 'add one entry' runs (the same text for both)."""
    rng = random.Random(f"{seed}:add")  # noqa: S311
    return GenEntry(
        created=END,
        title="Benchmark entry",
        body=_body(rng, rare=False),
        tags=("benchmark",),
        energy=6,
        drains=("charting",),
        fuels=("a good team",),
        shift="day",
    )
