"""The person's prompt library: built-in, imported and personal packs, which are on, favourites, trust.

Everything personal is kept as sealed documents in the vault; plain values in and out, nothing here
prints or asks. The daily prompt, programmes and "my why" are built on this in `reflection.py`.
"""

from __future__ import annotations

import base64
import re
import unicodedata
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from purpose_app.domain.json_value import JsonObject, JsonValue
from purpose_app.domain.text_safety import unsafe_character
from purpose_app.errors import InvalidInput, UsageError
from purpose_app.packs import signing
from purpose_app.packs.builtin import builtin_packs, builtin_raw
from purpose_app.packs.model import KNOWN_THEMES, PERSONAL_PACK_ID, WEIGHTS, Pack, Prompt
from purpose_app.packs.parse import MAX_TEXT, PackError, parse_pack
from purpose_app.packs.writer import to_toml

if TYPE_CHECKING:
    from purpose_app.services.vault import Vault

PACK_SETTINGS = "pack-settings"  # name: pack id -> {"enabled": bool}
IMPORTED = "imported-pack"  # name: pack id -> {"raw": base64 file bytes, "fingerprint": str | None}
PERSONAL = "personal-prompts"  # name "all" -> [prompt dicts]
FAVOURITES = "favourites"  # name "all" -> [refs]
IDENTITY = "signing-identity"  # name "default" -> {"name", "seed"}
TRUSTED = "trusted-signer"  # name: fingerprint -> {"name", "public_key"}

BUILT_IN, IMPORTED_SOURCE, PERSONAL_SOURCE = "built-in", "imported", "personal"


class UntrustedSigner(UsageError):
    """A signed pack from someone not yet trusted: the person decides (--trust, or a dialog)."""

    def __init__(self, signer: signing.Signer) -> None:
        super().__init__(
            f'This pack is signed by "{signer.name}", whom you have not trusted yet. Their fingerprint is '
            f"{signer.fingerprint}. If it matches what they told you in person, import again with --trust. "
            "Nothing was imported."
        )
        self.signer = signer


@dataclass(frozen=True)
class PackInfo:
    """A pack as the library shows it: where it came from, whether it is on, who signed it."""

    pack: Pack
    source: str
    enabled: bool
    signer: signing.Signer | None = None

    @property
    def signed(self) -> bool:
        return self.signer is not None


def _not_found(pack_id: str) -> InvalidInput:
    return InvalidInput(f'There is no pack "{pack_id[:64]}". `purpose packs list` shows them.')


def _object(value: JsonValue) -> JsonObject:
    """A stored object; anything else reads as an empty one."""
    return value if isinstance(value, dict) else {}


def _items(value: JsonValue) -> list[JsonValue]:
    """A stored list; anything else reads as an empty one."""
    return value if isinstance(value, list) else []


def _text(value: JsonValue) -> str:
    if not isinstance(value, str):
        raise TypeError("a text field of a library document is not text")
    return value


def _personal_prompt(item: JsonValue) -> Prompt:
    fields = _object(item)
    follow_up = fields.get("follow_up")
    return Prompt(
        pack=PERSONAL_PACK_ID,
        id=_text(fields["id"]),
        text=_text(fields["text"]),
        theme=_text(fields["theme"]),
        weight=_text(fields["weight"]),
        follow_up=None if follow_up is None else _text(follow_up),
    )


class Library:
    """The prompt library of one unlocked vault."""

    def __init__(self, vault: Vault) -> None:
        self.vault = vault

    # -- packs

    def packs(self) -> list[PackInfo]:
        settings: dict[str, JsonValue] = self.vault.documents(PACK_SETTINGS)

        def enabled(pack: Pack) -> bool:
            # A session-only pack stays out of the daily rotation until the member turns it on.
            return bool(_object(settings.get(pack.id)).get("enabled", not pack.session_only))

        infos = [PackInfo(p, BUILT_IN, enabled(p)) for p in builtin_packs()]
        imported: dict[str, JsonValue] = self.vault.documents(IMPORTED)
        for stored in imported.values():
            signer, pack = self._open_imported(stored)
            infos.append(PackInfo(pack, IMPORTED_SOURCE, enabled(pack), signer))
        personal = self.personal_pack()
        if personal is not None:
            infos.append(PackInfo(personal, PERSONAL_SOURCE, enabled(personal)))
        return infos

    def pack(self, pack_id: str) -> PackInfo:
        for info in self.packs():
            if info.pack.id == pack_id:
                return info
        raise _not_found(pack_id)

    @staticmethod
    def _open_imported(stored: JsonValue) -> tuple[signing.Signer | None, Pack]:
        raw = base64.b64decode(str(_object(stored)["raw"]))
        signer, body = signing.open_signed(raw)
        return signer, parse_pack(body)

    def set_enabled(self, pack_id: str, enabled: bool) -> PackInfo:
        info = self.pack(pack_id)
        self.vault.put_document(PACK_SETTINGS, pack_id, {"enabled": enabled})
        return PackInfo(info.pack, info.source, enabled, info.signer)

    def enabled_prompts(self, *, programmes: bool = False) -> list[Prompt]:
        """Prompts from packs that are on (programmes are offered by their own schedule)."""
        return [
            prompt
            for info in self.packs()
            if info.enabled and info.pack.programme == programmes
            for prompt in info.pack.prompts
        ]

    def prompt(self, ref: str) -> Prompt:
        pack_id, _, prompt_id = ref.strip().lower().partition("/")
        found = self.pack(pack_id).pack.prompt(prompt_id)
        if found is None:
            raise InvalidInput(f'The pack "{pack_id}" has no prompt "{prompt_id[:64]}".')
        return found

    # -- personal prompts and favourites

    def personal_pack(self) -> Pack | None:
        items = self._personal_items()
        if not items:
            return None
        prompts = tuple(_personal_prompt(item) for item in items)
        return Pack(
            id=PERSONAL_PACK_ID,
            name="My prompts",
            version=1,
            description="Prompts you wrote yourself. They stay in your vault, encrypted.",
            author="You",
            language="en",
            licence="All rights reserved",
            prompts=prompts,
        )

    def write_prompt(
        self, text: str, *, theme: str = "purpose-now", weight: str = "medium", follow_up: str | None = None
    ) -> Prompt:
        text = _clean_prompt_text(text, "prompt")
        if weight not in WEIGHTS:
            raise InvalidInput(f"Weight must be one of {', '.join(WEIGHTS)}.")
        if not re.fullmatch(r"[a-z][a-z0-9-]{1,63}", theme):
            raise InvalidInput(
                f"Theme must be lowercase words joined by dashes, e.g. {', '.join(KNOWN_THEMES[:3])}."
            )
        item: JsonObject = {
            "id": f"mine-{uuid.uuid4().hex[:10]}",
            "text": text,
            "theme": theme,
            "weight": weight,
            "follow_up": _clean_prompt_text(follow_up, "follow-up") if follow_up else None,
        }
        with self.vault.exclusive():  # read and written as one step: a sync may run meanwhile
            items = self._personal_items()
            if len(items) >= 500:
                raise InvalidInput("You have 500 prompts of your own, the most a pack can hold.")
            self.vault.put_document(PERSONAL, "all", [*items, item])
        return _personal_prompt(item)

    def delete_prompt(self, ref: str) -> None:
        prompt = self.prompt(ref)
        if prompt.pack != PERSONAL_PACK_ID:
            raise InvalidInput(
                "Only prompts you wrote yourself can be deleted; a pack can be turned off instead."
            )
        with self.vault.exclusive():
            kept = [i for i in self._personal_items() if _object(i).get("id") != prompt.id]
            self.vault.put_document(PERSONAL, "all", kept)

    def _personal_items(self) -> list[JsonValue]:
        stored: JsonValue = self.vault.document(PERSONAL, "all", [])
        return _items(stored)

    def favourites(self) -> list[str]:
        stored: JsonValue = self.vault.document(FAVOURITES, "all", [])
        return [ref for ref in _items(stored) if isinstance(ref, str)]

    def set_favourite(self, ref: str, favourite: bool) -> Prompt:
        prompt = self.prompt(ref)
        with self.vault.exclusive():  # read and written as one step: a sync may run meanwhile
            refs = [r for r in self.favourites() if r != prompt.ref]
            kept: list[JsonValue] = [*refs, prompt.ref] if favourite else [*refs]
            self.vault.put_document(FAVOURITES, "all", kept)
        return prompt

    # -- signing and trust

    def identity(self) -> signing.SigningIdentity | None:
        stored: JsonValue = self.vault.document(IDENTITY, "default")
        if stored is None:
            return None
        data = _object(stored)
        return signing.SigningIdentity(_text(data["name"]), base64.b64decode(_text(data["seed"])))

    def keygen(self, name: str, *, replace: bool = False) -> signing.Signer:
        name = " ".join(unicodedata.normalize("NFC", name).split())
        if not name or len(name) > 100:
            raise InvalidInput("Give a signing name of 1 to 100 characters, e.g. your name and your group.")
        problem = unsafe_character(name)
        if problem:  # the name is shown to others as "signed by ...": it must read as what it is
            raise InvalidInput(f"This signing name {problem}. Use plain letters, digits and punctuation.")
        if self.identity() is not None and not replace:
            raise InvalidInput(
                "You already have a signing identity. Packs you signed stay valid; to make a new one "
                "anyway, add --replace (your group will need to trust the new fingerprint)."
            )
        identity = signing.SigningIdentity.generate(name)
        seed = base64.b64encode(identity.private_key).decode("ascii")
        self.vault.put_document(IDENTITY, "default", {"name": name, "seed": seed})
        self._trust(identity.signer)  # your own packs import without a question
        return identity.signer

    def sign(self, raw: bytes) -> bytes:
        identity = self.identity()
        if identity is None:
            raise InvalidInput(
                'You have no signing identity yet. Make one with `purpose packs keygen --name "..."`.'
            )
        if signing.is_signed(raw):
            raise PackError("This pack is already signed. Sign the original, unsigned file.")
        parse_pack(raw)  # never sign a pack that others could not import
        return signing.sign(raw, identity)

    def trusted(self) -> dict[str, str]:
        """fingerprint -> signer name."""
        trusted: dict[str, JsonValue] = self.vault.documents(TRUSTED)
        return {fp: str(_object(d)["name"]) for fp, d in trusted.items()}

    def _trust(self, signer: signing.Signer) -> None:
        public = base64.b64encode(signer.public_key).decode("ascii")
        self.vault.put_document(TRUSTED, signer.fingerprint, {"name": signer.name, "public_key": public})

    # -- import and export

    def import_pack(self, raw: bytes, *, trust: bool = False) -> PackInfo:
        """Verify (signature before parsing), validate, check trust and versions, then store."""
        signer, body = signing.open_signed(raw)
        pack = parse_pack(body)
        if pack.id == PERSONAL_PACK_ID or pack.id in {p.id for p in builtin_packs()}:
            raise PackError(
                f'This pack uses the id "{pack.id}", which belongs to a built-in pack. Nothing was imported.'
            )
        previous: JsonValue = self.vault.document(IMPORTED, pack.id)
        if previous is not None:
            old_signer, old_pack = self._open_imported(previous)
            old_fp = old_signer.fingerprint if old_signer else None
            new_fp = signer.fingerprint if signer else None
            if old_fp != new_fp:
                raise PackError(
                    f'You already have a pack "{pack.id}" from {_who(old_signer)}; this one is from '
                    f"{_who(signer)}, so it was not imported. Ask the sender to use a different pack id."
                )
            if pack.version <= old_pack.version:
                raise PackError(
                    f'You already have version {old_pack.version} of "{pack.id}"; this file is version '
                    f"{pack.version}. Only a newer version replaces it. Nothing was imported."
                )
        if signer is not None and signer.fingerprint not in self.trusted():
            if not trust:
                raise UntrustedSigner(signer)
            self._trust(signer)
        stored: JsonObject = {
            "raw": base64.b64encode(raw).decode("ascii"),
            "fingerprint": signer.fingerprint if signer else None,
        }
        self.vault.put_document(IMPORTED, pack.id, stored)
        return self.pack(pack.id)

    def export_pack(self, pack_id: str) -> bytes:
        """The exact file a pack came in (signed packs stay signed); personal prompts as a new file."""
        info = self.pack(pack_id)
        if info.source == BUILT_IN:
            return builtin_raw()[pack_id]
        if info.source == IMPORTED_SOURCE:
            stored: JsonValue = self.vault.document(IMPORTED, pack_id)
            return base64.b64decode(str(_object(stored)["raw"]))
        return to_toml(info.pack)

    def new_pack(
        self,
        refs: list[str],
        *,
        pack_id: str,
        name: str,
        author: str | None = None,
        description: str | None = None,
    ) -> bytes:
        """A pack file made of chosen prompts (personal ones included): prompts only, nothing else."""
        if not refs:
            raise InvalidInput("Choose at least one prompt, as PACK/PROMPT.")
        chosen: list[Prompt] = []
        for ref in refs:
            prompt = self.prompt(ref)
            if prompt.ref not in {p.ref for p in chosen}:
                chosen.append(prompt)
        identity = self.identity()
        ids: set[str] = set()
        prompts = []
        for prompt in chosen:
            new_id = prompt.id if prompt.id not in ids else f"{prompt.pack}-{prompt.id}"[:64]
            ids.add(new_id)
            prompts.append(
                Prompt(pack_id, new_id, prompt.text, prompt.theme, prompt.weight, prompt.follow_up)
            )
        pack = Pack(
            id=pack_id,
            name=name,
            version=1,
            description=description or f"{len(prompts)} prompts chosen for {name}.",
            author=author or (identity.name if identity else "A Purpose user"),
            language="en",
            licence="CC-BY-4.0",
            prompts=tuple(prompts),
        )
        raw = to_toml(pack)
        parse_pack(raw)  # the file must be one that others can import
        return raw


def _who(signer: signing.Signer | None) -> str:
    return f'"{signer.name}" ({signer.fingerprint})' if signer else "no signer (unsigned)"


def _clean_prompt_text(text: str, what: str) -> str:
    text = unicodedata.normalize("NFC", text).strip()
    if not text:
        raise InvalidInput(f"The {what} is empty.")
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"The {what} is too long ({len(text):,} characters; at most {MAX_TEXT:,}).")
    if any(unicodedata.category(c) in ("Cc", "Cs") and c not in "\n\t" for c in text):
        raise InvalidInput(f"The {what} contains a control character.")
    return text
