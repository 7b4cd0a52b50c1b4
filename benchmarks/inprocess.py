"""Purpose measured inside one Python process, as the app uses it. Run as its own child process so
its peak memory is the work's alone (not the benchmark's generator):

    python -m benchmarks.inprocess session VAULT --today 2026-06-30 --saves 200
    python -m benchmarks.inprocess import JRNL_EXPORT.json FOLDER

Prints one JSON object of seconds (and MB) on stdout.
"""

from __future__ import annotations

import argparse
import json
import resource
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from contextlib import closing
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks.corpus import SEARCH_WORD, TAG, new_entry_text
from benchmarks.purpose_build import PASSPHRASE
from benchmarks.timing import percentile

FIRST_PAGE = 20  # entries on the journal's first screen
CHART_DAYS = 3 * 365
_WARM_WORDS = (SEARCH_WORD, "bed twelve lighthouse", "thank-you note", SEARCH_WORD.upper(), "xyzzy")


def _timed(call: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def _median_of(call: Callable[[], Any], runs: int) -> tuple[float, float, float]:
    call()  # warm-up
    samples = [_timed(call)[0] for _ in range(runs)]
    return statistics.median(samples), min(samples), max(samples)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6


def _passphrase_slot(folder: Path) -> Any:
    from purpose_app.crypto import keyslots

    with closing(sqlite3.connect(f"file:{folder / 'purpose.db'}?mode=ro", uri=True)) as db:
        params, wrapped = db.execute(
            "SELECT params, wrapped FROM key_slots WHERE name = ?", (keyslots.PASSPHRASE,)
        ).fetchone()
    return keyslots.KeySlot(keyslots.PASSPHRASE, bytes(params), bytes(wrapped))


def session(folder: Path, today: date, saves: int, runs: int) -> dict[str, Any]:
    from purpose_app.crypto import kdf, keyslots
    from purpose_app.domain.entry import EntryChanges
    from purpose_app.domain.query import EntryQuery
    from purpose_app.insight import charts
    from purpose_app.services import vault
    from purpose_app.services.trends import Trends

    result: dict[str, Any] = {}
    # The key derivation alone, at the vault's own cost: its own line, subtracted from unlock.
    params, salt = keyslots.passphrase_params(_passphrase_slot(folder))
    result["kdf_profile"] = params.profile
    result["kdf_s"] = _median_of(lambda: kdf.derive_key(PASSPHRASE, salt, params), 3)[0]

    # The derivation inside this very unlock is timed too (the machine's load moves between runs).
    derivations: list[float] = []
    derive = kdf.derive_key

    def timed_derive(*args: Any) -> bytes:
        seconds, key = _timed(lambda: derive(*args))
        derivations.append(seconds)
        return bytes(key)

    kdf.derive_key = timed_derive  # type: ignore[assignment]
    try:
        started = time.perf_counter()
        opened = vault.unlock(folder, PASSPHRASE)
        unlocked = time.perf_counter()
    finally:
        kdf.derive_key = derive  # type: ignore[assignment]
    page = opened.entries(limit=FIRST_PAGE)
    first_page = time.perf_counter()
    assert len(page) == min(FIRST_PAGE, opened.count())
    result["entries"] = opened.count()
    result["unlock_s"] = unlocked - started
    result["first_page_s"] = first_page - unlocked
    result["unlock_to_first_page_s"] = first_page - started
    result["unlock_kdf_s"] = sum(derivations)
    result["unlock_to_first_page_beyond_kdf_s"] = first_page - started - sum(derivations)

    try:
        result["search_first_s"], found = _timed(lambda: opened.entries(EntryQuery(text=SEARCH_WORD)))
        result["search_hits"] = len(found)
        words = iter(_WARM_WORDS * (runs + 1))
        result["search_s"] = _median_of(lambda: opened.entries(EntryQuery(text=next(words))), runs)[0]
        result["tag_filter_s"] = _median_of(lambda: opened.entries(EntryQuery(tag=TAG), limit=10), runs)[0]

        trends = Trends(opened)
        result["ledger_s"] = _median_of(lambda: trends.ledger(None, today), runs)[0]
        result["chart_first_s"] = _timed(lambda: charts.render(trends.energy(CHART_DAYS, today)))[0]
        result["chart_s"] = _median_of(lambda: charts.render(trends.energy(CHART_DAYS, today)), runs)[0]

        sample = new_entry_text()
        changes = EntryChanges(
            body=sample.body, tags=sample.tags, energy=sample.energy,
            drains=sample.drains, fuels=sample.fuels, shift=sample.shift,
        )  # fmt: skip
        latencies = [_timed(lambda: opened.add(changes))[0] for _ in range(saves)]
        result["saves"] = saves
        result["save_median_s"] = statistics.median(latencies)
        result["save_p99_s"] = percentile(latencies, 0.99)
        result["save_max_s"] = max(latencies)
    finally:
        opened.lock()
    result["peak_mb"] = _peak_mb()
    return result


def import_jrnl(export: Path, folder: Path) -> dict[str, Any]:
    """Import a jrnl JSON export into a new vault with Purpose's own importer (the key derivation of
    creating the vault is not part of the time)."""
    try:
        from purpose_app.services import transfer
    except ImportError:
        return {"pending": "purpose_app.interchange (the jrnl JSON importer) is not in this tree yet"}
    from purpose_app.crypto import kdf
    from purpose_app.services import vault

    opened, _key = vault.create(folder, PASSPHRASE, kdf.DEFAULT)
    with opened:
        started = time.perf_counter()
        batch = transfer.read("jrnl-json", export)
        parsed = time.perf_counter()
        summary = transfer.store(opened, batch)
        stored = time.perf_counter()
    return {
        "entries": len(summary.added),
        "import_s": stored - started,
        "parse_s": parsed - started,
        "store_s": stored - parsed,
        "peak_mb": _peak_mb(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.inprocess")
    sub = parser.add_subparsers(dest="what", required=True)
    one = sub.add_parser("session")
    one.add_argument("vault", type=Path)
    one.add_argument("--today", type=date.fromisoformat, required=True)
    one.add_argument("--saves", type=int, default=200)
    one.add_argument("--runs", type=int, default=5)
    two = sub.add_parser("import")
    two.add_argument("export", type=Path)
    two.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    if args.what == "session":
        result = session(args.vault, args.today, args.saves, args.runs)
    else:
        result = import_jrnl(args.export, args.folder)
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
