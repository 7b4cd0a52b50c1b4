"""Self-checks as a service: record them, read their history, say which one is open now.

Quick checks are weekly and Copenhagen (CBI) checks monthly, offered without nagging. Each result is
its own sealed vault document (kind "selfcheck", a random name), so saving one never rewrites the
others. A CBI result stores the answers as given; its scale scores are computed from them on every
read with insight.scoring, so there is a single definition of the published rules.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from purpose_app.domain.json_value import JsonValue
from purpose_app.errors import InvalidInput
from purpose_app.insight import scoring
from purpose_app.insight.scoring import CBI, QUICK, CheckResult
from purpose_app.insight.support import DocumentStore

KIND = "selfcheck"
QUICK_EVERY = timedelta(days=7)
CBI_EVERY = timedelta(days=30)


def _answer(value: JsonValue) -> int | None:
    if value is None:
        return None
    if isinstance(value, (int, float, str)):
        return int(value)
    raise TypeError("an answer is a number or blank")


def _result(doc_id: str, data: JsonValue) -> CheckResult | None:
    """A stored result read back; None for a record a later version wrote, or one we cannot read."""
    if not isinstance(data, dict) or not isinstance(when := data.get("taken"), str):
        return None
    try:
        taken = datetime.fromisoformat(when)
        if data["type"] == QUICK:
            score = data["score"]
            if not isinstance(score, (int, str)):
                return None
            return CheckResult(doc_id, QUICK, taken, quick=scoring.parse_quick(score))
        if data["type"] == CBI:
            given = data["answers"]
            if not isinstance(given, list):
                return None
            answers = tuple(_answer(a) for a in given)
            return CheckResult(doc_id, CBI, taken, answers=answers, cbi=scoring.score_cbi(answers))
    except (KeyError, TypeError, ValueError, InvalidInput):
        pass
    return None  # left alone, never rewritten


@dataclass(frozen=True)
class Due:
    quick: bool
    cbi: bool
    last_quick: datetime | None
    last_cbi: datetime | None

    def sentence(self) -> str:
        """What is open, said as an offer; nothing about what was missed."""
        offers = []
        if self.quick:
            offers.append("the weekly quick check (about ten seconds)")
        if self.cbi:
            offers.append("the monthly Copenhagen check (19 questions, a few minutes)")
        if not offers:
            return "Both self-checks are recent; the next ones open in their own time."
        return "Open whenever you like: " + " and ".join(offers) + "."


class SelfChecks:
    """The self-check use cases over any document store (the vault, or a fake in tests)."""

    def __init__(self, store: DocumentStore) -> None:
        self.store = store

    def _save(self, kind: str, now: datetime, **data: JsonValue) -> str:
        doc_id = uuid.uuid4().hex[:16]
        self.store.put_document(KIND, doc_id, {"type": kind, "taken": now.isoformat(), **data})
        return doc_id

    def record_quick(self, score: int | str, now: datetime) -> CheckResult:
        value = scoring.parse_quick(score)
        doc_id = self._save(QUICK, now, score=value)
        return CheckResult(doc_id, QUICK, now, quick=value)

    def record_cbi(self, answers: tuple[int | None, ...], now: datetime) -> CheckResult:
        result = scoring.score_cbi(answers)  # checks length and values before anything is stored
        if not any(result.answered.values()):
            raise InvalidInput("Every answer was left blank, so there is nothing to save.")
        doc_id = self._save(CBI, now, answers=list(answers))
        return CheckResult(doc_id, CBI, now, answers=tuple(answers), cbi=result)

    def history(self, since: datetime | None = None) -> list[CheckResult]:
        """Every readable result, newest first (ties by id, so the order is stable)."""
        found = [r for i, d in self.store.documents(KIND).items() if (r := _result(i, d)) is not None]
        if since is not None:
            found = [r for r in found if r.taken >= since]
        return sorted(found, key=lambda r: (r.taken, r.id), reverse=True)

    def due(self, now: datetime) -> Due:
        history = self.history()
        last_quick = next((r.taken for r in history if r.kind == QUICK), None)
        last_cbi = next((r.taken for r in history if r.kind == CBI), None)
        return Due(
            quick=last_quick is None or now - last_quick >= QUICK_EVERY,
            cbi=last_cbi is None or now - last_cbi >= CBI_EVERY,
            last_quick=last_quick,
            last_cbi=last_cbi,
        )
