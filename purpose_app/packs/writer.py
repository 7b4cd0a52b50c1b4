"""Writing a pack as TOML (for `packs new` and exporting personal prompts). Only what the format
allows is written; strings are emitted as TOML basic strings, which JSON string syntax is a subset of."""

from __future__ import annotations

import json

from purpose_app.packs.model import Pack


def _s(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def to_toml(pack: Pack) -> bytes:
    lines = [
        "# A Purpose prompt pack. Format: docs/pack-format.md",
        "format = 1",
        f"id = {_s(pack.id)}",
        f"name = {_s(pack.name)}",
        f"version = {pack.version}",
        f"description = {_s(pack.description)}",
        f"author = {_s(pack.author)}",
        f"language = {_s(pack.language)}",
        f"licence = {_s(pack.licence)}",
    ]
    if pack.sources:
        lines.append("sources = [" + ", ".join(_s(s) for s in pack.sources) + "]")
    if pack.session_only:
        lines.append("session_only = true")
    if pack.session_date is not None:
        lines.append(f"session_date = {pack.session_date.isoformat()}")
    if pack.facilitator_notes:
        lines.append(f"facilitator_notes = {_s(pack.facilitator_notes)}")
    if pack.programme:
        lines += ["", "[programme]", f"pace = {_s(pack.pace)}"]
    for reading in pack.readings:
        lines += [
            "",
            "[[readings]]",
            f"title = {_s(reading.title)}",
            f"attribution = {_s(reading.attribution)}",
            f"licence = {_s(reading.licence)}",
        ]
        if reading.text:
            lines.append(f"text = {_s(reading.text)}")
    for prompt in pack.prompts:
        lines += [
            "",
            "[[prompts]]",
            f"id = {_s(prompt.id)}",
            f"text = {_s(prompt.text)}",
            f"theme = {_s(prompt.theme)}",
            f"weight = {_s(prompt.weight)}",
        ]
        if prompt.follow_up:
            lines.append(f"follow_up = {_s(prompt.follow_up)}")
        if prompt.facilitator_notes:
            lines.append(f"facilitator_notes = {_s(prompt.facilitator_notes)}")
    return ("\n".join(lines) + "\n").encode("utf-8")
