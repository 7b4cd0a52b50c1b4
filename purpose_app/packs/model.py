"""Packs and prompts as plain values."""

from __future__ import annotations

from dataclasses import dataclass

WEIGHTS = ("light", "medium", "deep")
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
)
# What the daily pick leans towards when energy has been low: restoring, not excavating.
RENEWING_THEMES = frozenset({"fuels", "small-renewals", "mentors-and-peers", "gratitude", "looking-forward"})
PERSONAL_PACK_ID = "personal"


@dataclass(frozen=True, slots=True)
class Prompt:
    pack: str
    id: str
    text: str
    theme: str
    weight: str
    follow_up: str | None = None

    @property
    def ref(self) -> str:
        return f"{self.pack}/{self.id}"


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

    def prompt(self, prompt_id: str) -> Prompt | None:
        return next((p for p in self.prompts if p.id == prompt_id), None)
