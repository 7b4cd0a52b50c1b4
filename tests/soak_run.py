"""`make soak`: the long reliability runs, with counts.

Runs every test marked `soak` (the kill -9 loops at 200 and 100 iterations, exhaustive and random bit
flips, the long CLI session with its canary scan) and every property-based test in the suite (the pack
parser's and the importers' fuzzers among them) at FUZZ_EXAMPLES examples (default 2,000; a test that
already asks for more keeps its own count). Then prints, per area: iterations or examples, failures,
and data lost (which must be zero). Exits non-zero on any failure.

    python tests/soak_run.py [pytest options, e.g. -x or -k crash]
"""

from __future__ import annotations

import os
import re
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "2000"))
_CASES = re.compile(r"(\d+) passing, (\d+) failing, and (\d+) invalid")


@dataclass
class Area:
    tests: int = 0
    failed: int = 0
    iterations: int = 0  # kill -9 iterations, fuzz examples or session rounds
    data_lost: int = 0
    details: Counter[str] = field(default_factory=Counter)


class SoakCounter:
    """A pytest plugin: selects the runs, raises the example counts, and counts what happened."""

    def __init__(self) -> None:
        self.areas: dict[str, Area] = {}
        self.crash = Counter[str]()

    def area(self, name: str) -> Area:
        return self.areas.setdefault(name, Area())

    @staticmethod
    def _is_property_test(item: pytest.Item) -> bool:
        return hasattr(getattr(item, "obj", None), "hypothesis")

    @staticmethod
    def _name(item: pytest.Item) -> str:
        path = Path(str(item.fspath)).stem.removeprefix("test_")
        if item.get_closest_marker("soak"):
            return f"soak: {path}"
        return f"fuzz: {path}"

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(self, config: pytest.Config, items: list[pytest.Item]) -> None:
        from hypothesis import settings

        keep, drop = [], []
        for item in items:
            if item.get_closest_marker("soak") or self._is_property_test(item):
                keep.append(item)
            else:
                drop.append(item)
        items[:] = keep
        config.hook.pytest_deselected(items=drop)
        raised: set[int] = set()
        for item in keep:
            if self._is_property_test(item) and not item.get_closest_marker("soak"):
                test = getattr(item.obj, "__func__", item.obj)
                current = test._hypothesis_internal_use_settings
                if id(test) not in raised and current.max_examples < EXAMPLES:
                    test._hypothesis_internal_use_settings = settings(current, max_examples=EXAMPLES)
                    raised.add(id(test))
            module = getattr(item, "module", None)
            if module is not None and module.__name__.endswith("test_crash"):
                self._instrument_crash(module)

    def _instrument_crash(self, module: Any) -> None:
        """Count the kill -9 iterations and, if a check fails, how many acknowledged entries are gone."""
        if getattr(module, "_soak_counted", False):
            return
        module._soak_counted = True
        counts = self.crash

        def wrap(
            name: str, after: Callable[[Any, tuple[Any, ...]], None], on_fail: Callable[..., None]
        ) -> None:
            original = getattr(module, name, None)
            if original is None:
                return

            def counted(*args: Any, **kwargs: Any) -> Any:
                try:
                    result = original(*args, **kwargs)
                except AssertionError:
                    on_fail(*args)
                    raise
                after(result, args)
                return result

            setattr(module, name, counted)

        def acknowledged(result: Any, _args: tuple[Any, ...]) -> None:
            counts["add kills"] += 1
            counts["acknowledged entries"] += len(result)

        def lost_after_add(folder: Path, _start: int, acked: list[tuple[str, int]], _total: int) -> None:
            counts["add check failures"] += 1
            counts["data lost"] += _missing(module, folder, acked)

        def changed(_result: Any, _args: tuple[Any, ...]) -> None:
            counts["passphrase changes"] += 1

        def locked_out(folder: Path, current: str, other: str, *_rest: Any) -> None:
            counts["passphrase check failures"] += 1
            if not (module._opens(folder, current) or module._opens(folder, other)):
                counts["vaults locked out"] += 1

        wrap("_crash_writer_once", acknowledged, lambda *a: None)
        wrap("_check_after_writer_crash", lambda *a: None, lost_after_add)
        wrap("_change_once", changed, lambda *a: None)
        wrap("_check_exactly_one", lambda *a: None, locked_out)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
        outcome = yield
        report = outcome.get_result()
        if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
            area = self.area(self._name(item))
            area.tests += 1
            area.failed += report.outcome == "failed"
            stats = getattr(item, "hypothesis_statistics", "")
            for passing, failing, _invalid in _CASES.findall(stats):
                area.iterations += int(passing) + int(failing)
            for key, value in item.user_properties:
                if key in ("iterations", "data_lost"):
                    setattr(area, key, getattr(area, key) + int(value))
                else:
                    area.details[key] += int(value)

    def summary(self) -> list[str]:
        crash = self.crash
        if crash:
            area = self.area("soak: crash")
            area.iterations = crash["add kills"] + crash["passphrase changes"]
            area.data_lost += crash["data lost"] + crash["vaults locked out"]
            area.details.update({k: v for k, v in crash.items() if k not in ("data lost",)})
        lines = [f"{'area':<34} {'tests':>5} {'iterations':>10} {'failures':>8} {'data lost':>9}  details"]
        for name in sorted(self.areas):
            a = self.areas[name]
            details = ", ".join(f"{k} {v:,}" for k, v in sorted(a.details.items()))
            lines.append(
                f"{name:<34} {a.tests:>5} {a.iterations:>10,} {a.failed:>8} {a.data_lost:>9}  {details}"
            )
        total = Area(
            tests=sum(a.tests for a in self.areas.values()),
            failed=sum(a.failed for a in self.areas.values()),
            iterations=sum(a.iterations for a in self.areas.values()),
            data_lost=sum(a.data_lost for a in self.areas.values()),
        )
        lines.append(
            f"{'total':<34} {total.tests:>5} {total.iterations:>10,} {total.failed:>8} {total.data_lost:>9}"
        )
        return lines


def _missing(module: Any, folder: Path, acked: list[tuple[str, int]]) -> int:
    """Acknowledged entries that do not read back exactly as written (all of them if the vault is gone)."""
    try:
        opened = module.vault.unlock(folder, module.PASSPHRASE)
    except Exception:
        return len(acked)
    with opened:
        missing = 0
        for entry_id, seq in acked:
            try:
                entry = opened.get(entry_id)
                intact = (entry.title, entry.body) == (module.expected_title(seq), module.expected_body(seq))
            except Exception:
                intact = False
            missing += not intact
        return missing


def main(argv: list[str]) -> int:
    counter = SoakCounter()
    os.chdir(ROOT)
    code = pytest.main(["-m", "", "-p", "no:cacheprovider", "-q", *argv], plugins=[counter])
    print(f"\nSoak summary (fuzz examples per property test: {EXAMPLES:,}):")
    print("\n".join(counter.summary()))
    lost = sum(a.data_lost for a in counter.areas.values())
    failed = sum(a.failed for a in counter.areas.values())
    print(f"{failed} failed, data lost: {lost}" + ("" if code == 0 else f" (pytest exit code {int(code)})"))
    return 0 if code == 0 and lost == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
