"""Self-check scoring, written from ../shared/reference/wellbeing-instruments.md (not from the code):
the single-item burnout measure (1-5, "3 or more") and the Copenhagen Burnout Inventory (19 items,
100/75/50/25/0, work item 7 reversed, scale = mean of answered items, PUMA non-responder rule)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from purpose_app.errors import InvalidInput
from purpose_app.insight import scoring
from purpose_app.insight.scoring import CheckResult, parse_answer, parse_answers, score_cbi

# Questionnaire positions of each scale, as the reference numbers them (personal 1-6, work 1-7,
# patient 1-6, in that order).
PERSONAL = range(0, 6)
WORK = range(6, 13)
PATIENT = range(13, 19)
LEISURE = 12  # work item 7: "enough energy for family and friends", the reversed one


def answers(**by_position: int | None) -> list[int | None]:
    """19 blanks, with the given 0-based positions filled: answers(p0=75, p12=100)."""
    out: list[int | None] = [None] * 19
    for key, value in by_position.items():
        out[int(key[1:])] = value
    return out


def fill(positions: range, value: int, count: int | None = None) -> dict[str, int]:
    chosen = list(positions)[: count if count is not None else len(positions)]
    return {f"p{i}": value for i in chosen}


def test_items_follow_the_reference():
    """19 items: 6 personal (all frequency), 7 work (3 degree, 4 frequency), 6 patient (4 degree,
    2 frequency); only work item 7 (leisure energy) is reversed."""
    items = scoring.ITEMS
    assert len(items) == 19
    assert [i.scale for i in items] == ["personal"] * 6 + ["work"] * 7 + ["patient"] * 6
    f, d = scoring.FREQUENCY, scoring.DEGREE
    assert [i.answers for i in items] == [f] * 6 + [d, d, d, f, f, f, f] + [d, d, d, d, f, f]
    assert [i.number for i in items if i.reversed] == [13]
    assert "enough energy for family and friends" in items[LEISURE].text
    assert items[0].text == "How often do you feel tired?"
    assert items[18].text.startswith("Do you sometimes wonder how long")


def test_reversed_item_scores_100_minus_its_value():
    """Answering "Always" (100) to the leisure-energy item scores 0; "Never" scores 100."""
    others = fill(WORK, 100, 6)  # work items 1-6 at 100
    always = score_cbi(answers(**others, p12=100))
    never = score_cbi(answers(**others, p12=0))
    assert always.work == pytest.approx((6 * 100 + 0) / 7)
    assert never.work == pytest.approx(100.0)
    assert scoring.item_score(scoring.ITEMS[LEISURE], 25) == 75
    assert scoring.item_score(scoring.ITEMS[0], 25) == 25  # any other item is not reversed


def test_scale_score_is_the_mean_of_answered_items():
    """Personal 100,75,50,25,0,0 -> 250/6; skipped items are left out of the mean, not counted as 0."""
    full = score_cbi(answers(p0=100, p1=75, p2=50, p3=25, p4=0, p5=0))
    assert full.personal == pytest.approx(250 / 6)
    partial = score_cbi(answers(p0=100, p1=75, p2=50))
    assert partial.personal == pytest.approx(75.0)
    assert partial.answered["personal"] == 3


def test_scales_do_not_mix():
    """Each scale averages only its own items."""
    result = score_cbi(answers(**fill(PERSONAL, 25), **fill(WORK, 75, 6), p12=100, **fill(PATIENT, 50)))
    assert result.personal == pytest.approx(25.0)
    assert result.work == pytest.approx((6 * 75 + 0) / 7)
    assert result.patient == pytest.approx(50.0)


@pytest.mark.parametrize(
    ("positions", "scale", "minimum"),
    [(PERSONAL, "personal", 3), (WORK, "work", 4), (PATIENT, "patient", 3)],
)
def test_non_responder_rule_at_its_boundary(positions, scale, minimum):
    """No score with one answer fewer than the minimum (personal 3, work 4, patient 3); a score at it."""
    below = score_cbi(answers(**fill(positions, 75, minimum - 1)))
    at = score_cbi(answers(**fill(positions, 75, minimum)))
    assert below.score(scale) is None
    assert below.answered[scale] == minimum - 1
    assert at.score(scale) == pytest.approx(75.0)
    assert scoring.MIN_ANSWERED[scale] == minimum


def test_non_responder_on_one_scale_leaves_the_others():
    """Two patient answers: patient is None while personal and work are scored."""
    result = score_cbi(answers(**fill(PERSONAL, 50), **fill(WORK, 50, 4), p13=100, p14=100))
    assert (result.personal, result.work, result.patient) == (50.0, 50.0, None)


@pytest.mark.parametrize(
    ("word", "value"),
    [("Always", 100), ("often", 75), ("SOMETIMES", 50), ("Seldom", 25), ("Never/almost never", 0),
     ("never", 0), ("almost never", 0), ("never / almost never", 0)],
)  # fmt: skip
def test_frequency_words(word, value):
    """The frequency answers map to 100/75/50/25/0, in any case."""
    assert parse_answer(word, scoring.ITEMS[0]) == value


@pytest.mark.parametrize(
    ("word", "value"),
    [("To a very high degree", 100), ("to a high degree", 75), ("Somewhat", 50),
     ("To a low degree", 25), ("to a very low degree", 0)],
)  # fmt: skip
def test_degree_words(word, value):
    """The degree answers map to 100/75/50/25/0 (work item 1 is a degree item)."""
    assert parse_answer(word, scoring.ITEMS[6]) == value


def test_a_word_from_the_other_scale_is_refused():
    """ "Often" is not an answer to "Is your work emotionally exhausting?" (a degree item)."""
    with pytest.raises(InvalidInput, match="Answer 7"):
        parse_answer("Often", scoring.ITEMS[6])


@pytest.mark.parametrize("raw", ["60", "101", "-25", "1", "maybe"])
def test_out_of_range_answers_are_invalid_input(raw):
    """Only 0, 25, 50, 75, 100 (or the words) are answers; anything else is exit 5."""
    with pytest.raises(InvalidInput) as caught:
        parse_answer(raw, scoring.ITEMS[0])
    assert caught.value.exit_code == 5


def test_parse_answers_needs_19_places_and_blank_skips():
    """Exactly 19 comma-separated places; an empty one is a skipped item; all blank is refused."""
    parsed = parse_answers("100,often,," + ",".join(["50"] * 15) + ",never")
    assert parsed[:4] == (100, 75, None, 50)
    assert parsed[18] == 0
    with pytest.raises(InvalidInput, match="19 answers; 18"):
        parse_answers(",".join(["50"] * 18))
    with pytest.raises(InvalidInput, match="blank"):
        parse_answers("," * 18)


def test_high_threshold_is_50_or_more():
    """A scale at exactly 50 is at the commonly used research threshold; 41.7 is not."""
    at = score_cbi(answers(**fill(PERSONAL, 50, 3)))
    below = score_cbi(answers(p0=50, p1=50, p2=25))
    assert at.high_scales() == ["personal"]
    assert below.high_scales() == []
    assert scoring.THRESHOLD_LABEL == "a commonly used research threshold"


def test_quick_check_wording_and_dichotomy():
    """The question and five answers as published; 3, 4 or 5 = burnout symptoms present."""
    assert scoring.QUICK_QUESTION == (
        "Using your own definition of burnout, how would you rate your level of burnout?"
    )
    assert scoring.QUICK_OPTIONS[0] == "I enjoy my work. I have no symptoms of burnout."
    assert scoring.QUICK_OPTIONS[4].endswith("I am at the point where I may need to seek help.")
    assert [scoring.quick_has_symptoms(n) for n in range(1, 6)] == [False, False, True, True, True]


@pytest.mark.parametrize("raw", ["0", "6", "3.5", "", "three"])
def test_quick_check_accepts_only_1_to_5(raw):
    """Anything but a whole number from 1 to 5 is invalid input."""
    with pytest.raises(InvalidInput):
        scoring.parse_quick(raw)


def test_support_appears_from_quick_3_or_any_cbi_scale_at_50():
    """Quick 2 is not a support trigger, 3 (the published threshold) and 4 are; a CBI with one scale
    at 50 is."""
    now = datetime(2026, 3, 2, tzinfo=UTC)
    assert not CheckResult("a", "quick", now, quick=2).wants_support
    assert CheckResult("a3", "quick", now, quick=3).wants_support
    assert CheckResult("b", "quick", now, quick=4).wants_support
    high = score_cbi(answers(**fill(PATIENT, 50, 3)))
    low = score_cbi(answers(**fill(PATIENT, 25, 3)))
    assert CheckResult("c", "cbi", now, cbi=high).wants_support
    assert not CheckResult("d", "cbi", now, cbi=low).wants_support
