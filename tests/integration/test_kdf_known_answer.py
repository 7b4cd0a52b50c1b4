"""Argon2id against the published RFC 9106 test vector, and the vault's KDF against a second
implementation (OpenSSL's, through `cryptography`)."""

from __future__ import annotations

import pytest
from argon2.low_level import ARGON2_VERSION, Type, core, error_to_str, ffi, lib

from purpose_app.crypto import kdf

# RFC 9106 section 5.3 (Argon2id, version 0x13).
RFC_PASSWORD = b"\x01" * 32
RFC_SALT = b"\x02" * 16
RFC_SECRET = b"\x03" * 8
RFC_AD = b"\x04" * 12
RFC_MEMORY_KIB = 32
RFC_PASSES = 3
RFC_LANES = 4
RFC_TAG = bytes.fromhex("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659")


def _argon2_cffi_full(password: bytes, salt: bytes, secret: bytes, ad: bytes, tag_length: int) -> bytes:
    """Argon2id through argon2-cffi's raw argon2_ctx binding, which (unlike hash_secret_raw) takes a
    secret and associated data."""
    out = ffi.new("uint8_t[]", tag_length)
    inputs = {"pwd": password, "salt": salt, "secret": secret, "ad": ad}
    # Sized buffers (ffi.new(..., bytes) would append a NUL), kept alive until core() returns.
    buffers = {name: ffi.new("uint8_t[]", len(value)) for name, value in inputs.items()}
    for name, value in inputs.items():
        ffi.memmove(buffers[name], value, len(value))
    ctx = ffi.new(
        "argon2_context *",
        {
            "out": out,
            "outlen": tag_length,
            "pwd": buffers["pwd"],
            "pwdlen": len(password),
            "salt": buffers["salt"],
            "saltlen": len(salt),
            "secret": buffers["secret"],
            "secretlen": len(secret),
            "ad": buffers["ad"],
            "adlen": len(ad),
            "t_cost": RFC_PASSES,
            "m_cost": RFC_MEMORY_KIB,
            "lanes": RFC_LANES,
            "threads": RFC_LANES,
            "version": ARGON2_VERSION,
            "allocate_cbk": ffi.NULL,
            "free_cbk": ffi.NULL,
            "flags": lib.ARGON2_DEFAULT_FLAGS,
        },
    )
    result = core(ctx, Type.ID.value)
    assert result == lib.ARGON2_OK, error_to_str(result)
    return bytes(ffi.buffer(out, tag_length))


def _cryptography_argon2id():  # type: ignore[no-untyped-def]
    module = pytest.importorskip("cryptography.hazmat.primitives.kdf.argon2")
    if not hasattr(module, "Argon2id"):
        pytest.skip("this cryptography has no Argon2id (needs 44 or later)")
    return module.Argon2id


def test_argon2_cffi_matches_rfc9106_vector():
    """argon2-cffi's Argon2id (the library the vault uses) produces the RFC 9106 5.3 tag exactly."""
    assert ARGON2_VERSION == 0x13
    assert _argon2_cffi_full(RFC_PASSWORD, RFC_SALT, RFC_SECRET, RFC_AD, 32) == RFC_TAG


def test_argon2_cffi_vector_is_sensitive_to_every_input():
    """The known-answer check can fail: changing any single input changes the tag."""
    variants = [
        (b"\x01" * 31 + b"\x00", RFC_SALT, RFC_SECRET, RFC_AD),
        (RFC_PASSWORD, b"\x02" * 15 + b"\x00", RFC_SECRET, RFC_AD),
        (RFC_PASSWORD, RFC_SALT, b"", RFC_AD),
        (RFC_PASSWORD, RFC_SALT, RFC_SECRET, b""),
    ]
    for password, salt, secret, ad in variants:
        assert _argon2_cffi_full(password, salt, secret, ad, 32) != RFC_TAG


def test_cryptography_argon2id_matches_rfc9106_vector():
    """cryptography's (OpenSSL's) Argon2id produces the same RFC 9106 5.3 tag."""
    argon2id = _cryptography_argon2id()
    derived = argon2id(
        salt=RFC_SALT,
        length=32,
        iterations=RFC_PASSES,
        lanes=RFC_LANES,
        memory_cost=RFC_MEMORY_KIB,
        ad=RFC_AD,
        secret=RFC_SECRET,
    ).derive(RFC_PASSWORD)
    assert derived == RFC_TAG


@pytest.mark.parametrize(
    ("passphrase", "salt", "params"),
    [
        ("correct horse battery", bytes(range(16)), kdf.TEST),
        ("naïve café at 3 a.m. 🌙", b"\xa5" * 16, kdf.KdfParams("check", 2048, 2, 2)),
        ("x" * 200, bytes(range(100, 116)), kdf.KdfParams("check", 4096, 1, 4)),
    ],
)
def test_derive_key_matches_independent_argon2id(passphrase, salt, params):
    """kdf.derive_key equals OpenSSL's Argon2id (v1.3, UTF-8 passphrase, no secret/ad) for the same
    inputs, so the vault key does not depend on which binding a platform ships."""
    argon2id = _cryptography_argon2id()
    expected = argon2id(
        salt=salt,
        length=kdf.KEY_LENGTH,
        iterations=params.time_cost,
        lanes=params.parallelism,
        memory_cost=params.memory_kib,
    ).derive(passphrase.encode("utf-8"))
    assert kdf.derive_key(passphrase, salt, params) == expected
    assert len(expected) == 32


def test_derive_key_depends_on_salt_and_cost():
    """Different salt or cost gives a different key (the stored parameters really are used)."""
    salt = bytes(range(16))
    base = kdf.derive_key("correct horse battery", salt, kdf.TEST)
    assert base != kdf.derive_key("correct horse battery", bytes(reversed(salt)), kdf.TEST)
    assert base != kdf.derive_key("correct horse battery", salt, kdf.KdfParams("test", 1024, 2, 1))
    assert base != kdf.derive_key("correct horse batterY", salt, kdf.TEST)
