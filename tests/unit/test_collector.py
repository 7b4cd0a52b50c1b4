"""The garbage collector settled at quiet moments: garbage collected then, survivors set aside, and
what was set aside and later became garbage freed at the next settle."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from purpose_app.ui import collector


class Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cyclic collector frees it


@pytest.fixture(autouse=True)
def _thawed_after() -> Iterator[None]:
    yield
    gc.unfreeze()  # the rest of the test session collects as usual


def test_settle_collects_garbage_and_sets_the_survivors_aside() -> None:
    """A cycle already dropped is freed; a live object is frozen, so automatic collections skip it."""
    dropped, kept = Node(), Node()
    gone = weakref.ref(dropped)
    del dropped
    collector.settle()
    assert gone() is None
    assert gc.get_freeze_count() > 0
    assert all(obj is not kept for obj in gc.get_objects())


def test_what_was_set_aside_and_became_garbage_goes_at_the_next_settle() -> None:
    """A screen's controls frozen while shown, then dropped: not leaked, freed by the next settle."""
    shown = Node()
    gone = weakref.ref(shown)
    collector.settle()
    del shown
    gc.collect()  # an ordinary collection does not see frozen objects
    assert gone() is not None
    collector.settle()
    assert gone() is None
