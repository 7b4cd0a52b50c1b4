"""Scoring of the two self-checks, exactly as published: the single-item burnout measure and the CBI.

Sources (wording and rules copied from ../shared/reference/wellbeing-instruments.md):
- Single-item burnout measure (Dolan et al. 2015; ABFM 2016 wording), 1 = no symptoms ... 5 = completely
  burned out. Answers 3 or more mean burnout symptoms are present (the published dichotomy).
- Copenhagen Burnout Inventory (Kristensen et al. 2005, PUMA study English version, "patients" for
  physicians): 19 items, answers worth 100/75/50/25/0, one reversed item (work-related item 7), each
  scale the mean of its answered items, no score when too few are answered (personal < 3, work < 4,
  patient < 3). A scale of 50 or more is read as high in many studies: a commonly used research
  threshold, which Kristensen himself does not give, and never a diagnosis.

An answer here is the value of the chosen response ("Always" = 100) as the person gave it; the reversal
is applied when scoring, so a caller never pre-reverses anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from purpose_app.errors import InvalidInput

QUICK_QUESTION = "Using your own definition of burnout, how would you rate your level of burnout?"
QUICK_OPTIONS = (
    "I enjoy my work. I have no symptoms of burnout.",
    "I am under stress, and don't always have as much energy as I did, but I don't feel burned out.",
    "I am definitely burning out and have one or more symptoms of burnout, e.g. emotional exhaustion.",
    "The symptoms of burnout that I'm experiencing won't go away. I think about work frustrations a lot.",
    "I feel completely burned out. I am at the point where I may need to seek help.",
)
QUICK_SYMPTOMS_FROM = 3  # published dichotomy: 3, 4 or 5 = burnout symptoms present
QUICK_SUPPORT_FROM = 3  # support appears from the published threshold ("definitely burning out")
HIGH_THRESHOLD = 50.0
THRESHOLD_LABEL = "a commonly used research threshold"

FREQUENCY = "frequency"
DEGREE = "degree"
VALUES = (100, 75, 50, 25, 0)
ANSWER_WORDS: dict[str, tuple[str, ...]] = {
    FREQUENCY: ("Always", "Often", "Sometimes", "Seldom", "Never/almost never"),
    DEGREE: (
        "To a very high degree",
        "To a high degree",
        "Somewhat",
        "To a low degree",
        "To a very low degree",
    ),
}
# Spellings people type for the same answers (matched without regard to case or spacing).
_ALIASES = {"never": 0, "almost never": 0, "never or almost never": 0}

PERSONAL, WORK, PATIENT = "personal", "work", "patient"
SCALES = (PERSONAL, WORK, PATIENT)
SCALE_NAMES = {PERSONAL: "Personal burnout", WORK: "Work-related burnout", PATIENT: "Patient-related burnout"}
MIN_ANSWERED = {PERSONAL: 3, WORK: 4, PATIENT: 3}  # PUMA's non-responder rule


@dataclass(frozen=True, slots=True)
class Item:
    number: int  # 1-19, the order of the questionnaire
    scale: str
    text: str
    answers: str  # FREQUENCY or DEGREE
    reversed: bool = False


def _items() -> tuple[Item, ...]:
    f, d = FREQUENCY, DEGREE
    rows = [
        (PERSONAL, "How often do you feel tired?", f),
        (PERSONAL, "How often are you physically exhausted?", f),
        (PERSONAL, "How often are you emotionally exhausted?", f),
        (PERSONAL, 'How often do you think: "I can\'t take it anymore"?', f),
        (PERSONAL, "How often do you feel worn out?", f),
        (PERSONAL, "How often do you feel weak and susceptible to illness?", f),
        (WORK, "Is your work emotionally exhausting?", d),
        (WORK, "Do you feel burnt out because of your work?", d),
        (WORK, "Does your work frustrate you?", d),
        (WORK, "Do you feel worn out at the end of the working day?", f),
        (WORK, "Are you exhausted in the morning at the thought of another day at work?", f),
        (WORK, "Do you feel that every working hour is tiring for you?", f),
        (WORK, "Do you have enough energy for family and friends during leisure time?", f),
        (PATIENT, "Do you find it hard to work with patients?", d),
        (PATIENT, "Do you find it frustrating to work with patients?", d),
        (PATIENT, "Does it drain your energy to work with patients?", d),
        (PATIENT, "Do you feel that you give more than you get back when you work with patients?", d),
        (PATIENT, "Are you tired of working with patients?", f),
        (PATIENT, "Do you sometimes wonder how long you will be able to continue working with patients?", f),
    ]
    return tuple(
        Item(number=i, scale=scale, text=text, answers=kind, reversed=i == 13)
        for i, (scale, text, kind) in enumerate(rows, start=1)
    )


ITEMS = _items()
REVERSED_ITEM = 13  # work-related item 7: score = 100 - value
# "I can't take it anymore" (personal 4) and "how long you will be able to continue" (patient 6):
# "Always" to either shows support at once, whatever the scale scores.
URGENT_ITEMS = (4, 19)
URGENT_VALUE = 100  # "Always" on the frequency scale both items use


def _key(word: str) -> str:
    return " ".join(word.casefold().replace("/", " / ").split()).replace(" / ", "/")


_WORDS = {
    kind: {_key(w): v for w, v in zip(words, VALUES, strict=True)} for kind, words in ANSWER_WORDS.items()
}


# -- the quick check ---------------------------------------------------------------------------------


def parse_quick(value: str | int) -> int:
    """A quick-check answer: a whole number from 1 to 5."""
    text = str(value).strip()
    if not text.isdigit() or not 1 <= int(text) <= 5:
        raise InvalidInput(f'The quick check is answered with 1, 2, 3, 4 or 5, not "{text[:20]}".')
    return int(text)


def quick_has_symptoms(score: int) -> bool:
    return score >= QUICK_SYMPTOMS_FROM


# -- the Copenhagen Burnout Inventory ----------------------------------------------------------------


def parse_answer(raw: str, item: Item) -> int | None:
    """One answer as its value (100/75/50/25/0), from a number or the item's own words; blank = skipped."""
    text = raw.strip()
    if not text:
        return None
    if text.lstrip("+-").isdigit():
        number = int(text)
        if number in VALUES:
            return number
        raise InvalidInput(
            f"Answer {item.number} is {number}; answers are 0, 25, 50, 75 or 100 (or blank to skip it)."
        )
    key = _key(text)
    value = _WORDS[item.answers].get(key)
    if value is None and item.answers == FREQUENCY:
        value = _ALIASES.get(key)
    if value is None:
        words = ", ".join(f'"{w}"' for w in ANSWER_WORDS[item.answers])
        raise InvalidInput(
            f'Answer {item.number} ("{text[:30]}") is not one of its answers: {words}, '
            "or 0, 25, 50, 75, 100, or blank to skip it."
        )
    return value


def parse_answers(text: str) -> tuple[int | None, ...]:
    """Nineteen comma-separated answers, in questionnaire order; an empty place skips that item."""
    parts = text.split(",")
    if len(parts) != len(ITEMS):
        raise InvalidInput(
            f"The Copenhagen check has {len(ITEMS)} answers; {len(parts)} were given. Separate them "
            "with commas and leave a place empty to skip an item, e.g. 75,50,,25,..."
        )
    answers = tuple(parse_answer(part, item) for part, item in zip(parts, ITEMS, strict=True))
    if all(a is None for a in answers):
        raise InvalidInput("Every answer was left blank, so there is nothing to score. Nothing was saved.")
    return answers


def item_score(item: Item, value: int) -> int:
    return 100 - value if item.reversed else value


@dataclass(frozen=True, slots=True)
class CbiResult:
    """Scale scores 0-100 (higher = more burnout); None where the non-responder rule applies."""

    personal: float | None
    work: float | None
    patient: float | None
    answered: dict[str, int]

    def score(self, scale: str) -> float | None:
        value: float | None = getattr(self, scale)
        return value

    def high_scales(self) -> list[str]:
        """Scales at or above the commonly used research threshold of 50 (not a diagnosis)."""
        return [s for s in SCALES if (v := self.score(s)) is not None and v >= HIGH_THRESHOLD]


def score_cbi(answers: tuple[int | None, ...] | list[int | None]) -> CbiResult:
    """Each scale's mean of its answered items, after reversing item 13; None below the minimum."""
    if len(answers) != len(ITEMS):
        raise InvalidInput(f"The Copenhagen check has {len(ITEMS)} answers, not {len(answers)}.")
    by_scale: dict[str, list[int]] = {s: [] for s in SCALES}
    for item, value in zip(ITEMS, answers, strict=True):
        if value is None:
            continue
        if value not in VALUES:
            raise InvalidInput(f"Answer {item.number} is {value}; answers are 0, 25, 50, 75 or 100.")
        by_scale[item.scale].append(item_score(item, value))
    means = {s: (sum(v) / len(v) if len(v) >= MIN_ANSWERED[s] else None) for s, v in by_scale.items()}
    return CbiResult(
        personal=means[PERSONAL],
        work=means[WORK],
        patient=means[PATIENT],
        answered={s: len(v) for s, v in by_scale.items()},
    )


QUICK, CBI = "quick", "cbi"


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One self-check as taken: a quick check's score, or the CBI's answers and their scale scores."""

    id: str
    kind: str  # QUICK or CBI
    taken: datetime  # time-zone aware, in the zone it was taken in
    quick: int | None = None
    answers: tuple[int | None, ...] | None = None
    cbi: CbiResult | None = None

    @property
    def urgent_answers(self) -> list[Item]:
        """The CBI items among URGENT_ITEMS answered "Always", in questionnaire order."""
        answers = self.answers or ()
        return [ITEMS[n - 1] for n in URGENT_ITEMS if len(answers) >= n and answers[n - 1] == URGENT_VALUE]

    @property
    def wants_support(self) -> bool:
        """A quick check of 3 or more, any CBI scale at or above the research threshold of 50, or
        "Always" to either urgent item."""
        if self.quick is not None:
            return self.quick >= QUICK_SUPPORT_FROM
        return bool(self.urgent_answers) or bool(self.cbi and self.cbi.high_scales())
