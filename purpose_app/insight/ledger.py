"""The drains-and-fuels ledger: what comes with your lower and your better days.

Within a period (entries whose local day falls in it):
- baseline = the mean of the daily energy values (series.daily_energy) of the days with data;
- for each drain or fuel (grouped without regard to case, shown in its most used spelling):
  count = the number of days it was named on; mean = the mean daily energy of those of its days that
  have an energy level; delta = mean - baseline (None when none of its days has energy);
- the most frequent `top` of each kind are kept (ties by name), then sorted by delta: drains from the
  most negative, fuels from the most positive, those without a delta last.
It describes days that go together, not causes; the wording says "appears on", never "causes".
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from purpose_app.domain.entry import Entry
from purpose_app.insight.series import daily_energy, local_day

DRAIN, FUEL = "drain", "fuel"
TOP = 8


@dataclass(frozen=True, slots=True)
class LedgerRow:
    label: str
    kind: str  # DRAIN or FUEL
    count: int  # days named on
    mean: float | None  # mean daily energy on those days
    delta: float | None  # mean - baseline


@dataclass(frozen=True)
class Ledger:
    start: date
    end: date
    baseline: float | None
    days_with_energy: int
    drains: tuple[LedgerRow, ...]
    fuels: tuple[LedgerRow, ...]

    @property
    def rows(self) -> tuple[LedgerRow, ...]:
        return self.drains + self.fuels

    def summary(self) -> str:
        return ledger_summary(self)


def _rows(
    kind: str, days_by_label: dict[str, set[date]], spellings: dict[str, Counter[str]],
    daily: dict[date, float], baseline: float | None, top: int,
) -> tuple[LedgerRow, ...]:  # fmt: skip
    frequent = sorted(days_by_label, key=lambda k: (-len(days_by_label[k]), k))[:top]
    rows = []
    for key in frequent:
        energies = [daily[d] for d in days_by_label[key] if d in daily]
        mean = sum(energies) / len(energies) if energies else None
        delta = mean - baseline if mean is not None and baseline is not None else None
        label = spellings[key].most_common(1)[0][0]
        rows.append(LedgerRow(label, kind, len(days_by_label[key]), mean, delta))
    sign = 1 if kind == DRAIN else -1
    rows.sort(key=lambda r: (r.delta is None, sign * (r.delta or 0.0), -r.count, r.label.casefold()))
    return tuple(rows)


def build_ledger(entries: Iterable[Entry], start: date, end: date, top: int = TOP) -> Ledger:
    chosen = [e for e in entries if start <= local_day(e) <= end]
    daily = daily_energy(chosen)
    baseline = sum(daily.values()) / len(daily) if daily else None
    found: dict[str, tuple[dict[str, set[date]], dict[str, Counter[str]]]] = {
        kind: (defaultdict(set), defaultdict(Counter)) for kind in (DRAIN, FUEL)
    }
    for entry in chosen:
        for kind, labels in ((DRAIN, entry.drains), (FUEL, entry.fuels)):
            days, spellings = found[kind]
            for label in labels:
                key = label.casefold()
                days[key].add(local_day(entry))
                spellings[key][label] += 1
    return Ledger(
        start=start,
        end=end,
        baseline=baseline,
        days_with_energy=len(daily),
        drains=_rows(DRAIN, *found[DRAIN], daily, baseline, top),
        fuels=_rows(FUEL, *found[FUEL], daily, baseline, top),
    )


def signed(value: float) -> str:
    """A difference with its sign, one decimal; one that rounds to nothing is "0.0", never "-0.0"."""
    text = f"{value:+.1f}"
    return "0.0" if text in ("+0.0", "-0.0") else text


def ledger_summary(ledger: Ledger) -> str:
    """One sentence, e.g. "Charting appears on your lowest days: -1.8 against your average of 5.6"."""
    if ledger.baseline is None:
        if ledger.rows:
            return (
                "Drains and fuels are counted here; add an energy level to check-ins to see how they compare."
            )
        return "No drains, fuels or energy levels in this period yet."
    low = next((r for r in ledger.drains if r.delta is not None and r.delta < 0), None)
    high = next((r for r in ledger.fuels if r.delta is not None and r.delta > 0), None)
    parts = []
    if low is not None:
        parts.append(f"{low.label} appears on your lowest days: {signed(low.delta or 0.0)}")
    if high is not None:
        parts.append(f"{high.label} on your best: {signed(high.delta or 0.0)}")
    average = f"against your average of {ledger.baseline:.1f}"
    if not parts:
        return f"No drain or fuel stands out yet {average} over {ledger.days_with_energy} days."
    sentence = "; ".join(parts)
    return sentence[0].upper() + sentence[1:] + f" ({average})."
