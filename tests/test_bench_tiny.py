"""The tiny benchmark (1,000 entries, one run of each) runs end to end in the normal suite, so `make
bench` keeps working. It asserts that every line is reported, never how fast anything is: CI machines
vary, and the numbers are judged by `make bench` on a quiet machine.

jrnl comes from PyPI into a throw-away environment under .bench-cache/ (made once, about 15 s). Where
it cannot be installed (offline), the jrnl side is skipped and the reason printed; Purpose's lines are
still checked.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OPERATIONS = ("add", "search", "tag", "export")
IN_PROCESS = (
    "kdf_s", "unlock_s", "unlock_kdf_s", "first_page_s", "unlock_to_first_page_s",
    "unlock_to_first_page_beyond_kdf_s", "search_first_s", "search_s", "tag_filter_s", "ledger_s",
    "chart_first_s", "chart_s", "save_median_s", "save_p99_s", "peak_mb",
)  # fmt: skip
GOALS = (
    "add_10k", "add_50k", "search_50k", "tag_50k", "export_50k", "memory_50k", "save_median", "save_p99",
    "search_inproc", "unlock_first_page", "chart_3y", "memory_inproc", "import_10k",
    "search_10k", "tag_10k", "export_10k",
    *(f"agent_{op}_{size}" for size in ("1k", "10k", "50k") for op in ("add", "search", "tag", "export")),
    "agent_memory",
)  # fmt: skip
STATUS = re.compile(r"(met|not met|n/a|pending)( \(at 1,000\))?")


def _timing(stats: dict[str, object]) -> None:
    assert stats["runs"] == 1 and stats["warmups"] == 0
    for key in ("median", "min", "max", "peak_mb"):
        assert isinstance(stats[key], float) and stats[key] > 0, key


def test_tiny_benchmark_reports_every_line(tmp_path):
    out = tmp_path / "tiny.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--tiny", "--out", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(out.read_text(encoding="utf-8"))
    skipped = [note for note in results["meta"]["notes"] if note.startswith("jrnl side skipped")]
    if skipped:
        print(f"\n{skipped[0]}")  # the reason, in the test's output
    with_jrnl = not skipped

    assert results["meta"]["variant"] == "tiny" and results["meta"]["sizes"] == [1000]
    lines = results["whole_process"]["1000"]
    for op in (*OPERATIONS, *(f"{op}_agent" for op in OPERATIONS)):  # without and with the agent
        _timing(lines[op]["purpose"])
        if with_jrnl:
            _timing(lines[op]["jrnl"])
            assert lines[op]["ratio"] > 0 and lines[op]["memory_ratio"] > 0

    session = results["in_process"]["session"]["1000"]
    for key in IN_PROCESS:
        assert isinstance(session[key], float), key
    assert session["saves"] == 50 and session["entries"] >= 1000
    assert session["search_hits"] > 0
    imported = results["in_process"]["import"]
    assert "pending" in imported or imported["entries"] >= 1000
    assert results["kdf"]["purpose_s"] > 0
    if with_jrnl:
        assert results["kdf"]["jrnl_s"] > 0

    assert [g["id"] for g in results["goals"]] == list(GOALS)
    assert all(STATUS.fullmatch(g["status"]) for g in results["goals"]), results["goals"]
    ids = {line["id"] for line in results["lines"]}
    expected = {f"{op}@1000" for op in OPERATIONS} | {f"{op}_agent@1000" for op in OPERATIONS}
    expected |= {"kdf", "import"}
    expected |= {
        f"inproc.{key}" for key in ("save_median_s", "save_p99_s", "search_first_s", "chart_s", "peak_mb")
    }
    assert expected <= ids
    # The one table is printed, with a status for every goal line.
    assert "| line" in done.stdout and "Goals met:" in done.stdout
