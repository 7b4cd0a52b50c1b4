"""Reflection on a real vault: today's prompt, "another one", low-energy days, programmes and "my why"."""

from __future__ import annotations

from datetime import datetime

import pytest

from purpose_app.domain.entry import EntryChanges, PromptRef
from purpose_app.errors import InvalidInput
from purpose_app.packs.model import RENEWING_THEMES
from purpose_app.services.library import FAVOURITES, Library
from purpose_app.services.reflection import STATE, Reflection
from purpose_app.services.vault import Vault

SMALL_PACK = "looking-forward"  # eight prompts: small enough to go round in a test
PROGRAMME = "three-good-things"
LETTER = "gratitude-letter"  # one sitting of six steps
QUESTIONS = "three-questions"  # all three each evening


def at(day: int, hour: int = 12, month: int = 3) -> datetime:
    """A moment in 2026, in the local time zone (the day boundaries Reflection uses)."""
    return datetime(2026, month, day, hour).astimezone()


def reflect(opened: Vault) -> Reflection:
    return Reflection(Library(opened))


def only_pack(reflection: Reflection, keep: str) -> None:
    for info in reflection.library.packs():
        if info.pack.id != keep:
            reflection.library.set_enabled(info.pack.id, False)


def log_energy(opened: Vault, *levels_by_day: tuple[int, int]) -> None:
    for day, energy in levels_by_day:
        opened.add(EntryChanges(energy=energy, created=at(day, 20)), now=at(day, 20))


# -- today's prompt


def test_today_is_stable_through_the_day(unlocked):
    """Morning, evening and a fresh Reflection object all get the same prompt on the same day."""
    first = reflect(unlocked).today(at(10, 7))
    assert first is not None
    assert reflect(unlocked).today(at(10, 12)) == first
    assert reflect(unlocked).today(at(10, 23)) == first


def test_today_is_stable_across_lock_and_unlock(made_vault):
    """Locking and re-opening the vault does not change today's prompt."""
    with made_vault.open() as opened:
        first = reflect(opened).today(at(10))
    with made_vault.open() as opened:
        again = reflect(opened).today(at(10, 21))
    assert first is not None and again is not None
    assert again.prompt == first.prompt
    assert again.why == first.why


def test_another_gives_a_different_prompt_and_today_then_returns_it(unlocked):
    """ "Another one" differs from today's, and becomes today's prompt for the rest of the day."""
    reflection = reflect(unlocked)
    first = reflection.today(at(10))
    other = reflection.another(at(10, 13))
    assert first is not None and other is not None
    assert other.prompt != first.prompt
    assert reflection.today(at(10, 18)) == other


def test_another_cycles_without_repeating_until_exhausted(unlocked):
    """With one small pack on: today and then "another" until it is used up give each prompt once."""
    reflection = reflect(unlocked)
    only_pack(reflection, SMALL_PACK)
    total = len(reflection.library.pack(SMALL_PACK).pack.prompts)
    first = reflection.today(at(10))
    assert first is not None
    seen = [first.prompt.ref]
    for _ in range(total - 1):
        offer = reflection.another(at(10))
        assert offer is not None
        assert offer.prompt.ref not in seen
        seen.append(offer.prompt.ref)
    assert len(set(seen)) == total


def test_another_after_exhaustion_starts_a_full_new_round(unlocked):
    """Once every prompt was offered today, "another" goes round them all again, not back and forth."""
    reflection = reflect(unlocked)
    only_pack(reflection, SMALL_PACK)
    total = len(reflection.library.pack(SMALL_PACK).pack.prompts)
    reflection.today(at(10))
    for _ in range(total - 1):
        reflection.another(at(10))
    last = reflection.today(at(10))
    assert last is not None
    second_round = []
    for _ in range(total):
        offer = reflection.another(at(10))
        assert offer is not None
        second_round.append(offer.prompt.ref)
    assert second_round[0] != last.prompt.ref
    assert len(set(second_round)) == total


def test_each_new_day_brings_a_prompt_not_shown_in_the_last_30_days(unlocked):
    """Thirty-one days of opening the app: never a repeat, and never a programme's prompt."""
    reflection = reflect(unlocked)
    refs = []
    for day in range(1, 32):
        offer = reflection.today(at(day, month=1))
        assert offer is not None
        refs.append(offer.prompt.ref)
    assert len(set(refs)) == len(refs)
    assert not any(ref.startswith(PROGRAMME + "/") for ref in refs)


def test_prompts_offered_by_another_also_wait_30_days(unlocked):
    """A prompt seen through "another one" is not offered again the next day."""
    reflection = reflect(unlocked)
    seen = set()
    for _ in range(10):
        offer = reflection.another(at(10))
        assert offer is not None
        seen.add(offer.prompt.ref)
    tomorrow = reflection.today(at(11))
    assert tomorrow is not None
    assert tomorrow.prompt.ref not in seen


def test_disabling_the_pack_of_todays_prompt_picks_a_new_one(unlocked):
    """Today's prompt's pack turned off: today() now offers a prompt from a pack that is on."""
    reflection = reflect(unlocked)
    first = reflection.today(at(10))
    assert first is not None
    reflection.library.set_enabled(first.prompt.pack, False)
    replacement = reflection.today(at(10, 15))
    assert replacement is not None
    assert replacement.prompt.pack != first.prompt.pack
    assert reflection.library.pack(replacement.prompt.pack).enabled
    assert reflection.today(at(10, 20)) == replacement


def test_disabling_every_pack_offers_nothing(unlocked):
    """All packs off: None (a blank page), for today and for another."""
    reflection = reflect(unlocked)
    reflection.today(at(10))
    for info in reflection.library.packs():
        reflection.library.set_enabled(info.pack.id, False)
    assert reflection.today(at(10)) is None
    assert reflection.another(at(10)) is None


def test_personal_prompts_are_offered(unlocked):
    """With only the personal pack on, today's prompt is one the person wrote."""
    reflection = reflect(unlocked)
    mine = reflection.library.write_prompt("What made you smile at work?", weight="light")
    only_pack(reflection, "personal")
    offer = reflection.today(at(10))
    assert offer is not None
    assert offer.prompt == mine
    assert "you wrote yourself" in offer.why


# -- low energy


def test_three_low_days_give_a_light_prompt_and_say_why(unlocked):
    """Energy 2 on the three days up to today: a light prompt, explained, with the person's why."""
    reflection = reflect(unlocked)
    reflection.set_why("Because a nurse once told me I listened.", at(1))
    log_energy(unlocked, (8, 2), (9, 2), (10, 2))
    offer = reflection.today(at(10, 21))
    assert offer is not None
    assert offer.prompt.weight == "light"
    assert "low energy three days running" in offer.why
    assert offer.low_energy_days == 3
    assert offer.my_why == "Because a nurse once told me I listened."


def test_low_energy_prompts_lean_towards_renewing_themes(unlocked):
    """Over sixty vault seeds, a low-energy day's prompt is light and mostly from a renewing theme."""
    reflection = reflect(unlocked)
    log_energy(unlocked, (8, 1), (9, 1), (10, 1))
    light = [p for p in reflection.library.enabled_prompts() if p.weight == "light"]
    share = sum(p.theme in RENEWING_THEMES for p in light) / len(light)
    assert share < 0.7  # so a clear margin above the mix below is a preference, not the packs' mix
    renewing = 0
    for n in range(60):  # seeds fixed here so the outcome is the same on every run
        unlocked.put_document(STATE, "seed", f"{n:032x}")
        unlocked.put_document(STATE, "history", {})
        offer = reflection.today(at(10))
        assert offer is not None and offer.prompt.weight == "light"
        renewing += offer.prompt.theme in RENEWING_THEMES
    assert renewing > 60 * (share + 0.1)


def test_a_run_ending_yesterday_counts(unlocked):
    """Nothing logged yet today, three low days up to yesterday: still a low-energy offer."""
    reflection = reflect(unlocked)
    log_energy(unlocked, (7, 3), (8, 3), (9, 4))
    offer = reflection.today(at(10))
    assert offer is not None
    assert offer.low_energy_days == 3 and offer.prompt.weight == "light"


def test_my_why_is_not_shown_on_normal_days(unlocked):
    """A why is set, but energy is fine: the offer carries no why and no low-energy explanation."""
    reflection = reflect(unlocked)
    reflection.set_why("To be useful at 3 a.m.", at(1))
    log_energy(unlocked, (8, 7), (9, 6), (10, 8))
    offer = reflection.today(at(10))
    assert offer is not None
    assert offer.my_why is None
    assert offer.low_energy_days == 0
    assert "low energy" not in offer.why


def test_low_energy_without_a_why_has_no_why(unlocked):
    """Low energy but no why written yet: my_why is None, the prompt is still light."""
    reflection = reflect(unlocked)
    log_energy(unlocked, (8, 2), (9, 2), (10, 2))
    offer = reflection.today(at(10))
    assert offer is not None
    assert offer.my_why is None and offer.prompt.weight == "light"


def test_the_daily_mean_is_used(unlocked):
    """A day with a 2 and an 8 averages 5, which is not low: that day breaks the run."""
    reflection = reflect(unlocked)
    reflection.set_why("Curiosity.", at(1))
    log_energy(unlocked, (8, 2), (9, 2), (9, 8), (10, 2))
    offer = reflection.today(at(10))
    assert offer is not None
    assert offer.low_energy_days == 1
    assert "low energy" not in offer.why
    assert offer.my_why is None


def test_several_low_entries_on_a_day_average_low(unlocked):
    """A 3 and a 5 on one day average 4, which counts as low."""
    reflection = reflect(unlocked)
    log_energy(unlocked, (8, 3), (8, 5), (9, 4), (10, 0))
    offer = reflection.today(at(10))
    assert offer is not None
    assert offer.low_energy_days == 3


# -- programmes


def test_programme_day_by_day(unlocked):
    """Start, day 1 offered; write it: done for today; tomorrow: day 2."""
    reflection = reflect(unlocked)
    assert reflection.programme_status(PROGRAMME, at(10)).status == "not started"
    started = reflection.start_programme(PROGRAMME, at(10, 9))
    assert started.status == "running"
    assert started.today is not None and started.today.id == "day-01"
    assert reflection.programme_status(PROGRAMME, at(10, 9)).today == started.today
    unlocked.add(
        EntryChanges(body="Coffee, a thank-you, a clear scan.", prompt=PromptRef(PROGRAMME, "day-01")),
        now=at(10, 21),
    )
    done = reflection.programme_status(PROGRAMME, at(10, 22))
    assert done.done_today is True and done.today is None and done.days_done == 1
    tomorrow = reflection.programme_status(PROGRAMME, at(11))
    assert tomorrow.today is not None and tomorrow.today.id == "day-02"
    assert tomorrow.days_done == 1 and not tomorrow.done_today
    later = reflection.programme_status(PROGRAMME, at(20))
    assert later.today is not None and later.today.id == "day-02"  # missed days: it waits


def test_pause_and_resume_keep_progress(unlocked):
    """Pausing hides today's step; starting again resumes at the same day."""
    reflection = reflect(unlocked)
    reflection.start_programme(PROGRAMME, at(10))
    unlocked.add(EntryChanges(body="Three things.", prompt=PromptRef(PROGRAMME, "day-01")), now=at(10, 20))
    paused = reflection.pause_programme(PROGRAMME, at(11))
    assert paused.status == "paused" and paused.today is None and paused.days_done == 1
    assert reflection.programme_status(PROGRAMME, at(15)).status == "paused"
    resumed = reflection.start_programme(PROGRAMME, at(15))
    assert resumed.status == "running" and resumed.days_done == 1
    assert resumed.today is not None and resumed.today.id == "day-02"


def test_starting_a_running_programme_keeps_its_progress(unlocked):
    """Start twice: the second start does not reset anything."""
    reflection = reflect(unlocked)
    reflection.start_programme(PROGRAMME, at(10))
    unlocked.add(EntryChanges(body="Three things.", prompt=PromptRef(PROGRAMME, "day-01")), now=at(10, 20))
    again = reflection.start_programme(PROGRAMME, at(11))
    assert again.days_done == 1 and again.today is not None and again.today.id == "day-02"


def test_pausing_a_programme_that_is_not_running_is_refused(unlocked):
    """Not started, or already paused: nothing to pause, InvalidInput."""
    reflection = reflect(unlocked)
    with pytest.raises(InvalidInput, match="not started"):
        reflection.pause_programme(PROGRAMME, at(10))
    reflection.start_programme(PROGRAMME, at(10))
    reflection.pause_programme(PROGRAMME, at(10))
    with pytest.raises(InvalidInput, match="paused"):
        reflection.pause_programme(PROGRAMME, at(10))


def test_programme_status_on_a_pack_of_prompts_is_refused(unlocked):
    """A pack that is not a programme, or no such pack: InvalidInput with a clear message."""
    reflection = reflect(unlocked)
    with pytest.raises(InvalidInput, match="not a program\\."):
        reflection.programme_status("origins", at(10))
    with pytest.raises(InvalidInput, match="not a program\\."):
        reflection.start_programme("origins", at(10))
    with pytest.raises(InvalidInput, match="no pack"):
        reflection.programme_status("no-such-pack", at(10))


@pytest.mark.parametrize("days_later", [0, 1])
def test_finishing_and_starting_over(unlocked, days_later):
    """All fifteen days written: finished; starting again (that day or the next) begins at day 1."""
    reflection = reflect(unlocked)
    reflection.start_programme(PROGRAMME, at(1))
    total = reflection.programme_status(PROGRAMME, at(1)).total_days
    assert total == 15
    for n in range(1, total + 1):
        step = reflection.programme_status(PROGRAMME, at(n))
        assert step.today is not None and step.today.id == f"day-{n:02d}"
        unlocked.add(
            EntryChanges(body=f"Day {n}.", prompt=PromptRef(PROGRAMME, step.today.id)), now=at(n, 21)
        )
    finished = reflection.programme_status(PROGRAMME, at(total, 22))
    assert finished.status == "finished" and finished.days_done == total and finished.today is None
    restarted = reflection.start_programme(PROGRAMME, at(total + days_later, 23))
    assert restarted.status == "running"
    assert restarted.days_done == 0
    assert restarted.today is not None and restarted.today.id == "day-01"


def test_three_entries_in_one_evening_are_one_day_of_three_good_things(unlocked):
    """Days 1, 2 and 3 written in one evening: one day done; tomorrow asks for day 2."""
    reflection = reflect(unlocked)
    reflection.start_programme(PROGRAMME, at(10, 9))
    for n in (1, 2, 3):
        unlocked.add(
            EntryChanges(body=f"Day {n}.", prompt=PromptRef(PROGRAMME, f"day-0{n}")), now=at(10, 20 + n)
        )
    tonight = reflection.programme_status(PROGRAMME, at(10, 23))
    assert tonight.days_done == 1 and tonight.done_today and tonight.today is None
    tomorrow = reflection.programme_status(PROGRAMME, at(11))
    assert tomorrow.days_done == 1 and tomorrow.today is not None and tomorrow.today.id == "day-02"


def test_the_gratitude_letter_is_one_sitting_in_order(unlocked):
    """Each step appears once the one before it is written, the same evening; "the letter is written"
    only after the letter; the last step finishes it."""
    reflection = reflect(unlocked)
    steps = [p.id for p in reflection.library.pack(LETTER).pack.prompts]
    progress = reflection.start_programme(LETTER, at(10, 19))
    offered = []
    for minute, _ in enumerate(steps):
        assert progress.today is not None and progress.status == "running"
        offered.append(progress.today.id)
        unlocked.add(
            EntryChanges(body="A few lines.", prompt=PromptRef(LETTER, progress.today.id)),
            now=at(10, 20).replace(minute=minute),
        )
        progress = reflection.programme_status(LETTER, at(10, 21))
    assert offered == steps
    assert offered.index("after-writing") == offered.index("writing-the-letter") + 1
    assert progress.status == "finished" and progress.today is None


def test_a_gratitude_letter_started_again_the_same_evening_begins_at_step_one(unlocked):
    """Finished at seven, started again at nine: this evening's first letter does not finish the second."""
    reflection = reflect(unlocked)
    reflection.start_programme(LETTER, at(10, 18))
    for minute, prompt in enumerate(reflection.library.pack(LETTER).pack.prompts):
        unlocked.add(
            EntryChanges(body="Step.", prompt=PromptRef(LETTER, prompt.id)),
            now=at(10, 19).replace(minute=minute),
        )
    assert reflection.programme_status(LETTER, at(10, 20)).status == "finished"
    again = reflection.start_programme(LETTER, at(10, 21))
    assert again.status == "running" and again.days_done == 0
    assert again.today is not None and again.today.id == "choosing-someone"


def test_the_three_questions_come_each_evening(unlocked):
    """All three questions one after another tonight; tomorrow the first again, one evening counted."""
    reflection = reflect(unlocked)
    progress = reflection.start_programme(QUESTIONS, at(10, 20))
    asked = []
    while progress.today is not None:
        asked.append(progress.today.id)
        unlocked.add(
            EntryChanges(body="Something.", prompt=PromptRef(QUESTIONS, progress.today.id)),
            now=at(10, 21).replace(minute=len(asked)),
        )
        progress = reflection.programme_status(QUESTIONS, at(10, 22))
    assert asked == ["what-surprised-me", "what-moved-me", "what-inspired-me"]
    assert progress.done_today and progress.days_done == 1 and progress.status == "running"
    tomorrow = reflection.programme_status(QUESTIONS, at(11, 20))
    assert tomorrow.today is not None and tomorrow.today.id == "what-surprised-me"
    assert [p.pack.id for p in reflection.running_programmes(at(11, 20))] == [QUESTIONS]


def test_sequence_steps_are_never_the_daily_prompt(unlocked):
    """Sixty days of daily prompts never serve a step of the letter or the three questions."""
    reflection = reflect(unlocked)
    packs = set()
    for n in range(60):
        unlocked.put_document(STATE, "seed", f"{n:032x}")
        offer = reflection.today(at(1 + n % 28, month=4 + n // 28))
        assert offer is not None
        packs.add(offer.prompt.pack)
    assert not packs & {LETTER, QUESTIONS, PROGRAMME}


def test_an_entry_answering_a_retired_prompt_stays_safe(unlocked):
    """A prompt merged away in an update: the old entry keeps its ref, and today's prompt, the
    programmes and the picker all carry on around it."""
    reflection = reflect(unlocked)
    retired = PromptRef("three-questions", "reading-back")
    added = unlocked.add(EntryChanges(body="Read back.", prompt=retired), now=at(9, 20))
    assert unlocked.get(added.id).prompt == retired
    unlocked.put_document(FAVOURITES, "all", [str(retired)])
    unlocked.put_document(STATE, "history", {"2026-03-10": [{"ref": str(retired), "why": "An old offer."}]})
    offer = reflection.today(at(10))
    assert offer is not None and offer.prompt.ref != str(retired)
    status = reflection.start_programme(QUESTIONS, at(9, 21))
    assert status.days_done == 0 and status.today is not None and status.today.id == "what-surprised-me"


# -- my why


def test_why_versions_are_kept_oldest_first(unlocked):
    """Two versions: history has both, oldest first, and my_why() is the latest."""
    reflection = reflect(unlocked)
    assert reflection.my_why() is None and reflection.why_history() == []
    reflection.set_why("To fix things.", at(1))
    reflection.set_why("  To stay with people when things cannot be fixed.  ", at(5))
    history = reflection.why_history()
    assert [v["text"] for v in history] == [
        "To fix things.",
        "To stay with people when things cannot be fixed.",
    ]
    assert history[0]["written"] < history[1]["written"]
    assert datetime.fromisoformat(history[1]["written"]) == at(5)
    assert reflection.my_why() == "To stay with people when things cannot be fixed."


def test_why_survives_lock_and_unlock(made_vault):
    """The why is still there after the vault is locked and opened again."""
    with made_vault.open() as opened:
        reflect(opened).set_why("Because of my grandmother's doctor.", at(1))
    with made_vault.open() as opened:
        assert reflect(opened).my_why() == "Because of my grandmother's doctor."


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_an_empty_why_is_refused(unlocked, text):
    """Nothing but whitespace: InvalidInput, and no version is stored."""
    reflection = reflect(unlocked)
    with pytest.raises(InvalidInput, match="empty"):
        reflection.set_why(text, at(1))
    assert reflection.why_history() == []


def test_an_overlong_why_is_refused(unlocked):
    """More than 2,000 characters: InvalidInput."""
    with pytest.raises(InvalidInput):
        reflect(unlocked).set_why("x" * 2001, at(1))


def test_the_why_is_encrypted_on_disk(made_vault):
    """The words of the why appear in none of the vault's files."""
    canary = "WhyCanary because of the night Mr Osei smiled"
    with made_vault.open() as opened:
        reflect(opened).set_why(canary, at(1))
    files = [p for p in made_vault.folder.iterdir() if p.is_file()]
    assert made_vault.db in files
    for path in files:
        raw = path.read_bytes()
        assert b"WhyCanary" not in raw
        assert canary.encode("utf-16-le") not in raw
