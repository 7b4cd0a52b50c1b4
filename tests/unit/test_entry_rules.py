"""What may go into an entry, and how input is normalised."""

from datetime import UTC, datetime, timedelta

import pytest

from purpose_app.domain.entry import (
    EntryChanges,
    PromptRef,
    apply_changes,
    clean_labels,
    new_entry,
    parse_energy,
    parse_prompt_ref,
    parse_shift,
)
from purpose_app.errors import InvalidInput

NOW = datetime(2026, 11, 24, 22, 30, tzinfo=UTC)


@pytest.mark.parametrize("changes", [
    EntryChanges(energy=0), EntryChanges(drains=("charting",)), EntryChanges(fuels=("a grateful patient",)),
    EntryChanges(shift="night"), EntryChanges(tags=("icu",)), EntryChanges(body="words"),
])  # fmt: skip
def test_a_quick_check_in_is_a_valid_entry(changes):
    """Energy, a drain, a fuel, a shift or a tag alone is enough: no text is required."""
    entry = new_entry(changes, NOW)
    assert entry.revision == 1 and entry.created == NOW


@pytest.mark.parametrize("changes", [
    EntryChanges(), EntryChanges(body="  \n\t "), EntryChanges(title="   "),
    EntryChanges(prompt=PromptRef("origins", "why")), EntryChanges(tags=("#", " ")),
])  # fmt: skip
def test_an_entry_with_nothing_in_it_is_refused(changes):
    """Whitespace, empty labels or a prompt reference alone do not make an entry."""
    with pytest.raises(InvalidInput, match="needs something"):
        new_entry(changes, NOW)


@pytest.mark.parametrize("raw,expected", [("0", 0), ("10", 10), (" 7 ", 7), (5, 5)])
def test_energy_accepts_whole_numbers_0_to_10(raw, expected):
    """Whole numbers in range are taken as they are."""
    assert parse_energy(raw) == expected


@pytest.mark.parametrize("raw", ["11", "-1", "high", "4.5", "", "1e1"])
def test_energy_refuses_anything_else(raw):
    """Out of range, words and fractions are refused with a message that names the range."""
    with pytest.raises(InvalidInput, match="0 to 10"):
        parse_energy(raw)


def test_shift_spellings_are_normalised_and_unknown_refused():
    """Common spellings map to the six shift contexts; anything else lists the choices."""
    assert parse_shift("On Call") == "on-call"
    assert parse_shift("postcall") == "post-call"
    assert parse_shift("NIGHT") == "night"
    with pytest.raises(InvalidInput, match="off, day, evening, night, on-call, post-call"):
        parse_shift("nights")


def test_labels_are_trimmed_and_deduplicated_ignoring_case():
    """The first spelling of a label is kept; repeats in other cases are dropped."""
    assert clean_labels(["  Charting ", "charting", "pager  noise"], "drain") == ("Charting", "pager noise")
    assert clean_labels(["#icu", "@ICU", "teaching"], "tag") == ("icu", "teaching")


def test_edit_moves_revision_and_updated_and_keeps_the_rest():
    """An edit bumps the revision and updated time; fields not named stay as they were."""
    entry = new_entry(EntryChanges(title="Night", energy=3, tags=("icu",)), NOW)
    later = NOW + timedelta(hours=9)
    edited = apply_changes(entry, EntryChanges(energy=6, clear=frozenset({"tags"})), later)
    assert (edited.revision, edited.updated, edited.created) == (2, later, NOW)
    assert (edited.title, edited.energy, edited.tags) == ("Night", 6, ())


def test_text_limits_and_bad_characters():
    """Over-long titles, null characters and lone surrogates (invalid UTF-8 from argv) are refused."""
    with pytest.raises(InvalidInput, match="too long"):
        new_entry(EntryChanges(title="x" * 201), NOW)
    with pytest.raises(InvalidInput, match="null"):
        new_entry(EntryChanges(body="a\x00b"), NOW)
    with pytest.raises(InvalidInput, match="UTF-8"):
        new_entry(EntryChanges(body="bad \udcff byte"), NOW)


def test_naive_times_are_refused():
    """Every stored time carries a time zone."""
    with pytest.raises(InvalidInput, match="time zone"):
        new_entry(EntryChanges(energy=4), datetime(2026, 1, 1))


def test_prompt_references():
    """PACK/PROMPT is parsed; anything else is refused with an example."""
    assert parse_prompt_ref("Origins/First-Patient") == PromptRef("origins", "first-patient")
    with pytest.raises(InvalidInput, match="PACK/PROMPT"):
        parse_prompt_ref("just-a-pack")
