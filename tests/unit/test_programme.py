"""Programme progress, derived from answers: waits when a day is missed, never skips, keeps a pause."""

from __future__ import annotations

from datetime import date, timedelta

from purpose_app.packs.model import Pack, Prompt
from purpose_app.packs.programme import progress

START = date(2026, 3, 10)

PACK = Pack(
    id="tiny-programme",
    name="Tiny programme",
    version=1,
    description="Three evenings.",
    author="Tests",
    language="en",
    licence="CC-BY-4.0",
    prompts=tuple(
        Prompt("tiny-programme", f"day-0{n}", f"Evening {n}?", "gratitude", "light") for n in (1, 2, 3)
    ),
    programme=True,
)
DAY1, DAY2, DAY3 = PACK.prompts


def day(n: int) -> date:
    """The n-th calendar day of the programme (day(0) is the start date)."""
    return START + timedelta(days=n)


def running(started: date = START) -> dict[str, str]:
    return {"status": "running", "started": started.isoformat()}


def paused(started: date = START) -> dict[str, str]:
    return {"status": "paused", "started": started.isoformat()}


def test_not_started():
    """No state: not started, nothing offered, nothing done."""
    p = progress(PACK, None, [], START)
    assert (p.status, p.days_done, p.total_days, p.today, p.done_today) == ("not started", 0, 3, None, False)


def test_answers_without_a_start_do_not_start_it():
    """Answering a programme prompt by hand does not start the programme."""
    p = progress(PACK, None, [(START, DAY1.id)], START)
    assert p.status == "not started" and p.days_done == 0


def test_started_offers_day_1():
    """Started today with nothing written: day 1 is offered."""
    p = progress(PACK, running(), [], START)
    assert p.status == "running"
    assert p.today == DAY1
    assert p.days_done == 0 and not p.done_today


def test_answering_day_1_today_means_done_for_today():
    """Day 1 written today: done for today, nothing more offered until tomorrow."""
    p = progress(PACK, running(), [(START, DAY1.id)], START)
    assert p.status == "running"
    assert p.days_done == 1
    assert p.done_today is True
    assert p.today is None


def test_the_next_day_offers_day_2():
    """The day after writing day 1, day 2 is offered."""
    p = progress(PACK, running(), [(START, DAY1.id)], day(1))
    assert p.today == DAY2
    assert p.days_done == 1 and not p.done_today


def test_a_missed_day_just_waits():
    """A week without writing: still day 2, no skipping ahead and nothing lost."""
    p = progress(PACK, running(), [(START, DAY1.id)], day(8))
    assert p.status == "running"
    assert p.today == DAY2
    assert p.days_done == 1


def test_a_missed_day_before_starting_waits_too():
    """Started and then not touched for days: day 1 is still the one offered."""
    p = progress(PACK, running(), [], day(5))
    assert p.today == DAY1 and p.days_done == 0


def test_answering_out_of_order_does_not_advance():
    """Writing day 3 before day 1 counts for nothing: day 1 is still offered."""
    p = progress(PACK, running(), [(START, DAY3.id)], day(1))
    assert p.days_done == 0
    assert p.today == DAY1
    assert not p.done_today


def test_an_out_of_order_answer_does_not_count_later_either():
    """Day 2 written before day 1: after day 1, day 2 is still the next one to write."""
    answers = [(START, DAY2.id), (day(1), DAY1.id)]
    p = progress(PACK, running(), answers, day(2))
    assert p.days_done == 1
    assert p.today == DAY2


def test_answering_the_same_day_twice_counts_once():
    """Two entries for day 1: one day done."""
    answers = [(START, DAY1.id), (day(1), DAY1.id)]
    p = progress(PACK, running(), answers, day(2))
    assert p.days_done == 1 and p.today == DAY2


def test_answers_before_the_start_date_are_ignored():
    """Entries written for this programme before it was (re)started do not count."""
    answers = [(day(-10), DAY1.id), (day(-9), DAY2.id)]
    p = progress(PACK, running(), answers, START)
    assert p.days_done == 0
    assert p.today == DAY1


def test_answers_from_other_packs_or_unknown_ids_are_ignored():
    """An id that is not one of the programme's prompts does not advance it."""
    p = progress(PACK, running(), [(START, "not-a-day")], day(1))
    assert p.days_done == 0 and p.today == DAY1


def test_paused_offers_nothing_and_keeps_progress():
    """Paused: no offer, but the days already written are still counted."""
    answers = [(START, DAY1.id), (day(1), DAY2.id)]
    p = progress(PACK, paused(), answers, day(4))
    assert p.status == "paused"
    assert p.today is None
    assert p.days_done == 2


def test_resuming_after_a_pause_continues_where_it_stopped():
    """Running again after a pause: the next day in order is offered."""
    answers = [(START, DAY1.id), (day(1), DAY2.id)]
    p = progress(PACK, running(), answers, day(20))
    assert p.status == "running"
    assert p.today == DAY3 and p.days_done == 2


def test_finished_after_the_last_day():
    """All days written in order: finished, nothing offered, all days counted."""
    answers = [(START, DAY1.id), (day(1), DAY2.id), (day(3), DAY3.id)]
    on_last_day = progress(PACK, running(), answers, day(3))
    assert on_last_day.status == "finished"
    assert on_last_day.days_done == on_last_day.total_days == 3
    assert on_last_day.today is None
    assert on_last_day.done_today is True
    later = progress(PACK, running(), answers, day(10))
    assert later.status == "finished" and later.today is None and not later.done_today


def test_finished_even_if_paused_after_the_last_day():
    """Paused with every day written: it is finished, not paused."""
    answers = [(START, DAY1.id), (day(1), DAY2.id), (day(2), DAY3.id)]
    assert progress(PACK, paused(), answers, day(5)).status == "finished"


def test_restarted_state_ignores_the_previous_round():
    """A new start date after finishing: the old answers are before it, so day 1 comes again."""
    answers = [(START, DAY1.id), (day(1), DAY2.id), (day(2), DAY3.id)]
    p = progress(PACK, running(started=day(3)), answers, day(3))
    assert p.status == "running"
    assert p.days_done == 0 and p.today == DAY1
