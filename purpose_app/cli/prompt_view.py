"""What the prompt and pack commands share: a prompt as JSON and as text, and the library of a vault."""

from __future__ import annotations

from typing import TYPE_CHECKING

from purpose_app.domain.clock import now as now  # the reflection commands share the one clock
from purpose_app.packs.model import Prompt

if TYPE_CHECKING:
    from purpose_app.services.library import Library
    from purpose_app.services.reflection import Reflection
    from purpose_app.services.vault import Vault


def library(opened: Vault) -> Library:
    from purpose_app.services.library import Library

    return Library(opened)


def reflection(opened: Vault) -> Reflection:
    from purpose_app.services.reflection import Reflection

    return Reflection(library(opened))


def prompt_json(prompt: Prompt, why: str | None = None, **extra: object) -> dict[str, object]:
    return {
        "id": prompt.id,
        "pack": prompt.pack,
        "text": prompt.text,
        "theme": prompt.theme,
        "why": why,
        "weight": prompt.weight,
        "follow_up": prompt.follow_up,
        **extra,
    }


def prompt_human(prompt: Prompt, why: str | None = None) -> str:
    lines = [prompt.text]
    if prompt.follow_up:
        lines.append(f"  {prompt.follow_up}")
    lines.append(f"({prompt.ref}, {prompt.weight})" + (f" {why}" if why else ""))
    return "\n".join(lines)
