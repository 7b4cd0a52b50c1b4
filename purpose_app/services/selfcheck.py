"""Self-checks as a service: record quick checks and Copenhagen checks (sealed in the vault), read the
history back, and say which check is open now (quick weekly, Copenhagen monthly), without nagging.

Each result is its own vault document (kind "selfcheck", a random name), so saving one never rewrites
the others. A CBI result stores the answers as given; its scale scores are computed from them on every
read with insight.scoring, so there is a single definition of the published rules.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from purpose_app.errors import InvalidInput
from purpose_app.insight import scoring
from purpose_app.insight.scoring import CBI, QUICK, CheckResult
from purpose_app.insight.support import DocumentStore

KIND = "selfcheck"
QUICK_EVERY = timedelta(days=7)
CBI_EVERY = timedelta(days=30)


def _result(doc_id: str, data: Any) -> CheckResult | None:
    try:
        taken = datetime.fromisoformat(data["taken"])
        if data["type"] == QUICK:
            return CheckResult(doc_id, QUICK, taken, quick=scoring.parse_quick(data["score"]))
        if data["type"] == CBI:
            answers = tuple(None if a is None else int(a) for a in data["answers"])
            return CheckResult(doc_id, CBI, taken, answers=answers, cbi=scoring.score_cbi(answers))
    except (KeyError, TypeError, ValueError, InvalidInput):
        pass
    return None  # a record a later version wrote, or one we cannot read: left alone


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
    def __init__(self, store: DocumentStore) -> None:
        self.store = store

    def _save(self, kind: str, now: datetime, **data: Any) -> str:
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
