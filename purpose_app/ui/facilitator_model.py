"""Packs for facilitators: choose prompts and make a pack file, create a signing identity, sign a
pack, and manage the signers you trust. Files leave as bytes for the file picker. No flet here."""

from __future__ import annotations

import re
from dataclasses import dataclass

from purpose_app.errors import InvalidInput
from purpose_app.packs.parse import ID_PATTERN
from purpose_app.packs.signing import Signer
from purpose_app.services import trust
from purpose_app.services.library import Library
from purpose_app.services.session import Session

__all__ = ["Choice", "FacilitatorModel", "MadePack", "Signer", "pack_id_for"]


@dataclass(frozen=True)
class Choice:
    """A prompt that may go into a pack: its ref, its words, and the pack it comes from."""

    ref: str
    text: str
    pack_name: str


@dataclass(frozen=True)
class MadePack:
    data: bytes
    file_name: str
    signed: bool
    count: int  # prompts in it


def pack_id_for(name: str) -> str:
    """A pack id from its name, as the format wants it: lowercase letters, digits and dashes."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    slug = re.sub(r"^[^a-z]+", "", slug)[:48].strip("-")
    return slug


class FacilitatorModel:
    def __init__(self, session: Session) -> None:
        self.library = Library(session.require())
        self.chosen: list[str] = []  # refs, in the order they were chosen

    def choices(self) -> list[Choice]:
        """Every prompt of the packs that are on, your own included (programmes are left out)."""
        names = {info.pack.id: info.pack.name for info in self.library.packs()}
        return [
            Choice(p.ref, p.text, names.get(p.pack, p.pack))
            for p in self.library.enabled_prompts(programmes=False)
        ]

    def toggle(self, ref: str, chosen: bool) -> None:
        if chosen and ref not in self.chosen:
            self.chosen.append(ref)
        elif not chosen and ref in self.chosen:
            self.chosen.remove(ref)

    def make_pack(self, name: str, description: str = "", *, sign: bool = False) -> MadePack:
        """The pack file of the chosen prompts (signed when asked). Raises InvalidInput, storing nothing."""
        name = " ".join(name.split())
        if not name:
            raise InvalidInput("Give the pack a name, e.g. the name of your group or session.")
        pack_id = pack_id_for(name)
        if not pack_id or not ID_PATTERN.match(pack_id):
            raise InvalidInput(
                "Start the pack's name with a letter and give it two or more, e.g. “Tuesday group”."
            )
        if not self.chosen:
            raise InvalidInput("Choose at least one prompt for the pack.")
        data = self.library.new_pack(
            list(self.chosen), pack_id=pack_id, name=name, description=description.strip() or None
        )
        if sign:
            data = self.library.sign(data)
        return MadePack(data, f"{pack_id}.toml", sign, len(self.chosen))

    # -- signing

    def identity(self) -> Signer | None:
        found = self.library.identity()
        return found.signer if found is not None else None

    def create_identity(self, name: str, *, replace: bool = False) -> Signer:
        return self.library.keygen(name, replace=replace)

    def sign_file(self, raw: bytes, file_name: str) -> tuple[bytes, str]:
        """A picked pack file, signed with your identity, and the name to save it under."""
        signed = self.library.sign(raw)
        stem = file_name.rsplit("/", 1)[-1].removesuffix(".toml") or "pack"
        return signed, f"{stem}.signed.toml"

    # -- trust

    def trusted(self) -> list[tuple[str, str]]:
        """(fingerprint, name) of every signer you trust, by name."""
        return sorted(self.library.trusted().items(), key=lambda item: (item[1].lower(), item[0]))

    def remove_trust(self, fingerprint: str) -> str:
        """Stop trusting a signer; returns its name. Packs already imported stay."""
        return trust.remove_trust(self.library, fingerprint)
