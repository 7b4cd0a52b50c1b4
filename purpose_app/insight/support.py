"""Support resources: the shipped, editable list (per locale) and the person's own, sealed in the vault.

The shipped list is support_resources.toml in this package, or the file PURPOSE_SUPPORT_FILE names;
PURPOSE_LOCALE picks a locale from it (default: the file's default_locale). Reading it never needs
the vault, so support is reachable even when the passphrase is not.
"""

from __future__ import annotations

import os
import tomllib
import unicodedata
import uuid
from dataclasses import dataclass
from importlib import resources
from typing import Protocol

from purpose_app.domain.json_value import JsonValue
from purpose_app.errors import InvalidInput

KIND = "support"  # vault documents: name = random id -> {"name", "contact", "note"}
LIMITS = {"name": 80, "contact": 200, "note": 300}
MAX_OWN = 50


class DocumentStore(Protocol):
    """What support and the self-checks need of the vault: its sealed documents of one kind."""

    def documents(self, kind: str) -> dict[str, JsonValue]: ...
    def put_document(self, kind: str, name: str, data: JsonValue) -> None: ...
    def delete_document(self, kind: str, name: str) -> bool: ...


@dataclass(frozen=True, slots=True)
class Resource:
    name: str
    contact: str
    note: str = ""
    id: str | None = None  # set for the person's own, which they can remove

    @property
    def own(self) -> bool:
        return self.id is not None


@dataclass(frozen=True)
class SupportList:
    locale: str
    privacy: str
    resources: tuple[Resource, ...]  # the person's own first: they chose them


def _clean(value: object, field: str) -> str:
    if not isinstance(value, str):
        raise InvalidInput(f"The support resource's {field} must be text.")
    text = " ".join(unicodedata.normalize("NFC", value).split())
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in text):
        raise InvalidInput(f"The support resource's {field} contains control characters.")
    if len(text) > LIMITS[field]:
        raise InvalidInput(
            f"The support resource's {field} is too long (at most {LIMITS[field]} characters)."
        )
    return text


def _table(value: object) -> dict[str, object]:
    """A TOML table, or an empty one for anything else (a file that is not what we expect shows less)."""
    return {str(k): v for k, v in value.items()} if isinstance(value, dict) else {}


def _load(raw: bytes | None) -> dict[str, object]:
    if raw is None:
        raw = resources.files("purpose_app.insight").joinpath("support_resources.toml").read_bytes()
    try:
        return _table(tomllib.loads(raw.decode("utf-8")))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InvalidInput(f"The support resources file cannot be read ({exc}).") from None


def shipped(locale: str | None = None, raw: bytes | None = None) -> SupportList:
    """The shipped resources for a locale (falling back to the file's default locale)."""
    path = os.environ.get("PURPOSE_SUPPORT_FILE")
    if raw is None and path:
        try:
            with open(path, "rb") as handle:
                raw = handle.read(256 * 1024)
        except OSError as exc:
            raise InvalidInput(f"Could not read PURPOSE_SUPPORT_FILE ({exc.strerror or exc}).") from None
    data = _load(raw)
    locales = _table(data.get("locale"))
    wanted = locale or os.environ.get("PURPOSE_LOCALE") or str(data.get("default_locale", "en-US"))
    chosen = wanted if wanted in locales else str(data.get("default_locale", "en-US"))
    found = locales.get(chosen)
    if not isinstance(found, dict):
        raise InvalidInput(f'The support resources file has no "{chosen}" list.')
    table = _table(found)
    listed = table.get("resources", [])
    items = tuple(
        Resource(
            _clean(r.get("name"), "name"),
            _clean(r.get("contact"), "contact"),
            _clean(r.get("note", ""), "note"),
        )
        for r in (listed if isinstance(listed, list) else [])
        if isinstance(r, dict)
    )
    return SupportList(chosen, _clean(table.get("privacy", ""), "note"), items)


def own(store: DocumentStore) -> tuple[Resource, ...]:
    found = []
    for rid, data in store.documents(KIND).items():
        if not isinstance(data, dict):
            continue  # a record this version does not understand is left alone, not shown half-read
        try:
            found.append(Resource(_clean(data["name"], "name"), _clean(data["contact"], "contact"),
                                  _clean(data.get("note", ""), "note"), id=rid))  # fmt: skip
        except (InvalidInput, KeyError):
            continue
    return tuple(sorted(found, key=lambda r: r.name.casefold()))


def new_resource(name: str, contact: str, note: str = "") -> Resource:
    """A contact of the person's own, checked (raises InvalidInput) but not yet stored."""
    resource = Resource(
        _clean(name, "name"), _clean(contact, "contact"), _clean(note, "note"), uuid.uuid4().hex[:12]
    )
    if not resource.name or not resource.contact:
        raise InvalidInput("A support contact needs a name and a way to reach it (a number or an address).")
    return resource


def add_own(store: DocumentStore, name: str, contact: str, note: str = "") -> Resource:
    resource = new_resource(name, contact, note)
    if len(store.documents(KIND)) >= MAX_OWN:
        raise InvalidInput(f"You already keep {MAX_OWN} contacts; remove one first.")
    rid = resource.id or uuid.uuid4().hex[:12]
    store.put_document(KIND, rid, {"name": resource.name, "contact": resource.contact, "note": resource.note})
    return resource


def remove_own(store: DocumentStore, resource_id: str) -> None:
    if not store.delete_document(KIND, resource_id.strip()):
        raise InvalidInput(
            f'None of your contacts has the id "{resource_id[:20]}". `purpose support --mine` lists them.'
        )


def combined(store: DocumentStore | None, locale: str | None = None) -> SupportList:
    base = shipped(locale)
    mine = own(store) if store is not None else ()
    return SupportList(base.locale, base.privacy, mine + base.resources)
