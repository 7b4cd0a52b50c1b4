"""A pack's printable handout: the pack's member-facing parts, the ground rules and the shipped support
list, drawn by insight.handout. Facilitator notes are left behind here, by never being copied."""

from __future__ import annotations

from purpose_app.insight import handout, support
from purpose_app.messages import GROUND_RULES
from purpose_app.packs.model import Pack


def handout_input(pack: Pack) -> handout.HandoutInput:
    """What members may see of a pack, as plain values (no facilitator notes: there is no field)."""
    resources = support.shipped().resources  # the shipped list only: a facilitator's own are theirs
    return handout.HandoutInput(
        title=pack.name,
        description=pack.description,
        author=pack.author,
        licence=pack.licence,
        ground_rules=GROUND_RULES,
        prompts=tuple(handout.HandoutPrompt(p.text, p.follow_up) for p in pack.prompts),
        readings=tuple(
            handout.HandoutReading(r.title, r.attribution, r.licence, r.text) for r in pack.readings
        ),
        support=tuple((r.name, r.contact, r.note) for r in resources),
        session_date=pack.session_date,
    )


def handout_pdf(pack: Pack) -> tuple[bytes, int]:
    """The handout's PDF bytes and its number of pages, made in memory (the caller writes them)."""
    return handout.build_pdf(handout_input(pack))
