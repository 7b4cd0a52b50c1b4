"""The goals of issues 7 and 16, each judged met or not met from the results.

Whole-process goals compare medians measured side by side in the same run (speed-up = jrnl's time /
Purpose's). In-process goals are absolute. A goal whose size was not measured in this run (the tiny
variant) is "n/a"; an in-process goal measured below its size is judged, but marked as indicative.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

MET, NOT_MET, NA, PENDING = "met", "not met", "n/a", "pending"
GOAL_SIZE = 50_000
IMPORT_SIZE = 10_000


@dataclass(frozen=True)
class Goal:
    id: str
    label: str
    target: str
    judge: Callable[[dict[str, Any]], tuple[str, str]]  # results -> (status, measured)


def _speedup(size: int, op: str, at_least: float) -> Callable[[dict[str, Any]], tuple[str, str]]:
    def judge(results: dict[str, Any]) -> tuple[str, str]:
        line = results.get("whole_process", {}).get(str(size), {}).get(op)
        if not line or line.get("speedup") is None:
            return NA, f"not measured at {size:,}"
        return (MET if line["speedup"] >= at_least else NOT_MET), f"{line['speedup']:.1f}x"

    return judge


def _memory(results: dict[str, Any]) -> tuple[str, str]:
    lines = results.get("whole_process", {}).get(str(GOAL_SIZE), {})
    ratios = {op: line["memory_ratio"] for op, line in lines.items() if line.get("memory_ratio") is not None}
    if not ratios:
        return NA, f"not measured at {GOAL_SIZE:,}"
    worst = max(ratios, key=lambda op: ratios[op])
    return (MET if ratios[worst] <= 0.5 else NOT_MET), f"worst {ratios[worst]:.2f} ({worst})"


AGENT = "_agent"  # the suffix of the lines measured with `purpose unlock` running (whole_process.py)
_SIZE_NAMES = {1_000: "1k", 10_000: "10k", 50_000: "50k"}
# Issue 16, with the agent: at least this much faster than jrnl, per size (add at 50,000: 100x).
_AGENT_TARGETS = {1_000: 2.0, 10_000: 5.0, 50_000: 10.0}


def _agent_goals() -> tuple[Goal, ...]:
    made = []
    for size, at_least in _AGENT_TARGETS.items():
        for op in ("add", "search", "tag", "export"):
            wanted = 100.0 if (op, size) == ("add", 50_000) else at_least
            made.append(Goal(f"agent_{op}_{_SIZE_NAMES[size]}", f"{op} with the agent at {size:,} entries",
                             f">= {wanted:g}x faster", _speedup(size, op + AGENT, wanted)))  # fmt: skip
    return tuple(made)


def _agent_memory(results: dict[str, Any]) -> tuple[str, str]:
    ratios = {
        f"{op.removesuffix(AGENT)} at {int(size):,}": line["memory_ratio"]
        for size, lines in results.get("whole_process", {}).items()
        for op, line in lines.items()
        if op.endswith(AGENT) and line.get("memory_ratio") is not None
    }
    if not ratios:
        return NA, "not measured"
    worst = max(ratios, key=lambda op: ratios[op])
    return (MET if ratios[worst] <= 1 / 3 else NOT_MET), f"worst {ratios[worst]:.2f} ({worst})"


AGENT_GOALS = _agent_goals()


def _in_process(
    key: str, limit: float, unit: str, *, minus: str | None = None
) -> Callable[[dict[str, Any]], tuple[str, str]]:
    def judge(results: dict[str, Any]) -> tuple[str, str]:
        sessions = results.get("in_process", {}).get("session", {})
        if not sessions:
            return NA, "not measured"
        size = max(sessions, key=int)
        value = sessions[size].get(key)
        if value is None:
            return NA, "not measured"
        shown = f"{value * 1000:.1f} ms" if unit == "s" and value < 1 else f"{value:.2f} {unit}"
        if unit == "MB":
            shown = f"{value:.0f} MB"
        status = MET if value < limit else NOT_MET
        if int(size) < GOAL_SIZE:
            return f"{status} (at {int(size):,})", shown
        return status, shown

    return judge


def _import(results: dict[str, Any]) -> tuple[str, str]:
    line = results.get("in_process", {}).get("import", {})
    if not line:
        return NA, "not measured"
    if "pending" in line:
        return PENDING, line["pending"]
    shown = f"{line['import_s']:.2f} s for {line['entries']:,}"
    status = MET if line["import_s"] < 5.0 else NOT_MET
    size = line.get("requested", line["entries"])
    if size < IMPORT_SIZE:
        return f"{status} (at {size:,})", shown
    return status, shown


GOALS = (
    # Issue 16 (without the agent: each command derives the key at the default cost).
    Goal("add_10k", "add one entry at 10,000 entries", ">= 5x faster than jrnl", _speedup(10_000, "add", 5)),
    Goal("add_50k", "add one entry at 50,000 entries", ">= 50x faster", _speedup(50_000, "add", 50)),
    Goal("search_50k", "full-text search at 50,000", ">= 3x faster", _speedup(50_000, "search", 3)),
    Goal("tag_50k", "tag filter at 50,000", ">= 3x faster", _speedup(50_000, "tag", 3)),
    Goal("export_50k", "export to JSON at 50,000", ">= 25x faster", _speedup(50_000, "export", 25)),
    Goal("memory_50k", "peak memory at 50,000, each operation", "<= 0.5 x jrnl's", _memory),
    Goal("save_median", "in-process save, median", "< 5 ms", _in_process("save_median_s", 0.005, "s")),
    Goal("save_p99", "in-process save, 99th percentile", "< 25 ms", _in_process("save_p99_s", 0.025, "s")),
    Goal("search_inproc", "in-process first search", "< 200 ms", _in_process("search_first_s", 0.2, "s")),
    Goal("unlock_first_page", "unlock to first page", "< 1 s + key derivation",
         _in_process("unlock_to_first_page_beyond_kdf_s", 1.0, "s")),
    Goal("chart_3y", "3-year energy chart", "< 250 ms", _in_process("chart_s", 0.25, "s")),
    Goal("memory_inproc", "in-process peak memory", "< 300 MB", _in_process("peak_mb", 300, "MB")),
    Goal("import_10k", "import 10,000 jrnl entries (JSON export)", "< 5 s", _import),
    Goal("search_10k", "full-text search at 10,000", ">= 1.5x faster", _speedup(10_000, "search", 1.5)),
    Goal("tag_10k", "tag filter at 10,000", ">= 1.5x faster", _speedup(10_000, "tag", 1.5)),
    Goal("export_10k", "export to JSON at 10,000", ">= 3x faster", _speedup(10_000, "export", 3)),
    *AGENT_GOALS,
    Goal("agent_memory", "peak memory with the agent, each operation and size", "<= 1/3 x jrnl's",
         _agent_memory),
)  # fmt: skip


def judge_all(results: dict[str, Any]) -> list[dict[str, str]]:
    judged = []
    for goal in GOALS:
        status, measured = goal.judge(results)
        judged.append({"id": goal.id, "goal": goal.label, "target": goal.target,
                       "measured": measured, "status": status})  # fmt: skip
    return judged
