"""Packs: which packs are on, favourite prompts, your own prompts, importing and exporting pack files,
printable handouts, and the packs group mode may show. No flet here."""

from __future__ import annotations

from purpose_app.packs.model import WEIGHTS, Pack
from purpose_app.services.library import Library, PackInfo, UntrustedSigner
from purpose_app.services.session import Session

__all__ = ["WEIGHTS", "PackInfo", "PacksModel", "UntrustedSigner", "mark"]


def mark(info: PackInfo) -> str:
    """Where a pack comes from, said plainly: its signer, "unsigned", "built in" or "your own"."""
    if info.source == "imported":
        return f"signed by {info.signer.name} · {info.signer.fingerprint}" if info.signer else "unsigned"
    return "built in" if info.source == "built-in" else "your own"


class PacksModel:
    def __init__(self, session: Session) -> None:
        self.library = Library(session.require())
        self.opened: str | None = None  # the pack whose prompts are shown

    def packs(self) -> list[PackInfo]:
        return self.library.packs()

    def favourites(self) -> set[str]:
        return set(self.library.favourites())

    def toggle_open(self, pack_id: str) -> None:
        self.opened = None if self.opened == pack_id else pack_id

    def set_enabled(self, pack_id: str, enabled: bool) -> PackInfo:
        return self.library.set_enabled(pack_id, enabled)

    def set_favourite(self, ref: str, favourite: bool) -> None:
        self.library.set_favourite(ref, favourite)

    def write_prompt(self, text: str, weight: str) -> None:
        self.library.write_prompt(text, weight=weight)

    def export_pack(self, pack_id: str) -> bytes:
        """The pack file's bytes: prompts only, never entries; a signed pack keeps its signature."""
        return self.library.export_pack(pack_id)

    def handout(self, pack_id: str) -> bytes:
        """A printable PDF of the pack for members without the app: never its facilitator notes."""
        from purpose_app.services.handout import handout_pdf

        data, _pages = handout_pdf(self.library.pack(pack_id).pack)
        return data

    def import_pack(self, raw: bytes, *, trust: bool = False) -> PackInfo:
        """Validate and store; raises UntrustedSigner (ask, then trust=True) or another PurposeError."""
        return self.library.import_pack(raw, trust=trust)

    def group_packs(self) -> tuple[Pack, list[Pack]]:
        """The packs a facilitator may show a room (no programmes, nothing of one's own) and the one
        to start with: the opened pack if it is one of them."""
        infos = [i for i in self.library.packs() if not i.pack.programme and i.source != "personal"]
        chosen = next((i for i in infos if i.pack.id == self.opened), infos[0])
        return chosen.pack, [i.pack for i in infos]
