"""The document merge rules: every kind the vault stores has one, and members merge by Lamport clock."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from purpose_app.domain import document_merge as dm
from purpose_app.services import sync_documents as sd
from purpose_app.services.sync_files import DocumentRecord, member_key
from purpose_app.services.sync_state import SyncState

PACKAGE = Path(dm.__file__).resolve().parents[1]
_CALLS = {"put_document", "document", "documents", "delete_document", "store", "remove", "has", "of_kind"}
A, B = "a" * 32, "b" * 32


def _constants(tree: ast.Module) -> dict[str, object]:
    found: dict[str, object] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            target, value = node.targets[0], node.value
            if isinstance(target, ast.Name):
                try:
                    found[target.id] = ast.literal_eval(value)
                except ValueError:
                    continue
            elif isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple):
                for name, item in zip(target.elts, value.elts, strict=False):
                    if isinstance(name, ast.Name) and isinstance(item, ast.Constant):
                        found[name.id] = item.value
    return found


def _module(path: Path) -> str:
    return ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)


def stored_kinds() -> dict[str, set[str]]:
    """Every document kind the package's code names when it reads or writes a document: kind ->
    the modules that name it (constants resolved through the module and its imports)."""
    trees = {_module(p): ast.parse(p.read_text(encoding="utf-8")) for p in PACKAGE.rglob("*.py")}
    constants = {name: _constants(tree) for name, tree in trees.items()}
    kinds: dict[str, set[str]] = {}
    for module, tree in trees.items():
        scope = dict(constants[module])
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module in constants:
                for alias in node.names:
                    if alias.name in constants[node.module]:
                        scope[alias.asname or alias.name] = constants[node.module][alias.name]
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args):
                continue
            if node.func.attr not in _CALLS:
                continue
            first = node.args[0]
            if isinstance(first, ast.Starred):
                first = first.value
            value = first.value if isinstance(first, ast.Constant) else None
            if isinstance(first, ast.Name):
                value = scope.get(first.id)
            if isinstance(value, tuple) and value:
                value = value[0]
            if isinstance(value, str):
                kinds.setdefault(value, set()).add(module)
    return kinds


def test_every_kind_the_code_stores_has_a_merge_rule():
    """A document kind named anywhere in the code but missing from RULES fails here, so a new kind
    cannot be forgotten (it would otherwise stay on its device without anyone deciding so)."""
    kinds = stored_kinds()
    assert len(kinds) >= 14, sorted(kinds)  # the scan itself still finds what is there
    known = {kind for kind, _name in dm.RULES}
    missing = {kind: sorted(modules) for kind, modules in kinds.items() if kind not in known}
    assert missing == {}


def test_device_only_kinds_are_named_explicitly():
    """Theme, text size and auto-lock, the draft, the sync state and this device's settings stay home."""
    home = {kind for (kind, _name), rule in dm.RULES.items() if rule.merge == "device"}
    assert home == {"ui-settings", "draft", "sync", "device"}
    assert not dm.travels("ui-settings", "ui") and not dm.travels("sync", "state")
    assert dm.travels("why", "statement") and dm.travels("selfcheck", "0123abcd")
    assert not dm.travels("a-kind-from-a-newer-release", "x")


@pytest.mark.parametrize(
    ("where", "data", "members"),
    [
        (("favourites", "all"), ["p:1", "p:2"], {"p:1": "p:1", "p:2": "p:2"}),
        (("personal-prompts", "all"), [{"id": "mine-1"}], {"id:mine-1": {"id": "mine-1"}}),
        (("prompt-state", "history"), {"2026-11-30": []}, {"2026-11-30": []}),
        (("support", "x1"), {"name": "n"}, {"": {"name": "n"}}),
        (("favourites", "all"), "odd shape", {"": "odd shape"}),
    ],
)  # fmt: skip
def test_documents_split_into_members(where, data, members):
    """Lists split by item (or its id), maps by key, single values and odd shapes stay whole."""
    rule = dm.rule_for(*where)
    assert rule is not None and dm.split(rule, data) == members


def test_join_is_the_same_on_every_device():
    """The same members give the same document whatever order they came in: list items by clock,
    my why's versions by when written, map keys sorted."""
    favs = dm.rule_for("favourites", "all")
    why = dm.rule_for("why", "statement")
    assert favs is not None and why is not None
    one = {"p:2": ((2, A), "p:2"), "p:1": ((1, B), "p:1")}
    assert dm.join(favs, one) == dm.join(favs, dict(reversed(one.items()))) == ["p:1", "p:2"]
    versions = {
        "v:x": ((5, A), {"text": "later", "written": "2026-02-01"}),
        "v:y": ((9, B), {"text": "earlier", "written": "2026-01-01"}),
    }
    assert [v["text"] for v in dm.join(why, versions)] == ["earlier", "later"]  # type: ignore[index,union-attr]
    assert dm.join(favs, {}) == [] and dm.join(dm.RULES[("support", dm.ANY)], {}) is None


def test_the_later_counter_wins_and_the_device_id_breaks_ties():
    """Never the wall clock: a higher counter wins; at equal counters the higher device id."""
    assert dm.wins((3, A), (2, B)) and not dm.wins((2, B), (3, A))
    assert dm.wins((2, B), (2, A)) and not dm.wins((2, A), (2, B))
    assert dm.wins((1, A), None) and not dm.wins((2, A), (2, A))


def _state() -> SyncState:
    return SyncState(lineage={}, synced={}, applied={}, docs={}, clock=0)


def _record(kind: str, name: str, member: str, clock: tuple[int, str], value: object = None,
            removed: bool = False) -> DocumentRecord:  # fmt: skip
    return DocumentRecord(kind, name, member, clock, value, removed)  # type: ignore[arg-type]


def test_a_removed_favorite_stays_removed_and_re_adding_later_wins():
    """B removes a favorite A still has: A's copy goes. A re-adds it after that: it comes back on B."""
    state_b = _state()
    members_b = {("favourites", "all"): {"p:1": "p:1"}}
    sd.notice_local_changes(state_b, members_b, B)  # clock 1
    del members_b[("favourites", "all")]["p:1"]
    sd.notice_local_changes(state_b, members_b, B)  # removal at clock 2
    sent = sd.unsent(state_b, members_b)
    assert sent == [{"k": ["favourites", "all", "p:1"], "c": [2, B]}]
    state_a = _state()
    members_a = {("favourites", "all"): {"p:1": "p:1", "p:2": "p:2"}}
    sd.notice_local_changes(state_a, members_a, A)  # clocks 1 and 2
    changes = sd.merge_records(
        state_a, members_a, [_record("favourites", "all", "p:1", (2, B), removed=True)]
    )
    assert changes.store == {("favourites", "all"): ["p:2"]} and changes.received == 1
    members_a[("favourites", "all")]["p:1"] = "p:1"  # re-added on A, after seeing the removal
    sd.notice_local_changes(state_a, members_a, A)
    again = state_a["docs"][member_key("favourites", "all", "p:1")]
    changes_b = sd.merge_records(
        state_b, members_b, [_record("favourites", "all", "p:1", (again[0], A), "p:1")]
    )
    assert changes_b.store == {("favourites", "all"): ["p:1"]}


def test_a_union_keeps_what_either_side_wrote():
    """My why's versions and self-check results are never removed by the other device."""
    state = _state()
    members = {("why", "statement"): {"v:1": {"text": "first", "written": "2026-01-01"}}}
    sd.notice_local_changes(state, members, A)
    changes = sd.merge_records(
        state, members,
        [_record("why", "statement", "v:1", (9, B), removed=True),
         _record("why", "statement", "v:2", (3, B), {"text": "second", "written": "2026-02-01"})],
    )  # fmt: skip
    assert changes.store == {
        ("why", "statement"): [
            {"text": "first", "written": "2026-01-01"},
            {"text": "second", "written": "2026-02-01"},
        ]
    }


def test_records_of_kinds_that_stay_home_are_ignored():
    """A record for a device-only kind (from a hostile or confused file) changes nothing."""
    state = _state()
    members: sd.Members = {}
    changes = sd.merge_records(state, members, [_record("ui-settings", "ui", "", (99, B), {"theme": "dark"})])
    assert not changes.any and members == {}


def test_the_same_value_under_a_later_clock_writes_nothing():
    """Two devices that hold the same value agree on the clock without rewriting the document."""
    state = _state()
    members = {("support", "x"): {"": {"name": "n"}}}
    sd.notice_local_changes(state, members, A)
    changes = sd.merge_records(state, members, [_record("support", "x", "", (5, B), {"name": "n"})])
    assert not changes.any and state["docs"][member_key("support", "x", "")][:2] == [5, B]
    assert state["clock"] == 5
