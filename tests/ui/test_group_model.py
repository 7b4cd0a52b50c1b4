"""Group mode's view-model: one pack prompt at a time, bounded navigation, a quiet timer."""

from __future__ import annotations

import pytest

from purpose_app.packs.model import Pack, Prompt
from purpose_app.ui.group_model import GroupModel


class FakeClock:
    def __init__(self) -> None:
        self.now = 500.0

    def __call__(self) -> float:
        return self.now


def circle_pack() -> Pack:
    prompts = tuple(
        Prompt("circle", f"p{n}", text, "mentors-and-peers", "light")
        for n, text in enumerate(
            ("Who taught you to stay?", "A patient you still think of.", "What would you tell a new intern?")
        )
    )
    return Pack(
        id="circle",
        name="Peer circle",
        version=1,
        description="For a facilitated circle.",
        author="Test",
        language="en",
        licence="CC0-1.0",
        prompts=prompts,
    )


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def group(clock: FakeClock) -> GroupModel:
    return GroupModel(circle_pack(), clock=clock)


def test_shows_only_the_packs_prompts_in_order(group: GroupModel) -> None:
    """Walking through group mode shows exactly the chosen pack's prompts, in order, and nothing else."""
    pack = group.pack
    shown = [group.prompt]
    for _ in range(len(pack.prompts) + 2):
        group.next()
        shown.append(group.prompt)
    assert all(p.pack == "circle" for p in shown)
    assert list(dict.fromkeys(shown)) == list(pack.prompts)


def test_previous_stops_at_the_first(group: GroupModel) -> None:
    """previous() on the first prompt stays there."""
    group.previous()
    assert group.index == 0
    assert group.position == "1 of 3"


def test_next_stops_at_the_last(group: GroupModel) -> None:
    """next() past the last prompt stays on the last; previous() then steps back."""
    for _ in range(5):
        group.next()
    assert group.index == 2
    assert group.position == "3 of 3"
    assert group.prompt.text == "What would you tell a new intern?"
    group.previous()
    assert group.position == "2 of 3"


def test_timer_before_start_shows_the_full_time(group: GroupModel) -> None:
    """Before it starts the timer reads the chosen minutes and has no remaining seconds."""
    assert group.remaining_seconds() is None
    assert group.remaining_text() == "10:00"


def test_timer_counts_down_to_time(group: GroupModel, clock: FakeClock) -> None:
    """Started, it counts down in m:ss and reads "Time" at zero and after."""
    group.start()
    assert group.remaining_text() == "10:00"
    clock.now += 61
    assert group.remaining_text() == "8:59"
    assert group.remaining_seconds() == 539
    clock.now += 530
    assert group.remaining_text() == "0:09"
    clock.now += 9
    assert group.remaining_text() == "Time"
    assert group.remaining_seconds() == 0
    clock.now += 120
    assert group.remaining_text() == "Time"


def test_start_with_other_minutes(group: GroupModel, clock: FakeClock) -> None:
    """start(5) switches to a five-minute timer."""
    group.start(5)
    assert group.remaining_text() == "5:00"
    clock.now += 30
    assert group.remaining_text() == "4:30"


def test_moving_on_resets_the_timer(group: GroupModel, clock: FakeClock) -> None:
    """next() and previous() stop the timer, ready for the next prompt."""
    group.start(15)
    clock.now += 100
    group.next()
    assert group.remaining_seconds() is None
    assert group.remaining_text() == "15:00"
    group.start()
    clock.now += 10
    group.previous()
    assert group.remaining_text() == "15:00"
