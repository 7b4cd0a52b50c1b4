"""The journal's view-model: search and filters, paging, edit and delete, label lists, and scale."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import PASSPHRASE

from purpose_app.domain.entry import EntryChanges, new_entry
from purpose_app.errors import InvalidInput
from purpose_app.services.session import Session
from purpose_app.ui.journal_model import PAGE_SIZE, SNIPPET_AFTER, SNIPPET_BEFORE, JournalModel, snippet


def at(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 3, day, hour).astimezone()


@pytest.fixture
def journal(session: Session) -> JournalModel:
    """A small journal across three days of March 2026."""
    vault = session.require()
    rows = [
        (
            2,
            EntryChanges(
                title="Ventilator night", body="The alarm kept going.", tags=("icu",), shift="night"
            ),
        ),
        (3, EntryChanges(energy=2, drains=("pager", "charting"), shift="day")),
        (4, EntryChanges(body="A grateful family.", tags=("family", "icu"), fuels=("a grateful patient",))),
        (5, EntryChanges(energy=7, drains=("pager",), fuels=("teaching",), shift="evening")),
    ]
    for day, changes in rows:
        vault.add(changes, now=at(day))
    return JournalModel(session)


def bodies_or_titles(model: JournalModel) -> list[str]:
    return [e.title or e.body or ",".join(e.drains) for e in model.results]


def test_no_filters_lists_everything_newest_first(journal: JournalModel) -> None:
    """An empty search lists all entries, newest first, with nothing more to page."""
    found = journal.search()
    assert [e.created.day for e in found] == [5, 4, 3, 2]
    assert not journal.has_more


def test_text_search_reads_titles_and_bodies(journal: JournalModel) -> None:
    """Text matches the sealed title and body, ignoring case."""
    assert [e.title for e in journal.set_filters(text="VENTILATOR")] == ["Ventilator night"]
    assert [e.created.day for e in journal.set_filters(text="grateful")] == [4]
    assert journal.set_filters(text="nothing like this") == []


@pytest.mark.parametrize(
    ("filters", "days"),
    [
        ({"tag": "icu"}, [4, 2]),
        ({"tag": "#family"}, [4]),
        ({"drain": "pager"}, [5, 3]),
        ({"drain": "charting"}, [3]),
        ({"fuel": "teaching"}, [5]),
        ({"shift": "night"}, [2]),
        ({"shift": "Evening"}, [5]),
        ({"since": "2026-03-04"}, [5, 4]),
        ({"until": "2026-03-03"}, [3, 2]),
        ({"since": "2026-03-03", "until": "2026-03-04"}, [4, 3]),
        ({"drain": "pager", "shift": "day"}, [3]),
    ],
)
def test_filters(journal: JournalModel, filters: dict[str, str], days: list[int]) -> None:
    """Each filter (tag, drain, fuel, shift, since, until) narrows the list; until is inclusive."""
    assert [e.created.day for e in journal.set_filters(**filters)] == days


def test_rows_show_the_first_line_when_untitled_with_date_energy_and_tags(session: Session) -> None:
    """An untitled entry's row shows its first line of text, its date, energy and tags."""
    vault = session.require()
    when = datetime(2026, 3, 4, 21, 10, tzinfo=timezone(timedelta(hours=-5)))
    vault.add(
        EntryChanges(body="\n  The family in bay four.\nThey thanked us.", energy=6, tags=("icu", "family")),
        now=when,
    )
    model = JournalModel(session)
    model.search()
    (row,) = model.rows()
    assert row.headline == "The family in bay four."
    assert row.when == "Wed, Mar 4, 2026, 21:10"  # where it was written
    assert row.details == "energy 6 of 10  ·  #icu #family"
    assert row.snippet is None and model.count_text() == ""


def test_a_search_says_how_many_match_and_shows_the_words_in_context(journal: JournalModel) -> None:
    """Search counts the matching entries and gives the words around the first match, as written."""
    journal.set_filters(text="GRATEFUL")
    assert journal.count_text() == "1 entry matches."
    (row,) = journal.rows()
    assert row.headline == "A grateful family."
    assert row.snippet is not None
    assert (row.snippet.before, row.snippet.match, row.snippet.after) == ("A ", "grateful", " family.")
    journal.set_filters(text="pager")
    assert journal.count_text() == "2 entries match."
    assert [r.headline for r in journal.rows()] == [
        "Check-in: energy 7, evening, pager, teaching",
        "Check-in: energy 2, day, pager, charting",
    ]
    journal.set_filters(text="nothing like this")
    assert journal.count_text() == "No entries match."


def test_the_count_covers_every_page_not_only_the_first(session: Session) -> None:
    """With more matches than a page, the count is of all of them; metadata alone is read for it."""
    vault = session.require()
    for n in range(PAGE_SIZE + 3):
        vault.add(EntryChanges(body=f"round {n} on the ward"))
    model = JournalModel(session)
    assert len(model.set_filters(text="ward")) == PAGE_SIZE and model.has_more
    assert model.count_text() == f"{PAGE_SIZE + 3} entries match."


def test_a_snippet_is_cut_around_a_match_deep_in_a_long_line() -> None:
    """Long text is cut to a little before and after the match, marked with an ellipsis, case kept."""
    body = "x" * 300 + " the STRAẞE moment " + "y" * 300
    entry = new_entry(EntryChanges(body=body), datetime(2026, 3, 1, tzinfo=UTC))
    found = snippet(entry, "strasse")
    assert found is not None
    assert found.match == "STRAẞE"
    assert found.before.startswith("…") and found.after.endswith("…")
    assert len(found.before) <= SNIPPET_BEFORE + 1 and len(found.after) <= SNIPPET_AFTER + 1


def test_the_date_filter_uses_the_date_where_it_was_written(session: Session, monkeypatch) -> None:
    """28 Feb 19:30 -05:00 is not "From 2023-03-01", even on a machine whose clock is in UTC."""
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        vault = session.require()
        vault.add(
            EntryChanges(body="late"), now=datetime(2023, 2, 28, 19, 30, tzinfo=timezone(timedelta(hours=-5)))
        )
        model = JournalModel(session)
        assert model.set_filters(since="2023-03-01") == []
        assert [e.body for e in model.set_filters(since="", until="2023-02-28")] == ["late"]
        assert model.rows()[0].when.startswith("Tue, Feb 28, 2023, 19:30")
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_a_bad_date_is_a_calm_message(journal: JournalModel) -> None:
    """A date that does not parse raises InvalidInput that says how to write one."""
    with pytest.raises(InvalidInput) as caught:
        journal.set_filters(since="last tuesday")
    assert "YYYY-MM-DD" in caught.value.message
    assert "Traceback" not in caught.value.message


def test_a_bad_shift_is_a_calm_message(journal: JournalModel) -> None:
    """An unknown shift names the ones that exist."""
    with pytest.raises(InvalidInput) as caught:
        journal.set_filters(shift="graveyard")
    assert "night" in caught.value.message


def test_paging_by_page_size(session: Session) -> None:
    """Results come PAGE_SIZE at a time; more() adds a page; has_more turns off at the end."""
    vault = session.require()
    total = PAGE_SIZE * 2 + 5
    for n in range(total):
        vault.add(EntryChanges(energy=n % 11))
    model = JournalModel(session)

    assert len(model.search()) == PAGE_SIZE and model.has_more
    assert len(model.more()) == PAGE_SIZE * 2 and model.has_more
    assert len(model.more()) == total and not model.has_more
    ids = [e.id for e in model.results]
    assert len(set(ids)) == total

    model.set_filters(text="")  # a new search starts again at the first page
    assert len(model.results) == PAGE_SIZE and model.has_more


def test_exactly_one_page_has_no_more(session: Session) -> None:
    """PAGE_SIZE entries fit one page: has_more is False (no empty "Show more")."""
    for _ in range(PAGE_SIZE):
        session.require().add(EntryChanges(energy=5))
    model = JournalModel(session)
    assert len(model.search()) == PAGE_SIZE
    assert not model.has_more


def test_delete_refreshes_results(journal: JournalModel, session: Session) -> None:
    """Deleting an entry removes it from the current results and from the vault."""
    found = journal.set_filters(tag="icu")
    gone = found[0].id
    journal.delete(gone)
    assert gone not in [e.id for e in journal.results]
    assert [e.created.day for e in journal.results] == [2]
    assert session.require().count() == 3


def test_edit_refreshes_results(journal: JournalModel) -> None:
    """An edit that no longer matches the search drops out of the results; open() shows the new text."""
    found = journal.set_filters(text="ventilator")
    entry_id = found[0].id
    edited = journal.edit(entry_id, EntryChanges(title="A quiet night", body="Nothing alarmed."))
    assert edited.title == "A quiet night"
    assert journal.results == []
    journal.set_filters(text="quiet")
    assert [e.id for e in journal.results] == [entry_id]
    assert journal.open(entry_id).body == "Nothing alarmed."


def test_labels_most_common_first(journal: JournalModel) -> None:
    """labels() lists a kind's labels by how often they were used."""
    assert journal.labels("drains") == ["pager", "charting"]
    assert journal.labels("tags") == ["icu", "family"]
    assert journal.labels("fuels")[0] in {"a grateful patient", "teaching"}
    assert journal.labels("drains", limit=1) == ["pager"]


@pytest.fixture
def memory_session(tmp_path: Path) -> Iterator[Session]:
    """A new journal on tmpfs when there is one: thousands of durable commits stay cheap."""
    shm = Path("/dev/shm")
    with tempfile.TemporaryDirectory(dir=shm if shm.is_dir() else tmp_path) as folder:
        opened = Session(Path(folder) / "vault")
        opened.create(PASSPHRASE, PASSPHRASE)
        yield opened
        opened.lock()


def test_a_large_journal_pages(memory_session: Session) -> None:
    """With ~3,000 entries the first page is PAGE_SIZE long and more remain (no timing asserted)."""
    session = memory_session
    vault = session.require()
    for n in range(3000):
        vault.add(EntryChanges(energy=n % 11, drains=("pager",) if n % 3 == 0 else ()))
    model = JournalModel(session)
    first = model.search()
    assert len(first) == PAGE_SIZE
    assert model.has_more
    assert len(model.set_filters(drain="pager")) == PAGE_SIZE and model.has_more
    assert len(model.more()) == PAGE_SIZE * 2


def test_settings_data_card_imports_a_jrnl_file_from_bytes_and_reports(made_vault):
    """The app's import reads the picked file's bytes (no temp file), stores it, and says what it did."""
    import json as json_module

    from purpose_app.services.session import Session
    from purpose_app.ui.screens.data import DataCard

    session = Session(made_vault.folder)
    session.unlock(PASSPHRASE)

    class _Page:
        def update(self) -> None: ...

    class _App:
        page = _Page()

    _App.session = session
    card = DataCard(_App())
    card.message.update = lambda: None  # no live page: the text is what we check
    raw = json_module.dumps(
        {
            "tags": {},
            "entries": [
                {
                    "title": "Night",
                    "body": "Held a hand.",
                    "date": "2024-03-01",
                    "time": "22:10",
                    "tags": [],
                    "starred": False,
                }
            ],
        }
    ).encode()
    card.import_bytes("jrnl-json", raw)
    assert "Imported 1 entry" in card.message.value
    card.import_bytes("jrnl-json", raw)
    assert "1 were already here" in card.message.value
    card.import_bytes("jrnl-json", b"not json")
    assert "is not valid JSON" in card.message.value and "Nothing was imported" in card.message.value
    assert session.require().count() == 1
    session.lock()


def test_settings_data_card_makes_an_encrypted_backup_that_restores(made_vault, tmp_path):
    """The app's backup is the encrypted file (no entry text inside) and restores into a new vault."""
    from purpose_app.domain.entry import EntryChanges
    from purpose_app.errors import InvalidInput
    from purpose_app.services.backup import read_backup
    from purpose_app.services.session import Session
    from purpose_app.ui.screens.data import DataCard

    session = Session(made_vault.folder)
    session.unlock(PASSPHRASE)
    session.require().add(EntryChanges(body="canary-backup-7f3a quiet night"))

    class _App:
        page = None

    _App.session = session
    card = DataCard(_App())
    with pytest.raises(InvalidInput, match="did not match"):
        card.backup_bytes("a backup passphrase", "another one")
    data, count = card.backup_bytes("a backup passphrase", "a backup passphrase")
    assert count == 1 and b"canary-backup-7f3a" not in data
    path = tmp_path / "app.backup"
    path.write_bytes(data)
    restored = read_backup(path, "a backup passphrase")
    assert [e.body for e in restored.entries] == ["canary-backup-7f3a quiet night"]
    session.lock()
