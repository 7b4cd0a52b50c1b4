"""Signed packs: one shareable file, verified over its exact bytes before anything is parsed.

    #purpose-signed-pack: 1
    #signer: Dr Ana Ruiz, St Mary's circle
    #public-key: <base64 of the 32-byte Ed25519 public key>
    #signature: <base64 of the 64-byte Ed25519 signature>
    <the pack's TOML, byte for byte>

The four header lines are TOML comments, so a signed pack is still a readable pack file. The
signature covers a domain label, the signer's name, the public key and the body, so none of them
can be changed or swapped. Verification needs nothing from the body: tampered bytes are rejected
before the TOML parser ever sees them.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from purpose_app.crypto.envelope import ad_prefix
from purpose_app.domain.text_safety import unsafe_character
from purpose_app.packs.parse import PackError

MAGIC = b"#purpose-signed-pack: 1\n"
_FIELDS = (b"#signer: ", b"#public-key: ", b"#signature: ")
# A signing name is at most 100 characters (keygen), up to 4 UTF-8 bytes each: 409 bytes with "#signer: ".
_MAX_HEADER_LINE = 512
# The signature covers the same length-prefixed encoding as associated data, under its own label.
_MESSAGE = ad_prefix(domain=b"purpose-signed-pack-v1")


@dataclass(frozen=True)
class Signer:
    name: str
    public_key: bytes

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)


@dataclass(frozen=True)
class SigningIdentity:
    name: str
    private_key: bytes  # 32-byte Ed25519 seed; stored only inside the vault, sealed

    @classmethod
    def generate(cls, name: str) -> SigningIdentity:
        from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

        key = Ed25519PrivateKey.generate()
        seed = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        return cls(name, seed)

    @property
    def signer(self) -> Signer:
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

        public = Ed25519PrivateKey.from_private_bytes(self.private_key).public_key()
        return Signer(self.name, public.public_bytes(Encoding.Raw, PublicFormat.Raw))


def fingerprint(public_key: bytes) -> str:
    """What people compare by eye: 32 hex digits in groups of four."""
    digest = hashlib.sha256(b"purpose-signer\0" + public_key).hexdigest()[:32]
    return " ".join(digest[i : i + 4] for i in range(0, 32, 4))


def _message(name: str, public_key: bytes, body: bytes) -> bytes:
    return _MESSAGE.build(name, public_key, body)


def sign(body: bytes, identity: SigningIdentity) -> bytes:
    """The signed file for a pack body (the body must already be a valid pack)."""
    if body.startswith(MAGIC):
        raise PackError("This pack is already signed. Sign the original, unsigned file.")
    signer = identity.signer
    if len(_FIELDS[0]) + len(signer.name.encode("utf-8")) >= _MAX_HEADER_LINE or "\n" in signer.name:
        raise PackError(
            "This signing name is too long or has a line break; make a new identity with a shorter one."
        )
    signature = Ed25519PrivateKey.from_private_bytes(identity.private_key).sign(
        _message(signer.name, signer.public_key, body)
    )
    lines = [
        MAGIC,
        _FIELDS[0] + signer.name.encode("utf-8") + b"\n",
        _FIELDS[1] + base64.b64encode(signer.public_key) + b"\n",
        _FIELDS[2] + base64.b64encode(signature) + b"\n",
    ]
    return b"".join(lines) + body


def is_signed(raw: bytes) -> bool:
    return raw.startswith(MAGIC)


def open_signed(raw: bytes) -> tuple[Signer | None, bytes]:
    """(signer, body) after checking the signature; (None, raw) for an unsigned file."""
    if not is_signed(raw):
        if raw.lstrip().startswith(b"#purpose-signed-pack"):
            raise PackError("This pack's signature lines are damaged, so it cannot be trusted.")
        return None, raw
    position = len(MAGIC)
    values: list[bytes] = []
    for field in _FIELDS:
        end = raw.find(b"\n", position, position + _MAX_HEADER_LINE)
        if end < 0 or not raw.startswith(field, position):
            raise PackError("This pack's signature lines are damaged or cut short, so it cannot be trusted.")
        values.append(raw[position + len(field) : end])
        position = end + 1
    body = raw[position:]
    try:
        name = values[0].decode("utf-8")
        public_key = base64.b64decode(values[1], validate=True)
        signature = base64.b64decode(values[2], validate=True)
    except (UnicodeDecodeError, binascii.Error):
        raise PackError("This pack's signature lines are damaged, so it cannot be trusted.") from None
    # Only the canonical base64 spelling: padding bits and extra "=" are otherwise ignored by the
    # decoder, so a changed file could verify as if it were the one that was signed.
    canonical = base64.b64encode(public_key) == values[1] and base64.b64encode(signature) == values[2]
    if len(public_key) != 32 or len(signature) != 64 or not name.strip() or not canonical:
        raise PackError("This pack's signature lines are damaged, so it cannot be trusted.")
    if unsafe_character(name):
        # Shown in the trust question ("signed by ..."): control or direction characters could make
        # it read as a name the person already trusts.
        raise PackError(
            "This pack's signer name holds hidden control characters that could disguise who signed "
            "it, so it cannot be trusted. Nothing was imported."
        )
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, _message(name, public_key, body))
    except (InvalidSignature, ValueError):
        raise PackError(
            "This pack's signature does not match its contents: it was changed after it was signed. "
            "Ask the sender for a fresh copy. Nothing was imported."
        ) from None
    return Signer(name, public_key), body
