"""Running a coroutine to its end in a ui test, whatever else the test session runs."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine


def run_to_end(coroutine: Coroutine[object, object, object]) -> object:
    """On a loop of its own thread: the e2e tests' Playwright keeps an event loop running in the main
    thread for the whole test session, where asyncio.run() would refuse. What the coroutine returned."""
    failures: list[BaseException] = []
    results: list[object] = []

    def run() -> None:
        try:
            results.append(asyncio.run(coroutine))
        except BaseException as exc:  # handed back to the test's thread
            failures.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    if failures:
        raise failures[0]
    return results[0]
