"""Hostile backups from someone who holds the passphrase: sealed for real, with hostile JSON inside
(wrong types, huge numbers, deep nesting, unknown record types and document kinds, entries breaking
the rules, deletions of unknown ids, lone surrogates, giant lists). Only Purpose's own errors come out,
within bounded time, and a refused backup leaves every row of the vault exactly as it was.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import pytest
from fuzz_payloads import (
    FUZZ,
    KINDS,
    backup_file,
    backup_records,
    encode,
    entry_record,
    head_of,
    json_values,
    make_target,
    restore,
)
from hypothesis import given
from hypothesis import strategies as st

from purpose_app.errors import InvalidInput
from purpose_app.services import backup, sync, vault


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[vault.Vault]:
    """One vault for every example of this module."""
    opened = make_target(tmp_path_factory.mktemp("payload") / "vault")
    yield opened
    opened.lock()


# -- backups -------------------------------------------------------------------------------------------


@FUZZ
@given(
    lines=st.lists(backup_records, max_size=5),
    same_journal=st.booleans(),
    end=st.booleans() | st.just(True),
)
def test_hostile_backups_give_only_purpose_errors_and_change_nothing_when_refused(
    target, tmp_path, lines, same_journal, end
):
    """Whatever the lines inside a correctly sealed backup, restore --merge either merges it or
    refuses it with Purpose's own error and every row as it was."""
    path = tmp_path / "hostile.backup"
    backup_file(path, head_of(target, same_journal), lines, end)
    restore(target, path)


@FUZZ
@given(
    bodies=st.lists(st.text("ab yz\né🌙", max_size=40), max_size=3),
    unknown_ids=st.lists(st.uuids().map(str), max_size=3),
    docs=st.dictionaries(
        st.tuples(st.sampled_from(KINDS) | st.text(min_size=1, max_size=8), st.text(max_size=8)),
        json_values,
        max_size=3,
    ),
    same_journal=st.booleans(),
)
def test_well_formed_backups_with_odd_contents_merge_whole(
    target, tmp_path, bodies, unknown_ids, docs, same_journal
):
    """Entries, deletions of ids this vault never had, and documents of any kind holding any JSON: a
    well-formed backup always merges; its documents arrive only from this journal's own backup."""
    docs = {key: data for key, data in docs.items() if key[0] != sync.KIND}
    lines = ['{"type":"entry",' + encode(entry_record(body + "."))[1:] for body in bodies]
    lines += [encode({"type": "deletion", "id": entry_id, "revision": 3}) for entry_id in unknown_ids]
    lines += [encode({"type": "document", "kind": k, "name": n, "data": d}) for (k, n), d in docs.items()]
    before = target.all_documents()
    path = tmp_path / "odd.backup"
    backup_file(path, head_of(target, same_journal), lines, True)
    result = restore(target, path)
    assert isinstance(result, backup.RestoreSummary), result
    assert len(result.outcome.added) == len(bodies) and set(unknown_ids) <= set(target.tombstones())
    after = target.all_documents()
    expected = {**docs, **before} if same_journal else before
    assert after == expected


@FUZZ
@given(head=st.dictionaries(st.sampled_from(["format", "vault_id", "data_key", "made", "x"]), json_values))
def test_hostile_backup_heads_are_refused(target, tmp_path, head):
    """A first record of the wrong shape or with impossible values is refused before any merge."""
    path = tmp_path / "head.backup"
    backup_file(path, head, [], True)
    result = restore(target, path)
    assert isinstance(result, InvalidInput)


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ('{"type":"entry",' + encode(entry_record())[1:].replace('"revision":1', f'"revision":{2**64}'),
         "impossibly high revision"),
        ('{"type":"deletion","id":"' + str(uuid.UUID(int=7)) + '","revision":9223372036854775808}',
         "impossibly high revision"),
        ('{"type":"document","kind":"why","name":"deep","data":' + "[" * 900 + "]" * 900 + "}",
         "nested more than"),
        ('{"type":"document","kind":"why","name":"x","data":"\\ud800"}', "not valid Unicode"),
        ('{"type":"entry",' + encode(entry_record("a\\ud800b"))[1:].replace("\\\\ud800", "\\ud800"),
         "not valid Unicode"),
        ("[" * 100_000, "nested far too deeply"),
        ('{"type":"deletion","id":"x","revision":' + "9" * 5000 + "}", "not JSON"),
    ],
    ids=["entry-revision", "deletion-revision", "deep-document", "surrogate-document", "surrogate-entry",
         "nesting", "giant-number"],
)  # fmt: skip
def test_the_named_holes_are_refused_by_name(target, tmp_path, line, words):
    """Each hostile value that once escaped as a crash (an integer SQLite cannot hold, nesting that
    breaks the JSON encoder, a lone surrogate the file cannot store) is now refused, naming it."""
    path = tmp_path / "named.backup"
    backup_file(path, head_of(target, True), [line], True)
    result = restore(target, path)
    assert isinstance(result, InvalidInput) and words in result.message


def test_a_million_element_list_is_bounded(target, tmp_path):
    """A million tags on one entry are refused in bounded time; a document holding a million numbers
    from another journal is left out; in this journal's own backup it is accepted, being JSON."""
    record = {**entry_record(), "tags": ["a"] * 1_000_000}
    path = tmp_path / "big.backup"
    backup_file(path, head_of(target, True), ['{"type":"entry",' + encode(record)[1:]], True)
    assert isinstance(restore(target, path), InvalidInput)
    numbers = '{"type":"document","kind":"big","name":"list","data":' + json.dumps([0] * 1_000_000) + "}"
    backup_file(path, head_of(target, False), [numbers], True)
    foreign = restore(target, path)
    assert isinstance(foreign, backup.RestoreSummary) and foreign.documents_left_out == 1
    assert target.document("big", "list") is None
    backup_file(path, head_of(target, True), [numbers], True)
    assert isinstance(restore(target, path), backup.RestoreSummary)
    assert target.document("big", "list") == [0] * 1_000_000
