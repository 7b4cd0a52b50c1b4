"""Documents through the sync folder: notice what changed here, merge what came, say what to send.

The rules are in domain/document_merge.py. The sync state keeps, per member of every travelling
document, [counter, device, digest of its value (None: removed), 1 if it went through the folder].
A member whose value here no longer matches its digest was changed on this device since the last
sync: it gets the next counter (the highest seen plus one), the later write of Lamport's clocks.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from purpose_app.domain.document_merge import RULES, Clock, digest, join, rule_for, split, travels, wins
from purpose_app.domain.json_value import JsonValue
from purpose_app.services.sync_files import DocumentRecord, member_key
from purpose_app.services.sync_state import SyncState
from purpose_app.services.vault import Vault

DocumentKey = tuple[str, str]
Members = dict[DocumentKey, dict[str, JsonValue]]  # (kind, name) -> member -> value


@dataclass
class DocumentChanges:
    """What a merge of incoming document records changes here."""

    store: dict[DocumentKey, JsonValue] = field(default_factory=dict)
    remove: list[DocumentKey] = field(default_factory=list)
    received: int = 0  # members that changed here

    @property
    def any(self) -> bool:
        return bool(self.store or self.remove)


def _where(key: str) -> tuple[str, str, str]:
    kind, name, member = json.loads(key)
    return str(kind), str(name), str(member)


def local_members(vault: Vault) -> Members:
    """Every member of every document that travels, as it is here now."""
    found: Members = {}
    for kind in sorted({kind for (kind, _name), rule in RULES.items() if rule.merge != "device"}):
        for name, data in vault.documents(kind).items():  # not all: the sync state is large
            rule = rule_for(kind, name)
            if rule is not None and travels(kind, name):
                found[(kind, name)] = split(rule, data)
    return found


def notice_local_changes(state: SyncState, members: Members, device: str) -> None:
    """Give each member changed or removed here since the last sync a new clock (in place)."""
    docs = state.setdefault("docs", {})
    counter = state.get("clock", 0)
    present: set[str] = set()
    for (kind, name), found in members.items():
        for member, value in found.items():
            key = member_key(kind, name, member)
            present.add(key)
            known = docs.get(key)
            fingerprint = digest(value)
            if known is None or known[2] != fingerprint:
                counter += 1
                docs[key] = [counter, device, fingerprint, 0]
    for key, known in list(docs.items()):
        if known[2] is None or key in present:
            continue
        kind, name, _member = _where(key)
        rule = rule_for(kind, name)
        if rule is not None and rule.merge == "latest":  # a union keeps what it had: no removal
            counter += 1
            docs[key] = [counter, device, None, 0]
    state["clock"] = counter


def _clock(known: list[JsonValue] | None) -> Clock | None:
    if known is None or not isinstance(known[0], int):
        return None
    return (known[0], str(known[1]))


def merge_records(state: SyncState, members: Members, records: list[DocumentRecord]) -> DocumentChanges:
    """Apply incoming records to the state and to `members` (in place): the documents to write."""
    docs = state.setdefault("docs", {})
    changes = DocumentChanges()
    touched: set[DocumentKey] = set()
    for record in records:
        rule = rule_for(record.kind, record.name)
        if rule is None or rule.merge == "device" or (record.removed and rule.merge == "union"):
            continue
        key = record.key()
        known = docs.get(key)
        if not wins(record.clock, _clock(known)):
            continue
        fingerprint = None if record.removed else digest(record.value)
        docs[key] = [record.clock[0], record.clock[1], fingerprint, 1]
        state["clock"] = max(state.get("clock", 0), record.clock[0])
        if known is not None and known[2] == fingerprint:
            continue  # the same value, now under the later clock
        where = (record.kind, record.name)
        found = members.setdefault(where, {})
        if record.removed:
            found.pop(record.member, None)
        else:
            found[record.member] = record.value
        touched.add(where)
        changes.received += 1
    for kind, name in sorted(touched):
        rule = rule_for(kind, name)
        assert rule is not None
        found = members.get((kind, name), {})
        clocked = {m: (_clock(docs.get(member_key(kind, name, m))) or (0, ""), v) for m, v in found.items()}
        document = join(rule, clocked)
        if document is None:
            changes.remove.append((kind, name))
        else:
            changes.store[(kind, name)] = document
    return changes


def apply(vault: Vault, changes: DocumentChanges, extra: dict[DocumentKey, JsonValue]) -> None:
    """Write the merged documents with `extra` (the sync state) in one transaction."""
    with vault.transaction() as tx:
        for (kind, name), data in changes.store.items():
            tx.put_document(kind, name, data)
        for kind, name in changes.remove:
            tx.delete_document(kind, name)
        for (kind, name), data in extra.items():
            tx.put_document(kind, name, data)


def unsent(state: SyncState, members: Members) -> list[JsonValue]:
    """The records of members not yet through the folder (their values as they are here)."""
    records: list[JsonValue] = []
    for key, known in sorted(state.get("docs", {}).items()):
        if known[3]:
            continue
        kind, name, member = _where(key)
        record: dict[str, JsonValue] = {"k": [kind, name, member], "c": [known[0], known[1]]}
        if known[2] is not None:
            value = members.get((kind, name), {}).get(member)
            if value is None or digest(value) != known[2]:
                continue  # changed again since it was noticed: the next sync sends it
            record["v"] = value
        records.append(record)
    return records


def mark_sent(state: SyncState, records: list[JsonValue]) -> None:
    docs = state.get("docs", {})
    for record in records:
        assert isinstance(record, dict) and isinstance(record["k"], list)
        kind, name, member = (str(w) for w in record["k"])
        known = docs.get(member_key(kind, name, member))
        if known is not None:
            known[3] = 1


def live(state: SyncState, record: DocumentRecord) -> bool:
    """Whether a record in a change file is still the latest of its member (compaction keeps it)."""
    return _clock(state.get("docs", {}).get(record.key())) == record.clock
