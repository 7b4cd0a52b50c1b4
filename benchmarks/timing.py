"""Time whole processes: wall time from spawn to exit and the child's peak memory (max RSS, from
wait4's resource usage, measured by a small launcher process: see launcher.py), over warm-ups and N
measured runs."""

from __future__ import annotations

import atexit
import json
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

LAUNCHER = Path(__file__).with_name("launcher.py")


@dataclass
class Stats:
    """Seconds (median, min, max) and peak memory in MB (the largest of the runs)."""

    runs: int
    warmups: int
    median: float
    min: float
    max: float
    peak_mb: float
    samples: list[float] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


class CommandFailed(RuntimeError):
    pass


class _Launcher:
    """The launcher process (see launcher.py), started on first use and kept for the whole run."""

    def __init__(self) -> None:
        self._proc: subprocess.Popen[str] | None = None

    def run(self, argv: Sequence[str], env: dict[str, str], stdin: Path | None, stdout: Path | None) -> Any:
        if self._proc is None or self._proc.poll() is not None:
            self._proc = subprocess.Popen(  # noqa: S603
                [sys.executable, "-I", str(LAUNCHER)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            atexit.register(self.close)
        assert self._proc.stdin is not None and self._proc.stdout is not None
        request = {
            "argv": list(argv),
            "env": env,
            "stdin": stdin and str(stdin),
            "stdout": stdout and str(stdout),
        }
        self._proc.stdin.write(json.dumps(request) + "\n")
        self._proc.stdin.flush()
        return json.loads(self._proc.stdout.readline())

    def close(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            assert self._proc.stdin is not None
            self._proc.stdin.close()
            self._proc.wait(timeout=10)


_LAUNCHER = _Launcher()


def run_once(
    argv: Sequence[str], env: dict[str, str], stdin: bytes = b"", stdout: Path | None = None
) -> tuple[float, float]:
    """(seconds, peak MB) of one run, started by the launcher; stdout goes to `stdout` or is dropped
    (export output can be large), stdin is the given bytes (never a terminal)."""
    with tempfile.NamedTemporaryFile(prefix="bench-stdin-") as inp:
        inp.write(stdin)
        inp.flush()
        done = _LAUNCHER.run(argv, env, Path(inp.name), stdout)
    if done["code"] != 0:
        raise CommandFailed(f"{Path(argv[0]).name} {' '.join(argv[1:3])}... exited {done['code']}: "
                            f"{done['stderr'][-600:]}")  # fmt: skip
    return float(done["seconds"]), float(done["peak_mb"])


def measure(
    commands: dict[str, tuple[Sequence[str], dict[str, str], bytes]],
    *,
    runs: int,
    warmups: int,
    slow: float = 20.0,
    very_slow: float = 60.0,
) -> dict[str, Stats]:
    """Each named command (argv, env, stdin): `warmups` unmeasured runs, then `runs` measured ones,
    the tools taking turns run by run so that a busy moment of the machine falls on both alike.
    A command whose warm-up takes over `slow` seconds gets at most 3 measured runs; one over
    `very_slow` is not run again: its warm-up is its single measured run (Stats says so)."""
    planned = dict.fromkeys(commands, runs)
    samples: dict[str, list[float]] = {name: [] for name in commands}
    peaks: dict[str, list[float]] = {name: [] for name in commands}
    done_warming: dict[str, int] = dict.fromkeys(commands, 0)
    for _ in range(warmups):
        for name, (argv, env, stdin) in commands.items():
            if planned[name] == 0:
                continue
            seconds, peak = run_once(argv, env, stdin)
            done_warming[name] += 1
            if seconds > very_slow:
                planned[name] = 0
                samples[name], peaks[name] = [seconds], [peak]
                done_warming[name] = 0
            elif seconds > slow:
                planned[name] = min(planned[name], 3)
    for turn in range(max(planned.values(), default=0)):
        for name, (argv, env, stdin) in commands.items():
            if turn < planned[name]:
                seconds, peak = run_once(argv, env, stdin)
                samples[name].append(seconds)
                peaks[name].append(peak)
    return {
        name: Stats(
            len(values),
            done_warming[name],
            statistics.median(values),
            min(values),
            max(values),
            max(peaks[name]),
            values,
        )
        for name, values in samples.items()
    }


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (fraction 0.99 for p99)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * fraction // 1))
    return ordered[int(rank) - 1]
