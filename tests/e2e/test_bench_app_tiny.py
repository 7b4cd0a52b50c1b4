"""The app benchmark's tiny run (a few dozen entries, the test key cost, one run of each step) works
end to end, so `make bench-app` keeps working. It asserts that every step produced a number and that its
result was seen on screen, never how fast: CI machines vary, and `make bench-app` judges the goals."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STEPS = ("unlock", "unlock_beyond_kdf", "save", "journal", "search", "trends", "export")
SEEN = ("unlock", "save", "journal", "search", "trends", "export")
STATUS = re.compile(r"^(met|not met|n/a|—)( \(at [\d,]+\))?$")


def test_tiny_app_benchmark_times_every_step_and_sees_each_result(browser, tmp_path: Path) -> None:
    """Every step has one measured run, a positive time and what showed it done; memory is measured for
    one and two sessions; the table names every step and the JSON is written."""
    del browser  # only for its rule: skipped without Chromium, a failure in CI
    out = tmp_path / "app.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.app", "--tiny", "--cache", str(tmp_path / "cache"), "--out", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(out.read_text(encoding="utf-8"))
    [(size, measured)] = results["sizes"].items()
    assert 24 <= int(size) <= 60 and results["meta"]["kdf"].startswith("test")
    for step in STEPS:
        stats = measured["steps"][step]
        assert (stats["runs"], stats["warmups"]) == (1, 0), step
        assert isinstance(stats["median"], float), step
    for step in set(STEPS) - {"unlock_beyond_kdf"}:  # less the derivation it can be ~0 at the test cost
        assert measured["steps"][step]["median"] > 0, step
    assert set(measured["seen"]) == set(SEEN), measured["seen"]
    assert all(measured["seen"].values()), measured["seen"]
    assert re.fullmatch(r"(\d+ entr(y matches|ies match)|Nothing matches)\.", measured["seen"]["search"])
    assert measured["seen"]["unlock"] == "Quick check-in"
    assert measured["export_bytes"] > 1000  # every entry, as Markdown
    memory = measured["memory"]
    assert memory["one_session_mb"] > 0 and memory["two_sessions_mb"] > 0 and memory["peak_mb"] > 0
    assert len(results["lines"]) == 1 + len(STEPS) + 2 and all(
        STATUS.match(ln["status"]) for ln in results["lines"]
    )
    for label in ("unlock", "Save entry", "Journal tab", "search", "Trends", "export", "two sessions"):
        assert label in done.stdout, label
