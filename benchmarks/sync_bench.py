"""Sync speed as whole processes: `purpose sync` sending or receiving one new entry in a large journal,
and `purpose join` bringing the whole journal to a new device, against issue 15's goals.

    python -m benchmarks.sync_bench --size 50000      # also run by `python -m benchmarks` (make bench)

Goals: a sync that sends or receives one new entry within 0.5 s plus one key derivation; the first sync
of the journal to a new device (`purpose join`, which derives the key once and reads everything) within
15 s. The vault is made at the default key-derivation cost, as a person's would be.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks import corpus, purpose_build
from benchmarks.timing import run_once
from purpose_app.crypto import kdf

ONE_ENTRY_EXTRA_S = 0.5
JOIN_S = 15.0
MET, NOT_MET = "met", "not met"


def _exe() -> str:
    exe = Path(sys.executable).with_name("purpose")
    return str(exe) if exe.is_file() else "purpose"


def _env(vault: Path) -> dict[str, str]:
    env = {**os.environ, "PURPOSE_VAULT": str(vault), "PURPOSE_PASSPHRASE": purpose_build.PASSPHRASE,
           "PURPOSE_NO_AGENT": "1"}  # fmt: skip
    env.pop("PURPOSE_KDF_PROFILE", None)  # a vault opens at the cost it was made with
    return env


def kdf_seconds(runs: int = 3) -> float:
    """One key derivation at the default cost, in this process: the median of `runs`."""
    salt = kdf.new_salt()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        kdf.derive_key(purpose_build.PASSPHRASE, salt, kdf.DEFAULT)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def measure_sync(work: Path, size: int, runs: int = 3, say: Any = print) -> dict[str, Any]:
    """Build a `size`-entry vault, sync it into a folder, join a second device, then time single-entry
    syncs both ways `runs` times. Returns seconds and the goals judged."""
    root = work / f"sync-{size}"
    shutil.rmtree(root, ignore_errors=True)
    folder = root / "Sync"
    folder.mkdir(parents=True)
    first, second = root / "desktop", root / "phone"
    say(f"sync: building a {size:,}-entry vault ...")
    purpose_build.build_vault(first, corpus.entries(size))
    exe = _exe()
    sync = [exe, "sync", "--folder", str(folder)]
    say("sync: the first sync of the whole journal ...")
    first_sync_s, first_sync_mb = run_once(sync, _env(first))
    say("sync: joining a new device (`purpose join`) ...")
    join_s, join_mb = run_once([exe, "join", str(folder)], _env(second))
    sends, receives = [], []
    for turn in range(runs):
        add = [exe, "add", "--title", f"one more night {turn}", "--body", "a short one after the shift"]
        run_once(add, _env(first))
        sends.append(run_once(sync, _env(first))[0])
        receives.append(run_once(sync, _env(second))[0])
    load = os.getloadavg()[0]  # a loaded machine times everything slower: said beside the numbers
    derive = kdf_seconds()
    one_entry_goal = ONE_ENTRY_EXTRA_S + derive
    send, receive = statistics.median(sends), statistics.median(receives)
    return {
        "size": size,
        "load_average": load,
        "kdf_s": derive,
        "first_sync_s": first_sync_s,
        "first_sync_peak_mb": first_sync_mb,
        "change_files_mb": sum(p.stat().st_size for p in (folder / "purpose-sync").iterdir()) / 1e6,
        "join_s": join_s,
        "join_peak_mb": join_mb,
        "send_one_s": send,
        "send_one_samples": sends,
        "receive_one_s": receive,
        "receive_one_samples": receives,
        "goals": {
            "send one entry": _judge(send, one_entry_goal),
            "receive one entry": _judge(receive, one_entry_goal),
            "join (first sync to a new device)": _judge(join_s, JOIN_S),
        },
    }


def _judge(seconds: float, goal: float) -> dict[str, Any]:
    return {"seconds": seconds, "goal_s": goal, "status": MET if seconds <= goal else NOT_MET}


def format_lines(result: dict[str, Any]) -> str:
    lines = [
        f"Sync at {result['size']:,} entries (whole processes; one key derivation here: "
        f"{result['kdf_s']:.2f} s; first sync {result['first_sync_s']:.1f} s, "
        f"{result['change_files_mb']:.0f} MB of change files; load average {result['load_average']:.2f}):"
    ]
    for name, goal in result["goals"].items():
        lines.append(f"  {name}: {goal['seconds']:.2f} s (goal {goal['goal_s']:.2f} s): {goal['status']}")
    return "\n".join(lines)


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.sync_bench", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--size", type=int, default=50_000, help="entries in the journal (default 50,000)")
    parser.add_argument("--runs", type=int, default=3, help="single-entry syncs timed each way (default 3)")
    parser.add_argument("--work", type=Path, help="scratch folder (default .bench-cache/)")
    args = parser.parse_args(argv)
    work = args.work or Path(__file__).resolve().parent.parent / ".bench-cache"
    work.mkdir(parents=True, exist_ok=True)
    result = measure_sync(
        work, args.size, args.runs, say=lambda text: print(text, file=sys.stderr, flush=True)
    )
    print(format_lines(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
