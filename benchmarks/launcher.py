"""A small process that starts every measured command, so each command's peak memory is its own.

Linux carries the parent's peak resident size into a child's ru_maxrss when the child calls exec
(the memory it was forked or vforked from counts as the child's). The benchmark itself holds tens of
megabytes of generated journal, and creating a vault briefly takes 128 MiB for Argon2id, so children
it started directly would all report at least that. This launcher is a fresh interpreter that
imports almost nothing: what it passes on is about 10 MB, below any command measured here.

Protocol, one JSON object per line on stdin and stdout:
  in:  {"argv": [...], "env": {...}, "stdin": "path or null", "stdout": "path or null"}
  out: {"seconds": float, "peak_mb": float, "code": int, "stderr": "last 2,000 characters"}
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time


def _run(request: dict[str, object]) -> dict[str, object]:
    stdin_path, stdout_path = request.get("stdin"), request.get("stdout")
    with (
        open(str(stdin_path) if stdin_path else os.devnull, "rb") as inp,
        open(str(stdout_path), "wb") if stdout_path else tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
    ):
        started = time.perf_counter()
        proc = subprocess.Popen(request["argv"], stdin=inp, stdout=out, stderr=err, env=request["env"])  # type: ignore[arg-type]  # noqa: S603
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        tail = err.read()[-2000:].decode("utf-8", errors="replace")
    return {
        "seconds": seconds,
        "peak_mb": usage.ru_maxrss * 1024 / 1e6,
        "code": proc.returncode,
        "stderr": tail,
    }


def main() -> int:
    for line in sys.stdin:
        print(json.dumps(_run(json.loads(line))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
