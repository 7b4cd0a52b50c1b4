"""Issue 14's speed goals for the served app, judged from the app benchmark's results, and its table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

MET, NOT_MET, NA = "met", "not met", "n/a"
GOAL_SIZE = 50_000


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    limit_s: float | None  # the goal at 50,000 entries, in seconds (None: shown, not judged)
    target: str


STEPS = (
    Step("unlock", "unlock -> Today ready (incl. key derivation)", None, "—"),
    Step("unlock_beyond_kdf", "unlock -> Today ready, less key derivation", 0.5, "key derivation + 0.5 s"),
    Step("save", "Save entry -> confirmed", 0.15, "0.15 s"),
    Step("journal", "Journal tab -> first entries", 0.3, "0.3 s"),
    Step("search", "search -> results", 0.2, "0.2 s"),
    Step("trends", "Trends, first open", 0.8, "0.8 s"),
    Step("export", "export to Markdown -> download complete", 8.0, "8 s"),
)
MEMORY_LIMIT_MB = 300.0
TWO_SESSIONS_FACTOR = 1.5


def seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def _status(met: bool, size: int) -> str:
    status = MET if met else NOT_MET
    return status if size >= GOAL_SIZE else f"{status} (at {size:,})"


@dataclass(frozen=True)
class Line:
    size: int
    label: str
    measured: str
    target: str
    status: str
    load: str

    def as_dict(self) -> dict[str, object]:
        return self.__dict__.copy()


def _load(measured: dict[str, Any]) -> str:
    before, after = measured["load_before"], measured["load_after"]
    return f"{before:.2f} -> {after:.2f}"


def lines_for(size: int, measured: dict[str, Any]) -> list[Line]:
    """The table's lines for one journal size: each step, key derivation, memory."""
    load = _load(measured)
    steps: dict[str, dict[str, Any]] = measured["steps"]
    out = [Line(size, "key derivation (Argon2id, the vault's cost), in-process", seconds(measured["kdf_s"]),
                "—", "—", load)]  # fmt: skip
    for step in STEPS:
        stats = steps.get(step.key)
        if stats is None:
            out.append(Line(size, step.label, "not measured", step.target, NA, load))
            continue
        spread = f" [{seconds(stats['min'])}-{seconds(stats['max'])}]" if stats["runs"] > 1 else ""
        shown = f"{seconds(stats['median'])}{spread} ({stats['runs']} run{'s' * (stats['runs'] > 1)})"
        status = "—" if step.limit_s is None else _status(stats["median"] <= step.limit_s, size)
        out.append(Line(size, step.label, shown, step.target, status, load))
    memory = measured.get("memory")
    if memory:
        one, two = memory["one_session_mb"], memory["two_sessions_mb"]
        limit = f"<= {MEMORY_LIMIT_MB:.0f} MB"
        out.append(Line(size, "server memory (RSS), one unlocked session", f"{one:.0f} MB", limit,
                        _status(one <= MEMORY_LIMIT_MB, size), load))  # fmt: skip
        out.append(Line(size, "server memory (RSS), two sessions of the same vault",
                        f"{two:.0f} MB ({two / one:.2f}x one; peak {memory['peak_mb']:.0f} MB)",
                        f"<= {TWO_SESSIONS_FACTOR}x one", _status(two <= TWO_SESSIONS_FACTOR * one, size),
                        load))  # fmt: skip
    return out


def all_lines(results: dict[str, Any]) -> list[Line]:
    return [line for size, measured in results["sizes"].items() for line in lines_for(int(size), measured)]


def format_table(lines: list[Line]) -> str:
    header = (
        "entries",
        "step",
        "median [min-max]",
        "goal at 50,000",
        "status",
        "load (1 min) before -> after",
    )
    rows: list[tuple[str, ...]] = [header]
    rows += [(f"{ln.size:,}", ln.label, ln.measured, ln.target, ln.status, ln.load) for ln in lines]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]

    def render(row: tuple[str, ...]) -> str:
        return "| " + " | ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)) + " |"

    return "\n".join(
        [render(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(render, rows[1:])]
    )


def count_met(
    lines: list[Line], judged: Callable[[str], bool] = lambda s: s in (MET, NOT_MET)
) -> tuple[int, int]:
    """(met, judged) over the lines at the goal's size."""
    at_goal = [ln for ln in lines if judged(ln.status)]
    return sum(ln.status == MET for ln in at_goal), len(at_goal)
