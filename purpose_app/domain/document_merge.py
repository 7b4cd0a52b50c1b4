"""Which vault documents travel between devices, and how two devices' versions of each one meet.

A document is split into members (the whole document, the items of a list, or the keys of a map);
each member merges on its own, by a Lamport clock: (counter, device id). A device that changes a
member gives it the highest counter it knows plus one, so a change made after seeing another one
always wins, and two changes made without seeing each other are ordered by the device id (the same
choice on every device). The wall clock never decides.

    latest   the later write wins, and a removal is a write too (a removed favorite, contact or
             trusted signer stays removed on the other device; adding it again later wins)
    union    once written on any device it is kept: versions and results are only ever added
    device   never leaves this device (theme, text size, auto-lock, drafts, the sync state)

RULES is the one list of every kind the vault stores: a test fails for a kind missing from it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from purpose_app.domain.json_value import JsonValue

Merge = Literal["latest", "union", "device"]
Split = Literal["whole", "list", "map"]
Clock = tuple[int, str]  # (counter, device id): compared as a tuple
ANY = "*"  # a rule for every name of a kind


@dataclass(frozen=True)
class DocumentRule:
    merge: Merge
    split: Split  # whole: one value; list: its items (by "id", or the item itself); map: its keys
    says: str  # the rule in plain words (docs/sync.md shows this table)
    order: str | None = None  # list items sorted by this field (my why: oldest first)


RULES: dict[tuple[str, str], DocumentRule] = {
    ("why", "statement"): DocumentRule(
        "union", "list", "My why: every version written on any device is kept, oldest first.", "written"
    ),
    ("selfcheck", ANY): DocumentRule("union", "whole", "Self-check results: each one is kept."),
    ("favourites", "all"): DocumentRule(
        "latest", "list", "Favorite prompts: per prompt; a removal stays removed, re-adding later wins."
    ),
    ("personal-prompts", "all"): DocumentRule(
        "latest", "list", "Your own prompts: per prompt; the later edit or deletion wins."
    ),
    ("support", ANY): DocumentRule(
        "latest", "whole", "Your own support contacts: per contact; the later edit or removal wins."
    ),
    ("programme", ANY): DocumentRule(
        "latest", "whole", "Program progress: per program; the later start, pause or stop wins."
    ),
    ("pack-settings", ANY): DocumentRule(
        "latest", "whole", "Packs on or off: per pack; the later choice wins."
    ),
    ("imported-pack", ANY): DocumentRule(
        "latest", "whole", "Imported packs: per pack; the later import (a newer version) wins."
    ),
    ("trusted-signer", ANY): DocumentRule(
        "latest",
        "whole",
        "Trusted signers: per signer; a removed one stays removed, trusting again later wins.",
    ),
    ("signing-identity", "default"): DocumentRule(
        "latest", "whole", "Your signing identity: the later one made wins."
    ),
    ("prompt-state", "history"): DocumentRule(
        "latest", "map", "Prompts offered: per day; the later list of that day wins."
    ),
    ("prompt-state", "seed"): DocumentRule(
        "latest", "whole", "The seed of the daily prompt: the later one wins (it is set once)."
    ),
    ("good-day", "shown"): DocumentRule(
        "latest", "whole", "The last earlier good day shown: the later one wins."
    ),
    ("ui-settings", ANY): DocumentRule(
        "device", "whole", "Theme, text size, auto-lock and what Today shows: this device's own."
    ),
    ("draft", ANY): DocumentRule("device", "whole", "A half-written entry: stays where it is typed."),
    ("device", ANY): DocumentRule(
        "device", "whole", "Settings of this device only, such as where its sync folder is."
    ),
    ("sync", ANY): DocumentRule(
        "device", "whole", "This device's sync identity and what it has exchanged: its own."
    ),
}


def rule_for(kind: str, name: str) -> DocumentRule | None:
    """The rule of one document; None for a kind this release does not know (it stays home)."""
    return RULES.get((kind, name)) or RULES.get((kind, ANY))


def travels(kind: str, name: str) -> bool:
    rule = rule_for(kind, name)
    return rule is not None and rule.merge != "device"


def canonical(value: JsonValue) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def digest(value: JsonValue) -> str:
    """A short fingerprint of a member's value, to notice a change made on this device."""
    return hashlib.sha256(canonical(value).encode("utf-8", "surrogatepass")).hexdigest()[:24]


def _item_key(item: JsonValue) -> str:
    if isinstance(item, str):
        return item
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        return "id:" + str(item["id"])
    return "v:" + digest(item)  # no id (my why's versions): the content itself


def split(rule: DocumentRule, data: JsonValue) -> dict[str, JsonValue]:
    """The members of one document. A document of an unexpected shape is one member."""
    if rule.split == "list" and isinstance(data, list):
        return {_item_key(item): item for item in data}
    if rule.split == "map" and isinstance(data, dict):
        return dict(data)
    return {"": data}


def join(rule: DocumentRule, members: Mapping[str, tuple[Clock, JsonValue]]) -> JsonValue | None:
    """The document made of these members (None: there is none; an empty list or map stays one, as
    the services write it). The same members give the same document on every device: list items
    in clock order (or by `order`), map keys sorted."""
    if not members:
        return None if rule.split == "whole" else ([] if rule.split == "list" else {})
    if "" in members and (rule.split == "whole" or len(members) == 1):
        return members[""][1]
    if rule.split == "map":
        return {key: members[key][1] for key in sorted(members) if key}
    ranked = sorted(members.items(), key=lambda kv: (kv[1][0], kv[0]))
    items = [value for key, (_clock, value) in ranked if key]
    if rule.order is not None:
        field = rule.order
        items.sort(key=lambda item: str(item.get(field, "")) if isinstance(item, dict) else "")
    return items


def wins(incoming: Clock, local: Clock | None) -> bool:
    """Whether a member written at `incoming` replaces the one written here at `local`."""
    return local is None or incoming > local
