"""Self-checks in the app: the quick check and the Copenhagen Burnout Inventory, recorded in the vault
and said back in words. A result is a signal worth attention, never a diagnosis. No flet here."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from purpose_app.domain.clock import now
from purpose_app.insight import scoring
from purpose_app.insight.scoring import CheckResult
from purpose_app.services.selfcheck import SelfChecks
from purpose_app.services.session import Session

__all__ = [
    "QUICK_QUESTION",
    "SKIP",
    "THRESHOLD_NOTE",
    "CheckResult",
    "Question",
    "SelfCheckModel",
    "urgent_text",
]

SKIP = "skip"  # the CBI's "Skip" choice: the published rules allow any item to be left out
QUICK_QUESTION = scoring.QUICK_QUESTION
THRESHOLD_NOTE = f"50 or more is {scoring.THRESHOLD_LABEL}: a signal worth attention, not a diagnosis."


@dataclass(frozen=True)
class Question:
    number: int
    text: str
    options: tuple[tuple[str, str], ...]  # (key, words), most often first


def quick_options() -> list[tuple[str, str]]:
    """(key, label) for each answer of the quick check, 1 to 5."""
    return [(str(i), f"{i}. {text}") for i, text in enumerate(scoring.QUICK_OPTIONS, start=1)]


def questions() -> list[Question]:
    """The 19 CBI questions with their answer words (each item has its own wording)."""
    return [
        Question(
            item.number,
            item.text,
            tuple(
                (str(value), word)
                for value, word in zip(scoring.VALUES, scoring.ANSWER_WORDS[item.answers], strict=True)
            ),
        )
        for item in scoring.ITEMS
    ]


def quick_result_text(score: int) -> str:
    if scoring.quick_has_symptoms(score):
        return (
            f"You chose {score} of 5. In research with this question, 3 or more is read as burnout "
            "symptoms being present: a signal worth attention, not a diagnosis."
        )
    return f"You chose {score} of 5. Thank you for checking in with yourself."


# The urgent items said back in a sentence, not quoted whole inside another quotation.
URGENT_WORDS = {
    4: 'how often you think "I can\'t take it anymore"',
    19: "how often you wonder how long you can go on working with patients",
}


def urgent_text(result: CheckResult) -> str:
    """Said first when "Always" was the answer to an urgent item (whatever the scales say); else ""."""
    items = result.urgent_answers
    if not items:
        return ""
    asked = " and to ".join(URGENT_WORDS.get(item.number, f'"{item.text}"') for item in items)
    return (
        f'You answered "Always" to {asked}. That is a signal worth attention, and you do not have to '
        "carry it alone: the people below are there for exactly this, confidentially."
    )


def cbi_lines(result: CheckResult) -> list[str]:
    """One line per scale: its score of 100, or why it was not scored."""
    assert result.cbi is not None
    lines = []
    for scale in scoring.SCALES:
        score = result.cbi.score(scale)
        name = scoring.SCALE_NAMES[scale]
        lines.append(
            f"{name}: {score:.0f} of 100"
            if score is not None
            else f"{name}: not scored (too few answers for this scale)"
        )
    return lines


class SelfCheckModel:
    def __init__(self, session: Session, *, clock: Callable[[], datetime] = now) -> None:
        self.session = session
        self.clock = clock

    def _checks(self) -> SelfChecks:
        return SelfChecks(self.session.require())

    def record_quick(self, choice: str) -> CheckResult:
        """Store the quick check (1-5) taken now. Raises InvalidInput for anything else."""
        return self._checks().record_quick(choice, self.clock())

    def record_cbi(self, choices: Sequence[str | None]) -> CheckResult:
        """Store the CBI taken now; an empty choice or SKIP leaves that item out."""
        answers = tuple(None if c in (None, "", SKIP) else int(str(c)) for c in choices)
        return self._checks().record_cbi(answers, self.clock())
