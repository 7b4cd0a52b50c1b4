"""One table of every line (Purpose, jrnl, Purpose/jrnl, goal, met or not) and the results JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from benchmarks.goals import AGENT, AGENT_GOALS, GOALS
from benchmarks.whole_process import LABELS, OPERATIONS

# Which goal each whole-process line answers to.
_LINE_GOALS = {("add", 10_000): "add_10k", ("add", 50_000): "add_50k", ("search", 50_000): "search_50k",
               ("tag", 50_000): "tag_50k", ("export", 50_000): "export_50k", ("search", 10_000): "search_10k",
               ("tag", 10_000): "tag_10k", ("export", 10_000): "export_10k"}  # fmt: skip
_SIZES = {"1k": 1_000, "10k": 10_000, "50k": 50_000}
for _goal in AGENT_GOALS:  # agent_add_1k answers the line ("add_agent", 1000)
    _op, _size = _goal.id.removeprefix("agent_").rsplit("_", 1)
    _LINE_GOALS[(_op + AGENT, _SIZES[_size])] = _goal.id
# In-process lines: (key in the session results, label, goal id or None).
IN_PROCESS_LINES = (
    ("save_median_s", "save, median", "save_median"),
    ("save_p99_s", "save, 99th percentile", "save_p99"),
    ("unlock_s", "unlock (key derivation + reading metadata)", None),
    ("unlock_to_first_page_beyond_kdf_s", "unlock to first page, less key derivation", "unlock_first_page"),
    ("search_first_s", "first search after unlock (decrypts every text)", "search_inproc"),
    ("search_s", "later searches (texts already decrypted)", None),
    ("tag_filter_s", "tag filter, 10 newest", None),
    ("ledger_s", "drains-and-fuels ledger, all time", None),
    ("chart_first_s", "3-year energy chart, first draw (imports matplotlib)", None),
    ("chart_s", "3-year energy chart", "chart_3y"),
    ("peak_mb", "peak memory of the session above", "memory_inproc"),
)  # fmt: skip


def _seconds(value: float) -> str:
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def _stats(stats: dict[str, Any] | None) -> str:
    if not stats:
        return "—"
    spread = f" [{_seconds(stats['min'])}-{_seconds(stats['max'])}]" if stats["runs"] > 1 else ""
    runs = (
        "" if stats["runs"] >= 5 and stats["warmups"] else f" ({stats['runs']} run{'s' * (stats['runs'] > 1)}"
    )
    runs += (", no warm-up)" if not stats["warmups"] else ")") if runs else ""
    return f"{_seconds(stats['median'])}{spread}, {stats['peak_mb']:.0f} MB{runs}"


def build_lines(results: dict[str, Any]) -> list[dict[str, Any]]:
    goals = {g["id"]: g for g in results["goals"]}
    targets = {g.id: g.target for g in GOALS}
    lines: list[dict[str, Any]] = []

    def add(line_id: str, label: str, purpose: str, jrnl: str, ratio: str, goal: str | None) -> None:
        lines.append({
            "id": line_id, "label": label, "purpose": purpose, "jrnl": jrnl, "ratio": ratio,
            "goal": targets[goal] if goal else "—", "status": goals[goal]["status"] if goal else "—",
        })  # fmt: skip

    for size, ops in results["whole_process"].items():
        for op in (*OPERATIONS, *(op + AGENT for op in OPERATIONS)):
            line = ops.get(op)
            if line is None:
                continue
            ratio = "—"
            if line.get("speedup") is not None:
                ratio = f"{line['ratio']:.3f} ({line['speedup']:.1f}x faster)"
            goal = _LINE_GOALS.get((op, int(size)))
            label = LABELS[op.removesuffix(AGENT)] + (", with the agent" if op.endswith(AGENT) else "")
            add(f"{op}@{size}", f"{label}, {int(size):,} entries", _stats(line["purpose"]),
                _stats(line.get("jrnl")), ratio, goal)  # fmt: skip
        if int(size) == 50_000:
            add("memory@50000", "peak memory at 50,000 (Purpose/jrnl, per operation)",
                "", "", goals["memory_50k"]["measured"], "memory_50k")  # fmt: skip
    if "agent_memory" in goals:
        add("memory_agent", "peak memory with the agent (Purpose/jrnl, worst operation and size)",
            "", "", goals["agent_memory"]["measured"], "agent_memory")  # fmt: skip

    kdf = results.get("kdf", {})
    if kdf:
        jrnl = kdf.get("jrnl_s")
        add("kdf", "key derivation, once per command without the agent (each tool's default)",
            f"{_seconds(kdf['purpose_s'])} ({kdf['purpose']})",
            f"{_seconds(jrnl)} ({kdf['jrnl']})" if jrnl else "—",
            f"{kdf['purpose_s'] / jrnl:.1f}" if jrnl else "—", None)  # fmt: skip

    sessions = results.get("in_process", {}).get("session", {})
    if sessions:
        size = max(sessions, key=int)
        session = sessions[size]
        for key, label, goal in IN_PROCESS_LINES:
            value = session.get(key)
            shown = "—" if value is None else (f"{value:.0f} MB" if key == "peak_mb" else _seconds(value))
            add(f"inproc.{key}", f"in-process at {int(size):,}: {label}", shown, "", "", goal)
    imported = results.get("in_process", {}).get("import")
    if imported is not None:
        if "pending" in imported:
            shown, label = "pending", "import jrnl entries (JSON export)"
        else:
            shown = f"{_seconds(imported['import_s'])} (parse {_seconds(imported['parse_s'])}), " \
                    f"{imported['peak_mb']:.0f} MB"  # fmt: skip
            count = imported.get("requested", imported["entries"])
            label = f"import {count:,} jrnl entries (JSON export), in-process"
        add("import", label, shown, "", "", "import_10k")
    return lines


def format_table(lines: list[dict[str, Any]]) -> str:
    header = ("line", "Purpose: median [min-max], peak", "jrnl", "Purpose/jrnl", "goal", "status")
    rows = [header] + [(ln["label"], ln["purpose"], ln["jrnl"], ln["ratio"], ln["goal"], ln["status"])
                       for ln in lines]  # fmt: skip
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(header))]

    def render(row: tuple[str, ...]) -> str:
        return "| " + " | ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(row)) + " |"

    out = [render(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [render(row) for row in rows[1:]]
    return "\n".join(out)


def write_json(results: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
