"""The daily prompt's rules, on synthetic prompts with a fixed clock and fixed seeds."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from purpose_app.packs.daily import LOW_ENERGY, Pick, choose, low_energy_run
from purpose_app.packs.model import PERSONAL_PACK_ID, RENEWING_THEMES, Prompt

TODAY = date(2026, 3, 10)
SEED = b"\x01" * 16
MANY_SEEDS = [n.to_bytes(4, "big") for n in range(2000)]


def make_prompts(
    n: int, *, pack: str = "test", theme: str = "legacy", weight: str = "medium"
) -> list[Prompt]:
    return [Prompt(pack, f"p{i:03d}", f"Prompt number {i}?", theme, weight) for i in range(n)]


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def pick(prompts: list[Prompt], **kwargs: object) -> Pick:
    options: dict[str, object] = {"today": TODAY, "seed": SEED, "shown": {}, "answered": {}}
    options.update(kwargs)
    result = choose(prompts, **options)  # type: ignore[arg-type]
    assert result is not None
    return result


def tally(prompts: list[Prompt], **kwargs: object) -> Counter[str]:
    """How often each ref is picked over many seeds (everything else fixed)."""
    return Counter(pick(prompts, seed=seed, **kwargs).prompt.ref for seed in MANY_SEEDS)


def low_days(*days_ago: int, energy: float = 2.0) -> dict[date, float]:
    return {ago(d): energy for d in days_ago}


# -- stability and variety


def test_same_inputs_give_the_same_pick():
    """Same prompts, day, seed and history: the same prompt every time (stable for the day)."""
    prompts = make_prompts(40)
    shown = {ago(3): ["test/p001"], ago(5): ["test/p007"]}
    first = pick(prompts, shown=shown)
    for _ in range(5):
        assert pick(prompts, shown=shown) == first


def test_the_pick_depends_on_the_vault_seed():
    """Two vaults (two seeds) do not walk through the prompts in the same order."""
    prompts = make_prompts(40)
    by_seed = {pick(prompts, seed=seed).prompt.ref for seed in MANY_SEEDS[:50]}
    assert len(by_seed) > 10


def test_different_days_give_varied_picks_over_a_month():
    """Without any history, thirty days give many different prompts, not one prompt over and over."""
    prompts = make_prompts(40)
    refs = [pick(prompts, today=TODAY + timedelta(days=d)).prompt.ref for d in range(30)]
    assert len(set(refs)) >= 12


def test_a_month_of_daily_use_never_repeats():
    """Feeding each day's pick back as shown: thirty days, thirty different prompts."""
    prompts = make_prompts(40)
    shown: dict[date, list[str]] = {}
    for d in range(30):
        day = TODAY + timedelta(days=d)
        shown[day] = [pick(prompts, today=day, shown=shown).prompt.ref]
    assert len({refs[0] for refs in shown.values()}) == 30


# -- no early repeats


def test_prompts_shown_in_the_last_30_days_are_not_picked_while_others_remain():
    """With all but one prompt shown over the last 30 days, every seed picks the one not shown."""
    prompts = make_prompts(30)
    shown = {ago(d): [prompts[d].ref] for d in range(29)}  # p000..p028, today back to 28 days ago
    shown[ago(29)] = [prompts[28].ref]  # the edge of the window, shown twice
    counts = tally(prompts, shown=shown)
    assert set(counts) == {prompts[29].ref}


def test_shown_29_days_ago_is_still_too_recent():
    """A prompt shown 29 days ago loses to one never shown, whatever the seed."""
    prompts = make_prompts(2)
    counts = tally(prompts, shown={ago(29): [prompts[0].ref]})
    assert set(counts) == {prompts[1].ref}


def test_prompts_shown_31_or_more_days_ago_can_come_back():
    """Once 31 days have passed a prompt is fresh again, and is picked over a recently shown one."""
    prompts = make_prompts(2)
    shown = {ago(31): [prompts[0].ref], ago(3): [prompts[1].ref]}
    assert set(tally(prompts, shown=shown)) == {prompts[0].ref}
    shown_long_ago = {ago(45): [p.ref for p in prompts]}
    assert set(tally(prompts, shown=shown_long_ago)) == {p.ref for p in prompts}


def test_when_everything_was_shown_recently_something_is_still_offered():
    """Every prompt shown in the last few days: a repeat is offered rather than nothing."""
    prompts = make_prompts(5)
    shown = {ago(d): [p.ref] for d, p in enumerate(prompts)}
    counts = tally(prompts, shown=shown)
    assert sum(counts.values()) == len(MANY_SEEDS)
    assert len(counts) == len(prompts)


def test_a_prompt_answered_in_the_last_30_days_waits_like_a_shown_one():
    """Answering a prompt (even one never offered) keeps it back for 30 days while others remain."""
    prompts = make_prompts(2)
    counts = tally(prompts, answered={prompts[0].ref: ago(10)})
    assert set(counts) == {prompts[1].ref}


# -- answered, favourites


def test_answered_prompts_come_back_rarely_but_not_never():
    """Answered long ago: picked far less often than unanswered ones, yet still picked sometimes."""
    prompts = make_prompts(20)
    answered = {p.ref: ago(90) for p in prompts[:10]}
    counts = tally(prompts, answered=answered)
    answered_picks = sum(counts[ref] for ref in answered)
    unanswered_picks = len(MANY_SEEDS) - answered_picks
    assert answered_picks > 0
    assert answered_picks * 5 < unanswered_picks


def test_favourites_are_picked_more_often():
    """A favourite is picked clearly more often than an average prompt of the same pool."""
    prompts = make_prompts(10)
    favourite = prompts[4].ref
    counts = tally(prompts, favourites=[favourite])
    others = [counts[p.ref] for p in prompts if p.ref != favourite]
    assert counts[favourite] > 2 * (sum(others) / len(others))
    assert all(count > 0 for count in others)  # the rest are still offered


# -- "another one"


def test_exclude_never_returns_an_excluded_prompt():
    """Whatever the seed, an excluded ref (already offered today) is never the pick."""
    prompts = make_prompts(6)
    excluded = [p.ref for p in prompts[:5]]
    counts = tally(prompts, exclude=excluded)
    assert set(counts) == {prompts[5].ref}
    some = [p.ref for p in prompts[:3]]
    assert not set(tally(prompts, exclude=some)) & set(some)


def test_exclude_everything_gives_none():
    """When every prompt is excluded there is nothing to offer: None, not an error."""
    prompts = make_prompts(4)
    result = choose(prompts, today=TODAY, seed=SEED, shown={}, answered={}, exclude=[p.ref for p in prompts])
    assert result is None


def test_no_prompts_at_all_gives_none():
    """No prompts enabled: None."""
    assert choose([], today=TODAY, seed=SEED, shown={}, answered={}) is None


def test_another_one_differs_from_the_first_pick():
    """Excluding the first pick of the day gives a different prompt (and is itself stable)."""
    prompts = make_prompts(20)
    first = pick(prompts)
    second = pick(prompts, exclude=[first.prompt.ref])
    assert second.prompt != first.prompt
    assert pick(prompts, exclude=[first.prompt.ref]) == second


# -- low energy


def mixed_prompts() -> list[Prompt]:
    """Light renewing, light other, and heavier prompts: 10 of each."""
    renewing_theme = sorted(RENEWING_THEMES)[0]
    light_renewing = [
        Prompt("mix", f"lr{i}", f"Light renewing {i}", renewing_theme, "light") for i in range(10)
    ]
    light_other = [
        Prompt("mix", f"lo{i}", f"Light other {i}", "hard-conversations", "light") for i in range(10)
    ]
    heavy = [Prompt("mix", f"h{i}", f"Heavy {i}", renewing_theme, "deep") for i in range(10)]
    heavy += [Prompt("mix", f"m{i}", f"Medium {i}", "origins", "medium") for i in range(10)]
    return light_renewing + light_other + heavy


def test_low_energy_run_counts_consecutive_low_days_ending_today():
    """Three low days up to today make a run of three."""
    assert low_energy_run(low_days(0, 1, 2), TODAY) == 3


def test_low_energy_run_may_end_yesterday():
    """No check-in yet today: a run ending yesterday still counts."""
    assert low_energy_run(low_days(1, 2, 3), TODAY) == 3


def test_a_run_ending_two_days_ago_does_not_count():
    """Nothing logged today or yesterday: no current run."""
    assert low_energy_run(low_days(2, 3, 4, 5), TODAY) == 0


def test_a_good_day_today_ends_the_run():
    """Today's check-in is not low: the run is over, whatever came before."""
    energy = low_days(1, 2, 3) | {TODAY: 7.0}
    assert low_energy_run(energy, TODAY) == 0


def test_a_gap_day_breaks_the_run():
    """A day without a check-in in the middle splits the run; only the part up to today counts."""
    assert low_energy_run(low_days(0, 1, 3, 4, 5), TODAY) == 2


def test_mean_exactly_4_is_low_and_4_5_is_not():
    """The threshold is inclusive: a day at exactly 4 counts as low, 4.5 does not."""
    assert LOW_ENERGY == 4
    assert low_energy_run(low_days(0, 1, 2, energy=4.0), TODAY) == 3
    assert low_energy_run(low_days(0, 1, 2, energy=4.5), TODAY) == 0
    assert low_energy_run(low_days(0, 2, energy=4.0) | {ago(1): 4.5}, TODAY) == 1


def test_three_low_days_offer_only_light_prompts():
    """Low energy three days running: every seed picks a light prompt."""
    prompts = mixed_prompts()
    weights = {p.ref: p.weight for p in prompts}
    counts = tally(prompts, energy_by_day=low_days(0, 1, 2))
    assert {weights[ref] for ref in counts} == {"light"}


def test_three_low_days_strongly_prefer_renewing_themes():
    """Among light prompts, renewing themes are picked several times as often as the others."""
    prompts = mixed_prompts()
    themes = {p.ref: p.theme for p in prompts}
    counts = tally(prompts, energy_by_day=low_days(0, 1, 2))
    renewing = sum(n for ref, n in counts.items() if themes[ref] in RENEWING_THEMES)
    other = sum(n for ref, n in counts.items() if themes[ref] not in RENEWING_THEMES)
    assert other > 0  # preferred, not exclusive
    assert renewing > 2.5 * other


def test_low_days_lean_towards_patient_connection_too():
    """Light being-heard and partnership prompts count as renewing: on low days they are picked far
    more often than light prompts of a theme that is not renewing, as fuels are."""
    heard = make_prompts(5, pack="heard", theme="being-heard", weight="light")
    partners = make_prompts(5, pack="partners", theme="partnership-and-trust", weight="light")
    other = make_prompts(10, pack="other", theme="legacy", weight="light")
    counts = tally(heard + partners + other, energy_by_day=low_days(0, 1, 2))
    connection = sum(n for ref, n in counts.items() if not ref.startswith("other/"))
    assert connection > 2.5 * (len(MANY_SEEDS) - connection)


def test_low_energy_why_says_so():
    """The explanation names the run: "low energy three days running"."""
    result = pick(mixed_prompts(), energy_by_day=low_days(0, 1, 2))
    assert "low energy three days running" in result.why
    assert result.low_energy_days == 3
    longer = pick(mixed_prompts(), energy_by_day=low_days(0, 1, 2, 3, 4))
    assert "five days running" in longer.why and longer.low_energy_days == 5


def test_low_energy_with_no_light_prompt_still_offers_something():
    """If nothing light is available, a low-energy day still gets a prompt."""
    prompts = make_prompts(5, weight="deep")
    assert pick(prompts, energy_by_day=low_days(0, 1, 2)).prompt in prompts


def test_two_low_days_are_not_enough():
    """Two low days: the normal choice, heavy prompts included, and no talk of low energy."""
    prompts = mixed_prompts()
    weights = {p.ref: p.weight for p in prompts}
    energy = low_days(0, 1)
    counts = tally(prompts, energy_by_day=energy)
    assert {weights[ref] for ref in counts} == {"light", "medium", "deep"}
    assert "low energy" not in pick(prompts, energy_by_day=energy).why


def test_a_gap_day_returns_to_the_normal_choice():
    """Low, low, no check-in, low, low: the run is broken, so heavy prompts can come back."""
    prompts = mixed_prompts()
    weights = {p.ref: p.weight for p in prompts}
    energy = low_days(0, 1, 3, 4)
    counts = tally(prompts, energy_by_day=energy)
    assert "deep" in {weights[ref] for ref in counts}
    assert "low energy" not in pick(prompts, energy_by_day=energy).why


def test_average_days_are_not_low():
    """Mean energy of 5 (one 2 and one 8 averaged by the caller) on three days: normal choice."""
    prompts = mixed_prompts()
    weights = {p.ref: p.weight for p in prompts}
    counts = tally(prompts, energy_by_day=low_days(0, 1, 2, energy=5.0))
    assert "deep" in {weights[ref] for ref in counts}


# -- why this one


def test_why_for_a_favourite():
    """A favourite says so."""
    prompts = make_prompts(1)
    assert pick(prompts, favourites=[prompts[0].ref]).why == "One of your favorites."


def test_why_for_an_answered_prompt():
    """A prompt answered long ago says the answer may have changed."""
    prompts = make_prompts(1)
    result = pick(prompts, answered={prompts[0].ref: ago(60)})
    assert "answered a while ago" in result.why


def test_why_for_a_personal_prompt():
    """A prompt from the personal pack says the person wrote it."""
    prompts = make_prompts(1, pack=PERSONAL_PACK_ID)
    assert "you wrote yourself" in pick(prompts).why


def test_why_for_a_new_prompt_names_its_pack():
    """A new prompt names its pack by name, or by id when no name is known."""
    prompts = make_prompts(1, pack="legacy")
    assert pick(prompts, pack_names={"legacy": "What you leave"}).why == "A new one from What you leave."
    assert pick(prompts).why == "A new one from legacy."


def test_low_energy_explanation_comes_before_favourite():
    """On a low-energy day the explanation is about energy, even for a favourite."""
    prompts = make_prompts(1, weight="light")
    result = pick(prompts, favourites=[prompts[0].ref], energy_by_day=low_days(0, 1, 2))
    assert "low energy" in result.why
    assert pick(prompts, favourites=[prompts[0].ref]).why == "One of your favorites."
