"""A debounce: an action run once typing pauses, on one worker thread that lives only while a run waits."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class Debounce:
    """`poke()` on every keystroke; `action` runs once, `delay()` seconds after the last poke.

    A timer thread per keystroke cost a thread start each key and left dozens waiting at once; here one
    worker waits, is pushed back by each poke, and ends after running, so an idle screen holds no thread.
    """

    def __init__(self, action: Callable[[], None], delay: Callable[[], float]) -> None:
        self._action = action
        self._delay = delay  # read at each poke, so a changed setting (or a test's) takes effect at once
        self._lock = threading.Condition()
        self._due: float | None = None
        self._worker: threading.Thread | None = None

    def poke(self) -> None:
        with self._lock:
            self._due = time.monotonic() + self._delay()
            if self._worker is None:
                self._worker = threading.Thread(target=self._wait, name="draft-debounce", daemon=True)
                self._worker.start()
            else:
                self._lock.notify()

    def cancel(self) -> None:
        with self._lock:
            self._due = None
            self._lock.notify()

    @property
    def pending(self) -> bool:
        with self._lock:
            return self._due is not None

    def _wait(self) -> None:
        with self._lock:
            while self._due is not None:
                left = self._due - time.monotonic()
                if left <= 0:
                    break
                self._lock.wait(left)
            due, self._due = self._due, None
            self._worker = None
        if due is not None:
            self._action()
