"""The self-check view-model: a completed quick check or Copenhagen check is stored with its score
(read back through the self-check service on a fresh unlock) and said back in the app's words."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from conftest import MadeVault

from purpose_app.errors import InvalidInput
from purpose_app.insight import scoring
from purpose_app.insight.scoring import CheckResult
from purpose_app.services.selfcheck import SelfChecks
from purpose_app.services.session import Session
from purpose_app.ui.selfcheck_model import (
    SKIP,
    SelfCheckModel,
    cbi_lines,
    questions,
    quick_options,
    quick_result_text,
    urgent_text,
)

TAKEN = datetime(2024, 4, 2, 21, 15, tzinfo=timezone(timedelta(hours=1)))


def stored_checks(made_vault: MadeVault) -> list[CheckResult]:
    opened = made_vault.open()
    try:
        return SelfChecks(opened).history()
    finally:
        opened.lock()


def test_a_completed_quick_check_is_stored_with_its_score(session: Session, made_vault: MadeVault) -> None:
    """Choosing 4 stores one quick check scored 4 at the time it was taken; 4 asks for support."""
    result = SelfCheckModel(session, clock=lambda: TAKEN).record_quick("4")
    assert result.wants_support
    (kept,) = stored_checks(made_vault)
    assert (kept.kind, kept.quick, kept.taken) == (scoring.QUICK, 4, TAKEN)
    assert quick_result_text(4).startswith("You chose 4 of 5. In research with this question")


def test_an_impossible_quick_answer_stores_nothing(session: Session, made_vault: MadeVault) -> None:
    """Anything but 1-5 is refused calmly, and no result is stored."""
    with pytest.raises(InvalidInput):
        SelfCheckModel(session).record_quick("9")
    assert stored_checks(made_vault) == []


def test_a_completed_cbi_is_stored_with_its_answers(session: Session, made_vault: MadeVault) -> None:
    """Every item answered "100" but one skipped: stored with that item as None, every scale scored
    and said back one line per scale."""
    choices: list[str | None] = ["100"] * len(scoring.ITEMS)
    choices[0] = SKIP
    result = SelfCheckModel(session, clock=lambda: TAKEN).record_cbi(choices)
    (kept,) = stored_checks(made_vault)
    assert kept.kind == scoring.CBI and kept.taken == TAKEN
    assert kept.answers == (None, *[100] * (len(scoring.ITEMS) - 1))
    assert kept.cbi is not None and kept.cbi == result.cbi
    scores = [kept.cbi.score(s) for s in scoring.SCALES]
    assert None not in scores
    assert cbi_lines(result) == [
        f"{scoring.SCALE_NAMES[s]}: {v:.0f} of 100" for s, v in zip(scoring.SCALES, scores, strict=True)
    ]


def test_a_cbi_with_every_answer_skipped_stores_nothing(session: Session, made_vault: MadeVault) -> None:
    """All skipped (or left empty): the calm message, and nothing in the vault."""
    choices: list[str | None] = [SKIP, None, ""] + [SKIP] * (len(scoring.ITEMS) - 3)
    with pytest.raises(InvalidInput, match="nothing to save"):
        SelfCheckModel(session).record_cbi(choices)
    assert stored_checks(made_vault) == []


def test_questions_and_options_are_the_published_ones() -> None:
    """19 questions, each with five worded answers; the quick check has five numbered options."""
    found = questions()
    assert len(found) == len(scoring.ITEMS) == 19
    assert all(len(q.options) == 5 for q in found)
    assert [k for k, _ in quick_options()] == ["1", "2", "3", "4", "5"]
    assert quick_options()[0][1].startswith("1. ")


def test_a_quick_3_asks_for_support(session: Session) -> None:
    """3 is the published threshold ("definitely burning out"): support is shown from it, in words
    that name a signal, never a diagnosis."""
    result = SelfCheckModel(session, clock=lambda: TAKEN).record_quick("3")
    assert result.wants_support
    assert "a signal worth attention, not a diagnosis" in quick_result_text(3)


def test_always_to_an_urgent_item_is_said_first_and_asks_for_support(session: Session) -> None:
    """ "Always" to item 19 with every scale low: stored, support wanted, and said in plain words."""
    choices: list[str | None] = ["0"] * len(scoring.ITEMS)
    choices[scoring.REVERSED_ITEM - 1] = "100"
    choices[18] = "100"
    result = SelfCheckModel(session, clock=lambda: TAKEN).record_cbi(choices)
    assert result.wants_support
    text = urgent_text(result)
    assert text.startswith('You answered "Always" to how often you wonder how long you can go on')
    assert "a signal worth attention" in text and "diagnos" not in text


def test_no_urgent_words_without_an_urgent_answer(session: Session) -> None:
    """Every answer "Often": nothing urgent is said (the scales speak for themselves)."""
    result = SelfCheckModel(session, clock=lambda: TAKEN).record_cbi(["75"] * len(scoring.ITEMS))
    assert urgent_text(result) == ""
