"""The served app in headless Chromium, timed where people feel it (issue 14): unlock, save, Journal,
search, Trends, export, each from the person's action to the result on screen, and the server's memory.

    python -m benchmarks.app             # 1,000 and 50,000 entries, default key cost (make bench-app)
    python -m benchmarks.app --tiny      # a few dozen entries, test key cost, one run (CI keeps it working)
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks import app_goals, corpus, report
from benchmarks.app_server import peak_mb, rss_mb, serving
from benchmarks.app_steps import App
from benchmarks.app_vaults import PASSPHRASE, cached_vault, working_copy
from benchmarks.run import ROOT, cache_dir
from purpose_app.crypto import kdf

DEFAULT_OUT = ROOT / "benchmarks" / "results" / "app-latest.json"
FULL_SIZES = (1_000, 50_000)
TINY_SIZE = 36
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
BROWSER_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip
VIEWPORT = {"width": 390, "height": 844}  # a phone: where a tired physician most often opens it
CYCLE_STEPS = ("unlock", "save", "journal", "search", "trends")


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _stats(samples: list[float], warmups: int) -> dict[str, Any]:
    return {"median": statistics.median(samples), "min": min(samples), "max": max(samples),
            "runs": len(samples), "warmups": warmups, "samples": samples}  # fmt: skip


def kdf_seconds(params: kdf.KdfParams, runs: int) -> float:
    """The key derivation alone, as unlocking does it: the median of `runs` after one warm-up."""
    salt = kdf.new_salt()
    times = []
    for _ in range(runs + 1):
        started = time.perf_counter()
        kdf.derive_key(PASSPHRASE, salt, params)
        times.append(time.perf_counter() - started)
    return statistics.median(times[1:])


def newest_text(size: int, run: int) -> str:
    """The entry each cycle saves: its first line is the newest row's headline in Journal."""
    return f"Benchmark at {size:,}, run {run + 1}: a quiet minute before rounds."


def _session(app: App, size: int, run: int) -> dict[str, float]:
    """One session as a person has it: unlock, write and save, Journal, search, Trends, lock."""
    text = newest_text(size, run)
    return {
        "unlock": app.unlock(PASSPHRASE),
        "save": app.save_entry(text),
        "journal": app.journal(text),
        "search": app.search(corpus.SEARCH_WORD),
        "trends": app.trends(),
    }


def measure_size(
    browser: Any, vault: Path, scratch: Path, size: int, args: argparse.Namespace
) -> dict[str, Any]:
    load_before = os.getloadavg()[0]
    copy = working_copy(vault, scratch)
    samples: dict[str, list[float]] = {step: [] for step in (*CYCLE_STEPS, "export")}
    with serving(copy, scratch / "server.log", args.kdf) as server:
        context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
        app = App(context.new_page())
        app.open(server.url)
        cycles = args.warmups + args.runs
        for run in range(cycles):
            _say(f"  {size:,}: session {run + 1} of {cycles}{' (warm-up)' if run < args.warmups else ''}")
            timed = _session(app, size, run)
            if run >= args.warmups:
                for step, value in timed.items():
                    samples[step].append(value)
            app.lock()
        app.unlock(PASSPHRASE)
        exported = 0
        for run in range(cycles):
            _say(f"  {size:,}: export {run + 1} of {cycles}")
            seconds, exported = app.export(scratch / "export.md")
            if run >= args.warmups:
                samples["export"].append(seconds)
        last = (scratch / "export.md").read_text(encoding="utf-8")
        if newest_text(size, cycles - 1) not in last:
            raise AssertionError("the exported Markdown lacks the entry saved last")
        memory = _memory(browser, server.url, server.pid, size)
        context.close()
    kdf_s = kdf_seconds(args.params, max(args.runs, 1))
    steps = {step: _stats(values, args.warmups) for step, values in samples.items()}
    steps["unlock_beyond_kdf"] = _stats([s - kdf_s for s in samples["unlock"]], args.warmups)
    return {"steps": steps, "kdf_s": kdf_s, "export_bytes": exported, "memory": memory, "seen": app.seen,
            "load_before": load_before, "load_after": os.getloadavg()[0]}  # fmt: skip


def _memory(browser: Any, url: str, pid: int, size: int) -> dict[str, float]:
    """The server's memory with the first session unlocked (it has been through every screen and the
    exports), then with a second browser session of the same vault unlocked and through the same
    screens (no export) while the first stays unlocked."""
    time.sleep(2)
    one = rss_mb(pid)
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    try:
        second = App(context.new_page())
        second.open(url)
        _session(second, size, 1_000)
        time.sleep(2)
        two = rss_mb(pid)
    finally:
        context.close()
    return {"one_session_mb": one, "two_sessions_mb": two, "peak_mb": peak_mb(pid)}


def run(args: argparse.Namespace) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    cache = cache_dir(args.cache)
    started = time.perf_counter()
    results: dict[str, Any] = {
        "meta": {
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "variant": "tiny" if args.tiny else "full",
            "sizes": args.sizes,
            "seed": corpus.SEED,
            "python": platform.python_version(),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores",
            "browser": f"headless Chromium ({CHROMIUM}), viewport {VIEWPORT['width']}x{VIEWPORT['height']}",
            "runs": args.runs,
            "warmups": args.warmups,
            "kdf": f"{args.params.profile} (Argon2id {args.params.memory_kib // 1024} MiB, "
            f"t={args.params.time_cost}, p={args.params.parallelism})",
            "policy": "median of the runs after the warm-ups; each session unlocks, saves an entry, opens "
            "Journal, searches, opens Trends and locks; times run from the click (or the typed word) until "
            "the result is in the browser's accessibility tree; memory is the server's RSS (process tree) "
            "after the exports, then with a second session",
        },
        "sizes": {},
    }
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        try:
            for size in args.sizes:
                _say(f"{size:,} entries: the vault ({args.params.profile} key cost) ...")
                vault = cached_vault(cache, size, args.params)
                scratch = Path(tempfile.mkdtemp(prefix=f"app-bench-{size}-", dir=cache))
                try:
                    results["sizes"][str(size)] = measure_size(browser, vault, scratch, size, args)
                finally:
                    shutil.rmtree(scratch, ignore_errors=True)
                # Each size's lines as soon as they are measured: a long run interrupted keeps them.
                _say(app_goals.format_table(app_goals.lines_for(size, results["sizes"][str(size)])))
        finally:
            browser.close()
    lines = app_goals.all_lines(results)
    results["lines"] = [line.as_dict() for line in lines]
    results["meta"]["total_s"] = time.perf_counter() - started
    return results


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.app", description=__doc__.split("\n\n")[0])
    parser.add_argument("--tiny", action="store_true", help=f"{TINY_SIZE} entries, test key cost, one run")
    parser.add_argument("--sizes", type=int, nargs="+", help="journal sizes (default 1,000 50,000)")
    parser.add_argument("--runs", type=int, help="measured sessions per size (default 5; tiny 1)")
    parser.add_argument("--warmups", type=int, help="warm-up sessions per size (default 1; tiny 0)")
    parser.add_argument("--kdf", choices=sorted(kdf.PROFILES), help="key cost (default; tiny: test)")
    parser.add_argument("--cache", help="cache folder (default .bench-cache/ or $PURPOSE_BENCH_CACHE)")
    parser.add_argument("--out", type=Path, help=f"results JSON (default {DEFAULT_OUT.relative_to(ROOT)})")
    args = parser.parse_args(argv)
    args.sizes = args.sizes or ([TINY_SIZE] if args.tiny else list(FULL_SIZES))
    args.runs = args.runs if args.runs is not None else (1 if args.tiny else 5)
    args.warmups = args.warmups if args.warmups is not None else (0 if args.tiny else 1)
    args.kdf = args.kdf or ("test" if args.tiny else "default")
    args.params = kdf.PROFILES[args.kdf]
    args.out = args.out or (cache_dir(args.cache) / "app-tiny.json" if args.tiny else DEFAULT_OUT)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    _say(f"load before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (1, 5, 15 min)")
    results = run(args)
    lines = app_goals.all_lines(results)
    report.write_json(results, args.out)
    meta = results["meta"]
    print(f"The served app in {meta['browser']}; {meta['machine']}, Python {meta['python']}; key cost "
          f"{meta['kdf']}; {meta['runs']} run(s) after {meta['warmups']} warm-up(s).")  # fmt: skip
    print(app_goals.format_table(lines))
    met, judged = app_goals.count_met(lines)
    print(f"Goals met at 50,000: {met} of {judged}. Results: {args.out} ({meta['total_s']:.0f} s in all).")
    return 0
