"""The prompt library on a real vault: importing unsigned and signed packs with trust and versions,
exact round trips between vaults, signing identities, packs made from chosen prompts (never entries),
personal prompts kept encrypted, favourites, packs on and off, and failed imports changing nothing."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import PASSPHRASE
from promise_helpers import scan

from purpose_app.crypto import kdf
from purpose_app.domain.entry import EntryChanges
from purpose_app.errors import InvalidInput, UsageError
from purpose_app.packs import signing
from purpose_app.packs.builtin import builtin_packs
from purpose_app.packs.parse import PackError, parse_pack
from purpose_app.services import vault
from purpose_app.services.library import (
    FAVOURITES,
    IDENTITY,
    IMPORTED,
    PACK_SETTINGS,
    PERSONAL,
    TRUSTED,
    Library,
    UntrustedSigner,
)

ANA = signing.SigningIdentity("Dr Ana Ruiz, St Mary's circle", bytes(range(32)))
BEN = signing.SigningIdentity("Dr Ben Okafor", bytes(range(32, 64)))
KINDS = (PACK_SETTINGS, IMPORTED, PERSONAL, FAVOURITES, IDENTITY, TRUSTED)


def pack_file(pack_id: str = "courage-circle", version: int = 1, *texts: str) -> bytes:
    """A small valid pack file; the prompt texts default to ones that name the version."""
    texts = texts or (f"What took courage this week? (v{version})", f"Whose courage taught you? (v{version})")
    blocks = "".join(
        f'\n[[prompts]]\nid = "q-{i}"\ntext = "{text}"\ntheme = "fuels"\nweight = "light"\n'
        for i, text in enumerate(texts, start=1)
    )
    return (
        f'format = 1\nid = "{pack_id}"\nname = "Courage"\nversion = {version}\n'
        'description = "For our circle."\nauthor = "St Mary\'s"\nlanguage = "en"\nlicence = "CC-BY-4.0"\n'
        + blocks
    ).encode()


def snapshot(opened: vault.Vault) -> dict[str, dict[str, object]]:
    """Every library document in the vault."""
    return {kind: opened.documents(kind) for kind in KINDS}


@pytest.fixture
def library(unlocked: vault.Vault) -> Library:
    return Library(unlocked)


@pytest.fixture
def second_vault(tmp_path: Path) -> Iterator[vault.Vault]:
    """Another person's fresh vault."""
    opened, _ = vault.create(tmp_path / "second", PASSPHRASE, kdf.TEST)
    yield opened
    opened.lock()


# -- importing


def test_unsigned_pack_imports_marked_unsigned_and_enabled(library):
    """An unsigned pack is stored, shown as imported and unsigned, on, and its prompts are offered."""
    info = library.import_pack(pack_file())
    assert info.source == "imported"
    assert not info.signed and info.signer is None
    assert info.enabled
    assert library.pack("courage-circle").pack.version == 1
    refs = {p.ref for p in library.enabled_prompts()}
    assert {"courage-circle/q-1", "courage-circle/q-2"} <= refs


def test_unknown_signer_without_trust_is_refused_and_nothing_stored(library, unlocked):
    """A pack signed by someone not trusted yet: UntrustedSigner (exit 2) showing name and fingerprint;
    nothing imported, nobody trusted."""
    before = snapshot(unlocked)
    with pytest.raises(UntrustedSigner) as caught:
        library.import_pack(signing.sign(pack_file(), BEN))
    assert isinstance(caught.value, UsageError)
    assert caught.value.exit_code == 2
    assert "Dr Ben Okafor" in caught.value.message
    assert BEN.signer.fingerprint in caught.value.message
    assert "--trust" in caught.value.message
    assert snapshot(unlocked) == before
    with pytest.raises(InvalidInput):
        library.pack("courage-circle")


def test_unknown_signer_with_trust_is_stored_and_trusted(library):
    """With trust, the pack is stored with its signer shown, and the signer is remembered."""
    info = library.import_pack(signing.sign(pack_file(), BEN), trust=True)
    assert info.signed
    assert info.signer.name == "Dr Ben Okafor"
    assert info.signer.fingerprint == BEN.signer.fingerprint
    assert library.trusted()[BEN.signer.fingerprint] == "Dr Ben Okafor"
    assert library.pack("courage-circle").signer == BEN.signer
    # Trusted now: the next version needs no question.
    assert library.import_pack(signing.sign(pack_file(version=2), BEN)).pack.version == 2


def test_newer_version_from_same_signer_replaces(library):
    """Version 2 from the same signer replaces version 1: one pack, the new prompts."""
    library.import_pack(signing.sign(pack_file(version=1), BEN), trust=True)
    library.import_pack(signing.sign(pack_file(version=2), BEN))
    matching = [i for i in library.packs() if i.pack.id == "courage-circle"]
    assert len(matching) == 1
    assert matching[0].pack.version == 2
    assert library.prompt("courage-circle/q-1").text.endswith("(v2)")


def test_newer_unsigned_version_replaces_unsigned(library):
    """Unsigned packs follow the same rule among themselves."""
    library.import_pack(pack_file(version=1))
    assert library.import_pack(pack_file(version=3)).pack.version == 3


@pytest.mark.parametrize("version", [1, 2])
def test_older_or_equal_version_is_refused_with_explanation(library, unlocked, version):
    """Once version 2 is in, version 1 or 2 again is refused, saying which versions and that nothing
    was imported; the stored pack stays version 2."""
    library.import_pack(signing.sign(pack_file(version=2), BEN), trust=True)
    before = snapshot(unlocked)
    with pytest.raises(PackError) as caught:
        library.import_pack(signing.sign(pack_file(version=version), BEN))
    message = caught.value.message
    assert "version 2" in message and f"version {version}" in message
    assert "newer" in message and "Nothing was imported" in message
    assert snapshot(unlocked) == before
    assert library.pack("courage-circle").pack.version == 2


def test_same_pack_id_from_a_different_signer_is_refused(library, unlocked):
    """Ana's pack under Ben's id is refused (even with --trust), naming both, and Ana is not trusted."""
    library.import_pack(signing.sign(pack_file(version=1), BEN), trust=True)
    before = snapshot(unlocked)
    with pytest.raises(PackError) as caught:
        library.import_pack(signing.sign(pack_file(version=5), ANA), trust=True)
    message = caught.value.message
    assert "Dr Ben Okafor" in message and "Dr Ana Ruiz" in message
    assert "different pack id" in message
    assert ANA.signer.fingerprint not in library.trusted()
    assert snapshot(unlocked) == before
    assert library.pack("courage-circle").signer == BEN.signer


def test_signed_pack_cannot_replace_an_unsigned_one(library):
    """An unsigned pack and a signed pack with the same id are from different senders: refused."""
    library.import_pack(pack_file(version=1))
    with pytest.raises(PackError, match="unsigned"):
        library.import_pack(signing.sign(pack_file(version=2), BEN), trust=True)
    assert not library.pack("courage-circle").signed


@pytest.mark.parametrize("pack_id", ["origins", "three-good-things", "personal"])
def test_same_id_as_builtin_is_refused(library, unlocked, pack_id):
    """A pack using a built-in (or the personal) pack's id is refused: it would shadow it."""
    before = snapshot(unlocked)
    with pytest.raises(PackError, match="built-in"):
        library.import_pack(pack_file(pack_id))
    assert snapshot(unlocked) == before


def test_failing_import_leaves_the_vault_unchanged(library, unlocked):
    """A tampered signed file (one byte changed) is refused and no document of any kind changes, even
    with --trust and even when an earlier version is present."""
    library.import_pack(signing.sign(pack_file(version=1), BEN), trust=True)
    library.set_favourite(_first("origins"), True)
    before = snapshot(unlocked)
    signed = bytearray(signing.sign(pack_file(version=2), BEN))
    signed[-10] ^= 0x01
    with pytest.raises(PackError, match="changed after it was signed"):
        library.import_pack(bytes(signed), trust=True)
    assert snapshot(unlocked) == before
    assert library.pack("courage-circle").pack.version == 1


def _first(pack_id: str) -> str:
    return next(p for p in builtin_packs() if p.id == pack_id).prompts[0].ref


# -- signing identity and round trips


def test_own_packs_are_trusted_automatically(library):
    """After keygen, a pack you signed imports without --trust, marked with your name."""
    me = library.keygen("Dr Ana Ruiz")
    assert library.trusted()[me.fingerprint] == "Dr Ana Ruiz"
    info = library.import_pack(library.sign(pack_file()))
    assert info.signer is not None and info.signer.fingerprint == me.fingerprint


def test_keygen_twice_without_replace_is_refused(library):
    """A second keygen is refused (mentioning --replace) and keeps the first identity; with replace a
    new key is made."""
    first = library.keygen("Dr Ana Ruiz")
    with pytest.raises(InvalidInput, match="--replace"):
        library.keygen("Someone Else")
    assert library.identity().signer == first
    second = library.keygen("Dr Ana Ruiz", replace=True)
    assert second.fingerprint != first.fingerprint
    assert library.identity().signer == second


def test_keygen_key_is_not_stored_in_the_clear(library, made_vault):
    """The signing seed is kept sealed: its base64 does not appear in any vault file."""
    library.keygen("Dr Ana Ruiz")
    seed = base64.b64encode(library.identity().private_key).decode()
    assert scan([made_vault.folder], [seed]) == []


def test_keygen_with_long_non_ascii_name_can_sign_and_verify(library):
    """The longest name keygen accepts (100 characters, here four-byte ones) still makes packs that
    verify and import."""
    name = "\U0001f469" * 100
    library.keygen(name)
    info = library.import_pack(library.sign(pack_file()))
    assert info.signer is not None and info.signer.name == name


def test_sign_refuses_an_invalid_pack(library):
    """The library never signs a pack that others could not import."""
    library.keygen("Dr Ana Ruiz")
    with pytest.raises(PackError, match="version"):
        library.sign(pack_file().replace(b"version = 1", b'version = "1"'))


def test_sign_without_identity_is_refused(library):
    """Signing without a signing identity says how to make one."""
    with pytest.raises(InvalidInput, match="keygen"):
        library.sign(pack_file())


def test_sign_import_export_import_round_trips_exactly(library, second_vault):
    """Signed by Ana in her vault, imported, exported, and imported into a colleague's fresh vault: the
    exported files are byte-for-byte the signed file, and the prompts are equal."""
    library.keygen("Dr Ana Ruiz")
    signed = library.sign(pack_file(version=4))
    first = library.import_pack(signed)
    exported = library.export_pack("courage-circle")
    assert exported == signed
    colleague = Library(second_vault)
    with pytest.raises(UntrustedSigner):
        colleague.import_pack(exported)
    second = colleague.import_pack(exported, trust=True)
    assert colleague.export_pack("courage-circle") == signed
    assert second.pack.prompts == first.pack.prompts
    assert second.pack == first.pack
    assert second.signer == first.signer


def test_unsigned_round_trip_is_exact(library, second_vault):
    """An unsigned pack's export is the file that was imported, comments and spacing included."""
    raw = b"# our circle's pack\n\n" + pack_file()
    library.import_pack(raw)
    assert library.export_pack("courage-circle") == raw
    Library(second_vault).import_pack(library.export_pack("courage-circle"))
    assert Library(second_vault).export_pack("courage-circle") == raw


def test_imported_packs_survive_lock_and_unlock(library, unlocked, made_vault):
    """Imports, trust and settings are stored in the vault, not in memory."""
    library.import_pack(signing.sign(pack_file(), BEN), trust=True)
    library.set_enabled("courage-circle", False)
    unlocked.lock()
    reopened = Library(made_vault.open())
    try:
        info = reopened.pack("courage-circle")
        assert info.signer == BEN.signer and not info.enabled
        assert BEN.signer.fingerprint in reopened.trusted()
    finally:
        reopened.vault.lock()


# -- packs made from chosen prompts


def test_new_pack_contains_chosen_prompts_and_nothing_from_entries(library, unlocked):
    """`new_pack` from a built-in prompt and a personal one: a valid pack with exactly those texts, and
    no trace of an entry, its title, the other personal prompts or the signing name."""
    canary = f"canary-{uuid.uuid4().hex}"
    unlocked.add(EntryChanges(title=f"title {canary}", body=f"body {canary}", tags=(canary[:40],)))
    mine = library.write_prompt("What did a quiet Tuesday teach me?", theme="fuels")
    secret = library.write_prompt(f"Unshared prompt {uuid.uuid4().hex}")
    builtin = library.prompt(_first("legacy"))
    raw = library.new_pack([builtin.ref, mine.ref], pack_id="shared-circle", name="Shared")
    pack = parse_pack(raw)
    assert pack.id == "shared-circle"
    assert [p.text for p in pack.prompts] == [builtin.text, mine.text]
    assert [p.theme for p in pack.prompts] == [builtin.theme, "fuels"]
    text = raw.decode("utf-8")
    assert canary not in text
    assert canary[7:] not in text  # not even the random part
    assert secret.text not in text
    assert pack.prompts[1].id == mine.id
    # The file is importable elsewhere.
    assert library.import_pack(raw).pack.prompts == pack.prompts


def test_new_pack_with_duplicate_prompt_ids_stays_valid(library):
    """Two chosen prompts sharing an id in different packs get distinct ids in the new pack."""
    library.import_pack(pack_file("circle-a"))
    library.import_pack(pack_file("circle-b", 1, "A different first question?", "And a second?"))
    raw = library.new_pack(["circle-a/q-1", "circle-b/q-1", "circle-a/q-1"], pack_id="mixed", name="Mixed")
    pack = parse_pack(raw)
    assert len(pack.prompts) == 2
    assert len({p.id for p in pack.prompts}) == 2


def test_new_pack_from_unknown_prompt_is_refused(library):
    """A ref that does not exist is an error naming it, not an empty pack."""
    with pytest.raises(InvalidInput, match="no-such-prompt"):
        library.new_pack(["origins/no-such-prompt"], pack_id="x-pack", name="X")
    with pytest.raises(InvalidInput):
        library.new_pack([], pack_id="x-pack", name="X")


# -- personal prompts, favourites, on and off


def test_personal_prompts_write_and_delete_encrypted(library, made_vault):
    """A prompt of your own appears in the personal pack, its text never in the vault files; deleting
    removes it; built-in prompts cannot be deleted."""
    text = f"What would I tell my first-year self? {uuid.uuid4().hex}"
    prompt = library.write_prompt(text, theme="origins", weight="deep", follow_up="And now?")
    assert prompt.pack == "personal"
    personal = library.pack("personal")
    assert personal.source == "personal"
    assert [p.text for p in personal.pack.prompts] == [text]
    assert prompt.ref in {p.ref for p in library.enabled_prompts()}
    assert scan([made_vault.folder], [text, "first-year self"]) == []
    library.delete_prompt(prompt.ref)
    assert library.personal_pack() is None
    with pytest.raises(InvalidInput):
        library.prompt(prompt.ref)
    with pytest.raises(InvalidInput, match="turned off"):
        library.delete_prompt(_first("origins"))


def test_personal_prompt_rules(library):
    """Empty, over-long, control-character texts and bad weights or themes are refused."""
    for bad in ("   ", "x" * 2001, "bell\x07"):
        with pytest.raises(InvalidInput):
            library.write_prompt(bad)
    with pytest.raises(InvalidInput, match="Weight"):
        library.write_prompt("Fine text?", weight="heavy")
    with pytest.raises(InvalidInput, match="Theme"):
        library.write_prompt("Fine text?", theme="Not A Theme")
    assert library.personal_pack() is None


def test_favourites_set_and_unset(library):
    """Favouriting adds the ref once; unfavouriting removes it; unknown prompts are refused."""
    ref = _first("small-renewals")
    library.set_favourite(ref, True)
    library.set_favourite(ref, True)
    assert library.favourites() == [ref]
    other = _first("legacy")
    library.set_favourite(other, True)
    library.set_favourite(ref, False)
    assert library.favourites() == [other]
    with pytest.raises(InvalidInput):
        library.set_favourite("legacy/not-a-prompt", True)
    assert library.favourites() == [other]


def test_enable_and_disable_change_enabled_prompts(library):
    """Turning a pack off removes exactly its prompts from the offer; turning it on brings them back."""
    everything = {p.ref for p in library.enabled_prompts()}
    origins = {p.ref for p in library.pack("origins").pack.prompts}
    assert origins <= everything
    info = library.set_enabled("origins", False)
    assert not info.enabled and not library.pack("origins").enabled
    assert {p.ref for p in library.enabled_prompts()} == everything - origins
    library.set_enabled("origins", True)
    assert {p.ref for p in library.enabled_prompts()} == everything
    with pytest.raises(InvalidInput):
        library.set_enabled("no-such-pack", False)


def test_programmes_are_offered_separately(library):
    """Programme prompts are not in the daily pool but are in the programme pool."""
    daily = {p.pack for p in library.enabled_prompts()}
    programmes = {p.pack for p in library.enabled_prompts(programmes=True)}
    assert "three-good-things" not in daily
    assert "three-good-things" in programmes


@pytest.mark.parametrize("name", ["Dr Ana\u202eRuiz", "Dr Ana\x1b[31m", "Dr\x07Ana"])
def test_keygen_refuses_a_name_that_could_disguise_itself(library, name):
    """A signing name with a control or direction character is refused, and no identity is kept."""
    with pytest.raises(InvalidInput, match="signing name contains"):
        library.keygen(name)
    assert library.identity() is None
