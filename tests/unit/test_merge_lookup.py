"""The merger with only some local versions loaded (a sync bringing a few entries), and its tokens."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from purpose_app.domain.entry import EntryChanges, new_entry
from purpose_app.domain.merge import Incoming, MergeOutcome, Merger, Tokens, conflict_copy

NOW = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)
TOKENS = Tokens(b"k" * 32)


def _concurrent():
    """One entry edited on two devices from the same version: (local, remote)."""
    base = new_entry(EntryChanges(title="night", body="first"), NOW)
    local = replace(base, body="as edited here", revision=2, updated=NOW + timedelta(hours=1))
    remote = replace(base, body="as edited there", revision=2, updated=NOW + timedelta(hours=2))
    return base, local, remote


def test_a_conflict_copy_present_but_not_loaded_is_not_made_again():
    """A copy already here (listed in `others`, its version not read) is not made a second time."""
    base, local, remote = _concurrent()
    seen = frozenset({TOKENS.token(base), TOKENS.token(remote)})
    mine = [TOKENS.token(base), TOKENS.token(local)]
    loser = min((local, remote), key=lambda e: (e.revision, e.updated.timestamp(), TOKENS.token(e)))
    copy_id = TOKENS.copy_id(loser)
    merger = Merger({local.id: local}, {}, TOKENS, lineage={base.id: list(mine)}, others={copy_id, local.id})
    merger.add(Incoming(remote, seen))
    plan = merger.plan()
    assert plan.outcome.conflicts == [] and copy_id not in {e.id for e in plan.inserts}
    fresh = Merger({local.id: local}, {}, TOKENS, lineage={base.id: list(mine)})
    fresh.add(Incoming(remote, seen))
    assert fresh.plan().outcome.conflicts == [copy_id]  # without it, the copy is made


def test_the_plan_lists_what_it_writes_with_tokens():
    """`written` holds each version the plan stores, with its token; outcomes still compare by counts."""
    entry = new_entry(EntryChanges(title="new", body="from elsewhere"), NOW)
    merger = Merger({}, {}, TOKENS)
    merger.add(Incoming(entry))
    outcome = merger.plan().outcome
    assert outcome.written == {entry.id: (entry, TOKENS.token(entry))}
    assert outcome == MergeOutcome(added=[entry.id])


def test_a_remembered_token_is_the_token_of_that_very_version():
    """Tokens remembered per object agree with a fresh computation, and an equal copy gets the same."""
    _base, local, remote = _concurrent()
    tokens = Tokens(b"k" * 32)
    first = tokens.token(local)
    assert tokens.token(local) == first == Tokens(b"k" * 32).token(replace(local))
    assert tokens.token(remote) != first
    assert tokens.token(conflict_copy(local, TOKENS.copy_id(local))) != first
