"""Wrong unlock tries counted per vault folder across every session of one process, and the wait they earn.

`purpose app` serves many browser sessions from one process, so a page could otherwise guess
passphrases without limit by opening more tabs. After FREE_TRIES wrong passphrases or recovery keys for
a folder, each further try waits first (1, 2, 4 ... at most 60 seconds), and a try during the wait is
refused at once, before any key is derived. A correct unlock resets the count.

A try is counted as wrong from the moment it starts and forgiven when it succeeds: parallel sessions that
all start together cannot slip past the count while their derivations run.

The command line needs none of this: each command is a new process, and Argon2id already makes each of
its tries slow. `PROCESS_THROTTLE` is the one every Session shares unless it is given its own; it is keyed
by each folder's resolved path, so tests on their own temporary folders never meet, and `reset()` clears it.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from purpose_app import messages
from purpose_app.errors import WrongSecret

FREE_TRIES = 5
FIRST_WAIT = 1.0  # seconds, doubled with each further wrong try
LONGEST_WAIT = 60.0
_LAST_DOUBLING = 6  # 2**6 s is past LONGEST_WAIT; stopping there keeps the number small


class TooManyTries(WrongSecret):
    """Refused without trying: too many wrong tries for this folder, and the wait is not over."""

    def __init__(self, wait_seconds: int) -> None:
        super().__init__(messages.too_many_tries(wait_seconds))
        self.wait_seconds = wait_seconds


def wait_after(wrong_tries: int) -> float:
    """Seconds before the next try may start, after `wrong_tries` wrong ones in a row."""
    if wrong_tries < FREE_TRIES:
        return 0.0
    return min(FIRST_WAIT * (1 << min(wrong_tries - FREE_TRIES, _LAST_DOUBLING)), LONGEST_WAIT)


@dataclass
class _Record:
    counted: int = 0  # wrong tries so far, plus tries under way (forgiven if they succeed)
    not_before: float = -math.inf


class UnlockThrottle:
    """Thread-safe: Flet runs each session's handlers on threads of one process."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._records: dict[str, _Record] = {}

    @contextmanager
    def attempt(self, folder: Path) -> Iterator[None]:
        """One try at unlocking `folder`: raises TooManyTries before the block while a wait is on.

        WrongSecret from the block counts as a wrong try; leaving the block normally resets the count;
        any other error (a missing or damaged vault) was no guess and is not counted.
        """
        key = str(folder.resolve())
        self._begin(key)
        try:
            yield
        except WrongSecret:
            self._failed(key)
            raise
        except BaseException:
            self._forgive(key)
            raise
        self.succeeded(folder)

    def wrong_tries(self, folder: Path) -> int:
        with self._lock:
            record = self._records.get(str(folder.resolve()))
            return record.counted if record else 0

    def succeeded(self, folder: Path) -> None:
        with self._lock:
            self._records.pop(str(folder.resolve()), None)

    def reset(self) -> None:
        """Forget every count (for tests)."""
        with self._lock:
            self._records.clear()

    def _begin(self, key: str) -> None:
        with self._lock:
            record = self._records.setdefault(key, _Record())
            now = self._clock()
            if now < record.not_before:
                raise TooManyTries(max(1, math.ceil(record.not_before - now)))
            record.counted += 1
            if record.counted >= FREE_TRIES:
                record.not_before = now + wait_after(record.counted)

    def _failed(self, key: str) -> None:
        # The wait runs from when the person learns the try was wrong, not from when it started.
        with self._lock:
            record = self._records.get(key)
            if record is not None and record.counted >= FREE_TRIES:
                record.not_before = max(record.not_before, self._clock() + wait_after(record.counted))

    def _forgive(self, key: str) -> None:
        with self._lock:
            record = self._records.get(key)
            if record is None:
                return
            record.counted -= 1
            if record.counted < FREE_TRIES:
                record.not_before = -math.inf
            if record.counted <= 0:
                del self._records[key]


PROCESS_THROTTLE = UnlockThrottle()
