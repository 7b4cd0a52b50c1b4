"""Support resources: the shipped, editable list (per locale) and the person's own, sealed in the vault.

The shipped list is support_resources.toml in this package, or the file PURPOSE_SUPPORT_FILE names;
PURPOSE_LOCALE picks a locale from it (default: the file's default_locale). Reading it never needs
the vault, so support is reachable even when the passphrase is not.
"""

from __future__ import annotations

import os
import re
import tomllib
import unicodedata
import uuid
from dataclasses import dataclass
from importlib import resources
from typing import Protocol
from urllib.parse import quote

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


CALL, TEXT, WEB, EMAIL = "call", "text", "web", "email"


@dataclass(frozen=True, slots=True)
class Link:
    """One way to reach a resource with one tap: what to do, and where (a number or an address)."""

    kind: str  # CALL, TEXT, WEB or EMAIL
    target: str  # "988", "741741", "988lifeline.org", "name@example.org"
    body: str = ""  # a text's first word, where the line asks for one ("HOME" to 741741)

    @property
    def url(self) -> str:
        if self.kind == CALL:
            return "tel:" + _dialable(self.target)
        if self.kind == TEXT:
            number = "sms:" + _dialable(self.target)
            return number + (f"?body={quote(self.body)}" if self.body else "")
        if self.kind == EMAIL:
            return "mailto:" + self.target
        return self.target if "://" in self.target else "https://" + self.target

    @property
    def label(self) -> str:
        """The button's words, which are also its accessible name: "Call 988", "Open ... website"."""
        if self.kind == CALL:
            return f"Call {self.target}"
        if self.kind == TEXT:
            return f"Text {self.body} to {self.target}" if self.body else f"Text {self.target}"
        if self.kind == EMAIL:
            return f"Email {self.target}"
        shown = self.target.split("://", 1)[-1].rstrip("/")
        return f"Open {shown} website"


def _dialable(number: str) -> str:
    """The digits of a number (and a leading +) as a tel: or sms: address takes them."""
    return ("+" if number.strip().startswith("+") else "") + "".join(c for c in number if c.isdigit())


_NUMBER = re.compile(r"(?<![\w.@-])\+?\d(?:[\d ().-]*\d)?(?![\w@])")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.ASCII)
_WEB = re.compile(r"(?<![\w@.-])(?:https?://)?(?:[a-z0-9-]+\.)+[a-z]{2,}(?:/[^\s,;)]*)?", re.IGNORECASE)


def links_in(contact: str) -> tuple[Link, ...]:
    """The links a free-text contact offers (the person's own, or a list with none spelled out): each
    number is called, and texted too when the words say "text"; each address opened or emailed."""
    found: list[Link] = []
    words = contact.casefold()
    texts = "text" in words or "sms" in words
    calls = "call" in words or not texts
    without_emails = _EMAIL.sub(" ", contact)
    for match in _NUMBER.finditer(without_emails):
        number = match.group().strip(" ().-")
        if not 3 <= sum(c.isdigit() for c in number) <= 15 or re.fullmatch(r"(19|20)\d\d", number):
            continue  # a stray digit or a year ("since 2024"), not a number anyone can dial
        found += [Link(CALL, number)] if calls else []
        found += [Link(TEXT, number)] if texts else []
    found += [Link(EMAIL, m.group()) for m in _EMAIL.finditer(contact)]
    found += [Link(WEB, m.group().rstrip(".")) for m in _WEB.finditer(without_emails)]
    return tuple(dict.fromkeys(found))


@dataclass(frozen=True, slots=True)
class Resource:
    name: str
    contact: str
    note: str = ""
    id: str | None = None  # set for the person's own, which they can remove
    links: tuple[Link, ...] = ()  # one tap each: the file's own, or read from the contact's words

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
        _shipped_resource(_table(r))
        for r in (listed if isinstance(listed, list) else [])
        if isinstance(r, dict)
    )
    return SupportList(chosen, _clean(table.get("privacy", ""), "note"), items)


def _shipped_resource(r: dict[str, object]) -> Resource:
    """One resource of the file: its call/text/web fields spelled out, else read from the contact."""
    contact = _clean(r.get("contact"), "contact")
    spelled = [
        Link(kind, _clean(r[kind], "contact"), _clean(r.get("text_body", ""), "note") if kind == TEXT else "")
        for kind in (CALL, TEXT, WEB)
        if r.get(kind)
    ]
    return Resource(
        _clean(r.get("name"), "name"),
        contact,
        _clean(r.get("note", ""), "note"),
        links=tuple(spelled) or links_in(contact),
    )


def own(store: DocumentStore) -> tuple[Resource, ...]:
    found = []
    for rid, data in store.documents(KIND).items():
        if not isinstance(data, dict):
            continue  # a record this version does not understand is left alone, not shown half-read
        try:
            contact = _clean(data["contact"], "contact")
            found.append(Resource(_clean(data["name"], "name"), contact, _clean(data.get("note", ""), "note"),
                                  id=rid, links=links_in(contact)))  # fmt: skip
        except (InvalidInput, KeyError):
            continue
    return tuple(sorted(found, key=lambda r: r.name.casefold()))


def new_resource(name: str, contact: str, note: str = "") -> Resource:
    """A contact of the person's own, checked (raises InvalidInput) but not yet stored."""
    cleaned = _clean(contact, "contact")
    resource = Resource(
        _clean(name, "name"), cleaned, _clean(note, "note"), uuid.uuid4().hex[:12], links_in(cleaned)
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


def update_own(store: DocumentStore, resource_id: str, name: str, contact: str, note: str = "") -> Resource:
    """Change one of the person's own contacts in place (same id); raises InvalidInput if it is gone."""
    checked = new_resource(name, contact, note)
    if resource_id not in store.documents(KIND):
        raise InvalidInput(_MISSING_OWN)
    store.put_document(
        KIND, resource_id, {"name": checked.name, "contact": checked.contact, "note": checked.note}
    )
    return Resource(checked.name, checked.contact, checked.note, resource_id, links_in(checked.contact))


_MISSING_OWN = "That contact is no longer in your list (removed in another window?). Nothing was changed."


def remove_own(store: DocumentStore, resource_id: str) -> None:
    if not store.delete_document(KIND, resource_id.strip()):
        raise InvalidInput(
            f'None of your contacts has the id "{resource_id[:20]}". `purpose support --mine` lists them.'
        )


def combined(store: DocumentStore | None, locale: str | None = None) -> SupportList:
    base = shipped(locale)
    mine = own(store) if store is not None else ()
    return SupportList(base.locale, base.privacy, mine + base.resources)
