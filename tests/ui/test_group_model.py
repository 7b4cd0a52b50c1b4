"""Group mode's view-model: the session plan (opening with the ground rules, readings, each prompt's
writing and sharing time, closing, support), bounded navigation, timers that pause, resume and
extend on an injected clock, the follow-up on request, and facilitator notes only in their view."""

from __future__ import annotations

import pytest

from purpose_app.packs.model import Pack, Prompt, Reading
from purpose_app.ui import support_model
from purpose_app.ui.group_model import GroupModel, room_resources

RESOURCES = [("Physician Support Line", "1-888-409-0141", "Not reportable to medical boards.")]


class FakeClock:
    def __init__(self) -> None:
        self.now = 500.0

    def __call__(self) -> float:
        return self.now


def circle_pack(*, notes: bool = False, readings: tuple[Reading, ...] = ()) -> Pack:
    texts = ("Who taught you to stay?", "A patient you still think of.", "What would you tell a new intern?")
    prompts = tuple(
        Prompt(
            "circle",
            f"p{n}",
            text,
            "mentors-and-peers",
            "light",
            follow_up="And what did they leave you with?" if n == 0 else None,
            facilitator_notes=f"NOTE-PROMPT-{n}" if notes else None,
        )
        for n, text in enumerate(texts)
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
        facilitator_notes="NOTE-PACK" if notes else None,
        readings=readings,
    )


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def group(clock: FakeClock) -> GroupModel:
    return GroupModel(circle_pack(), writing_minutes=10, clock=clock, resources=RESOURCES)


def to_first_prompt(group: GroupModel) -> None:
    while group.prompt is None:
        group.next()


# -- the plan


def test_shows_only_the_packs_prompts_in_order(group: GroupModel) -> None:
    """Walking the whole plan shows exactly the chosen pack's prompts, in order, each for writing then
    sharing, between an opening and a closing, and nothing else."""
    kinds, shown = [group.step.kind], [group.prompt]
    for _ in range(len(group.steps) + 2):
        group.next()
        kinds.append(group.step.kind)
        shown.append(group.prompt)
    prompts = [p for p in shown if p is not None]
    assert all(p.pack == "circle" for p in prompts)
    assert list(dict.fromkeys(prompts)) == list(group.pack.prompts)
    assert len(prompts) == 2 * len(group.pack.prompts)
    assert list(dict.fromkeys(kinds)) == ["opening", "prompt", "closing", "resources"]


def test_the_plan_positions_read_plainly(group: GroupModel) -> None:
    """Each step names itself: opening, each prompt's writing and sharing time, closing, support."""
    positions = [group.position]
    for _ in range(len(group.steps) - 1):
        group.next()
        positions.append(group.position)
    assert positions == [
        "Opening",
        "Prompt 1 of 3 · writing time",
        "Prompt 1 of 3 · sharing time",
        "Prompt 2 of 3 · writing time",
        "Prompt 2 of 3 · sharing time",
        "Prompt 3 of 3 · writing time",
        "Prompt 3 of 3 · sharing time",
        "Closing",
        "Support",
    ]


def test_the_opening_shows_the_ground_rules(group: GroupModel) -> None:
    """The opening carries the group's ground rules: confidentiality, "I" statements, no advice, the
    right to pass; the closing has a closing word; the last slide has the support resources."""
    assert group.step.kind == "opening"
    rules = " ".join(group.ground_rules).lower()
    for words in ("stays here", '"i ', "no advice", "pass"):
        assert words in rules, words
    for _ in range(len(group.steps)):
        group.next()
    assert group.step.kind == "resources" and group.resources == RESOURCES
    group.previous()
    assert group.step.kind == "closing" and "thank you" in group.closing_word.lower()


def test_readings_come_after_the_opening(clock: FakeClock) -> None:
    """A pack's readings each have a slide after the opening, with their attribution, before the prompts."""
    reading = Reading("Before we begin", "Dr Ana Ruiz", "CC-BY-4.0", "Listen for what is true.")
    group = GroupModel(circle_pack(readings=(reading,)), clock=clock)
    group.next()
    assert group.step.kind == "reading" and group.step.reading == reading
    assert group.position == "Reading 1 of 1"
    assert not group.timed
    group.next()
    assert group.position == "Prompt 1 of 3 · writing time" and group.timed


def test_previous_stops_at_the_first(group: GroupModel) -> None:
    """previous() on the opening stays there."""
    group.previous()
    assert group.index == 0
    assert group.position == "Opening"


def test_next_stops_at_the_last(group: GroupModel) -> None:
    """next() past the support slide stays there; previous() then steps back to the closing."""
    for _ in range(len(group.steps) + 5):
        group.next()
    assert group.index == len(group.steps) - 1
    assert group.position == "Support"
    group.previous()
    assert group.position == "Closing"
    group.previous()
    assert group.prompt is not None and group.prompt.text == "What would you tell a new intern?"


def test_the_whole_session_runs_on_the_clock(clock: FakeClock) -> None:
    """A session driven end to end: every prompt's writing and sharing timers run to "Time" on the
    injected clock, with the minutes chosen once kept for the next prompts."""
    group = GroupModel(circle_pack(), clock=clock, resources=RESOURCES)
    group.next()
    group.start(3)
    for _ in group.pack.prompts:
        assert group.step.phase == "write"
        if group.remaining_seconds() is None:
            assert group.remaining_text() == "3:00"  # the writing minutes chosen on the first prompt
            group.start()
        clock.now += 3 * 60
        assert group.remaining_text() == "Time"
        group.next()
        assert group.step.phase == "share" and group.remaining_text() == "10:00"
        group.start()
        clock.now += 10 * 60
        assert group.remaining_text() == "Time"
        group.next()
    assert group.step.kind == "closing" and not group.timed
    group.next()
    assert group.step.kind == "resources"


# -- timers


def test_timer_before_start_shows_the_full_time(group: GroupModel) -> None:
    """Before it starts the timer reads the chosen minutes and has no remaining seconds."""
    to_first_prompt(group)
    assert group.remaining_seconds() is None
    assert group.remaining_text() == "10:00"


def test_timer_counts_down_to_time(group: GroupModel, clock: FakeClock) -> None:
    """Started, it counts down in m:ss and reads "Time" at zero and after."""
    to_first_prompt(group)
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
    to_first_prompt(group)
    group.start(5)
    assert group.remaining_text() == "5:00"
    clock.now += 30
    assert group.remaining_text() == "4:30"


def test_moving_on_resets_the_timer(group: GroupModel, clock: FakeClock) -> None:
    """next() and previous() stop the timer, ready for the next step; the writing minutes chosen are
    kept for the next prompt's writing time."""
    to_first_prompt(group)
    group.start(15)
    clock.now += 100
    group.next()
    assert group.remaining_seconds() is None
    assert group.remaining_text() == "10:00"  # sharing time has its own default
    group.next()
    assert group.remaining_text() == "15:00"
    group.start()
    clock.now += 10
    group.previous()
    assert group.remaining_seconds() is None


def test_pause_holds_the_time_and_resume_goes_on(group: GroupModel, clock: FakeClock) -> None:
    """Paused, the timer stands still however long the pause; resumed, it counts down from there."""
    to_first_prompt(group)
    group.start(5)
    clock.now += 60
    group.pause()
    assert group.timer.paused and not group.timer.running
    clock.now += 300
    assert group.remaining_text() == "4:00"
    group.pause()  # a second pause changes nothing
    group.resume()
    assert group.timer.running
    clock.now += 30
    assert group.remaining_text() == "3:30"
    group.resume()  # resuming a running timer changes nothing
    assert group.remaining_seconds() == 210


def test_extend_adds_time_running_paused_or_after_time(group: GroupModel, clock: FakeClock) -> None:
    """+1 and +5 add to what is left; once time is up they count from now, not from the old end."""
    to_first_prompt(group)
    group.extend(5)
    assert group.remaining_text() == "15:00" and group.remaining_seconds() is None
    group.start(2)
    clock.now += 60
    group.extend(1)
    assert group.remaining_text() == "2:00"
    group.pause()
    group.extend(5)
    assert group.remaining_text() == "7:00"
    group.resume()
    clock.now += 20 * 60
    assert group.remaining_text() == "Time"
    group.extend(1)
    assert group.remaining_text() == "1:00" and group.timer.running


# -- what else is on screen


def test_the_follow_up_is_there_on_request(group: GroupModel) -> None:
    """The follow-up is hidden until asked for, stays through sharing, and is reset by a new prompt."""
    to_first_prompt(group)
    assert group.follow_up() is None
    group.toggle_follow_up()
    assert group.follow_up() == "And what did they leave you with?"
    group.next()  # sharing time, same prompt
    assert group.follow_up() == "And what did they leave you with?"
    group.next()
    assert not group.follow_up_shown and group.follow_up() is None
    group.toggle_follow_up()
    assert group.follow_up() is None  # this prompt has none


def test_facilitator_notes_appear_only_in_the_facilitator_view(clock: FakeClock) -> None:
    """Notes are never part of any step until the facilitator's view is on; then the pack's show on the
    opening and each prompt's on its own steps, and none on the closing or support slides."""
    group = GroupModel(circle_pack(notes=True), clock=clock)
    seen = []
    for _ in range(len(group.steps)):
        seen.append(group.notes())
        group.next()
    assert set(seen) == {None}
    group = GroupModel(circle_pack(notes=True), clock=clock)
    group.toggle_facilitator_view()
    seen = []
    for _ in range(len(group.steps)):
        seen.append(group.notes())
        group.next()
    assert seen == ["NOTE-PACK", *(f"NOTE-PROMPT-{n}" for n in (0, 0, 1, 1, 2, 2)), None, None]
    group.toggle_facilitator_view()
    assert group.notes() is None


def test_room_resources_are_the_shipped_list(monkeypatch: pytest.MonkeyPatch) -> None:
    """The support slide lists the shipped resources, and falls back to the built-in list rather than
    fail in front of a room."""
    found = room_resources()
    assert found and all(name and contact for name, contact, _ in found)
    from purpose_app.insight import support

    def broken(*_args: object, **_kwargs: object) -> object:
        raise OSError("unreadable")

    monkeypatch.setattr(support, "shipped", broken)
    assert room_resources() == list(support_model.FALLBACK)


def test_the_session_date_reads_as_words(clock: FakeClock) -> None:
    """A pack's session date is shown on the opening as a day in words; a pack without one shows none."""
    from dataclasses import replace
    from datetime import date

    dated = GroupModel(replace(circle_pack(), session_date=date(2026, 11, 5)), clock=clock)
    assert dated.session_day == "Thursday, November 5, 2026"
    assert GroupModel(circle_pack(), clock=clock).session_day is None
