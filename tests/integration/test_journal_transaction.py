"""The public transaction (an entry and its draft's removal together) and lock() dropping every key."""

from __future__ import annotations

import pytest
from conftest import PASSPHRASE, MadeVault

from purpose_app.crypto import keys
from purpose_app.crypto.envelope import Sealer
from purpose_app.domain.entry import EntryChanges
from purpose_app.errors import VaultLocked
from purpose_app.services.session import Session
from purpose_app.storage.documents import DocumentRepository
from purpose_app.ui.today_model import DRAFT, TodayModel

DRAFT_DATA = {"title": "Night shift", "body": "Words typed before the save."}


class _Injected(Exception):
    """The failure injected at the draft's removal."""


def _fail_at_delete(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: DocumentRepository, doc: object) -> None:
        raise _Injected("the disk went away")

    monkeypatch.setattr(DocumentRepository, "delete", refuse)


def test_failure_at_draft_removal_keeps_draft_and_saves_nothing(
    made_vault: MadeVault, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure between the insert and the draft's removal rolls back both: no entry, draft kept."""
    with made_vault.open() as opened:
        opened.put_document(DRAFT, "today", DRAFT_DATA)
        opened.count()  # the cache is read, so a wrongly remembered entry would show
        with monkeypatch.context() as patch:
            _fail_at_delete(patch)
            with pytest.raises(_Injected), opened.transaction() as tx:
                tx.add(EntryChanges(title="Night shift", body="Words typed before the save."))
                tx.delete_document(DRAFT, "today")
        assert opened.count() == 0
        assert opened.document(DRAFT, "today") == DRAFT_DATA
    with made_vault.open() as reopened:  # and so on disk
        assert reopened.count() == 0
        assert reopened.document(DRAFT, "today") == DRAFT_DATA


def test_successful_transaction_saves_entry_and_removes_draft(made_vault: MadeVault) -> None:
    """Both happen: the entry is there and the draft is gone, in memory and on disk."""
    with made_vault.open() as opened:
        opened.put_document(DRAFT, "today", DRAFT_DATA)
        with opened.transaction() as tx:
            entry = tx.add(EntryChanges(title="Night shift", body="Words typed before the save."))
            assert tx.delete_document(DRAFT, "today")
        assert [e.id for e in opened.entries()] == [entry.id]
        assert opened.document(DRAFT, "today") is None
        with pytest.raises(RuntimeError, match="ended"):
            tx.add(EntryChanges(body="after the block: no transaction to write in"))
        assert opened.count() == 1
    with made_vault.open() as reopened:
        assert reopened.get(entry.id).body == "Words typed before the save."
        assert reopened.document(DRAFT, "today") is None


def test_today_save_failing_at_draft_removal_offers_no_duplicate(
    made_vault: MadeVault, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Today's save: a failure at the draft's removal leaves no entry, the draft and the editor's words."""
    session = Session(made_vault.folder)
    session.unlock(PASSPHRASE)
    try:
        today = TodayModel(session)
        today.editor.title, today.editor.body = "Night shift", "Words typed before the save."
        today.keep_draft()
        with monkeypatch.context() as patch:
            _fail_at_delete(patch)
            with pytest.raises(_Injected):
                today.save()
        assert session.require().count() == 0
        assert session.require().document(DRAFT, "today") is not None
        assert today.editor.body == "Words typed before the save."
        saved = today.save()
        assert [e.id for e in session.require().entries()] == [saved.id]
        assert session.require().document(DRAFT, "today") is None
    finally:
        session.lock()


def _reachable(root: object) -> list[object]:
    """Every object reachable from root through attributes and containers (not through modules)."""
    seen: set[int] = set()
    found: list[object] = []
    todo = [root]
    while todo:
        item = todo.pop()
        if id(item) in seen or isinstance(item, type):
            continue
        seen.add(id(item))
        found.append(item)
        if isinstance(item, dict):
            todo += [*item.keys(), *item.values()]
        elif isinstance(item, list | tuple | set | frozenset):
            todo += list(item)
        else:
            todo += list(getattr(item, "__dict__", {}).values())
            for slot in getattr(type(item), "__slots__", ()):
                if hasattr(item, slot):
                    todo.append(getattr(item, slot))
    return found


def test_lock_leaves_no_key_in_the_vault(made_vault: MadeVault) -> None:
    """After lock() nothing the Vault holds references the data key, a subkey or a sealer."""
    opened = made_vault.open()
    _vault_id, data_key = opened.identity()
    subkeys = {keys.subkey(data_key, p) for p in ("pages", "entries", "documents", "merge", "sync")}
    opened.put_document("a", "b", {"c": 1})
    opened.add(EntryChanges(body="something private"))
    opened.count()
    assert any(isinstance(o, Sealer) for o in _reachable(opened))  # the walk does find them while open
    opened.lock()
    held = _reachable(opened)
    assert not any(isinstance(o, Sealer) for o in held)
    assert not any(isinstance(o, bytes) and (o == data_key or o in subkeys) for o in held)
    for use in (opened.count, opened.tokens, lambda: opened.document("a", "b"), lambda: opened.subkey("x")):
        with pytest.raises(VaultLocked):
            use()
