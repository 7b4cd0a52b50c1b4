"""The benchmark: build the same journals for Purpose and jrnl, time both on the same work, time Purpose
in-process, judge the goals, print one table and write the results JSON.

    python -m benchmarks                 # full: 1,000 / 10,000 / 50,000 entries (make bench)
    python -m benchmarks --tiny          # 1,000 entries, one run of each (make bench-tiny, CI)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks import corpus, goals, jrnl_env, purpose_build, report, sync_bench, whole_process
from benchmarks.timing import measure, run_once

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "benchmarks" / "results" / "latest.json"
FULL_SIZES = (1_000, 10_000, 50_000)


def cache_dir(path: str | None) -> Path:
    cache = Path(path or os.environ.get("PURPOSE_BENCH_CACHE") or ROOT / ".bench-cache").resolve()
    cache.mkdir(parents=True, exist_ok=True)
    ignore = cache / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# benchmark scratch: throw-away jrnl environment, generated journals\n*\n")
    return cache


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _jrnl_kdf_seconds(env: jrnl_env.JrnlEnv) -> float | None:
    """jrnl's own key derivation (PBKDF2-SHA256, 100,000 iterations, what its v3 format uses), timed
    with its own cryptography package: the median of 5."""
    code = (
        "import statistics,time\n"
        "from cryptography.hazmat.primitives import hashes\n"
        "from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC\n"
        "s=[]\n"
        "for _ in range(6):\n"
        "    t=time.perf_counter()\n"
        "    PBKDF2HMAC(algorithm=hashes.SHA256(),length=32,salt=b'0'*16,iterations=100_000).derive(b'pw')\n"
        "    s.append(time.perf_counter()-t)\n"
        "print(statistics.median(s[1:]))\n"
    )
    done = subprocess.run([str(env.python), "-c", code], capture_output=True, text=True, check=False)  # noqa: S603
    return float(done.stdout) if done.returncode == 0 else None


def _jrnl_export_file(env: jrnl_env.JrnlEnv | None, config: Path | None, size: int, target: Path) -> str:
    """A jrnl JSON export of `size` entries for the import line: made by jrnl itself when it is here,
    else written in jrnl's export schema from the same entries."""
    if env is not None and config is not None:
        command = whole_process.jrnl_commands(env, config)["export"]
        run_once(command.argv, command.env, stdout=target)
        return "jrnl --export json"
    items = [
        {"title": e.title, "body": e.body, "date": e.created.strftime("%Y-%m-%d"),
         "time": e.created.strftime("%H:%M"), "tags": [f"@{t}" for t in e.tags], "starred": False}
        for e in corpus.entries(size)
    ]  # fmt: skip
    target.write_text(json.dumps({"tags": {}, "entries": items}), encoding="utf-8")
    return "written in jrnl's export schema (jrnl unavailable)"


def _compile_purpose() -> None:
    """Purpose's bytecode, written now as `pip install` writes it: a module edited since its last run
    (or a tree run with PYTHONDONTWRITEBYTECODE) would otherwise be compiled again by every timed
    command, about 0.1 s that no installed copy pays."""
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "compileall", "-q", str(ROOT / "purpose_app")],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        _say("compileall failed: the timed commands compile what they import")


def _inprocess(scratch: Path, *args: str) -> dict[str, Any]:
    """benchmarks.inprocess in its own process, started by the launcher so that the peak memory it
    reports is its own."""
    out = scratch / "inprocess.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run_once([sys.executable, "-m", "benchmarks.inprocess", *args], env, stdout=out)
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return result


def _with_agent(vault: Path, folder: Path, lines: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    """Every operation again with `purpose unlock` running, against jrnl's times measured above."""
    runtime = Path(tempfile.mkdtemp(prefix="pa-"))  # short: a socket's path has a length limit
    measured_lines: dict[str, Any] = {}
    try:
        whole_process.unlock_agent(vault, runtime)
        commands = whole_process.purpose_commands(vault, folder, agent_runtime=runtime)
        for op in whole_process.OPERATIONS:
            _say(f"  {folder.name}: {op}, with the agent")
            command = commands[op]
            stats = measure({"purpose": (command.argv, command.env, command.stdin)}, runs=args.runs,
                            warmups=args.warmups)["purpose"].as_dict()  # fmt: skip
            line: dict[str, Any] = {"purpose": stats}
            jrnl = lines[op].get("jrnl")
            if jrnl:
                line["jrnl"] = jrnl
                line["ratio"] = stats["median"] / jrnl["median"]
                line["speedup"] = jrnl["median"] / stats["median"]
                line["memory_ratio"] = stats["peak_mb"] / jrnl["peak_mb"]
            measured_lines[op + goals.AGENT] = line
    finally:
        whole_process.lock_agent(vault, runtime)
        shutil.rmtree(runtime, ignore_errors=True)
    return measured_lines


def run(args: argparse.Namespace) -> dict[str, Any]:
    cache = cache_dir(args.cache)
    work = cache / ("run-tiny" if args.tiny else "run")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    started = time.perf_counter()
    results: dict[str, Any] = {
        "meta": {
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "variant": "tiny" if args.tiny else "full",
            "sizes": args.sizes,
            "seed": corpus.SEED,
            "python": platform.python_version(),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores",
            "runs": args.runs,
            "warmups": args.warmups,
            "policy": "median of the runs after the warm-ups; a command whose warm-up takes over 20 s "
            "gets 3 runs, one over 60 s is measured once (its line says so)",
            "purpose_kdf": "default (Argon2id 128 MiB, t=3, p=2)",
            "jrnl": None,
            "notes": [],
        },
        "build": {},
        "whole_process": {},
        "in_process": {"session": {}},
    }
    meta = results["meta"]
    env: jrnl_env.JrnlEnv | None = None
    if not args.no_jrnl:
        try:
            _say("jrnl: preparing the throw-away environment ...")
            env = jrnl_env.ensure(cache)
            meta["jrnl"] = (
                f"jrnl {jrnl_env.JRNL_VERSION}, encrypted (v3 format), timeformat {jrnl_env.TIMEFORMAT}"
            )
        except jrnl_env.JrnlUnavailable as exc:
            meta["notes"].append(f"jrnl side skipped: {exc}")
            _say(f"jrnl side skipped: {exc}")

    _compile_purpose()
    configs: dict[int, Path] = {}
    vaults: dict[int, Path] = {}
    for size in args.sizes:
        _say(f"{size:,} entries: building the Purpose vault and the jrnl journal ...")
        folder = work / str(size)
        built = time.perf_counter()
        import_s = purpose_build.build_vault(folder / "vault", corpus.entries(size))
        vaults[size] = folder / "vault"
        build = {"purpose_vault_s": time.perf_counter() - built, "purpose_import_entries_s": import_s}
        if env is not None:
            built = time.perf_counter()
            configs[size] = jrnl_env.build_journal(env, folder / "jrnl", corpus.entries(size))
            build["jrnl_journal_s"] = time.perf_counter() - built
        results["build"][str(size)] = build

        lines: dict[str, Any] = {}
        ours = whole_process.purpose_commands(vaults[size], folder)
        theirs = whole_process.jrnl_commands(env, configs[size]) if env is not None else {}
        for op in whole_process.OPERATIONS:
            _say(f"  {size:,}: {op}")
            tools = {"purpose": ours, "jrnl": theirs}
            pair = {tool: (c[op].argv, c[op].env, c[op].stdin) for tool, c in tools.items() if op in c}
            measured = measure(pair, runs=args.runs, warmups=args.warmups)
            line: dict[str, Any] = {tool: stats.as_dict() for tool, stats in measured.items()}
            if "jrnl" in line:
                p, j = line["purpose"], line["jrnl"]
                line["ratio"] = p["median"] / j["median"]
                line["speedup"] = j["median"] / p["median"]
                line["memory_ratio"] = p["peak_mb"] / j["peak_mb"]
            lines[op] = line
        lines.update(_with_agent(vaults[size], folder, lines, args))
        lines["purpose_export_command"] = " ".join(ours["export"].argv[1:3])
        results["whole_process"][str(size)] = lines

    for size in args.sizes:
        _say(f"in-process at {size:,} ...")
        session = _inprocess(work, "session", str(vaults[size]), "--today", corpus.END.date().isoformat(),
                             "--saves", str(args.saves), "--runs", str(max(args.runs, 1)))  # fmt: skip
        results["in_process"]["session"][str(size)] = session

    import_size = min(goals.IMPORT_SIZE, max(args.sizes))
    export = work / f"jrnl-export-{import_size}.json"
    source_size = min((s for s in args.sizes if s >= import_size), default=max(args.sizes))
    _say(f"import of {import_size:,} jrnl entries ...")
    source = _jrnl_export_file(env, configs.get(source_size), import_size, export)
    imported = _inprocess(work, "import", str(export), str(work / "imported"))
    imported["source"] = source
    imported["requested"] = import_size  # the journal may hold a few more: the entries the runs added
    results["in_process"]["import"] = imported

    _say(f"sync at {max(args.sizes):,} entries ...")
    results["sync"] = sync_bench.measure_sync(work, max(args.sizes), runs=max(args.runs, 1), say=_say)

    largest = str(max(args.sizes))
    results["kdf"] = {
        "purpose": "Argon2id 128 MiB, t=3",
        "purpose_s": results["in_process"]["session"][largest]["kdf_s"],
        "jrnl": "PBKDF2-SHA256, 100,000 iterations",
        "jrnl_s": _jrnl_kdf_seconds(env) if env is not None else None,
    }
    # Lines that are not per-operation results are kept out of the per-size dictionaries' ops.
    for ops in results["whole_process"].values():
        meta.setdefault("purpose_export_command", ops.pop("purpose_export_command"))
    results["goals"] = goals.judge_all(results)
    results["lines"] = report.build_lines(results)
    meta["total_s"] = time.perf_counter() - started
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0])
    parser.add_argument("--tiny", action="store_true", help="1,000 entries, one run of each (CI)")
    parser.add_argument("--sizes", type=int, nargs="+", help="journal sizes (default 1,000 10,000 50,000)")
    parser.add_argument("--runs", type=int, help="measured runs per command (default 5; tiny 1)")
    parser.add_argument("--warmups", type=int, help="warm-up runs per command (default 1; tiny 0)")
    parser.add_argument("--saves", type=int, help="saves timed in-process (default 500; tiny 50)")
    parser.add_argument("--no-jrnl", action="store_true", help="Purpose only (no throw-away jrnl)")
    parser.add_argument("--cache", help="cache folder (default .bench-cache/ or $PURPOSE_BENCH_CACHE)")
    parser.add_argument("--out", type=Path, help=f"results JSON (default {DEFAULT_OUT.relative_to(ROOT)})")
    args = parser.parse_args(argv)
    args.sizes = args.sizes or ([1_000] if args.tiny else list(FULL_SIZES))
    args.runs = args.runs if args.runs is not None else (1 if args.tiny else 5)
    args.warmups = args.warmups if args.warmups is not None else (0 if args.tiny else 1)
    args.saves = args.saves or (50 if args.tiny else 500)
    out = args.out or (cache_dir(args.cache) / "tiny.json" if args.tiny else DEFAULT_OUT)

    results = run(args)
    report.write_json(results, out)
    meta = results["meta"]
    print(f"Purpose vs {meta['jrnl'] or 'jrnl (skipped)'}; {meta['machine']}, Python {meta['python']}; "
          f"sizes {', '.join(f'{s:,}' for s in meta['sizes'])}; {meta['runs']} run(s) after "
          f"{meta['warmups']} warm-up(s) ({meta['policy']}).")  # fmt: skip
    print(f"Purpose's export: `purpose {meta['purpose_export_command']}`; jrnl's: `jrnl --export json`.")
    print(report.format_table(results["lines"]))
    print(sync_bench.format_lines(results["sync"]))
    for note in meta["notes"]:
        print(f"Note: {note}")
    met = sum(g["status"] == goals.MET for g in results["goals"])
    print(f"Goals met: {met} of {len(results['goals'])}. Results: {out} ({meta['total_s']:.0f} s in all).")
    return 0
