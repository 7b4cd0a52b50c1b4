"""Signed packs: the signer and fingerprint come back from a genuine file, and any change to any part of
it (body, signer name, public key, signature), a swapped signature or a truncated file is refused,
before the pack's TOML is ever parsed."""

from __future__ import annotations

import re

import pytest

from purpose_app.packs import signing
from purpose_app.packs.builtin import builtin_raw
from purpose_app.packs.parse import PackError, parse_pack

FINGERPRINT = re.compile(r"^[0-9a-f]{4}( [0-9a-f]{4}){7}$")
MISMATCH = "does not match its contents"
ANA = signing.SigningIdentity("Dr Ana Ruiz, St Mary's circle", bytes(range(32)))
BEN = signing.SigningIdentity("Dr Ben Okafor", bytes(range(32, 64)))
BODY = builtin_raw()["three-questions"]
OTHER_BODY = builtin_raw()["gratitude-letter"]


def lines_of(signed: bytes) -> list[bytes]:
    """The four header lines (with their newlines) and the body."""
    parts = signed.split(b"\n", 4)
    return [p + b"\n" for p in parts[:4]] + [parts[4]]


def line_span(signed: bytes, number: int) -> range:
    """Byte positions of header line `number` (0 = magic), without its newline."""
    start = 0
    for _ in range(number):
        start = signed.index(b"\n", start) + 1
    return range(start, signed.index(b"\n", start))


def flipped(raw: bytes, at: int, bit: int = 0) -> bytes:
    changed = bytearray(raw)
    changed[at] ^= 1 << bit
    return bytes(changed)


def refused(raw: bytes, *words: str) -> str:
    with pytest.raises(PackError) as caught:
        signing.open_signed(raw)
    assert caught.value.exit_code == 5
    for word in words:
        assert word in caught.value.message, (word, caught.value.message)
    return caught.value.message


def test_sign_then_verify_gives_signer_and_body():
    """The signed file verifies to the signer's name, public key and fingerprint, and the exact body."""
    signed = signing.sign(BODY, ANA)
    signer, body = signing.open_signed(signed)
    assert signer is not None
    assert signer.name == "Dr Ana Ruiz, St Mary's circle"
    assert signer.public_key == ANA.signer.public_key
    assert signer.fingerprint == ANA.signer.fingerprint
    assert body == BODY


def test_signed_file_is_one_readable_pack_file():
    """The signature lines are TOML comments: the signed file itself still parses as the same pack."""
    signed = signing.sign(BODY, ANA)
    assert signed.startswith(signing.MAGIC)
    assert signed.endswith(BODY)
    assert parse_pack(signed) == parse_pack(BODY)


def test_unsigned_file_is_reported_as_unsigned():
    """An ordinary pack file opens with no signer and is returned unchanged."""
    assert signing.open_signed(BODY) == (None, BODY)
    assert not signing.is_signed(BODY)


def test_fingerprint_format():
    """Fingerprints are 8 groups of 4 lowercase hex digits, stable for a key and different across keys."""
    fp = ANA.signer.fingerprint
    assert FINGERPRINT.match(fp), fp
    assert signing.fingerprint(ANA.signer.public_key) == fp
    assert BEN.signer.fingerprint != fp
    generated = signing.SigningIdentity.generate("Someone")
    assert FINGERPRINT.match(generated.signer.fingerprint)
    assert len(generated.private_key) == 32


def test_every_single_bit_flip_in_the_body_is_detected():
    """Each byte of the body, with a bit flipped (bit varying with position), fails verification."""
    signed = signing.sign(BODY, ANA)
    start = len(signed) - len(BODY)
    for at in range(start, len(signed)):
        refused(flipped(signed, at, at % 8), MISMATCH)


@pytest.mark.parametrize(("line", "what"), [(1, "signer name"), (2, "public key"), (3, "signature")])
def test_every_bit_of_every_header_line_is_protected(line, what):
    """Every bit of every byte in the signer, public-key and signature lines (their newline included):
    flipping it makes verification fail. This includes base64's spare padding bits, which a lenient
    decoder would silently ignore."""
    signed = signing.sign(BODY, ANA)
    span = line_span(signed, line)
    for at in [*span, span.stop]:
        for bit in range(8):
            with pytest.raises(PackError):
                signing.open_signed(flipped(signed, at, bit))


def test_changes_to_the_magic_line_never_verify_as_the_signer():
    """A changed first line either is refused or makes the file unsigned: never signed by Ana."""
    signed = signing.sign(BODY, ANA)
    for at in range(len(signing.MAGIC)):
        for bit in range(8):
            changed = flipped(signed, at, bit)
            try:
                signer, _ = signing.open_signed(changed)
            except PackError:
                continue
            assert signer is None


def test_damaged_magic_version_is_refused():
    """A file that still says it is signed, in a form this version does not know, is refused."""
    signed = signing.sign(BODY, ANA)
    refused(signed.replace(b"signed-pack: 1", b"signed-pack: 2", 1), "damaged")
    refused(b"  " + signed, "damaged")


def test_flipped_byte_in_invalid_toml_is_a_signature_error_not_a_toml_error():
    """Verification happens before parsing: a body that is not even TOML (nor UTF-8) signs and
    verifies byte for byte, and once changed the error is about the signature, never the TOML."""
    garbage = b"this is = = not [[[ toml\n\xff\xfe not even utf-8\n"
    signed = signing.sign(garbage, ANA)
    signer, body = signing.open_signed(signed)  # verification alone does not parse
    assert signer == ANA.signer and body == garbage
    with pytest.raises(PackError, match=r"TOML|UTF-8"):
        parse_pack(body)  # the parser would have objected
    for at in range(len(signed) - len(garbage), len(signed)):
        message = refused(flipped(signed, at, 2), MISMATCH)
        assert "TOML" not in message and "UTF-8" not in message


def test_signature_swapped_from_another_pack_fails():
    """Ana's signature line from one pack pasted onto another of her packs does not verify."""
    one, other = lines_of(signing.sign(BODY, ANA)), lines_of(signing.sign(OTHER_BODY, ANA))
    assert one[3] != other[3]
    refused(b"".join([*one[:3], other[3], one[4]]), MISMATCH)


def test_signer_swapped_onto_another_signature_fails():
    """Ben's name and key put on Ana's signature (or Ana's name on Ben's file) do not verify."""
    ana, ben = lines_of(signing.sign(BODY, ANA)), lines_of(signing.sign(BODY, BEN))
    refused(b"".join([ana[0], ben[1], ben[2], ana[3], ana[4]]), MISMATCH)
    refused(b"".join([ben[0], ana[1], ben[2], ben[3], ben[4]]), MISMATCH)
    refused(b"".join([ana[0], ana[1], ben[2], ana[3], ana[4]]), MISMATCH)


def test_whole_signed_block_moved_to_another_body_fails():
    """All four header lines from Ana's signed pack in front of another body do not verify."""
    header = b"".join(lines_of(signing.sign(BODY, ANA))[:4])
    refused(header + OTHER_BODY, MISMATCH)


@pytest.mark.parametrize("cut", [1, 2, 50, 500])
def test_truncated_body_fails(cut):
    """A signed file missing its last bytes (a partial download) fails verification."""
    signed = signing.sign(BODY, ANA)
    refused(signed[:-cut], MISMATCH)


def test_truncated_header_fails():
    """Cut anywhere inside the header lines, the file is refused as damaged or cut short."""
    signed = signing.sign(BODY, ANA)
    header_end = len(signed) - len(BODY)
    for end in range(len(signing.MAGIC), header_end):
        refused(signed[:end])


def test_added_bytes_fail():
    """A byte appended to the body, or a line break converted to CRLF, fails verification."""
    signed = signing.sign(BODY, ANA)
    refused(signed + b"\n", MISMATCH)
    refused(signed.replace(b"\n", b"\r\n"))


def test_signing_a_signed_file_is_refused():
    """Signing twice would hide the first signer: refused."""
    with pytest.raises(PackError, match="already signed"):
        signing.sign(signing.sign(BODY, ANA), BEN)


def test_long_non_ascii_signer_name_still_verifies():
    """A signing name of 100 four-byte characters (keygen's limit) makes a file that verifies."""
    name = "\U0001f469" * 100
    identity = signing.SigningIdentity(name, bytes(range(1, 33)))
    signer, body = signing.open_signed(signing.sign(BODY, identity))
    assert signer is not None and signer.name == name and body == BODY


def test_unusable_signer_name_is_refused_when_signing():
    """A name that could not be written as one header line is refused at signing, not at verifying."""
    with pytest.raises(PackError, match="signing name"):
        signing.sign(BODY, signing.SigningIdentity("x" * 600, bytes(32)))
    with pytest.raises(PackError, match="signing name"):
        signing.sign(BODY, signing.SigningIdentity("two\nlines", bytes(32)))


@pytest.mark.parametrize(
    "name",
    ["Dr Ana Ruiz\x1b[2K\rsigned by: Trusted circle", "Dr Ana\u202e elcric detsurt", "Dr Ana\x9b31m"],
)
def test_a_signer_name_with_control_or_direction_characters_is_refused(name):
    """A validly signed pack whose signer name could rewrite the trust question is refused, unparsed."""
    hostile = signing.SigningIdentity(name, bytes(range(32)))
    with pytest.raises(PackError, match="hidden control characters") as refused:
        signing.open_signed(signing.sign(BODY, hostile))
    assert "\x1b" not in refused.value.message and "\u202e" not in refused.value.message
