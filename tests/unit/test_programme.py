"""Programme progress, derived from answers: waits when a day is missed, never skips, keeps a pause;
one step a day, one sitting, or every step each evening, as the pace says."""

from __future__ import annotations

from dataclasses import replace
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
SITTING = replace(PACK, id="tiny-letter", pace="sitting")
EVENING = replace(PACK, id="tiny-questions", pace="evening")


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


# -- a programme counts days, not entries


def test_three_entries_in_one_evening_are_one_day():
    """Days 1, 2 and 3 all written on the first evening: one day done, and day 2 comes tomorrow."""
    answers = [(START, DAY1.id), (START, DAY2.id), (START, DAY3.id)]
    tonight = progress(PACK, running(), answers, START)
    assert (tonight.days_done, tonight.today, tonight.done_today) == (1, None, True)
    tomorrow = progress(PACK, running(), answers, day(1))
    assert tomorrow.status == "running" and tomorrow.days_done == 1 and tomorrow.today == DAY2


def test_the_next_day_counts_again_after_a_crowded_evening():
    """After three entries in one evening, writing day 2 the next day makes two days, not four."""
    answers = [(START, DAY1.id), (START, DAY2.id), (START, DAY3.id), (day(1), DAY2.id)]
    p = progress(PACK, running(), answers, day(2))
    assert p.days_done == 2 and p.today == DAY3


def test_a_daily_programme_says_day_n_of_m():
    """The heading and the summary of a daily programme speak in days."""
    p = progress(PACK, running(), [(START, DAY1.id)], day(1))
    assert p.label == "day 2 of 3"
    assert p.summary == "1 of 3 days done."


# -- a sitting: every step in order, in one go


def test_a_sitting_offers_the_next_step_as_soon_as_one_is_written():
    """Step 1 written: step 2 is offered the same evening, not tomorrow."""
    p = progress(SITTING, running(), [(START, DAY1.id)], START)
    assert p.status == "running" and p.days_done == 1 and p.done_today
    assert p.today == SITTING.prompts[1]
    assert p.label == "step 2 of 3" and p.summary == "1 of 3 steps done."


def test_a_sitting_never_offers_a_step_before_the_one_it_follows():
    """Nothing written yet: step 1, never the step that assumes the letter exists."""
    p = progress(SITTING, running(), [], START)
    assert p.today == SITTING.prompts[0]
    skipped = progress(SITTING, running(), [(START, DAY3.id)], START)
    assert skipped.days_done == 0 and skipped.today == SITTING.prompts[0]


def test_a_sitting_finishes_in_one_evening():
    """Every step written in order in one evening: finished, nothing more offered."""
    answers = [(START, DAY1.id), (START, DAY2.id), (START, DAY3.id)]
    p = progress(SITTING, running(), answers, START)
    assert (p.status, p.days_done, p.today, p.done_today) == ("finished", 3, None, True)


def test_a_sitting_left_partway_waits():
    """Stopped after step 1: days later, step 2 is still the one offered; paused, nothing is."""
    answers = [(START, DAY1.id)]
    assert progress(SITTING, running(), answers, day(4)).today == SITTING.prompts[1]
    held = progress(SITTING, paused(), answers, day(4))
    assert held.status == "paused" and held.today is None and held.days_done == 1


# -- an evening: every step, each day


def test_an_evening_offers_each_question_in_turn():
    """Started: question 1; question 1 written: question 2, the same evening."""
    first = progress(EVENING, running(), [], START)
    assert first.today == EVENING.prompts[0] and first.label == "question 1 of 3 tonight"
    second = progress(EVENING, running(), [(START, DAY1.id)], START)
    assert second.today == EVENING.prompts[1] and second.label == "question 2 of 3 tonight"
    assert not second.done_today and second.days_done == 0


def test_an_evening_with_all_three_written_is_one_evening_done():
    """All three written tonight: done for tonight; tomorrow all three come again, from the first."""
    answers = [(START, DAY1.id), (START, DAY2.id), (START, DAY3.id)]
    tonight = progress(EVENING, running(), answers, START)
    assert (tonight.status, tonight.days_done, tonight.today, tonight.done_today) == (
        "running",
        1,
        None,
        True,
    )
    tomorrow = progress(EVENING, running(), answers, day(1))
    assert tomorrow.today == EVENING.prompts[0] and tomorrow.days_done == 1 and not tomorrow.done_today
    assert tomorrow.summary == "1 evening written in full."


def test_an_evening_half_written_does_not_count_and_never_finishes():
    """Two of three one evening does not count; many full evenings later it is still running."""
    partial = progress(EVENING, running(), [(START, DAY1.id), (START, DAY2.id)], day(1))
    assert partial.days_done == 0 and partial.today == EVENING.prompts[0]
    answers = [(day(n), p.id) for n in range(30) for p in EVENING.prompts]
    later = progress(EVENING, running(), answers, day(31))
    assert later.status == "running" and later.days_done == 30 and later.total_days == 0
    assert later.summary == "30 evenings written in full."


def test_an_evening_paused_offers_nothing():
    """Paused: no question offered, the evenings already written still counted."""
    answers = [(START, p.id) for p in EVENING.prompts]
    p = progress(EVENING, paused(), answers, day(1))
    assert (p.status, p.today, p.days_done) == ("paused", None, 1)


def test_a_sitting_reads_one_evening_whatever_order_the_entries_are_listed_in():
    """Steps written one after another in one evening count in full, however the entries are listed."""
    answers = [(START, DAY3.id), (START, DAY2.id), (START, DAY1.id)]
    assert progress(SITTING, running(), answers, START).status == "finished"
