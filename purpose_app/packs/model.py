"""Packs and prompts as plain values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

WEIGHTS = ("light", "medium", "deep")
# How a programme is taken (docs/pack-format.md): "daily", one step a day in order; "sitting", every
# step in order in one go, the next offered as soon as one is written; "evening", every step each day.
PACES = ("daily", "sitting", "evening")
KNOWN_THEMES = (
    "origins",
    "drains",
    "fuels",
    "purpose-now",
    "legacy",
    "being-heard",
    "hard-conversations",
    "partnership-and-trust",
    "mentors-and-peers",
    "small-renewals",
    "gratitude",
    "looking-forward",
    "end-of-day",
    # Finding Meaning in Medicine's themes, for session packs and anyone's own
    "grief",
    "grace",
    "mystery",
    "courage",
)
# What the daily pick leans towards when energy has been low: restoring, not excavating. The essay
# this product grew from names being heard, partnership and trust with patients as what reconnects a
# tired doctor to the work, so those themes are renewing too (their light prompts, on low days).
RENEWING_THEMES = frozenset(
    {
        "fuels",
        "small-renewals",
        "mentors-and-peers",
        "gratitude",
        "looking-forward",
        "being-heard",
        "partnership-and-trust",
    }
)
PERSONAL_PACK_ID = "personal"


@dataclass(frozen=True, slots=True)
class Prompt:
    pack: str
    id: str
    text: str
    theme: str
    weight: str
    follow_up: str | None = None
    # For whoever leads a session (docs/pack-format.md): shown only in group mode's facilitator view,
    # never in the daily prompt, a member's view or a handout.
    facilitator_notes: str | None = None

    @property
    def ref(self) -> str:
        return f"{self.pack}/{self.id}"


@dataclass(frozen=True, slots=True)
class Reading:
    """A passage read aloud in a session: it keeps its own attribution and licence, which may differ
    from the pack's (a published poem inside a CC-BY pack)."""

    title: str
    attribution: str
    licence: str
    text: str | None = None  # None: the reading is named, not reproduced (bring the book)


@dataclass(frozen=True, slots=True)
class Pack:
    id: str
    name: str
    version: int
    description: str
    author: str
    language: str
    licence: str
    prompts: tuple[Prompt, ...]
    sources: tuple[str, ...] = ()
    programme: bool = False
    pace: str = "daily"  # how a programme is taken (PACES); ignored for a pack of prompts
    facilitator_notes: str | None = None  # never shown to members (see Prompt.facilitator_notes)
    session_date: date | None = None
    readings: tuple[Reading, ...] = ()
    session_only: bool = False  # off in the daily rotation until the member turns it on

    def prompt(self, prompt_id: str) -> Prompt | None:
        return next((p for p in self.prompts if p.id == prompt_id), None)
