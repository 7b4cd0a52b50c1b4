"""Child process for test_crash.py (not a test module): writes to a vault until it is killed.

    python crash_writer.py add FOLDER START
        unlock with $CRASH_PASSPHRASE, print "ready", then add entries START, START+1, ... forever,
        printing "added ID SEQ" only AFTER each add (its commit) has returned.
    python crash_writer.py passwd FOLDER MEMORY_KIB TIME_COST
        unlock with $CRASH_PASSPHRASE, print "changing", change the passphrase to
        $CRASH_NEW_PASSPHRASE with that Argon2id cost, print "changed", lock.

Every line is flushed at once, so the parent knows exactly what was acknowledged before the kill.
"""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path

from purpose_app.crypto import kdf
from purpose_app.domain.entry import EntryChanges
from purpose_app.services import vault


def expected_title(seq: int) -> str:
    return f"crash entry {seq}"


def expected_body(seq: int) -> str:
    """Deterministic text of a size between a few bytes and several database pages."""
    rng = random.Random(seq)
    return f"entry {seq}: " + "".join(rng.choice("abcdefghij klmnop\n") for _ in range(rng.randint(1, 9000)))


def changes_for(seq: int) -> EntryChanges:
    return EntryChanges(
        title=expected_title(seq), body=expected_body(seq), tags=(f"seq{seq}",), energy=seq % 11
    )


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _add_forever(folder: Path, start: int) -> None:
    opened = vault.unlock(folder, os.environ["CRASH_PASSPHRASE"])
    _say("ready")
    seq = start
    while True:
        entry = opened.add(changes_for(seq))
        _say(f"added {entry.id} {seq}")
        seq += 1


def _change_passphrase(folder: Path, memory_kib: int, time_cost: int) -> None:
    opened = vault.unlock(folder, os.environ["CRASH_PASSPHRASE"])
    params = kdf.KdfParams(profile="crash-test", memory_kib=memory_kib, time_cost=time_cost, parallelism=1)
    _say("changing")
    opened.change_passphrase(os.environ["CRASH_NEW_PASSPHRASE"], params)
    _say("changed")
    opened.lock()


def main(argv: list[str]) -> int:
    mode, folder = argv[1], Path(argv[2])
    if mode == "add":
        _add_forever(folder, int(argv[3]))
    elif mode == "passwd":
        _change_passphrase(folder, int(argv[3]), int(argv[4]))
    else:
        raise SystemExit(f"unknown mode {mode}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
