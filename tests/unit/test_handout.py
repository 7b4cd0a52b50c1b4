"""The printable handout: a PDF made in memory with every prompt, the ground rules, the readings with
their attribution and licence, and support resources; never a facilitator's notes."""

from __future__ import annotations

import dataclasses
from datetime import date

from pdf_text import words

from purpose_app.insight import handout
from purpose_app.messages import GROUND_RULES
from purpose_app.packs.builtin import builtin_packs
from purpose_app.packs.model import Pack, Prompt, Reading
from purpose_app.services.handout import handout_input, handout_pdf

NOTE = "FACILITATOR-ONLY watch Dr Lee closely"


def session_pack(prompts: int = 3, reading_text: str = "For this hour, listen for what is true.") -> Pack:
    return Pack(
        id="grief-circle",
        name="Grief circle",
        version=1,
        description="For our November circle on grief.",
        author="St Mary's circle",
        language="en",
        licence="CC-BY-4.0",
        prompts=tuple(
            Prompt(
                "grief-circle",
                f"p{n}",
                f"Prompt number {n}: which loss from your work are you still carrying?",
                "grief",
                "deep",
                follow_up=f"Follow-up {n}: what did you not get to say?",
                facilitator_notes=f"{NOTE} prompt {n}",
            )
            for n in range(1, prompts + 1)
        ),
        facilitator_notes=NOTE,
        session_date=date(2026, 11, 12),
        readings=(
            Reading(
                "Before we begin", "Dr Ana Ruiz, written for our circle", "Used with permission", reading_text
            ),
        ),
        session_only=True,
    )


def test_the_handout_has_prompts_rules_readings_and_support_but_no_notes():
    """Every prompt and follow-up, each ground rule, the reading with attribution and licence, the
    date and the support list are in the PDF's text; the facilitator's notes are not."""
    raw, pages = handout_pdf(session_pack())
    assert raw.startswith(b"%PDF") and pages >= 1
    text = words(raw)
    for prompt in session_pack().prompts:
        assert prompt.text in text
        assert prompt.follow_up and prompt.follow_up in text
    for rule in GROUND_RULES:
        assert rule in text, rule
    expected_words = (
        "Grief circle", "November 12, 2026", "Before we begin", "Dr Ana Ruiz, written for our circle",
        "Used with permission", "For this hour, listen for what is true.", "If you need support",
    )  # fmt: skip
    for expected in expected_words:
        assert expected in text, expected
    support = handout_input(session_pack()).support
    assert support and all(name in text for name, _, _ in support)
    assert "FACILITATOR" not in text and "Dr Lee" not in text


def test_the_handout_input_has_no_place_for_notes():
    """The plain values the drawing gets have no notes field at any level, so notes cannot leak in."""
    data = handout_input(session_pack())
    for value in (data, data.prompts[0], data.readings[0]):
        assert not [f.name for f in dataclasses.fields(value) if "note" in f.name]
    assert NOTE not in repr(data)


def test_a_long_pack_flows_over_pages_with_every_prompt():
    """Forty prompts with space to write, and a reading longer than a page, all reach the PDF, each
    page numbered."""
    long_reading = " ".join(f"line{n} of a long poem." for n in range(900))
    raw, pages = handout_pdf(session_pack(40, long_reading))
    text = words(raw)
    assert pages > 10
    assert all(f"Prompt number {n}:" in text for n in range(1, 41))
    assert "line899 of a long poem." in text
    assert f"page {pages} of {pages}" in text and f"page 1 of {pages}" in text


def test_odd_characters_are_drawn_not_parsed():
    """Dollar signs are printed as written (never as mathematics) and a character the font lacks does
    not stop the handout."""
    pack = dataclasses.replace(
        session_pack(1),
        prompts=(
            Prompt("grief-circle", "odd", "What did $5 and a coffee buy you? \U0001f56f", "grief", "light"),
        ),
    )
    raw, _ = handout_pdf(pack)
    assert "What did $5 and a coffee buy you?" in words(raw)


def test_every_builtin_session_pack_prints():
    """The built-in session packs make handouts holding all their prompts and none of their notes."""
    for pack in [p for p in builtin_packs() if p.session_only]:
        raw, _ = handout.build_pdf(handout_input(pack))
        text = words(raw)
        assert all(" ".join(p.text.split()) in text for p in pack.prompts), pack.id
        notes = [pack.facilitator_notes or "", *(p.facilitator_notes or "" for p in pack.prompts)]
        assert not [n for n in notes if n and " ".join(n.split())[:40] in text], pack.id
