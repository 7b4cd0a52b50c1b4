"""When a self-check shows support: a quick check from 3 (the published threshold), a Copenhagen scale
from 50, and "Always" to "I can't take it anymore" or to how long you can continue, whatever the scales."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from purpose_app.insight import scoring
from purpose_app.insight.scoring import CheckResult, score_cbi

NOW = datetime(2026, 3, 2, tzinfo=UTC)


def cbi(answers: list[int | None]) -> CheckResult:
    return CheckResult("c", scoring.CBI, NOW, answers=tuple(answers), cbi=score_cbi(answers))


@pytest.mark.parametrize(("score", "shown"), [(1, False), (2, False), (3, True), (4, True), (5, True)])
def test_the_quick_check_shows_support_from_3(score: int, shown: bool) -> None:
    """3 ("definitely burning out") and above show support; 1 and 2 do not."""
    assert CheckResult("q", scoring.QUICK, NOW, quick=score).wants_support is shown


def test_the_urgent_items_are_the_published_ones() -> None:
    """Item 4 is "I can't take it anymore" and item 19 how long you can continue; both are answered
    on the frequency scale, where "Always" is 100."""
    four, nineteen = (scoring.ITEMS[n - 1] for n in scoring.URGENT_ITEMS)
    assert "I can't take it anymore" in four.text
    assert "how long you will be able to continue" in nineteen.text
    assert four.answers == nineteen.answers == scoring.FREQUENCY
    assert scoring.ANSWER_WORDS[scoring.FREQUENCY][scoring.VALUES.index(scoring.URGENT_VALUE)] == "Always"


@pytest.mark.parametrize("number", scoring.URGENT_ITEMS)
def test_always_to_an_urgent_item_shows_support_whatever_the_scales(number: int) -> None:
    """Every other item at its lowest: no scale reaches 50, yet "Always" to the item shows support."""
    answers: list[int | None] = [0] * len(scoring.ITEMS)
    answers[scoring.REVERSED_ITEM - 1] = 100  # reversed: 100 scores 0, the lowest
    answers[number - 1] = 100
    result = cbi(answers)
    assert result.cbi is not None and result.cbi.high_scales() == []
    assert [item.number for item in result.urgent_answers] == [number]
    assert result.wants_support


def test_often_to_an_urgent_item_is_not_urgent() -> None:
    """ "Often" (75) to both items with every scale low: no urgent answer and no support."""
    answers: list[int | None] = [0] * len(scoring.ITEMS)
    answers[scoring.REVERSED_ITEM - 1] = 100
    for number in scoring.URGENT_ITEMS:
        answers[number - 1] = 75
    result = cbi(answers)
    assert result.urgent_answers == []
    assert not result.wants_support


def test_a_skipped_urgent_item_is_not_urgent() -> None:
    """A skipped item is never read as "Always"."""
    answers: list[int | None] = [None] * len(scoring.ITEMS)
    answers[0] = 100
    assert cbi(answers).urgent_answers == []
